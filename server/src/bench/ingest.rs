//! `suara bench ingest`: responses a second through the sync API against
//! raw inserts of the same rows, in the same run.

use crate::store::Store;
use std::time::Instant;

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
    // One client posting as fast as it can is a flood by design here.
    let config = crate::Config {
        limits: crate::RateLimits::off(),
        ..crate::Config::new("")
    };
    let router = crate::app_router(suara.clone(), &config, addr);
    let server = tokio::spawn(crate::serve_router(
        listener,
        router,
        std::future::pending(),
    ));
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
                "INSERT INTO response_scores (response_seq, item_code, score) VALUES {rows}"
            );
            let mut q = sqlx::query(&sql);
            for (code, score) in &scores {
                q = q
                    .bind(seq)
                    .bind(code.as_str())
                    .bind(score.as_i64().unwrap_or_default());
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}
