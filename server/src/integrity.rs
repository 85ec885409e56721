//! The integrity monitor's review: who may see which flagged responses, and
//! who may clear a flag (an auditor, with a reason; never a unit head, whose
//! own score the flags protect). The rules of flagging are the domain's
//! (`app::domain::integrity`); storage is `store::integrity`.

use crate::auth::Role;
use crate::refusal::{Refusal, Refuse};
use crate::store::accounts::Account;
use crate::store::catalogue::ServiceRow;
use crate::store::integrity::{Cleared, FlaggedResponse};
use crate::store::Store;
use app::domain::integrity::FlagReason;
use app::domain::period::DAY_MS;
use app::domain::query::{DayRange, QueryError};
use std::borrow::Cow;
use uuid::Uuid;

/// The most flagged responses one list holds.
pub const LIST_LIMIT: i64 = app::model::integrity::IntegrityPage::LIMIT as i64;

/// The longest reason an auditor may give.
pub const MAX_REASON: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum IntegrityError {
    #[error("only an auditor may clear a flag (a unit head's own score is what flags protect)")]
    NotAnAuditor,
    #[error("say why the flags are cleared: `reason` is required")]
    ReasonNeeded,
    #[error("`reason` is longer than {MAX_REASON} characters or holds a control character")]
    ReasonTooLong,
    #[error("no response has id {0}")]
    UnknownResponse(Uuid),
    #[error("response {0} has no flag that stands")]
    NothingToClear(Uuid),
    #[error("no unit has code \"{0}\"")]
    UnknownUnit(String),
    #[error("this unit is not one of yours")]
    NotYours,
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("storage failed: {0}")]
    Storage(#[from] sqlx::Error),
}

impl Refuse for IntegrityError {
    fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            Self::NotAnAuditor | Self::NotYours => Refusal::Forbidden,
            Self::ReasonNeeded | Self::ReasonTooLong | Self::Query(_) => Refusal::Invalid,
            Self::UnknownResponse(_) | Self::UnknownUnit(_) => Refusal::NotFound,
            Self::NothingToClear(_) => Refusal::Conflict,
            Self::Storage(_) => return None,
        })
    }

    fn slug(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::NotAnAuditor | Self::NotYours => "forbidden",
            Self::ReasonNeeded => "reason-needed",
            Self::ReasonTooLong => "reason-too-long",
            Self::UnknownResponse(_) => "unknown-response",
            Self::NothingToClear(_) => "nothing-to-clear",
            Self::UnknownUnit(_) => "unknown-unit",
            Self::Query(e) => e.slug(),
            Self::Storage(_) => "internal",
        })
    }
}

/// The responses with standing flags that `account` may see: of `unit`
/// (or every unit it may see) answered within `days`; `all` is the
/// catalogue's services (the caller has them already).
pub async fn list(
    store: &Store,
    account: &Account,
    all: &[ServiceRow],
    unit: Option<&str>,
    days: &DayRange,
) -> Result<Vec<FlaggedResponse>, IntegrityError> {
    let mine = |unit_id: &Uuid| account.unit_scope().is_none_or(|u| u.contains(unit_id));
    let services: Option<Vec<Uuid>> = match unit {
        Some(code) => {
            let of_unit: Vec<_> = all.iter().filter(|s| s.unit_code == code).collect();
            let Some(first) = of_unit.first() else {
                return Err(IntegrityError::UnknownUnit(code.to_owned()));
            };
            if !mine(&first.unit_id) {
                return Err(IntegrityError::NotYours);
            }
            Some(of_unit.iter().map(|s| s.service.id).collect())
        }
        None if account.unit_scope().is_some() => Some(
            all.iter()
                .filter(|s| mine(&s.unit_id))
                .map(|s| s.service.id)
                .collect(),
        ),
        None => None,
    };
    let (from, to) = days.day_numbers();
    Ok(store
        .flagged_responses(
            services.as_deref(),
            from.map(|d| d * DAY_MS),
            to.map(|d| d * DAY_MS),
            LIST_LIMIT,
        )
        .await?)
}

/// Clears the standing flags of `response` (an auditor, with `reason`).
pub async fn clear(
    store: &Store,
    account: &Account,
    response: Uuid,
    reason: &str,
) -> Result<Vec<FlagReason>, IntegrityError> {
    if account.role != Role::Auditor {
        return Err(IntegrityError::NotAnAuditor);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(IntegrityError::ReasonNeeded);
    }
    if reason.chars().count() > MAX_REASON || app::domain::text::check(reason).is_err() {
        return Err(IntegrityError::ReasonTooLong);
    }
    match store.clear_flags(response, &account.email, reason).await? {
        Cleared::Flags(f) => Ok(f),
        Cleared::NothingToClear => Err(IntegrityError::NothingToClear(response)),
        Cleared::NoSuchResponse => Err(IntegrityError::UnknownResponse(response)),
    }
}
