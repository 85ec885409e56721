//! Invitation and password-reset links: what the page a link opens shows,
//! and what administrators see of the links they made.

/// What a link is for: a new account's first password, or a new one for an
/// account whose password was forgotten.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    Invite,
    Reset,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invite => "invite",
            Self::Reset => "reset",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "invite" => Some(Self::Invite),
            "reset" => Some(Self::Reset),
            _ => None,
        }
    }
}

/// Where a link stands. Only an open link can be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    Open,
    Used,
    Revoked,
    Expired,
}

impl LinkState {
    /// The state of a link with these times, at `now_ms`.
    pub fn at(used: bool, revoked: bool, expires_at_ms: i64, now_ms: i64) -> Self {
        if used {
            Self::Used
        } else if revoked {
            Self::Revoked
        } else if expires_at_ms <= now_ms {
            Self::Expired
        } else {
            Self::Open
        }
    }
}

/// A link as its administrator sees it: never its token, which is kept only
/// hashed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountLink {
    pub id: String,
    pub email: String,
    pub role: String,
    pub purpose: LinkPurpose,
    pub created_by: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub state: LinkState,
}

/// What the page a link opens shows before a password is chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkOffer {
    pub email: String,
    pub purpose: LinkPurpose,
    pub expires_at_ms: i64,
}

/// The page an administrator sees once a link is made: the link itself
/// (`url`) only in the browser that made it, for a few minutes, and only
/// while it is open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedLink {
    pub link: AccountLink,
    pub url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_open_until_used_revoked_or_expired() {
        assert_eq!(LinkState::at(false, false, 2_000, 1_000), LinkState::Open);
        assert_eq!(
            LinkState::at(false, false, 1_000, 1_000),
            LinkState::Expired
        );
        assert_eq!(LinkState::at(false, true, 2_000, 1_000), LinkState::Revoked);
        // Used wins: a used link says so whatever happened after.
        assert_eq!(LinkState::at(true, true, 0, 1_000), LinkState::Used);
        for p in [LinkPurpose::Invite, LinkPurpose::Reset] {
            assert_eq!(LinkPurpose::parse(p.as_str()), Some(p));
        }
        assert_eq!(LinkPurpose::parse("admin"), None);
    }
}
