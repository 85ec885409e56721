//! Roll-ups kept up to date at ingest equal roll-ups rebuilt from the
//! responses, after any mix of batches, duplicates, conflicts and refusals.

use crate::both;
use crate::helpers::{new_id, response, spawn_app, As, Db};
use serde_json::{json, Value};
use suara::auth::Role;
use suara::synthetic::Rng;

both!(
    incremental_rollups_equal_a_rebuild,
    rebuild_repairs_rollups_and_summaries_read_them,
    any_range_and_series_counts_each_response_once
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

/// Roll-ups are kept by day, week and month, and a read takes whole months
/// or weeks inside a range and single days at its edges: whatever the range
/// and the series, every response is counted once, in its own period and
/// group — compared with counting the posted responses directly.
async fn any_range_and_series_counts_each_response_once(db: Db) {
    use app::domain::period::{parse_day, Period};
    let app = spawn_app(db).await;
    let sid = app.service_id("nib-sleman").await;
    let auditor = app.token(Role::Auditor, &[]).await;
    let mut rng = Rng::new(7);
    let first = parse_day("2026-06-03").unwrap();
    let sexes = ["female", "male"];
    // (day, U1 score, sex)
    let mut posted: Vec<(time::Date, u64, Option<&str>)> = Vec::new();
    let mut batch = Vec::new();
    for _ in 0..300 {
        let day = first + time::Duration::days((rng.next_u64() % 170) as i64);
        let score = 1 + rng.next_u64() % 4;
        let sex = (!rng.next_u64().is_multiple_of(4)).then(|| *rng.pick(&sexes));
        let mut r = response(&new_id(), &sid, json!({ "U1": score, "U2": 4 }));
        r["answered_at"] = json!(format!("{day}T12:00:00Z"));
        if let Some(sex) = sex {
            r["respondent"] = json!({ "sex": sex });
        }
        posted.push((day, score, sex));
        batch.push(r);
    }
    app.post_results(batch).await;
    for (from, to) in [
        (None, None),
        (Some("2026-06-10"), Some("2026-11-13")),
        (Some("2026-07-01"), Some("2026-09-30")),
        (Some("2026-08-05"), Some("2026-08-20")),
        (None, Some("2026-10-08")),
        (Some("2026-07-29"), None),
    ] {
        let inside = |d: time::Date| {
            from.is_none_or(|f| d >= parse_day(f).unwrap())
                && to.is_none_or(|t| d <= parse_day(t).unwrap())
        };
        let range: String = [("from", from), ("to", to)]
            .iter()
            .filter_map(|(k, v)| v.map(|v| format!("&{k}={v}")))
            .collect();
        for by in [Period::Week, Period::Month, Period::Quarter] {
            let by_name = format!("{by:?}").to_lowercase();
            let q = format!("service=nib-sleman&by={by_name}&group=sex{range}");
            let s = app.summary_json(&q, As::Token(&auditor)).await;
            let want_n = posted.iter().filter(|p| inside(p.0)).count();
            assert_eq!(s["n"], want_n, "{q}");
            for p in s["series"].as_array().unwrap() {
                let start = parse_day(p["start"].as_str().unwrap()).unwrap();
                let mut want = [0u64; 4];
                for (d, score, _) in &posted {
                    if inside(*d) && by.start(*d) == start {
                        want[*score as usize - 1] += 1;
                    }
                }
                let got: Vec<u64> = p["items"][0]["distribution"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_u64().unwrap())
                    .collect();
                assert_eq!(got, want, "{q}: {}", p["period"]);
            }
            let groups = s["breakdown"]["groups"].as_array().unwrap();
            assert_eq!(groups.len(), 3, "{q}");
            for g in groups {
                let name = g["group"].as_str().unwrap();
                let want = posted
                    .iter()
                    .filter(|p| inside(p.0) && p.2.unwrap_or("not-stated") == name)
                    .count();
                // Small groups are hidden (tested elsewhere); the rest count.
                if g["suppressed"] == false {
                    assert_eq!(g["summary"]["n"], want, "{q}: {name}");
                }
            }
        }
    }
    app.finish().await;
}
