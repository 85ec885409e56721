//! Invitation and password-reset links. An administrator (or `suara user
//! invite` on the server) makes one; its holder opens it and chooses a
//! password. A link is single use, open for [`LINK_HOURS`], revocable, and
//! kept only as the SHA-256 hash of its token: the token itself exists in
//! the answer that made the link and in the link, nowhere else. Making,
//! revoking and using a link are each one transaction with their audit
//! entry.

use super::accounts::{create_account_in, AccountError, Email, NewAccount, Password};
use super::admin::AdminError;
use super::audit::audit;
use super::{now_ms, Store};
use crate::auth::{hash_token, new_token};
use crate::store::notifications::notify_link;
use app::model::account_link::{AccountLink, LinkOffer, LinkPurpose, LinkState};
use serde_json::json;
use sqlx::{Any, Row, Transaction};
use uuid::Uuid;

/// How long a link stays open.
pub const LINK_HOURS: i64 = 72;

/// A link just made: its token is in [`NewLink::path`] and nowhere else.
#[derive(Debug)]
pub struct NewLink {
    pub id: Uuid,
    pub token: String,
    pub purpose: LinkPurpose,
    pub expires_at_ms: i64,
}

impl NewLink {
    /// The path its holder opens (`/account/link/{token}`).
    pub fn path(&self) -> String {
        link_path(&self.token)
    }
}

/// The path of the page a link's token opens.
pub fn link_path(token: &str) -> String {
    format!("/account/link/{token}")
}

/// Why a link could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("this link cannot be used: it was used already, revoked, or has expired")]
    Closed,
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error("storage failed: {0}")]
    Storage(#[from] sqlx::Error),
}

impl Store {
    /// A new account (`new` without a password) and its invitation link;
    /// with `mail`, also the e-mail that carries it (in the same transaction).
    pub async fn invite(
        &self,
        actor: &str,
        new: NewAccount<'_>,
        mail: bool,
    ) -> Result<NewLink, AdminError> {
        let mut tx = self.begin_write().await?;
        let account = create_account_in(&mut tx, Some(actor), &new).await?;
        let link = insert_link(
            &mut tx,
            actor,
            account,
            new.email.as_str(),
            LinkPurpose::Invite,
            mail,
        )
        .await?;
        tx.commit().await?;
        Ok(link)
    }

    /// A new link for the enabled account with `email`: a reset link, or a
    /// new invitation while the account has never had a password. Links of
    /// the account still open are revoked: only the newest works. With
    /// `mail`, also the e-mail that carries it.
    pub async fn new_link(
        &self,
        actor: &str,
        email: &str,
        mail: bool,
    ) -> Result<NewLink, AdminError> {
        let email = Email::parse(email)?;
        let mut tx = self.begin_write().await?;
        // Locked: of two new links at once, the second revokes the first.
        let row = sqlx::query(&format!(
            "SELECT id, password_set FROM accounts WHERE email = $1 AND disabled = 0{}",
            self.for_update()
        ))
        .bind(email.as_str().to_owned())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AdminError::Unknown("enabled account", email.as_str().to_owned()))?;
        let account = Uuid::parse_str(&row.try_get::<String, _>("id")?)
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        let purpose = if row.try_get::<i64, _>("password_set")? == 0 {
            LinkPurpose::Invite
        } else {
            LinkPurpose::Reset
        };
        sqlx::query(
            "UPDATE account_links SET revoked_at_ms = $1, revoked_by = $2 \
             WHERE account_id = $3 AND used_at_ms IS NULL AND revoked_at_ms IS NULL",
        )
        .bind(now_ms())
        .bind(actor.to_owned())
        .bind(account.to_string())
        .execute(&mut *tx)
        .await?;
        let link = insert_link(&mut tx, actor, account, email.as_str(), purpose, mail).await?;
        tx.commit().await?;
        Ok(link)
    }

    /// Revokes an open link.
    pub async fn revoke_link(&self, actor: &str, id: Uuid) -> Result<(), AdminError> {
        let mut tx = self.begin_write().await?;
        let email: Option<String> = sqlx::query_scalar(
            "SELECT a.email FROM account_links l JOIN accounts a ON a.id = l.account_id \
             WHERE l.id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let now = now_ms();
        let revoked = sqlx::query(
            "UPDATE account_links SET revoked_at_ms = $1, revoked_by = $2 \
             WHERE id = $3 AND used_at_ms IS NULL AND revoked_at_ms IS NULL AND expires_at_ms > $1",
        )
        .bind(now)
        .bind(actor.to_owned())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let (Some(email), 1) = (email, revoked) else {
            return Err(AdminError::LinkClosed);
        };
        let after = json!({"link": id.to_string(), "revoked": true});
        audit(
            &mut tx,
            actor,
            "account.link.revoke",
            &email,
            None,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What the page of an open link shows; `None` for any other token.
    pub async fn link_offer(&self, token: &str) -> sqlx::Result<Option<LinkOffer>> {
        let row = sqlx::query(
            "SELECT a.email, l.purpose, l.expires_at_ms FROM account_links l \
             JOIN accounts a ON a.id = l.account_id \
             WHERE l.token_hash = $1 AND l.used_at_ms IS NULL AND l.revoked_at_ms IS NULL \
             AND l.expires_at_ms > $2 AND a.disabled = 0",
        )
        .bind(hash_token(token))
        .bind(now_ms())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(LinkOffer {
                email: r.try_get("email")?,
                purpose: purpose_col(&r)?,
                expires_at_ms: r.try_get("expires_at_ms")?,
            })
        })
        .transpose()
    }

    /// Uses an open link: the account's password becomes `password`, the
    /// link is spent, the account's sessions end and its failed sign-ins
    /// are forgotten. Returns the account, to sign its holder in.
    pub async fn use_link(&self, token: &str, password: &Password) -> Result<Uuid, LinkError> {
        // Hashed before the transaction: no write lock is held while Argon2 runs.
        let hash = password.hash_gated().await.map_err(AccountError::from)?;
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT l.id, l.account_id, l.purpose, a.email FROM account_links l \
             JOIN accounts a ON a.id = l.account_id \
             WHERE l.token_hash = $1 AND a.disabled = 0",
        )
        .bind(hash_token(token))
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(LinkError::Closed)?;
        let (id, account, email): (String, String, String) = (
            row.try_get("id")?,
            row.try_get("account_id")?,
            row.try_get("email")?,
        );
        // Spent here, in the state it was read in: of two uses at once, one wins.
        let spent = sqlx::query(
            "UPDATE account_links SET used_at_ms = $1 \
             WHERE id = $2 AND used_at_ms IS NULL AND revoked_at_ms IS NULL AND expires_at_ms > $1",
        )
        .bind(now)
        .bind(id.clone())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if spent != 1 {
            return Err(LinkError::Closed);
        }
        sqlx::query("UPDATE accounts SET password_hash = $1, password_set = 1 WHERE id = $2")
            .bind(hash)
            .bind(account.clone())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account.clone())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sign_in_throttle WHERE email = $1")
            .bind(email.clone())
            .execute(&mut *tx)
            .await?;
        let after = json!({"link": id, "purpose": purpose_col(&row)?.as_str()});
        audit(
            &mut tx,
            &email,
            "account.link.use",
            &email,
            None,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        Uuid::parse_str(&account).map_err(|e| sqlx::Error::Decode(Box::new(e)).into())
    }

    /// Links still open, newest first (for `/admin`).
    pub async fn open_links(&self) -> sqlx::Result<Vec<AccountLink>> {
        let rows = sqlx::query(&format!(
            "{LINKS} WHERE l.used_at_ms IS NULL AND l.revoked_at_ms IS NULL AND l.expires_at_ms > $1 \
             ORDER BY l.created_at_ms DESC"
        ))
        .bind(now_ms())
        .fetch_all(self.pool())
        .await?;
        let now = now_ms();
        rows.iter().map(|r| link_row(r, now)).collect()
    }

    /// One link, whatever its state, with its token's hash.
    pub async fn account_link(&self, id: Uuid) -> sqlx::Result<Option<(AccountLink, String)>> {
        let row = sqlx::query(&format!("{LINKS} WHERE l.id = $1"))
            .bind(id.to_string())
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| Ok((link_row(&r, now_ms())?, r.try_get("token_hash")?)))
            .transpose()
    }
}

const LINKS: &str = "SELECT l.id, l.token_hash, l.purpose, l.created_by, l.created_at_ms, \
     l.expires_at_ms, l.used_at_ms, l.revoked_at_ms, a.email, a.role \
     FROM account_links l JOIN accounts a ON a.id = l.account_id";

fn purpose_col(r: &sqlx::any::AnyRow) -> sqlx::Result<LinkPurpose> {
    let p: String = r.try_get("purpose")?;
    LinkPurpose::parse(&p).ok_or_else(|| sqlx::Error::Decode(format!("link purpose {p}").into()))
}

fn link_row(r: &sqlx::any::AnyRow, now: i64) -> sqlx::Result<AccountLink> {
    let expires_at_ms = r.try_get("expires_at_ms")?;
    let used = r.try_get::<Option<i64>, _>("used_at_ms")?.is_some();
    let revoked = r.try_get::<Option<i64>, _>("revoked_at_ms")?.is_some();
    Ok(AccountLink {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        role: r.try_get("role")?,
        purpose: purpose_col(r)?,
        created_by: r.try_get("created_by")?,
        created_at_ms: r.try_get("created_at_ms")?,
        expires_at_ms,
        state: LinkState::at(used, revoked, expires_at_ms, now),
    })
}

/// A new link for `account`, audited: the token is made here and returned,
/// its hash stored.
async fn insert_link(
    tx: &mut Transaction<'static, Any>,
    actor: &str,
    account: Uuid,
    email: &str,
    purpose: LinkPurpose,
    mail: bool,
) -> Result<NewLink, AdminError> {
    let (id, token, now) = (Uuid::new_v4(), new_token(), now_ms());
    let expires_at_ms = now + LINK_HOURS * 3_600_000;
    sqlx::query(
        "INSERT INTO account_links (id, token_hash, account_id, purpose, created_by, created_at_ms, expires_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.to_string())
    .bind(hash_token(&token))
    .bind(account.to_string())
    .bind(purpose.as_str())
    .bind(actor.to_owned())
    .bind(now)
    .bind(expires_at_ms)
    .execute(&mut **tx)
    .await?;
    let after = json!({"link": id.to_string(), "purpose": purpose.as_str(), "expires_at_ms": expires_at_ms});
    audit(tx, actor, "account.link", email, None, Some(after)).await?;
    if mail {
        // The e-mail that carries it, in the same transaction.
        let (account, link) = (account.to_string(), id.to_string());
        notify_link(tx, &account, &link, &link_path(&token), now).await?;
    }
    Ok(NewLink {
        id,
        token,
        purpose,
        expires_at_ms,
    })
}
