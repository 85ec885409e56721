//! The publication scenario's public side: complaints shown redacted, open
//! data, the pages and the badge, the report page's button.

use super::{public, Published, UNIT};
use crate::complaints::{filed, move_to, say};
use crate::helpers::{new_id, As, Sent, TestApp};
use serde_json::{json, Value};

/// Two complaints answered and resolved, one made `rahasia`; the public one's
/// tracking code.
pub(super) async fn complaints_shown_redacted(app: &TestApp, p: &Published) -> String {
    let (head, sent) = (p.head.clone(), p.sent.clone());
    // Complaints: a resolved public one shows, redacted; a rahasia one never.
    let open = filed(
        app,
        "paspor-baru-jaksel",
        "Loket 2 tutup, telepon saya 081234567890.",
    )
    .await;
    let secret = filed(
        app,
        "paspor-baru-jaksel",
        "Petugas meminta uang tambahan rahasia.",
    )
    .await;
    for code in [&open, &secret] {
        for (to, note) in [
            ("diverifikasi", None),
            ("ditindaklanjuti", None),
            ("dijawab", Some("Loket 2 kini buka sampai 15.00.")),
        ] {
            let r = move_to(
                app,
                As::Cookie(&head),
                code,
                json!({"to": to, "note": note}),
            )
            .await;
            assert_eq!(r.status(), 200);
        }
        let r = app
            .http
            .put(app.url(&format!(
                "/api/v1/complaints/{code}/attachments/{}",
                new_id()
            )))
            .header("cookie", &head)
            .header("origin", app.url(""))
            .header("content-type", "image/jpeg")
            .body(crate::complaint_files::JPEG_WITH_GPS.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "the unit's evidence");
        say(app, code, json!({"resolved": true})).await;
    }
    let r = app
        .post(
            &format!("/api/v1/complaints/{secret}/privacy"),
            As::Cookie(&head),
        )
        .json(&json!({"privacy": "rahasia"}))
        .sent()
        .await;
    assert_eq!(r.status(), 200);
    let page = public(app, format!("/api/v1/public/units/{UNIT}")).await;
    let text = page.to_string();
    assert_eq!(page["complaints"]["received"], 2);
    assert_eq!(page["complaints"]["confirmed_share"], 1.0);
    assert_eq!(page["resolved"].as_array().unwrap().len(), 1);
    assert!(text.contains("[telepon]") && !text.contains("081234567890"));
    assert!(!text.contains("uang tambahan"), "never a rahasia complaint");
    let evidence = page["resolved"][0]["evidence"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let photo = app.get(&evidence, As::Nobody).await;
    assert_eq!(photo.status(), 200);
    assert_eq!(photo.headers()["content-type"], "image/jpeg");
    let secret_id: String = sqlx::Row::get(
        &sqlx::query("SELECT id FROM complaints WHERE code = $1")
            .bind(secret.replace('-', ""))
            .fetch_one(app.store.pool())
            .await
            .unwrap(),
        0,
    );
    let secret_file: String = sqlx::Row::get(
        &sqlx::query("SELECT id FROM complaint_attachments WHERE complaint_id = $1")
            .bind(&secret_id)
            .fetch_one(app.store.pool())
            .await
            .unwrap(),
        0,
    );
    let r = app
        .get(
            &format!("/api/v1/public/complaints/{secret_id}/evidence/{secret_file}"),
            As::Nobody,
        )
        .await;
    assert_eq!(r.status(), 404, "nothing of a rahasia complaint");
    for code in [&open, &secret] {
        assert!(!text.contains(code.as_str()), "never a tracking code");
    }
    for s in &sent {
        assert!(
            !text.contains(s["id"].as_str().unwrap()),
            "never a single response"
        );
    }
    open
}

pub(super) async fn open_data(app: &TestApp, p: &Published, open: &str) {
    let (sent, second, open) = (p.sent.clone(), p.second.clone(), open.to_owned());
    // Open to other sites' scripts (GET), and listed on /publik.
    let r = app
        .http
        .get(app.url("/api/v1/public/units"))
        .header("origin", "https://pemda.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    let units: Value = r.json().await.unwrap();
    let line = units
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["unit"]["code"] == UNIT)
        .unwrap()
        .clone();
    assert_eq!(line["period"], "2026");
    assert_eq!(line["index"], second["figures"]["index"]);

    // Open data: CSV, and a Data Package of the aggregates that
    // frictionless accepts; no response id, code or rahasia text in it.
    let csv = app
        .get_text(&format!("/api/v1/public/units/{UNIT}/publications.csv"), "")
        .await;
    assert_eq!(
        csv.lines().count(),
        3,
        "a header and two publications: {csv}"
    );
    assert!(app
        .get_text("/api/v1/public/units.csv", "")
        .await
        .contains(UNIT));
    // Stable addresses, revalidated: the same table again is a 304.
    let path = format!("/api/v1/public/units/{UNIT}/publications.csv");
    let r = app.get(&path, As::Nobody).await;
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    let again = app
        .http
        .get(app.url(&path))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let zip = app
        .get("/api/v1/public/datapackage.zip", As::Nobody)
        .await
        .bytes()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    zip::ZipArchive::new(std::io::Cursor::new(&zip))
        .unwrap()
        .extract(dir.path())
        .unwrap();
    let out = std::process::Command::new(crate::files::frictionless())
        .arg("validate")
        .arg(dir.path().join("datapackage.json"))
        .output()
        .expect("frictionless runs");
    assert!(
        out.status.success(),
        "frictionless: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut all = String::new();
    for name in [
        "publications",
        "publication_items",
        "follow_up",
        "complaint_outcomes",
    ] {
        all += &std::fs::read_to_string(dir.path().join(format!("{name}.csv"))).unwrap();
    }
    assert!(all.contains("Menambah satu loket") && all.contains(second["id"].as_str().unwrap()));
    // Each unit's complaint outcomes, read for every unit at once, are the
    // ones its own page shows.
    let outcomes = std::fs::read_to_string(dir.path().join("complaint_outcomes.csv")).unwrap();
    let page: serde_json::Value = app
        .get(&format!("/api/v1/public/units/{UNIT}"), As::Nobody)
        .await
        .json()
        .await
        .unwrap();
    let line = outcomes
        .lines()
        .find(|l| l.split(',').nth(1) == Some(UNIT))
        .unwrap_or_else(|| panic!("{UNIT} in {outcomes}"));
    let cells: Vec<&str> = line.split(',').collect();
    assert_eq!(
        cells[2],
        page["complaints"]["received"].to_string(),
        "{line}"
    );
    assert_eq!(
        cells[3],
        page["complaints"]["verified"].to_string(),
        "{line}"
    );
    assert!(
        page["complaints"]["received"].as_u64().unwrap() >= 2,
        "{page}"
    );
    let others: u64 = outcomes
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(1) != Some(UNIT))
        .map(|l| l.split(',').nth(2).unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(others, 0, "no other unit got its complaints: {outcomes}");
    for s in &sent {
        assert!(
            !all.contains(s["id"].as_str().unwrap()),
            "never a single response"
        );
    }
    assert!(!all.contains(&open) && !all.contains("uang tambahan"));
}

pub(super) async fn pages_and_badge(app: &TestApp, p: &Published) {
    let (head, second, seq) = (p.head.clone(), p.second.clone(), p.seq);
    // The pages and the badge; the thank-you page's link leads to the unit.
    let r = app.get("/s/paspor-baru-jaksel/publik", As::Nobody).await;
    assert_eq!(crate::helpers::location(&r), format!("/publik/{UNIT}"));
    let html = app.get_text(&format!("/publik/{UNIT}"), "").await;
    assert!(html.contains("data-figure=\"grade\"") && html.contains(&format!("{seq}")));
    assert!(
        !html.contains("type=\"module\""),
        "public pages load no wasm"
    );
    assert!(html.contains("[telepon]") && !html.contains("081234567890"));
    // In English, every column of the publications table is in English.
    let english = app
        .get_text(&format!("/publik/{UNIT}"), "suara_lang=en")
        .await;
    assert!(
        english.contains("<th scope=\"col\">Grade</th>") && !english.contains(">Mutu<"),
        "the English page's table says Grade"
    );
    let list = app.get_text("/publik?q=selatan", "").await;
    assert!(list.contains(&format!("/publik/{UNIT}")) && !list.contains("/publik/kanim-bandung"));
    // The list is the overview's public half: the publication in force with
    // its respondents, interval and rank band (ranked only from 30), and
    // how the unit handles complaints.
    let lines = public(app, "/api/v1/public/units".into()).await;
    let line = lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["unit"]["code"] == UNIT)
        .unwrap();
    let n = second["figures"]["n"].as_u64().unwrap();
    assert_eq!(line["respondents"], n);
    assert_eq!(
        line["interval"][0],
        second["figures"]["index_interval"]["low"]
    );
    assert_eq!(
        line["band"],
        if n >= 30 { json!(1) } else { json!(null) },
        "{line}"
    );
    assert!(
        line["complaints"]["received"].as_u64().unwrap() >= 2,
        "{line}"
    );
    let item = list.split(&format!("data-unit=\"{UNIT}\"")).nth(1).unwrap();
    let item = item.split("</li>").next().unwrap();
    assert!(
        item.contains("data-figure=\"published-band\"") && item.contains(&format!("Responden {n}")),
        "{item}"
    );
    assert!(
        item.contains("data-figure=\"published-complaints\""),
        "{item}"
    );
    let r = app
        .get(&format!("/publik/{UNIT}/badge.svg?lang=en"), As::Nobody)
        .await;
    assert_eq!(r.headers()["content-type"], "image/svg+xml; charset=utf-8");
    let svg = r.text().await.unwrap();
    let grade = second["figures"]["grade"].as_str().unwrap();
    assert!(
        svg.contains(&format!("{grade} · ")) && svg.contains("2026") && svg.contains("<title>")
    );
    let r = app.get("/publik/kanim-bandung/badge.svg", As::Nobody).await;
    assert!(r.text().await.unwrap().contains("belum dipublikasikan"));

    // The report page's button publishes too, and says why not when it cannot.
    let r = app
        .post_form(
            "/reports/skm/publish",
            As::Cookie(&head),
            &[("unit", UNIT), ("period", "2026-11")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(crate::helpers::location(&r).starts_with(&format!("/publik/{UNIT}?published=")));
    let r = app
        .post_form(
            "/reports/skm/publish",
            As::Cookie(&head),
            &[("unit", UNIT), ("period", "2099")],
        )
        .await;
    let back = crate::helpers::location(&r);
    assert!(back.contains("error=future-period"), "{back}");
    assert!(app
        .get_text(&back, &head)
        .await
        .contains("Tidak dipublikasikan"));
}
