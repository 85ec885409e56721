//! Where the citizen pages get the catalogue.
//!
//! On the server: from the database, through the [`Backend`](crate::backend::Backend).
//! In the browser: from `GET /api/v1/catalog`, which the service worker answers
//! from its cache when there is no network, so that any citizen page can be
//! shown offline once the app was opened. The same functions serve both, so
//! the server's markup and the browser's rendering come from one component.

use crate::domain::catalogue::Catalog;
use crate::model::form::ServiceForm;

pub const CATALOG_URL: &str = "/api/v1/catalog";

/// The id of the JSON block in which a server-rendered rating page carries
/// its service's form, so that the browser app shows it without waiting on
/// the catalogue.
pub const EMBEDDED_ID: &str = "suara-data";

/// `form` as the content of a `<script type="application/json">` block:
/// JSON with every `<` escaped, so that no text in it can end the block.
pub fn embedded_json(form: &ServiceForm) -> String {
    serde_json::to_string(form)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

#[cfg(feature = "csr")]
thread_local! {
    /// The form the page arrived with (see [`EMBEDDED_ID`]).
    static PRELOADED: std::cell::RefCell<Option<ServiceForm>> =
        const { std::cell::RefCell::new(None) };
}

/// Keeps the form a server-rendered page carried (its JSON block's text).
#[cfg(feature = "csr")]
pub fn preload(json: &str) {
    if let Ok(form) = crate::net::parse::<ServiceForm>(json) {
        PRELOADED.with_borrow_mut(|p| *p = Some(form));
    }
}

/// The whole catalogue.
pub async fn catalog() -> Result<Catalog, String> {
    #[cfg(feature = "ssr")]
    {
        crate::backend::backend().catalog().await.map_err(internal)
    }
    #[cfg(all(feature = "csr", not(feature = "ssr")))]
    {
        send_wrapper::SendWrapper::new(browser::catalog()).await
    }
    #[cfg(not(any(feature = "ssr", feature = "csr")))]
    {
        Err("no catalogue outside a server or a browser".into())
    }
}

/// The rating form of service `code`; `None` (and a 404 on the server) when
/// there is no such service.
pub async fn service_form(code: String) -> Result<Option<ServiceForm>, String> {
    #[cfg(feature = "ssr")]
    {
        let form = crate::backend::backend()
            .service_form(&code)
            .await
            .map_err(internal)?;
        if form.is_none() {
            if let Some(resp) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                resp.set_status(http::StatusCode::NOT_FOUND);
            }
        }
        Ok(form)
    }
    #[cfg(not(feature = "ssr"))]
    {
        // The page's own data first: ready at once, with no request.
        #[cfg(feature = "csr")]
        if let Some(form) = PRELOADED
            .with_borrow(|p| p.clone())
            .filter(|f| f.service.code == code)
        {
            return Ok(Some(form));
        }
        let catalog = catalog().await?;
        Ok(ServiceForm::from_catalog(&catalog, &code))
    }
}

#[cfg(feature = "ssr")]
fn internal(e: crate::backend::BackendError) -> String {
    e.log();
    "internal error".into()
}

#[cfg(all(feature = "csr", not(feature = "ssr")))]
mod browser {
    use super::*;
    use std::cell::RefCell;

    thread_local! {
        /// The last catalogue this page read: used when even the service
        /// worker cannot answer (no worker on plain-HTTP origins).
        static LAST: RefCell<Option<Catalog>> = const { RefCell::new(None) };
    }

    pub async fn catalog() -> Result<Catalog, String> {
        match fetch().await {
            Ok(c) => {
                LAST.with_borrow_mut(|l| *l = Some(c.clone()));
                Ok(c)
            }
            Err(e) => LAST.with_borrow(|l| l.clone()).ok_or(e),
        }
    }

    async fn fetch() -> Result<Catalog, String> {
        let answer = crate::net::fetch_json("GET", CATALOG_URL, None).await?;
        if !answer.ok() {
            return Err(format!("catalogue: HTTP {}", answer.status));
        }
        crate::net::from_js(answer.body)
    }
}
