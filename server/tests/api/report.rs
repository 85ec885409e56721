//! The official SKM report: its numbers are the summary API's, its matrix
//! hides small groups, and it respects the roles table.

use crate::helpers::{location, new_id, response, spawn_app, As, Db};
use serde_json::json;
use suara::auth::Role;

crate::both!(
    the_skm_report_matches_the_summary_api,
    a_unit_files_its_report_and_the_publication_carries_it,
);

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

async fn a_unit_files_its_report_and_the_publication_carries_it(db: Db) {
    let owned = spawn_app(db).await;
    let app = &owned;
    let svc = app.service_id("paspor-baru-jaksel").await;
    // 2026-Q4: twelve by phone, three at the kiosk; 2026-Q3: eleven; 2026-Q2: two.
    let mut batch = Vec::new();
    for i in 0..15u64 {
        let mut r = response(&new_id(), &svc, json!({"U1": 1 + i % 4, "U2": 3, "U3": 4}));
        if i >= 12 {
            r["channel"] = json!("kiosk");
        }
        batch.push(r);
    }
    for (n, day) in [(11, "2026-08-10"), (2, "2026-05-04")] {
        for _ in 0..n {
            let mut r = response(&new_id(), &svc, json!({"U1": 2, "U2": 2, "U3": 3}));
            r["answered_at"] = json!(format!("{day}T09:00:00+07:00"));
            batch.push(r);
        }
    }
    let r = app.post_results(batch).await;
    assert!(r.iter().all(|x| x["status"] == "accepted"), "{r:?}");

    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let form = |nip: &str, sampling: &str| {
        vec![
            ("unit", "kanim-jakarta-selatan".to_owned()),
            ("period", "2026-Q4".to_owned()),
            ("fkp_date", "2026-12-03".to_owned()),
            ("signatory_name", "Dra. Siti Rahma, M.Si.".to_owned()),
            ("signatory_position", "Kepala Kantor Imigrasi".to_owned()),
            ("signatory_nip", nip.to_owned()),
            ("sampling", sampling.to_owned()),
        ]
    };
    let sent = |who, fields| async move {
        let r = app.post_form("/reports/skm/rincian", who, &fields).await;
        assert_eq!(r.status(), 303);
        location(&r)
    };
    // Refused, each saying why on the report: a NIP that is not 18 digits,
    // a control character, another unit's head, an auditor; no account, 401.
    let bad = sent(As::Cookie(&head), form("1970", "di loket")).await;
    assert!(bad.ends_with("rincian=bad-nip#rincian"), "{bad}");
    let said = app.get_text(&bad, &head).await.replace("<!>", "");
    assert!(
        said.contains("Rincian laporan tidak disimpan: NIP terdiri dari 18 angka."),
        "in words"
    );
    let nul = sent(As::Cookie(&head), form("", "di loket\u{0}")).await;
    assert!(nul.ends_with("rincian=control-character#rincian"), "{nul}");
    let outsider = app.session_cookie(Role::UnitHead, &["kanim-bandung"]).await;
    let theirs = sent(As::Cookie(&outsider), form("", "x")).await;
    assert!(theirs.ends_with("rincian=forbidden#rincian"), "{theirs}");
    let auditor = app.session_cookie(Role::Auditor, &[]).await;
    let read_only = sent(As::Cookie(&auditor), form("", "x")).await;
    assert!(
        read_only.ends_with("rincian=forbidden#rincian"),
        "{read_only}"
    );
    let r = app
        .post_form("/reports/skm/rincian", As::Nobody, &form("", "x"))
        .await;
    assert_eq!(r.status(), 401);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM report_details WHERE period = $1",
            "2026-Q4"
        )
        .await,
        0
    );

    let saved = sent(
        As::Cookie(&head),
        form("19700101 199503 2 001", "Accidental sampling di loket"),
    )
    .await;
    assert!(saved.ends_with("rincian=saved#rincian"), "{saved}");
    // Without the renderer's markers between text nodes.
    let html = app.get_text(&saved, &head).await.replace("<!>", "");
    assert!(html.contains("Rincian laporan tersimpan."));
    let fkp = &html[html.find("data-figure=\"fkp\"").unwrap()..];
    assert!(
        fkp[..fkp.find("</p>").unwrap()].ends_with("Forum Konsultasi Publik pada 3 Desember 2026.")
    );
    let signed = &html[html.find("data-figure=\"signatory\"").unwrap()..];
    assert!(
        signed.contains("Dra. Siti Rahma, M.Si.") && signed.contains("NIP. 19700101 199503 2 001")
    );
    assert!(html.contains("Cara pengambilan sampel: Accidental sampling di loket"));
    // The method: respondents by channel, and the quarters before.
    let channel = |c: &str| {
        text_at(
            &html[html.find(&format!("data-channel=\"{c}\"")).unwrap()..],
            "<td",
        )
        .to_owned()
    };
    assert_eq!(
        (channel("phone"), channel("kiosk")),
        ("12".to_owned(), "3".to_owned())
    );
    let q3 = &html[html.find("data-period=\"2026-Q3\"").unwrap()..];
    assert_eq!(text_at(q3, "<td"), "11");
    assert!(html.contains("data-period=\"2026-Q2\"") && html.contains("data-period=\"2026-Q1\""));
    // The form shows what was kept, for the next change.
    assert!(html.contains("value=\"19700101 199503 2 001\""));
    let audited = app.audited_changes().await;
    assert!(
        audited.iter().any(|e| e.action == "report-details"),
        "audited"
    );

    // Published: the report is frozen with the figures, and an earlier
    // period with too few respondents shows its count alone.
    let r = app
        .post("/api/v1/publications", As::Cookie(&head))
        .json(&json!({"unit": "kanim-jakarta-selatan", "period": "2026-Q4"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let p: serde_json::Value = r.json().await.unwrap();
    let report = &p["report"];
    assert_eq!(report["details"]["signatory_nip"], "197001011995032001");
    assert_eq!(report["details"]["fkp_date"], "2026-12-03");
    assert_eq!(
        report["method"]["channels"],
        json!([{"channel": "kiosk", "n": 3}, {"channel": "phone", "n": 12}])
    );
    let previous = report["method"]["previous"].as_array().unwrap();
    assert_eq!(previous[0]["period"], "2026-Q3");
    assert_eq!(previous[0]["n"], 11);
    assert!(previous[0]["index"].is_number());
    assert_eq!(previous[1]["period"], "2026-Q2");
    assert_eq!(previous[1]["n"], 2);
    assert!(
        previous[1]["index"].is_null(),
        "two respondents: the count alone"
    );
    // Changing the details later leaves the publication as it was.
    sent(As::Cookie(&head), form("", "Diubah")).await;
    let public: serde_json::Value = app
        .get("/api/v1/public/units/kanim-jakarta-selatan", As::Nobody)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        public["publications"][0]["report"]["details"]["signatory_nip"],
        "197001011995032001"
    );
    let page = app
        .get("/publik/kanim-jakarta-selatan", As::Nobody)
        .await
        .text()
        .await
        .unwrap()
        .replace("<!>", "");
    assert_eq!(text_at(&page, "data-figure=\"fkp\""), "2026-12-03");
    assert!(text_at(&page, "data-figure=\"signatory\"").starts_with("Dra. Siti Rahma, M.Si."));
    owned.finish().await;
}
