//! `/metrics`: what operators' Prometheus scrapes — requests by route and
//! status with latency histograms, ingest outcomes, group-commit batch
//! sizes, the database pool, the notification outbox and live-feed clients.
//! Never public: it answers only with `Authorization: Bearer` and the
//! `--metrics-token` (env `SUARA_METRICS_TOKEN`); without one set, it is a
//! `404`. The recorder is `metrics-exporter-prometheus`, installed once for
//! the process.

use super::problem::Problem;
use super::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

/// The process's recorder, installed on first use.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let seconds = [
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
        ];
        let sizes = [1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0];
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &seconds)
            .and_then(|b| b.set_buckets_for_metric(Matcher::Suffix("_size".into()), &sizes))
            .expect("bucket lists are not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        // Installed once; were another recorder there, this one still renders.
        let _ = metrics::set_global_recorder(recorder);
        // Counters exist from the start at zero, so a rate over them is 0,
        // not "no data", until the first event.
        for outcome in ["accepted", "duplicate", "conflict", "rejected"] {
            metrics::counter!("suara_ingest_responses_total", "outcome" => outcome).increment(0);
        }
        metrics::counter!("suara_notifications_sent_total").increment(0);
        metrics::counter!("suara_notifications_failed_total").increment(0);
        metrics::gauge!("suara_live_clients").increment(0.0);
        handle
    })
}

/// Counts every request by route template (never the raw path: a path full
/// of codes would make a series per code), method and status, and times it.
pub async fn track(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "other".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("suara_http_requests_total", "route" => route.clone(), "method" => method.clone(), "status" => status).increment(1);
    metrics::histogram!("suara_http_request_duration_seconds", "route" => route, "method" => method)
        .record(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`, in the Prometheus text format.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.metrics_token.as_deref() else {
        return Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "metrics are off: set --metrics-token",
        )
        .into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !crate::auth::same_secret(given, token) {
        return Problem::unauthorized().into_response();
    }
    // Gauges read at scrape time.
    let pool = state.store.pool();
    let (size, idle) = (pool.size() as f64, pool.num_idle() as f64);
    metrics::gauge!("suara_db_pool_connections", "state" => "in_use").set(size - idle);
    metrics::gauge!("suara_db_pool_connections", "state" => "idle").set(idle);
    match state.store.outbox_depth().await {
        Ok((pending, failing)) => {
            metrics::gauge!("suara_notifications_pending").set(pending as f64);
            metrics::gauge!("suara_notifications_failing").set(failing as f64);
        }
        Err(e) => tracing::warn!(error = %e, "the outbox could not be counted for /metrics"),
    }
    let h = handle();
    h.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        h.render(),
    )
        .into_response()
}

/// A live-feed client, counted while its stream is open.
pub struct LiveClient;

impl LiveClient {
    pub fn open() -> Self {
        metrics::gauge!("suara_live_clients").increment(1.0);
        Self
    }
}

impl Drop for LiveClient {
    fn drop(&mut self) {
        metrics::gauge!("suara_live_clients").decrement(1.0);
    }
}
