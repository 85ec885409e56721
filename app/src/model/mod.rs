//! Read models: what pages show, as the server assembles it. Leaves: they
//! import the domain and each other, never pages, the backend or the
//! server. Only the rating form and the poster reach the browser's wasm.

#[cfg(feature = "ssr")]
pub mod account_link;
#[cfg(feature = "ssr")]
pub mod admin_page;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod catalogue_import;
#[cfg(feature = "ssr")]
pub mod complaint;
#[cfg(feature = "ssr")]
pub mod export_page;
#[cfg(feature = "ssr")]
pub mod figures;
pub mod form;
#[cfg(feature = "ssr")]
pub mod integrity;
#[cfg(feature = "ssr")]
pub mod outcome;
#[cfg(feature = "ssr")]
pub mod publication;
#[cfg(feature = "ssr")]
pub mod report;
#[cfg(feature = "ssr")]
pub mod schema;
#[cfg(feature = "ssr")]
pub mod tallies;
