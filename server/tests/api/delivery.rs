//! What travels on the wire: compression as the client accepts, the
//! precompressed and content-hashed files of the built site, validators and
//! 304s, the security headers and the CSP nonce on pages, the offline
//! shell's own policy, and the sign-in round trip.

use crate::helpers::{spawn_app, As, Db, TestApp};
use crate::roles::assert_security_headers;
use reqwest::header::{HeaderMap, HeaderValue};
use std::io::Read;

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, HeaderValue::from_str(v).unwrap());
    }
    h
}

async fn get(app: &crate::helpers::TestApp, path: &str, h: HeaderMap) -> reqwest::Response {
    app.http.get(app.url(path)).headers(h).send().await.unwrap()
}

/// `html` with every `nonce="…"` value blanked: each response has its own.
fn without_nonces(html: &[u8]) -> String {
    let html = String::from_utf8_lossy(html);
    let mut out = String::new();
    let mut rest = html.as_ref();
    while let Some(i) = rest.find("nonce=\"") {
        out.push_str(&rest[..i + 7]);
        rest = &rest[i + 7..];
        rest = &rest[rest.find('"').unwrap()..];
    }
    out.push_str(rest);
    out
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_are_compressed_as_the_client_accepts() {
    let app = spawn_app(Db::Sqlite).await;
    for path in ["/", "/s/paspor-baru-jaksel", "/api/v1/catalog"] {
        let plain = get(&app, path, HeaderMap::new()).await;
        assert!(plain.headers().get("content-encoding").is_none(), "{path}");
        let plain = plain.bytes().await.unwrap();

        let br = get(&app, path, headers(&[("accept-encoding", "br, gzip")])).await;
        assert_eq!(br.headers()["content-encoding"], "br", "{path}");
        assert!(br.headers()["vary"]
            .to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding"));
        let br = br.bytes().await.unwrap();
        assert!(
            br.len() * 2 < plain.len(),
            "{path}: {} of {} bytes",
            br.len(),
            plain.len()
        );

        let gz = get(&app, path, headers(&[("accept-encoding", "gzip")])).await;
        assert_eq!(gz.headers()["content-encoding"], "gzip", "{path}");
        assert_eq!(
            without_nonces(&gunzip(&gz.bytes().await.unwrap())),
            without_nonces(&plain),
            "{path}"
        );
    }
    // Exports too (CSV and JSON Lines), as they stream.
    let token = app.token(suara::auth::Role::Auditor, &[]).await;
    let csv = app
        .http
        .get(app.url("/api/v1/export?format=csv"))
        .bearer_auth(&token)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-encoding"], "gzip");
    let text = String::from_utf8(gunzip(&csv.bytes().await.unwrap())).unwrap();
    assert!(text.starts_with("seq,id,"), "{text}");
    // Exports stream as they are read: never held whole for a validator.
    for format in ["csv", "jsonl"] {
        let r = app
            .get(
                &format!("/api/v1/export?format={format}"),
                As::Token(&token),
            )
            .await;
        assert_eq!(r.status(), 200);
        assert!(r.headers().get("etag").is_none(), "{format}");
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn site_files_are_precompressed_and_hashed_ones_immutable() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let js = "export function mount() {}\n".repeat(50);
    std::fs::write(pkg.join("suara.Q1w2E3r4T5y6.js"), &js).unwrap();
    // What `--precompress` writes beside each file.
    std::fs::write(pkg.join("suara.Q1w2E3r4T5y6.js.br"), b"brotli bytes").unwrap();
    std::fs::write(pkg.join("suara.Q1w2E3r4T5y6.js.gz"), b"gzip bytes").unwrap();
    std::fs::write(pkg.join("suara.d.Zx9Yw8Vu7Ts6.ts"), "types").unwrap();
    std::fs::write(site.path().join("favicon.svg"), "<svg/>").unwrap();
    let app = TestApp::builder()
        .site_root(site.path().to_str().unwrap())
        .spawn(Db::Sqlite)
        .await;

    let path = "/pkg/suara.Q1w2E3r4T5y6.js";
    let br = get(&app, path, headers(&[("accept-encoding", "br, gzip")])).await;
    assert_eq!(br.status(), 200);
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(
        br.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(br.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    assert_security_headers(br.headers(), path);
    assert_eq!(&br.bytes().await.unwrap()[..], b"brotli bytes");
    let gz = get(&app, path, headers(&[("accept-encoding", "gzip")])).await;
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(&gz.bytes().await.unwrap()[..], b"gzip bytes");
    let plain = get(&app, path, HeaderMap::new()).await;
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), js);

    // Pages load the hashed files, so a new build is new URLs.
    let page = app.get_text("/s/paspor-baru-jaksel", "").await;
    assert!(page.contains("from '/pkg/suara.Q1w2E3r4T5y6.js'"), "{page}");

    // Files without a hash are revalidated.
    let icon = get(&app, "/favicon.svg", HeaderMap::new()).await;
    assert_eq!(icon.headers()["cache-control"], "no-cache");
    let modified = icon.headers()["last-modified"].to_str().unwrap().to_owned();
    let again = get(
        &app,
        "/favicon.svg",
        headers(&[("if-modified-since", &modified)]),
    )
    .await;
    assert_eq!(again.status(), 304);

    // The worker precaches the hashed file, never its compressed copies.
    let sw = app.get_text("/sw.js", "").await;
    assert!(sw.contains("\"/pkg/suara.Q1w2E3r4T5y6.js\""), "{sw}");
    assert!(!sw.contains(".js.br") && !sw.contains(".js.gz"));
    assert!(
        !sw.contains(".ts\""),
        "type declarations are not for browsers"
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_json_revalidate_with_etags() {
    let app = spawn_app(Db::Sqlite).await;
    for path in ["/", "/s/paspor-baru-jaksel", "/api/v1/openapi.json"] {
        let first = get(&app, path, HeaderMap::new()).await;
        assert_eq!(first.status(), 200);
        assert_eq!(first.headers()["cache-control"], "no-cache", "{path}");
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        let again = get(&app, path, headers(&[("if-none-match", &etag)])).await;
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"], etag.as_str());
        // The browser's copy keeps the policy (and nonce) it came with.
        assert!(again.headers().get("content-security-policy").is_none());
        assert!(again.bytes().await.unwrap().is_empty());
        let other = get(&app, path, headers(&[("if-none-match", "W/\"old\"")])).await;
        assert_eq!(other.status(), 200, "{path}");
    }
    // What a signed-in person sees is for their browser only.
    let cookie = app.session_cookie(suara::auth::Role::Auditor, &[]).await;
    let summary = get(&app, "/api/v1/summary", headers(&[("cookie", &cookie)])).await;
    assert_eq!(summary.status(), 200);
    assert_eq!(summary.headers()["cache-control"], "private, no-cache");
    assert!(summary.headers().contains_key("etag"));
    app.finish().await;
}

/// The values of `attr="…"` in `html`.
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!("{attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_scripts_carry_the_responses_nonce_and_the_shell_its_hashes() {
    let app = spawn_app(Db::Sqlite).await;
    for path in ["/s/paspor-baru-jaksel", "/k/paspor-baru-jaksel", "/"] {
        let r = get(&app, path, HeaderMap::new()).await;
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let html = r.text().await.unwrap();
        let nonces = attribute_values(&html, "nonce");
        // The script that holds an early "send", the app's start, and what
        // Leptos writes after the page: all with the response's nonce.
        assert!(nonces.len() >= 2, "{path}: {html}");
        for n in &nonces {
            assert!(csp.contains(&format!("'nonce-{n}'")), "{path}: {csp}");
        }
        assert_eq!(
            html.matches("<script").count(),
            nonces.len() + usize::from(path != "/"),
            "{path}: only the nonce'd scripts and the data block"
        );
    }
    // The rating page carries its form's data, safe inside its block.
    let html = app.get_text("/s/paspor-baru-jaksel", "").await;
    let start = html
        .find("<script type=\"application/json\" id=\"suara-data\">")
        .expect("the data block");
    let json = &html[html[start..].find('>').unwrap() + start + 1..];
    let json = &json[..json.find("</script>").unwrap()];
    assert!(!json.contains('<'));
    let form: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(form["service"]["code"], "paspor-baru-jaksel");
    assert_eq!(form["questionnaire"]["items"].as_array().unwrap().len(), 9);

    // The offline shell is fixed text: its scripts are allowed by hash.
    let r = get(&app, "/shell", HeaderMap::new()).await;
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = r.text().await.unwrap();
    let mut scripts = 0;
    for part in html.split("<script").skip(1) {
        let body = &part[part.find('>').unwrap() + 1..part.find("</script>").unwrap()];
        let policy = suara::http::security::policy_with_hashes([body]);
        let hash = policy.split(' ').nth(2).unwrap();
        assert!(csp.contains(hash), "{csp} lacks {hash}");
        scripts += 1;
    }
    assert_eq!(scripts, 2);
    assert!(!csp.contains("nonce-"));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_deployments_say_strict_transport_security() {
    let app = TestApp::builder()
        .public_url("https://suara.example")
        .spawn(Db::Sqlite)
        .await;
    for path in ["/", "/api/v1/catalog", "/login"] {
        let r = get(&app, path, HeaderMap::new()).await;
        assert_eq!(
            r.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_goes_back_to_the_page_asked_for() {
    let app = spawn_app(Db::Sqlite).await;
    let asked = "/dashboard?scope=unit.kanim-jakarta-selatan&by=month";
    let (status, to) = app.signed_out_redirect(asked).await;
    assert_eq!(status, 303);
    assert_eq!(
        to,
        "/login?next=%2Fdashboard%3Fscope%3Dunit.kanim-jakarta-selatan%26by%3Dmonth"
    );
    // The sign-in page keeps it in its form.
    let login = app.get_text(&to, "").await;
    assert!(
        login.contains(
            "name=\"next\" value=\"/dashboard?scope=unit.kanim-jakarta-selatan&amp;by=month\""
        ),
        "{login}"
    );
    let post = |next: &'static str, password: &'static str| {
        let app = &app;
        async move {
            let r = app
                .sign_in_then("admin@suara.test", password, Some(next))
                .await;
            assert_eq!(r.status(), 303);
            r.headers()["location"].to_str().unwrap().to_owned()
        }
    };
    let demo = suara::seed::DEMO_PASSWORD;
    assert_eq!(post(asked, demo).await, asked);
    // Wrong password: back to sign in, still going to the same page.
    assert_eq!(
        post(asked, "wrong password").await,
        "/login?error=1&next=%2Fdashboard%3Fscope%3Dunit.kanim-jakarta-selatan%26by%3Dmonth"
    );
    // Never to another site.
    for evil in ["//evil.test/x", "https://evil.test/", "/\\evil.test", ""] {
        assert_eq!(post(evil, demo).await, "/dashboard", "{evil}");
    }
    app.finish().await;
}
