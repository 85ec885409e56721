//! The follow-up plan (rencana tindak lanjut) of a published SKM period:
//! each action's status, and the plan's progress, computed, never typed.

use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FollowUpStatus {
    Planned,
    InProgress,
    Done,
    /// Given up, with a reason the public reads.
    Dropped,
}

impl FollowUpStatus {
    pub const ALL: [Self; 4] = [Self::Planned, Self::InProgress, Self::Done, Self::Dropped];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::InProgress => "in_progress",
            Self::Done => "done",
            Self::Dropped => "dropped",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Still to be done.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Planned | Self::InProgress)
    }
}

/// Why a status change is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FollowUpError {
    #[error("an action dropped needs a reason")]
    ReasonRequired,
}

/// Checks a change to `to`, with the reason given.
pub fn check_status(to: FollowUpStatus, reason: Option<&str>) -> Result<(), FollowUpError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if to == FollowUpStatus::Dropped && reason.is_none() {
        return Err(FollowUpError::ReasonRequired);
    }
    Ok(())
}

/// How far a plan got.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Progress {
    pub actions: u64,
    pub done: u64,
    pub dropped: u64,
    /// Open actions past their day.
    pub overdue: u64,
    /// Done, of the actions not dropped.
    pub done_share: Option<f64>,
}

impl Progress {
    /// The progress of `actions` (status and due day) on `today`.
    pub fn of(actions: &[(FollowUpStatus, Date)], today: Date) -> Self {
        let count = |f: &dyn Fn(&(FollowUpStatus, Date)) -> bool| {
            actions.iter().filter(|a| f(a)).count() as u64
        };
        let done = count(&|a| a.0 == FollowUpStatus::Done);
        let dropped = count(&|a| a.0 == FollowUpStatus::Dropped);
        let kept = actions.len() as u64 - dropped;
        Self {
            actions: actions.len() as u64,
            done,
            dropped,
            overdue: count(&|a| a.0.is_open() && a.1 < today),
            done_share: (kept > 0).then(|| done as f64 / kept as f64),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;
    use FollowUpStatus::*;

    #[test]
    fn progress_is_counted_not_typed() {
        let today = date!(2026 - 11 - 29);
        let p = Progress::of(
            &[
                (Done, date!(2026 - 10 - 01)),
                (InProgress, date!(2026 - 11 - 01)),
                (Planned, date!(2026 - 12 - 31)),
                (Dropped, date!(2026 - 09 - 01)),
            ],
            today,
        );
        assert_eq!((p.actions, p.done, p.dropped, p.overdue), (4, 1, 1, 1));
        assert_eq!(p.done_share, Some(1.0 / 3.0), "dropped ones do not count");
        assert_eq!(Progress::of(&[], today).done_share, None);
    }

    #[test]
    fn dropping_needs_a_reason() {
        assert_eq!(
            check_status(Dropped, Some("  ")),
            Err(FollowUpError::ReasonRequired)
        );
        assert!(check_status(Dropped, Some("Anggaran dialihkan")).is_ok());
        assert!(check_status(Done, None).is_ok());
        for s in FollowUpStatus::ALL {
            assert_eq!(FollowUpStatus::parse(s.as_str()), Some(s));
        }
    }
}
