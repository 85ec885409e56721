//! The integrity monitor's review over HTTP: `GET /api/v1/flags` (the
//! flagged responses a staff account may see) and
//! `POST /api/v1/flags/{id}/clear` (an auditor clears a response's flags,
//! with a reason; audited). See [`crate::integrity`].

use super::caller::Caller;
use super::extract::{Json, JsonRefusals, Path, Query};
use super::problem::{NotFound, Problem, StaffRefusals};
use super::AppState;
use crate::refusal::Refuse;
use crate::store::integrity::FlaggedResponse;
use app::domain::integrity::FlagReason;
use app::domain::query::DayRange;
use axum::extract::State;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct FlagsQuery {
    /// A unit's code (default: every unit the account may see).
    pub unit: Option<String>,
    /// First day answered, `YYYY-MM-DD` (UTC).
    #[param(schema_with = app::model::schema::day)]
    pub from: Option<String>,
    /// Last day answered, inclusive.
    #[param(schema_with = app::model::schema::day)]
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
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().filter(|v| !v.trim().is_empty())
    }
    let days = DayRange::parse(given(&q.from), given(&q.to))
        .map_err(crate::integrity::IntegrityError::from)?;
    let all = state.store.all_services().await?;
    let flagged =
        crate::integrity::list(&state.store, &account, &all, given(&q.unit), &days).await?;
    Ok(Json(FlaggedList { flagged }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ClearRequest {
    /// Why the response is genuine (kept in the audit log).
    pub reason: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClearAnswer {
    pub id: uuid::Uuid,
    /// The flags cleared; the response now counts in every figure.
    pub cleared: Vec<FlagReason>,
}

/// Clears a response's flags: an auditor only, with a reason, in the audit
/// log. The flags are kept, marked cleared.
#[utoipa::path(post, path = "/api/v1/flags/{id}/clear", tag = "integrity",
    params(("id" = uuid::Uuid, Path, description = "The response's id")),
    request_body = ClearRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ClearAnswer),
              (status = 409, body = Problem, description = "No flag of this response stands", content_type = "application/problem+json"),
              JsonRefusals, StaffRefusals, NotFound))]
pub async fn clear(
    State(state): State<AppState>,
    Caller(account): Caller,
    Path(id): Path<uuid::Uuid>,
    Json(req): Json<ClearRequest>,
) -> Result<Json<ClearAnswer>, Problem> {
    let cleared = crate::integrity::clear(&state.store, &account, id, &req.reason).await?;
    tracing::info!(account = %account.email, %id, "flags cleared");
    Ok(Json(ClearAnswer { id, cleared }))
}

/// What `/integritas`' clearing form sends: the reason, and where the page was.
#[derive(Debug, Deserialize)]
struct ClearForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// `/integritas`' form: clears, then back to the page where it was, with
/// `done` or the refusal's slug.
async fn clear_form(
    State(state): State<AppState>,
    Caller(account): Caller,
    Path(id): Path<String>,
    super::extract::Form(f): super::extract::Form<ClearForm>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let outcome = match id.parse::<uuid::Uuid>() {
        Ok(id) => crate::integrity::clear(&state.store, &account, id, &f.reason)
            .await
            .map(|_| ()),
        Err(_) => Err(crate::integrity::IntegrityError::UnknownResponse(
            uuid::Uuid::nil(),
        )),
    };
    let result = match outcome {
        Ok(()) => {
            tracing::info!(account = %account.email, %id, "flags cleared");
            ("done", "1".to_owned())
        }
        Err(e) if e.refusal().is_some() => ("error", e.slug().into_owned()),
        Err(e) => return Problem::from(e).into_response(),
    };
    let pairs: Vec<(&str, &str)> = [("unit", &f.unit), ("from", &f.from), ("to", &f.to)]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.as_str()))
        .chain([(result.0, result.1.as_str())])
        .collect();
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    axum::response::Redirect::to(&format!("/integritas?{query}")).into_response()
}

pub fn form_routes() -> axum::Router<AppState> {
    axum::Router::new().route("/integritas/{id}/clear", axum::routing::post(clear_form))
}
