//! `POST /reports/skm/rincian`: the report page's form for what a unit adds
//! to its SKM report for a period (`report::save_details`): the forum's
//! day, the signatory, how the sample was reached.

use super::caller::Caller;
use super::extract::Form;
use super::problem::Problem;
use super::AppState;
use crate::refusal::Refuse;
use app::domain::report::ReportDetails;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use serde::Deserialize;

#[derive(Deserialize)]
struct DetailsForm {
    unit: String,
    period: String,
    #[serde(default)]
    fkp_date: Option<String>,
    #[serde(default)]
    signatory_name: String,
    #[serde(default)]
    signatory_position: String,
    #[serde(default)]
    signatory_nip: String,
    #[serde(default)]
    sampling: String,
}

/// Keeps the details and goes back to the report, saying how it went.
async fn details_form(
    State(state): State<AppState>,
    Caller(account): Caller,
    Form(f): Form<DetailsForm>,
) -> Response {
    let details = ReportDetails {
        fkp_date: f.fkp_date,
        signatory_name: f.signatory_name,
        signatory_position: f.signatory_position,
        signatory_nip: f.signatory_nip,
        sampling: f.sampling,
    };
    let now = time::OffsetDateTime::now_utc();
    let outcome =
        match crate::report::save_details(&state.store, &account, &f.unit, &f.period, details, now)
            .await
        {
            Ok(()) => "saved".into(),
            Err(e) if e.refusal().is_some() => e.slug(),
            Err(e) => return Problem::from(e).into_response(),
        };
    let query = serde_urlencoded::to_string([
        ("unit", f.unit.as_str()),
        ("period", f.period.as_str()),
        ("rincian", &outcome),
    ])
    .unwrap_or_default();
    Redirect::to(&format!("/reports/skm?{query}#rincian")).into_response()
}

/// The largest form read: the sampling text of 2,000 characters (up to 4
/// bytes each, 3 characters a byte percent-encoded), with the rest.
const DETAILS_BYTES: usize = 32 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/reports/skm/rincian",
        post(details_form).layer(axum::extract::DefaultBodyLimit::max(DETAILS_BYTES)),
    )
}
