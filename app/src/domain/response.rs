//! A citizen's response: what a client submits, how it is validated, and what
//! the sync protocol answers for it.

use super::questionnaire::{ItemCode, Questionnaire, Score};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

mod respondent;
pub use respondent::{AgeBand, Disability, Education, Occupation, Respondent, Sex};

/// Longest comment accepted, in characters.
pub const MAX_COMMENT_CHARS: usize = 2000;
/// Most responses accepted in one sync batch.
pub const MAX_BATCH: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// The citizen's own phone.
    Phone,
    /// A shared tablet at the service counter.
    Kiosk,
    /// A link or QR code opened in any browser.
    Link,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Kiosk => "kiosk",
            Self::Link => "link",
        }
    }
}

/// One response as a client sends it in `POST /api/v1/responses`.
///
/// Scores stay loosely typed here so that a bad score is rejected with a
/// reason that names its item, not with a bare deserialisation error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ResponseSubmission {
    /// Generated on the device; the idempotency key of the sync protocol.
    pub id: Uuid,
    pub service_id: Uuid,
    pub questionnaire_id: String,
    pub questionnaire_version: i64,
    /// When the citizen answered (RFC 3339).
    pub answered_at: String,
    pub channel: Channel,
    /// Item code → score 1..4. An item may be skipped.
    #[cfg_attr(feature = "ssr", schema(value_type = BTreeMap<String, u8>))]
    pub scores: BTreeMap<String, serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondent: Option<Respondent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_version: Option<String>,
    /// A random id the app makes once per install (never linked to a
    /// person): the integrity monitor notices one device rating a service
    /// many times a day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<Uuid>,
}

/// Why a response cannot be accepted, in words a person can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("the response is not of the documented shape: {0}")]
    Shape(String),
    #[error("unknown service {0}")]
    UnknownService(Uuid),
    #[error("questionnaire {id} version {version} does not exist")]
    UnknownQuestionnaire { id: String, version: i64 },
    #[error("service {service} uses questionnaire {expected}, not {got}")]
    WrongQuestionnaire {
        service: Uuid,
        expected: String,
        got: String,
    },
    #[error("item \"{0}\" is not part of this questionnaire")]
    UnknownItem(String),
    #[error("score for item {item}: {problem}")]
    BadScore { item: String, problem: String },
    #[error("no item was scored; at least one score is needed")]
    NoScores,
    #[error("comment has {0} characters; at most 2000 are allowed")]
    CommentTooLong(usize),
    #[error("answered_at \"{0}\" is not an RFC 3339 date and time")]
    BadTimestamp(String),
    #[error("app_version is longer than 64 characters")]
    AppVersionTooLong,
    #[error("{field} {problem}")]
    ControlCharacter {
        field: &'static str,
        problem: crate::domain::text::ControlCharacter,
    },
}

/// Free text of a response, refused with its field's name when it holds a
/// control character.
fn clean(field: &'static str, text: &str) -> Result<(), Rejection> {
    crate::domain::text::check(text)
        .map_err(|problem| Rejection::ControlCharacter { field, problem })
}

/// A response that passed every rule and may be stored.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidResponse {
    pub id: Uuid,
    pub service_id: Uuid,
    pub questionnaire_id: String,
    pub questionnaire_version: i64,
    /// As the device reported it, normalised to UTC.
    pub answered_at_reported: OffsetDateTime,
    /// What periods count by: the reported time, but never later than receipt.
    pub answered_at: OffsetDateTime,
    pub channel: Channel,
    pub scores: BTreeMap<ItemCode, Score>,
    pub comment: Option<String>,
    pub respondent: Option<Respondent>,
    pub app_version: Option<String>,
    pub device_id: Option<Uuid>,
}

impl ValidResponse {
    /// Checks `sub` against the questionnaire it claims to answer.
    /// `service_questionnaire` is the questionnaire id the service uses.
    pub fn parse(
        sub: ResponseSubmission,
        service_questionnaire: &str,
        questionnaire: &Questionnaire,
        received_at: OffsetDateTime,
    ) -> Result<Self, Rejection> {
        if sub.questionnaire_id != service_questionnaire {
            return Err(Rejection::WrongQuestionnaire {
                service: sub.service_id,
                expected: service_questionnaire.to_owned(),
                got: sub.questionnaire_id,
            });
        }
        if sub.questionnaire_id != questionnaire.id
            || sub.questionnaire_version != questionnaire.version
        {
            return Err(Rejection::UnknownQuestionnaire {
                id: sub.questionnaire_id,
                version: sub.questionnaire_version,
            });
        }
        let mut scores = BTreeMap::new();
        for (code, value) in &sub.scores {
            let item = questionnaire
                .item(code)
                .ok_or_else(|| Rejection::UnknownItem(code.clone()))?;
            let bad = |problem: String| Rejection::BadScore {
                item: code.clone(),
                problem,
            };
            let n = value
                .as_i64()
                .ok_or_else(|| bad(format!("{value} is not a whole number 1–4")))?;
            scores.insert(item.code.clone(), Score::new(n).map_err(bad)?);
        }
        if scores.is_empty() {
            return Err(Rejection::NoScores);
        }
        let comment = sub
            .comment
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        if let Some(c) = &comment {
            let n = c.chars().count();
            if n > MAX_COMMENT_CHARS {
                return Err(Rejection::CommentTooLong(n));
            }
            clean("comment", c)?;
        }
        if let Some(v) = &sub.app_version {
            clean("app_version", v)?;
        }
        if sub
            .app_version
            .as_ref()
            .is_some_and(|v| v.chars().count() > 64)
        {
            return Err(Rejection::AppVersionTooLong);
        }
        let reported = OffsetDateTime::parse(&sub.answered_at, &Rfc3339)
            .map_err(|_| Rejection::BadTimestamp(sub.answered_at.clone()))?
            .to_offset(time::UtcOffset::UTC);
        Ok(Self {
            id: sub.id,
            service_id: sub.service_id,
            questionnaire_id: sub.questionnaire_id,
            questionnaire_version: sub.questionnaire_version,
            answered_at_reported: reported,
            answered_at: reported.min(received_at),
            channel: sub.channel,
            scores,
            comment,
            respondent: sub.respondent.filter(|r| *r != Respondent::default()),
            app_version: sub
                .app_version
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty()),
            device_id: sub.device_id,
        })
    }

    /// What the citizen submitted, in the form its content hash is taken of.
    pub fn canonical(&self) -> Canonical {
        Canonical {
            id: self.id,
            service_id: self.service_id,
            questionnaire_id: self.questionnaire_id.clone(),
            questionnaire_version: self.questionnaire_version,
            answered_at: rfc3339_millis(self.answered_at_reported),
            channel: self.channel,
            scores: self
                .scores
                .iter()
                .map(|(k, v)| (k.to_string(), v.get()))
                .collect(),
            comment: self.comment.clone(),
            respondent: self.respondent.clone(),
            app_version: self.app_version.clone(),
            device_id: self.device_id,
        }
    }

    /// The canonical serialisation of what the citizen submitted: compact JSON,
    /// keys in a fixed order, timestamps in UTC with millisecond precision.
    pub fn canonical_json(&self) -> String {
        self.canonical().to_json()
    }
}

/// A response as its content hash covers it: every field the citizen's
/// device submitted, after validation's normalisation (comment and app
/// version trimmed, empty ones and an empty profile absent, time in UTC).
/// Exports carry every field, so `suara verify` can rebuild it from a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Canonical {
    pub id: Uuid,
    pub service_id: Uuid,
    pub questionnaire_id: String,
    pub questionnaire_version: i64,
    /// As reported, `rfc3339_millis`.
    pub answered_at: String,
    pub channel: Channel,
    pub scores: BTreeMap<String, u8>,
    pub comment: Option<String>,
    pub respondent: Option<Respondent>,
    pub app_version: Option<String>,
    /// Absent when the device sent none, so responses from before device
    /// ids keep their hashes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<Uuid>,
}

impl Canonical {
    /// Compact JSON in field order (serde keeps struct field order and
    /// BTreeMap key order), so the output is deterministic.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("canonical response serialises")
    }
}

/// `2026-11-22T03:04:05.678Z`: fixed width, so text order is time order.
pub fn rfc3339_millis(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// The body of `POST /api/v1/responses` as a client builds it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SyncBatch {
    /// At most 500.
    #[cfg_attr(feature = "ssr", schema(schema_with = responses_schema))]
    pub responses: Vec<ResponseSubmission>,
}

#[cfg(feature = "ssr")]
fn responses_schema() -> utoipa::openapi::schema::Array {
    batch_entries_schema("ResponseSubmission", MAX_BATCH, "response")
}

/// A batch's entries as the API documents them: at most `max`, each meant
/// to be an `entry`. Each entry gets its own result: one that is not of the
/// documented shape is answered inside the `200` as `rejected` with a
/// reason, and the others are still stored. So the batch accepts any value
/// as an entry, and says so.
#[cfg(feature = "ssr")]
pub fn batch_entries_schema(entry: &str, max: usize, noun: &str) -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder, Object, Ref, SchemaType};
    let any = AnyOfBuilder::new()
        .item(Ref::from_schema_name(entry))
        .item(Object::with_type(SchemaType::AnyValue))
        .description(Some(format!(
            "A {noun} ({entry}). An entry that is not one is not refused with the batch: its \
             result in the `200` is `rejected`, with the reason, and nothing of it is stored."
        )));
    ArrayBuilder::new().items(any).max_items(Some(max)).build()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SyncStatus {
    /// Stored now.
    Accepted,
    /// Stored before, with the same content; resending was harmless.
    Duplicate,
    /// Stored before with different content; the stored one is kept.
    Conflict,
    /// Invalid; see `reason`. Nothing was stored.
    Rejected,
}

impl SyncStatus {
    /// Whether the device may forget the response.
    pub fn is_delivered(self) -> bool {
        matches!(self, Self::Accepted | Self::Duplicate)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SyncResult {
    /// The response's id; null only when the entry had no readable id.
    pub id: Option<Uuid>,
    pub status: SyncStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SyncResults {
    /// One per submitted response, in the order submitted.
    pub results: Vec<SyncResult>,
}

#[cfg(test)]
mod tests;
