//! Working days: Monday to Friday, less national holidays and collective
//! leave (cuti bersama). Complaint deadlines count in them.
//!
//! The built-in days are those of the joint decree of the three ministers
//! (SKB 3 Menteri) for 2026, and for 2027 the dates the holidays fall on by
//! their calendars, to be checked against the 2027 decree; administrators
//! keep the calendar on `/admin`, so a decree's changes need no release.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, Month, Weekday};

/// Why a day is not worked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayOff {
    /// A national holiday (libur nasional).
    Holiday,
    /// Collective leave (cuti bersama).
    CollectiveLeave,
}

/// A day that is not worked although it is a weekday (or a holiday that
/// falls on a weekend, kept so the calendar reads as the decree does).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    pub date: Date,
    pub kind: DayOff,
    /// As the decree names it, in Indonesian.
    pub name: String,
}

/// The days off of a calendar, by date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    closed: BTreeMap<Date, Closure>,
}

use DayOff::{CollectiveLeave as Leave, Holiday};

/// (year, month, day, kind, name).
const INDONESIA: &[(i32, u8, u8, DayOff, &str)] = &[
    // SKB 3 Menteri 2026 (19 November 2025): 17 holidays, 8 days of leave.
    (2026, 1, 1, Holiday, "Tahun Baru Masehi"),
    (2026, 1, 16, Holiday, "Isra Mikraj Nabi Muhammad SAW"),
    (2026, 2, 16, Leave, "Cuti bersama Tahun Baru Imlek"),
    (2026, 2, 17, Holiday, "Tahun Baru Imlek 2577 Kongzili"),
    (2026, 3, 18, Leave, "Cuti bersama Hari Suci Nyepi"),
    (
        2026,
        3,
        19,
        Holiday,
        "Hari Suci Nyepi (Tahun Baru Saka 1948)",
    ),
    (2026, 3, 20, Leave, "Cuti bersama Idul Fitri"),
    (2026, 3, 21, Holiday, "Idul Fitri 1447 H"),
    (2026, 3, 22, Holiday, "Idul Fitri 1447 H"),
    (2026, 3, 23, Leave, "Cuti bersama Idul Fitri"),
    (2026, 3, 24, Leave, "Cuti bersama Idul Fitri"),
    (2026, 4, 3, Holiday, "Wafat Yesus Kristus"),
    (2026, 4, 5, Holiday, "Kebangkitan Yesus Kristus (Paskah)"),
    (2026, 5, 1, Holiday, "Hari Buruh Internasional"),
    (2026, 5, 14, Holiday, "Kenaikan Yesus Kristus"),
    (2026, 5, 15, Leave, "Cuti bersama Kenaikan Yesus Kristus"),
    (2026, 5, 27, Holiday, "Idul Adha 1447 H"),
    (2026, 5, 28, Leave, "Cuti bersama Idul Adha"),
    (2026, 5, 31, Holiday, "Hari Raya Waisak 2570 BE"),
    (2026, 6, 1, Holiday, "Hari Lahir Pancasila"),
    (2026, 6, 16, Holiday, "Tahun Baru Islam 1448 H"),
    (2026, 8, 17, Holiday, "Proklamasi Kemerdekaan"),
    (2026, 8, 25, Holiday, "Maulid Nabi Muhammad SAW"),
    (2026, 12, 24, Leave, "Cuti bersama Hari Raya Natal"),
    (2026, 12, 25, Holiday, "Hari Raya Natal"),
    // 2027: the holidays' own calendars (hijri dates as the government's
    // hisab expects them); collective leave as the 2026 decree's pattern.
    (2027, 1, 1, Holiday, "Tahun Baru Masehi"),
    (2027, 1, 5, Holiday, "Isra Mikraj Nabi Muhammad SAW"),
    (2027, 2, 5, Leave, "Cuti bersama Tahun Baru Imlek"),
    (2027, 2, 6, Holiday, "Tahun Baru Imlek 2578 Kongzili"),
    (
        2027,
        3,
        8,
        Holiday,
        "Hari Suci Nyepi (Tahun Baru Saka 1949)",
    ),
    (2027, 3, 9, Leave, "Cuti bersama Idul Fitri"),
    (2027, 3, 10, Holiday, "Idul Fitri 1448 H"),
    (2027, 3, 11, Holiday, "Idul Fitri 1448 H"),
    (2027, 3, 12, Leave, "Cuti bersama Idul Fitri"),
    (2027, 3, 15, Leave, "Cuti bersama Idul Fitri"),
    (2027, 3, 26, Holiday, "Wafat Yesus Kristus"),
    (2027, 3, 28, Holiday, "Kebangkitan Yesus Kristus (Paskah)"),
    (2027, 5, 1, Holiday, "Hari Buruh Internasional"),
    (2027, 5, 6, Holiday, "Kenaikan Yesus Kristus"),
    (2027, 5, 7, Leave, "Cuti bersama Kenaikan Yesus Kristus"),
    (2027, 5, 17, Holiday, "Idul Adha 1448 H"),
    (2027, 5, 20, Holiday, "Hari Raya Waisak 2571 BE"),
    (2027, 6, 1, Holiday, "Hari Lahir Pancasila"),
    (2027, 6, 6, Holiday, "Tahun Baru Islam 1449 H"),
    (2027, 8, 15, Holiday, "Maulid Nabi Muhammad SAW"),
    (2027, 8, 17, Holiday, "Proklamasi Kemerdekaan"),
    (2027, 12, 24, Leave, "Cuti bersama Hari Raya Natal"),
    (2027, 12, 25, Holiday, "Hari Raya Natal"),
];

impl Calendar {
    /// Indonesia's national holidays and collective leave for 2026 and 2027.
    pub fn indonesia() -> Self {
        Self::from_closures(INDONESIA.iter().filter_map(|&(y, m, d, kind, name)| {
            let date = Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()?;
            Some(Closure {
                date,
                kind,
                name: name.to_owned(),
            })
        }))
    }

    pub fn from_closures(closures: impl IntoIterator<Item = Closure>) -> Self {
        Self {
            closed: closures.into_iter().map(|c| (c.date, c)).collect(),
        }
    }

    /// The days off, in date order.
    pub fn closures(&self) -> impl Iterator<Item = &Closure> {
        self.closed.values()
    }

    pub fn is_working_day(&self, day: Date) -> bool {
        !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !self.closed.contains_key(&day)
    }

    /// The `n`th working day after `from` (`from` itself never counts; with
    /// `n` zero, `from` if it is worked, else the next working day).
    pub fn add_working_days(&self, from: Date, n: u32) -> Date {
        let mut day = from;
        if n == 0 {
            while !self.is_working_day(day) {
                day = day.next_day().unwrap_or(day);
            }
            return day;
        }
        // Counted, not walked: `left` weekdays on, then as many more as
        // days off fell on weekdays in between, until none did.
        let mut left = n;
        while left > 0 {
            let to = add_weekdays(day, left);
            left = self.weekdays_off(day, to);
            day = to;
        }
        day
    }

    /// How many days off fall on weekdays after `from` up to `to`.
    fn weekdays_off(&self, from: Date, to: Date) -> u32 {
        use std::ops::Bound::{Excluded, Included};
        if to <= from {
            return 0;
        }
        let n = self
            .closed
            .range((Excluded(from), Included(to)))
            .filter(|(d, _)| is_weekday(**d))
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// How many working days lie after `from` up to and including `to`
    /// (zero when `to` is not after `from`).
    ///
    /// Counted, not walked: the weekdays of the whole weeks, those of the
    /// days left over, less the days off on weekdays in between — the
    /// figures of 100,000 complaints ask it four times each.
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        if to <= from {
            return 0;
        }
        let span = (to - from).whole_days();
        let mut n = span / 7 * 5;
        let mut day = from + time::Duration::days(span / 7 * 7);
        while day < to {
            day = day.next_day().unwrap_or(to);
            n += i64::from(is_weekday(day));
        }
        u32::try_from(n).unwrap_or(u32::MAX) - self.weekdays_off(from, to)
    }
}

fn is_weekday(d: Date) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The day `n` weekdays after `from` (holidays not considered).
fn add_weekdays(from: Date, n: u32) -> Date {
    // Weekdays after a weekend day are those after the Friday before it.
    let mut day = from;
    while !is_weekday(day) {
        day = day.previous_day().unwrap_or(day);
    }
    day += time::Duration::weeks(i64::from(n / 5));
    for _ in 0..n % 5 {
        day = day.next_day().unwrap_or(day);
        while !is_weekday(day) {
            day = day.next_day().unwrap_or(day);
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn the_2026_decree_has_seventeen_holidays_and_eight_days_of_leave() {
        let cal = Calendar::indonesia();
        let in_2026 = |kind| {
            cal.closures()
                .filter(|c| c.date.year() == 2026 && c.kind == kind)
                .count()
        };
        assert_eq!(in_2026(DayOff::Holiday), 17);
        assert_eq!(in_2026(DayOff::CollectiveLeave), 8);
    }

    #[test]
    fn deadlines_step_over_weekends_holidays_and_leave() {
        let cal = Calendar::indonesia();
        // (from, working days, due, why)
        let cases = [
            (
                date!(2026 - 11 - 13),
                3,
                date!(2026 - 11 - 18),
                "Friday: three on is Wednesday",
            ),
            (
                date!(2026 - 11 - 14),
                1,
                date!(2026 - 11 - 16),
                "Saturday: counted from Monday",
            ),
            (
                date!(2026 - 11 - 14),
                0,
                date!(2026 - 11 - 16),
                "none: the next working day",
            ),
            // 18–24 March 2026 are Nyepi, Idul Fitri and their leave.
            (
                date!(2026 - 03 - 17),
                3,
                date!(2026 - 03 - 27),
                "over Lebaran",
            ),
            (
                date!(2026 - 12 - 23),
                1,
                date!(2026 - 12 - 28),
                "Christmas leave, holiday, weekend",
            ),
            (
                date!(2026 - 12 - 31),
                1,
                date!(2027 - 01 - 04),
                "New Year's Day 2027 is a Friday",
            ),
        ];
        for (from, n, due, why) in cases {
            assert_eq!(cal.add_working_days(from, n), due, "{why}");
            if n > 0 {
                assert_eq!(cal.working_days_between(from, due), n, "{why}");
            }
        }
        assert_eq!(
            cal.working_days_between(date!(2026 - 03 - 27), date!(2026 - 03 - 17)),
            0,
            "backwards is nothing"
        );
    }

    fn any_day() -> impl Strategy<Value = Date> {
        (0i64..730).prop_map(|d| date!(2026 - 01 - 01) + time::Duration::days(d))
    }

    proptest! {
        #[test]
        fn a_deadline_never_falls_on_a_day_off(from in any_day(), n in 0u32..80) {
            let cal = Calendar::indonesia();
            let due = cal.add_working_days(from, n);
            prop_assert!(cal.is_working_day(due), "{due}");
            if n > 0 {
                prop_assert_eq!(cal.working_days_between(from, due), n);
            }
        }

        #[test]
        fn working_days_added_are_the_days_walked(from in any_day(), n in 1u32..120) {
            let cal = Calendar::indonesia();
            let (mut day, mut left) = (from, n);
            while left > 0 {
                day = day.next_day().unwrap();
                left -= u32::from(cal.is_working_day(day));
            }
            prop_assert_eq!(cal.add_working_days(from, n), day);
        }

        #[test]
        fn working_days_counted_are_the_days_walked(from in any_day(), span in 0i64..400) {
            let cal = Calendar::indonesia();
            let to = from + time::Duration::days(span);
            let mut walked = 0;
            let mut day = from;
            while day < to {
                day = day.next_day().unwrap();
                walked += u32::from(cal.is_working_day(day));
            }
            prop_assert_eq!(cal.working_days_between(from, to), walked);
            prop_assert_eq!(cal.working_days_between(to, from), 0);
        }

        #[test]
        fn adding_working_days_is_monotone(from in any_day(), n in 0u32..60, m in 0u32..60) {
            let cal = Calendar::indonesia();
            let (a, b) = (cal.add_working_days(from, n), cal.add_working_days(from, n + m));
            prop_assert!(a <= b);
            prop_assert!(a >= from);
            // From one working day on, each more is a later day.
            if m > 0 && n > 0 {
                prop_assert!(a < b);
            }
        }
    }
}
