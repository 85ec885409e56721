//! What every staff page's loader finds: the page's data, or why there is
//! none, said once for all of them.

/// The kinds of refusal a caller can get (the server's service errors say
/// which theirs are).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The request itself is wrong: a bad date, an unknown format.
    Invalid,
    /// The caller may not have this: another unit's figures, a page for
    /// another role.
    Forbidden,
    /// What the request names does not exist.
    NotFound,
    /// The request does not fit the state of what it names: a complaint
    /// moved where its state does not allow.
    Conflict,
}

impl Refusal {
    /// The HTTP status a page or API answer carries for it.
    pub fn status(self) -> u16 {
        match self {
            Self::Invalid => 400,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict => 409,
        }
    }
}

/// A staff page's data, or why there is none.
#[derive(Clone, Debug)]
pub enum Staff<T> {
    /// No valid session: the page offers to sign in.
    SignedOut,
    /// Refused, with a detail a person can act on.
    Refused {
        reason: Refusal,
        detail: String,
    },
    Ready(Box<T>),
}
