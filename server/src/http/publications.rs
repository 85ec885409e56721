//! Publication and the public face of a unit: `POST /api/v1/publications`,
//! `GET /api/v1/public/units[/{code}]`, the badge `GET /publik/{code}/badge.svg`
//! and the publish form of the SKM report page ([`crate::publications`]).

use super::caller::Caller;
use super::problem::{NotFound, Problem, StaffRefusals};
use super::AppState;
use crate::publications::{self, PublicationError};
use app::model::publication::{PublicUnit, PublicUnitLine, Publication, PublishRequest};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use time::OffsetDateTime;

/// Publishes a unit's figures for a period: frozen, with the response
/// chain's sequence number and hash they were computed from. A unit head
/// publishes their units, an administrator any; publishing a period again
/// supersedes the earlier publication, which stays. Audited.
#[utoipa::path(post, path = "/api/v1/publications", tag = "publication",
    request_body = PublishRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Publication, description = "Published"),
              (status = 409, body = Problem, description = "Responses keep arriving for the unit; try again", content_type = "application/problem+json"),
              StaffRefusals, NotFound))]
pub async fn publish(
    State(state): State<AppState>,
    Caller(account): Caller,
    Json(req): Json<PublishRequest>,
) -> Result<(StatusCode, Json<Publication>), Problem> {
    let p = publications::publish(&state.store, &account, &req, OffsetDateTime::now_utc()).await?;
    tracing::info!(account = %account.email, unit = %req.unit, period = %req.period, "published");
    Ok((StatusCode::CREATED, Json(p)))
}

/// Every unit with its latest published grade (no sign-in).
#[utoipa::path(get, path = "/api/v1/public/units", tag = "publication",
    responses((status = 200, body = Vec<PublicUnitLine>)))]
pub async fn units(State(state): State<AppState>) -> Result<Json<Vec<PublicUnitLine>>, Problem> {
    Ok(Json(publications::public_units(&state.store).await?))
}

/// A unit's public page as data (no sign-in): its publications (newest
/// first, superseded ones kept and marked), how it handles complaints, and
/// resolved `publik`/`anonim` complaints, redacted. Never a single response.
#[utoipa::path(get, path = "/api/v1/public/units/{code}", tag = "publication",
    params(("code" = String, Path, description = "The unit's code")),
    responses((status = 200, body = PublicUnit), NotFound))]
pub async fn unit(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<PublicUnit>, Problem> {
    Ok(Json(publications::public_unit(&state.store, &code).await?))
}

#[derive(Deserialize)]
struct BadgeQuery {
    lang: Option<String>,
}

/// `GET /publik/{code}/badge.svg`: the unit's latest published grade and
/// index with its period, for the unit's own website (`?lang=en`).
async fn badge(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<BadgeQuery>,
) -> Result<Response, Problem> {
    let lines = publications::public_units(&state.store).await?;
    let line = lines
        .iter()
        .find(|l| l.unit.code == code)
        .ok_or_else(|| Problem::from(PublicationError::UnknownUnit(code.clone())))?;
    let en = q.lang.as_deref() == Some("en");
    let svg = app::model::publication::badge_svg(line, en);
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        svg,
    )
        .into_response())
}

#[derive(Deserialize)]
struct PublishForm {
    unit: String,
    period: String,
}

/// `POST /reports/skm/publish`: the report page's "publish" button; on to
/// the unit's public page, or back to the report saying why not.
async fn publish_form(
    State(state): State<AppState>,
    Caller(account): Caller,
    Form(f): Form<PublishForm>,
) -> Response {
    let req = PublishRequest {
        unit: f.unit.clone(),
        period: f.period.clone(),
    };
    match publications::publish(&state.store, &account, &req, OffsetDateTime::now_utc()).await {
        Ok(p) => {
            Redirect::to(&format!("/publik/{}?published={}", p.unit.code, p.id)).into_response()
        }
        Err(e) => {
            use crate::refusal::Refuse;
            if e.refusal().is_none() {
                return Problem::from(e).into_response();
            }
            let slug = e.slug();
            let query = serde_urlencoded::to_string([
                ("unit", f.unit.as_str()),
                ("period", f.period.as_str()),
                ("error", &slug),
            ])
            .unwrap_or_default();
            Redirect::to(&format!("/reports/skm?{query}")).into_response()
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/publik/{code}/badge.svg", get(badge))
        .route("/reports/skm/publish", post(publish_form))
}
