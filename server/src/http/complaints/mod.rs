//! The complaint interface: filing in batches, the citizen's view and words
//! by tracking code, staff moves and the unit's queue. The work is
//! [`crate::complaints`]'.

use super::api::{read_batch, read_limited};
use super::audit::AuditQuery;
use super::caller::Caller;
use super::extract::{Json, JsonRefusals, Path, Query};
use super::problem::{NotFound, Problem, StaffRefusals};
use super::AppState;
use crate::audit::LogFormat;
use crate::complaints::{
    self, CitizenMessage, ComplaintError, ComplaintForm, MoveRequest, QueueFilter, Upload,
    MAX_PDF_BYTES,
};
use crate::http::extract::Form;
use crate::refusal::Refuse;
use app::domain::complaint::submission::{ComplaintBatch, MAX_COMPLAINTS};
use app::domain::complaint::ComplaintResults;
use app::model::complaint::{AttachmentView, ComplaintView, Queue};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use serde::Deserialize;
use time::OffsetDateTime;

mod forms;
pub use forms::form_routes;

/// A complaint's tracking code in the path (for the OpenAPI document).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct CodePath {
    /// The tracking code, with or without hyphens
    #[param(pattern = "^[0-9A-TV-Za-tv-z]{4}-?[0-9A-TV-Za-tv-z]{4}-?[0-9A-TV-Za-tv-z]{4}$")]
    code: String,
}

/// Delivers a batch of complaints, exactly as responses are delivered: one
/// result per complaint, in order; resending is always safe. A `conflict`
/// on the code means another complaint has it: make a new code, send again.
#[utoipa::path(post, path = "/api/v1/complaints", tag = "complaints",
    request_body = ComplaintBatch,
    responses((status = 200, body = ComplaintResults, description = "One result per complaint, in order"),
              (status = 400, body = Problem, description = "Not JSON", content_type = "application/problem+json"),
              (status = 413, body = Problem, description = "Over 5 MB or over 100 complaints", content_type = "application/problem+json"),
              (status = 415, body = Problem, description = "Not application/json", content_type = "application/problem+json"),
              (status = 422, body = Problem, description = "JSON, but not an object with a `complaints` array", content_type = "application/problem+json")))]
pub async fn post_complaints(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<ComplaintResults>, Problem> {
    let entries = read_batch(&headers, body, "complaints", MAX_COMPLAINTS).await?;
    let services = super::events::services_of(&entries);
    let results = complaints::file(&state.store, entries, OffsetDateTime::now_utc()).await?;
    let statuses = results.iter().map(|r| r.status);
    super::events::announce_accepted(
        &state,
        crate::store::live::What::Complaint,
        &services,
        statuses,
    );
    Ok(Json(ComplaintResults { results }))
}

/// A complaint as the citizen follows it: state, deadline, timeline, the
/// unit's replies. Anyone with the code sees it; its text is redacted.
#[utoipa::path(get, path = "/api/v1/complaints/{code}", tag = "complaints",
    params(CodePath),
    responses((status = 200, body = ComplaintView),
              (status = 400, body = Problem, description = "Not a tracking code (its check character is wrong)", content_type = "application/problem+json"),
              NotFound))]
pub async fn get_complaint(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<ComplaintView>, Problem> {
    let view = complaints::citizen_view(&state.store, &code, OffsetDateTime::now_utc()).await?;
    Ok(Json(view))
}

/// The citizen adds information, confirms the answer (`resolved: true`) or
/// says it did not resolve the problem (`false`, which re-opens it), or
/// rates how it was handled.
#[utoipa::path(post, path = "/api/v1/complaints/{code}/messages", tag = "complaints",
    params(CodePath),
    request_body = CitizenMessage,
    responses((status = 200, body = ComplaintView, description = "The complaint as it now stands"),
              (status = 400, body = Problem, description = "Nothing to say, too long, or a rating outside 1–4", content_type = "application/problem+json"),
              (status = 403, body = Problem, description = "No citizen's key, a wrong one, or a request with staff credentials", content_type = "application/problem+json"),
              (status = 409, body = Problem, description = "Not possible in the complaint's state", content_type = "application/problem+json"),
              JsonRefusals, NotFound))]
pub async fn post_message(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Path(code): Path<String>,
    Json(m): Json<CitizenMessage>,
) -> Result<Json<ComplaintView>, Problem> {
    // Staff never speak as the citizen, whatever key they hold.
    if super::caller::Credential::of(&headers).is_some() {
        return Err(complaints::ComplaintError::StaffAsCitizen.into());
    }
    let moved =
        complaints::citizen_message(&state.store, &code, m, OffsetDateTime::now_utc()).await;
    super::events::announce_resolved(&state, &moved);
    Ok(Json(moved?))
}

/// Staff move a complaint: verify, ask for more, work on it, answer,
/// forward to the unit responsible, or close it without a fix. Unit heads
/// act on their units' complaints, administrators on any.
#[utoipa::path(post, path = "/api/v1/complaints/{code}/transitions", tag = "complaints",
    params(CodePath),
    request_body = MoveRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ComplaintView, description = "The complaint as it now stands, unredacted"),
              (status = 409, body = Problem, description = "The state machine does not allow it", content_type = "application/problem+json"),
              JsonRefusals, StaffRefusals, NotFound))]
pub async fn post_transition(
    State(state): State<AppState>,
    Caller(account): Caller,
    Path(code): Path<String>,
    Json(req): Json<MoveRequest>,
) -> Result<Json<ComplaintView>, Problem> {
    let now = OffsetDateTime::now_utc();
    let moved = complaints::staff_move(&state.store, &account, &code, req, now).await;
    super::events::announce_resolved(&state, &moved);
    let view = moved?;
    tracing::info!(account = %account.email, code = %view.code, state = %view.state, "complaint moved");
    Ok(Json(view))
}

/// What staff send to make a complaint more private.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct PrivacyRequest {
    /// `anonim` or `rahasia`: never less private than it is.
    pub privacy: String,
}

/// Staff make a complaint more private, never less (audited).
#[utoipa::path(post, path = "/api/v1/complaints/{code}/privacy", tag = "complaints",
    params(CodePath),
    request_body = PrivacyRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ComplaintView),
              (status = 409, body = Problem, description = "Less private than it is", content_type = "application/problem+json"),
              JsonRefusals, StaffRefusals, NotFound))]
pub async fn post_privacy(
    State(state): State<AppState>,
    Caller(account): Caller,
    Path(code): Path<String>,
    Json(req): Json<PrivacyRequest>,
) -> Result<Json<ComplaintView>, Problem> {
    let now = OffsetDateTime::now_utc();
    let view = complaints::make_private(&state.store, &account, &code, &req.privacy, now).await?;
    Ok(Json(view))
}

/// The caller's queue: open complaints of their units, overdue first, then
/// by deadline.
#[utoipa::path(get, path = "/api/v1/complaints", tag = "complaints",
    params(QueueFilter),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Queue), StaffRefusals))]
pub async fn get_queue(
    State(state): State<AppState>,
    Caller(account): Caller,
    Query(q): Query<QueueFilter>,
) -> Result<Json<Queue>, Problem> {
    let now = OffsetDateTime::now_utc();
    let queue = complaints::readable_queue(&state.store, &account, &q, now).await?;
    Ok(Json(queue))
}

/// Attaches a photo (the citizen, without an account: at most three JPEG,
/// PNG or WebP images of at most 2 MB) or evidence (the unit's staff: also
/// PDFs of at most 5 MB) to a complaint. Idempotent by the file's own id;
/// image metadata (EXIF with GPS, XMP, comments) is removed before storing.
#[utoipa::path(put, path = "/api/v1/complaints/{code}/attachments/{id}", tag = "complaints",
    params(CodePath,
           ("id" = uuid::Uuid, Path, description = "The file's UUID, made by the sender"),
           ("Suara-Key" = Option<String>, Header, description = "The citizen's key (a citizen's photo needs it: 403 without or with a wrong one)")),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses((status = 201, body = AttachmentView, description = "Stored"),
              (status = 200, body = AttachmentView, description = "The same file was stored before"),
              (status = 409, body = Problem, description = "Another file has this id, or the complaint has its files already", content_type = "application/problem+json"),
              (status = 413, body = Problem, description = "Larger than allowed", content_type = "application/problem+json"),
              StaffRefusals, NotFound))]
pub async fn put_attachment(
    State(state): State<AppState>,
    caller: Option<Caller>,
    Path((code, id)): Path<(String, uuid::Uuid)>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    let Some(data) = read_limited(body, MAX_PDF_BYTES).await else {
        return Err(Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "file-too-large",
            "the file is larger than 5 MB",
        ));
    };
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let account = caller.map(|Caller(a)| a);
    let key = headers
        .get(complaints::attachments::KEY_HEADER)
        .and_then(|v| v.to_str().ok());
    let now = OffsetDateTime::now_utc();
    let uploader = match &account {
        Some(a) => complaints::attachments::Uploader::Staff(a),
        None => complaints::attachments::Uploader::Citizen(key),
    };
    let (done, a) = complaints::upload(&state.store, uploader, &code, id, declared, data, now)
        .await
        .map_err(|e| match e {
            ComplaintError::TooLarge(_) => Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "file-too-large",
                e.to_string(),
            ),
            e => Problem::from(e),
        })?;
    let view = complaints::attachment_view(&code, &a);
    let status = match done {
        Upload::Created => StatusCode::CREATED,
        Upload::Duplicate => StatusCode::OK,
    };
    Ok((status, Json(view)).into_response())
}

/// A photo or document of a complaint, for anyone holding the code.
#[utoipa::path(get, path = "/api/v1/complaints/{code}/attachments/{id}", tag = "complaints",
    params(CodePath,
           ("id" = uuid::Uuid, Path, description = "The file's UUID")),
    responses((status = 200, description = "The file, as stored (metadata removed)"),
              (status = 400, body = Problem, description = "Not a tracking code (its check character is wrong)", content_type = "application/problem+json"),
              NotFound))]
pub async fn get_attachment(
    State(state): State<AppState>,
    Path((code, id)): Path<(String, uuid::Uuid)>,
) -> Result<Response, Problem> {
    let (a, data) = complaints::download(&state.store, &code, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, a.content_type),
            (header::CACHE_CONTROL, "private, max-age=86400".to_owned()),
            (header::CONTENT_DISPOSITION, "inline".to_owned()),
        ],
        data,
    )
        .into_response())
}

/// Every complaint the caller may see with its whole history, oldest first:
/// CSV (one row per move) or JSON Lines (one complaint a line).
#[utoipa::path(get, path = "/api/v1/complaints/export", tag = "export", params(AuditQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, content_type = "text/csv", description = "Columns: complaint_id, service_code, unit_code, privacy, submitted_at, items, text, state, reopened, rating, event, event_at, event_state, event_actor, event_note, event_unit_code. format=jsonl: one object per complaint with the same fields and `events`."),
              StaffRefusals))]
pub async fn export(
    State(state): State<AppState>,
    Caller(account): Caller,
    Query(q): Query<AuditQuery>,
) -> Result<Response, Problem> {
    let (format, body) = complaints::export(&state.store, &account, q.format.as_deref()).await?;
    let (content_type, file) = match format {
        LogFormat::Csv => (
            "text/csv; charset=utf-8; header=present",
            "suara-complaints.csv",
        ),
        LogFormat::Jsonl => ("application/jsonl; charset=utf-8", "suara-complaints.jsonl"),
    };
    Ok(super::delivery::download(content_type, file, body))
}
