//! Roll-ups kept up to date at ingest equal roll-ups rebuilt from the
//! responses, after any mix of batches, duplicates, conflicts and refusals.

use crate::both;
use crate::helpers::{new_id, response, spawn_app, As, Db};
use serde_json::{json, Value};
use suara::auth::Role;
use suara::synthetic::Rng;

both!(
    incremental_rollups_equal_a_rebuild,
    rebuild_repairs_rollups_and_summaries_read_them
);

fn random_response(rng: &mut Rng, skm: &[String], etika: &[String]) -> Value {
    let (sid, qid, codes): (&String, &str, Vec<String>) = if rng.next_u64().is_multiple_of(3) {
        (
            rng.pick(etika),
            "etika-pelayanan",
            [
                "fair",
                "non-discriminatory",
                "affordable",
                "effective-efficient",
                "responsive",
                "participatory",
            ]
            .map(String::from)
            .to_vec(),
        )
    } else {
        (
            rng.pick(skm),
            "skm-2017",
            (1..=9).map(|i| format!("U{i}")).collect(),
        )
    };
    let mut scores = serde_json::Map::new();
    for c in codes {
        if !rng.next_u64().is_multiple_of(7) {
            scores.insert(c, json!(1 + rng.next_u64() % 4));
        }
    }
    let mut r = response(&new_id(), sid, Value::Object(scores));
    r["questionnaire_id"] = json!(qid);
    let day = 1 + rng.next_u64() % 28;
    let hour = rng.next_u64() % 24;
    r["answered_at"] = json!(format!("2026-10-{day:02}T{hour:02}:30:00+07:00"));
    let mut profile = serde_json::Map::new();
    for (key, values) in [
        ("sex", &["female", "male"][..]),
        ("age_band", &["under-20", "20-29", "30-39", "60-plus"][..]),
        ("education", &["SD", "SMA", "D4-S1", "S3"][..]),
        ("occupation", &["pns", "swasta", "lainnya"][..]),
        ("disability", &["yes", "no", "prefer-not-to-say"][..]),
    ] {
        if !rng.next_u64().is_multiple_of(3) {
            profile.insert(key.into(), json!(rng.pick(values)));
        }
    }
    if !profile.is_empty() {
        r["respondent"] = Value::Object(profile);
    }
    r
}

async fn incremental_rollups_equal_a_rebuild(db: Db) {
    let app = spawn_app(db).await;
    let mut skm = Vec::new();
    for code in [
        "paspor-baru-jaksel",
        "paspor-baru-bandung",
        "ktp-el-bandung",
    ] {
        skm.push(app.service_id(code).await);
    }
    let mut etika = Vec::new();
    for code in ["itas-bandung", "pbb-sleman"] {
        etika.push(app.service_id(code).await);
    }
    let mut rng = Rng::new(match db {
        Db::Sqlite => 14,
        Db::Postgres => 2017,
    });
    let mut sent: Vec<Value> = Vec::new();
    let mut statuses = std::collections::BTreeMap::<String, usize>::new();
    for _ in 0..12 {
        let size = 1 + (rng.next_u64() % 40) as usize;
        let mut batch = Vec::new();
        for _ in 0..size {
            let r = match rng.next_u64() % 10 {
                // A resend of an accepted response: duplicate.
                0 if !sent.is_empty() => rng.pick(&sent).clone(),
                // Same id, other content: conflict.
                1 if !sent.is_empty() => {
                    let mut r = rng.pick(&sent).clone();
                    r["comment"] = json!("changed afterwards");
                    r
                }
                // Invalid: rejected.
                2 => {
                    let mut r = random_response(&mut rng, &skm, &etika);
                    r["scores"] = json!({ "U1": 9 });
                    r
                }
                _ => random_response(&mut rng, &skm, &etika),
            };
            batch.push(r);
        }
        let results = app.post_results(batch.clone()).await;
        for (r, res) in batch.into_iter().zip(results) {
            let status = res["status"].as_str().unwrap().to_owned();
            if status == "accepted" {
                sent.push(r);
            }
            *statuses.entry(status).or_default() += 1;
        }
    }
    for s in ["accepted", "duplicate", "conflict", "rejected"] {
        assert!(
            statuses.get(s).copied().unwrap_or(0) > 0,
            "the mix lacks {s}: {statuses:?}"
        );
    }
    let incremental = app.store.rollup_snapshot().await.unwrap();
    assert!(
        incremental.len() > 100,
        "{} roll-up rows",
        incremental.len()
    );
    let counted = app.store.rebuild_rollups().await.unwrap();
    assert_eq!(counted as usize, sent.len());
    let rebuilt = app.store.rollup_snapshot().await.unwrap();
    if incremental != rebuilt {
        let only_inc: Vec<_> = incremental
            .iter()
            .filter(|l| !rebuilt.contains(l))
            .take(5)
            .collect();
        let only_reb: Vec<_> = rebuilt
            .iter()
            .filter(|l| !incremental.contains(l))
            .take(5)
            .collect();
        panic!("roll-ups differ: incremental only {only_inc:#?}\nrebuilt only {only_reb:#?}");
    }
    app.finish().await;
}

async fn rebuild_repairs_rollups_and_summaries_read_them(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("nib-sleman").await;
    let batch: Vec<Value> = (0..12)
        .map(|i| response(&new_id(), &sid, json!({ "U1": 1 + i % 4, "U2": 4 })))
        .collect();
    app.post_results(batch).await;
    let auditor = app.token(Role::Auditor, &[]).await;
    let summary = || app.summary_json("service=nib-sleman", As::Token(&auditor));
    let before = summary().await;
    assert_eq!(before["n"], 12);
    // Roll-ups are what summaries read: wiping them empties the figures...
    let wipe = || async {
        sqlx::query("DELETE FROM rollups")
            .execute(app.store.pool())
            .await
            .unwrap();
    };
    wipe().await;
    assert_eq!(summary().await["n"], 0);
    // ...starting again (migrating) rebuilds them when they are missing, as
    // after the migration that packed them...
    app.store.migrate().await.unwrap();
    assert_eq!(summary().await, before);
    // ...and so does a rebuild, exactly what ingest had kept.
    wipe().await;
    assert_eq!(summary().await["n"], 0);
    assert_eq!(app.store.rebuild_rollups().await.unwrap(), 12);
    assert_eq!(summary().await, before);
    app.finish().await;
}
