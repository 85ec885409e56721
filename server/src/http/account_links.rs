//! Invitation and reset links as forms: made on `/admin` (`POST
//! /admin/account` without a password, `POST /admin/account/link` for an
//! account that exists), revoked (`POST /admin/tautan/{id}/cabut`), used by
//! the person they were made for (`POST /account/link/{token}`). The work is
//! [`crate::store::account_links`]'s.

use super::caller::Administrator;
use super::extract::Form;
use super::extract::Path;
use super::pages::{session_cookie, with_cookie};
use super::problem::Problem;
use super::AppState;
use crate::store::account_links::{LinkError, NewLink};
use crate::store::accounts::{AccountError, Password};
use crate::store::admin::AdminError;
use app::session::LINK_COOKIE;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use serde::Deserialize;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/account/link", post(new_link))
        .route("/admin/tautan/{id}/cabut", post(revoke))
        .route(
            "/account/link/{token}",
            post(use_link).layer(axum::extract::DefaultBodyLimit::max(
                super::pages::CREDENTIALS_BYTES,
            )),
        )
}

/// How long the browser that made a link may show it again.
const SHOWN_FOR_SECS: u32 = 15 * 60;

/// To the page that shows the link just made, its token in a cookie for
/// that page only: never in an address, a log or the database.
pub(super) fn show(link: &NewLink, secure: bool) -> Response {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!(
        "{LINK_COOKIE}={}; Path=/admin/tautan/{}; HttpOnly; SameSite=Strict; Max-Age={SHOWN_FOR_SECS}{secure}",
        link.token, link.id
    );
    with_cookie(Redirect::to(&format!("/admin/tautan/{}", link.id)), cookie)
}

/// Back to `/admin`, saying why.
pub(super) fn refused(e: AdminError) -> Response {
    match e.refusal() {
        Some(r) => Redirect::to(&format!("/admin?error={}#accounts", r.slug())).into_response(),
        None => Problem::failure(&e).into_response(),
    }
}

#[derive(Deserialize)]
struct ForAccount {
    email: Option<String>,
}

/// `POST /admin/account/link`: a reset link for the account with `email`
/// (a new invitation while it has never had a password).
async fn new_link(
    State(s): State<AppState>,
    Administrator(admin): Administrator,
    Form(f): Form<ForAccount>,
) -> Response {
    let email = f.email.unwrap_or_default();
    match s.store.new_link(&admin.email, &email, s.mail_on()).await {
        Ok(link) => show(&link, s.backend.secure_cookies()),
        Err(e) => refused(e),
    }
}

/// `POST /admin/tautan/{id}/cabut`: the link can no longer be used.
async fn revoke(
    State(s): State<AppState>,
    Administrator(admin): Administrator,
    Path(id): Path<Uuid>,
) -> Response {
    match s.store.revoke_link(&admin.email, id).await {
        Ok(()) => Redirect::to("/admin?done=link-revoked#links").into_response(),
        Err(e) => refused(e),
    }
}

#[derive(Deserialize)]
struct Chosen {
    new: Option<String>,
    repeat: Option<String>,
}

/// `POST /account/link/{token}`: the password chosen; signed in, to the
/// dashboard. A mismatch or a short password goes back to the form; a
/// closed link to its page, which says so.
async fn use_link(
    State(s): State<AppState>,
    Path(token): Path<String>,
    Form(f): Form<Chosen>,
) -> Response {
    let Some(here) = app::route::code(&token).map(|t| format!("/account/link/{t}")) else {
        let why = "an invitation or reset link's token is letters, digits, - and _";
        return Problem::new(StatusCode::NOT_FOUND, "no-such-link", why).into_response();
    };
    let (new, repeat) = (f.new.unwrap_or_default(), f.repeat.unwrap_or_default());
    if new != repeat {
        return Redirect::to(&format!("{here}?error=mismatch")).into_response();
    }
    let password = match Password::parse(&new) {
        Ok(p) => p,
        Err(_) => return Redirect::to(&format!("{here}?error=weak")).into_response(),
    };
    let account = match s.store.use_link(&token, &password).await {
        Ok(account) => account,
        Err(LinkError::Closed | LinkError::Account(AccountError::NoSuchAccount(_))) => {
            return Redirect::to(&here).into_response()
        }
        Err(LinkError::Account(AccountError::Busy(_))) => return Problem::busy().into_response(),
        Err(e) => return Problem::failure(&e).into_response(),
    };
    tracing::info!(%account, "password chosen through a link");
    match s.store.create_session(account).await {
        Ok(session) => with_cookie(
            Redirect::to("/dashboard"),
            session_cookie(&session, 60 * 60 * 12, s.backend.secure_cookies()),
        ),
        Err(e) => Problem::failure(&e).into_response(),
    }
}
