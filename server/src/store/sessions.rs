//! Signing in: passwords checked off the request workers (`auth::slow`),
//! failures throttled per account *and* address with growing waits, sessions
//! for browsers and API tokens for scripts (only hashes are kept), and the
//! password change.

use super::accounts::{Account, AccountError, Email, Password};
use super::audit::audit;
use super::{now_ms, Store};
use crate::auth::{hash_token, new_token};
use serde_json::json;
use sqlx::Row;
use uuid::Uuid;

const SESSION_HOURS: i64 = 12;

/// Failures one address may make on one account before each further try
/// must wait ([`wait_after`]).
pub const PAIR_FREE: i64 = 5;
/// Failures one address may make across every account it tries (a district
/// office's staff share one address; a password sprayer tries many accounts).
pub const ADDRESS_FREE: i64 = 20;
/// Failures older than this are forgotten.
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// The longest a pair or an address is made to wait.
pub const LONGEST_WAIT_MS: i64 = 15 * 60 * 1000;
pub use super::accounts::{MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS};

/// How long a pair (or an address) waits after its `failures`-th failure,
/// `free` of them being free: 30 s, then twice as long each time, at most
/// [`LONGEST_WAIT_MS`].
pub fn wait_after(failures: i64, free: i64) -> i64 {
    if failures < free {
        return 0;
    }
    (30_000i64 << (failures - free).min(16)).min(LONGEST_WAIT_MS)
}

/// How a sign-in went.
#[derive(Debug, PartialEq, Eq)]
pub enum SignIn {
    Ok(Account),
    Wrong,
    /// Too many failures from this address lately (on this account, or on
    /// any): try again after this many minutes.
    Throttled {
        minutes: i64,
    },
}

impl Store {
    /// The account whose email and password match, if any. The password is
    /// checked on the blocking pool behind the hashing gate, with no
    /// database connection held meanwhile.
    pub async fn check_password(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Option<Account>, AccountError> {
        let found = match Email::parse(email) {
            Ok(e) if password.chars().count() <= MAX_PASSWORD_CHARS => {
                self.account_by("email", e.as_str()).await?
            }
            _ => None,
        };
        // Verify against a fixed hash when there is no account, so that the
        // answer takes as long for unknown emails as for wrong passwords.
        let hash = found
            .as_ref()
            .map(|(_, h)| h.as_str())
            .unwrap_or(crate::auth::DUMMY_HASH);
        let ok = crate::auth::check_password(password, hash).await?;
        Ok(found.filter(|_| ok).map(|(a, _)| a))
    }

    /// Checks a sign-in from `address` (the client's address, as the rate
    /// limits see it). The attempt is counted first, as a failure, for the
    /// pair (email, address) and for the address, in one transaction whose
    /// guarded upserts let no more attempts through at once than one after
    /// another; a success takes the count back. An address that failed too
    /// often waits, growing; the right password from any other address
    /// still works, so nobody can lock a member of staff out.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        address: &str,
    ) -> Result<SignIn, AccountError> {
        let key: String = email.trim().to_lowercase();
        let unusable = key.chars().count() > MAX_EMAIL_CHARS
            || key.chars().any(char::is_control)
            || password.chars().count() > MAX_PASSWORD_CHARS;
        if unusable {
            return Ok(SignIn::Wrong);
        }
        let now = now_ms();
        if let Some(wait_ms) = self.count_attempt(&key, address, now).await? {
            let mut c = self.pool().acquire().await?;
            sign_in_entry(&mut c, &key, address, "throttled").await?;
            return Ok(SignIn::Throttled {
                minutes: (wait_ms + 59_999) / 60_000,
            });
        }
        let found = self.check_password(email, password).await?;
        let mut tx = self.begin_write().await?;
        let outcome = match &found {
            Some(_) => {
                sqlx::query("DELETE FROM sign_in_throttle WHERE email = $1 AND address = $2")
                    .bind(key.clone())
                    .bind(address.to_owned())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "UPDATE sign_in_throttle SET failures = failures - 1 \
                     WHERE email = '' AND address = $1 AND failures > 0",
                )
                .bind(address.to_owned())
                .execute(&mut *tx)
                .await?;
                "signed-in"
            }
            None => "refused",
        };
        sign_in_entry(&mut tx, &key, address, outcome).await?;
        tx.commit().await?;
        Ok(found.map_or(SignIn::Wrong, SignIn::Ok))
    }

    /// Counts an attempt for the address and for the pair; `Some(wait)` when
    /// either must still wait (then nothing is counted).
    async fn count_attempt(&self, key: &str, address: &str, now: i64) -> sqlx::Result<Option<i64>> {
        let mut tx = self.begin_write().await?;
        for (email, free) in [("", ADDRESS_FREE), (key, PAIR_FREE)] {
            // Guarded: a row still waiting is not touched, and the upsert
            // returns nothing. On PostgreSQL the row lock taken here makes a
            // parallel attempt see this one's count and wait.
            let counted: Option<i64> = sqlx::query_scalar(
                "INSERT INTO sign_in_throttle \
                 (email, address, failures, first_ms, last_ms, not_before_ms) \
                 VALUES ($1, $2, 1, $3, $3, 0) \
                 ON CONFLICT (email, address) DO UPDATE SET \
                   failures = CASE WHEN sign_in_throttle.last_ms < $4 THEN 1 \
                              ELSE sign_in_throttle.failures + 1 END, \
                   first_ms = CASE WHEN sign_in_throttle.last_ms < $4 THEN $3 \
                              ELSE sign_in_throttle.first_ms END, \
                   last_ms = $3 \
                 WHERE sign_in_throttle.not_before_ms <= $3 \
                 RETURNING failures",
            )
            .bind(email.to_owned())
            .bind(address.to_owned())
            .bind(now)
            .bind(now - THROTTLE_WINDOW_MS)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(failures) = counted else {
                let not_before: i64 = sqlx::query_scalar(
                    "SELECT not_before_ms FROM sign_in_throttle WHERE email = $1 AND address = $2",
                )
                .bind(email.to_owned())
                .bind(address.to_owned())
                .fetch_one(&mut *tx)
                .await?;
                tx.rollback().await?;
                return Ok(Some((not_before - now).max(1)));
            };
            let wait = wait_after(failures, free);
            if wait > 0 {
                sqlx::query(
                    "UPDATE sign_in_throttle SET not_before_ms = $1 WHERE email = $2 AND address = $3",
                )
                .bind(now + wait)
                .bind(email.to_owned())
                .bind(address.to_owned())
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(None)
    }

    /// Forgets failures older than the window that no longer hold anyone
    /// back; returns how many rows went.
    pub async fn prune_sign_in_throttle(&self) -> sqlx::Result<u64> {
        let now = now_ms();
        Ok(
            sqlx::query("DELETE FROM sign_in_throttle WHERE last_ms < $1 AND not_before_ms < $2")
                .bind(now - THROTTLE_WINDOW_MS)
                .bind(now)
                .execute(self.pool())
                .await?
                .rows_affected(),
        )
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
        let hash = new.hash_gated().await?;
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
            .bind(hash)
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

/// The audit entry of a sign-in: who tried, from where, and how it went.
async fn sign_in_entry(
    c: &mut sqlx::AnyConnection,
    email: &str,
    address: &str,
    outcome: &str,
) -> sqlx::Result<()> {
    let after = json!({ "outcome": outcome, "address": address });
    audit(c, email, "sign-in", "account", None, Some(after)).await
}
