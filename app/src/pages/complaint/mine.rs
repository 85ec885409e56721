//! `/pengaduan` for a citizen: where to type a tracking code, and the
//! complaints filed on this device (read from IndexedDB, offline too).

use crate::components::outbox_status::local_time;
use crate::offline::complaints::ComplaintRecord;
use crate::offline::use_outbox_view;
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

/// Where a citizen types a tracking code; with what was wrong with the
/// last. In the browser app a mistyped code is caught by its check
/// character before any request.
#[component]
pub fn Find(problem: Option<Msg>) -> impl IntoView {
    let problem = RwSignal::new(problem);
    let lang = use_lang();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "csr")]
        {
            use wasm_bindgen::JsCast;
            let typed = ev
                .target()
                .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
                .and_then(|f| f.elements().named_item("code"))
                .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value())
                .unwrap_or_default();
            ev.prevent_default();
            match crate::domain::complaint::TrackingCode::parse(&typed) {
                Ok(code) => {
                    let _ = window().location().assign(&format!("/pengaduan/{code}"));
                }
                Err(_) => problem.set(Some(Msg::ComplaintBadCode)),
            }
        }
        #[cfg(not(feature = "csr"))]
        let _ = ev;
    };
    view! {
        <h1>{tr(Msg::Complaints)}</h1>
        <p role="alert" class="error">{move || problem.get().map(|m| m.text(lang.get()))}</p>
        <form method="get" action="/pengaduan" class="pickers" role="search" on:submit=on_submit>
            <div class="field">
                <label for="code">{tr(Msg::ComplaintCode)}</label>
                <input
                    id="code"
                    name="code"
                    required
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    aria-describedby="code-hint"
                    class="code-input"
                />
                <p id="code-hint" class="muted">{tr(Msg::ComplaintFindHint)}</p>
            </div>
            <button type="submit" class="primary">{tr(Msg::ComplaintFind)}</button>
        </form>
    }
}

#[component]
pub fn MyComplaintsPage() -> impl IntoView {
    let outbox = use_outbox_view();
    let lang = use_lang();
    let list = move || match outbox.complaints.get() {
        None => view! { <p class="muted">{tr(Msg::OutboxChecking)}</p> }.into_any(),
        Some(all) if all.is_empty() => {
            view! { <p class="muted">{tr(Msg::MyComplaintsEmpty)}</p> }.into_any()
        }
        Some(all) => view! {
            <ul class="complaint-list" data-figure="device-complaints">
                {all
                    .into_iter()
                    .map(|r| view! { <DeviceRow record=r lang=lang.get()/> })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <Find problem=None/>
        <section aria-labelledby="mine-title">
            <h2 id="mine-title">{tr(Msg::MyComplaints)}</h2>
            <p class="muted">{tr(Msg::MyComplaintsHint)}</p>
            {list}
        </section>
    }
}

/// Where one complaint of this device stands, in words.
fn standing(r: &ComplaintRecord, lang: crate::text::Lang) -> String {
    if r.is_refused() {
        return format!(
            "{} {}",
            Msg::ComplaintNotKept.text(lang),
            r.reason.clone().unwrap_or_default()
        );
    }
    let mut s = if r.delivered {
        Msg::ComplaintDelivered.text(lang).to_owned()
    } else {
        Msg::ComplaintOnDevice.text(lang).to_owned()
    };
    if r.delivered && r.is_waiting() {
        s = format!("{s} {}.", Msg::PhotoWaiting.text(lang));
    }
    for why in r.photos.iter().filter_map(|p| p.refused.as_ref()) {
        s = format!("{s} {} {why}", Msg::PhotoRefused.text(lang));
    }
    s
}

#[component]
fn DeviceRow(record: ComplaintRecord, lang: crate::text::Lang) -> impl IntoView {
    let href = format!("/pengaduan/{}", record.code);
    let when = local_time(record.queued_at_ms, lang);
    let status = standing(&record, lang);
    view! {
        <li class="card">
            <p>
                <a href=href class="tracking-code">{record.code.clone()}</a>
            </p>
            <p>{record.service_name.clone()}</p>
            <p class="muted">{tr(Msg::ComplaintFiledOn)} ": " {when}</p>
            <p data-figure="device-status">{status}</p>
        </li>
    }
}
