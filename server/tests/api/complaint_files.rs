//! A complaint's photos and evidence: stored once by their own id, checked
//! by their bytes, stripped of their metadata, limited in size and number,
//! and never at the cost of what was stored before.

use crate::complaints::{filed, view};
use crate::helpers::{problem, spawn_app, As, Db, Sent, TestApp};
use serde_json::Value;
use suara::auth::Role;
use uuid::Uuid;

crate::both!(photos_are_stored_once_without_their_metadata_and_within_limits);

pub const JPEG_WITH_GPS: &[u8] = include_bytes!("../fixtures/gps.jpg");

async fn put(
    app: &TestApp,
    who: As<'_>,
    code: &str,
    id: &str,
    ct: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    who.on(app
        .http
        .put(app.url(&format!("/api/v1/complaints/{code}/attachments/{id}"))))
        .header("origin", app.url(""))
        // The citizen's key (staff need none; theirs is ignored).
        .header("suara-key", crate::complaints::key_of(code))
        .header("content-type", ct)
        .body(body)
        .sent()
        .await
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

async fn photos_are_stored_once_without_their_metadata_and_within_limits(db: Db) {
    let app = spawn_app(db).await;
    let code = filed(
        &app,
        "paspor-baru-jaksel",
        "Atap ruang tunggu bocor di atas kursi.",
    )
    .await;
    let jpeg = JPEG_WITH_GPS.to_vec();
    let first = Uuid::new_v4().to_string();
    // Only the citizen adds photos: without the key, or with another, 403.
    for key in [None, Some("another-devices-key-0123456789")] {
        let mut req = app
            .http
            .put(app.url(&format!("/api/v1/complaints/{code}/attachments/{first}")))
            .header("content-type", "image/jpeg")
            .body(jpeg.clone());
        if let Some(k) = key {
            req = req.header("suara-key", k);
        }
        problem(req.send().await.unwrap(), 403).await;
    }
    let r = put(&app, As::Nobody, &code, &first, "image/jpeg", jpeg.clone()).await;
    assert_eq!(r.status(), 201);
    let stored: Value = r.json().await.unwrap();
    assert_eq!(stored["from"], "citizen");
    // What is served has no EXIF, no GPS and no comment, and is still a JPEG.
    let url = stored["url"].as_str().unwrap().to_owned();
    let r = app.get(&url, As::Nobody).await;
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    let bytes = r.bytes().await.unwrap();
    assert!(contains(&jpeg, b"GPSLatitude"));
    assert!(
        !contains(&bytes, b"Exif")
            && !contains(&bytes, b"GPSLatitude")
            && !contains(&bytes, b"Budi")
    );
    assert!(bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9]));
    // Sent again: the same file, stored once; another file under its id: refused.
    let r = put(&app, As::Nobody, &code, &first, "image/jpeg", jpeg.clone()).await;
    assert_eq!(r.status(), 200);
    let mut other = jpeg.clone();
    other.insert(other.len() - 2, 0x00);
    problem(
        put(&app, As::Nobody, &code, &first, "image/jpeg", other).await,
        409,
    )
    .await;
    // Not an image, not what it says, a document from a citizen, too large.
    let id = || Uuid::new_v4().to_string();
    let p = problem(
        put(
            &app,
            As::Nobody,
            &code,
            &id(),
            "image/gif",
            b"GIF89a....".to_vec(),
        )
        .await,
        400,
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("JPEG"));
    problem(
        put(&app, As::Nobody, &code, &id(), "image/png", jpeg.clone()).await,
        400,
    )
    .await;
    problem(
        put(
            &app,
            As::Nobody,
            &code,
            &id(),
            "application/pdf",
            b"%PDF-1.7\n%%EOF".to_vec(),
        )
        .await,
        400,
    )
    .await;
    let mut huge = jpeg.clone();
    huge.resize(2 * 1024 * 1024 + 1, 0);
    problem(
        put(&app, As::Nobody, &code, &id(), "image/jpeg", huge).await,
        413,
    )
    .await;
    // Three photos at most; the fourth is refused and the three stay.
    for _ in 0..2 {
        assert_eq!(
            put(&app, As::Nobody, &code, &id(), "image/jpeg", jpeg.clone())
                .await
                .status(),
            201
        );
    }
    problem(
        put(&app, As::Nobody, &code, &id(), "image/jpeg", jpeg.clone()).await,
        409,
    )
    .await;
    let v = view(&app, &code).await;
    assert_eq!(v["attachments"].as_array().unwrap().len(), 3);
    assert_eq!(v["state"], "diterima", "nothing else changed");
    let page = app.get_text(&format!("/pengaduan/{code}"), "").await;
    assert_eq!(
        page.matches("class=\"attachment\"").count(),
        3,
        "the photos on the page"
    );
    // The unit's evidence: a document too; another unit and auditors may not.
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let bandung = app.session_cookie(Role::UnitHead, &["kanim-bandung"]).await;
    let auditor = app.token(Role::Auditor, &[]).await;
    let pdf = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF".to_vec();
    let r = put(
        &app,
        As::Cookie(&head),
        &code,
        &id(),
        "application/pdf",
        pdf.clone(),
    )
    .await;
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["from"], "unit");
    problem(
        put(
            &app,
            As::Cookie(&bandung),
            &code,
            &id(),
            "application/pdf",
            pdf.clone(),
        )
        .await,
        403,
    )
    .await;
    problem(
        put(
            &app,
            As::Token(&auditor),
            &code,
            &id(),
            "application/pdf",
            pdf,
        )
        .await,
        403,
    )
    .await;
    problem(
        app.get(
            &format!("/api/v1/complaints/{code}/attachments/{}", id()),
            As::Nobody,
        )
        .await,
        404,
    )
    .await;
    // From the complaint's page: a multipart form with one file.
    let page = app.get_text(&format!("/pengaduan/{code}"), &head).await;
    assert!(page.contains("enctype=\"multipart/form-data\""));
    let boundary = "suara-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bukti.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(JPEG_WITH_GPS);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = app
        .post(&format!("/pengaduan/{code}/berkas"), As::Cookie(&head))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .sent()
        .await;
    assert_eq!(r.status(), 303);
    let to = crate::helpers::location(&r);
    assert!(to.ends_with("?done=1"), "{to}");
    let v = view(&app, &code).await;
    let from_unit = v["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["from"] == "unit")
        .count();
    assert_eq!(from_unit, 2, "the PDF and the photo from the page");
    app.finish().await;
}
