pub mod complaint;
pub mod home;
pub mod kiosk;
pub mod outbox;
pub mod profile;
pub mod service;
pub mod thanks;

// Staff and public pages: rendered by the server only, with no wasm (see layout.rs).
#[cfg(feature = "ssr")]
pub mod public;
#[cfg(feature = "ssr")]
pub mod staff;

use crate::domain::Localized;
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

/// What a page for an unknown service code shows.
#[component]
pub fn ServiceMissing() -> impl IntoView {
    view! {
        <h1>{tr(Msg::ServiceNotFound)}</h1>
        <p>
            <a href="/">{tr(Msg::BackToServices)}</a>
        </p>
    }
}

/// A bilingual text that follows the page's language.
pub fn localized(text: Localized) -> impl Fn() -> String + Send + Sync + 'static {
    let lang = use_lang();
    move || lang.get().pick(&text.id, &text.en).to_owned()
}
