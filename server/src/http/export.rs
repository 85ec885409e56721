//! `GET /api/v1/export.csv`: every selected response, one row each, streamed
//! from the database so that memory stays flat at any size.

use super::caller::Caller;
use super::problem::Problem;
use super::AppState;
use crate::auth::Role;
use crate::store::export::{bind_all, ExportFilter};
use crate::store::ms_to_datetime;
use app::domain::response::rfc3339_millis;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures::TryStreamExt;
use serde::Deserialize;
use sqlx::Row;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, Time};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// First day (YYYY-MM-DD, UTC) or instant (RFC 3339) of `answered_at`, inclusive.
    pub from: Option<String>,
    /// Last day (inclusive) or instant (exclusive) of `answered_at`.
    pub to: Option<String>,
    /// A unit's code.
    pub unit: Option<String>,
}

/// Fixed columns; item codes and `comment` follow.
pub const FIXED_COLUMNS: [&str; 9] = [
    "id",
    "agency_code",
    "unit_code",
    "service_code",
    "questionnaire_id",
    "questionnaire_version",
    "answered_at",
    "received_at",
    "channel",
];

/// A day or an instant; a day as upper bound means through its end.
fn parse_bound(s: &str, upper: bool) -> Result<i64, Problem> {
    let t = if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        t
    } else {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let d = Date::parse(s, &fmt).map_err(|_| {
            Problem::bad_request(
                "invalid-date",
                format!("\"{s}\" is neither a date (YYYY-MM-DD) nor an RFC 3339 time"),
            )
        })?;
        let d = if upper { d.next_day().unwrap_or(d) } else { d };
        d.with_time(Time::MIDNIGHT).assume_utc()
    };
    Ok(crate::store::datetime_to_ms(t))
}

/// Responses as CSV (RFC 4180, UTF-8, CRLF): one row per response, one column per item.
#[utoipa::path(get, path = "/api/v1/export.csv", tag = "export", params(ExportQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, content_type = "text/csv", description = "Columns: id, agency_code, unit_code, service_code, questionnaire_id, questionnaire_version, answered_at, received_at, channel, one per item code, comment"),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn export_csv(
    State(state): State<AppState>,
    Caller(account): Caller,
    Query(q): Query<ExportQuery>,
) -> Result<Response, Problem> {
    let mut filter = ExportFilter {
        from_ms: q
            .from
            .as_deref()
            .map(|s| parse_bound(s, false))
            .transpose()?,
        to_ms: q.to.as_deref().map(|s| parse_bound(s, true)).transpose()?,
        ..Default::default()
    };
    if let Some(code) = q.unit.as_deref() {
        let unit = state.store.unit_id_by_code(code).await?.ok_or_else(|| {
            Problem::bad_request("unknown-unit", format!("no unit has code \"{code}\""))
        })?;
        filter.unit = Some(unit);
    }
    if account.role == Role::UnitHead {
        if filter.unit.is_some_and(|u| !account.units.contains(&u)) {
            return Err(Problem::forbidden("this unit is not one of yours"));
        }
        filter.scope = Some(account.units.clone());
    }
    let items = state.store.export_item_codes(&filter).await?;
    tracing::info!(account = %account.email, ?filter, "csv export");

    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let store = state.store.clone();
    tokio::spawn(async move {
        if let Err(e) = stream_rows(&store, &filter, &items, &tx).await {
            tracing::error!(error = %e, "csv export broke off");
            let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
        }
    });
    let body = Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/csv; charset=utf-8; header=present",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"suara-responses.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

type Chunks = tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>;

async fn stream_rows(
    store: &crate::store::Store,
    filter: &ExportFilter,
    items: &[String],
    tx: &Chunks,
) -> anyhow::Result<()> {
    const CHUNK: usize = 64 * 1024;
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK * 2);
    let header: Vec<&str> = FIXED_COLUMNS
        .iter()
        .copied()
        .chain(items.iter().map(String::as_str))
        .chain(["comment"])
        .collect();
    push_record(&mut buf, &header);

    let (sql, binds) = filter.rows_sql();
    let mut rows = bind_all(sqlx::query(&sql), binds).fetch(store.pool());
    let mut record: Vec<String> = Vec::with_capacity(header.len());
    while let Some(row) = rows.try_next().await? {
        let content: serde_json::Value =
            serde_json::from_str(&row.try_get::<String, _>("content")?)?;
        let scores = content.get("scores");
        record.clear();
        record.push(row.try_get("id")?);
        record.push(row.try_get("agency_code")?);
        record.push(row.try_get("unit_code")?);
        record.push(row.try_get("service_code")?);
        record.push(row.try_get("questionnaire_id")?);
        record.push(row.try_get::<i64, _>("questionnaire_version")?.to_string());
        record.push(rfc3339_millis(ms_to_datetime(
            row.try_get("answered_at_ms")?,
        )));
        record.push(rfc3339_millis(ms_to_datetime(
            row.try_get("received_at_ms")?,
        )));
        record.push(row.try_get("channel")?);
        for code in items {
            record.push(
                scores
                    .and_then(|s| s.get(code))
                    .and_then(|v| v.as_u64())
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
            );
        }
        record.push(
            row.try_get::<Option<String>, _>("comment")?
                .unwrap_or_default(),
        );
        push_record(&mut buf, &record);
        if buf.len() >= CHUNK {
            let chunk = std::mem::replace(&mut buf, Vec::with_capacity(CHUNK * 2));
            if tx.send(Ok(Bytes::from(chunk))).await.is_err() {
                return Ok(()); // the client went away
            }
        }
    }
    if !buf.is_empty() {
        let _ = tx.send(Ok(Bytes::from(buf))).await;
    }
    Ok(())
}

/// Appends one RFC 4180 record: fields with a comma, quote, CR or LF are
/// quoted and their quotes doubled; the record ends with CRLF.
pub fn push_record<S: AsRef<str>>(buf: &mut Vec<u8>, fields: &[S]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        let f = field.as_ref();
        if f.contains([',', '"', '\r', '\n']) {
            buf.push(b'"');
            buf.extend_from_slice(f.replace('"', "\"\"").as_bytes());
            buf.push(b'"');
        } else {
            buf.extend_from_slice(f.as_bytes());
        }
    }
    buf.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::push_record;

    #[test]
    fn records_follow_rfc_4180() {
        let mut buf = Vec::new();
        push_record(
            &mut buf,
            &["a", "b,c", "say \"hi\"", "line\nbreak", "😀", ""],
        );
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"line\nbreak\",😀,\r\n"
        );
    }
}
