//! Staff accounts, sessions and API tokens.

use super::audit::audit;
use super::{now_ms, uuid_col, Store};
use crate::auth::{hash_password, hash_token, new_token, verify_password, Role};
use serde_json::json;
use sqlx::Row;
use uuid::Uuid;

/// A signed-in member of staff and what they may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    /// The units a unit head is assigned to (empty for other roles).
    pub units: Vec<Uuid>,
}

impl Account {
    /// `None` means every unit.
    pub fn unit_scope(&self) -> Option<&[Uuid]> {
        match self.role {
            Role::UnitHead => Some(&self.units),
            Role::Admin | Role::Auditor => None,
        }
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
    #[error("unknown unit code {0}")]
    UnknownUnit(String),
    #[error("a unit head needs at least one --unit")]
    UnitHeadWithoutUnit,
    #[error("no account with email {0}")]
    NoSuchAccount(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

const SESSION_HOURS: i64 = 12;

/// Failed sign-ins an email may have within [`THROTTLE_WINDOW_MS`] before
/// further attempts are refused, right password or not.
pub const MAX_FAILURES: i64 = 5;
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;

/// How a sign-in went.
#[derive(Debug, PartialEq, Eq)]
pub enum SignIn {
    Ok(Account),
    Wrong,
    /// Too many failures lately: try again after this many minutes.
    Throttled {
        minutes: i64,
    },
}

/// An email address as accounts are keyed: trimmed and lower case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(email: &str) -> Result<Self, AccountError> {
        let e = email.trim().to_lowercase();
        let ok = e.len() <= 254
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

    pub fn parse(password: &str) -> Result<Self, AccountError> {
        if password.chars().count() < Self::MIN_CHARS {
            return Err(AccountError::WeakPassword);
        }
        Ok(Self(password.to_owned()))
    }
}

/// An account to create. A unit head's units are unit codes; other roles
/// see every unit and have none.
pub struct NewAccount<'a> {
    pub email: Email,
    pub role: Role,
    pub password: Password,
    pub units: &'a [String],
}

impl<'a> NewAccount<'a> {
    /// Checks what a person typed.
    pub fn parse(
        email: &str,
        role: Role,
        password: &str,
        units: &'a [String],
    ) -> Result<Self, AccountError> {
        let (email, password) = (Email::parse(email)?, Password::parse(password)?);
        if role == Role::UnitHead && units.is_empty() {
            return Err(AccountError::UnitHeadWithoutUnit);
        }
        let units = if role == Role::UnitHead { units } else { &[] };
        Ok(Self {
            email,
            role,
            password,
            units,
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
        let email = new.email.as_str();
        let id = Uuid::new_v4();
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO accounts (id, email, role, password_hash, disabled, created_at_ms) \
             VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (email) DO NOTHING",
        )
        .bind(id.to_string())
        .bind(email.to_owned())
        .bind(new.role.as_str())
        .bind(hash_password(&new.password.0))
        .bind(now_ms())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(AccountError::EmailTaken(email.to_owned()));
        }
        for code in new.units {
            let unit: String = sqlx::query("SELECT id FROM units WHERE code = $1")
                .bind(code.clone())
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("id"))
                .transpose()?
                .ok_or_else(|| AccountError::UnknownUnit(code.clone()))?;
            sqlx::query("INSERT INTO account_units (account_id, unit_id) VALUES ($1, $2)")
                .bind(id.to_string())
                .bind(unit)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(actor) = actor {
            // The password is never logged, not even hashed.
            let after = json!({"email": email, "role": new.role.as_str(), "units": new.units});
            audit(&mut tx, actor, "account.add", email, None, Some(after)).await?;
        }
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

    async fn account_by(
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
        let units = sqlx::query("SELECT unit_id FROM account_units WHERE account_id = $1")
            .bind(id.to_string())
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| uuid_col(r, "unit_id"))
            .collect::<sqlx::Result<Vec<_>>>()?;
        let account = Account {
            id,
            email: row.try_get("email")?,
            role,
            units,
        };
        Ok(Some((account, row.try_get("password_hash")?)))
    }

    /// The account whose email and password match, if any.
    pub async fn check_password(
        &self,
        email: &str,
        password: &str,
    ) -> sqlx::Result<Option<Account>> {
        let found = match Email::parse(email) {
            Ok(e) => self.account_by("email", e.as_str()).await?,
            Err(_) => None,
        };
        // Verify against a fixed hash when there is no account, so that the
        // answer takes as long for unknown emails as for wrong passwords.
        let hash = found
            .as_ref()
            .map(|(_, h)| h.as_str())
            .unwrap_or(crate::auth::DUMMY_HASH);
        let ok = verify_password(password, hash);
        Ok(found.filter(|_| ok).map(|(a, _)| a))
    }

    /// Checks a sign-in, counting failures per email: past [`MAX_FAILURES`]
    /// within the window the attempt is refused without looking at the
    /// password; a success clears the count.
    pub async fn sign_in(&self, email: &str, password: &str) -> sqlx::Result<SignIn> {
        let key = email.trim().to_lowercase();
        let now = now_ms();
        let since = now - THROTTLE_WINDOW_MS;
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(at_ms) AS first FROM sign_in_failures WHERE email = $1 AND at_ms > $2",
        )
        .bind(&key)
        .bind(since)
        .fetch_one(self.pool())
        .await?;
        let n: i64 = row.try_get("n")?;
        let mut c = self.pool().acquire().await?;
        let trail = |outcome: &str| json!({ "outcome": outcome });
        if n >= MAX_FAILURES {
            audit(
                &mut c,
                &key,
                "sign-in",
                "account",
                None,
                Some(trail("throttled")),
            )
            .await?;
            let first: i64 = row.try_get::<Option<i64>, _>("first")?.unwrap_or(now);
            let wait_ms = (first + THROTTLE_WINDOW_MS - now).max(0);
            return Ok(SignIn::Throttled {
                minutes: (wait_ms + 59_999) / 60_000,
            });
        }
        match self.check_password(email, password).await? {
            Some(account) => {
                sqlx::query("DELETE FROM sign_in_failures WHERE email = $1")
                    .bind(&key)
                    .execute(self.pool())
                    .await?;
                audit(
                    &mut c,
                    &key,
                    "sign-in",
                    "account",
                    None,
                    Some(trail("signed-in")),
                )
                .await?;
                Ok(SignIn::Ok(account))
            }
            None => {
                sqlx::query("INSERT INTO sign_in_failures (email, at_ms) VALUES ($1, $2)")
                    .bind(&key)
                    .bind(now)
                    .execute(self.pool())
                    .await?;
                // Old failures are of no use.
                sqlx::query("DELETE FROM sign_in_failures WHERE at_ms <= $1")
                    .bind(since)
                    .execute(self.pool())
                    .await?;
                audit(
                    &mut c,
                    &key,
                    "sign-in",
                    "account",
                    None,
                    Some(trail("refused")),
                )
                .await?;
                Ok(SignIn::Wrong)
            }
        }
    }

    /// Sets a new password for `account` after checking the current one;
    /// every other session of the account ends.
    pub async fn change_password(
        &self,
        account: &Account,
        current: &str,
        new: &str,
        keep_session: &str,
    ) -> Result<bool, AccountError> {
        let new = Password::parse(new)?;
        if self
            .check_password(&account.email, current)
            .await?
            .is_none()
        {
            return Ok(false);
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
            .bind(hash_password(&new.0))
            .bind(account.id.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2")
            .bind(account.id.to_string())
            .bind(hash_token(keep_session))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn create_session(&self, account: Uuid) -> sqlx::Result<String> {
        let token = new_token();
        let now = now_ms();
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(hash_token(&token))
        .bind(account.to_string())
        .bind(now)
        .bind(now + SESSION_HOURS * 3_600_000)
        .execute(self.pool())
        .await?;
        Ok(token)
    }

    pub async fn session_account(&self, token: &str) -> sqlx::Result<Option<Account>> {
        let row = sqlx::query(
            "SELECT account_id FROM sessions WHERE token_hash = $1 AND expires_at_ms > $2",
        )
        .bind(hash_token(token))
        .bind(now_ms())
        .fetch_optional(self.pool())
        .await?;
        match row {
            Some(r) => Ok(self
                .account_by("id", &r.try_get::<String, _>("account_id")?)
                .await?
                .map(|(a, _)| a)),
            None => Ok(None),
        }
    }

    pub async fn delete_session(&self, token: &str) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(hash_token(token))
            .execute(self.pool())
            .await
            .map(|_| ())
    }

    /// A new API token for the account with `email`; only its hash is kept.
    pub async fn create_api_token(&self, email: &str) -> Result<String, AccountError> {
        let email = Email::parse(email)?;
        let (account, _) = self
            .account_by("email", email.as_str())
            .await?
            .ok_or_else(|| AccountError::NoSuchAccount(email.as_str().to_owned()))?;
        let token = format!("suara_{}", new_token());
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, account_id, created_at_ms) VALUES ($1, $2, $3)",
        )
        .bind(hash_token(&token))
        .bind(account.id.to_string())
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(token)
    }

    pub async fn token_account(&self, token: &str) -> sqlx::Result<Option<Account>> {
        let row = sqlx::query("SELECT account_id FROM api_tokens WHERE token_hash = $1")
            .bind(hash_token(token))
            .fetch_optional(self.pool())
            .await?;
        match row {
            Some(r) => Ok(self
                .account_by("id", &r.try_get::<String, _>("account_id")?)
                .await?
                .map(|(a, _)| a)),
            None => Ok(None),
        }
    }
}
