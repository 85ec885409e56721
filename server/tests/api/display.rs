//! The waiting-room display (`/layar/{unit}`) and the unit's public live
//! feed: anyone sees what the unit published, and nothing staff see; the
//! screen hears when the unit publishes or keeps its follow-up, and only
//! of its own unit; a script opening feeds by the hundred gets `503` while
//! everyone else goes on.

use crate::dashboard::read_until;
use crate::helpers::{new_id, problem, response, spawn_app, As, Db};
use serde_json::{json, Value};
use suara::auth::Role;

crate::both!(
    the_display_shows_what_the_unit_published_and_hears_when_it_changes,
    public_feeds_are_bounded_and_a_flood_stalls_nobody,
);

const UNIT: &str = "kanim-jakarta-selatan";
const FEED: &str = "/api/v1/public/units/kanim-jakarta-selatan/events";

/// The page's QR code's link (`data-link`).
fn qr_link(html: &str) -> &str {
    let start = html.find("data-link=\"").expect("a QR code") + "data-link=\"".len();
    &html[start..start + html[start..].find('"').unwrap()]
}

async fn the_display_shows_what_the_unit_published_and_hears_when_it_changes(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    // What staff see and the public never does: a complaint not yet
    // verified, with a phone number in it.
    let code = crate::complaints::new_code();
    let secret = "Petugas loket 3 meminta uang, hubungi saya 0812-3456-7890";
    let filed = crate::complaints::complaint(&sid, &code, secret);
    let r = app
        .post("/api/v1/complaints", As::Nobody)
        .json(&json!({ "complaints": [filed] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Before anything is published: the unit, that nothing is, the code.
    let r = app.get(&format!("/layar/{UNIT}"), As::Nobody).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Kantor Imigrasi Kelas I Khusus TPI Jakarta Selatan"));
    assert!(
        html.contains("Belum ada periode yang dipublikasikan."),
        "{html}"
    );
    assert!(html.contains("/layar.js") && html.contains("/layar.css"));
    assert!(
        !html.contains("0812") && !html.contains("meminta uang"),
        "no staff data"
    );
    assert!(
        !html.contains("class=\"top\""),
        "full screen: no site header"
    );
    // The unit has two services: the code leads to the list, unless the
    // display names one of them; never another unit's.
    assert!(
        qr_link(&html).ends_with(&format!("/publik/{UNIT}#nilai")),
        "{}",
        qr_link(&html)
    );
    let one = app
        .get(
            &format!("/layar/{UNIT}?layanan=paspor-baru-jaksel"),
            As::Nobody,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(qr_link(&one).ends_with("/s/paspor-baru-jaksel"));
    let other = app
        .get(&format!("/layar/{UNIT}?layanan=ktp-el-bandung"), As::Nobody)
        .await
        .text()
        .await
        .unwrap();
    assert!(qr_link(&other).ends_with("#nilai"));
    // The list the code leads to links each service's rating form.
    let public = app
        .get(&format!("/publik/{UNIT}"), As::Nobody)
        .await
        .text()
        .await
        .unwrap();
    assert!(public.contains("id=\"nilai\"") && public.contains("href=\"/s/paspor-hilang-jaksel\""));
    // English by its address, whatever the screen's cookies.
    let en = app
        .get(&format!("/layar/{UNIT}?lang=en"), As::Nobody)
        .await
        .text()
        .await
        .unwrap();
    assert!(en.contains("Rate our service") && en.contains("lang=\"en\""));
    let r = app.get("/layar/no-such-unit", As::Nobody).await;
    assert_eq!(r.status(), 404);
    problem(
        app.get("/api/v1/public/units/no-such-unit/events", As::Nobody)
            .await,
        404,
    )
    .await;

    // Two screens: this unit's and Bandung's.
    let mut mine = app.get(FEED, As::Nobody).await;
    assert_eq!(mine.status(), 200);
    assert!(mine.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let mut theirs = app
        .get(
            "/api/v1/public/units/disdukcapil-bandung/events",
            As::Nobody,
        )
        .await;
    assert_eq!(theirs.status(), 200);

    // Responses arriving change nothing public: no event. Then the unit
    // publishes, and its screen hears it.
    let sent: Vec<Value> = [4, 3, 4, 2, 4, 4, 3, 4, 2, 4, 3]
        .iter()
        .map(|s| response(&new_id(), &sid, json!({"U1": s, "U3": s})))
        .collect();
    app.post_results(sent).await;
    let head = app.session_cookie(Role::UnitHead, &[UNIT]).await;
    let r = app
        .post("/api/v1/publications", As::Cookie(&head))
        .json(&json!({"unit": UNIT, "period": "2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let publication: Value = r.json().await.unwrap();
    let seen = read_until(&mut mine, "event: public").await;
    assert!(
        seen.contains(&format!("event: public\ndata: {{\"unit\":\"{UNIT}\"}}")),
        "{seen}"
    );
    assert!(
        !seen.contains("response"),
        "responses are not announced: {seen}"
    );

    // The screen, reloaded, shows the published grade, index and count.
    let html = app
        .get(&format!("/layar/{UNIT}"), As::Nobody)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-figure=\"grade\""), "{html}");
    assert!(html.contains("data-figure=\"n\">11<"), "{html}");
    assert!(!html.contains("0812"), "still no staff data");

    // A follow-up action is news too, for this screen only.
    let id = publication["id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/v1/publications/{id}/follow-up"),
            As::Cookie(&head),
        )
        .json(
            &json!({"item": "U3", "action": "Loket tambahan pada jam sibuk",
                      "responsible": "Kepala Seksi", "due_on": "2026-12-31"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let action: Value = r.json().await.unwrap();
    let r = app
        .post(
            &format!("/api/v1/follow-up/{}", action["id"].as_str().unwrap()),
            As::Cookie(&head),
        )
        .json(&json!({"status": "done"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let seen = read_until(&mut mine, "event: public").await;
    assert!(seen.contains("event: public"), "{seen}");
    let html = app
        .get(&format!("/layar/{UNIT}"), As::Nobody)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Loket tambahan pada jam sibuk"),
        "what the unit did is shown"
    );
    // Bandung's screen heard nothing of Jakarta Selatan.
    let quiet = tokio::time::timeout(std::time::Duration::from_millis(500), theirs.chunk()).await;
    assert!(
        quiet.is_err(),
        "another unit's screen stays quiet: {quiet:?}"
    );
    app.finish().await;
}

async fn public_feeds_are_bounded_and_a_flood_stalls_nobody(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    // Asking for units that do not exist takes no place.
    for _ in 0..20 {
        let r = app
            .get("/api/v1/public/units/no-such-unit/events", As::Nobody)
            .await;
        assert_eq!(r.status(), 404);
    }
    // One address holds a handful of feeds; the next is refused at once,
    // with a problem document saying when to try again.
    let mut open = Vec::new();
    for _ in 0..suara::http::events::PUBLIC_FEEDS_PER_ADDRESS {
        let r = app.get(FEED, As::Nobody).await;
        assert_eq!(r.status(), 200);
        open.push(r);
    }
    let refused = app.get(FEED, As::Nobody).await;
    assert!(refused.headers().contains_key("retry-after"));
    let body = problem(refused, 503).await;
    assert_eq!(
        body["type"].as_str().map(|t| t.ends_with("too-many-feeds")),
        Some(true),
        "{body}"
    );
    // Meanwhile everyone else is served: the display, the public page, a
    // citizen's rating.
    let started = std::time::Instant::now();
    let r = app.get(&format!("/layar/{UNIT}"), As::Nobody).await;
    assert_eq!(r.status(), 200);
    let results = app
        .post_results(vec![response(&new_id(), &sid, json!({"U1": 4}))])
        .await;
    assert_eq!(results[0]["status"], "accepted");
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    // The open feeds still hear their unit.
    let head = app.session_cookie(Role::UnitHead, &[UNIT]).await;
    let r = app
        .post("/api/v1/publications", As::Cookie(&head))
        .json(&json!({"unit": UNIT, "period": "2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    for feed in &mut open {
        let seen = read_until(feed, "event: public").await;
        assert!(seen.contains("event: public"), "{seen}");
    }
    app.finish().await;
}
