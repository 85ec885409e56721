//! The status line on every page: how many responses wait on this device,
//! when the last sync reached the server, and the "new version" prompt.

use crate::offline::use_outbox_view;
use crate::text::{complaints_waiting_text, refused_text, tr, use_lang, waiting_text, Lang, Msg};
use leptos::prelude::*;

/// A moment on the device's clock, in the page's language.
pub fn local_time(ms: f64, lang: Lang) -> String {
    #[cfg(feature = "csr")]
    {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
        let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
        let locale = match lang {
            Lang::Id => "id-ID",
            Lang::En => "en-GB",
        };
        String::from(
            js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms))
                .to_locale_string(locale, &options),
        )
    }
    #[cfg(not(feature = "csr"))]
    {
        let _ = lang;
        crate::domain::response::rfc3339_millis(
            time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
                .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
        )
    }
}

#[component]
pub fn OutboxStatus() -> impl IntoView {
    let view = use_outbox_view();
    let lang = use_lang();
    let summary = move || {
        let l = lang.get();
        if view.unavailable.get() {
            return Msg::OutboxUnavailable.text(l).to_owned();
        }
        match view.waiting() {
            None => Msg::OutboxChecking.text(l).to_owned(),
            Some(n) => {
                let last = view
                    .last_sync_ms
                    .get()
                    .map(|ms| local_time(ms, l))
                    .unwrap_or_else(|| Msg::NeverSent.text(l).to_owned());
                let complaints = match view.waiting_complaints() {
                    0 => String::new(),
                    c => format!(" · {}", complaints_waiting_text(l, c)),
                };
                format!(
                    "{}{complaints} · {}: {last}",
                    waiting_text(l, n),
                    Msg::LastSent.text(l)
                )
            }
        }
    };
    let refused = move || view.refused().filter(|n| *n > 0);
    view! {
        <div class="outbox-bar">
            <p class="outbox-status" role="status" aria-live="polite">
                {summary}
            </p>
            {move || {
                refused()
                    .map(|n| {
                        view! {
                            <p class="outbox-refused">
                                {move || refused_text(lang.get(), n)} " · "
                                <a href="/tertunda">{tr(Msg::ViewOutbox)}</a>
                            </p>
                        }
                    })
            }}
            <Show when=move || view.update_ready.get()>
                <div class="update" role="alert">
                    <span>{tr(Msg::UpdateReady)}</span>
                    " "
                    <button type="button" on:click=move |_| apply_update()>
                        {tr(Msg::Reload)}
                    </button>
                </div>
            </Show>
        </div>
    }
}

fn apply_update() {
    #[cfg(feature = "csr")]
    crate::offline::worker::apply_update();
}
