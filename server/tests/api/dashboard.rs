//! The unit head's dashboard as the server renders it: change against the
//! previous period with alerts, the trend chart, the equity tab, and the
//! scope a unit head may not leave.

use crate::helpers::{new_id, response, spawn_app, As, Db};
use serde_json::{json, Value};
use suara::auth::Role;

crate::both!(
    overview_shows_change_alerts_weakest_item_trend_and_equity,
    the_running_week_is_shown_so_far_and_never_alerted_on,
    unit_head_cannot_open_another_units_figures,
    events_announce_accepted_responses_within_the_listeners_scope,
    comments_come_newest_first_filtered_by_item_score_and_days,
    equity_shows_the_fair_and_non_discriminatory_standards_per_group,
);

/// A response to `service` answered on `day` (UTC) with U1 = `u1` and the
/// other items high, by a respondent of `sex` ("" for not stated).
fn answered(service: &str, day: &str, u1: u8, sex: &str) -> Value {
    let mut r = response(
        &new_id(),
        service,
        json!({"U1": u1, "U2": 4, "U3": 4, "U4": 3, "U5": 4, "U6": 4, "U7": 3, "U8": 4, "U9": 4}),
    );
    r["answered_at"] = json!(format!("{day}T10:00:00Z"));
    if !sex.is_empty() {
        r["respondent"] = json!({ "sex": sex });
    }
    r
}

async fn overview_shows_change_alerts_weakest_item_trend_and_equity(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    // October: requirements (U1) fine; November: they collapse. Enough
    // responses in each month for an alert (MIN_ALERT_RESPONSES).
    let mut batch: Vec<Value> = (0..32)
        .map(|i| {
            answered(
                &sid,
                "2026-10-10",
                3 + (i % 2),
                if i < 20 { "female" } else { "male" },
            )
        })
        .collect();
    batch.extend((0..32).map(|i| {
        answered(
            &sid,
            "2026-11-10",
            1 + (i % 2),
            if i < 22 { "female" } else { "male" },
        )
    }));
    // Three who did not say: a group too small to show.
    batch.extend((0..3).map(|_| answered(&sid, "2026-11-11", 2, "")));
    app.post_results(batch).await;

    // The API carries the same comparison.
    let admin = app.token(Role::Admin, &[]).await;
    let s: Value = app
        .summary_json("service=paspor-baru-jaksel&by=month", As::Token(&admin))
        .await;
    let change = &s["change"];
    assert_eq!(change["period"], "2026-11");
    assert_eq!(change["previous"], "2026-10");
    let u1 = change["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["code"] == "U1")
        .unwrap();
    let fell = u1["nrr"]["estimate"].as_f64().unwrap();
    assert!((fell - (1.5 - 3.5 - 0.0)).abs() < 0.2, "{u1}");
    let alerts = change["alerts"].as_array().unwrap();
    assert!(
        alerts
            .iter()
            .any(|a| a["kind"] == "item-fell" && a["code"] == "U1"),
        "{alerts:?}"
    );
    assert!(
        alerts.iter().all(|a| a["code"] != "U2"),
        "an unchanged item raises no alert: {alerts:?}"
    );

    let cookie = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let page = app
        .get_text(
            "/dashboard?scope=service.paspor-baru-jaksel&by=month",
            &cookie,
        )
        .await;
    assert!(
        page.contains("data-figure=\"scope-responses\">67<"),
        "{page}"
    );
    assert!(
        page.contains("data-flag=\"change-real\""),
        "the fall is real"
    );
    assert!(page.contains("2026-11"), "{page}");
    // The weakest item is the requirements item, named in the page's language.
    let weakest = page.split("data-figure=\"weakest\"").nth(1).unwrap();
    assert!(weakest[..300].contains("Persyaratan"), "{weakest}");
    let alerts = page.split("data-figure=\"alerts\"").nth(1).unwrap();
    assert!(alerts[..400].contains("Persyaratan"), "{alerts}");

    let trend = app
        .get_text(
            "/dashboard?scope=service.paspor-baru-jaksel&by=month&tab=trend",
            &cookie,
        )
        .await;
    assert!(trend.contains("data-figure=\"trend-chart\""));
    assert!(
        trend.contains("class=\"band\""),
        "the interval band is drawn"
    );
    assert!(trend.contains("<th scope=\"row\">2026-10</th>"));
    assert!(trend.contains("aria-current=\"page\""));

    let equity = app
        .get_text(
            "/dashboard?scope=service.paspor-baru-jaksel&by=month&tab=equity&group=sex",
            &cookie,
        )
        .await;
    assert!(equity.contains("data-figure=\"equity-table\""));
    let other = equity.split("data-group=\"not-stated\"").nth(1).unwrap();
    assert!(other[..300].contains("data-flag=\"suppressed\""), "{other}");
    let female = equity.split("data-group=\"female\"").nth(1).unwrap();
    assert!(female[..300].contains("42"), "{}", &female[..300]);
    assert!(
        equity.contains("<th scope=\"row\">Perempuan</th>"),
        "groups are named in the page's language"
    );
    assert!(equity.contains("<th scope=\"row\">Tidak diisi</th>"));
    app.finish().await;
}

/// The alert that cried wolf: on a Monday this week holds two identical low
/// ratings. The change compares the last two complete weeks; this week is
/// shown "so far" and raises nothing.
async fn the_running_week_is_shown_so_far_and_never_alerted_on(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    let now = time::OffsetDateTime::now_utc() - time::Duration::seconds(5);
    let at = |t: time::OffsetDateTime, u1: u8| {
        let mut r = answered(&sid, "2026-01-01", u1, "");
        r["answered_at"] = json!(t
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap());
        r
    };
    let mut batch: Vec<Value> = Vec::new();
    for weeks_ago in [2, 1] {
        let t = now - time::Duration::weeks(weeks_ago);
        batch.extend((0..40).map(|i| at(t, 3 + (i % 2) as u8)));
    }
    batch.extend((0..2).map(|_| at(now, 1)));
    app.post_results(batch).await;

    let label = |t: time::OffsetDateTime| {
        let (year, week, _) = t.date().to_iso_week_date();
        format!("{year}-W{week:02}")
    };
    let admin = app.token(Role::Admin, &[]).await;
    let s: Value = app
        .summary_json("service=paspor-baru-jaksel&by=week", As::Token(&admin))
        .await;
    let change = &s["change"];
    assert_eq!(
        change["period"],
        label(now - time::Duration::weeks(1)),
        "{change}"
    );
    assert_eq!(change["previous"], label(now - time::Duration::weeks(2)));
    assert_eq!(change["so_far"], label(now));
    assert_eq!(change["alerts"], json!([]), "{change}");
    let series = s["series"].as_array().unwrap();
    let last = series.last().unwrap();
    assert_eq!(last["period"], label(now));
    assert_eq!(
        (last["complete"].clone(), last["n"].clone()),
        (json!(false), json!(2))
    );
    assert!(series[..series.len() - 1]
        .iter()
        .all(|p| p["complete"] == true));

    let cookie = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let page = app
        .get_text(
            "/dashboard?scope=service.paspor-baru-jaksel&by=week",
            &cookie,
        )
        .await;
    assert!(page.contains("Tidak ada peringatan."), "{page}");
    assert!(page.contains("data-figure=\"so-far\""));
    let trend = app
        .get_text(
            "/dashboard?scope=service.paspor-baru-jaksel&by=week&tab=trend",
            &cookie,
        )
        .await;
    let running = trend.split("data-complete=\"false\"").nth(1).unwrap();
    assert!(running[..200].contains("(sejauh ini)"), "{running}");
    app.finish().await;
}

async fn unit_head_cannot_open_another_units_figures(db: Db) {
    let app = spawn_app(db).await;
    let cookie = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    for path in [
        "/dashboard?scope=unit.disdukcapil-bandung",
        "/dashboard?scope=service.ktp-el-bandung&tab=trend",
    ] {
        let r = app.get(path, As::Cookie(&cookie)).await;
        assert_eq!(r.status(), 403, "{path}");
        let html = r.text().await.unwrap();
        assert!(!html.contains("data-figure=\"scope-index\""), "{path}");
        assert!(!html.contains("Perekaman dan Pencetakan KTP-el"), "{path}");
    }
    // Their own unit, and the picker offers nothing else.
    let own = app
        .get_text("/dashboard?scope=unit.kanim-jakarta-selatan", &cookie)
        .await;
    assert!(own.contains("data-figure=\"scope-index\""));
    assert!(!own.contains("value=\"unit.disdukcapil-bandung\""));
    assert!(own.contains("value=\"service.paspor-baru-jaksel\""));
    // Signed out, no figures at all: sign in first, then back to this view.
    let anon = app
        .get_text("/dashboard?scope=unit.kanim-jakarta-selatan", "")
        .await;
    assert!(!anon.contains("data-figure=\"scope-index\""));
    assert_eq!(
        app.signed_out_redirect("/dashboard?scope=unit.kanim-jakarta-selatan")
            .await,
        (
            303,
            "/login?next=%2Fdashboard%3Fscope%3Dunit.kanim-jakarta-selatan".to_owned()
        )
    );
    app.finish().await;
}

/// The text of the event stream until `want` appears (or 10 s pass).
pub async fn read_until(stream: &mut reqwest::Response, want: &str) -> String {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !seen.contains(want) {
        match tokio::time::timeout_at(deadline, stream.chunk()).await {
            Ok(Ok(Some(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            _ => break,
        }
    }
    seen
}

async fn events_announce_accepted_responses_within_the_listeners_scope(db: Db) {
    let app = spawn_app(db).await;
    let mine = app.service_id("paspor-baru-jaksel").await;
    let theirs = app.service_id("ktp-el-bandung").await;
    let r = app.get("/api/v1/events", As::Nobody).await;
    assert_eq!(r.status(), 401, "no account, no feed");

    let cookie = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let mut feed = app.get("/api/v1/events", As::Cookie(&cookie)).await;
    assert_eq!(feed.status(), 200);
    assert!(feed.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    // Another unit's response first, then one of theirs, then a resend.
    let first = response(&new_id(), &theirs, json!({"U1": 2}));
    app.post_results(vec![first]).await;
    let own = response(&new_id(), &mine, json!({"U1": 4}));
    app.post_results(vec![own.clone()]).await;
    let seen = read_until(&mut feed, "paspor-baru-jaksel").await;
    assert!(seen.contains("event: response"), "{seen}");
    assert!(
        seen.contains(r#"data: {"service":"paspor-baru-jaksel"}"#),
        "{seen}"
    );
    assert!(
        !seen.contains("ktp-el-bandung"),
        "another unit's service is not announced: {seen}"
    );
    // A duplicate stores nothing new, so it announces nothing.
    let results = app.post_results(vec![own]).await;
    assert_eq!(results[0]["status"], "duplicate");
    // Events keep their order: a marker from the unit's other service comes
    // after whatever the duplicate would have announced.
    let other = app.service_id("paspor-hilang-jaksel").await;
    let marker = response(&new_id(), &other, json!({"U2": 3}));
    app.post_results(vec![marker]).await;
    let more = read_until(&mut feed, "paspor-hilang-jaksel").await;
    assert!(more.contains("paspor-hilang-jaksel"), "{more}");
    assert!(!more.contains("paspor-baru-jaksel"), "{more}");
    // A complaint is announced too, by its own name.
    let code = crate::complaints::new_code();
    let filed = crate::complaints::complaint(&mine, &code, "Antrean tidak bergerak satu jam.");
    let r = app
        .http
        .post(app.url("/api/v1/complaints"))
        .json(&json!({ "complaints": [filed] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let complaint = read_until(&mut feed, "event: complaint").await;
    assert!(complaint.contains("event: complaint"), "{complaint}");
    assert!(
        complaint.contains(r#"data: {"service":"paspor-baru-jaksel"}"#),
        "{complaint}"
    );
    app.finish().await;
}

async fn comments_come_newest_first_filtered_by_item_score_and_days(db: Db) {
    let app = spawn_app(db).await;
    let mine = app.service_id("paspor-baru-jaksel").await;
    let theirs = app.service_id("ktp-el-bandung").await;
    let said = |service: &str, day: &str, u1: u8, comment: &str| {
        let mut r = answered(service, day, u1, "");
        r["comment"] = json!(comment);
        r
    };
    app.post_results(vec![
        said(&mine, "2026-10-10", 1, "Antrean panjang sekali"),
        said(&mine, "2026-11-10", 4, "Cepat dan ramah"),
        said(
            &mine,
            "2026-11-12",
            1,
            "Berkas saya hilang <script>alert(1)</script>",
        ),
        said(&theirs, "2026-11-12", 1, "Komentar unit lain"),
        answered(&mine, "2026-11-13", 2, ""),
    ])
    .await;
    let cookie = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let page = |q: &'static str| {
        let (app, cookie) = (&app, cookie.clone());
        async move {
            app.get_text(&format!("/dashboard?tab=comments{q}"), &cookie)
                .await
        }
    };
    let at = |html: &str, text: &str| html.find(text);

    let all = page("").await;
    let (c, b, a) = (
        at(&all, "Berkas saya hilang").unwrap(),
        at(&all, "Cepat dan ramah").unwrap(),
        at(&all, "Antrean panjang").unwrap(),
    );
    assert!(c < b && b < a, "newest first");
    assert!(
        !all.contains("Komentar unit lain"),
        "another unit's comment"
    );
    assert!(
        all.contains("&lt;script&gt;") && !all.contains("<script>alert"),
        "escaped"
    );
    assert!(
        all.contains("2026-11-12 17.00 WIB"),
        "in the unit's own time"
    );

    let low = page("&item=U1&score=1").await;
    assert!(low.contains("Berkas saya hilang") && low.contains("Antrean panjang"));
    assert!(!low.contains("Cepat dan ramah"), "U1 = 4 is filtered out");

    let november = page("&from=2026-11-01&to=2026-11-30").await;
    assert!(november.contains("Berkas saya hilang") && november.contains("Cepat dan ramah"));
    assert!(
        !november.contains("Antrean panjang"),
        "October is outside the days"
    );
    // The figures follow the same days: three November responses of theirs.
    assert!(
        november.contains("data-figure=\"scope-responses\">3<"),
        "{november}"
    );

    let bad = app
        .get(
            "/dashboard?tab=comments&from=2026-11-30&to=2026-11-01",
            As::Cookie(&cookie),
        )
        .await;
    assert_eq!(bad.status(), 400);
    app.finish().await;
}

async fn equity_shows_the_fair_and_non_discriminatory_standards_per_group(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("itas-bandung").await;
    let rated = |sex: &str, v: u8| {
        let mut r = response(
            &new_id(),
            &sid,
            json!({"fair": v, "non-discriminatory": v, "responsive": 3}),
        );
        r["questionnaire_id"] = json!("etika-pelayanan");
        r["respondent"] = json!({ "sex": sex });
        r
    };
    let mut batch: Vec<Value> = (0..12).map(|_| rated("female", 4)).collect();
    batch.extend((0..12).map(|_| rated("male", 2)));
    let results = app.post_results(batch).await;
    assert!(
        results.iter().all(|r| r["status"] == "accepted"),
        "{results:?}"
    );
    let cookie = app.session_cookie(Role::Admin, &[]).await;
    let html = app
        .get_text(
            "/dashboard?scope=service.itas-bandung&tab=equity&group=sex",
            &cookie,
        )
        .await;
    assert!(html.contains("Adil: rata-rata (selisih)"), "{html}");
    let row = |group: &str| {
        let tail = html
            .split(&format!("data-group=\"{group}\""))
            .nth(1)
            .unwrap();
        tail[..tail.find("</tr>").unwrap()].to_owned()
    };
    let (female, male) = (row("female"), row("male"));
    assert!(female.contains("data-item=\"fair\">4.00<"), "{female}");
    // The smaller group against the reference (the larger, or first on a tie).
    assert!(
        male.contains("data-item=\"non-discriminatory\">2.00 (-2.00)<")
            || female.contains("data-item=\"non-discriminatory\">4.00 (+2.00)<"),
        "{female} {male}"
    );
    // SKM services have no such items: no such columns.
    let skm = app
        .get_text(
            "/dashboard?scope=service.paspor-baru-jaksel&tab=equity",
            &cookie,
        )
        .await;
    assert!(!skm.contains("Adil: rata-rata"));
    app.finish().await;
}
