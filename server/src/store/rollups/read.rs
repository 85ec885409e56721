//! Reading the roll-ups: added up in the database by the key the caller
//! needs (everything, day, group value, service), then folded into
//! [`Moments`](app::domain::scoring::Moments) by item code.

use crate::store::Store;
use app::domain::scoring::summary::PairMoments;
use app::domain::scoring::{Attribute, Distribution};
use futures::TryStreamExt;
use sqlx::Row;
use std::collections::BTreeMap;
use uuid::Uuid;

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
