//! HTTP: the API routes, the server-rendered app and static files, in one router.

pub mod admin;
pub mod api;
pub mod audit;
pub mod caller;
pub mod csrf;
pub mod events;
pub mod export;
pub mod openapi;
pub mod pages;
pub mod problem;
pub mod pwa;
pub mod summary;

use crate::backend::StoreBackend;
use crate::store::Store;
use app::backend::ssr::SharedBackend;
use axum::extract::FromRef;
use axum::routing::{any, get, post};
use axum::Router;
use leptos::prelude::*;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub leptos_options: LeptosOptions,
    pub backend: SharedBackend,
    pub pwa: Arc<pwa::PwaAssets>,
    /// Syncs announce accepted responses here; dashboards listen (`events`).
    pub events: tokio::sync::broadcast::Sender<events::Arrived>,
}

impl FromRef<AppState> for Arc<pwa::PwaAssets> {
    fn from_ref(s: &AppState) -> Self {
        s.pwa.clone()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

impl AppState {
    /// `public_url` is where citizens open Suara (links, QR codes), without a
    /// trailing slash; HTTPS there makes cookies `Secure`.
    pub fn new(store: Store, leptos_options: LeptosOptions, public_url: String) -> Self {
        let pwa = pwa::PwaAssets::load(&leptos_options.site_root, &leptos_options.output_name);
        let backend: SharedBackend = Arc::new(StoreBackend::new(store.clone(), public_url));
        Self {
            store,
            leptos_options,
            backend,
            pwa,
            events: events::channel(),
        }
    }
}

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/healthz", get(api::healthz))
        .route("/api/v1/catalog", get(api::catalog))
        .route("/api/v1/responses", post(api::post_responses))
        .route("/api/v1/export", get(export::export))
        .route("/api/v1/export.csv", get(export::export_csv))
        .route("/api/v1/export/manifest", get(export::manifest))
        .route("/api/v1/audit", get(audit::audit_log))
        .route("/api/v1/summary", get(summary::summary))
        .route("/api/v1/events", get(events::events))
        .route("/api/v1/openapi.json", get(openapi::openapi_json))
        .route("/api/v1/{*rest}", any(api_not_found))
        .route("/sw.js", get(pwa::service_worker))
        .route("/shell", get(pwa::shell));
    api.merge(pages::routes())
        .merge(admin::routes())
        // Static files; anything else is the 404 page.
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(pages::context(&state), app::shell))
        .layer(axum::middleware::from_fn(csrf::guard))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

async fn api_not_found() -> problem::Problem {
    problem::Problem::new(
        axum::http::StatusCode::NOT_FOUND,
        "not-found",
        "no such API route",
    )
}
