//! The OpenAPI description of the public interface, at `/api/v1/openapi.json`.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// What the document says besides its paths (those come from the routes).

#[derive(OpenApi)]
#[openapi(
    info(title = "Suara API", description = "Sync, catalogue and export interface of Suara. Versioned under /api/v1; see PRODUCT.md."),
    components(schemas(
        super::problem::Problem,
        crate::export::Manifest,
        crate::export::ManifestFilters,
        app::model::figures::Selection,
        app::domain::catalogue::Catalog,
        app::domain::response::SyncBatch,
        app::domain::response::SyncResults,
        app::domain::response::SyncResult,
        app::domain::response::SyncStatus,
        app::domain::ResponseSubmission,
        app::domain::complaint::ComplaintSubmission,
        app::domain::complaint::ComplaintBatch,
        app::domain::complaint::ComplaintResults,
        app::domain::complaint::ComplaintResult,
        app::domain::complaint::Privacy,
        app::model::complaint::ComplaintView,
        app::model::complaint::Queue,
        app::model::complaint::AttachmentView,
        crate::complaints::CitizenMessage,
        crate::complaints::MoveRequest,
        crate::figures::SummaryAnswer,
        app::domain::scoring::Summary,
        app::domain::scoring::Breakdown,
    )),
    modifiers(&Security),
    tags((name = "sync", description = "What phones and kiosks call"),
         (name = "export", description = "What auditors and scripts call; needs an account"),
         (name = "dashboard", description = "What open dashboards listen to"),
         (name = "open311", description = "A read-only Open311 GeoReport v2 feed of published complaints"),
         (name = "complaints", description = "Complaints: citizens file and follow them by tracking code; units work them"),
         (name = "publication", description = "Published SKM periods and what anyone may see of a unit, without signing in"),
         (name = "integrity", description = "Flagged responses (the integrity monitor) and an auditor's clearing of them"),
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

/// The whole document: [`ApiDoc`] with the paths of [`super::api_routes`].
pub fn spec() -> &'static utoipa::openapi::OpenApi {
    static SPEC: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| super::api_routes().split_for_parts().1)
}

pub async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(spec().clone())
}

/// The OpenAPI document as JSON (what `GET /api/v1/openapi.json` answers).
pub fn spec_json() -> String {
    serde_json::to_string(spec()).expect("the OpenAPI document serialises")
}

#[cfg(test)]
mod tests {
    /// The book holds a copy of the document (`docs/src/reference/openapi.json`)
    /// that its contract chapters link into, field by field; a test fails
    /// when the copy is not what the server answers.
    #[test]
    fn the_books_copy_of_the_openapi_document_is_current() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../docs/src/reference/openapi.json"
        );
        let spec: serde_json::Value = serde_json::from_str(&super::spec_json()).unwrap();
        let now = serde_json::to_string_pretty(&spec).unwrap() + "\n";
        if std::env::var_os("SUARA_BLESS").is_some() {
            std::fs::write(path, &now).unwrap();
        }
        let book = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            book == now,
            "docs/src/reference/openapi.json is not what /api/v1/openapi.json answers: run \
             `SUARA_BLESS=1 cargo test -p server --lib openapi` and commit it"
        );
    }
}
