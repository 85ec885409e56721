//! What staff read: a complaint with the moves the caller may make, the
//! queue of their units, and what `/pengaduan/{code}` shows whom.

use super::*;
use app::domain::complaint::Privacy;

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
    let acts = !account.reads_only();
    let units = if acts {
        let mut units: Vec<NamedRef> =
            crate::store::catalogue::units_in_scope(&store.all_services().await?, None)
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
        moves: if acts {
            moves(c.state, Actor::Staff).to_vec()
        } else {
            Vec::new()
        },
        units,
        privacies: if acts {
            Privacy::ALL
                .into_iter()
                .filter(|p| *p != c.privacy && c.privacy.may_become(*p))
                .collect()
        } else {
            Vec::new()
        },
    })
}

/// The caller's queue to read, with the complaints' words: refused to
/// leadership, which reads the counts on the dashboard only.
pub async fn readable_queue(
    store: &Store,
    account: &Account,
    q: &QueueFilter,
    now: OffsetDateTime,
) -> Result<Queue, ComplaintError> {
    if !account.reads_complaints() {
        return Err(ComplaintError::NotYours);
    }
    queue(store, account, q, now).await
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
    // Closed complaints pile up for years; the queue reads only the states
    // it shows (and counts the open ones).
    let open_states: Vec<State> = State::ALL.into_iter().filter(|s| s.is_open()).collect();
    let states: Vec<State> = match state {
        Some(s) if !s.is_open() => open_states.iter().copied().chain([s]).collect(),
        _ => open_states,
    };
    let all = store
        .complaints_at(account.unit_scope(), Some(&states))
        .await?;
    let cal = store.calendar().await?;
    let mut open = 0;
    let mut overdue = 0;
    let mut rows = Vec::new();
    for c in &all {
        let running = c.running_deadline(&cal);
        let late = running.is_some_and(|d| d.overdue(c.unit_zone.date(now)));
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
