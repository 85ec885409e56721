//! The rows of an export, written into its body while it is read: CSV and
//! JSON Lines straight from the database, XLSX and Data Packages through a
//! temporary file.

use super::files::{self, Context};
use super::stream::{self, ChunkWriter};
use super::{csv, records, Format};
use crate::store::export::{bind_all, ExportFilter};
use crate::store::Store;
use futures::TryStreamExt;

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
pub(super) async fn stream_rows(
    store: Store,
    filter: ExportFilter,
    format: Format,
    items: Vec<String>,
    mut writer: ChunkWriter,
) {
    if format == Format::Csv {
        csv::push_record(writer.buf(), &records::columns(&items));
    }
    let (sql, binds) = filter.rows_sql(store.engine());
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
pub(super) async fn send_file(
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
    let (sql, binds) = filter.rows_sql(store.engine());
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
