//! Shown once a response is kept: on the device, or delivered.

use crate::offline::use_outbox_view;
use crate::text::{tr, Msg};
use leptos::prelude::*;

#[component]
pub fn ThanksPage(code: String) -> impl IntoView {
    let complain = format!("/s/{code}/pengaduan");
    let outbox = use_outbox_view();
    view! {
        <div class="thanks">
            <h1>{tr(Msg::ThankYouTitle)}</h1>
            <p>{tr(Msg::ThankYouBody)}</p>
            <Show when=move || outbox.persist_refused.get()>
                <p class="notice">{tr(Msg::PersistRefused)}</p>
            </Show>
            <p>
                <a href="/">{tr(Msg::RateAnother)}</a>
            </p>
            <p>
                <a href=complain rel="external">{tr(Msg::FileComplaintLink)}</a>
            </p>
            <p>
                <a href=format!("/s/{code}/publik") rel="external">{tr(Msg::PublicLink)}</a>
            </p>
        </div>
    }
}
