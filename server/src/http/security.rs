//! Headers that protect every response.
//!
//! - A Content-Security-Policy that lets scripts come only from this site,
//!   from inline scripts carrying this response's nonce (the pages' start
//!   script), or from the hashes the offline shell declares itself; the wasm
//!   needs `'wasm-unsafe-eval'`. Nothing may frame a page (`frame-ancestors
//!   'none'`: the sign-in and administration pages cannot be clickjacked).
//! - `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin` (the
//!   CSRF guard still gets an `Origin` on Suara's own posts; other sites learn
//!   nothing of the page a citizen came from), `Cross-Origin-Opener-Policy`,
//!   a `Permissions-Policy` that denies every powerful feature Suara does not
//!   use, and `Strict-Transport-Security` when Suara is served over HTTPS.
//!
//! A handler that sets its own `Content-Security-Policy` (the offline shell)
//! keeps it; the other headers are the same everywhere.

use app::CspNonce;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use rand::RngCore as _;

/// The policy's sources for everything but scripts.
const POLICY_REST: &str = "default-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
     font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; \
     form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The Content-Security-Policy of a response whose inline scripts carry
/// `nonce`.
pub fn policy_with_nonce(nonce: &str) -> String {
    format!("script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; {POLICY_REST}")
}

/// The Content-Security-Policy of a fixed document whose inline scripts are
/// exactly `scripts` (allowed by their SHA-256, as a cached copy has no fresh
/// nonce).
pub fn policy_with_hashes<'a>(scripts: impl IntoIterator<Item = &'a str>) -> String {
    use sha2::{Digest, Sha256};
    let hashes: Vec<String> = scripts
        .into_iter()
        .map(|s| {
            let digest = Sha256::digest(s.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "script-src 'self' {} 'wasm-unsafe-eval'; {POLICY_REST}",
        hashes.join(" ")
    )
}

/// Powerful features Suara never uses.
const PERMISSIONS: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), \
     geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), \
     payment=(), serial=(), usb=(), browsing-topics=()";

/// Whether responses say `Strict-Transport-Security`: when citizens reach
/// Suara over HTTPS (`SUARA_PUBLIC_URL`).
#[derive(Clone, Copy, Debug)]
pub struct Transport {
    pub https: bool,
}

fn fresh_nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Gives the request a fresh CSP nonce (pages put it on their inline
/// scripts) and the response its security headers.
pub async fn headers(State(transport): State<Transport>, mut req: Request, next: Next) -> Response {
    let nonce = fresh_nonce();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(req).await;
    // A 304 keeps the policy the browser's copy came with (its nonce).
    let not_modified = response.status() == axum::http::StatusCode::NOT_MODIFIED;
    let h = response.headers_mut();
    if !not_modified && !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(v) = HeaderValue::from_str(&policy_with_nonce(&nonce)) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    let fixed: [(HeaderName, &'static str); 4] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (HeaderName::from_static("permissions-policy"), PERMISSIONS),
    ];
    for (name, value) in fixed {
        h.insert(name, HeaderValue::from_static(value));
    }
    if transport.https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_allow_scripts_only_from_the_site_and_what_the_page_names() {
        let p = policy_with_nonce("abc");
        assert!(p.starts_with("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        for part in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(p.contains(part), "{part}");
        }
        assert!(!p.contains("unsafe-inline"));
        // The hash of `alert(1)`, as `openssl dgst -sha256 -binary | base64` gives it.
        let h = policy_with_hashes(["alert(1)"]);
        assert!(
            h.contains("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"),
            "{h}"
        );
    }

    #[test]
    fn nonces_differ() {
        assert_ne!(fresh_nonce(), fresh_nonce());
        assert_eq!(fresh_nonce().len(), 22);
    }
}
