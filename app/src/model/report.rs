//! The official SKM report of one unit for one period (Permenpan RB
//! 14/2017): what `/reports/skm` shows (server-side only).

use super::figures::SummaryAnswer;
use crate::domain::scoring::Breakdown;
use time::{Date, Month};

/// A reporting period: `2026` (the year), `2026-S1` / `2026-S2` (semesters,
/// as SKM is usually published), `2026-Q1`…`Q4` or `2026-11`. Returns its
/// first and last day, both inclusive.
pub fn period_days(period: &str) -> Option<(Date, Date)> {
    let (year, part) = match period.split_once('-') {
        Some((y, p)) => (y, Some(p)),
        None => (period, None),
    };
    if year.len() != 4 {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let months = |first: u8, last: u8| -> Option<(Date, Date)> {
        let start = Date::from_calendar_date(year, Month::try_from(first).ok()?, 1).ok()?;
        let last_month = Month::try_from(last).ok()?;
        let end = Date::from_calendar_date(year, last_month, last_month.length(year)).ok()?;
        Some((start, end))
    };
    match part {
        None => months(1, 12),
        Some("S1") => months(1, 6),
        Some("S2") => months(7, 12),
        Some(q) if q.len() == 2 && q.starts_with('Q') => {
            let n: u8 = q[1..].parse().ok().filter(|n| (1..=4).contains(n))?;
            months(3 * n - 2, 3 * n)
        }
        Some(m) if m.len() == 2 => {
            let n: u8 = m.parse().ok().filter(|n| (1..=12).contains(n))?;
            months(n, n)
        }
        _ => None,
    }
}

/// One respondent's row of the report's matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixRow {
    /// The day answered (UTC).
    pub day: String,
    /// Each respondent attribute (in `Attribute::ALL` order): the group's
    /// code, `None` when not stated or when the group is too small to show.
    pub profile: [Option<String>; 5],
    /// Whether each attribute was hidden to protect a small group.
    pub hidden: [bool; 5],
    /// Scores in the report's item order; `None` when skipped.
    pub scores: Vec<Option<u8>>,
}

#[derive(Clone, Debug)]
pub struct SkmReport {
    /// (code, name) of every unit the account may report on.
    pub units: Vec<(String, String)>,
    pub unit_code: String,
    pub unit_name: String,
    pub agency_name: String,
    /// As asked, e.g. `2026-S2`.
    pub period: String,
    /// First and last day, inclusive.
    pub from: String,
    pub to: String,
    /// The unit's figures for the period, as the summary API gives them.
    pub answer: SummaryAnswer,
    /// The respondent profile: one breakdown per attribute (small groups
    /// suppressed as everywhere).
    pub profile: Vec<Breakdown>,
    /// The first [`MATRIX_ROWS`] respondents, in the order they answered.
    pub matrix: Vec<MatrixRow>,
    /// All respondents of the period (the matrix may show fewer).
    pub respondents: u64,
}

/// The most rows the printed matrix holds; the export has them all.
pub const MATRIX_ROWS: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn periods_are_years_semesters_quarters_and_months() {
        assert_eq!(
            period_days("2026"),
            Some((date!(2026 - 01 - 01), date!(2026 - 12 - 31)))
        );
        assert_eq!(
            period_days("2026-S2"),
            Some((date!(2026 - 07 - 01), date!(2026 - 12 - 31)))
        );
        assert_eq!(
            period_days("2024-Q1"),
            Some((date!(2024 - 01 - 01), date!(2024 - 03 - 31)))
        );
        assert_eq!(
            period_days("2024-02"),
            Some((date!(2024 - 02 - 01), date!(2024 - 02 - 29)))
        );
        for bad in [
            "", "26", "2026-S3", "2026-Q5", "2026-13", "2026-1", "abcd", "2026-Q",
        ] {
            assert_eq!(period_days(bad), None, "{bad}");
        }
    }
}
