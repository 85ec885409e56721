//! The integrity monitor cannot be evaded by omission: a phone or link
//! response without the device mark every current app sends, or answered
//! weeks before it arrived, is flagged with its own reason; bursts count by
//! the hour of receipt, so back-dating cannot spread them; and the
//! monitor's memory and expired sessions are forgotten on schedule.

use crate::helpers::{new_id, response, Db, TestApp};
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

crate::both!(
    leaving_things_out_is_flagged,
    back_dated_bursts_count_by_their_arrival,
    the_past_is_forgotten_on_schedule,
);

fn at(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap()
}

async fn reasons(app: &TestApp, id: &str) -> Vec<String> {
    let mut r: Vec<String> =
        sqlx::query_scalar("SELECT reason FROM response_flags WHERE response_seq = (SELECT seq FROM responses WHERE id = $1)")
            .bind(id.to_owned())
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    r.sort();
    r
}

async fn leaving_things_out_is_flagged(db: Db) {
    let app = TestApp::builder().default_rules().spawn(db).await;
    let service = app.service_id("paspor-baru-jaksel").await;
    // Yesterday at noon in Jakarta: within opening hours whenever the suite
    // runs (late at night, "an hour ago" is closed hours, flagged for that).
    let noon =
        (OffsetDateTime::now_utc() - Duration::days(1)).replace_time(time::macros::time!(05:00));
    let one = |change: &dyn Fn(&mut Value)| {
        let mut r = response(&new_id(), &service, json!({"U1": 4}));
        r["answered_at"] = json!(at(noon));
        r["app_version"] = json!(app::APP_VERSION);
        change(&mut r);
        r
    };
    let honest = one(&|_| {});
    let scripted = one(&|r| {
        r.as_object_mut().unwrap().remove("device_id");
        r.as_object_mut().unwrap().remove("app_version");
    });
    let current_app = one(&|r| {
        r.as_object_mut().unwrap().remove("device_id");
    });
    let old_app = one(&|r| {
        r.as_object_mut().unwrap().remove("device_id");
        r["app_version"] = json!("0.1.0");
    });
    let kiosk = one(&|r| {
        r.as_object_mut().unwrap().remove("device_id");
        r["channel"] = json!("kiosk");
    });
    let offline_days = one(&|r| r["answered_at"] = json!(at(noon - Duration::days(3))));
    let backdated = one(&|r| r["answered_at"] = json!(at(noon - Duration::days(20))));
    let batch = vec![
        honest.clone(),
        scripted.clone(),
        current_app.clone(),
        old_app.clone(),
        kiosk.clone(),
        offline_days.clone(),
        backdated.clone(),
    ];
    let results = app.post_results(batch).await;
    assert!(
        results.iter().all(|r| r["status"] == "accepted"),
        "{results:?}"
    );
    let id = |r: &Value| r["id"].as_str().unwrap().to_owned();
    let none: Vec<String> = Vec::new();
    assert_eq!(reasons(&app, &id(&honest)).await, none);
    assert_eq!(reasons(&app, &id(&scripted)).await, ["no-device"]);
    assert_eq!(reasons(&app, &id(&current_app)).await, ["no-device"]);
    assert_eq!(
        reasons(&app, &id(&old_app)).await,
        none,
        "before device marks"
    );
    assert_eq!(reasons(&app, &id(&kiosk)).await, none);
    assert_eq!(reasons(&app, &id(&offline_days)).await, none);
    assert_eq!(reasons(&app, &id(&backdated)).await, ["backdated"]);
    app.finish().await;
}

/// Responses that arrive together, each dated to a different hour of the
/// last ten days: a burst of their arrival hour. The unit's volume (48,000
/// a year) makes 240 an hour its burst threshold.
async fn back_dated_bursts_count_by_their_arrival(db: Db) {
    let app = TestApp::builder().default_rules().spawn(db).await;
    let service = app.service_id("paspor-baru-jaksel").await;
    let now = OffsetDateTime::now_utc();
    let batch: Vec<Value> = (0..245)
        .map(|i| {
            let mut r = response(&new_id(), &service, json!({"U1": 1 + i % 4}));
            r["answered_at"] = json!(at(now - Duration::hours(i + 1)));
            r
        })
        .collect();
    let results = app.post_results(batch).await;
    assert!(results.iter().all(|r| r["status"] == "accepted"));
    let bursts = app
        .count(
            "SELECT COUNT(*) FROM response_flags WHERE reason = $1",
            "burst",
        )
        .await;
    // Every one after the 240th.
    assert_eq!(bursts, 5);
    app.finish().await;
}

async fn the_past_is_forgotten_on_schedule(db: Db) {
    let app = TestApp::builder().default_rules().spawn(db).await;
    let service = app.service_id("paspor-baru-jaksel").await;
    app.post_results(vec![response(&new_id(), &service, json!({"U1": 4}))])
        .await;
    let now = OffsetDateTime::now_utc();
    let (today, hour) = app::domain::integrity::day_and_hour(now);
    let pool = app.store.pool();
    for (day, device) in [(today - 40, "old"), (today, "new")] {
        sqlx::query(
            "INSERT INTO integrity_devices (service_id, device_id, day, n) VALUES ($1, $2, $3, 1)",
        )
        .bind(service.clone())
        .bind(device)
        .bind(day)
        .execute(pool)
        .await
        .unwrap();
    }
    sqlx::query("INSERT INTO integrity_hours (unit_id, hour, n) VALUES ('u', $1, 1)")
        .bind(hour - 100)
        .execute(pool)
        .await
        .unwrap();
    let account = app
        .store
        .add_account(
            "gone@test.example",
            suara::auth::Role::Auditor,
            "a long enough password",
            &[],
        )
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, created_at_ms, expires_at_ms) \
         VALUES ('expired', $1, 0, 1)",
    )
    .bind(account.to_string())
    .execute(pool)
    .await
    .unwrap();
    let live = app.store.create_session(account).await.unwrap();
    let forgot = app.store.forget_the_past(now).await.unwrap();
    assert!(forgot.device_days >= 1);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM integrity_devices WHERE device_id = $1",
            "old"
        )
        .await,
        0
    );
    assert!(forgot.unit_hours >= 1);
    assert!(forgot.sessions >= 1);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM sessions WHERE token_hash = $1",
            "expired"
        )
        .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM integrity_devices WHERE device_id = $1",
            "new"
        )
        .await,
        1
    );
    assert!(app.store.session_account(&live).await.unwrap().is_some());
    assert_eq!(app.store.forget_the_past(now).await.unwrap().total(), 0);
    app.finish().await;
}
