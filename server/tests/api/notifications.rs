//! Notifications reach the people a complaint needs, by e-mail through a
//! real SMTP server, once: in their language, with a one-click unsubscribe
//! and links to the page that needs them; nothing is lost while the mail
//! server is away, and two replicas send each message once.

use crate::complaints::filed;
use crate::helpers::{As, Db, Received, Replica, Sent, Smtp, TestApp};
use serde_json::json;
use std::time::Duration;
use suara::auth::Role;

crate::both!(
    a_complaint_reaches_its_unit_heads_inbox_once_in_their_language,
    the_mail_server_away_loses_nothing_and_sends_nothing_twice,
    an_invitation_is_e_mailed_with_its_link,
    a_backlog_older_than_three_days_is_not_mailed_late,
    deadlines_near_and_passed_reach_the_unit_once_each,
    a_daily_digest_gathers_the_days_notifications_into_one_message,
    a_units_week_reaches_its_heads_once_on_monday_in_their_language,
);

/// The sender the server runs, on the test's store, every 300 ms.
fn send_from(app: &TestApp, smtp: &Smtp) {
    let mail = suara::config::MailConfig {
        smtp_url: smtp.url(),
        from: "Suara Test <suara@test.example>".into(),
    };
    let mailer = suara::notifications::Mailer::new(&mail, &app.base).unwrap();
    tokio::spawn(suara::notifications::run(
        app.store.clone(),
        mailer,
        Duration::from_millis(300),
    ));
}

/// A unit head of `units` with e-mail `email`, and their session cookie.
async fn unit_head(app: &TestApp, email: &str, units: &[&str]) -> String {
    let units: Vec<String> = units.iter().map(|u| u.to_string()).collect();
    let id = app
        .store
        .add_account(email, Role::UnitHead, "long enough password", &units)
        .await
        .unwrap();
    format!(
        "suara_session={}",
        app.store.create_session(id).await.unwrap()
    )
}

fn to<'a>(mail: &'a [Received], who: &str) -> Vec<&'a Received> {
    mail.iter().filter(|m| m.to.contains(who)).collect()
}

async fn a_complaint_reaches_its_unit_heads_inbox_once_in_their_language(db: Db) {
    let smtp = Smtp::start().await;
    let app = TestApp::builder().mail(&smtp).spawn(db).await;
    let siti = unit_head(&app, "siti@test.example", &["kanim-jakarta-selatan"]).await;
    let john = unit_head(&app, "john@test.example", &["kanim-jakarta-selatan"]).await;
    unit_head(&app, "bandung@test.example", &["kanim-bandung"]).await;
    // John reads English.
    let r = app
        .post("/notifikasi", As::Cookie(&john))
        .form(&[("lang", "en"), ("complaint-filed", "immediate")])
        .sent()
        .await;
    assert_eq!(r.headers()["location"], "/notifikasi?saved=1");
    send_from(&app, &smtp);

    let code = filed(
        &app,
        "paspor-baru-jaksel",
        "Loket 3 tutup, nomor saya 081234567890.",
    )
    .await;
    // Siti, John and the demo's head of Jakarta Selatan; nobody at Bandung.
    let mail = smtp.wait_for(3, Duration::from_secs(20)).await;
    assert_eq!(mail.len(), 3, "{mail:#?}");
    assert_eq!(to(&mail, "kepala.jaksel@").len(), 1);
    let (id, en) = (to(&mail, "siti@"), to(&mail, "john@"));
    assert_eq!(
        (id.len(), en.len()),
        (1, 1),
        "one each, and none to Bandung"
    );
    assert_eq!(id[0].subject, format!("Pengaduan baru {code}"));
    assert_eq!(en[0].subject, format!("New complaint {code}"));
    assert!(
        en[0].text.contains("Verify it within 3 working days"),
        "{}",
        en[0].text
    );
    for m in [id[0], en[0]] {
        let link = format!("{}/pengaduan/{code}", app.base);
        assert!(m.text.contains(&link), "{}", m.text);
        assert!(m.html.contains(&format!("href=\"{link}\"")), "{}", m.html);
        assert!(
            !m.text.contains("081234567890"),
            "the complaint's words stay out of e-mail"
        );
        assert_eq!(m.list_unsubscribe_post, "List-Unsubscribe=One-Click");
        assert!(m
            .unsubscribe_url()
            .starts_with(&format!("{}/notifikasi/berhenti/", app.base)));
        assert!(m.message_id.starts_with('<') && m.message_id.ends_with("@127.0.0.1>"));
    }
    assert_ne!(id[0].message_id, en[0].message_id);
    // The link opens the complaint for its unit head.
    let page = app
        .get(&format!("/pengaduan/{code}"), As::Cookie(&siti))
        .await;
    assert_eq!(page.status(), 200);

    // Opening the unsubscribe link changes nothing; the one-click post
    // (a mail client's: no cookie, no page) stops the kind.
    let unsub = id[0].unsubscribe_url();
    let path = unsub.trim_start_matches(&app.base);
    let opened = app.get(path, As::Nobody).await;
    assert_eq!(opened.status(), 200);
    assert!(opened.text().await.unwrap().contains("Hentikan pesan ini"));
    let clicked = app
        .http
        .post(&unsub)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .sent()
        .await;
    assert_eq!(clicked.status(), 200);
    let forged = app
        .http
        .post(format!(
            "{}/notifikasi/berhenti/not-a-token-anyone-had",
            app.base
        ))
        .body("List-Unsubscribe=One-Click")
        .sent()
        .await;
    assert_eq!(forged.status(), 404);

    // Forwarded to Bandung: its head hears of it; a new complaint at Jakarta
    // Selatan reaches John only.
    let admin = app.token(Role::Admin, &[]).await;
    let r = app
        .post(
            &format!("/api/v1/complaints/{code}/transitions"),
            As::Token(&admin),
        )
        .json(&json!({"to": "dialihkan", "unit": "kanim-bandung", "note": "Loket paspor Bandung."}))
        .sent()
        .await;
    assert_eq!(r.status(), 200);
    let second = filed(
        &app,
        "paspor-baru-jaksel",
        "Antrean tidak bergerak satu jam.",
    )
    .await;
    // The forward to Bandung's head; the new complaint to John and the
    // demo's head, not to Siti.
    let mail = smtp.wait_for(6, Duration::from_secs(20)).await;
    assert_eq!(mail.len(), 6, "{mail:#?}");
    let bandung = to(&mail, "bandung@");
    assert_eq!(bandung.len(), 1);
    assert_eq!(
        bandung[0].subject,
        format!("Pengaduan {code} dialihkan ke unit Anda")
    );
    assert_eq!(
        to(&mail, "siti@").len(),
        1,
        "Siti turned new complaints off"
    );
    let john_now = to(&mail, "john@");
    assert!(john_now
        .iter()
        .any(|m| m.subject == format!("New complaint {second}")));

    // Siti's page lists what reached her, and her choice.
    let page = app.get_text("/notifikasi", &siti).await;
    assert!(page.contains("data-figure=\"notifications\""), "{page}");
    assert!(page.contains(&code));
    let filed_choice = page.split("name=\"complaint-filed\"").nth(1).unwrap();
    let select = filed_choice.split("</select>").next().unwrap();
    assert!(select.contains("value=\"off\" selected"), "{select}");
    app.finish().await;
}

async fn the_mail_server_away_loses_nothing_and_sends_nothing_twice(db: Db) {
    let mut smtp = Smtp::start().await;
    let app = TestApp::builder().mail(&smtp).spawn(db).await;
    let cookie = unit_head(&app, "siti@test.example", &["kanim-jakarta-selatan"]).await;
    smtp.stop();
    send_from(&app, &smtp);
    let mut codes = Vec::new();
    for i in 0..3 {
        codes.push(
            filed(
                &app,
                "paspor-baru-jaksel",
                &format!("Pengaduan nomor {i} tentang antrean."),
            )
            .await,
        );
    }
    // Tried and failed, and said so on the page.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let page = app.get_text("/notifikasi", &cookie).await;
    assert!(page.contains("belum terkirim, dicoba lagi"), "{page}");
    smtp.restart().await;
    // Each complaint to Siti and to the demo's head of the unit, once.
    let mail = smtp.wait_for(6, Duration::from_secs(30)).await;
    assert_eq!(mail.len(), 6, "{mail:#?}");
    for code in &codes {
        let about: Vec<_> = mail
            .iter()
            .filter(|m| m.subject.ends_with(code.as_str()))
            .collect();
        assert_eq!(about.len(), 2, "{code}");
        assert_eq!(about.iter().filter(|m| m.to.contains("siti@")).count(), 1);
    }
    let unsent = app
        .count(
            "SELECT COUNT(*) FROM notifications WHERE sent_at_ms IS NULL AND account_id <> $1",
            "",
        )
        .await;
    assert_eq!(unsent, 0);
    app.finish().await;
}

async fn an_invitation_is_e_mailed_with_its_link(db: Db) {
    let smtp = Smtp::start().await;
    let app = TestApp::builder().mail(&smtp).spawn(db).await;
    send_from(&app, &smtp);
    let admin = app.session_cookie(Role::Admin, &[]).await;
    let r = app
        .post("/admin/account", As::Cookie(&admin))
        .form(&[
            ("email", "baru@test.example"),
            ("role", "auditor"),
            ("password", ""),
        ])
        .sent()
        .await;
    assert!(r.status().is_redirection(), "{}", r.status());
    let mail = smtp.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].subject, "Tautan kata sandi Suara");
    let link = mail[0]
        .text
        .lines()
        .find(|l| l.contains("/account/link/"))
        .unwrap()
        .to_owned();
    let page = app
        .get(link.trim_start_matches(&app.base), As::Nobody)
        .await;
    assert_eq!(page.status(), 200);
    // The link is forgotten once sent: only its hash is kept.
    let kept = app
        .count(
            "SELECT COUNT(*) FROM notifications WHERE secret IS NOT NULL AND kind = $1",
            "account-link",
        )
        .await;
    assert_eq!(kept, 0);
    app.finish().await;
}

/// E-mail turned on after days off: what is older than three days stays
/// listed in the app and is not sent late.
async fn a_backlog_older_than_three_days_is_not_mailed_late(db: Db) {
    let smtp = Smtp::start().await;
    let app = TestApp::builder().mail(&smtp).spawn(db).await;
    let old = filed(
        &app,
        "paspor-baru-jaksel",
        "Pengaduan lama tentang antrean.",
    )
    .await;
    sqlx::query("UPDATE notifications SET created_at_ms = created_at_ms - $1")
        .bind(4 * 86_400_000_i64)
        .execute(app.store.pool())
        .await
        .unwrap();
    let new = filed(
        &app,
        "paspor-baru-jaksel",
        "Pengaduan baru tentang antrean.",
    )
    .await;
    send_from(&app, &smtp);
    let mail = smtp.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(mail.len(), 1, "{mail:#?}");
    assert!(mail[0].subject.ends_with(&new));
    assert!(!mail.iter().any(|m| m.subject.ends_with(&old)));
    app.finish().await;
}

/// The clock's reminders: the working day before a complaint's deadline,
/// and once it has passed; each once, however often the clock runs.
async fn deadlines_near_and_passed_reach_the_unit_once_each(db: Db) {
    let smtp = Smtp::start().await;
    let app = TestApp::builder().mail(&smtp).spawn(db).await;
    let code = filed(
        &app,
        "paspor-baru-jaksel",
        "Loket tutup tanpa pemberitahuan.",
    )
    .await;
    let cal = app.store.calendar().await.unwrap();
    let wib = time::UtcOffset::from_hms(7, 0, 0).unwrap();
    let today = time::OffsetDateTime::now_utc().to_offset(wib).date();
    let due = cal.add_working_days(today, 3);
    let mut day_before = due.previous_day().unwrap();
    while !cal.is_working_day(day_before) {
        day_before = day_before.previous_day().unwrap();
    }
    // At noon WIB.
    let at = |d: time::Date| d.with_hms(5, 0, 0).unwrap().assume_utc();
    let count = |kind: &'static str| {
        let app = &app;
        async move {
            app.count("SELECT COUNT(*) FROM notifications WHERE kind = $1", kind)
                .await
        }
    };
    // Two days before: nothing yet.
    suara::complaints::remind(&app.store, at(today))
        .await
        .unwrap();
    assert_eq!(count("deadline-near").await, 0);
    for _ in 0..3 {
        suara::complaints::remind(&app.store, at(day_before))
            .await
            .unwrap();
    }
    assert_eq!(
        count("deadline-near").await,
        1,
        "the demo head of the unit, once"
    );
    assert_eq!(count("overdue").await, 0);
    // The due day itself is still in time; the day after is not.
    suara::complaints::remind(&app.store, at(due))
        .await
        .unwrap();
    assert_eq!(count("overdue").await, 0);
    for _ in 0..3 {
        suara::complaints::remind(&app.store, at(due.next_day().unwrap()))
            .await
            .unwrap();
    }
    assert_eq!(count("overdue").await, 1);

    // Written at the clock's (future) days: due now for this test's sender.
    sqlx::query("UPDATE notifications SET created_at_ms = $1, next_attempt_at_ms = $1")
        .bind(suara::store::now_ms())
        .execute(app.store.pool())
        .await
        .unwrap();
    send_from(&app, &smtp);
    // The filing, the reminder and the overdue notice.
    let mail = smtp.wait_for(3, Duration::from_secs(20)).await;
    let mut subjects: Vec<&str> = mail.iter().map(|m| m.subject.as_str()).collect();
    subjects.sort();
    assert_eq!(
        subjects,
        [
            format!("Melewati tenggat: pengaduan {code}"),
            format!("Pengaduan baru {code}"),
            format!("Tenggat besok: pengaduan {code}"),
        ]
    );
    app.finish().await;
}

async fn a_daily_digest_gathers_the_days_notifications_into_one_message(db: Db) {
    let smtp = Smtp::start().await;
    let app = TestApp::builder().mail(&smtp).spawn(db).await;
    let siti = unit_head(&app, "siti@test.example", &["kanim-jakarta-selatan"]).await;
    let r = app
        .post("/notifikasi", As::Cookie(&siti))
        .form(&[("complaint-filed", "digest")])
        .sent()
        .await;
    assert_eq!(r.status(), 303);
    send_from(&app, &smtp);
    let a = filed(&app, "paspor-baru-jaksel", "Antrean pertama hari ini lama.").await;
    let b = filed(&app, "paspor-baru-jaksel", "Antrean kedua hari ini lama.").await;
    // The demo head gets each at once; Siti's wait for the digest hour.
    let mail = smtp.wait_for(2, Duration::from_secs(20)).await;
    assert_eq!(mail.len(), 2, "{mail:#?}");
    assert!(to(&mail, "siti@").is_empty());
    let waiting = app
        .count(
            "SELECT COUNT(*) FROM notifications WHERE delivery = $1 AND sent_at_ms IS NULL \
             AND next_attempt_at_ms % 86400000 = 0",
            "digest",
        )
        .await;
    assert_eq!(waiting, 2, "due at 00:00 UTC, 07:00 WIB");
    // The digest hour comes.
    sqlx::query("UPDATE notifications SET next_attempt_at_ms = $1 WHERE delivery = 'digest'")
        .bind(suara::store::now_ms())
        .execute(app.store.pool())
        .await
        .unwrap();
    let mail = smtp.wait_for(3, Duration::from_secs(20)).await;
    let digest = to(&mail, "siti@");
    assert_eq!(digest.len(), 1, "{mail:#?}");
    assert_eq!(digest[0].subject, "Suara: 2 pemberitahuan hari ini");
    assert!(digest[0].text.contains(&a) && digest[0].text.contains(&b));
    app.finish().await;
}

/// Two `suara serve` processes on one PostgreSQL, each with its sender:
/// every message goes out once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_send_each_message_once() {
    let smtp = Smtp::start().await;
    let app = crate::helpers::spawn_app(Db::Postgres).await;
    unit_head(&app, "siti@test.example", &["kanim-jakarta-selatan"]).await;
    let env = [
        ("SUARA_SMTP_URL", smtp.url()),
        ("SUARA_MAIL_FROM", "Suara <suara@test.example>".to_owned()),
        ("SUARA_NOTIFY_SECONDS", "1".to_owned()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_a, _b) = (
        Replica::start(&app, &env).await,
        Replica::start(&app, &env).await,
    );
    let mut codes = Vec::new();
    for i in 0..8 {
        codes.push(
            filed(
                &app,
                "paspor-baru-jaksel",
                &format!("Pengaduan nomor {i} tentang loket."),
            )
            .await,
        );
    }
    // Each to Siti and to the demo's head of the unit, once. (On a Monday
    // the replicas' clock writes the unit's weekly summary too, sent once
    // as well: left out of the count.)
    let complaints = || {
        smtp.received()
            .into_iter()
            .filter(|m| !m.subject.starts_with("Ringkasan mingguan"))
            .collect::<Vec<_>>()
    };
    let started = std::time::Instant::now();
    while complaints().len() < 16 && started.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let weekly = smtp.received().len() - complaints().len();
    assert!(
        weekly == 0 || weekly == 2,
        "a summary to each head, once: {weekly}"
    );
    let mail = complaints();
    assert_eq!(mail.len(), 16, "{mail:#?}");
    for code in &codes {
        let about: Vec<_> = mail
            .iter()
            .filter(|m| m.subject.ends_with(code.as_str()))
            .collect();
        assert_eq!(about.len(), 2, "{code}");
        assert_eq!(
            about.iter().filter(|m| m.to.contains("siti@")).count(),
            1,
            "{code}"
        );
    }
    app.finish().await;
}

async fn a_units_week_reaches_its_heads_once_on_monday_in_their_language(db: Db) {
    let smtp = Smtp::start().await;
    let app = TestApp::builder().mail(&smtp).spawn(db).await;
    let john = unit_head(&app, "john@test.example", &["kanim-jakarta-selatan"]).await;
    let r = app
        .post("/notifikasi", As::Cookie(&john))
        .form(&[("lang", "en"), ("complaint-filed", "off")])
        .sent()
        .await;
    assert_eq!(r.status(), 303);
    // A Jayapura unit and its head: its Monday comes two hours sooner.
    let admin = app.session_cookie(Role::Admin, &[]).await;
    for (path, form) in [
        (
            "/admin/unit",
            vec![
                ("agency", "ditjen-imigrasi"),
                ("code", "kanim-jayapura"),
                ("name", "Kantor Imigrasi Jayapura"),
                ("time_zone", "Asia/Jayapura"),
            ],
        ),
        (
            "/admin/service",
            vec![
                ("unit", "kanim-jayapura"),
                ("code", "paspor-jayapura"),
                ("name", "Paspor"),
                ("questionnaire", "skm-2017"),
            ],
        ),
    ] {
        assert_eq!(
            app.post_form(path, As::Cookie(&admin), &form)
                .await
                .status(),
            303
        );
    }
    unit_head(&app, "papua@test.example", &["kanim-jayapura"]).await;
    filed(
        &app,
        "paspor-baru-jaksel",
        "Antrean tidak bergerak satu jam.",
    )
    .await;

    // Thirty ratings in October and thirty far lower in November: a real
    // fall, with enough responses in both months to say so.
    let sid = app.service_id("paspor-baru-jaksel").await;
    let mut batch = Vec::new();
    for i in 0..60u64 {
        let (month, score) = if i < 30 {
            ("10", 3 + i % 2)
        } else {
            ("11", 1 + i % 2)
        };
        let mut r = crate::helpers::response(&crate::helpers::new_id(), &sid, json!({"U1": score}));
        r["answered_at"] = json!(format!("2026-{month}-1{}T09:00:00+07:00", i % 10));
        batch.push(r);
    }
    let results = app.post_results(batch).await;
    assert!(
        results.iter().all(|r| r["status"] == "accepted"),
        "{results:?}"
    );
    // Sent at once, the monitor may flag them; an auditor clears them.
    let auditor = app.token(Role::Auditor, &[]).await;
    let flags: serde_json::Value = app
        .get(
            "/api/v1/flags?unit=kanim-jakarta-selatan",
            As::Token(&auditor),
        )
        .await
        .json()
        .await
        .unwrap();
    for f in flags["flagged"].as_array().unwrap() {
        let r = app
            .post(
                &format!("/api/v1/flags/{}/clear", f["id"].as_str().unwrap()),
                As::Token(&auditor),
            )
            .json(&json!({"reason": "a test's ratings"}))
            .sent()
            .await;
        assert_eq!(r.status(), 200);
    }
    // Monday 7 December 2026 at 06.00 in Jakarta (Sunday 23:00 UTC) is
    // 08.00 in Jayapura: only Jayapura's week has come.
    let sunday_night = time::macros::datetime!(2026-12-06 23:00 UTC);
    let count = |sql: &'static str| {
        let app = &app;
        async move { app.count(sql, "weekly-digest").await }
    };
    for _ in 0..3 {
        suara::notifications::weekly::queue(&app.store, sunday_night)
            .await
            .unwrap();
    }
    assert_eq!(
        count("SELECT COUNT(*) FROM notifications WHERE kind = $1").await,
        1,
        "Papua's head"
    );
    // At 07.30 in Jakarta, Jakarta Selatan's two heads; run again, nothing more.
    let monday = time::macros::datetime!(2026-12-07 00:30 UTC);
    for _ in 0..3 {
        suara::notifications::weekly::queue(&app.store, monday)
            .await
            .unwrap();
    }
    assert_eq!(
        count("SELECT COUNT(*) FROM notifications WHERE kind = $1").await,
        3
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM weekly_digests WHERE week = $1",
            "2026-W50"
        )
        .await,
        2,
        "each unit's week once"
    );

    sqlx::query("UPDATE notifications SET created_at_ms = $1, next_attempt_at_ms = $1")
        .bind(suara::store::now_ms())
        .execute(app.store.pool())
        .await
        .unwrap();
    send_from(&app, &smtp);
    // The demo head's complaint message and the three summaries.
    let mail = smtp.wait_for(4, Duration::from_secs(20)).await;
    let weekly: Vec<&Received> = mail
        .iter()
        .filter(|m| m.subject.contains("mingguan") || m.subject.contains("Weekly"))
        .collect();
    assert_eq!(weekly.len(), 3, "{mail:#?}");
    let en = to(&mail, "john@")
        .into_iter()
        .find(|m| m.subject.starts_with("Weekly summary"))
        .expect("John's summary, in English");
    assert_eq!(
        en.subject,
        "Weekly summary: Kantor Imigrasi Kelas I Khusus TPI Jakarta Selatan, 2026-W50"
    );
    assert!(
        en.text.contains("Complaints open: 1, overdue: 0."),
        "{}",
        en.text
    );
    assert!(en
        .text
        .contains("The SKM results of 2026-S1 are not published yet."));
    assert!(
        en.text.contains(
            "Needs attention (2026-11 against 2026-10): Requirements fell by 2.00; grade"
        ),
        "{}",
        en.text
    );
    assert!(en
        .text
        .contains("/dashboard?scope=unit.kanim-jakarta-selatan"));
    assert!(!en.list_unsubscribe.is_empty());
    let id = to(&mail, "kepala.jaksel@")
        .into_iter()
        .find(|m| m.subject.starts_with("Ringkasan mingguan"))
        .expect("the demo head's summary, in Indonesian");
    assert!(
        id.text
            .contains("Pengaduan terbuka: 1, melewati tenggat: 0."),
        "{}",
        id.text
    );
    assert!(id.html.contains("Dua belas bulan terakhir"));
    assert!(
        id.text
            .contains("Perlu perhatian (2026-11 dibanding 2026-10): Persyaratan turun 2,00"),
        "{}",
        id.text
    );
    let papua = to(&mail, "papua@");
    assert_eq!(papua.len(), 1);
    assert!(
        papua[0].text.contains("Pengaduan terbuka: 0"),
        "{}",
        papua[0].text
    );

    // The fall is also an alert of its own, at once: Jakarta Selatan's two
    // heads, once each however often the clock looks; nothing for Papua,
    // whose months have no responses.
    for _ in 0..3 {
        suara::notifications::alerts::queue(&app.store, monday)
            .await
            .unwrap();
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM notifications WHERE kind = $1",
            "alert"
        )
        .await,
        2
    );
    sqlx::query(
        "UPDATE notifications SET created_at_ms = $1, next_attempt_at_ms = $1 WHERE kind = 'alert'",
    )
    .bind(suara::store::now_ms())
    .execute(app.store.pool())
    .await
    .unwrap();
    let mail = smtp.wait_for(6, Duration::from_secs(20)).await;
    let en = to(&mail, "john@")
        .into_iter()
        .find(|m| m.subject.starts_with("Needs attention"))
        .expect("John's alert, in English");
    assert_eq!(
        en.subject,
        "Needs attention: Kantor Imigrasi Kelas I Khusus TPI Jakarta Selatan, 2026-11"
    );
    assert!(
        en.text
            .contains("Needs attention (2026-11 against 2026-10): Requirements fell by 2.00"),
        "{}",
        en.text
    );
    assert!(en
        .text
        .contains("/dashboard?scope=unit.kanim-jakarta-selatan"));
    assert!(!en.list_unsubscribe.is_empty());
    let id = to(&mail, "kepala.jaksel@")
        .into_iter()
        .find(|m| m.subject.starts_with("Perlu perhatian"))
        .expect("the demo head's alert, in Indonesian");
    assert!(id.html.contains("Persyaratan turun 2,00"), "{}", id.html);
    assert_eq!(to(&mail, "papua@").len(), 1, "no alert for Papua");
    app.finish().await;
}
