//! How many responses a figure needs before it stops being provisional.

/// The sample target when a unit's yearly service volume is unknown, as SKM
/// practice uses (Krejcie–Morgan's table for a large population).
pub const UNKNOWN_POPULATION_TARGET: u64 = 384;

/// Krejcie & Morgan (1970): s = χ²NP(1−P) / (d²(N−1) + χ²P(1−P)) with
/// χ² = 3.841, P = 0.5, d = 0.05, rounded to the nearest whole response as
/// their published table is (N = 500: 217.47 → 217, as printed there);
/// 384 when N is unknown.
pub fn sample_target(population: Option<u64>) -> u64 {
    let Some(n) = population else {
        return UNKNOWN_POPULATION_TARGET;
    };
    if n == 0 {
        return 0;
    }
    const CHI2: f64 = 3.841;
    const PQ: f64 = 0.25;
    const D2: f64 = 0.0025;
    let nf = n as f64;
    let s = CHI2 * nf * PQ / (D2 * (nf - 1.0) + CHI2 * PQ);
    (s.round() as u64).min(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn krejcie_morgan_table_values() {
        for (n, s) in [
            (10, 10),
            (100, 80),
            (500, 217),
            (1_000, 278),
            (10_000, 370),
            (100_000, 383),
            (1_000_000, 384),
        ] {
            assert_eq!(sample_target(Some(n)), s, "N = {n}");
        }
        assert_eq!(sample_target(None), 384);
        assert_eq!(sample_target(Some(0)), 0);
        assert_eq!(sample_target(Some(1)), 1);
    }

    proptest! {
        #[test]
        fn target_never_exceeds_population_nor_384(n in 1u64..10_000_000) {
            let s = sample_target(Some(n));
            prop_assert!(s <= n && s <= 384);
            prop_assert!(sample_target(Some(n + 1)) >= s);
        }
    }
}
