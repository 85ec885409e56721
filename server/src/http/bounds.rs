//! Bounds on requests in flight, so that no client can make another wait
//! without end: per budget class (`limits::Class`: reads, writes,
//! sign-ins) at most so many handlers run at once — one more is answered
//! `503` with `Retry-After` at once, never put in a queue that grows — and
//! no handler takes longer than [`Bounds::answer_within`] to start its
//! answer (a streamed export or live feed then goes on as long as it
//! needs). The rate limits (`limits`) bound each address over time; these
//! bound everyone at once.

use super::limits::Class;
use super::problem::Problem;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The bounds of one server process.
pub struct Bounds {
    read: Semaphore,
    write: Semaphore,
    sign_in: Semaphore,
    answer_within: Duration,
}

impl Default for Bounds {
    /// Well above what 200 phones syncing at once need (the load test's
    /// 200 connections), well below what exhausts memory.
    fn default() -> Self {
        Self::new(1024, 1024, 64, Duration::from_secs(30))
    }
}

impl Bounds {
    pub fn new(read: usize, write: usize, sign_in: usize, answer_within: Duration) -> Self {
        Self {
            read: Semaphore::new(read),
            write: Semaphore::new(write),
            sign_in: Semaphore::new(sign_in),
            answer_within,
        }
    }

    fn of(&self, class: Class) -> &Semaphore {
        match class {
            Class::Read => &self.read,
            Class::Write => &self.write,
            Class::SignIn => &self.sign_in,
        }
    }
}

/// The middleware.
pub async fn guard(State(bounds): State<Arc<Bounds>>, req: Request, next: Next) -> Response {
    let class = Class::of(req.method(), req.uri().path());
    let _turn = match class.map(|c| bounds.of(c).try_acquire()) {
        Some(Err(_)) => {
            return Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "the server is answering as many requests of this kind as it takes at once; \
                 nothing of this one was kept: send it again in a moment",
            )
            .retry_after(1)
            .into_response()
        }
        Some(Ok(turn)) => Some(turn),
        None => None,
    };
    match tokio::time::timeout(bounds.answer_within, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!("a request took longer than its bound to answer; abandoned");
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "the answer took too long and was abandoned; nothing of it was kept: \
                 send it again in a moment",
            )
            .retry_after(5)
            .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::{get, post};
    use axum::Router;
    use tower::ServiceExt as _;

    fn app(bounds: Bounds) -> Router {
        Router::new()
            .route(
                "/api/v1/responses",
                post(|| async {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    "stored"
                }),
            )
            .route("/slow", get(|| tokio::time::sleep(Duration::from_secs(60))))
            .layer(axum::middleware::from_fn_with_state(
                Arc::new(bounds),
                guard,
            ))
    }

    async fn send(app: &Router, method: &str, path: &str) -> Response {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .body(Body::empty())
            .unwrap();
        app.clone().oneshot(req).await.unwrap()
    }

    #[tokio::test]
    async fn one_more_than_the_bound_is_refused_at_once_and_the_rest_served() {
        let app = app(Bounds::new(8, 2, 1, Duration::from_secs(5)));
        let started = std::time::Instant::now();
        let answers =
            futures::future::join_all((0..3).map(|_| send(&app, "POST", "/api/v1/responses")))
                .await;
        let mut statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
        statuses.sort();
        assert_eq!(statuses, [200, 200, 503]);
        let refused = answers.iter().find(|r| r.status() == 503).unwrap();
        assert_eq!(refused.headers()["retry-after"], "1");
        assert!(started.elapsed() < Duration::from_secs(2));
        // The turns are given back.
        assert_eq!(send(&app, "POST", "/api/v1/responses").await.status(), 200);
    }

    #[tokio::test]
    async fn an_answer_that_takes_too_long_is_abandoned_with_503() {
        let app = app(Bounds::new(8, 8, 1, Duration::from_millis(200)));
        let r = send(&app, "GET", "/slow").await;
        assert_eq!(r.status(), 503);
        assert_eq!(r.headers()["retry-after"], "5");
    }
}
