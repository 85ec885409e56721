//! Publication of SKM periods and what the public sees of a unit
//! (Permenpan RB 14/2017; Perpres 76/2013 for complaint outcomes).
//!
//! Publishing freezes a unit's figures for a period with the response
//! chain's sequence number and hash they were computed from: the figures
//! are read from the roll-ups between two reads of the chain head, and kept
//! only when no response of the unit arrived in between, so they are exactly
//! those of the unit's responses up to that sequence number, which anyone
//! holding an export can recompute.

mod follow_up;
pub mod open_data;
mod public;

use follow_up::action_view;
pub use follow_up::{add_action, add_evidence, evidence, may_edit, set_status, MAX_EVIDENCE_BYTES};
pub use public::{
    complaint_evidence, public_unit, public_unit_in, public_units, public_units_whole,
};

use crate::figures::{
    figures_and_moments, select_scope, DayRange, FigureQuery, FiguresError, Scope,
};
use crate::refusal::{Refusal, Refuse};
use crate::store::accounts::Account;
use crate::store::publications::{ActionRow, PublicationRow};
use crate::store::{ms_to_datetime, Store};
use app::domain::follow_up::{FollowUpError, FollowUpStatus, Progress};
use app::domain::period::{parse_day, period_days};
use app::domain::response::rfc3339_millis;
use app::domain::scoring::breakdown::MIN_CELL;
use app::model::complaint::NamedRef;
use app::model::publication::{AggregateRef, Publication, PublishRequest, PublishedAggregate};
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
    #[error("storage failed: {0}")]
    Storage(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

impl Refuse for PublicationError {
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
#[tracing::instrument(name = "publications.publish", skip_all)]
pub async fn publish(
    store: &Store,
    account: &Account,
    req: &PublishRequest,
    now: OffsetDateTime,
) -> Result<Publication, PublicationError> {
    if account.reads_only() {
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
        // Too few respondents to publish what they answered: the count
        // alone, no figures, distributions or aggregate (whose sums would
        // give one person's answers away).
        let small = answer.summary.n < MIN_CELL;
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
        let report =
            crate::report::published_report(store, (unit_id, &services), &req.period, &answer, seq)
                .await
                .map_err(|e| match e {
                    crate::report::ReportError::Storage(e) => PublicationError::Storage(e),
                    crate::report::ReportError::Figures(e) => PublicationError::Figures(e),
                    e => PublicationError::Internal(e.to_string()),
                })?;
        let row = store
            .insert_publication(PublicationRow {
                report: serde_json::to_string(&report).ok(),
                aggregate: (!small)
                    .then(|| serde_json::to_string(&aggregate).ok())
                    .flatten(),
                id: Uuid::new_v4(),
                unit_id,
                period: req.period.clone(),
                up_to_seq: seq,
                chain_hash,
                figures: if small {
                    withheld(answer).to_string()
                } else {
                    serde_json::to_string(&answer).unwrap_or_default()
                },
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

/// The figures of a period with fewer than [`MIN_CELL`] respondents, as
/// published: how many answered, and that nothing else is shown, and why.
fn withheld(mut answer: app::model::figures::SummaryAnswer) -> serde_json::Value {
    let s = &mut answer.summary;
    s.index = None;
    s.grade = None;
    s.index_interval = None;
    s.grade_uncertain = false;
    s.items.clear();
    answer.series = None;
    answer.breakdown = None;
    answer.change = None;
    let mut figures = serde_json::to_value(&answer).unwrap_or_default();
    figures["withheld"] = serde_json::json!({
        "below": MIN_CELL,
        "reason": "fewer respondents than the suppression threshold: their answers could be \
                   told apart, so only their number is published",
    });
    figures
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
        report: row
            .report
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok()),
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
