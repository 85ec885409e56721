//! Who is calling: an API token (`Authorization: Bearer`) or a session cookie.
//! Routes that need an account take [`Caller`]; without one they answer 401.

use super::problem::Problem;
use super::AppState;
use crate::store::accounts::Account;
use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};

pub struct Caller(pub Account);

/// What a request shows as its credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    Bearer(String),
    Session(String),
}

impl Credential {
    /// The request's credential: a bearer token first, else the session cookie.
    pub fn of(headers: &axum::http::HeaderMap) -> Option<Self> {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim);
        match bearer {
            Some(token) => Some(Self::Bearer(token.to_owned())),
            None => app::session::session_token(headers).map(Self::Session),
        }
    }

    /// The enabled account it stands for now (`None` once the session ended
    /// or the account was disabled).
    pub async fn account(&self, store: &crate::store::Store) -> sqlx::Result<Option<Account>> {
        match self {
            Self::Bearer(token) => store.token_account(token).await,
            Self::Session(token) => store.session_account(token).await,
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let account = match Credential::of(&parts.headers) {
            Some(c) => c.account(&state.store).await?,
            None => None,
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
