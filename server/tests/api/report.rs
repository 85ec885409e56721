//! The official SKM report: its numbers are the summary API's, its matrix
//! hides small groups, and it respects the roles table.

use crate::helpers::{new_id, response, spawn_app, As, Db};
use serde_json::json;
use suara::auth::Role;

crate::both!(the_skm_report_matches_the_summary_api,);

/// The text of the first element carrying `attr` (e.g. `data-figure="index"`).
fn text_at<'a>(html: &'a str, attr: &str) -> &'a str {
    let at = html.find(attr).unwrap_or_else(|| panic!("no {attr}"));
    let start = at + html[at..].find('>').unwrap() + 1;
    let end = start + html[start..].find('<').unwrap();
    &html[start..end]
}

async fn the_skm_report_matches_the_summary_api(db: Db) {
    let app = spawn_app(db).await;
    let svc = app.service_id("paspor-baru-jaksel").await;
    let other = app.service_id("paspor-baru-bandung").await;
    // Twelve women and one man in November; one response in October.
    let mut batch = Vec::new();
    for i in 0..13u64 {
        let mut r = response(
            &new_id(),
            &svc,
            json!({"U1": 1 + i % 4, "U2": 4, "U3": 1 + (i * 7) % 4, "U9": 2}),
        );
        let sex = if i == 12 { "male" } else { "female" };
        r["respondent"] = json!({ "sex": sex, "education": "SMA" });
        batch.push(r);
    }
    let mut october = response(&new_id(), &svc, json!({"U1": 1}));
    october["answered_at"] = json!("2026-10-05T10:00:00Z");
    batch.push(october);
    batch.push(response(&new_id(), &other, json!({"U1": 4})));
    let r = app.post_results(batch).await;
    assert!(r.iter().all(|x| x["status"] == "accepted"), "{r:?}");

    let auditor = app.session_cookie(Role::Auditor, &[]).await;
    let html = app
        .get_text(
            "/reports/skm?unit=kanim-jakarta-selatan&period=2026-11",
            &auditor,
        )
        .await;
    let token = app.token(Role::Auditor, &[]).await;
    let summary = app
        .summary_json(
            "unit=kanim-jakarta-selatan&from=2026-11-01&to=2026-11-30",
            As::Token(&token),
        )
        .await;
    assert_eq!(summary["n"], 13);
    assert_eq!(text_at(&html, "data-figure=\"respondents\""), "13");
    assert_eq!(
        text_at(&html, "data-figure=\"index\""),
        format!("{:.2}", summary["index"].as_f64().unwrap())
    );
    assert_eq!(
        text_at(&html, "data-figure=\"grade\""),
        summary["grade"].as_str().unwrap()
    );
    for item in summary["items"].as_array().unwrap() {
        let code = item["code"].as_str().unwrap();
        let row = &html[html.find(&format!("data-item=\"{code}\"")).unwrap()..];
        let expected = item["nrr"]
            .as_f64()
            .map_or("—".to_owned(), |x| format!("{x:.2}"));
        assert_eq!(text_at(row, "data-nrr"), expected, "{code}");
    }
    // The lowest element first among the lowest.
    let lowest = summary["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["nrr"].is_number())
        .min_by(|a, b| a["nrr"].as_f64().partial_cmp(&b["nrr"].as_f64()).unwrap())
        .unwrap();
    let first_lowest = &html[html.find("data-lowest=\"").unwrap() + 13..];
    assert!(first_lowest.starts_with(lowest["code"].as_str().unwrap()));
    // The matrix: thirteen respondents; the one man's sex is hidden (a group
    // of one), and so is the smallest other group needed to keep it hidden.
    let matrix = &html[html.find("data-figure=\"matrix\"").unwrap()..];
    let body = &matrix[matrix.find("<tbody").unwrap()..matrix.find("</tbody>").unwrap()];
    assert_eq!(body.matches("<tr").count(), 13);
    assert!(!body.contains("Laki-laki"), "a group of one is not shown");
    assert!(body.contains("<td>*</td>"));

    // Roles and bad input.
    let head = app.session_cookie(Role::UnitHead, &["kanim-bandung"]).await;
    let r = app
        .get(
            "/reports/skm?unit=kanim-jakarta-selatan&period=2026-11",
            As::Cookie(&head),
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = app
        .get(
            "/reports/skm?unit=kanim-jakarta-selatan&period=2026-S3",
            As::Cookie(&auditor),
        )
        .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("2026-S3"));
    assert_eq!(
        app.signed_out_redirect("/reports/skm").await,
        (303, "/login?next=%2Freports%2Fskm".to_owned())
    );
    app.finish().await;
}
