//! The audit log for auditors and administrators: the whole log, oldest
//! first, as CSV or JSON Lines, streamed (the download is itself audited).

use crate::auth::Role;
use crate::export::csv::push_record;
use crate::export::stream::{self, ChunkWriter};
use crate::refusal::{Refusal, Refuse};
use crate::store::accounts::Account;
use crate::store::{ms_to_datetime, Store};
use app::domain::response::rfc3339_millis;
use app::model::audit::AuditView;
use axum::body::Body;
use futures::TryStreamExt;
use serde_json::json;
use std::borrow::Cow;

/// The columns of the CSV, and the fields of each JSON line.
pub const COLUMNS: [&str; 6] = ["at", "actor", "action", "target", "before", "after"];

/// Why the log was not given.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("the audit log is for auditors and administrators")]
    NotForUnitHeads,
    #[error("format \"{0}\" is not one of csv, jsonl")]
    UnknownFormat(String),
    #[error("storage failed: {0}")]
    Storage(#[from] sqlx::Error),
}

impl Refuse for AuditError {
    fn refusal(&self) -> Option<Refusal> {
        match self {
            Self::NotForUnitHeads => Some(Refusal::Forbidden),
            Self::UnknownFormat(_) => Some(Refusal::Invalid),
            Self::Storage(_) => None,
        }
    }

    fn slug(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::NotForUnitHeads => "forbidden",
            Self::UnknownFormat(_) => "unknown-format",
            Self::Storage(_) => "internal",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Csv,
    Jsonl,
}

impl LogFormat {
    /// `csv` when not given (or given empty, as a form sends it).
    pub fn parse(s: Option<&str>) -> Result<Self, AuditError> {
        match s.map(str::trim).filter(|s| !s.is_empty()).unwrap_or("csv") {
            "csv" => Ok(Self::Csv),
            "jsonl" => Ok(Self::Jsonl),
            other => Err(AuditError::UnknownFormat(other.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Jsonl => "jsonl",
        }
    }

    /// Content type and file name.
    pub fn file(self) -> (&'static str, &'static str) {
        match self {
            Self::Csv => (
                "text/csv; charset=utf-8; header=present",
                "suara-audit-log.csv",
            ),
            Self::Jsonl => ("application/jsonl; charset=utf-8", "suara-audit-log.jsonl"),
        }
    }
}

/// Starts the download of the whole log for `account`, recording it first.
pub async fn download(
    store: &Store,
    account: &Account,
    format: Option<&str>,
) -> Result<(LogFormat, Body), AuditError> {
    if !matches!(account.role, Role::Admin | Role::Auditor) {
        return Err(AuditError::NotForUnitHeads);
    }
    let format = LogFormat::parse(format)?;
    store
        .audit_entry(
            &account.email,
            "export",
            "audit-log",
            json!({ "format": format.as_str() }),
        )
        .await?;
    let (writer, body) = stream::channel();
    tokio::spawn(write_log(store.clone(), format, writer));
    Ok((format, body))
}

async fn write_log(store: Store, format: LogFormat, mut writer: ChunkWriter) {
    if format == LogFormat::Csv {
        push_record(writer.buf(), &COLUMNS);
    }
    let mut entries = std::pin::pin!(store.audit_entries());
    loop {
        match entries.try_next().await {
            Ok(Some(entry)) => write_entry(format, entry, writer.buf()),
            Ok(None) => break,
            Err(e) => return writer.fail(e).await,
        }
        if !writer.flush_full().await {
            return; // the client went away
        }
    }
    writer.finish().await;
}

fn write_entry(format: LogFormat, e: AuditView, buf: &mut Vec<u8>) {
    let at = rfc3339_millis(ms_to_datetime(e.at_ms));
    match format {
        LogFormat::Jsonl => {
            let parse = |v: Option<String>| {
                v.map(|t| serde_json::from_str(&t).unwrap_or(serde_json::Value::String(t)))
            };
            let entry = json!({
                "at": at,
                "actor": e.actor,
                "action": e.action,
                "target": e.target,
                "before": parse(e.before),
                "after": parse(e.after),
            });
            buf.extend_from_slice(entry.to_string().as_bytes());
            buf.push(b'\n');
        }
        LogFormat::Csv => push_record(
            buf,
            &[
                at,
                e.actor,
                e.action,
                e.target,
                e.before.unwrap_or_default(),
                e.after.unwrap_or_default(),
            ],
        ),
    }
}
