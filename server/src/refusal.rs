//! Why an operation refused its caller, in the caller's terms rather than
//! HTTP's: every service error says whether it is a refusal (the caller can
//! act on it) or a failure of the server, and the name of its kind.
//! `http::problem` turns any of them into a problem document, in one place.

use std::borrow::Cow;

pub use app::model::outcome::Refusal;

/// An error of a service operation.
pub trait Refuse: std::error::Error {
    /// `None`: the server failed (logged, never shown in detail).
    fn refusal(&self) -> Option<Refusal>;
    /// A short name of the kind of problem, e.g. `invalid-date`.
    fn slug(&self) -> Cow<'static, str>;
    /// The storage error behind a failure, if that is what it is (a database
    /// that is unavailable for now is answered "try again later"): the first
    /// `sqlx::Error` among its sources, so an error that wraps another
    /// service's (publishing wraps the figures') is found too. A service
    /// error's storage variant is `#[error("…: {0}")] Storage(#[from]
    /// sqlx::Error)`, not `transparent`, which would skip it.
    fn storage(&self) -> Option<&sqlx::Error> {
        std::iter::successors(self.source(), |e| e.source())
            .find_map(|e| e.downcast_ref::<sqlx::Error>())
    }
}
