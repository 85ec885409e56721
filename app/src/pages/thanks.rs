//! Shown once a response is safely delivered.

use crate::i18n::{tr, Msg};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ThanksPage() -> impl IntoView {
    view! {
        <div class="thanks">
            <h1>{tr(Msg::ThankYouTitle)}</h1>
            <p>{tr(Msg::ThankYouBody)}</p>
            <p>
                <A href="/">{tr(Msg::RateAnother)}</A>
            </p>
        </div>
    }
}
