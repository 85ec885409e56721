//! Cross-site request forgery: a state-changing request that a browser
//! would send with Suara's session cookie, or to one of the staff forms,
//! must come from Suara's own pages. Browsers say where a request comes from
//! (`Origin`, and `Referer` where an old browser sends no `Origin`); a
//! request from another site, or one that says nothing, is refused before
//! any handler runs. Scripts that use an API token carry no cookie and are
//! not concerned; the session cookie is also `SameSite=Lax`, which modern
//! browsers withhold from cross-site posts anyway.

use super::problem::Problem;
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The forms of the staff pages and the language switch: checked even
/// without a session (a forged sign-in would sign a victim into the
/// attacker's account).
fn is_form(path: &str) -> bool {
    matches!(path, "/login" | "/logout" | "/lang")
        || path.starts_with("/account/")
        || path.starts_with("/admin/")
}

fn has_session(headers: &HeaderMap) -> bool {
    app::session::session_token(headers).is_some()
}

/// The request comes from a page of this host.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let site = |url: &str| {
        url.strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .map(|rest| rest.split('/').next().unwrap_or(""))
            .is_some_and(|h| h.eq_ignore_ascii_case(host))
    };
    match headers.get(header::ORIGIN).and_then(|h| h.to_str().ok()) {
        Some(origin) => site(origin),
        None => headers
            .get(header::REFERER)
            .and_then(|h| h.to_str().ok())
            .is_some_and(site),
    }
}

pub async fn guard(req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method
        && (is_form(req.uri().path()) || has_session(req.headers()))
        && !same_origin(req.headers())
    {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        return Problem::new(
            StatusCode::FORBIDDEN,
            "cross-site-request",
            "this request did not come from Suara's own pages; open Suara and try again",
        )
        .into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(k.clone(), v.parse().unwrap());
        }
        h
    }

    #[test]
    fn only_this_hosts_pages_are_the_same_origin() {
        let host = (header::HOST, "suara.test");
        assert!(same_origin(&headers(&[
            host.clone(),
            (header::ORIGIN, "https://suara.test")
        ])));
        assert!(same_origin(&headers(&[
            host.clone(),
            (header::ORIGIN, "http://SUARA.test")
        ])));
        assert!(!same_origin(&headers(&[
            host.clone(),
            (header::ORIGIN, "https://evil.test")
        ])));
        assert!(!same_origin(&headers(&[
            host.clone(),
            (header::ORIGIN, "https://suara.test.evil")
        ])));
        assert!(!same_origin(&headers(&[
            host.clone(),
            (header::ORIGIN, "null")
        ])));
        // An Origin decides even when the Referer would pass.
        assert!(!same_origin(&headers(&[
            host.clone(),
            (header::ORIGIN, "https://evil.test"),
            (header::REFERER, "https://suara.test/login"),
        ])));
        assert!(same_origin(&headers(&[
            host.clone(),
            (header::REFERER, "https://suara.test/login")
        ])));
        assert!(!same_origin(&headers(&[
            host.clone(),
            (header::REFERER, "https://evil.test/suara.test")
        ])));
        assert!(!same_origin(&headers(&[host])), "saying nothing is refused");
    }
}
