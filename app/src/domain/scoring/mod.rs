//! Scoring: NRR per item, the satisfaction index (IKM) and its grade.
//!
//! The index uses the exact weight 1/k, never a rounded 0.111, and is rounded
//! to two decimals by exact integer arithmetic (shared/PRODUCT.md). Pure: no
//! I/O, compiled for the server and for wasm.
//!
//! - [`summary`]: from responses ([`Moments`]) to the figures of a scope;
//! - [`breakdown`]: the same by respondent group, with small-cell suppression
//!   and gaps between groups;
//! - [`stats`]: t, Wilson, Newcombe and Welch intervals;
//! - [`sample`]: the Krejcie–Morgan sample target.

pub mod breakdown;
pub mod change;
pub mod compare;
pub mod recompute;
pub mod sample;
pub mod stats;
pub mod summary;

pub use breakdown::{Attribute, Breakdown};
pub use change::{weakest_item, Alert, PeriodChange, MIN_ALERT_RESPONSES};
pub use compare::ItemGap;
pub use sample::sample_target;
pub use stats::{Difference, Interval};
pub use summary::{Distribution, ItemSummary, Moments, Summary};

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
    ///
    /// Σ sumᵢ/nᵢ is added as an exact fraction and rounded half up to
    /// hundredths, so that a value on a rounding edge (x.xx5) rounds as an
    /// auditor's exact arithmetic does. Only if that fraction outgrows 128
    /// bits (many different nᵢ in the millions) is it done in f64.
    pub fn from_tallies(tallies: &[ItemTally]) -> Option<Self> {
        let scored: Vec<ItemTally> = tallies.iter().copied().filter(|t| t.n > 0).collect();
        if scored.is_empty() {
            return None;
        }
        let k = scored.len() as u128;
        let exact = scored.iter().try_fold((0u128, 1u128), |(num, den), t| {
            add_fraction(num, den, u128::from(t.sum), u128::from(t.n))
        });
        let hundredths = exact
            .and_then(|(num, den)| {
                // round(2500 × num / (k × den)), half up: ⌊(2a + b) / 2b⌋.
                let a = num.checked_mul(2500)?;
                let b = den.checked_mul(k)?;
                Some((a.checked_mul(2)?.checked_add(b)? / b.checked_mul(2)?) as i64)
            })
            .unwrap_or_else(|| {
                let sum: f64 = scored.iter().filter_map(|t| t.nrr()).sum();
                (sum / k as f64 * 2500.0).round() as i64
            });
        Some(Self(hundredths))
    }

    pub fn from_hundredths(hundredths: i64) -> Self {
        Self(hundredths)
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

/// `a/b + c/d` reduced, or `None` when it outgrows u128.
fn add_fraction(a: u128, b: u128, c: u128, d: u128) -> Option<(u128, u128)> {
    fn gcd(mut x: u128, mut y: u128) -> u128 {
        while y != 0 {
            (x, y) = (y, x % y);
        }
        x
    }
    let g = gcd(b, d);
    let den = (b / g).checked_mul(d)?;
    let num = a.checked_mul(d / g)?.checked_add(c.checked_mul(b / g)?)?;
    let r = gcd(num, den).max(1);
    Some((num / r, den / r))
}

/// Mutu pelayanan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
    fn rounding_edges_round_half_up_exactly() {
        // 8 respondents, one item, total 25: NRR 3.125 → 78.125 → 78.13.
        assert_eq!(
            Index::from_tallies(&tallies(8, &[25])).unwrap().to_string(),
            "78.13"
        );
        // Two items of different n: 3/1 and 7/2 → (3 + 3.5)/2 × 25 = 81.25.
        let t = [ItemTally { n: 1, sum: 3 }, ItemTally { n: 2, sum: 7 }];
        assert_eq!(Index::from_tallies(&t).unwrap().to_string(), "81.25");
        // 40 respondents, total 133 on one item: 83.125 → 83.13, not 83.12.
        assert_eq!(
            Index::from_tallies(&tallies(40, &[133]))
                .unwrap()
                .to_string(),
            "83.13"
        );
    }

    #[test]
    fn huge_and_varied_counts_still_give_an_index() {
        let t: Vec<ItemTally> = (0..14)
            .map(|i| ItemTally {
                n: 999_983 - i * 7_919,
                sum: 3 * (999_983 - i * 7_919),
            })
            .collect();
        assert_eq!(Index::from_tallies(&t).unwrap().to_string(), "75.00");
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
