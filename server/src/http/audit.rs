//! `GET /api/v1/audit`: the whole audit log (sign-ins, exports, catalogue
//! and account changes), oldest first, as CSV or JSON Lines, for auditors
//! and administrators. Nothing in Suara changes or deletes an entry.

use super::caller::Caller;
use super::export::push_record;
use super::problem::Problem;
use super::AppState;
use crate::auth::Role;
use crate::store::ms_to_datetime;
use app::domain::response::rfc3339_millis;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures::TryStreamExt;
use serde::Deserialize;
use serde_json::json;
use sqlx::Row;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// `csv` (the default) or `jsonl`.
    pub format: Option<String>,
}

const COLUMNS: [&str; 6] = ["at", "actor", "action", "target", "before", "after"];

/// The audit log, oldest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "export", params(AuditQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, content_type = "text/csv", description = "Columns: at, actor, action, target, before, after (JSON text). format=jsonl: one object per entry with the same fields."),
              (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn audit_log(
    State(state): State<AppState>,
    Caller(account): Caller,
    Query(q): Query<AuditQuery>,
) -> Result<Response, Problem> {
    if account.role == Role::UnitHead {
        return Err(Problem::forbidden(
            "the audit log is for auditors and administrators",
        ));
    }
    let jsonl = match q.format.as_deref().unwrap_or("csv") {
        "csv" => false,
        "jsonl" => true,
        other => {
            return Err(Problem::bad_request(
                "unknown-format",
                format!("format \"{other}\" is not one of csv, jsonl"),
            ))
        }
    };
    state
        .store
        .audit_entry(
            &account.email,
            "export",
            "audit-log",
            json!({ "format": if jsonl { "jsonl" } else { "csv" } }),
        )
        .await?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let store = state.store.clone();
    tokio::spawn(async move {
        let mut buf = Vec::with_capacity(64 * 1024);
        if !jsonl {
            push_record(&mut buf, &COLUMNS);
        }
        let mut rows = sqlx::query(
            "SELECT at_ms, actor, action, target, before, after FROM audit_log ORDER BY at_ms, id",
        )
        .fetch(store.pool());
        loop {
            let row = match rows.try_next().await {
                Ok(Some(row)) => row,
                Ok(None) => break,
                Err(e) => {
                    let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
                    return;
                }
            };
            let at = rfc3339_millis(ms_to_datetime(row.try_get("at_ms").unwrap_or(0)));
            let text = |c: &str| row.try_get::<Option<String>, _>(c).ok().flatten();
            if jsonl {
                let parse = |v: Option<String>| {
                    v.map(|t| serde_json::from_str(&t).unwrap_or(serde_json::Value::String(t)))
                };
                let entry = json!({
                    "at": at,
                    "actor": text("actor"),
                    "action": text("action"),
                    "target": text("target"),
                    "before": parse(text("before")),
                    "after": parse(text("after")),
                });
                buf.extend_from_slice(entry.to_string().as_bytes());
                buf.push(b'\n');
            } else {
                let fields = [
                    at,
                    text("actor").unwrap_or_default(),
                    text("action").unwrap_or_default(),
                    text("target").unwrap_or_default(),
                    text("before").unwrap_or_default(),
                    text("after").unwrap_or_default(),
                ];
                push_record(&mut buf, &fields);
            }
            if buf.len() >= 64 * 1024 {
                let chunk = std::mem::replace(&mut buf, Vec::with_capacity(64 * 1024));
                if tx.send(Ok(Bytes::from(chunk))).await.is_err() {
                    return;
                }
            }
        }
        if !buf.is_empty() {
            let _ = tx.send(Ok(Bytes::from(buf))).await;
        }
    });
    let (content_type, file) = if jsonl {
        ("application/jsonl; charset=utf-8", "suara-audit-log.jsonl")
    } else {
        (
            "text/csv; charset=utf-8; header=present",
            "suara-audit-log.csv",
        )
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx)),
    )
        .into_response())
}
