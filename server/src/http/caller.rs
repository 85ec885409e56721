//! Who is calling: an API token (`Authorization: Bearer`) or a session cookie.
//! Routes that need an account take [`Caller`]; without one they answer 401.

use super::problem::Problem;
use super::AppState;
use crate::store::accounts::Account;
use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};

pub struct Caller(pub Account);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim);
        let account = if let Some(token) = bearer {
            state.store.token_account(token).await?
        } else if let Some(token) = app::session::session_token(&parts.headers) {
            state.store.session_account(&token).await?
        } else {
            None
        };
        account.map(Caller).ok_or_else(Problem::unauthorized)
    }
}

/// `Option<Caller>`: the account when the request names one (a bearer token
/// or a session), else `None`; a named account that is unknown or expired
/// is a 401 rather than anonymity.
impl axum::extract::OptionalFromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Problem> {
        let names_one = parts.headers.contains_key(header::AUTHORIZATION)
            || app::session::session_token(&parts.headers).is_some();
        if !names_one {
            return Ok(None);
        }
        <Self as FromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map(Some)
    }
}

/// An administrator: any other caller gets 401 (none) or 403.
pub struct Administrator(pub Account);

impl FromRequestParts<AppState> for Administrator {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let Caller(account) = Caller::from_request_parts(parts, state).await?;
        if account.role == crate::auth::Role::Admin {
            Ok(Self(account))
        } else {
            Err(Problem::forbidden("administrators only"))
        }
    }
}
