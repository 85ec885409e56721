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

    /// Whether these are moments of `items` items (as read from elsewhere,
    /// they may not be).
    pub fn fits(&self, items: usize) -> bool {
        self.items.len() == items && self.pairs.len() == items * items.saturating_sub(1) / 2
    }

    /// Co-moments of each pair of items (i < j, in row order).
    pub fn pairs(&self) -> &[PairMoments] {
        &self.pairs
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
mod tests;
