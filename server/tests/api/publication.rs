//! Publication: a unit head freezes a period's figures with the response
//! chain's position; later responses leave them as they were; a correction
//! supersedes and both stay; the public sees the unit's page, its data and
//! its badge, never a single response, a `rahasia` complaint or an
//! unredacted number.

use crate::helpers::{new_id, problem, response, spawn_app, suara, As, Db, Sent, TestApp};
use serde_json::{json, Value};
use sha2::Digest;
use suara::auth::Role;

mod open;

crate::both!(
    publishing_freezes_a_period_and_the_public_sees_it,
    the_demo_shows_a_unit_that_published_and_planned,
    a_period_with_too_few_respondents_publishes_its_count_alone,
);

const UNIT: &str = "kanim-jakarta-selatan";

async fn publish(
    app: &TestApp,
    cookie: Option<&str>,
    unit: &str,
    period: &str,
) -> reqwest::Response {
    let who = cookie.map_or(As::Nobody, As::Cookie);
    app.post("/api/v1/publications", who)
        .json(&json!({"unit": unit, "period": period}))
        .sent()
        .await
}

/// What the scenario's steps share: what was sent and published.
pub(super) struct Published {
    sent: Vec<Value>,
    head: String,
    second: Value,
    seq: i64,
}

/// A public JSON document (200, or the test fails).
async fn public(app: &TestApp, path: String) -> Value {
    let r = app.get(&path, As::Nobody).await;
    assert_eq!(r.status(), 200, "{path}");
    r.json::<Value>().await.unwrap()
}

async fn publishing_freezes_a_period_and_the_public_sees_it(db: Db) {
    let app = spawn_app(db).await;
    let published = frozen_and_corrected(&app).await;
    follow_up_plan(&app, &published).await;
    let open = open::complaints_shown_redacted(&app, &published).await;
    open::open_data(&app, &published, &open).await;
    open::pages_and_badge(&app, &published).await;
    app.finish().await;
}

/// Refusals; a publication frozen at the chain's head; a correction that
/// supersedes it; the frozen aggregate; anyone verifies it.
async fn frozen_and_corrected(app: &TestApp) -> Published {
    let sid = app.service_id("paspor-baru-jaksel").await;
    // Eleven: the fewest whose figures are published (below, the count alone).
    let sent: Vec<Value> = [4, 3, 4, 2, 4, 4, 3, 4, 2, 4, 3]
        .iter()
        .map(|s| response(&new_id(), &sid, json!({"U1": s, "U3": s})))
        .collect();
    app.post_results(sent.clone()).await;
    let head = app.session_cookie(Role::UnitHead, &[UNIT]).await;
    // Refusals, each with a problem document.
    let outsider = app.session_cookie(Role::UnitHead, &["kanim-bandung"]).await;
    let auditor = app.session_cookie(Role::Auditor, &[]).await;
    problem(publish(app, None, UNIT, "2026").await, 401).await;
    problem(publish(app, Some(&outsider), UNIT, "2026").await, 403).await;
    problem(publish(app, Some(&auditor), UNIT, "2026").await, 403).await;
    problem(publish(app, Some(&head), UNIT, "2026-Q5").await, 400).await;
    problem(publish(app, Some(&head), UNIT, "2099").await, 400).await;
    problem(publish(app, Some(&head), "no-such-unit", "2026").await, 404).await;

    let r = publish(app, Some(&head), UNIT, "2026").await;
    assert_eq!(r.status(), 201);
    let first: Value = r.json().await.unwrap();
    assert_eq!(first["figures"]["n"], 11);
    assert_eq!(first["unit"]["code"], UNIT);
    let (seq, hash) = app.store.chain_head().await.unwrap();
    assert_eq!(first["up_to_seq"], seq, "frozen at the chain's head");
    assert_eq!(first["chain_hash"], hash);
    assert!(first["supersedes"].is_null());

    // Later responses leave the publication as it was.
    app.post_results(vec![response(&new_id(), &sid, json!({"U1": 1}))])
        .await;
    let page = public(app, format!("/api/v1/public/units/{UNIT}")).await;
    assert_eq!(page["publications"][0]["figures"]["n"], 11);
    assert_eq!(
        page["publications"][0]["figures"]["index"],
        first["figures"]["index"]
    );

    // A correction supersedes; both stay, marked.
    let r = publish(app, Some(&head), UNIT, "2026").await;
    assert_eq!(r.status(), 201);
    let second: Value = r.json().await.unwrap();
    assert_eq!(second["supersedes"], first["id"]);
    assert_eq!(second["figures"]["n"], 12);
    let page = public(app, format!("/api/v1/public/units/{UNIT}")).await;
    let pubs = page["publications"].as_array().unwrap();
    assert_eq!(pubs.len(), 2);
    assert_eq!(pubs[0]["id"], second["id"], "newest first");
    assert_eq!(pubs[1]["superseded_by"], second["id"]);
    let audited = app.audited_changes().await;
    assert_eq!(
        audited.iter().filter(|e| e.action == "publish").count(),
        2,
        "each publication in the audit log"
    );

    // The aggregate is served as frozen: its bytes are what the
    // publication's SHA-256 names; it holds counts, never a response.
    let reference = &pubs[1]["aggregate"];
    let r = app
        .get(reference["url"].as_str().unwrap(), As::Nobody)
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "*",
        "open to any site's scripts"
    );
    let bytes = r.bytes().await.unwrap();
    assert_eq!(
        hex::encode(sha2::Sha256::digest(&bytes)),
        reference["sha256"].as_str().unwrap()
    );
    let aggregate: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(aggregate["moments"]["respondents"], 11);
    assert_eq!(aggregate["up_to_seq"], first["up_to_seq"]);
    assert!(
        aggregate.get("responses").is_none() && !String::from_utf8_lossy(&bytes).contains("\"id\"")
    );
    let elsewhere = reference["url"]
        .as_str()
        .unwrap()
        .replace(UNIT, "kanim-bandung");
    problem(app.get(&elsewhere, As::Nobody).await, 404).await;

    // Anyone with a token checks a publication against its responses; a
    // response altered behind the server's back is found.
    let token = app.token(Role::Auditor, &[]).await;
    let page_url = app.url(&format!("/publik/{UNIT}"));
    let out = suara(["verify-publication", page_url.as_str()], Some(&token)).unwrap();
    assert!(out.contains("the figures match the 12 responses"), "{out}");
    let first_id = first["id"].as_str().unwrap();
    let check = [
        "verify-publication",
        page_url.as_str(),
        "--publication",
        first_id,
    ];
    let out = suara(check, Some(&token)).unwrap();
    assert!(out.contains("match the 11 responses"), "{out}");
    let changed = sqlx::query(
        "UPDATE responses SET content = REPLACE(content, '\"U1\":4', '\"U1\":1') WHERE id = $1",
    )
    .bind(sent[0]["id"].as_str().unwrap())
    .execute(app.store.pool())
    .await
    .unwrap()
    .rows_affected();
    assert_eq!(changed, 1);
    let err = suara(check, Some(&token)).unwrap_err();
    assert!(
        err.contains("does not match: the responses do not give the published aggregate"),
        "{err}"
    );
    // Without a token, anyone checks the figures against the published
    // aggregate, which was frozen with them and so still agrees.
    let out = suara(check, None).unwrap();
    assert!(
        out.contains("follow from the published aggregate of 11 respondents"),
        "{out}"
    );
    Published {
        sent,
        head,
        second,
        seq,
    }
}

async fn follow_up_plan(app: &TestApp, p: &Published) {
    let (head, second) = (p.head.clone(), p.second.clone());
    // The follow-up plan of the publication in force: added, moved, done
    // with evidence whose metadata is gone; progress counted.
    let plan = format!(
        "/api/v1/publications/{}/follow-up",
        second["id"].as_str().unwrap()
    );
    let action = json!({"item": "U3", "action": "Menambah satu loket pada jam sibuk", "responsible": "Kepala Seksi Lalu Lintas", "due_on": "2026-12-15"});
    let bandung = app.session_cookie(Role::UnitHead, &["kanim-bandung"]).await;
    problem(
        app.post(&plan, As::Cookie(&bandung))
            .json(&action)
            .sent()
            .await,
        403,
    )
    .await;
    problem(
        app.post(&plan, As::Cookie(&head)).json(&json!({"item": "U99", "action": "x y z", "responsible": "ab", "due_on": "2026-12-15"})).sent().await,
        400,
    )
    .await;
    let r = app
        .post(&plan, As::Cookie(&head))
        .json(&action)
        .sent()
        .await;
    assert_eq!(r.status(), 201);
    let a: Value = r.json().await.unwrap();
    assert_eq!(a["status"], "planned");
    let moved = format!("/api/v1/follow-up/{}", a["id"].as_str().unwrap());
    problem(
        app.post(&moved, As::Cookie(&head))
            .json(&json!({"status": "dropped"}))
            .sent()
            .await,
        400,
    )
    .await;
    let r = app
        .post(&format!("{moved}/evidence"), As::Cookie(&head))
        .header("content-type", "image/jpeg")
        .body(crate::complaint_files::JPEG_WITH_GPS.to_vec())
        .sent()
        .await;
    assert_eq!(r.status(), 201);
    let r = app
        .post(&moved, As::Cookie(&head))
        .json(&json!({"status": "done"}))
        .sent()
        .await;
    assert_eq!(r.status(), 200);
    let done: Value = r.json().await.unwrap();
    assert_eq!(done["status"], "done");
    let evidence = done["evidence"][0].as_str().unwrap().to_owned();
    let photo = app.get(&evidence, As::Nobody).await.bytes().await.unwrap();
    assert!(photo.starts_with(&[0xFF, 0xD8]) && !photo.windows(4).any(|w| w == b"Exif"));
    let page = public(app, format!("/api/v1/public/units/{UNIT}")).await;
    let current = &page["publications"][0];
    assert_eq!(
        current["follow_up"][0]["action"],
        "Menambah satu loket pada jam sibuk"
    );
    assert_eq!(current["follow_up_progress"]["done"], 1);
    assert_eq!(current["follow_up_progress"]["done_share"], 1.0);
}

/// `make run`'s demo: a year of responses, then the demo unit's last
/// quarter published with a follow-up action, checkable by anyone.
async fn the_demo_shows_a_unit_that_published_and_planned(db: Db) {
    let app = spawn_app(db).await;
    let out = suara(
        [
            "--database-url",
            app.database_url.as_str(),
            "seed-demo",
            "--responses",
            "3000",
        ],
        None,
    )
    .unwrap();
    assert!(
        out.contains("demo publication: kanim-jakarta-selatan published"),
        "{out}"
    );
    let r = app
        .get(&format!("/api/v1/public/units/{UNIT}"), As::Nobody)
        .await;
    let page: Value = r.json().await.unwrap();
    let latest = &page["publications"][0];
    assert!(latest["figures"]["n"].as_u64().unwrap() > 0, "{latest}");
    assert_eq!(latest["follow_up"].as_array().unwrap().len(), 1);
    let page_url = app.url(&format!("/publik/{UNIT}"));
    let out = suara(["verify-publication", page_url.as_str()], None).unwrap();
    assert!(out.contains("follow from the published aggregate"), "{out}");
    app.finish().await;
}

/// Fewer respondents than the suppression threshold: the publication holds
/// their number and why nothing else, no figures and no aggregate (whose
/// sums would give one person's answers away); the page says so.
async fn a_period_with_too_few_respondents_publishes_its_count_alone(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    let sent: Vec<Value> = [4, 1, 3]
        .iter()
        .map(|s| response(&new_id(), &sid, json!({"U1": s, "U3": s})))
        .collect();
    app.post_results(sent).await;
    let head = app.session_cookie(Role::UnitHead, &[UNIT]).await;
    let r = publish(&app, Some(&head), UNIT, "2026").await;
    assert_eq!(r.status(), 201);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["figures"]["n"], 3);
    for hidden in ["index", "grade", "index_interval"] {
        assert!(p["figures"][hidden].is_null(), "{hidden}: {p}");
    }
    assert_eq!(p["figures"]["items"], json!([]));
    assert_eq!(p["figures"]["withheld"]["below"], 11);
    assert!(p["aggregate"].is_null());
    let html = app.get_text(&format!("/publik/{UNIT}"), "").await;
    assert!(html.contains("data-figure=\"withheld\""), "{html}");
    let page_url = app.url(&format!("/publik/{UNIT}"));
    let err = suara(["verify-publication", page_url.as_str()], None).unwrap_err();
    assert!(err.contains("withholds its figures"), "{err}");
    app.finish().await;
}
