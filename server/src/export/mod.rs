//! Exports: every selected response, one row each, in sequence order, as
//! CSV, JSON Lines, XLSX or a Data Package, streamed from the database so
//! that memory stays flat at any size, with a manifest that places the rows
//! in the response chain (what `suara verify` checks).
//!
//! - [`records`]: the columns of a row, and how `verify` reads one back;
//! - [`csv`]: RFC 4180 records;
//! - [`files`]: the XLSX and Data Package writers;
//! - [`stream`]: the chunked body every streamed export is sent through.
//! - [`manifest`]: the query, what it selects, and the manifest of it;
//! - [`rows`]: the rows written into the body while it is read.

pub mod csv;
pub mod files;
mod manifest;
pub mod records;
mod rows;
pub mod stream;

pub use manifest::{select, ExportQuery, Manifest, ManifestFilters};

use crate::refusal::{Refusal, Refuse};
use crate::store::accounts::Account;
use crate::store::export::item_columns;
use crate::store::Store;
use axum::body::Body;
use files::Context;
use std::borrow::Cow;

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
    #[error("storage failed: {0}")]
    Storage(#[from] sqlx::Error),
}

impl Refuse for ExportError {
    fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            Self::NotYours => Refusal::Forbidden,
            // As the summary answers: the scope named does not exist.
            Self::Unknown { .. } => Refusal::NotFound,
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

/// An export under way: its manifest, and the body its rows stream into.
pub struct Export {
    pub format: Format,
    pub manifest: Manifest,
    pub body: Body,
}

/// Starts the export `q` asks for, as `account` (audited): the rows are
/// written while the body is read. `complaints`: the complaints the account
/// may see, as their export's CSV, which a Data Package carries too.
#[tracing::instrument(name = "export.start", skip_all)]
pub async fn start(
    store: &Store,
    account: &Account,
    q: &ExportQuery,
    complaints: Vec<u8>,
) -> Result<Export, ExportError> {
    let (format, filter, manifest) = select(store, account, q).await?;
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
            tokio::spawn(rows::stream_rows(store, filter, format, items, writer));
        }
        Format::Xlsx | Format::DataPackage => {
            let services = store.all_services().await?;
            let complaints = (format == Format::DataPackage).then_some(complaints);
            let ctx = Context {
                manifest: manifest.clone(),
                items,
                questionnaires,
                services,
                complaints,
            };
            tokio::spawn(rows::send_file(store, filter, format, ctx, writer));
        }
    }
    Ok(Export {
        format,
        manifest,
        body,
    })
}
