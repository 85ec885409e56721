//! The client side of the sync protocol: one batch POST, one outcome per
//! response. The outbox's sync client (`offline::agent`) sends through here.

use crate::domain::response::{SyncBatch, SyncResults};
use crate::domain::ResponseSubmission;

pub const RESPONSES_URL: &str = "/api/v1/responses";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// No connection or no server: try again later; nothing was lost.
    #[error("the server could not be reached: {0}")]
    Unreachable(String),
    /// The server refused the whole batch (4xx/5xx problem document).
    #[error("the server refused the batch ({status}): {detail}")]
    Refused { status: u16, detail: String },
}

/// Sends `responses` (at most 500) and returns the server's per-response results.
#[cfg(feature = "csr")]
pub async fn send_batch(responses: Vec<ResponseSubmission>) -> Result<SyncResults, SyncError> {
    let body = crate::net::stringify(&SyncBatch { responses }).map_err(SyncError::Unreachable)?;
    post_batch_json(body).await
}

/// Sends a batch already serialised as `{"responses": [...]}`.
#[cfg(feature = "csr")]
pub async fn post_batch_json(body: String) -> Result<SyncResults, SyncError> {
    let answer = crate::net::fetch_json("POST", RESPONSES_URL, Some(&body))
        .await
        .map_err(SyncError::Unreachable)?;
    if !answer.ok() {
        let detail = js_sys::Reflect::get(&answer.body, &"detail".into())
            .ok()
            .and_then(|d| d.as_string())
            .unwrap_or_default();
        return Err(SyncError::Refused {
            status: answer.status,
            detail,
        });
    }
    crate::net::from_js(answer.body).map_err(SyncError::Unreachable)
}

/// On the server there is nothing to send; server-side rendering never calls it.
#[cfg(not(feature = "csr"))]
pub async fn send_batch(responses: Vec<ResponseSubmission>) -> Result<SyncResults, SyncError> {
    let _ = SyncBatch { responses };
    Err(SyncError::Unreachable("not in a browser".into()))
}
