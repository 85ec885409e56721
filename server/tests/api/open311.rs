//! The Open311 GeoReport v2 feed: published complaints only — verified by the
//! unit, never `rahasia`, redacted — a page at a time, named by id and never
//! by the tracking code that lets a citizen act on them.

use crate::complaints::{complaint, move_to, new_code};
use crate::helpers::{problem, spawn_app, As, Db, Sent};
use serde_json::{json, Value};
use suara::auth::Role;

crate::both!(
    the_feed_publishes_only_what_may_be_published_and_redacted,
    a_verified_complaint_closed_as_abuse_is_withdrawn,
);

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
        (
            "anonim",
            "Antrean tidak dipanggil sesuai nomor urut sejak pukul 08.00.",
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
    // Nothing is public before a person of the unit has looked at it.
    let r = app.get("/open311/v2/requests.json", As::Nobody).await;
    assert_eq!(r.json::<Vec<Value>>().await.unwrap(), Vec::<Value>::new());
    let unseen = format!(
        "/open311/v2/requests/{}.json",
        filed[0]["id"].as_str().unwrap()
    );
    problem(app.get(&unseen, As::Nobody).await, 404).await;
    for i in [0, 2, 3] {
        let r = move_to(
            &app,
            As::Cookie(&head),
            &code(i),
            json!({"to": "diverifikasi"}),
        )
        .await;
        assert_eq!(r.status(), 200);
    }
    // Closed at triage without being verified (abuse, say): never public.
    let r = move_to(
        &app,
        As::Cookie(&head),
        &code(1),
        json!({"to": "ditutup", "note": "Bukan pengaduan: iklan."}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let r = move_to(
        &app,
        As::Cookie(&head),
        &code(3),
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
    for i in 0..4 {
        assert!(!body.contains(&code(i)), "no tracking code is published");
        assert!(!body.contains(&code(i).replace('-', "")));
    }
    assert!(
        !body.contains("pungutan liar"),
        "rahasia is never published"
    );
    assert!(
        !body.contains("iklan"),
        "closed unverified is never published"
    );
    assert!(
        !body.contains("0812") && !body.contains("humas@"),
        "redacted: {body}"
    );
    let requests: Vec<Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(requests.len(), 2);
    let closed = requests
        .iter()
        .find(|r| r["service_request_id"] == filed[3]["id"])
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
    // A page at a time, newest first; a page past the maximum is refused.
    let page = |q: &str| {
        let app = &app;
        let q = q.to_owned();
        async move {
            app.get(&format!("/open311/v2/requests.json?{q}"), As::Nobody)
                .await
                .json::<Vec<Value>>()
                .await
                .unwrap()
        }
    };
    let first = page("page_size=1").await;
    let second = page("page_size=1&page=2").await;
    assert_eq!((first.len(), second.len()), (1, 1));
    assert_ne!(
        first[0]["service_request_id"],
        second[0]["service_request_id"]
    );
    assert!(page("page_size=1&page=3").await.is_empty());
    for q in ["page_size=201", "page_size=0", "page=0"] {
        let r = app
            .get(&format!("/open311/v2/requests.json?{q}"), As::Nobody)
            .await;
        problem(r, 400).await;
    }
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

/// Verified, then found to be abuse (a threat, say): closing it as abuse
/// withdraws it from the feed and its own page; only a close can be one.
async fn a_verified_complaint_closed_as_abuse_is_withdrawn(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    let mut c = complaint(
        &sid,
        &new_code(),
        "Awas kalian, petugas loket 3 akan saya cari.",
    );
    c["privacy"] = json!("anonim");
    let r = app
        .http
        .post(app.url("/api/v1/complaints"))
        .json(&json!({ "complaints": [c.clone()] }))
        .sent()
        .await;
    assert_eq!(r.status(), 200);
    let code = c["code"].as_str().unwrap();
    let one = format!("/open311/v2/requests/{}.json", c["id"].as_str().unwrap());
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let r = move_to(&app, As::Cookie(&head), code, json!({"to": "diverifikasi"})).await;
    assert_eq!(r.status(), 200);
    assert_eq!(listed(&app).await, 1);
    assert_eq!(app.get(&one, As::Nobody).await.status(), 200);

    let p = problem(
        move_to(
            &app,
            As::Cookie(&head),
            code,
            json!({"to": "ditindaklanjuti", "note": "x", "abuse": true}),
        )
        .await,
        400,
    )
    .await;
    assert_eq!(
        p["type"].as_str().unwrap().rsplit('/').next(),
        Some("abuse-only-when-closing")
    );
    let r = move_to(
        &app,
        As::Cookie(&head),
        code,
        json!({"to": "ditutup", "note": "Ancaman terhadap petugas.", "abuse": true}),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(listed(&app).await, 0, "withdrawn from the feed");
    problem(app.get(&one, As::Nobody).await, 404).await;
    // The unit and the auditor still see it, and who decided it.
    let token = app.token(Role::Auditor, &[]).await;
    let audit = app
        .get("/api/v1/audit", As::Token(&token))
        .await
        .text()
        .await
        .unwrap();
    assert!(audit.contains(r#"""abuse"":true"#), "{audit}");
    app.finish().await;
}

async fn listed(app: &crate::helpers::TestApp) -> usize {
    app.get("/open311/v2/requests.json", As::Nobody)
        .await
        .json::<Vec<Value>>()
        .await
        .unwrap()
        .len()
}
