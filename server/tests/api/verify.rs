//! `suara verify`: it names the first bad row, accepts filtered exports with
//! their manifest, and against the live server finds what recomputed hashes
//! hide.

use crate::chain::{csv_records, download, manifest_of, seed, verified, write};
use crate::helpers::{new_id, problem, response, spawn_app, suara, As, Db};
use serde_json::{json, Value};
use suara::auth::Role;
use suara::chain::{content_hash, link, GENESIS};
use suara::export::Manifest;
use suara::verify::verify_path;

crate::both!(
    verify_against_the_server_finds_what_recomputed_hashes_hide,
    verify_names_the_first_bad_row,
    filtered_exports_verify_with_their_manifest,
);

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
    // The hashes are the two columns before the last (`flags`).
    let n = h.len() - 1;
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

    // Filters by service and questionnaire; unknown formats are refused, and
    // an unknown scope is not found (as the summary answers it).
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
        ("?agency=nope", 404),
        ("?service=nope", 404),
        ("?up_to_seq=999", 400),
    ] {
        let r = app
            .get(&format!("/api/v1/export{query}"), As::Token(&admin))
            .await;
        assert_eq!(r.status(), status, "{query}");
        problem(r, status).await;
    }
    let r = app
        .get("/api/v1/export?service=ktp-el-bandung", As::Token(&token))
        .await;
    assert_eq!(r.status(), 403, "another unit's service");
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
    let altered = write(&dir, "altered.jsonl", &altered);
    let verify = |file: &std::path::Path| {
        suara(
            ["verify", file.to_str().unwrap(), "--against", &base],
            Some(&token),
        )
    };
    assert!(verify(&altered).unwrap_err().contains("row 3 (seq 3"));
    let said = verify(&genuine);
    assert!(said.unwrap().contains("same as on the server"));
    app.finish().await;
}
