//! Several `suara serve` processes on one PostgreSQL behave as one server:
//! one chain however the syncs are spread, a dashboard on one hears what
//! another accepted, a session made on one works on the other, and sign-in
//! throttling counts across them.

use crate::chain::{assert_unbroken, stored_chain};
use crate::helpers::{location, new_id, response, spawn_app, As, Db, Replica, TestApp};
use serde_json::{json, Value};
use suara::auth::Role;

async fn sign_in(replica: &TestApp, email: &str, password: &str) -> reqwest::Response {
    replica
        .post_form(
            "/login",
            As::Nobody,
            &[("email", email), ("password", password)],
        )
        .await
}

/// Sends `batches` to `replica` in turn: the ids it accepted.
async fn resend(replica: &TestApp, batches: Vec<Vec<Value>>) -> Vec<String> {
    let mut accepted = Vec::new();
    for batch in batches {
        for result in replica.post_results(batch).await {
            assert!(
                ["accepted", "duplicate"].contains(&result["status"].as_str().unwrap()),
                "{result}"
            );
            if result["status"] == "accepted" {
                accepted.push(result["id"].as_str().unwrap().to_owned());
            }
        }
    }
    accepted
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_one_postgresql_behave_as_one() {
    let app = spawn_app(Db::Postgres).await;
    let [a, b] = [
        Replica::start(&app, &[]).await,
        Replica::start(&app, &[]).await,
    ];
    let (a, b) = (&a.app, &b.app);
    let svc = app.service_id("paspor-baru-jaksel").await;

    // A session made by signing in on one replica works on the other, and a
    // dashboard listening there hears a response accepted by the first.
    let email = "replica-head@test.example";
    app.store
        .add_account(
            email,
            Role::UnitHead,
            "the right password",
            &["kanim-jakarta-selatan".to_owned()],
        )
        .await
        .unwrap();
    let signed_in = sign_in(a, email, "the right password").await;
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let mut feed = b.get("/api/v1/events", As::Cookie(&cookie)).await;
    assert_eq!(feed.status(), 200, "the session from A is known to B");
    let accepted = a
        .post_results(vec![response(&new_id(), &svc, json!({"U1": 4}))])
        .await;
    assert_eq!(accepted[0]["status"], "accepted");
    let heard = crate::dashboard::read_until(&mut feed, "paspor-baru-jaksel").await;
    assert!(
        heard.contains(r#"data: {"service":"paspor-baru-jaksel"}"#),
        "B's dashboard hears A's response: {heard}"
    );

    // Phones resend the same batches to both replicas at once: each response
    // is stored once, by exactly one of the posts, in one unbroken chain.
    let batches: Vec<Vec<Value>> = (0..4u64)
        .map(|b| {
            (0..25u64)
                .map(|i| {
                    let id = uuid::Uuid::from_u64_pair(7, b * 100 + i);
                    response(
                        &id.to_string(),
                        &svc,
                        json!({"U1": 1 + i % 4, "U2": 1 + b % 4}),
                    )
                })
                .collect()
        })
        .collect();
    let mut accepted: Vec<String> =
        futures::future::join_all([a, b, a, b].map(|r| resend(r, batches.clone())))
            .await
            .into_iter()
            .flatten()
            .collect();
    accepted.sort();
    let before = accepted.len();
    accepted.dedup();
    assert_eq!(before, accepted.len(), "no response accepted twice");
    assert_eq!(accepted.len(), 100, "every response accepted once");
    let chain = stored_chain(&app).await;
    assert_eq!(chain.len(), 101);
    assert_unbroken(&chain);

    // Throttling counts failures made on either replica.
    let target = "replica-throttle@test.example";
    app.store
        .add_account(target, Role::Auditor, "the right password", &[])
        .await
        .unwrap();
    for (i, replica) in [a, b, a, b, a].into_iter().enumerate() {
        let r = sign_in(replica, target, "a wrong password").await;
        assert_eq!(location(&r), "/login?error=1", "failure {i}");
    }
    let refused = sign_in(b, target, "the right password").await;
    assert!(
        location(&refused).starts_with("/login?error=throttled"),
        "the sixth attempt, on B, counts the five made on A and B"
    );
    app.finish().await;
}
