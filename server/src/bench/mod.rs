//! `suara bench`: what a person waits for, each figure against a baseline
//! measured in the same run.
//!
//! - `summary`: the unit overview's figures (one unit, the last year) from
//!   the roll-ups, against a GROUP BY over the raw responses.
//! - `views` ([`views`]): every view a unit head opens, over HTTP.
//! - `ingest` ([`ingest`]): batches of 500 through the sync API against raw
//!   inserts of the same rows.

mod ingest;
mod views;

pub use ingest::{ingest, IngestFigures};
pub use views::views;

use crate::figures::{figures, select_scope, DayRange, FigureQuery, Scope};
use crate::store::Store;
use app::domain::scoring::{Distribution, Index, ItemTally};
use sqlx::Row;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Scored responses per unit (by code), from the roll-ups: counting the
/// responses themselves takes most of a minute at ten million.
async fn responses_per_unit(store: &Store) -> anyhow::Result<BTreeMap<String, u64>> {
    let rows = sqlx::query(
        "SELECT service_id, CAST(SUM(n) AS BIGINT) AS n FROM rollups \
         WHERE attribute = '' AND grain = 'month' GROUP BY service_id",
    )
    .fetch_all(store.pool())
    .await?;
    let services = store.all_services().await?;
    let mut units: BTreeMap<String, u64> = BTreeMap::new();
    for row in rows {
        let id: String = row.try_get("service_id")?;
        if let Some(s) = services.iter().find(|s| s.service.id.to_string() == id) {
            *units.entry(s.unit_code.clone()).or_default() +=
                row.try_get::<i64, _>("n")?.max(0) as u64;
        }
    }
    Ok(units)
}

/// The unit with the most responses.
async fn busiest_unit(store: &Store) -> anyhow::Result<String> {
    match responses_per_unit(store)
        .await?
        .into_iter()
        .max_by_key(|(code, n)| (*n, std::cmp::Reverse(code.clone())))
    {
        Some((code, _)) => Ok(code),
        None => anyhow::bail!("no responses: run `suara seed-synthetic --responses N` first"),
    }
}

/// The index the raw way: one GROUP BY over responses and their scores.
async fn raw_index(
    store: &Store,
    services: &[String],
    qid: &str,
    from_ms: i64,
) -> anyhow::Result<(u64, Option<Index>)> {
    let list: Vec<String> = (0..services.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "SELECT s.item_code, s.score, COUNT(*) AS n FROM responses r \
         JOIN response_scores s ON s.response_seq = r.seq \
         WHERE r.questionnaire_id = $1 AND r.answered_at_ms >= $2 AND r.service_id IN ({}) \
         GROUP BY s.item_code, s.score",
        list.join(", ")
    );
    let mut q = sqlx::query(&sql).bind(qid.to_owned()).bind(from_ms);
    for s in services {
        q = q.bind(s.clone());
    }
    let mut items: BTreeMap<String, Distribution> = BTreeMap::new();
    for row in q.fetch_all(store.pool()).await? {
        let score: i64 = row.try_get("score")?;
        let n: i64 = row.try_get("n")?;
        items.entry(row.try_get("item_code")?).or_default().0[(score.clamp(1, 4) - 1) as usize] +=
            n as u64;
    }
    let tallies: Vec<ItemTally> = items.values().map(Distribution::tally).collect();
    let count_sql = format!(
        "SELECT COUNT(*) AS n FROM responses r WHERE r.questionnaire_id = $1 AND r.answered_at_ms >= $2 \
         AND r.service_id IN ({})",
        list.join(", ")
    );
    let mut q = sqlx::query(&count_sql).bind(qid.to_owned()).bind(from_ms);
    for s in services {
        q = q.bind(s.clone());
    }
    let n: i64 = q.fetch_one(store.pool()).await?.try_get("n")?;
    Ok((n as u64, Index::from_tallies(&tallies)))
}

pub async fn summary(
    store: &Store,
    unit: Option<String>,
    iterations: usize,
    raw_iterations: usize,
) -> anyhow::Result<()> {
    let unit = match unit {
        Some(u) => u,
        None => busiest_unit(store).await?,
    };
    let today = time::OffsetDateTime::now_utc().date();
    let from = today - time::Duration::days(365);
    let query = FigureQuery {
        scope: Scope::Unit(unit.clone()),
        days: DayRange {
            first: Some(from),
            last: None,
        },
        ..Default::default()
    };
    let all = store.all_services().await?;
    let (scope, services) = select_scope(all, &query.scope, None)?;
    let ids: Vec<String> = services.iter().map(|s| s.service.id.to_string()).collect();
    let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM responses")
        .fetch_one(store.pool())
        .await?
        .try_get("n")?;

    let iterations = iterations.max(1);
    let raw_iterations = raw_iterations.max(1);
    let mut rollup = Vec::with_capacity(iterations);
    let mut raw = Vec::with_capacity(raw_iterations);
    let mut last = None;
    let mut last_raw = None;
    // Alternate, so that both see the same cache state; the first round warms
    // up. Past `raw_iterations`, the roll-ups run alone.
    for i in 0..=iterations.max(raw_iterations) {
        if i <= iterations {
            let t = Instant::now();
            let answer = figures(store, scope.clone(), services.clone(), &query).await?;
            if i > 0 {
                rollup.push(t.elapsed());
            }
            last = Some(answer);
        }
        if i <= raw_iterations {
            let qid = last
                .as_ref()
                .map(|a| a.questionnaire.id.clone())
                .unwrap_or_default();
            let from_ms = app::domain::period::day_number(from) * app::domain::period::DAY_MS;
            let t = Instant::now();
            let r = raw_index(store, &ids, &qid, from_ms).await?;
            if i > 0 {
                raw.push(t.elapsed());
            }
            last_raw = Some(r);
        }
    }
    rollup.sort();
    raw.sort();
    let answer = last.expect("ran at least once");
    let (raw_n, raw_index) = last_raw.expect("ran at least once");
    println!(
        "unit {unit}: {} of {total} responses in the last 365 days; index {:?} (raw GROUP BY: n {raw_n}, index {})",
        answer.summary.n,
        answer.summary.index,
        raw_index.map_or("none".into(), |i| i.to_string()),
    );
    println!(
        "roll-ups (figures with intervals): p50 {:.2} ms, p95 {:.2} ms over {iterations} runs",
        ms(percentile(&rollup, 50)),
        ms(percentile(&rollup, 95))
    );
    println!(
        "raw GROUP BY (index only, no intervals): p50 {:.2} ms, p95 {:.2} ms over {raw_iterations} runs",
        ms(percentile(&raw, 50)),
        ms(percentile(&raw, 95))
    );
    println!(
        "ratio raw / roll-ups: p50 {:.1}×, p95 {:.1}×",
        ms(percentile(&raw, 50)) / ms(percentile(&rollup, 50)),
        ms(percentile(&raw, 95)) / ms(percentile(&rollup, 95))
    );
    Ok(())
}
