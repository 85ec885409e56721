//! `/ikhtisar`: every unit in one table for administrators and auditors,
//! ranked honestly — overlapping intervals share a band, a unit with a
//! handful of responses is not ranked — with complaints overdue now, and
//! the same table as CSV.

use crate::complaints::filed;
use crate::helpers::{new_id, response, As, Db, TestApp};
use serde_json::{json, Value};
use suara::auth::Role;

crate::both!(
    the_regency_overview_ranks_in_bands_and_counts_overdue_complaints,
    the_overview_kept_for_many_readers_shows_a_complaint_at_once,
);

fn recent(service: &str, score: u8) -> Value {
    let mut r = response(
        &new_id(),
        service,
        json!({"U1": score, "U2": score, "U3": score}),
    );
    let at = time::OffsetDateTime::now_utc() - time::Duration::days(10);
    r["answered_at"] = json!(at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap());
    r
}

async fn the_regency_overview_ranks_in_bands_and_counts_overdue_complaints(db: Db) {
    let app = TestApp::builder().spawn(db).await;
    let jaksel = app.service_id("paspor-baru-jaksel").await;
    let kanim_bandung = app.service_id("paspor-baru-bandung").await;
    let ktp = app.service_id("ktp-el-bandung").await;
    let mut batch: Vec<Value> = Vec::new();
    // Jakarta Selatan high, Bandung's immigration office a hair lower (same
    // band), the civil registry clearly lower, and few.
    batch.extend((0..40).map(|i| recent(&jaksel, if i % 4 == 0 { 3 } else { 4 })));
    batch.extend((0..40).map(|i| recent(&kanim_bandung, if i % 4 < 2 { 3 } else { 4 })));
    batch.extend((0..5).map(|_| recent(&ktp, 1)));
    app.post_results(batch).await;
    // An overdue complaint at Jakarta Selatan.
    let code = filed(
        &app,
        "paspor-baru-jaksel",
        "Antrean tidak bergerak satu jam.",
    )
    .await;
    let long_ago = suara::store::now_ms() - 30 * 86_400_000;
    sqlx::query("UPDATE complaints SET state_since_ms = $1, received_at_ms = $1")
        .bind(long_ago)
        .execute(app.store.pool())
        .await
        .unwrap();

    let auditor = app.session_cookie(Role::Auditor, &[]).await;
    let page = app.get_text("/ikhtisar", &auditor).await;
    assert!(page.contains("data-figure=\"overview\""), "{page}");
    let row = |unit: &str| {
        let tail = page.split(&format!("data-unit=\"{unit}\"")).nth(1).unwrap();
        tail.split("</tr>").next().unwrap().to_owned()
    };
    // Every unit of the catalogue is there.
    for unit in [
        "kanim-jakarta-selatan",
        "kanim-bandung",
        "disdukcapil-bandung",
    ] {
        assert!(page.contains(&format!("data-unit=\"{unit}\"")), "{unit}");
    }
    let band = |r: &str| {
        r.split("data-figure=\"band\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(band(&row("kanim-jakarta-selatan")), "1");
    let kb = row("kanim-bandung");
    assert_eq!(band(&kb), "1", "overlapping intervals share a band: {kb}");
    assert_eq!(band(&row("disdukcapil-bandung")), "terlalu sedikit");
    assert!(
        row("kanim-jakarta-selatan").contains("data-figure=\"overdue\">1<"),
        "{}",
        row("kanim-jakarta-selatan")
    );
    assert!(row("kanim-jakarta-selatan").contains("data-figure=\"responses\">40 / "));
    // An agency filter narrows the table.
    let page = app
        .get_text("/ikhtisar?agency=pemkot-bandung", &auditor)
        .await;
    assert!(page.contains("data-unit=\"disdukcapil-bandung\""));
    assert!(!page.contains("data-unit=\"kanim-jakarta-selatan\""));

    // The CSV: one row per unit, numbers as numbers.
    let r = app.get("/ikhtisar.csv", As::Cookie(&auditor)).await;
    assert_eq!(r.status(), 200);
    let csv = r.text().await.unwrap();
    assert!(
        csv.starts_with("agency_code,unit_code,unit_name,band,index,"),
        "{csv}"
    );
    let jkt = csv
        .lines()
        .find(|l| l.contains(",kanim-jakarta-selatan,"))
        .unwrap();
    assert!(jkt.contains(",1,"), "{jkt}");
    // The same table as a workbook: figures as numbers, names as text.
    let r = app.get("/ikhtisar.xlsx", As::Cookie(&auditor)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = r.bytes().await.unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = calamine::Reader::worksheet_range(&mut book, "ikhtisar").unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows[0][1].to_string(), "unit_code");
    assert_eq!(
        rows.len(),
        csv.lines().count(),
        "a row per unit, as the CSV"
    );
    let row = rows
        .iter()
        .find(|r| r[1] == "kanim-jakarta-selatan")
        .unwrap();
    assert!(
        matches!(row[3], calamine::Data::Float(b) if b == 1.0),
        "band as a number: {:?}",
        row[3]
    );
    assert!(matches!(row[2], calamine::Data::String(_)));
    // A unit head may not see the regency.
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    assert_eq!(app.get("/ikhtisar", As::Cookie(&head)).await.status(), 403);
    assert_eq!(
        app.get("/ikhtisar.csv", As::Cookie(&head)).await.status(),
        403
    );
    assert_eq!(
        app.get("/ikhtisar.xlsx", As::Cookie(&head)).await.status(),
        403
    );
    let _ = code;
    app.finish().await;
}

/// The table is computed once for many readers and kept a few seconds
/// (ratings show within them), but a complaint or any other change made
/// here shows at the next read.
async fn the_overview_kept_for_many_readers_shows_a_complaint_at_once(db: Db) {
    let app = TestApp::builder().spawn(db).await;
    let jaksel = app.service_id("paspor-baru-jaksel").await;
    let mut batch: Vec<Value> = (0..3).map(|_| recent(&jaksel, 4)).collect();
    // A kiosk rating at 03.00 in Jakarta: flagged, left out until cleared.
    let mut night = recent(&jaksel, 4);
    let at = (time::OffsetDateTime::now_utc() - time::Duration::days(10))
        .replace_time(time::macros::time!(20:00));
    night["answered_at"] = json!(at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap());
    night["channel"] = json!("kiosk");
    batch.push(night);
    app.post_results(batch).await;
    let auditor = app.session_cookie(Role::Auditor, &[]).await;
    let cell = |page: &str, figure: &str| {
        let row = page
            .split("data-unit=\"kanim-jakarta-selatan\"")
            .nth(1)
            .unwrap()
            .split("</tr>")
            .next()
            .unwrap()
            .to_owned();
        row.split(&format!("data-figure=\"{figure}\">"))
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_owned()
    };
    // Many readers at once agree.
    let pages =
        futures::future::join_all((0..8).map(|_| app.get_text("/ikhtisar", &auditor))).await;
    for p in &pages {
        assert!(
            cell(p, "responses").starts_with("3 / "),
            "{}",
            cell(p, "responses")
        );
    }
    // A change made here (an auditor clears a flag) is seen at once, and
    // with it the ratings that came meanwhile.
    app.post_results((0..2).map(|_| recent(&jaksel, 4)).collect())
        .await;
    let token = app.token(Role::Auditor, &[]).await;
    let flags: Value = app
        .get(
            "/api/v1/flags?unit=kanim-jakarta-selatan",
            As::Token(&token),
        )
        .await
        .json()
        .await
        .unwrap();
    let flagged = flags["flagged"].as_array().unwrap();
    assert_eq!(flagged.len(), 1, "the kiosk at night: {flags}");
    let r = app
        .post(
            &format!("/api/v1/flags/{}/clear", flagged[0]["id"].as_str().unwrap()),
            As::Token(&token),
        )
        .json(&json!({"reason": "the kiosk's clock was wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = app.get_text("/ikhtisar", &auditor).await;
    assert!(
        cell(&page, "responses").starts_with("6 / "),
        "{}",
        cell(&page, "responses")
    );
    // The spreadsheet reads the same kept table.
    let csv = app
        .get("/ikhtisar.csv", As::Cookie(&auditor))
        .await
        .text()
        .await
        .unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let jkt: Vec<&str> = csv
        .lines()
        .find(|l| l.contains(",kanim-jakarta-selatan,"))
        .unwrap()
        .split(',')
        .collect();
    let at = header.iter().position(|h| *h == "responses").unwrap();
    assert_eq!(jkt[at], "6", "{csv}");
    let received = header
        .iter()
        .position(|h| *h == "complaints_received")
        .unwrap();
    assert_eq!(jkt[received], "0", "{csv}");
    // A complaint filed here counts at once.
    filed(
        &app,
        "paspor-baru-jaksel",
        "Loket tutup sebelum jam layanan.",
    )
    .await;
    let csv = app
        .get("/ikhtisar.csv", As::Cookie(&auditor))
        .await
        .text()
        .await
        .unwrap();
    let jkt: Vec<&str> = csv
        .lines()
        .find(|l| l.contains(",kanim-jakarta-selatan,"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(jkt[received], "1", "{csv}");
    app.finish().await;
}
