//! Each unit's weekly digest, for its heads: from the unit's Monday 07:00
//! (in its own zone) for a day, the week's figures are frozen into a
//! notification — the index over twelve months with its interval,
//! responses against the sample target, open and overdue complaints, the
//! flagged share, the publication in force and whether one is due, and the
//! alerts of the latest complete month (an element that fell by more than
//! its uncertainty, a grade that changed, each only with enough responses
//! in both months). Written
//! once per unit and week, however many replicas run the clock.

use crate::overview::{every_unit, OverviewError};
use crate::store::{datetime_to_ms, Store};
use app::domain::period::{period_days, previous_period};
use app::domain::zone::Zone;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{OffsetDateTime, Weekday};

/// What a unit's weekly digest says, frozen when written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeeklyDigest {
    pub unit_code: String,
    pub unit_name: String,
    /// The ISO week in the unit's zone: `2026-W50`.
    pub week: String,
    /// Over the last twelve months, as `/ikhtisar` shows it.
    pub index: Option<f64>,
    pub interval: Option<(f64, f64)>,
    pub grade: Option<String>,
    pub responses: u64,
    pub sample_target: u64,
    pub open_complaints: u64,
    pub overdue: u64,
    pub flagged_share: Option<f64>,
    /// The period of the publication in force.
    pub last_publication: Option<String>,
    /// The last complete semester, when nothing published covers it.
    pub publication_due: Option<String>,
    /// The latest complete month's alerts: elements that fell, the grade.
    #[serde(default)]
    pub alerts: app::model::overview::MonthAlerts,
}

/// The ISO week whose digest a unit of `zone` writes at `now`: from its
/// Monday 07:00 to its Tuesday 07:00 (a server down all that day skips a
/// week rather than mailing Monday's figures late in the week; one first
/// started mid-week starts the next Monday).
fn week_of(zone: Zone, now: OffsetDateTime) -> Option<String> {
    let local = now.to_offset(zone.offset());
    let (year, week, day) = local.to_iso_week_date();
    let due = match day {
        Weekday::Monday => local.hour() >= 7,
        Weekday::Tuesday => local.hour() < 7,
        _ => false,
    };
    due.then(|| format!("{year}-W{week:02}"))
}

/// Writes the digest of every unit whose Monday it is and that has none
/// for the week yet; how many were written.
#[tracing::instrument(name = "notifications.weekly", skip_all)]
pub async fn queue(store: &Store, now: OffsetDateTime) -> Result<usize, OverviewError> {
    let mut weeks: Vec<String> = Zone::ALL.iter().filter_map(|z| week_of(*z, now)).collect();
    weeks.dedup();
    let due: Vec<_> = store
        .weekly_digest_units(&weeks)
        .await?
        .into_iter()
        .filter_map(|(id, code, zone, done)| {
            let week = week_of(zone, now)?;
            (!done.contains(&week)).then_some((id, code, week))
        })
        .collect();
    if due.is_empty() {
        return Ok(0);
    }
    // Every unit's row of the overview, read once for all of them.
    let overview = every_unit(store, &store.all_services().await?, now).await?;
    let mut open: BTreeMap<String, u64> = BTreeMap::new();
    for c in store.open_clocks(None).await? {
        *open.entry(c.unit_code).or_default() += 1;
    }
    let today = now.date();
    let semester = format!(
        "{}-S{}",
        today.year(),
        if u8::from(today.month()) <= 6 { 1 } else { 2 }
    );
    let last_semester = previous_period(&semester);
    let due_end = last_semester
        .as_deref()
        .and_then(period_days)
        .map(|(_, end)| end);
    let at_ms = datetime_to_ms(now);
    let mut written = 0;
    for (id, code, week) in due {
        let Some((_, row)) = overview.iter().find(|(_, r)| r.unit.code == code) else {
            continue; // a unit with no services yet
        };
        let covered = |p: &str| period_days(p).map(|(_, end)| end) >= due_end;
        let publication_due = last_semester
            .clone()
            .filter(|_| !row.last_publication.as_deref().is_some_and(covered));
        let digest = WeeklyDigest {
            unit_code: code.clone(),
            unit_name: row.unit.name.clone(),
            week: week.clone(),
            index: row.index,
            interval: row.interval,
            grade: row.grade.clone(),
            responses: row.responses,
            sample_target: row.sample_target,
            open_complaints: open.get(&code).copied().unwrap_or(0),
            overdue: row.overdue_now,
            flagged_share: row.flagged_share,
            last_publication: row.last_publication.clone(),
            publication_due,
            alerts: row.alerts.clone(),
        };
        let payload = serde_json::to_string(&digest).unwrap_or_default();
        if store
            .write_weekly_digest(id, &week, &payload, at_ms)
            .await?
        {
            written += 1;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_week_comes_at_seven_on_monday_in_the_units_own_zone() {
        // Sunday 29 November 2026, 23:30 UTC: Monday 30 November, 06.30 in
        // Jakarta, 07.30 in Makassar, 08.30 in Jayapura.
        let now = datetime!(2026-11-29 23:30 UTC);
        assert_eq!(week_of(Zone::Wib, now), None, "not yet seven in Jakarta");
        assert_eq!(week_of(Zone::Wita, now).as_deref(), Some("2026-W49"));
        assert_eq!(week_of(Zone::Wit, now).as_deref(), Some("2026-W49"));
        // Until Tuesday 07.00, each in its zone; later in the week, none.
        let tuesday = datetime!(2026-11-30 23:30 UTC);
        assert_eq!(week_of(Zone::Wib, tuesday).as_deref(), Some("2026-W49"));
        assert_eq!(week_of(Zone::Wit, tuesday), None);
        let wednesday = datetime!(2026-12-02 03:00 UTC);
        assert_eq!(week_of(Zone::Wib, wednesday), None);
    }
}
