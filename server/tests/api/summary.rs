//! `GET /api/v1/summary`, as a unit head's script or an auditor would call it.

use crate::both;
use crate::helpers::{new_id, problem, response, spawn_app, As, Db, TestApp};
use serde_json::{json, Value};
use suara::auth::Role;

both!(
    product_vector_gives_91_48_and_the_export_recomputes_it,
    summary_needs_an_account_and_keeps_unit_heads_to_their_units,
    series_count_by_answered_at_with_empty_periods_shown,
    breakdown_hides_small_groups_and_their_complement,
    bad_queries_get_problem_documents,
);

/// 29 responses whose item totals are PRODUCT.md's test vector.
fn product_vector(service_id: &str) -> Vec<Value> {
    let totals = [105, 101, 100, 116, 102, 105, 106, 105, 115];
    (0..29)
        .map(|r| {
            let scores: serde_json::Map<String, Value> = totals
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let fours = t - 87;
                    (format!("U{}", i + 1), json!(if r < fours { 4 } else { 3 }))
                })
                .collect();
            response(&new_id(), service_id, Value::Object(scores))
        })
        .collect()
}

async fn get(app: &TestApp, token: &str, query: &str) -> reqwest::Response {
    let who = if token.is_empty() {
        As::Nobody
    } else {
        As::Token(token)
    };
    app.summary(query, who).await
}

async fn get_json(app: &TestApp, token: &str, query: &str) -> Value {
    app.summary_json(query, As::Token(token)).await
}

async fn product_vector_gives_91_48_and_the_export_recomputes_it(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    let results = app.post_results(product_vector(&sid)).await;
    assert!(results.iter().all(|r| r["status"] == "accepted"));
    let auditor = app.token(Role::Auditor, &[]).await;

    let s = get_json(&app, &auditor, "?service=paspor-baru-jaksel").await;
    assert_eq!(s["n"], 29);
    assert_eq!(s["index"], 91.48);
    assert_eq!(s["grade"], "A");
    assert_eq!(s["questionnaire"]["id"], "skm-2017");
    // Krejcie–Morgan for the unit's 48,000 services a year: 381.
    assert_eq!(s["sample_target"], 381);
    assert_eq!(s["provisional"], true);
    let interval = &s["index_interval"];
    let (low, high) = (
        interval["low"].as_f64().unwrap(),
        interval["high"].as_f64().unwrap(),
    );
    assert!(low < 91.48 && 91.48 < high && low < 88.31, "{interval}");
    assert_eq!(s["grade_uncertain"], true);
    let u4 = &s["items"][3];
    assert_eq!(
        (u4["code"].as_str(), u4["n"].as_u64()),
        (Some("U4"), Some(29))
    );
    assert_eq!(u4["distribution"], json!([0, 0, 0, 29]));
    assert_eq!(u4["satisfied_share"], 1.0);
    let u1 = &s["items"][0];
    assert!((u1["nrr"].as_f64().unwrap() - 105.0 / 29.0).abs() < 1e-12);
    assert!(u1["interval"]["low"].as_f64().unwrap() < 105.0 / 29.0);
    assert!(u1["satisfied_interval"]["high"].as_f64().unwrap() <= 1.0);

    // The auditor's recomputation from the CSV export and PRODUCT.md's formula.
    let csv = app.export(&auditor, "").await.text().await.unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut sums = [0u32; 9];
    let mut counts = [0u32; 9];
    for line in lines {
        let cols: Vec<&str> = line.split(',').collect();
        for i in 0..9 {
            let at = header
                .iter()
                .position(|h| *h == format!("U{}", i + 1))
                .unwrap();
            if let Ok(v) = cols[at].parse::<u32>() {
                sums[i] += v;
                counts[i] += 1;
            }
        }
    }
    let nrr: f64 = (0..9)
        .map(|i| f64::from(sums[i]) / f64::from(counts[i]))
        .sum();
    let recomputed = format!("{:.2}", nrr / 9.0 * 25.0);
    assert_eq!(recomputed, format!("{:.2}", s["index"].as_f64().unwrap()));
    app.finish().await;
}

async fn summary_needs_an_account_and_keeps_unit_heads_to_their_units(db: Db) {
    let app = spawn_app(db).await;
    let jaksel = app.service_id("paspor-baru-jaksel").await;
    let bandung = app.service_id("paspor-baru-bandung").await;
    let mut batch = product_vector(&jaksel);
    batch.extend(product_vector(&bandung).into_iter().take(5));
    app.post_results(batch).await;

    problem(get(&app, "", "?unit=kanim-jakarta-selatan").await, 401).await;

    let head = app.token(Role::UnitHead, &["kanim-jakarta-selatan"]).await;
    let mine = get_json(&app, &head, "?unit=kanim-jakarta-selatan").await;
    assert_eq!(
        (mine["n"].as_u64(), mine["scope"]["kind"].as_str()),
        (Some(29), Some("unit"))
    );
    for other in [
        "?unit=kanim-bandung",
        "?service=paspor-baru-bandung",
        "?agency=ditjen-imigrasi",
    ] {
        problem(get(&app, &head, other).await, 403).await;
    }
    // No scope: everything the account may see, which is its unit only.
    let all = get_json(&app, &head, "").await;
    assert_eq!(
        (all["n"].as_u64(), all["scope"]["kind"].as_str()),
        (Some(29), Some("all"))
    );

    // A session cookie works as well as a token; an admin sees the agency.
    let cookie = app.session_cookie(Role::Admin, &[]).await;
    let r = app
        .summary("agency=ditjen-imigrasi", As::Cookie(&cookie))
        .await;
    assert_eq!(r.status(), 200);
    let agency: Value = r.json().await.unwrap();
    assert_eq!(agency["n"], 34);
    // The agency also has a service on another questionnaire.
    assert_eq!(agency["other_questionnaires"], json!(["etika-pelayanan"]));
    app.finish().await;
}

async fn series_count_by_answered_at_with_empty_periods_shown(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("nib-sleman").await;
    let at = |when: &str, score: u8| {
        let mut r = response(&new_id(), &sid, json!({ "U1": score, "U2": score }));
        r["answered_at"] = json!(when);
        r
    };
    // September: 3 responses; October: none; November: 2. The last one was
    // answered on 30 September 23:30 UTC+7 — 16:30 UTC, still September.
    app.post_results(vec![
        at("2026-09-02T10:00:00Z", 4),
        at("2026-09-15T10:00:00Z", 3),
        at("2026-09-30T23:30:00+07:00", 2),
        at("2026-11-01T00:00:00Z", 4),
        at("2026-11-20T08:00:00Z", 4),
    ])
    .await;
    let auditor = app.token(Role::Auditor, &[]).await;
    let s = get_json(
        &app,
        &auditor,
        "?service=nib-sleman&by=month&from=2026-09-01&to=2026-11-30",
    )
    .await;
    assert_eq!(s["n"], 5);
    let series = s["series"].as_array().unwrap();
    let got: Vec<(&str, u64)> = series
        .iter()
        .map(|p| (p["period"].as_str().unwrap(), p["n"].as_u64().unwrap()))
        .collect();
    assert_eq!(got, [("2026-09", 3), ("2026-10", 0), ("2026-11", 2)]);
    assert_eq!(series[1]["index"], Value::Null);
    assert_eq!(series[2]["index"], 100.0);
    assert_eq!(
        (series[0]["start"].as_str(), series[0]["end"].as_str()),
        (Some("2026-09-01"), Some("2026-10-01"))
    );
    // From/to narrow the figures too.
    let nov = get_json(&app, &auditor, "?service=nib-sleman&from=2026-11-01").await;
    assert_eq!(nov["n"], 2);
    let q = get_json(&app, &auditor, "?service=nib-sleman&by=quarter").await;
    let labels: Vec<&str> = q["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2026-Q3", "2026-Q4"]);
    let w = get_json(
        &app,
        &auditor,
        "?service=nib-sleman&by=week&from=2026-11-16&to=2026-11-22",
    )
    .await;
    assert_eq!(w["series"][0]["period"], "2026-W47");
    assert_eq!(w["series"][0]["n"], 1);
    app.finish().await;
}

async fn breakdown_hides_small_groups_and_their_complement(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("ktp-el-bandung").await;
    let with = |sex: Option<&str>, score: u8| {
        let mut r = response(
            &new_id(),
            &sid,
            json!({ "U1": score, "U2": score, "U3": score }),
        );
        if let Some(sex) = sex {
            r["respondent"] = json!({ "sex": sex });
        }
        r
    };
    let mut batch: Vec<Value> = (0..15).map(|_| with(Some("female"), 4)).collect();
    batch.extend((0..4).map(|_| with(Some("male"), 1)));
    batch.extend((0..12).map(|_| with(None, 3)));
    app.post_results(batch).await;
    let auditor = app.token(Role::Auditor, &[]).await;
    let s = get_json(&app, &auditor, "?service=ktp-el-bandung&group=sex").await;
    assert_eq!(s["n"], 31);
    let b = &s["breakdown"];
    assert_eq!(b["attribute"], "sex");
    let groups = b["groups"].as_array().unwrap();
    let shape: Vec<(&str, bool)> = groups
        .iter()
        .map(|g| {
            (
                g["group"].as_str().unwrap(),
                g["suppressed"].as_bool().unwrap(),
            )
        })
        .collect();
    // Men (4) are too few; hiding them alone would leave 31 − 15 − 12 = 4, so
    // the not-stated group (12) is hidden with them.
    assert_eq!(
        shape,
        [("female", false), ("male", true), ("not-stated", true)]
    );
    assert_eq!(groups[0]["summary"]["n"], 15);
    assert_eq!(groups[0]["summary"]["index"], 100.0);
    assert_eq!(groups[1]["summary"], Value::Null);
    assert_eq!(groups[2]["summary"], Value::Null);
    assert_eq!(b["gaps"], json!([]));
    app.finish().await;
}

async fn bad_queries_get_problem_documents(db: Db) {
    let app = spawn_app(db).await;
    let auditor = app.token(Role::Auditor, &[]).await;
    for (query, status) in [
        ("?service=nope", 404),
        ("?unit=nope", 404),
        ("?service=nib-sleman&unit=mpp-sleman", 400),
        ("?service=nib-sleman&by=year", 400),
        ("?service=nib-sleman&group=religion", 400),
        ("?service=nib-sleman&from=yesterday", 400),
        ("?service=nib-sleman&from=2026-11-01T00:00:00Z", 400),
        ("?service=nib-sleman&from=2026-11-02&to=2026-11-01", 400),
        ("?service=nib-sleman&questionnaire=nope", 400),
        (
            "?service=nib-sleman&by=week&from=2000-01-01&to=2026-01-01",
            400,
        ),
    ] {
        let r = get(&app, &auditor, query).await;
        assert_eq!(r.status(), status, "{query}");
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{query}"
        );
        let p: Value = r.json().await.unwrap();
        assert!(!p["detail"].as_str().unwrap().is_empty());
    }
    // A scope with no responses yet: figures are empty, not an error.
    let s = get_json(&app, &auditor, "?service=nib-sleman").await;
    assert_eq!((s["n"].as_u64(), &s["index"]), (Some(0), &Value::Null));
    assert_eq!(s["items"].as_array().unwrap().len(), 9);
    app.finish().await;
}
