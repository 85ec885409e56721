//! The audit log: who did what, when, with the state before and after.
//! Entries are only ever appended; nothing in Suara changes or deletes one.

use super::{now_ms, Store};
use app::model::audit::AuditView;
use futures::{Stream, TryStreamExt};
use serde_json::Value;
use sqlx::Row;
use uuid::Uuid;

/// Appends an audit entry on `c` (inside the caller's transaction, where
/// there is one). Nothing in Suara changes or deletes an entry.
pub(crate) async fn audit(
    c: &mut sqlx::AnyConnection,
    actor: &str,
    action: &str,
    target: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, at_ms, actor, action, target, before, after) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::new_v4().to_string())
    .bind(now_ms())
    .bind(actor.to_owned())
    .bind(action.to_owned())
    .bind(target.to_owned())
    .bind(before.map(|v| v.to_string()))
    .bind(after.map(|v| v.to_string()))
    .execute(&mut *c)
    .await
    .map(|_| ())
}

impl Store {
    /// The newest `limit` audit entries, newest first.
    pub async fn audit_log(&self, limit: i64) -> sqlx::Result<Vec<AuditView>> {
        sqlx::query(
            "SELECT at_ms, actor, action, target, before, after FROM audit_log ORDER BY at_ms DESC, id LIMIT $1",
        )
        .bind(limit)
        .try_map(|r| audit_view(&r))
        .fetch_all(self.pool())
        .await
    }

    /// Every entry, oldest first, as it is read.
    pub fn audit_entries(&self) -> impl Stream<Item = sqlx::Result<AuditView>> + '_ {
        sqlx::query(
            "SELECT at_ms, actor, action, target, before, after FROM audit_log ORDER BY at_ms, id",
        )
        .fetch(self.pool())
        .and_then(|r| async move { audit_view(&r) })
    }
}

fn audit_view(r: &sqlx::any::AnyRow) -> sqlx::Result<AuditView> {
    Ok(AuditView {
        at_ms: r.try_get("at_ms")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        target: r.try_get("target")?,
        before: r.try_get("before")?,
        after: r.try_get("after")?,
    })
}

impl Store {
    /// Appends one audit entry on its own: for what changes nothing else
    /// (an export, say).
    pub async fn audit_entry(
        &self,
        actor: &str,
        action: &str,
        target: &str,
        details: Value,
    ) -> sqlx::Result<()> {
        let mut c = self.pool().acquire().await?;
        audit(&mut c, actor, action, target, None, Some(details)).await
    }
}
