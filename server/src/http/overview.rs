//! `GET /ikhtisar.csv`: the regency overview as a spreadsheet
//! (administrators and auditors).

use super::caller::Caller;
use super::extract::Query;
use super::problem::Problem;
use super::AppState;
use crate::auth::Role;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/ikhtisar.csv", get(csv))
}

#[derive(Deserialize)]
struct Filter {
    agency: Option<String>,
}

async fn csv(
    State(s): State<AppState>,
    Caller(account): Caller,
    Query(f): Query<Filter>,
) -> Response {
    if !matches!(account.role, Role::Admin | Role::Auditor) {
        return Problem::forbidden("the regency overview is for administrators and auditors")
            .into_response();
    }
    let now = time::OffsetDateTime::now_utc();
    let agency = f.agency.filter(|a| !a.is_empty());
    match crate::overview::regency(&s.store, &account, agency.as_deref(), "band", now).await {
        Ok(o) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"ikhtisar.csv\"",
                ),
            ],
            crate::overview::csv(&o),
        )
            .into_response(),
        Err(e) => Problem::failure(&e).into_response(),
    }
}
