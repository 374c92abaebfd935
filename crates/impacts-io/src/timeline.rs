//! When in the run a job reads and writes (docs/io.md, "Timeline, temporality, periodicity"):
//! transfers from DXT segments, HEATMAP bins or the counters' timestamps, binned for the
//! temporality and sampled for the periodicity.

use impacts_darshan::{counters, id, Log, Record};
use serde::Serialize;

use crate::spectrum::{periodicity, Periodicity};

/// Where a timeline comes from, most precise first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// DXT segments: every operation, timed.
    Dxt,
    /// HEATMAP bins: bytes per time bin.
    Heatmap,
    /// First and last timestamps of each file's reads and writes.
    Counters,
}

impl Source {
    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Dxt => "dxt",
            Source::Heatmap => "heatmap",
            Source::Counters => "counters",
        }
    }
}

/// Bytes moved between two instants (s since the job's start).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transfer {
    /// A write (else a read).
    pub write: bool,
    /// Start (s).
    pub start: f64,
    /// End (s).
    pub end: f64,
    /// Bytes.
    pub bytes: f64,
}

/// The transfers of a job.
#[derive(Clone, Debug)]
pub struct Timeline {
    /// Their source.
    pub source: Source,
    /// Transfers.
    pub transfers: Vec<Transfer>,
    /// The heatmap's bin width (s), when the source is HEATMAP.
    pub bin_width: Option<f64>,
}

fn finite_nonneg(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        0.0
    }
}

impl Timeline {
    /// The best timeline a log offers, or `None` when it has no record of POSIX or STDIO.
    /// Errors reading a module's records are the caller's to report: such a module is skipped.
    pub fn of(log: &Log) -> Option<Timeline> {
        let records = |mid: usize| -> Vec<Record> {
            log.module(mid)
                .and_then(|m| log.records(m).ok())
                .unwrap_or_default()
        };
        // DXT: POSIX's, the bottom layer; MPI-IO's only when POSIX was not traced.
        for mid in [id::DXT_POSIX, id::DXT_MPIIO] {
            let recs = records(mid);
            let transfers: Vec<Transfer> = recs
                .iter()
                .flat_map(|r| r.segments.iter())
                .filter(|s| s.length > 0 && s.start.is_finite() && s.end.is_finite())
                .map(|s| Transfer {
                    write: s.write,
                    start: s.start.max(0.0),
                    end: s.end.max(s.start).max(0.0),
                    bytes: s.length as f64,
                })
                .collect();
            if !transfers.is_empty() {
                return Some(Timeline {
                    source: Source::Dxt,
                    transfers,
                    bin_width: None,
                });
            }
        }
        // HEATMAP: POSIX and STDIO (MPI-IO's bins count the same bytes again).
        let heat: Vec<Record> = records(id::HEATMAP)
            .into_iter()
            .filter(|r| {
                matches!(
                    log.names.get(&r.id).map(String::as_str),
                    Some("heatmap:POSIX") | Some("heatmap:STDIO")
                )
            })
            .filter(|r| {
                r.bins
                    .as_ref()
                    .is_some_and(|b| b.width > 0.0 && b.width.is_finite())
            })
            .collect();
        if heat.iter().any(|r| r.bytes_read > 0 || r.bytes_written > 0) {
            let width = heat
                .iter()
                .filter_map(|r| r.bins.as_ref().map(|b| b.width))
                .fold(0.0, f64::max);
            let mut transfers = Vec::new();
            for r in &heat {
                let Some(b) = &r.bins else { continue };
                for (write, bins) in [(false, &b.read), (true, &b.write)] {
                    for (k, v) in bins.iter().enumerate() {
                        if *v > 0 {
                            transfers.push(Transfer {
                                write,
                                start: k as f64 * b.width,
                                end: (k + 1) as f64 * b.width,
                                bytes: *v as f64,
                            });
                        }
                    }
                }
            }
            return Some(Timeline {
                source: Source::Heatmap,
                transfers,
                bin_width: Some(width),
            });
        }
        // Counters: each file's bytes spread between its first and last access.
        let mut transfers = Vec::new();
        let mut any = false;
        for (mid, rs, re, ws, we) in [
            (
                id::POSIX,
                counters::posix::F_READ_START_TIMESTAMP,
                counters::posix::F_READ_END_TIMESTAMP,
                counters::posix::F_WRITE_START_TIMESTAMP,
                counters::posix::F_WRITE_END_TIMESTAMP,
            ),
            (
                id::STDIO,
                counters::stdio::F_READ_START_TIMESTAMP,
                counters::stdio::F_READ_END_TIMESTAMP,
                counters::stdio::F_WRITE_START_TIMESTAMP,
                counters::stdio::F_WRITE_END_TIMESTAMP,
            ),
        ] {
            let recs = records(mid);
            any |= !recs.is_empty();
            for r in recs {
                for (write, bytes, s, e) in [
                    (false, r.bytes_read, r.f(rs), r.f(re)),
                    (true, r.bytes_written, r.f(ws), r.f(we)),
                ] {
                    if bytes > 0 {
                        let s = finite_nonneg(s);
                        transfers.push(Transfer {
                            write,
                            start: s,
                            end: finite_nonneg(e).max(s),
                            bytes: bytes as f64,
                        });
                    }
                }
            }
        }
        any.then_some(Timeline {
            source: Source::Counters,
            transfers,
            bin_width: None,
        })
    }

    /// The end of the last transfer (s), 0 when none.
    pub fn last_end(&self) -> f64 {
        self.transfers.iter().map(|t| t.end).fold(0.0, f64::max)
    }
}

/// Adds `bytes` moved over [a, b] to bins of width `w` starting at `t0`, in proportion to the
/// overlap: the partial first and last bins directly, the whole bins between through a
/// difference array of rates (`rate`, summed into `bins` by [`finish`]). An instant goes to its bin.
fn deposit(bins: &mut [f64], rate: &mut [f64], t0: f64, w: f64, a: f64, b: f64, bytes: f64) {
    let n = bins.len();
    if n == 0 || bytes <= 0.0 {
        return;
    }
    let pos = |t: f64| ((t - t0) / w).clamp(0.0, n as f64);
    let (x, y) = (pos(a), pos(b));
    if y - x <= 1e-12 {
        let k = (x.floor() as usize).min(n - 1);
        bins[k] += bytes;
        return;
    }
    let per_bin = bytes / (y - x); // bytes per bin width
    let (i, j) = (x.floor() as usize, y.floor() as usize);
    if i == j || (j == i + 1 && y == j as f64) {
        bins[i.min(n - 1)] += bytes;
        return;
    }
    // First partial bin [x, i+1), last partial [j, y), whole bins i+1 .. j-1.
    bins[i] += per_bin * ((i + 1) as f64 - x);
    if j < n {
        bins[j] += per_bin * (y - j as f64);
    }
    if i + 1 < j {
        rate[i + 1] += per_bin;
        if j < n {
            rate[j] -= per_bin;
        }
    }
}

fn finish(bins: &mut [f64], rate: &[f64]) {
    let mut r = 0.0;
    for (b, d) in bins.iter_mut().zip(rate) {
        r += d;
        *b += r;
    }
}

/// Bytes per bin of `n` bins of width `w` from `t0`, for one direction.
pub fn binned(transfers: &[Transfer], write: bool, t0: f64, w: f64, n: usize) -> Vec<f64> {
    let mut bins = vec![0.0; n];
    let mut rate = vec![0.0; n];
    for t in transfers.iter().filter(|t| t.write == write) {
        deposit(&mut bins, &mut rate, t0, w, t.start, t.end, t.bytes);
    }
    finish(&mut bins, &rate);
    bins
}

/// Bins of the temporality.
pub const TEMPORALITY_BINS: usize = 20;

/// When in the run one direction's bytes move.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Phase {
    /// `none`, `start`, `end`, `start_end`, `steady` or `chunks`; `unresolved` when the
    /// heatmap's bins are wider than a quarter of the run.
    pub class: String,
    /// Bytes.
    pub bytes: f64,
    /// First and last instants with bytes (s since the start).
    pub first_s: Option<f64>,
    /// Last instant.
    pub last_s: Option<f64>,
    /// Shares of the bytes in each quarter of the run.
    pub quarters: [f64; 4],
    /// Bins of the 20 holding at least 0.5 % of the bytes.
    pub active_bins: usize,
}

/// The temporality of both directions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Temporality {
    /// The timeline's source.
    pub source: Source,
    /// The window: the run (s).
    pub window_s: f64,
    /// Reads.
    pub read: Phase,
    /// Writes.
    pub write: Phase,
}

/// Classifies one direction's bytes per bin (docs/io.md's table).
pub fn classify(bins: &[f64]) -> (String, [f64; 4], usize) {
    let total: f64 = bins.iter().sum();
    if total <= 0.0 {
        return ("none".into(), [0.0; 4], 0);
    }
    let n = bins.len();
    let mut q = [0.0; 4];
    for (k, b) in bins.iter().enumerate() {
        q[(k * 4 / n).min(3)] += b / total;
    }
    let active = bins.iter().filter(|b| **b / total >= 0.005).count();
    let class = if q[0] >= 0.8 {
        "start"
    } else if q[3] >= 0.8 {
        "end"
    } else if q[0] + q[3] >= 0.8 && q[0] >= 0.1 && q[3] >= 0.1 {
        "start_end"
    } else if active * 20 >= 12 * n {
        "steady"
    } else {
        "chunks"
    };
    (class.into(), q, active)
}

/// The temporality over [0, `window`].
pub fn temporality(t: &Timeline, window: f64) -> Temporality {
    let n = TEMPORALITY_BINS;
    let w = if window > 0.0 { window / n as f64 } else { 1.0 };
    let phase = |write: bool| {
        let bins = binned(&t.transfers, write, 0.0, w, n);
        let (mut class, quarters, active_bins) = classify(&bins);
        // Heatmap bins wider than a quarter of the run cannot say in which quarter bytes moved.
        if class != "none" && t.bin_width.is_some_and(|bw| bw > window / 4.0) {
            class = "unresolved".into();
        }
        let dir = t.transfers.iter().filter(|x| x.write == write);
        let first = dir.clone().map(|x| x.start).reduce(f64::min);
        let last = dir.clone().map(|x| x.end).reduce(f64::max);
        Phase {
            class,
            bytes: dir.map(|x| x.bytes).sum(),
            first_s: first,
            last_s: last,
            quarters,
            active_bins,
        }
    };
    Temporality {
        source: t.source,
        window_s: window,
        read: phase(false),
        write: phase(true),
    }
}

/// The most samples a spectrum takes.
pub const MAX_SAMPLES: usize = 65_536;

/// Sampling frequency for DXT transfers over a window: FTIO's 10 Hz, raised to give at least
/// 1,024 samples and lowered to give at most [`MAX_SAMPLES`].
pub fn sample_rate(window: f64) -> f64 {
    let n = (window * 10.0).clamp(1024.0, MAX_SAMPLES as f64);
    n / window
}

/// Transfers needed in a direction for a periodicity verdict.
pub const MIN_TRANSFERS: usize = 4;

fn not_assessed(verdict: &str, fs: f64, n: usize) -> Periodicity {
    Periodicity {
        verdict: verdict.into(),
        periodic: false,
        dominant: None,
        candidates: Vec::new(),
        harmonics_dropped: Vec::new(),
        sample_rate_hz: fs,
        samples: n,
        frequency_step_hz: if n > 0 { fs / n as f64 } else { 0.0 },
        p_value: 1.0,
    }
}

/// The periodicity of one direction: `None` when it moved no bytes.
pub fn direction_periodicity(t: &Timeline, write: bool) -> Option<Periodicity> {
    let dir: Vec<&Transfer> = t.transfers.iter().filter(|x| x.write == write).collect();
    if dir.is_empty() {
        return None;
    }
    if t.source == Source::Counters {
        // First and last accesses say nothing of what happens between them.
        return Some(not_assessed(
            "not assessed: needs a DXT trace or a heatmap",
            0.0,
            0,
        ));
    }
    let first = dir.iter().map(|x| x.start).fold(f64::INFINITY, f64::min);
    let last = dir.iter().map(|x| x.end).fold(0.0, f64::max);
    let (t0, w, n) = match t.bin_width {
        // A heatmap: its own bins, from the first with bytes to the last; coarser (a whole
        // number of bins) if that would exceed the samples a spectrum takes.
        Some(bw) => {
            let i = (first / bw).round();
            let j = (last / bw).round();
            let bins = (j - i).max(0.0);
            let k = (bins / MAX_SAMPLES as f64).ceil().max(1.0);
            (i * bw, bw * k, (bins / k).ceil() as usize)
        }
        None => {
            let window = last - first;
            // Below a microsecond the trace's clock cannot resolve a period.
            if window.is_nan() || window < 1e-6 {
                (first, 1.0, 0)
            } else {
                let fs = sample_rate(window);
                (
                    first,
                    1.0 / fs,
                    ((window * fs).round() as usize).min(MAX_SAMPLES),
                )
            }
        }
    };
    if n < 8 || dir.len() < MIN_TRANSFERS {
        return Some(not_assessed("too short", 1.0 / w, n));
    }
    let owned: Vec<Transfer> = dir.into_iter().copied().collect();
    let signal = binned(&owned, write, t0, w, n);
    Some(periodicity(&signal, 1.0 / w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(write: bool, start: f64, end: f64, bytes: f64) -> Transfer {
        Transfer {
            write,
            start,
            end,
            bytes,
        }
    }

    #[test]
    fn bytes_are_spread_in_proportion_to_the_overlap() {
        // 100 bytes over [0.5, 3.5) on unit bins: 1/6, 1/3, 1/3, 1/6 of them (by hand).
        let b = binned(&[tr(true, 0.5, 3.5, 120.0)], true, 0.0, 1.0, 5);
        let want = [20.0, 40.0, 40.0, 20.0, 0.0];
        for (x, y) in b.iter().zip(want) {
            assert!((x - y).abs() < 1e-9, "{b:?}");
        }
        // An instant lands in its bin; reads are not writes.
        let b = binned(
            &[tr(true, 2.2, 2.2, 7.0), tr(false, 1.0, 2.0, 5.0)],
            true,
            0.0,
            1.0,
            4,
        );
        assert_eq!(b, vec![0.0, 0.0, 7.0, 0.0]);
        // Past the last bin, bytes are kept in it rather than lost.
        let b = binned(&[tr(false, 9.0, 9.0, 3.0)], false, 0.0, 1.0, 4);
        assert_eq!(b, vec![0.0, 0.0, 0.0, 3.0]);
        // Total preserved for a long transfer over many bins.
        let b = binned(&[tr(false, 0.25, 97.75, 1000.0)], false, 0.0, 1.0, 100);
        assert!((b.iter().sum::<f64>() - 1000.0).abs() < 1e-6);
    }

    #[test]
    fn degenerate_windows_give_a_verdict_not_a_huge_allocation() {
        // The fuzzer's find: DXT segments a subnormal time apart made a sampling frequency of
        // infinity and a timeline of usize::MAX samples.
        let t = Timeline {
            source: Source::Dxt,
            transfers: (0..5)
                .map(|k| tr(true, 0.0, k as f64 * 5e-324, 1.0))
                .collect(),
            bin_width: None,
        };
        assert_eq!(
            direction_periodicity(&t, true).expect("writes").verdict,
            "too short"
        );
        // A heatmap longer than a spectrum takes is sampled by whole groups of its bins.
        let t = Timeline {
            source: Source::Heatmap,
            transfers: (0..200_000)
                .step_by(1000)
                .map(|k| tr(false, k as f64 * 0.1, (k + 1) as f64 * 0.1, 1.0))
                .collect(),
            bin_width: Some(0.1),
        };
        let p = direction_periodicity(&t, false).expect("reads");
        assert!(p.samples <= MAX_SAMPLES, "{}", p.samples);
        // 199,001 bins in groups of 4 (ceil(199,001 / 65,536)): 49,751 samples at 2.5 Hz.
        assert_eq!(p.samples, 49_751);
        assert!((p.sample_rate_hz - 2.5).abs() < 1e-9);
        // A burst every 100 s is found.
        let d = p.dominant.expect("periodic");
        assert!((d.period_s - 100.0).abs() < 1.0, "{d:?}");
    }

    #[test]
    fn classes_follow_the_table() {
        let mut bins = vec![0.0; 20];
        assert_eq!(classify(&bins).0, "none");
        bins[19] = 9.0;
        bins[10] = 1.0;
        assert_eq!(classify(&bins).0, "end"); // 90 % in the last quarter
        bins[0] = 5.0;
        assert_eq!(classify(&bins).0, "start_end"); // 5/15 and 9/15
        let flat = vec![1.0; 20];
        assert_eq!(classify(&flat).0, "steady");
        let mut two = vec![0.0; 20];
        two[7] = 1.0;
        two[12] = 1.0;
        assert_eq!(classify(&two).0, "chunks");
        let (c, q, active) = classify(&[4.0, 0.0, 0.0, 1.0]);
        assert_eq!((c.as_str(), q, active), ("start", [0.8, 0.0, 0.0, 0.2], 2));
    }
}
