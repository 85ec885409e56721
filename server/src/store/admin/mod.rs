//! What administrators change: agencies, units and services, accounts and
//! their units. Every change is checked, made in one transaction together
//! with its audit-log entry (who, what, when, before and after), or not at
//! all.

mod accounts;
mod catalogue;
pub use catalogue::NewUnit;

use super::accounts::AccountError;
use app::model::admin_page::AdminRefusal;
use sqlx::{Any, Transaction};

/// Why a change was refused; each says what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("a code is 2–60 lowercase letters, digits and hyphens: \"{0}\"")]
    BadCode(String),
    #[error("a name must not be empty")]
    EmptyName,
    #[error("the code \"{0}\" is taken")]
    CodeTaken(String),
    #[error("no {0} has the code \"{1}\"")]
    Unknown(&'static str, String),
    #[error("the yearly volume must be a positive whole number")]
    BadVolume,
    #[error("a time zone is Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)")]
    BadTimeZone,
    #[error("opening hours are written like 08.00-16.00, opening before closing")]
    BadOpeningHours,
    #[error("you cannot disable your own account")]
    OwnAccount,
    #[error("the questionnaire definition is not valid: {0}")]
    BadQuestionnaire(String),
    #[error("\"{0}\" is not a day (YYYY-MM-DD) or a kind of day off")]
    BadDay(String),
    #[error("this link was used already, revoked, or has expired")]
    LinkClosed,
    #[error(transparent)]
    Account(#[from] AccountError),
    /// Not transparent, so the sqlx error is its source (`Refuse::storage`,
    /// `Problem::failure`).
    #[error("the database failed: {0}")]
    Db(#[from] sqlx::Error),
}

impl AdminError {
    /// The refusal the administration page shows; `None` for a failure of
    /// the server.
    pub fn refusal(&self) -> Option<AdminRefusal> {
        Some(match self {
            Self::BadCode(_) => AdminRefusal::BadCode,
            Self::EmptyName => AdminRefusal::EmptyName,
            Self::CodeTaken(_) => AdminRefusal::CodeTaken,
            Self::Unknown(..) => AdminRefusal::Unknown,
            Self::BadVolume => AdminRefusal::BadVolume,
            Self::BadTimeZone => AdminRefusal::BadTimeZone,
            Self::BadOpeningHours => AdminRefusal::BadOpeningHours,
            Self::OwnAccount => AdminRefusal::OwnAccount,
            Self::BadQuestionnaire(_) => AdminRefusal::BadQuestionnaire,
            Self::BadDay(_) => AdminRefusal::BadDay,
            Self::LinkClosed => AdminRefusal::LinkClosed,
            Self::Account(e) => match e {
                AccountError::EmailTaken(_) => AdminRefusal::EmailTaken,
                AccountError::BadEmail(_) => AdminRefusal::BadEmail,
                AccountError::WeakPassword | AccountError::LongPassword => {
                    AdminRefusal::WeakPassword
                }
                AccountError::UnitHeadWithoutUnit => AdminRefusal::NoUnit,
                AccountError::LeadershipWithoutAgency => AdminRefusal::NoAgency,
                AccountError::UnknownUnit(_)
                | AccountError::UnknownAgency(_)
                | AccountError::NoSuchAccount(_) => AdminRefusal::Unknown,
                AccountError::Db(_) | AccountError::Busy(_) => return None,
            },
            Self::Db(_) => return None,
        })
    }
}

pub(super) fn check_code(code: &str) -> Result<String, AdminError> {
    app::domain::catalogue::check_code(code).ok_or_else(|| AdminError::BadCode(code.to_owned()))
}

pub(super) fn check_name(name: &str) -> Result<String, AdminError> {
    app::domain::catalogue::check_name(name).ok_or(AdminError::EmptyName)
}

/// The id of the row of `table` with `code`, inside `tx`.
pub(super) async fn id_of(
    tx: &mut Transaction<'static, Any>,
    table: &'static str,
    what: &'static str,
    code: &str,
) -> Result<String, AdminError> {
    sqlx::query_scalar::<_, String>(&format!("SELECT id FROM {table} WHERE code = $1"))
        .bind(code.to_owned())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| AdminError::Unknown(what, code.to_owned()))
}

/// Inserts a row whose code must be new: `CodeTaken` when it is not.
pub(super) async fn insert_new(
    tx: &mut Transaction<'static, Any>,
    sql: &str,
    binds: Vec<Option<String>>,
    code: &str,
) -> Result<(), AdminError> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(b);
    }
    let n = q.execute(&mut **tx).await?.rows_affected();
    if n == 0 {
        return Err(AdminError::CodeTaken(code.to_owned()));
    }
    Ok(())
}
