//! Who sees what: sign-in, the dashboard and the export by role.

use crate::helpers::{new_id, response, spawn_app, As, Db, Sent};
use serde_json::json;
use suara::auth::Role;
use suara::seed::DEMO_PASSWORD;

crate::both!(
    sign_in_sets_an_http_only_session_cookie,
    dashboard_shows_counts_means_and_index,
    unit_head_sees_only_their_units,
);

async fn sign_in_sets_an_http_only_session_cookie(db: Db) {
    let app = spawn_app(db).await;
    let form = [("email", "admin@suara.test"), ("password", DEMO_PASSWORD)];
    // As a browser posts the sign-in page's form (the page has no script).
    let r = app.post_form("/login", As::Nobody, &form).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/dashboard");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("suara_session="));
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_owned();
    let html = app.get_text("/dashboard", &session).await;
    assert!(html.contains("admin@suara.test"));

    let wrong = [
        ("email", "admin@suara.test"),
        ("password", "not the password"),
    ];
    let r = app.post_form("/login", As::Nobody, &wrong).await;
    assert!(r.headers().get("set-cookie").is_none());
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login?error=1");
    let page = app.get_text("/login?error=1", "").await;
    assert!(page.contains("Email atau kata sandi salah"), "{page}");
    assert!(!app
        .get_text("/login", "")
        .await
        .contains("Email atau kata sandi salah"));

    // Signing out ends the session on the server, not only in the browser.
    let r = app.post("/logout", As::Cookie(&session)).sent().await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login");
    let cleared = r.headers()["set-cookie"].to_str().unwrap();
    assert!(cleared.starts_with("suara_session=;") && cleared.contains("Max-Age=0"));
    let html = app.get_text("/dashboard", &session).await;
    assert!(!html.contains("admin@suara.test"));
    app.finish().await;
}

async fn dashboard_shows_counts_means_and_index(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    // Two respondents, all nine items: U1 means (4+3)/2 = 3.50, index = mean of NRRs × 25.
    let all = |v: u8| json!({"U1": v, "U2": v, "U3": v, "U4": v, "U5": v, "U6": v, "U7": v, "U8": v, "U9": v});
    app.post_results(vec![
        response(&new_id(), &sid, all(4)),
        response(&new_id(), &sid, all(3)),
    ])
    .await;
    let anonymous = app.get_text("/dashboard", "").await;
    assert!(
        !anonymous.contains("Penerbitan Paspor Baru"),
        "no data without an account"
    );
    let cookie = app.session_cookie(Role::Auditor, &[]).await;
    let html = app.get_text("/dashboard", &cookie).await;
    assert!(html.contains("Penerbitan Paspor Baru"));
    assert!(
        html.contains(r#"data-figure="responses">2<"#),
        "count shown"
    );
    assert!(
        html.contains(r#"data-figure="index">87.50<"#),
        "index shown"
    );
    assert!(html.contains(r#"data-figure="grade">B<"#), "grade shown");
    assert!(html.contains("3.50"), "item mean shown");
    app.finish().await;
}

async fn unit_head_sees_only_their_units(db: Db) {
    let app = spawn_app(db).await;
    let mine = app.service_id("paspor-baru-jaksel").await;
    let theirs = app.service_id("ktp-el-bandung").await;
    let my_response = response(&new_id(), &mine, json!({"U1": 3}));
    let their_response = response(&new_id(), &theirs, json!({"U1": 1}));
    app.post_results(vec![my_response.clone(), their_response.clone()])
        .await;

    let cookie = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let html = app.get_text("/dashboard", &cookie).await;
    assert!(html.contains("Penerbitan Paspor Baru"));
    assert!(
        !html.contains("Perekaman dan Pencetakan KTP-el"),
        "another unit's service is hidden"
    );

    let token = app.token(Role::UnitHead, &["kanim-jakarta-selatan"]).await;
    let csv = app.export(&token, "").await.text().await.unwrap();
    assert!(csv.contains(my_response["id"].as_str().unwrap()));
    assert!(!csv.contains(their_response["id"].as_str().unwrap()));
    let refused = app.export(&token, "?unit=disdukcapil-bandung").await;
    assert_eq!(refused.status(), 403);
    assert_eq!(
        refused.headers()["content-type"],
        "application/problem+json"
    );
    // The same export through the browser's session cookie.
    let by_cookie = app.get_text("/api/v1/export.csv", &cookie).await;
    assert!(by_cookie.contains(my_response["id"].as_str().unwrap()));
    assert!(!by_cookie.contains(their_response["id"].as_str().unwrap()));
    app.finish().await;
}
