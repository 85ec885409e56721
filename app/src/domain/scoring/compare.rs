//! Two sets of responses compared, index and item by item: what a period's
//! change (`change.rs`) and an equity gap (`breakdown.rs`) are both made of.
//! Index and item means by Welch, shares satisfied by Newcombe; a
//! difference is *real* when its 95% interval leaves out zero.

use super::stats::{mean_variance, newcombe, welch, Difference, Estimate};
use super::{Distribution, Moments};
use crate::domain::ItemCode;
use serde::{Deserialize, Serialize};

/// One item's gap: NRR difference (Welch) and share-satisfied difference (Newcombe).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ItemGap {
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "U1"))]
    pub code: ItemCode,
    pub nrr: Option<Difference>,
    pub satisfied_share: Option<Difference>,
}

impl Difference {
    /// The interval leaves out zero: larger than its uncertainty.
    pub fn is_real(&self) -> bool {
        self.interval.low > 0.0 || self.interval.high < 0.0
    }
}

/// `a` minus `b`, for the index and each item. `correlations_from`: whose
/// item correlations sets kept without item pairs borrow (see
/// [`Moments::index_estimate_with`]).
pub fn compare(
    codes: &[ItemCode],
    a: &Moments,
    b: &Moments,
    correlations_from: Option<&Moments>,
) -> (Option<Difference>, Vec<ItemGap>) {
    let index = |m: &Moments| {
        m.index_estimate_with(correlations_from)
            .and_then(|e| e.estimate)
    };
    let mean = |d: Distribution| {
        let n = d.n();
        mean_variance(n, d.sum() as f64, d.sum_of_squares() as f64)
            .and_then(|(m, v)| Estimate::mean(m, v, n))
    };
    let items = codes
        .iter()
        .enumerate()
        .map(|(k, code)| {
            let (da, db) = (a.items()[k], b.items()[k]);
            ItemGap {
                code: code.clone(),
                nrr: mean(da).zip(mean(db)).map(|(x, y)| welch(x, y)),
                satisfied_share: newcombe(da.satisfied(), da.n(), db.satisfied(), db.n()),
            }
        })
        .collect();
    (index(a).zip(index(b)).map(|(x, y)| welch(x, y)), items)
}
