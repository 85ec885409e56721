//! `GET /ikhtisar.csv` and `/ikhtisar.xlsx`: the regency overview as a
//! spreadsheet (administrators and auditors).

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
    Router::new()
        .route("/ikhtisar.csv", get(csv))
        .route("/ikhtisar.xlsx", get(xlsx))
}

#[derive(Deserialize)]
struct Filter {
    agency: Option<String>,
}

async fn csv(s: State<AppState>, c: Caller, f: Query<Filter>) -> Response {
    download(s, c, f, "text/csv; charset=utf-8", "ikhtisar.csv").await
}

async fn xlsx(s: State<AppState>, c: Caller, f: Query<Filter>) -> Response {
    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    download(s, c, f, XLSX, "ikhtisar.xlsx").await
}

/// The overview of `f.agency` (or every agency) as file `name`.
async fn download(
    State(s): State<AppState>,
    Caller(account): Caller,
    Query(f): Query<Filter>,
    kind: &'static str,
    name: &'static str,
) -> Response {
    if !matches!(account.role, Role::Admin | Role::Auditor | Role::Leadership) {
        return Problem::forbidden(
            "the regency overview is for administrators, auditors and leadership",
        )
        .into_response();
    }
    let now = time::OffsetDateTime::now_utc();
    let agency = f.agency.filter(|a| !a.is_empty());
    let o = match crate::overview::regency(
        &s.store,
        &s.overviews,
        &account,
        agency.as_deref(),
        "band",
        now,
    )
    .await
    {
        Ok(o) => o,
        Err(e) => return Problem::failure(&e).into_response(),
    };
    let body = if name.ends_with(".xlsx") {
        match crate::overview::xlsx(&o) {
            Ok(b) => b,
            Err(e) => return Problem::failure(&e).into_response(),
        }
    } else {
        crate::overview::csv(&o)
    };
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}
