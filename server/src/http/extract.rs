//! axum's `Json`, `Path` and `Query` extractors, refusing with problem
//! documents: a body that is not JSON, a JSON body of the wrong shape, a
//! missing `Content-Type`, a path segment that cannot name anything and a
//! query that does not parse are answered as every other refusal of the API
//! is (`application/problem+json`), never as axum's plain text.

use super::problem::Problem;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::FormRejection;
use serde::Serialize;

/// A JSON request body (refusals: [`JsonRefusals`]), or a JSON answer.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(Problem))]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Path parameters. One that does not parse as its type (an id that is not
/// a UUID) names nothing: `404`.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Problem))]
pub struct Path<T>(pub T);

/// A form body (`application/x-www-form-urlencoded`) of single fields; a
/// field sent empty is `Some("")`.
#[derive(FromRequest)]
#[from_request(via(axum::Form), rejection(Problem))]
pub struct Form<T>(pub T);

/// A form body with a multi-select, whose repeated field gathers into a
/// `Vec` (`serde_html_form`); a field sent empty is `None` here.
#[derive(FromRequest)]
#[from_request(via(axum_extra::extract::Form), rejection(Problem))]
pub struct ListForm<T>(pub T);

/// Query parameters; one of the wrong type is a `400`.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Problem))]
pub struct Query<T>(pub T);

impl From<JsonRejection> for Problem {
    fn from(r: JsonRejection) -> Self {
        let (status, slug, detail) = match &r {
            JsonRejection::MissingJsonContentType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "send the body as JSON, with `Content-Type: application/json`".to_owned(),
            ),
            JsonRejection::JsonSyntaxError(e) => (
                StatusCode::BAD_REQUEST,
                "invalid-json",
                format!("the body is not valid JSON: {}", e.body_text()),
            ),
            JsonRejection::JsonDataError(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-shape",
                format!("the body is not of the documented shape: {}", e.body_text()),
            ),
            other => (other.status(), "unreadable-body", other.body_text()),
        };
        Self::new(status, slug, detail)
    }
}

impl From<PathRejection> for Problem {
    fn from(r: PathRejection) -> Self {
        match r {
            PathRejection::FailedToDeserializePathParams(e) => Self::new(
                StatusCode::NOT_FOUND,
                "not-found",
                format!("nothing has this address: {}", e.body_text()),
            ),
            other => Self::internal(other.body_text()),
        }
    }
}

impl From<FormRejection> for Problem {
    fn from(r: FormRejection) -> Self {
        let slug = match &r {
            FormRejection::RawFormRejection(_) => "unreadable-body",
            _ => "bad-form",
        };
        Self::new(r.status(), slug, r.body_text())
    }
}

impl From<axum::extract::rejection::FormRejection> for Problem {
    fn from(r: axum::extract::rejection::FormRejection) -> Self {
        use axum::extract::rejection::FormRejection as R;
        let slug = match &r {
            R::FailedToDeserializeForm(_) | R::FailedToDeserializeFormBody(_) => "bad-form",
            _ => "unreadable-body",
        };
        Self::new(r.status(), slug, r.body_text())
    }
}

impl From<QueryRejection> for Problem {
    fn from(r: QueryRejection) -> Self {
        Self::bad_request("bad-query", r.body_text())
    }
}

/// What a route that reads a JSON body may also answer, declared once for
/// the OpenAPI document.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum JsonRefusals {
    /// The body is not JSON, or a field's value is refused; `detail` says which.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// The body was not sent as `application/json`.
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// JSON, but not of the documented shape (a field missing or of the wrong type).
    #[response(status = 422, content_type = "application/problem+json")]
    UnprocessableEntity(Problem),
}
