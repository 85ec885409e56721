pub mod dashboard;
pub mod home;
pub mod kiosk;
pub mod login;
pub mod outbox;
pub mod poster;
pub mod service;
pub mod thanks;

use crate::domain::Localized;
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;
use leptos_router::components::A;

/// What a page for an unknown service code shows.
#[component]
pub fn ServiceMissing() -> impl IntoView {
    view! {
        <h1>{tr(Msg::ServiceNotFound)}</h1>
        <p>
            <A href="/">{tr(Msg::BackToServices)}</A>
        </p>
    }
}

/// A bilingual text that follows the page's language.
pub fn localized(text: Localized) -> impl Fn() -> String + Send + Sync + 'static {
    let lang = use_lang();
    move || lang.get().pick(&text.id, &text.en).to_owned()
}

/// Logs the detail of an unexpected server error and hides it from the page.
#[cfg(feature = "ssr")]
pub fn internal(e: impl std::fmt::Display) -> leptos::prelude::ServerFnError {
    leptos::logging::error!("{e}");
    leptos::prelude::ServerFnError::new("internal error")
}
