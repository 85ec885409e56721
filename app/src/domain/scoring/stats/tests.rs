use super::*;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn t_quantiles_match_the_printed_tables() {
    // Two-sided 95% critical values as printed in any statistics table.
    for (df, t) in [
        (1.0, 12.7062),
        (2.0, 4.3027),
        (3.0, 3.1824),
        (5.0, 2.5706),
        (10.0, 2.2281),
        (28.0, 2.0484),
        (30.0, 2.0423),
        (100.0, 1.9840),
        (1000.0, 1.9623),
    ] {
        let got = t_975(df);
        assert!(close(got, t, 5e-5), "df {df}: {got} ≠ {t}");
    }
    assert!(close(t_975(f64::INFINITY), Z_975, 1e-12));
    // The quick ways agree with the exact one: the table, the expansion
    // above 50 (whole and fractional), the bisection below.
    for df in (1..=50).map(f64::from) {
        assert_eq!(t_975(df), t_975_exact(df), "df {df}");
    }
    for df in [50.5, 51.0, 64.0, 99.5, 120.0, 384.0, 1e3, 2.5e4, 1e6] {
        assert!(close(t_975(df), t_975_exact(df), 3e-9), "df {df}");
    }
    assert_eq!(t_975(7.25), t_975_exact(7.25));
    // Fractional df (Welch) lies between its neighbours.
    assert!(t_975(2.5) < t_975(2.0) && t_975(2.5) > t_975(3.0));
}

#[test]
fn wilson_matches_newcombes_published_values() {
    // Newcombe (1998), Statistics in Medicine 17:857–872, Table I, method 3.
    for (x, n, lo, hi) in [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ] {
        let w = wilson(x, n).unwrap();
        assert!(
            close(w.low, lo, 5e-5) && close(w.high, hi, 5e-5),
            "{x}/{n}: {w:?}"
        );
    }
    assert_eq!(wilson(0, 0), None);
    let all = wilson(20, 20).unwrap();
    assert!(close(all.high, 1.0, 1e-12) && close(all.low, 1.0 - 0.1611, 5e-5));
}

#[test]
fn newcombe_matches_his_published_difference_intervals() {
    // Newcombe (1998), Statistics in Medicine 17:873–890, Table II, method 10.
    for (x1, n1, x2, n2, lo, hi) in [
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (5, 56, 0, 29, -0.0381, 0.1926),
    ] {
        let d = newcombe(x1, n1, x2, n2).unwrap();
        assert!(
            close(d.interval.low, lo, 5e-5) && close(d.interval.high, hi, 5e-5),
            "{x1}/{n1} − {x2}/{n2}: {d:?}"
        );
    }
}

#[test]
fn welch_uses_satterthwaite_degrees_of_freedom() {
    // Group a: mean 3.2, variance 0.5, n 12; group b: mean 2.9, variance 0.9, n 20.
    let a = Estimate::mean(3.2, 0.5, 12).unwrap();
    let b = Estimate::mean(2.9, 0.9, 20).unwrap();
    let d = welch(a, b);
    let (va, vb): (f64, f64) = (0.5 / 12.0, 0.9 / 20.0);
    let df = (va + vb).powi(2) / (va * va / 11.0 + vb * vb / 19.0);
    assert!(close(df, 28.41, 0.01), "{df}");
    let half = t_975(df) * (va + vb).sqrt();
    assert!(close(d.estimate, 0.3, 1e-12));
    assert!(close(d.interval.high - d.estimate, half, 1e-12));
    assert!(
        d.interval.contains(0.0),
        "a gap of 0.3 at these sizes is not established"
    );
    // Equal groups with no spread: the difference is exact.
    let e = Estimate::mean(3.0, 0.0, 5).unwrap();
    assert_eq!(
        welch(e, e).interval,
        Interval {
            low: 0.0,
            high: 0.0
        }
    );
}

#[test]
fn t_interval_needs_two_observations() {
    assert_eq!(t_interval(3.0, 0.0, 1), None);
    let i = t_interval(3.0, 1.0, 29).unwrap();
    assert!(close(i.high - 3.0, 2.0484 / 29f64.sqrt(), 1e-4));
}
