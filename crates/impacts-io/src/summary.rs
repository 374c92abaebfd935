//! A population of logs (docs/io.md, "Summary"): how many jobs are periodic, write only at the
//! end, share files; how much they move; how much of their time goes to I/O.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use impacts_darshan::Log;
use serde::Serialize;

use crate::characterize::{characterize, IoReport};

/// A log that could not be read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Failure {
    /// The file.
    pub file: String,
    /// Why.
    pub error: String,
}

/// Quantiles of a quantity over jobs.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Quantiles {
    /// Smallest.
    pub min: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub median: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Largest.
    pub max: f64,
    /// Sum over jobs.
    pub total: f64,
}

impl Quantiles {
    /// Quantiles of `v` (linear interpolation between order statistics).
    pub fn of(v: &[f64]) -> Quantiles {
        if v.is_empty() {
            return Quantiles::default();
        }
        let mut s = v.to_vec();
        s.sort_by(f64::total_cmp);
        let q = |p: f64| {
            let x = p * (s.len() - 1) as f64;
            let (i, f) = (x.floor() as usize, x - x.floor());
            if i + 1 < s.len() {
                s[i] + f * (s[i + 1] - s[i])
            } else {
                s[i]
            }
        };
        Quantiles {
            min: s[0],
            p25: q(0.25),
            median: q(0.5),
            p75: q(0.75),
            p90: q(0.9),
            max: s[s.len() - 1],
            total: s.iter().sum(),
        }
    }
}

/// Labels of the volume decades.
pub const DECADES: [&str; 5] = ["0", "< 1 MB", "1 MB – 1 GB", "1 GB – 1 TB", "≥ 1 TB"];

fn decade(bytes: f64) -> usize {
    match bytes {
        b if b <= 0.0 => 0,
        b if b < 1e6 => 1,
        b if b < 1e9 => 2,
        b if b < 1e12 => 3,
        _ => 4,
    }
}

/// A volume over jobs.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Volume {
    /// Quantiles (bytes).
    pub quantiles: Quantiles,
    /// Jobs per decade ([`DECADES`]).
    pub decades: [usize; 5],
}

/// Periodic jobs in one direction.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PeriodicCount {
    /// Jobs whose periodicity was assessed (a DXT trace or a heatmap, enough transfers).
    pub assessed: usize,
    /// Of those, periodic.
    pub periodic: usize,
}

/// The summary of a population of logs.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Where the logs were found.
    pub folder: String,
    /// Logs found.
    pub logs: usize,
    /// Logs read.
    pub read: usize,
    /// Logs not read, with the reason.
    pub failures: Vec<Failure>,
    /// Jobs with a periodic read pattern.
    pub periodic_read: PeriodicCount,
    /// Jobs with a periodic write pattern.
    pub periodic_write: PeriodicCount,
    /// Jobs periodic in either direction.
    pub periodic_any: usize,
    /// Jobs whose writes are at the end of the run (temporality `end`).
    pub end_only_writers: usize,
    /// Jobs whose reads are at the start (temporality `start`).
    pub start_only_readers: usize,
    /// Jobs that accessed a file from several ranks.
    pub shared_file_jobs: usize,
    /// Jobs with no POSIX or STDIO bytes.
    pub without_io: usize,
    /// Jobs that used MPI-IO.
    pub mpi_io_jobs: usize,
    /// Of those, jobs with collective reads or writes.
    pub collective_io_jobs: usize,
    /// Temporality classes of reads: class → jobs.
    pub read_temporality: BTreeMap<String, usize>,
    /// Temporality classes of writes.
    pub write_temporality: BTreeMap<String, usize>,
    /// Timeline sources: source → jobs (`none` when nothing moved).
    pub timeline_sources: BTreeMap<String, usize>,
    /// Bytes read per job.
    pub bytes_read: Volume,
    /// Bytes written per job.
    pub bytes_written: Volume,
    /// The slowest rank's I/O time over the run time, per job.
    pub io_share: Quantiles,
    /// Run time per job (s).
    pub run_time: Quantiles,
    /// Warnings met, by code: code → logs.
    pub warnings: BTreeMap<String, usize>,
}

/// Adds the jobs of `reports` and the `failures` to a summary.
pub fn summarize(folder: &str, reports: &[IoReport], failures: Vec<Failure>) -> Summary {
    let mut s = Summary {
        folder: folder.into(),
        logs: reports.len() + failures.len(),
        read: reports.len(),
        failures,
        ..Summary::default()
    };
    let (mut br, mut bw, mut share, mut run) = (vec![], vec![], vec![], vec![]);
    for r in reports {
        let (rd, wr) = (r.bytes_read.max(0) as f64, r.bytes_written.max(0) as f64);
        br.push(rd);
        bw.push(wr);
        s.bytes_read.decades[decade(rd)] += 1;
        s.bytes_written.decades[decade(wr)] += 1;
        share.push(r.time.io_share);
        run.push(r.job.run_time);
        if rd <= 0.0 && wr <= 0.0 {
            s.without_io += 1;
        }
        if r.files.shared > 0 {
            s.shared_file_jobs += 1;
        }
        if let Some(m) = &r.mpi_io {
            s.mpi_io_jobs += 1;
            s.collective_io_jobs += usize::from(m.collective_reads + m.collective_writes > 0);
        }
        if let Some(t) = &r.temporality {
            *s.read_temporality.entry(t.read.class.clone()).or_default() += 1;
            *s.write_temporality
                .entry(t.write.class.clone())
                .or_default() += 1;
            *s.timeline_sources
                .entry(t.source.as_str().to_string())
                .or_default() += 1;
            s.end_only_writers += usize::from(t.write.class == "end");
            s.start_only_readers += usize::from(t.read.class == "start");
        } else {
            // No timeline: nothing moved, or no timestamps to place what moved.
            let class = |b: f64| if b > 0.0 { "unknown" } else { "none" };
            *s.read_temporality.entry(class(rd).into()).or_default() += 1;
            *s.write_temporality.entry(class(wr).into()).or_default() += 1;
            *s.timeline_sources.entry("none".into()).or_default() += 1;
        }
        if let Some(p) = &r.periodicity {
            let mut any = false;
            for (dir, count) in [
                (&p.read, &mut s.periodic_read),
                (&p.write, &mut s.periodic_write),
            ] {
                if let Some(d) = dir {
                    if d.verdict == "periodic" || d.verdict.starts_with("not periodic") {
                        count.assessed += 1;
                    }
                    if d.periodic {
                        count.periodic += 1;
                        any = true;
                    }
                }
            }
            s.periodic_any += usize::from(any);
        }
        let mut codes: Vec<&str> = r.warnings.iter().map(|w| w.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        for c in codes {
            *s.warnings.entry(c.to_string()).or_default() += 1;
        }
    }
    s.bytes_read.quantiles = Quantiles::of(&br);
    s.bytes_written.quantiles = Quantiles::of(&bw);
    s.io_share = Quantiles::of(&share);
    s.run_time = Quantiles::of(&run);
    s
}

/// Every `*.darshan` file under `dir`, recursively, sorted.
pub fn find_logs(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "darshan") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads and characterizes every log under `dir` on `threads` threads, then summarizes them.
/// The reports come back in the files' order.
pub fn summarize_dir(dir: &Path, threads: usize) -> std::io::Result<(Summary, Vec<IoReport>)> {
    let files = find_logs(dir)?;
    let threads = threads.clamp(1, 64).min(files.len().max(1));
    // Each thread takes the next log when done with one: logs differ a lot in cost.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let read = |p: &PathBuf| {
        let f = p.to_string_lossy().into_owned();
        Log::read(&f)
            .map(|l| characterize(&l))
            .map_err(|e| Failure {
                file: f,
                error: e.to_string(),
            })
    };
    let mut indexed: Vec<(usize, Result<IoReport, Failure>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(p) = files.get(i) else { break };
                        out.push((i, read(p)));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    indexed.sort_by_key(|(i, _)| *i);
    let results = indexed.into_iter().map(|(_, r)| r);
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    for r in results {
        match r {
            Ok(r) => reports.push(r),
            Err(f) => failures.push(f),
        }
    }
    let summary = summarize(&dir.to_string_lossy(), &reports, failures);
    Ok((summary, reports))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        // 1..=5: quartiles at 2 and 4, median 3, 90th at 4.6 (by hand).
        let q = Quantiles::of(&[5.0, 1.0, 3.0, 2.0, 4.0]);
        assert_eq!(
            (q.min, q.p25, q.median, q.p75, q.max, q.total),
            (1.0, 2.0, 3.0, 4.0, 5.0, 15.0)
        );
        assert!((q.p90 - 4.6).abs() < 1e-12);
        assert_eq!(Quantiles::of(&[]), Quantiles::default());
    }

    #[test]
    fn volumes_fall_in_their_decades() {
        assert_eq!(
            [0.0, 999_999.0, 1e6, 5e11, 1e12].map(decade),
            [0, 1, 2, 3, 4]
        );
    }
}
