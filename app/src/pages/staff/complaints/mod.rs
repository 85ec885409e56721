//! `/pengaduan`: complaints. Server-rendered HTML with plain forms, like the
//! staff pages: the citizen's tracking page (by code), the unit's view of a
//! complaint with its actions, and the unit's queue.

mod queue;
mod track;

pub use queue::QueuePage;
pub use track::ComplaintPage;

use crate::domain::complaint::{DeadlineKind, State};
use crate::text::Msg;

/// A state's name for people.
pub fn state_name(s: State) -> Msg {
    match s {
        State::Diterima => Msg::StateDiterima,
        State::Diverifikasi => Msg::StateDiverifikasi,
        State::PerluDilengkapi => Msg::StatePerluDilengkapi,
        State::Ditindaklanjuti => Msg::StateDitindaklanjuti,
        State::Dijawab => Msg::StateDijawab,
        State::Selesai => Msg::StateSelesai,
        State::SelesaiTanpaKonfirmasi => Msg::StateSelesaiTanpaKonfirmasi,
        State::Dialihkan => Msg::StateDialihkan,
        State::Ditutup => Msg::StateDitutup,
    }
}

/// What happens next, as the citizen reads it.
fn next_step(s: State) -> Msg {
    match s {
        State::Diterima => Msg::NextDiterima,
        State::Diverifikasi => Msg::NextDiverifikasi,
        State::PerluDilengkapi => Msg::NextPerluDilengkapi,
        State::Ditindaklanjuti => Msg::NextDitindaklanjuti,
        State::Dijawab => Msg::NextDijawab,
        State::Selesai => Msg::NextSelesai,
        State::SelesaiTanpaKonfirmasi => Msg::NextSelesaiTanpaKonfirmasi,
        State::Dialihkan => Msg::NextDialihkan,
        State::Ditutup => Msg::NextDitutup,
    }
}

fn deadline_name(k: DeadlineKind) -> Msg {
    match k {
        DeadlineKind::Verify => Msg::DeadlineVerify,
        DeadlineKind::FirstFollowUp => Msg::DeadlineFirstFollowUp,
        DeadlineKind::Resolve => Msg::DeadlineResolve,
        DeadlineKind::AutoClose => Msg::DeadlineAutoClose,
    }
}

use crate::pages::complaint::privacy_name;

/// `2026-11-20T02:15:00.000Z` as the unit's people read it, in its zone
/// `zone` (an IANA name): `2026-11-20 09.15 WIB`.
fn when(rfc3339: &str, zone: &str) -> String {
    crate::domain::zone::Zone::parse(zone)
        .unwrap_or_default()
        .show_rfc3339(rfc3339)
}
