//! Complaints moved: units act only on their own, a forward moves the
//! complaint and its scope, a disputed answer re-opens, and the clock closes
//! an unconfirmed answer once however many servers run it.

use crate::complaints::{filed, move_to, queue, say, states, view};
use crate::helpers::{csv_header, problem, spawn_app, As, Db, Replica, Sent, TestApp};
use serde_json::{json, Value};
use suara::auth::Role;

crate::both!(
    auditors_export_every_complaint_with_its_whole_history,
    units_act_only_on_their_own_and_a_forward_moves_the_complaint,
    a_disputed_answer_reopens_and_the_clock_closes_an_unanswered_one_once,
    two_server_processes_close_an_unconfirmed_answer_once,
);

/// Verified, worked and answered by the unit head `head` (a session cookie).
async fn answered(app: &TestApp, head: &str, code: &str, answer: &str) {
    for (to, note) in [
        ("diverifikasi", None),
        ("ditindaklanjuti", None),
        ("dijawab", Some(answer)),
    ] {
        let r = move_to(app, As::Cookie(head), code, json!({"to": to, "note": note})).await;
        assert_eq!(r.status(), 200, "{to}");
    }
}

/// Makes the complaint `code` look answered a month ago.
async fn answered_a_month_ago(app: &TestApp, code: &str) {
    let month_ago = suara::store::datetime_to_ms(time::OffsetDateTime::now_utc()) - 31 * 86_400_000;
    sqlx::query("UPDATE complaints SET state_since_ms = $1 WHERE code = $2")
        .bind(month_ago)
        .bind(code.replace('-', ""))
        .execute(app.store.pool())
        .await
        .unwrap();
}

/// Two replicas, each running the periodic task every second on one
/// database: the answer left unconfirmed closes, with one transition.
async fn two_server_processes_close_an_unconfirmed_answer_once(db: Db) {
    let app = spawn_app(db).await;
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let quiet = filed(
        &app,
        "paspor-baru-jaksel",
        "Kursi ruang tunggu rusak, banyak yang berdiri.",
    )
    .await;
    answered(&app, &head, &quiet, "Kursi sudah diganti.").await;
    answered_a_month_ago(&app, &quiet).await;
    let every_second = [("SUARA_AUTO_CLOSE_SECONDS", "1")];
    let servers = [
        Replica::start(&app, &every_second).await,
        Replica::start(&app, &every_second).await,
    ];
    let closed = async {
        loop {
            if view(&app, &quiet).await["state"] == "selesai_tanpa_konfirmasi" {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(60), closed)
        .await
        .expect("closed by the servers' clock within a minute");
    // Both keep ticking; nothing moves again.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    drop(servers);
    let v = view(&app, &quiet).await;
    assert_eq!(
        states(&v)
            .iter()
            .filter(|s| **s == "selesai_tanpa_konfirmasi")
            .count(),
        1,
        "exactly one transition: {v}"
    );
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
    let theirs = queue(&app, &bandung, "").await;
    assert_eq!(theirs["complaints"], json!([]), "another unit's queue");
    // Who may not, what the state machine does not allow, and what a move
    // must carry: (who, body, status, words of the detail).
    let refused = [
        (&bandung, verify.clone(), 403, "another unit"),
        (&auditor, verify.clone(), 403, "auditors read"),
        (
            &jaksel,
            json!({"to": "dijawab", "note": "x"}),
            409,
            "diterima",
        ),
        (&jaksel, json!({"to": "ditutup"}), 400, "note"),
        (
            &jaksel,
            json!({"to": "dialihkan", "note": "bukan kami"}),
            400,
            "unit responsible",
        ),
        (
            &jaksel,
            json!({"to": "dialihkan", "note": "x", "unit": "nope"}),
            400,
            "nope",
        ),
        (&jaksel, json!({"to": "terbang"}), 400, "terbang"),
    ];
    for (who, body, status, words) in refused {
        let p = problem(
            move_to(&app, As::Cookie(who), &code, body.clone()).await,
            status,
        )
        .await;
        let detail = p["detail"].as_str().unwrap();
        assert!(detail.contains(words), "{body}: {detail}");
    }
    // More private, never less; audited; and then out of the public feed.
    let private = |who: &str, privacy: &str| {
        let (app, code, who, body) = (
            &app,
            code.clone(),
            who.to_owned(),
            json!({ "privacy": privacy }),
        );
        async move {
            app.post(
                &format!("/api/v1/complaints/{code}/privacy"),
                As::Cookie(&who),
            )
            .json(&body)
            .sent()
            .await
        }
    };
    let r = private(&jaksel, "rahasia").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["privacy"], "rahasia");
    problem(private(&jaksel, "publik").await, 409).await;
    problem(private(&auditor, "rahasia").await, 403).await;
    let feed = app.get_text("/open311/v2/requests.json", "").await;
    assert_eq!(feed.trim(), "[]", "a rahasia complaint is never published");
    assert!(app
        .audited_changes()
        .await
        .iter()
        .any(|e| e.action == "complaint.privacy"
            && e.before.as_deref() == Some(r#"{"privacy":"anonim"}"#)));
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
    let disputed = filed(
        &app,
        "paspor-baru-jaksel",
        "Toilet umum terkunci sepanjang hari.",
    )
    .await;
    answered(&app, &head, &disputed, "Sudah kami perbaiki.").await;
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
    answered(&app, &head, &quiet, "Sudah kami perbaiki.").await;
    answered_a_month_ago(&app, &quiet).await;
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

async fn auditors_export_every_complaint_with_its_whole_history(db: Db) {
    let app = spawn_app(db).await;
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let jaksel = filed(
        &app,
        "paspor-baru-jaksel",
        "Nomor antrean dipanggil tidak berurutan.",
    )
    .await;
    let bandung = filed(
        &app,
        "ktp-el-bandung",
        "Blangko KTP-el habis sejak dua minggu.",
    )
    .await;
    answered(
        &app,
        &head,
        &jaksel,
        "Mesin \"antrean\" diperbaiki, 2 hari.",
    )
    .await;
    let auditor = app.token(Role::Auditor, &[]).await;
    let csv = app
        .get("/api/v1/complaints/export?format=csv", As::Token(&auditor))
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = csv_header(&mut reader);
    assert_eq!(
        header.join(","),
        "complaint_id,service_code,unit_code,privacy,submitted_at,items,text,state,reopened,rating,event,event_at,event_state,event_actor,event_note,event_unit_code"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5, "four moves of one, the filing of the other");
    let moves: Vec<&str> = rows.iter().map(|r| &r[12]).collect();
    assert_eq!(
        moves,
        [
            "diterima",
            "diverifikasi",
            "ditindaklanjuti",
            "dijawab",
            "diterima"
        ]
    );
    assert_eq!(
        &rows[3][14], "Mesin \"antrean\" diperbaiki, 2 hari.",
        "quoted as RFC 4180 says"
    );
    assert!(rows[3][13].ends_with("@test.example"), "who moved it");
    // JSON Lines: one complaint a line; a unit head gets their units' only.
    let mine = app
        .get("/api/v1/complaints/export?format=jsonl", As::Cookie(&head))
        .await
        .text()
        .await
        .unwrap();
    let lines: Vec<Value> = mine
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["events"].as_array().unwrap().len(), 4);
    assert!(!mine.contains("KTP-el"), "not another unit's");
    assert!(
        csv.contains("Blangko") && !bandung.is_empty(),
        "auditors see every unit's"
    );
    let log = app.store.audit_log(50).await.unwrap();
    assert!(log
        .iter()
        .any(|e| e.action == "export" && e.target == "complaints"));
    app.finish().await;
}
