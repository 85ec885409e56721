//! The service catalogue from a spreadsheet and back: a CSV or XLSX file
//! of one row per service is read, compared with the catalogue (what it
//! would add, rename, move; every row refused with its line and reason;
//! the services it does not name, which are kept), and applied in one
//! transaction audited with its counts and the file's SHA-256. An export
//! writes the same columns, so a round trip changes nothing.

pub mod file;

use crate::refusal::{Refusal, Refuse};
use crate::store::Store;
use app::domain::catalogue::import::{plan, rows_of, Plan};
use file::Format;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::fmt::Write as _;

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("\"{0}\" is neither a .csv nor a .xlsx file")]
    Format(String),
    #[error("the file has no \"{0}\" column (its first row names the columns)")]
    MissingColumn(&'static str),
    #[error("the file cannot be read: {0}")]
    Unreadable(String),
    #[error("the file is over {} MB", MAX_FILE_BYTES / 1_000_000)]
    TooLarge,
    #[error("no uploaded file has this address (applied already, or over a day old)")]
    UnknownUpload,
    #[error("storage failed: {0}")]
    Storage(#[from] sqlx::Error),
}

impl Refuse for CatalogueError {
    fn refusal(&self) -> Option<Refusal> {
        match self {
            Self::Storage(_) => None,
            Self::UnknownUpload => Some(Refusal::NotFound),
            _ => Some(Refusal::Invalid),
        }
    }

    fn slug(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::Format(_) => "bad-file-format",
            Self::MissingColumn(_) => "missing-column",
            Self::Unreadable(_) => "unreadable-file",
            Self::TooLarge => "file-too-large",
            Self::UnknownUpload => "unknown-upload",
            Self::Storage(_) => "storage",
        })
    }
}

/// The largest catalogue file taken (a national catalogue of thousands of
/// services is well under it).
pub const MAX_FILE_BYTES: usize = 5_000_000;

/// An import looked at or carried out.
#[derive(Debug)]
pub struct Import {
    pub plan: Plan,
    /// Of the file's bytes, hex.
    pub sha256: String,
    pub applied: bool,
}

/// Reads `bytes` (a file named `file_name`) and plans its import; applies
/// it as `actor` when `apply`, unless a row is refused or nothing changes.
pub async fn import(
    store: &Store,
    actor: &str,
    file_name: &str,
    bytes: &[u8],
    apply: bool,
) -> Result<Import, CatalogueError> {
    let rows = file::read(bytes, Format::of(file_name)?)?;
    let sha256 = hex::encode(Sha256::digest(bytes));
    let (plan, applied) = store
        .import_catalogue(actor, file_name, &sha256, apply, |now, questionnaires| {
            plan(&rows, now, questionnaires)
        })
        .await?;
    Ok(Import {
        plan,
        sha256,
        applied,
    })
}

/// Keeps a file an administrator uploaded for its preview, once it reads
/// as a catalogue file (the rows themselves are judged by the preview).
pub async fn upload(
    store: &Store,
    by: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<uuid::Uuid, CatalogueError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(CatalogueError::TooLarge);
    }
    file::read(bytes, Format::of(file_name)?)?;
    Ok(store.keep_catalogue_upload(file_name, bytes, by).await?)
}

/// What importing upload `id` would do, with the file's name and uploader.
pub async fn preview_upload(
    store: &Store,
    id: uuid::Uuid,
) -> Result<(Import, String, String), CatalogueError> {
    let (name, bytes, by) = store
        .catalogue_upload(id)
        .await?
        .ok_or(CatalogueError::UnknownUpload)?;
    let i = import(store, &by, &name, &bytes, false).await?;
    Ok((i, name, by))
}

/// Applies upload `id` as `actor` (planned again, against the catalogue as
/// it is now); the upload is forgotten once applied.
pub async fn apply_upload(
    store: &Store,
    actor: &str,
    id: uuid::Uuid,
) -> Result<Import, CatalogueError> {
    let (name, bytes, _) = store
        .catalogue_upload(id)
        .await?
        .ok_or(CatalogueError::UnknownUpload)?;
    let i = import(store, actor, &name, &bytes, true).await?;
    if i.applied || i.plan.unchanged() {
        store.forget_catalogue_upload(id).await?;
    }
    Ok(i)
}

/// The whole catalogue as a file of `format`.
pub async fn export(store: &Store, format: Format) -> Result<Vec<u8>, CatalogueError> {
    let (entries, _) = store.catalogue_entries().await?;
    file::write(&rows_of(&entries), format)
}

/// What an import found, for a person: the counts, every change, every
/// refused row with its line, and the services the file does not name.
pub fn report(i: &Import, file_name: &str) -> String {
    let c = i.plan.counts();
    let mut s = format!("{file_name} (sha256 {}): {} rows\n", i.sha256, c.rows);
    let _ = writeln!(
        s,
        "  agencies: {} new, {} changed; units: {} new, {} changed; services: {} new, {} changed, {} unchanged",
        c.agencies_added, c.agencies_changed, c.units_added, c.units_changed,
        c.services_added, c.services_changed, c.services_unchanged
    );
    for change in &i.plan.changes {
        let _ = writeln!(s, "  + {change}");
    }
    for r in &i.plan.refused {
        let _ = writeln!(s, "  REFUSED line {}: {}", r.line, r.reason);
    }
    if !i.plan.missing.is_empty() {
        let _ = writeln!(
            s,
            "  not in the file, kept as they are ({}): {}",
            i.plan.missing.len(),
            i.plan.missing.join(", ")
        );
    }
    let outcome = if i.applied {
        "applied, in one transaction, audited"
    } else if !i.plan.refused.is_empty() {
        "NOT applied: correct the refused rows and import again"
    } else if i.plan.unchanged() {
        "unchanged: the catalogue already says what the file says"
    } else {
        "preview only: nothing changed"
    };
    let _ = writeln!(s, "{outcome}");
    s
}
