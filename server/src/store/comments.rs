//! The comments feed: what citizens wrote, newest first, for the services of
//! a scope, optionally only from responses that gave an item a given score.

use super::export::{bind_all, Bind};
use super::Store;
use futures::TryStreamExt;
use sqlx::Row;
use uuid::Uuid;

/// Which comments.
#[derive(Clone, Debug, Default)]
pub struct CommentQuery {
    pub services: Vec<Uuid>,
    /// Inclusive lower bound on `answered_at`, ms since the epoch.
    pub from_ms: Option<i64>,
    /// Exclusive upper bound.
    pub to_ms: Option<i64>,
    /// Only responses that scored this item with this score.
    pub item_score: Option<(String, i64)>,
    /// Only comments answered before this moment (the next page).
    pub before_ms: Option<i64>,
    pub limit: i64,
}

/// One comment with the response's scores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentRow {
    pub id: String,
    pub service_code: String,
    pub service_name: String,
    pub answered_at_ms: i64,
    pub comment: String,
    /// (item code, score), by item code.
    pub scores: Vec<(String, i64)>,
    /// The service's unit's time zone.
    pub zone: app::domain::zone::Zone,
}

impl Store {
    pub async fn comments(&self, q: &CommentQuery) -> sqlx::Result<Vec<CommentRow>> {
        if q.services.is_empty() {
            return Ok(Vec::new());
        }
        let mut binds = Vec::new();
        let mut next = |b: Bind| {
            binds.push(b);
            format!("${}", binds.len())
        };
        let list: Vec<String> = q
            .services
            .iter()
            .map(|s| next(Bind::Text(s.to_string())))
            .collect();
        let mut conds = vec![
            "r.comment IS NOT NULL".to_owned(),
            format!("r.service_id IN ({})", list.join(", ")),
        ];
        if let Some(f) = q.from_ms {
            conds.push(format!("r.answered_at_ms >= {}", next(Bind::Int(f))));
        }
        if let Some(t) = q.to_ms {
            conds.push(format!("r.answered_at_ms < {}", next(Bind::Int(t))));
        }
        if let Some(b) = q.before_ms {
            conds.push(format!("r.answered_at_ms < {}", next(Bind::Int(b))));
        }
        if let Some((item, score)) = &q.item_score {
            let (i, s) = (next(Bind::Text(item.clone())), next(Bind::Int(*score)));
            conds.push(format!(
                "EXISTS (SELECT 1 FROM response_scores x WHERE x.response_seq = r.seq \
                 AND x.item_code = {i} AND x.score = {s})"
            ));
        }
        let limit = next(Bind::Int(q.limit.clamp(1, 200)));
        let sql = format!(
            "SELECT r.id, s.code, s.name, r.answered_at_ms, r.comment, u.time_zone \
             FROM responses r JOIN services s ON s.id = r.service_id \
             JOIN units u ON u.id = s.unit_id \
             WHERE {} ORDER BY r.answered_at_ms DESC, r.id DESC LIMIT {limit}",
            conds.join(" AND ")
        );
        let mut out: Vec<CommentRow> = Vec::new();
        let mut rows = bind_all(sqlx::query(&sql), binds).fetch(self.pool());
        while let Some(row) = rows.try_next().await? {
            out.push(CommentRow {
                id: row.try_get(0)?,
                service_code: row.try_get(1)?,
                service_name: row.try_get(2)?,
                answered_at_ms: row.try_get(3)?,
                comment: row.try_get(4)?,
                scores: Vec::new(),
                zone: app::domain::zone::Zone::parse(&row.try_get::<String, _>(5)?)
                    .unwrap_or_default(),
            });
        }
        drop(rows);
        if out.is_empty() {
            return Ok(out);
        }
        let ids: Vec<String> = (1..=out.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT r.id, s.item_code, s.score FROM response_scores s \
             JOIN responses r ON r.seq = s.response_seq \
             WHERE r.id IN ({}) ORDER BY r.id, s.item_code",
            ids.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for c in &out {
            q = q.bind(c.id.clone());
        }
        let mut rows = q.fetch(self.pool());
        while let Some(row) = rows.try_next().await? {
            let id: String = row.try_get(0)?;
            if let Some(c) = out.iter_mut().find(|c| c.id == id) {
                c.scores.push((row.try_get(1)?, row.try_get(2)?));
            }
        }
        Ok(out)
    }
}
