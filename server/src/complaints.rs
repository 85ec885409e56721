//! Complaints: filing, the citizen's view and words, the unit's queue and
//! moves, and closing answered complaints nobody confirmed. The rules are the
//! domain's (`app::domain::complaint`); this module applies them to what is
//! stored. Days are Jakarta's (UTC+7): a deadline falls on a local day.

use crate::auth::Role;
use crate::refusal::{Refusal, Refuse};
use crate::store::accounts::Account;
use crate::store::complaints::{ComplaintRecord, EventRecord, MessageRecord, Step};
use crate::store::{datetime_to_ms, ms_to_datetime, Store};
use app::domain::complaint::{
    check, deadline, moves, redact, Actor, Calendar, CodeError, ComplaintResult, Move, State,
    TrackingCode, TransitionError,
};
use app::domain::response::rfc3339_millis;
pub use app::model::complaint::QueueFilter;
use app::model::complaint::{
    ComplaintPage, ComplaintView, MessageView, NamedRef, Queue, QueueRow, StaffComplaint,
    TimelineEntry,
};
use serde::Deserialize;
use std::borrow::Cow;
use time::{Date, OffsetDateTime, UtcOffset};

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
    #[error("this complaint is closed; it takes no more messages")]
    Closed,
    #[error("a rating is a whole number from 1 to 4")]
    BadRating,
    #[error("a complaint is rated once it is resolved or closed")]
    NotYetRatable,
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

impl Refuse for ComplaintError {
    fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            Self::UnknownCode(_) => Refusal::NotFound,
            Self::NotYours | Self::ReadOnly => Refusal::Forbidden,
            Self::Move(TransitionError::NotAllowed { .. } | TransitionError::WrongActor(_))
            | Self::Changed
            | Self::Closed
            | Self::NotYetRatable => Refusal::Conflict,
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
            Self::Closed => "closed",
            Self::BadRating | Self::NotYetRatable => "bad-rating",
            Self::Storage(_) => "internal",
        })
    }
}

const JAKARTA: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// The local day of an instant.
pub fn day_of(ms: i64) -> Date {
    ms_to_datetime(ms).to_offset(JAKARTA).date()
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
}

/// The complaints of a batch, each decided.
pub async fn file(
    store: &Store,
    entries: Vec<serde_json::Value>,
    now: OffsetDateTime,
) -> Result<Vec<ComplaintResult>, ComplaintError> {
    Ok(store.file_complaints(entries, now).await?)
}

async fn find(store: &Store, code: &str) -> Result<ComplaintRecord, ComplaintError> {
    let code = TrackingCode::parse(code).map_err(ComplaintError::BadCode)?;
    store
        .complaint(&code)
        .await?
        .ok_or_else(|| ComplaintError::UnknownCode(code.to_string()))
}

/// What anyone holding the code sees.
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
    Ok(assemble(
        c,
        &events,
        &messages,
        &Calendar::indonesia(),
        now,
        redacted,
    ))
}

fn at(ms: i64) -> String {
    rfc3339_millis(ms_to_datetime(ms))
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
    let text = |t: &str| if redacted { redact(t) } else { t.to_owned() };
    let running = deadline(
        c.state,
        day_of(c.state_since_ms),
        c.verified_at_ms.map(day_of),
        cal,
    );
    let today = now.to_offset(JAKARTA).date();
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
                note: e.note.as_deref().map(text),
                unit: (e.state == State::Dialihkan).then(|| e.unit.clone()),
            })
            .collect(),
        messages: messages
            .iter()
            .map(|m| MessageView {
                from: m.sender,
                at: at(m.at_ms),
                text: text(&m.text),
            })
            .collect(),
        privacy: c.privacy,
        text: text(&c.text),
        items: c.items.clone(),
        happened_on: c.happened_on.clone(),
        submitted_at: at(c.submitted_at_ms),
        rating: c.rating.and_then(|r| u8::try_from(r).ok()),
        reopened: u32::try_from(c.reopened).unwrap_or(0),
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

/// The citizen adds words, judges the answer, or rates the handling.
pub async fn citizen_message(
    store: &Store,
    code: &str,
    m: CitizenMessage,
    now: OffsetDateTime,
) -> Result<ComplaintView, ComplaintError> {
    let mut c = find(store, code).await?;
    let at_ms = datetime_to_ms(now);
    let text = m.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if text.is_none() && m.resolved.is_none() && m.rating.is_none() {
        return Err(ComplaintError::EmptyMessage);
    }
    let rating = match m.rating {
        Some(r) => Some(
            u8::try_from(r)
                .ok()
                .filter(|r| (1..=4).contains(r))
                .ok_or(ComplaintError::BadRating)?,
        ),
        None => None,
    };
    if let Some(t) = text {
        let n = t.chars().count();
        if n > MAX_MESSAGE_CHARS {
            return Err(ComplaintError::MessageTooLong(n));
        }
        if !c.state.is_open() {
            return Err(ComplaintError::Closed);
        }
    }
    if let Some(resolved) = m.resolved {
        let to = if resolved {
            State::Selesai
        } else {
            State::Ditindaklanjuti
        };
        let mv = Move {
            to,
            by: Actor::Citizen,
            note: text,
            unit: None,
        };
        check(c.state, &c.unit.code, &mv)?;
    }
    if rating.is_some() {
        let resolving = m.resolved == Some(true);
        if c.state.is_open() && !resolving {
            return Err(ComplaintError::NotYetRatable);
        }
    }
    // Checked: now change what was asked, words first.
    if let Some(t) = text {
        store.add_citizen_message(c.id, t, at_ms).await?;
        if c.state == State::PerluDilengkapi && m.resolved.is_none() {
            apply(store, &c, citizen_step(State::Diterima, at_ms)).await?;
            c = find(store, &c.code.to_string()).await?;
        }
    }
    if let Some(resolved) = m.resolved {
        let to = if resolved {
            State::Selesai
        } else {
            State::Ditindaklanjuti
        };
        apply(store, &c, citizen_step(to, at_ms)).await?;
    }
    if let Some(r) = rating {
        store.rate_complaint(c.id, r).await?;
    }
    let c = find(store, &c.code.to_string()).await?;
    view(store, &c, now, true).await
}

fn citizen_step(to: State, at_ms: i64) -> Step<'static> {
    Step {
        to,
        actor: "citizen",
        note: None,
        unit: None,
        at_ms,
        note_is_message: false,
        audited: false,
    }
}

/// Whether `account` may see complaints at `unit`.
fn sees(account: &Account, c: &ComplaintRecord) -> bool {
    account
        .unit_scope()
        .is_none_or(|units| units.contains(&c.unit_id))
}

/// A unit head (of the complaint's unit) or an administrator moves it.
pub async fn staff_move(
    store: &Store,
    account: &Account,
    code: &str,
    req: MoveRequest,
    now: OffsetDateTime,
) -> Result<ComplaintView, ComplaintError> {
    let c = find(store, code).await?;
    if !sees(account, &c) {
        return Err(ComplaintError::NotYours);
    }
    if account.role == Role::Auditor {
        return Err(ComplaintError::ReadOnly);
    }
    let to =
        State::parse(req.to.trim()).ok_or_else(|| ComplaintError::UnknownState(req.to.clone()))?;
    let note = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let unit_code = req.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
    check(
        c.state,
        &c.unit.code,
        &Move {
            to,
            by: Actor::Staff,
            note,
            unit: unit_code,
        },
    )?;
    let unit = match (to, unit_code) {
        (State::Dialihkan, Some(code)) => Some(
            store
                .unit_id_by_code(code)
                .await?
                .ok_or_else(|| ComplaintError::UnknownUnit(code.to_owned()))?,
        ),
        _ => None,
    };
    let step = Step {
        to,
        actor: &account.email,
        note,
        unit,
        at_ms: datetime_to_ms(now),
        note_is_message: matches!(to, State::Dijawab | State::PerluDilengkapi),
        audited: true,
    };
    apply(store, &c, step).await?;
    let c = find(store, code).await?;
    view(store, &c, now, false).await
}

/// A complaint as its unit (or an auditor) sees it, with what the caller may do.
pub async fn staff_complaint(
    store: &Store,
    account: &Account,
    code: &str,
    now: OffsetDateTime,
) -> Result<StaffComplaint, ComplaintError> {
    let c = find(store, code).await?;
    if !sees(account, &c) {
        return Err(ComplaintError::NotYours);
    }
    let view = view(store, &c, now, false).await?;
    let acts = account.role != Role::Auditor;
    let units = if acts {
        let mut units: Vec<NamedRef> =
            crate::store::catalog::units_in_scope(&store.all_services().await?, None)
                .into_iter()
                .filter(|(code, _)| *code != c.unit.code)
                .map(|(code, name)| NamedRef { code, name })
                .collect();
        units.dedup();
        units
    } else {
        Vec::new()
    };
    Ok(StaffComplaint {
        view,
        full_text: c.text.clone(),
        moves: if acts {
            moves(c.state, Actor::Staff).to_vec()
        } else {
            Vec::new()
        },
        units,
    })
}

/// The caller's queue: open complaints of their units (or those `q` asks
/// for), overdue first, then by deadline, then oldest first.
pub async fn queue(
    store: &Store,
    account: &Account,
    q: &QueueFilter,
    now: OffsetDateTime,
) -> Result<Queue, ComplaintError> {
    let state = match q.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(State::parse(s).ok_or_else(|| ComplaintError::UnknownState(s.to_owned()))?),
        None => None,
    };
    let all = store.complaints_at(account.unit_scope()).await?;
    let cal = Calendar::indonesia();
    let today = now.to_offset(JAKARTA).date();
    let mut open = 0;
    let mut overdue = 0;
    let mut rows = Vec::new();
    for c in &all {
        let running = deadline(
            c.state,
            day_of(c.state_since_ms),
            c.verified_at_ms.map(day_of),
            &cal,
        );
        let late = running.is_some_and(|d| d.overdue(today));
        if c.state.is_open() {
            open += 1;
            overdue += u64::from(late);
        }
        let wanted = match state {
            Some(s) => c.state == s,
            None => c.state.is_open(),
        } && q
            .service
            .as_deref()
            .is_none_or(|s| s.is_empty() || s == c.service.code)
            && q.item
                .as_deref()
                .is_none_or(|i| i.is_empty() || c.items.iter().any(|x| x == i));
        if wanted {
            rows.push((late, running.map(|d| d.due), c));
        }
    }
    rows.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| match (a.1, b.1) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.2.submitted_at_ms.cmp(&b.2.submitted_at_ms))
    });
    Ok(Queue {
        complaints: rows
            .into_iter()
            .map(|(late, due, c)| QueueRow {
                code: c.code.to_string(),
                state: c.state,
                service: c.service.clone(),
                unit: c.unit.clone(),
                submitted_at: at(c.submitted_at_ms),
                deadline: due.map(|d| d.to_string()),
                overdue: late,
                items: c.items.clone(),
                excerpt: c.text.chars().take(140).collect(),
            })
            .collect(),
        open,
        overdue,
    })
}

/// Closes every answered complaint whose ten working days have passed
/// without a word from the citizen; how many it closed. Safe with several
/// servers on one database: each complaint moves once (the move is guarded
/// by the state it was read in).
pub async fn auto_close(store: &Store, now: OffsetDateTime) -> Result<usize, ComplaintError> {
    let cal = Calendar::indonesia();
    let today = now.to_offset(JAKARTA).date();
    let at_ms = datetime_to_ms(now);
    let mut closed = 0;
    for c in store.answered_before(at_ms).await? {
        let due = deadline(c.state, day_of(c.state_since_ms), None, &cal).map(|d| d.due);
        if due.is_some_and(|due| today > due) {
            let step = Step {
                actor: "system",
                ..citizen_step(State::SelesaiTanpaKonfirmasi, at_ms)
            };
            if store.move_complaint(&c, &step).await? {
                closed += 1;
            }
        }
    }
    Ok(closed)
}

/// What `/pengaduan/{code}` shows the caller (`None`: signed out).
pub async fn page(
    store: &Store,
    account: Option<&Account>,
    code: &str,
    now: OffsetDateTime,
) -> Result<ComplaintPage, ComplaintError> {
    let staff = match account {
        Some(a) => staff_complaint(store, a, code, now).await,
        None => Err(ComplaintError::NotYours),
    };
    let citizen = match staff {
        Ok(s) => return Ok(ComplaintPage::Staff(Box::new(s))),
        Err(ComplaintError::NotYours) => citizen_view(store, code, now).await,
        Err(e) => Err(e),
    };
    match citizen {
        Ok(v) => Ok(ComplaintPage::Citizen(Box::new(v))),
        Err(ComplaintError::BadCode(_)) => Ok(ComplaintPage::Mistyped),
        Err(ComplaintError::UnknownCode(_)) => Ok(ComplaintPage::Unknown),
        Err(e) => Err(e),
    }
}
