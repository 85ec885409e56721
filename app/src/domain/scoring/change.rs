//! A period against the one before it: the dashboard's change, its alerts
//! and the weakest item, made of the comparison in `compare.rs`. Only
//! complete periods are compared (the caller leaves a running one out, as
//! `so_far`), and an alert needs [`MIN_ALERT_RESPONSES`] on each side.

use super::compare::{compare, ItemGap};
use super::stats::Difference;
use super::{Grade, Moments, Summary};
use crate::domain::ItemCode;
use serde::{Deserialize, Serialize};

/// Responses a period needs — of the scope for the grade, of an item for
/// that item — on *each* side before a change raises an alert. Below it a
/// Welch interval rests on a variance estimated from a handful of answers
/// (two identical ratings have none at all, and the interval collapses onto
/// the other side's), so "fell by more than its uncertainty" would be a
/// claim the data cannot carry. Thirty is where the mean of a 1–4 score is
/// close enough to normal for the interval to hold its 95%, and where, at the
/// spread ratings have (a standard deviation near 0.7), a fall is reported
/// only when it is larger than about a third of a point. The change itself
/// is still shown, with its interval, below it.
pub const MIN_ALERT_RESPONSES: u64 = 30;

/// The latest complete period against the one before it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PeriodChange {
    /// The latest complete period's label (`2026-11`).
    pub period: String,
    pub previous: String,
    /// The period still running after `period` (`2026-12`), if the series
    /// has one: shown "so far", never compared or alerted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub so_far: Option<String>,
    /// Index of the latest period minus the previous one's, with a Welch interval.
    pub index: Option<Difference>,
    pub items: Vec<ItemGap>,
    pub alerts: Vec<Alert>,
}

/// Something a unit head must not miss.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Alert {
    /// An item's mean fell by more than its uncertainty, with at least
    /// [`MIN_ALERT_RESPONSES`] answers to it in each period.
    ItemFell {
        #[cfg_attr(feature = "ssr", schema(value_type = String, example = "U1"))]
        code: ItemCode,
        change: Difference,
    },
    /// The grade is not the previous period's, with at least
    /// [`MIN_ALERT_RESPONSES`] respondents in each.
    GradeChanged { from: Grade, to: Grade },
}

impl PeriodChange {
    /// `latest` against `previous` (labels and their moments and figures),
    /// both complete periods.
    pub fn compute(
        codes: &[ItemCode],
        latest: (&str, &Moments, &Summary),
        previous: (&str, &Moments, &Summary),
        correlations_from: Option<&Moments>,
    ) -> Self {
        let (index, items) = compare(codes, latest.1, previous.1, correlations_from);
        let enough = |a: u64, b: u64| a >= MIN_ALERT_RESPONSES && b >= MIN_ALERT_RESPONSES;
        let mut alerts: Vec<Alert> = items
            .iter()
            .enumerate()
            .filter_map(|(k, g)| {
                let d = g.nrr?;
                let n = |m: &Moments| m.items().get(k).map_or(0, |i| i.n());
                (enough(n(latest.1), n(previous.1)) && d.is_real() && d.estimate < 0.0).then(|| {
                    Alert::ItemFell {
                        code: g.code.clone(),
                        change: d,
                    }
                })
            })
            .collect();
        if let (Some(from), Some(to)) = (previous.2.grade, latest.2.grade) {
            if from != to && enough(latest.2.n, previous.2.n) {
                alerts.insert(0, Alert::GradeChanged { from, to });
            }
        }
        Self {
            period: latest.0.to_owned(),
            previous: previous.0.to_owned(),
            so_far: None,
            index,
            items,
            alerts,
        }
    }
}

/// The item with the lowest mean, the weakest standard: ties go to the first
/// in questionnaire order.
pub fn weakest_item(summary: &Summary) -> Option<&super::ItemSummary> {
    summary.items.iter().filter(|i| i.nrr.is_some()).fold(
        None,
        |best: Option<&super::ItemSummary>, i| match best {
            Some(b) if b.nrr <= i.nrr => Some(b),
            _ => Some(i),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::Score;
    use crate::domain::ScoringMethod;

    fn codes() -> Vec<ItemCode> {
        vec![
            ItemCode::parse("U1").unwrap(),
            ItemCode::parse("U2").unwrap(),
        ]
    }

    /// `rows` of (U1, U2) scores.
    fn moments(rows: &[(u8, u8)]) -> Moments {
        let mut m = Moments::new(2);
        for &(a, b) in rows {
            m.record(&[Score::new(a.into()).ok(), Score::new(b.into()).ok()]);
        }
        m
    }

    fn summary(m: &Moments) -> Summary {
        Summary::compute(&codes(), m, ScoringMethod::Permenpan2017, 384)
    }

    #[test]
    fn a_clear_fall_is_an_alert_and_noise_is_not() {
        // Last month U1 was 4s and 3s; this month mostly 1s and 2s. U2 wobbles.
        let before: Vec<(u8, u8)> = (0..40)
            .map(|i| (3 + (i % 2) as u8, 3 + (i % 2) as u8))
            .collect();
        let after: Vec<(u8, u8)> = (0..40)
            .map(|i| (1 + (i % 2) as u8, 4 - (i % 2) as u8))
            .collect();
        let (mb, ma) = (moments(&before), moments(&after));
        let (sb, sa) = (summary(&mb), summary(&ma));
        let c = PeriodChange::compute(&codes(), ("2026-11", &ma, &sa), ("2026-10", &mb, &sb), None);
        assert_eq!(c.period, "2026-11");
        assert_eq!(c.previous, "2026-10");
        let u1 = c.items[0].nrr.unwrap();
        assert!((u1.estimate - (-2.0)).abs() < 1e-9, "{u1:?}");
        assert!(u1.is_real());
        let u2 = c.items[1].nrr.unwrap();
        assert!(u2.estimate.abs() < 1e-9 && !u2.is_real(), "{u2:?}");
        let fell: Vec<&ItemCode> = c
            .alerts
            .iter()
            .filter_map(|a| match a {
                Alert::ItemFell { code, .. } => Some(code),
                _ => None,
            })
            .collect();
        assert_eq!(fell, vec![&codes()[0]]);
        assert!(c.index.unwrap().estimate < 0.0 && c.index.unwrap().is_real());
        // The grade fell with it (U1 2 → 1.5 on average, U2 unchanged).
        assert!(c
            .alerts
            .iter()
            .any(|a| matches!(a, Alert::GradeChanged { from, to } if from != to)));
    }

    #[test]
    fn a_rise_is_no_alert_and_one_response_a_side_has_no_interval() {
        let (low, high) = (moments(&[(2, 2), (3, 3)]), moments(&[(4, 4), (3, 3)]));
        let c = PeriodChange::compute(
            &codes(),
            ("b", &high, &summary(&high)),
            ("a", &low, &summary(&low)),
            None,
        );
        assert!(c
            .alerts
            .iter()
            .all(|a| !matches!(a, Alert::ItemFell { .. })));
        let (one, other) = (moments(&[(1, 1)]), moments(&[(4, 4)]));
        let c = PeriodChange::compute(
            &codes(),
            ("b", &one, &summary(&one)),
            ("a", &other, &summary(&other)),
            None,
        );
        assert!(c.index.is_none() && c.items.iter().all(|g| g.nrr.is_none()));
        assert!(c
            .alerts
            .iter()
            .all(|a| !matches!(a, Alert::ItemFell { .. })));
    }

    /// The case that cried wolf: on a Monday two identical ratings are all
    /// this week has. Their variance is zero, so Welch's interval is the
    /// other week's alone and leaves out zero — and still nothing is raised.
    #[test]
    fn two_identical_ratings_raise_no_alert_however_far_they_fell() {
        let last_week: Vec<(u8, u8)> = (0..40)
            .map(|i| (3 + (i % 2) as u8, 3 + (i % 2) as u8))
            .collect();
        let (mb, ma) = (moments(&last_week), moments(&[(1, 1), (1, 1)]));
        let (sb, sa) = (summary(&mb), summary(&ma));
        let c = PeriodChange::compute(
            &codes(),
            ("2026-W50", &ma, &sa),
            ("2026-W49", &mb, &sb),
            None,
        );
        let u1 = c.items[0].nrr.unwrap();
        assert!(u1.is_real() && u1.estimate < -2.0, "{u1:?}");
        assert_ne!(sa.grade, sb.grade);
        assert_eq!(c.alerts, vec![], "an alert from n = 2");
        // The same fall with enough answers on each side is raised.
        let this_week: Vec<(u8, u8)> = (0..MIN_ALERT_RESPONSES)
            .map(|i| (1 + (i % 2) as u8, 1 + (i % 2) as u8))
            .collect();
        let ma = moments(&this_week);
        let sa = summary(&ma);
        let c = PeriodChange::compute(
            &codes(),
            ("2026-W50", &ma, &sa),
            ("2026-W49", &mb, &sb),
            None,
        );
        assert!(matches!(c.alerts[0], Alert::GradeChanged { .. }));
        assert_eq!(c.alerts.len(), 3, "{:?}", c.alerts);
        // One answer short on one side: none.
        let ma = moments(&this_week[1..]);
        let sa = summary(&ma);
        let c = PeriodChange::compute(
            &codes(),
            ("2026-W50", &ma, &sa),
            ("2026-W49", &mb, &sb),
            None,
        );
        assert_eq!(c.alerts, vec![]);
    }

    #[test]
    fn weakest_item_is_the_lowest_mean_first_on_ties() {
        let s = summary(&moments(&[(2, 3), (3, 2)]));
        assert_eq!(weakest_item(&s).unwrap().code.as_str(), "U1");
        let s = summary(&moments(&[(4, 1), (4, 2)]));
        assert_eq!(weakest_item(&s).unwrap().code.as_str(), "U2");
        assert!(weakest_item(&summary(&moments(&[]))).is_none());
    }
}
