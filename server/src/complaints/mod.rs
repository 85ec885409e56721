//! Complaints: filing, the citizen's view and words, the unit's queue and
//! moves, and closing answered complaints nobody confirmed. The rules are the
//! domain's (`app::domain::complaint`); this module applies them to what is
//! stored. Days are the unit's own (its zone: WIB, WITA or WIT): a deadline
//! falls on a local day.

use crate::refusal::{Refusal, Refuse};
use crate::store::accounts::Account;
use crate::store::complaints::{ComplaintRecord, EventRecord, MessageRecord, Step};
use crate::store::{datetime_to_ms, ms_to_datetime, Store};
use app::domain::complaint::{
    check, moves, Actor, Calendar, CodeError, ComplaintResult, Move, State, TrackingCode,
    TransitionError,
};
use app::domain::response::rfc3339_millis;
pub use app::model::complaint::QueueFilter;
use app::model::complaint::{
    AttachmentView, ComplaintPage, ComplaintView, MessageView, NamedRef, Queue, QueueRow,
    StaffComplaint, TimelineEntry,
};
use serde::Deserialize;
use std::borrow::Cow;
use time::OffsetDateTime;

pub mod attachments;
pub mod export;
mod filing;
mod moves;
mod staff;

pub use attachments::{attachment_view, download, upload, Upload, MAX_PDF_BYTES};
pub use export::export;
pub use filing::{file, file_form, ComplaintForm};
pub use moves::{auto_close, citizen_message, make_private, remind, staff_move};
pub use staff::{page, queue, readable_queue, staff_complaint};

/// Longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// Why a complaint operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum ComplaintError {
    #[error("tracking code: {0}")]
    BadCode(CodeError),
    #[error("no complaint has the code {0}")]
    UnknownCode(String),
    #[error("this complaint is another unit's")]
    NotYours,
    #[error("auditors read complaints; unit heads and administrators act on them")]
    ReadOnly,
    #[error("\"{0}\" is not a state of a complaint")]
    UnknownState(String),
    #[error("no unit has the code \"{0}\"")]
    UnknownUnit(String),
    #[error(transparent)]
    Move(#[from] TransitionError),
    #[error("the complaint changed meanwhile; load it again")]
    Changed,
    #[error("a message needs text, an answer to `resolved`, or a `rating`")]
    EmptyMessage,
    #[error("the message has {0} characters; at most 4000 are allowed")]
    MessageTooLong(usize),
    #[error("the text {0}")]
    ControlCharacter(#[from] app::domain::text::ControlCharacter),
    #[error("this complaint is closed; it takes no more messages")]
    Closed,
    #[error(
        "only the citizen acts on their complaint: send the key from the tracking link on the \
         receipt (`key`)"
    )]
    KeyNeeded,
    #[error("this key is not the complaint's: use the tracking link from the receipt")]
    WrongKey,
    #[error("staff act on a complaint through its unit's actions, never as the citizen")]
    StaffAsCitizen,
    #[error("a rating is a whole number from 1 to 4")]
    BadRating,
    #[error("a complaint is rated once it is resolved or closed")]
    NotYetRatable,
    #[error("{0}")]
    BadFile(&'static str),
    #[error("the file is larger than {0} MB")]
    TooLarge(usize),
    #[error("this complaint has its {0} files already")]
    TooManyFiles(usize),
    #[error("another file was stored with this id; send yours with a new id")]
    AttachmentConflict,
    #[error("this complaint has no file {0}")]
    UnknownAttachment(String),
    #[error("{0}")]
    BadFilter(&'static str),
    #[error("\"{0}\" is not a privacy: anonim, publik or rahasia")]
    UnknownPrivacy(String),
    #[error("staff may make a complaint more private, never less")]
    LessPrivate,
    #[error("only a close (ditutup) can be a close as abuse")]
    AbuseOnlyWhenClosing,
    #[error("storage failed: {0}")]
    Storage(#[from] sqlx::Error),
}

impl Refuse for ComplaintError {
    fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            Self::UnknownCode(_) | Self::UnknownAttachment(_) => Refusal::NotFound,
            Self::NotYours
            | Self::ReadOnly
            | Self::KeyNeeded
            | Self::WrongKey
            | Self::StaffAsCitizen => Refusal::Forbidden,
            Self::Move(TransitionError::NotAllowed { .. } | TransitionError::WrongActor(_))
            | Self::Changed
            | Self::Closed
            | Self::NotYetRatable
            | Self::TooManyFiles(_)
            | Self::AttachmentConflict
            | Self::LessPrivate => Refusal::Conflict,
            Self::Storage(_) => return None,
            _ => Refusal::Invalid,
        })
    }

    fn slug(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::BadCode(_) => "bad-code",
            Self::UnknownCode(_) => "unknown-complaint",
            Self::NotYours | Self::ReadOnly => "forbidden",
            Self::UnknownState(_) => "unknown-state",
            Self::UnknownUnit(_) => "unknown-unit",
            Self::Move(TransitionError::NoteRequired) => "note-required",
            Self::Move(TransitionError::UnitRequired) => "unit-required",
            Self::Move(_) => "transition-not-allowed",
            Self::Changed => "changed-meanwhile",
            Self::EmptyMessage => "empty-message",
            Self::MessageTooLong(_) => "message-too-long",
            Self::ControlCharacter(_) => "control-character",
            Self::Closed => "closed",
            Self::KeyNeeded => "key-needed",
            Self::WrongKey => "wrong-key",
            Self::StaffAsCitizen => "staff-as-citizen",
            Self::BadRating | Self::NotYetRatable => "bad-rating",
            Self::BadFile(_) => "bad-file",
            Self::TooLarge(_) => "file-too-large",
            Self::TooManyFiles(_) => "too-many-files",
            Self::AttachmentConflict => "attachment-conflict",
            Self::UnknownAttachment(_) => "unknown-attachment",
            Self::BadFilter(_) => "bad-filter",
            Self::UnknownPrivacy(_) => "unknown-privacy",
            Self::LessPrivate => "less-private",
            Self::AbuseOnlyWhenClosing => "abuse-only-when-closing",
            Self::Storage(_) => "internal",
        })
    }
}

/// What the citizen sends: words, a judgement of the answer, a rating.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CitizenMessage {
    pub text: Option<String>,
    /// To an answer: `true` confirms it, `false` says it did not resolve
    /// the problem (the complaint is worked on again).
    pub resolved: Option<bool>,
    /// How the complaint was handled, 1–4, once it is resolved or closed.
    pub rating: Option<i64>,
    /// The citizen's key, from the tracking link (`#k=…`): required.
    pub key: Option<String>,
}

/// What staff ask: a state to move to, why, and where to for a forward.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct MoveRequest {
    /// `diverifikasi`, `perlu_dilengkapi`, `ditindaklanjuti`, `dijawab`,
    /// `dialihkan` or `ditutup`.
    pub to: String,
    /// Required for `perlu_dilengkapi` (what is missing), `dijawab` (the
    /// answer), `dialihkan` and `ditutup` (why); the citizen sees it.
    pub note: Option<String>,
    /// For `dialihkan`: the receiving unit's code.
    pub unit: Option<String>,
    /// With `ditutup` only: closed as abuse (spam, threats, insults) —
    /// withdrawn from Open311, the public pages and the Data Package even
    /// if it was verified; it still counts in the unit's figures.
    #[serde(default)]
    pub abuse: bool,
}

async fn find(store: &Store, code: &str) -> Result<ComplaintRecord, ComplaintError> {
    let code = TrackingCode::parse(code).map_err(ComplaintError::BadCode)?;
    store
        .complaint(&code)
        .await?
        .ok_or_else(|| ComplaintError::UnknownCode(code.to_string()))
}

/// What anyone holding the code sees.
#[tracing::instrument(name = "complaints.citizen_view", skip_all)]
pub async fn citizen_view(
    store: &Store,
    code: &str,
    now: OffsetDateTime,
) -> Result<ComplaintView, ComplaintError> {
    let c = find(store, code).await?;
    view(store, &c, now, true).await
}

async fn view(
    store: &Store,
    c: &ComplaintRecord,
    now: OffsetDateTime,
    redacted: bool,
) -> Result<ComplaintView, ComplaintError> {
    let (events, messages) = store.complaint_history(c.id).await?;
    let cal = store.calendar().await?;
    let mut v = assemble(c, &events, &messages, &cal, now, redacted);
    v.item_labels = store.item_labels(&c.questionnaire, &c.items).await?;
    v.attachments = store
        .attachments_of(c.id)
        .await?
        .iter()
        .map(|a| attachment_view(&v.code, a))
        .collect();
    Ok(v)
}

fn at(ms: i64) -> String {
    rfc3339_millis(ms_to_datetime(ms))
}

/// The view of complaint `code` as its unit reads it (unredacted).
#[tracing::instrument(name = "complaints.staff_view", skip_all)]
pub async fn staff_view(
    store: &Store,
    code: &str,
    now: OffsetDateTime,
) -> Result<ComplaintView, ComplaintError> {
    let c = find(store, code).await?;
    view(store, &c, now, false).await
}

/// The view of a complaint from its row and history.
pub fn assemble(
    c: &ComplaintRecord,
    events: &[EventRecord],
    messages: &[MessageRecord],
    cal: &Calendar,
    now: OffsetDateTime,
    redacted: bool,
) -> ComplaintView {
    // Anyone but the unit reads the copies redacted when they were written.
    let pick = |original: &str, public: &str| {
        if redacted {
            public.to_owned()
        } else {
            original.to_owned()
        }
    };
    let running = c.running_deadline(cal);
    let today = c.unit_zone.date(now);
    ComplaintView {
        code: c.code.to_string(),
        state: c.state,
        service: c.service.clone(),
        unit: c.unit.clone(),
        deadline: running.map(|d| d.due.to_string()),
        deadline_kind: running.map(|d| d.kind),
        overdue: running.is_some_and(|d| d.overdue(today)),
        timeline: events
            .iter()
            .map(|e| TimelineEntry {
                state: e.state,
                at: at(e.at_ms),
                note: if redacted {
                    e.public_note.clone()
                } else {
                    e.note.clone()
                },
                unit: (e.state == State::Dialihkan).then(|| e.unit.clone()),
            })
            .collect(),
        messages: messages
            .iter()
            .map(|m| MessageView {
                from: m.sender,
                at: at(m.at_ms),
                text: pick(&m.text, &m.public_text),
            })
            .collect(),
        privacy: c.privacy,
        text: pick(&c.text, &c.public_text),
        items: c.items.clone(),
        happened_on: c.happened_on.clone(),
        submitted_at: at(c.submitted_at_ms),
        rating: c.rating.and_then(|r| u8::try_from(r).ok()),
        reopened: u32::try_from(c.reopened).unwrap_or(0),
        attachments: Vec::new(),
        item_labels: Vec::new(),
        keyed: c.key_hash.is_some(),
        time_zone: c.unit_zone.iana().to_owned(),
    }
}

/// Moves `c` as `step` says, or says it changed meanwhile.
async fn apply(store: &Store, c: &ComplaintRecord, step: Step<'_>) -> Result<(), ComplaintError> {
    if store.move_complaint(c, &step).await? {
        Ok(())
    } else {
        Err(ComplaintError::Changed)
    }
}

/// Whether `account` may see complaints at `unit`.
/// Complaint `code`, which `account` may act on: its unit's head, or an
/// administrator (auditors read).
async fn to_act_on(
    store: &Store,
    account: &Account,
    code: &str,
) -> Result<ComplaintRecord, ComplaintError> {
    let c = find(store, code).await?;
    if !sees(account, &c) {
        return Err(ComplaintError::NotYours);
    }
    if account.reads_only() {
        return Err(ComplaintError::ReadOnly);
    }
    Ok(c)
}

pub(crate) fn sees(account: &Account, c: &ComplaintRecord) -> bool {
    account.reads_complaints()
        && account
            .unit_scope()
            .is_none_or(|units| units.contains(&c.unit_id))
}
