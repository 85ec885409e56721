//! Publication of SKM periods and what the public sees of a unit
//! (Permenpan RB 14/2017; Perpres 76/2013 for complaint outcomes).
//!
//! Publishing freezes a unit's figures for a period with the response
//! chain's sequence number and hash they were computed from: the figures
//! are read from the roll-ups between two reads of the chain head, and kept
//! only when no response of the unit arrived in between, so they are exactly
//! those of the unit's responses up to that sequence number, which anyone
//! holding an export can recompute.

use crate::complaints::day_of;
use crate::figures::{figures, select_scope, DayRange, FigureQuery, FiguresError, Scope};
use crate::refusal::{Refusal, Refuse};
use crate::store::accounts::Account;
use crate::store::complaints::ComplaintRecord;
use crate::store::publications::PublicationRow;
use crate::store::{ms_to_datetime, Store};
use app::domain::complaint::outcomes::{ComplaintFigures, Handled};
use app::domain::complaint::{redact, Privacy, State};
use app::domain::period::period_days;
use app::domain::response::rfc3339_millis;
use app::model::complaint::NamedRef;
use app::model::publication::{
    PublicUnit, PublicUnitLine, Publication, PublishRequest, ResolvedComplaint,
};
use std::borrow::Cow;
use time::OffsetDateTime;
use uuid::Uuid;

/// How many resolved complaints a unit's public page lists.
pub const RESOLVED_SHOWN: usize = 20;

#[derive(Debug, thiserror::Error)]
pub enum PublicationError {
    #[error("\"{0}\" is not a period: use 2026, 2026-S1, 2026-Q3 or 2026-11")]
    BadPeriod(String),
    #[error("the period {0} has not begun")]
    FuturePeriod(String),
    #[error("no unit has code \"{0}\"")]
    UnknownUnit(String),
    #[error("auditors read; they do not publish")]
    ReadOnly,
    #[error("responses keep arriving for this unit; try again in a moment")]
    Busy,
    #[error(transparent)]
    Figures(#[from] FiguresError),
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

impl Refuse for PublicationError {
    fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            Self::BadPeriod(_) | Self::FuturePeriod(_) => Refusal::Invalid,
            Self::UnknownUnit(_) => Refusal::NotFound,
            Self::ReadOnly => Refusal::Forbidden,
            Self::Busy => Refusal::Conflict,
            Self::Figures(e) => return e.refusal(),
            Self::Storage(_) => return None,
        })
    }

    fn slug(&self) -> Cow<'static, str> {
        match self {
            Self::BadPeriod(_) => "bad-period".into(),
            Self::FuturePeriod(_) => "future-period".into(),
            Self::UnknownUnit(_) => "unknown-unit".into(),
            Self::ReadOnly => "read-only".into(),
            Self::Busy => "busy".into(),
            Self::Figures(e) => e.slug(),
            Self::Storage(_) => "internal".into(),
        }
    }
}

fn at(ms: i64) -> String {
    rfc3339_millis(ms_to_datetime(ms))
}

/// Publishes `req.unit`'s figures for `req.period` as `account` (a unit
/// head for their units, or an administrator); audited.
pub async fn publish(
    store: &Store,
    account: &Account,
    req: &PublishRequest,
    now: OffsetDateTime,
) -> Result<Publication, PublicationError> {
    if account.role == crate::auth::Role::Auditor {
        return Err(PublicationError::ReadOnly);
    }
    let (from, to) =
        period_days(&req.period).ok_or_else(|| PublicationError::BadPeriod(req.period.clone()))?;
    if from > now.date() {
        return Err(PublicationError::FuturePeriod(req.period.clone()));
    }
    let query = FigureQuery {
        scope: Scope::Unit(req.unit.clone()),
        days: DayRange::new(Some(from), Some(to)).map_err(FiguresError::from)?,
        ..Default::default()
    };
    let all = store.all_services().await?;
    let (scope, services) = select_scope(all, &query.scope, account.unit_scope())?;
    let unit_id = services
        .first()
        .map(|s| s.unit_id)
        .ok_or_else(|| PublicationError::UnknownUnit(req.unit.clone()))?;
    let ids: Vec<Uuid> = services.iter().map(|s| s.service.id).collect();
    for _ in 0..5 {
        let (seq, chain_hash) = store.chain_head().await?;
        let answer = figures(store, scope.clone(), services.clone(), &query).await?;
        let (after, _) = store.chain_head().await?;
        if store.responses_between(&ids, seq, after).await? > 0 {
            continue; // the unit's figures moved while they were read
        }
        let row = store
            .insert_publication(PublicationRow {
                id: Uuid::new_v4(),
                unit_id,
                period: req.period.clone(),
                up_to_seq: seq,
                chain_hash,
                figures: serde_json::to_string(&answer).unwrap_or_default(),
                published_at_ms: crate::store::datetime_to_ms(now),
                published_by: account.email.clone(),
                supersedes: None,
            })
            .await?;
        let unit = NamedRef {
            code: services[0].unit_code.clone(),
            name: services[0].unit_name.clone(),
        };
        return Ok(view(&row, unit, None));
    }
    Err(PublicationError::Busy)
}

fn view(row: &PublicationRow, unit: NamedRef, superseded_by: Option<Uuid>) -> Publication {
    Publication {
        id: row.id,
        unit,
        period: row.period.clone(),
        up_to_seq: row.up_to_seq,
        chain_hash: row.chain_hash.clone(),
        published_at: at(row.published_at_ms),
        supersedes: row.supersedes,
        superseded_by,
        figures: serde_json::from_str(&row.figures).unwrap_or_default(),
    }
}

/// Publications in `rows` (one unit's, newest first), each with the one
/// that corrects it.
fn views(rows: &[PublicationRow], unit: &NamedRef) -> Vec<Publication> {
    rows.iter()
        .map(|r| {
            let by = rows
                .iter()
                .find(|o| o.supersedes == Some(r.id))
                .map(|o| o.id);
            view(r, unit.clone(), by)
        })
        .collect()
}

/// Every unit with services, with its latest publication in force.
pub async fn public_units(store: &Store) -> Result<Vec<PublicUnitLine>, PublicationError> {
    let all = store.all_services().await?;
    let rows = store.publications(None).await?;
    let mut lines: Vec<PublicUnitLine> = Vec::new();
    for s in &all {
        if lines.iter().any(|l| l.unit.code == s.unit_code) {
            continue;
        }
        let latest = rows
            .iter()
            .filter(|r| r.unit_id == s.unit_id)
            .find(|r| !rows.iter().any(|o| o.supersedes == Some(r.id)));
        let figures: Option<serde_json::Value> =
            latest.and_then(|r| serde_json::from_str(&r.figures).ok());
        lines.push(PublicUnitLine {
            unit: NamedRef {
                code: s.unit_code.clone(),
                name: s.unit_name.clone(),
            },
            agency: NamedRef {
                code: s.agency_code.clone(),
                name: s.agency_name.clone(),
            },
            period: latest.map(|r| r.period.clone()),
            index: figures.as_ref().and_then(|f| f["index"].as_f64()),
            grade: figures.and_then(|f| f["grade"].as_str().map(str::to_owned)),
        });
    }
    lines.sort_by(|a, b| (&a.agency.name, &a.unit.name).cmp(&(&b.agency.name, &b.unit.name)));
    Ok(lines)
}

/// What anyone sees of unit `code`: its publications, how it handles
/// complaints, and the resolved ones that may be published, redacted.
pub async fn public_unit(store: &Store, code: &str) -> Result<PublicUnit, PublicationError> {
    let all = store.all_services().await?;
    let s = all
        .iter()
        .find(|s| s.unit_code == code)
        .ok_or_else(|| PublicationError::UnknownUnit(code.to_owned()))?;
    let unit = NamedRef {
        code: s.unit_code.clone(),
        name: s.unit_name.clone(),
    };
    let agency = NamedRef {
        code: s.agency_code.clone(),
        name: s.agency_name.clone(),
    };
    let publications = views(&store.publications(Some(s.unit_id)).await?, &unit);
    let complaints = store.complaints_at(Some(&[s.unit_id])).await?;
    let mut events = store.all_complaint_events().await?;
    let calendar = store.calendar().await?;
    let mut handled = Vec::new();
    let mut resolved = Vec::new();
    for c in &complaints {
        let history = events.remove(&c.id).unwrap_or_default();
        handled.push(Handled {
            received: day_of(c.submitted_at_ms),
            moves: history.iter().map(|e| (e.state, day_of(e.at_ms))).collect(),
            reopened: c.reopened > 0,
        });
        if c.state.is_resolved() && c.privacy != Privacy::Rahasia && resolved.len() < RESOLVED_SHOWN
        {
            resolved.push(resolved_view(c, &history));
        }
    }
    Ok(PublicUnit {
        unit,
        agency,
        publications,
        complaints: ComplaintFigures::compute(&handled, &calendar),
        resolved,
    })
}

fn resolved_view(
    c: &ComplaintRecord,
    history: &[crate::store::complaints::EventRecord],
) -> ResolvedComplaint {
    let answer = history.iter().rev().find(|e| e.state == State::Dijawab);
    ResolvedComplaint {
        id: c.id,
        service: c.service.clone(),
        submitted_at: at(c.submitted_at_ms),
        items: c.items.clone(),
        text: redact(&c.text),
        answer: answer.and_then(|e| e.note.as_deref()).map(redact),
        answered_at: answer.map(|e| at(e.at_ms)),
        state: c.state.as_str().to_owned(),
    }
}
