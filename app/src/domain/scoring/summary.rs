//! From responses to the figures a unit head reads: per item count, NRR,
//! spread, distribution and share satisfied; the index, its grade and their
//! uncertainty; the provisional flag.
//!
//! Everything is computed from [`Moments`]: integer counts that add up, so a
//! figure for a month is the sum of its days and a roll-up never needs the
//! responses again.

use super::stats::{mean_variance, t_975, t_interval, wilson, Estimate, Interval};
use super::{Grade, Index, ItemTally};
use crate::domain::questionnaire::{ItemCode, Score, ScoringMethod};
use serde::{Deserialize, Serialize};

/// How many respondents gave each answer 1, 2, 3 and 4 to one item.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution(pub [u64; 4]);

impl Distribution {
    pub fn record(&mut self, score: Score) {
        self.0[usize::from(score.get() - 1)] += 1;
    }

    pub fn n(&self) -> u64 {
        self.0.iter().sum()
    }

    pub fn sum(&self) -> u64 {
        self.0.iter().zip(1u64..).map(|(c, s)| c * s).sum()
    }

    pub fn sum_of_squares(&self) -> u64 {
        self.0.iter().zip(1u64..).map(|(c, s)| c * s * s).sum()
    }

    /// Answers of 3 (Baik) or 4 (Sangat Baik).
    pub fn satisfied(&self) -> u64 {
        self.0[2] + self.0[3]
    }

    pub fn tally(&self) -> ItemTally {
        ItemTally {
            n: self.n(),
            sum: self.sum(),
        }
    }

    pub fn merge(&mut self, other: &Self) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    /// Mean and sample variance of the scores.
    fn mean_variance(&self) -> Option<(f64, f64)> {
        mean_variance(self.n(), self.sum() as f64, self.sum_of_squares() as f64)
    }
}

/// Co-moments of two items over the respondents who scored both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairMoments {
    pub n: u64,
    pub sum_a: u64,
    pub sum_b: u64,
    pub sum_ab: u64,
}

impl PairMoments {
    /// The sample covariance of the two items; none below two respondents.
    fn covariance(&self) -> Option<f64> {
        (self.n >= 2).then(|| {
            let n = self.n as f64;
            (self.sum_ab as f64 - self.sum_a as f64 * self.sum_b as f64 / n) / (n - 1.0)
        })
    }
}

/// Everything the figures of one questionnaire need, as integers: respondents,
/// each item's distribution, and each pair of items' co-moments (for the
/// index's interval). Items are in the order of the codes the caller holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moments {
    respondents: u64,
    items: Vec<Distribution>,
    /// Pairs (i, j), i < j, in row order.
    pairs: Vec<PairMoments>,
}

impl Moments {
    pub fn new(items: usize) -> Self {
        Self {
            respondents: 0,
            items: vec![Distribution::default(); items],
            pairs: vec![PairMoments::default(); items * items.saturating_sub(1) / 2],
        }
    }

    /// Adds one response: its score for each item, in order (`None` for a
    /// skipped item). A response that scored nothing adds nothing.
    ///
    /// # Panics
    /// When `scores` does not have one entry per item.
    pub fn record(&mut self, scores: &[Option<Score>]) {
        assert_eq!(scores.len(), self.items.len(), "one entry per item");
        if scores.iter().all(Option::is_none) {
            return;
        }
        self.respondents += 1;
        let mut p = 0;
        for (i, a) in scores.iter().enumerate() {
            if let Some(a) = a {
                self.items[i].record(*a);
            }
            for b in &scores[i + 1..] {
                if let (Some(a), Some(b)) = (a, b) {
                    let (a, b) = (u64::from(a.get()), u64::from(b.get()));
                    let pair = &mut self.pairs[p];
                    pair.n += 1;
                    pair.sum_a += a;
                    pair.sum_b += b;
                    pair.sum_ab += a * b;
                }
                p += 1;
            }
        }
    }

    /// Adds another set of moments of the same items.
    ///
    /// # Panics
    /// When the two do not have the same number of items.
    pub fn merge(&mut self, other: &Self) {
        assert_eq!(self.items.len(), other.items.len(), "same items");
        self.respondents += other.respondents;
        for (a, b) in self.items.iter_mut().zip(&other.items) {
            a.merge(b);
        }
        for (a, b) in self.pairs.iter_mut().zip(&other.pairs) {
            a.n += b.n;
            a.sum_a += b.sum_a;
            a.sum_b += b.sum_b;
            a.sum_ab += b.sum_ab;
        }
    }

    /// Adds counts kept elsewhere (a roll-up): respondents.
    pub fn add_respondents(&mut self, n: u64) {
        self.respondents += n;
    }

    /// Adds counts kept elsewhere: item `i`'s distribution.
    pub fn add_item(&mut self, i: usize, d: &Distribution) {
        self.items[i].merge(d);
    }

    /// Adds counts kept elsewhere: co-moments of items `i` and `j` (`sum_a`
    /// belongs to `i`), in either order; nothing for `i == j`.
    pub fn add_pair(&mut self, i: usize, j: usize, p: &PairMoments) {
        if i == j {
            return;
        }
        let (i, j, p) = if i < j {
            (i, j, *p)
        } else {
            (
                j,
                i,
                PairMoments {
                    sum_a: p.sum_b,
                    sum_b: p.sum_a,
                    ..*p
                },
            )
        };
        let k = self.items.len();
        let slot = &mut self.pairs[i * (2 * k - i - 1) / 2 + (j - i - 1)];
        slot.n += p.n;
        slot.sum_a += p.sum_a;
        slot.sum_b += p.sum_b;
        slot.sum_ab += p.sum_ab;
    }

    /// Responses that scored at least one item.
    pub fn respondents(&self) -> u64 {
        self.respondents
    }

    pub fn items(&self) -> &[Distribution] {
        &self.items
    }

    fn pair(&self, i: usize, j: usize) -> &PairMoments {
        let k = self.items.len();
        &self.pairs[i * (2 * k - i - 1) / 2 + (j - i - 1)]
    }

    /// The index with its unrounded value and the variance of that value.
    ///
    /// The index is 25/k × Σ NRRᵢ, a linear function of the item means, so
    /// its variance is (25/k)² × Σᵢ Σⱼ Cov(NRRᵢ, NRRⱼ), where
    /// Var(NRRᵢ) = sᵢ²/nᵢ and Cov(NRRᵢ, NRRⱼ) = nᵢⱼ sᵢⱼ / (nᵢ nⱼ), sᵢⱼ being
    /// the sample covariance over the nᵢⱼ respondents who scored both. When
    /// every respondent scores every item this is exactly the t-interval of
    /// the respondents' mean scores × 25; with skipped items it still uses
    /// each response once and needs only these sums, so that it can be
    /// computed from roll-ups, which a bootstrap cannot. Degrees of freedom:
    /// respondents − 1. (A unit test checks it against a seeded bootstrap.)
    pub fn index_estimate(&self) -> Option<IndexEstimate> {
        self.index_estimate_with(None)
    }

    /// The item pair's correlation, from its co-moments; none without them.
    fn correlation(&self, i: usize, j: usize) -> Option<f64> {
        let c = self.pair(i, j).covariance()?;
        let (_, vi) = self.items[i].mean_variance()?;
        let (_, vj) = self.items[j].mean_variance()?;
        (vi > 0.0 && vj > 0.0).then(|| (c / (vi * vj).sqrt()).clamp(-1.0, 1.0))
    }

    /// As [`index_estimate`](Self::index_estimate), for moments kept without
    /// item pairs (a respondent group's roll-ups): a pair this group has no
    /// co-moments for takes its correlation from `reference` (everyone in
    /// the scope), with this group's own spreads: Cov(NRRᵢ, NRRⱼ) ≈
    /// ρᵢⱼ sᵢ sⱼ / n. Groups thus keep the items' shared swing (a respondent's
    /// mood moves all answers) instead of treating items as independent,
    /// which would understate the interval.
    pub fn index_estimate_with(&self, reference: Option<&Moments>) -> Option<IndexEstimate> {
        let tallies: Vec<ItemTally> = self.items.iter().map(Distribution::tally).collect();
        let index = Index::from_tallies(&tallies)?;
        let scored: Vec<usize> = (0..self.items.len())
            .filter(|&i| self.items[i].n() > 0)
            .collect();
        let k = scored.len() as f64;
        let value = scored
            .iter()
            .map(|&i| self.items[i].sum() as f64 / self.items[i].n() as f64)
            .sum::<f64>()
            / k
            * 25.0;
        let mut var = 0.0;
        for (a, &i) in scored.iter().enumerate() {
            let ni = self.items[i].n() as f64;
            var += self.items[i].mean_variance().map_or(0.0, |(_, v)| v) / ni;
            for &j in &scored[a + 1..] {
                let nj = self.items[j].n() as f64;
                let pair = self.pair(i, j);
                if let Some(c) = pair.covariance() {
                    var += 2.0 * pair.n as f64 * c / (ni * nj);
                } else if let Some(rho) = reference
                    .filter(|r| r.items.len() == self.items.len())
                    .and_then(|r| r.correlation(i, j))
                {
                    let (vi, vj) = (
                        self.items[i].mean_variance().map_or(0.0, |(_, v)| v),
                        self.items[j].mean_variance().map_or(0.0, |(_, v)| v),
                    );
                    var += 2.0 * rho * (vi * vj).sqrt() / self.respondents.max(1) as f64;
                }
            }
        }
        let scale = 25.0 / k;
        Some(IndexEstimate {
            index,
            estimate: (self.respondents >= 2).then(|| Estimate {
                value,
                variance: (scale * scale * var).max(0.0),
                df: (self.respondents - 1) as f64,
            }),
            value,
        })
    }
}

/// An index: rounded as graded, unrounded with its variance for intervals and gaps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IndexEstimate {
    pub index: Index,
    pub value: f64,
    /// None below two respondents.
    pub estimate: Option<Estimate>,
}

impl IndexEstimate {
    /// The 95% interval, in hundredths as the index is shown, within 25–100.
    pub fn interval(&self) -> Option<Interval> {
        let e = self.estimate?;
        let half = t_975(e.df) * e.variance.sqrt();
        let round = |x: f64| (x * 100.0).round() / 100.0;
        let i = Interval::around(self.value, half).clamp(25.0, 100.0);
        Some(Interval {
            low: round(i.low),
            high: round(i.high),
        })
    }
}

/// One item's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ItemSummary {
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "U1"))]
    pub code: ItemCode,
    /// Responses that scored this item.
    pub n: u64,
    /// Nilai rata-rata: the mean score, 1–4.
    pub nrr: Option<f64>,
    /// Sample standard deviation of the scores.
    pub sd: Option<f64>,
    /// 95% t-interval of the mean, within 1–4.
    pub interval: Option<Interval>,
    /// How many answered 1, 2, 3 and 4.
    pub distribution: [u64; 4],
    /// Share of answers of 3 or 4.
    pub satisfied_share: Option<f64>,
    /// Wilson 95% interval of that share.
    pub satisfied_interval: Option<Interval>,
}

impl ItemSummary {
    pub fn compute(code: ItemCode, d: &Distribution) -> Self {
        let n = d.n();
        let mv = d.mean_variance();
        Self {
            code,
            n,
            nrr: mv.map(|(m, _)| m),
            sd: mv.filter(|_| n >= 2).map(|(_, v)| v.sqrt()),
            interval: mv
                .and_then(|(m, v)| t_interval(m, v, n))
                .map(|i| i.clamp(1.0, 4.0)),
            distribution: d.0,
            satisfied_share: (n > 0).then(|| d.satisfied() as f64 / n as f64),
            satisfied_interval: wilson(d.satisfied(), n),
        }
    }
}

/// The figures of one scope and period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Summary {
    /// Responses that scored at least one item.
    pub n: u64,
    /// IKM, 25–100, rounded to two decimals; none without scores.
    pub index: Option<f64>,
    pub grade: Option<Grade>,
    /// 95% interval of the index.
    pub index_interval: Option<Interval>,
    /// The interval spans more than one grade.
    pub grade_uncertain: bool,
    /// Fewer responses than `sample_target`.
    pub provisional: bool,
    /// Krejcie–Morgan sample size for the unit's yearly volume (384 unknown).
    pub sample_target: u64,
    pub items: Vec<ItemSummary>,
}

impl Summary {
    /// The figures of `moments`, whose items are `codes` in order.
    ///
    /// # Panics
    /// When `codes` and `moments` disagree on the number of items.
    pub fn compute(
        codes: &[ItemCode],
        moments: &Moments,
        method: ScoringMethod,
        sample_target: u64,
    ) -> Self {
        Self::compute_with(codes, moments, None, method, sample_target)
    }

    /// As [`compute`](Self::compute) for a group kept without item pairs,
    /// borrowing correlations from `reference` (see [`Moments::index_estimate_with`]).
    pub fn compute_with(
        codes: &[ItemCode],
        moments: &Moments,
        reference: Option<&Moments>,
        method: ScoringMethod,
        sample_target: u64,
    ) -> Self {
        assert_eq!(codes.len(), moments.items().len(), "one code per item");
        let estimate = moments.index_estimate_with(reference);
        let interval = estimate.as_ref().and_then(IndexEstimate::interval);
        let grade_of = |x: f64| Index::from_hundredths((x * 100.0).round() as i64).grade(method);
        Self {
            n: moments.respondents(),
            index: estimate.map(|e| e.index.value()),
            grade: estimate.map(|e| e.index.grade(method)),
            index_interval: interval,
            grade_uncertain: interval.is_some_and(|i| grade_of(i.low) != grade_of(i.high)),
            provisional: moments.respondents() < sample_target,
            sample_target,
            items: codes
                .iter()
                .zip(moments.items())
                .map(|(c, d)| ItemSummary::compute(c.clone(), d))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::Grade;
    use proptest::prelude::*;

    const M: ScoringMethod = ScoringMethod::Permenpan2017;

    fn codes(k: usize) -> Vec<ItemCode> {
        (1..=k)
            .map(|i| ItemCode::parse(&format!("U{i}")).unwrap())
            .collect()
    }

    fn s(v: u8) -> Option<Score> {
        Some(Score::new(i64::from(v)).unwrap())
    }

    fn moments(rows: &[Vec<Option<Score>>], k: usize) -> Moments {
        let mut m = Moments::new(k);
        for r in rows {
            m.record(r);
        }
        m
    }

    /// 29 respondents whose item totals are the PRODUCT.md test vector.
    fn product_vector() -> Vec<Vec<Option<Score>>> {
        let totals = [105u64, 101, 100, 116, 102, 105, 106, 105, 115];
        let mut rows = vec![vec![None; 9]; 29];
        for (i, total) in totals.iter().enumerate() {
            // total = 29×3 + fours − ones … spread fours first, then threes.
            let fours = total - 87;
            for (r, row) in rows.iter_mut().enumerate() {
                row[i] = s(if (r as u64) < fours { 4 } else { 3 });
            }
        }
        rows
    }

    #[test]
    fn the_product_vector_from_responses() {
        let rows = product_vector();
        let m = moments(&rows, 9);
        let sum = Summary::compute(&codes(9), &m, M, 384);
        assert_eq!(sum.n, 29);
        assert_eq!(sum.index, Some(91.48));
        assert_eq!(sum.grade, Some(Grade::A));
        assert!(sum.provisional, "29 of 384");
        let i = sum.index_interval.unwrap();
        assert!(i.low < 91.48 && 91.48 < i.high, "{i:?}");
        // Its interval reaches below 88.31: A is not established at n = 29.
        assert!(i.low < 88.31 && sum.grade_uncertain, "{i:?}");
        assert_eq!(sum.items[3].nrr, Some(4.0));
        assert_eq!(sum.items[3].distribution, [0, 0, 0, 29]);
        assert_eq!(sum.items[3].satisfied_share, Some(1.0));
        assert_eq!(sum.items[0].distribution, [0, 0, 11, 18]);
    }

    #[test]
    fn one_respondent_all_fours() {
        let m = moments(&[vec![s(4); 9]], 9);
        let sum = Summary::compute(&codes(9), &m, M, 384);
        assert_eq!((sum.index, sum.grade), (Some(100.0), Some(Grade::A)));
        assert_eq!(sum.index_interval, None, "no interval from one response");
        assert!(!sum.grade_uncertain && sum.provisional);
        assert_eq!(sum.items[0].sd, None);
    }

    #[test]
    fn complete_responses_give_the_t_interval_of_respondent_means() {
        let rows: Vec<Vec<Option<Score>>> = (0..40u8)
            .map(|r| {
                (0..9u8)
                    .map(|i| s(1 + (r % 4 * 3 + i * 3 + i / 4) % 4))
                    .collect()
            })
            .collect();
        let m = moments(&rows, 9);
        let est = m.index_estimate().unwrap();
        let means: Vec<f64> = rows
            .iter()
            .map(|r| r.iter().map(|x| f64::from(x.unwrap().get())).sum::<f64>() / 9.0 * 25.0)
            .collect();
        let n = means.len() as f64;
        let mean = means.iter().sum::<f64>() / n;
        let var = means.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let e = est.estimate.unwrap();
        assert!((e.value - mean).abs() < 1e-9);
        assert!(
            (e.variance - var / n).abs() < 1e-9,
            "{} vs {}",
            e.variance,
            var / n
        );
    }

    /// A small seeded generator, so that the bootstrap below is reproducible.
    struct SplitMix(u64);
    impl SplitMix {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
    }

    #[test]
    fn analytic_interval_agrees_with_a_seeded_bootstrap_when_items_are_skipped() {
        let mut rng = SplitMix(20_170_014);
        // Correlated items (a respondent's mood) and about one skip in six.
        let rows: Vec<Vec<Option<Score>>> = (0..300)
            .map(|_| {
                let mood = (rng.next() % 4) as i64;
                (0..9)
                    .map(|_| {
                        if rng.next().is_multiple_of(6) {
                            return None;
                        }
                        let v = (mood + (rng.next() % 3) as i64 - 1).clamp(0, 3) + 1;
                        Some(Score::new(v).unwrap())
                    })
                    .collect()
            })
            .collect();
        let est = moments(&rows, 9).index_estimate().unwrap();
        let analytic_sd = est.estimate.unwrap().variance.sqrt();
        let reps = 2_000;
        let values: Vec<f64> = (0..reps)
            .map(|_| {
                let mut m = Moments::new(9);
                for _ in 0..rows.len() {
                    m.record(&rows[(rng.next() % rows.len() as u64) as usize]);
                }
                m.index_estimate().unwrap().value
            })
            .collect();
        let mean = values.iter().sum::<f64>() / reps as f64;
        let boot_sd =
            (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (reps as f64 - 1.0)).sqrt();
        let ratio = analytic_sd / boot_sd;
        assert!(
            (0.9..1.1).contains(&ratio),
            "analytic {analytic_sd}, bootstrap {boot_sd}"
        );
    }

    #[test]
    fn a_group_without_pairs_borrows_the_scopes_correlations() {
        let mut rng = SplitMix(7);
        let rows: Vec<Vec<Option<Score>>> = (0..400)
            .map(|_| {
                let mood = (rng.next() % 4) as i64;
                (0..9)
                    .map(|_| Score::new((mood + (rng.next() % 3) as i64 - 1).clamp(0, 3) + 1).ok())
                    .collect()
            })
            .collect();
        let everyone = moments(&rows, 9);
        let group = moments(&rows[..120], 9);
        // The same group kept as a group roll-up is: items only, no pairs.
        let mut items_only = Moments::new(9);
        items_only.add_respondents(group.respondents());
        for (i, d) in group.items().iter().enumerate() {
            items_only.add_item(i, d);
        }
        let exact = group.index_estimate().unwrap().estimate.unwrap().variance;
        let independent = items_only
            .index_estimate()
            .unwrap()
            .estimate
            .unwrap()
            .variance;
        let borrowed = items_only
            .index_estimate_with(Some(&everyone))
            .unwrap()
            .estimate
            .unwrap()
            .variance;
        // Mood makes items move together: ignoring that understates a lot.
        assert!(independent < exact * 0.5, "{independent} vs {exact}");
        let ratio = borrowed / exact;
        assert!(
            (0.8..1.25).contains(&ratio),
            "borrowed {borrowed} vs exact {exact}"
        );
    }

    #[test]
    fn merged_moments_equal_recorded_ones() {
        let rows = product_vector();
        let whole = moments(&rows, 9);
        let mut parts = moments(&rows[..10], 9);
        parts.merge(&moments(&rows[10..], 9));
        assert_eq!(whole, parts);
    }

    #[test]
    fn moments_rebuilt_from_parts_equal_recorded_ones() {
        let rows = product_vector();
        let whole = moments(&rows, 9);
        let mut parts = Moments::new(9);
        parts.add_respondents(whole.respondents());
        for (i, d) in whole.items().iter().enumerate() {
            parts.add_item(i, d);
        }
        for i in 0..9 {
            for j in i + 1..9 {
                let p = *whole.pair(i, j);
                // Half given in reverse order, as a roll-up keyed by code may.
                if (i + j) % 2 == 0 {
                    let rev = PairMoments {
                        sum_a: p.sum_b,
                        sum_b: p.sum_a,
                        ..p
                    };
                    parts.add_pair(j, i, &rev);
                } else {
                    parts.add_pair(i, j, &p);
                }
            }
        }
        assert_eq!(whole, parts);
    }

    #[test]
    fn a_response_with_no_scores_counts_for_nothing() {
        let m = moments(&[vec![None; 3]], 3);
        let sum = Summary::compute(&codes(3), &m, M, 384);
        assert_eq!((sum.n, sum.index, sum.grade), (0, None, None));
        assert_eq!(sum.items[0].nrr, None);
        assert_eq!(sum.items[0].satisfied_interval, None);
    }

    #[test]
    fn kepmenpan_2004_fourteen_elements_are_graded_by_its_own_bounds() {
        // 20 respondents × 14 elements; item means 3.25 each → 81.25: B in
        // 2004 (A from 81.26), B in 2017 as well; one more four → A in 2004.
        let mut rows: Vec<Vec<Option<Score>>> = (0..20)
            .map(|r| vec![s(if r < 5 { 4 } else { 3 }); 14])
            .collect();
        let m = moments(&rows, 14);
        let sum = Summary::compute(&codes(14), &m, ScoringMethod::Kepmenpan2004, 100);
        assert_eq!((sum.index, sum.grade), (Some(81.25), Some(Grade::B)));
        rows[5][0] = s(4);
        let m = moments(&rows, 14);
        let sum = Summary::compute(&codes(14), &m, ScoringMethod::Kepmenpan2004, 100);
        // 81.25 + 25 × (1/20) / 14 = 81.339… → 81.34, A.
        assert_eq!((sum.index, sum.grade), (Some(81.34), Some(Grade::A)));
        let sum = Summary::compute(&codes(14), &m, M, 100);
        assert_eq!(sum.grade, Some(Grade::B));
    }

    fn response_strategy(k: usize) -> impl Strategy<Value = Vec<Option<Score>>> {
        proptest::collection::vec(proptest::option::weighted(0.9, 1i64..=4), k).prop_map(|r| {
            r.into_iter()
                .map(|x| x.map(|v| Score::new(v).unwrap()))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn index_and_intervals_stay_on_the_scale(rows in proptest::collection::vec(response_strategy(9), 1..80)) {
            let sum = Summary::compute(&codes(9), &moments(&rows, 9), M, 384);
            if let Some(x) = sum.index {
                prop_assert!((25.0..=100.0).contains(&x));
            }
            if let Some(i) = sum.index_interval {
                prop_assert!(25.0 <= i.low && i.low <= i.high && i.high <= 100.0);
            }
            for item in &sum.items {
                if let Some(i) = item.interval {
                    prop_assert!(1.0 <= i.low && i.high <= 4.0);
                }
                if let Some(i) = item.satisfied_interval {
                    prop_assert!(0.0 <= i.low && i.high <= 1.0);
                }
            }
        }

        #[test]
        fn order_of_responses_changes_nothing(rows in proptest::collection::vec(response_strategy(5), 1..60), seed in any::<u64>()) {
            let mut shuffled = rows.clone();
            let mut rng = SplitMix(seed);
            for i in (1..shuffled.len()).rev() {
                shuffled.swap(i, (rng.next() % (i as u64 + 1)) as usize);
            }
            let a = Summary::compute(&codes(5), &moments(&rows, 5), M, 384);
            let b = Summary::compute(&codes(5), &moments(&shuffled, 5), M, 384);
            prop_assert_eq!(a, b);
        }

        #[test]
        fn raising_one_score_never_lowers_the_index(rows in proptest::collection::vec(response_strategy(6), 1..60), pick in any::<(usize, usize)>()) {
            let (r, i) = (pick.0 % rows.len(), pick.1 % 6);
            let Some(old) = rows[r][i] else { return Ok(()); };
            if old.get() == 4 { return Ok(()); }
            let mut raised = rows.clone();
            raised[r][i] = Some(Score::new(i64::from(old.get()) + 1).unwrap());
            let a = moments(&rows, 6).index_estimate().unwrap().index;
            let b = moments(&raised, 6).index_estimate().unwrap().index;
            prop_assert!(b >= a, "{a} → {b}");
        }
    }
}
