//! Scoring: NRR per item, the satisfaction index (IKM) and its grade.
//!
//! The index uses the exact weight 1/k, never a rounded 0.111 (shared/PRODUCT.md).
//! Intervals, provisional flags and breakdowns arrive with the scoring issue.

use super::questionnaire::ScoringMethod;
use serde::{Deserialize, Serialize};

/// The scores one item received: how many and their total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemTally {
    pub n: u64,
    pub sum: u64,
}

impl ItemTally {
    /// NRR: the mean score, or `None` when nobody scored the item.
    pub fn nrr(self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / self.n as f64)
    }
}

/// An index in hundredths, rounded half away from zero, so that grading and
/// display use the same two decimals an auditor recomputes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Index(i64);

impl Index {
    /// (Σ NRRᵢ × 1/k) × 25 over the items that were scored at least once;
    /// `None` when no item was.
    pub fn from_tallies(tallies: &[ItemTally]) -> Option<Self> {
        let nrrs: Vec<f64> = tallies.iter().filter_map(|t| t.nrr()).collect();
        if nrrs.is_empty() {
            return None;
        }
        let k = nrrs.len() as f64;
        let raw = nrrs.iter().sum::<f64>() / k * 25.0;
        Some(Self((raw * 100.0).round() as i64))
    }

    pub fn value(self) -> f64 {
        self.0 as f64 / 100.0
    }

    pub fn hundredths(self) -> i64 {
        self.0
    }

    pub fn grade(self, method: ScoringMethod) -> Grade {
        // Lower bounds of A, B and C in hundredths of an index point.
        let [a, b, c] = match method {
            ScoringMethod::Permenpan2017 => [8831, 7661, 6500],
            ScoringMethod::Kepmenpan2004 => [8126, 6251, 4376],
        };
        match self.0 {
            x if x >= a => Grade::A,
            x if x >= b => Grade::B,
            x if x >= c => Grade::C,
            _ => Grade::D,
        }
    }
}

impl std::fmt::Display for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// Mutu pelayanan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Grade {
    A,
    B,
    C,
    D,
}

impl Grade {
    pub fn letter(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
            Self::D => "D",
        }
    }

    /// Kinerja unit pelayanan, in Indonesian as the regulation words it.
    pub fn performance_id(self) -> &'static str {
        match self {
            Self::A => "Sangat Baik",
            Self::B => "Baik",
            Self::C => "Kurang Baik",
            Self::D => "Tidak Baik",
        }
    }

    pub fn performance_en(self) -> &'static str {
        match self {
            Self::A => "Very good",
            Self::B => "Good",
            Self::C => "Poor",
            Self::D => "Very poor",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const M: ScoringMethod = ScoringMethod::Permenpan2017;

    fn tallies(n: u64, sums: &[u64]) -> Vec<ItemTally> {
        sums.iter().map(|&sum| ItemTally { n, sum }).collect()
    }

    #[test]
    fn product_test_vector_n29_gives_91_48_grade_a() {
        let t = tallies(29, &[105, 101, 100, 116, 102, 105, 106, 105, 115]);
        let nrr: Vec<String> = t
            .iter()
            .map(|t| format!("{:.4}", t.nrr().unwrap()))
            .collect();
        assert_eq!(
            nrr,
            [
                "3.6207", "3.4828", "3.4483", "4.0000", "3.5172", "3.6207", "3.6552", "3.6207",
                "3.9655"
            ]
        );
        let index = Index::from_tallies(&t).unwrap();
        assert_eq!(index.to_string(), "91.48");
        assert_eq!(index.grade(M), Grade::A);
    }

    #[test]
    fn the_rounded_weight_mistake_is_not_reproduced() {
        let t = tallies(29, &[105, 101, 100, 116, 102, 105, 106, 105, 115]);
        let wrong: f64 = t.iter().map(|t| t.nrr().unwrap() * 0.111).sum::<f64>() * 25.0;
        assert_eq!(format!("{wrong:.2}"), "91.38");
        assert_ne!(Index::from_tallies(&t).unwrap().to_string(), "91.38");
    }

    #[test]
    fn one_respondent_all_fours_is_100() {
        let index = Index::from_tallies(&tallies(1, &[4; 9])).unwrap();
        assert_eq!(index.to_string(), "100.00");
        assert_eq!(index.grade(M), Grade::A);
    }

    #[test]
    fn grade_bounds_2017_on_both_sides() {
        for (h, g) in [
            (8831, Grade::A),
            (8830, Grade::B),
            (7661, Grade::B),
            (7660, Grade::C),
            (6500, Grade::C),
            (6499, Grade::D),
            (2500, Grade::D),
            (10000, Grade::A),
        ] {
            assert_eq!(Index(h).grade(M), g, "index {h}");
        }
    }

    #[test]
    fn grade_bounds_2004_on_both_sides() {
        let m = ScoringMethod::Kepmenpan2004;
        for (h, g) in [
            (8126, Grade::A),
            (8125, Grade::B),
            (6251, Grade::B),
            (6250, Grade::C),
            (4376, Grade::C),
            (4375, Grade::D),
        ] {
            assert_eq!(Index(h).grade(m), g, "index {h}");
        }
    }

    #[test]
    fn no_scores_no_index() {
        assert_eq!(Index::from_tallies(&[ItemTally::default(); 3]), None);
    }

    proptest! {
        #[test]
        fn index_stays_within_25_and_100(scores in proptest::collection::vec(proptest::collection::vec(1u64..=4, 9), 1..60)) {
            let mut t = vec![ItemTally::default(); 9];
            for r in &scores {
                for (i, s) in r.iter().enumerate() {
                    t[i].n += 1;
                    t[i].sum += s;
                }
            }
            let h = Index::from_tallies(&t).unwrap().hundredths();
            prop_assert!((2500..=10000).contains(&h));
        }
    }
}
