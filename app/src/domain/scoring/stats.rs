//! The interval arithmetic behind every figure: Student's t, Wilson,
//! Newcombe and Welch. Pure functions of counts and moments, 95% level.

use serde::{Deserialize, Serialize};

/// The 97.5th percentile of the standard normal distribution.
pub const Z_975: f64 = 1.959_963_984_540_054;

/// A closed interval of a figure, `low ≤ high`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    pub fn around(estimate: f64, half_width: f64) -> Self {
        Self {
            low: estimate - half_width,
            high: estimate + half_width,
        }
    }

    /// Within `[min, max]`: a mean of 1–4 scores cannot leave the scale,
    /// whatever its normal approximation says.
    pub fn clamp(self, min: f64, max: f64) -> Self {
        Self {
            low: self.low.clamp(min, max),
            high: self.high.clamp(min, max),
        }
    }

    pub fn contains(self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// A difference between two groups (first minus second) and its interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Difference {
    pub estimate: f64,
    pub interval: Interval,
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, nine terms; relative error < 1e-13).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let a = C[1..]
        .iter()
        .enumerate()
        .fold(C[0], |acc, (i, c)| acc + c / (x + i as f64 + 1.0));
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The continued fraction of the incomplete beta function (modified Lentz).
fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..1000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// The regularised incomplete beta function I_x(a, b).
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

/// P(|T| > t) for Student's t with `df` degrees of freedom.
fn t_two_tailed(t: f64, df: f64) -> f64 {
    incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
}

/// [`t_975_exact`] of 1 to 50 degrees of freedom (a test recomputes them).
const T_975_SMALL: [f64; 50] = [
    12.706204736174705,
    4.302652729749466,
    3.182446305283711,
    2.776445105197797,
    2.5705818356363164,
    2.4469118511449706,
    2.364624251592784,
    2.3060041352041667,
    2.2621571627982053,
    2.2281388519862766,
    2.2009851600916415,
    2.1788128296672307,
    2.1603686564627917,
    2.1447866879178026,
    2.1314495455597777,
    2.119905299221254,
    2.1098155778333174,
    2.1009220402410387,
    2.0930240544083105,
    2.085963447265864,
    2.07961384472768,
    2.0738730679040263,
    2.0686576104190477,
    2.063898561628025,
    2.0595385527532963,
    2.055529438642875,
    2.051830516480287,
    2.0484071417952476,
    2.0452296421327034,
    2.042272456301241,
    2.0395134463964046,
    2.0369333434601016,
    2.0345152974493406,
    2.0322445093177226,
    2.0301079282503407,
    2.0280940009804445,
    2.026192463029111,
    2.0243941639119685,
    2.022690920036762,
    2.0210753903062697,
    2.01954097044138,
    2.0180817028184412,
    2.016692199227821,
    2.015367574443765,
    2.014103388880847,
    2.012895598919429,
    2.0117405137297677,
    2.010634757624236,
    2.0095752371292317,
    2.008559112100766,
];

/// The 97.5th percentile of Student's t with `df` degrees of freedom (at
/// least 1; Welch's fractional degrees of freedom are welcome). Every
/// interval of every period of a series needs one, so the common cases are
/// quick: whole df up to 50 from a table, above 50 from the Cornish–Fisher
/// expansion (Abramowitz & Stegun 26.7.5, within 3e-9 of the exact value
/// there), anything else by [`t_975_exact`].
pub fn t_975(df: f64) -> f64 {
    let df = if df.is_finite() { df.max(1.0) } else { 1e9 };
    if df > 1e7 {
        return Z_975;
    }
    if df > 50.0 {
        let (x, v) = (Z_975, df);
        let (x2, x3) = (x * x, x * x * x);
        let (x5, x7, x9) = (x3 * x2, x3 * x2 * x2, x3 * x3 * x3);
        let g1 = (x3 + x) / 4.0;
        let g2 = (5.0 * x5 + 16.0 * x3 + 3.0 * x) / 96.0;
        let g3 = (3.0 * x7 + 19.0 * x5 + 17.0 * x3 - 15.0 * x) / 384.0;
        let g4 = (79.0 * x9 + 776.0 * x7 + 1482.0 * x5 - 1920.0 * x3 - 945.0 * x) / 92160.0;
        return x + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v);
    }
    if df.fract() == 0.0 {
        return T_975_SMALL[df as usize - 1];
    }
    t_975_exact(df)
}

/// [`t_975`] by bisection on the t distribution's tail probability.
pub fn t_975_exact(df: f64) -> f64 {
    let df = if df.is_finite() { df.max(1.0) } else { 1e9 };
    if df > 1e7 {
        return Z_975;
    }
    // P(|T| > t) falls as t grows: bisect for 0.05 between z and a bound
    // past the df = 1 value (12.71).
    let (mut lo, mut hi) = (Z_975, 20.0);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if t_two_tailed(mid, df) > 0.05 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Sample mean and variance (n − 1 in the denominator) from n, Σx and Σx².
pub fn mean_variance(n: u64, sum: f64, sum_sq: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let mean = sum / nf;
    let var = if n > 1 {
        ((sum_sq - sum * mean) / (nf - 1.0)).max(0.0)
    } else {
        0.0
    };
    Some((mean, var))
}

/// The t-interval of a mean from `n` observations with sample variance `var`;
/// none below two observations.
pub fn t_interval(mean: f64, var: f64, n: u64) -> Option<Interval> {
    (n >= 2).then(|| Interval::around(mean, t_975((n - 1) as f64) * (var / n as f64).sqrt()))
}

/// Wilson's score interval of the share `successes / n`; none when n = 0.
pub fn wilson(successes: u64, n: u64) -> Option<Interval> {
    if n == 0 {
        return None;
    }
    let (nf, z2) = (n as f64, Z_975 * Z_975);
    let p = successes as f64 / nf;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = Z_975 / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    Some(Interval::around(centre, half).clamp(0.0, 1.0))
}

/// Newcombe's hybrid score interval (his method 10) for the difference of two
/// shares, `x1/n1 − x2/n2`; none when either group is empty.
pub fn newcombe(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<Difference> {
    let (w1, w2) = (wilson(x1, n1)?, wilson(x2, n2)?);
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let d = p1 - p2;
    let below = ((p1 - w1.low).powi(2) + (w2.high - p2).powi(2)).sqrt();
    let above = ((w1.high - p1).powi(2) + (p2 - w2.low).powi(2)).sqrt();
    Some(Difference {
        estimate: d,
        interval: Interval {
            low: d - below,
            high: d + above,
        },
    })
}

/// An estimate with its squared standard error and degrees of freedom: what
/// Welch's interval needs of each group.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub value: f64,
    /// The variance of the estimate (not of the observations).
    pub variance: f64,
    pub df: f64,
}

impl Estimate {
    /// The mean of `n` observations with sample variance `var`.
    pub fn mean(mean: f64, var: f64, n: u64) -> Option<Self> {
        (n >= 2).then(|| Self {
            value: mean,
            variance: var / n as f64,
            df: (n - 1) as f64,
        })
    }

    pub fn interval(self) -> Interval {
        Interval::around(self.value, t_975(self.df) * self.variance.sqrt())
    }
}

/// Welch's interval for `a − b` of two independent estimates, with the
/// Welch–Satterthwaite degrees of freedom.
pub fn welch(a: Estimate, b: Estimate) -> Difference {
    let d = a.value - b.value;
    let v = a.variance + b.variance;
    let half = if v > 0.0 {
        let df = v * v / (a.variance.powi(2) / a.df + b.variance.powi(2) / b.df);
        t_975(df) * v.sqrt()
    } else {
        0.0
    };
    Difference {
        estimate: d,
        interval: Interval::around(d, half),
    }
}

#[cfg(test)]
mod tests;
