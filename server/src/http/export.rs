//! `GET /api/v1/export`: every selected response, one row each, in sequence
//! order, streamed from the database so that memory stays flat at any size,
//! with a manifest (headers and `GET /api/v1/export/manifest`) that places
//! the rows in the response chain.

use super::caller::Caller;
use super::problem::Problem;
use super::AppState;
use crate::auth::Role;
use crate::export_files::{self, Context};
use crate::records;
use crate::store::accounts::Account;
use crate::store::export::{bind_all, item_columns, ExportFilter};
use app::domain::response::rfc3339_millis;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, Time};
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
    fn given(mut self) -> Self {
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

    fn parse(s: Option<&str>) -> Result<Self, Problem> {
        let s = s.unwrap_or("csv");
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                Problem::bad_request(
                    "unknown-format",
                    format!("format \"{s}\" is not one of csv, jsonl, xlsx, datapackage"),
                )
            })
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Jsonl => "jsonl",
            Self::Xlsx => "xlsx",
            Self::DataPackage => "datapackage",
        }
    }

    /// Content type and file name.
    fn file(self) -> (&'static str, &'static str) {
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

/// The filter an export query asks for, checked against the caller's scope,
/// and the manifest of what it selects.
async fn select(
    state: &AppState,
    account: &Account,
    q: &ExportQuery,
) -> Result<(ExportFilter, Manifest), Problem> {
    let format = Format::parse(q.format.as_deref())?;
    let unknown = |what: &str, code: &str| {
        Problem::bad_request(
            &format!("unknown-{what}"),
            format!("no {what} has code \"{code}\""),
        )
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
        let id = state.store.agency_id_by_code(code).await?;
        filter.agency = Some(id.ok_or_else(|| unknown("agency", code))?);
    }
    if let Some(code) = q.unit.as_deref() {
        let id = state.store.unit_id_by_code(code).await?;
        filter.unit = Some(id.ok_or_else(|| unknown("unit", code))?);
    }
    let mut service_unit = None;
    if let Some(code) = q.service.as_deref() {
        let (id, unit) = state
            .store
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
            return Err(Problem::forbidden("this unit is not one of yours"));
        }
        filter.scope = Some(account.units.clone());
        let all = state.store.all_services().await?;
        let codes = crate::store::catalog::units_in_scope(&all, Some(&account.units))
            .into_iter()
            .map(|(code, _)| code)
            .collect();
        units_in_scope = Some(codes);
    }
    let head = state.store.chain_head_seq().await?;
    let up_to_seq = match q.up_to_seq {
        Some(s) if s < 0 || s > head => {
            return Err(Problem::bad_request(
                "bad-up-to-seq",
                format!("up_to_seq must be between 0 and {head}, the latest sequence number"),
            ))
        }
        Some(s) => s,
        None => head,
    };
    filter.up_to_seq = Some(up_to_seq);
    let extent = state.store.export_extent(&filter).await?;
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

/// The manifest's address for this export, pinned to its `up_to_seq`.
fn manifest_link(q: &ExportQuery, up_to_seq: i64) -> String {
    let pairs: Vec<(&str, String)> = [
        ("format", &q.format),
        ("from", &q.from),
        ("to", &q.to),
        ("agency", &q.agency),
        ("unit", &q.unit),
        ("service", &q.service),
        ("questionnaire", &q.questionnaire),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().map(|v| (k, v)))
    .chain([("up_to_seq", up_to_seq.to_string())])
    .collect();
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("/api/v1/export/manifest?{query}")
}

/// Responses as CSV (RFC 4180, UTF-8, CRLF) or JSON Lines, streamed in
/// sequence order, with the manifest in `Suara-*` headers.
#[utoipa::path(get, path = "/api/v1/export", tag = "export", params(ExportQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, content_type = "text/csv", description = "CSV columns: seq, id, agency_code, unit_code, service_code, service_id, questionnaire_id, questionnaire_version, answered_at, answered_at_reported, received_at, channel, respondent_sex, respondent_age_band, respondent_education, respondent_occupation, respondent_disability, app_version, one per item code, comment, content_hash, chain_hash. JSON Lines (format=jsonl): one object per response with the same fields, scores and respondent as objects. Headers: Suara-Row-Count, Suara-First-Seq, Suara-Last-Seq, Suara-Chain-Before, Suara-Chain-After, Suara-Up-To-Seq, Suara-Complete, and Link to the manifest."),
              (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn export(
    State(state): State<AppState>,
    Caller(account): Caller,
    Query(q): Query<ExportQuery>,
) -> Result<Response, Problem> {
    let q = q.given();
    let format = Format::parse(q.format.as_deref())?;
    let (filter, manifest) = select(&state, &account, &q).await?;
    let questionnaires = state.store.export_questionnaires(&filter).await?;
    let items = item_columns(&questionnaires);
    state
        .store
        .audit_entry(
            &account.email,
            "export",
            format.as_str(),
            serde_json::to_value(&manifest).unwrap_or_default(),
        )
        .await?;
    tracing::info!(account = %account.email, ?filter, rows = manifest.row_count, "export");

    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let store = state.store.clone();
    let header_manifest = manifest.clone();
    match format {
        Format::Csv | Format::Jsonl => {
            tokio::spawn(async move {
                if let Err(e) = stream_rows(&store, &filter, format, &items, &tx).await {
                    tracing::error!(error = %e, "export broke off");
                    let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
                }
            });
        }
        Format::Xlsx | Format::DataPackage => {
            let services = state.store.all_services().await?;
            let ctx = Context {
                manifest,
                items,
                questionnaires,
                services,
            };
            tokio::spawn(async move {
                if let Err(e) = send_file(store, filter, format, ctx, &tx).await {
                    tracing::error!(error = %e, "export broke off");
                    let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
                }
            });
        }
    }
    let manifest = header_manifest;
    let body = Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
    let (content_type, file) = format.file();
    let opt = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
    let mut response = (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (
                header::LINK,
                format!(
                    "<{}>; rel=\"describedby\"; type=\"application/json\"",
                    manifest_link(&q, manifest.up_to_seq)
                ),
            ),
        ],
        body,
    )
        .into_response();
    let h = response.headers_mut();
    for (name, value) in [
        ("suara-row-count", manifest.row_count.to_string()),
        ("suara-first-seq", opt(manifest.first_seq)),
        ("suara-last-seq", opt(manifest.last_seq)),
        ("suara-chain-before", manifest.chain_before.clone()),
        ("suara-chain-after", manifest.chain_after.clone()),
        ("suara-up-to-seq", manifest.up_to_seq.to_string()),
        ("suara-complete", manifest.complete.to_string()),
    ] {
        if let Ok(v) = header::HeaderValue::from_str(&value) {
            h.insert(header::HeaderName::from_static(name), v);
        }
    }
    Ok(response)
}

/// The CSV export, as the first version of the API named it.
#[utoipa::path(get, path = "/api/v1/export.csv", tag = "export", params(ExportQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, content_type = "text/csv", description = "The same as /api/v1/export?format=csv"),
              (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn export_csv(
    state: State<AppState>,
    caller: Caller,
    Query(mut q): Query<ExportQuery>,
) -> Result<Response, Problem> {
    q.format = Some("csv".into());
    export(state, caller, Query(q)).await
}

/// The manifest of an export: ask with the export's own query and its
/// `up_to_seq` (the export's `Link` header gives this address).
#[utoipa::path(get, path = "/api/v1/export/manifest", tag = "export", params(ExportQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Manifest),
              (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn manifest(
    State(state): State<AppState>,
    Caller(account): Caller,
    Query(q): Query<ExportQuery>,
) -> Result<Json<Manifest>, Problem> {
    let (_, manifest) = select(&state, &account, &q.given()).await?;
    Ok(Json(manifest))
}

type Chunks = tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>;

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

async fn stream_rows(
    store: &crate::store::Store,
    filter: &ExportFilter,
    format: Format,
    items: &[String],
    tx: &Chunks,
) -> anyhow::Result<()> {
    const CHUNK: usize = 64 * 1024;
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK * 2);
    if format == Format::Csv {
        push_record(&mut buf, &records::columns(items));
    }
    let (sql, binds) = filter.rows_sql();
    if let Some(file) = store.sqlite_file().map(std::path::Path::to_owned) {
        // SQLite: stepped directly on a blocking thread (see `sqlite_scan`).
        let (tx, items) = (tx.clone(), items.to_vec());
        return tokio::task::spawn_blocking(move || {
            crate::store::sqlite_scan::scan(&file, &sql, &binds, |row| {
                write_record(format, &records::from_raw(row)?, &items, &mut buf)?;
                if buf.len() >= CHUNK {
                    let chunk = std::mem::replace(&mut buf, Vec::with_capacity(CHUNK * 2));
                    // False: the client went away.
                    return Ok(tx.blocking_send(Ok(Bytes::from(chunk))).is_ok());
                }
                Ok(true)
            })?;
            if !buf.is_empty() {
                let _ = tx.blocking_send(Ok(Bytes::from(buf)));
            }
            Ok(())
        })
        .await?;
    }
    let mut rows = bind_all(sqlx::query(&sql), binds).fetch(store.pool());
    while let Some(row) = rows.try_next().await? {
        write_record(format, &records::from_row(&row)?, items, &mut buf)?;
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

/// Writes a file export (XLSX, Data Package) to a temporary file on a
/// blocking thread, fed row by row from the database, then sends the file.
async fn send_file(
    store: crate::store::Store,
    filter: ExportFilter,
    format: Format,
    ctx: Context,
    tx: &Chunks,
) -> anyhow::Result<()> {
    let (rows_tx, mut rows_rx) =
        tokio::sync::mpsc::channel::<anyhow::Result<records::Record>>(1024);
    let writer = tokio::task::spawn_blocking(move || -> anyhow::Result<tempfile::NamedTempFile> {
        let mut file = tempfile::NamedTempFile::new()?;
        let rows = std::iter::from_fn(|| rows_rx.blocking_recv());
        if format == Format::Xlsx {
            export_files::write_xlsx(&ctx, rows, file.path())?;
        } else {
            let out = std::io::BufWriter::new(file.as_file_mut());
            export_files::write_datapackage(&ctx, rows, out)?;
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
    let file = writer.await??;
    let mut f = tokio::fs::File::open(file.path()).await?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = tokio::io::AsyncReadExt::read(&mut f, &mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        if tx
            .send(Ok(Bytes::copy_from_slice(&buf[..n])))
            .await
            .is_err()
        {
            return Ok(()); // the client went away
        }
    }
}

/// Appends one RFC 4180 record: fields with a comma, quote, CR or LF are
/// quoted and their quotes doubled; the record ends with CRLF.
pub fn push_record<S: AsRef<str>>(buf: &mut Vec<u8>, fields: &[S]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        push_field(buf, field.as_ref());
    }
    buf.extend_from_slice(b"\r\n");
}

/// One field of a record: quoted, its quotes doubled, when it holds a
/// comma, quote, CR or LF.
pub fn push_field(buf: &mut Vec<u8>, f: &str) {
    if f.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
        buf.push(b'"');
        for part in f.split('"').enumerate() {
            if part.0 > 0 {
                buf.extend_from_slice(b"\"\"");
            }
            buf.extend_from_slice(part.1.as_bytes());
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(f.as_bytes());
    }
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
