//! The staff session cookie (server only).

pub const SESSION_COOKIE: &str = "suara_session";

/// The token of an invitation or reset link an administrator just made,
/// kept for a few minutes in their browser only, for the page that shows
/// the link (`/admin/tautan/{id}`): the server keeps only its hash.
pub const LINK_COOKIE: &str = "suara_link";

/// The session token carried by a request's cookies.
pub fn session_token(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| crate::text::cookie_value(h, SESSION_COOKIE).map(str::to_owned))
        .filter(|t| !t.is_empty())
}

/// The session token of the request being rendered or served.
pub fn request_session_token() -> Option<String> {
    leptos::prelude::use_context::<http::request::Parts>().and_then(|p| session_token(&p.headers))
}

/// The cookie that carries a plain-form complaint's key to its receipt
/// (its path is the complaint's page; it lives 15 minutes).
pub const CITIZEN_KEY_COOKIE: &str = "suara_key";

/// The value of cookie `name` in the request being rendered.
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let found = parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| crate::text::cookie_value(h, name).map(str::to_owned));
    found.filter(|v| !v.is_empty())
}
