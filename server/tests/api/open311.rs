//! The Open311 GeoReport v2 feed: published complaints only, redacted, named
//! by id and never by the tracking code that lets a citizen act on them.

use crate::complaints::{complaint, move_to, new_code};
use crate::helpers::{problem, spawn_app, As, Db, Sent};
use serde_json::{json, Value};
use suara::auth::Role;

crate::both!(the_feed_publishes_only_what_may_be_published_and_redacted);

async fn the_feed_publishes_only_what_may_be_published_and_redacted(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    let mut filed = Vec::new();
    for (privacy, text) in [
        (
            "publik",
            "Loket 2 tutup tanpa pemberitahuan; telepon saya 0812-3456-7890.",
        ),
        (
            "anonim",
            "Petugas meminta uang tambahan di luar tarif resmi.",
        ),
        (
            "rahasia",
            "Saya melihat pungutan liar oleh petugas berinisial X.",
        ),
    ] {
        let mut c = complaint(&sid, &new_code(), text);
        c["privacy"] = json!(privacy);
        filed.push(c);
    }
    let r = app
        .http
        .post(app.url("/api/v1/complaints"))
        .json(&json!({ "complaints": filed }))
        .sent()
        .await;
    assert_eq!(r.status(), 200);
    let code = |i: usize| filed[i]["code"].as_str().unwrap().to_owned();
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let r = move_to(
        &app,
        As::Cookie(&head),
        &code(1),
        json!({"to": "ditutup", "note": "Dilaporkan ke inspektorat; hubungi humas@imigrasi.example."}),
    )
    .await;
    assert_eq!(r.status(), 200);

    let services: Value = app
        .get("/open311/v2/services.json", As::Nobody)
        .await
        .json()
        .await
        .unwrap();
    assert!(services
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["service_code"] == "paspor-baru-jaksel" && s["type"] == "realtime"));

    let r = app.get("/open311/v2/requests.json", As::Nobody).await;
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    for i in 0..3 {
        assert!(!body.contains(&code(i)), "no tracking code is published");
        assert!(!body.contains(&code(i).replace('-', "")));
    }
    assert!(
        !body.contains("pungutan liar"),
        "rahasia is never published"
    );
    assert!(
        !body.contains("0812") && !body.contains("humas@"),
        "redacted: {body}"
    );
    let requests: Vec<Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(requests.len(), 2);
    let closed = requests
        .iter()
        .find(|r| r["service_request_id"] == filed[1]["id"])
        .unwrap();
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["extended_attributes"]["suara_state"], "ditutup");
    assert_eq!(
        closed["status_notes"],
        "Dilaporkan ke inspektorat; hubungi [email]."
    );
    assert!(closed["agency_responsible"]
        .as_str()
        .unwrap()
        .contains("Jakarta Selatan"));
    let open = requests
        .iter()
        .find(|r| r["service_request_id"] == filed[0]["id"])
        .unwrap();
    assert_eq!(open["status"], "open");
    assert!(open["expected_datetime"]
        .as_str()
        .unwrap()
        .ends_with("T23:59:59+07:00"));

    let only_closed: Vec<Value> = app
        .get("/open311/v2/requests.json?status=closed", As::Nobody)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(only_closed.len(), 1);
    problem(
        app.get("/open311/v2/requests.json?status=maybe", As::Nobody)
            .await,
        400,
    )
    .await;
    let one = app
        .get(
            &format!(
                "/open311/v2/requests/{}.json",
                filed[0]["id"].as_str().unwrap()
            ),
            As::Nobody,
        )
        .await;
    assert_eq!(one.json::<Vec<Value>>().await.unwrap().len(), 1);
    let secret = format!(
        "/open311/v2/requests/{}.json",
        filed[2]["id"].as_str().unwrap()
    );
    problem(app.get(&secret, As::Nobody).await, 404).await;
    app.finish().await;
}
