//! `suara bench summary`: how long a unit head waits for the unit overview's
//! figures (the summary of one unit over the last year), read from the
//! roll-ups as the API does, against the same figures from a GROUP BY over the
//! raw responses, measured in the same run on the same database.

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

/// The unit with the most responses.
async fn busiest_unit(store: &Store) -> anyhow::Result<String> {
    let row = sqlx::query(
        "SELECT u.code, COUNT(*) AS n FROM responses r JOIN services s ON s.id = r.service_id \
         JOIN units u ON u.id = s.unit_id GROUP BY u.code ORDER BY n DESC, u.code LIMIT 1",
    )
    .fetch_optional(store.pool())
    .await?;
    match row {
        Some(r) => Ok(r.try_get("code")?),
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
         JOIN response_scores s ON s.response_id = r.id \
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

/// `suara bench ingest`: responses a second through the sync API (batches of
/// 500 over HTTP on loopback, one client, into a fresh SQLite file) against
/// raw inserts of the same rows into another fresh file — one transaction per
/// 500, each response's row with its two hashes and its score rows, nothing
/// else — in the same run. Both files live in `dir` and are removed after.
pub async fn ingest(dir: &std::path::Path, total: u64) -> anyhow::Result<IngestFigures> {
    std::fs::create_dir_all(dir)?;
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let file = |name: &str| dir.join(format!("bench-{tag}-{name}.db"));
    let (suara_file, raw_file) = (file("suara"), file("raw"));
    let result = ingest_in(&suara_file, &raw_file, total).await;
    for f in [&suara_file, &raw_file] {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", f.display()));
        }
    }
    result
}

/// What `suara bench ingest` measured.
#[derive(Debug)]
pub struct IngestFigures {
    pub responses: u64,
    pub suara_per_second: f64,
    pub raw_per_second: f64,
}

impl IngestFigures {
    pub fn ratio(&self) -> f64 {
        self.suara_per_second / self.raw_per_second
    }
}

async fn fresh(file: &std::path::Path) -> anyhow::Result<Store> {
    let store = Store::connect(&format!("sqlite://{}", file.display())).await?;
    store.migrate().await?;
    Ok(store)
}

async fn ingest_in(
    suara_file: &std::path::Path,
    raw_file: &std::path::Path,
    total: u64,
) -> anyhow::Result<IngestFigures> {
    let until = time::OffsetDateTime::now_utc();
    let suara = fresh(suara_file).await?;
    let mut batches = Vec::new();
    // A thousand a day: full batches of 500, as a busy office's phones send.
    let days = u32::try_from(total / 1_000)
        .unwrap_or(u32::MAX)
        .clamp(1, 365);
    let mut gen = crate::synthetic::Batches::new(&suara, total, days, 2017, until).await?;
    while let Some((batch, _)) = gen.next_batch() {
        batches.push(batch);
    }
    let bodies: Vec<Vec<u8>> = batches
        .iter()
        .map(|b| serde_json::to_vec(&serde_json::json!({ "responses": b })))
        .collect::<Result<_, _>>()?;

    // Suara, through its own HTTP server on loopback.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let router = crate::app_router(suara.clone(), "target/site", addr, None);
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let http = reqwest::Client::new();
    let url = format!("http://{addr}/api/v1/responses");
    let started = Instant::now();
    let mut accepted = 0u64;
    for body in bodies {
        let r = http
            .post(&url)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await?
            .error_for_status()?;
        let v: serde_json::Value = r.json().await?;
        accepted += v["results"].as_array().map_or(0, |a| {
            a.iter().filter(|r| r["status"] == "accepted").count()
        }) as u64;
    }
    let suara_time = started.elapsed();
    server.abort();
    anyhow::ensure!(
        accepted == total,
        "{accepted} of {total} responses accepted"
    );

    // The same rows, raw.
    let raw = fresh(raw_file).await?;
    crate::seed::demo(&raw).await?;
    let started = Instant::now();
    raw_inserts(&raw, &batches).await?;
    let raw_time = started.elapsed();
    Ok(IngestFigures {
        responses: total,
        suara_per_second: total as f64 / suara_time.as_secs_f64(),
        raw_per_second: total as f64 / raw_time.as_secs_f64(),
    })
}

/// Each batch in one transaction: the response row (its JSON as given, its
/// content hash and chain hash) and its scores in one multi-row insert,
/// with SQLite's positional parameters (the fastest way sqlx binds) and
/// nothing checked.
async fn raw_inserts(store: &Store, batches: &[Vec<serde_json::Value>]) -> anyhow::Result<()> {
    let mut chain = crate::chain::GENESIS.to_owned();
    let mut seq = 0i64;
    for batch in batches {
        let mut tx = store.pool().begin().await?;
        for r in batch {
            let content = serde_json::to_string(r)?;
            let hash = crate::chain::content_hash(&content);
            chain = crate::chain::link(&chain, &hash).unwrap_or_default();
            seq += 1;
            let id = r["id"].as_str().unwrap_or_default();
            let at = time::OffsetDateTime::parse(
                r["answered_at"].as_str().unwrap_or_default(),
                &time::format_description::well_known::Rfc3339,
            )
            .map_or(0, crate::store::datetime_to_ms);
            sqlx::query(
                "INSERT INTO responses (id, service_id, questionnaire_id, questionnaire_version, \
                 answered_at_ms, received_at_ms, channel, comment, content, content_hash, seq, chain_hash) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(r["service_id"].as_str().unwrap_or_default())
            .bind(r["questionnaire_id"].as_str().unwrap_or_default())
            .bind(r["questionnaire_version"].as_i64().unwrap_or(1))
            .bind(at)
            .bind(at)
            .bind(r["channel"].as_str().unwrap_or_default())
            .bind(r["comment"].as_str())
            .bind(&content)
            .bind(&hash)
            .bind(seq)
            .bind(&chain)
            .execute(&mut *tx)
            .await?;
            let scores = r["scores"].as_object().cloned().unwrap_or_default();
            if scores.is_empty() {
                continue;
            }
            let rows = vec!["(?, ?, ?)"; scores.len()].join(", ");
            let sql = format!(
                "INSERT INTO response_scores (response_id, item_code, score) VALUES {rows}"
            );
            let mut q = sqlx::query(&sql);
            for (code, score) in &scores {
                q = q
                    .bind(id)
                    .bind(code.as_str())
                    .bind(score.as_i64().unwrap_or_default());
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}
