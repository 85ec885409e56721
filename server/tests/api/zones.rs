//! Each unit on its own clock: a complaint received at 23.30 on a Thursday
//! in Jakarta is received at 01.30 on Friday in Jayapura, and its deadlines
//! count from that unit's own day, past a day off; the unit's people read
//! times in their zone, never in UTC.

use crate::complaints::{filed, view};
use crate::helpers::{location, As, Db, TestApp};
use suara::auth::Role;

crate::both!(a_wit_units_deadlines_and_times_are_its_own);

/// Thursday 19 November 2026, 16:30 UTC.
const LATE_THURSDAY_MS: i64 = 1_795_105_800_000;

async fn a_wit_units_deadlines_and_times_are_its_own(db: Db) {
    let app = TestApp::builder().spawn(db).await;
    let admin = app.session_cookie(Role::Admin, &[]).await;
    for (path, form) in [
        (
            "/admin/unit",
            vec![
                ("agency", "ditjen-imigrasi"),
                ("code", "kanim-jayapura"),
                ("name", "Kantor Imigrasi Kelas I TPI Jayapura"),
                ("time_zone", "Asia/Jayapura"),
                ("opening_hours", "08.00-15.00"),
            ],
        ),
        (
            "/admin/service",
            vec![
                ("unit", "kanim-jayapura"),
                ("code", "paspor-jayapura"),
                ("name", "Penerbitan Paspor"),
                ("questionnaire", "skm-2017"),
            ],
        ),
        // Monday 23 November a day off (collective leave of the test).
        (
            "/admin/calendar",
            vec![
                ("day", "2026-11-23"),
                ("kind", "collective_leave"),
                ("name", "Cuti bersama uji"),
            ],
        ),
    ] {
        let r = app.post_form(path, As::Cookie(&admin), &form).await;
        assert!(
            location(&r).starts_with("/admin?done="),
            "{path}: {}",
            location(&r)
        );
    }
    // A zone that is not Indonesia's is refused.
    let r = app
        .post_form(
            "/admin/unit",
            As::Cookie(&admin),
            &[
                ("agency", "ditjen-imigrasi"),
                ("code", "kanim-lain"),
                ("name", "Lain"),
                ("time_zone", "Europe/Paris"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/admin?error=bad-time-zone");
    // So are opening hours that close before they open.
    let r = app
        .post_form(
            "/admin/unit",
            As::Cookie(&admin),
            &[
                ("agency", "ditjen-imigrasi"),
                ("code", "kanim-lain"),
                ("name", "Lain"),
                ("opening_hours", "16.00-08.00"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/admin?error=bad-opening-hours");
    let refused = app.get_text("/admin?error=bad-opening-hours", &admin).await;
    assert!(
        refused.contains("Jam layanan ditulis seperti 08.00-16.00"),
        "{refused}"
    );

    // The Jayapura unit's head hears of its complaints (in the app).
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jayapura"])
        .await;
    let jakarta = filed(
        &app,
        "paspor-baru-jaksel",
        "Antrean panjang sekali di loket.",
    )
    .await;
    let jayapura = filed(&app, "paspor-jayapura", "Antrean panjang sekali di loket.").await;
    // Both received at the same instant: late Thursday in Jakarta, early
    // Friday in Jayapura.
    sqlx::query("UPDATE complaints SET state_since_ms = $1, received_at_ms = $1")
        .bind(LATE_THURSDAY_MS)
        .execute(app.store.pool())
        .await
        .unwrap();
    // Three working days, Monday off: from Thursday, Friday, Tuesday and
    // Wednesday; from Friday, Tuesday, Wednesday and Thursday.
    let jkt = view(&app, &jakarta).await;
    let jyp = view(&app, &jayapura).await;
    assert_eq!(jkt["deadline"], "2026-11-25", "{jkt}");
    assert_eq!(jyp["deadline"], "2026-11-26", "{jyp}");
    assert_eq!(jkt["time_zone"], "Asia/Jakarta");
    assert_eq!(jyp["time_zone"], "Asia/Jayapura");

    // The unit's page shows its own times: the citizen's phone said
    // 09:15 WIB (02:15 UTC), which is 11.15 in Jayapura.
    let page = app
        .get_text(&format!("/pengaduan/{jayapura}"), &admin)
        .await;
    assert!(page.contains("2026-11-20 11.15 WIT"), "{page}");
    assert!(page.contains("2026-11-26 (WIT)"));
    assert!(!page.contains(" UTC"), "no time in UTC on the page");
    let page = app.get_text(&format!("/pengaduan/{jakarta}"), &admin).await;
    assert!(page.contains("2026-11-20 09.15 WIB"), "{page}");

    // A rating with a comment, flagged: the dashboard's comments and the
    // integrity review show when it was answered in Jayapura's time.
    let sid = app.service_id("paspor-jayapura").await;
    let id = crate::helpers::new_id();
    let mut r = crate::helpers::response(&id, &sid, serde_json::json!({"U1": 2}));
    r["comment"] = serde_json::json!("Loket tutup lebih awal.");
    assert_eq!(app.post_results(vec![r]).await[0]["status"], "accepted");
    sqlx::query(
        "INSERT INTO response_flags (response_seq, reason, flagged_at_ms) \
         SELECT seq, 'burst', 0 FROM responses WHERE id = $1",
    )
    .bind(&id)
    .execute(app.store.pool())
    .await
    .unwrap();
    let comments = app
        .get_text("/dashboard?scope=unit.kanim-jayapura&tab=comments", &admin)
        .await;
    assert!(comments.contains("2026-11-20 11.15 WIT"), "{comments}");
    let flagged = app
        .get_text(
            "/integritas?unit=kanim-jayapura&from=2026-11-01&to=2026-11-30",
            &admin,
        )
        .await;
    assert!(flagged.contains("2026-11-20 11.15 WIT"), "{flagged}");
    assert!(!flagged.contains(" UTC"));
    // The unit's public complaint figures count its own working days: filed
    // late Thursday in Jakarta (early Friday in Jayapura), verified Thursday
    // 26 at 10.00 WIT — the fourth working day in Jakarta, the third in
    // Jayapura: in time.
    sqlx::query("UPDATE complaints SET submitted_at_ms = $1")
        .bind(LATE_THURSDAY_MS)
        .execute(app.store.pool())
        .await
        .unwrap();
    let r = app
        .post(
            &format!("/api/v1/complaints/{jayapura}/transitions"),
            As::Cookie(&admin),
        )
        .json(&serde_json::json!({"to": "diverifikasi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Verified then: its event, and the milestone kept with the complaint.
    let verified_at = LATE_THURSDAY_MS + 6 * 86_400_000 + 8 * 3_600_000 + 1_800_000;
    for sql in [
        "UPDATE complaint_events SET at_ms = $1 WHERE state = 'diverifikasi'",
        "UPDATE complaints SET first_verified_at_ms = $1",
    ] {
        sqlx::query(sql)
            .bind(verified_at)
            .execute(app.store.pool())
            .await
            .unwrap();
    }
    // Open311 says when it is expected at the end of the unit's own day.
    let jayapura_id: String = sqlx::query_scalar(
        "SELECT c.id FROM complaints c JOIN units u ON u.id = c.unit_id WHERE u.code = $1",
    )
    .bind("kanim-jayapura")
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    let open311: serde_json::Value = app
        .get(
            &format!("/open311/v2/requests/{jayapura_id}.json"),
            As::Nobody,
        )
        .await
        .json()
        .await
        .unwrap();
    let expected = open311[0]["expected_datetime"].as_str().unwrap_or_default();
    assert!(expected.ends_with("T23:59:59+09:00"), "{open311}");
    let public: serde_json::Value = app
        .get("/api/v1/public/units/kanim-jayapura", As::Nobody)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        public["complaints"]["verified_in_time_share"], 1.0,
        "{public}"
    );

    // A kiosk's closed hours are its unit's: Jakarta Selatan said no hours
    // (its night, 21.00 to 05.00 WIB, is closed); Jayapura is open 08.00 to
    // 15.00 WIT, an hour's margin either side.
    let jaksel = app.service_id("paspor-baru-jaksel").await;
    let mut kiosks = Vec::new();
    for (service, at, closed) in [
        // 04.30 WIB: night.
        (&jaksel, "2026-11-20T21:30:00Z", true),
        // 07.30 WIT: within the margin (05.30 in Jakarta would not be).
        (&sid, "2026-11-20T22:30:00Z", false),
        // 16.30 WIT: after hours, though not night.
        (&sid, "2026-11-20T07:30:00Z", true),
        // 14.30 WIB: open.
        (&jaksel, "2026-11-20T07:30:00Z", false),
    ] {
        let mut k = crate::helpers::response(
            &crate::helpers::new_id(),
            service,
            serde_json::json!({"U1": 4}),
        );
        k["channel"] = serde_json::json!("kiosk");
        k["answered_at"] = serde_json::json!(at);
        kiosks.push((k, closed));
    }
    app.post_results(kiosks.iter().map(|(k, _)| k.clone()).collect())
        .await;
    for (k, closed) in &kiosks {
        let flags: Vec<String> = sqlx::query_scalar(
            "SELECT f.reason FROM response_flags f JOIN responses r ON r.seq = f.response_seq \
             WHERE r.id = $1",
        )
        .bind(k["id"].as_str().unwrap())
        .fetch_all(app.store.pool())
        .await
        .unwrap();
        assert_eq!(
            flags.contains(&"closed-hours".to_owned()),
            *closed,
            "{}: {flags:?}",
            k["answered_at"]
        );
    }
    // Citizens read the hours on the unit's public page.
    let public: serde_json::Value = app
        .get("/api/v1/public/units/kanim-jayapura", As::Nobody)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["opening_hours"], "08.00–15.00 WIT", "{public}");
    let page = app.get_text("/publik/kanim-jayapura", "").await;
    assert!(page.contains("Jam layanan: 08.00–15.00 WIT"), "{page}");

    let heard = app.get_text("/notifikasi", &head).await;
    assert!(heard.contains("data-kind=\"complaint-filed\""), "{heard}");
    assert!(heard.contains(" WIT") && !heard.contains(" UTC"), "{heard}");
    app.finish().await;
}
