//! Publication of SKM periods and what the public sees of a unit
//! (Permenpan RB 14/2017; Perpres 76/2013 for complaint outcomes).
//!
//! Publishing freezes a unit's figures for a period with the response
//! chain's sequence number and hash they were computed from: the figures
//! are read from the roll-ups between two reads of the chain head, and kept
//! only when no response of the unit arrived in between, so they are exactly
//! those of the unit's responses up to that sequence number, which anyone
//! holding an export can recompute.

pub mod open_data;

use crate::complaints::day_of;
use crate::figures::{
    figures_and_moments, select_scope, DayRange, FigureQuery, FiguresError, Scope,
};
use crate::refusal::{Refusal, Refuse};
use crate::store::accounts::Account;
use crate::store::complaints::ComplaintRecord;
use crate::store::publications::{ActionRow, PublicationRow};
use crate::store::{ms_to_datetime, Store};
use app::domain::complaint::outcomes::{ComplaintFigures, Handled};
use app::domain::complaint::{redact, Privacy, State};
use app::domain::follow_up::{check_status, FollowUpError, FollowUpStatus, Progress};
use app::domain::period::{parse_day, period_days};
use app::domain::response::rfc3339_millis;
use app::model::complaint::NamedRef;
use app::model::publication::{
    ActionStatus, AggregateRef, FollowUpAction, NewAction, PublicUnit, PublicUnitLine, Publication,
    PublishRequest, PublishedAggregate, ResolvedComplaint,
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
    #[error("no publication has id {0}")]
    UnknownPublication(String),
    #[error("no follow-up action has id {0}")]
    UnknownAction(String),
    #[error("this unit is not one of yours")]
    NotYours,
    #[error("{0}")]
    BadAction(String),
    #[error(transparent)]
    FollowUp(#[from] FollowUpError),
    #[error("the evidence must be a JPEG, PNG or WebP photo or a PDF, of at most 5 MB")]
    BadFile,
    #[error(transparent)]
    Figures(#[from] FiguresError),
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

impl Refuse for PublicationError {
    fn storage(&self) -> Option<&sqlx::Error> {
        match self {
            Self::Storage(e) => Some(e),
            _ => None,
        }
    }

    fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            Self::BadPeriod(_) | Self::FuturePeriod(_) => Refusal::Invalid,
            Self::UnknownUnit(_) | Self::UnknownPublication(_) | Self::UnknownAction(_) => {
                Refusal::NotFound
            }
            Self::ReadOnly | Self::NotYours => Refusal::Forbidden,
            Self::Busy => Refusal::Conflict,
            Self::BadAction(_) | Self::FollowUp(_) | Self::BadFile => Refusal::Invalid,
            Self::Figures(e) => return e.refusal(),
            Self::Storage(_) | Self::Internal(_) => return None,
        })
    }

    fn slug(&self) -> Cow<'static, str> {
        match self {
            Self::BadPeriod(_) => "bad-period".into(),
            Self::FuturePeriod(_) => "future-period".into(),
            Self::UnknownUnit(_) => "unknown-unit".into(),
            Self::ReadOnly => "read-only".into(),
            Self::Busy => "busy".into(),
            Self::UnknownPublication(_) => "unknown-publication".into(),
            Self::UnknownAction(_) => "unknown-action".into(),
            Self::NotYours => "forbidden".into(),
            Self::BadAction(_) => "bad-action".into(),
            Self::FollowUp(_) => "reason-required".into(),
            Self::BadFile => "bad-file".into(),
            Self::Figures(e) => e.slug(),
            Self::Storage(_) | Self::Internal(_) => "internal".into(),
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
        // Every response up to the chain head, flagged or not: anyone can
        // score them again from an export (`suara verify-publication`),
        // whatever an auditor later decides about a flag.
        flagged: app::domain::integrity::Flagged::Include,
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
        let (answer, moments) =
            figures_and_moments(store, scope.clone(), services.clone(), &query).await?;
        let (after, _) = store.chain_head().await?;
        if store.responses_between(&ids, seq, after).await? > 0 {
            continue; // the unit's figures moved while they were read
        }
        let aggregate = PublishedAggregate {
            unit: services[0].unit_code.clone(),
            period: req.period.clone(),
            up_to_seq: seq,
            chain_hash: chain_hash.clone(),
            questionnaire: answer.questionnaire.id.clone(),
            method: answer.questionnaire.method,
            items: answer
                .questionnaire
                .items
                .iter()
                .map(|i| i.code.to_string())
                .collect(),
            sample_target: answer.summary.sample_target,
            moments,
        };
        let row = store
            .insert_publication(PublicationRow {
                aggregate: serde_json::to_string(&aggregate).ok(),
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
        return Ok(view(&row, unit, None, &[], now.date()));
    }
    Err(PublicationError::Busy)
}

fn action_view(a: &ActionRow, today: time::Date) -> FollowUpAction {
    let status = FollowUpStatus::parse(&a.status).unwrap_or(FollowUpStatus::Planned);
    FollowUpAction {
        id: a.id,
        item: a.item.clone(),
        action: a.action.clone(),
        responsible: a.responsible.clone(),
        due_on: a.due_on.clone(),
        status,
        reason: a.reason.clone(),
        overdue: status.is_open() && parse_day(&a.due_on).is_some_and(|d| d < today),
        evidence: a
            .files
            .iter()
            .map(|f| format!("/api/v1/follow-up/{}/evidence/{f}", a.id))
            .collect(),
    }
}

fn view(
    row: &PublicationRow,
    unit: NamedRef,
    superseded_by: Option<Uuid>,
    actions: &[ActionRow],
    today: time::Date,
) -> Publication {
    let mine: Vec<&ActionRow> = actions
        .iter()
        .filter(|a| a.publication_id == row.id)
        .collect();
    let progress = Progress::of(
        &mine
            .iter()
            .map(|a| {
                (
                    FollowUpStatus::parse(&a.status).unwrap_or(FollowUpStatus::Planned),
                    parse_day(&a.due_on).unwrap_or(today),
                )
            })
            .collect::<Vec<_>>(),
        today,
    );
    let aggregate = row.aggregate.as_ref().map(|a| AggregateRef {
        url: aggregate_path(&unit.code, row.id),
        sha256: crate::store::sha256_hex(a),
    });
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
        follow_up: mine.iter().map(|a| action_view(a, today)).collect(),
        follow_up_progress: progress,
        aggregate,
    }
}

/// Where the aggregate of publication `id` of unit `unit` is served.
pub fn aggregate_path(unit: &str, id: Uuid) -> String {
    format!("/api/v1/public/units/{unit}/publications/{id}/aggregate.json")
}

/// The aggregate of publication `id` of unit `unit`, as stored (its bytes
/// are what the published SHA-256 is of).
pub async fn aggregate(store: &Store, unit: &str, id: Uuid) -> Result<String, PublicationError> {
    let missing = || PublicationError::UnknownPublication(id.to_string());
    let row = store.publication(id).await?.ok_or_else(missing)?;
    if store.unit_id_by_code(unit).await? != Some(row.unit_id) {
        return Err(missing());
    }
    row.aggregate.ok_or_else(missing)
}

/// Publications in `rows` (one unit's, newest first), each with the one
/// that corrects it and its follow-up plan.
fn views(
    rows: &[PublicationRow],
    unit: &NamedRef,
    actions: &[ActionRow],
    today: time::Date,
) -> Vec<Publication> {
    rows.iter()
        .map(|r| {
            let by = rows
                .iter()
                .find(|o| o.supersedes == Some(r.id))
                .map(|o| o.id);
            view(r, unit.clone(), by, actions, today)
        })
        .collect()
}

/// Whether `account` may publish and keep the follow-up of unit `unit`.
pub fn may_edit(account: &Account, unit: Uuid) -> bool {
    match account.role {
        crate::auth::Role::Admin => true,
        crate::auth::Role::UnitHead => account.units.contains(&unit),
        crate::auth::Role::Auditor => false,
    }
}

/// The publication `id` and the action rows of it, checked that `account`
/// may keep its follow-up.
async fn editable_publication(
    store: &Store,
    account: &Account,
    id: Uuid,
) -> Result<PublicationRow, PublicationError> {
    let p = store
        .publication(id)
        .await?
        .ok_or_else(|| PublicationError::UnknownPublication(id.to_string()))?;
    if account.role == crate::auth::Role::Auditor {
        return Err(PublicationError::ReadOnly);
    }
    if !may_edit(account, p.unit_id) {
        return Err(PublicationError::NotYours);
    }
    Ok(p)
}

/// The action `id` as stored.
async fn action_row(store: &Store, id: Uuid) -> Result<ActionRow, PublicationError> {
    store
        .action(id)
        .await?
        .ok_or_else(|| PublicationError::UnknownAction(id.to_string()))
}

async fn action_now(
    store: &Store,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<FollowUpAction, PublicationError> {
    let a = action_row(store, id).await?;
    let with_files = store
        .actions_of(&[a.publication_id])
        .await?
        .into_iter()
        .find(|x| x.id == id)
        .unwrap_or(a);
    Ok(action_view(&with_files, now.date()))
}

/// Adds an action to the follow-up plan of publication `publication`.
pub async fn add_action(
    store: &Store,
    account: &Account,
    publication: Uuid,
    new: &NewAction,
    now: OffsetDateTime,
) -> Result<FollowUpAction, PublicationError> {
    let p = editable_publication(store, account, publication).await?;
    let figures: serde_json::Value = serde_json::from_str(&p.figures).unwrap_or_default();
    let items: Vec<&str> = figures["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["code"].as_str()).collect())
        .unwrap_or_default();
    let bad = |why: &str| Err(PublicationError::BadAction(why.to_owned()));
    if !items.contains(&new.item.as_str()) {
        return bad("item: name one of the published period's elements (U1…U9)");
    }
    let (action, responsible) = (new.action.trim(), new.responsible.trim());
    if !(3..=1000).contains(&action.chars().count()) {
        return bad("action: say what will be done (3 to 1,000 characters)");
    }
    if !(2..=200).contains(&responsible.chars().count()) {
        return bad("responsible: name who is responsible (2 to 200 characters)");
    }
    let Some(due) = parse_day(new.due_on.trim()) else {
        return bad("due_on: a day, YYYY-MM-DD");
    };
    let row = ActionRow {
        id: Uuid::new_v4(),
        publication_id: p.id,
        item: new.item.clone(),
        action: action.to_owned(),
        responsible: responsible.to_owned(),
        due_on: due.to_string(),
        status: FollowUpStatus::Planned.as_str().to_owned(),
        reason: None,
        files: Vec::new(),
    };
    store
        .add_action(&row, &account.email, crate::store::datetime_to_ms(now))
        .await?;
    Ok(action_view(&row, now.date()))
}

/// Moves action `id` to `change.status` (a dropped one with its reason).
pub async fn set_status(
    store: &Store,
    account: &Account,
    id: Uuid,
    change: &ActionStatus,
    now: OffsetDateTime,
) -> Result<FollowUpAction, PublicationError> {
    let a = action_row(store, id).await?;
    editable_publication(store, account, a.publication_id).await?;
    check_status(change.status, change.reason.as_deref())?;
    let reason = change
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty() && change.status == FollowUpStatus::Dropped);
    store
        .set_action_status(
            &a,
            change.status.as_str(),
            reason,
            &account.email,
            crate::store::datetime_to_ms(now),
        )
        .await?;
    action_now(store, id, now).await
}

/// The most bytes of one piece of evidence.
pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;

/// Attaches evidence to action `id`: a photo (its metadata removed) or a PDF.
pub async fn add_evidence(
    store: &Store,
    account: &Account,
    id: Uuid,
    data: bytes::Bytes,
    now: OffsetDateTime,
) -> Result<FollowUpAction, PublicationError> {
    use crate::complaints::attachments::{strip, Kind};
    let a = action_row(store, id).await?;
    editable_publication(store, account, a.publication_id).await?;
    if data.len() > MAX_EVIDENCE_BYTES {
        return Err(PublicationError::BadFile);
    }
    let kind = Kind::sniff(&data).ok_or(PublicationError::BadFile)?;
    let clean = strip(kind, data).ok_or(PublicationError::BadFile)?;
    store
        .add_action_file(
            id,
            kind.content_type(),
            &clean,
            &account.email,
            crate::store::datetime_to_ms(now),
        )
        .await?;
    action_now(store, id, now).await
}

/// An evidence file of action `action`: its type and bytes.
pub async fn evidence(
    store: &Store,
    action: Uuid,
    file: Uuid,
) -> Result<(String, Vec<u8>), PublicationError> {
    store
        .action_file(action, file)
        .await?
        .ok_or_else(|| PublicationError::UnknownAction(action.to_string()))
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
    let rows = store.publications(Some(s.unit_id)).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let actions = store.actions_of(&ids).await?;
    let today = OffsetDateTime::now_utc().date();
    let publications = views(&rows, &unit, &actions, today);
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
        if published(c) && resolved.len() < RESOLVED_SHOWN {
            let files = store.attachments_of(c.id).await?;
            resolved.push(resolved_view(c, &history, &files));
        }
    }
    Ok(PublicUnit {
        unit,
        agency,
        publications,
        complaints: ComplaintFigures::compute(&handled, &calendar),
        resolved,
        editable: false,
    })
}

/// A complaint the public may read: resolved, and not `rahasia`.
fn published(c: &ComplaintRecord) -> bool {
    c.state.is_resolved() && c.privacy != Privacy::Rahasia
}

/// The unit's evidence `file` of resolved complaint `id`, for anyone: only
/// of complaints the public may read, and only what the unit sent.
pub async fn complaint_evidence(
    store: &Store,
    id: Uuid,
    file: Uuid,
) -> Result<(String, Vec<u8>), PublicationError> {
    let missing = || PublicationError::UnknownAction(file.to_string());
    let c = store.complaint_by_id(id).await?.ok_or_else(missing)?;
    if !published(&c) {
        return Err(missing());
    }
    let (a, data) = store.attachment(id, file).await?.ok_or_else(missing)?;
    if a.sender != app::model::complaint::Sender::Unit {
        return Err(missing());
    }
    Ok((a.content_type, data))
}

fn resolved_view(
    c: &ComplaintRecord,
    history: &[crate::store::complaints::EventRecord],
    files: &[crate::store::complaints::AttachmentRecord],
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
        evidence: files
            .iter()
            .filter(|f| f.sender == app::model::complaint::Sender::Unit)
            .map(|f| format!("/api/v1/public/complaints/{}/evidence/{}", c.id, f.id))
            .collect(),
    }
}
