//! `suara audit-db`: the chain proves each response's content, and the
//! audit proves every row derived from it — so an edit made with SQL to any
//! derived table is named, and `suara rollups rebuild` refuses to count
//! rows the content does not give.

use crate::helpers::{new_id, response, spawn_app, suara, Db, TestApp};
use serde_json::json;

crate::both!(every_derived_table_edited_in_turn_is_named);

fn run(app: &TestApp, command: &[&str]) -> Result<String, String> {
    let mut args = vec!["--database-url", app.database_url.as_str()];
    args.extend_from_slice(command);
    suara(args, None)
}

async fn sql(app: &TestApp, statement: &str, id: &str) {
    sqlx::query(statement)
        .bind(id.to_owned())
        .execute(app.store.pool())
        .await
        .unwrap();
}

async fn every_derived_table_edited_in_turn_is_named(db: Db) {
    let app = spawn_app(db).await;
    let service = app.service_id("paspor-baru-jaksel").await;
    let mut batch = Vec::new();
    for i in 0..6 {
        let mut r = response(&new_id(), &service, json!({"U1": 1 + i % 4, "U3": 3}));
        r["respondent"] = json!({"sex": "female", "age_band": "20-29"});
        r["comment"] = json!(format!("Antrean ke-{i} lama."));
        batch.push(r);
    }
    let results = app.post_results(batch.clone()).await;
    assert!(
        results.iter().all(|r| r["status"] == "accepted"),
        "{results:?}"
    );
    let whole = run(&app, &["audit-db"]).unwrap();
    assert!(
        whole.contains("the database is whole: 6 responses"),
        "{whole}"
    );
    let target = batch[2]["id"].as_str().unwrap().to_owned();

    // Each edit, what the audit must name, and how it is undone.
    let edits = [
        (
            "UPDATE response_scores SET score = 4 WHERE response_seq = (SELECT seq FROM responses WHERE id = $1) AND item_code = 'U3'",
            "its scores",
            "UPDATE response_scores SET score = 3 WHERE response_seq = (SELECT seq FROM responses WHERE id = $1) AND item_code = 'U3'",
        ),
        (
            "UPDATE responses SET answered_at_ms = answered_at_ms - 86400000 WHERE id = $1",
            "its answered_at_ms",
            "UPDATE responses SET answered_at_ms = answered_at_ms + 86400000 WHERE id = $1",
        ),
        (
            "UPDATE responses SET respondent_sex = 'male' WHERE id = $1",
            "its respondent sex",
            "UPDATE responses SET respondent_sex = 'female' WHERE id = $1",
        ),
        (
            "UPDATE responses SET comment = 'Pelayanan cepat.' WHERE id = $1",
            "its comment",
            "UPDATE responses SET comment = 'Antrean ke-2 lama.' WHERE id = $1",
        ),
        (
            "UPDATE responses SET content = REPLACE(content, '\"U3\":3', '\"U3\":4') WHERE id = $1",
            "content does not match its content hash",
            "UPDATE responses SET content = REPLACE(content, '\"U3\":4', '\"U3\":3') WHERE id = $1",
        ),
    ];
    for (edit, named, undo) in edits {
        sql(&app, edit, &target).await;
        let err = run(&app, &["audit-db"]).unwrap_err();
        assert!(err.contains(&format!("response {target}")), "{edit}: {err}");
        assert!(err.contains(named), "{edit}: {err}");
        let refused = run(&app, &["rollups", "rebuild"]).unwrap_err();
        assert!(
            refused.contains("not rebuilt") && refused.contains(&target),
            "{edit}: {refused}"
        );
        sql(&app, undo, &target).await;
        assert!(run(&app, &["audit-db"]).is_ok(), "{undo}");
    }

    // The roll-ups themselves: named, and rebuilt from the verified rows.
    sqlx::query("UPDATE rollups SET n = n + 1")
        .execute(app.store.pool())
        .await
        .unwrap();
    let err = run(&app, &["audit-db"]).unwrap_err();
    assert!(
        err.contains("the roll-ups are not what the responses give"),
        "{err}"
    );
    let rebuilt = run(&app, &["rollups", "rebuild"]).unwrap();
    assert!(rebuilt.contains("CHANGED"), "{rebuilt}");
    assert!(run(&app, &["audit-db"]).is_ok());

    // A response removed from the middle: the chain names the gap.
    sql(
        &app,
        "DELETE FROM response_scores WHERE response_seq = (SELECT seq FROM responses WHERE id = $1)",
        &target,
    )
    .await;
    sql(&app, "DELETE FROM responses WHERE id = $1", &target).await;
    let err = run(&app, &["audit-db"]).unwrap_err();
    assert!(err.contains("a response is missing"), "{err}");
    app.finish().await;
}
