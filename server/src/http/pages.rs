//! The pages: rendered by the app (`app::shell`), and the plain form posts of
//! the staff pages and the language switch, which work without any script.

use super::extract::Form;
use super::problem::Problem;
use super::AppState;
use crate::store::accounts::AccountError;
use crate::store::sessions::SignIn;
use app::session::SESSION_COOKIE;
use app::text::LANG_COOKIE;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Request};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::provide_context;
use serde::Deserialize;

/// Every page path the app renders; anything else is a static file or a 404
/// page (see `super::router`).
pub const PAGES: &[&str] = &[
    "/",
    "/s/{code}",
    "/s/{code}/terima-kasih",
    "/s/{code}/poster",
    "/s/{code}/pengaduan",
    "/k/{code}",
    "/tertunda",
    "/login",
    "/dashboard",
    "/account",
    "/notifikasi",
    "/ikhtisar",
    "/notifikasi/berhenti/{token}",
    "/admin",
    "/admin/katalog/{id}",
    "/admin/tautan/{id}",
    "/account/link/{token}",
    "/posters",
    "/export",
    "/integritas",
    "/reports/skm",
    "/pengaduan",
    "/pengaduan/{code}",
    "/publik",
    "/publik/{code}",
    "/layar/{code}",
];

pub fn routes() -> Router<AppState> {
    // Rendering spawns tasks (async data, effects) on tokio; setting the
    // executor twice is harmless and refused.
    let _ = any_spawner::Executor::init_tokio();
    let mut router = Router::new();
    for path in PAGES {
        router = router.route(path, get(page));
    }
    // A credentials form is a few hundred bytes: nothing larger is read.
    let small = || axum::extract::DefaultBodyLimit::max(CREDENTIALS_BYTES);
    router
        .route("/login", post(sign_in).layer(small()))
        .route("/logout", post(sign_out))
        .route("/account/password", post(change_password).layer(small()))
        .route("/lang", post(switch_language))
}

/// The largest sign-in or password form read: an email of 254 characters
/// and passwords of 1,024, percent-encoded, with room to spare.
pub const CREDENTIALS_BYTES: usize = 16 * 1024;

/// Renders the page in full before the first byte, so that its status (404
/// for an unknown service) is right. A staff page asked for without a
/// session is a 303 to the sign-in page, which comes back here afterwards.
pub async fn page(State(state): State<AppState>, req: Request<Body>) -> Response {
    let uri = req.uri().clone();
    let asked = app::route::Page::parse(uri.path(), uri.query().unwrap_or(""));
    if asked.needs_account() && !signed_in(&state, req.headers()).await {
        let here = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
        return Redirect::to(&login_then(here)).into_response();
    }
    // A staff page, or any page a member of staff sees signed in (a
    // complaint's page shows them the unit's view and its actions), is kept
    // by no cache: not the browser's, not the service worker's (`sw.js`
    // keeps no `no-store` answer), so nothing of it outlives the sign-out on
    // a shared computer.
    let private = asked.needs_account() || app::session::session_token(req.headers()).is_some();
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(context(&state), move || {
        app::shell(options.clone())
    });
    let mut response = render(req).await;
    if private {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// What rendering a page needs: the backend and where the browser app is.
pub fn context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let backend = state.backend.clone();
    let assets = state.pwa.app.clone();
    move || {
        provide_context(backend.clone());
        provide_context(assets.clone());
        // Leptos puts its nonce on the scripts it writes; make it the one the
        // response's Content-Security-Policy names (`security::headers`).
        let nonce = leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<app::CspNonce>().cloned());
        if let Some(n) = nonce {
            provide_context(leptos::nonce::Nonce::from_value(n.0));
        }
    }
}

/// The request carries a live session.
async fn signed_in(state: &AppState, headers: &HeaderMap) -> bool {
    match app::session::session_token(headers) {
        Some(token) => matches!(state.store.session_account(&token).await, Ok(Some(_))),
        None => false,
    }
}

/// The sign-in page, going on to `next` afterwards.
fn login_then(next: &str) -> String {
    match serde_urlencoded::to_string([("next", next)]) {
        Ok(q) => format!("/login?{q}"),
        Err(_) => "/login".into(),
    }
}

#[derive(Deserialize)]
struct Credentials {
    email: Option<String>,
    password: Option<String>,
    /// The page to go to once signed in.
    next: Option<String>,
}

/// `POST /login`: the page asked for before signing in (a path of this
/// site; else the dashboard) with a session cookie for right credentials,
/// else the sign-in page again, saying so and keeping where to go.
async fn sign_in(
    State(state): State<AppState>,
    extensions: axum::http::Extensions,
    headers: HeaderMap,
    Form(form): Form<Credentials>,
) -> Response {
    let next = form.next.as_deref().and_then(app::route::safe_next);
    let again = |query: &str| {
        let mut to = format!("/login?{query}");
        if let Some(n) = &next {
            to = format!("{to}&{}", &login_then(n)["/login?".len()..]);
        }
        Redirect::to(&to).into_response()
    };
    let (Some(email), Some(password)) = (form.email, form.password) else {
        return again("error=1");
    };
    let client = state.limits.client_of(&extensions, &headers);
    let address = super::limits::network_of(client);
    let account = match state.store.sign_in(&email, &password, &address).await {
        Ok(SignIn::Ok(account)) => account,
        Ok(SignIn::Wrong) => {
            tracing::info!(email = %clip(&email), %address, "sign-in failed");
            return again("error=1");
        }
        Ok(SignIn::Throttled { minutes }) => {
            tracing::warn!(email = %clip(&email), %address, "sign-in throttled");
            return again(&format!("error=throttled&minutes={minutes}"));
        }
        Err(AccountError::Busy(_)) => return Problem::busy().into_response(),
        Err(AccountError::Db(e)) => return Problem::from(e).into_response(),
        Err(e) => return Problem::failure(&e).into_response(),
    };
    tracing::info!(email = %account.email, "signed in");
    match state.store.create_session(account.id).await {
        Ok(token) => with_cookie(
            Redirect::to(next.as_deref().unwrap_or("/dashboard")),
            session_cookie(&token, 60 * 60 * 12, state.backend.secure_cookies()),
        ),
        Err(e) => Problem::failure(&e).into_response(),
    }
}

/// At most the first 254 characters of what someone typed as an email, for a log line.
fn clip(email: &str) -> String {
    email
        .chars()
        .take(crate::store::sessions::MAX_EMAIL_CHARS)
        .collect()
}

#[derive(Deserialize)]
struct NewPassword {
    current: Option<String>,
    new: Option<String>,
    repeat: Option<String>,
}

/// `POST /account/password`: a new password after the current one; the
/// account's other sessions end.
async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<NewPassword>,
) -> Response {
    let Some(token) = app::session::session_token(&headers) else {
        return Problem::unauthorized().into_response();
    };
    let account = match state.store.session_account(&token).await {
        Ok(Some(a)) => a,
        Ok(None) => return Problem::unauthorized().into_response(),
        Err(e) => return Problem::failure(&e).into_response(),
    };
    let (current, new, repeat) = (
        form.current.unwrap_or_default(),
        form.new.unwrap_or_default(),
        form.repeat.unwrap_or_default(),
    );
    if new != repeat {
        return Redirect::to("/account?error=mismatch").into_response();
    }
    match state
        .store
        .change_password(&account, &current, &new, &token)
        .await
    {
        Ok(true) => {
            tracing::info!(email = %account.email, "password changed");
            Redirect::to("/account?done=1").into_response()
        }
        Ok(false) => Redirect::to("/account?error=wrong").into_response(),
        Err(AccountError::WeakPassword) => Redirect::to("/account?error=weak").into_response(),
        Err(AccountError::Busy(_)) => Problem::busy().into_response(),
        Err(e) => Problem::failure(&e).into_response(),
    }
}

/// `POST /logout`: ends the session and forgets the cookie.
async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = app::session::session_token(&headers) {
        if let Err(e) = state.store.delete_session(&token).await {
            return Problem::failure(&e).into_response();
        }
    }
    let mut response = with_cookie(
        Redirect::to("/login"),
        session_cookie("", 0, state.backend.secure_cookies()),
    );
    // The browser's HTTP cache of this site goes with the session; its
    // storage does not (the citizen outbox in IndexedDB on a shared device).
    response
        .headers_mut()
        .insert("clear-site-data", HeaderValue::from_static("\"cache\""));
    response
}

pub(super) fn session_cookie(value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    )
}

pub(super) fn with_cookie(redirect: Redirect, cookie: String) -> Response {
    let mut response = redirect.into_response();
    match HeaderValue::from_str(&cookie) {
        Ok(v) => {
            response.headers_mut().append(header::SET_COOKIE, v);
            response
        }
        Err(e) => Problem::failure(&e).into_response(),
    }
}

#[derive(Deserialize)]
struct Language {
    lang: Option<String>,
}

/// `POST /lang`: remembers the language on this device for a year (the cookie
/// the browser app reads and writes too) and goes back to the page it came
/// from.
async fn switch_language(headers: HeaderMap, Form(form): Form<Language>) -> Response {
    let lang = match form.lang.as_deref() {
        Some(l @ ("id" | "en")) => l,
        _ => {
            return Problem::bad_request("bad-language", "`lang` must be `id` or `en`")
                .into_response()
        }
    };
    let cookie = format!("{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax");
    with_cookie(Redirect::to(&back(&headers)), cookie)
}

/// The path (and query) of the page a form was posted from, when it is on
/// this site; else the home page.
fn back(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let referer = headers.get(header::REFERER).and_then(|h| h.to_str().ok());
    let (Some(host), Some(referer)) = (host, referer) else {
        return "/".into();
    };
    let rest = referer
        .strip_prefix("https://")
        .or_else(|| referer.strip_prefix("http://"))
        .and_then(|r| r.strip_prefix(host));
    match rest {
        Some(path) if path.starts_with('/') && !path.starts_with("//") => path.to_owned(),
        _ => "/".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(host: &str, referer: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, host.parse().unwrap());
        if let Some(r) = referer {
            h.insert(header::REFERER, r.parse().unwrap());
        }
        h
    }

    #[test]
    fn back_goes_only_to_pages_of_this_site() {
        let h = headers("suara.test", Some("https://suara.test/s/ktp?x=1"));
        assert_eq!(back(&h), "/s/ktp?x=1");
        assert_eq!(
            back(&headers("suara.test", Some("http://suara.test/"))),
            "/"
        );
        assert_eq!(back(&headers("suara.test", None)), "/");
        assert_eq!(
            back(&headers("suara.test", Some("https://evil.test/x"))),
            "/"
        );
        // A host that merely starts like ours is another site.
        assert_eq!(
            back(&headers("suara.test", Some("https://suara.test.evil/x"))),
            "/"
        );
        assert_eq!(
            back(&headers(
                "suara.test",
                Some("https://suara.test//evil.test")
            )),
            "/"
        );
    }

    #[test]
    fn session_cookie_is_http_only_and_secure_on_https() {
        let c = session_cookie("abc", 60, true);
        assert!(c.starts_with("suara_session=abc;"));
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("; Secure"));
        assert!(!session_cookie("abc", 60, false).contains("Secure"));
    }
}
