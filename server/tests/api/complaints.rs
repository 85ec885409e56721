//! Complaints over the interface: filed idempotently, followed by code,
//! worked by the unit responsible to an answer the citizen judges, forwarded
//! without dead ends, and closed by the clock once, whoever runs it.

use crate::helpers::{problem, spawn_app, As, Db, Sent, TestApp};
use app::domain::complaint::TrackingCode;
use serde_json::{json, Value};
use suara::auth::Role;
use uuid::Uuid;

crate::both!(
    the_pages_follow_a_complaint_by_code_and_let_the_unit_act,
    filing_is_idempotent_and_every_refusal_says_why,
    a_complaint_is_verified_answered_and_confirmed_by_the_citizen,
    units_act_only_on_their_own_and_a_forward_moves_the_complaint,
    a_disputed_answer_reopens_and_the_clock_closes_an_unanswered_one_once,
);

/// A fresh tracking code.
pub fn new_code() -> String {
    let random: [u8; 11] = Uuid::new_v4().as_bytes()[..11].try_into().unwrap();
    TrackingCode::from_random(random).to_string()
}

pub fn complaint(service_id: &str, code: &str, text: &str) -> Value {
    json!({
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
async fn filed(app: &TestApp, service: &str, text: &str) -> String {
    let sid = app.service_id(service).await;
    let code = new_code();
    let results = file(app, vec![complaint(&sid, &code, text)]).await;
    assert_eq!(results[0]["status"], "accepted", "{results:?}");
    code
}

async fn view(app: &TestApp, code: &str) -> Value {
    let r = app
        .get(&format!("/api/v1/complaints/{code}"), As::Nobody)
        .await;
    assert_eq!(r.status(), 200, "{code}");
    r.json().await.unwrap()
}

async fn move_to(app: &TestApp, who: As<'_>, code: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/api/v1/complaints/{code}/transitions"), who)
        .json(&body)
        .sent()
        .await
}

async fn say(app: &TestApp, code: &str, body: Value) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/api/v1/complaints/{code}/messages")))
        .json(&body)
        .sent()
        .await
}

fn states(view: &Value) -> Vec<&str> {
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
fn mistyped_code(code: &str) -> String {
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
    let q: Value = app
        .get("/api/v1/complaints", As::Cookie(&head))
        .await
        .json()
        .await
        .unwrap();
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
    let q: Value = app
        .get("/api/v1/complaints", As::Cookie(&head))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(q["open"], 0);
    let done: Value = app
        .get("/api/v1/complaints?state=selesai", As::Cookie(&head))
        .await
        .json()
        .await
        .unwrap();
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

async fn units_act_only_on_their_own_and_a_forward_moves_the_complaint(db: Db) {
    let app = spawn_app(db).await;
    let code = filed(
        &app,
        "paspor-baru-jaksel",
        "Antrean paspor tiga jam, loket hanya satu.",
    )
    .await;
    let jaksel = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let bandung = app.session_cookie(Role::UnitHead, &["kanim-bandung"]).await;
    let auditor = app.session_cookie(Role::Auditor, &[]).await;
    let verify = json!({"to": "diverifikasi"});
    problem(move_to(&app, As::Nobody, &code, verify.clone()).await, 401).await;
    problem(
        move_to(&app, As::Cookie(&bandung), &code, verify.clone()).await,
        403,
    )
    .await;
    problem(
        move_to(&app, As::Cookie(&auditor), &code, verify.clone()).await,
        403,
    )
    .await;
    let theirs: Value = app
        .get("/api/v1/complaints", As::Cookie(&bandung))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["complaints"], json!([]), "another unit's queue");
    // What the state machine does not allow, and what a move must carry.
    let p = problem(
        move_to(
            &app,
            As::Cookie(&jaksel),
            &code,
            json!({"to": "dijawab", "note": "x"}),
        )
        .await,
        409,
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("diterima"));
    problem(
        move_to(&app, As::Cookie(&jaksel), &code, json!({"to": "ditutup"})).await,
        400,
    )
    .await;
    problem(
        move_to(
            &app,
            As::Cookie(&jaksel),
            &code,
            json!({"to": "dialihkan", "note": "bukan kami"}),
        )
        .await,
        400,
    )
    .await;
    problem(
        move_to(
            &app,
            As::Cookie(&jaksel),
            &code,
            json!({"to": "dialihkan", "note": "x", "unit": "nope"}),
        )
        .await,
        400,
    )
    .await;
    problem(
        move_to(&app, As::Cookie(&jaksel), &code, json!({"to": "terbang"})).await,
        400,
    )
    .await;
    // Forwarded with a reason the citizen sees: it moves to Bandung's queue.
    let reason = "Paspor ini diterbitkan Kanim Bandung.";
    let r = move_to(
        &app,
        As::Cookie(&jaksel),
        &code,
        json!({"to": "dialihkan", "note": reason, "unit": "kanim-bandung"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let v = view(&app, &code).await;
    assert_eq!(v["state"], "dialihkan");
    assert_eq!(v["unit"]["code"], "kanim-bandung");
    let forward = &v["timeline"][1];
    assert_eq!(forward["note"], reason);
    assert_eq!(forward["unit"]["code"], "kanim-bandung");
    assert_eq!(v["deadline_kind"], "verify", "as if just received");
    problem(
        move_to(&app, As::Cookie(&jaksel), &code, verify.clone()).await,
        403,
    )
    .await;
    let r = move_to(&app, As::Cookie(&bandung), &code, verify.clone()).await;
    assert_eq!(r.status(), 200);
    // An administrator may act anywhere; a token works as a session does.
    let admin = app.token(Role::Admin, &[]).await;
    let r = move_to(
        &app,
        As::Token(&admin),
        &code,
        json!({"to": "ditutup", "note": "Sudah diselesaikan di luar Suara."}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let v = view(&app, &code).await;
    assert_eq!(v["state"], "ditutup");
    problem(
        move_to(&app, As::Cookie(&bandung), &code, verify).await,
        409,
    )
    .await;
    app.finish().await;
}

async fn a_disputed_answer_reopens_and_the_clock_closes_an_unanswered_one_once(db: Db) {
    let app = spawn_app(db).await;
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let answer = async |code: &str| {
        for (to, note) in [
            ("diverifikasi", None),
            ("ditindaklanjuti", None),
            ("dijawab", Some("Sudah kami perbaiki.")),
        ] {
            let r = move_to(
                &app,
                As::Cookie(&head),
                code,
                json!({"to": to, "note": note}),
            )
            .await;
            assert_eq!(r.status(), 200, "{to}");
        }
    };
    let disputed = filed(
        &app,
        "paspor-baru-jaksel",
        "Toilet umum terkunci sepanjang hari.",
    )
    .await;
    answer(&disputed).await;
    let r = say(
        &app,
        &disputed,
        json!({"resolved": false, "text": "Masih terkunci."}),
    )
    .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["state"], "ditindaklanjuti");
    assert_eq!(v["reopened"], 1);
    assert_eq!(v["deadline_kind"], "resolve");

    // Asked for more, the citizen adds it: the unit looks again.
    let vague = filed(&app, "paspor-baru-jaksel", "Pelayanan kurang baik sekali.").await;
    let r = move_to(
        &app,
        As::Cookie(&head),
        &vague,
        json!({"to": "perlu_dilengkapi", "note": "Kapan dan di loket mana?"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        view(&app, &vague).await["deadline"],
        Value::Null,
        "waiting on the citizen"
    );
    let r = say(&app, &vague, json!({"text": "Senin 16 November, loket 3."})).await;
    assert_eq!(r.json::<Value>().await.unwrap()["state"], "diterima");

    // Answered a month ago: closed by the clock, once, though two servers run it.
    let quiet = filed(
        &app,
        "paspor-baru-jaksel",
        "Formulir habis di meja informasi.",
    )
    .await;
    answer(&quiet).await;
    let month_ago = suara::store::datetime_to_ms(time::OffsetDateTime::now_utc()) - 31 * 86_400_000;
    sqlx::query("UPDATE complaints SET state_since_ms = $1 WHERE code = $2")
        .bind(month_ago)
        .bind(quiet.replace('-', ""))
        .execute(app.store.pool())
        .await
        .unwrap();
    let other = suara::store::Store::connect(&app.database_url)
        .await
        .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let (a, b) = tokio::join!(
        suara::complaints::auto_close(&app.store, now),
        suara::complaints::auto_close(&other, now)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1, "exactly one transition");
    let v = view(&app, &quiet).await;
    assert_eq!(v["state"], "selesai_tanpa_konfirmasi");
    assert_eq!(
        states(&v)
            .iter()
            .filter(|s| **s == "selesai_tanpa_konfirmasi")
            .count(),
        1
    );
    assert_eq!(
        view(&app, &disputed).await["state"],
        "ditindaklanjuti",
        "not answered: not closed"
    );
    other.pool().close().await;
    app.finish().await;
}

async fn the_pages_follow_a_complaint_by_code_and_let_the_unit_act(db: Db) {
    let app = spawn_app(db).await;
    let code = filed(
        &app,
        "paspor-baru-jaksel",
        "Loket 3 tutup jam 10, hubungi 081234567890.",
    )
    .await;
    let page = |cookie: String, path: String| {
        let app = &app;
        async move {
            let r = app
                .get(
                    &path,
                    if cookie.is_empty() {
                        As::Nobody
                    } else {
                        As::Cookie(&cookie)
                    },
                )
                .await;
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    // The citizen: state, deadline, what happens next; the phone number hidden.
    let (status, html) = page(String::new(), format!("/pengaduan/{code}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-state=\"diterima\""), "{html}");
    assert!(html.contains("data-figure=\"deadline\""));
    assert!(html.contains("[telepon]") && !html.contains("081234567890"));
    assert!(
        !html.contains("data-form=\"move\""),
        "no unit actions for citizens"
    );
    // Typed into the find form, in lower case without hyphens.
    let typed = code.replace('-', "").to_lowercase();
    let (status, _) = page(String::new(), format!("/pengaduan?code={typed}")).await;
    assert_eq!(status, 200);
    let (status, html) = page(
        String::new(),
        format!("/pengaduan/{}", mistyped_code(&code)),
    )
    .await;
    assert_eq!(status, 400);
    assert!(html.contains("salah ketik"), "{html}");
    let (status, _) = page(String::new(), format!("/pengaduan/{}", new_code())).await;
    assert_eq!(status, 404);

    // The unit: the full text and the actions its state allows, by plain forms.
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let (_, html) = page(head.clone(), format!("/pengaduan/{code}")).await;
    assert!(html.contains("081234567890"), "the unit reads it whole");
    assert!(html.contains("data-form=\"move\""));
    assert!(html.contains("value=\"diverifikasi\"") && !html.contains("value=\"selesai\""));
    let (_, queue) = page(head.clone(), "/pengaduan".into()).await;
    assert!(queue.contains(&code), "{queue}");
    let (_, dashboard) = page(head.clone(), "/dashboard".into()).await;
    assert!(
        dashboard.contains("data-figure=\"complaints-open\">1<"),
        "the dashboard counts open complaints and links to the queue"
    );
    let act = |to: &'static str, note: &'static str| {
        let (app, head, code) = (&app, head.clone(), code.clone());
        async move {
            app.post_form(
                &format!("/pengaduan/{code}/pindah"),
                As::Cookie(&head),
                &[("to", to), ("note", note), ("unit", "")],
            )
            .await
        }
    };
    let r = act("dijawab", "Sudah").await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        crate::helpers::location(&r),
        format!("/pengaduan/{code}?error=transition-not-allowed")
    );
    for (to, note) in [
        ("diverifikasi", ""),
        ("ditindaklanjuti", ""),
        ("dijawab", "Loket 3 kini buka sampai jam 15."),
    ] {
        let r = act(to, note).await;
        assert_eq!(
            crate::helpers::location(&r),
            format!("/pengaduan/{code}?done=1"),
            "{to}"
        );
    }
    // The citizen judges the answer and rates the handling, also by forms.
    let (_, html) = page(String::new(), format!("/pengaduan/{code}")).await;
    assert!(html.contains("Loket 3 kini buka sampai jam 15."));
    assert!(html.contains("name=\"resolved\""));
    let say = |form: Vec<(&'static str, &'static str)>| {
        let (app, code) = (&app, code.clone());
        async move {
            app.post_form(&format!("/pengaduan/{code}/pesan"), As::Nobody, &form)
                .await
        }
    };
    let r = say(vec![("text", ""), ("resolved", "true")]).await;
    assert_eq!(
        crate::helpers::location(&r),
        format!("/pengaduan/{code}?done=1")
    );
    let r = say(vec![("rating", "4")]).await;
    assert_eq!(
        crate::helpers::location(&r),
        format!("/pengaduan/{code}?done=1")
    );
    let v = view(&app, &code).await;
    assert_eq!(
        (v["state"].as_str(), v["rating"].as_u64()),
        (Some("selesai"), Some(4))
    );
    let (_, html) = page(String::new(), format!("/pengaduan/{code}?done=1")).await;
    assert!(html.contains("data-figure=\"rating\""));
    assert!(html.contains("role=\"status\""));
    app.finish().await;
}
