//! Figures of a scope: the services a query names (within what the caller
//! may see), read from the roll-ups and computed by the domain's scoring,
//! as a total, a series by period, a breakdown by a respondent attribute,
//! and the latest period against the one before. What the summary API, the
//! dashboard, the SKM report and `suara bench summary` all use.

use crate::refusal::{Refusal, Refuse};
use crate::store::catalogue::ServiceRow;
use crate::store::rollups::{MomentsByKey, RollupFilter};
use crate::store::Store;
use app::domain::period::date_of_day;
pub use app::domain::query::{DayRange, FigureQuery, QueryError, Scope};
use app::domain::scoring::{sample_target, Breakdown, Moments, PeriodChange, Summary};
use app::domain::ItemCode;
pub use app::model::figures::{
    FlaggedCounts, ItemRef, PeriodFigures, QuestionnaireRef, ScopeView, SummaryAnswer, SummaryQuery,
};
use std::borrow::Cow;
use std::collections::HashSet;
use time::Date;
use uuid::Uuid;

/// The most periods one series may have (ten years of weeks).
pub const MAX_PERIODS: usize = 520;

/// Why figures could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum FiguresError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("no {kind} with services has code \"{code}\"")]
    UnknownScope { kind: &'static str, code: String },
    #[error("this {0} is not one of yours")]
    NotYours(&'static str),
    #[error("no service in this scope")]
    EmptyScope,
    #[error("no questionnaire has id \"{0}\"")]
    UnknownQuestionnaire(String),
    #[error("more than {MAX_PERIODS} periods: narrow `from`/`to` or use a longer `by`")]
    TooManyPeriods,
    #[error("storage failed: {0}")]
    Storage(#[from] sqlx::Error),
}

impl Refuse for FiguresError {
    fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            Self::UnknownScope { .. } | Self::EmptyScope => Refusal::NotFound,
            Self::NotYours(_) => Refusal::Forbidden,
            Self::Storage(_) => return None,
            _ => Refusal::Invalid,
        })
    }

    fn slug(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::Query(e) => e.slug(),
            Self::UnknownScope { kind, .. } => return format!("unknown-{kind}").into(),
            Self::NotYours(_) => "forbidden",
            Self::EmptyScope => "empty-scope",
            Self::UnknownQuestionnaire(_) => "unknown-questionnaire",
            Self::TooManyPeriods => "too-many-periods",
            Self::Storage(_) => "internal",
        })
    }
}

/// The figures of `services` (the scope the caller may see) for the rest of
/// the query, from the roll-ups. Also what `suara bench summary` times.
#[tracing::instrument(name = "figures", skip_all)]
pub async fn figures(
    store: &Store,
    scope: ScopeView,
    services: Vec<ServiceRow>,
    q: &FigureQuery,
) -> Result<SummaryAnswer, FiguresError> {
    Ok(figures_and_moments(store, scope, services, q).await?.0)
}

/// [`figures`], with the moments of the whole scope they were computed
/// from (what a publication's aggregate holds).
pub async fn figures_and_moments(
    store: &Store,
    scope: ScopeView,
    services: Vec<ServiceRow>,
    q: &FigureQuery,
) -> Result<(SummaryAnswer, Moments), FiguresError> {
    let (by, group) = (q.by, q.group);
    let (from_day, to_day) = q.days.day_numbers();

    let qid = match &q.questionnaire {
        Some(id) => id.clone(),
        None => most_used_questionnaire(&services).ok_or(FiguresError::EmptyScope)?,
    };
    let versions = store.questionnaire_versions(&qid).await?;
    let Some(latest) = versions.first() else {
        return Err(FiguresError::UnknownQuestionnaire(qid));
    };
    let method = services
        .iter()
        .filter(|s| s.service.questionnaire_id == qid)
        .max_by_key(|s| s.service.questionnaire_version)
        .and_then(|s| {
            versions
                .iter()
                .find(|v| v.version == s.service.questionnaire_version)
        })
        .unwrap_or(latest)
        .method;
    let mut items: Vec<ItemRef> = Vec::new();
    for v in &versions {
        for item in &v.items {
            if !items.iter().any(|i| i.code == item.code) {
                items.push(ItemRef {
                    code: item.code.clone(),
                    label: item.label.clone(),
                });
            }
        }
    }
    let codes: Vec<ItemCode> = items.iter().map(|i| i.code.clone()).collect();

    let volumes = store.unit_volumes().await?;
    let units: HashSet<Uuid> = services.iter().map(|s| s.unit_id).collect();
    let population = (!units.is_empty() && units.iter().all(|u| volumes.contains_key(u)))
        .then(|| units.iter().map(|u| volumes[u]).sum::<u64>());
    let target = sample_target(population);

    // Everything is read from the roll-ups: everyone's slice for the figures
    // and the series, the attribute's slices for the breakdown.
    let mut filter = RollupFilter {
        services: services.iter().map(|s| s.service.id).collect(),
        questionnaire_id: Some(qid.clone()),
        from_day,
        to_day,
        attribute: None,
        by,
        flagged: q.flagged,
    };
    let mut total = MomentsByKey::<()>::new(&codes);
    let mut periods = MomentsByKey::<Date>::new(&codes);
    let mut seen: Option<(i64, i64)> = None;
    store
        .for_each_rollup(&filter, |row| {
            if let Some(p) = by {
                periods.add(p.start(date_of_day(row.day)), &row.counts);
            }
            total.add((), &row.counts);
            seen = Some(seen.map_or((row.day, row.day), |(a, b)| {
                (a.min(row.day), b.max(row.day))
            }));
        })
        .await?;
    let everyone = total.take(&());
    let breakdown = match group {
        Some(g) => {
            filter.attribute = Some(g);
            filter.by = None;
            let mut cells = MomentsByKey::<usize>::new(&codes);
            store
                .for_each_rollup(&filter, |row| {
                    cells.add(g.cell_of(Some(&row.value)), &row.counts)
                })
                .await?;
            let cells: Vec<Moments> = (0..g.cells()).map(|i| cells.take(&i)).collect();
            Some(Breakdown::compute(
                g,
                &codes,
                &cells,
                Some(&everyone),
                method,
                target,
            ))
        }
        None => None,
    };

    // The series, and the latest period against the one before it.
    let mut change = None;
    let series = by
        .map(|p| {
            let first = from_day.or(seen.map(|s| s.0));
            let last = to_day.map(|t| t - 1).or(seen.map(|s| s.1));
            let (Some(first), Some(last)) = (first, last) else {
                return Ok(Vec::new());
            };
            let (mut start, end) = (p.start(date_of_day(first)), date_of_day(last));
            // A period is complete once it is over (UTC days, as the query's)
            // and wholly inside the days asked for.
            let today = time::OffsetDateTime::now_utc().date();
            let over_by = to_day.map_or(today, |t| date_of_day(t).min(today));
            let begun_by = from_day.map(date_of_day);
            let mut out = Vec::new();
            // The last two complete periods, and a running one after them.
            let mut complete: [Option<(String, Moments, Summary)>; 2] = [None, None];
            let mut so_far = None;
            while start <= end {
                if out.len() == MAX_PERIODS {
                    return Err(FiguresError::TooManyPeriods);
                }
                let next = p.next(start);
                let moments = periods.take(&start);
                let summary = Summary::compute(&codes, &moments, method, target);
                let whole = next <= over_by && begun_by.is_none_or(|b| start >= b);
                out.push(PeriodFigures {
                    period: p.label(start),
                    start: start.to_string(),
                    end: next.to_string(),
                    complete: whole,
                    summary: summary.clone(),
                });
                if whole {
                    complete = [complete[1].take(), Some((p.label(start), moments, summary))];
                    so_far = None;
                } else if complete[1].is_some() {
                    so_far = Some(p.label(start));
                }
                start = next;
            }
            if let [Some(before), Some(now)] = &complete {
                let mut c = PeriodChange::compute(
                    &codes,
                    (&now.0, &now.1, &now.2),
                    (&before.0, &before.1, &before.2),
                    Some(&everyone),
                );
                c.so_far = so_far;
                change = Some(c);
            }
            Ok(out)
        })
        .transpose()?;

    let mut others: Vec<String> = services
        .iter()
        .map(|s| s.service.questionnaire_id.clone())
        .filter(|id| *id != qid)
        .collect();
    others.sort();
    others.dedup();
    let summary = Summary::compute(&codes, &everyone, method, target);
    let tally = store.flag_tally(&filter).await?;
    let answer = SummaryAnswer {
        scope: ScopeView {
            population,
            ..scope
        },
        questionnaire: QuestionnaireRef {
            id: qid,
            method,
            items,
        },
        other_questionnaires: others,
        summary,
        by,
        series,
        breakdown,
        change,
        flagged: FlaggedCounts {
            responses: tally.responses,
            by_reason: tally.by_reason,
            figures: q.flagged,
        },
    };
    Ok((answer, everyone))
}

/// The services of the scope the query names, out of `all`, after checking
/// the caller may see them.
pub fn select_scope(
    all: Vec<ServiceRow>,
    scope: &Scope,
    allowed: Option<&[Uuid]>,
) -> Result<(ScopeView, Vec<ServiceRow>), FiguresError> {
    let may_see = |s: &ServiceRow| allowed.is_none_or(|u| u.contains(&s.unit_id));
    let (kind, Some(code)) = (scope.kind(), scope.code()) else {
        let services: Vec<ServiceRow> = all.into_iter().filter(|s| may_see(s)).collect();
        let view = ScopeView {
            kind: "all".into(),
            code: None,
            name: None,
            population: None,
        };
        return Ok((view, services));
    };
    let (services, name): (Vec<ServiceRow>, Option<String>) = match scope {
        Scope::Service(_) => {
            let s: Vec<ServiceRow> = all.into_iter().filter(|s| s.service.code == code).collect();
            let name = s.first().map(|s| s.service.name.clone());
            (s, name)
        }
        Scope::Unit(_) => {
            let s: Vec<ServiceRow> = all.into_iter().filter(|s| s.unit_code == code).collect();
            let name = s.first().map(|s| s.unit_name.clone());
            (s, name)
        }
        _ => {
            let s: Vec<ServiceRow> = all.into_iter().filter(|s| s.agency_code == code).collect();
            let name = s.first().map(|s| s.agency_name.clone());
            (s, name)
        }
    };
    if services.is_empty() {
        return Err(FiguresError::UnknownScope {
            kind,
            code: code.to_owned(),
        });
    }
    if !services.iter().all(may_see) {
        return Err(FiguresError::NotYours(kind));
    }
    let view = ScopeView {
        kind: kind.into(),
        code: Some(code.to_owned()),
        name,
        population: None,
    };
    Ok((view, services))
}

/// The questionnaire most services use; a tie goes to the SKM (what units
/// report and publish under Permenpan RB 14/2017), else to the first in
/// catalogue order.
fn most_used_questionnaire(services: &[ServiceRow]) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for s in services {
        match counts
            .iter_mut()
            .find(|(id, _)| *id == s.service.questionnaire_id)
        {
            Some((_, n)) => *n += 1,
            None => counts.push((s.service.questionnaire_id.clone(), 1)),
        }
    }
    counts
        .into_iter()
        .rev()
        .max_by_key(|(id, n)| (*n, id == app::domain::builtin::SKM_2017))
        .map(|(id, _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(code: &str, questionnaire: &str) -> ServiceRow {
        ServiceRow {
            service: app::domain::catalogue::ServiceEntry {
                id: uuid::Uuid::new_v4(),
                code: code.into(),
                name: code.into(),
                questionnaire_id: questionnaire.into(),
                questionnaire_version: 1,
            },
            unit_id: uuid::Uuid::nil(),
            unit_code: "u".into(),
            unit_name: "U".into(),
            agency_code: "a".into(),
            agency_name: "A".into(),
            unit_yearly_volume: None,
            unit_zone: Default::default(),
            unit_hours: None,
        }
    }

    #[test]
    fn a_unit_rated_on_two_questionnaires_equally_reports_its_skm() {
        // As the demo's units: one service on each, the other listed first.
        let tie = [
            service("itas", "etika-pelayanan"),
            service("paspor", "skm-2017"),
        ];
        assert_eq!(most_used_questionnaire(&tie).as_deref(), Some("skm-2017"));
        // More services on another questionnaire still decide.
        let more = [
            service("a", "etika-pelayanan"),
            service("b", "etika-pelayanan"),
            service("c", "skm-2017"),
        ];
        assert_eq!(
            most_used_questionnaire(&more).as_deref(),
            Some("etika-pelayanan")
        );
        // A tie without the SKM: the first in catalogue order.
        let other = [service("x", "q-one"), service("y", "q-two")];
        assert_eq!(most_used_questionnaire(&other).as_deref(), Some("q-one"));
        assert_eq!(most_used_questionnaire(&[]), None);
    }
}
