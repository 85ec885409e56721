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
use app::domain::report::{DetailsError, ReportDetails};
use app::domain::scoring::Attribute;
use app::model::report::{
    period_days, ChannelCount, MatrixRow, PreviousPeriod, PublishedReport, ReportMethod, SkmReport,
    MATRIX_ROWS, PREVIOUS_PERIODS,
};
use std::borrow::Cow;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("\"{0}\" is not a period: use 2026, 2026-S1, 2026-Q3 or 2026-11")]
    BadPeriod(String),
    #[error("no unit to report on")]
    NoUnit,
    #[error("only the unit's head or an administrator sets its report")]
    NotYours,
    #[error(transparent)]
    BadDetails(#[from] DetailsError),
    #[error(transparent)]
    Figures(#[from] FiguresError),
    #[error("storage failed: {0}")]
    Storage(#[from] sqlx::Error),
}

impl Refuse for ReportError {
    fn refusal(&self) -> Option<Refusal> {
        match self {
            Self::BadPeriod(_) => Some(Refusal::Invalid),
            Self::NoUnit | Self::NotYours => Some(Refusal::Forbidden),
            Self::BadDetails(_) => Some(Refusal::Invalid),
            Self::Figures(e) => e.refusal(),
            Self::Storage(_) => None,
        }
    }

    fn slug(&self) -> Cow<'static, str> {
        match self {
            Self::BadPeriod(_) => "bad-period".into(),
            Self::NoUnit | Self::NotYours => "forbidden".into(),
            Self::BadDetails(DetailsError::BadDate) => "bad-date".into(),
            Self::BadDetails(DetailsError::BadNip) => "bad-nip".into(),
            Self::BadDetails(DetailsError::TooLong(_)) => "too-long".into(),
            Self::BadDetails(DetailsError::Control(..)) => "control-character".into(),
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
    let method = method_of(
        store,
        (scope_view.clone(), &services),
        &period,
        &answer,
        None,
        query.flagged,
    )
    .await?;
    let details = match first {
        Some(s) => store.report_details(s.unit_id, &period).await?,
        None => ReportDetails::default(),
    };
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
        may_publish: first.is_some_and(|s| account.keeps(s.unit_id)),
        details,
        method,
    })
}

/// How `answer` (the figures of a unit's `services` in `period`, up to
/// the chain's `up_to_seq` when given) was reached: the sample target,
/// respondents by channel, and the index of the periods of the same kind
/// before it.
pub async fn method_of(
    store: &Store,
    (scope, services): (
        app::model::figures::ScopeView,
        &[crate::store::catalogue::ServiceRow],
    ),
    period: &str,
    answer: &app::model::figures::SummaryAnswer,
    up_to_seq: Option<i64>,
    flagged: app::domain::integrity::Flagged,
) -> Result<ReportMethod, ReportError> {
    let Some((from, to)) = period_days(period) else {
        return Err(ReportError::BadPeriod(period.to_owned()));
    };
    let qid = answer.questionnaire.id.clone();
    let ids: Vec<uuid::Uuid> = services
        .iter()
        .filter(|s| s.service.questionnaire_id == qid)
        .map(|s| s.service.id)
        .collect();
    let channels = store
        .respondents_by_channel(
            &ids,
            &qid,
            (day_number(from) * DAY_MS, (day_number(to) + 1) * DAY_MS),
            up_to_seq,
            flagged,
        )
        .await?
        .into_iter()
        .map(|(channel, n)| ChannelCount { channel, n })
        .collect();
    let mut previous = Vec::new();
    let mut label = period.to_owned();
    for _ in 0..PREVIOUS_PERIODS {
        let Some(before) = app::domain::period::previous_period(&label) else {
            break;
        };
        let Some((from, to)) = period_days(&before) else {
            break;
        };
        let q = FigureQuery {
            scope: Scope::Unit(scope.code.clone().unwrap_or_default()),
            days: DayRange::new(Some(from), Some(to)).map_err(FiguresError::from)?,
            questionnaire: Some(qid.clone()),
            flagged,
            ..Default::default()
        };
        let figures = figures(store, scope.clone(), services.to_vec(), &q).await?;
        previous.push(PreviousPeriod {
            period: before.clone(),
            n: figures.summary.n,
            index: figures.summary.index,
            grade: figures.summary.grade.map(|g| g.letter().to_owned()),
        });
        label = before;
    }
    Ok(ReportMethod {
        sample_target: answer.summary.sample_target,
        population: answer.scope.population,
        channels,
        previous,
    })
}

/// What a publication of `unit`'s `period` carries of its report: the
/// details the unit set and the method of `answer`, its figures up to
/// `up_to_seq`. An earlier period with too few respondents to publish
/// figures shows its count alone, as its own publication would.
pub async fn published_report(
    store: &Store,
    (unit, services): (uuid::Uuid, &[crate::store::catalogue::ServiceRow]),
    period: &str,
    answer: &app::model::figures::SummaryAnswer,
    up_to_seq: i64,
) -> Result<PublishedReport, ReportError> {
    let mut method = method_of(
        store,
        (answer.scope.clone(), services),
        period,
        answer,
        Some(up_to_seq),
        answer.flagged.figures,
    )
    .await?;
    for p in &mut method.previous {
        if p.n < app::domain::scoring::breakdown::MIN_CELL {
            p.index = None;
            p.grade = None;
        }
    }
    Ok(PublishedReport {
        details: store.report_details(unit, period).await?,
        method,
    })
}

/// Sets what unit `unit` (its code) adds to its report on `period`: its
/// head or an administrator; checked, audited.
#[tracing::instrument(name = "report.save_details", skip_all)]
pub async fn save_details(
    store: &Store,
    account: &Account,
    unit: &str,
    period: &str,
    details: ReportDetails,
    now: time::OffsetDateTime,
) -> Result<(), ReportError> {
    if period_days(period).is_none() {
        return Err(ReportError::BadPeriod(period.to_owned()));
    }
    let Some(id) = store.unit_id_by_code(unit).await? else {
        return Err(ReportError::NoUnit);
    };
    if !account.keeps(id) {
        return Err(ReportError::NotYours);
    }
    let details = details.checked()?;
    let at_ms = (now.unix_timestamp_nanos() / 1_000_000) as i64;
    store
        .save_report_details(id, period, &details, &account.email, at_ms)
        .await?;
    Ok(())
}
