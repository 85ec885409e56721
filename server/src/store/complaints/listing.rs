//! Lists of complaints anyone may ask for, bounded and filtered in SQL: the
//! published feed (Open311) a page at a time, a unit's complaints, and the
//! moves of just the complaints a page shows — never the whole table read
//! and filtered in memory on an anonymous request.

use super::{bad, event_record, record, ComplaintRecord, EventRecord, EVENTS, SELECT};
use crate::store::Store;
use app::domain::complaint::State;
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

/// The states of a resolved complaint (`State::is_resolved`).
const RESOLVED: &str = "('selesai', 'selesai_tanpa_konfirmasi')";

/// A complaint's course: what its unit's public figures are computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Course {
    /// The unit it is at now.
    pub unit: Uuid,
    pub submitted_at_ms: i64,
    pub reopened: bool,
    /// When it was first verified, first answered and first resolved
    /// (as `selesai`, whichever resolved state it was), then its state now
    /// and since when (ms): the moves the public figures read.
    pub moves: Vec<(State, i64)>,
    /// The time zone of the unit it is at: its days are that unit's.
    pub zone: app::domain::zone::Zone,
}

/// A course from its row: unit, filed, reopened, state now and since, the
/// unit's zone, and when first verified, answered and resolved.
fn course(
    unit: &str,
    submitted_at_ms: i64,
    reopened: i64,
    state: &str,
    since_ms: i64,
    zone: &str,
    [verified, answered, resolved]: [Option<i64>; 3],
) -> anyhow::Result<Course> {
    let now = State::parse(state).ok_or_else(|| anyhow::anyhow!("complaint state {state}"))?;
    let mut moves = Vec::with_capacity(4);
    // Which of the two resolved states came first does not matter to the
    // figures, only when; the state now is last, which they read as it.
    for (state, at) in [
        (State::Diverifikasi, verified),
        (State::Dijawab, answered),
        (State::Selesai, resolved),
        (now, Some(since_ms)),
    ] {
        if let Some(at) = at {
            moves.push((state, at));
        }
    }
    Ok(Course {
        unit: unit.parse()?,
        submitted_at_ms,
        reopened: reopened > 0,
        moves,
        zone: app::domain::zone::Zone::parse(zone).unwrap_or_default(),
    })
}

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

    /// The course of every complaint —
    /// when it was filed, whether it was reopened, when it was first
    /// verified, first answered and first resolved, and its state now — and
    /// not a word of any text: all the public complaint figures need
    /// (`ComplaintFigures::compute` reads only these moves), so what an
    /// anonymous page reads does not grow with what citizens wrote. One row
    /// a complaint: its milestones are kept with it as it moves
    /// (migration 0028).
    pub async fn complaint_courses(&self) -> sqlx::Result<Vec<Course>> {
        let sql = "SELECT c.unit_id, c.submitted_at_ms, c.reopened, c.state, c.state_since_ms, \
             u.time_zone, c.first_verified_at_ms AS verified_ms, \
             c.first_answered_at_ms AS answered_ms, c.first_resolved_at_ms AS resolved_ms \
             FROM complaints c JOIN units u ON u.id = c.unit_id";
        // SQLite: stepped on a blocking thread (`sqlite_scan`); sqlx's
        // hand-over of each row from its worker thread made 100,000
        // complaints take a second, the scan takes a twentieth of it.
        if let Some(file) = self.sqlite_file().map(std::path::Path::to_owned) {
            return crate::store::sqlite_scan::collect(file, sql.into(), vec![], "courses", |r| {
                let at = |i| r.text(i).and_then(|t| t.parse::<i64>().ok());
                let (unit, state) = (r.text(0).unwrap_or_default(), r.text(3).unwrap_or_default());
                let zone = r.text(5).unwrap_or_default();
                let (filed, reopened, since) = (r.int(1), r.int(2), r.int(4));
                course(
                    unit,
                    filed,
                    reopened,
                    state,
                    since,
                    zone,
                    [at(6), at(7), at(8)],
                )
                .map(Some)
            })
            .await;
        }
        sqlx::query(sql)
            .try_map(|r: sqlx::any::AnyRow| {
                let at = |c: &str| r.try_get::<Option<i64>, _>(c);
                course(
                    &r.try_get::<String, _>("unit_id")?,
                    r.try_get("submitted_at_ms")?,
                    r.try_get("reopened")?,
                    &r.try_get::<String, _>("state")?,
                    r.try_get("state_since_ms")?,
                    &r.try_get::<String, _>("time_zone")?,
                    [at("verified_ms")?, at("answered_ms")?, at("resolved_ms")?],
                )
                .map_err(|e| bad(&e.to_string()))
            })
            .fetch_all(self.pool())
            .await
    }

    /// The `limit` newest complaints now at `unit` that the public may read
    /// as resolved (publishable, in a resolved state).
    pub async fn resolved_public_of_unit(
        &self,
        unit: Uuid,
        limit: usize,
    ) -> sqlx::Result<Vec<ComplaintRecord>> {
        sqlx::query(&format!(
            "{SELECT} WHERE c.unit_id = $1 AND {PUBLISHABLE} AND c.state IN {RESOLVED} \
             ORDER BY c.received_at_ms DESC, c.id LIMIT $2"
        ))
        .bind(unit.to_string())
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .try_map(|r| record(&r))
        .fetch_all(self.pool())
        .await
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
