//! `suara catalog import` and `export`: a national catalogue from a
//! spreadsheet, on SQLite and PostgreSQL.

use crate::both;
use crate::helpers::{spawn_app, suara, Db, TestApp};
use sha2::{Digest, Sha256};
use std::path::Path;
use suara::auth::Role;

both!(
    a_national_catalogue_imports_once_and_is_then_unchanged,
    a_rename_is_one_change_and_a_refused_row_stops_the_import,
    an_export_imports_as_unchanged_and_exports_the_same_bytes,
    the_demo_loads_a_regency_catalogue_once,
);

const HEADER: &str = "agency_code,agency_name,unit_code,unit_name,unit_yearly_volume,service_code,service_name,questionnaire,service_name_en";

/// 15 agencies of 2 units of 8 services: 240 services.
pub fn national() -> String {
    let mut s = format!("{HEADER}\n");
    for a in 1..=15 {
        for u in 1..=2 {
            for v in 1..=8 {
                s.push_str(&format!(
                    "dinas-{a},Dinas {a},dinas-{a}-upt-{u},\"UPT {u}, Dinas {a}\",{},layanan-{a}-{u}-{v},Layanan {v} UPT {u} Dinas {a},skm-2017,Service {v}\n",
                    1000 * u
                ));
            }
        }
    }
    s
}

fn import(app: &TestApp, file: &Path, dry_run: bool) -> Result<String, String> {
    let mut args = vec![
        "--database-url",
        app.database_url.as_str(),
        "catalog",
        "import",
        file.to_str().unwrap(),
    ];
    if dry_run {
        args.push("--dry-run");
    }
    suara(args, None)
}

/// `suara catalog export FILE` on the app's database.
pub fn export(app: &TestApp, file: &Path) {
    let url = app.database_url.as_str();
    let args = [
        "--database-url",
        url,
        "catalog",
        "export",
        file.to_str().unwrap(),
    ];
    suara(args, None).unwrap();
}

pub async fn services(app: &TestApp) -> i64 {
    app.count(
        "SELECT COUNT(*) FROM services WHERE questionnaire_id = $1",
        "skm-2017",
    )
    .await
}

pub async fn imports(app: &TestApp) -> Vec<app::model::audit::AuditView> {
    app.audited_changes()
        .await
        .into_iter()
        .filter(|e| e.action == "catalog.import")
        .collect()
}

async fn a_national_catalogue_imports_once_and_is_then_unchanged(db: Db) {
    let app = spawn_app(db).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("katalog.csv");
    std::fs::write(&file, national()).unwrap();
    let before = services(&app).await;

    // The preview says what would happen and changes nothing.
    let preview = import(&app, &file, true).unwrap();
    assert!(preview.contains("240 rows"), "{preview}");
    assert!(
        preview.contains("agencies: 15 new, 0 changed; units: 30 new, 0 changed; services: 240 new, 0 changed, 0 unchanged"),
        "{preview}"
    );
    assert!(
        preview.contains("preview only: nothing changed"),
        "{preview}"
    );
    // The demo's services are not in the file: listed, kept.
    assert!(
        preview.contains("not in the file, kept as they are"),
        "{preview}"
    );
    assert_eq!(services(&app).await, before);
    assert!(imports(&app).await.is_empty());

    let done = import(&app, &file, false).unwrap();
    assert!(
        done.contains("applied, in one transaction, audited"),
        "{done}"
    );
    assert_eq!(services(&app).await, before + 240);
    let log = imports(&app).await;
    assert_eq!(log.len(), 1, "one audit entry for the whole import");
    let after: serde_json::Value = serde_json::from_str(log[0].after.as_deref().unwrap()).unwrap();
    let sha = hex::encode(Sha256::digest(national().as_bytes()));
    assert_eq!(after["sha256"], sha);
    assert_eq!(after["counts"]["services_added"], 240);
    assert_eq!(after["counts"]["units_added"], 30);
    assert_eq!(log[0].actor, "cli");
    assert_eq!(log[0].target, "katalog.csv");

    // A citizen finds a new service; its unit's volume and English name are kept.
    let page = app
        .http
        .get(app.url("/s/layanan-7-2-3"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Layanan 3 UPT 2 Dinas 7"));
    assert_eq!(
        app.count(
            "SELECT yearly_volume FROM units WHERE code = $1",
            "dinas-7-upt-2"
        )
        .await,
        2000
    );

    // The same file again: unchanged, and nothing written to the log.
    let again = import(&app, &file, false).unwrap();
    assert!(again.contains("240 unchanged"), "{again}");
    assert!(
        again.contains("unchanged: the catalogue already says"),
        "{again}"
    );
    assert_eq!(imports(&app).await.len(), 1);

    // On /admin, 240 services come folded by agency, each agency saying how
    // many it has; a search unfolds what it finds.
    let admin = app.session_cookie(Role::Admin, &[]).await;
    let page = app.get_text("/admin", &admin).await;
    let catalogue = &page[page.find("data-figure=\"catalogue\"").unwrap()..];
    let catalogue = &catalogue[..catalogue.find("</ul></section>").unwrap_or(catalogue.len())];
    assert!(catalogue.contains("data-service=\"layanan-7-2-3\""));
    assert!(!catalogue.contains("<details open"), "folded");
    assert!(catalogue.contains("16 layanan"), "each agency's count");
    let found = app.get_text("/admin?q=dinas+7", &admin).await;
    assert!(found.contains("<details open"), "a search unfolds");
    app.finish().await;
}

async fn a_rename_is_one_change_and_a_refused_row_stops_the_import(db: Db) {
    let app = spawn_app(db).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("katalog.csv");
    std::fs::write(&file, national()).unwrap();
    import(&app, &file, false).unwrap();

    let renamed = national().replace(
        "Layanan 5 UPT 1 Dinas 3,",
        "Layanan Kartu Keluarga UPT 1 Dinas 3,",
    );
    // A second rename of the same service, a bad code, an unknown
    // questionnaire: each refused with its line; nothing is applied.
    let broken = format!(
        "{renamed}dinas-3,Dinas 3,dinas-3-upt-1,\"UPT 1, Dinas 3\",1000,layanan-3-1-5,Lagi,skm-2017,\n\
         dinas-3,Dinas 3,dinas-3-upt-1,\"UPT 1, Dinas 3\",1000,Layanan Baru!,Baru,skm-2017,\n\
         dinas-3,Dinas 3,dinas-3-upt-1,\"UPT 1, Dinas 3\",1000,layanan-baru,Baru,skm-1999,\n"
    );
    std::fs::write(&file, &broken).unwrap();
    let err = import(&app, &file, false).unwrap_err();
    assert!(
        err.contains("3 rows refused"),
        "the command fails, saying how many: {err}"
    );
    let preview = {
        // A failing command's report is on its standard output.
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_suara"));
        cmd.args([
            "--database-url",
            app.database_url.as_str(),
            "catalog",
            "import",
            file.to_str().unwrap(),
            "--dry-run",
        ]);
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    assert!(
        preview.contains("REFUSED line 242: service layanan-3-1-5 is on line 38 already"),
        "{preview}"
    );
    assert!(
        preview.contains("REFUSED line 243: service_code \"Layanan Baru!\" is not a code"),
        "{preview}"
    );
    assert!(
        preview.contains("REFUSED line 244: no questionnaire has the id \"skm-1999\""),
        "{preview}"
    );
    assert!(preview.contains("NOT applied"), "{preview}");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM services WHERE name = $1",
            "Layanan Kartu Keluarga UPT 1 Dinas 3"
        )
        .await,
        0,
        "nothing of a refused file is applied"
    );

    // Without the refused rows, the rename is the one change.
    std::fs::write(&file, &renamed).unwrap();
    let done = import(&app, &file, false).unwrap();
    assert!(
        done.contains("services: 0 new, 1 changed, 239 unchanged"),
        "{done}"
    );
    assert!(
        done.contains("+ service layanan-3-1-5: renamed \"Layanan 5 UPT 1 Dinas 3\" → \"Layanan Kartu Keluarga UPT 1 Dinas 3\""),
        "{done}"
    );
    app.finish().await;
}

async fn an_export_imports_as_unchanged_and_exports_the_same_bytes(db: Db) {
    let app = spawn_app(db).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("katalog.csv");
    std::fs::write(&file, national()).unwrap();
    import(&app, &file, false).unwrap();

    for name in ["ekspor.csv", "ekspor.xlsx"] {
        let out = dir.path().join(name);
        export(&app, &out);
        let again = import(&app, &out, false).unwrap();
        assert!(
            again.contains("unchanged: the catalogue already says"),
            "{name}: {again}"
        );
        assert!(
            !again.contains("not in the file"),
            "{name}: every service is in it: {again}"
        );
        if name.ends_with(".csv") {
            let first = std::fs::read(&out).unwrap();
            let text = String::from_utf8(first.clone()).unwrap();
            assert!(text.starts_with(
                "agency_code,agency_name,unit_code,unit_name,unit_yearly_volume,service_code,service_name,questionnaire,agency_name_en,unit_name_en,service_name_en,unit_time_zone,unit_opening_hours\n"
            ));
            assert!(text.contains(
                "dinas-7,Dinas 7,dinas-7-upt-2,\"UPT 2, Dinas 7\",2000,layanan-7-2-3,Layanan 3 UPT 2 Dinas 7,skm-2017,,,Service 3,Asia/Jakarta,\n"
            ), "{text}");
            export(&app, &out);
            assert_eq!(
                std::fs::read(&out).unwrap(),
                first,
                "a second export is the same file"
            );
        }
    }
    app.finish().await;
}

async fn the_demo_loads_a_regency_catalogue_once(db: Db) {
    let app = spawn_app(db).await;
    let before = services(&app).await;
    let url = app.database_url.as_str();
    let args = [
        "--database-url",
        url,
        "seed-demo",
        "--empty",
        "--catalogue",
        "national",
    ];
    let out = suara(args, None).unwrap();
    assert!(out.contains("240 services new, 0 unchanged"), "{out}");
    assert_eq!(services(&app).await, before + 240);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM agencies WHERE code LIKE $1",
            "%-sukamaju"
        )
        .await,
        15
    );
    let again = suara(args, None).unwrap();
    assert!(again.contains("0 services new, 240 unchanged"), "{again}");
    // The citizen catalogue carries them, under their agencies and units.
    let catalog: serde_json::Value = app
        .http
        .get(app.url("/api/v1/catalog"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = catalog["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["units"].as_array().unwrap())
        .flat_map(|u| u["services"].as_array().unwrap())
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Surat Keterangan Catatan Kepolisian"));
    assert!(names.len() >= 240);
    app.finish().await;
}
