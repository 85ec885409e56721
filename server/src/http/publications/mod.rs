//! Publication and the public face of a unit: `POST /api/v1/publications`,
//! `GET /api/v1/public/units[/{code}]`, the badge `GET /publik/{code}/badge.svg`
//! and the publish form of the SKM report page ([`crate::publications`]).

use super::caller::Caller;
use super::events::{announce_public, PublicChange};
use super::extract::{Json, JsonRefusals, Path, Query};
use super::problem::{NotFound, Problem, StaffRefusals};
use super::AppState;
use crate::http::extract::Form;
use crate::publications::{self, PublicationError};
use app::model::publication::{
    ActionStatus, FollowUpAction, NewAction, PublicUnit, PublicUnitLine, Publication,
    PublishRequest,
};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

pub mod open_data;

/// Publishes a unit's figures for a period: frozen, with the response
/// chain's sequence number and hash they were computed from. A unit head
/// publishes their units, an administrator any; publishing a period again
/// supersedes the earlier publication, which stays. Audited.
#[utoipa::path(post, path = "/api/v1/publications", tag = "publication",
    request_body = PublishRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Publication, description = "Published"),
              (status = 409, body = Problem, description = "Responses keep arriving for the unit; try again", content_type = "application/problem+json"),
              JsonRefusals, StaffRefusals, NotFound))]
pub async fn publish(
    State(state): State<AppState>,
    Caller(account): Caller,
    Json(req): Json<PublishRequest>,
) -> Result<(StatusCode, Json<Publication>), Problem> {
    let p = publications::publish(&state.store, &account, &req, OffsetDateTime::now_utc()).await?;
    announce_public(&state, PublicChange::Unit(p.unit.code.clone()));
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

/// Adds an action to a published period's follow-up plan (its unit's head
/// or an administrator; audited).
#[utoipa::path(post, path = "/api/v1/publications/{id}/follow-up", tag = "publication",
    params(("id" = Uuid, Path, description = "The publication's id")),
    request_body = NewAction,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = FollowUpAction), JsonRefusals, StaffRefusals, NotFound))]
pub async fn add_action(
    State(state): State<AppState>,
    Caller(account): Caller,
    Path(id): Path<Uuid>,
    Json(new): Json<NewAction>,
) -> Result<(StatusCode, Json<FollowUpAction>), Problem> {
    let a = publications::add_action(&state.store, &account, id, &new, OffsetDateTime::now_utc())
        .await?;
    announce_public(&state, PublicChange::Publication(id));
    Ok((StatusCode::CREATED, Json(a)))
}

/// Sets where a follow-up action stands: planned, in progress, done, or
/// dropped with a reason (audited with before and after).
#[utoipa::path(post, path = "/api/v1/follow-up/{id}", tag = "publication",
    params(("id" = Uuid, Path, description = "The action's id")),
    request_body = ActionStatus,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = FollowUpAction), JsonRefusals, StaffRefusals, NotFound))]
pub async fn set_status(
    State(state): State<AppState>,
    Caller(account): Caller,
    Path(id): Path<Uuid>,
    Json(change): Json<ActionStatus>,
) -> Result<Json<FollowUpAction>, Problem> {
    let now = OffsetDateTime::now_utc();
    let a = publications::set_status(&state.store, &account, id, &change, now).await?;
    announce_public(&state, PublicChange::Action(id));
    Ok(Json(a))
}

/// Attaches evidence to an action: a JPEG, PNG or WebP photo (its metadata
/// removed) or a PDF, at most 5 MB.
#[utoipa::path(post, path = "/api/v1/follow-up/{id}/evidence", tag = "publication",
    params(("id" = Uuid, Path, description = "The action's id")),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = FollowUpAction), StaffRefusals, NotFound))]
pub async fn add_evidence(
    State(state): State<AppState>,
    Caller(account): Caller,
    Path(id): Path<Uuid>,
    body: Body,
) -> Result<(StatusCode, Json<FollowUpAction>), Problem> {
    let data = super::api::read_limited(body, publications::MAX_EVIDENCE_BYTES)
        .await
        .ok_or_else(|| Problem::from(PublicationError::BadFile))?;
    let a = publications::add_evidence(&state.store, &account, id, data, OffsetDateTime::now_utc())
        .await?;
    announce_public(&state, PublicChange::Action(id));
    Ok((StatusCode::CREATED, Json(a)))
}

/// A piece of evidence of a follow-up action (public).
#[utoipa::path(get, path = "/api/v1/follow-up/{id}/evidence/{file}", tag = "publication",
    params(("id" = Uuid, Path, description = "The action's id"),
           ("file" = Uuid, Path, description = "The file's id")),
    responses((status = 200, description = "The file, its metadata removed"), NotFound))]
pub async fn evidence(
    State(state): State<AppState>,
    Path((id, file)): Path<(Uuid, Uuid)>,
) -> Result<Response, Problem> {
    let (kind, data) = publications::evidence(&state.store, id, file).await?;
    Ok((
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=86400".to_owned()),
        ],
        data,
    )
        .into_response())
}

/// The unit's evidence of a resolved `publik` or `anonim` complaint
/// ("you said, we did"); nothing of any other complaint.
#[utoipa::path(get, path = "/api/v1/public/complaints/{id}/evidence/{file}", tag = "publication",
    params(("id" = Uuid, Path, description = "The complaint's id"),
           ("file" = Uuid, Path, description = "The file's id")),
    responses((status = 200, description = "The file, its metadata removed"), NotFound))]
pub async fn complaint_evidence(
    State(state): State<AppState>,
    Path((id, file)): Path<(Uuid, Uuid)>,
) -> Result<Response, Problem> {
    let (kind, data) = publications::complaint_evidence(&state.store, id, file).await?;
    Ok((
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=86400".to_owned()),
        ],
        data,
    )
        .into_response())
}

#[derive(Deserialize)]
struct ActionForm {
    publication: String,
    item: String,
    action: String,
    responsible: String,
    due_on: String,
}

/// Back to unit `unit`'s public page, saying how the last change went.
fn back_to(unit: &str, result: Result<(), PublicationError>) -> Response {
    let query = match result {
        Ok(()) => "saved=1".to_owned(),
        Err(e) => {
            use crate::refusal::Refuse;
            if e.refusal().is_none() {
                return Problem::from(e).into_response();
            }
            serde_urlencoded::to_string([("error", e.slug().as_ref())]).unwrap_or_default()
        }
    };
    Redirect::to(&format!("/publik/{unit}?{query}#follow-up")).into_response()
}

/// `POST /publik/{unit}/tindak-lanjut`: an action added from the unit's page.
async fn action_form(
    State(state): State<AppState>,
    Caller(account): Caller,
    Path(unit): Path<String>,
    Form(f): Form<ActionForm>,
) -> Response {
    let Ok(id) = f.publication.parse() else {
        return back_to(
            &unit,
            Err(PublicationError::UnknownPublication(f.publication)),
        );
    };
    let new = NewAction {
        item: f.item,
        action: f.action,
        responsible: f.responsible,
        due_on: f.due_on,
    };
    let now = OffsetDateTime::now_utc();
    let added = publications::add_action(&state.store, &account, id, &new, now).await;
    if added.is_ok() {
        announce_public(&state, PublicChange::Publication(id));
    }
    back_to(&unit, added.map(|_| ()))
}

/// `POST /publik/{unit}/tindak-lanjut/{id}`: an action's status, with a
/// reason to drop it and, optionally, evidence (multipart, `file`).
async fn status_form(
    State(state): State<AppState>,
    Caller(account): Caller,
    Path((unit, id)): Path<(String, String)>,
    mut form: axum::extract::Multipart,
) -> Response {
    let (mut status, mut reason, mut file) = (None, None, None);
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or_default() {
            "status" => status = field.text().await.ok(),
            "reason" => reason = field.text().await.ok(),
            "file" => file = field.bytes().await.ok().filter(|b| !b.is_empty()),
            _ => {}
        }
    }
    let Ok(id) = id.parse::<Uuid>() else {
        return back_to(&unit, Err(PublicationError::UnknownAction(id)));
    };
    let Some(status) = status
        .as_deref()
        .and_then(app::domain::follow_up::FollowUpStatus::parse)
    else {
        return back_to(
            &unit,
            Err(PublicationError::BadAction("choose a status".into())),
        );
    };
    let now = OffsetDateTime::now_utc();
    let change = ActionStatus {
        status,
        reason: reason.filter(|r| !r.trim().is_empty()),
    };
    let mut result = publications::set_status(&state.store, &account, id, &change, now)
        .await
        .map(|_| ());
    if let (Ok(()), Some(data)) = (&result, file) {
        result = publications::add_evidence(&state.store, &account, id, data, now)
            .await
            .map(|_| ());
    }
    if result.is_ok() {
        announce_public(&state, PublicChange::Action(id));
    }
    back_to(&unit, result)
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
            (
                header::CONTENT_TYPE,
                "image/svg+xml; charset=utf-8".to_owned(),
            ),
            (header::CACHE_CONTROL, "public, max-age=3600".to_owned()),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_owned()),
            (header::ETAG, super::delivery::etag_of(svg.as_bytes())),
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
            announce_public(&state, PublicChange::Unit(p.unit.code.clone()));
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

/// `GET /s/{code}/publik`: on to the public page of the service's unit (the
/// thank-you page links here, knowing only the service).
async fn service_public(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    match state.store.service_by_code(&code).await {
        Ok(Some((row, _))) => Redirect::to(&format!("/publik/{}", row.unit_code)).into_response(),
        Ok(None) => Problem::from(PublicationError::UnknownUnit(code)).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{code}/publik", get(service_public))
        .route("/publik/{code}/badge.svg", get(badge))
        .route("/reports/skm/publish", post(publish_form))
        .route("/publik/{unit}/tindak-lanjut", post(action_form))
        .route(
            "/publik/{unit}/tindak-lanjut/{id}",
            post(status_form).layer(axum::extract::DefaultBodyLimit::max(
                publications::MAX_EVIDENCE_BYTES + 64 * 1024,
            )),
        )
}
