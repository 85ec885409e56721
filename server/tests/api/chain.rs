//! Tamper evidence: the response chain, exports that carry it, and the
//! audit trail of exports and sign-ins. `verify.rs` proves exports with
//! `suara verify`; `files.rs` checks the XLSX and Data Package exports.

use crate::helpers::{
    csv_header, new_id, replaying, response, spawn_app, suara, As, Db, EmptyDatabase, TestApp,
};
use serde_json::{json, Value};
use suara::auth::Role;
use suara::chain::{content_hash, link, GENESIS};
use suara::export::Manifest;
use suara::store::Store;
use suara::verify::{verify_path, Report};

crate::both!(
    concurrent_batches_make_one_unbroken_chain,
    responses_stored_before_the_chain_are_chained_in_order,
    csv_and_jsonl_round_trip_and_verify,
    exports_and_sign_ins_are_in_the_audit_log,
);

/// Every response's (seq, content_hash, chain_hash, content) in seq order.
pub async fn stored_chain(app: &TestApp) -> Vec<(i64, String, String, String)> {
    use sqlx::Row;
    sqlx::query("SELECT seq, content_hash, chain_hash, content FROM responses ORDER BY seq")
        .fetch_all(app.store.pool())
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.get::<i64, _>("seq"),
                r.get("content_hash"),
                r.get("chain_hash"),
                r.get("content"),
            )
        })
        .collect()
}

/// Asserts seq runs 1..=n and every link holds from the genesis hash.
pub fn assert_unbroken(chain: &[(i64, String, String, String)]) {
    let mut previous = GENESIS.to_owned();
    for (i, (seq, content, chained, canonical)) in chain.iter().enumerate() {
        assert_eq!(*seq, i as i64 + 1, "sequence numbers run without gaps");
        assert_eq!(
            &content_hash(canonical),
            content,
            "content hash of seq {seq}"
        );
        assert_eq!(
            link(&previous, content).as_ref(),
            Some(chained),
            "link of seq {seq}"
        );
        previous = chained.clone();
    }
}

async fn concurrent_batches_make_one_unbroken_chain(db: Db) {
    let app = spawn_app(db).await;
    let svc = app.service_id("paspor-baru-jaksel").await;
    // Two phones syncing at once, each with batches that share some ids
    // (resends), so that inserts, duplicates and the chain head interleave.
    let batches = |seed: u8| -> Vec<Vec<Value>> {
        (0..6)
            .map(|b| {
                (0..20)
                    .map(|i| {
                        let id = uuid::Uuid::from_u64_pair(u64::from(seed), b * 100 + i % 15);
                        response(
                            &id.to_string(),
                            &svc,
                            json!({"U1": 1 + (i % 4), "U2": 1 + (b % 4)}),
                        )
                    })
                    .collect()
            })
            .collect()
    };
    let send = |batches: Vec<Vec<Value>>| {
        let http = app.http.clone();
        let url = app.url("/api/v1/responses");
        async move {
            for batch in batches {
                let r = http
                    .post(&url)
                    .json(&json!({ "responses": batch }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
            }
        }
    };
    let (a, b, c) = tokio::join!(
        tokio::spawn(send(batches(1))),
        tokio::spawn(send(batches(2))),
        tokio::spawn(send(batches(1))),
    );
    a.unwrap();
    b.unwrap();
    c.unwrap();
    let chain = stored_chain(&app).await;
    // 2 streams × 6 batches × 15 distinct ids; the third stream resent the first.
    assert_eq!(chain.len(), 180);
    assert_unbroken(&chain);
    assert_eq!(app.store.chain_head_seq().await.unwrap(), 180);
    app.finish().await;
}

async fn responses_stored_before_the_chain_are_chained_in_order(db: Db) {
    // A database as a release before the chain (migration 0006) left it,
    // upgraded to one before scores were keyed by seq (0022): responses
    // without seq, their scores and a flag keyed by the response id.
    let fresh = EmptyDatabase::new(db).await;
    let store = Store::connect(&fresh.url)
        .await
        .unwrap()
        .with_integrity_rules(replaying());
    store.migrate_before(22).await.unwrap();
    suara::seed::demo(&store).await.unwrap();
    let svc: String = sqlx::query_scalar("SELECT id FROM services WHERE code = $1")
        .bind("paspor-baru-jaksel")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let answered = 1_795_140_900_000_i64; // 2026-11-20T09:15:00+07:00
    let mut ids = Vec::new();
    for i in 0..5_i64 {
        let mut r = response(&new_id(), &svc, json!({"U1": 1 + i % 4, "U2": 3}));
        r["answered_at"] = json!("2026-11-20T02:15:00.000Z");
        let content = serde_json::from_value::<app::domain::response::Canonical>(r.clone())
            .unwrap()
            .to_json();
        sqlx::query(
            "INSERT INTO responses (id, service_id, questionnaire_id, questionnaire_version, \
             answered_at_ms, received_at_ms, channel, content, content_hash, device_id) \
             VALUES ($1, $2, 'skm-2017', 1, $3, $4, 'phone', $5, $6, $7)",
        )
        .bind(r["id"].as_str().unwrap())
        .bind(&svc)
        .bind(answered)
        .bind(answered + 1_000 * (5 - i)) // received in the reverse order
        .bind(&content)
        .bind(content_hash(&content))
        .bind(r["device_id"].as_str().unwrap())
        .execute(store.pool())
        .await
        .unwrap();
        for (item, score) in [("U1", 1 + i % 4), ("U2", 3)] {
            sqlx::query(
                "INSERT INTO response_scores (response_id, item_code, score) VALUES ($1, $2, $3)",
            )
            .bind(r["id"].as_str().unwrap())
            .bind(item)
            .bind(score)
            .execute(store.pool())
            .await
            .unwrap();
        }
        ids.push(r["id"].as_str().unwrap().to_owned());
    }
    sqlx::query(
        "INSERT INTO response_flags (response_id, reason, flagged_at_ms) VALUES ($1, 'burst', $2)",
    )
    .bind(&ids[1])
    .bind(answered)
    .execute(store.pool())
    .await
    .unwrap();

    store.migrate().await.unwrap();
    let app = fresh.serve(store, suara::Config::new("")).await;
    assert_eq!(app.store.chain_unchained().await.unwrap(), 0, "once only");
    let chain = stored_chain(&app).await;
    assert_eq!(chain.len(), 5);
    assert_unbroken(&chain);
    // Chained in the order received: the last inserted came first.
    let first: Value = serde_json::from_str(&chain[0].3).unwrap();
    assert_eq!(first["id"], ids[4].as_str());
    // Every score and the flag followed its response to its seq: the
    // audit finds each response's scores as its content gives them.
    let audit = suara(
        vec!["--database-url", app.database_url.as_str(), "audit-db"],
        None,
    )
    .unwrap();
    assert!(
        audit.contains("the database is whole: 5 responses"),
        "{audit}"
    );
    let flagged: Vec<String> = sqlx::query_scalar(
        "SELECT r.id FROM response_flags f JOIN responses r ON r.seq = f.response_seq",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    assert_eq!(flagged, vec![ids[1].clone()]);
    // New responses continue the same chain.
    app.post_results(vec![response(&new_id(), &svc, json!({"U2": 3}))])
        .await;
    let chain = stored_chain(&app).await;
    assert_eq!(chain.len(), 6);
    assert_unbroken(&chain);
    app.finish().await;
}

/// Three responses in two units, one with a comment full of trouble.
pub(crate) async fn seed(app: &TestApp) -> Vec<Value> {
    let jaksel = app.service_id("paspor-baru-jaksel").await;
    let bandung = app.service_id("ktp-el-bandung").await;
    let mut a = response(&new_id(), &jaksel, json!({"U1": 4, "U9": 1}));
    a["comment"] = json!("Antre 3 jam, \"katanya\" rusak;\r\nbaris baru 😡🙏 — ñ");
    a["respondent"] = json!({"sex": "female", "age_band": "60-plus", "disability": "yes"});
    a["app_version"] = json!("1.2.3");
    let mut b = response(&new_id(), &bandung, json!({"U2": 2}));
    b["channel"] = json!("kiosk");
    // A clock ahead of the server: counted at receipt, hashed as reported.
    b["answered_at"] = json!("2099-01-01T00:00:00Z");
    let c = response(&new_id(), &jaksel, json!({"U3": 3, "U4": 2}));
    let d = response(&new_id(), &bandung, json!({"U5": 1}));
    let e = response(&new_id(), &jaksel, json!({"U6": 4}));
    let all = vec![a, b, c, d, e];
    let r = app.post_results(all.clone()).await;
    assert!(r.iter().all(|x| x["status"] == "accepted"), "{r:?}");
    all
}

pub(crate) async fn download(
    app: &TestApp,
    token: &str,
    query: &str,
) -> (reqwest::header::HeaderMap, String) {
    let (headers, body) = download_bytes(app, token, query).await;
    (headers, String::from_utf8(body).unwrap())
}

pub(crate) async fn manifest_of(
    app: &TestApp,
    token: &str,
    headers: &reqwest::header::HeaderMap,
) -> Manifest {
    let link = headers["link"].to_str().unwrap();
    let path = &link[link.find('<').unwrap() + 1..link.find('>').unwrap()];
    app.get(path, As::Token(token)).await.json().await.unwrap()
}

fn path_str(path: &std::path::Path) -> &str {
    path.to_str().unwrap()
}

pub(crate) fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

pub(crate) fn verified(path: &std::path::Path, manifest: Option<&Manifest>) -> Report {
    let report = verify_path(path, manifest).unwrap();
    assert!(report.ok(), "{}: {:?}", path.display(), report.problem);
    report
}

async fn csv_and_jsonl_round_trip_and_verify(db: Db) {
    let app = spawn_app(db).await;
    let sent = seed(&app).await;
    let token = app.token(Role::Auditor, &[]).await;
    let dir = tempfile::tempdir().unwrap();

    let (headers, csv) = download(&app, &token, "?format=csv").await;
    assert_eq!(headers["suara-row-count"], "5");
    assert_eq!(headers["suara-first-seq"], "1");
    assert_eq!(headers["suara-last-seq"], "5");
    assert_eq!(headers["suara-complete"], "true");
    assert_eq!(headers["suara-chain-before"], GENESIS);
    let manifest = manifest_of(&app, &token, &headers).await;
    assert_eq!(manifest.row_count, 5);
    assert!(manifest.complete);
    assert_eq!(
        headers["suara-chain-after"].to_str().unwrap(),
        manifest.chain_after
    );

    let (jheaders, jsonl) = download(&app, &token, "?format=jsonl").await;
    assert!(jheaders["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/jsonl"));
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);

    // Both formats give back what was sent: ids, scores, profile, comment.
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = csv_header(&mut reader);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    for (i, s) in sent.iter().enumerate() {
        let (row, line) = (&rows[i], &lines[i]);
        assert_eq!(row[col("id")], *s["id"].as_str().unwrap());
        assert_eq!(line["id"], s["id"]);
        assert_eq!(line["seq"], json!(i + 1));
        assert_eq!(line["scores"], s["scores"]);
        for (code, score) in s["scores"].as_object().unwrap() {
            assert_eq!(row[col(code)], score.to_string());
        }
        assert_eq!(
            line["comment"],
            s.get("comment").cloned().unwrap_or(Value::Null)
        );
        assert_eq!(
            row[col("comment")],
            *s.get("comment").and_then(Value::as_str).unwrap_or("")
        );
        assert_eq!(
            line["content_hash"].as_str().unwrap(),
            &row[col("content_hash")]
        );
        assert_eq!(
            line["chain_hash"].as_str().unwrap(),
            &row[col("chain_hash")]
        );
    }
    assert_eq!(rows[0][col("respondent_sex")], *"female");
    assert_eq!(lines[0]["respondent"]["age_band"], "60-plus");
    assert_eq!(rows[0][col("app_version")], *"1.2.3");
    assert_eq!(
        rows[1][col("answered_at_reported")],
        *"2099-01-01T00:00:00.000Z"
    );
    assert_ne!(
        rows[1][col("answered_at")],
        rows[1][col("answered_at_reported")]
    );

    // A fresh export verifies, with its manifest and without.
    let csv_path = write(&dir, "export.csv", &csv);
    let jsonl_path = write(&dir, "export.jsonl", &jsonl);
    for path in [&csv_path, &jsonl_path] {
        let with = verified(path, Some(&manifest));
        assert_eq!(with.rows, 5);
        assert_eq!(
            with.last_chain_hash.as_deref(),
            Some(manifest.chain_after.as_str())
        );
        verified(path, None);
    }
    // The command line says so too, and fails on a changed file.
    let manifest_path = write(
        &dir,
        "manifest.json",
        &serde_json::to_string(&manifest).unwrap(),
    );
    let said = suara(
        [
            "verify",
            path_str(&csv_path),
            "--manifest",
            path_str(&manifest_path),
        ],
        None,
    );
    assert!(said.unwrap().starts_with("VERIFIED"));
    let altered = write(
        &dir,
        "altered.jsonl",
        &jsonl.replacen("\"U1\":4", "\"U1\":3", 1),
    );
    let err = suara(["verify", path_str(&altered)], None).unwrap_err();
    assert!(
        err.contains("NOT VERIFIED") && err.contains("row 1 (seq 1"),
        "{err}"
    );
    app.finish().await;
}

/// The CSV's data lines (CRLF-separated records; the comment's own CRLF
/// sits inside quotes, so records are split with the csv crate).
pub(crate) fn csv_records(csv: &str) -> (String, Vec<String>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    let mut out = Vec::new();
    for r in reader.records() {
        let r = r.unwrap();
        let mut buf = csv::Writer::from_writer(Vec::new());
        buf.write_record(&r).unwrap();
        out.push(String::from_utf8(buf.into_inner().unwrap()).unwrap());
    }
    let header = out.remove(0);
    (header, out)
}

async fn exports_and_sign_ins_are_in_the_audit_log(db: Db) {
    use sqlx::Row;
    let app = spawn_app(db).await;
    seed(&app).await;
    let token = app.token(Role::Auditor, &[]).await;
    download(&app, &token, "?format=jsonl&unit=kanim-jakarta-selatan").await;
    app.store
        .add_account(
            "kepala@test.example",
            Role::UnitHead,
            "long enough password",
            &["kanim-jakarta-selatan".to_owned()],
        )
        .await
        .unwrap();
    let r = app
        .sign_in("Kepala@test.example", "long enough password")
        .await;
    assert_eq!(r.status(), 303);
    app.sign_in("nobody@suara.test", "wrong password").await;
    let rows = sqlx::query("SELECT actor, action, target, after FROM audit_log ORDER BY at_ms")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    let entries: Vec<(String, String, String, Value)> = rows
        .iter()
        .map(|r| {
            (
                r.get("actor"),
                r.get("action"),
                r.get("target"),
                serde_json::from_str(&r.get::<String, _>("after")).unwrap(),
            )
        })
        .collect();
    let export = entries
        .iter()
        .find(|e| e.1 == "export")
        .expect("the export is in the audit log");
    assert_eq!(export.2, "jsonl");
    assert_eq!(export.3["row_count"], 3);
    assert_eq!(export.3["filters"]["unit"], "kanim-jakarta-selatan");
    assert!(entries.iter().any(|e| e.0 == "kepala@test.example"
        && e.1 == "sign-in"
        && e.3["outcome"] == "signed-in"));
    assert!(entries
        .iter()
        .any(|e| e.0 == "nobody@suara.test" && e.1 == "sign-in" && e.3["outcome"] == "refused"));
    app.finish().await;
}

pub(crate) async fn download_bytes(
    app: &TestApp,
    token: &str,
    query: &str,
) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let r = app
        .get(&format!("/api/v1/export{query}"), As::Token(token))
        .await;
    assert_eq!(r.status(), 200, "{query}");
    let headers = r.headers().clone();
    (headers, r.bytes().await.unwrap().to_vec())
}
