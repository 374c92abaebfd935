//! Job throughput on one core: `cargo bench -p impacts --bench jobs`.
//!
//! 1. Point estimates of jobs on Jean Zay gpu_p6 (every output of the job graph: totals, phases,
//!    energies), each job with its own hours, node count and load.
//! 2. The same with 1,000 Monte Carlo samples per job and the 2.5th/97.5th percentiles of the
//!    three criteria.
//!
//! Results are recorded in docs/benchmarks.md. No timing is asserted here.

use std::hint::black_box;
use std::time::Instant;

use impacts::impacts_model::eval::{spread, MonteCarlo, Percentiles};
use impacts::impacts_model::rng::Rng;
use impacts::{CenterSource, Engine, JobEstimator};

fn jobs(n: usize) -> Vec<[f64; 4]> {
    let mut rng = Rng::seeded(1, "bench-jobs");
    (0..n)
        .map(|_| {
            let hours = 0.05 + rng.next_f64() * 48.0;
            let nodes = 1.0 + (rng.next_f64() * 16.0).floor();
            let load = 20.0 + rng.next_f64() * 80.0;
            [hours, nodes, load, load]
        })
        .collect()
}

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    let engine = Engine::new().expect("bundle");
    let center = engine
        .center(&CenterSource::Bundled("jean-zay".into()), "default", None)
        .expect("center");
    let partition = center.partition("gpu_p6").expect("gpu_p6");
    let t0 = Instant::now();
    let est =
        JobEstimator::new(&engine, &center, partition, None, "default", false).expect("estimator");
    let build = t0.elapsed();
    println!(
        "setup: Jean Zay gpu_p6 job graph, {} nodes, {} outputs, {} operations per job, compiled in {:.1} ms",
        est.model.graph.len(),
        est.outputs().len(),
        est.tape_len(),
        build.as_secs_f64() * 1e3
    );

    if wanted("point") {
        let input = jobs(1 << 16);
        let mut ev = est.evaluator();
        let mut out = vec![0.0; est.outputs().len()];
        let mut acc = 0.0;
        // Warm up, then run for about two seconds.
        for p in input.iter().take(10_000) {
            est.point(&mut ev, p, &mut out);
        }
        let mut n = 0usize;
        let t = Instant::now();
        while t.elapsed().as_secs_f64() < 2.0 {
            for p in &input {
                est.point(&mut ev, black_box(p), &mut out);
                acc += out[0];
            }
            n += input.len();
        }
        let s = t.elapsed().as_secs_f64();
        black_box(acc);
        println!(
            "point estimates: {:.0} jobs/s ({} jobs in {:.2} s, {:.0} ns per job, {} outputs each)",
            n as f64 / s,
            n,
            s,
            s * 1e9 / n as f64,
            out.len()
        );
    }

    if wanted("monte-carlo") {
        let samples = 1000;
        let graph = &est.model.graph;
        let totals = &est.outputs()[..est.criteria()];
        let t = Instant::now();
        let mc = MonteCarlo::new(graph, est.outputs(), samples, 0);
        let setup = t.elapsed();
        let mut scratch = mc.scratch();
        let input = jobs(4096);
        let mut ev = est.evaluator();
        let mut central = vec![0.0; est.outputs().len()];
        let mut buf = Vec::with_capacity(samples);
        let mut acc = 0.0;
        let mut n = 0usize;
        let t = Instant::now();
        while t.elapsed().as_secs_f64() < 3.0 {
            for p in &input {
                est.point(&mut ev, p, &mut central);
                mc.evaluate(&mut scratch, black_box(p));
                for (i, _) in totals.iter().enumerate() {
                    let sp = spread(
                        central[i],
                        mc.output(&scratch, i),
                        Percentiles::default(),
                        &mut buf,
                    );
                    acc += sp.low + sp.high;
                }
            }
            n += input.len();
        }
        let s = t.elapsed().as_secs_f64();
        black_box(acc);
        println!(
            "monte carlo ({samples} samples, all outputs sampled, bounds of 3 criteria): {:.0} jobs/s ({} jobs in {:.2} s, {:.1} µs per job; draws set up once in {:.1} ms)",
            n as f64 / s,
            n,
            s,
            s * 1e6 / n as f64,
            setup.as_secs_f64() * 1e3
        );
    }

    if wanted("report") {
        // A whole request as the command runs it: center loading, graph, 1,000 samples, report.
        let req = impacts::JobRequest {
            center: CenterSource::Bundled("jean-zay".into()),
            partition: "gpu_p6".into(),
            nodes: Some(4.0),
            hours: 12.0,
            load: Some(80.0),
            ..impacts::JobRequest::default()
        };
        for samples in [1000usize, 0]
            .into_iter()
            .filter(|s| std::env::var_os("BENCH_SAMPLES_0").is_none() || *s == 0)
        {
            let opts = impacts::Options {
                samples,
                ..impacts::Options::default()
            };
            let mut n = 0;
            let t = Instant::now();
            while t.elapsed().as_secs_f64() < 2.0 {
                let r = engine.job(&req, &opts).expect("job");
                black_box(serde_json::to_string_pretty(&r).expect("json"));
                n += 1;
            }
            let s = t.elapsed().as_secs_f64();
            println!(
                "one full request (bundled center, model, {samples} samples, report as JSON): {:.1} µs",
                s * 1e6 / n as f64
            );
        }
    }
}
