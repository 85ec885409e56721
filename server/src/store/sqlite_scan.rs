//! Reading a large SELECT from the SQLite file directly, on the calling
//! (blocking) thread: what exports use on SQLite.
//!
//! sqlx hands each row from its SQLite worker thread to the async task over
//! a channel, one message a row; at a million rows that hand-over (and the
//! row conversion behind it) takes most of an export's time. Here one
//! read-only connection steps the statement and the caller reads each row's
//! text in place. The statement sees one snapshot of the file (WAL), as the
//! pool's connections do.

use super::export::Bind;
use anyhow::{bail, Context};
use libsqlite3_sys as ffi;
use std::ffi::{CStr, CString};
use std::path::Path;

/// One row: its columns as text (`None` for NULL), borrowed until the next.
pub struct Row<'s> {
    stmt: *mut ffi::sqlite3_stmt,
    _scan: std::marker::PhantomData<&'s ()>,
}

impl Row<'_> {
    /// Column `i` as text; integers come as their decimal digits.
    pub fn text(&self, i: i32) -> Option<&str> {
        // SAFETY: the statement is positioned on a row (SQLITE_ROW) for the
        // lifetime of `self`; the pointer and length come from SQLite for
        // this column and stay valid until the next step or finalize, which
        // the borrow prevents.
        unsafe {
            let p = ffi::sqlite3_column_text(self.stmt, i);
            if p.is_null() {
                return None;
            }
            let n = ffi::sqlite3_column_bytes(self.stmt, i);
            let bytes = std::slice::from_raw_parts(p, usize::try_from(n).ok()?);
            std::str::from_utf8(bytes).ok()
        }
    }

    pub fn int(&self, i: i32) -> i64 {
        // SAFETY: as in `text`.
        unsafe { ffi::sqlite3_column_int64(self.stmt, i) }
    }
}

struct Db(*mut ffi::sqlite3);

impl Drop for Db {
    fn drop(&mut self) {
        // SAFETY: opened by sqlite3_open_v2; every statement is finalized first.
        unsafe {
            ffi::sqlite3_close(self.0);
        }
    }
}

struct Stmt(*mut ffi::sqlite3_stmt);

impl Drop for Stmt {
    fn drop(&mut self) {
        // SAFETY: prepared by sqlite3_prepare_v2 on a connection still open.
        unsafe {
            ffi::sqlite3_finalize(self.0);
        }
    }
}

fn error(db: *mut ffi::sqlite3) -> String {
    // SAFETY: sqlite3_errmsg returns a NUL-terminated string owned by SQLite.
    unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) }
        .to_string_lossy()
        .into_owned()
}

/// Runs `sql` with `binds` ($1, $2, … in order) on the file at `path`, read
/// only, calling `each` for every row until it returns false.
pub fn scan(
    path: &Path,
    sql: &str,
    binds: &[Bind],
    mut each: impl FnMut(&Row<'_>) -> anyhow::Result<bool>,
) -> anyhow::Result<()> {
    let cpath = CString::new(path.to_string_lossy().as_bytes()).context("a NUL in the path")?;
    let csql = CString::new(sql).context("a NUL in the SQL")?;
    let mut raw = std::ptr::null_mut();
    // SAFETY: FFI calls with valid NUL-terminated strings and out-pointers;
    // the handles are owned by `Db` and `Stmt`, which close them in order
    // (the statement is declared after the connection, so dropped first).
    unsafe {
        let rc = ffi::sqlite3_open_v2(
            cpath.as_ptr(),
            &mut raw,
            ffi::SQLITE_OPEN_READONLY | ffi::SQLITE_OPEN_NOMUTEX,
            std::ptr::null(),
        );
        let db = Db(raw);
        if rc != ffi::SQLITE_OK {
            bail!("cannot open {}: {}", path.display(), error(db.0));
        }
        ffi::sqlite3_busy_timeout(db.0, 30_000);
        let mut stmt = std::ptr::null_mut();
        if ffi::sqlite3_prepare_v2(db.0, csql.as_ptr(), -1, &mut stmt, std::ptr::null_mut())
            != ffi::SQLITE_OK
        {
            bail!("cannot prepare the export: {}", error(db.0));
        }
        let stmt = Stmt(stmt);
        for (i, b) in binds.iter().enumerate() {
            let at = i32::try_from(i + 1)?;
            let rc = match b {
                Bind::Int(v) => ffi::sqlite3_bind_int64(stmt.0, at, *v),
                Bind::Text(t) => {
                    let len = i32::try_from(t.len())?;
                    ffi::sqlite3_bind_text(
                        stmt.0,
                        at,
                        t.as_ptr().cast(),
                        len,
                        ffi::SQLITE_TRANSIENT(),
                    )
                }
            };
            if rc != ffi::SQLITE_OK {
                bail!("cannot bind parameter {at}: {}", error(db.0));
            }
        }
        loop {
            match ffi::sqlite3_step(stmt.0) {
                ffi::SQLITE_ROW => {
                    let row = Row {
                        stmt: stmt.0,
                        _scan: std::marker::PhantomData,
                    };
                    if !each(&row)? {
                        break;
                    }
                }
                ffi::SQLITE_DONE => break,
                _ => bail!("the export stopped: {}", error(db.0)),
            }
        }
        drop(stmt);
        drop(db);
    }
    Ok(())
}

/// Every row of `sql` made into a `T` by `each` (`None`: left out), stepped
/// on a blocking thread: what the pages that read many small rows use on
/// SQLite (sqlx's hand-over of each row costs ~10 µs, the step well under
/// one). `what` names the read in an error.
pub async fn collect<T: Send + 'static>(
    file: std::path::PathBuf,
    sql: String,
    binds: Vec<Bind>,
    what: &'static str,
    mut each: impl FnMut(&Row<'_>) -> anyhow::Result<Option<T>> + Send + 'static,
) -> sqlx::Result<Vec<T>> {
    let scanned = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        scan(&file, &sql, &binds, |r| {
            out.extend(each(r)?);
            Ok(true)
        })
        .map(|()| out)
    })
    .await;
    match scanned {
        Ok(Ok(out)) => Ok(out),
        Ok(Err(e)) => Err(sqlx::Error::Protocol(format!("{what}: {e:#}"))),
        Err(e) => Err(sqlx::Error::Protocol(format!("{what}: {e}"))),
    }
}
