//! Characterizing every log of `../shared/data/darshan-logs` (read, volumes, operations, time,
//! files, temporality, periodicity with its spectra) on one thread, and the summary over them on
//! all threads: `cargo bench -p impacts-io --bench characterize`. Results in docs/benchmarks.md;
//! nothing is asserted.

use std::path::PathBuf;
use std::time::Instant;

use impacts_darshan::Log;
use impacts_io::summary::find_logs;

fn best_and_median(mut f: impl FnMut() -> usize, runs: usize) -> (f64, f64, usize) {
    let mut n = f();
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        n = f();
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (times[0], times[runs / 2], n)
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/darshan-logs");
    if !dir.is_dir() {
        println!("notice: ../shared/data is absent: the benchmark needs the Darshan logs");
        return;
    }
    let paths: Vec<String> = find_logs(&dir)
        .expect("logs")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let (best, median, periodic) = best_and_median(
        || {
            paths
                .iter()
                .map(|p| impacts_io::characterize(&Log::read(p).expect("readable")))
                .filter(|r| {
                    r.periodicity.as_ref().is_some_and(|p| {
                        p.read.as_ref().is_some_and(|x| x.periodic)
                            || p.write.as_ref().is_some_and(|x| x.periodic)
                    })
                })
                .count()
        },
        20,
    );
    println!(
        "characterize, one thread: {} logs ({periodic} periodic); best {:.1} ms ({:.0} logs/s), median {:.1} ms",
        paths.len(),
        best * 1e3,
        paths.len() as f64 / best,
        median * 1e3
    );
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (best, median, n) = best_and_median(
        || {
            impacts_io::summarize_dir(&dir, threads)
                .expect("summary")
                .0
                .read
        },
        20,
    );
    println!(
        "summary, {threads} threads: {n} logs; best {:.1} ms ({:.0} logs/s), median {:.1} ms",
        best * 1e3,
        n as f64 / best,
        median * 1e3
    );
}
