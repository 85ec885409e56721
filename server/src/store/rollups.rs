//! Roll-ups: per service × questionnaire version × day × slice, the number of
//! respondents, each item's count of every score, and (for everyone) each
//! pair of items' co-moments. Summaries and dashboards read these, never the
//! responses.
//!
//! They are added to in the transaction that accepts the responses (see
//! `responses::ingest`), so a crash can never leave them out of step, and
//! `rebuild` recomputes them from the responses. A slice is everyone
//! (attribute and value empty) or the respondents with one value of one
//! respondent attribute, so breakdowns read roll-ups too.

use super::scores::{scan_scored, ScoreFilter};
use super::Store;
use app::domain::scoring::summary::PairMoments;
use app::domain::scoring::{Attribute, Distribution};
use futures::TryStreamExt;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;
use uuid::Uuid;

pub const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 (UTC) of an instant in milliseconds.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct SliceKey {
    service_id: String,
    questionnaire_id: String,
    questionnaire_version: i64,
    attribute: &'static str,
    value: String,
    day: i64,
}

#[derive(Clone, Debug, Default)]
struct SliceCounts {
    respondents: u64,
    items: BTreeMap<String, Distribution>,
    pairs: BTreeMap<(String, String), PairMoments>,
}

/// Counts to add: built from responses in memory, then written in one go.
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
}

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
        let slices = std::iter::once(("", String::new())).chain(
            Attribute::ALL
                .into_iter()
                .zip(r.attributes)
                .map(|(a, v)| (a.as_str(), a.cell_name(a.cell_of(v)).to_owned())),
        );
        for (attribute, value) in slices {
            let key = SliceKey {
                service_id: r.service_id.to_owned(),
                questionnaire_id: r.questionnaire_id.to_owned(),
                questionnaire_version: r.questionnaire_version,
                attribute,
                value,
                day: day_of(r.answered_at_ms),
            };
            let c = self.0.entry(key).or_default();
            c.respondents += 1;
            for (i, &(code, score)) in scores.iter().enumerate() {
                let d = c.items.entry(code.to_owned()).or_default();
                d.0[usize::from(score.clamp(1, 4) - 1)] += 1;
                // Item pairs for everyone only: groups borrow their
                // correlations (see `Moments::index_estimate_with`), which
                // keeps group roll-ups to one row per item.
                if !attribute.is_empty() {
                    continue;
                }
                for &(other, s2) in &scores[i + 1..] {
                    let p = c
                        .pairs
                        .entry((code.to_owned(), other.to_owned()))
                        .or_default();
                    let (a, b) = (u64::from(score), u64::from(s2));
                    p.n += 1;
                    p.sum_a += a;
                    p.sum_b += b;
                    p.sum_ab += a * b;
                }
            }
        }
    }

    /// Adds these counts to the stored roll-ups, on `c` (inside the caller's
    /// transaction).
    pub async fn apply(&self, c: &mut AnyConnection) -> sqlx::Result<()> {
        const KEY: &str =
            "service_id, questionnaire_id, questionnaire_version, attribute, value, day";
        let keys: Vec<(&SliceKey, &SliceCounts)> = self.0.iter().collect();
        for chunk in keys.chunks(200) {
            let rows: Vec<Vec<Bind>> = chunk
                .iter()
                .map(|(k, c)| {
                    key_binds(k)
                        .chain([Bind::I(c.respondents as i64)])
                        .collect()
                })
                .collect();
            upsert(
                c,
                "rollup_respondents",
                &format!("{KEY}, n"),
                KEY,
                &["n"],
                &rows,
            )
            .await?;
        }
        let items: Vec<Vec<Bind>> = keys
            .iter()
            .flat_map(|(k, c)| {
                c.items.iter().map(|(code, d)| {
                    key_binds(k)
                        .chain([Bind::S(code.clone())])
                        .chain(d.0.iter().map(|&x| Bind::I(x as i64)))
                        .collect()
                })
            })
            .collect();
        for chunk in items.chunks(200) {
            upsert(
                c,
                "rollup_items",
                &format!("{KEY}, item_code, c1, c2, c3, c4"),
                &format!("{KEY}, item_code"),
                &["c1", "c2", "c3", "c4"],
                chunk,
            )
            .await?;
        }
        let pairs: Vec<Vec<Bind>> = keys
            .iter()
            .flat_map(|(k, c)| {
                c.pairs.iter().map(|((a, b), p)| {
                    key_binds(k)
                        .chain([Bind::S(a.clone()), Bind::S(b.clone())])
                        .chain([p.n, p.sum_a, p.sum_b, p.sum_ab].map(|x| Bind::I(x as i64)))
                        .collect()
                })
            })
            .collect();
        for chunk in pairs.chunks(200) {
            upsert(
                c,
                "rollup_pairs",
                &format!("{KEY}, item_a, item_b, n, sum_a, sum_b, sum_ab"),
                &format!("{KEY}, item_a, item_b"),
                &["n", "sum_a", "sum_b", "sum_ab"],
                chunk,
            )
            .await?;
        }
        Ok(())
    }
}

enum Bind {
    S(String),
    I(i64),
}

fn key_binds(k: &SliceKey) -> impl Iterator<Item = Bind> {
    [
        Bind::S(k.service_id.clone()),
        Bind::S(k.questionnaire_id.clone()),
        Bind::I(k.questionnaire_version),
        Bind::S(k.attribute.to_owned()),
        Bind::S(k.value.clone()),
        Bind::I(k.day),
    ]
    .into_iter()
}

/// `INSERT … VALUES (…), (…) ON CONFLICT (key) DO UPDATE SET x = table.x + excluded.x`,
/// which SQLite and PostgreSQL both understand.
async fn upsert(
    c: &mut AnyConnection,
    table: &str,
    columns: &str,
    key: &str,
    add: &[&str],
    rows: &[Vec<Bind>],
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut sql = format!("INSERT INTO {table} ({columns}) VALUES ");
    let mut n = 0;
    for (r, row) in rows.iter().enumerate() {
        sql.push_str(if r > 0 { ", (" } else { "(" });
        for i in 0..row.len() {
            n += 1;
            sql.push_str(&format!("{}${n}", if i > 0 { ", " } else { "" }));
        }
        sql.push(')');
    }
    let set: Vec<String> = add
        .iter()
        .map(|col| format!("{col} = {table}.{col} + excluded.{col}"))
        .collect();
    sql.push_str(&format!(
        " ON CONFLICT ({key}) DO UPDATE SET {}",
        set.join(", ")
    ));
    let mut q = sqlx::query(&sql);
    for row in rows {
        for b in row {
            q = match b {
                Bind::S(s) => q.bind(s.clone()),
                Bind::I(i) => q.bind(*i),
            };
        }
    }
    q.execute(&mut *c).await?;
    Ok(())
}

/// Which roll-ups to read.
#[derive(Clone, Debug, Default)]
pub struct RollupFilter {
    pub services: Vec<Uuid>,
    pub questionnaire_id: Option<String>,
    /// Days since the epoch, from inclusive, to exclusive.
    pub from_day: Option<i64>,
    pub to_day: Option<i64>,
    /// The slice: `None` for everyone, or one attribute's values.
    pub attribute: Option<Attribute>,
    /// What the database adds up by before answering.
    pub grouping: Grouping,
}

/// The key rows are added up by, in the database: callers receive one row
/// per key and item (or pair), not one per stored day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Grouping {
    /// Everything selected, as one.
    #[default]
    Total,
    /// Per day (for series).
    Day,
    /// Per value of the filter's attribute (for breakdowns).
    Value,
    /// Per service and questionnaire version (for the dashboard).
    Service,
}

impl Grouping {
    /// The select list for the key columns, and the GROUP BY list.
    fn columns(self) -> (&'static str, &'static str) {
        match self {
            Self::Total => (
                "'' AS service_id, '' AS questionnaire_id, CAST(0 AS BIGINT) AS questionnaire_version, \
                 CAST(0 AS BIGINT) AS day, '' AS value",
                "",
            ),
            Self::Day => (
                "'' AS service_id, '' AS questionnaire_id, CAST(0 AS BIGINT) AS questionnaire_version, \
                 day, '' AS value",
                "day",
            ),
            Self::Value => (
                "'' AS service_id, '' AS questionnaire_id, CAST(0 AS BIGINT) AS questionnaire_version, \
                 CAST(0 AS BIGINT) AS day, value",
                "value",
            ),
            Self::Service => (
                "service_id, questionnaire_id, questionnaire_version, CAST(0 AS BIGINT) AS day, '' AS value",
                "service_id, questionnaire_id, questionnaire_version",
            ),
        }
    }
}

/// One stored count.
#[derive(Clone, Debug, PartialEq)]
pub enum RollupPart {
    Respondents(u64),
    Item(String, Distribution),
    Pair(String, String, PairMoments),
}

#[derive(Clone, Debug, PartialEq)]
pub struct RollupRow {
    pub service_id: String,
    pub questionnaire_id: String,
    pub questionnaire_version: i64,
    pub day: i64,
    /// The attribute's value (empty for everyone).
    pub value: String,
    pub part: RollupPart,
}

/// A sum; NULL (nothing was summed) is 0.
fn count(row: &sqlx::any::AnyRow, col: &str) -> sqlx::Result<u64> {
    Ok(row.try_get::<Option<i64>, _>(col)?.unwrap_or(0).max(0) as u64)
}

impl Store {
    /// Calls `each` for every stored count `filter` selects.
    pub async fn for_each_rollup(
        &self,
        filter: &RollupFilter,
        mut each: impl FnMut(RollupRow),
    ) -> sqlx::Result<()> {
        if filter.services.is_empty() {
            return Ok(());
        }
        let mut c = self.pool().acquire().await?;
        let (keys, group_by) = filter.grouping.columns();
        let sum = |cols: &[&str]| -> String {
            cols.iter()
                .map(|c| format!("CAST(SUM({c}) AS BIGINT) AS {c}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (table, item_cols, sums) in [
            ("rollup_respondents", "", sum(&["n"])),
            ("rollup_items", "item_code", sum(&["c1", "c2", "c3", "c4"])),
            (
                "rollup_pairs",
                "item_a, item_b",
                sum(&["n", "sum_a", "sum_b", "sum_ab"]),
            ),
        ] {
            let mut sql = format!("SELECT {keys}");
            if !item_cols.is_empty() {
                sql.push_str(&format!(", {item_cols}"));
            }
            sql.push_str(&format!(
                ", {sums} FROM {table} WHERE attribute = $1 AND service_id IN ("
            ));
            let mut n = 1;
            for i in 0..filter.services.len() {
                n += 1;
                sql.push_str(&format!("{}${n}", if i > 0 { ", " } else { "" }));
            }
            sql.push(')');
            for (present, cond) in [
                (filter.questionnaire_id.is_some(), "questionnaire_id ="),
                (filter.from_day.is_some(), "day >="),
                (filter.to_day.is_some(), "day <"),
            ] {
                if present {
                    n += 1;
                    sql.push_str(&format!(" AND {cond} ${n}"));
                }
            }
            let group: Vec<&str> = [group_by, item_cols]
                .into_iter()
                .filter(|g| !g.is_empty())
                .collect();
            if !group.is_empty() {
                sql.push_str(&format!(" GROUP BY {}", group.join(", ")));
            }
            let mut q = sqlx::query(&sql).bind(filter.attribute.map_or("", Attribute::as_str));
            for s in &filter.services {
                q = q.bind(s.to_string());
            }
            if let Some(id) = &filter.questionnaire_id {
                q = q.bind(id.clone());
            }
            if let Some(d) = filter.from_day {
                q = q.bind(d);
            }
            if let Some(d) = filter.to_day {
                q = q.bind(d);
            }
            let mut rows = q.fetch(&mut *c);
            while let Some(row) = rows.try_next().await? {
                let part = match table {
                    "rollup_respondents" => RollupPart::Respondents(count(&row, "n")?),
                    "rollup_items" => RollupPart::Item(
                        row.try_get("item_code")?,
                        Distribution([
                            count(&row, "c1")?,
                            count(&row, "c2")?,
                            count(&row, "c3")?,
                            count(&row, "c4")?,
                        ]),
                    ),
                    _ => RollupPart::Pair(
                        row.try_get("item_a")?,
                        row.try_get("item_b")?,
                        PairMoments {
                            n: count(&row, "n")?,
                            sum_a: count(&row, "sum_a")?,
                            sum_b: count(&row, "sum_b")?,
                            sum_ab: count(&row, "sum_ab")?,
                        },
                    ),
                };
                each(RollupRow {
                    service_id: row.try_get("service_id")?,
                    questionnaire_id: row.try_get("questionnaire_id")?,
                    questionnaire_version: row.try_get("questionnaire_version")?,
                    day: row.try_get("day")?,
                    value: row.try_get("value")?,
                    part,
                });
            }
        }
        Ok(())
    }

    /// Recomputes every roll-up from the stored responses, in one write
    /// transaction (responses accepted meanwhile wait for it). Returns the
    /// number of responses counted.
    pub async fn rebuild_rollups(&self) -> sqlx::Result<u64> {
        let mut tx = self.begin_write().await?;
        for table in ["rollup_respondents", "rollup_items", "rollup_pairs"] {
            sqlx::query(&format!("DELETE FROM {table}"))
                .execute(&mut *tx)
                .await?;
        }
        let mut delta = RollupDelta::default();
        let mut responses = 0;
        scan_scored(&mut tx, &ScoreFilter::default(), |r| {
            let scores: Vec<(&str, u8)> = r
                .scores
                .iter()
                .map(|(code, s)| (code.as_str(), (*s).clamp(1, 4) as u8))
                .collect();
            delta.add(&Counted {
                service_id: &r.service_id,
                questionnaire_id: &r.questionnaire_id,
                questionnaire_version: r.questionnaire_version,
                answered_at_ms: r.answered_at_ms,
                attributes: r.attributes.each_ref().map(Option::as_deref),
                scores: &scores,
            });
            responses += 1;
        })
        .await?;
        delta.apply(&mut tx).await?;
        tx.commit().await?;
        Ok(responses)
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

    async fn each_rollup_line(&self, mut each: impl FnMut(String)) -> sqlx::Result<()> {
        for (table, cols) in [
            ("rollup_respondents", "n"),
            ("rollup_items", "item_code, c1, c2, c3, c4"),
            ("rollup_pairs", "item_a, item_b, n, sum_a, sum_b, sum_ab"),
        ] {
            let key = "service_id, questionnaire_id, questionnaire_version, attribute, value, day";
            let sql = format!("SELECT {key}, {cols} FROM {table} ORDER BY {key}, {cols}");
            let mut rows = sqlx::query(&sql).fetch(self.pool());
            while let Some(r) = rows.try_next().await? {
                let mut line = String::from(table);
                for i in 0..r.len() {
                    let text = r
                        .try_get::<String, _>(i)
                        .or_else(|_| r.try_get::<i64, _>(i).map(|v| v.to_string()))?;
                    line.push(' ');
                    line.push_str(&text);
                }
                each(line);
            }
        }
        Ok(())
    }
}

/// Folds roll-up rows into [`Moments`](app::domain::scoring::Moments) over
/// given item codes, one per key the caller chooses (period, group, service).
pub struct MomentsByKey<K: Ord> {
    position: std::collections::HashMap<String, usize>,
    items: usize,
    map: BTreeMap<K, app::domain::scoring::Moments>,
}

impl<K: Ord> MomentsByKey<K> {
    pub fn new(codes: &[app::domain::ItemCode]) -> Self {
        Self {
            position: codes
                .iter()
                .enumerate()
                .map(|(i, c)| (c.to_string(), i))
                .collect(),
            items: codes.len(),
            map: BTreeMap::new(),
        }
    }

    /// Adds one stored count under `key`; items not among the codes are left out.
    pub fn add(&mut self, key: K, part: &RollupPart) {
        let m = self
            .map
            .entry(key)
            .or_insert_with(|| app::domain::scoring::Moments::new(self.items));
        match part {
            RollupPart::Respondents(n) => m.add_respondents(*n),
            RollupPart::Item(code, d) => {
                if let Some(&i) = self.position.get(code) {
                    m.add_item(i, d);
                }
            }
            RollupPart::Pair(a, b, p) => {
                if let (Some(&i), Some(&j)) = (self.position.get(a), self.position.get(b)) {
                    m.add_pair(i, j, p);
                }
            }
        }
    }

    /// The moments of `key` (empty when nothing was added under it).
    pub fn take(&mut self, key: &K) -> app::domain::scoring::Moments {
        self.map
            .remove(key)
            .unwrap_or_else(|| app::domain::scoring::Moments::new(self.items))
    }
}
