//! Only the citizen speaks for the citizen: the key made with the complaint
//! (kept hashed, in the tracking link after `#`) is needed to add
//! information, confirm, dispute or rate; the code alone shows the public
//! state; staff credentials never act as the citizen; the rating is given
//! once and a change is kept and audited.

use crate::complaints::{answered, complaint, filed, key_of, new_code, say, view};
use crate::helpers::{location, problem, spawn_app, As, Db, Sent, TestApp};
use serde_json::{json, Value};
use suara::auth::Role;

crate::both!(
    only_the_key_confirms_and_rates,
    a_complaint_filed_before_keys_is_claimed_by_the_first_key,
    the_plain_form_shows_its_key_once_in_the_tracking_link,
);

async fn message(app: &TestApp, code: &str, who: As<'_>, body: Value) -> reqwest::Response {
    app.post(&format!("/api/v1/complaints/{code}/messages"), who)
        .json(&body)
        .sent()
        .await
}

async fn only_the_key_confirms_and_rates(db: Db) {
    let app = spawn_app(db).await;
    let code = filed(
        &app,
        "paspor-baru-jaksel",
        "Loket 3 tutup sebelum jam layanan.",
    )
    .await;
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    answered(&app, &code, &head).await;
    let key = key_of(&code);

    // The attack: a unit head who saw the code confirms as the citizen.
    let p = problem(
        message(&app, &code, As::Nobody, json!({"resolved": true})).await,
        403,
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("key"), "{p}");
    let wrong = json!({"resolved": true, "key": key_of(&new_code())});
    problem(message(&app, &code, As::Nobody, wrong).await, 403).await;
    let with_session = json!({"resolved": true, "key": key});
    problem(
        message(&app, &code, As::Cookie(&head), with_session.clone()).await,
        403,
    )
    .await;
    let token = app.token(Role::Admin, &[]).await;
    problem(
        message(&app, &code, As::Token(&token), with_session).await,
        403,
    )
    .await;
    let form = app
        .post_form(
            &format!("/pengaduan/{code}/pesan"),
            As::Cookie(&head),
            &[("resolved", "true"), ("key", key.as_str())],
        )
        .await;
    assert_eq!(
        location(&form),
        format!("/pengaduan/{code}?error=staff-as-citizen")
    );
    // Anyone with the code still reads the public state.
    assert_eq!(view(&app, &code).await["state"], "dijawab");

    // The citizen, with the key.
    let r = say(&app, &code, json!({"resolved": true, "rating": 4})).await;
    assert_eq!(r.status(), 200);
    let v = view(&app, &code).await;
    assert_eq!(
        (v["state"].as_str(), v["rating"].as_u64()),
        (Some("selesai"), Some(4))
    );
    assert_eq!(v["keyed"], true);
    // A change of rating is kept as the citizen's message and audited.
    assert_eq!(say(&app, &code, json!({"rating": 2})).await.status(), 200);
    let v = view(&app, &code).await;
    assert_eq!(v["rating"], 2);
    let said: Vec<&str> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert!(said.iter().any(|t| t.contains("4 → 2")), "{said:?}");
    let audited = app
        .count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'complaint.rating.change' AND actor = $1",
            "citizen",
        )
        .await;
    assert_eq!(audited, 1);
    // The key is nowhere but on the citizen's device: only its hash is kept.
    let stored: String = sqlx::query_scalar("SELECT key_hash FROM complaints")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_ne!(stored, key);
    assert_eq!(stored.len(), 64);
    let staff_page = app.get_text(&format!("/pengaduan/{code}"), &head).await;
    assert!(!staff_page.contains(&key) && !staff_page.contains(&stored));
    app.finish().await;
}

async fn a_complaint_filed_before_keys_is_claimed_by_the_first_key(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    let code = new_code();
    let mut old = complaint(&sid, &code, "Antrean tidak tertib sejak pagi hari.");
    old.as_object_mut().unwrap().remove("key");
    let r = app
        .post("/api/v1/complaints", As::Nobody)
        .json(&json!({ "complaints": [old] }))
        .sent()
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(view(&app, &code).await["keyed"], false);
    let text = |k: &str| json!({"text": "Tambahan: nomor antrean 42.", "key": k});
    problem(
        message(&app, &code, As::Nobody, json!({"text": "tanpa kunci"})).await,
        403,
    )
    .await;
    let device = "a-device-made-key-0123456789abcdef";
    assert_eq!(
        message(&app, &code, As::Nobody, text(device))
            .await
            .status(),
        200
    );
    assert_eq!(view(&app, &code).await["keyed"], true);
    // From then on, only that device's key.
    let other = "another-device-key-0123456789abcdef";
    problem(message(&app, &code, As::Nobody, text(other)).await, 403).await;
    assert_eq!(
        message(&app, &code, As::Nobody, text(device))
            .await
            .status(),
        200
    );
    let adopted = app
        .count(
            "SELECT COUNT(*) FROM audit_log WHERE action = $1",
            "complaint.key.adopt",
        )
        .await;
    assert_eq!(adopted, 1);
    app.finish().await;
}

async fn the_plain_form_shows_its_key_once_in_the_tracking_link(db: Db) {
    let app = spawn_app(db).await;
    let r = app
        .post_form(
            "/s/paspor-baru-jaksel/pengaduan",
            As::Nobody,
            &[
                ("text", "Petugas loket 2 meminta biaya tambahan."),
                ("privacy", "anonim"),
            ],
        )
        .await;
    let to = location(&r);
    let code = to
        .strip_prefix("/pengaduan/")
        .and_then(|t| t.strip_suffix("?baru=1"))
        .unwrap()
        .to_owned();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("suara_key="), "{cookie}");
    assert!(
        cookie.contains(&format!("Path=/pengaduan/{code}")),
        "{cookie}"
    );
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let key = cookie["suara_key=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(key.len() >= 22);
    // The receipt shows the link with the key, in that browser only.
    let receipt = app.get_text(&to, &format!("suara_key={key}")).await;
    assert!(
        receipt.contains(&format!("/pengaduan/{code}#k={key}")),
        "{receipt}"
    );
    let elsewhere = app.get_text(&to, "").await;
    assert!(!elsewhere.contains(&key));
    // The tracking page's forms carry the key from the link into the form.
    assert!(elsewhere.contains("name=\"key\"") && elsewhere.contains("/citizen-key.js"));
    let r = app
        .post_form(
            &format!("/pengaduan/{code}/pesan"),
            As::Nobody,
            &[("text", "Kejadian pukul 10.00."), ("key", key.as_str())],
        )
        .await;
    assert_eq!(location(&r), format!("/pengaduan/{code}?done=1"));
    let r = app
        .post_form(
            &format!("/pengaduan/{code}/pesan"),
            As::Nobody,
            &[("text", "Tanpa kunci.")],
        )
        .await;
    assert_eq!(location(&r), format!("/pengaduan/{code}?error=key-needed"));
    app.finish().await;
}
