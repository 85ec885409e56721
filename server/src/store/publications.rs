//! Published SKM periods: written once, never updated; a correction is a
//! new row that supersedes the last one of its unit and period.

use super::{uuid_col, Store};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// One publication as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicationRow {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub period: String,
    pub up_to_seq: i64,
    pub chain_hash: String,
    pub figures: String,
    pub published_at_ms: i64,
    pub published_by: String,
    pub supersedes: Option<Uuid>,
    /// The anonymised aggregate (a `PublishedAggregate`, as JSON).
    pub aggregate: Option<String>,
    /// The report frozen with it (a `PublishedReport`, as JSON).
    pub report: Option<String>,
}

const SELECT: &str = "SELECT id, unit_id, period, up_to_seq, chain_hash, figures, \
     published_at_ms, published_by, supersedes, aggregate, report FROM publications";

fn row(r: &AnyRow) -> sqlx::Result<PublicationRow> {
    let supersedes: Option<String> = r.try_get("supersedes")?;
    Ok(PublicationRow {
        id: uuid_col(r, "id")?,
        unit_id: uuid_col(r, "unit_id")?,
        period: r.try_get("period")?,
        up_to_seq: r.try_get("up_to_seq")?,
        chain_hash: r.try_get("chain_hash")?,
        figures: r.try_get("figures")?,
        published_at_ms: r.try_get("published_at_ms")?,
        published_by: r.try_get("published_by")?,
        supersedes: supersedes.and_then(|s| s.parse().ok()),
        aggregate: r.try_get("aggregate")?,
        report: r.try_get("report")?,
    })
}

impl Store {
    /// The response chain's last link: its sequence number and hash.
    pub async fn chain_head(&self) -> sqlx::Result<(i64, String)> {
        let r = sqlx::query("SELECT seq, chain_hash FROM chain_head WHERE id = 1")
            .fetch_one(self.pool())
            .await?;
        Ok((r.try_get("seq")?, r.try_get("chain_hash")?))
    }

    /// How many responses to `services` have a sequence number in
    /// `(after, up_to]`.
    pub async fn responses_between(
        &self,
        services: &[Uuid],
        after: i64,
        up_to: i64,
    ) -> sqlx::Result<i64> {
        if services.is_empty() || up_to <= after {
            return Ok(0);
        }
        let list = services
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(",");
        let r = sqlx::query(&format!(
            "SELECT COUNT(*) AS n FROM responses WHERE seq > $1 AND seq <= $2 \
             AND service_id IN ({list})"
        ))
        .bind(after)
        .bind(up_to)
        .fetch_one(self.pool())
        .await?;
        r.try_get("n")
    }

    /// Stores `p`, superseding the latest publication of its unit and
    /// period, if any (set in `p.supersedes`), and writes the audit entry,
    /// in one transaction.
    pub async fn insert_publication(&self, mut p: PublicationRow) -> sqlx::Result<PublicationRow> {
        let mut tx = self.begin_write().await?;
        // The unit locked while its latest publication is read: two
        // publications at once make a chain, never two that supersede one.
        sqlx::query(&format!(
            "SELECT id FROM units WHERE id = $1{}",
            self.for_update()
        ))
        .bind(p.unit_id.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        // The period's current publication: the one nothing supersedes yet
        // (not the newest by time, which two in one millisecond share).
        let before = sqlx::query(&format!(
            "{SELECT} WHERE unit_id = $1 AND period = $2 AND id NOT IN \
             (SELECT supersedes FROM publications WHERE supersedes IS NOT NULL) \
             ORDER BY published_at_ms DESC, id DESC LIMIT 1"
        ))
        .bind(p.unit_id.to_string())
        .bind(&p.period)
        .fetch_optional(&mut *tx)
        .await?;
        p.supersedes = before.as_ref().map(row).transpose()?.map(|b| b.id);
        sqlx::query(
            "INSERT INTO publications (id, unit_id, period, up_to_seq, chain_hash, figures, \
             published_at_ms, published_by, supersedes, aggregate, report) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(p.id.to_string())
        .bind(p.unit_id.to_string())
        .bind(&p.period)
        .bind(p.up_to_seq)
        .bind(&p.chain_hash)
        .bind(&p.figures)
        .bind(p.published_at_ms)
        .bind(&p.published_by)
        .bind(p.supersedes.map(|s| s.to_string()))
        .bind(&p.aggregate)
        .bind(&p.report)
        .execute(&mut *tx)
        .await?;
        super::audit::audit(
            &mut tx,
            &p.published_by,
            "publish",
            &format!("publication:{}", p.id),
            None,
            Some(serde_json::json!({
                "unit_id": p.unit_id,
                "period": p.period,
                "up_to_seq": p.up_to_seq,
                "chain_hash": p.chain_hash,
                "supersedes": p.supersedes,
                "aggregate_sha256": p.aggregate.as_deref().map(super::sha256_hex),
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(p)
    }

    /// Every publication, or those of `unit`, newest first.
    pub async fn publications(&self, unit: Option<Uuid>) -> sqlx::Result<Vec<PublicationRow>> {
        let rows = match unit {
            Some(u) => {
                sqlx::query(&format!(
                    "{SELECT} WHERE unit_id = $1 ORDER BY published_at_ms DESC, id DESC"
                ))
                .bind(u.to_string())
                .fetch_all(self.pool())
                .await?
            }
            None => {
                sqlx::query(&format!("{SELECT} ORDER BY published_at_ms DESC, id DESC"))
                    .fetch_all(self.pool())
                    .await?
            }
        };
        rows.iter().map(row).collect()
    }
}

/// One action of a follow-up plan as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionRow {
    pub id: Uuid,
    pub publication_id: Uuid,
    pub item: String,
    pub action: String,
    pub responsible: String,
    pub due_on: String,
    pub status: String,
    pub reason: Option<String>,
    /// Its evidence files' ids.
    pub files: Vec<Uuid>,
}

fn action_row(r: &AnyRow) -> sqlx::Result<ActionRow> {
    Ok(ActionRow {
        id: uuid_col(r, "id")?,
        publication_id: uuid_col(r, "publication_id")?,
        item: r.try_get("item")?,
        action: r.try_get("action")?,
        responsible: r.try_get("responsible")?,
        due_on: r.try_get("due_on")?,
        status: r.try_get("status")?,
        reason: r.try_get("reason")?,
        files: Vec::new(),
    })
}

const ACTIONS: &str = "SELECT id, publication_id, item, action, responsible, due_on, status, \
     reason FROM follow_up_actions";

impl Store {
    /// The publication `id`.
    pub async fn publication(&self, id: Uuid) -> sqlx::Result<Option<PublicationRow>> {
        sqlx::query(&format!("{SELECT} WHERE id = $1"))
            .bind(id.to_string())
            .try_map(|r| row(&r))
            .fetch_optional(self.pool())
            .await
    }

    /// Every action of the publications `ids`, oldest first, with their files.
    pub async fn actions_of(&self, ids: &[Uuid]) -> sqlx::Result<Vec<ActionRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(",");
        let mut actions: Vec<ActionRow> = sqlx::query(&format!(
            "{ACTIONS} WHERE publication_id IN ({list}) ORDER BY created_at_ms, id"
        ))
        .try_map(|r| action_row(&r))
        .fetch_all(self.pool())
        .await?;
        let files = sqlx::query(&format!(
            "SELECT f.id, f.action_id FROM follow_up_files f \
             JOIN follow_up_actions a ON a.id = f.action_id \
             WHERE a.publication_id IN ({list}) ORDER BY f.at_ms, f.id"
        ))
        .fetch_all(self.pool())
        .await?;
        for f in &files {
            let action = uuid_col(f, "action_id")?;
            if let Some(a) = actions.iter_mut().find(|a| a.id == action) {
                a.files.push(uuid_col(f, "id")?);
            }
        }
        Ok(actions)
    }

    /// The action `id`.
    pub async fn action(&self, id: Uuid) -> sqlx::Result<Option<ActionRow>> {
        sqlx::query(&format!("{ACTIONS} WHERE id = $1"))
            .bind(id.to_string())
            .try_map(|r| action_row(&r))
            .fetch_optional(self.pool())
            .await
    }

    /// Adds `a` (status `planned`), audited as `actor`.
    pub async fn add_action(&self, a: &ActionRow, actor: &str, at_ms: i64) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO follow_up_actions (id, publication_id, item, action, responsible, \
             due_on, status, reason, created_at_ms, updated_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(a.id.to_string())
        .bind(a.publication_id.to_string())
        .bind(&a.item)
        .bind(&a.action)
        .bind(&a.responsible)
        .bind(&a.due_on)
        .bind(&a.status)
        .bind(&a.reason)
        .bind(at_ms)
        .execute(&mut *tx)
        .await?;
        super::audit::audit(
            &mut tx,
            actor,
            "follow-up-add",
            &format!("follow-up:{}", a.id),
            None,
            Some(serde_json::json!({
                "publication": a.publication_id, "item": a.item, "action": a.action,
                "responsible": a.responsible, "due_on": a.due_on,
            })),
        )
        .await?;
        tx.commit().await
    }

    /// Sets the status of action `a`, audited with before and after.
    pub async fn set_action_status(
        &self,
        a: &ActionRow,
        status: &str,
        reason: Option<&str>,
        actor: &str,
        at_ms: i64,
    ) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE follow_up_actions SET status = $1, reason = $2, updated_at_ms = $3 WHERE id = $4",
        )
        .bind(status)
        .bind(reason)
        .bind(at_ms)
        .bind(a.id.to_string())
        .execute(&mut *tx)
        .await?;
        super::audit::audit(
            &mut tx,
            actor,
            "follow-up-status",
            &format!("follow-up:{}", a.id),
            Some(serde_json::json!({ "status": a.status, "reason": a.reason })),
            Some(serde_json::json!({ "status": status, "reason": reason })),
        )
        .await?;
        tx.commit().await
    }

    /// Stores evidence `data` of action `action`.
    pub async fn add_action_file(
        &self,
        action: Uuid,
        content_type: &str,
        data: &[u8],
        actor: &str,
        at_ms: i64,
    ) -> sqlx::Result<Uuid> {
        let id = Uuid::new_v4();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO follow_up_files (id, action_id, content_type, size, at_ms, data) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.to_string())
        .bind(action.to_string())
        .bind(content_type)
        .bind(data.len() as i64)
        .bind(at_ms)
        .bind(data)
        .execute(&mut *tx)
        .await?;
        super::audit::audit(
            &mut tx,
            actor,
            "follow-up-evidence",
            &format!("follow-up:{action}"),
            None,
            Some(
                serde_json::json!({ "file": id, "content_type": content_type, "size": data.len() }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An evidence file: its type and bytes.
    pub async fn action_file(
        &self,
        action: Uuid,
        id: Uuid,
    ) -> sqlx::Result<Option<(String, Vec<u8>)>> {
        let r = sqlx::query(
            "SELECT content_type, data FROM follow_up_files WHERE id = $1 AND action_id = $2",
        )
        .bind(id.to_string())
        .bind(action.to_string())
        .fetch_optional(self.pool())
        .await?;
        r.map(|r| Ok((r.try_get("content_type")?, r.try_get("data")?)))
            .transpose()
    }
}
