//! The integrity monitor's review over HTTP: `GET /api/v1/flags` (the
//! flagged responses a staff account may see) and
//! `POST /api/v1/flags/{id}/clear` (an auditor clears a response's flags,
//! with a reason; audited). See [`crate::integrity`].

use super::caller::Caller;
use super::problem::{NotFound, Problem, StaffRefusals};
use super::AppState;
use crate::store::integrity::FlaggedResponse;
use app::domain::integrity::FlagReason;
use app::domain::query::DayRange;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct FlagsQuery {
    /// A unit's code (default: every unit the account may see).
    pub unit: Option<String>,
    /// First day answered, `YYYY-MM-DD` (UTC).
    pub from: Option<String>,
    /// Last day answered, inclusive.
    pub to: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FlaggedList {
    /// In chain order; at most 1,000.
    pub flagged: Vec<FlaggedResponse>,
}

/// Responses whose flags stand, with their reasons: for unit heads (their
/// units) and auditors and administrators (any).
#[utoipa::path(get, path = "/api/v1/flags", tag = "integrity", params(FlagsQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = FlaggedList), StaffRefusals, NotFound))]
pub async fn flags(
    State(state): State<AppState>,
    Caller(account): Caller,
    Query(q): Query<FlagsQuery>,
) -> Result<Json<FlaggedList>, Problem> {
    let days = DayRange::parse(q.from.as_deref(), q.to.as_deref())
        .map_err(crate::integrity::IntegrityError::from)?;
    let flagged = crate::integrity::list(&state.store, &account, q.unit.as_deref(), &days).await?;
    Ok(Json(FlaggedList { flagged }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ClearRequest {
    /// Why the response is genuine (kept in the audit log).
    pub reason: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClearAnswer {
    pub id: String,
    /// The flags cleared; the response now counts in every figure.
    pub cleared: Vec<FlagReason>,
}

/// Clears a response's flags: an auditor only, with a reason, in the audit
/// log. The flags are kept, marked cleared.
#[utoipa::path(post, path = "/api/v1/flags/{id}/clear", tag = "integrity",
    params(("id" = String, Path, description = "The response's id")),
    request_body = ClearRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ClearAnswer),
              (status = 409, body = Problem, description = "No flag of this response stands", content_type = "application/problem+json"),
              StaffRefusals, NotFound))]
pub async fn clear(
    State(state): State<AppState>,
    Caller(account): Caller,
    Path(id): Path<String>,
    Json(req): Json<ClearRequest>,
) -> Result<Json<ClearAnswer>, Problem> {
    let response = id
        .parse()
        .map_err(|_| Problem::bad_request("bad-id", "the id must be a UUID"))?;
    let cleared = crate::integrity::clear(&state.store, &account, response, &req.reason).await?;
    tracing::info!(account = %account.email, %id, "flags cleared");
    Ok(Json(ClearAnswer { id, cleared }))
}
