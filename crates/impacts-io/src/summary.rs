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
    /// Quantiles of `v` (linear interpolation between order statistics); `None` for no value.
    pub fn of(v: &[f64]) -> Option<Quantiles> {
        if v.is_empty() {
            return None;
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
        Some(Quantiles {
            min: s[0],
            p25: q(0.25),
            median: q(0.5),
            p75: q(0.75),
            p90: q(0.9),
            max: s[s.len() - 1],
            total: s.iter().sum(),
        })
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
    /// Quantiles (bytes); absent when no log was read.
    pub quantiles: Option<Quantiles>,
    /// Jobs per decade ([`DECADES`]).
    pub decades: [usize; 5],
}

/// What the jobs moved on one file system.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FileSystemTotal {
    /// Mount point (or group).
    pub mount: String,
    /// Type (`lustre`, `gpfs`, …; empty for the standard streams and unmounted paths).
    pub fs_type: String,
    /// Jobs with bytes there.
    pub jobs: usize,
    /// Bytes read, over the jobs.
    pub bytes_read: f64,
    /// Bytes written.
    pub bytes_written: f64,
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
    pub io_share: Option<Quantiles>,
    /// Run time per job (s).
    pub run_time: Option<Quantiles>,
    /// Warnings met, by code: code → logs.
    pub warnings: BTreeMap<String, usize>,
    /// Per file system (`mount (type)`): jobs and bytes.
    pub file_systems: BTreeMap<String, FileSystemTotal>,
}

/// Folds logs into a summary one at a time: what it keeps per log is four numbers (for the
/// quantiles), so a year of logs fits in memory.
#[derive(Clone, Debug, Default)]
pub struct Accumulator {
    s: Summary,
    bytes_read: Vec<f64>,
    bytes_written: Vec<f64>,
    io_share: Vec<f64>,
    run_time: Vec<f64>,
}

impl Accumulator {
    /// An empty summary of the logs under `folder`.
    pub fn new(folder: &str) -> Accumulator {
        Accumulator {
            s: Summary {
                folder: folder.into(),
                ..Summary::default()
            },
            ..Accumulator::default()
        }
    }

    /// Adds a log that could not be read.
    pub fn fail(&mut self, f: Failure) {
        self.s.logs += 1;
        self.s.failures.push(f);
    }

    /// Adds a log's characterization.
    pub fn add(&mut self, r: &IoReport) {
        self.s.logs += 1;
        self.s.read += 1;
        let (rd, wr) = (r.bytes_read.max(0) as f64, r.bytes_written.max(0) as f64);
        self.bytes_read.push(rd);
        self.bytes_written.push(wr);
        self.s.bytes_read.decades[decade(rd)] += 1;
        self.s.bytes_written.decades[decade(wr)] += 1;
        self.io_share.push(r.time.io_share);
        self.run_time.push(r.job.run_time);
        if rd <= 0.0 && wr <= 0.0 {
            self.s.without_io += 1;
        }
        if r.files.shared > 0 {
            self.s.shared_file_jobs += 1;
        }
        if let Some(m) = &r.mpi_io {
            self.s.mpi_io_jobs += 1;
            self.s.collective_io_jobs +=
                usize::from(m.collective_reads > 0 || m.collective_writes > 0);
        }
        if let Some(t) = &r.temporality {
            *self
                .s
                .read_temporality
                .entry(t.read.class.clone())
                .or_default() += 1;
            *self
                .s
                .write_temporality
                .entry(t.write.class.clone())
                .or_default() += 1;
            *self
                .s
                .timeline_sources
                .entry(t.source.as_str().to_string())
                .or_default() += 1;
            self.s.end_only_writers += usize::from(t.write.class == "end");
            self.s.start_only_readers += usize::from(t.read.class == "start");
        } else {
            // No timeline: nothing moved, or no timestamps to place what moved.
            let class = |b: f64| if b > 0.0 { "unknown" } else { "none" };
            *self.s.read_temporality.entry(class(rd).into()).or_default() += 1;
            *self
                .s
                .write_temporality
                .entry(class(wr).into())
                .or_default() += 1;
            *self.s.timeline_sources.entry("none".into()).or_default() += 1;
        }
        if let Some(p) = &r.periodicity {
            let mut any = false;
            for (dir, count) in [
                (&p.read, &mut self.s.periodic_read),
                (&p.write, &mut self.s.periodic_write),
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
            self.s.periodic_any += usize::from(any);
        }
        for fs in &r.file_systems {
            if fs.bytes_read <= 0 && fs.bytes_written <= 0 {
                continue;
            }
            // The same mount point is a different file system on another machine.
            let key = if fs.fs_type.is_empty() {
                fs.mount.clone()
            } else {
                format!("{} ({})", fs.mount, fs.fs_type)
            };
            let t = self.s.file_systems.entry(key).or_default();
            t.mount.clone_from(&fs.mount);
            t.fs_type.clone_from(&fs.fs_type);
            t.jobs += 1;
            t.bytes_read += fs.bytes_read.max(0) as f64;
            t.bytes_written += fs.bytes_written.max(0) as f64;
        }
        let mut codes: Vec<&str> = r.warnings.iter().map(|w| w.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        for c in codes {
            *self.s.warnings.entry(c.to_string()).or_default() += 1;
        }
    }

    /// The summary.
    pub fn finish(mut self) -> Summary {
        self.s.bytes_read.quantiles = Quantiles::of(&self.bytes_read);
        self.s.bytes_written.quantiles = Quantiles::of(&self.bytes_written);
        self.s.io_share = Quantiles::of(&self.io_share);
        self.s.run_time = Quantiles::of(&self.run_time);
        self.s
    }
}

/// The summary of `reports` and `failures`.
pub fn summarize(folder: &str, reports: &[IoReport], failures: Vec<Failure>) -> Summary {
    let mut a = Accumulator::new(folder);
    for r in reports {
        a.add(r);
    }
    for f in failures {
        a.fail(f);
    }
    a.finish()
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

/// Logs a worker may read ahead of the oldest one not yet handed over, per thread: bounds the
/// memory held by results waiting for their turn.
const AHEAD_PER_THREAD: usize = 64;

/// Reads and characterizes every log under `dir` on `threads` threads and hands each result
/// to `f` in the files' order (sorted paths), on the calling thread. Each worker takes the next
/// log when done with one (logs differ a lot in cost), but never more than a few logs ahead of
/// the oldest one not handed over yet. Returns the number of logs.
pub fn for_each_log(
    dir: &Path,
    threads: usize,
    mut f: impl FnMut(Result<IoReport, Failure>),
) -> std::io::Result<usize> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{mpsc, Condvar, Mutex};
    let files = find_logs(dir)?;
    let threads = threads.clamp(1, 64).min(files.len().max(1));
    let window = AHEAD_PER_THREAD * threads;
    let next = AtomicUsize::new(0);
    // The number of results handed over, and a condition to wait on it.
    let handed = (Mutex::new(0usize), Condvar::new());
    let read = |p: &PathBuf| {
        let file = p.to_string_lossy().into_owned();
        Log::read(&file)
            .map(|l| characterize(&l))
            .map_err(|e| Failure {
                file,
                error: e.to_string(),
            })
    };
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, Result<IoReport, Failure>)>();
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let tx = tx.clone();
                let (files, next, handed, read) = (&files, &next, &handed, &read);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(p) = files.get(i) else { break };
                    {
                        let (lock, cv) = handed;
                        let mut done = lock.lock().unwrap_or_else(|e| e.into_inner());
                        while i >= *done + window {
                            done = cv.wait(done).unwrap_or_else(|e| e.into_inner());
                        }
                    }
                    if tx.send((i, read(p))).is_err() {
                        break;
                    }
                })
            })
            .collect();
        drop(tx);
        let mut waiting = BTreeMap::new();
        let mut expected = 0;
        for (i, r) in rx {
            waiting.insert(i, r);
            while let Some(r) = waiting.remove(&expected) {
                f(r);
                expected += 1;
            }
            let (lock, cv) = &handed;
            *lock.lock().unwrap_or_else(|e| e.into_inner()) = expected;
            cv.notify_all();
        }
        for w in workers {
            if let Err(e) = w.join() {
                std::panic::resume_unwind(e);
            }
        }
    });
    Ok(files.len())
}

/// Reads, characterizes and summarizes every log under `dir` on `threads` threads; the
/// reports come back in the files' order.
pub fn summarize_dir(dir: &Path, threads: usize) -> std::io::Result<(Summary, Vec<IoReport>)> {
    let mut acc = Accumulator::new(&dir.to_string_lossy());
    let mut reports = Vec::new();
    for_each_log(dir, threads, |r| match r {
        Ok(r) => {
            acc.add(&r);
            reports.push(r);
        }
        Err(e) => acc.fail(e),
    })?;
    Ok((acc.finish(), reports))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        // 1..=5: quartiles at 2 and 4, median 3, 90th at 4.6 (by hand).
        let q = Quantiles::of(&[5.0, 1.0, 3.0, 2.0, 4.0]).expect("values");
        assert_eq!(
            (q.min, q.p25, q.median, q.p75, q.max, q.total),
            (1.0, 2.0, 3.0, 4.0, 5.0, 15.0)
        );
        assert!((q.p90 - 4.6).abs() < 1e-12);
        assert_eq!(Quantiles::of(&[]), None);
    }

    #[test]
    fn failures_count_as_logs_not_read() {
        let s = summarize(
            "d",
            &[],
            vec![Failure {
                file: "d/x.darshan".into(),
                error: "bad".into(),
            }],
        );
        assert_eq!((s.logs, s.read, s.failures.len()), (1, 0, 1));
        assert_eq!((s.io_share, s.bytes_read.quantiles), (None, None));
    }

    #[test]
    fn volumes_fall_in_their_decades() {
        assert_eq!(
            [0.0, 999_999.0, 1e6, 5e11, 1e12].map(decade),
            [0, 1, 2, 3, 4]
        );
    }
}
