//! The sync protocol: catalogue, batches and their per-response outcomes.

use crate::helpers::{new_id, problem, response, spawn_app, suara, As, Db};
use serde_json::json;

crate::both!(
    catalog_lists_agencies_units_services_and_questionnaires,
    catalog_answers_304_for_its_etag,
    resend_is_duplicate_and_changed_resend_is_conflict,
    mixed_batch_has_one_result_per_response_in_order,
    malformed_bodies_get_problem_documents,
    batch_of_501_is_refused_and_500_accepted,
    one_batch_repeating_an_id_keeps_the_first_and_a_whole_chain,
    a_batch_of_a_million_tiny_entries_is_refused_unread,
    body_of_10_mb_is_refused,
    concurrent_posts_of_one_id_store_one_row,
    syncs_committed_together_each_get_their_own_answer,
    health_and_openapi_answer,
);

async fn catalog_lists_agencies_units_services_and_questionnaires(db: Db) {
    let app = spawn_app(db).await;
    let c = app.catalog().await;
    let agencies = c["agencies"].as_array().unwrap();
    assert!(agencies.len() >= 2);
    let units: Vec<_> = agencies
        .iter()
        .flat_map(|a| a["units"].as_array().unwrap())
        .collect();
    assert!(units.len() >= 4);
    let services: Vec<_> = units
        .iter()
        .flat_map(|u| u["services"].as_array().unwrap())
        .collect();
    assert!(services.len() >= 8);
    for s in &services {
        for key in [
            "id",
            "code",
            "name",
            "questionnaire_id",
            "questionnaire_version",
        ] {
            assert!(!s[key].is_null(), "service lacks {key}: {s}");
        }
    }
    let qs = c["questionnaires"].as_array().unwrap();
    let skm = qs
        .iter()
        .find(|q| q["id"] == "skm-2017")
        .expect("skm-2017 listed");
    let codes: Vec<_> = skm["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]
    );
    assert_eq!(skm["items"][0]["label"]["id"], "Persyaratan");
    assert_eq!(skm["items"][0]["options"].as_array().unwrap().len(), 4);
    let etika = qs
        .iter()
        .find(|q| q["id"] == "etika-pelayanan")
        .expect("etika-pelayanan listed");
    assert_eq!(etika["items"].as_array().unwrap().len(), 6);
    for s in &services {
        assert!(qs.iter().any(
            |q| q["id"] == s["questionnaire_id"] && q["version"] == s["questionnaire_version"]
        ));
    }
    app.finish().await;
}

async fn catalog_answers_304_for_its_etag(db: Db) {
    let app = spawn_app(db).await;
    let first = app.get("/api/v1/catalog", As::Nobody).await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let again = app
        .http
        .get(app.url("/api/v1/catalog"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    app.finish().await;
}

async fn resend_is_duplicate_and_changed_resend_is_conflict(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    let id = new_id();
    let original = response(&id, &sid, json!({"U1": 4, "U2": 3}));
    let r = app.post_results(vec![original.clone()]).await;
    assert_eq!(r[0]["status"], "accepted");
    assert_eq!(r[0]["id"], id);
    let r = app.post_results(vec![original.clone()]).await;
    assert_eq!(r[0]["status"], "duplicate");
    let mut changed = original.clone();
    changed["scores"]["U1"] = json!(1);
    let r = app.post_results(vec![changed]).await;
    assert_eq!(r[0]["status"], "conflict");
    assert!(r[0]["reason"].as_str().unwrap().contains("kept unchanged"));
    // The stored response is the original.
    let token = app.token(suara::auth::Role::Auditor, &[]).await;
    let csv = app.export(&token, "").await.text().await.unwrap();
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let headers = rows.headers().unwrap().clone();
    let u1 = headers.iter().position(|h| h == "U1").unwrap();
    let records: Vec<_> = rows.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 1);
    assert_eq!(&records[0][u1], "4");
    app.finish().await;
}

async fn mixed_batch_has_one_result_per_response_in_order(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    let (a, b, c, d, e, f) = (new_id(), new_id(), new_id(), new_id(), new_id(), new_id());
    let mut long_comment = response(&e, &sid, json!({"U1": 3}));
    long_comment["comment"] = json!("x".repeat(2001));
    let batch = vec![
        response(&a, &sid, json!({"U1": 4})),
        response(&b, &sid, json!({"U1": 5})),
        response(&c, &new_id(), json!({"U1": 3})),
        response(&d, &sid, json!({"U42": 3})),
        json!(42),
        long_comment,
        json!({"id": f, "service_id": sid}),
        response(&new_id(), &sid, json!({"U9": 1, "U8": 2})),
    ];
    let r = app.post_results(batch).await;
    let statuses: Vec<_> = r.iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        [
            "accepted", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected",
            "accepted"
        ]
    );
    assert_eq!(r[1]["id"], b);
    let reason = |i: usize| r[i]["reason"].as_str().unwrap().to_owned();
    assert!(
        reason(1).contains("U1") && reason(1).contains("1, 2, 3 or 4"),
        "{}",
        reason(1)
    );
    assert!(reason(2).contains("unknown service"), "{}", reason(2));
    assert!(reason(3).contains("U42"), "{}", reason(3));
    assert!(r[4]["id"].is_null());
    assert!(reason(5).contains("2000"), "{}", reason(5));
    assert_eq!(r[6]["id"], f);
    assert!(reason(6).contains("shape"), "{}", reason(6));
    app.finish().await;
}

async fn malformed_bodies_get_problem_documents(db: Db) {
    let app = spawn_app(db).await;
    let post = |body: &'static str| {
        app.http
            .post(app.url("/api/v1/responses"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let p = problem(post("{not json").await.unwrap(), 400).await;
    assert!(p["detail"].as_str().unwrap().contains("not valid JSON"));
    problem(post(r#"{"answers": []}"#).await.unwrap(), 422).await;
    problem(post(r#"[1, 2]"#).await.unwrap(), 422).await;
    problem(post(r#"{"responses": {}}"#).await.unwrap(), 422).await;
    let wrong_type = app
        .http
        .post(app.url("/api/v1/responses"))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    problem(wrong_type, 415).await;
    let unknown = app.get("/api/v1/nothing-here", As::Nobody).await;
    problem(unknown, 404).await;
    app.finish().await;
}

async fn batch_of_501_is_refused_and_500_accepted(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("ktp-el-bandung").await;
    let batch: Vec<_> = (0..501)
        .map(|_| response(&new_id(), &sid, json!({"U1": 3, "U2": 4})))
        .collect();
    let p = problem(app.post_batch(batch.clone()).await, 413).await;
    assert!(p["detail"].as_str().unwrap().contains("500"));
    let r = app.post_results(batch[..500].to_vec()).await;
    assert_eq!(r.len(), 500);
    assert!(r.iter().all(|x| x["status"] == "accepted"));
    app.finish().await;
}

/// A group is decided in memory and written a hundred rows a statement: an
/// id repeated inside one batch is a duplicate (same content) or a conflict
/// (other content) of its first, never a second row, and the chain the
/// many-row statements wrote is whole — `suara audit-db` recomputes it.
async fn one_batch_repeating_an_id_keeps_the_first_and_a_whole_chain(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("ktp-el-bandung").await;
    let mut batch: Vec<_> = (0..497)
        .map(|i| response(&new_id(), &sid, json!({"U1": 1 + i % 4, "U2": 4})))
        .collect();
    let first = batch[150].clone();
    let mut changed = first.clone();
    changed["scores"]["U1"] = json!(if first["scores"]["U1"] == 4 { 1 } else { 4 });
    batch.insert(151, first.clone());
    batch.push(changed);
    batch.push(first);
    let r = app.post_results(batch).await;
    let statuses: Vec<&str> = r.iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == "accepted").count(), 497);
    assert_eq!(statuses[151], "duplicate");
    assert_eq!(statuses[498], "conflict");
    assert_eq!(statuses[499], "duplicate");
    let audit = suara(
        vec!["--database-url", app.database_url.as_str(), "audit-db"],
        None,
    )
    .unwrap();
    assert!(
        audit.contains("the database is whole: 497 responses"),
        "{audit}"
    );
    app.finish().await;
}

/// `{"responses": [0,0,…]}` just under the body limit: refused at the
/// 501st entry, before the rest is read into values (it would be ~80 MB of
/// them), and the entries of another key are never kept.
async fn a_batch_of_a_million_tiny_entries_is_refused_unread(db: Db) {
    let app = spawn_app(db).await;
    let zeros = vec!["0"; 2_000_000].join(",");
    for body in [
        format!(r#"{{"responses": [{zeros}]}}"#),
        format!(r#"{{"padding": [{zeros}], "responses": [0]}}"#),
    ] {
        assert!(body.len() < 5 * 1024 * 1024);
        let r = app
            .http
            .post(app.url("/api/v1/responses"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        match r.status().as_u16() {
            413 => {
                let p = problem(r, 413).await;
                assert!(p["detail"].as_str().unwrap().contains("at most 500"), "{p}");
            }
            200 => {
                let v: serde_json::Value = r.json().await.unwrap();
                assert_eq!(v["results"][0]["status"], "rejected");
            }
            s => panic!("answered {s}"),
        }
    }
    app.finish().await;
}

async fn body_of_10_mb_is_refused(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("ktp-el-bandung").await;
    let mut big = response(&new_id(), &sid, json!({"U1": 3}));
    big["comment"] = json!("a".repeat(10 * 1024 * 1024));
    let p = problem(app.post_batch(vec![big]).await, 413).await;
    assert!(p["detail"].as_str().unwrap().contains("MB"));
    app.finish().await;
}

async fn concurrent_posts_of_one_id_store_one_row(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("poli-umum-sukajadi").await;
    let id = new_id();
    let body = response(&id, &sid, json!({"U1": 2, "U7": 4}));
    let posts = (0..20).map(|_| app.post_results(vec![body.clone()]));
    let results = futures::future::join_all(posts).await;
    let statuses: Vec<String> = results
        .iter()
        .map(|r| r[0]["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| *s == "accepted").count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| *s == "duplicate").count(),
        19,
        "{statuses:?}"
    );
    let n = app
        .count("SELECT COUNT(*) FROM responses WHERE id = $1", &id)
        .await;
    assert_eq!(n, 1);
    let scores = app
        .count(
            "SELECT COUNT(*) FROM response_scores WHERE response_seq = (SELECT seq FROM responses WHERE id = $1)",
            &id,
        )
        .await;
    assert_eq!(scores, 2);
    app.finish().await;
}

/// Many phones at once: the syncs are committed together (group commit),
/// yet each is answered with exactly its own results, in its own order,
/// and the store holds exactly what was accepted, with roll-ups that agree.
async fn syncs_committed_together_each_get_their_own_answer(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("poli-umum-sukajadi").await;
    let shared = response(&new_id(), &sid, json!({"U1": 3}));
    let sent: Vec<Vec<serde_json::Value>> = (0..60)
        .map(|i| {
            let mut batch = vec![response(&new_id(), &sid, json!({"U1": 1 + i % 4}))];
            if i % 3 == 0 {
                // Several phones resend the same response.
                batch.push(shared.clone());
            }
            if i % 5 == 0 {
                batch.push(json!({"id": new_id(), "service_id": sid, "scores": "none"}));
            }
            batch
        })
        .collect();
    let answers = futures::future::join_all(sent.iter().map(|b| app.post_results(b.clone()))).await;
    let mut shared_accepted = 0;
    for (batch, results) in sent.iter().zip(&answers) {
        assert_eq!(batch.len(), results.len());
        for (entry, result) in batch.iter().zip(results) {
            assert_eq!(entry["id"], result["id"], "its own results, in order");
            let status = result["status"].as_str().unwrap();
            if entry["scores"] == "none" {
                assert_eq!(status, "rejected");
            } else if entry["id"] == shared["id"] {
                shared_accepted += usize::from(status == "accepted");
                assert!(["accepted", "duplicate"].contains(&status), "{status}");
            } else {
                assert_eq!(status, "accepted");
            }
        }
    }
    assert_eq!(shared_accepted, 1, "the resent response is accepted once");
    let stored = app
        .count("SELECT COUNT(*) FROM responses WHERE id <> $1", "")
        .await;
    assert_eq!(stored, 61);
    let incremental = app.store.rollup_snapshot().await.unwrap();
    assert_eq!(app.store.rebuild_rollups().await.unwrap(), 61);
    assert!(
        incremental == app.store.rollup_snapshot().await.unwrap(),
        "the roll-ups of syncs committed together equal a rebuild"
    );
    app.finish().await;
}

async fn health_and_openapi_answer(db: Db) {
    let app = spawn_app(db).await;
    let h = app.get("/healthz", As::Nobody).await;
    assert_eq!(h.status(), 200);
    let doc: serde_json::Value = app
        .get("/api/v1/openapi.json", As::Nobody)
        .await
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/catalog",
        "/api/v1/responses",
        "/api/v1/export.csv",
        "/api/v1/summary",
        "/healthz",
    ] {
        assert!(doc["paths"][path].is_object(), "OpenAPI lacks {path}");
    }
    assert!(doc["components"]["schemas"]["ResponseSubmission"].is_object());
    for schema in [
        "SummaryAnswer",
        "Summary",
        "ItemSummary",
        "Breakdown",
        "Interval",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "OpenAPI lacks {schema}"
        );
    }
    let params: Vec<&str> = doc["paths"]["/api/v1/summary"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in ["service", "unit", "agency", "from", "to", "by", "group"] {
        assert!(params.contains(&p), "summary lacks parameter {p}");
    }
    app.finish().await;
}

/// `suara bench ingest` stores every response through the API and the same
/// rows raw, and reports both rates and their ratio.
#[test]
fn the_ingest_bench_measures_both_sides() {
    let dir = std::env::temp_dir().join(format!("suara-bench-{}", new_id()));
    let out = crate::helpers::suara(
        [
            "bench",
            "ingest",
            "--responses",
            "1500",
            "--dir",
            dir.to_str().unwrap(),
        ],
        None,
    )
    .unwrap();
    assert!(out.contains("ingest of 1500 responses"), "{out}");
    let ratio: f64 = out
        .rsplit("ratio ")
        .next()
        .and_then(|r| r.split(' ').next())
        .and_then(|r| r.parse().ok())
        .unwrap_or_else(|| panic!("{out}"));
    assert!(ratio > 0.0, "{out}");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "the bench removes its files"
    );
    let _ = std::fs::remove_dir(&dir);
}
