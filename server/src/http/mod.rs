//! HTTP: the API routes, the server-rendered app and static files, in one router.

mod account_links;
pub mod admin;
pub mod api;
pub mod audit;
pub mod bounds;
pub mod caller;
mod catalogue;
pub mod complaints;
pub mod csrf;
pub mod delivery;
pub mod events;
pub mod export;
pub mod extract;
pub mod integrity;
pub mod limits;
pub mod metrics;
mod notifications;
pub mod open311;
pub mod openapi;
mod overview;
pub mod pages;
pub mod problem;
pub mod publications;
pub mod pwa;
mod report;
pub mod request_log;
pub mod security;
pub mod summary;

use crate::page_data::StoreBackend;
use crate::store::Store;
use app::backend::SharedBackend;
use axum::extract::FromRef;
use axum::routing::{any, get};
use axum::Router;
use leptos::prelude::*;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub leptos_options: LeptosOptions,
    pub backend: SharedBackend,
    pub pwa: Arc<pwa::PwaAssets>,
    /// Syncs announce accepted responses here; dashboards listen (`events`).
    pub events: crate::store::live::Bus,
    /// Syncs are committed together (`store::group_commit`).
    pub ingest: crate::store::group_commit::IngestQueue,
    /// Whether citizens reach Suara over HTTPS.
    pub transport: security::Transport,
    /// The budgets of anonymous clients (`limits`).
    pub limits: Arc<limits::Limits>,
    /// The open Data Package, built once for many requests.
    pub datapackage: Arc<crate::publications::open_data::DataPackageCache>,
    /// Every unit's overview row, computed once for many requests.
    pub overviews: Arc<crate::overview::Overviews>,
    /// Whether notifications go out by e-mail (`Config::mail`).
    pub mail: bool,
    /// The public live feeds open now (`events::public_events`).
    pub public_feeds: Arc<events::PublicFeeds>,
    /// What `/metrics` asks for (`Config::metrics_token`); `None`: off.
    pub metrics_token: Option<Arc<str>>,
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
    /// The state of a server configured by `config`, listening on `bound`.
    pub fn new(store: Store, config: &crate::Config, bound: std::net::SocketAddr) -> Self {
        let leptos_options = crate::leptos_options(&config.site_root, bound);
        let public_url = config.public_url_at(bound);
        let mail = config.mail.is_some();
        // Recorded from the first request on, whether or not anyone scrapes.
        metrics::handle();
        let pwa = pwa::PwaAssets::load(&leptos_options.site_root, &leptos_options.output_name);
        let transport = security::Transport {
            https: public_url.starts_with("https://"),
        };
        let overviews = Arc::new(crate::overview::Overviews::default());
        let backend: SharedBackend = Arc::new(StoreBackend::new(
            store.clone(),
            overviews.clone(),
            public_url,
            mail,
        ));
        let events = crate::store::live::Bus::new(&store);
        let ingest = crate::store::group_commit::IngestQueue::new(store.clone());
        Self {
            store,
            leptos_options,
            backend,
            pwa,
            events,
            ingest,
            transport,
            limits: Arc::new(limits::Limits::new(&config.limits)),
            datapackage: Arc::default(),
            overviews,
            public_feeds: Arc::default(),
            mail,
            metrics_token: config.metrics_token.as_deref().map(Arc::from),
        }
    }

    /// Whether notifications (and account links) go out by e-mail.
    pub fn mail_on(&self) -> bool {
        self.mail
    }
}

/// Every route of the API, declared once: the router and its OpenAPI
/// document (`openapi::spec`) both come from this list.
pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(api::healthz))
        .routes(routes!(api::catalog))
        .routes(routes!(api::post_responses))
        .routes(routes!(export::export))
        .routes(routes!(export::export_csv))
        .routes(routes!(export::manifest))
        .routes(routes!(audit::audit_log))
        .routes(routes!(summary::summary))
        .routes(routes!(integrity::flags))
        .routes(routes!(integrity::clear))
        .routes(routes!(events::events))
        .routes(routes!(complaints::post_complaints, complaints::get_queue))
        .routes(routes!(complaints::get_complaint))
        .routes(routes!(complaints::post_message))
        .routes(routes!(complaints::post_transition))
        .routes(routes!(complaints::post_privacy))
        .routes(routes!(
            complaints::put_attachment,
            complaints::get_attachment
        ))
        .routes(routes!(complaints::export))
        .routes(routes!(open311::services))
        .routes(routes!(open311::requests))
        .routes(routes!(open311::request))
        .routes(routes!(publications::publish))
        .routes(routes!(publications::add_action))
        .routes(routes!(publications::set_status))
        .routes(routes!(publications::add_evidence))
        .merge(
            // Public data: readable from any site's scripts (GET only).
            OpenApiRouter::new()
                .routes(routes!(publications::units))
                .routes(routes!(publications::unit))
                .routes(routes!(publications::evidence))
                .routes(routes!(publications::open_data::units_csv))
                .routes(routes!(publications::open_data::unit_csv))
                .routes(routes!(publications::open_data::aggregate))
                .routes(routes!(publications::open_data::datapackage))
                .routes(routes!(publications::complaint_evidence))
                .routes(routes!(events::public_events))
                .layer(
                    tower_http::cors::CorsLayer::new()
                        .allow_origin(tower_http::cors::Any)
                        .allow_methods([axum::http::Method::GET]),
                ),
        )
}

pub fn router(state: AppState) -> Router {
    let (api, _) = api_routes().split_for_parts();
    api.route("/api/v1/openapi.json", get(openapi::openapi_json))
        .route("/api/v1/{*rest}", any(api_not_found))
        .route("/sw.js", get(pwa::service_worker))
        .route("/shell", get(pwa::shell))
        .route("/metrics", get(metrics::metrics))
        .merge(pages::routes())
        .merge(admin::routes())
        .merge(notifications::routes())
        .merge(overview::routes())
        .merge(catalogue::routes())
        .merge(account_links::routes())
        .merge(complaints::form_routes())
        .merge(integrity::form_routes())
        .merge(publications::routes())
        .merge(report::routes())
        // Static files; anything else is the 404 page.
        .fallback(static_or_not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.store.clone(),
            count_writes,
        ))
        .layer(axum::middleware::from_fn(csrf::guard))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(bounds::Bounds::default()),
            bounds::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.limits.clone(),
            limits::guard,
        ))
        .layer(axum::middleware::from_fn(delivery::revalidation))
        .layer(delivery::compression())
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(axum::middleware::from_fn_with_state(
            state.transport,
            security::headers,
        ))
        .layer(request_log::trace_layer())
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(
            tower_http::request_id::MakeRequestUuid,
        ))
        .layer(axum::middleware::map_request(
            request_log::keep_only_plain_ids,
        ))
        .with_state(state)
}

/// Tells the store, once a request that may change things is answered,
/// that it may have: what is computed from everything and kept a few
/// seconds (the regency overview) is then computed again — but for
/// ratings, which it shows within those seconds.
async fn count_writes(
    axum::extract::State(store): axum::extract::State<Store>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    // Ratings arrive all the time (thousands a second in a regency): what
    // is kept a few seconds shows them within that rather than being
    // computed anew for each sync. Complaints count at once (their own
    // writes say so), as does every other change.
    let counts = !req.method().is_safe() && req.uri().path() != "/api/v1/responses";
    let response = next.run(req).await;
    if counts {
        store.wrote();
    }
    response
}

/// A file of the built site, or the 404 page.
async fn static_or_not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
) -> axum::response::Response {
    let (parts, body) = req.into_parts();
    let again = axum::extract::Request::from_parts(parts.clone(), axum::body::Body::empty());
    let req = axum::extract::Request::from_parts(parts, body);
    match delivery::static_file(&state.leptos_options.site_root, req).await {
        Some(file) => file,
        None => pages::page(axum::extract::State(state), again).await,
    }
}

async fn api_not_found() -> problem::Problem {
    problem::Problem::new(
        axum::http::StatusCode::NOT_FOUND,
        "not-found",
        "no such API route",
    )
}
