//! The pages as a browser gets them: statuses, which pages load the browser
//! app, and the language switch that works without any script.

use crate::helpers::{problem, spawn_app, As, Db, Sent};

crate::both!(
    pages_have_their_status_and_only_citizen_pages_load_the_app,
    language_switch_remembers_the_choice_and_goes_back,
);

/// The start of the browser app in a page (see `app::shell`).
const APP_SCRIPT: &str = "mount()";

async fn pages_have_their_status_and_only_citizen_pages_load_the_app(db: Db) {
    let app = spawn_app(db).await;
    let get = |path: &'static str| {
        let app = &app;
        async move {
            let r = app.get(path, As::Nobody).await;
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    for path in [
        "/",
        "/s/paspor-baru-jaksel",
        "/k/paspor-baru-jaksel",
        "/tertunda",
    ] {
        let (status, html) = get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(APP_SCRIPT), "{path} loads the app");
        assert!(
            html.contains("role=\"status\""),
            "{path} shows the outbox status"
        );
    }
    let (_, form) = get("/s/paspor-baru-jaksel").await;
    assert!(form.contains("Penerbitan Paspor Baru"), "{form}");
    for path in ["/s/tidak-ada", "/k/tidak-ada", "/tidak-ada", "/s/a/b/c"] {
        let (status, html) = get(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("<html"), "{path} is a page, not a bare error");
    }
    // Staff pages are plain HTML: nothing of theirs reaches a citizen's phone.
    for path in ["/login", "/s/paspor-baru-jaksel/poster"] {
        let (status, html) = get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!html.contains(APP_SCRIPT), "{path} loads no wasm");
        assert!(!html.contains("role=\"status\""), "{path}");
    }
    let (status, _) = get("/s/tidak-ada/poster").await;
    assert_eq!(status, 404);
    app.finish().await;
}

async fn language_switch_remembers_the_choice_and_goes_back(db: Db) {
    let app = spawn_app(db).await;
    let home = app.get_text("/", "").await;
    assert!(home.contains("<html lang=\"id\""), "Indonesian by default");
    assert!(home.contains("English"), "the switch offers English");

    let r = app
        .post("/lang", As::Nobody)
        .header("referer", app.url("/s/paspor-baru-jaksel?x=1"))
        .form(&[("lang", "en")])
        .sent()
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/s/paspor-baru-jaksel?x=1");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("suara_lang=en;"), "{cookie}");
    assert!(cookie.contains("Max-Age=31536000") && cookie.contains("Path=/"));
    let english = app.get_text("/", "suara_lang=en").await;
    assert!(english.contains("<html lang=\"en\""));
    assert!(english.contains("Rate the public service you received"));
    assert!(
        english.contains("Bahasa Indonesia"),
        "the switch offers Indonesian"
    );
    // The staff pages follow the same cookie.
    assert!(app
        .get_text("/login", "suara_lang=en")
        .await
        .contains("Password"));

    // A referer from elsewhere never becomes a redirect target.
    let r = app
        .post("/lang", As::Nobody)
        .header("referer", "https://elsewhere.test/phish")
        .form(&[("lang", "id")])
        .sent()
        .await;
    assert_eq!(r.headers()["location"], "/");

    let r = app.post_form("/lang", As::Nobody, &[("lang", "fr")]).await;
    problem(r, 400).await;
    app.finish().await;
}
