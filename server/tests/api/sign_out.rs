//! Sign-out leaves nothing behind on a shared office computer: what staff
//! saw is kept by no cache, the browser's cache of the site is cleared, and
//! a live feed stops when its session ends.

use crate::complaints::filed;
use crate::helpers::{location, spawn_app, As, Db};
use futures::StreamExt as _;
use suara::auth::Role;

crate::both!(
    staff_pages_are_kept_by_no_cache_and_sign_out_clears_the_cache,
    a_live_feed_ends_with_its_session,
);

fn cache_control(r: &reqwest::Response) -> String {
    r.headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

async fn staff_pages_are_kept_by_no_cache_and_sign_out_clears_the_cache(db: Db) {
    let app = spawn_app(db).await;
    let code = filed(
        &app,
        "paspor-baru-jaksel",
        "Antrean tidak tertib sejak pagi",
    )
    .await;
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    for path in [
        "/dashboard",
        "/account",
        "/export",
        &format!("/pengaduan/{code}"),
    ] {
        let r = app.get(path, As::Cookie(&head)).await;
        assert!(r.status().is_success() || r.status().is_redirection() || r.status() == 403);
        assert_eq!(cache_control(&r), "no-store", "{path}");
    }
    // The citizen's own view of the complaint may be kept for offline use.
    let citizen = app.get(&format!("/pengaduan/{code}"), As::Nobody).await;
    assert_eq!(citizen.status(), 200);
    assert!(!cache_control(&citizen).contains("no-store"));
    let home = app.get("/", As::Nobody).await;
    assert!(!cache_control(&home).contains("no-store"));

    let out = app.post("/logout", As::Cookie(&head)).send().await.unwrap();
    assert_eq!(location(&out), "/login");
    assert_eq!(out.headers()["clear-site-data"], "\"cache\"");
    let after = app.get("/dashboard", As::Cookie(&head)).await;
    assert!(location(&after).starts_with("/login"));
    app.finish().await;
}

async fn a_live_feed_ends_with_its_session(db: Db) {
    let app = spawn_app(db).await;
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let feed = app.get("/api/v1/events", As::Cookie(&head)).await;
    assert_eq!(feed.status(), 200);
    let mut body = feed.bytes_stream();
    let out = app.post("/logout", As::Cookie(&head)).send().await.unwrap();
    assert_eq!(out.status(), 303);
    // Keep-alive comments may come first; the stream then ends.
    let ended = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        while let Some(chunk) = body.next().await {
            if chunk.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the feed went on after sign-out");
    app.finish().await;
}
