//! `GET /api/v1/audit`: the whole audit log (sign-ins, exports, catalogue
//! and account changes), oldest first, as CSV or JSON Lines, for auditors
//! and administrators. The work is [`crate::audit`]'s.

use super::caller::Caller;
use super::extract::Query;
use super::problem::{Problem, StaffRefusals};
use super::AppState;
use axum::extract::State;

use axum::response::Response;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// `csv` (the default) or `jsonl`.
    #[param(schema_with = log_formats)]
    pub format: Option<String>,
}

fn log_formats() -> utoipa::openapi::schema::Object {
    app::model::schema::one_of(&["csv", "jsonl"])
}

/// The audit log, oldest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "export", params(AuditQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, content_type = "text/csv", description = "Columns: at, actor, action, target, before, after (JSON text). format=jsonl: one object per entry with the same fields."),
              StaffRefusals))]
pub async fn audit_log(
    State(state): State<AppState>,
    Caller(account): Caller,
    Query(q): Query<AuditQuery>,
) -> Result<Response, Problem> {
    let (format, body) =
        crate::audit::download(&state.store, &account, q.format.as_deref()).await?;
    let (content_type, file) = format.file();
    Ok(super::delivery::download(content_type, file, body))
}
