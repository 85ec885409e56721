//! The OpenAPI description of the public interface, at `/api/v1/openapi.json`.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Suara API", description = "Sync, catalogue and export interface of Suara. Versioned under /api/v1; see PRODUCT.md."),
    paths(super::api::healthz, super::api::catalog, super::api::post_responses, super::export::export, super::export::export_csv, super::export::manifest, super::audit::audit_log, super::summary::summary, super::events::events),
    components(schemas(
        super::problem::Problem,
        crate::export::Manifest,
        crate::export::ManifestFilters,
        app::domain::catalog::Catalog,
        app::domain::response::SyncBatch,
        app::domain::response::SyncResults,
        app::domain::response::SyncResult,
        app::domain::response::SyncStatus,
        app::domain::ResponseSubmission,
        crate::figures::SummaryAnswer,
        app::domain::scoring::Summary,
        app::domain::scoring::Breakdown,
    )),
    modifiers(&Security),
    tags((name = "sync", description = "What phones and kiosks call"),
         (name = "export", description = "What auditors and scripts call; needs an account"),
         (name = "dashboard", description = "What open dashboards listen to"),
         (name = "operations"))
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A token from `suara token create`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                app::session::SESSION_COOKIE,
            ))),
        );
    }
}

pub async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

/// The OpenAPI document as JSON (what `GET /api/v1/openapi.json` answers).
pub fn spec_json() -> String {
    serde_json::to_string(&ApiDoc::openapi()).expect("the OpenAPI document serialises")
}
