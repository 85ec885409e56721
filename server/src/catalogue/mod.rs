//! The service catalogue from a spreadsheet and back: a CSV or XLSX file
//! of one row per service is read, compared with the catalogue (what it
//! would add, rename, move; every row refused with its line and reason;
//! the services it does not name, which are kept), and applied in one
//! transaction audited with its counts and the file's SHA-256. An export
//! writes the same columns, so a round trip changes nothing.

pub mod file;

use crate::refusal::{Refusal, Refuse};
use crate::store::Store;
use app::domain::catalog::import::{plan, rows_of, Plan};
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
    #[error("storage failed: {0}")]
    Storage(#[from] sqlx::Error),
}

impl Refuse for CatalogueError {
    fn refusal(&self) -> Option<Refusal> {
        match self {
            Self::Storage(_) => None,
            _ => Some(Refusal::Invalid),
        }
    }

    fn slug(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::Format(_) => "bad-file-format",
            Self::MissingColumn(_) => "missing-column",
            Self::Unreadable(_) => "unreadable-file",
            Self::Storage(_) => "storage",
        })
    }
}

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
