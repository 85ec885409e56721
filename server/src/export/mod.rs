//! Exports: every selected response, one row each, in sequence order, as
//! CSV, JSON Lines, XLSX or a Data Package, streamed from the database so
//! that memory stays flat at any size, with a manifest that places the rows
//! in the response chain (what `suara verify` checks).
//!
//! - [`records`]: the columns of a row, and how `verify` reads one back;
//! - [`csv`]: RFC 4180 records;
//! - [`files`]: the XLSX and Data Package writers;
//! - [`stream`]: the chunked body every streamed export is sent through.

pub mod csv;
pub mod files;
pub mod records;
pub mod stream;

use crate::auth::Role;
use crate::refusal::{Refusal, Refuse};
use crate::store::accounts::Account;
use crate::store::export::{bind_all, item_columns, ExportFilter};
use crate::store::Store;
use app::domain::period::parse_day;
use app::domain::response::rfc3339_millis;
use axum::body::Body;
use files::Context;
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use stream::ChunkWriter;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, Time};
use uuid::Uuid;

#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// `csv` (the default), `jsonl`, `xlsx` or `datapackage` (a zip).
    pub format: Option<String>,
    /// First day (YYYY-MM-DD, UTC) or instant (RFC 3339) of `answered_at`, inclusive.
    pub from: Option<String>,
    /// Last day (inclusive) or instant (exclusive) of `answered_at`.
    pub to: Option<String>,
    /// An agency's code.
    pub agency: Option<String>,
    /// A unit's code.
    pub unit: Option<String>,
    /// A service's code.
    pub service: Option<String>,
    /// A questionnaire id (every version).
    pub questionnaire: Option<String>,
    /// Only responses accepted up to this sequence number (default: all so
    /// far). Every export states its own in its manifest, so asking again with
    /// it gives the same rows.
    pub up_to_seq: Option<i64>,
}

impl ExportQuery {
    /// Empty fields as absent: a form sends `unit=` for "every unit".
    pub fn given(mut self) -> Self {
        for v in [
            &mut self.format,
            &mut self.from,
            &mut self.to,
            &mut self.agency,
            &mut self.unit,
            &mut self.service,
            &mut self.questionnaire,
        ] {
            if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
                *v = None;
            }
        }
        self
    }

    /// The manifest's address for this export, pinned to its `up_to_seq`.
    pub fn manifest_link(&self, up_to_seq: i64) -> String {
        let pairs: Vec<(&str, String)> = [
            ("format", &self.format),
            ("from", &self.from),
            ("to", &self.to),
            ("agency", &self.agency),
            ("unit", &self.unit),
            ("service", &self.service),
            ("questionnaire", &self.questionnaire),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k, v)))
        .chain([("up_to_seq", up_to_seq.to_string())])
        .collect();
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("/api/v1/export/manifest?{query}")
    }
}

/// Why an export was refused.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("format \"{0}\" is not one of csv, jsonl, xlsx, datapackage")]
    UnknownFormat(String),
    #[error("\"{0}\" is neither a date (YYYY-MM-DD) nor an RFC 3339 time")]
    InvalidDate(String),
    #[error("no {kind} has code \"{code}\"")]
    Unknown { kind: &'static str, code: String },
    #[error("this unit is not one of yours")]
    NotYours,
    #[error("up_to_seq must be between 0 and {0}, the latest sequence number")]
    BadUpToSeq(i64),
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

impl Refuse for ExportError {
    fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            Self::NotYours => Refusal::Forbidden,
            Self::Storage(_) => return None,
            _ => Refusal::Invalid,
        })
    }

    fn slug(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::UnknownFormat(_) => "unknown-format",
            Self::InvalidDate(_) => "invalid-date",
            Self::Unknown { kind, .. } => return format!("unknown-{kind}").into(),
            Self::NotYours => "forbidden",
            Self::BadUpToSeq(_) => "bad-up-to-seq",
            Self::Storage(_) => "internal",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
    Xlsx,
    DataPackage,
}

impl Format {
    const ALL: [Self; 4] = [Self::Csv, Self::Jsonl, Self::Xlsx, Self::DataPackage];

    pub fn parse(s: Option<&str>) -> Result<Self, ExportError> {
        let s = s.unwrap_or("csv");
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| ExportError::UnknownFormat(s.to_owned()))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Jsonl => "jsonl",
            Self::Xlsx => "xlsx",
            Self::DataPackage => "datapackage",
        }
    }

    /// Content type and file name.
    pub fn file(self) -> (&'static str, &'static str) {
        match self {
            Self::Csv => (
                "text/csv; charset=utf-8; header=present",
                "suara-responses.csv",
            ),
            Self::Jsonl => ("application/jsonl; charset=utf-8", "suara-responses.jsonl"),
            Self::Xlsx => (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "suara-responses.xlsx",
            ),
            Self::DataPackage => ("application/zip", "suara-datapackage.zip"),
        }
    }
}

/// What an export holds, so that an auditor can prove it whole: its filters,
/// how many rows, where they sit in the response chain and the chain hashes
/// around them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Manifest {
    pub format: String,
    /// The filters as asked (codes, days), `null` where not given.
    pub filters: ManifestFilters,
    /// True when nothing but `up_to_seq` narrows it: every accepted response
    /// from sequence number 1 to `up_to_seq` is a row, in order.
    pub complete: bool,
    pub up_to_seq: i64,
    pub row_count: u64,
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    /// The chain hash before the first row (64 zeros before response 1).
    pub chain_before: String,
    /// The chain hash after the last row.
    pub chain_after: String,
    pub server_version: String,
    pub generated_at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ManifestFilters {
    pub from: Option<String>,
    pub to: Option<String>,
    pub agency: Option<String>,
    pub unit: Option<String>,
    pub service: Option<String>,
    pub questionnaire: Option<String>,
    /// A unit head's export is limited to their units: their codes.
    pub units_in_scope: Option<Vec<String>>,
}

/// A day or an instant; a day as upper bound means through its end.
fn parse_bound(s: &str, upper: bool) -> Result<i64, ExportError> {
    let t = if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        t
    } else {
        let d = parse_day(s).ok_or_else(|| ExportError::InvalidDate(s.to_owned()))?;
        let d = if upper { d.next_day().unwrap_or(d) } else { d };
        d.with_time(Time::MIDNIGHT).assume_utc()
    };
    Ok(crate::store::datetime_to_ms(t))
}

/// The filter an export query asks for, checked against the caller's scope,
/// and the manifest of what it selects.
pub async fn select(
    store: &Store,
    account: &Account,
    q: &ExportQuery,
) -> Result<(ExportFilter, Manifest), ExportError> {
    let format = Format::parse(q.format.as_deref())?;
    let unknown = |kind: &'static str, code: &str| ExportError::Unknown {
        kind,
        code: code.to_owned(),
    };
    let mut filter = ExportFilter {
        from_ms: q
            .from
            .as_deref()
            .map(|s| parse_bound(s, false))
            .transpose()?,
        to_ms: q.to.as_deref().map(|s| parse_bound(s, true)).transpose()?,
        questionnaire: q.questionnaire.clone(),
        ..Default::default()
    };
    if let Some(code) = q.agency.as_deref() {
        let id = store.agency_id_by_code(code).await?;
        filter.agency = Some(id.ok_or_else(|| unknown("agency", code))?);
    }
    if let Some(code) = q.unit.as_deref() {
        let id = store.unit_id_by_code(code).await?;
        filter.unit = Some(id.ok_or_else(|| unknown("unit", code))?);
    }
    let mut service_unit = None;
    if let Some(code) = q.service.as_deref() {
        let (id, unit) = store
            .service_ids_by_code(code)
            .await?
            .ok_or_else(|| unknown("service", code))?;
        filter.service = Some(id);
        service_unit = Some(unit);
    }
    let mut units_in_scope = None;
    if account.role == Role::UnitHead {
        let mine = |u: Option<Uuid>| u.is_none_or(|u| account.units.contains(&u));
        if !mine(filter.unit) || !mine(service_unit) {
            return Err(ExportError::NotYours);
        }
        filter.scope = Some(account.units.clone());
        let all = store.all_services().await?;
        let codes = crate::store::catalog::units_in_scope(&all, Some(&account.units))
            .into_iter()
            .map(|(code, _)| code)
            .collect();
        units_in_scope = Some(codes);
    }
    let head = store.chain_head_seq().await?;
    let up_to_seq = match q.up_to_seq {
        Some(s) if s < 0 || s > head => return Err(ExportError::BadUpToSeq(head)),
        Some(s) => s,
        None => head,
    };
    filter.up_to_seq = Some(up_to_seq);
    let extent = store.export_extent(&filter).await?;
    let manifest = Manifest {
        format: format.as_str().to_owned(),
        filters: ManifestFilters {
            from: q.from.clone(),
            to: q.to.clone(),
            agency: q.agency.clone(),
            unit: q.unit.clone(),
            service: q.service.clone(),
            questionnaire: q.questionnaire.clone(),
            units_in_scope,
        },
        complete: filter.is_complete(),
        up_to_seq,
        row_count: extent.rows,
        first_seq: extent.first_seq,
        last_seq: extent.last_seq,
        chain_before: extent.chain_before,
        chain_after: extent.chain_after,
        server_version: env!("CARGO_PKG_VERSION").to_owned(),
        generated_at: rfc3339_millis(OffsetDateTime::now_utc()),
    };
    Ok((filter, manifest))
}

/// An export under way: its manifest, and the body its rows stream into.
pub struct Export {
    pub format: Format,
    pub manifest: Manifest,
    pub body: Body,
}

/// Starts the export `q` asks for, as `account` (audited): the rows are
/// written while the body is read.
pub async fn start(
    store: &Store,
    account: &Account,
    q: &ExportQuery,
) -> Result<Export, ExportError> {
    let format = Format::parse(q.format.as_deref())?;
    let (filter, manifest) = select(store, account, q).await?;
    let questionnaires = store.export_questionnaires(&filter).await?;
    let items = item_columns(&questionnaires);
    store
        .audit_entry(
            &account.email,
            "export",
            format.as_str(),
            serde_json::to_value(&manifest).unwrap_or_default(),
        )
        .await?;
    tracing::info!(account = %account.email, ?filter, rows = manifest.row_count, "export");

    let (writer, body) = stream::channel();
    let store = store.clone();
    match format {
        Format::Csv | Format::Jsonl => {
            tokio::spawn(stream_rows(store, filter, format, items, writer));
        }
        Format::Xlsx | Format::DataPackage => {
            let services = store.all_services().await?;
            let ctx = Context {
                manifest: manifest.clone(),
                items,
                questionnaires,
                services,
            };
            tokio::spawn(send_file(store, filter, format, ctx, writer));
        }
    }
    Ok(Export {
        format,
        manifest,
        body,
    })
}

/// Appends one response as a CSV record or a JSON Lines line.
fn write_record(
    format: Format,
    record: &records::Record,
    items: &[String],
    buf: &mut Vec<u8>,
) -> serde_json::Result<()> {
    if format == Format::Jsonl {
        serde_json::to_writer(&mut *buf, &record.to_json())?;
        buf.push(b'\n');
    } else {
        record.write_csv(items, buf);
    }
    Ok(())
}

/// CSV or JSON Lines rows into `writer`, in sequence order.
async fn stream_rows(
    store: Store,
    filter: ExportFilter,
    format: Format,
    items: Vec<String>,
    mut writer: ChunkWriter,
) {
    if format == Format::Csv {
        csv::push_record(writer.buf(), &records::columns(&items));
    }
    let (sql, binds) = filter.rows_sql();
    if let Some(file) = store.sqlite_file().map(std::path::Path::to_owned) {
        // SQLite: stepped directly on a blocking thread (see `sqlite_scan`).
        let done = tokio::task::spawn_blocking(move || {
            let scanned = crate::store::sqlite_scan::scan(&file, &sql, &binds, |row| {
                write_record(format, &records::from_raw(row)?, &items, writer.buf())?;
                // False: the client went away.
                Ok(writer.blocking_flush_full())
            });
            (scanned, writer)
        })
        .await;
        match done {
            Ok((Ok(()), writer)) => writer.finish().await,
            Ok((Err(e), writer)) => writer.fail(e).await,
            Err(e) => tracing::error!(error = %e, "export broke off"),
        }
        return;
    }
    let mut rows = bind_all(sqlx::query(&sql), binds).fetch(store.pool());
    loop {
        let row = match rows.try_next().await {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(e) => return writer.fail(e).await,
        };
        let written = records::from_row(&row)
            .and_then(|r| Ok(write_record(format, &r, &items, writer.buf())?));
        if let Err(e) = written {
            return writer.fail(e).await;
        }
        if !writer.flush_full().await {
            return; // the client went away
        }
    }
    writer.finish().await;
}

/// Writes a file export (XLSX, Data Package) to a temporary file on a
/// blocking thread, fed row by row from the database, then sends the file.
async fn send_file(
    store: Store,
    filter: ExportFilter,
    format: Format,
    ctx: Context,
    mut writer: ChunkWriter,
) {
    let file = match write_file(&store, filter, format, ctx).await {
        Ok(file) => file,
        Err(e) => return writer.fail(e).await,
    };
    let mut f = match tokio::fs::File::open(file.path()).await {
        Ok(f) => f,
        Err(e) => return writer.fail(e).await,
    };
    let mut buf = vec![0u8; stream::CHUNK];
    loop {
        match tokio::io::AsyncReadExt::read(&mut f, &mut buf).await {
            Ok(0) => return writer.finish().await,
            Ok(n) => {
                if !writer.send(&buf[..n]).await {
                    return; // the client went away
                }
            }
            Err(e) => return writer.fail(e).await,
        }
    }
}

async fn write_file(
    store: &Store,
    filter: ExportFilter,
    format: Format,
    ctx: Context,
) -> anyhow::Result<tempfile::NamedTempFile> {
    let (rows_tx, mut rows_rx) =
        tokio::sync::mpsc::channel::<anyhow::Result<records::Record>>(1024);
    let writer = tokio::task::spawn_blocking(move || -> anyhow::Result<tempfile::NamedTempFile> {
        let mut file = tempfile::NamedTempFile::new()?;
        let rows = std::iter::from_fn(|| rows_rx.blocking_recv());
        if format == Format::Xlsx {
            files::write_xlsx(&ctx, rows, file.path())?;
        } else {
            let out = std::io::BufWriter::new(file.as_file_mut());
            files::write_datapackage(&ctx, rows, out)?;
        }
        Ok(file)
    });
    let (sql, binds) = filter.rows_sql();
    let mut rows = bind_all(sqlx::query(&sql), binds).fetch(store.pool());
    while let Some(row) = rows.try_next().await? {
        let record = records::from_row(&row);
        let failed = record.is_err();
        if rows_tx.send(record).await.is_err() || failed {
            break; // the writer failed; its error follows
        }
    }
    drop(rows_tx);
    writer.await?
}
