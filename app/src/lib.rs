//! Suara's Leptos app: built with `ssr` into the server and with `csr`
//! into the browser's wasm. `domain` is the pure core both share.

#![recursion_limit = "256"]

#[cfg(feature = "ssr")]
pub mod backend;
pub mod components;
pub mod data;
pub mod domain;
pub mod early;
pub mod model;
#[cfg(feature = "csr")]
pub mod net;
pub mod offline;
pub mod pairs;
pub mod qr;
pub mod route;
#[cfg(feature = "ssr")]
pub mod session;
pub mod sync;
pub mod text;

mod layout;
mod pages;

#[cfg(feature = "ssr")]
pub use layout::shell;
pub use layout::{App, Assets, CspNonce};

// The translations, compiled from `app/locales/*.json` by `build.rs`
// (leptos_i18n): the module `i18n`, with `Locale`, `use_i18n` and
// `I18nContextProvider`.
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

/// The version a response records as `app_version`.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Renders the citizen page at the browser's location: in place of the
/// server's markup on a page from the server, or into the empty body of the
/// service worker's offline shell (`/shell`).
///
/// On a page from the server, the data the page was rendered from (its
/// `#suara-data` block) and whatever the citizen already did on it are read
/// first, and the app renders the same page at once, in the same task, from
/// that state: the screen does not change, and nothing chosen or typed while
/// the app loaded is lost (see [`early`]).
#[cfg(feature = "csr")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn mount() {
    console_error_panic_hook::set_once();
    let location = leptos::prelude::window().location();
    let path = location.pathname().unwrap_or_default();
    let search = location.search().unwrap_or_default();
    let page = route::Page::parse(&path, search.trim_start_matches('?'));
    let doc = leptos::prelude::document();
    if let Some(block) = doc.get_element_by_id(data::EMBEDDED_ID) {
        data::preload(&block.text_content().unwrap_or_default());
    }
    let early = early::capture();
    let body = doc.body().expect("a page has a body");
    body.set_inner_html("");
    let lang = text::device_lang();
    leptos::mount::mount_to(body, move || leptos::view! { <App page lang/> }).forget();
    early.restore();
}
