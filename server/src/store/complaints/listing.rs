//! Lists of complaints anyone may ask for, bounded and filtered in SQL: the
//! published feed (Open311) a page at a time, a unit's complaints, and the
//! moves of just the complaints a page shows — never the whole table read
//! and filtered in memory on an anonymous request.

use super::{bad, event_record, record, ComplaintRecord, EventRecord, EVENTS, SELECT};
use crate::store::Store;
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

/// What the published feed is asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedFilter {
    pub service_code: Option<String>,
    /// `Some(true)`: open ones only; `Some(false)`: closed ones only.
    pub open: Option<bool>,
    /// Submitted at or after (ms).
    pub start_ms: Option<i64>,
    /// Submitted before (ms).
    pub end_ms: Option<i64>,
}

/// The states in which a complaint is no longer open (`State::is_open`).
const CLOSED: &str = "('selesai', 'selesai_tanpa_konfirmasi', 'ditutup')";

/// What the public may ever see of a complaint: not `rahasia`, and looked at
/// by a person of the unit (verified) — a just-filed complaint, or one
/// closed at triage (as abuse, say) without being verified, is never shown.
pub const PUBLISHABLE: &str =
    "c.privacy <> 'rahasia' AND c.verified_at_ms IS NOT NULL AND c.abuse_at_ms IS NULL";

impl Store {
    /// Page `page` (from 0) of `size` published complaints `f` asks for,
    /// newest first.
    pub async fn published_complaints(
        &self,
        f: &FeedFilter,
        page: u32,
        size: u32,
    ) -> sqlx::Result<Vec<ComplaintRecord>> {
        let mut sql = format!("{SELECT} WHERE {PUBLISHABLE}");
        let mut n = 0;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        if f.service_code.is_some() {
            sql += &format!(" AND s.code = {}", next());
        }
        match f.open {
            Some(true) => sql += &format!(" AND c.state NOT IN {CLOSED}"),
            Some(false) => sql += &format!(" AND c.state IN {CLOSED}"),
            None => {}
        }
        if f.start_ms.is_some() {
            sql += &format!(" AND c.submitted_at_ms >= {}", next());
        }
        if f.end_ms.is_some() {
            sql += &format!(" AND c.submitted_at_ms < {}", next());
        }
        sql += &format!(
            " ORDER BY c.received_at_ms DESC, c.id LIMIT {} OFFSET {}",
            next(),
            next()
        );
        let mut q = sqlx::query(&sql);
        if let Some(s) = &f.service_code {
            q = q.bind(s.clone());
        }
        for ms in [f.start_ms, f.end_ms].into_iter().flatten() {
            q = q.bind(ms);
        }
        q.bind(i64::from(size))
            .bind(i64::from(page) * i64::from(size))
            .try_map(|r| record(&r))
            .fetch_all(self.pool())
            .await
    }

    /// The complaints now at `unit`, newest first.
    pub async fn complaints_of_unit(&self, unit: Uuid) -> sqlx::Result<Vec<ComplaintRecord>> {
        sqlx::query(&format!(
            "{SELECT} WHERE c.unit_id = $1 ORDER BY c.received_at_ms DESC, c.id"
        ))
        .bind(unit.to_string())
        .try_map(|r| record(&r))
        .fetch_all(self.pool())
        .await
    }

    /// The moves of the complaints now at `unit`, by complaint and in order.
    pub async fn complaint_events_of_unit(
        &self,
        unit: Uuid,
    ) -> sqlx::Result<HashMap<Uuid, Vec<EventRecord>>> {
        let rows = sqlx::query(&format!(
            "{EVENTS} WHERE e.complaint_id IN (SELECT id FROM complaints WHERE unit_id = $1) \
             ORDER BY e.at_ms, e.id"
        ))
        .bind(unit.to_string())
        .fetch_all(self.pool())
        .await?;
        by_complaint(&rows)
    }

    /// The moves of complaints `ids` (a page's worth), by complaint and in order.
    pub async fn complaint_events_of(
        &self,
        ids: &[Uuid],
    ) -> sqlx::Result<HashMap<Uuid, Vec<EventRecord>>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "{EVENTS} WHERE e.complaint_id IN ({}) ORDER BY e.at_ms, e.id",
            marks.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(id.to_string());
        }
        by_complaint(&q.fetch_all(self.pool()).await?)
    }
}

pub(super) fn by_complaint(
    rows: &[sqlx::any::AnyRow],
) -> sqlx::Result<HashMap<Uuid, Vec<EventRecord>>> {
    let mut out: HashMap<Uuid, Vec<EventRecord>> = HashMap::new();
    for r in rows {
        let id = r
            .try_get::<String, _>("complaint_id")?
            .parse()
            .map_err(|_| bad("event's complaint"))?;
        out.entry(id).or_default().push(event_record(r)?);
    }
    Ok(out)
}
