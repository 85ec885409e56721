//! The leadership role: an inspectorate or a regent's office reads the
//! overview, the dashboards and the reports of the units of its agencies —
//! a unit added to one later included — and nothing else: no other
//! agency's units, no complaint's words, no rows, no change.

use crate::helpers::{location, As, Db, Sent, TestApp};
use suara::auth::Role;

crate::both!(leadership_reads_its_agencies_figures_and_nothing_else);

async fn leadership_reads_its_agencies_figures_and_nothing_else(db: Db) {
    let app = TestApp::builder().spawn(db).await;
    let admin = app.session_cookie(Role::Admin, &[]).await;
    // Made by an administrator on the page: agencies are its scope; none
    // is refused in words.
    let form = |agencies: &str| {
        format!(
            "email=Inspektorat%40test.example&role=leadership{agencies}&password=long+enough+pw"
        )
    };
    let add = |body: String| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let r = app
                .post("/admin/account", As::Cookie(&admin))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .sent()
                .await;
            assert_eq!(r.status(), 303);
            location(&r)
        }
    };
    assert_eq!(add(form("")).await, "/admin?error=no-agency");
    assert_eq!(
        add(form("&agencies=nope-nope")).await,
        "/admin?error=unknown"
    );
    assert_eq!(
        add(form("&agencies=ditjen-imigrasi")).await,
        "/admin?done=account"
    );
    let admin_page = app.get_text("/admin", &admin).await;
    let row = admin_page
        .split("data-account=\"inspektorat@test.example\"")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap()
        .to_owned();
    assert!(
        row.contains("leadership") && row.contains("ditjen-imigrasi"),
        "{row}"
    );

    // A unit added to the agency later is in the scope at once.
    for (path, body) in [
        ("/admin/unit", "agency=ditjen-imigrasi&code=kanim-baru&name=Kantor+Imigrasi+Baru&time_zone=Asia%2FJayapura"),
        ("/admin/service", "unit=kanim-baru&code=paspor-baru-baru&name=Paspor&questionnaire=skm-2017"),
    ] {
        let r = app
            .post(path, As::Cookie(&admin))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .sent()
            .await;
        assert!(location(&r).contains("?done="), "{path}: {}", location(&r));
    }
    let id: String = sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
        .bind("inspektorat@test.example")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    let session = app.store.create_session(id.parse().unwrap()).await.unwrap();
    let lead = format!("suara_session={session}");

    // The overview: its agency's units only, and only its agency to filter by.
    let page = app.get_text("/ikhtisar", &lead).await;
    assert!(page.contains("data-figure=\"overview\""), "{page}");
    for unit in ["kanim-jakarta-selatan", "kanim-bandung", "kanim-baru"] {
        assert!(
            page.contains(&format!("data-unit=\"{unit}\"")),
            "{unit} missing"
        );
    }
    assert!(!page.contains("data-unit=\"disdukcapil-bandung\""));
    assert!(
        !page.contains("Dinas Kependudukan"),
        "another agency is named"
    );
    let csv = app.get_text("/ikhtisar.csv", &lead).await;
    assert!(
        csv.contains("kanim-bandung") && !csv.contains("disdukcapil"),
        "{csv}"
    );

    // Dashboards and reports of its units; not another agency's.
    let status = |path: &'static str| {
        let lead = lead.clone();
        let app = &app;
        async move { app.get(path, As::Cookie(&lead)).await.status().as_u16() }
    };
    assert_eq!(status("/dashboard?scope=unit.kanim-bandung").await, 200);
    assert_eq!(
        status("/reports/skm?unit=kanim-bandung&period=2026").await,
        200
    );
    assert_eq!(status("/api/v1/summary?unit=kanim-bandung").await, 200);
    assert_eq!(
        status("/dashboard?scope=unit.disdukcapil-bandung").await,
        403
    );
    assert_eq!(
        status("/api/v1/summary?unit=disdukcapil-bandung").await,
        403
    );
    // No complaint's words, no rows, no audit log, no change.
    assert_eq!(status("/api/v1/complaints").await, 403);
    assert_eq!(status("/api/v1/complaints/export?format=jsonl").await, 403);
    assert_eq!(status("/api/v1/export.csv?unit=kanim-bandung").await, 403);
    assert_eq!(status("/api/v1/audit").await, 403);
    assert_eq!(status("/admin").await, 403);
    let publish = app
        .post("/api/v1/publications", As::Cookie(&lead))
        .json(&serde_json::json!({"unit": "kanim-bandung", "period": "2026"}))
        .sent()
        .await;
    assert_eq!(publish.status(), 403);
    app.finish().await;
}
