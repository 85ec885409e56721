//! A published figure checked from what it was computed from — the rows of
//! an export (with a token) or the published anonymised aggregate (anyone)
//! — with the same scoring, and the first place the two disagree. What
//! `suara verify-publication` runs.

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

/// The figures of a published aggregate over the items `codes`, or why it
/// cannot be scored.
pub fn summary_of_aggregate(
    codes: &[String],
    moments: &Moments,
    method: ScoringMethod,
    sample_target: u64,
) -> Result<Summary, String> {
    let codes = codes
        .iter()
        .map(|c| ItemCode::parse(c))
        .collect::<Result<Vec<_>, _>>()?;
    if !moments.fits(codes.len()) {
        return Err(format!(
            "the aggregate does not hold moments of its {} items",
            codes.len()
        ));
    }
    Ok(Summary::compute(&codes, moments, method, sample_target))
}

/// The first way the aggregate of `rows` differs from a published one, over
/// the items `codes`, in words; `None` when they are the same.
pub fn first_aggregate_difference(
    codes: &[String],
    published: &Moments,
    rows: &Moments,
) -> Option<String> {
    if published.respondents() != rows.respondents() {
        return Some(format!(
            "respondents: the aggregate has {}, the responses give {}",
            published.respondents(),
            rows.respondents()
        ));
    }
    for ((code, p), r) in codes.iter().zip(published.items()).zip(rows.items()) {
        if p != r {
            return Some(format!(
                "item {code}: the aggregate counts answers 1–4 as {:?}, the responses as {:?}",
                p.0, r.0
            ));
        }
    }
    (published != rows).then(|| "the pairs of items differ (the index's interval)".to_owned())
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
    let (pi, ri) = (published.index_interval, recomputed.index_interval);
    if !same(pi.map(|i| i.low), ri.map(|i| i.low)) || !same(pi.map(|i| i.high), ri.map(|i| i.high))
    {
        return Some(format!("interval: published {pi:?}, recomputed {ri:?}"));
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

    fn moments(values: &[(u8, u8)]) -> Moments {
        let mut m = Moments::new(2);
        for (a, b) in values {
            m.record(&[
                Score::new(i64::from(*a)).ok(),
                Score::new(i64::from(*b)).ok(),
            ]);
        }
        m
    }

    #[test]
    fn an_aggregate_gives_the_figures_of_its_responses_and_names_a_change() {
        let m = ScoringMethod::Permenpan2017;
        let names = vec!["U1".to_owned(), "U2".to_owned()];
        let values = [(4, 3), (3, 3), (4, 4), (2, 4)];
        let from_rows = summary_of(&codes(), &rows(&values), m, 384);
        let aggregate = moments(&values);
        let from_aggregate = summary_of_aggregate(&names, &aggregate, m, 384).unwrap();
        assert_eq!(first_difference(&from_rows, &from_aggregate), None);
        assert!(from_rows.index_interval.is_some());
        assert_eq!(
            first_aggregate_difference(&names, &aggregate, &moments(&values)),
            None
        );

        let altered = moments(&[(4, 3), (3, 3), (4, 4), (1, 4)]);
        let d = first_aggregate_difference(&names, &aggregate, &altered).unwrap();
        assert!(d.starts_with("item U1"), "{d}");
        // The same answers to each item, paired differently: only the
        // pairs (and so the interval) tell.
        let paired = moments(&[(4, 4), (3, 4), (4, 3), (2, 3)]);
        let d = first_aggregate_difference(&names, &aggregate, &paired).unwrap();
        assert!(d.starts_with("the pairs"), "{d}");
        let from_paired = summary_of_aggregate(&names, &paired, m, 384).unwrap();
        assert!(first_difference(&from_rows, &from_paired)
            .unwrap()
            .starts_with("interval"));

        assert!(summary_of_aggregate(&names[..1], &aggregate, m, 384).is_err());
    }
}
