//! Suara's Leptos app: built with `ssr` into the server and with `hydrate`
//! into the browser's wasm. `domain` is the pure core both share.

#![recursion_limit = "256"]

pub mod backend;
pub mod components;
pub mod data;
pub mod domain;
pub mod offline;
pub mod sync;
pub mod text;

mod layout;
mod pages;

pub use layout::{shell, App};

// The translations, compiled from `app/locales/*.json` by `build.rs`
// (leptos_i18n): the module `i18n`, with `Locale`, `use_i18n` and
// `I18nContextProvider`.
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

/// The version a response records as `app_version`.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}

/// Renders the app in the browser into an empty page: the service worker's
/// offline shell (`/shell`) calls this instead of `hydrate`.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
