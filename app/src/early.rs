//! What a citizen did before the browser app was ready.
//!
//! On a slow phone the server's form is on screen seconds before the wasm
//! arrives, and people answer it. When the app takes over it renders the
//! page afresh, so it first reads what is on the server's form — the checked
//! answers, the profile, the comment, where the caret and the scroll were,
//! and whether "send" was pressed (a tiny inline script in the page holds
//! that press until the app can act on it) — and the new form starts from
//! there. Nothing chosen before the app was ready is lost.

/// Form values by field name: a checked radio's or checkbox's value, a text
/// area's text.
pub type Values = crate::pairs::Pairs<String>;

/// The attribute the page's inline script sets on `<html>` when "send" is
/// pressed before the app is ready.
pub const QUEUED_ATTR: &str = "data-queued";
/// The attribute the app sets on `<html>` once it handles the page itself.
pub const READY_ATTR: &str = "data-app";

/// The inline script of server-rendered citizen pages: holds a press of
/// "send" on a form marked `data-hold` (the rating and complaint forms,
/// which the app keeps on the device) until the app is ready (see
/// [`QUEUED_ATTR`]).
pub const HOLD_SUBMIT_SCRIPT: &str = "document.addEventListener('submit',function(e){var h=document.documentElement;if(!h.hasAttribute('data-app')&&e.target.hasAttribute('data-hold')){e.preventDefault();h.setAttribute('data-queued','')}},true);";

#[cfg(feature = "csr")]
mod browser {
    use super::*;
    use std::cell::RefCell;
    use wasm_bindgen::JsCast;

    /// Where the citizen was on the server's page, read before the app
    /// replaces it (the form values go to [`take_values`]).
    #[derive(Default)]
    pub struct Early {
        focused: Option<String>,
        selection: Option<(u32, u32)>,
        scroll_y: f64,
        submit: bool,
    }

    thread_local! {
        static VALUES: RefCell<Values> = const { RefCell::new(Values::new()) };
    }

    /// Reads the form state of the page as the server rendered it and the
    /// citizen changed it.
    pub fn capture() -> Early {
        let mut values = Values::new();
        let doc = leptos::prelude::document();
        let mut early = Early {
            scroll_y: leptos::prelude::window().scroll_y().unwrap_or(0.0),
            ..Early::default()
        };
        if let Ok(fields) = doc.query_selector_all("input, textarea") {
            for i in 0..fields.length() {
                let Some(node) = fields.item(i) else { continue };
                if let Some(input) = node.dyn_ref::<web_sys::HtmlInputElement>() {
                    let kind = input.type_();
                    if kind == "checkbox" && input.checked() {
                        // Several boxes of one name: their values, comma-separated.
                        let all = match values.get(&input.name()) {
                            Some(before) => format!("{before},{}", input.value()),
                            None => input.value(),
                        };
                        values.insert(input.name(), all);
                    } else if (kind == "radio" && input.checked())
                        || (matches!(kind.as_str(), "text" | "date" | "search")
                            && !input.value().is_empty())
                    {
                        values.insert(input.name(), input.value());
                    }
                } else if let Some(area) = node.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                    let text = area.value();
                    if !text.is_empty() {
                        values.insert(area.name(), text);
                    }
                }
            }
        }
        if let Some(active) = doc.active_element() {
            let id = active.id();
            if !id.is_empty() {
                if let Some(area) = active.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                    if let (Ok(Some(a)), Ok(Some(b))) =
                        (area.selection_start(), area.selection_end())
                    {
                        early.selection = Some((a, b));
                    }
                }
                early.focused = Some(id);
            }
        }
        if let Some(root) = doc.document_element() {
            early.submit = root.has_attribute(QUEUED_ATTR);
        }
        VALUES.with_borrow_mut(|v| *v = values);
        early
    }

    /// The values read before the app took over, once: a form takes them as
    /// its starting state.
    pub fn take_values() -> Values {
        VALUES.with_borrow_mut(std::mem::take)
    }

    impl Early {
        /// Puts focus, caret and scroll back where they were, marks the page
        /// as the app's, and sends the form if "send" was pressed.
        pub fn restore(self) {
            let doc = leptos::prelude::document();
            if let Some(id) = &self.focused {
                if let Some(el) = doc.get_element_by_id(id) {
                    if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
                        let _ = el.focus();
                    }
                    if let (Some((a, b)), Some(area)) =
                        (self.selection, el.dyn_ref::<web_sys::HtmlTextAreaElement>())
                    {
                        let _ = area.set_selection_range(a, b);
                    }
                }
            }
            leptos::prelude::window().scroll_to_with_x_and_y(0.0, self.scroll_y);
            if let Some(root) = doc.document_element() {
                let _ = root.set_attribute(READY_ATTR, "ready");
                let _ = root.remove_attribute(QUEUED_ATTR);
            }
            if self.submit {
                if let Ok(Some(form)) = doc.query_selector("form[data-hold]") {
                    if let Some(form) = form.dyn_ref::<web_sys::HtmlFormElement>() {
                        let _ = form.request_submit();
                    }
                }
            }
        }
    }
}

#[cfg(feature = "csr")]
pub use browser::{capture, take_values, Early};

/// On the server there is nothing from before: forms start empty.
#[cfg(not(feature = "csr"))]
pub fn take_values() -> Values {
    Values::new()
}
