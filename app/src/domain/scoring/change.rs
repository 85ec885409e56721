//! A period against the one before it: the dashboard's change, its alerts
//! and the weakest item, made of the comparison in `compare.rs`.

use super::compare::{compare, ItemGap};
use super::stats::Difference;
use super::{Grade, Moments, Summary};
use crate::domain::ItemCode;
use serde::{Deserialize, Serialize};

/// The latest period against the one before it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PeriodChange {
    /// The latest period's label (`2026-11`), which may still be running.
    pub period: String,
    pub previous: String,
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
    /// An item's mean fell by more than its uncertainty.
    ItemFell {
        #[cfg_attr(feature = "ssr", schema(value_type = String, example = "U1"))]
        code: ItemCode,
        change: Difference,
    },
    /// The grade is not the previous period's.
    GradeChanged { from: Grade, to: Grade },
}

impl PeriodChange {
    /// `latest` against `previous` (labels and their moments and figures).
    pub fn compute(
        codes: &[ItemCode],
        latest: (&str, &Moments, &Summary),
        previous: (&str, &Moments, &Summary),
        correlations_from: Option<&Moments>,
    ) -> Self {
        let (index, items) = compare(codes, latest.1, previous.1, correlations_from);
        let mut alerts: Vec<Alert> = items
            .iter()
            .filter_map(|g| {
                let d = g.nrr?;
                (d.is_real() && d.estimate < 0.0).then(|| Alert::ItemFell {
                    code: g.code.clone(),
                    change: d,
                })
            })
            .collect();
        if let (Some(from), Some(to)) = (previous.2.grade, latest.2.grade) {
            if from != to {
                alerts.insert(0, Alert::GradeChanged { from, to });
            }
        }
        Self {
            period: latest.0.to_owned(),
            previous: previous.0.to_owned(),
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

    #[test]
    fn weakest_item_is_the_lowest_mean_first_on_ties() {
        let s = summary(&moments(&[(2, 3), (3, 2)]));
        assert_eq!(weakest_item(&s).unwrap().code.as_str(), "U1");
        let s = summary(&moments(&[(4, 1), (4, 2)]));
        assert_eq!(weakest_item(&s).unwrap().code.as_str(), "U2");
        assert!(weakest_item(&summary(&moments(&[]))).is_none());
    }
}
