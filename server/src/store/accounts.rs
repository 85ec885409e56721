//! Staff accounts, sessions and API tokens.

use super::audit::audit;
use super::{now_ms, uuid_col, Store};
use crate::auth::{hash_password, Role};
use serde_json::json;
use sqlx::Row;
use uuid::Uuid;

/// Longest email and password looked at; anything longer is wrong without
/// any work (no hashing, no row, no audit entry of a megabyte).
pub const MAX_EMAIL_CHARS: usize = 254;
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// A signed-in member of staff and what they may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    /// The units a unit head is assigned to, or every unit of the agencies
    /// of a leadership account (empty for other roles).
    pub units: Vec<Uuid>,
}

impl Account {
    /// Whether the account keeps unit `unit`'s publications, follow-up and
    /// report: its unit head, or an administrator; auditors only read.
    pub fn keeps(&self, unit: Uuid) -> bool {
        match self.role {
            Role::Admin => true,
            Role::UnitHead => self.units.contains(&unit),
            Role::Auditor | Role::Leadership => false,
        }
    }

    /// `None` means every unit.
    pub fn unit_scope(&self) -> Option<&[Uuid]> {
        match self.role {
            Role::UnitHead | Role::Leadership => Some(&self.units),
            Role::Admin | Role::Auditor => None,
        }
    }

    /// Auditors and leadership read; they never change anything.
    pub fn reads_only(&self) -> bool {
        matches!(self.role, Role::Auditor | Role::Leadership)
    }

    /// Whether the account may read complaints' words and who filed them:
    /// not leadership, which reads the figures of complaint handling only.
    pub fn reads_complaints(&self) -> bool {
        self.role != Role::Leadership
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("an account with email {0} exists already")]
    EmailTaken(String),
    #[error("\"{0}\" is not an email address")]
    BadEmail(String),
    #[error("the password must have at least 10 characters")]
    WeakPassword,
    #[error("the password must have at most 1024 characters")]
    LongPassword,
    #[error("unknown unit code {0}")]
    UnknownUnit(String),
    #[error("a unit head needs at least one --unit")]
    UnitHeadWithoutUnit,
    #[error("a leadership account needs at least one --agency")]
    LeadershipWithoutAgency,
    #[error("unknown agency code {0}")]
    UnknownAgency(String),
    #[error("no account with email {0}")]
    NoSuchAccount(String),
    #[error(transparent)]
    Busy(#[from] crate::auth::Busy),
    /// Not transparent, so the sqlx error is its source (`Refuse::storage`,
    /// `Problem::failure`).
    #[error("the database failed: {0}")]
    Db(#[from] sqlx::Error),
}

/// An email address as accounts are keyed: trimmed and lower case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(email: &str) -> Result<Self, AccountError> {
        let e = email.trim().to_lowercase();
        let ok = e.len() <= 254
            && !e.chars().any(char::is_control)
            && e.split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'));
        if ok {
            Ok(Self(e))
        } else {
            Err(AccountError::BadEmail(email.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: at least [`Password::MIN_CHARS`] characters.
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = MAX_PASSWORD_CHARS;

    pub fn parse(password: &str) -> Result<Self, AccountError> {
        let n = password.chars().count();
        if n < Self::MIN_CHARS {
            return Err(AccountError::WeakPassword);
        }
        if n > Self::MAX_CHARS {
            return Err(AccountError::LongPassword);
        }
        Ok(Self(password.to_owned()))
    }

    /// What is stored: its Argon2 hash, never the password.
    pub fn hash(&self) -> String {
        hash_password(&self.0)
    }

    /// [`Password::hash`] off the request's worker, behind the hashing gate:
    /// for the paths anyone can reach (a link's holder choosing a password).
    pub async fn hash_gated(&self) -> Result<String, crate::auth::Busy> {
        crate::auth::hash_password_gated(&self.0).await
    }
}

/// An account to create. Its scope is a unit head's units (unit codes) or
/// a leadership account's agencies (agency codes); other roles see every
/// unit and have none. Without a password the account is invited: nobody
/// can sign in to it until its holder chooses one through an invitation
/// link (`store::account_links`).
pub struct NewAccount<'a> {
    pub email: Email,
    pub role: Role,
    pub password: Option<Password>,
    pub scope: &'a [String],
}

impl<'a> NewAccount<'a> {
    /// Checks what a person typed.
    pub fn parse(
        email: &str,
        role: Role,
        password: &str,
        scope: &'a [String],
    ) -> Result<Self, AccountError> {
        let password = Password::parse(password)?;
        let mut new = Self::invited(email, role, scope)?;
        new.password = Some(password);
        Ok(new)
    }

    /// An account whose holder will choose its password.
    pub fn invited(email: &str, role: Role, scope: &'a [String]) -> Result<Self, AccountError> {
        let email = Email::parse(email)?;
        let scope = match role {
            Role::UnitHead if scope.is_empty() => return Err(AccountError::UnitHeadWithoutUnit),
            Role::Leadership if scope.is_empty() => {
                return Err(AccountError::LeadershipWithoutAgency)
            }
            Role::UnitHead | Role::Leadership => scope,
            Role::Admin | Role::Auditor => &[],
        };
        Ok(Self {
            email,
            role,
            password: None,
            scope,
        })
    }
}

impl Store {
    /// Creates an account, in one transaction with its audit entry by
    /// `actor` (an administrator's email, or `cli`). Without an actor
    /// nothing is audited: the demo's and tests' fixtures, which are not
    /// anyone's act.
    pub async fn create_account(
        &self,
        actor: Option<&str>,
        new: NewAccount<'_>,
    ) -> Result<Uuid, AccountError> {
        let mut tx = self.begin_write().await?;
        let id = create_account_in(&mut tx, actor, &new).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A fixture account (the demo's, a test's): checked as any other,
    /// not audited.
    pub async fn add_account(
        &self,
        email: &str,
        role: Role,
        password: &str,
        unit_codes: &[String],
    ) -> Result<Uuid, AccountError> {
        let new = NewAccount::parse(email, role, password, unit_codes)?;
        self.create_account(None, new).await
    }

    pub(super) async fn account_by(
        &self,
        column: &str,
        value: &str,
    ) -> sqlx::Result<Option<(Account, String)>> {
        let Some(row) = sqlx::query(&format!(
            "SELECT id, email, role, password_hash FROM accounts WHERE {column} = $1 AND disabled = 0"
        ))
        .bind(value)
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(None);
        };
        let id = uuid_col(&row, "id")?;
        let role: String = row.try_get("role")?;
        let Some(role) = Role::parse(&role) else {
            return Ok(None);
        };
        // A leadership account reads every unit of its agencies, as they
        // are now (a unit added to one later is in its scope).
        let units = sqlx::query(
            "SELECT unit_id FROM account_units WHERE account_id = $1 \
             UNION SELECT u.id AS unit_id FROM units u \
             JOIN account_agencies aa ON aa.agency_id = u.agency_id WHERE aa.account_id = $1",
        )
        .bind(id.to_string())
        .try_map(|r| uuid_col(&r, "unit_id"))
        .fetch_all(self.pool())
        .await?;
        let account = Account {
            id,
            email: row.try_get("email")?,
            role,
            units,
        };
        Ok(Some((account, row.try_get("password_hash")?)))
    }
}

/// Creates an account inside `tx`, audited by `actor` when there is one.
/// An invited account (no password) gets the hash of a random password
/// nobody knows, so that signing in to it fails as slowly as any other
/// wrong password, and `password_set` 0.
pub(super) async fn create_account_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: Option<&str>,
    new: &NewAccount<'_>,
) -> Result<Uuid, AccountError> {
    let email = new.email.as_str();
    let id = Uuid::new_v4();
    let hash = match &new.password {
        Some(p) => p.hash(),
        None => hash_password(&crate::auth::new_token()),
    };
    let inserted = sqlx::query(
        "INSERT INTO accounts (id, email, role, password_hash, disabled, created_at_ms, password_set) \
         VALUES ($1, $2, $3, $4, 0, $5, $6) ON CONFLICT (email) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(email.to_owned())
    .bind(new.role.as_str())
    .bind(hash)
    .bind(now_ms())
    .bind(i64::from(new.password.is_some()))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(AccountError::EmailTaken(email.to_owned()));
    }
    let (table, link, column) = match new.role {
        Role::Leadership => ("agencies", "account_agencies", "agency_id"),
        _ => ("units", "account_units", "unit_id"),
    };
    for code in new.scope {
        let scoped: String = sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE code = $1"))
            .bind(code.clone())
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| match new.role {
                Role::Leadership => AccountError::UnknownAgency(code.clone()),
                _ => AccountError::UnknownUnit(code.clone()),
            })?;
        sqlx::query(&format!(
            "INSERT INTO {link} (account_id, {column}) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        ))
        .bind(id.to_string())
        .bind(scoped)
        .execute(&mut **tx)
        .await?;
    }
    if let Some(actor) = actor {
        // The password is never logged, not even hashed.
        let key = match new.role {
            Role::Leadership => "agencies",
            _ => "units",
        };
        let mut after = json!({"email": email, "role": new.role.as_str(), key: new.scope});
        if new.password.is_none() {
            after["invited"] = json!(true);
        }
        audit(tx, actor, "account.add", email, None, Some(after)).await?;
    }
    Ok(id)
}
