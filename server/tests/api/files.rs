//! The file exports: XLSX (numbers as numbers, the items, the manifest)
//! and the Data Package, which `frictionless validate` accepts.

use crate::chain::{download_bytes, seed, verified};
use crate::helpers::{spawn_app, Db};
use serde_json::Value;
use suara::auth::Role;
use suara::verify::verify_path;

crate::both!(xlsx_and_data_package_round_trip_and_validate);

/// `frictionless` from PyPI: `make test` installs it and sets
/// SUARA_FRICTIONLESS; without it this fails rather than pass unchecked.
pub(crate) fn frictionless() -> String {
    std::env::var("SUARA_FRICTIONLESS").unwrap_or_else(|_| {
        panic!("SUARA_FRICTIONLESS is not set: run `make test`, which installs frictionless")
    })
}

async fn xlsx_and_data_package_round_trip_and_validate(db: Db) {
    use calamine::{Data, Reader};
    let app = spawn_app(db).await;
    let sent = seed(&app).await;
    let token = app.token(Role::Auditor, &[]).await;
    let dir = tempfile::tempdir().unwrap();

    // XLSX: the responses with numbers as numbers, the items, the manifest.
    let (headers, xlsx) = download_bytes(&app, &token, "?format=xlsx").await;
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(headers["suara-row-count"], "5");
    let path = dir.path().join("export.xlsx");
    std::fs::write(&path, &xlsx).unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["responses", "items", "catalogue", "manifest"]
    );
    let sheet = book.worksheet_range("responses").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows.len(), 6, "a header and five responses");
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (i, s) in sent.iter().enumerate() {
        let row = rows[i + 1];
        assert_eq!(row[col("seq")], Data::Float((i + 1) as f64));
        assert_eq!(row[col("id")].to_string(), s["id"].as_str().unwrap());
        for (code, score) in s["scores"].as_object().unwrap() {
            assert_eq!(
                row[col(code)],
                Data::Float(score.as_f64().unwrap()),
                "{code}"
            );
        }
        assert_eq!(
            row[col("comment")].to_string(),
            s.get("comment").and_then(Value::as_str).unwrap_or("")
        );
    }
    let items = book.worksheet_range("items").unwrap();
    assert!(items.rows().any(|r| r[0] == "skm-2017" && r[3] == "U9"));
    let manifest = book.worksheet_range("manifest").unwrap();
    assert!(manifest.rows().any(|r| r[0] == "row_count" && r[1] == "5"));

    // The Data Package: frictionless accepts it, and `suara verify` proves it
    // with the manifest inside. It carries the complaints with their history.
    let code = crate::complaints::filed(
        &app,
        "paspor-baru-jaksel",
        "Loket 2, \"sistem rusak\",\nkata petugas.",
    )
    .await;
    let (headers, zip) = download_bytes(&app, &token, "?format=datapackage").await;
    assert_eq!(headers["content-type"], "application/zip");
    let zip_path = dir.path().join("suara-datapackage.zip");
    std::fs::write(&zip_path, &zip).unwrap();
    let report = verified(&zip_path, None);
    assert_eq!(report.rows, 5);
    let unpacked = dir.path().join("package");
    zip::ZipArchive::new(std::io::Cursor::new(&zip))
        .unwrap()
        .extract(&unpacked)
        .unwrap();
    let out = std::process::Command::new(frictionless())
        .arg("validate")
        .arg(unpacked.join("datapackage.json"))
        .output()
        .expect("frictionless runs");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "frictionless: {said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let package: Value =
        serde_json::from_str(&std::fs::read_to_string(unpacked.join("datapackage.json")).unwrap())
            .unwrap();
    assert!(package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["path"] == "complaints.csv"));
    let complaints = std::fs::read_to_string(unpacked.join("complaints.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(complaints.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "one complaint, received: one move ({code})");
    assert_eq!(&rows[0][6], "Loket 2, \"sistem rusak\",\nkata petugas.");
    assert_eq!(&rows[0][12], "diterima");
    let responses = std::fs::read_to_string(unpacked.join("responses.csv")).unwrap();
    assert_eq!(
        responses.lines().count(),
        7,
        "header, 5 rows, and the comment's own line break"
    );
    // One changed score inside the package is found.
    let changed = responses.replacen(",4,", ",3,", 1);
    assert_ne!(changed, responses);
    let mut w = zip::ZipWriter::new(std::fs::File::create(dir.path().join("changed.zip")).unwrap());
    for name in ["manifest.json", "responses.csv"] {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        let text = if name == "responses.csv" {
            changed.clone()
        } else {
            std::fs::read_to_string(unpacked.join(name)).unwrap()
        };
        std::io::Write::write_all(&mut w, text.as_bytes()).unwrap();
    }
    w.finish().unwrap();
    let report = verify_path(&dir.path().join("changed.zip"), None).unwrap();
    assert!(report.problem.unwrap().starts_with("row 1 (seq 1"));
    app.finish().await;
}
