//! A published figure checked from the responses it was computed from:
//! the same scoring over the rows of an export, and the first place the
//! two disagree. What `suara verify-publication` runs.

use super::{Moments, Summary};
use crate::domain::questionnaire::{ItemCode, Score, ScoringMethod};
use std::collections::BTreeMap;

/// The figures of `rows` (each response's scores by item code), over the
/// items `codes` in order, as the server computes them.
pub fn summary_of<'a>(
    codes: &[ItemCode],
    rows: impl IntoIterator<Item = &'a BTreeMap<String, u8>>,
    method: ScoringMethod,
    sample_target: u64,
) -> Summary {
    let mut moments = Moments::new(codes.len());
    for scores in rows {
        let row: Vec<Option<Score>> = codes
            .iter()
            .map(|c| {
                scores
                    .get(c.as_str())
                    .and_then(|v| Score::new(i64::from(*v)).ok())
            })
            .collect();
        moments.record(&row);
    }
    Summary::compute(codes, &moments, method, sample_target)
}

/// Whether two figures are the same number, allowing for the order of
/// floating-point sums (the server adds roll-ups, a check adds rows).
fn same(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
        (None, None) => true,
        _ => false,
    }
}

fn show(x: Option<f64>) -> String {
    x.map_or_else(|| "none".to_owned(), |x| format!("{x}"))
}

/// The first way `recomputed` differs from `published`, in words; `None`
/// when they agree.
pub fn first_difference(published: &Summary, recomputed: &Summary) -> Option<String> {
    if published.n != recomputed.n {
        return Some(format!(
            "respondents: published {}, the responses give {}",
            published.n, recomputed.n
        ));
    }
    if !same(published.index, recomputed.index) {
        return Some(format!(
            "index: published {}, the responses give {}",
            show(published.index),
            show(recomputed.index)
        ));
    }
    if published.grade != recomputed.grade {
        return Some(format!(
            "grade: published {:?}, the responses give {:?}",
            published.grade, recomputed.grade
        ));
    }
    for (p, r) in published.items.iter().zip(&recomputed.items) {
        if p.code != r.code || p.n != r.n || !same(p.nrr, r.nrr) {
            return Some(format!(
                "item {}: published n {} NRR {}, the responses give n {} NRR {}",
                p.code,
                p.n,
                show(p.nrr),
                r.n,
                show(r.nrr)
            ));
        }
    }
    if published.items.len() != recomputed.items.len() {
        return Some("the items differ".to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes() -> Vec<ItemCode> {
        ["U1", "U2"]
            .iter()
            .map(|c| ItemCode::parse(c).unwrap())
            .collect()
    }

    fn rows(values: &[(u8, u8)]) -> Vec<BTreeMap<String, u8>> {
        values
            .iter()
            .map(|(a, b)| BTreeMap::from([("U1".to_owned(), *a), ("U2".to_owned(), *b)]))
            .collect()
    }

    #[test]
    fn the_same_rows_agree_and_one_changed_score_is_named() {
        let m = ScoringMethod::Permenpan2017;
        let published = summary_of(&codes(), &rows(&[(4, 3), (3, 3), (4, 4)]), m, 384);
        let again = summary_of(&codes(), &rows(&[(4, 3), (3, 3), (4, 4)]), m, 384);
        assert_eq!(first_difference(&published, &again), None);
        let altered = summary_of(&codes(), &rows(&[(4, 3), (3, 3), (1, 4)]), m, 384);
        let d = first_difference(&published, &altered).unwrap();
        assert!(d.starts_with("index:"), "{d}");
        let dropped = summary_of(&codes(), &rows(&[(4, 3), (3, 3)]), m, 384);
        assert!(first_difference(&published, &dropped)
            .unwrap()
            .starts_with("respondents:"));
        // Swapping two answers between items keeps the index but not the items.
        let swapped = summary_of(&codes(), &rows(&[(3, 4), (3, 3), (4, 4)]), m, 384);
        assert!(first_difference(&published, &swapped)
            .unwrap()
            .starts_with("item U1"));
    }
}
