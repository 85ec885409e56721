//! The public's downloads of what units published: CSV of every unit and
//! of one unit's publications, a publication's aggregate as published, and
//! the whole as a Data Package; each with an ETag.

use crate::http::extract::Path;
use crate::http::problem::{NotFound, Problem};
use crate::http::AppState;
use crate::publications;
use app::model::publication::PublishedAggregate;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

fn csv(file: &str, body: Vec<u8>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/csv; charset=utf-8; header=present".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{file}\""),
            ),
            (header::ETAG, crate::http::delivery::etag_of(&body)),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// Every unit with its latest published grade, as CSV.
#[utoipa::path(get, path = "/api/v1/public/units.csv", tag = "publication",
    responses((status = 200, content_type = "text/csv", description = "Columns: agency_code, agency_name, unit_code, unit_name, period, index, grade")))]
pub async fn units_csv(State(state): State<AppState>) -> Result<Response, Problem> {
    let lines = publications::public_units(&state.store).await?;
    Ok(csv(
        "suara-units.csv",
        publications::open_data::units_csv(&lines),
    ))
}

/// A unit's publications with their figures, as CSV (the Data Package's
/// `publications` table, for this unit).
#[utoipa::path(get, path = "/api/v1/public/units/{code}/publications.csv", tag = "publication",
    params(("code" = String, Path, description = "The unit's code")),
    responses((status = 200, content_type = "text/csv", description = "The publications table of the Data Package, for this unit"), NotFound))]
pub async fn unit_csv(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, Problem> {
    let unit = publications::public_unit(&state.store, &code).await?;
    let [pubs, ..] = publications::open_data::tables(&[unit]);
    Ok(csv(&format!("suara-{code}-publications.csv"), pubs.csv()))
}

/// The anonymised aggregate a publication's figures were computed from
/// (counts and sums, never a response), byte for byte as frozen when it was
/// published: its SHA-256 is the publication's `aggregate.sha256`.
/// `suara verify-publication` recomputes the figures from it.
#[utoipa::path(get, path = "/api/v1/public/units/{code}/publications/{id}/aggregate.json", tag = "publication",
    params(("code" = String, Path, description = "The unit's code"),
           ("id" = Uuid, Path, description = "The publication's id")),
    responses((status = 200, body = PublishedAggregate), NotFound))]
pub async fn aggregate(
    State(state): State<AppState>,
    Path((code, id)): Path<(String, Uuid)>,
) -> Result<Response, Problem> {
    let body = publications::aggregate(&state.store, &code, id).await?;
    let etag = format!("\"{}\"", crate::store::sha256_hex(&body));
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::ETAG, etag),
            // Never changes once published.
            (
                header::CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_owned(),
            ),
        ],
        body,
    )
        .into_response())
}

/// Every unit's published aggregates as a Frictionless Data Package (zip):
/// publications, their elements' figures, follow-up plans and complaint
/// outcomes. Never a single response.
#[utoipa::path(get, path = "/api/v1/public/datapackage.zip", tag = "publication",
    responses((status = 200, content_type = "application/zip", description = "datapackage.json, publications.csv, publication_items.csv, follow_up.csv, complaint_outcomes.csv")))]
pub async fn datapackage(State(state): State<AppState>) -> Result<Response, Problem> {
    let zip = state.datapackage.get(&state.store).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"suara-published.zip\"".to_owned(),
            ),
            (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
            (header::ETAG, crate::http::delivery::etag_of(&zip)),
        ],
        zip,
    )
        .into_response())
}
