//! Moves: the citizen's words and judgements, the unit's moves, and the
//! clock's closing of unconfirmed answers.

use super::*;
use app::domain::complaint::{DeadlineKind, Privacy};

/// Whether `key` is the citizen's key of `c`. A complaint filed before keys
/// existed takes the first well-formed key presented as its own (the device
/// that acts first after the upgrade), and needs that one from then on.
pub(super) async fn the_citizen(
    store: &Store,
    c: &ComplaintRecord,
    key: Option<&str>,
) -> Result<(), ComplaintError> {
    let key = key
        .map(str::trim)
        .filter(|k| app::domain::complaint::key::well_formed(k))
        .ok_or(ComplaintError::KeyNeeded)?;
    let presented = crate::auth::hash_token(key);
    let stored = match &c.key_hash {
        Some(h) => h.clone(),
        None if store.adopt_complaint_key(c.id, &presented).await? => return Ok(()),
        // Another device adopted one meanwhile.
        None => find(store, &c.code.to_string())
            .await?
            .key_hash
            .unwrap_or_default(),
    };
    // Both are SHA-256 digests: comparing them leaks nothing of the key.
    if stored == presented {
        Ok(())
    } else {
        Err(ComplaintError::WrongKey)
    }
}

/// The citizen adds words, judges the answer, or rates the handling.
#[tracing::instrument(name = "complaints.citizen_message", skip_all)]
pub async fn citizen_message(
    store: &Store,
    code: &str,
    m: CitizenMessage,
    now: OffsetDateTime,
) -> Result<ComplaintView, ComplaintError> {
    let mut c = find(store, code).await?;
    the_citizen(store, &c, m.key.as_deref()).await?;
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
        app::domain::text::check(t)?;
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
    // Checked: now change what was asked. Words that come with a move are
    // kept in the move's transaction: a move refused as changed meanwhile
    // (409) keeps nothing, so the phone's retry stores them once.
    let moved_to = match m.resolved {
        Some(true) => Some(State::Selesai),
        Some(false) => Some(State::Ditindaklanjuti),
        None if text.is_some() && c.state == State::PerluDilengkapi => Some(State::Diterima),
        None => None,
    };
    match (moved_to, text) {
        (Some(to), words) => {
            let mut step = Step::by_citizen(to, at_ms);
            step.citizen_words = words;
            apply(store, &c, step).await?;
            c = find(store, &c.code.to_string()).await?;
        }
        (None, Some(t)) => store.add_citizen_message(&c, t, at_ms).await?,
        (None, None) => {}
    }
    if let Some(r) = rating {
        store.rate_complaint(c.id, r, at_ms).await?;
    }
    let c = find(store, &c.code.to_string()).await?;
    view(store, &c, now, true).await
}

/// A unit head (of the complaint's unit) or an administrator moves it.
#[tracing::instrument(name = "complaints.staff_move", skip_all)]
pub async fn staff_move(
    store: &Store,
    account: &Account,
    code: &str,
    req: MoveRequest,
    now: OffsetDateTime,
) -> Result<ComplaintView, ComplaintError> {
    let c = to_act_on(store, account, code).await?;
    let to =
        State::parse(req.to.trim()).ok_or_else(|| ComplaintError::UnknownState(req.to.clone()))?;
    if req.abuse && to != State::Ditutup {
        return Err(ComplaintError::AbuseOnlyWhenClosing);
    }
    let note = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let unit_code = req.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
    for text in note.iter().chain(unit_code.iter()) {
        app::domain::text::check(text)?;
    }
    if let Some(n) = note.map(|n| n.chars().count()) {
        if n > MAX_MESSAGE_CHARS {
            return Err(ComplaintError::MessageTooLong(n));
        }
    }
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
        citizen_words: None,
        abuse: req.abuse,
    };
    apply(store, &c, step).await?;
    let c = find(store, code).await?;
    view(store, &c, now, false).await
}

/// Closes every answered complaint whose ten working days have passed
/// without a word from the citizen; how many it closed. Safe with several
/// servers on one database: each complaint moves once (the move is guarded
/// by the state it was read in).
#[tracing::instrument(name = "complaints.auto_close", skip_all)]
pub async fn auto_close(store: &Store, now: OffsetDateTime) -> Result<usize, ComplaintError> {
    let cal = store.calendar().await?;
    let at_ms = datetime_to_ms(now);
    let mut closed = 0;
    for c in store.answered_before(at_ms).await? {
        // The unit's own days: its working days end at its own midnight.
        let due = c.running_deadline(&cal).map(|d| d.due);
        if due.is_some_and(|due| c.unit_zone.date(now) > due) {
            let step = Step {
                actor: "system",
                ..Step::by_citizen(State::SelesaiTanpaKonfirmasi, at_ms)
            };
            if store.move_complaint(&c, &step).await? {
                closed += 1;
            }
        }
    }
    Ok(closed)
}

/// Tells each open complaint's unit heads, once per deadline, when the
/// deadline it runs (verify, first follow-up, resolve) is one working day
/// away, and when it has passed. How many notifications it wrote (at most;
/// one written before is not written again). Safe with several servers.
#[tracing::instrument(name = "complaints.remind", skip_all)]
pub async fn remind(store: &Store, now: OffsetDateTime) -> Result<usize, ComplaintError> {
    use crate::store::notifications::Kind;
    let cal = store.calendar().await?;
    let at_ms = datetime_to_ms(now);
    let open: Vec<State> = State::ALL.into_iter().filter(|s| s.is_open()).collect();
    let mut written = 0;
    for c in store.complaints_at(None, Some(&open)).await? {
        let Some(d) = c.running_deadline(&cal) else {
            continue;
        };
        let today = c.unit_zone.date(now);
        let tomorrow = cal.add_working_days(today, 1);
        let kind = if d.overdue(today) {
            Kind::Overdue
        } else if d.kind != DeadlineKind::AutoClose && today < d.due && tomorrow >= d.due {
            Kind::DeadlineNear
        } else {
            continue;
        };
        let subject = format!("{}:{:?}:{}", c.id, d.kind, d.due);
        store
            .notify_unit_now(kind, &subject, c.id, c.unit_id, at_ms)
            .await?;
        written += 1;
    }
    Ok(written)
}

/// Staff make a complaint more private (never less): `anonim` → `rahasia`,
/// say, when its text names someone.
pub async fn make_private(
    store: &Store,
    account: &Account,
    code: &str,
    privacy: &str,
    now: OffsetDateTime,
) -> Result<ComplaintView, ComplaintError> {
    let c = to_act_on(store, account, code).await?;
    let to = Privacy::parse(privacy.trim())
        .ok_or_else(|| ComplaintError::UnknownPrivacy(privacy.to_owned()))?;
    if !c.privacy.may_become(to) {
        return Err(ComplaintError::LessPrivate);
    }
    if to != c.privacy {
        store.set_complaint_privacy(&c, to, &account.email).await?;
    }
    let c = find(store, code).await?;
    view(store, &c, now, false).await
}
