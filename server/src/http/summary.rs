//! `GET /api/v1/summary`: the figures of a service, unit or agency over a
//! period, optionally as a series (`by`) and broken down by a respondent
//! attribute (`group`). The work is [`crate::figures`]'.

use super::caller::Caller;
use super::extract::{Json, Query};
use super::problem::{NotFound, Problem, StaffRefusals};
use super::AppState;
use crate::figures::{
    figures, select_scope, FigureQuery, FiguresError, SummaryAnswer, SummaryQuery,
};
use app::model::figures::Selection;
use axum::extract::State;

/// Figures of a service, unit or agency: index with its interval and grade,
/// per-item NRR, spread, distribution and share satisfied with intervals.
#[utoipa::path(get, path = "/api/v1/summary", tag = "export", params(SummaryQuery, Selection),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = SummaryAnswer),
              StaffRefusals, NotFound))]
pub async fn summary(
    State(state): State<AppState>,
    Caller(account): Caller,
    Query(q): Query<SummaryQuery>,
) -> Result<Json<SummaryAnswer>, Problem> {
    let query = FigureQuery::try_from(&q).map_err(FiguresError::from)?;
    let all = state.store.all_services().await?;
    let (scope, services) = select_scope(all, &query.scope, account.unit_scope())?;
    tracing::info!(account = %account.email, scope = scope.kind, code = ?scope.code, "summary");
    Ok(Json(figures(&state.store, scope, services, &query).await?))
}
