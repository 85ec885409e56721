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
