//! Complaints with their whole history, for auditors and administrators
//! (unit heads: their units' complaints), as CSV (one row per move) or JSON
//! Lines (one complaint a line with its `events`). Rahasia ones included:
//! auditors see them. The download is itself in the audit log.

use super::*;
use crate::audit::LogFormat;
use crate::export::csv::push_record;
use crate::export::stream;
use axum::body::Body;
use serde_json::json;

/// The columns of the CSV: the complaint, then the move.
pub const COLUMNS: [&str; 16] = [
    "complaint_id",
    "service_code",
    "unit_code",
    "privacy",
    "submitted_at",
    "items",
    "text",
    "state",
    "reopened",
    "rating",
    "event",
    "event_at",
    "event_state",
    "event_actor",
    "event_note",
    "event_unit_code",
];

/// Starts the download for `account`, recording it first; its format and body.
pub async fn export(
    store: &Store,
    account: &Account,
    format: Option<&str>,
) -> Result<(LogFormat, Body), ComplaintError> {
    if !account.reads_complaints() {
        return Err(ComplaintError::NotYours);
    }
    let format = LogFormat::parse(format)
        .map_err(|_| ComplaintError::BadFilter("format is csv or jsonl"))?;
    let complaints = store.complaints_at(account.unit_scope(), None).await?;
    let mut events = store.complaint_events_at(account.unit_scope()).await?;
    store
        .audit_entry(
            &account.email,
            "export",
            "complaints",
            json!({ "format": format.as_str(), "complaints": complaints.len() }),
        )
        .await?;
    let (mut writer, body) = stream::channel();
    tokio::spawn(async move {
        if format == LogFormat::Csv {
            push_record(writer.buf(), &COLUMNS);
        }
        // Oldest first, as the log reads.
        for c in complaints.iter().rev() {
            let history = events.remove(&c.id).unwrap_or_default();
            write(format, c, &history, writer.buf());
            if !writer.flush_full().await {
                return; // the client went away
            }
        }
        writer.finish().await;
    });
    Ok((format, body))
}

/// Every complaint `account` may see with its whole history, as the CSV
/// (for the Data Package, whose download is audited as a whole).
pub async fn csv(store: &Store, account: &Account) -> sqlx::Result<Vec<u8>> {
    if !account.reads_complaints() {
        return Ok(Vec::new());
    }
    let complaints = store.complaints_at(account.unit_scope(), None).await?;
    let mut events = store.complaint_events_at(account.unit_scope()).await?;
    let mut buf = Vec::new();
    push_record(&mut buf, &COLUMNS);
    for c in complaints.iter().rev() {
        let history = events.remove(&c.id).unwrap_or_default();
        write(LogFormat::Csv, c, &history, &mut buf);
    }
    Ok(buf)
}

fn write(format: LogFormat, c: &ComplaintRecord, history: &[EventRecord], buf: &mut Vec<u8>) {
    let opt = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
    let submitted = at(c.submitted_at_ms);
    match format {
        LogFormat::Jsonl => {
            let line = json!({
                "complaint_id": c.id,
                "service_code": c.service.code,
                "unit_code": c.unit.code,
                "privacy": c.privacy,
                "submitted_at": submitted,
                "items": c.items,
                "text": c.text,
                "state": c.state,
                "reopened": c.reopened,
                "rating": c.rating,
                "events": history.iter().map(|e| json!({
                    "at": at(e.at_ms),
                    "state": e.state,
                    "actor": e.actor,
                    "note": e.note,
                    "unit_code": e.unit.code,
                })).collect::<Vec<_>>(),
            });
            buf.extend_from_slice(line.to_string().as_bytes());
            buf.push(b'\n');
        }
        LogFormat::Csv => {
            for (i, e) in history.iter().enumerate() {
                push_record(
                    buf,
                    &[
                        c.id.to_string(),
                        c.service.code.clone(),
                        c.unit.code.clone(),
                        c.privacy.as_str().to_owned(),
                        submitted.clone(),
                        c.items.join(" "),
                        c.text.clone(),
                        c.state.as_str().to_owned(),
                        c.reopened.to_string(),
                        opt(c.rating),
                        (i + 1).to_string(),
                        at(e.at_ms),
                        e.state.as_str().to_owned(),
                        e.actor.clone(),
                        e.note.clone().unwrap_or_default(),
                        e.unit.code.clone(),
                    ],
                );
            }
        }
    }
}
