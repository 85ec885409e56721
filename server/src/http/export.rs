//! `GET /api/v1/export` and its manifest: the HTTP face of [`crate::export`].

use super::caller::Caller;
use super::extract::{Json, Query};
use super::problem::{NotFound, Problem, StaffRefusals};
use super::AppState;
use crate::export::{self, ExportQuery, Manifest};
use app::model::figures::Selection;
use axum::extract::State;
use axum::http::header;
use axum::response::Response;

/// Responses as CSV (RFC 4180, UTF-8, CRLF) or JSON Lines, streamed in
/// sequence order, with the manifest in `Suara-*` headers.
#[utoipa::path(get, path = "/api/v1/export", tag = "export", params(ExportQuery, Selection),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, content_type = "text/csv", description = "CSV columns: seq, id, agency_code, unit_code, service_code, service_id, questionnaire_id, questionnaire_version, answered_at, answered_at_reported, received_at, channel, respondent_sex, respondent_age_band, respondent_education, respondent_occupation, respondent_disability, app_version, device_id, one per item code, comment, content_hash, chain_hash, flags (the integrity monitor's standing flags, comma separated; not covered by the hashes). JSON Lines (format=jsonl): one object per response with the same fields, scores and respondent as objects. Headers: Suara-Row-Count, Suara-First-Seq, Suara-Last-Seq, Suara-Chain-Before, Suara-Chain-After, Suara-Up-To-Seq, Suara-Complete, and Link to the manifest."),
              StaffRefusals, NotFound))]
pub async fn export(
    State(state): State<AppState>,
    Caller(account): Caller,
    Query(q): Query<ExportQuery>,
) -> Result<Response, Problem> {
    let q = q.given();
    // A Data Package carries the complaints with their history too.
    let complaints = if q.format.as_deref() == Some("datapackage") {
        crate::complaints::export::csv(&state.store, &account)
            .await
            .map_err(export::ExportError::from)?
    } else {
        Vec::new()
    };
    let export = export::start(&state.store, &account, &q, complaints).await?;
    let manifest = export.manifest;
    let (content_type, file) = export.format.file();
    let opt = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
    let mut response = super::delivery::download(content_type, file, export.body);
    let h = response.headers_mut();
    let link = format!(
        "<{}>; rel=\"describedby\"; type=\"application/json\"",
        q.manifest_link(manifest.up_to_seq)
    );
    if let Ok(v) = header::HeaderValue::from_str(&link) {
        h.insert(header::LINK, v);
    }
    for (name, value) in [
        ("suara-row-count", manifest.row_count.to_string()),
        ("suara-first-seq", opt(manifest.first_seq)),
        ("suara-last-seq", opt(manifest.last_seq)),
        ("suara-chain-before", manifest.chain_before.clone()),
        ("suara-chain-after", manifest.chain_after.clone()),
        ("suara-up-to-seq", manifest.up_to_seq.to_string()),
        ("suara-complete", manifest.complete.to_string()),
    ] {
        if let Ok(v) = header::HeaderValue::from_str(&value) {
            h.insert(header::HeaderName::from_static(name), v);
        }
    }
    Ok(response)
}

/// The CSV export, as the first version of the API named it.
#[utoipa::path(get, path = "/api/v1/export.csv", tag = "export", params(ExportQuery, Selection),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, content_type = "text/csv", description = "The same as /api/v1/export?format=csv"),
              StaffRefusals, NotFound))]
pub async fn export_csv(
    state: State<AppState>,
    caller: Caller,
    Query(mut q): Query<ExportQuery>,
) -> Result<Response, Problem> {
    q.format = Some("csv".into());
    export(state, caller, Query(q)).await
}

/// The manifest of an export: ask with the export's own query and its
/// `up_to_seq` (the export's `Link` header gives this address).
#[utoipa::path(get, path = "/api/v1/export/manifest", tag = "export", params(ExportQuery, Selection),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Manifest),
              StaffRefusals, NotFound))]
pub async fn manifest(
    State(state): State<AppState>,
    Caller(account): Caller,
    Query(q): Query<ExportQuery>,
) -> Result<Json<Manifest>, Problem> {
    let (_, _, manifest) = export::select(&state.store, &account, &q.given()).await?;
    Ok(Json(manifest))
}
