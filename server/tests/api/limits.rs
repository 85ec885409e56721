//! Rate limits: a flood from one address is throttled, a district office's
//! shared Wi-Fi is not, and a refused request is told when to come back and
//! leaves nothing behind.

use crate::helpers::{new_id, problem, response, Db, TestApp};
use futures::StreamExt as _;
use suara::RateLimits as Config;

const OFFICE: &str = "198.51.100.20";
const FLOODER: &str = "203.0.113.66";

/// The defaults, behind a reverse proxy on loopback.
async fn behind_proxy(changes: &[&str]) -> TestApp {
    let mut limits = Config::default();
    for c in changes {
        limits.set(c).unwrap();
    }
    limits.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    TestApp::builder().limits(limits).spawn(Db::Sqlite).await
}

/// One phone's sync of one rating, through the proxy that saw it come from
/// `from`; the status, and whether the rating was accepted.
async fn post_one(app: &TestApp, from: &str, service: &str) -> (u16, bool) {
    let r = response(
        &new_id(),
        service,
        serde_json::json!({"U1": 4, "U2": 3, "U3": 4}),
    );
    let sent = app
        .http
        .post(app.url("/api/v1/responses"))
        .header("x-forwarded-for", from)
        .json(&serde_json::json!({ "responses": [r] }))
        .send()
        .await
        .unwrap();
    let r = sent;
    let status = r.status().as_u16();
    if status != 200 {
        if status == 429 {
            let wait: u64 = r.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!(wait >= 1, "Retry-After {wait}");
            let p = problem(r, 429).await;
            assert_eq!(p["type"], "https://suara.example/problems/rate-limited");
        }
        return (status, false);
    }
    let body: serde_json::Value = r.json().await.unwrap();
    (status, body["results"][0]["status"] == "accepted")
}

async fn stored(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM responses WHERE id <> ?", "")
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_from_one_address_is_throttled_while_a_hundred_phones_behind_one_address_are_not() {
    let app = behind_proxy(&[]).await;
    let service = app.service_id("paspor-baru-jaksel").await;

    // A hundred phones on the office's Wi-Fi: each opens the service's
    // page data and syncs its rating, all at once. None is refused.
    let phones = futures::stream::iter(0..100)
        .map(|_| async {
            let catalog = app
                .http
                .get(app.url("/api/v1/catalog"))
                .header("x-forwarded-for", OFFICE)
                .send()
                .await
                .unwrap();
            (catalog.status(), post_one(&app, OFFICE, &service).await)
        })
        .buffer_unordered(100)
        .collect::<Vec<_>>()
        .await;
    assert!(
        phones.iter().all(|(c, p)| *c == 200 && *p == (200, true)),
        "{phones:?}"
    );

    // One script posting as fast as it can is stopped after its burst.
    let flood = futures::stream::iter(0..800)
        .map(|_| async { post_one(&app, FLOODER, &service).await })
        .buffer_unordered(32)
        .collect::<Vec<_>>()
        .await;
    let accepted = flood.iter().filter(|r| **r == (200, true)).count();
    let refused = flood.iter().filter(|r| r.0 == 429).count();
    assert!((300..400).contains(&accepted), "{accepted} accepted");
    assert_eq!(accepted + refused, 800);

    // Nothing refused was kept; everything acknowledged was.
    assert_eq!(stored(&app).await, 100 + accepted as i64);

    // The office is still served while the flooder waits.
    assert_eq!(post_one(&app, OFFICE, &service).await, (200, true));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_made_up_by_the_client_changes_nothing_without_a_trusted_proxy() {
    let mut limits = Config::default();
    limits.set("write=3:1/h").unwrap();
    let app = TestApp::builder().limits(limits).spawn(Db::Sqlite).await;
    let service = app.service_id("paspor-baru-jaksel").await;
    let mut statuses = Vec::new();
    for i in 0..5 {
        let made_up = format!("192.0.2.{i}");
        statuses.push(post_one(&app, &made_up, &service).await.0);
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_guessing_is_slowed_and_the_person_is_told_in_both_languages() {
    let app = behind_proxy(&["sign-in=3:1/h"]).await;
    let guess = || {
        app.http
            .post(app.url("/login"))
            .header("origin", app.url(""))
            .header("x-forwarded-for", FLOODER)
            .header("accept", "text/html")
            .form(&[
                ("email", "admin@suara.test"),
                ("password", "wrong guess 1234"),
            ])
            .send()
    };
    for _ in 0..3 {
        assert_ne!(guess().await.unwrap().status(), 429);
    }
    let refused = guess().await.unwrap();
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    assert!(refused.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    // Security headers still apply to the refusal.
    assert!(refused.headers().contains_key("content-security-policy"));
    let page = refused.text().await.unwrap();
    assert!(page.contains("Terlalu banyak permintaan"), "{page}");
    assert!(page.contains("Too many requests"), "{page}");

    // Another address signs in as usual.
    let other = app
        .http
        .post(app.url("/login"))
        .header("origin", app.url(""))
        .header("x-forwarded-for", OFFICE)
        .form(&[
            ("email", "admin@suara.test"),
            ("password", "wrong guess 1234"),
        ])
        .send()
        .await
        .unwrap();
    assert_ne!(other.status(), 429);
    app.finish().await;
}

/// A mistake in how the server is started is a clear message at start,
/// naming the setting, and nothing is served (nor is the database touched).
#[tokio::test]
async fn a_bad_setting_stops_serve_at_start_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("never.db").display());
    for (args, names) in [
        (vec!["--public-url", "suara.example.go.id"], "--public-url"),
        (vec!["--rate-limit", "reads=1:1/s"], "--rate-limit"),
        (vec!["--auto-close-every", "0"], "--auto-close-every"),
    ] {
        let mut all = vec![
            "--database-url",
            url.as_str(),
            "serve",
            "--addr",
            "127.0.0.1:0",
        ];
        all.extend(args);
        let refused = crate::helpers::suara(all, None).unwrap_err();
        assert!(refused.contains(names), "{refused}");
        assert!(
            !dir.path().join("never.db").exists(),
            "nothing opened before the settings were checked"
        );
    }
}

/// An operator finds a user's request in the log: with `--log-format json`
/// every line written while a request runs carries the id its answer
/// returned in `x-request-id`; an id a client makes up with other
/// characters is replaced.
#[tokio::test]
async fn log_lines_carry_the_request_id_the_answer_returned() {
    use std::io::BufRead as _;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("suara.db").display());
    let port = crate::helpers::free_port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_suara"))
        .args([
            "--database-url",
            url.as_str(),
            "--log-format",
            "json",
            "serve",
        ])
        .args([
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--rate-limit",
            "sign-in=1:1/h",
        ])
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (lines, seen) = std::sync::mpsc::channel::<String>();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let _ = lines.send(line.unwrap_or_default());
        }
    });
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..300 {
        if http.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let sign_in = || {
        http.post(format!("{base}/login"))
            .header("origin", base.as_str())
            .header("x-request-id", "made up; id=1")
            .form(&[("email", "a@suara.test"), ("password", "wrong")])
            .send()
    };
    let _ = sign_in().await.unwrap();
    let refused = sign_in().await.unwrap();
    assert_eq!(refused.status(), 429);
    let id = refused.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        uuid::Uuid::parse_str(&id).is_ok(),
        "the server's own id: {id}"
    );
    let found = tokio::task::spawn_blocking(move || {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while let Ok(line) = seen.recv_timeout(deadline - std::time::Instant::now()) {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            if v["fields"]["message"] == "rate limited" {
                return Some(v);
            }
        }
        None
    })
    .await
    .unwrap()
    .expect("a JSON log line for the refused sign-in");
    assert_eq!(found["span"]["id"], id.as_str(), "{found}");
    assert_eq!(found["span"]["path"], "/login", "{found}");
    // A proxy's plain id is kept, and returned.
    let kept = http
        .get(format!("{base}/healthz"))
        .header("x-request-id", "nginx-4f2a9c")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()["x-request-id"], "nginx-4f2a9c");
    let _ = child.kill();
    let _ = child.wait();
}
