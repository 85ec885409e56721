//! Where the citizen pages get the catalogue.
//!
//! On the server: from the database, through the [`Backend`](crate::backend::ssr::Backend).
//! In the browser: from `GET /api/v1/catalog`, which the service worker answers
//! from its cache when there is no network, so that any citizen page can be
//! shown offline once the app was opened. The same functions serve both, so
//! the server's markup and the browser's rendering come from one component.

use crate::backend::ServiceForm;
use crate::domain::catalog::Catalog;

pub const CATALOG_URL: &str = "/api/v1/catalog";

/// The whole catalogue.
pub async fn catalog() -> Result<Catalog, String> {
    #[cfg(feature = "ssr")]
    {
        crate::backend::ssr::backend()
            .catalog()
            .await
            .map_err(|e| internal(&e))
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
        let form = crate::backend::ssr::backend()
            .service_form(&code)
            .await
            .map_err(|e| internal(&e))?;
        if form.is_none() {
            if let Some(resp) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                resp.set_status(http::StatusCode::NOT_FOUND);
            }
        }
        Ok(form)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let catalog = catalog().await?;
        Ok(ServiceForm::from_catalog(&catalog, &code))
    }
}

#[cfg(feature = "ssr")]
fn internal(e: &dyn std::fmt::Display) -> String {
    leptos::logging::error!("{e}");
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
        let resp = gloo_net::http::Request::get(CATALOG_URL)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !resp.ok() {
            return Err(format!("catalogue: HTTP {}", resp.status()));
        }
        resp.json::<Catalog>().await.map_err(|e| e.to_string())
    }
}
