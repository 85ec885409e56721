//! Check-then-act decided once, however many ask at the same moment: on
//! PostgreSQL (read committed, many connections) as on SQLite, two
//! publications of a period make a chain, uploads never pass a complaint's
//! photo limit, two new links leave one open, and a citizen's words sent
//! with a move that loses are not kept.

use crate::complaint_files::JPEG_WITH_GPS;
use crate::complaints::{filed, say};
use crate::helpers::{new_id, response, spawn_app, As, Db, Sent};
use futures::future::join_all;
use serde_json::json;
use suara::auth::Role;

crate::both!(
    two_publications_at_once_make_a_chain,
    uploads_at_once_never_pass_the_photo_limit,
    two_new_links_at_once_leave_one_open,
    words_sent_with_a_losing_move_are_not_kept,
);

async fn two_publications_at_once_make_a_chain(db: Db) {
    let app = spawn_app(db).await;
    let service = app.service_id("paspor-baru-jaksel").await;
    let batch = (0..5)
        .map(|_| response(&new_id(), &service, json!({"U1": 4, "U2": 3})))
        .collect();
    app.post_results(batch).await;
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let publish = || async {
        app.post("/api/v1/publications", As::Cookie(&head))
            .json(&json!({"unit": "kanim-jakarta-selatan", "period": "2026"}))
            .sent()
            .await
            .status()
            .as_u16()
    };
    let statuses = join_all((0..4).map(|_| publish())).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT id, supersedes FROM publications")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    assert_eq!(rows.len(), 4);
    let firsts = rows.iter().filter(|(_, s)| s.is_none()).count();
    let mut superseded: Vec<&String> = rows.iter().filter_map(|(_, s)| s.as_ref()).collect();
    superseded.sort();
    superseded.dedup();
    assert_eq!((firsts, superseded.len()), (1, 3), "one chain: {rows:?}");
    app.finish().await;
}

async fn uploads_at_once_never_pass_the_photo_limit(db: Db) {
    let app = spawn_app(db).await;
    let code = filed(
        &app,
        "paspor-baru-jaksel",
        "Antrean tidak tertib sejak pagi.",
    )
    .await;
    let upload = |_| {
        let (app, code) = (&app, code.clone());
        async move {
            app.http
                .put(app.url(&format!(
                    "/api/v1/complaints/{code}/attachments/{}",
                    new_id()
                )))
                .header("content-type", "image/jpeg")
                .header("suara-key", crate::complaints::key_of(&code))
                .body(JPEG_WITH_GPS.to_vec())
                .sent()
                .await
                .status()
                .as_u16()
        }
    };
    let statuses = join_all((0..8).map(upload)).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        3,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
    let stored = app
        .count(
            "SELECT COUNT(*) FROM complaint_attachments WHERE sender = $1",
            "citizen",
        )
        .await;
    assert_eq!(stored, 3);
    app.finish().await;
}

async fn two_new_links_at_once_leave_one_open(db: Db) {
    let app = spawn_app(db).await;
    let email = "links@test.example";
    app.store
        .add_account(email, Role::Auditor, "a long enough password", &[])
        .await
        .unwrap();
    let made = join_all((0..4).map(|_| app.store.new_link("admin@suara.test", email, false))).await;
    assert!(made.iter().all(Result::is_ok));
    let open = app
        .count(
            "SELECT COUNT(*) FROM account_links l JOIN accounts a ON a.id = l.account_id \
             WHERE a.email = $1 AND l.used_at_ms IS NULL AND l.revoked_at_ms IS NULL",
            email,
        )
        .await;
    assert_eq!(open, 1);
    app.finish().await;
}

async fn words_sent_with_a_losing_move_are_not_kept(db: Db) {
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
    crate::complaints::answered(&app, &code, &head).await;
    let words = "Terima kasih, sudah beres.";
    let tries = (0..4).map(|_| async {
        say(&app, &code, json!({"text": words, "resolved": true}))
            .await
            .status()
            .as_u16()
    });
    let statuses = join_all(tries).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    let kept = app
        .count(
            "SELECT COUNT(*) FROM complaint_messages WHERE body = $1",
            words,
        )
        .await;
    assert_eq!(kept, 1);
    app.finish().await;
}
