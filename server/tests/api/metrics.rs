//! `/metrics` for operators: Prometheus text with requests by route
//! template, ingest outcomes, group-commit sizes, the pool, the outbox and
//! live clients; never without the token; and the book's alert rules name
//! only metrics it exposes.

use crate::helpers::{new_id, response, spawn_app, As, Db, Sent, TestApp};
use serde_json::json;

crate::both!(metrics_scrape_with_the_token_only);

const TOKEN: &str = "a-scraper-token-of-some-length";

async fn scrape(app: &TestApp, auth: Option<&str>) -> reqwest::Response {
    let mut r = app.http.get(app.url("/metrics"));
    if let Some(a) = auth {
        r = r.header("authorization", a);
    }
    r.sent().await
}

async fn metrics_scrape_with_the_token_only(db: Db) {
    let app = TestApp::builder().metrics_token(TOKEN).spawn(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    let r = app
        .post_batch(vec![response(&new_id(), &sid, json!({"U1": 4}))])
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        app.get("/s/paspor-baru-jaksel", As::Nobody).await.status(),
        200
    );

    for auth in [None, Some("Bearer wrong-token-of-some-length"), Some(TOKEN)] {
        let r = scrape(&app, auth).await;
        assert_eq!(r.status(), 401, "{auth:?}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
    }
    let r = scrape(&app, Some(&format!("Bearer {TOKEN}"))).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = r.text().await.unwrap();
    for expected in [
        r#"suara_http_requests_total{route="/api/v1/responses",method="POST",status="200"}"#,
        r#"suara_http_request_duration_seconds_bucket{route="/s/{code}",method="GET",le="0.1"}"#,
        r#"suara_ingest_responses_total{outcome="accepted"}"#,
        "suara_group_commit_responses_size_bucket",
        r#"suara_db_pool_connections{state="idle"}"#,
        "suara_notifications_pending",
        "suara_notifications_failing",
        "suara_live_clients",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    // A route's template, never the codes in a path.
    assert!(!text.contains("paspor-baru-jaksel"));

    // The alert rules of the book name only what is exposed.
    let rules = include_str!("../../../docs/src/operations/prometheus/alerts.yml");
    let named: std::collections::BTreeSet<String> = rules
        .lines()
        .filter(|l| l.trim_start().starts_with("expr:"))
        .flat_map(|l| {
            l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| w.starts_with("suara_"))
                .map(|w| w.trim_end_matches("_bucket").to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(named.len() >= 5, "{named:?}");
    for metric in &named {
        assert!(
            text.contains(metric.as_str()),
            "the alert rules name {metric}, which /metrics does not expose"
        );
    }
    app.finish().await;
}

#[tokio::test]
async fn metrics_are_off_without_a_token() {
    let app = spawn_app(Db::Sqlite).await;
    let r = scrape(&app, Some(&format!("Bearer {TOKEN}"))).await;
    assert_eq!(r.status(), 404);
    app.finish().await;
}
