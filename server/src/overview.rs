//! The regency at a glance (`/ikhtisar`): every unit in one table — its
//! index over the last twelve months with interval and grade, responses
//! against the sample target, the change of the latest complete month,
//! the weakest element, complaint handling, overdue complaints now, the
//! flagged share and the publication in force — ranked in bands that never
//! separate two units whose intervals overlap, and only with enough
//! responses (`app::model::overview`).

use crate::figures::{figures, select_scope, FigureQuery, FiguresError};
use crate::publications::public_units_whole;
use crate::store::accounts::Account;
use crate::store::catalogue::ServiceRow;
use crate::store::fresh::Fresh;
use crate::store::Store;
use app::domain::builtin::SKM_2017;
use app::domain::integrity::Flagged;
use app::domain::period::Period;
use app::domain::query::{DayRange, Scope};
use app::domain::scoring::weakest_item;
use app::model::complaint::NamedRef;
use app::model::overview::{bands, MonthAlerts, RegencyOverview, UnitOverview};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Why the overview could not be made.
#[derive(Debug, thiserror::Error)]
pub enum OverviewError {
    #[error(transparent)]
    Figures(#[from] FiguresError),
    #[error(transparent)]
    Publications(#[from] crate::publications::PublicationError),
    #[error("storage failed: {0}")]
    Storage(#[from] sqlx::Error),
}

/// How long the table computed for every unit is used when nothing was
/// written through this process: a response or complaint that arrived
/// through another replica (or the integrity monitor's flags) shows within
/// this.
pub const OVERVIEW_FRESH: Duration = Duration::from_secs(15);

/// Every unit's row, computed once for every overview asked for at the
/// same time (by anyone, of any agency) and kept for [`OVERVIEW_FRESH`]
/// while nothing is written here and the day is the same.
pub struct Overviews(Fresh<(Date, u64, u64), Arc<UnitRows>>);

/// Every unit's row of the overview with the unit's id, by unit code.
pub type UnitRows = Vec<(Uuid, UnitOverview)>;

impl Default for Overviews {
    fn default() -> Self {
        Self(Fresh::new(OVERVIEW_FRESH))
    }
}

/// The overview of every unit (of `agency`, when given) that `account`
/// reads, ordered by `sort`.
#[tracing::instrument(name = "overview", skip_all)]
pub async fn regency(
    store: &Store,
    overviews: &Overviews,
    account: &Account,
    agency: Option<&str>,
    sort: &str,
    now: OffsetDateTime,
) -> Result<RegencyOverview, OverviewError> {
    let today: Date = now.date();
    let from = today - time::Duration::days(364);
    let catalogue = store.all_services().await?;
    // Computed again on another day, after anything written here (a
    // response, a complaint, a publication) and for another catalogue.
    let key = (today, store.writes(), fingerprint(&catalogue));
    let whole = overviews
        .0
        .get(key, || async {
            every_unit(store, &catalogue, now).await.map(Arc::new)
        })
        .await?;
    // Leadership sees the units of its agencies, and those agencies only.
    let scope = account.unit_scope();
    let mut agencies: Vec<NamedRef> = Vec::new();
    for s in catalogue
        .iter()
        .filter(|s| scope.is_none_or(|u| u.contains(&s.unit_id)))
    {
        if !agencies.iter().any(|x| x.code == s.agency_code) {
            agencies.push(NamedRef {
                code: s.agency_code.clone(),
                name: s.agency_name.clone(),
            });
        }
    }
    agencies.sort_by(|a, b| a.name.cmp(&b.name));
    let agency = agency.filter(|a| !a.is_empty());
    let mut rows: Vec<UnitOverview> = whole
        .iter()
        .filter(|(id, r)| {
            scope.is_none_or(|u| u.contains(id)) && agency.is_none_or(|g| g == r.agency.code)
        })
        .map(|(_, r)| r.clone())
        .collect();
    let keys: Vec<_> = rows
        .iter()
        .map(|r| (r.responses, r.index, r.interval))
        .collect();
    for (r, band) in rows.iter_mut().zip(bands(&keys)) {
        r.band = band;
    }
    let sort = match sort {
        "responses" | "overdue" | "flagged" | "unit" => sort,
        _ => "band",
    };
    rows.sort_by(|a, b| match sort {
        "responses" => b.responses.cmp(&a.responses),
        "overdue" => b.overdue_now.cmp(&a.overdue_now),
        "flagged" => b
            .flagged_share
            .partial_cmp(&a.flagged_share)
            .unwrap_or(std::cmp::Ordering::Equal),
        "unit" => a.unit.name.cmp(&b.unit.name),
        // Ranked units by band, then by index; the unranked after them.
        _ => (a.band.is_none(), a.band, b.index.map(|i| -i))
            .partial_cmp(&(b.band.is_none(), b.band, a.index.map(|i| -i)))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.unit.name.cmp(&b.unit.name)),
    });
    Ok(RegencyOverview {
        email: account.email.clone(),
        from: from.to_string(),
        to: today.to_string(),
        agencies,
        agency: agency.map(str::to_owned),
        sort: sort.to_owned(),
        rows,
    })
}

/// What identifies a catalogue: its units and services, with their codes
/// and names.
fn fingerprint(catalogue: &[ServiceRow]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for s in catalogue {
        (s.unit_id, &s.unit_name, &s.agency_code, &s.agency_name).hash(&mut h);
        (s.service.id, &s.service.questionnaire_id).hash(&mut h);
    }
    h.finish()
}

/// Every unit's row of the overview (unranked), with its id, in the
/// order of its code.
pub async fn every_unit(
    store: &Store,
    catalogue: &[ServiceRow],
    now: OffsetDateTime,
) -> Result<UnitRows, OverviewError> {
    let today: Date = now.date();
    let from = today - time::Duration::days(364);
    let mut units: BTreeMap<&str, (Uuid, NamedRef, NamedRef)> = BTreeMap::new();
    for s in catalogue {
        units.entry(&s.unit_code).or_insert_with(|| {
            let unit = NamedRef {
                code: s.unit_code.clone(),
                name: s.unit_name.clone(),
            };
            let agency = NamedRef {
                code: s.agency_code.clone(),
                name: s.agency_name.clone(),
            };
            (s.unit_id, unit, agency)
        });
    }
    // Complaint handling and publications of every unit, in one pass.
    let public: BTreeMap<String, _> = public_units_whole(store)
        .await?
        .into_iter()
        .map(|p| (p.unit.code.clone(), p))
        .collect();
    // Open complaints past their deadline, each in its unit's own days.
    let cal = store.calendar().await?;
    let mut overdue: BTreeMap<String, u64> = BTreeMap::new();
    for c in store.open_clocks(None).await? {
        let late = c
            .running_deadline(&cal)
            .is_some_and(|d| d.overdue(c.unit_zone.date(now)));
        if late {
            *overdue.entry(c.unit_code).or_default() += 1;
        }
    }
    let of = Of {
        store,
        catalogue,
        public: &public,
        overdue: &overdue,
        from,
        today,
    };
    let mut rows = Vec::with_capacity(units.len());
    for (code, (id, unit, agency)) in units {
        rows.push(unit_row(&of, (code.to_owned(), id, unit, agency)).await?);
    }
    Ok(rows)
}

/// What every unit's row is computed from.
struct Of<'a> {
    store: &'a Store,
    catalogue: &'a [ServiceRow],
    public: &'a BTreeMap<String, app::model::publication::PublicUnit>,
    overdue: &'a BTreeMap<String, u64>,
    from: Date,
    today: Date,
}

/// Unit `code`'s row of the overview (unranked), with its id.
async fn unit_row(
    of: &Of<'_>,
    (owned, id, unit, agency): (String, Uuid, NamedRef, NamedRef),
) -> Result<(Uuid, UnitOverview), OverviewError> {
    let code = owned.as_str();
    let (from, today) = (of.from, of.today);
    // The regency compares the SKM index: a unit with a service on the
    // SKM questionnaire is read on it, whatever else its services use.
    let skm = of
        .catalogue
        .iter()
        .any(|s| s.unit_code == code && s.service.questionnaire_id == SKM_2017);
    let query = FigureQuery {
        scope: Scope::Unit(code.to_owned()),
        days: DayRange::new(Some(from), Some(today)).map_err(FiguresError::from)?,
        by: Some(Period::Month),
        group: None,
        questionnaire: skm.then(|| SKM_2017.to_owned()),
        flagged: Flagged::Exclude,
    };
    // Only this unit's services: not a copy of the whole catalogue a unit.
    let own = of
        .catalogue
        .iter()
        .filter(|s| s.unit_code == code)
        .cloned()
        .collect();
    let (view, services) = select_scope(own, &query.scope, None)?;
    let answer = figures(of.store, view, services, &query).await?;
    let s = &answer.summary;
    let weakest = weakest_item(s).and_then(|w| {
        answer
            .questionnaire
            .items
            .iter()
            .find(|i| i.code == w.code)
            .map(|i| (i.label.id.clone(), i.label.en.clone()))
    });
    let flagged = answer.flagged.responses;
    let alerts = month_alerts(&answer);
    let p = of.public.get(code);
    Ok((
        id,
        UnitOverview {
            unit,
            agency,
            responses: s.n,
            sample_target: s.sample_target,
            index: s.index,
            interval: s.index_interval.map(|i| (i.low, i.high)),
            grade: s.grade.map(|g| g.letter().to_owned()),
            band: None,
            change: answer
                .change
                .as_ref()
                .and_then(|c| c.index.map(|d| (d.estimate, d.is_real()))),
            weakest,
            complaints_received: p.map_or(0, |p| p.complaints.received),
            verified_in_time_share: p.and_then(|p| p.complaints.verified_in_time_share),
            answered_in_time_share: p.and_then(|p| p.complaints.answered_in_time_share),
            confirmed_share: p.and_then(|p| p.complaints.confirmed_share),
            overdue_now: of.overdue.get(code).copied().unwrap_or(0),
            flagged_share: (s.n + flagged > 0).then(|| flagged as f64 / (s.n + flagged) as f64),
            last_publication: p.and_then(|p| {
                p.publications
                    .iter()
                    .find(|x| x.superseded_by.is_none())
                    .map(|x| x.period.clone())
            }),
            alerts,
        },
    ))
}

/// The alerts of `answer`'s latest complete month, in words' parts.
fn month_alerts(answer: &app::model::figures::SummaryAnswer) -> MonthAlerts {
    use app::domain::scoring::change::Alert;
    let Some(c) = &answer.change else {
        return MonthAlerts::default();
    };
    let label = |code: &app::domain::ItemCode| {
        answer
            .questionnaire
            .items
            .iter()
            .find(|i| i.code == *code)
            .map_or_else(
                || (code.to_string(), code.to_string()),
                |i| (i.label.id.clone(), i.label.en.clone()),
            )
    };
    let mut out = MonthAlerts::default();
    for a in &c.alerts {
        match a {
            Alert::ItemFell { code, change } => {
                let (id, en) = label(code);
                out.fell.push((id, en, -change.estimate));
            }
            Alert::GradeChanged { from, to } => {
                out.grade = Some((from.letter().to_owned(), to.letter().to_owned()));
            }
        }
    }
    if !out.fell.is_empty() || out.grade.is_some() {
        out.period = Some((c.period.clone(), c.previous.clone()));
    }
    out
}

/// The overview as CSV (formula-safe), one row per unit, for a spreadsheet.
pub fn csv(o: &RegencyOverview) -> Vec<u8> {
    let (header, rows) = table(o);
    let mut buf = Vec::new();
    crate::export::csv::push_record(&mut buf, &header);
    for row in &rows {
        crate::export::csv::push_record(&mut buf, row);
    }
    buf
}

/// The overview as an XLSX workbook: one sheet, figures as numbers, every
/// name as text (never a formula, whatever it starts with).
pub fn xlsx(o: &RegencyOverview) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let (header, rows) = table(o);
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("ikhtisar")?;
    for (c, name) in header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (at_row, at_col) = (r as u32 + 1, c as u16);
            match value.parse::<f64>() {
                _ if value.is_empty() => {}
                Ok(n) if !TEXT_COLUMNS.contains(&header[c]) => {
                    sheet.write_number(at_row, at_col, n)?;
                }
                _ => {
                    sheet.write_string(at_row, at_col, value)?;
                }
            }
        }
    }
    book.save_to_buffer()
}

/// The overview's columns that hold words (the rest hold numbers).
const TEXT_COLUMNS: [&str; 7] = [
    "agency_code",
    "unit_code",
    "unit_name",
    "grade",
    "change_is_real",
    "weakest_element",
    "publication_in_force",
];

/// The overview's columns and, for each unit, its values as text.
fn table(o: &RegencyOverview) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let header = vec![
        "agency_code",
        "unit_code",
        "unit_name",
        "band",
        "index",
        "interval_low",
        "interval_high",
        "grade",
        "responses",
        "sample_target",
        "change_latest_month",
        "change_is_real",
        "weakest_element",
        "complaints_received",
        "verified_in_time_share",
        "answered_in_time_share",
        "confirmed_share",
        "overdue_now",
        "flagged_share",
        "publication_in_force",
    ];
    let num = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
    let share = |v: Option<f64>| v.map(|v| format!("{v:.3}")).unwrap_or_default();
    let rows = o
        .rows
        .iter()
        .map(|r| {
            vec![
                r.agency.code.clone(),
                r.unit.code.clone(),
                r.unit.name.clone(),
                r.band.map(|b| b.to_string()).unwrap_or_default(),
                num(r.index),
                num(r.interval.map(|i| i.0)),
                num(r.interval.map(|i| i.1)),
                r.grade.clone().unwrap_or_default(),
                r.responses.to_string(),
                r.sample_target.to_string(),
                num(r.change.map(|c| c.0)),
                r.change.map(|c| c.1.to_string()).unwrap_or_default(),
                r.weakest.clone().map(|w| w.0).unwrap_or_default(),
                r.complaints_received.to_string(),
                share(r.verified_in_time_share),
                share(r.answered_in_time_share),
                share(r.confirmed_share),
                r.overdue_now.to_string(),
                share(r.flagged_share),
                r.last_publication.clone().unwrap_or_default(),
            ]
        })
        .collect();
    (header, rows)
}
