//! Invitations instead of typed passwords: an administrator (or `suara user
//! invite`) makes an account and a one-time link; its holder chooses the
//! password. Links work once, expire, can be revoked, are stored hashed, and
//! a forgotten password is reset by the same kind of link.

use crate::helpers::{location, spawn_app, suara, As, Db, TestApp};
use suara::auth::Role;

crate::both!(
    an_invitation_link_works_once_and_signs_its_holder_in,
    links_expire_and_can_be_revoked,
    a_forgotten_password_is_reset_by_a_link,
);

/// The cookie named `name` that a response sets, with its attributes.
fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// `name=value` of a cookie a response sets.
fn cookie_pair(r: &reqwest::Response, name: &str) -> String {
    let c = set_cookie(r, name).unwrap_or_else(|| panic!("no {name} cookie"));
    c.split(';').next().unwrap().to_owned()
}

/// Chooses a password through the link with `token`: where the browser goes.
async fn choose(app: &TestApp, token: &str, new: &str, repeat: &str) -> reqwest::Response {
    let path = format!("/account/link/{token}");
    app.post_form(&path, As::Nobody, &[("new", new), ("repeat", repeat)])
        .await
}

/// The token in a link printed or shown.
fn token_in(text: &str) -> String {
    let at = text.find("/account/link/").expect("a link") + "/account/link/".len();
    text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

async fn status_of(app: &TestApp, path: &str) -> u16 {
    app.get(path, As::Nobody).await.status().as_u16()
}

async fn an_invitation_link_works_once_and_signs_its_holder_in(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.session_cookie(Role::Admin, &[]).await;
    // No password typed: the answer is the page that shows the link.
    let made = app
        .post_form(
            "/admin/account",
            As::Cookie(&admin),
            &[
                ("email", "Kepala.Undangan@test.example"),
                ("role", "unit-head"),
                ("units", "kanim-bandung"),
            ],
        )
        .await;
    assert_eq!(made.status(), 303);
    let page = location(&made);
    assert!(page.starts_with("/admin/tautan/"), "{page}");
    let cookie = set_cookie(&made, "suara_link").expect("the link's cookie");
    for part in [
        &format!("Path={page}"),
        "HttpOnly",
        "SameSite=Strict",
        "Max-Age=900",
    ] {
        assert!(cookie.contains(part), "{cookie}");
    }
    let link_cookie = cookie_pair(&made, "suara_link");
    let token = link_cookie["suara_link=".len()..].to_owned();
    assert!(token.len() >= 43, "{token}");
    // Stored as its hash only.
    let sql = "SELECT COUNT(*) FROM account_links WHERE token_hash = $1";
    assert_eq!(app.count(sql, &token).await, 0);
    assert_eq!(app.count(sql, &suara::auth::hash_token(&token)).await, 1);
    // The administrator's browser sees the link; without the cookie, nobody does.
    let shown = app
        .get(&page, As::Cookie(&format!("{admin}; {link_cookie}")))
        .await;
    assert_eq!(shown.headers()["cache-control"], "no-store");
    let shown = shown.text().await.unwrap();
    assert!(shown.contains(&format!("/account/link/{token}")), "{shown}");
    assert!(shown.contains("kepala.undangan@test.example"), "{shown}");
    let again = app.get_text(&page, &admin).await;
    assert!(!again.contains(&token), "{again}");
    assert!(
        again.contains("Tautan hanya ditampilkan saat dibuat"),
        "{again}"
    );
    // Invited, not yet able to sign in, and the link is listed as open.
    let listed = app.get_text("/admin", &admin).await;
    assert!(listed.contains("Diundang"), "{listed}");
    assert!(listed.contains("data-link=\"kepala.undangan@test.example\""));
    let r = app.sign_in("kepala.undangan@test.example", "").await;
    assert_eq!(location(&r), "/login?error=1");

    // The person opens it: no account needed.
    let form = app.get(&format!("/account/link/{token}"), As::Nobody).await;
    assert_eq!(form.status(), 200);
    assert_eq!(form.headers()["cache-control"], "no-store");
    let form = form.text().await.unwrap();
    assert!(form.contains("Pilih kata sandi Anda"), "{form}");
    assert!(form.contains("value=\"kepala.undangan@test.example\""));
    let here = format!("/account/link/{token}");
    let r = choose(&app, &token, "a long password", "a different one").await;
    assert_eq!(location(&r), format!("{here}?error=mismatch"));
    let r = choose(&app, &token, "short", "short").await;
    assert_eq!(location(&r), format!("{here}?error=weak"));
    let weak = app.get_text(&format!("{here}?error=weak"), "").await;
    assert!(
        weak.contains("class=\"error\">Kata sandi baru minimal 10 karakter."),
        "{weak}"
    );

    // Two uses at once: one wins, the other is sent back to a closed link.
    let (a, b) = tokio::join!(
        choose(&app, &token, "the chosen password", "the chosen password"),
        choose(&app, &token, "another password!!", "another password!!"),
    );
    let mut ends = [location(&a), location(&b)];
    ends.sort();
    assert_eq!(
        ends,
        ["/account/link/".to_owned() + &token, "/dashboard".into()]
    );
    let winner = if location(&a) == "/dashboard" { a } else { b };
    let session = cookie_pair(&winner, "suara_session");
    let mine = app.get_text("/dashboard", &session).await;
    assert!(mine.contains("value=\"unit.kanim-bandung\""), "{mine}");
    assert!(!mine.contains("value=\"unit.kanim-jakarta-selatan\""));
    // Spent: the page says so with 410, and it sets nothing any more.
    assert_eq!(status_of(&app, &here).await, 410);
    let r = choose(&app, &token, "a third password", "a third password").await;
    assert_eq!(location(&r), here);
    assert!(set_cookie(&r, "suara_session").is_none());
    let signed = [
        app.sign_in("kepala.undangan@test.example", "the chosen password")
            .await,
        app.sign_in("kepala.undangan@test.example", "another password!!")
            .await,
    ];
    let worked: Vec<bool> = signed.iter().map(|r| location(r) == "/dashboard").collect();
    assert_eq!(worked.iter().filter(|w| **w).count(), 1, "{worked:?}");
    let listed = app.get_text("/admin", &admin).await;
    assert!(!listed.contains("data-link=\"kepala.undangan@test.example\""));
    // Audited: made, then used; the token in no entry.
    let log = app.store.audit_log(20).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    for action in ["account.add", "account.link", "account.link.use"] {
        assert!(actions.contains(&action), "{actions:?}");
    }
    let used = log.iter().find(|e| e.action == "account.link.use").unwrap();
    assert_eq!(used.actor, "kepala.undangan@test.example");
    assert!(log
        .iter()
        .all(|e| !format!("{:?}{:?}", e.before, e.after).contains(&token)));
    app.finish().await;
}

async fn links_expire_and_can_be_revoked(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.session_cookie(Role::Admin, &[]).await;
    let printed = suara(
        [
            "--database-url",
            &app.database_url,
            "user",
            "invite",
            "--email",
            "auditor.baru@test.example",
            "--role",
            "auditor",
            "--public-url",
            "https://suara.example.go.id/",
        ],
        None,
    )
    .unwrap();
    assert!(
        printed.contains("https://suara.example.go.id/account/link/"),
        "{printed}"
    );
    let first = token_in(&printed);
    assert_eq!(
        status_of(&app, &format!("/account/link/{first}")).await,
        200
    );
    // 72 hours later (the clock moved on in the database).
    sqlx::query("UPDATE account_links SET expires_at_ms = 1")
        .execute(app.store.pool())
        .await
        .unwrap();
    assert_eq!(
        status_of(&app, &format!("/account/link/{first}")).await,
        410
    );
    let r = choose(&app, &first, "a long password", "a long password").await;
    assert!(set_cookie(&r, "suara_session").is_none());
    let r = app
        .sign_in("auditor.baru@test.example", "a long password")
        .await;
    assert_eq!(location(&r), "/login?error=1");

    // A new link from the account list; it is an invitation still.
    let link = || {
        app.post_form(
            "/admin/account/link",
            As::Cookie(&admin),
            &[("email", "auditor.baru@test.example")],
        )
    };
    let second = link().await;
    let second_page = location(&second);
    let second_token = cookie_pair(&second, "suara_link")["suara_link=".len()..].to_owned();
    let shown = app
        .get_text(&second_page, &format!("{admin}; suara_link={second_token}"))
        .await;
    assert!(shown.contains("Tautan undangan"), "{shown}");
    // A third replaces it: only the newest link works.
    let third = link().await;
    let third_token = cookie_pair(&third, "suara_link")["suara_link=".len()..].to_owned();
    assert_eq!(
        status_of(&app, &format!("/account/link/{second_token}")).await,
        410
    );
    assert_eq!(
        status_of(&app, &format!("/account/link/{third_token}")).await,
        200
    );
    // Revoked from /admin: closed at once, and a second revoke is refused.
    let third_page = location(&third);
    let revoke = format!("{third_page}/cabut");
    let r = app
        .post_form(&revoke, As::Cookie(&admin), &[("x", "")])
        .await;
    assert_eq!(location(&r), "/admin?done=link-revoked#links");
    assert_eq!(
        status_of(&app, &format!("/account/link/{third_token}")).await,
        410
    );
    let r = app
        .post_form(&revoke, As::Cookie(&admin), &[("x", "")])
        .await;
    assert_eq!(location(&r), "/admin?error=link-closed#accounts");
    let closed = app.get_text("/admin?error=link-closed", &admin).await;
    assert!(
        closed.contains("Tautan itu sudah dipakai, dicabut"),
        "{closed}"
    );
    let page = app.get_text(&third_page, &admin).await;
    assert!(page.contains("data-link=\"state\">Dicabut"), "{page}");
    // Unknown accounts are refused by the page and the command line.
    let r = app
        .post_form(
            "/admin/account/link",
            As::Cookie(&admin),
            &[("email", "nobody@test.example")],
        )
        .await;
    assert_eq!(location(&r), "/admin?error=unknown#accounts");
    let err = suara(
        [
            "--database-url",
            &app.database_url,
            "user",
            "link",
            "--email",
            "nobody@test.example",
        ],
        None,
    )
    .unwrap_err();
    assert!(err.contains("nobody@test.example"), "{err}");
    let log = app.store.audit_log(30).await.unwrap();
    let revoked = log
        .iter()
        .find(|e| e.action == "account.link.revoke")
        .expect("the revocation is audited");
    assert_eq!(revoked.target, "auditor.baru@test.example");
    let made: Vec<_> = log.iter().filter(|e| e.action == "account.link").collect();
    assert_eq!(made.len(), 3);
    assert!(made.iter().any(|e| e.actor == "cli"));
    app.finish().await;
}

async fn a_forgotten_password_is_reset_by_a_link(db: Db) {
    let app = spawn_app(db).await;
    let email = "lupa@test.example";
    let id = app
        .store
        .add_account(email, Role::Auditor, "the forgotten one", &[])
        .await
        .unwrap();
    let old_session = format!(
        "suara_session={}",
        app.store.create_session(id).await.unwrap()
    );
    // Five wrong guesses: signing in is held up.
    for _ in 0..5 {
        app.sign_in(email, "not the password").await;
    }
    let printed = suara(
        [
            "--database-url",
            &app.database_url,
            "user",
            "link",
            "--email",
            email,
        ],
        None,
    )
    .unwrap();
    assert!(printed.starts_with("reset link"), "{printed}");
    let token = token_in(&printed);
    let page = app
        .get_text(&format!("/account/link/{token}"), "suara_lang=en")
        .await;
    assert!(page.contains("Choose a new password"), "{page}");
    let r = choose(&app, &token, "a brand new password", "a brand new password").await;
    assert_eq!(location(&r), "/dashboard");
    // The old password and the old sessions are gone; the hold is lifted.
    let r = app.get("/dashboard", As::Cookie(&old_session)).await;
    assert_eq!(r.status(), 303);
    let r = app.sign_in(email, "the forgotten one").await;
    assert_eq!(location(&r), "/login?error=1");
    let r = app.sign_in(email, "a brand new password").await;
    assert_eq!(location(&r), "/dashboard");
    let log = app.store.audit_log(20).await.unwrap();
    let used = log.iter().find(|e| e.action == "account.link.use").unwrap();
    assert!(
        used.after.as_deref().unwrap().contains("\"reset\""),
        "{used:?}"
    );
    app.finish().await;
}
