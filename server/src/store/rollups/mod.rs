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

mod read;

pub use read::{Grouping, MomentsByKey, RollupFilter, RollupPart, RollupRow};

use super::scores::scan_scored;
use super::Store;
use app::domain::period::day_of_ms;
use app::domain::scoring::summary::PairMoments;
use app::domain::scoring::{Attribute, Distribution};
use futures::TryStreamExt;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

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
                day: day_of_ms(r.answered_at_ms),
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
        let keys: Vec<(&SliceKey, &SliceCounts)> = self.0.iter().collect();
        let respondents: Vec<Vec<Bind>> = keys
            .iter()
            .map(|(k, c)| {
                key_binds(k)
                    .chain([Bind::I(c.respondents as i64)])
                    .collect()
            })
            .collect();
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
        for (table, key, add, rows) in [
            ("rollup_respondents", &[][..], &["n"][..], respondents),
            (
                "rollup_items",
                &["item_code"][..],
                &["c1", "c2", "c3", "c4"][..],
                items,
            ),
            (
                "rollup_pairs",
                &["item_a", "item_b"][..],
                &["n", "sum_a", "sum_b", "sum_ab"][..],
                pairs,
            ),
        ] {
            for chunk in rows.chunks(200) {
                upsert(c, table, key, add, chunk).await?;
            }
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

/// The slice key every roll-up table starts with.
const SLICE_KEY: [&str; 6] = [
    "service_id",
    "questionnaire_id",
    "questionnaire_version",
    "attribute",
    "value",
    "day",
];

/// `INSERT … VALUES (…), (…) ON CONFLICT (key) DO UPDATE SET x = table.x + excluded.x`,
/// which SQLite and PostgreSQL both understand. Rows bind the slice key, then
/// `key` (the rest of the primary key), then the `add` counts.
async fn upsert(
    c: &mut AnyConnection,
    table: &str,
    key: &[&str],
    add: &[&str],
    rows: &[Vec<Bind>],
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let key = SLICE_KEY
        .iter()
        .chain(key)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let columns = format!("{key}, {}", add.join(", "));
    let mut sql = format!("INSERT INTO {table} ({columns}) VALUES ");
    // SQLite looks a named parameter ($n) up by walking a list, for each
    // one bound, which makes binding thousands of them quadratic (two thirds
    // of ingest's time); its anonymous `?` binds in order at no cost.
    let anonymous = c.backend_name() == "SQLite";
    let mut n = 0;
    for (r, row) in rows.iter().enumerate() {
        sql.push_str(if r > 0 { ", (" } else { "(" });
        for i in 0..row.len() {
            n += 1;
            if i > 0 {
                sql.push_str(", ");
            }
            if anonymous {
                sql.push('?');
            } else {
                sql.push_str(&format!("${n}"));
            }
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

impl Store {
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
        scan_scored(&mut tx, |r| {
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
            let key = SLICE_KEY.join(", ");
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
