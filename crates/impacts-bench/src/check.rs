//! Regressions: a value outside ReFrame's reference band, or outside the band of its own history
//! (median ± k × 1.4826 × MAD of the last N earlier runs of the same use case; docs/bench.md says
//! why these statistics).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::Run;

/// How a history's band is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Earlier runs the band is drawn from (the last ones).
    pub history: usize,
    /// Fewer earlier runs than this: no history band.
    pub min_history: usize,
    /// Half-width of the band in scaled MADs.
    pub k: f64,
    /// The least half-width, relative to the median (a history of equal values has no spread).
    pub floor: f64,
    /// Check every run against the runs before it, not only the latest of each use case.
    pub every_run: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            history: 10,
            min_history: 5,
            k: 3.5,
            floor: 0.01,
            every_run: false,
        }
    }
}

/// A value flagged.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flag {
    /// The run (its index in the runs checked).
    pub run: usize,
    /// The variable.
    pub variable: String,
    /// Its value.
    pub value: f64,
    /// Its unit.
    pub unit: String,
    /// The band it left: low and high (either open).
    pub low: Option<f64>,
    /// See `low`.
    pub high: Option<f64>,
    /// `reference` (ReFrame's) or `history`.
    pub against: &'static str,
    /// For a history: how many earlier runs, and their median.
    pub history: Option<(usize, f64)>,
    /// The value minus the edge it crossed (negative below the band).
    pub excess: f64,
    /// The same relative to that edge (`-0.25`: 25 % below the low edge); None when the edge is
    /// 0.
    pub by: Option<f64>,
}

/// What was checked, and what was flagged.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Outcome {
    /// Values checked.
    pub checked: usize,
    /// Of which had a history band.
    pub with_history: usize,
    /// The flags.
    pub flags: Vec<Flag>,
}

/// Checks the latest run of each use case (or every run) against ReFrame's references and the
/// history before it. Runs are ordered by time (their order as read when equal or unknown).
pub fn check(runs: &[Run], opts: &Options) -> Outcome {
    let mut cases: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in runs.iter().enumerate() {
        cases.entry(r.case_key()).or_default().push(i);
    }
    let mut out = Outcome::default();
    for list in cases.values_mut() {
        list.sort_by_key(|&i| (runs[i].time.unwrap_or(i64::MIN), i));
        let checked: Vec<usize> = if opts.every_run {
            (0..list.len()).collect()
        } else {
            vec![list.len() - 1]
        };
        for at in checked {
            check_run(runs, &list[..at], list[at], opts, &mut out);
        }
    }
    out.flags.sort_by_key(|f| f.run);
    out
}

fn check_run(runs: &[Run], before: &[usize], run: usize, opts: &Options, out: &mut Outcome) {
    for v in &runs[run].perf {
        out.checked += 1;
        let flag = |low: Option<f64>, high: Option<f64>, against, history| {
            let edge = match (low, high) {
                (Some(l), _) if v.value < l => l,
                (_, Some(h)) if v.value > h => h,
                _ => return None,
            };
            let excess = v.value - edge;
            Some(Flag {
                run,
                variable: v.name.clone(),
                value: v.value,
                unit: v.unit.clone(),
                low,
                high,
                against,
                history,
                excess,
                by: (edge != 0.0).then(|| excess / edge.abs()),
            })
        };
        let (low, high) = v.band();
        if let Some(f) = flag(low, high, "reference", None) {
            out.flags.push(f);
        }
        let earlier: Vec<f64> = before
            .iter()
            .rev()
            .filter_map(|&i| runs[i].perf.iter().find(|p| p.name == v.name))
            .map(|p| p.value)
            .take(opts.history)
            .collect();
        if earlier.len() < opts.min_history {
            continue;
        }
        out.with_history += 1;
        let (median, mad) = median_mad(&earlier);
        let half = (opts.k * 1.4826 * mad).max(opts.floor * median.abs());
        let history = Some((earlier.len(), median));
        if let Some(f) = flag(Some(median - half), Some(median + half), "history", history) {
            out.flags.push(f);
        }
    }
}

/// The median of values and their median absolute deviation from it.
pub fn median_mad(values: &[f64]) -> (f64, f64) {
    let median = median_of(values.to_vec());
    let deviations: Vec<f64> = values.iter().map(|v| (v - median).abs()).collect();
    (median, median_of(deviations))
}

fn median_of(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PerfValue;

    fn run(t: i64, value: f64) -> Run {
        Run {
            test: "T".into(),
            system: "s".into(),
            partition: "p".into(),
            time: Some(t),
            perf: vec![PerfValue {
                name: "rate".into(),
                value,
                unit: "ops/s".into(),
                ..PerfValue::default()
            }],
            ..Run::default()
        }
    }

    /// Median and MAD by hand: 1, 2, 3, 4, 100 → median 3, deviations 2, 1, 0, 1, 97 → MAD 1.
    #[test]
    fn median_and_mad() {
        assert_eq!(median_mad(&[4.0, 1.0, 100.0, 3.0, 2.0]), (3.0, 1.0));
        assert_eq!(median_mad(&[1.0, 2.0, 3.0, 4.0]), (2.5, 1.0));
    }

    /// A history of ten runs near 100 with one outlier; the latest at 80 is flagged, 99 is not.
    #[test]
    fn a_drop_against_the_history_is_flagged() {
        let history = [
            100.0, 101.0, 99.0, 100.5, 99.5, 150.0, 100.2, 99.8, 100.1, 99.9,
        ];
        let mut runs: Vec<Run> = history
            .iter()
            .enumerate()
            .map(|(i, v)| run(i as i64, *v))
            .collect();
        runs.push(run(100, 80.0));
        let out = check(&runs, &Options::default());
        assert_eq!(out.checked, 1);
        assert_eq!(out.flags.len(), 1, "{out:?}");
        let f = &out.flags[0];
        assert_eq!((f.run, f.against), (10, "history"));
        // Sorted: 99, 99.5, 99.8, 99.9, 100, 100.1, 100.2, 100.5, 101, 150 → median 100.05;
        // deviations sorted 0.05, 0.05, 0.15, 0.15, 0.25, 0.45, 0.55, 0.95, 1.05, 49.95 → MAD
        // 0.35; half-width 3.5 × 1.4826 × 0.35 = 1.816 (the outlier 150 moves neither).
        let (median, mad) = median_mad(&history);
        assert!((median - 100.05).abs() < 1e-9 && (mad - 0.35).abs() < 1e-9);
        assert!((f.low.unwrap() - (100.05 - 3.5 * 1.4826 * 0.35)).abs() < 1e-9);
        runs.last_mut().unwrap().perf[0].value = 99.0;
        assert!(check(&runs, &Options::default()).flags.is_empty());
    }

    /// Outside ReFrame's band, and too little history for a band of its own.
    #[test]
    fn the_reference_band_needs_no_history() {
        let mut r = run(0, 85.0);
        r.perf[0].reference = Some(100.0);
        r.perf[0].lower = Some(-0.1);
        let out = check(&[r], &Options::default());
        assert_eq!((out.flags.len(), out.with_history), (1, 0));
        assert_eq!(out.flags[0].against, "reference");
        assert!((out.flags[0].by.unwrap() - (85.0 - 90.0) / 90.0).abs() < 1e-12);
        // A history of zeros (an error count) and then 1: outside, by 1, with no relative size.
        let mut zeros: Vec<Run> = (0..6).map(|i| run(i, 0.0)).collect();
        zeros.push(run(10, 1.0));
        let out = check(&zeros, &Options::default());
        assert_eq!(out.flags.len(), 1);
        assert_eq!((out.flags[0].excess, out.flags[0].by), (1.0, None));
    }
}
