//! The catalogue from a spreadsheet on `/admin`: upload, preview, apply,
//! download, on SQLite and PostgreSQL.

use crate::both;
use crate::catalogue::{export, imports, national, services};
use crate::helpers::{location, spawn_app, As, Db, Sent, TestApp};
use sha2::{Digest, Sha256};
use suara::auth::Role;

both!(an_administrator_uploads_sees_the_preview_and_applies_it,);

/// `POST /admin/katalog` with `content` as the file `name`.
async fn upload(app: &TestApp, cookie: &str, name: &str, content: &[u8]) -> reqwest::Response {
    let boundary = "suara-catalogue-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    app.post("/admin/katalog", As::Cookie(cookie))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .sent()
        .await
}

async fn an_administrator_uploads_sees_the_preview_and_applies_it(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.session_cookie(Role::Admin, &[]).await;
    let before = services(&app).await;

    // The administration page offers the upload and the downloads.
    let page = app.get_text("/admin", &admin).await;
    assert!(page.contains("action=\"/admin/katalog\" enctype=\"multipart/form-data\""));
    assert!(page.contains("href=\"/admin/katalog.csv\""));

    // A file that is no catalogue: back to the page, saying why.
    let r = upload(&app, &admin, "katalog.csv", b"kode,nama\nx,y\n").await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert!(
        to.starts_with("/admin?error=bad-catalogue-file&detail="),
        "{to}"
    );
    assert!(
        to.contains("agency_code"),
        "the detail names the missing column: {to}"
    );
    let r = upload(&app, &admin, "katalog.txt", national().as_bytes()).await;
    assert!(location(&r).starts_with("/admin?error=bad-catalogue-file"));

    // A file with refused rows: the preview names them, and offers no apply.
    let broken = format!(
        "{}dinas-1,Dinas 1,dinas-1-upt-1,\"UPT 1, Dinas 1\",1000,layanan-1-1-1,Lagi,skm-2017,\n",
        national()
    );
    let r = upload(&app, &admin, "rusak.csv", broken.as_bytes()).await;
    assert_eq!(r.status(), 303);
    let preview_url = location(&r);
    assert!(preview_url.starts_with("/admin/katalog/"), "{preview_url}");
    let preview = app.get_text(&preview_url, &admin).await;
    assert!(
        preview.contains("data-figure=\"import-refused\""),
        "{preview}"
    );
    assert!(
        preview.contains("<td>242</td>"),
        "the refused line: {preview}"
    );
    assert!(
        !preview.contains("/terapkan"),
        "no apply while a row is refused"
    );
    let r = app
        .post(&format!("{preview_url}/terapkan"), As::Cookie(&admin))
        .sent()
        .await;
    assert_eq!(
        location(&r),
        preview_url,
        "applying it only shows the preview again"
    );
    assert_eq!(services(&app).await, before);

    // A good file: the preview counts it, changes nothing, and applies.
    let r = upload(&app, &admin, "katalog.csv", national().as_bytes()).await;
    let preview_url = location(&r);
    let preview = app.get_text(&preview_url, &admin).await;
    assert!(
        preview.contains("data-figure=\"import-changes\""),
        "{preview}"
    );
    assert!(
        preview.contains("<td>240</td>"),
        "240 new services: {preview}"
    );
    assert!(preview.contains(&hex::encode(Sha256::digest(national().as_bytes()))));
    assert_eq!(services(&app).await, before, "a preview changes nothing");
    let r = app
        .post(&format!("{preview_url}/terapkan"), As::Cookie(&admin))
        .sent()
        .await;
    assert_eq!(location(&r), "/admin?done=catalog-import");
    assert_eq!(services(&app).await, before + 240);
    let log = imports(&app).await;
    assert_eq!(log.len(), 1);
    assert!(
        log[0].actor.ends_with("@test.example"),
        "the administrator: {}",
        log[0].actor
    );
    // Applied, the upload is gone: its page and its apply say so.
    let gone = app
        .http
        .get(app.url(&preview_url))
        .header("cookie", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404);
    let r = app
        .post(&format!("{preview_url}/terapkan"), As::Cookie(&admin))
        .sent()
        .await;
    assert!(location(&r).starts_with("/admin?error=unknown-upload"));

    // The download is the catalogue as the command line exports it.
    let csv = app
        .http
        .get(app.url("/admin/katalog.csv"))
        .header("cookie", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("katalog-suara.csv"));
    let downloaded = csv.bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("k.csv");
    export(&app, &out);
    assert_eq!(&downloaded[..], &std::fs::read(&out).unwrap()[..]);
    app.finish().await;
}
