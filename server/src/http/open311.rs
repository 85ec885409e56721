//! `/open311/v2/…`: the read-only GeoReport v2 feed ([`crate::open311`]).

use super::extract::{Json, Path, Query};
use super::problem::{NotFound, Problem};
use super::AppState;
use crate::open311::{self, Open311Request, Open311Service, RequestsQuery};
use axum::extract::State;
use axum::http::StatusCode;

/// Every service, as GeoReport v2 lists them.
#[utoipa::path(get, path = "/open311/v2/services.json", tag = "open311",
    responses((status = 200, body = Vec<Open311Service>)))]
pub async fn services(State(state): State<AppState>) -> Result<Json<Vec<Open311Service>>, Problem> {
    Ok(Json(open311::services(&state.store).await?))
}

/// Published complaints (`publik` and `anonim`, redacted), newest first.
#[utoipa::path(get, path = "/open311/v2/requests.json", tag = "open311",
    params(RequestsQuery),
    responses((status = 200, body = Vec<Open311Request>),
              (status = 400, body = Problem, description = "A filter that is not understood", content_type = "application/problem+json")))]
pub async fn requests(
    State(state): State<AppState>,
    Query(q): Query<RequestsQuery>,
) -> Result<Json<Vec<Open311Request>>, Problem> {
    Ok(Json(open311::requests(&state.store, &q).await?))
}

/// One published complaint by its id (`{id}.json`), as a one-element list.
#[utoipa::path(get, path = "/open311/v2/requests/{id}", tag = "open311",
    params(("id" = String, Path, description = "The complaint's id, with `.json`")),
    responses((status = 200, body = Vec<Open311Request>), NotFound))]
pub async fn request(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<Open311Request>>, Problem> {
    match open311::request_by_id(&state.store, &id).await? {
        Some(r) => Ok(Json(vec![r])),
        None => Err(Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "no published request has this id",
        )),
    }
}
