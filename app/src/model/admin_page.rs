//! What the administration page shows: the catalogue, the accounts, the
//! audit log.

use super::audit::AuditView;
use crate::domain::catalogue::Catalog;
use crate::text::Msg;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminAccount {
    pub email: String,
    pub role: String,
    pub disabled: bool,
    /// A unit head's unit codes, a leadership account's agency codes.
    pub units: Vec<String>,
    /// Made by invitation and no password chosen yet.
    pub invited: bool,
}

#[derive(Clone, Debug)]
pub struct AdminData {
    /// Who is signed in.
    pub email: String,
    pub catalog: Catalog,
    pub accounts: Vec<AdminAccount>,
    /// Newest first.
    pub audit: Vec<AuditView>,
    /// The days off of the working-day calendar, from this year on.
    pub calendar: Vec<crate::domain::complaint::Closure>,
    /// Invitation and reset links still open, newest first.
    pub links: Vec<super::account_link::AccountLink>,
    /// Whether notifications and links go out by e-mail (`SUARA_SMTP_URL`).
    pub mail_on: bool,
}

/// Why the administration page refused a change. Its slug travels in the
/// page's address (`/admin?error=…`) and it knows its own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminRefusal {
    BadCode,
    EmptyName,
    CodeTaken,
    Unknown,
    BadVolume,
    BadTimeZone,
    BadOpeningHours,
    OwnAccount,
    EmailTaken,
    BadEmail,
    WeakPassword,
    NoUnit,
    NoAgency,
    BadQuestionnaire,
    BadDay,
    BadCatalogueFile,
    UnknownUpload,
    LinkClosed,
}

impl AdminRefusal {
    pub const ALL: [Self; 18] = [
        Self::BadCode,
        Self::EmptyName,
        Self::CodeTaken,
        Self::Unknown,
        Self::BadVolume,
        Self::BadTimeZone,
        Self::BadOpeningHours,
        Self::OwnAccount,
        Self::EmailTaken,
        Self::BadEmail,
        Self::WeakPassword,
        Self::NoUnit,
        Self::NoAgency,
        Self::BadQuestionnaire,
        Self::BadDay,
        Self::BadCatalogueFile,
        Self::UnknownUpload,
        Self::LinkClosed,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::BadCode => "bad-code",
            Self::EmptyName => "empty-name",
            Self::CodeTaken => "code-taken",
            Self::Unknown => "unknown",
            Self::BadVolume => "bad-volume",
            Self::BadTimeZone => "bad-time-zone",
            Self::BadOpeningHours => "bad-opening-hours",
            Self::OwnAccount => "own-account",
            Self::EmailTaken => "email-taken",
            Self::BadEmail => "bad-email",
            Self::WeakPassword => "weak-password",
            Self::NoUnit => "no-unit",
            Self::NoAgency => "no-agency",
            Self::BadQuestionnaire => "bad-questionnaire",
            Self::BadDay => "bad-day",
            Self::BadCatalogueFile => "bad-catalogue-file",
            Self::UnknownUpload => "unknown-upload",
            Self::LinkClosed => "link-closed",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.slug() == slug)
    }

    /// What the page says.
    pub fn msg(self) -> Msg {
        match self {
            Self::BadCode => Msg::AdminBadCode,
            Self::EmptyName => Msg::AdminEmptyName,
            Self::CodeTaken => Msg::AdminCodeTaken,
            Self::Unknown => Msg::AdminUnknown,
            Self::BadVolume => Msg::AdminBadVolume,
            Self::BadTimeZone => Msg::AdminBadTimeZone,
            Self::BadOpeningHours => Msg::AdminBadOpeningHours,
            Self::OwnAccount => Msg::AdminOwnAccount,
            Self::EmailTaken => Msg::AdminEmailTaken,
            Self::BadEmail => Msg::AdminBadEmail,
            Self::WeakPassword => Msg::PasswordWeak,
            Self::NoUnit => Msg::AdminNoUnit,
            Self::NoAgency => Msg::AdminNoAgency,
            Self::BadQuestionnaire => Msg::AdminBadQuestionnaire,
            Self::BadDay => Msg::AdminBadDay,
            Self::BadCatalogueFile => Msg::AdminBadCatalogueFile,
            Self::UnknownUpload => Msg::AdminUnknownUpload,
            Self::LinkClosed => Msg::AdminLinkClosed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AdminRefusal;

    #[test]
    fn every_refusal_comes_back_from_its_slug() {
        for r in AdminRefusal::ALL {
            assert_eq!(AdminRefusal::from_slug(r.slug()), Some(r));
        }
        assert_eq!(AdminRefusal::from_slug("agency"), None);
    }
}
