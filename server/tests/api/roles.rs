//! The roles table (the book's `docs/src/reference/roles.md`), walked: every role against every route,
//! asserting who is let in and who is not, and that every answer carries
//! the security headers. A signed-out request for a staff page is sent to
//! sign in (303). A route added to the API or the
//! pages without a row here fails `every_route_is_in_the_matrix`.

use crate::complaints::{complaint, new_code};
use crate::helpers::{new_id, response, spawn_app, Db, TestApp};
use serde_json::json;
use suara::auth::Role;

crate::both!(every_role_meets_the_roles_table_on_every_route,);

/// Anonymous, unit head of Jakarta Selatan, auditor, administrator, and
/// leadership of Jakarta Selatan's agency (immigration; not Bandung's
/// civil registry).
const ROLES: [&str; 5] = ["anonymous", "unit-head", "auditor", "admin", "leadership"];

struct Case {
    method: &'static str,
    path: &'static str,
    /// The status each role gets, in [`ROLES`] order.
    status: [u16; 5],
    /// For pages that answer 200 to everyone: text only an allowed role sees.
    marker: Option<&'static str>,
    /// Which roles see `marker`.
    sees: [bool; 5],
}

/// The complaint of the matrix (Bandung's), by its tracking code.
const MATRIX_COMPLAINT: &str = "R1ES-0MAT-R1XA";
/// A photo of that complaint.
const MATRIX_FILE: &str = "0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77";
/// An invitation link's token that no link has.
const MATRIX_LINK: &str = "n0-such-l1nk-t0ken";

const ALL: [bool; 5] = [true; 5];
const STAFF: [bool; 5] = [false, true, true, true, true];
const WIDE: [bool; 5] = [false, false, true, true, false];
const ADMIN: [bool; 5] = [false, false, false, true, false];
/// Staff who read complaints' words and rows: not leadership.
const ROWS: [bool; 5] = [false, true, true, true, false];
/// The regency overview: every role that reads it.
const OVERVIEW: [bool; 5] = [false, false, true, true, true];

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    let c = |method, path, status, marker, sees| Case {
        method,
        path,
        status,
        marker,
        sees,
    };
    vec![
        // Citizens: the catalogue, the forms, their own outbox, submitting.
        c("GET", "/", [200; 5], Some("Penerbitan Paspor Baru"), ALL),
        c("GET", "/s/paspor-baru-jaksel", [200; 5], None, ALL),
        c("GET", "/s/paspor-baru-jaksel/terima-kasih", [200; 5], None, ALL),
        c("GET", "/k/paspor-baru-jaksel", [200; 5], None, ALL),
        c("GET", "/tertunda", [200; 5], None, ALL),
        // The poster carries only the public link and names.
        c("GET", "/s/paspor-baru-jaksel/poster", [200; 5], None, ALL),
        c("GET", "/s/paspor-baru-jaksel/pengaduan", [200; 5], Some("data-form=\"complaint\""), ALL),
        c("GET", "/api/v1/catalog", [200; 5], None, ALL),
        c("POST", "/api/v1/responses", [200; 5], None, ALL),
        c("GET", "/healthz", [200; 5], None, ALL),
        c("GET", "/api/v1/openapi.json", [200; 5], None, ALL),
        c("GET", "/login", [200; 5], None, ALL),
        // Staff: figures of their scope; a unit head only their units.
        c("GET", "/dashboard", [303, 200, 200, 200, 200], Some("data-figure=\"scope-index\""), STAFF),
        c("GET", "/dashboard?scope=unit.kanim-jakarta-selatan", [303, 200, 200, 200, 200], Some("data-figure=\"scope-index\""), STAFF),
        c("GET", "/dashboard?scope=unit.disdukcapil-bandung&tab=comments", [303, 403, 200, 200, 403], Some("data-figure=\"scope-index\""), WIDE),
        c("GET", "/account", [303, 200, 200, 200, 200], Some("action=\"/account/password\""), STAFF),
        c("POST", "/account/password", [401, 303, 303, 303, 303], None, ALL),
        c("GET", "/notifikasi", [303, 200, 200, 200, 200], Some("data-figure=\"mail\""), STAFF),
        c("GET", "/ikhtisar", [303, 403, 200, 200, 200], Some("data-figure=\"overview\""), OVERVIEW),
        c("GET", "/ikhtisar.csv", [401, 403, 200, 200, 200], None, ALL),
        c("GET", "/ikhtisar.xlsx", [401, 403, 200, 200, 200], None, ALL),
        c("POST", "/notifikasi", [401, 303, 303, 303, 303], None, ALL),
        c("GET", "/notifikasi/berhenti/n0-such-l1nk-t0ken", [200; 5], Some("action=\"/notifikasi/berhenti/"), ALL),
        c("POST", "/notifikasi/berhenti/n0-such-l1nk-t0ken", [404; 5], None, ALL),
        c("GET", "/api/v1/summary", [401, 200, 200, 200, 200], None, ALL),
        c("GET", "/api/v1/summary?unit=disdukcapil-bandung", [401, 403, 200, 200, 403], None, ALL),
        // Flagged responses: staff of the unit see them; only an auditor clears one
        // (here a response that does not exist: the auditor learns so).
        c("GET", "/api/v1/flags", [401, 200, 200, 200, 200], None, ALL),
        c("GET", "/api/v1/flags?unit=disdukcapil-bandung", [401, 403, 200, 200, 403], None, ALL),
        c("POST", "/api/v1/flags/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77/clear", [401, 403, 404, 403, 403], None, ALL),
        // The review page: the same list; its clearing form answers every
        // staff role with a redirect that says done or why not.
        c("GET", "/integritas", [303, 200, 200, 200, 200], Some("data-figure=\"flagged-none\""), STAFF),
        c("GET", "/integritas?unit=disdukcapil-bandung", [303, 403, 200, 200, 403], Some("data-figure=\"flagged-none\""), WIDE),
        c("POST", "/integritas/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77/clear", [401, 303, 303, 303, 303], None, ALL),
        c("GET", "/api/v1/export.csv", [401, 200, 200, 200, 403], None, ALL),
        c("GET", "/api/v1/export", [401, 200, 200, 200, 403], None, ALL),
        c("GET", "/api/v1/export?format=jsonl&unit=disdukcapil-bandung", [401, 403, 200, 200, 403], None, ALL),
        c("GET", "/api/v1/export/manifest", [401, 200, 200, 200, 403], None, ALL),
        c("GET", "/api/v1/export/manifest?unit=disdukcapil-bandung", [401, 403, 200, 200, 403], None, ALL),
        c("GET", "/api/v1/export.csv?unit=disdukcapil-bandung", [401, 403, 200, 200, 403], None, ALL),
        c("GET", "/api/v1/events", [401, 200, 200, 200, 200], None, ALL),
        // Data and proof: every staff role exports its scope; the audit log
        // is for auditors and administrators.
        c("GET", "/export", [303, 200, 200, 200, 403], Some("action=\"/api/v1/export\""), ROWS),
        c("GET", "/export?audit", [303, 200, 200, 200, 403], Some("data-figure=\"audit-log\""), WIDE),
        c("GET", "/api/v1/audit", [401, 403, 200, 200, 403], None, ALL),
        // The official SKM report: a unit head's own units only.
        c("GET", "/reports/skm", [303, 200, 200, 200, 200], Some("data-figure=\"index\""), STAFF),
        c("GET", "/reports/skm?unit=disdukcapil-bandung&period=2026", [303, 403, 200, 200, 403], Some("data-figure=\"index\""), WIDE),
        c("GET", "/api/v1/audit?format=jsonl", [401, 403, 200, 200, 403], None, ALL),
        // Administrators: the catalogue, accounts and the audit log.
        c("GET", "/admin", [303, 403, 403, 200, 403], Some("data-figure=\"audit-log\""), ADMIN),
        c("POST", "/admin/agency", [401, 403, 403, 303, 403], None, ALL),
        c("POST", "/admin/account/disable", [401, 403, 403, 303, 403], None, ALL),
        c("GET", "/admin/katalog/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77", [303, 403, 403, 404, 403], None, ALL),
        c("POST", "/admin/katalog", [401, 403, 403, 303, 403], None, ALL),
        c("POST", "/admin/katalog/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77/terapkan", [401, 403, 403, 303, 403], None, ALL),
        c("GET", "/admin/katalog.csv", [401, 403, 403, 200, 403], None, ALL),
        c("GET", "/admin/katalog.xlsx", [401, 403, 403, 200, 403], None, ALL),
        // Invitation and reset links: made, shown and revoked by
        // administrators; used by whoever holds one (this one is unknown).
        c("POST", "/admin/account/link", [401, 403, 403, 303, 403], None, ALL),
        c("GET", "/admin/tautan/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77", [303, 403, 403, 404, 403], None, ALL),
        c("POST", "/admin/tautan/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77/cabut", [401, 403, 403, 303, 403], None, ALL),
        c("GET", "/account/link/n0-such-l1nk-t0ken", [410; 5], Some("data-link=\"closed\""), ALL),
        c("POST", "/account/link/n0-such-l1nk-t0ken", [303; 5], None, ALL),
        c("GET", "/posters", [303, 200, 200, 200, 200], Some("data-figure=\"poster-units\""), STAFF),
        c("GET", "/posters?unit=kanim-jakarta-selatan", [303, 200, 200, 200, 200], Some("data-figure=\"poster-pages\""), STAFF),
        c("GET", "/posters?unit=disdukcapil-bandung&layout=sheet", [303, 403, 200, 200, 403], Some("data-figure=\"poster-sheet\""), WIDE),
        c("GET", "/posters?agency=nope-nope", [303, 404, 404, 404, 404], None, ALL),
        // Complaints: citizens file and follow them by code; a unit head acts
        // on their units' only (this one is Bandung's), auditors only read.
        c("POST", "/api/v1/complaints", [200; 5], None, ALL),
        c("GET", "/pengaduan", [200, 200, 200, 200, 403], Some("data-figure=\"complaints-open\""), ROWS),
        c("GET", "/pengaduan/R1ES-0MAT-R1XA", [200; 5], Some("data-figure=\"full-text\""), WIDE),
        c("GET", "/api/v1/complaints", [401, 200, 200, 200, 403], None, ALL),
        c("GET", "/api/v1/complaints/export?format=jsonl", [401, 200, 200, 200, 403], None, ALL),
        c("GET", "/api/v1/complaints/R1ES-0MAT-R1XA", [200; 5], None, ALL),
        // Only the citizen, with the key: never staff, whatever they hold.
        c("POST", "/api/v1/complaints/R1ES-0MAT-R1XA/messages", [200, 403, 403, 403, 403], None, ALL),
        c("POST", "/api/v1/complaints/R1ES-0MAT-R1XA/transitions", [401, 403, 403, 200, 403], None, ALL),
        c("POST", "/api/v1/complaints/R1ES-0MAT-R1XA/privacy", [401, 403, 403, 200, 403], None, ALL),
        c("PUT", "/api/v1/complaints/R1ES-0MAT-R1XA/attachments/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77", [201, 403, 403, 200, 403], None, ALL),
        c("GET", "/api/v1/complaints/R1ES-0MAT-R1XA/attachments/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77", [200; 5], None, ALL),
        // The Open311 feed: public, read-only.
        c("GET", "/open311/v2/services.json", [200; 5], None, ALL),
        c("GET", "/open311/v2/requests.json", [200; 5], None, ALL),
        c("GET", "/open311/v2/requests/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77", [404; 5], None, ALL),
        // Publication: a unit head publishes their units, an administrator
        // any, auditors only read; what is published is public.
        c("POST", "/api/v1/publications", [401, 201, 403, 201, 403], None, ALL),
        c("POST", "/reports/skm/publish", [401, 303, 303, 303, 303], None, ALL),
        c("POST", "/reports/skm/rincian", [401, 303, 303, 303, 303], None, ALL),
        c("GET", "/publik", [200; 5], Some("Kantor Imigrasi"), ALL),
        c("GET", "/publik/kanim-jakarta-selatan", [200; 5], Some("Kantor Imigrasi Kelas I Khusus TPI Jakarta Selatan"), ALL),
        c("GET", "/publik/kanim-jakarta-selatan/badge.svg", [200; 5], None, ALL),
        // The waiting-room display and its live feed: public, like the unit's page.
        c("GET", "/layar/kanim-jakarta-selatan", [200; 5], Some("data-feed=\"/api/v1/public/units/kanim-jakarta-selatan/events\""), ALL),
        c("GET", "/api/v1/public/units/kanim-jakarta-selatan/events", [200; 5], None, ALL),
        c("GET", "/api/v1/public/units", [200; 5], None, ALL),
        c("GET", "/api/v1/public/units/kanim-jakarta-selatan", [200; 5], None, ALL),
        c("GET", "/api/v1/public/units.csv", [200; 5], None, ALL),
        c("GET", "/api/v1/public/units/kanim-jakarta-selatan/publications.csv", [200; 5], None, ALL),
        c("GET", "/api/v1/public/units/kanim-jakarta-selatan/publications/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77/aggregate.json", [404; 5], None, ALL),
        c("GET", "/api/v1/public/datapackage.zip", [200; 5], None, ALL),
        c("GET", "/api/v1/public/complaints/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77/evidence/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77", [404; 5], None, ALL),
        // The follow-up of a publication that does not exist: who may ask learns so.
        c("POST", "/api/v1/publications/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77/follow-up", [401, 404, 404, 404, 404], None, ALL),
        c("POST", "/api/v1/follow-up/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77", [401, 404, 404, 404, 404], None, ALL),
        c("POST", "/api/v1/follow-up/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77/evidence", [401, 404, 404, 404, 404], None, ALL),
        c("GET", "/api/v1/follow-up/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77/evidence/0b7f3a52-6c1e-4d0e-9a43-5f0c2b8e1d77", [404; 5], None, ALL),
    ]
}

/// The headers every response carries (see `suara::http::security`).
pub fn assert_security_headers(h: &reqwest::header::HeaderMap, what: &str) {
    let get = |name: &str| {
        h.get(name)
            .unwrap_or_else(|| panic!("{what}: no {name}"))
            .to_str()
            .unwrap()
            .to_owned()
    };
    let csp = get("content-security-policy");
    for part in [
        "script-src 'self' ",
        "'wasm-unsafe-eval'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{what}: CSP without {part}: {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("referrer-policy"), "same-origin", "{what}");
    assert_eq!(get("cross-origin-opener-policy"), "same-origin", "{what}");
    assert!(get("permissions-policy").contains("camera=()"), "{what}");
    // Served over plain HTTP here: no HSTS.
    assert!(h.get("strict-transport-security").is_none(), "{what}");
}

fn url_encoded(path: &str) -> String {
    serde_urlencoded::to_string([("x", path)]).unwrap()[2..].to_owned()
}

#[test]
fn every_route_is_in_the_matrix() {
    let listed: Vec<String> = cases()
        .iter()
        .map(|c| {
            c.path
                .split('?')
                .next()
                .unwrap()
                .replace("paspor-baru-jaksel", "{code}")
                .replace("kanim-jakarta-selatan", "{code}")
                .replace(MATRIX_COMPLAINT, "{code}")
                .replace(&format!("evidence/{MATRIX_FILE}"), "evidence/{file}")
                .replace(MATRIX_FILE, "{id}")
                .replace(MATRIX_LINK, "{token}")
        })
        .collect();
    for page in suara::http::pages::PAGES {
        assert!(listed.iter().any(|p| p == page), "page {page} has no row");
    }
    let spec: serde_json::Value = serde_json::from_str(&suara::http::openapi::spec_json()).unwrap();
    for path in spec["paths"].as_object().unwrap().keys() {
        assert!(
            listed.iter().any(|p| p == path),
            "API route {path} has no row"
        );
    }
}

async fn as_role(app: &TestApp, role: &str) -> String {
    match role {
        "unit-head" => {
            app.session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
                .await
        }
        "auditor" => app.session_cookie(Role::Auditor, &[]).await,
        "admin" => app.session_cookie(Role::Admin, &[]).await,
        "leadership" => {
            app.session_cookie(Role::Leadership, &["ditjen-imigrasi"])
                .await
        }
        _ => String::new(),
    }
}

async fn every_role_meets_the_roles_table_on_every_route(db: Db) {
    let app = spawn_app(db).await;
    let sid = app.service_id("paspor-baru-jaksel").await;
    // Something in Bandung too, so that its figures exist for those allowed.
    let bandung = app.service_id("ktp-el-bandung").await;
    app.post_results(vec![response(&new_id(), &bandung, json!({"U1": 3}))])
        .await;
    let filed = app
        .http
        .post(app.url("/api/v1/complaints"))
        .json(&json!({"complaints": [complaint(&bandung, MATRIX_COMPLAINT, "Antrean KTP-el sangat lama.")]}))
        .send()
        .await
        .unwrap();
    assert_eq!(filed.status(), 200);
    let mut wrong = Vec::new();
    for (r, role) in ROLES.iter().enumerate() {
        let cookie = as_role(&app, role).await;
        for case in cases() {
            let url = app.url(case.path);
            let mut req = match case.method {
                "POST" if case.path == "/api/v1/responses" => app
                    .http
                    .post(url)
                    .json(&json!({"responses": [response(&new_id(), &sid, json!({"U1": 4}))]})),
                "POST" if case.path == "/api/v1/complaints" => app.http.post(url).json(
                    &json!({"complaints": [complaint(&sid, &new_code(), "Loket tutup lebih awal.")]}),
                ),
                "POST" if case.path.ends_with("/messages") => app
                    .http
                    .post(url)
                    .json(&json!({
                        "text": "Tambahan: antrean nomor 42.",
                        "key": crate::complaints::key_of(MATRIX_COMPLAINT),
                    })),
                "PUT" => app
                    .http
                    .put(url)
                    .header("suara-key", crate::complaints::key_of(MATRIX_COMPLAINT))
                    .header("content-type", "image/jpeg")
                    .body(crate::complaint_files::JPEG_WITH_GPS.to_vec()),
                "POST" if case.path.ends_with("/privacy") => {
                    app.http.post(url).json(&json!({"privacy": "rahasia"}))
                }
                "POST" if case.path.contains("follow-up") => app.http.post(url).json(&json!({
                    "item": "U1", "action": "Menambah loket", "responsible": "Kepala seksi",
                    "due_on": "2026-12-31", "status": "done"
                })),
                "POST" if case.path.contains("publi") || case.path.ends_with("/rincian") => {
                    let unit = [("unit", "kanim-jakarta-selatan"), ("period", "2026")];
                    if case.path.starts_with("/api/") {
                        app.http.post(url).json(&json!({"unit": unit[0].1, "period": unit[1].1}))
                    } else {
                        app.http.post(url).form(&unit)
                    }
                }
                "POST" if case.path.starts_with("/integritas/") => {
                    app.http.post(url).form(&[("reason", "checked")])
                }
                "POST" if case.path.ends_with("/clear") => {
                    app.http.post(url).json(&json!({"reason": "checked"}))
                }
                "POST" if case.path.ends_with("/transitions") => {
                    app.http.post(url).json(&json!({"to": "diverifikasi"}))
                }
                "POST" => app.http.post(url).form(&[
                    ("current", "not the password"),
                    ("new", "a new password"),
                    ("repeat", "a new password"),
                ]),
                _ => app.http.get(url),
            };
            req = req.header("origin", app.url(""));
            if !cookie.is_empty() {
                req = req.header("cookie", &cookie);
            }
            let resp = req.send().await.unwrap();
            let status = resp.status().as_u16();
            assert_security_headers(
                resp.headers(),
                &format!("{role} {} {}", case.method, case.path),
            );
            if status == 303 && r == 0 && case.method == "GET" {
                let to = resp.headers()["location"].to_str().unwrap();
                let back: String = url_encoded(case.path);
                assert_eq!(
                    to,
                    format!("/login?next={back}"),
                    "{} {}",
                    case.method,
                    case.path
                );
            }
            // Every difference is told at once, not the first alone.
            if status != case.status[r] {
                wrong.push(format!(
                    "{role} {} {}: status {status}, not {}",
                    case.method, case.path, case.status[r]
                ));
            }
            if let Some(marker) = case.marker {
                // The event stream never ends: only pages are read.
                let body = resp.text().await.unwrap();
                if body.contains(marker) != case.sees[r] {
                    wrong.push(format!(
                        "{role} {} {}: sees {marker} is not {}",
                        case.method, case.path, case.sees[r]
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    app.finish().await;
}
