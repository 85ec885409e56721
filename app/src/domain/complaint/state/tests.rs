use super::*;
use time::macros::date;

fn staff(to: State) -> Move<'static> {
    Move {
        to,
        by: Actor::Staff,
        note: Some("alasan"),
        unit: None,
    }
}

#[test]
fn every_allowed_and_refused_move() {
    use State::*;
    // (from, to, by) that are allowed; everything else is refused.
    let allowed: &[(State, State, Actor)] = &[
        (Diterima, Diverifikasi, Actor::Staff),
        (Diterima, PerluDilengkapi, Actor::Staff),
        (Diterima, Dialihkan, Actor::Staff),
        (Diterima, Ditutup, Actor::Staff),
        (Dialihkan, Diverifikasi, Actor::Staff),
        (Dialihkan, PerluDilengkapi, Actor::Staff),
        (Dialihkan, Dialihkan, Actor::Staff),
        (Dialihkan, Ditutup, Actor::Staff),
        (PerluDilengkapi, Diverifikasi, Actor::Staff),
        (PerluDilengkapi, Dialihkan, Actor::Staff),
        (PerluDilengkapi, Ditutup, Actor::Staff),
        (PerluDilengkapi, Diterima, Actor::Citizen),
        (Diverifikasi, Ditindaklanjuti, Actor::Staff),
        (Diverifikasi, Dialihkan, Actor::Staff),
        (Diverifikasi, Ditutup, Actor::Staff),
        (Ditindaklanjuti, Dijawab, Actor::Staff),
        (Ditindaklanjuti, Dialihkan, Actor::Staff),
        (Ditindaklanjuti, Ditutup, Actor::Staff),
        (Dijawab, Dialihkan, Actor::Staff),
        (Dijawab, Ditutup, Actor::Staff),
        (Dijawab, Selesai, Actor::Citizen),
        (Dijawab, Ditindaklanjuti, Actor::Citizen),
        (Dijawab, SelesaiTanpaKonfirmasi, Actor::System),
    ];
    for from in State::ALL {
        for to in State::ALL {
            for by in [Actor::Staff, Actor::Citizen, Actor::System] {
                let m = Move {
                    to,
                    by,
                    note: Some("alasan"),
                    unit: Some("unit-lain"),
                };
                let ok = check(from, "unit-ini", &m).is_ok();
                let expected = allowed.contains(&(from, to, by));
                assert_eq!(ok, expected, "{from} → {to} by {by:?}");
            }
        }
    }
    // Closed is closed: nothing leaves a closed state.
    for from in [Selesai, SelesaiTanpaKonfirmasi, Ditutup] {
        assert!(!from.is_open());
        assert!(State::ALL
            .iter()
            .all(|&to| check(from, "u", &staff(to)).is_err()));
    }
    assert!(
        !Ditutup.is_resolved(),
        "closed without a fix is not resolved"
    );
}

#[test]
fn refusals_say_what_is_missing() {
    let bare = Move {
        note: None,
        ..staff(State::Ditutup)
    };
    assert_eq!(
        check(State::Diterima, "u", &bare),
        Err(TransitionError::NoteRequired)
    );
    let nowhere = Move {
        unit: Some("u"),
        ..staff(State::Dialihkan)
    };
    assert_eq!(
        check(State::Diterima, "u", &nowhere),
        Err(TransitionError::UnitRequired),
        "forwarding to itself is no forward"
    );
    assert_eq!(
        check(State::Dijawab, "u", &staff(State::Selesai)),
        Err(TransitionError::WrongActor("the citizen"))
    );
    assert_eq!(
        check(State::Diterima, "u", &staff(State::Dijawab)),
        Err(TransitionError::NotAllowed {
            from: "diterima",
            to: "dijawab"
        })
    );
    for s in State::ALL {
        assert_eq!(State::parse(s.as_str()), Some(s));
        assert_eq!(
            serde_json::to_value(s).unwrap(),
            serde_json::json!(s.as_str())
        );
    }
}

#[test]
fn deadlines_by_state_in_working_days() {
    let cal = Calendar::indonesia();
    // Received Friday 13 November 2026.
    let d = deadline(State::Diterima, date!(2026 - 11 - 13), None, &cal).unwrap();
    assert_eq!(d.kind, DeadlineKind::Verify);
    assert_eq!(d.due, date!(2026 - 11 - 18));
    assert!(!d.overdue(date!(2026 - 11 - 18)));
    assert!(d.overdue(date!(2026 - 11 - 19)));
    // Verified Wednesday 18: first follow-up by Wednesday 25.
    let d = deadline(State::Diverifikasi, date!(2026 - 11 - 18), None, &cal).unwrap();
    assert_eq!(
        (d.kind, d.due),
        (DeadlineKind::FirstFollowUp, date!(2026 - 11 - 25))
    );
    // In progress: 60 working days from verification, over Christmas
    // and New Year's leave.
    let d = deadline(
        State::Ditindaklanjuti,
        date!(2026 - 11 - 20),
        Some(date!(2026 - 11 - 18)),
        &cal,
    )
    .unwrap();
    assert_eq!(d.kind, DeadlineKind::Resolve);
    assert_eq!(cal.working_days_between(date!(2026 - 11 - 18), d.due), 60);
    // Answered: closes itself after ten working days; never "overdue".
    let d = deadline(State::Dijawab, date!(2026 - 12 - 01), None, &cal).unwrap();
    assert_eq!(
        (d.kind, d.due),
        (DeadlineKind::AutoClose, date!(2026 - 12 - 15))
    );
    assert!(!d.overdue(date!(2027 - 06 - 01)));
    // Waiting on the citizen, or closed: no clock runs.
    for s in [State::PerluDilengkapi, State::Selesai, State::Ditutup] {
        assert_eq!(deadline(s, date!(2026 - 11 - 13), None, &cal), None);
    }
    // A forward restarts the verification clock at the receiving unit.
    let d = deadline(State::Dialihkan, date!(2026 - 11 - 20), None, &cal).unwrap();
    assert_eq!(
        (d.kind, d.due),
        (DeadlineKind::Verify, date!(2026 - 11 - 25))
    );
}
