//! Reading ReFrame's outputs and checking them: a ReFrame 4 perflog of 100,000 runs (two
//! variables each, ARCHER2's columns), the same runs as ReFrame 3 lines, and `check` over them:
//! `cargo bench -p impacts-bench --bench read`. Synthetic and seeded (a linear congruential
//! generator), so that the figure is the same on every machine's copy. With
//! `IMPACTS_BENCH_PERFLOG=PATH` the ReFrame 4 perflog is also written to PATH (for timing
//! `impacts bench report PATH`). Results in docs/benchmarks.md; nothing is asserted.

use std::fmt::Write as _;
use std::time::Instant;

use impacts_bench::{check, read_text, Warnings};

const RUNS: usize = 100_000;

/// A value in [0, 1) from a 64-bit LCG.
fn next(state: &mut u64) -> f64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (*state >> 11) as f64 / (1u64 << 53) as f64
}

fn v4() -> String {
    let mut s = String::from("job_completion_time|version|info|jobid|num_tasks|num_cpus_per_task|num_tasks_per_node|num_gpus_per_node|flops_value|flops_unit|flops_ref|flops_lower_thres|flops_upper_thres|time_value|time_unit|time_ref|time_lower_thres|time_upper_thres|spack_spec|display_name|system|partition|environ|extra_resources|env_vars|tags\n");
    let mut st = 7;
    for i in 0..RUNS {
        let t = 1 << (i % 5);
        let _ = writeln!(
            s,
            "2024-{:02}-{:02}T{:02}:00:00+00:00|reframe 4.6.0|App{} %tasks={t} /abc @sys:part{}+env|{}|{t}|1|{t}|null|{:.4}|Gflops/seconds|50|-0.5|None|{:.3}|s|15|-0.5|0.5|spec@1|App{} %tasks={t}|sys|part{}|env|{{}}|{{\"OMP_NUM_THREADS\": \"1\"}}|tag1",
            1 + i % 12, 1 + i % 28, i % 24, i % 50, i % 4, 4_000_000 + i,
            1.0 + 99.0 * next(&mut st), 10.0 + 10.0 * next(&mut st), i % 50, i % 4
        );
    }
    s
}

fn v3() -> String {
    let mut s = String::new();
    let mut st = 11;
    for i in 0..RUNS {
        for (var, unit) in [("flops", "Gflops/s"), ("time", "s")] {
            let _ = writeln!(
                s,
                "2024-{:02}-{:02}T{:02}:00:00+00:00|reframe 3.12.0|App{}_{} on sys:part{} using env|jobid={}|{var}={:.4}|{unit}|ref=0 (l=None, u=None)|num_procs={},num_nodes={}",
                1 + i % 12, 1 + i % 28, i % 24, i % 50, 1 << (i % 5), i % 4, 4_000_000 + i,
                100.0 * next(&mut st), 56 << (i % 5), 1 << (i % 5)
            );
        }
    }
    s
}

/// The best of five: seconds.
fn best<T>(mut f: impl FnMut() -> T) -> (f64, T) {
    let mut out = None;
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (best, out.expect("five runs"))
}

fn main() {
    let v4 = v4();
    // The same perflog for timing the command (`impacts bench report FILE`).
    if let Ok(path) = std::env::var("IMPACTS_BENCH_PERFLOG") {
        std::fs::write(&path, &v4).expect("writable");
        println!("wrote {path}");
    }
    for (what, text) in [("ReFrame 4 perflog", v4), ("ReFrame 3 perflog", v3())] {
        let (secs, runs) =
            best(|| read_text("bench.log", &text, &mut Warnings::default()).expect("readable"));
        let mb = text.len() as f64 / 1e6;
        println!(
            "{what}: {} runs, {:.1} MB read in {:.3} s: {:.0} MB/s, {:.0} runs/s",
            runs.len(),
            mb,
            secs,
            mb / secs,
            runs.len() as f64 / secs
        );
        let (secs, outcome) = best(|| {
            check::check(
                &runs,
                &check::Options {
                    every_run: true,
                    ..check::Options::default()
                },
            )
        });
        println!(
            "  check, every run against its history: {:.3} s ({} values, {} flagged)",
            secs,
            outcome.checked,
            outcome.flags.len()
        );
    }
}
