//! The abuse suite: every attack of issue 30 at once — fifty of each kind
//! from one script's address — while citizens from other addresses sync
//! ratings and open pages. Normal requests get no `5xx` and none waits
//! over a second (three on the debug build); no public answer shows a
//! contact the attacker wrote; no CSV cell is a formula.

use crate::complaints::{complaint, move_to, new_code};
use crate::helpers::{new_id, response, As, Db, TestApp};
use futures::future::join_all;
use serde_json::json;
use std::time::{Duration, Instant};
use suara::auth::Role;

crate::both!(attacks_at_once_leave_citizens_served_and_nothing_public_leaks);

const ATTACKER: &str = "203.0.113.66";
const CONTACTS: [&str; 4] = [
    "WA081234567890",
    "NIK3201234567890001",
    "budi [at] gmail [dot] com",
    "0812 - 3456 - 7890",
];

fn from(app: &TestApp, method: reqwest::Method, path: &str, who: &str) -> reqwest::RequestBuilder {
    app.http
        .request(method, app.url(path))
        .header("x-forwarded-for", who)
        .header("origin", app.url(""))
}

/// Status and time of one request.
async fn timed(req: reqwest::RequestBuilder) -> (u16, Duration) {
    let start = Instant::now();
    let status = match req.send().await {
        Ok(r) => {
            let s = r.status().as_u16();
            let _ = r.bytes().await;
            s
        }
        Err(_) => 599,
    };
    (status, start.elapsed())
}

async fn attacks_at_once_leave_citizens_served_and_nothing_public_leaks(db: Db) {
    let limits = suara::RateLimits {
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        ..Default::default()
    };
    let app = TestApp::builder().limits(limits).spawn(db).await;
    let service = app.service_id("paspor-baru-jaksel").await;
    let sid = service.clone();
    // A complaint already verified, whose public copy the attack targets.
    let code = new_code();
    let text = format!("Calo di loket 2; hubungi {}.", CONTACTS.join(", "));
    app.post("/api/v1/complaints", As::Nobody)
        .json(&json!({"complaints": [complaint(&sid, &code, &text)]}))
        .send()
        .await
        .unwrap();
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    move_to(
        &app,
        As::Cookie(&head),
        &code,
        json!({"to": "diverifikasi"}),
    )
    .await;

    let zeros = format!(r#"{{"responses": [{}]}}"#, vec!["0"; 400_000].join(","));
    let formula = format!(
        "=HYPERLINK(\"http://evil.example\") {}",
        "\u{1}".repeat(100)
    );
    let mut attacks = Vec::new();
    for i in 0..50 {
        let post = |path: &str| from(&app, reqwest::Method::POST, path, ATTACKER);
        attacks.push(post("/login").form(&[("email", "admin@suara.test"), ("password", "guess")]));
        attacks.push(
            post("/api/v1/responses")
                .header("content-type", "application/json")
                .body(zeros.clone()),
        );
        attacks.push(post("/api/v1/complaints").json(&json!({"complaints": [
            complaint(&sid, &new_code(), &formula),
            complaint(&sid, &new_code(), &format!("=1+2 {}", "x".repeat(3990))),
        ]})));
        attacks.push(
            post(&format!("/api/v1/complaints/{code}/messages"))
                .json(&json!({"resolved": true, "rating": 1})),
        );
        attacks.push(from(
            &app,
            reqwest::Method::GET,
            &format!(
                "/open311/v2/requests.json?page_size=200&page={}",
                1 + i * 997
            ),
            ATTACKER,
        ));
        attacks.push(from(
            &app,
            reqwest::Method::GET,
            "/api/v1/public/datapackage.zip",
            ATTACKER,
        ));
    }
    let citizens = (0..40).map(|i| {
        let who = format!("198.51.100.{}", 1 + i);
        if i % 2 == 0 {
            let r = response(&new_id(), &service, json!({"U1": 4, "U3": 3}));
            from(&app, reqwest::Method::POST, "/api/v1/responses", &who)
                .json(&json!({"responses": [r]}))
        } else {
            let path = [
                "/s/paspor-baru-jaksel",
                "/publik/kanim-jakarta-selatan",
                "/api/v1/catalog",
            ][i % 3];
            from(&app, reqwest::Method::GET, path, &who)
        }
    });
    let (attacked, served) = tokio::join!(
        join_all(attacks.into_iter().map(timed)),
        join_all(citizens.map(timed))
    );
    let server_errors: Vec<u16> = attacked
        .iter()
        .map(|(s, _)| *s)
        .filter(|s| *s >= 500 && *s != 503)
        .collect();
    assert!(
        server_errors.is_empty(),
        "attacks answered {server_errors:?}"
    );
    let mut waits: Vec<Duration> = served.iter().map(|(_, d)| *d).collect();
    waits.sort();
    // A second on the release build (the issue's bound); the debug build
    // this suite runs on is several times slower at parsing and hashing,
    // and shares two cores with the other tests, so it is given three.
    let bound = if cfg!(debug_assertions) {
        Duration::from_secs(3)
    } else {
        Duration::from_secs(1)
    };
    for (status, wait) in &served {
        assert!(*status < 500, "a citizen got {status}");
        assert!(*wait < bound, "a citizen waited {wait:?}");
    }
    eprintln!(
        "citizens' waits under attack: median {:?}, slowest {:?}",
        waits[waits.len() / 2],
        waits[waits.len() - 1]
    );

    // Nothing the attacker wrote leaks; the citizen's complaint is as filed.
    for path in [
        "/open311/v2/requests.json".to_owned(),
        "/api/v1/public/units/kanim-jakarta-selatan".to_owned(),
        "/publik/kanim-jakarta-selatan".to_owned(),
        format!("/api/v1/complaints/{code}"),
    ] {
        let body = app.get_text(&path, "").await;
        for c in CONTACTS {
            assert!(!body.contains(c), "{path} shows {c}");
        }
    }
    assert_eq!(
        crate::complaints::view(&app, &code).await["state"],
        "diverifikasi"
    );
    let token = app.token(Role::Auditor, &[]).await;
    for path in ["/api/v1/audit?format=csv", "/api/v1/complaints/export"] {
        let csv = app
            .http
            .get(app.url(path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                let number = cell.parse::<f64>().is_ok();
                assert!(
                    number || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{path}: {cell:?}"
                );
            }
        }
    }
    app.finish().await;
}
