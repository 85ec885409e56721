//! The integrity monitor over HTTP: a unit head stuffing their own unit's
//! score from their phone is flagged, the figures leave the flagged
//! responses out unless asked, an auditor sees how many and why, and
//! nothing is dropped.

use crate::helpers::{new_id, problem, response, spawn_app, suara, As, Db};
use serde_json::{json, Value};
use suara::auth::Role;

crate::both!(a_scripted_stuffing_attempt_is_flagged_and_left_out_of_the_figures);

/// Nine items answered `score`.
fn all_items(score: u8) -> Value {
    json!({"U1": score, "U2": score, "U3": score, "U4": score, "U5": score,
           "U6": score, "U7": score, "U8": score, "U9": score})
}

async fn a_scripted_stuffing_attempt_is_flagged_and_left_out_of_the_figures(db: Db) {
    let app = spawn_app(db).await;
    let service = app.service_id("paspor-baru-jaksel").await;
    let head = app.token(Role::UnitHead, &["kanim-jakarta-selatan"]).await;
    let auditor = app.token(Role::Auditor, &[]).await;

    // Twelve honest citizens over twelve days, each on their own phone.
    let honest: Vec<Value> = (0..12u32)
        .map(|i| {
            let mut r = response(
                &new_id(),
                &service,
                json!({"U1": 1 + i % 4, "U2": 2 + i % 3, "U3": 3, "U4": 2, "U5": 3,
                       "U6": 3, "U7": 2, "U8": 3, "U9": 1 + i % 2}),
            );
            r["answered_at"] = json!(format!("2026-11-{:02}T09:30:00+07:00", i + 1));
            r["device_id"] = json!(new_id());
            r
        })
        .collect();
    assert!(app
        .post_results(honest)
        .await
        .iter()
        .all(|r| r["status"] == "accepted"));

    // The unit head's phone: sixty perfect answer sheets within two hours.
    let phone = new_id();
    let stuffed: Vec<Value> = (0..60u32)
        .map(|i| {
            let mut r = response(&new_id(), &service, all_items(4));
            r["answered_at"] = json!(format!(
                "2026-11-20T{:02}:{:02}:00+07:00",
                13 + i / 30,
                2 * (i % 30)
            ));
            r["device_id"] = json!(phone);
            r
        })
        .collect();
    let results = app.post_results(stuffed).await;
    // Nothing is refused or dropped: every one is accepted and stored.
    assert!(results.iter().all(|r| r["status"] == "accepted"));
    let stored = app
        .count(
            "SELECT COUNT(*) FROM responses WHERE device_id = $1",
            &phone,
        )
        .await;
    assert_eq!(stored, 60);

    let period = "unit=kanim-jakarta-selatan&from=2026-11-01&to=2026-11-30";
    // By default the figures leave the flagged responses out, and say so.
    let default = app.summary_json(period, As::Token(&head)).await;
    assert_eq!(default["flagged"]["figures"], "exclude");
    assert_eq!(
        default["flagged"]["responses"], 57,
        "{}",
        default["flagged"]
    );
    assert_eq!(default["flagged"]["by_reason"]["same-device"], 57);
    assert_eq!(default["flagged"]["by_reason"]["identical-run"], 41);
    assert!(default["flagged"]["by_reason"].get("burst").is_none());
    assert_eq!(default["n"], 12 + 3);

    // Asked, they count them: the stuffing would have lifted the index.
    let with = app
        .summary_json(&format!("{period}&flagged=include"), As::Token(&head))
        .await;
    assert_eq!(with["flagged"]["figures"], "include");
    assert_eq!(with["n"], 72);
    assert!(
        with["index"].as_f64().unwrap() > default["index"].as_f64().unwrap() + 10.0,
        "with {} without {}",
        with["index"],
        default["index"]
    );

    // A breakdown and a series leave them out the same way.
    let by_sex = app
        .summary_json(&format!("{period}&group=sex&by=week"), As::Token(&head))
        .await;
    assert_eq!(by_sex["n"], 15);
    let series_n: u64 = by_sex["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["n"].as_u64().unwrap())
        .sum();
    assert_eq!(series_n, 15);

    // An auditor sees the same counts, for any scope.
    let agency = app
        .summary_json(
            "agency=ditjen-imigrasi&from=2026-11-01&to=2026-11-30",
            As::Token(&auditor),
        )
        .await;
    assert_eq!(agency["flagged"]["responses"], 57);

    // The unit head's dashboard says so, and offers the other view.
    let cookie = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let page = "/dashboard?scope=unit.kanim-jakarta-selatan&from=2026-11-01&to=2026-11-30";
    let html = app.get_text(page, &cookie).await;
    assert!(
        html.contains(r#"data-figure="flagged-responses">57<"#),
        "{html}"
    );
    assert!(html.contains(r#"data-figure="scope-responses">15<"#));
    assert!(html.contains(r#"data-mode="exclude""#));
    assert!(html.contains(r#"data-reason="same-device""#));
    assert!(html.contains("&amp;flagged=include") || html.contains("&flagged=include"));
    let html = app
        .get_text(&format!("{page}&flagged=include"), &cookie)
        .await;
    assert!(html.contains(r#"data-figure="scope-responses">72<"#));
    assert!(html.contains(r#"data-mode="include""#));
    assert!(html.contains(r#"name="flagged" value="include""#));

    // The SKM report states it too.
    let report = app
        .get_text(
            "/reports/skm?unit=kanim-jakarta-selatan&period=2026-11",
            &cookie,
        )
        .await;
    assert!(
        report.contains("57 tanggapan ditandai pemantau integritas dan tidak dihitung"),
        "{report}"
    );
    assert!(report.contains(r#"data-mode="exclude""#));
    // …and counts them when asked, saying so.
    let other = "/reports/skm?unit=kanim-jakarta-selatan&amp;period=2026-11&amp;flagged=include";
    assert!(report.contains(other), "{report}");
    let counted = app.get_text(&other.replace("&amp;", "&"), &cookie).await;
    assert!(counted.contains("57 tanggapan ditandai pemantau integritas dan ikut dihitung"));
    assert!(counted.contains(r#"data-mode="include""#));
    assert!(
        counted.contains(r#"data-figure="respondents">72<"#)
            && report.contains(r#"data-figure="respondents">15<"#),
        "{counted}"
    );

    // A bad value is refused in words.
    let bad = app
        .summary(&format!("{period}&flagged=maybe"), As::Token(&head))
        .await;
    let p = problem(bad, 400).await;
    assert!(p["detail"].as_str().unwrap().contains("include or exclude"));

    // A device id that is not a UUID is refused, the rest of the batch kept.
    let mut odd = response(&new_id(), &service, json!({"U1": 3}));
    odd["device_id"] = json!("my-phone");
    let fine = response(&new_id(), &service, json!({"U1": 3}));
    let results = app.post_results(vec![odd, fine]).await;
    assert_eq!(results[0]["status"], "rejected");
    assert_eq!(results[1]["status"], "accepted");

    // The flagged responses, listed for review: the unit head sees their
    // unit's, and may not clear one; an auditor may, with a reason.
    let listed: Value = app
        .get(
            "/api/v1/flags?unit=kanim-jakarta-selatan&from=2026-11-01&to=2026-11-30",
            As::Token(&head),
        )
        .await
        .json()
        .await
        .unwrap();
    let listed = listed["flagged"].as_array().unwrap().clone();
    assert_eq!(listed.len(), 57);
    assert_eq!(listed[0]["device_id"], json!(phone));
    assert_eq!(
        listed[56]["reasons"],
        json!(["same-device", "identical-run"])
    );
    let other = app.token(Role::UnitHead, &["kanim-bandung"]).await;
    let r = app
        .get(
            "/api/v1/flags?unit=kanim-jakarta-selatan",
            As::Token(&other),
        )
        .await;
    problem(r, 403).await;
    let target = listed[56]["id"].as_str().unwrap().to_owned();
    let clear = |who: String, reason: &'static str| {
        let app = &app;
        let target = target.clone();
        async move {
            app.post(&format!("/api/v1/flags/{target}/clear"), As::Token(&who))
                .json(&json!({ "reason": reason }))
                .send()
                .await
                .unwrap()
        }
    };
    let p = problem(clear(head.clone(), "saya yakin asli").await, 403).await;
    assert!(p["detail"].as_str().unwrap().contains("auditor"));
    problem(clear(auditor.clone(), "  ").await, 400).await;
    let done = clear(
        auditor.clone(),
        "Checked with the counter's log: a citizen who came back for her family",
    )
    .await;
    assert_eq!(done.status(), 200);
    let done: Value = done.json().await.unwrap();
    assert_eq!(done["cleared"], json!(["same-device", "identical-run"]));
    problem(clear(auditor.clone(), "again").await, 409).await;

    // Cleared, it counts again in the default figures; the log says who and why.
    let after = app.summary_json(period, As::Token(&head)).await;
    // (15, the response sent with a good device id above, and this one.)
    assert_eq!(after["n"], 17);
    assert_eq!(after["flagged"]["responses"], 56);
    let log = app.audited_changes().await;
    assert!(
        log.iter().any(|e| e.action == "clear-flags"
            && e.after
                .as_deref()
                .unwrap_or("")
                .contains("a citizen who came back")),
        "{log:?}"
    );

    // The review page: the dashboard links to it; the unit head sees the
    // list and no way to clear; an auditor clears one there, with a reason.
    let html = app.get_text(page, &cookie).await;
    assert!(
        html.contains(
            r#"href="/integritas?unit=kanim-jakarta-selatan&amp;from=2026-11-01&amp;to=2026-11-30""#
        ),
        "{html}"
    );
    let review = "/integritas?unit=kanim-jakarta-selatan&from=2026-11-01&to=2026-11-30";
    let html = app.get_text(review, &cookie).await;
    assert_eq!(html.matches("<li data-response=").count(), 56, "{html}");
    assert!(html.contains(r#"data-may-clear="false""#));
    assert!(!html.contains("/clear\""));
    assert!(!html.contains(r#"class="clear-flags""#));
    let watcher = app.session_cookie(Role::Auditor, &[]).await;
    let html = app.get_text(review, &watcher).await;
    assert_eq!(html.matches(r#"class="clear-flags""#).count(), 56);
    assert!(html.contains(r#"data-reason="identical-run""#));
    let second = listed[55]["id"].as_str().unwrap().to_owned();
    let form = [
        ("reason", ""),
        ("unit", "kanim-jakarta-selatan"),
        ("from", "2026-11-01"),
        ("to", "2026-11-30"),
    ];
    let refused = app
        .post_form(
            &format!("/integritas/{second}/clear"),
            As::Cookie(&watcher),
            &form,
        )
        .await;
    assert_eq!(refused.status(), 303);
    let back = crate::helpers::location(&refused);
    assert!(back.ends_with("&error=reason-needed"), "{back}");
    let html = app.get_text(&back, &watcher).await;
    assert!(html.contains(r#"data-notice="reason-needed""#), "{html}");
    assert_eq!(html.matches("<li data-response=").count(), 56);
    let mut form = form;
    form[0].1 = "Two relatives served together; the counter's log shows both";
    let head_tries = app
        .post_form(
            &format!("/integritas/{second}/clear"),
            As::Cookie(&cookie),
            &form,
        )
        .await;
    assert!(crate::helpers::location(&head_tries).ends_with("&error=forbidden"));
    let done = app
        .post_form(
            &format!("/integritas/{second}/clear"),
            As::Cookie(&watcher),
            &form,
        )
        .await;
    let back = crate::helpers::location(&done);
    assert_eq!(
        back,
        "/integritas?unit=kanim-jakarta-selatan&from=2026-11-01&to=2026-11-30&done=1"
    );
    let html = app.get_text(&back, &watcher).await;
    assert!(html.contains(r#"data-notice="cleared""#));
    assert_eq!(html.matches("<li data-response=").count(), 55);
    assert!(!html.contains(&format!(r#"data-response="{second}""#)));
    let after = app.summary_json(period, As::Token(&head)).await;
    assert_eq!(after["n"], 18);
    // Signed out, the page asks to sign in first.
    let (status, to) = app.signed_out_redirect(review).await;
    assert_eq!(status, 303);
    assert!(to.starts_with("/login?next="), "{to}");

    // Exports carry each response's device and standing flags, and still
    // verify: the device id is part of what its hash covers, the flags not.
    let (headers, csv) = crate::chain::download(&app, &auditor, "?format=csv").await;
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains(",device_id,") && header.ends_with(",flags"),
        "{header}"
    );
    let flagged_rows = csv
        .lines()
        .filter(|l| l.ends_with(",\"same-device,identical-run\"") || l.ends_with(",same-device"))
        .count();
    assert_eq!(flagged_rows, 55);
    assert_eq!(csv.matches(phone.as_str()).count(), 60);
    let manifest = crate::chain::manifest_of(&app, &auditor, &headers).await;
    let dir = tempfile::tempdir().unwrap();
    crate::chain::verified(&crate::chain::write(&dir, "all.csv", &csv), Some(&manifest));

    // The roll-ups with their flagged slices are what a rebuild makes.
    let url = app.database_url.clone();
    let out = tokio::task::spawn_blocking(move || {
        suara(["--database-url", url.as_str(), "rollups", "rebuild"], None)
    })
    .await
    .unwrap()
    .unwrap();
    assert!(out.contains("unchanged"), "{out}");
    app.finish().await;
}
