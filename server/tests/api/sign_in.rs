//! Sign-in under attack: wrong passwords at once stall nothing else, an
//! attacker cannot lock a member of staff out from their own address,
//! parallel guesses get no more tries than serial ones, and an email of a
//! megabyte costs nothing.

use crate::helpers::{location, new_id, response, As, Db, TestApp};
use futures::future::join_all;
use suara::auth::Role;
use suara::store::sessions::{ADDRESS_FREE, PAIR_FREE};
use suara::RateLimits;

crate::both!(
    a_pool_of_two_serves_syncs_and_pages_while_sign_ins_fail,
    the_right_password_from_another_address_still_works,
    parallel_guesses_get_no_more_tries_than_serial_ones,
    an_address_trying_many_accounts_is_made_to_wait,
    oversized_credentials_are_refused_before_any_work,
);

const ATTACKER: &str = "203.0.113.66";
const OFFICE: &str = "198.51.100.20";

async fn behind_proxy(db: Db) -> TestApp {
    let mut limits = RateLimits::off();
    limits.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    TestApp::builder().limits(limits).spawn(db).await
}

async fn sign_in_from(app: &TestApp, from: &str, email: &str, password: &str) -> reqwest::Response {
    app.post("/login", As::Nobody)
        .header("x-forwarded-for", from)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
}

async fn audited(app: &TestApp, email: &str, outcome: &str) -> i64 {
    app.count(
        &format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'sign-in' AND actor = $1 \
             AND after LIKE '%\"{outcome}\"%'"
        ),
        email,
    )
    .await
}

/// A pool of two connections: sixteen wrong sign-ins at once, with syncs,
/// public pages and a right sign-in beside them. A path that held one
/// connection while waiting for another would deadlock here and answer 503
/// after the pool's wait.
async fn a_pool_of_two_serves_syncs_and_pages_while_sign_ins_fail(db: Db) {
    let app = TestApp::builder()
        .connections(2)
        .limits(RateLimits::off())
        .spawn(db)
        .await;
    let service = app.service_id("paspor-baru-jaksel").await;
    let wrong = (0..16).map(|i| {
        let app = &app;
        async move {
            let email = if i % 2 == 0 {
                "admin@suara.test"
            } else {
                "nobody@suara.test"
            };
            let r = sign_in_from(app, "127.0.0.1", email, "not the password").await;
            (r.status().as_u16(), location(&r))
        }
    });
    let syncs = (0..12).map(|_| {
        let app = &app;
        let service = service.clone();
        async move {
            let r = response(&new_id(), &service, serde_json::json!({"U1": 4, "U2": 3}));
            let sent = app.post_batch(vec![r]).await;
            let status = sent.status().as_u16();
            let body: serde_json::Value = sent.json().await.unwrap_or_default();
            (
                status,
                body["results"][0]["status"].as_str().map(str::to_owned),
            )
        }
    });
    let pages = [
        "/publik/kanim-jakarta-selatan",
        "/api/v1/public/units/kanim-jakarta-selatan",
        "/open311/v2/requests.json",
        "/s/paspor-baru-jaksel",
        "/api/v1/catalog",
    ]
    .into_iter()
    .cycle()
    .take(10)
    .map(|path| {
        let app = &app;
        async move {
            let r = app.http.get(app.url(path)).send().await.unwrap();
            (
                path,
                r.status().as_u16(),
                r.text().await.unwrap_or_default(),
            )
        }
    });
    let right = async {
        let r = sign_in_from(
            &app,
            "127.0.0.2",
            "auditor@suara.test",
            suara::seed::DEMO_PASSWORD,
        )
        .await;
        (r.status().as_u16(), location(&r))
    };
    let (wrong, syncs, pages, right) =
        tokio::join!(join_all(wrong), join_all(syncs), join_all(pages), right);
    for (status, to) in &wrong {
        assert_eq!(
            *status, 303,
            "a wrong sign-in is answered with its page: {to}"
        );
        assert!(to.starts_with("/login?error="), "{to}");
    }
    for (status, result) in &syncs {
        assert_eq!(*status, 200);
        assert_eq!(result.as_deref(), Some("accepted"));
    }
    for (path, status, body) in &pages {
        assert_eq!(*status, 200, "{path}: {body}");
    }
    assert_eq!(right, (303, "/dashboard".to_owned()));
    app.finish().await;
}

/// An attacker fails on an account until it must wait; the account's holder,
/// from the office, signs in all the same.
async fn the_right_password_from_another_address_still_works(db: Db) {
    let app = behind_proxy(db).await;
    let email = "target@test.example";
    let right = "the right password";
    app.store
        .add_account(
            email,
            Role::UnitHead,
            right,
            &["kanim-jakarta-selatan".into()],
        )
        .await
        .unwrap();
    for i in 0..PAIR_FREE {
        let r = sign_in_from(&app, ATTACKER, email, "guess").await;
        assert_eq!(location(&r), "/login?error=1", "guess {i}");
    }
    let r = sign_in_from(&app, ATTACKER, email, right).await;
    assert!(location(&r).starts_with("/login?error=throttled&minutes="));
    assert!(r.headers().get("set-cookie").is_none());

    let r = sign_in_from(&app, OFFICE, email, right).await;
    assert_eq!(location(&r), "/dashboard");
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("suara_session="));
    // The attacker is still held back; the administrator sees every attempt
    // with where it came from.
    let r = sign_in_from(&app, ATTACKER, email, right).await;
    assert!(location(&r).starts_with("/login?error=throttled"));
    assert_eq!(audited(&app, email, "refused").await, PAIR_FREE);
    assert_eq!(audited(&app, email, "throttled").await, 2);
    assert_eq!(audited(&app, email, "signed-in").await, 1);
    let from_attacker = app
        .count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'sign-in' AND after LIKE $1",
            &format!("%{ATTACKER}%"),
        )
        .await;
    assert_eq!(from_attacker, PAIR_FREE + 2);
    app.finish().await;
}

/// Twenty wrong passwords at once get the tries five one after another
/// would, and no more.
async fn parallel_guesses_get_no_more_tries_than_serial_ones(db: Db) {
    let app = behind_proxy(db).await;
    let email = "parallel@test.example";
    app.store
        .add_account(email, Role::Auditor, "the right password", &[])
        .await
        .unwrap();
    let tries = (0..20).map(|i| {
        let app = &app;
        async move { location(&sign_in_from(app, ATTACKER, email, &format!("guess {i}")).await) }
    });
    let answers = join_all(tries).await;
    let checked = answers.iter().filter(|a| *a == "/login?error=1").count();
    let held = answers
        .iter()
        .filter(|a| a.starts_with("/login?error=throttled"))
        .count();
    assert_eq!(
        (checked, held),
        (PAIR_FREE as usize, 20 - PAIR_FREE as usize)
    );
    assert_eq!(audited(&app, email, "refused").await, PAIR_FREE);
    app.finish().await;
}

/// A password sprayer trying one password on many accounts from one address
/// waits after [`ADDRESS_FREE`] failures; the office's other staff do not.
async fn an_address_trying_many_accounts_is_made_to_wait(db: Db) {
    let app = behind_proxy(db).await;
    for i in 0..ADDRESS_FREE {
        let r = sign_in_from(
            &app,
            ATTACKER,
            &format!("staff{i}@test.example"),
            "Password1!",
        )
        .await;
        assert_eq!(location(&r), "/login?error=1", "try {i}");
    }
    let r = sign_in_from(
        &app,
        ATTACKER,
        "admin@suara.test",
        suara::seed::DEMO_PASSWORD,
    )
    .await;
    assert!(
        location(&r).starts_with("/login?error=throttled"),
        "{}",
        location(&r)
    );
    let r = sign_in_from(&app, OFFICE, "admin@suara.test", suara::seed::DEMO_PASSWORD).await;
    assert_eq!(location(&r), "/dashboard");
    app.finish().await;
}

/// An email past 254 characters or a password past 1,024 is wrong at once:
/// no row, no audit entry of its size; a body past the form's size is 413.
async fn oversized_credentials_are_refused_before_any_work(db: Db) {
    let app = behind_proxy(db).await;
    let long_email = format!("{}@example.org", "a".repeat(300));
    let r = sign_in_from(&app, ATTACKER, &long_email, "whatever").await;
    assert_eq!(location(&r), "/login?error=1");
    let long_password = "p".repeat(1025);
    let r = sign_in_from(&app, ATTACKER, "admin@suara.test", &long_password).await;
    assert_eq!(location(&r), "/login?error=1");
    // With the right password and a control character in the email: wrong.
    let r = sign_in_from(
        &app,
        ATTACKER,
        "admin@suara.test\u{0}",
        suara::seed::DEMO_PASSWORD,
    )
    .await;
    assert_ne!(location(&r), "/dashboard");
    let huge = "x".repeat(2 * 1024 * 1024);
    let r = sign_in_from(&app, ATTACKER, &huge, "whatever").await;
    assert_eq!(r.status(), 413);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE length(actor) > 254 OR actor = $1",
            ""
        )
        .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM sign_in_throttle WHERE length(email) > 254 OR email = $1",
            "",
        )
        .await,
        0
    );
    app.finish().await;
}
