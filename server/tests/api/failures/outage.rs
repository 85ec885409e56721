//! PostgreSQL gone mid-sync and back, through a link the test cuts.

use super::{nothing_lost_nothing_twice, phones, stop_phones};
use crate::helpers::{free_port, new_id, response, spawn_app, As, Db, EmptyDatabase, Sent};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use suara::store::Store;

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
        .serve(
            store,
            suara::Config {
                limits: suara::RateLimits::off(),
                ..suara::Config::new("")
            },
        )
        .await;

    let admin = app.session_cookie(suara::auth::Role::Admin, &[]).await;
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
    // The administration's forms say so as every route does: a 503 problem
    // document the browser can retry, not a redirect or a 500.
    let form = server
        .post("/admin/agency", As::Cookie(&admin))
        .form(&[("code", "dinkes-baru"), ("name", "Dinas Baru")])
        .sent()
        .await;
    assert_eq!(form.status(), 503);
    assert_eq!(form.headers()["content-type"], "application/problem+json");
    assert!(form.headers().contains_key("retry-after"));
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
