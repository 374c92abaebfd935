//! Reading every log of `../shared/data/darshan-logs`: header, job, command line, mounts, names and
//! every record of POSIX, MPI-IO, STDIO, DXT_POSIX, DXT_MPIIO and HEATMAP, from the files:
//! `cargo bench -p impacts-darshan --bench read`. The official reader on the same work:
//! `benches/pydarshan_read.py`. Results in docs/benchmarks.md; nothing is asserted.

use std::path::{Path, PathBuf};
use std::time::Instant;

use impacts_darshan::{id, Log};

fn logs(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("folder") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "darshan") {
                out.push(p.to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

fn read_all(paths: &[String]) -> usize {
    let mut records = 0;
    for p in paths {
        let log = Log::read(p).expect("readable");
        for m in &log.modules {
            if matches!(
                m.id,
                id::POSIX | id::MPIIO | id::STDIO | id::DXT_POSIX | id::DXT_MPIIO | id::HEATMAP
            ) {
                records += log.records(m).expect("records").len();
            }
        }
    }
    records
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/darshan-logs");
    if !dir.is_dir() {
        println!("notice: ../shared/data is absent: the benchmark needs the Darshan logs");
        return;
    }
    let paths = logs(&dir);
    let size: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    read_all(&paths);
    let mut times = Vec::new();
    let mut n = 0;
    for _ in 0..20 {
        let t = Instant::now();
        n = read_all(&paths);
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "impacts-darshan: {} logs, {:.2} MB, {n} records; best {:.1} ms ({:.0} logs/s), median {:.1} ms",
        paths.len(),
        size as f64 / 1e6,
        times[0] * 1e3,
        paths.len() as f64 / times[0],
        times[10] * 1e3
    );
}
