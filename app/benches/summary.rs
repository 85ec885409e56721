//! Computing a summary of 1,000,000 responses to the nine SKM items: the
//! moments (per item distribution and per pair co-moments, what the index's
//! interval needs) and the figures from them.
//!
//! Baseline in the same run: a per-item sum and count (what a spreadsheet
//! computes for NRR alone), so the ratio shows what the intervals cost.
//!
//!     cargo bench -p app --features ssr --bench summary

use app::domain::scoring::{sample_target, Moments, Summary};
use app::domain::{ItemCode, Score, ScoringMethod};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use std::time::Instant;

const RESPONSES: usize = 1_000_000;
const ITEMS: usize = 9;

/// Reproducible responses: a respondent's mood plus noise, one skip in twenty.
fn responses() -> Vec<[Option<Score>; ITEMS]> {
    let mut state = 0x5EED_u64;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    (0..RESPONSES)
        .map(|_| {
            let mood = (next() % 4) as i64;
            std::array::from_fn(|_| {
                if next().is_multiple_of(20) {
                    None
                } else {
                    Score::new((mood + (next() % 3) as i64 - 1).clamp(0, 3) + 1).ok()
                }
            })
        })
        .collect()
}

fn full_summary(rows: &[[Option<Score>; ITEMS]], codes: &[ItemCode]) -> Summary {
    let mut m = Moments::new(ITEMS);
    for r in rows {
        m.record(r);
    }
    Summary::compute(codes, &m, ScoringMethod::Permenpan2017, sample_target(None))
}

fn nrr_only(rows: &[[Option<Score>; ITEMS]]) -> [f64; ITEMS] {
    let mut sum = [0u64; ITEMS];
    let mut n = [0u64; ITEMS];
    for r in rows {
        for (i, s) in r.iter().enumerate() {
            if let Some(s) = s {
                sum[i] += u64::from(s.get());
                n[i] += 1;
            }
        }
    }
    std::array::from_fn(|i| sum[i] as f64 / n[i] as f64)
}

fn bench(c: &mut Criterion) {
    let rows = responses();
    let codes: Vec<ItemCode> = (1..=ITEMS)
        .map(|i| ItemCode::parse(&format!("U{i}")).unwrap())
        .collect();

    // The ratio, measured here so that it compares like with like.
    let time = |f: &dyn Fn()| {
        (0..5)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let base = time(&|| {
        black_box(nrr_only(black_box(&rows)));
    });
    let full = time(&|| {
        black_box(full_summary(black_box(&rows), &codes));
    });
    let s = full_summary(&rows, &codes);
    println!(
        "summary of {RESPONSES} responses: {:.1} ms ({:.1} M responses/s); NRR-only baseline {:.1} ms; ratio {:.2}× (index {:?}, interval {:?})",
        full * 1e3,
        RESPONSES as f64 / full / 1e6,
        base * 1e3,
        full / base,
        s.index,
        s.index_interval,
    );

    let mut g = c.benchmark_group("summary");
    g.throughput(Throughput::Elements(RESPONSES as u64));
    g.sample_size(10);
    g.bench_function("nrr_only_baseline_1m", |b| {
        b.iter(|| nrr_only(black_box(&rows)))
    });
    g.bench_function("full_summary_1m", |b| {
        b.iter(|| full_summary(black_box(&rows), &codes))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
