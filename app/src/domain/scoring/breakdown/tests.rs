use super::*;
use crate::domain::questionnaire::Score;
use crate::domain::response::{AgeBand, Disability, Education, Occupation, Sex};
use proptest::prelude::*;

#[test]
fn groups_are_spelled_as_the_sync_interface_spells_them() {
    let wire = |v: serde_json::Value| v.as_str().unwrap().to_owned();
    let all = |a: Attribute| -> Vec<String> {
        match a {
            Attribute::Sex => Sex::ALL.map(|v| wire(serde_json::json!(v))).to_vec(),
            Attribute::AgeBand => AgeBand::ALL.map(|v| wire(serde_json::json!(v))).to_vec(),
            Attribute::Education => Education::ALL.map(|v| wire(serde_json::json!(v))).to_vec(),
            Attribute::Occupation => Occupation::ALL.map(|v| wire(serde_json::json!(v))).to_vec(),
            Attribute::Disability => Disability::ALL.map(|v| wire(serde_json::json!(v))).to_vec(),
        }
    };
    for a in Attribute::ALL {
        assert_eq!(all(a), a.groups(), "{a:?}");
        // Every group set on a respondent reads back as itself.
        for g in a.groups() {
            let mut r = Respondent::default();
            assert!(a.set(&mut r, g));
            assert_eq!(a.value_of(&r), Some(*g));
        }
    }

    let r = Respondent {
        education: Some(Education::D4S1),
        ..Default::default()
    };
    let v = Attribute::Education.value_of(&r);
    assert_eq!(v, Some("D4-S1"));
    assert_eq!(Attribute::Education.cell_of(v), 4);
    assert_eq!(Attribute::Sex.cell_of(None), 2);
    assert_eq!(Attribute::Sex.cell_name(2), NOT_STATED);
    assert_eq!(Attribute::parse("age_band"), Some(Attribute::AgeBand));
    assert_eq!(Attribute::parse("name"), None);
}

#[test]
fn suppression_examples() {
    // Nothing small: nothing hidden.
    assert_eq!(suppress(&[40, 30, 0]), [false, false, false]);
    // One small cell: the next smallest goes too, or total − others shows it.
    assert_eq!(suppress(&[40, 30, 4]), [false, true, true]);
    // Two small cells of 5 and 4 hold 9 < 11 together: a third goes.
    assert_eq!(suppress(&[40, 30, 5, 4]), [false, true, true, true]);
    // Two small cells that hold 11 together are enough.
    assert_eq!(suppress(&[40, 6, 5, 0]), [false, true, true, false]);
    // A zero cell is hidden only when nothing else is left.
    assert_eq!(suppress(&[7, 0]), [true, true]);
    assert_eq!(suppress(&[]), Vec::<bool>::new());
}

/// What anyone can derive about the hidden cells from the shown cells and
/// the total: their sum. For each hidden cell, every value from 0 to that
/// sum is possible exactly when at least two cells are hidden.
fn possible_values(counts: &[u64], hidden: &[bool], cell: usize) -> std::ops::RangeInclusive<u64> {
    let total: u64 = counts.iter().sum();
    let shown: u64 = counts
        .iter()
        .zip(hidden)
        .filter(|(_, h)| !**h)
        .map(|(n, _)| n)
        .sum();
    let rest = total - shown;
    let others_hidden = hidden
        .iter()
        .enumerate()
        .filter(|(i, h)| **h && *i != cell)
        .count();
    if others_hidden == 0 {
        rest..=rest
    } else {
        0..=rest
    }
}

proptest! {
    #[test]
    fn no_hidden_cell_can_be_recovered(counts in proptest::collection::vec(prop_oneof![0u64..=12, 0u64..200], 2..9)) {
        let hidden = suppress(&counts);
        let total: u64 = counts.iter().sum();
        for (i, &n) in counts.iter().enumerate() {
            if n > 0 && n < MIN_CELL {
                prop_assert!(hidden[i], "small cell {i} shown: {counts:?}");
            }
            if hidden[i] {
                let r = possible_values(&counts, &hidden, i);
                prop_assert!(r.start() != r.end(), "cell {i} of {counts:?} is derivable: {hidden:?}");
            }
        }
        let hidden_sum: u64 = counts.iter().zip(&hidden).filter(|(_, h)| **h).map(|(n, _)| n).sum();
        if hidden.contains(&true) && total >= MIN_CELL {
            prop_assert!(hidden_sum >= MIN_CELL, "{counts:?} → {hidden:?}");
        }
    }
}

fn two_items() -> [ItemCode; 2] {
    [
        ItemCode::parse("U1").unwrap(),
        ItemCode::parse("U2").unwrap(),
    ]
}

/// 40 women: 30 answering 4 and 4, ten 3 and 3.
fn women() -> Moments {
    let rows: Vec<_> = [(4, 4); 30].iter().chain(&[(3, 3); 10]).copied().collect();
    cell(&rows)
}

/// 25 men: 20 answering 2 and 3, five 3 and 2.
fn men() -> Moments {
    let rows: Vec<_> = [(2, 3); 20].iter().chain(&[(3, 2); 5]).copied().collect();
    cell(&rows)
}

fn cell(rows: &[(u8, u8)]) -> Moments {
    let mut m = Moments::new(2);
    for &(a, b) in rows {
        m.record(&[Score::new(a.into()).ok(), Score::new(b.into()).ok()]);
    }
    m
}

#[test]
fn breakdown_hides_small_groups_and_compares_with_the_largest() {
    let codes = two_items();
    let women = women();
    let men = men();
    let unstated = cell(&[(1, 1); 3]);
    let b = Breakdown::compute(
        Attribute::Sex,
        &codes,
        &[women, men, unstated],
        None,
        ScoringMethod::Permenpan2017,
        384,
    );
    let names: Vec<(&str, bool)> = b
        .groups
        .iter()
        .map(|g| (g.group.as_str(), g.suppressed))
        .collect();
    // "not-stated" (3) is small; men (25), the smaller of the rest, hide with it.
    assert_eq!(
        names,
        [("female", false), ("male", true), ("not-stated", true)]
    );
    assert!(b.groups[1].summary.is_none() && b.groups[2].summary.is_none());
    assert_eq!(b.groups[0].summary.as_ref().unwrap().n, 40);
    assert_eq!(b.reference.as_deref(), Some("female"));
    assert!(b.gaps.is_empty(), "no other shown group to compare");
}

#[test]
fn gaps_carry_welch_and_newcombe_intervals() {
    let codes = two_items();
    let women = women();
    let men = men();
    let b = Breakdown::compute(
        Attribute::Sex,
        &codes,
        &[women, men, Moments::new(2)],
        None,
        ScoringMethod::Permenpan2017,
        384,
    );
    assert!(b.groups.iter().all(|g| !g.suppressed));
    assert_eq!(b.reference.as_deref(), Some("female"));
    let g = &b.gaps[0];
    assert_eq!((g.group.as_str(), g.reference.as_str()), ("male", "female"));
    // Men: U1 mean 2.2, women 3.75: a clear gap, interval below zero.
    let u1 = g.items[0].nrr.unwrap();
    assert!((u1.estimate - (2.2 - 3.75)).abs() < 1e-12);
    assert!(u1.interval.high < 0.0, "{u1:?}");
    // Share satisfied on U1: 5/25 against 40/40.
    let share = g.items[0].satisfied_share.unwrap();
    assert!((share.estimate - (0.2 - 1.0)).abs() < 1e-12 && share.interval.high < 0.0);
    let index = g.index.unwrap();
    assert!(
        index.estimate < 0.0 && index.interval.high < 0.0,
        "{index:?}"
    );
}

#[test]
fn every_group_set_on_a_profile_reads_back_and_serialises_as_its_name() {
    for a in Attribute::ALL {
        for g in a.groups() {
            let mut r = Respondent::default();
            assert!(a.set(&mut r, g), "{a:?} {g}");
            assert_eq!(a.value_of(&r), Some(*g));
            let json = serde_json::to_value(r).unwrap();
            assert_eq!(json[a.as_str()], *g);
        }
        let mut r = Respondent::default();
        assert!(!a.set(&mut r, "no-such-group"));
        assert_eq!(r, Respondent::default());
    }
}
