//! Administration: the catalogue grows, accounts are created and disabled,
//! and every change is in the audit log with who, what, before and after.

use crate::helpers::{location, new_id, response, spawn_app, As, Db, Sent, TestApp};
use serde_json::{json, Value};
use suara::auth::Role;

crate::both!(
    an_administrator_adds_a_service_that_citizens_can_rate_at_once,
    accounts_are_created_and_disabled_with_an_audit_trail,
    a_questionnaire_edit_is_a_new_version_and_old_responses_keep_theirs,
);

async fn post(app: &TestApp, path: &str, cookie: &str, body: &str) -> String {
    let r = app
        .post(path, As::Cookie(cookie))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .sent()
        .await;
    assert_eq!(r.status(), 303, "{path} {body}");
    location(&r)
}

async fn an_administrator_adds_a_service_that_citizens_can_rate_at_once(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.session_cookie(Role::Admin, &[]).await;
    assert_eq!(
        post(
            &app,
            "/admin/agency",
            &admin,
            "code=dinkes-depok&name=Dinas+Kesehatan+Kota+Depok"
        )
        .await,
        "/admin?done=agency"
    );
    assert_eq!(
        post(
            &app,
            "/admin/unit",
            &admin,
            "agency=dinkes-depok&code=pkm-beji&name=Puskesmas+Beji&yearly_volume=12000"
        )
        .await,
        "/admin?done=unit"
    );
    assert_eq!(
        post(
            &app,
            "/admin/service",
            &admin,
            "unit=pkm-beji&code=imunisasi-beji&name=Imunisasi+Anak&questionnaire=skm-2017"
        )
        .await,
        "/admin?done=service"
    );
    // Refusals change nothing and say why.
    for (path, body, error) in [
        (
            "/admin/service",
            "unit=pkm-beji&code=imunisasi-beji&name=Lagi&questionnaire=skm-2017",
            "code-taken",
        ),
        (
            "/admin/service",
            "unit=pkm-beji&code=Bad+Code&name=X&questionnaire=skm-2017",
            "bad-code",
        ),
        (
            "/admin/service",
            "unit=tidak-ada&code=baru-sekali&name=X&questionnaire=skm-2017",
            "unknown",
        ),
        (
            "/admin/service",
            "unit=pkm-beji&code=baru-sekali&name=X&questionnaire=tidak-ada",
            "unknown",
        ),
        (
            "/admin/unit",
            "agency=dinkes-depok&code=pkm-lain&name=X&yearly_volume=-3",
            "bad-volume",
        ),
        ("/admin/agency", "code=dinkes-lain&name=+++", "empty-name"),
    ] {
        assert_eq!(
            post(&app, path, &admin, body).await,
            format!("/admin?error={error}"),
            "{body}"
        );
    }
    let page = app.get_text("/admin?error=code-taken", &admin).await;
    assert!(page.contains("Kode itu sudah dipakai."));
    // A body that is not a form is refused as every other refusal is.
    for (path, content_type, status) in [
        ("/admin/agency", "application/json", 415),
        ("/admin/account/units", "application/json", 415),
        ("/admin/calendar", "text/plain", 415),
    ] {
        let r = app
            .post(path, As::Cookie(&admin))
            .header("content-type", content_type)
            .body(r#"{"code":"x","name":"y"}"#)
            .sent()
            .await;
        assert_eq!(r.status(), status, "{path}");
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
    }

    // The citizen catalogue has it, and its form opens.
    let catalog = app.get_text("/api/v1/catalog", "").await;
    assert!(catalog.contains("imunisasi-beji") && catalog.contains("Puskesmas Beji"));
    assert!(!catalog.contains("baru-sekali"));
    let form = app.get("/s/imunisasi-beji", As::Nobody).await;
    assert_eq!(form.status(), 200);
    assert!(form.text().await.unwrap().contains("Imunisasi Anak"));

    // Renamed, with the old name kept in the audit log.
    post(
        &app,
        "/admin/service/rename",
        &admin,
        "code=imunisasi-beji&name=Imunisasi+Dasar+Anak",
    )
    .await;
    let page = app.get_text("/admin?q=beji", &admin).await;
    assert!(page.contains("Imunisasi Dasar Anak"));
    assert!(page.contains("data-service=\"imunisasi-beji\""));
    assert!(
        !page.contains("data-service=\"paspor-baru-jaksel\""),
        "the search narrows the catalogue"
    );
    let log = app.audited_changes().await;
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["service.rename", "service.add", "unit.add", "agency.add"]
    );
    assert!(log.iter().all(|e| e.actor.ends_with("@test.example")));
    assert_eq!(
        log[0].before.as_deref(),
        Some(r#"{"name":"Imunisasi Anak"}"#)
    );
    assert_eq!(
        log[0].after.as_deref(),
        Some(r#"{"name":"Imunisasi Dasar Anak"}"#)
    );
    assert!(log[2].after.as_deref().unwrap().contains("12000"));
    app.finish().await;
}

async fn accounts_are_created_and_disabled_with_an_audit_trail(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.session_cookie(Role::Admin, &[]).await;
    // A unit head for two units (a multi-select sends `units` twice).
    let body = "email=Kepala.Baru%40test.example&role=unit-head&units=kanim-jakarta-selatan&units=kanim-bandung&password=long+enough+pw";
    assert_eq!(
        post(&app, "/admin/account", &admin, body).await,
        "/admin?done=account"
    );
    assert_eq!(
        post(&app, "/admin/account", &admin, body).await,
        "/admin?error=email-taken"
    );
    assert_eq!(
        post(
            &app,
            "/admin/account",
            &admin,
            "email=x%40test.example&role=unit-head&password=long+enough+pw"
        )
        .await,
        "/admin?error=no-unit"
    );
    assert_eq!(
        post(
            &app,
            "/admin/account",
            &admin,
            "email=y%40test.example&role=auditor&password=short"
        )
        .await,
        "/admin?error=weak-password"
    );
    let r = app
        .sign_in("kepala.baru@test.example", "long enough pw")
        .await;
    let session = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let mine = app.get_text("/dashboard", &session).await;
    assert!(
        mine.contains("value=\"unit.kanim-bandung\"")
            && mine.contains("value=\"unit.kanim-jakarta-selatan\"")
    );
    assert!(!mine.contains("value=\"unit.disdukcapil-bandung\""));
    let page = app.get_text("/admin", &admin).await;
    assert!(
        page.contains("kanim-bandung, kanim-jakarta-selatan"),
        "{page}"
    );
    // Reassigned to Bandung only: the session sees Bandung and no longer Jakarta.
    assert_eq!(
        post(
            &app,
            "/admin/account/units",
            &admin,
            "email=kepala.baru%40test.example&units=kanim-bandung"
        )
        .await,
        "/admin?done=units"
    );
    let mine = app.get_text("/dashboard", &session).await;
    assert!(mine.contains("value=\"unit.kanim-bandung\""));
    assert!(!mine.contains("value=\"unit.kanim-jakarta-selatan\""));
    assert_eq!(
        post(
            &app,
            "/admin/account/units",
            &admin,
            "email=kepala.baru%40test.example"
        )
        .await,
        "/admin?error=no-unit"
    );

    // Disabled: signed out everywhere, and no way back in.
    assert_eq!(
        post(
            &app,
            "/admin/account/disable",
            &admin,
            "email=kepala.baru%40test.example"
        )
        .await,
        "/admin?done=disable"
    );
    assert!(!app
        .get_text("/dashboard", &session)
        .await
        .contains("scope-index"));
    let again = app
        .sign_in("kepala.baru@test.example", "long enough pw")
        .await;
    assert!(again.headers().get("set-cookie").is_none());
    assert_eq!(
        post(
            &app,
            "/admin/account/enable",
            &admin,
            "email=kepala.baru%40test.example"
        )
        .await,
        "/admin?done=enable"
    );
    let log = app.audited_changes().await;
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "account.enable",
            "account.disable",
            "account.units",
            "account.add"
        ]
    );
    assert_eq!(log[1].before.as_deref(), Some(r#"{"disabled":false}"#));
    assert_eq!(
        log[2].before.as_deref(),
        Some(r#"{"units":["kanim-bandung","kanim-jakarta-selatan"]}"#)
    );
    assert_eq!(
        log[2].after.as_deref(),
        Some(r#"{"units":["kanim-bandung"]}"#)
    );
    assert!(
        !log[3].after.as_deref().unwrap().contains("long enough"),
        "no password in the log"
    );
    // A unit head cannot administer.
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let r = app
        .post_form(
            "/admin/agency",
            As::Cookie(&head),
            &[("code", "x-y"), ("name", "X")],
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        app.audited_changes().await.len(),
        4,
        "a refused change leaves no entry"
    );
    app.finish().await;
}

async fn a_questionnaire_edit_is_a_new_version_and_old_responses_keep_theirs(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.session_cookie(Role::Admin, &[]).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    let before = response(&new_id(), &sid, json!({"U1": 2}));
    app.post_results(vec![before]).await;
    let catalog: Value = serde_json::from_str(&app.get_text("/api/v1/catalog", "").await).unwrap();
    let mut skm = catalog["questionnaires"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "skm-2017")
        .unwrap()
        .clone();
    assert_eq!(skm["version"], 1);
    let page = app.get_text("/admin", &admin).await;
    assert!(
        page.contains("name=\"definition\""),
        "the page offers the definition to edit"
    );

    // Broken edits are refused with what is wrong, and change nothing.
    let enc =
        |def: &str| serde_urlencoded::to_string([("id", "skm-2017"), ("definition", def)]).unwrap();
    let r = post(&app, "/admin/questionnaire", &admin, &enc("{not json")).await;
    assert!(
        r.starts_with("/admin?error=bad-questionnaire&detail="),
        "{r}"
    );
    let mut twice = skm.clone();
    twice["items"][1]["code"] = json!("U1");
    let r = post(
        &app,
        "/admin/questionnaire",
        &admin,
        &enc(&twice.to_string()),
    )
    .await;
    assert!(r.contains("U1"), "{r}");
    let shown = app.get_text(&r, &admin).await;
    assert!(
        shown.contains("Definisi kuesioner tidak sah: item code U1 appears twice"),
        "{shown}"
    );

    skm["items"][0]["label"]["en"] = json!("Requirements (documents)");
    let r = post(&app, "/admin/questionnaire", &admin, &enc(&skm.to_string())).await;
    assert_eq!(r, "/admin?done=questionnaire");
    let catalog: Value = serde_json::from_str(&app.get_text("/api/v1/catalog", "").await).unwrap();
    let v2 = catalog["questionnaires"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "skm-2017" && q["version"] == 2)
        .expect("version 2 is in the catalogue");
    assert_eq!(v2["items"][0]["label"]["en"], "Requirements (documents)");
    let services: Vec<&Value> = catalog["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["units"].as_array().unwrap())
        .flat_map(|u| u["services"].as_array().unwrap())
        .filter(|s| s["questionnaire_id"] == "skm-2017")
        .collect();
    assert!(!services.is_empty() && services.iter().all(|s| s["questionnaire_version"] == 2));

    // A phone with the old catalogue still delivers; new ones answer version 2.
    let mut old = response(&new_id(), &sid, json!({"U1": 3}));
    old["questionnaire_version"] = json!(1);
    let mut new = response(&new_id(), &sid, json!({"U1": 4}));
    new["questionnaire_version"] = json!(2);
    let results = app.post_results(vec![old, new]).await;
    assert!(
        results.iter().all(|r| r["status"] == "accepted"),
        "{results:?}"
    );
    let csv = app
        .export(&app.token(Role::Auditor, &[]).await, "")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv.matches(",skm-2017,1,").count(), 2, "{csv}");
    assert_eq!(csv.matches(",skm-2017,2,").count(), 1, "{csv}");

    let log = app.store.audit_log(5).await.unwrap();
    // Newest first: the export just made, then the edit.
    assert_eq!(log[0].action, "export");
    assert_eq!(log[1].action, "questionnaire.version");
    assert_eq!(log[1].before.as_deref(), Some(r#"{"version":1}"#));
    assert!(log[1].after.as_deref().unwrap().contains(r#""version":2"#));
    app.finish().await;
}
