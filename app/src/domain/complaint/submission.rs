//! A complaint as a device submits it in `POST /api/v1/complaints`, how it is
//! checked, and what the interface answers for it.

use super::code::{CodeError, TrackingCode};
use crate::domain::questionnaire::{ItemCode, Questionnaire};
use crate::domain::response::{rfc3339_millis, Channel, SyncStatus};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Shortest and longest complaint text, in characters.
pub const MIN_TEXT_CHARS: usize = 10;
pub const MAX_TEXT_CHARS: usize = 4000;
/// Most complaints accepted in one batch.
pub const MAX_COMPLAINTS: usize = 100;
/// The reason of a `conflict` whose tracking code belongs to another
/// complaint: the device makes a new code and sends the complaint again.
pub const CODE_TAKEN: &str =
    "another complaint has this tracking code; make a new code and send it again";

/// Who may see a complaint besides the unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Privacy {
    /// May be published, after redaction.
    Publik,
    /// May be published without anything that identifies the citizen.
    #[default]
    Anonim,
    /// Never published: only the unit, its agency's administrators and auditors.
    Rahasia,
}

impl Privacy {
    pub const ALL: [Self; 3] = [Self::Anonim, Self::Publik, Self::Rahasia];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Publik => "publik",
            Self::Anonim => "anonim",
            Self::Rahasia => "rahasia",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// How private: staff may raise it, never lower it.
    fn rank(self) -> u8 {
        match self {
            Self::Publik => 0,
            Self::Anonim => 1,
            Self::Rahasia => 2,
        }
    }

    /// Whether staff may change a complaint of this privacy to `to`.
    pub fn may_become(self, to: Self) -> bool {
        to.rank() >= self.rank()
    }
}

/// One complaint as a client sends it. The code stays text here so that a
/// mistyped one is rejected with a reason, not a bare deserialisation error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ComplaintSubmission {
    /// Generated on the device; the idempotency key.
    pub id: Uuid,
    /// The tracking code the device made, `XXXX-XXXX-XXXX`.
    pub code: String,
    pub service_id: Uuid,
    /// The response it was filed with, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_id: Option<Uuid>,
    /// The questionnaire items (standards) it concerns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// What happened: what, where, when (10–4,000 characters).
    pub text: String,
    /// The day it happened (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub happened_on: Option<String>,
    #[serde(default)]
    pub privacy: Privacy,
    pub channel: Channel,
    /// When the citizen submitted it on the device (RFC 3339).
    pub submitted_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_version: Option<String>,
    /// The citizen's key (see `domain::complaint::key`): made on the device
    /// with the code; the server keeps only its hash. Adding information,
    /// confirming, disputing and rating need it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// The body of `POST /api/v1/complaints`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ComplaintBatch {
    /// At most 100.
    #[cfg_attr(feature = "ssr", schema(schema_with = complaints_schema))]
    pub complaints: Vec<ComplaintSubmission>,
}

#[cfg(feature = "ssr")]
fn complaints_schema() -> utoipa::openapi::schema::Array {
    crate::domain::response::batch_entries_schema(
        "ComplaintSubmission",
        MAX_COMPLAINTS,
        "complaint",
    )
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ComplaintResult {
    /// The complaint's id; null only when the entry had no readable id.
    pub id: Option<Uuid>,
    /// The tracking code as stored (`XXXX-XXXX-XXXX`); null when rejected.
    pub code: Option<String>,
    /// `conflict` also when the code belongs to another complaint: the
    /// device then makes a new code and sends it again.
    pub status: SyncStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ComplaintResults {
    /// One per submitted complaint, in the order submitted.
    pub results: Vec<ComplaintResult>,
}

/// Why a complaint was not accepted; each says what to change.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ComplaintRejection {
    #[error("the complaint is not of the documented shape: {0}")]
    Shape(String),
    #[error("tracking code: {0}")]
    BadCode(CodeError),
    #[error("unknown service {0}")]
    UnknownService(Uuid),
    #[error("item \"{0}\" is not part of this service's questionnaire")]
    UnknownItem(String),
    #[error(
        "the text has {0} characters; a complaint needs at least 10 (what happened, where, when)"
    )]
    TextTooShort(usize),
    #[error("the text has {0} characters; at most 4000 are allowed")]
    TextTooLong(usize),
    #[error("happened_on \"{0}\" is not a day (YYYY-MM-DD)")]
    BadDay(String),
    #[error("happened_on {0} is after the complaint was submitted")]
    FutureDay(String),
    #[error("submitted_at \"{0}\" is not an RFC 3339 date and time")]
    BadTimestamp(String),
    #[error("app_version is longer than 64 characters")]
    AppVersionTooLong,
    #[error("key: 22 to 128 characters of letters, digits, - and _")]
    BadKey,
    #[error("the {field} {problem}")]
    ControlCharacter {
        field: &'static str,
        problem: crate::domain::text::ControlCharacter,
    },
}

/// A complaint that passed every rule and may be stored.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidComplaint {
    pub id: Uuid,
    pub code: TrackingCode,
    pub service_id: Uuid,
    pub response_id: Option<Uuid>,
    pub items: Vec<ItemCode>,
    pub text: String,
    pub happened_on: Option<Date>,
    pub privacy: Privacy,
    pub channel: Channel,
    /// As the device reported it, never later than receipt.
    pub submitted_at: OffsetDateTime,
    pub app_version: Option<String>,
    /// The citizen's key, to be kept hashed (not part of the content hash:
    /// a resend is the same complaint).
    pub key: Option<String>,
}

impl ValidComplaint {
    /// Checks `sub` against the questionnaire of its service.
    pub fn parse(
        sub: ComplaintSubmission,
        questionnaire: &Questionnaire,
        received_at: OffsetDateTime,
    ) -> Result<Self, ComplaintRejection> {
        let code = TrackingCode::parse(&sub.code).map_err(ComplaintRejection::BadCode)?;
        let mut items = Vec::new();
        for code in &sub.items {
            let item = questionnaire
                .item(code)
                .ok_or_else(|| ComplaintRejection::UnknownItem(code.clone()))?;
            if !items.contains(&item.code) {
                items.push(item.code.clone());
            }
        }
        let text = sub.text.trim().to_owned();
        let n = text.chars().count();
        if n < MIN_TEXT_CHARS {
            return Err(ComplaintRejection::TextTooShort(n));
        }
        if n > MAX_TEXT_CHARS {
            return Err(ComplaintRejection::TextTooLong(n));
        }
        let clean = |field, text: &str| {
            crate::domain::text::check(text)
                .map_err(|problem| ComplaintRejection::ControlCharacter { field, problem })
        };
        clean("text", &text)?;
        if let Some(v) = &sub.app_version {
            clean("app_version", v)?;
        }
        let submitted_at = OffsetDateTime::parse(&sub.submitted_at, &Rfc3339)
            .map_err(|_| ComplaintRejection::BadTimestamp(sub.submitted_at.clone()))?
            .to_offset(time::UtcOffset::UTC)
            .min(received_at);
        let happened_on = match sub.happened_on.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(day) => {
                let d = crate::domain::period::parse_day(day)
                    .ok_or_else(|| ComplaintRejection::BadDay(day.to_owned()))?;
                // A day ahead of UTC is still today somewhere in Indonesia.
                let latest = (submitted_at + time::Duration::hours(9)).date();
                if d > latest {
                    return Err(ComplaintRejection::FutureDay(day.to_owned()));
                }
                Some(d)
            }
        };
        let app_version = sub
            .app_version
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty());
        if app_version.as_ref().is_some_and(|v| v.chars().count() > 64) {
            return Err(ComplaintRejection::AppVersionTooLong);
        }
        if sub
            .key
            .as_deref()
            .is_some_and(|k| !super::key::well_formed(k))
        {
            return Err(ComplaintRejection::BadKey);
        }
        Ok(Self {
            id: sub.id,
            code,
            service_id: sub.service_id,
            response_id: sub.response_id,
            items,
            text,
            happened_on,
            privacy: sub.privacy,
            channel: sub.channel,
            submitted_at,
            app_version,
            key: sub.key,
        })
    }

    /// What the citizen submitted, compact and in a fixed order: the same
    /// complaint sent again compares equal, a changed one does not.
    pub fn canonical_json(&self) -> String {
        serde_json::json!({
            "id": self.id,
            "code": self.code,
            "service_id": self.service_id,
            "response_id": self.response_id,
            "items": self.items.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "text": self.text,
            "happened_on": self.happened_on.map(|d| d.to_string()),
            "privacy": self.privacy,
            "channel": self.channel,
            "submitted_at": rfc3339_millis(self.submitted_at),
            "app_version": self.app_version,
        })
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::builtin;
    use time::macros::datetime;

    fn submission() -> ComplaintSubmission {
        ComplaintSubmission {
            id: Uuid::from_u128(7),
            code: TrackingCode::from_random([1; 11]).to_string(),
            service_id: Uuid::from_u128(9),
            response_id: None,
            items: vec!["U3".into(), "U3".into(), "U9".into()],
            text: "  Mesin antrean rusak sejak Senin di loket 2.  ".into(),
            happened_on: Some("2026-11-23".into()),
            privacy: Privacy::default(),
            channel: Channel::Phone,
            submitted_at: "2026-11-24T09:00:00+07:00".into(),
            app_version: None,
            key: None,
        }
    }

    fn parse(sub: ComplaintSubmission) -> Result<ValidComplaint, ComplaintRejection> {
        ValidComplaint::parse(sub, &builtin::skm_2017(), datetime!(2026-11-24 03:00 UTC))
    }

    #[test]
    fn a_complete_complaint_is_accepted_as_filed() {
        let v = parse(submission()).unwrap();
        assert_eq!(v.text, "Mesin antrean rusak sejak Senin di loket 2.");
        assert_eq!(v.items.len(), 2, "each item once");
        assert_eq!(v.privacy, Privacy::Anonim, "anonim unless chosen");
        assert_eq!(v.submitted_at, datetime!(2026-11-24 02:00 UTC));
        assert_eq!(
            parse(submission()).unwrap().canonical_json(),
            v.canonical_json()
        );
        let changed = ValidComplaint {
            text: "another text entirely".into(),
            ..v.clone()
        };
        assert_ne!(changed.canonical_json(), v.canonical_json());
    }

    #[test]
    fn each_rule_refuses_with_its_reason() {
        let with = |f: fn(&mut ComplaintSubmission)| {
            let mut s = submission();
            f(&mut s);
            parse(s).unwrap_err()
        };
        assert_eq!(
            with(|s| s.text = "rusak".into()),
            ComplaintRejection::TextTooShort(5)
        );
        assert_eq!(
            with(|s| s.text = "x".repeat(4001)),
            ComplaintRejection::TextTooLong(4001)
        );
        assert_eq!(
            with(|s| s.items = vec!["U99".into()]),
            ComplaintRejection::UnknownItem("U99".into())
        );
        assert!(matches!(
            with(|s| s.code = "ABCD-EFGH-JKMN".into()),
            ComplaintRejection::BadCode(CodeError::Check)
        ));
        assert_eq!(
            with(|s| s.happened_on = Some("23/11/2026".into())),
            ComplaintRejection::BadDay("23/11/2026".into())
        );
        assert_eq!(
            with(|s| s.happened_on = Some("2026-12-01".into())),
            ComplaintRejection::FutureDay("2026-12-01".into())
        );
        assert_eq!(
            with(|s| s.submitted_at = "yesterday".into()),
            ComplaintRejection::BadTimestamp("yesterday".into())
        );
    }

    #[test]
    fn staff_make_complaints_more_private_never_less() {
        use Privacy::*;
        assert!(Publik.may_become(Anonim) && Anonim.may_become(Rahasia));
        assert!(!Rahasia.may_become(Anonim) && !Anonim.may_become(Publik));
        assert!(Privacy::ALL.iter().all(|p| p.may_become(*p)));
        for p in Privacy::ALL {
            assert_eq!(Privacy::parse(p.as_str()), Some(p));
        }
    }
}
