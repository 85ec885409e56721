//! Errors over HTTP: RFC 9457 problem documents.
//!
//! Policy: every failure an HTTP client can cause gets a 4xx problem with a
//! `detail` a person can act on; anything else is logged in full and answered
//! with a bare 500 that reveals nothing of the internals.

use crate::refusal::{Refusal, Refuse};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Seconds to wait before sending the request again (`Retry-After`).
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: StatusCode, slug: &str, detail: impl Into<String>) -> Self {
        Self {
            kind: format!("https://suara.example/problems/{slug}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            retry_after: None,
        }
    }

    /// With `Retry-After: seconds`.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// The database cannot be used for now: `503`, try again shortly.
    pub fn unavailable(err: impl std::fmt::Display) -> Self {
        tracing::warn!(error = %err, "database unavailable");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the server cannot reach its database for a moment; nothing of this request \
             was kept: send it again shortly",
        )
        .retry_after(UNAVAILABLE_RETRY_SECONDS)
    }

    /// Too many passwords are being checked at once: `503`, try again in a moment.
    pub fn busy() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "the server is checking many passwords at once; try again in a moment",
        )
        .retry_after(2)
    }

    pub fn bad_request(slug: &str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, slug, detail)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "sign in, or send an API token as `Authorization: Bearer …`",
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    /// Logs `err` and answers 500 without its detail.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong on the server; nothing you sent was lost",
        )
    }
}

impl Problem {
    /// A failure of the server: `503` with `Retry-After` when the database
    /// behind it (the error or any of its sources) is unavailable for now,
    /// `500` otherwise — the same for every page, form and API route.
    pub fn failure(err: &(dyn std::error::Error + 'static)) -> Self {
        let storage = std::iter::successors(Some(err), |e| e.source())
            .find_map(|e| e.downcast_ref::<sqlx::Error>());
        if storage.is_some_and(crate::store::unavailable) {
            Self::unavailable(err)
        } else {
            Self::internal(err)
        }
    }
}

/// What a `503` asks the client to wait, in seconds.
pub const UNAVAILABLE_RETRY_SECONDS: u64 = 5;

/// The refusals every API route that needs an account may answer,
/// declared once for the OpenAPI document.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum StaffRefusals {
    /// The request is wrong; `detail` says how.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No session, and no `Authorization: Bearer` token.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// Not for this account: another unit's data, or another role's.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
}

/// What names something unknown (a unit's code, say) may also answer.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum NotFound {
    /// Nothing has the code the request names.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
}

/// Every service error: a refusal keeps its words, anything else is a 500.
impl<E: Refuse> From<E> for Problem {
    fn from(e: E) -> Self {
        let status = match e.refusal() {
            None if e.storage().is_some_and(crate::store::unavailable) => {
                return Self::unavailable(e)
            }
            None => return Self::internal(e),
            Some(Refusal::Invalid) => StatusCode::BAD_REQUEST,
            Some(Refusal::Forbidden) => StatusCode::FORBIDDEN,
            Some(Refusal::NotFound) => StatusCode::NOT_FOUND,
            Some(Refusal::Conflict) => StatusCode::CONFLICT,
        };
        Self::new(status, &e.slug(), e.to_string())
    }
}

impl From<sqlx::Error> for Problem {
    fn from(e: sqlx::Error) -> Self {
        if crate::store::unavailable(&e) {
            Self::unavailable(e)
        } else {
            Self::internal(e)
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).expect("problem serialises");
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::Problem;
    use crate::figures::FiguresError;
    use crate::publications::PublicationError;
    use crate::refusal::Refuse;

    #[test]
    fn a_database_out_of_reach_is_try_again_later_however_deep_its_error() {
        let direct = FiguresError::Storage(sqlx::Error::PoolTimedOut);
        assert!(matches!(direct.storage(), Some(sqlx::Error::PoolTimedOut)));
        assert_eq!(Problem::from(direct).status, 503);
        // Publishing wraps the figures' error: still the database's fault.
        let wrapped = PublicationError::Figures(FiguresError::Storage(sqlx::Error::PoolTimedOut));
        assert!(matches!(wrapped.storage(), Some(sqlx::Error::PoolTimedOut)));
        assert_eq!(Problem::from(wrapped).status, 503);
        // A storage error that is not an outage is the server's failure.
        let broken = FiguresError::Storage(sqlx::Error::RowNotFound);
        assert_eq!(Problem::from(broken).status, 500);
        // A refusal is no storage error at all.
        assert!(FiguresError::EmptyScope.storage().is_none());
        assert_eq!(Problem::from(FiguresError::EmptyScope).status, 404);
    }

    #[test]
    fn a_failure_anywhere_is_503_when_the_database_is_away_and_500_otherwise() {
        use crate::store::admin::AdminError;
        let away = AdminError::Db(sqlx::Error::PoolTimedOut);
        assert_eq!(Problem::failure(&away).status, 503);
        assert_eq!(Problem::failure(&sqlx::Error::PoolClosed).status, 503);
        let broken = AdminError::Db(sqlx::Error::RowNotFound);
        assert_eq!(Problem::failure(&broken).status, 500);
    }
}
