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
}

const SELECT: &str = "SELECT id, unit_id, period, up_to_seq, chain_hash, figures, \
     published_at_ms, published_by, supersedes FROM publications";

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
        let before = sqlx::query(&format!(
            "{SELECT} WHERE unit_id = $1 AND period = $2 ORDER BY published_at_ms DESC, id DESC LIMIT 1"
        ))
        .bind(p.unit_id.to_string())
        .bind(&p.period)
        .fetch_optional(&mut *tx)
        .await?;
        p.supersedes = before.as_ref().map(row).transpose()?.map(|b| b.id);
        sqlx::query(
            "INSERT INTO publications (id, unit_id, period, up_to_seq, chain_hash, figures, \
             published_at_ms, published_by, supersedes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
