//! Every request in a span of its own, named by a request id that the log
//! lines written while it runs carry and that its answer returns
//! (`x-request-id`), so an operator can find a user's request in the log.

use axum::extract::Request;
use axum::http::HeaderValue;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{DefaultOnResponse, MakeSpan, TraceLayer};
use tracing::Level;

/// The request id a proxy in front may set is kept when it is plain
/// (letters, digits, `-`, `_`, at most 64); anything else is dropped, and
/// the server makes its own, so nobody writes what they like into the log.
pub async fn keep_only_plain_ids(mut req: Request) -> Request {
    let plain = |v: &HeaderValue| {
        let b = v.as_bytes();
        !b.is_empty()
            && b.len() <= 64
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
    };
    if req.headers().get("x-request-id").is_some_and(|v| !plain(v)) {
        req.headers_mut().remove("x-request-id");
    }
    req
}

/// The span of one request: its method, path (never the query, which may
/// carry a filter or a token) and id.
#[derive(Clone, Copy, Debug)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, req: &axum::http::Request<B>) -> tracing::Span {
        let id = req
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            method = %req.method(),
            path = req.uri().path(),
            id,
        )
    }
}

/// The tracing layer: a [`RequestSpan`] per request, its answer logged at
/// debug level (with `RUST_LOG=tower_http=debug`: status and latency).
pub fn trace_layer() -> TraceLayer<SharedClassifier<ServerErrorsAsFailures>, RequestSpan> {
    TraceLayer::new_for_http()
        .make_span_with(RequestSpan)
        .on_response(DefaultOnResponse::new().level(Level::DEBUG))
}
