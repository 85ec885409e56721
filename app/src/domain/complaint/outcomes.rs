//! How a unit handles its complaints, as the public sees it (Perpres
//! 76/2013: complaint outcomes are public): how many it received, the share
//! verified and answered within their deadlines, the median working days to
//! a first answer and to resolution, the share confirmed by citizens and the
//! share re-opened. Pure: the complaints' moves in, the figures out.

use super::calendar::Calendar;
use super::state::{State, RESOLVE_DAYS, VERIFY_DAYS};
use serde::{Deserialize, Serialize};
use time::Date;

/// One complaint as the figures need it: the day the unit received it and
/// each move with its day (Jakarta), oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Handled {
    pub received: Date,
    pub moves: Vec<(State, Date)>,
    pub reopened: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ComplaintFigures {
    pub received: u64,
    /// Complaints verified, and the share of them verified within 3 working days.
    pub verified: u64,
    pub verified_in_time_share: Option<f64>,
    /// Complaints answered, and the share answered within 60 working days of
    /// verification (of receipt when never verified).
    pub answered: u64,
    pub answered_in_time_share: Option<f64>,
    /// Median working days from receipt to the first answer.
    pub median_days_to_first_answer: Option<f64>,
    /// Median working days from receipt to resolution (confirmed or closed
    /// without a reply).
    pub median_days_to_resolution: Option<f64>,
    /// Of the resolved, the share the citizen confirmed.
    pub confirmed_share: Option<f64>,
    /// Of the answered, the share the citizen re-opened.
    pub reopened_share: Option<f64>,
}

fn first(moves: &[(State, Date)], wanted: impl Fn(State) -> bool) -> Option<Date> {
    moves.iter().find(|(s, _)| wanted(*s)).map(|(_, d)| *d)
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn median(mut values: Vec<u32>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        f64::from(values[mid])
    } else {
        (f64::from(values[mid - 1]) + f64::from(values[mid])) / 2.0
    })
}

impl ComplaintFigures {
    pub fn compute(all: &[Handled], calendar: &Calendar) -> Self {
        let days = |from: Date, to: Date| calendar.working_days_between(from, to);
        let mut f = Self {
            received: all.len() as u64,
            ..Self::default()
        };
        let (mut verified_in_time, mut answered_in_time, mut reopened) = (0, 0, 0);
        let (mut confirmed, mut resolved) = (0u64, 0u64);
        let (mut to_answer, mut to_resolution) = (Vec::new(), Vec::new());
        for c in all {
            let verified = first(&c.moves, |s| s == State::Diverifikasi);
            if let Some(v) = verified {
                f.verified += 1;
                verified_in_time += u64::from(days(c.received, v) <= VERIFY_DAYS);
            }
            if let Some(a) = first(&c.moves, |s| s == State::Dijawab) {
                f.answered += 1;
                answered_in_time +=
                    u64::from(days(verified.unwrap_or(c.received), a) <= RESOLVE_DAYS);
                to_answer.push(days(c.received, a));
                reopened += u64::from(c.reopened);
            }
            if let Some(r) = first(&c.moves, State::is_resolved) {
                to_resolution.push(days(c.received, r));
            }
            match c.moves.last().map(|(s, _)| *s) {
                Some(State::Selesai) => {
                    confirmed += 1;
                    resolved += 1;
                }
                Some(State::SelesaiTanpaKonfirmasi) => resolved += 1,
                _ => {}
            }
        }
        f.verified_in_time_share = share(verified_in_time, f.verified);
        f.answered_in_time_share = share(answered_in_time, f.answered);
        f.median_days_to_first_answer = median(to_answer);
        f.median_days_to_resolution = median(to_resolution);
        f.confirmed_share = share(confirmed, resolved);
        f.reopened_share = share(reopened, f.answered);
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;
    use State::*;

    #[test]
    fn figures_count_working_days_and_shares() {
        let cal = Calendar::from_closures([]);
        // Received Monday 2026-11-02.
        let monday = date!(2026 - 11 - 02);
        let quick = Handled {
            received: monday,
            moves: vec![
                (Diterima, monday),
                (Diverifikasi, date!(2026 - 11 - 03)),
                (Ditindaklanjuti, date!(2026 - 11 - 04)),
                (Dijawab, date!(2026 - 11 - 06)),
                (Selesai, date!(2026 - 11 - 09)),
            ],
            reopened: false,
        };
        // Verified on the 5th working day (late), answered after a dispute.
        let slow = Handled {
            received: monday,
            moves: vec![
                (Diterima, monday),
                (Diverifikasi, date!(2026 - 11 - 09)),
                (Ditindaklanjuti, date!(2026 - 11 - 10)),
                (Dijawab, date!(2026 - 11 - 16)),
                (Ditindaklanjuti, date!(2026 - 11 - 17)),
                (Dijawab, date!(2026 - 11 - 18)),
                (SelesaiTanpaKonfirmasi, date!(2026 - 12 - 02)),
            ],
            reopened: true,
        };
        let waiting = Handled {
            received: monday,
            moves: vec![(Diterima, monday)],
            reopened: false,
        };
        let f = ComplaintFigures::compute(&[quick, slow, waiting], &cal);
        assert_eq!(f.received, 3);
        assert_eq!(f.verified, 2);
        assert_eq!(
            f.verified_in_time_share,
            Some(0.5),
            "one of two in 3 working days"
        );
        assert_eq!(f.answered, 2);
        assert_eq!(f.answered_in_time_share, Some(1.0));
        // 4 and 10 working days to the first answer (the 16th, not the 18th).
        assert_eq!(f.median_days_to_first_answer, Some(7.0));
        // 5 and 22 working days to resolution.
        assert_eq!(f.median_days_to_resolution, Some(13.5));
        assert_eq!(f.confirmed_share, Some(0.5));
        assert_eq!(f.reopened_share, Some(0.5));
        let none = ComplaintFigures::compute(&[], &cal);
        assert_eq!((none.received, none.confirmed_share), (0, None));
    }

    #[test]
    fn holidays_do_not_count_against_the_unit() {
        // Christmas 2026 is a Friday, with collective leave on Thursday 24th.
        let cal = Calendar::indonesia();
        let c = Handled {
            received: date!(2026 - 12 - 23),
            moves: vec![(Diverifikasi, date!(2026 - 12 - 29))],
            reopened: false,
        };
        let f = ComplaintFigures::compute(&[c], &cal);
        assert_eq!(
            f.verified_in_time_share,
            Some(1.0),
            "Mon 28th, Tue 29th: 2 working days"
        );
    }
}
