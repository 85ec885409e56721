//! Failures survived: the server killed mid-sync again and again,
//! PostgreSQL gone mid-sync and back, SQLite's disk full, a graceful stop on
//! SIGTERM. In each, phones resend until they are answered, and at the end
//! every response is stored exactly once, in an unbroken chain, with
//! roll-ups equal to a rebuild.

use crate::chain::{assert_unbroken, stored_chain};
use crate::helpers::{free_port, new_id, response, spawn_app, suara, As, Db, Replica, TestApp};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use suara::auth::Role;

mod disk;
mod outage;

crate::both!(killed_mid_sync_again_and_again_loses_nothing_and_stores_nothing_twice);

/// What the phones met while delivering.
#[derive(Default, Debug)]
struct Met {
    /// Every response id sent (each resent until answered).
    sent: BTreeSet<String>,
    unavailable: usize,
    unreachable: usize,
    /// The longest a `503` took to come.
    slowest_refusal: Duration,
}

/// A phone: sends new batches of `size` to `base` until `stop`, each one
/// resent (after a pause) until the server answers it `200`. A `503` must be
/// a problem document with `Retry-After`; any other status fails the test.
async fn phone(base: String, service: String, size: usize, stop: Arc<AtomicBool>) -> Met {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let mut met = Met::default();
    while !stop.load(Ordering::Relaxed) {
        let batch: Vec<Value> = (0..size)
            .map(|i| {
                let id = new_id();
                met.sent.insert(id.clone());
                response(&id, &service, json!({"U1": 1 + i % 4, "U2": 4}))
            })
            .collect();
        loop {
            let started = Instant::now();
            let answer = http
                .post(format!("{base}/api/v1/responses"))
                .json(&json!({ "responses": batch }))
                .send()
                .await;
            match answer {
                Ok(r) if r.status() == 200 => {
                    let body: Value = r.json().await.unwrap();
                    for result in body["results"].as_array().unwrap() {
                        let status = result["status"].as_str().unwrap();
                        assert!(["accepted", "duplicate"].contains(&status), "{result}");
                    }
                    break;
                }
                Ok(r) if r.status() == 503 => {
                    met.slowest_refusal = met.slowest_refusal.max(started.elapsed());
                    assert!(
                        r.headers().contains_key("retry-after"),
                        "503 without Retry-After"
                    );
                    let p: Value = r.json().await.unwrap();
                    assert_eq!(p["type"], "https://suara.example/problems/unavailable");
                    met.unavailable += 1;
                }
                Ok(r) => panic!("{}: {}", r.status(), r.text().await.unwrap_or_default()),
                // Killed, or not up again yet: the phone keeps it and retries.
                Err(_) => met.unreachable += 1,
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    met
}

/// Starts `n` phones on `base`; stop them with the flag and join.
fn phones(
    n: usize,
    base: &str,
    service: &str,
) -> (Arc<AtomicBool>, Vec<tokio::task::JoinHandle<Met>>) {
    let stop = Arc::new(AtomicBool::new(false));
    let handles = (0..n)
        .map(|i| {
            tokio::spawn(phone(
                base.to_owned(),
                service.to_owned(),
                5 + i * 7,
                stop.clone(),
            ))
        })
        .collect();
    (stop, handles)
}

async fn stop_phones(stop: Arc<AtomicBool>, handles: Vec<tokio::task::JoinHandle<Met>>) -> Met {
    stop.store(true, Ordering::Relaxed);
    let mut all = Met::default();
    for h in handles {
        let m = h.await.unwrap();
        all.sent.extend(m.sent);
        all.unavailable += m.unavailable;
        all.unreachable += m.unreachable;
        all.slowest_refusal = all.slowest_refusal.max(m.slowest_refusal);
    }
    all
}

/// Every response sent is stored exactly once, in an unbroken chain, and
/// the roll-ups equal a rebuild from the responses.
async fn nothing_lost_nothing_twice(app: &TestApp, sent: &BTreeSet<String>) {
    let chain = stored_chain(app).await;
    assert_unbroken(&chain);
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM responses ORDER BY seq")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    let stored: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(stored.len(), ids.len(), "a response stored twice");
    assert_eq!(
        &stored, sent,
        "stored responses differ from those the phones sent"
    );
    let url = app.database_url.clone();
    let rebuilt = tokio::task::spawn_blocking(move || {
        suara(["--database-url", url.as_str(), "rollups", "rebuild"], None)
    })
    .await
    .unwrap()
    .unwrap();
    assert!(rebuilt.contains("unchanged"), "{rebuilt}");
}

const NO_LIMITS: (&str, &str) = ("SUARA_RATE_LIMITS", "off");

async fn killed_mid_sync_again_and_again_loses_nothing_and_stores_nothing_twice(db: Db) {
    let app = spawn_app(db).await;
    let service = app.service_id("paspor-baru-jaksel").await;
    let port = free_port();
    let url = app.database_url.clone();
    let mut server = Replica::start_on(&app, &url, port, &[NO_LIMITS]).await;
    let (stop, handles) = phones(4, &server.app.base, &service);
    for round in 0..5u64 {
        tokio::time::sleep(Duration::from_millis(300 + 150 * round)).await;
        drop(server); // SIGKILL, mid-sync
        server = Replica::start_on(&app, &url, port, &[NO_LIMITS]).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let met = stop_phones(stop, handles).await;
    assert!(met.unreachable > 0, "the kills were never felt: {met:?}");
    assert!(met.sent.len() > 100, "{met:?}");
    nothing_lost_nothing_twice(&app, &met.sent).await;
    drop(server);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_what_is_in_flight_refuses_what_is_new_and_leaves_no_half_batch() {
    let app = spawn_app(Db::Sqlite).await;
    let service = app.service_id("paspor-baru-jaksel").await;
    let mut server = Replica::start(&app, &[NO_LIMITS]).await;
    let token = app.token(Role::Admin, &[]).await;
    // A dashboard's live feed: a request that stays open.
    let feed = server.app.get("/api/v1/events", As::Token(&token)).await;
    assert_eq!(feed.status(), 200);

    let batches: Vec<Vec<Value>> = (0..8)
        .map(|_| {
            (0..200)
                .map(|_| response(&new_id(), &service, json!({"U1": 3})))
                .collect()
        })
        .collect();
    let posts: Vec<_> = batches
        .iter()
        .cloned()
        .map(|batch| {
            let (http, url) = (server.app.http.clone(), server.app.url("/api/v1/responses"));
            tokio::spawn(async move {
                let r = http
                    .post(url)
                    .json(&json!({ "responses": batch }))
                    .send()
                    .await;
                r.map(|r| r.status().as_u16())
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(30)).await;
    server.signal("TERM");
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Stopping: nothing new is taken, while the feed is still open.
    let new = server.app.http.get(server.app.url("/healthz")).send().await;
    assert!(
        new.is_err(),
        "a new request was taken after SIGTERM: {new:?}"
    );
    let status = server
        .exited(suara::SHUTDOWN_GRACE + Duration::from_secs(10))
        .await;
    assert!(status.success(), "{status:?}");
    drop(feed);

    let mut answered = 0;
    for (batch, post) in batches.iter().zip(posts) {
        let ids: Vec<&str> = batch.iter().map(|r| r["id"].as_str().unwrap()).collect();
        let mut stored = 0;
        for id in &ids {
            stored += app
                .count("SELECT COUNT(*) FROM responses WHERE id = $1", id)
                .await;
        }
        match post.await.unwrap() {
            Ok(200) => {
                answered += 1;
                assert_eq!(stored, 200, "an answered sync is stored whole");
            }
            Ok(other) => panic!("{other}"),
            // Refused at the door: the phone keeps it; none of it stored.
            Err(_) => assert!(stored == 0 || stored == 200, "half a batch: {stored}"),
        }
    }
    assert!(answered > 0, "no sync was in flight at the signal");
    let chain = stored_chain(&app).await;
    assert_unbroken(&chain);
    app.finish().await;
}
