//! The auditor's CSV.

use crate::helpers::{csv_header, new_id, problem, response, spawn_app, As, Db};
use serde_json::json;
use suara::auth::Role;

crate::both!(
    export_needs_credentials,
    export_is_complete_and_correctly_quoted,
    export_filters_by_period_and_unit,
);

async fn export_needs_credentials(db: Db) {
    let app = spawn_app(db).await;
    problem(app.get("/api/v1/export.csv", As::Nobody).await, 401).await;
    let r = app.export("suara_not-a-real-token", "").await;
    assert_eq!(r.status(), 401);
    app.finish().await;
}

async fn export_is_complete_and_correctly_quoted(db: Db) {
    let app = spawn_app(db).await;
    let skm = app.service_id("paspor-baru-jaksel").await;
    let etika = app.service_id("itas-bandung").await;
    let tricky = "Antre 3 jam, \"katanya\" sistem rusak;\r\nbaris baru 😡🙏 — ñ";
    let mut a = response(&new_id(), &skm, json!({"U1": 4, "U9": 1}));
    a["comment"] = json!(tricky);
    let mut b = response(
        &new_id(),
        &etika,
        json!({"fair": 2, "non-discriminatory": 1}),
    );
    b["questionnaire_id"] = json!("etika-pelayanan");
    b["channel"] = json!("kiosk");
    let c = response(&new_id(), &skm, json!({"U2": 3}));
    let r = app
        .post_results(vec![a.clone(), b.clone(), c.clone()])
        .await;
    assert!(r.iter().all(|x| x["status"] == "accepted"), "{r:?}");

    let token = app.token(Role::Admin, &[]).await;
    let resp = app.export(&token, "").await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = resp.bytes().await.unwrap();
    assert!(
        body.windows(2).any(|w| w == b"\r\n"),
        "records end with CRLF"
    );
    let mut reader = csv::Reader::from_reader(&body[..]);
    let headers = csv_header(&mut reader);
    assert_eq!(
        &headers[..12],
        [
            "seq",
            "id",
            "agency_code",
            "unit_code",
            "service_code",
            "service_id",
            "questionnaire_id",
            "questionnaire_version",
            "answered_at",
            "answered_at_reported",
            "received_at",
            "channel"
        ]
    );
    assert_eq!(
        headers[headers.len() - 4..],
        ["comment", "content_hash", "chain_hash", "flags"]
    );
    for code in ["U1", "U9", "fair", "non-discriminatory", "participatory"] {
        assert!(headers.contains(&code.to_owned()), "no column {code}");
    }
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 3);
    // In the order they were accepted, numbered from 1.
    let seqs: Vec<&str> = rows.iter().map(|r| &r[col("seq")]).collect();
    assert_eq!(seqs, ["1", "2", "3"]);
    let row_a = rows
        .iter()
        .find(|r| r[col("id")] == *a["id"].as_str().unwrap())
        .unwrap();
    assert_eq!(&row_a[col("comment")], tricky);
    assert_eq!(&row_a[col("U1")], "4");
    assert_eq!(&row_a[col("U9")], "1");
    assert_eq!(&row_a[col("U2")], "");
    assert_eq!(&row_a[col("unit_code")], "kanim-jakarta-selatan");
    assert_eq!(&row_a[col("agency_code")], "ditjen-imigrasi");
    assert_eq!(&row_a[col("answered_at")], "2026-11-20T02:15:00.000Z");
    let row_b = rows
        .iter()
        .find(|r| r[col("id")] == *b["id"].as_str().unwrap())
        .unwrap();
    assert_eq!(&row_b[col("non-discriminatory")], "1");
    assert_eq!(&row_b[col("channel")], "kiosk");
    assert_eq!(&row_b[col("U1")], "");
    app.finish().await;
}

async fn export_filters_by_period_and_unit(db: Db) {
    let app = spawn_app(db).await;
    let jaksel = app.service_id("paspor-baru-jaksel").await;
    let bandung = app.service_id("ktp-el-bandung").await;
    let mut old = response(&new_id(), &jaksel, json!({"U1": 2}));
    old["answered_at"] = json!("2026-01-15T10:00:00Z");
    let recent = response(&new_id(), &jaksel, json!({"U1": 3}));
    let other = response(&new_id(), &bandung, json!({"U1": 4}));
    app.post_results(vec![old.clone(), recent.clone(), other.clone()])
        .await;
    let token = app.token(Role::Auditor, &[]).await;
    let ids = |csv: String| -> Vec<String> {
        csv::Reader::from_reader(csv.as_bytes())
            .records()
            .map(|r| r.unwrap()[1].to_owned())
            .collect()
    };
    let ids = async |query: &str| ids(app.export(&token, query).await.text().await.unwrap());
    let all = ids("").await;
    assert_eq!(all.len(), 3);
    let november = ids("?from=2026-11-01&to=2026-11-30").await;
    assert_eq!(november.len(), 2);
    assert!(!november.contains(&old["id"].as_str().unwrap().to_owned()));
    let unit = ids("?unit=kanim-jakarta-selatan").await;
    assert_eq!(unit.len(), 2);
    assert!(!unit.contains(&other["id"].as_str().unwrap().to_owned()));
    problem(app.export(&token, "?from=last-tuesday").await, 400).await;
    app.finish().await;
}
