//! Reporting periods. A response counts in the period of its `answered_at`
//! (shared/PRODUCT.md), in UTC, as the export's dates are.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// How a series is cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// ISO weeks, Monday to Sunday, named `2026-W47`.
    Week,
    /// `2026-11`.
    Month,
    /// `2026-Q4`.
    Quarter,
}

impl Period {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "week" => Some(Self::Week),
            "month" => Some(Self::Month),
            "quarter" => Some(Self::Quarter),
            _ => None,
        }
    }

    /// The first day of the period `day` falls in.
    pub fn start(self, day: Date) -> Date {
        match self {
            Self::Week => {
                let back = day.weekday().number_days_from_monday();
                day - time::Duration::days(i64::from(back))
            }
            Self::Month => day.replace_day(1).expect("day 1 exists"),
            Self::Quarter => {
                let m = (u8::from(day.month()) - 1) / 3 * 3 + 1;
                Date::from_calendar_date(day.year(), Month::try_from(m).expect("1–12"), 1)
                    .expect("day 1 exists")
            }
        }
    }

    /// The first day of the next period, given the first day of one.
    pub fn next(self, start: Date) -> Date {
        match self {
            Self::Week => start + time::Duration::days(7),
            Self::Month | Self::Quarter => {
                let months = if self == Self::Month { 1 } else { 3 };
                let m = u8::from(start.month()) - 1 + months;
                let year = start.year() + i32::from(m / 12);
                Date::from_calendar_date(year, Month::try_from(m % 12 + 1).expect("1–12"), 1)
                    .expect("day 1 exists")
            }
        }
    }

    /// The period's name, e.g. `2026-W47`, `2026-11`, `2026-Q4`.
    pub fn label(self, start: Date) -> String {
        match self {
            Self::Week => {
                let (year, week, _) = start.to_iso_week_date();
                format!("{year}-W{week:02}")
            }
            Self::Month => format!("{}-{:02}", start.year(), u8::from(start.month())),
            Self::Quarter => format!(
                "{}-Q{}",
                start.year(),
                (u8::from(start.month()) - 1) / 3 + 1
            ),
        }
    }
}

/// The Julian day number of 1970-01-01.
const EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// A UTC date as a day number: days since 1970-01-01, as roll-ups count.
pub fn day_number(day: Date) -> i64 {
    i64::from(day.to_julian_day() - EPOCH_JULIAN_DAY)
}

/// The UTC date of a day number.
pub fn date_of_day(n: i64) -> Date {
    i32::try_from(n)
        .ok()
        .and_then(|n| n.checked_add(EPOCH_JULIAN_DAY))
        .and_then(|j| Date::from_julian_day(j).ok())
        .unwrap_or(if n < 0 { Date::MIN } else { Date::MAX })
}

/// A UTC day as sent by a form or a query string: `YYYY-MM-DD`, nothing
/// else. The one day parser of Suara.
pub fn parse_day(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i32> {
        b.get(r)?.iter().try_fold(0i32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let month = Month::try_from(u8::try_from(digits(5..7)?).ok()?).ok()?;
    let day = u8::try_from(digits(8..10)?).ok()?;
    Date::from_calendar_date(digits(0..4)?, month, day).ok()
}

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

/// The period of the same kind just before `period` (`2026-S1` →
/// `2025-S2`, `2026-Q1` → `2025-Q4`, `2026-01` → `2025-12`, `2026` →
/// `2025`); `None` when `period` is none.
pub fn previous_period(period: &str) -> Option<String> {
    let (from, _) = period_days(period)?;
    let day = from.previous_day()?;
    let (year, month) = (day.year(), u8::from(day.month()));
    Some(match period.split_once('-').map(|(_, p)| p) {
        None => format!("{year}"),
        Some(p) if p.starts_with('S') => format!("{year}-S{}", if month <= 6 { 1 } else { 2 }),
        Some(p) if p.starts_with('Q') => format!("{year}-Q{}", (month - 1) / 3 + 1),
        Some(_) => format!("{year}-{month:02}"),
    })
}

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// The day number of an instant in milliseconds since the epoch.
pub fn day_of_ms(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_period_before_is_of_the_same_kind() {
        for (now, before) in [
            ("2026", "2025"),
            ("2026-S1", "2025-S2"),
            ("2026-S2", "2026-S1"),
            ("2026-Q1", "2025-Q4"),
            ("2026-Q3", "2026-Q2"),
            ("2026-01", "2025-12"),
            ("2026-11", "2026-10"),
        ] {
            assert_eq!(previous_period(now).as_deref(), Some(before), "{now}");
        }
        assert_eq!(previous_period("2026-X1"), None);
    }

    #[test]
    fn periods_start_and_end_where_calendars_do() {
        let d = date!(2026 - 11 - 22); // a Sunday
        assert_eq!(Period::Week.start(d), date!(2026 - 11 - 16));
        assert_eq!(Period::Week.start(d).weekday(), time::Weekday::Monday);
        assert_eq!(Period::Week.label(Period::Week.start(d)), "2026-W47");
        assert_eq!(Period::Month.start(d), date!(2026 - 11 - 01));
        assert_eq!(Period::Month.label(date!(2026 - 11 - 01)), "2026-11");
        assert_eq!(Period::Quarter.start(d), date!(2026 - 10 - 01));
        assert_eq!(Period::Quarter.label(date!(2026 - 10 - 01)), "2026-Q4");
        assert_eq!(
            Period::Month.next(date!(2026 - 12 - 01)),
            date!(2027 - 01 - 01)
        );
        assert_eq!(
            Period::Quarter.next(date!(2026 - 10 - 01)),
            date!(2027 - 01 - 01)
        );
        assert_eq!(
            Period::Quarter.next(date!(2026 - 01 - 01)),
            date!(2026 - 04 - 01)
        );
        // ISO week 1 of 2027 starts on Monday 4 January; 1–3 January are 2026-W53.
        assert_eq!(
            Period::Week.start(date!(2027 - 01 - 03)),
            date!(2026 - 12 - 28)
        );
        assert_eq!(Period::Week.label(date!(2026 - 12 - 28)), "2026-W53");
        assert_eq!(Period::Week.label(date!(2027 - 01 - 04)), "2027-W01");
    }

    #[test]
    fn instants_fall_on_their_utc_day() {
        assert_eq!(day_number(date!(1970 - 01 - 01)), 0);
        assert_eq!(day_number(date!(1969 - 12 - 31)), -1);
        let nov = day_number(date!(2026 - 11 - 01));
        assert_eq!(date_of_day(nov), date!(2026 - 11 - 01));
        let ms = nov * DAY_MS;
        assert_eq!(date_of_day(day_of_ms(ms)), date!(2026 - 11 - 01));
        assert_eq!(date_of_day(day_of_ms(ms - 1)), date!(2026 - 10 - 31));
        assert_eq!(Period::parse("quarter"), Some(Period::Quarter));
        assert_eq!(Period::parse("year"), None);
    }

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
