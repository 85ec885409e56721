//! Why an operation refused its caller, in the caller's terms rather than
//! HTTP's: every service error says whether it is a refusal (the caller can
//! act on it) or a failure of the server, and the name of its kind.
//! `http::problem` turns any of them into a problem document, in one place.

use std::borrow::Cow;

/// The kinds of refusal a caller can get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The request itself is wrong: a bad date, an unknown format.
    Invalid,
    /// The caller may not have this: another unit's figures.
    Forbidden,
    /// What the request names does not exist.
    NotFound,
}

impl Refusal {
    /// The HTTP status a page or API answer carries for it.
    pub fn status(self) -> u16 {
        match self {
            Self::Invalid => 400,
            Self::Forbidden => 403,
            Self::NotFound => 404,
        }
    }
}

/// An error of a service operation.
pub trait Refuse: std::error::Error {
    /// `None`: the server failed (logged, never shown in detail).
    fn refusal(&self) -> Option<Refusal>;
    /// A short name of the kind of problem, e.g. `invalid-date`.
    fn slug(&self) -> Cow<'static, str>;
}
