//! Failures survived: the server killed mid-sync again and again,
//! PostgreSQL gone mid-sync and back, SQLite's disk full, a graceful stop on
//! SIGTERM. In each, phones resend until they are answered, and at the end
//! every response is stored exactly once, in an unbroken chain, with
//! roll-ups equal to a rebuild.

use crate::chain::{assert_unbroken, stored_chain};
use crate::helpers::{
    free_port, new_id, response, spawn_app, suara, As, Db, EmptyDatabase, Replica, TestApp,
};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use suara::auth::Role;
use suara::store::Store;

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

/// A TCP path to PostgreSQL that a test can cut: down, connections are
/// reset and new ones refused, as when PostgreSQL stops; up, it listens
/// again on the same port.
struct Link {
    port: u16,
    upstream: String,
    accept: Option<tokio::task::JoinHandle<()>>,
    open: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Link {
    async fn to(upstream: &str) -> Self {
        let mut link = Self {
            port: free_port(),
            upstream: upstream.to_owned(),
            accept: None,
            open: Arc::default(),
        };
        link.up().await;
        link
    }

    async fn up(&mut self) {
        let listener = loop {
            match tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await {
                Ok(l) => break l,
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        };
        let (upstream, open) = (self.upstream.clone(), self.open.clone());
        self.accept = Some(tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let pipe = tokio::spawn(async move {
                    if let Ok(mut out) = tokio::net::TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut out).await;
                    }
                });
                open.lock().unwrap().push(pipe.abort_handle());
            }
        }));
    }

    fn down(&mut self) {
        if let Some(accept) = self.accept.take() {
            accept.abort();
        }
        for pipe in self.open.lock().unwrap().drain(..) {
            pipe.abort();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_gone_mid_sync_is_answered_503_and_the_server_recovers_by_itself() {
    let app = spawn_app(Db::Postgres).await;
    let service = app.service_id("paspor-baru-jaksel").await;
    // The server reaches PostgreSQL through a link the test can cut.
    let (before, rest) = app.database_url.split_once('@').unwrap();
    let (host, db) = rest.split_once('/').unwrap();
    let mut link = Link::to(host).await;
    let through = format!("{before}@127.0.0.1:{}/{db}", link.port);
    let store = Store::connect(&through).await.unwrap();
    let server = EmptyDatabase::existing(&through)
        .serve(store, "target/site", None, &suara::RateLimits::off())
        .await;

    let (stop, handles) = phones(3, &server.base, &service);
    tokio::time::sleep(Duration::from_millis(700)).await;
    link.down();
    // Longer than a request waits for a connection: phones get their 503s.
    tokio::time::sleep(suara::store::ACQUIRE_TIMEOUT + Duration::from_secs(3)).await;
    let health = server
        .http
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 503);
    link.up().await;
    // Without a restart, syncs are taken again.
    let back = Instant::now();
    let mut probes = Vec::new();
    loop {
        probes.push(new_id());
        let probe = response(probes.last().unwrap(), &service, json!({"U1": 4}));
        let r = server.post_batch(vec![probe]).await;
        if r.status() == 200 {
            break;
        }
        assert!(back.elapsed() < Duration::from_secs(20), "not recovered");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    let mut met = stop_phones(stop, handles).await;
    assert!(met.unavailable > 0, "no 503 during the outage: {met:?}");
    assert!(
        met.slowest_refusal < suara::store::ACQUIRE_TIMEOUT + Duration::from_secs(5),
        "a request hung {:?} before its 503",
        met.slowest_refusal
    );
    // The probe that was taken is a response too (one answered 503 may have
    // been committed before its link was cut: it is never resent).
    let last = probes.pop().unwrap();
    met.sent.insert(last);
    for id in probes {
        if app
            .count("SELECT COUNT(*) FROM responses WHERE id = $1", &id)
            .await
            == 1
        {
            met.sent.insert(id);
        }
    }
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

/// A small file system of its own, unmounted when dropped.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    fn new(size: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount runs");
        assert!(
            mounted.success(),
            "mounting a small tmpfs for the disk-full test needs root (make test runs as root in CI)"
        );
        Self(dir)
    }

    /// Fills what is left; the filler's path.
    fn fill(&self) -> std::path::PathBuf {
        use std::io::Write as _;
        let path = self.0.path().join("filler");
        let mut f = std::fs::File::create(&path).unwrap();
        let chunk = vec![0u8; 16 * 1024];
        while f.write_all(&chunk).is_ok() {}
        let _ = f.sync_all();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.0.path())
            .status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_answered_503_and_syncs_resume_when_space_returns() {
    let disk = SmallDisk::new("24m");
    let url = format!("sqlite://{}/suara.db", disk.0.path().display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    suara::seed::demo(&store).await.unwrap();
    let app = EmptyDatabase::existing(&url)
        .serve(store, "target/site", None, &suara::RateLimits::off())
        .await;
    let service = app.service_id("paspor-baru-jaksel").await;
    let batch = |n: usize| -> Vec<Value> {
        (0..n)
            .map(|_| {
                let mut r = response(&new_id(), &service, json!({"U1": 2, "U2": 3}));
                r["comment"] = json!("antrean panjang ".repeat(40));
                r
            })
            .collect()
    };
    let mut sent = BTreeSet::new();
    let first = batch(50);
    sent.extend(first.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
    assert_eq!(app.post_batch(first).await.status(), 200);

    let filler = disk.fill();
    let mut refused = Vec::new();
    for _ in 0..40 {
        let b = batch(100);
        let r = app.post_batch(b.clone()).await;
        match r.status().as_u16() {
            200 => sent.extend(b.iter().map(|r| r["id"].as_str().unwrap().to_owned())),
            503 => {
                assert!(r.headers().contains_key("retry-after"));
                refused.push(b);
                break;
            }
            other => panic!("{other}: {}", r.text().await.unwrap()),
        }
    }
    assert!(!refused.is_empty(), "the full disk was never felt");

    std::fs::remove_file(filler).unwrap();
    for b in refused {
        sent.extend(b.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
        let results = app.post_results(b).await;
        assert!(
            results.iter().all(|r| r["status"] == "accepted"),
            "{results:?}"
        );
    }
    let more = batch(20);
    sent.extend(more.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
    assert_eq!(app.post_batch(more).await.status(), 200);
    nothing_lost_nothing_twice(&app, &sent).await;
    app.finish().await;
    drop(disk);
}
