//! The bounds of one output (docs/benchmarks.md, "The Python package"): `spread` of 1,000 draws
//! (mean, deviation and the 2.5th and 97.5th percentiles), against two plain selections of the
//! same percentiles, on draws in random order and sorted.
//!
//!     cargo bench -p impacts-model --bench quantiles

use std::hint::black_box;
use std::time::Instant;

use impacts_model::eval::{quantile_in_place, quantiles, spread, Percentiles};
use impacts_model::rng::Rng;

fn per_call(name: &str, mut f: impl FnMut() -> f64) {
    let n = 20_000;
    black_box(f());
    let start = Instant::now();
    let mut acc = 0.0;
    for _ in 0..n {
        acc += f();
    }
    black_box(acc);
    println!(
        "{name}: {:.2} µs per call",
        start.elapsed().as_secs_f64() / f64::from(n) * 1e6
    );
}

fn main() {
    let mut rng = Rng::seeded(7, "bench");
    let random: Vec<f64> = (0..1000).map(|_| rng.next_f64() * 100.0).collect();
    let mut sorted = random.clone();
    sorted.sort_by(f64::total_cmp);
    for (order, draws) in [("random", &random), ("sorted", &sorted)] {
        let mut buf = Vec::new();
        per_call(&format!("{order}: two plain selections"), || {
            buf.clear();
            buf.extend_from_slice(draws);
            quantile_in_place(&mut buf, 0.025) + quantile_in_place(&mut buf, 0.975)
        });
        per_call(&format!("{order}: quantiles (tails)"), || {
            let (lo, hi) = quantiles(draws, 0.025, 0.975, &mut buf);
            lo + hi
        });
        per_call(
            &format!("{order}: spread (with mean and deviation)"),
            || spread(50.0, draws, Percentiles::default(), &mut buf).low,
        );
    }
}
