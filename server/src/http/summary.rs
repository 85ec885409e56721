//! `GET /api/v1/summary`: the figures of a service, unit or agency over a
//! period, optionally as a series (`by`) and broken down by a respondent
//! attribute (`group`), computed by the domain's scoring.

use super::caller::Caller;
use super::problem::Problem;
use super::AppState;
use crate::store::catalog::ServiceRow;
use crate::store::rollups::{Grouping, MomentsByKey, RollupFilter};
use crate::store::Store;
use app::domain::period::{date_of_day, day_number, Period};
use app::domain::scoring::{sample_target, Attribute, Breakdown, Moments, PeriodChange, Summary};
use app::domain::ItemCode;
pub use app::figures::{
    ItemRef, PeriodFigures, QuestionnaireRef, ScopeView, SummaryAnswer, SummaryQuery,
};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use std::collections::HashSet;
use time::Date;
use uuid::Uuid;

/// The most periods one series may have (ten years of weeks).
const MAX_PERIODS: usize = 520;

/// Figures of a service, unit or agency: index with its interval and grade,
/// per-item NRR, spread, distribution and share satisfied with intervals.
#[utoipa::path(get, path = "/api/v1/summary", tag = "export", params(SummaryQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = SummaryAnswer),
              (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn summary(
    State(state): State<AppState>,
    Caller(account): Caller,
    Query(q): Query<SummaryQuery>,
) -> Result<Json<SummaryAnswer>, Problem> {
    let all = state.store.all_services().await?;
    let (scope, services) = select_scope(all, &q, account.unit_scope())?;
    tracing::info!(account = %account.email, scope = scope.kind, code = ?scope.code, "summary");
    figures(&state.store, scope, services, &q).await.map(Json)
}

/// The figures of `services` (the scope the caller may see) for the rest of
/// the query, from the roll-ups. Also what `suara bench summary` times.
pub async fn figures(
    store: &Store,
    scope: ScopeView,
    services: Vec<ServiceRow>,
    q: &SummaryQuery,
) -> Result<SummaryAnswer, Problem> {
    let by =
        q.by.as_deref()
            .map(|s| {
                Period::parse(s).ok_or_else(|| {
                    Problem::bad_request(
                        "invalid-period",
                        format!("by=\"{s}\": use week, month or quarter"),
                    )
                })
            })
            .transpose()?;
    let group = q
        .group
        .as_deref()
        .map(|s| {
            Attribute::parse(s).ok_or_else(|| {
                Problem::bad_request(
                    "invalid-group",
                    format!(
                        "group=\"{s}\": use sex, age_band, education, occupation or disability"
                    ),
                )
            })
        })
        .transpose()?;
    let (from_day, to_day) = day_bounds(q)?;

    let qid = match &q.questionnaire {
        Some(id) => id.clone(),
        None => most_used_questionnaire(&services).ok_or_else(|| {
            Problem::new(
                StatusCode::NOT_FOUND,
                "empty-scope",
                "no service in this scope",
            )
        })?,
    };
    let versions = store.questionnaire_versions(&qid).await?;
    let Some(latest) = versions.first() else {
        return Err(Problem::bad_request(
            "unknown-questionnaire",
            format!("no questionnaire has id \"{qid}\""),
        ));
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
        grouping: if by.is_some() {
            Grouping::Day
        } else {
            Grouping::Total
        },
    };
    let mut total = MomentsByKey::<()>::new(&codes);
    let mut periods = MomentsByKey::<Date>::new(&codes);
    let mut seen: Option<(i64, i64)> = None;
    store
        .for_each_rollup(&filter, |row| {
            total.add((), &row.part);
            if let Some(p) = by {
                periods.add(p.start(date_of_day(row.day)), &row.part);
            }
            seen = Some(seen.map_or((row.day, row.day), |(a, b)| {
                (a.min(row.day), b.max(row.day))
            }));
        })
        .await?;
    let everyone = total.take(&());
    let breakdown = match group {
        Some(g) => {
            filter.attribute = Some(g);
            filter.grouping = Grouping::Value;
            let mut cells = MomentsByKey::<usize>::new(&codes);
            store
                .for_each_rollup(&filter, |row| {
                    cells.add(g.cell_of(Some(&row.value)), &row.part)
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
            let mut out = Vec::new();
            let mut latest: [Option<(String, Moments, Summary)>; 2] = [None, None];
            while start <= end {
                if out.len() == MAX_PERIODS {
                    return Err(Problem::bad_request(
                        "too-many-periods",
                        format!("more than {MAX_PERIODS} periods: narrow `from`/`to` or use a longer `by`"),
                    ));
                }
                let next = p.next(start);
                let moments = periods.take(&start);
                let summary = Summary::compute(&codes, &moments, method, target);
                out.push(PeriodFigures {
                    period: p.label(start),
                    start: start.to_string(),
                    end: next.to_string(),
                    summary: summary.clone(),
                });
                latest = [latest[1].take(), Some((p.label(start), moments, summary))];
                start = next;
            }
            if let [Some(before), Some(now)] = &latest {
                change = Some(PeriodChange::compute(
                    &codes,
                    (&now.0, &now.1, &now.2),
                    (&before.0, &before.1, &before.2),
                    Some(&everyone),
                ));
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
    Ok(SummaryAnswer {
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
        summary: Summary::compute(&codes, &everyone, method, target),
        by,
        series,
        breakdown,
        change,
    })
}

/// `from` and `to` as day numbers, `to` exclusive (the day after the last).
pub fn day_bounds(q: &SummaryQuery) -> Result<(Option<i64>, Option<i64>), Problem> {
    let from_day = q.from.as_deref().map(parse_day).transpose()?;
    // `to` is inclusive; roll-ups are read up to the next day.
    let to_day = q.to.as_deref().map(parse_day).transpose()?.map(|d| d + 1);
    if let (Some(f), Some(t)) = (from_day, to_day) {
        if f >= t {
            return Err(Problem::bad_request(
                "empty-period",
                "`from` must not come after `to`",
            ));
        }
    }
    Ok((from_day, to_day))
}

/// A UTC day (`YYYY-MM-DD`) as a day number. Summaries count whole days, as
/// the roll-ups they read do.
fn parse_day(s: &str) -> Result<i64, Problem> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &fmt).map(day_number).map_err(|_| {
        Problem::bad_request(
            "invalid-date",
            format!("\"{s}\" is not a day (YYYY-MM-DD, UTC); summaries count whole days"),
        )
    })
}

/// The services of the scope the query names, out of `all`, after checking
/// the caller may see them.
pub fn select_scope(
    all: Vec<ServiceRow>,
    q: &SummaryQuery,
    allowed: Option<&[Uuid]>,
) -> Result<(ScopeView, Vec<ServiceRow>), Problem> {
    let named = [
        ("service", &q.service),
        ("unit", &q.unit),
        ("agency", &q.agency),
    ];
    let given: Vec<(&str, &String)> = named
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (*k, v)))
        .collect();
    if given.len() > 1 {
        return Err(Problem::bad_request(
            "ambiguous-scope",
            "name at most one of `service`, `unit` and `agency`",
        ));
    }
    let may_see = |s: &ServiceRow| allowed.is_none_or(|u| u.contains(&s.unit_id));
    let Some(&(kind, code)) = given.first() else {
        let services: Vec<ServiceRow> = all.into_iter().filter(|s| may_see(s)).collect();
        let view = ScopeView {
            kind: "all".into(),
            code: None,
            name: None,
            population: None,
        };
        return Ok((view, services));
    };
    let (services, name): (Vec<ServiceRow>, Option<String>) = match kind {
        "service" => {
            let s: Vec<ServiceRow> = all
                .into_iter()
                .filter(|s| s.service.code == *code)
                .collect();
            let name = s.first().map(|s| s.service.name.clone());
            (s, name)
        }
        "unit" => {
            let s: Vec<ServiceRow> = all.into_iter().filter(|s| s.unit_code == *code).collect();
            let name = s.first().map(|s| s.unit_name.clone());
            (s, name)
        }
        _ => {
            let s: Vec<ServiceRow> = all.into_iter().filter(|s| s.agency_code == *code).collect();
            let name = s.first().map(|s| s.agency_name.clone());
            (s, name)
        }
    };
    if services.is_empty() {
        return Err(Problem::new(
            StatusCode::NOT_FOUND,
            &format!("unknown-{kind}"),
            format!("no {kind} with services has code \"{code}\""),
        ));
    }
    if !services.iter().all(may_see) {
        return Err(Problem::forbidden(format!(
            "this {kind} is not one of yours"
        )));
    }
    let view = ScopeView {
        kind: kind.into(),
        code: Some(code.clone()),
        name,
        population: None,
    };
    Ok((view, services))
}

/// The questionnaire most services use; ties go to the first in catalogue order.
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
        .max_by_key(|(_, n)| *n)
        .map(|(id, _)| id)
}
