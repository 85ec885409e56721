//! Signing in: passwords checked in constant time, failures throttled per
//! email, sessions for browsers and API tokens for scripts (only hashes are
//! kept), and the password change.

use super::accounts::{Account, AccountError, Email, Password};
use super::audit::audit;
use super::{now_ms, Store};
use crate::auth::{hash_token, new_token, verify_password};
use serde_json::json;
use sqlx::Row;
use uuid::Uuid;

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

impl Store {
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
        if n >= MAX_FAILURES {
            sign_in_entry(&mut c, &key, "throttled").await?;
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
                sign_in_entry(&mut c, &key, "signed-in").await?;
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
                sign_in_entry(&mut c, &key, "refused").await?;
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
            .bind(new.hash())
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
        self.account_of(row).await
    }

    /// The enabled account a session's or token's row names.
    async fn account_of(&self, row: Option<sqlx::any::AnyRow>) -> sqlx::Result<Option<Account>> {
        let Some(row) = row else {
            return Ok(None);
        };
        let id: String = row.try_get("account_id")?;
        Ok(self.account_by("id", &id).await?.map(|(a, _)| a))
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
        self.account_of(row).await
    }
}

/// The audit entry of a sign-in: who tried and how it went.
async fn sign_in_entry(
    c: &mut sqlx::AnyConnection,
    email: &str,
    outcome: &str,
) -> sqlx::Result<()> {
    let after = json!({ "outcome": outcome });
    audit(c, email, "sign-in", "account", None, Some(after)).await
}
