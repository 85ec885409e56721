//! The SKM report of a unit for a period (Permenpan RB 14/2017): the
//! unit's figures, the respondent profile, and the respondent × item matrix
//! in which a profile value shows only where its group is large enough.

use crate::figures::{figures, select_scope, DayRange, FigureQuery, FiguresError, Scope};
use crate::refusal::{Refusal, Refuse};
use crate::store::accounts::Account;
use crate::store::catalogue::units_in_scope;
use crate::store::rollups::RollupFilter;
use crate::store::Store;
use app::domain::period::{date_of_day, day_number, DAY_MS};
use app::domain::scoring::Attribute;
use app::model::report::{period_days, MatrixRow, SkmReport, MATRIX_ROWS};
use std::borrow::Cow;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("\"{0}\" is not a period: use 2026, 2026-S1, 2026-Q3 or 2026-11")]
    BadPeriod(String),
    #[error("no unit to report on")]
    NoUnit,
    #[error(transparent)]
    Figures(#[from] FiguresError),
    #[error("storage failed: {0}")]
    Storage(#[from] sqlx::Error),
}

impl Refuse for ReportError {
    fn refusal(&self) -> Option<Refusal> {
        match self {
            Self::BadPeriod(_) => Some(Refusal::Invalid),
            Self::NoUnit => Some(Refusal::Forbidden),
            Self::Figures(e) => e.refusal(),
            Self::Storage(_) => None,
        }
    }

    fn slug(&self) -> Cow<'static, str> {
        match self {
            Self::BadPeriod(_) => "bad-period".into(),
            Self::NoUnit => "forbidden".into(),
            Self::Figures(e) => e.slug(),
            Self::Storage(_) => "internal".into(),
        }
    }
}

/// The report on `unit` (by default the first unit `account` may see) for
/// `period` (by default this year).
#[tracing::instrument(name = "report.skm", skip_all)]
pub async fn skm_report(
    store: &Store,
    account: &Account,
    unit: Option<String>,
    period: Option<String>,
    flagged: app::domain::integrity::Flagged,
) -> Result<SkmReport, ReportError> {
    let period = period.unwrap_or_else(|| time::OffsetDateTime::now_utc().year().to_string());
    let Some((from, to)) = period_days(&period) else {
        return Err(ReportError::BadPeriod(period));
    };
    let scope = account.unit_scope();
    let all = store.all_services().await?;
    let units = units_in_scope(&all, scope);
    let Some(unit) = unit.or_else(|| units.first().map(|(c, _)| c.clone())) else {
        return Err(ReportError::NoUnit);
    };
    let query = FigureQuery {
        scope: Scope::Unit(unit.clone()),
        days: DayRange::new(Some(from), Some(to)).map_err(FiguresError::from)?,
        flagged,
        ..Default::default()
    };
    let (scope_view, services) = select_scope(all.clone(), &query.scope, scope)?;
    let answer = figures(store, scope_view.clone(), services.clone(), &query).await?;
    let mut profile = Vec::new();
    for a in Attribute::ALL {
        let q = FigureQuery {
            group: Some(a),
            questionnaire: Some(answer.questionnaire.id.clone()),
            ..query.clone()
        };
        let ans = figures(store, scope_view.clone(), services.clone(), &q).await?;
        profile.extend(ans.breakdown);
    }
    // The matrix: a profile value is shown only where its group is.
    let shown = |a: usize, value: &Option<String>| -> bool {
        let group = value.as_deref().unwrap_or("not-stated");
        profile
            .get(a)
            .and_then(|b| b.groups.iter().find(|g| g.group == group))
            .is_some_and(|g| !g.suppressed)
    };
    let (from_day, to_day) = (day_number(from), day_number(to) + 1);
    // Only services with answers to this questionnaire in the period (the
    // roll-ups know): looking for none in a service's year of other answers
    // would read all of them.
    let mut answering = std::collections::BTreeSet::new();
    let filter = RollupFilter {
        services: services.iter().map(|s| s.service.id).collect(),
        questionnaire_id: Some(answer.questionnaire.id.clone()),
        from_day: Some(from_day),
        to_day: Some(to_day),
        ..Default::default()
    };
    store
        .for_each_rollup(&filter, |row| {
            if row.counts.respondents > 0 {
                answering.insert(row.service_id);
            }
        })
        .await?;
    let ids: Vec<String> = answering.into_iter().collect();
    let respondents = store
        .respondents(
            &ids,
            &answer.questionnaire.id,
            from_day * DAY_MS,
            to_day * DAY_MS,
            MATRIX_ROWS,
            query.flagged,
        )
        .await?;
    // Everyone who scored an item of the questionnaire in the period: the
    // matrix's rows when it is not cut short.
    let total = answer.summary.n;
    let codes: Vec<String> = answer
        .questionnaire
        .items
        .iter()
        .map(|i| i.code.to_string())
        .collect();
    let matrix = respondents
        .into_iter()
        .map(|r| {
            let hidden: [bool; 5] = std::array::from_fn(|a| !shown(a, &r.attributes[a]));
            let profile: [Option<String>; 5] =
                std::array::from_fn(|a| r.attributes[a].clone().filter(|_| !hidden[a]));
            MatrixRow {
                day: date_of_day(r.answered_at_ms.div_euclid(DAY_MS)).to_string(),
                profile,
                hidden,
                scores: codes
                    .iter()
                    .map(|c| {
                        r.scores
                            .iter()
                            .find(|(code, _)| code == c)
                            .map(|(_, s)| (*s).clamp(1, 4) as u8)
                    })
                    .collect(),
            }
        })
        .collect();
    let first = services.first();
    Ok(SkmReport {
        units,
        unit_code: unit,
        unit_name: first.map(|s| s.unit_name.clone()).unwrap_or_default(),
        agency_name: first.map(|s| s.agency_name.clone()).unwrap_or_default(),
        period,
        from: from.to_string(),
        to: to.to_string(),
        answer,
        profile,
        matrix,
        respondents: total,
        may_publish: first.is_some_and(|s| crate::publications::may_edit(account, s.unit_id)),
    })
}
