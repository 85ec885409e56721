//! The life of a complaint: its states, who may move it where, and the
//! deadline each state runs, in working days.

use super::calendar::Calendar;
use serde::{Deserialize, Serialize};
use time::Date;

/// A complaint's state, as the interface spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Received, not yet looked at by the unit.
    Diterima,
    /// Complete and this unit's.
    Diverifikasi,
    /// The unit needs more from the citizen, who adds it with the code.
    PerluDilengkapi,
    /// The unit is working on it.
    Ditindaklanjuti,
    /// The unit answered; the citizen confirms or re-opens it.
    Dijawab,
    /// The citizen confirmed the answer.
    Selesai,
    /// Ten working days passed after the answer without a word from the citizen.
    SelesaiTanpaKonfirmasi,
    /// Forwarded to the unit responsible, with a reason the citizen sees; it
    /// goes on there as if just received.
    Dialihkan,
    /// Closed without a fix, with a reason; never counted as resolved.
    Ditutup,
}

/// Who moves a complaint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A unit head of the complaint's unit, or an administrator.
    Staff,
    /// Whoever holds the tracking code.
    Citizen,
    /// The server's own clock (closing answered complaints nobody confirmed).
    System,
}

/// Why a transition is refused (a 409 on the interface, or a 422 when what
/// it must carry is missing).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a complaint that is {from} cannot become {to}")]
    NotAllowed {
        from: &'static str,
        to: &'static str,
    },
    #[error("only {0} can make this change")]
    WrongActor(&'static str),
    #[error("this change needs a note that says why")]
    NoteRequired,
    #[error("forwarding needs the unit responsible, other than this one")]
    UnitRequired,
}

/// Working days allowed, by the national practice (SP4N-LAPOR!) and
/// Perpres 76/2013; a unit's own published standard may be shorter.
pub const VERIFY_DAYS: u32 = 3;
pub const FIRST_FOLLOW_UP_DAYS: u32 = 5;
pub const RESOLVE_DAYS: u32 = 60;
pub const AUTO_CLOSE_DAYS: u32 = 10;

impl State {
    pub const ALL: [Self; 9] = [
        Self::Diterima,
        Self::Diverifikasi,
        Self::PerluDilengkapi,
        Self::Ditindaklanjuti,
        Self::Dijawab,
        Self::Selesai,
        Self::SelesaiTanpaKonfirmasi,
        Self::Dialihkan,
        Self::Ditutup,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Diterima => "diterima",
            Self::Diverifikasi => "diverifikasi",
            Self::PerluDilengkapi => "perlu_dilengkapi",
            Self::Ditindaklanjuti => "ditindaklanjuti",
            Self::Dijawab => "dijawab",
            Self::Selesai => "selesai",
            Self::SelesaiTanpaKonfirmasi => "selesai_tanpa_konfirmasi",
            Self::Dialihkan => "dialihkan",
            Self::Ditutup => "ditutup",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Still the unit's to work on (or the citizen's to judge).
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            Self::Selesai | Self::SelesaiTanpaKonfirmasi | Self::Ditutup
        )
    }

    /// Resolved: confirmed, or not disputed in time. `ditutup` is not.
    pub fn is_resolved(self) -> bool {
        matches!(self, Self::Selesai | Self::SelesaiTanpaKonfirmasi)
    }

    /// Where the unit's staff may move a complaint in this state.
    fn staff_moves(self) -> &'static [State] {
        use State::*;
        match self {
            Diterima | Dialihkan => &[Diverifikasi, PerluDilengkapi, Dialihkan, Ditutup],
            PerluDilengkapi => &[Diverifikasi, Dialihkan, Ditutup],
            Diverifikasi => &[Ditindaklanjuti, Dialihkan, Ditutup],
            Ditindaklanjuti => &[Dijawab, Dialihkan, Ditutup],
            Dijawab => &[Dialihkan, Ditutup],
            Selesai | SelesaiTanpaKonfirmasi | Ditutup => &[],
        }
    }

    /// Where the citizen may move it: judge an answer, or hand back what
    /// was asked for (the unit then looks at it again, as if just received).
    fn citizen_moves(self) -> &'static [State] {
        use State::*;
        match self {
            Dijawab => &[Selesai, Ditindaklanjuti],
            PerluDilengkapi => &[Diterima],
            _ => &[],
        }
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where `by` may move a complaint in state `from` (what a page offers).
pub fn moves(from: State, by: Actor) -> &'static [State] {
    match by {
        Actor::Staff => from.staff_moves(),
        Actor::Citizen => from.citizen_moves(),
        Actor::System if from == State::Dijawab => &[State::SelesaiTanpaKonfirmasi],
        Actor::System => &[],
    }
}

/// A requested move, with what it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move<'a> {
    pub to: State,
    pub by: Actor,
    pub note: Option<&'a str>,
    /// For `dialihkan`: the receiving unit's code.
    pub unit: Option<&'a str>,
}

/// Checks `m` from `from`, in a complaint of unit `current_unit`.
pub fn check(from: State, current_unit: &str, m: &Move<'_>) -> Result<(), TransitionError> {
    if !moves(from, m.by).contains(&m.to) {
        let by_other = match m.by {
            Actor::Staff => from
                .citizen_moves()
                .contains(&m.to)
                .then_some("the citizen"),
            Actor::Citizen => from.staff_moves().contains(&m.to).then_some("the unit"),
            Actor::System => None,
        };
        return Err(match by_other {
            Some(who) => TransitionError::WrongActor(who),
            None => TransitionError::NotAllowed {
                from: from.as_str(),
                to: m.to.as_str(),
            },
        });
    }
    let note = m.note.is_some_and(|n| !n.trim().is_empty());
    let needs_note = matches!(
        m.to,
        State::PerluDilengkapi | State::Dijawab | State::Dialihkan | State::Ditutup
    ) && m.by == Actor::Staff;
    if needs_note && !note {
        return Err(TransitionError::NoteRequired);
    }
    if m.to == State::Dialihkan
        && m.unit
            .is_none_or(|u| u.trim().is_empty() || u == current_unit)
    {
        return Err(TransitionError::UnitRequired);
    }
    Ok(())
}

/// Which deadline runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The unit verifies it (or asks for more, or forwards it).
    Verify,
    /// The unit's first follow-up after verifying.
    FirstFollowUp,
    /// The unit answers.
    Resolve,
    /// The complaint closes itself unless the citizen replies.
    AutoClose,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub due: Date,
}

impl Deadline {
    /// Past due on `today` (the due day itself is still in time). An
    /// auto-close is the system's, never the unit's, so it is never overdue.
    pub fn overdue(&self, today: Date) -> bool {
        self.kind != DeadlineKind::AutoClose && today > self.due
    }
}

/// The deadline a complaint in `state` runs: `entered` is the day it entered
/// this state, `verified` the day it was last verified. `None` where no
/// deadline runs: closed, or waiting on the citizen.
pub fn deadline(
    state: State,
    entered: Date,
    verified: Option<Date>,
    cal: &Calendar,
) -> Option<Deadline> {
    let (kind, from, days) = match state {
        State::Diterima | State::Dialihkan => (DeadlineKind::Verify, entered, VERIFY_DAYS),
        State::Diverifikasi => (DeadlineKind::FirstFollowUp, entered, FIRST_FOLLOW_UP_DAYS),
        State::Ditindaklanjuti => (
            DeadlineKind::Resolve,
            verified.unwrap_or(entered),
            RESOLVE_DAYS,
        ),
        State::Dijawab => (DeadlineKind::AutoClose, entered, AUTO_CLOSE_DAYS),
        State::PerluDilengkapi
        | State::Selesai
        | State::SelesaiTanpaKonfirmasi
        | State::Ditutup => return None,
    };
    Some(Deadline {
        kind,
        due: cal.add_working_days(from, days),
    })
}

#[cfg(test)]
mod tests;
