//! Tamper evidence: the response chain, exports that carry it, their
//! manifests, `suara verify`, and the audit trail of exports and sign-ins.

use crate::helpers::{new_id, response, spawn_app, Db, TestApp};
use serde_json::{json, Value};
use suara::auth::Role;
use suara::chain::{content_hash, link, GENESIS};
use suara::export::Manifest;
use suara::verify::{verify_path, Report};

crate::both!(
    concurrent_batches_make_one_unbroken_chain,
    responses_stored_before_the_chain_are_chained_in_order,
    csv_and_jsonl_round_trip_and_verify,
    xlsx_and_data_package_round_trip_and_validate,
    verify_against_the_server_finds_what_recomputed_hashes_hide,
    verify_names_the_first_bad_row,
    filtered_exports_verify_with_their_manifest,
    exports_and_sign_ins_are_in_the_audit_log,
);

/// Every response's (seq, content_hash, chain_hash, content) in seq order.
async fn stored_chain(app: &TestApp) -> Vec<(i64, String, String, String)> {
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
fn assert_unbroken(chain: &[(i64, String, String, String)]) {
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
    let app = spawn_app(db).await;
    let svc = app.service_id("paspor-baru-jaksel").await;
    let batch: Vec<Value> = (0..5)
        .map(|i| response(&new_id(), &svc, json!({"U1": 1 + i % 4})))
        .collect();
    app.post_results(batch).await;
    // As a database from before migration 0006 looks.
    for sql in [
        "UPDATE responses SET seq = NULL, chain_hash = NULL",
        "UPDATE chain_head SET seq = 0, chain_hash = '0000000000000000000000000000000000000000000000000000000000000000'",
    ] {
        sqlx::query(sql).execute(app.store.pool()).await.unwrap();
    }
    assert_eq!(app.store.chain_unchained().await.unwrap(), 5);
    assert_eq!(app.store.chain_unchained().await.unwrap(), 0, "once only");
    assert_unbroken(&stored_chain(&app).await);
    // New responses continue the same chain.
    app.post_results(vec![response(&new_id(), &svc, json!({"U2": 3}))])
        .await;
    let chain = stored_chain(&app).await;
    assert_eq!(chain.len(), 6);
    assert_unbroken(&chain);
    app.finish().await;
}

/// Three responses in two units, one with a comment full of trouble.
async fn seed(app: &TestApp) -> Vec<Value> {
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

async fn download(app: &TestApp, token: &str, query: &str) -> (reqwest::header::HeaderMap, String) {
    let (headers, body) = download_bytes(app, token, query).await;
    (headers, String::from_utf8(body).unwrap())
}

async fn manifest_of(app: &TestApp, token: &str, headers: &reqwest::header::HeaderMap) -> Manifest {
    let link = headers["link"].to_str().unwrap();
    let path = &link[link.find('<').unwrap() + 1..link.find('>').unwrap()];
    app.http
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn verified(path: &std::path::Path, manifest: Option<&Manifest>) -> Report {
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
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
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
    let exe = env!("CARGO_BIN_EXE_suara");
    let manifest_path = write(
        &dir,
        "manifest.json",
        &serde_json::to_string(&manifest).unwrap(),
    );
    let out = std::process::Command::new(exe)
        .arg("verify")
        .arg(&csv_path)
        .arg("--manifest")
        .arg(&manifest_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("VERIFIED"));
    let altered = write(
        &dir,
        "altered.jsonl",
        &jsonl.replacen("\"U1\":4", "\"U1\":3", 1),
    );
    let out = std::process::Command::new(exe)
        .arg("verify")
        .arg(&altered)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("NOT VERIFIED") && err.contains("row 1 (seq 1"),
        "{err}"
    );
    app.finish().await;
}

/// The CSV's data lines (CRLF-separated records; the comment's own CRLF
/// sits inside quotes, so records are split with the csv crate).
fn csv_records(csv: &str) -> (String, Vec<String>) {
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

async fn verify_names_the_first_bad_row(db: Db) {
    let app = spawn_app(db).await;
    seed(&app).await;
    let token = app.token(Role::Admin, &[]).await;
    let dir = tempfile::tempdir().unwrap();
    let (headers, csv) = download(&app, &token, "").await;
    let manifest = manifest_of(&app, &token, &headers).await;
    let (header, rows) = csv_records(&csv);
    let file = |rows: &[String]| header.clone() + &rows.concat();
    let problem = |name: &str, text: String, manifest: Option<&Manifest>| -> String {
        let report = verify_path(&write(&dir, name, &text), manifest).unwrap();
        report
            .problem
            .unwrap_or_else(|| panic!("{name} passed verification"))
    };
    verified(&write(&dir, "same.csv", &file(&rows)), Some(&manifest));

    // One changed score (row 3: U3 = 3 → 1).
    let mut changed = rows.clone();
    let cells: Vec<&str> = changed[2].trim_end().split(',').collect();
    let h: Vec<&str> = header.trim_end().split(',').collect();
    let u3 = h.iter().position(|c| *c == "U3").unwrap();
    assert_eq!(cells[u3], "3");
    let mut cells: Vec<String> = cells.iter().map(|c| (*c).to_owned()).collect();
    cells[u3] = "1".into();
    changed[2] = cells.join(",") + "\n";
    for m in [None, Some(&manifest)] {
        let p = problem("changed.csv", file(&changed), m);
        assert!(
            p.starts_with("row 3 (seq 3") && p.contains("altered"),
            "{p}"
        );
    }

    // One deleted row (the 4th).
    let mut deleted = rows.clone();
    deleted.remove(3);
    for m in [None, Some(&manifest)] {
        let p = problem("deleted.csv", file(&deleted), m);
        assert!(
            p.starts_with("row 4 (seq 5") && p.contains("sequence number 4 is missing"),
            "{p}"
        );
    }
    // The last row cut off: only the manifest can tell.
    let cut = file(&rows[..4]);
    verified(&write(&dir, "cut.csv", &cut), None);
    let p = problem("cut.csv", cut, Some(&manifest));
    assert!(p.contains("4 rows where its manifest says 5"), "{p}");

    // One inserted row: a copy of row 2 with a new id and its hashes
    // recomputed, given row 2's sequence number.
    let mut inserted = rows.clone();
    let id = header
        .trim_end()
        .split(',')
        .position(|c| c == "id")
        .unwrap();
    let mut r2 = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(rows[1].as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect::<Vec<String>>();
    let h: Vec<String> = header.trim_end().split(',').map(str::to_owned).collect();
    r2[id] = new_id();
    let record = suara::export::records::Record::from_csv(&h, &r2).unwrap();
    let n = h.len();
    r2[n - 2] = content_hash(&record.response.to_json());
    r2[n - 1] = link(&r2[n - 1], &r2[n - 2]).unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&r2).unwrap();
    inserted.insert(2, String::from_utf8(w.into_inner().unwrap()).unwrap());
    let p = problem("inserted.csv", file(&inserted), None);
    assert!(
        p.starts_with("row 3 (seq 2") && p.contains("not after row 2"),
        "{p}"
    );

    // Two rows swapped.
    let mut swapped = rows.clone();
    swapped.swap(1, 2);
    let p = problem("swapped.csv", file(&swapped), None);
    assert!(
        p.starts_with("row 2 (seq 3") && p.contains("reordered"),
        "{p}"
    );

    // The same in JSON Lines: a changed comment is found in the row.
    let (_, jsonl) = download(&app, &token, "?format=jsonl").await;
    let altered = jsonl.replacen("baris baru", "baris lama", 1);
    let p = problem("altered.jsonl", altered, None);
    assert!(p.starts_with("row 1 (seq 1"), "{p}");
    app.finish().await;
}

async fn filtered_exports_verify_with_their_manifest(db: Db) {
    let app = spawn_app(db).await;
    seed(&app).await;
    let dir = tempfile::tempdir().unwrap();
    // A unit head sees their unit only: rows 1, 3 and 5 of the chain.
    let token = app.token(Role::UnitHead, &["kanim-jakarta-selatan"]).await;
    let (headers, csv) = download(&app, &token, "").await;
    assert_eq!(headers["suara-row-count"], "3");
    assert_eq!(headers["suara-complete"], "false");
    let manifest = manifest_of(&app, &token, &headers).await;
    assert_eq!(
        manifest.filters.units_in_scope.as_deref(),
        Some(&["kanim-jakarta-selatan".to_owned()][..])
    );
    assert_eq!((manifest.first_seq, manifest.last_seq), (Some(1), Some(5)));
    let path = write(&dir, "unit.csv", &csv);
    let report = verified(&path, Some(&manifest));
    assert!(report.notes.iter().any(|n| n.contains("filtered export")));
    // Without its manifest, the jumps cannot be told from dropped rows.
    let report = verify_path(&path, None).unwrap();
    assert!(report.problem.unwrap().contains("--manifest"));

    // The rows are pinned: responses arriving later are not in a re-run.
    let svc = app.service_id("paspor-baru-jaksel").await;
    app.post_results(vec![response(&new_id(), &svc, json!({"U1": 2}))])
        .await;
    let again = format!("?up_to_seq={}", manifest.up_to_seq);
    let (h2, csv2) = download(&app, &token, &again).await;
    assert_eq!(h2["suara-row-count"], "3");
    assert_eq!(csv2, csv);
    let (h3, _) = download(&app, &token, "").await;
    assert_eq!(h3["suara-row-count"], "4");
    // The data page's form sends empty fields for "any": they mean absent.
    let (h4, _) = download(&app, &token, "?format=csv&unit=&from=&to=&up_to_seq=5").await;
    assert_eq!(h4["suara-row-count"], "3");

    // Filters by service and questionnaire; unknown codes and formats are refused.
    let admin = app.token(Role::Admin, &[]).await;
    let (h, _) = download(
        &app,
        &admin,
        "?service=ktp-el-bandung&questionnaire=skm-2017",
    )
    .await;
    assert_eq!(h["suara-row-count"], "2");
    for (query, status) in [
        ("?format=pdf", 400),
        ("?agency=nope", 400),
        ("?service=nope", 400),
        ("?up_to_seq=999", 400),
    ] {
        let r = app
            .http
            .get(app.url(&format!("/api/v1/export{query}")))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{query}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
    }
    let r = app
        .http
        .get(app.url("/api/v1/export?service=ktp-el-bandung"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "another unit's service");
    app.finish().await;
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

async fn download_bytes(
    app: &TestApp,
    token: &str,
    query: &str,
) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let r = app
        .http
        .get(app.url(&format!("/api/v1/export{query}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{query}");
    let headers = r.headers().clone();
    (headers, r.bytes().await.unwrap().to_vec())
}

/// `frictionless` from PyPI: `make test` installs it and sets
/// SUARA_FRICTIONLESS; without it this fails rather than pass unchecked.
fn frictionless() -> String {
    std::env::var("SUARA_FRICTIONLESS").unwrap_or_else(|_| {
        panic!("SUARA_FRICTIONLESS is not set: run `make test`, which installs frictionless")
    })
}

async fn xlsx_and_data_package_round_trip_and_validate(db: Db) {
    use calamine::{Data, Reader};
    let app = spawn_app(db).await;
    let sent = seed(&app).await;
    let token = app.token(Role::Auditor, &[]).await;
    let dir = tempfile::tempdir().unwrap();

    // XLSX: the responses with numbers as numbers, the items, the manifest.
    let (headers, xlsx) = download_bytes(&app, &token, "?format=xlsx").await;
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(headers["suara-row-count"], "5");
    let path = dir.path().join("export.xlsx");
    std::fs::write(&path, &xlsx).unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["responses", "items", "catalogue", "manifest"]
    );
    let sheet = book.worksheet_range("responses").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows.len(), 6, "a header and five responses");
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (i, s) in sent.iter().enumerate() {
        let row = rows[i + 1];
        assert_eq!(row[col("seq")], Data::Float((i + 1) as f64));
        assert_eq!(row[col("id")].to_string(), s["id"].as_str().unwrap());
        for (code, score) in s["scores"].as_object().unwrap() {
            assert_eq!(
                row[col(code)],
                Data::Float(score.as_f64().unwrap()),
                "{code}"
            );
        }
        assert_eq!(
            row[col("comment")].to_string(),
            s.get("comment").and_then(Value::as_str).unwrap_or("")
        );
    }
    let items = book.worksheet_range("items").unwrap();
    assert!(items.rows().any(|r| r[0] == "skm-2017" && r[3] == "U9"));
    let manifest = book.worksheet_range("manifest").unwrap();
    assert!(manifest.rows().any(|r| r[0] == "row_count" && r[1] == "5"));

    // The Data Package: frictionless accepts it, and `suara verify` proves it
    // with the manifest inside.
    let (headers, zip) = download_bytes(&app, &token, "?format=datapackage").await;
    assert_eq!(headers["content-type"], "application/zip");
    let zip_path = dir.path().join("suara-datapackage.zip");
    std::fs::write(&zip_path, &zip).unwrap();
    let report = verified(&zip_path, None);
    assert_eq!(report.rows, 5);
    let unpacked = dir.path().join("package");
    zip::ZipArchive::new(std::io::Cursor::new(&zip))
        .unwrap()
        .extract(&unpacked)
        .unwrap();
    let out = std::process::Command::new(frictionless())
        .arg("validate")
        .arg(unpacked.join("datapackage.json"))
        .output()
        .expect("frictionless runs");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "frictionless: {said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let responses = std::fs::read_to_string(unpacked.join("responses.csv")).unwrap();
    assert_eq!(
        responses.lines().count(),
        7,
        "header, 5 rows, and the comment's own line break"
    );
    // One changed score inside the package is found.
    let changed = responses.replacen(",4,", ",3,", 1);
    assert_ne!(changed, responses);
    let mut w = zip::ZipWriter::new(std::fs::File::create(dir.path().join("changed.zip")).unwrap());
    for name in ["manifest.json", "responses.csv"] {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        let text = if name == "responses.csv" {
            changed.clone()
        } else {
            std::fs::read_to_string(unpacked.join(name)).unwrap()
        };
        std::io::Write::write_all(&mut w, text.as_bytes()).unwrap();
    }
    w.finish().unwrap();
    let report = verify_path(&dir.path().join("changed.zip"), None).unwrap();
    assert!(report.problem.unwrap().starts_with("row 1 (seq 1"));
    app.finish().await;
}

/// Rewrites JSON Lines rows with `change`, then recomputes every content and
/// chain hash from the first row on: a forgery that passes on its own.
fn forge(jsonl: &str, mut change: impl FnMut(usize, &mut Value)) -> String {
    let mut rows: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut previous: Option<String> = None;
    let mut out = String::new();
    for (i, row) in rows.iter_mut().enumerate() {
        change(i, row);
        let record = suara::export::records::Record::from_json(row).unwrap();
        let content = content_hash(&record.response.to_json());
        let before = previous.clone().unwrap_or_else(|| GENESIS.to_owned());
        let chained = link(&before, &content).unwrap();
        row["content_hash"] = json!(content);
        row["chain_hash"] = json!(chained);
        previous = Some(chained);
        out.push_str(&row.to_string());
        out.push('\n');
    }
    out
}

async fn verify_against_the_server_finds_what_recomputed_hashes_hide(db: Db) {
    let app = spawn_app(db).await;
    seed(&app).await;
    let token = app.token(Role::Auditor, &[]).await;
    let dir = tempfile::tempdir().unwrap();
    let (_, jsonl) = download(&app, &token, "?format=jsonl").await;
    let base = app.url("");
    let against = |path: std::path::PathBuf| {
        let token = token.clone();
        let base = base.clone();
        async move {
            let report = verify_path(&path, None).unwrap();
            assert!(
                report.ok(),
                "the forgery passes on its own: {:?}",
                report.problem
            );
            suara::verify::against(&path, None, report.last_seq, &base, &token)
                .await
                .unwrap()
        }
    };
    // The genuine file matches the server row for row.
    let genuine = write(&dir, "genuine.jsonl", &jsonl);
    assert_eq!(against(genuine.clone()).await, None);

    // A changed score with every hash recomputed.
    let altered = forge(&jsonl, |i, row| {
        if i == 2 {
            row["scores"]["U3"] = json!(1);
        }
    });
    let p = against(write(&dir, "altered.jsonl", &altered))
        .await
        .unwrap();
    assert!(
        p.starts_with("row 3 (seq 3") && p.contains("altered"),
        "{p}"
    );

    // The last row cut off (nothing in the file shows it).
    let cut: String = jsonl.lines().take(4).map(|l| format!("{l}\n")).collect();
    let p = against(write(&dir, "cut.jsonl", &cut)).await;
    assert_eq!(p, None, "the server is asked up to the file's last row");

    // A unit head's filtered export with a row dropped and its manifest's
    // count changed to match: consistent on its own, not with the server
    // (asked with an auditor's token; other units' rows are not expected).
    let head = app.token(Role::UnitHead, &["kanim-jakarta-selatan"]).await;
    let (headers, unit_jsonl) = download(&app, &head, "?format=jsonl").await;
    let mut manifest = manifest_of(&app, &head, &headers).await;
    assert_eq!(manifest.row_count, 3);
    let short: String = unit_jsonl
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    manifest.row_count = 2;
    let path = write(&dir, "short.jsonl", &short);
    assert!(verify_path(&path, Some(&manifest)).unwrap().ok());
    let p = suara::verify::against(&path, Some(&manifest), None, &base, &token)
        .await
        .unwrap()
        .unwrap();
    assert!(
        p.starts_with("the server's response 3 (id ") && p.contains("before row 2: it was dropped"),
        "{p}"
    );

    // A row dropped from the middle, the rest renumbered and rehashed.
    let dropped: String = jsonl
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let dropped = forge(&dropped, |i, row| row["seq"] = json!(i + 1));
    let p = against(write(&dir, "dropped.jsonl", &dropped))
        .await
        .unwrap();
    assert!(
        p.starts_with("row 2 (seq 2") && p.contains("altered"),
        "{p}"
    );

    // The command line, with the token from the environment.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_suara"))
        .arg("verify")
        .arg(write(&dir, "altered.jsonl", &altered))
        .arg("--against")
        .arg(&base)
        .env("SUARA_TOKEN", &token)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("row 3 (seq 3"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_suara"))
        .arg("verify")
        .arg(&genuine)
        .arg("--against")
        .arg(&base)
        .env("SUARA_TOKEN", &token)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("same as on the server"));
    app.finish().await;
}
