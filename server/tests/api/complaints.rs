//! Complaints over the interface: filed idempotently, followed by code,
//! worked by the unit responsible to an answer the citizen judges, forwarded
//! without dead ends, and closed by the clock once, whoever runs it.

use crate::helpers::{problem, spawn_app, As, Db, Sent, TestApp};
use app::domain::complaint::TrackingCode;
use serde_json::{json, Value};
use suara::auth::Role;
use uuid::Uuid;

crate::both!(
    filing_is_idempotent_and_every_refusal_says_why,
    a_complaint_is_verified_answered_and_confirmed_by_the_citizen,
);

/// A fresh tracking code.
pub fn new_code() -> String {
    let random: [u8; 11] = Uuid::new_v4().as_bytes()[..11].try_into().unwrap();
    TrackingCode::from_random(random).to_string()
}

/// The citizen's key a test's device made with `code`.
pub fn key_of(code: &str) -> String {
    format!("test-citizen-key-{}", code.replace('-', ""))
}

pub fn complaint(service_id: &str, code: &str, text: &str) -> Value {
    json!({
        "key": key_of(code),
        "id": Uuid::new_v4().to_string(),
        "code": code,
        "service_id": service_id,
        "items": ["U3"],
        "text": text,
        "happened_on": "2026-11-20",
        "privacy": "anonim",
        "channel": "phone",
        "submitted_at": "2026-11-20T09:15:00+07:00",
    })
}

async fn file(app: &TestApp, complaints: Vec<Value>) -> Vec<Value> {
    let r = app
        .http
        .post(app.url("/api/v1/complaints"))
        .json(&json!({ "complaints": complaints }))
        .sent()
        .await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    body["results"].as_array().unwrap().clone()
}

/// Files one complaint about `service` and returns its code.
pub(crate) async fn filed(app: &TestApp, service: &str, text: &str) -> String {
    let sid = app.service_id(service).await;
    let code = new_code();
    let results = file(app, vec![complaint(&sid, &code, text)]).await;
    assert_eq!(results[0]["status"], "accepted", "{results:?}");
    code
}

pub(crate) async fn view(app: &TestApp, code: &str) -> Value {
    let r = app
        .get(&format!("/api/v1/complaints/{code}"), As::Nobody)
        .await;
    assert_eq!(r.status(), 200, "{code}");
    r.json().await.unwrap()
}

pub(crate) async fn move_to(
    app: &TestApp,
    who: As<'_>,
    code: &str,
    body: Value,
) -> reqwest::Response {
    app.post(&format!("/api/v1/complaints/{code}/transitions"), who)
        .json(&body)
        .sent()
        .await
}

/// Moves complaint `code` to `dijawab` as the unit head with session `head`.
pub(crate) async fn answered(app: &TestApp, code: &str, head: &str) {
    for (to, note) in [
        ("diverifikasi", None),
        ("ditindaklanjuti", None),
        ("dijawab", Some("Loket 3 kini buka sampai pukul 15.00.")),
    ] {
        let mut body = json!({ "to": to });
        if let Some(n) = note {
            body["note"] = json!(n);
        }
        assert_eq!(
            move_to(app, As::Cookie(head), code, body).await.status(),
            200
        );
    }
}

/// The citizen's message `body` on complaint `code`, with the citizen's key.
pub(crate) async fn say(app: &TestApp, code: &str, mut body: Value) -> reqwest::Response {
    body["key"] = json!(key_of(code));
    app.http
        .post(app.url(&format!("/api/v1/complaints/{code}/messages")))
        .json(&body)
        .sent()
        .await
}

/// The queue `query` (`?state=…`) asks for, as the session `cookie`'s account.
pub(crate) async fn queue(app: &TestApp, cookie: &str, query: &str) -> Value {
    let r = app
        .get(&format!("/api/v1/complaints{query}"), As::Cookie(cookie))
        .await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

pub(crate) fn states(view: &Value) -> Vec<&str> {
    view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["state"].as_str().unwrap())
        .collect()
}

async fn filing_is_idempotent_and_every_refusal_says_why(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    let first = complaint(
        &sid,
        &new_code(),
        "Mesin antrean rusak sejak Senin di loket 2.",
    );
    let mut changed = first.clone();
    changed["text"] = json!("Petugas meminta biaya tambahan tanpa kuitansi.");
    let mut same_code = complaint(
        &sid,
        first["code"].as_str().unwrap(),
        "Another complaint, same code.",
    );
    same_code["id"] = json!(Uuid::new_v4().to_string());
    let mut mistyped = complaint(&sid, &new_code(), "Ruang tunggu panas, AC mati.");
    let code = mistyped["code"].as_str().unwrap().to_owned();
    let last = if code.ends_with('0') { "1" } else { "0" };
    mistyped["code"] = json!(format!("{}{last}", &code[..code.len() - 1]));
    let mut unknown_item = complaint(&sid, &new_code(), "Loket tutup lebih awal dari jadwal.");
    unknown_item["items"] = json!(["U99"]);
    let short = complaint(&sid, &new_code(), "rusak");
    let mut nowhere = complaint(&sid, &new_code(), "Layanan ini tidak ada di katalog.");
    nowhere["service_id"] = json!(Uuid::new_v4().to_string());

    let results = file(
        &app,
        vec![
            first.clone(),
            first.clone(),
            changed,
            same_code,
            mistyped,
            unknown_item,
            short,
            nowhere,
            json!({"id": "not even a uuid"}),
        ],
    )
    .await;
    let status: Vec<&str> = results
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        status,
        [
            "accepted",
            "duplicate",
            "conflict",
            "conflict",
            "rejected",
            "rejected",
            "rejected",
            "rejected",
            "rejected"
        ]
    );
    let reason = |i: usize| results[i]["reason"].as_str().unwrap_or_default().to_owned();
    assert_eq!(results[0]["code"], first["code"]);
    assert_eq!(
        results[1]["code"], first["code"],
        "a resend learns its code"
    );
    assert!(reason(2).contains("different complaint"), "{}", reason(2));
    assert!(reason(3).contains("make a new code"), "{}", reason(3));
    assert!(reason(4).contains("mistyped"), "{}", reason(4));
    assert!(reason(5).contains("U99"), "{}", reason(5));
    assert!(reason(6).contains("at least 10"), "{}", reason(6));
    assert!(reason(7).contains("unknown service"), "{}", reason(7));
    // Sent again later: still one complaint, nothing lost.
    let again = file(&app, vec![first.clone()]).await;
    assert_eq!(again[0]["status"], "duplicate");
    let n = app
        .count(
            "SELECT COUNT(*) FROM complaints WHERE service_id = $1",
            &sid,
        )
        .await;
    assert_eq!(n, 1);
    // The citizen's view, by code in any form a person types it.
    let code = first["code"].as_str().unwrap();
    let typed = code.replace('-', "").to_lowercase();
    let v = view(&app, &typed).await;
    assert_eq!(v["code"], code);
    assert_eq!(v["state"], "diterima");
    assert_eq!(v["service"]["code"], "paspor-baru-jaksel");
    assert_eq!(v["unit"]["code"], "kanim-jakarta-selatan");
    assert_eq!(states(&v), ["diterima"]);
    assert!(v["deadline"].as_str().is_some_and(|d| d.len() == 10), "{v}");
    assert_eq!(v["deadline_kind"], "verify");
    assert_eq!(v["item_labels"][0]["label"]["en"], "Completion time");
    // Wrong codes: a mistyped one never reaches the database; an unknown one is a 404.
    let p = problem(
        app.get(
            &format!("/api/v1/complaints/{}", &mistyped_code(code)),
            As::Nobody,
        )
        .await,
        400,
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("mistyped"));
    problem(
        app.get(&format!("/api/v1/complaints/{}", new_code()), As::Nobody)
            .await,
        404,
    )
    .await;
    // The batch itself: JSON of the documented shape.
    let r = app
        .http
        .post(app.url("/api/v1/complaints"))
        .header("content-type", "application/json")
        .body(r#"{"responses": []}"#)
        .sent()
        .await;
    problem(r, 422).await;
    app.finish().await;
}

/// `code` with one character changed.
pub(crate) fn mistyped_code(code: &str) -> String {
    let mut chars: Vec<char> = code.chars().collect();
    chars[0] = if chars[0] == 'Z' { 'Y' } else { 'Z' };
    chars.into_iter().collect()
}

async fn a_complaint_is_verified_answered_and_confirmed_by_the_citizen(db: Db) {
    let app = spawn_app(db).await;
    let code = filed(
        &app,
        "paspor-baru-jaksel",
        "Petugas minta Rp 50.000 tanpa kuitansi. Hubungi saya 0812-3456-7890.",
    )
    .await;
    // Redacted for whoever holds the code; the amount stays.
    let v = view(&app, &code).await;
    assert_eq!(
        v["text"],
        "Petugas minta Rp 50.000 tanpa kuitansi. Hubungi saya [telepon]."
    );
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    // The unit's queue has it, overdue first then by deadline.
    let q = queue(&app, &head, "").await;
    assert_eq!(q["open"], 1);
    assert_eq!(q["complaints"][0]["code"], code.as_str());
    for (to, note) in [
        ("diverifikasi", None),
        ("ditindaklanjuti", None),
        (
            "dijawab",
            Some("Petugas sudah ditegur; biaya dikembalikan."),
        ),
    ] {
        let r = move_to(
            &app,
            As::Cookie(&head),
            &code,
            json!({"to": to, "note": note}),
        )
        .await;
        assert_eq!(r.status(), 200, "{to}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["state"], to);
        assert!(
            v["text"].as_str().unwrap().contains("0812-3456-7890"),
            "the unit reads the text in full"
        );
    }
    let v = view(&app, &code).await;
    assert_eq!(
        states(&v),
        ["diterima", "diverifikasi", "ditindaklanjuti", "dijawab"]
    );
    assert_eq!(v["messages"][0]["from"], "unit");
    assert_eq!(
        v["messages"][0]["text"],
        "Petugas sudah ditegur; biaya dikembalikan."
    );
    assert_eq!(v["deadline_kind"], "auto_close");
    // Rating before it is resolved is refused; confirming and rating at once is not.
    problem(say(&app, &code, json!({"rating": 4})).await, 409).await;
    problem(
        say(&app, &code, json!({"rating": 5, "resolved": true})).await,
        400,
    )
    .await;
    let r = say(
        &app,
        &code,
        json!({"resolved": true, "rating": 4, "text": "Terima kasih."}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["state"], "selesai");
    assert_eq!(v["rating"], 4);
    assert_eq!(v["deadline"], Value::Null);
    assert_eq!(v["messages"][1]["from"], "citizen");
    // Closed: no more words, and the queue no longer lists it.
    problem(say(&app, &code, json!({"text": "Satu lagi."})).await, 409).await;
    let q = queue(&app, &head, "").await;
    assert_eq!(q["open"], 0);
    let done = queue(&app, &head, "?state=selesai").await;
    assert_eq!(done["complaints"][0]["code"], code.as_str());
    // Every staff move is in the audit log, with before and after.
    let log = app.audited_changes().await;
    let mut moves: Vec<&str> = log
        .iter()
        .filter(|e| e.target == code && e.actor.ends_with("@test.example"))
        .map(|e| e.action.as_str())
        .collect();
    moves.sort();
    assert_eq!(
        moves,
        [
            "complaint.dijawab",
            "complaint.ditindaklanjuti",
            "complaint.diverifikasi"
        ]
    );
    assert!(log.iter().any(|e| e.target == code
        && e.action == "complaint.dijawab"
        && e.before
            .as_deref()
            .is_some_and(|b| b.contains("ditindaklanjuti"))));
    app.finish().await;
}
