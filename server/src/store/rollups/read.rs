//! Reading the roll-ups: the rows a range and a series need — whole months
//! (or weeks, for a weekly series) inside the range, single days at its
//! ragged edges — summed into [`Moments`](app::domain::scoring::Moments) by
//! whatever key the caller needs (everything, period, group value, service).

use super::{flagged_slice, Grain, SliceCounts, FLAG_REASON_SLICE};
use crate::store::Store;
use app::domain::integrity::Flagged;
use app::domain::period::Period;
use app::domain::scoring::Attribute;
use futures::TryStreamExt;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};
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
    /// The series the caller sums rows by, if any: no row read straddles
    /// two of its periods.
    pub by: Option<Period>,
    /// Whether flagged responses are counted (by default not: each row is
    /// read less its flagged part).
    pub flagged: Flagged,
}

/// Flagged responses of a filter's services and days, and why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlagTally {
    pub responses: u64,
    pub by_reason: BTreeMap<String, u64>,
}

/// One stored row: the counts of a service's slice over one period.
#[derive(Clone, Debug, PartialEq)]
pub struct RollupRow {
    pub service_id: String,
    pub questionnaire_id: String,
    pub questionnaire_version: i64,
    /// The period's first day: the day itself, a week's Monday or a
    /// month's first day.
    pub day: i64,
    /// The attribute's value (empty for everyone).
    pub value: String,
    pub counts: SliceCounts,
}

/// The stretches of `[from, to)` to read and at which grain: `coarse` rows
/// for its periods that lie wholly inside, day rows for the rest (at most a
/// period's worth at each end). `None` is open.
fn stretches(
    from: Option<i64>,
    to: Option<i64>,
    coarse: Grain,
) -> Vec<(Grain, Option<i64>, Option<i64>)> {
    let first = from.map(|a| {
        let start = coarse.start(a);
        if start == a {
            a
        } else {
            coarse.next(start)
        }
    });
    let end = to.map(|b| coarse.start(b));
    if let (Some(f), Some(e)) = (first, end) {
        if f >= e {
            return vec![(Grain::Day, from, to)];
        }
    }
    let mut out = vec![(coarse, first, end)];
    if let (Some(a), Some(f)) = (from, first) {
        if a < f {
            out.push((Grain::Day, Some(a), Some(f)));
        }
    }
    if let (Some(e), Some(b)) = (end, to) {
        if e < b {
            out.push((Grain::Day, Some(e), Some(b)));
        }
    }
    out
}

impl Store {
    /// Calls `each` for every stored row `filter` selects; every response
    /// it covers is counted in exactly one of them.
    pub async fn for_each_rollup(
        &self,
        filter: &RollupFilter,
        mut each: impl FnMut(RollupRow),
    ) -> sqlx::Result<()> {
        if filter.services.is_empty() {
            return Ok(());
        }
        let coarse = match filter.by {
            Some(Period::Week) => Grain::Week,
            _ => Grain::Month,
        };
        let attribute = filter.attribute.map_or("", Attribute::as_str);
        let mut c = self.pool().acquire().await?;
        for (grain, from, to) in stretches(filter.from_day, filter.to_day, coarse) {
            let stretch = Stretch { grain, from, to };
            if filter.flagged == Flagged::Include {
                read_rows(&mut c, filter, attribute, stretch, &mut each).await?;
                continue;
            }
            // Few responses are flagged: their rows are held while the
            // slice's rows stream by, each less its flagged part.
            let mut flagged = HashMap::new();
            read_rows(&mut c, filter, flagged_slice(attribute), stretch, |r| {
                flagged.insert(r.key(), r.counts);
            })
            .await?;
            read_rows(&mut c, filter, attribute, stretch, |mut r| {
                if let Some(part) = flagged.get(&r.key()) {
                    r.counts.subtract(part);
                }
                each(r)
            })
            .await?;
        }
        Ok(())
    }

    /// How many of the responses `filter` covers are flagged, and why
    /// (its attribute and `flagged` do not matter).
    pub async fn flag_tally(&self, filter: &RollupFilter) -> sqlx::Result<FlagTally> {
        let mut tally = FlagTally::default();
        if filter.services.is_empty() {
            return Ok(tally);
        }
        let mut c = self.pool().acquire().await?;
        for (grain, from, to) in stretches(filter.from_day, filter.to_day, Grain::Month) {
            let stretch = Stretch { grain, from, to };
            read_rows(&mut c, filter, flagged_slice(""), stretch, |r| {
                tally.responses += r.counts.respondents;
            })
            .await?;
            read_rows(&mut c, filter, FLAG_REASON_SLICE, stretch, |r| {
                *tally.by_reason.entry(r.value).or_default() += r.counts.respondents;
            })
            .await?;
        }
        Ok(tally)
    }
}

/// Days `[from, to)` at one grain.
#[derive(Clone, Copy)]
struct Stretch {
    grain: Grain,
    from: Option<i64>,
    to: Option<i64>,
}

impl RollupRow {
    /// Which row of another slice counts (part of) the same respondents.
    fn key(&self) -> (String, String, i64, i64, String) {
        (
            self.service_id.clone(),
            self.questionnaire_id.clone(),
            self.questionnaire_version,
            self.day,
            self.value.clone(),
        )
    }
}

/// Calls `each` for every row of slice `attribute` in `stretch` that
/// `filter`'s services and questionnaire select.
async fn read_rows(
    c: &mut sqlx::AnyConnection,
    filter: &RollupFilter,
    attribute: &str,
    stretch: Stretch,
    mut each: impl FnMut(RollupRow),
) -> sqlx::Result<()> {
    let Stretch { grain, from, to } = stretch;
    let mut sql = String::from(
        "SELECT service_id, questionnaire_id, questionnaire_version, day, value, n, items, \
         pairs FROM rollups WHERE attribute = $1 AND grain = $2 AND service_id IN (",
    );
    let mut n = 2;
    for i in 0..filter.services.len() {
        n += 1;
        sql.push_str(&format!("{}${n}", if i > 0 { ", " } else { "" }));
    }
    sql.push(')');
    for (present, cond) in [
        (filter.questionnaire_id.is_some(), "questionnaire_id ="),
        (from.is_some(), "day >="),
        (to.is_some(), "day <"),
    ] {
        if present {
            n += 1;
            sql.push_str(&format!(" AND {cond} ${n}"));
        }
    }
    let mut q = sqlx::query(&sql).bind(attribute).bind(grain.as_str());
    for s in &filter.services {
        q = q.bind(s.to_string());
    }
    if let Some(id) = &filter.questionnaire_id {
        q = q.bind(id.clone());
    }
    for d in [from, to].into_iter().flatten() {
        q = q.bind(d);
    }
    let mut rows = q.fetch(&mut *c);
    while let Some(row) = rows.try_next().await? {
        each(RollupRow {
            service_id: row.try_get("service_id")?,
            questionnaire_id: row.try_get("questionnaire_id")?,
            questionnaire_version: row.try_get("questionnaire_version")?,
            day: row.try_get("day")?,
            value: row.try_get("value")?,
            counts: SliceCounts::from_row(&row)?,
        });
    }
    Ok(())
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

    /// Adds one row's counts under `key`; items not among the codes are left out.
    pub fn add(&mut self, key: K, counts: &SliceCounts) {
        let m = self
            .map
            .entry(key)
            .or_insert_with(|| app::domain::scoring::Moments::new(self.items));
        m.add_respondents(counts.respondents);
        for (code, d) in &counts.items {
            if let Some(&i) = self.position.get(code) {
                m.add_item(i, d);
            }
        }
        for ((a, b), p) in &counts.pairs {
            if let (Some(&i), Some(&j)) = (self.position.get(a), self.position.get(b)) {
                m.add_pair(i, j, p);
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

#[cfg(test)]
mod tests {
    use super::{stretches, Grain};
    use app::domain::period::{date_of_day, day_number, parse_day};

    fn day(s: &str) -> i64 {
        day_number(parse_day(s).unwrap())
    }

    #[test]
    fn a_range_is_read_as_whole_periods_and_edge_days() {
        let (jan1, feb1, mar1) = (day("2026-01-01"), day("2026-02-01"), day("2026-03-01"));
        // Aligned, open or not: months only.
        assert_eq!(
            stretches(Some(jan1), Some(mar1), Grain::Month),
            vec![(Grain::Month, Some(jan1), Some(mar1))]
        );
        assert_eq!(
            stretches(None, None, Grain::Month),
            vec![(Grain::Month, None, None)]
        );
        // Ragged: the whole month inside, and the days on either side.
        let (jan20, feb10) = (day("2026-01-20"), day("2026-02-10"));
        assert_eq!(
            stretches(Some(jan20), Some(mar1 + 9), Grain::Month),
            vec![
                (Grain::Month, Some(feb1), Some(mar1)),
                (Grain::Day, Some(jan20), Some(feb1)),
                (Grain::Day, Some(mar1), Some(mar1 + 9)),
            ]
        );
        // Shorter than a month: days only.
        assert_eq!(
            stretches(Some(jan20), Some(feb10), Grain::Month),
            vec![(Grain::Day, Some(jan20), Some(feb10))]
        );
        // Open at one end.
        assert_eq!(
            stretches(None, Some(feb10), Grain::Month),
            vec![
                (Grain::Month, None, Some(feb1)),
                (Grain::Day, Some(feb1), Some(feb10))
            ]
        );
        // Weeks: 2026-01-05 is a Monday.
        let mon = day("2026-01-05");
        assert_eq!(date_of_day(mon).weekday(), time::Weekday::Monday);
        assert_eq!(
            stretches(Some(mon - 2), None, Grain::Week),
            vec![
                (Grain::Week, Some(mon), None),
                (Grain::Day, Some(mon - 2), Some(mon))
            ]
        );
    }

    #[test]
    fn every_day_of_a_range_is_read_exactly_once() {
        for grain in [Grain::Week, Grain::Month] {
            for from in [None, Some(20_450), Some(20_454), Some(20_468)] {
                for to in [None, Some(20_455), Some(20_470), Some(20_520), Some(20_544)] {
                    let (lo, hi) = (20_400, 20_600);
                    let mut count = vec![0; (hi - lo) as usize];
                    for (g, a, b) in stretches(from, to, grain) {
                        // Every stored period of grain g that the stretch selects.
                        let mut start = g.start(lo);
                        while start < hi {
                            if a.is_none_or(|a| start >= a) && b.is_none_or(|b| start < b) {
                                for d in start..g.next(start) {
                                    if (lo..hi).contains(&d) {
                                        count[(d - lo) as usize] += 1;
                                    }
                                }
                            }
                            start = g.next(start);
                        }
                    }
                    for d in lo..hi {
                        let inside = from.is_none_or(|f| d >= f) && to.is_none_or(|t| d < t);
                        assert_eq!(
                            count[(d - lo) as usize],
                            usize::from(inside),
                            "{grain:?} {from:?}..{to:?}: day {d}"
                        );
                    }
                }
            }
        }
    }
}
