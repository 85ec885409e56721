//! The notification forms: a staff member's choices (`POST /notifikasi`)
//! and the one-click unsubscribe of a message (`POST
//! /notifikasi/berhenti/{token}`, RFC 8058), which mail clients post to
//! with no session and no page.

use super::caller::Caller;
use super::extract::{Form, Path};
use super::problem::Problem;
use super::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notifikasi", post(save))
        .route("/notifikasi/berhenti/{token}", post(unsubscribe))
}

/// The page's form: a field per kind (`complaint-filed=digest`, …) and
/// `lang`; back to the page.
async fn save(
    State(s): State<AppState>,
    Caller(account): Caller,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields: Vec<_> = fields.into_iter().take(32).collect();
    match crate::notifications::save_choices(&s.store, &account, &fields).await {
        Ok(()) => Redirect::to("/notifikasi?saved=1").into_response(),
        Err(e) => Problem::failure(&e).into_response(),
    }
}

/// Stops the kind of message that carried `token`. A mail client's one-click
/// post gets a plain `200`; a person who pressed the page's button goes
/// back to the page, which says it is done.
async fn unsubscribe(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    if token.len() > 128 {
        return Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "no message carried this link",
        )
        .into_response();
    }
    match s.store.unsubscribe(&crate::auth::hash_token(&token)).await {
        Ok(Some(_)) if headers.contains_key(header::ORIGIN) => {
            Redirect::to(&format!("/notifikasi/berhenti/{token}?done=1")).into_response()
        }
        Ok(Some(_)) => (StatusCode::OK, "unsubscribed\n").into_response(),
        Ok(None) => Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "no message carried this link",
        )
        .into_response(),
        Err(e) => Problem::failure(&e).into_response(),
    }
}
