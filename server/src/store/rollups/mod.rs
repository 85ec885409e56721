//! Roll-ups: per service × questionnaire version × period × slice, the
//! number of respondents, each item's count of every score, and (for
//! everyone) each pair of items' co-moments, packed in one row per key.
//! Summaries and dashboards read these, never the responses.
//!
//! Every count is kept at three grains — the day, its week (Monday first) and
//! its month — so that a read covers a year with 12 month rows (or 52 week
//! rows for a weekly series) and only the days at the ragged edges of a
//! range (see `read`). A slice is everyone (attribute and value empty) or the
//! respondents with one value of one respondent attribute, so breakdowns read
//! roll-ups too.
//!
//! They are rewritten in the transaction that accepts the responses (see
//! `responses::ingest`), after the chain head is locked, so a crash can never
//! leave them out of step and two writers never interleave; `rebuild`
//! recomputes them from the responses.

mod pack;
mod read;
mod write;

pub use pack::SliceCounts;
pub use read::{FlagTally, MomentsByKey, RollupFilter, RollupRow};

use super::chain_head::lock_chain_head;
use super::scores::{scan_scored, ScoredResponse};
use super::Store;
use app::domain::integrity::FlagReason;
use app::domain::period::{date_of_day, day_number, day_of_ms, Period};
use app::domain::scoring::Attribute;
use futures::TryStreamExt;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;
use write::{stored_counts, write, KEY};

/// How long a stored period is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grain {
    Day,
    Week,
    Month,
}

impl Grain {
    pub const ALL: [Grain; 3] = [Grain::Day, Grain::Week, Grain::Month];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }

    /// The first day of this grain's period that holds `day`.
    pub fn start(self, day: i64) -> i64 {
        match self {
            Self::Day => day,
            // 1970-01-01 was a Thursday: day 4 is the first Monday.
            Self::Week => day - (day + 3).rem_euclid(7),
            Self::Month => day_number(Period::Month.start(date_of_day(day))),
        }
    }

    /// The first day after the period that starts on `start`.
    pub fn next(self, start: i64) -> i64 {
        match self {
            Self::Day => start + 1,
            Self::Week => start + 7,
            Self::Month => day_number(Period::Month.next(date_of_day(start))),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct SliceKey {
    service_id: String,
    questionnaire_id: String,
    questionnaire_version: i64,
    grain: Grain,
    attribute: &'static str,
    value: String,
    day: i64,
}

/// Counts to add: built from responses in memory by day, then written in
/// one go at every grain.
#[derive(Clone, Debug, Default)]
pub struct RollupDelta(BTreeMap<SliceKey, SliceCounts>);

/// One response as the roll-ups count it.
pub struct Counted<'a> {
    pub service_id: &'a str,
    pub questionnaire_id: &'a str,
    pub questionnaire_version: i64,
    pub answered_at_ms: i64,
    /// Respondent attributes in [`Attribute::ALL`] order, as stored.
    pub attributes: [Option<&'a str>; 5],
    /// (item code, score 1–4).
    pub scores: &'a [(&'a str, u8)],
    /// Why the integrity monitor flagged it (not cleared), if it did.
    pub flags: &'a [FlagReason],
}

/// The slice counting the flagged responses among `attribute`'s (`""`:
/// everyone): figures without flagged responses are the slice less this.
pub fn flagged_slice(attribute: &str) -> &'static str {
    match attribute {
        "" => "flagged",
        "sex" => "flagged:sex",
        "age_band" => "flagged:age_band",
        "education" => "flagged:education",
        "occupation" => "flagged:occupation",
        "disability" => "flagged:disability",
        other => unreachable!("no flagged slice for attribute {other:?}"),
    }
}

/// The slice counting flagged responses by reason (its value is the reason).
pub const FLAG_REASON_SLICE: &str = "flag";

impl RollupDelta {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn add(&mut self, r: &Counted<'_>) {
        if r.scores.is_empty() {
            return;
        }
        let mut scores: Vec<(&str, u8)> = r.scores.to_vec();
        scores.sort_unstable();
        let base: Vec<(&'static str, String)> = std::iter::once(("", String::new()))
            .chain(
                Attribute::ALL
                    .into_iter()
                    .zip(r.attributes)
                    .map(|(a, v)| (a.as_str(), a.cell_name(a.cell_of(v)).to_owned())),
            )
            .collect();
        let mut slices = base.clone();
        if !r.flags.is_empty() {
            slices.extend(base.into_iter().map(|(a, v)| (flagged_slice(a), v)));
            slices.extend(
                r.flags
                    .iter()
                    .map(|f| (FLAG_REASON_SLICE, f.as_str().to_owned())),
            );
        }
        for (attribute, value) in slices {
            let key = SliceKey {
                service_id: r.service_id.to_owned(),
                questionnaire_id: r.questionnaire_id.to_owned(),
                questionnaire_version: r.questionnaire_version,
                grain: Grain::Day,
                attribute,
                value,
                day: day_of_ms(r.answered_at_ms),
            };
            // Item pairs for everyone (and its flagged part) only: groups
            // borrow their correlations (see `Moments::index_estimate_with`).
            let pairs = attribute.is_empty() || attribute == "flagged";
            self.0.entry(key).or_default().count(&scores, pairs);
        }
    }

    /// Adds a stored response, counted as flagged for `flags`.
    pub fn add_stored(&mut self, r: &ScoredResponse, flags: &[FlagReason]) {
        let scores: Vec<(&str, u8)> = r
            .scores
            .iter()
            .map(|(code, s)| (code.as_str(), (*s).clamp(1, 4) as u8))
            .collect();
        self.add(&Counted {
            service_id: &r.service_id,
            questionnaire_id: &r.questionnaire_id,
            questionnaire_version: r.questionnaire_version,
            answered_at_ms: r.answered_at_ms,
            attributes: r.attributes.each_ref().map(Option::as_deref),
            scores: &scores,
            flags,
        });
    }

    /// Adds these counts to the stored roll-ups at every grain, on `c`
    /// (inside the caller's transaction, after the chain head is locked:
    /// rows are read, added to and written back whole).
    pub async fn apply(&self, c: &mut AnyConnection) -> sqlx::Result<()> {
        self.apply_as(c, false).await
    }

    /// Only the flagged part of these counts: what a response stops
    /// counting for once its flags are cleared.
    pub fn flagged_part(mut self) -> Self {
        self.0
            .retain(|k, _| k.attribute.starts_with("flagged") || k.attribute == FLAG_REASON_SLICE);
        self
    }

    /// Takes these counts away from the stored roll-ups (rows left empty
    /// are removed, as a rebuild would never write them), on `c` after the
    /// chain head is locked.
    pub async fn remove(&self, c: &mut AnyConnection) -> sqlx::Result<()> {
        self.apply_as(c, true).await
    }

    async fn apply_as(&self, c: &mut AnyConnection, remove: bool) -> sqlx::Result<()> {
        let mut all: BTreeMap<SliceKey, SliceCounts> = BTreeMap::new();
        for (k, counts) in &self.0 {
            for grain in Grain::ALL {
                let key = SliceKey {
                    grain,
                    day: grain.start(k.day),
                    ..k.clone()
                };
                all.entry(key).or_default().merge(counts);
            }
        }
        let stored = stored_counts(c, &all).await?;
        if remove {
            let mut left = BTreeMap::new();
            for (key, mut counts) in stored {
                if let Some(part) = all.get(&key) {
                    counts.subtract(part);
                    left.insert(key, counts);
                }
            }
            let (empty, kept): (Vec<_>, Vec<_>) =
                left.iter().partition(|(_, counts)| counts.respondents == 0);
            for (key, _) in empty {
                sqlx::query(&format!(
                    "DELETE FROM rollups WHERE ({KEY}) = ($1, $2, $3, $4, $5, $6, $7)"
                ))
                .bind(&key.service_id)
                .bind(key.attribute)
                .bind(key.grain.as_str())
                .bind(&key.questionnaire_id)
                .bind(key.questionnaire_version)
                .bind(key.day)
                .bind(&key.value)
                .execute(&mut *c)
                .await?;
            }
            for chunk in kept.chunks(100) {
                write(c, chunk).await?;
            }
            return Ok(());
        }
        for (key, counts) in stored {
            if let Some(c) = all.get_mut(&key) {
                c.merge(&counts);
            }
        }
        let rows: Vec<(&SliceKey, &SliceCounts)> = all.iter().collect();
        for chunk in rows.chunks(100) {
            write(c, chunk).await?;
        }
        Ok(())
    }
}

impl Store {
    /// Recomputes every roll-up from the stored responses, in one write
    /// transaction holding the chain head (responses accepted meanwhile wait
    /// for it). Returns the number of responses counted.
    #[tracing::instrument(name = "store.rebuild_rollups", skip_all)]
    pub async fn rebuild_rollups(&self) -> sqlx::Result<u64> {
        let mut tx = self.begin_write().await?;
        lock_chain_head(&mut tx, self.engine()).await?;
        let responses = recount(&mut tx).await?;
        tx.commit().await?;
        Ok(responses)
    }

    /// Rebuilds the roll-ups when there are none but scored responses exist
    /// (after the migration that packed them, or if they were wiped).
    /// Returns the number of responses counted, if it rebuilt.
    pub async fn rebuild_rollups_if_missing(&self) -> sqlx::Result<Option<u64>> {
        let exists = |sql: &'static str| async move {
            sqlx::query(sql)
                .fetch_optional(self.pool())
                .await
                .map(|r| r.is_some())
        };
        if exists("SELECT 1 FROM rollups LIMIT 1").await?
            || !exists("SELECT 1 FROM response_scores LIMIT 1").await?
        {
            return Ok(None);
        }
        self.rebuild_rollups().await.map(Some)
    }

    /// Every roll-up row as text, in key order: for comparing two states.
    pub async fn rollup_snapshot(&self) -> sqlx::Result<Vec<String>> {
        let mut out = Vec::new();
        self.each_rollup_line(|line| out.push(line)).await?;
        Ok(out)
    }

    /// The number of roll-up rows and a SHA-256 over them in key order, read
    /// as a stream: compares two states of any size.
    pub async fn rollup_digest(&self) -> sqlx::Result<(u64, String)> {
        use sha2::{Digest, Sha256};
        let (mut rows, mut hash) = (0, Sha256::new());
        self.each_rollup_line(|line| {
            rows += 1;
            hash.update(line.as_bytes());
            hash.update(b"\n");
        })
        .await?;
        Ok((rows, hex::encode(hash.finalize())))
    }

    async fn each_rollup_line(&self, each: impl FnMut(String)) -> sqlx::Result<()> {
        let mut c = self.pool().acquire().await?;
        rollup_lines(&mut c, each).await
    }

    /// Whether the stored roll-ups are those the stored scores give: they
    /// are rebuilt in a transaction that is then rolled back (the chain
    /// head locked meanwhile, so no sync changes them), and compared row by
    /// row. `None` when equal, else the first row that differs, as stored
    /// and as rebuilt.
    pub async fn rollups_differ(&self) -> sqlx::Result<Option<(String, String)>> {
        let mut tx = self.begin_write().await?;
        lock_chain_head(&mut tx, self.engine()).await?;
        let mut stored = Vec::new();
        rollup_lines(&mut tx, |l| stored.push(l)).await?;
        recount(&mut tx).await?;
        let mut rebuilt = Vec::new();
        rollup_lines(&mut tx, |l| rebuilt.push(l)).await?;
        tx.rollback().await?;
        let none = || "(no such row)".to_owned();
        Ok((0..stored.len().max(rebuilt.len())).find_map(|i| {
            let (a, b) = (stored.get(i), rebuilt.get(i));
            (a != b).then(|| {
                (
                    a.cloned().unwrap_or_else(none),
                    b.cloned().unwrap_or_else(none),
                )
            })
        }))
    }
}

/// Replaces every roll-up row, inside `tx`, with what the stored scores
/// give; how many responses were counted. The caller holds the chain head.
async fn recount(tx: &mut sqlx::Transaction<'static, sqlx::Any>) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM rollups")
        .execute(&mut **tx)
        .await?;
    let mut delta = RollupDelta::default();
    let mut responses = 0;
    scan_scored(tx, |r| {
        delta.add_stored(r, &r.flags);
        responses += 1;
    })
    .await?;
    delta.apply(tx).await?;
    Ok(responses)
}

/// Every roll-up row as a line of text, in key order, on `c`.
async fn rollup_lines(
    c: &mut sqlx::AnyConnection,
    mut each: impl FnMut(String),
) -> sqlx::Result<()> {
    {
        let sql = format!("SELECT {KEY}, n, items, pairs FROM rollups ORDER BY {KEY}");
        let mut rows = sqlx::query(&sql).fetch(&mut *c);
        while let Some(r) = rows.try_next().await? {
            let grain: String = r.try_get("grain")?;
            // Counts read and written again: the same counts give the same line.
            let counts = SliceCounts::from_row(&r)?;
            each(format!(
                "{} {} {grain} {} {} {} {} | {} | {} | {}",
                r.try_get::<String, _>("service_id")?,
                r.try_get::<String, _>("attribute")?,
                r.try_get::<String, _>("questionnaire_id")?,
                r.try_get::<i64, _>("questionnaire_version")?,
                r.try_get::<i64, _>("day")?,
                r.try_get::<String, _>("value")?,
                counts.respondents,
                counts.items_text(),
                counts.pairs_text(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Grain;
    use app::domain::period::{date_of_day, day_number, Period};

    #[test]
    fn grains_start_where_the_periods_do() {
        // Every day from 1969 to 2101: a grain's start is the period's start,
        // and the next one starts where the period ends.
        for day in -400..48_000 {
            let date = date_of_day(day);
            assert_eq!(Grain::Day.start(day), day);
            for (grain, period) in [(Grain::Week, Period::Week), (Grain::Month, Period::Month)] {
                let start = period.start(date);
                assert_eq!(grain.start(day), day_number(start), "{grain:?} of {date}");
                assert_eq!(
                    grain.next(grain.start(day)),
                    day_number(period.next(start)),
                    "{grain:?} after {date}"
                );
            }
        }
    }
}
