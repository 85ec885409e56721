//! Accounts done properly: throttled sign-in, password change, and refusal
//! of cross-site requests made with the browser's session.

use crate::helpers::{location, new_id, problem, response, spawn_app, As, Db, Sent, TestApp};
use serde_json::json;
use suara::auth::Role;

crate::both!(
    sign_in_is_throttled_after_five_failures,
    password_change_needs_the_current_one_and_ends_other_sessions,
    cross_site_requests_with_the_session_are_refused,
    the_command_line_adds_accounts_audited_as_cli,
);

/// Posts a staff form as a browser on Suara's own page would.
async fn form(
    app: &TestApp,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let who = if cookie.is_empty() {
        As::Nobody
    } else {
        As::Cookie(cookie)
    };
    app.post_form(path, who, fields).await
}

/// The session cookie a sign-in set, if any.
fn session_of(r: &reqwest::Response) -> Option<String> {
    let c = r.headers().get("set-cookie")?.to_str().ok()?;
    Some(c.split(';').next()?.to_owned())
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    form(
        app,
        "/login",
        "",
        &[("email", email), ("password", password)],
    )
    .await
}

async fn sign_in_is_throttled_after_five_failures(db: Db) {
    let app = spawn_app(db).await;
    let email = "throttle@test.example";
    app.store
        .add_account(email, Role::Auditor, "the right password", &[])
        .await
        .unwrap();
    for _ in 0..5 {
        let r = sign_in(&app, email, "a wrong password").await;
        assert_eq!(location(&r), "/login?error=1");
    }
    // The sixth attempt is refused even with the right password.
    let r = sign_in(&app, &email.to_uppercase(), "the right password").await;
    assert!(session_of(&r).is_none());
    let wait = location(&r);
    assert!(
        wait.starts_with("/login?error=throttled&minutes="),
        "{wait}"
    );
    let minutes: u32 = wait.rsplit('=').next().unwrap().parse().unwrap();
    assert!((1..=15).contains(&minutes), "{minutes}");
    let page = app.get_text(&wait, "").await;
    assert!(page.contains("Terlalu banyak percobaan"), "{page}");
    // Another account is not held up by this one's attackers.
    let admin = sign_in(&app, "admin@suara.test", suara::seed::DEMO_PASSWORD).await;
    assert_eq!(location(&admin), "/dashboard");
    assert!(session_of(&admin).is_some());
    app.finish().await;
}

async fn password_change_needs_the_current_one_and_ends_other_sessions(db: Db) {
    let app = spawn_app(db).await;
    let email = "change@test.example";
    app.store
        .add_account(email, Role::Auditor, "the old password", &[])
        .await
        .unwrap();
    let phone = session_of(&sign_in(&app, email, "the old password").await).unwrap();
    let desk = session_of(&sign_in(&app, email, "the old password").await).unwrap();
    let change = |current: &'static str, new: &'static str, repeat: &'static str| {
        let (app, desk) = (&app, desk.clone());
        async move {
            let r = form(
                app,
                "/account/password",
                &desk,
                &[("current", current), ("new", new), ("repeat", repeat)],
            )
            .await;
            location(&r)
        }
    };
    assert_eq!(
        change("not it", "a new password", "a new password").await,
        "/account?error=wrong"
    );
    assert_eq!(
        change("the old password", "short", "short").await,
        "/account?error=weak"
    );
    assert_eq!(
        change("the old password", "a new password", "another one!!").await,
        "/account?error=mismatch"
    );
    let page = app.get_text("/account?error=mismatch", &desk).await;
    assert!(page.contains("Kedua kata sandi baru tidak sama."));
    assert_eq!(
        change("the old password", "a new password", "a new password").await,
        "/account?done=1"
    );

    // The session that changed it stays; the other one has ended.
    assert!(app.get_text("/account", &desk).await.contains(email));
    assert!(!app.get_text("/account", &phone).await.contains(email));
    assert!(session_of(&sign_in(&app, email, "the old password").await).is_none());
    assert!(session_of(&sign_in(&app, email, "a new password").await).is_some());
    // Without a session there is nothing to change.
    let r = form(
        &app,
        "/account/password",
        "",
        &[("current", "x"), ("new", "y"), ("repeat", "y")],
    )
    .await;
    assert_eq!(r.status(), 401);
    app.finish().await;
}

async fn cross_site_requests_with_the_session_are_refused(db: Db) {
    let app = spawn_app(db).await;
    let cookie = app.session_cookie(Role::Admin, &[]).await;
    // A sign-in form posted from another site.
    let r = app
        .http
        .post(app.url("/login"))
        .header("origin", "https://evil.example")
        .form(&[
            ("email", "admin@suara.test"),
            ("password", suara::seed::DEMO_PASSWORD),
        ])
        .sent()
        .await;
    problem(r, 403).await;
    // Sign-out with the session but no word of where it came from.
    let r = As::Cookie(&cookie)
        .on(app.http.post(app.url("/logout")))
        .sent()
        .await;
    assert_eq!(r.status(), 403);
    assert!(
        app.get_text("/dashboard", &cookie)
            .await
            .contains("scope-index"),
        "still signed in"
    );
    // A sync posted with the session from elsewhere is refused; phones (no
    // cookie) and Suara's own pages are not.
    let sid = app.service_id("paspor-baru-jaksel").await;
    let batch = json!({ "responses": [response(&new_id(), &sid, json!({"U1": 4}))] });
    let forged = As::Cookie(&cookie)
        .on(app.http.post(app.url("/api/v1/responses")))
        .header("origin", "https://evil.example")
        .json(&batch)
        .sent()
        .await;
    assert_eq!(forged.status(), 403);
    let own = app
        .post("/api/v1/responses", As::Cookie(&cookie))
        .json(&batch)
        .sent()
        .await;
    assert_eq!(own.status(), 200);
    let phone = app
        .post_batch(vec![response(&new_id(), &sid, json!({"U1": 3}))])
        .await;
    assert_eq!(phone.status(), 200);
    app.finish().await;
}

/// `suara user add`, the password on standard input.
fn user_add(app: &TestApp, email: &str, role: &str, password: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_suara"))
        .args(["--database-url", &app.database_url, "user", "add"])
        .args(["--email", email, "--role", role])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    child.wait_with_output().unwrap()
}

async fn the_command_line_adds_accounts_audited_as_cli(db: Db) {
    let app = spawn_app(db).await;
    let short = user_add(&app, "cli@test.example", "auditor", "too short");
    assert!(!short.status.success());
    assert!(
        String::from_utf8_lossy(&short.stderr).contains("at least 10 characters"),
        "{}",
        String::from_utf8_lossy(&short.stderr)
    );
    let added = user_add(
        &app,
        "CLI@test.example",
        "auditor",
        "a long enough password",
    );
    assert!(added.status.success(), "{added:?}");
    let again = user_add(
        &app,
        "cli@test.example",
        "auditor",
        "a long enough password",
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    let r = sign_in(&app, "cli@test.example", "a long enough password").await;
    assert_eq!(location(&r), "/dashboard");
    let log = app.store.audit_log(50).await.unwrap();
    let added: Vec<_> = log.iter().filter(|e| e.action == "account.add").collect();
    assert_eq!(added.len(), 1, "{log:?}");
    assert_eq!(added[0].actor, "cli");
    assert_eq!(added[0].target, "cli@test.example");
    assert!(!added[0].after.as_deref().unwrap().contains("long enough"));
    app.finish().await;
}
