//! Scaling series: runs of the same use case at several node counts, with their speed-up,
//! parallel efficiency and footprint per point ("what the last doubling of nodes cost").
//!
//! A series is the runs of one machine and environment whose test and parameters are equal once
//! the scale is taken out: the parameters that give it (`num_nodes`, `nodes`, `num_procs`,
//! `num_tasks`, `tasks`) and, in the test's name, `_`-separated numbers equal to the run's node or
//! process count (ReFrame 3 tests often carry them: `Gromacs_…_448_56`). The point of a node count
//! is its latest run.

use std::collections::BTreeMap;

use impacts::impacts_model::readable::{sig3, value_unit};
use serde::Serialize;

use crate::model::Run;

/// The parameters that say how large a run is.
const SCALE: [&str; 5] = ["num_nodes", "nodes", "num_procs", "num_tasks", "tasks"];

/// Whether a larger value of a variable is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Better {
    /// A rate (ns/day, GFLOP/s…).
    Higher,
    /// A time.
    Lower,
}

impl Better {
    /// From a unit: a wall time (`s`, `ms`, `us`, `min`, `h`…), or a wall time per something
    /// (`s/step`, `hour/ns`), is lower-better; anything else (`ns/day`, `Gflops/s`, `GB/s`) is a
    /// rate, higher-better. (`ns` is read as simulated time, as in `ns/day`.)
    pub fn of_unit(unit: &str) -> Better {
        let head = unit.split('/').next().unwrap_or("").trim();
        match head {
            "s" | "sec" | "seconds" | "ms" | "us" | "µs" | "min" | "minutes" | "h" | "hour"
            | "hours" => Better::Lower,
            _ => Better::Higher,
        }
    }
}

/// A point of a series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Point {
    /// The run (its index among the runs given).
    pub run: usize,
    /// Its nodes.
    pub nodes: u64,
    /// Its value of the variable.
    pub value: f64,
    /// Speed-up over the series' smallest point.
    pub speedup: f64,
    /// Parallel efficiency: the speed-up over the ratio of nodes.
    pub efficiency: f64,
}

/// A series: its key, variable, direction and points by node count.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    /// What its runs share (test without its scale, machine, environment, parameters).
    pub key: String,
    /// The variable.
    pub variable: String,
    /// Its unit.
    pub unit: String,
    /// Which way is better.
    pub better: Better,
    /// Points, fewest nodes first.
    pub points: Vec<Point>,
}

/// The series of the runs with two or more node counts, for `variable` (each run's first one when
/// None), better higher or lower as `better` says (from the unit when None).
pub fn series(runs: &[Run], variable: Option<&str>, better: Option<Better>) -> Vec<Series> {
    let mut groups: BTreeMap<(String, String), BTreeMap<u64, usize>> = BTreeMap::new();
    for (i, r) in runs.iter().enumerate() {
        let Some(nodes) = r.nodes() else { continue };
        let Some(v) = (match variable {
            Some(name) => r.perf.iter().find(|p| p.name == name),
            None => r.perf.first(),
        }) else {
            continue;
        };
        let at = groups.entry((series_key(r), v.name.clone())).or_default();
        // The latest run of a node count stands for it.
        let later = at.get(&nodes).is_none_or(|&j| runs[j].time <= r.time);
        if later {
            at.insert(nodes, i);
        }
    }
    groups
        .into_iter()
        .filter(|(_, by_nodes)| by_nodes.len() >= 2)
        .map(|((key, variable), by_nodes)| {
            let value = |i: usize| {
                runs[i]
                    .perf
                    .iter()
                    .find(|p| p.name == variable)
                    .map_or(f64::NAN, |p| p.value)
            };
            let first = *by_nodes.values().next().unwrap_or(&0);
            let unit = runs[first]
                .perf
                .iter()
                .find(|p| p.name == variable)
                .map_or(String::new(), |p| p.unit.clone());
            let better = better.unwrap_or_else(|| Better::of_unit(&unit));
            let (n0, v0) = (*by_nodes.keys().next().unwrap_or(&1) as f64, value(first));
            let points = by_nodes
                .iter()
                .map(|(&nodes, &i)| {
                    let v = value(i);
                    let speedup = match better {
                        Better::Higher => v / v0,
                        Better::Lower => v0 / v,
                    };
                    Point {
                        run: i,
                        nodes,
                        value: v,
                        speedup,
                        efficiency: speedup / (nodes as f64 / n0),
                    }
                })
                .collect();
            Series {
                key,
                variable,
                unit,
                better,
                points,
            }
        })
        .collect()
}

/// A point's footprint, as a series' table shows it: its job's energy (kWh), climate change
/// (gCO2eq) and hours.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PointFootprint {
    /// Energy of the job's nodes.
    pub energy_kwh: Option<f64>,
    /// Climate change.
    pub gwp: Option<f64>,
    /// The job's hours.
    pub hours: f64,
}

/// The columns of [`rows`].
pub const COLUMNS: [&str; 8] = [
    "nodes",
    "value",
    "speed-up",
    "efficiency",
    "energy",
    "climate change",
    "per unit of work",
    "vs previous",
];

impl Series {
    /// Its title: what it is, the variable, its unit and which way is better.
    pub fn title(&self) -> String {
        let better = match self.better {
            Better::Higher => "higher is better",
            Better::Lower => "lower is better",
        };
        format!(
            "{} — {} ({}, {better})",
            self.key.trim_end(),
            self.variable,
            self.unit
        )
    }

    /// A row of [`COLUMNS`] per point, read for a person: `footprint` gives each run's (by its
    /// index) when its job is known; the climate change per unit of the work a rate did, and
    /// over the previous point.
    pub fn rows(&self, footprint: impl Fn(usize) -> Option<PointFootprint>) -> Vec<[String; 8]> {
        let dash = || "–".to_string();
        let mut previous: Option<f64> = None;
        let mut out = Vec::with_capacity(self.points.len());
        for p in &self.points {
            let f = footprint(p.run).unwrap_or_default();
            let per_work = f.gwp.and_then(|g| {
                let (w, unit) = crate::footprint::work(p.value, &self.unit, f.hours)?;
                Some(format!("{} per {unit}", value_unit(g / w, "gCO2eq")))
            });
            out.push([
                p.nodes.to_string(),
                format!("{} {}", sig3(p.value), self.unit),
                format!("{}×", sig3(p.speedup)),
                format!("{} %", sig3(100.0 * p.efficiency)),
                f.energy_kwh.map_or_else(dash, |e| value_unit(e, "kWh")),
                f.gwp.map_or_else(dash, |g| value_unit(g, "gCO2eq")),
                per_work.unwrap_or_else(dash),
                match (previous, f.gwp) {
                    (Some(a), Some(g)) if a > 0.0 => format!("{}×", sig3(g / a)),
                    _ => dash(),
                },
            ]);
            previous = f.gwp;
        }
        out
    }
}

/// What a run's series is: its application, machine, environment and other parameters.
pub fn series_key(r: &Run) -> String {
    r.key_of(&application(r), &SCALE).trim_end().to_string()
}

/// A run's application: the one its tag named ([`crate::tag_applications`]), else its test
/// without the scale its name may carry (ReFrame 3 names such as `Gromacs_…_448_56` end with
/// their processes and processes per node).
pub fn application(r: &Run) -> String {
    if let Some(a) = &r.application {
        return a.clone();
    }
    // The numbers that say the run's scale: its nodes, tasks, processes, and processes per node.
    let mut scale: Vec<u64> = SCALE
        .iter()
        .filter_map(|k| r.params.get(*k)?.parse().ok())
        .chain(r.nodes())
        .chain(r.num_tasks)
        .collect();
    let procs = r
        .params
        .get("num_procs")
        .and_then(|p| p.parse::<u64>().ok())
        .or(r.num_tasks);
    if let (Some(p), Some(n)) = (procs, r.nodes()) {
        if n > 0 && p % n == 0 {
            scale.push(p / n);
        }
    }
    let mut tokens: Vec<&str> = r.test.split('_').collect();
    while tokens.len() > 1 {
        match tokens.last().and_then(|t| t.parse::<u64>().ok()) {
            Some(x) if scale.contains(&x) => {
                tokens.pop();
            }
            _ => break,
        }
    }
    tokens.join("_")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PerfValue;

    fn run(test: &str, nodes: u64, procs: u64, value: f64, unit: &str) -> Run {
        let mut r = Run {
            test: test.into(),
            system: "csd3".into(),
            partition: "p".into(),
            environ: "e".into(),
            perf: vec![PerfValue {
                name: "v".into(),
                value,
                unit: unit.into(),
                ..PerfValue::default()
            }],
            ..Run::default()
        };
        r.params.insert("num_nodes".into(), nodes.to_string());
        r.params.insert("num_procs".into(), procs.to_string());
        r
    }

    #[test]
    fn directions_from_units() {
        for (unit, better) in [
            ("ns/day", Better::Higher),
            ("hour/ns", Better::Lower),
            ("s", Better::Lower),
            ("Gflops/seconds", Better::Higher),
            ("us", Better::Lower),
            ("MB/s", Better::Higher),
        ] {
            assert_eq!(Better::of_unit(unit), better, "{unit}");
        }
    }

    /// ReFrame 3's test names carry the scale (`…_448_56`: processes, processes per node): the
    /// runs of 1, 2 and 4 nodes are one series; speed-up and efficiency by hand.
    #[test]
    fn a_series_across_node_counts() {
        let runs = vec![
            run("Gromacs_61k_56_56", 1, 56, 60.0, "ns/day"),
            run("Gromacs_61k_112_56", 2, 112, 120.0, "ns/day"),
            run("Gromacs_61k_224_56", 4, 224, 180.0, "ns/day"),
            run("Other_56_56", 1, 56, 1.0, "ns/day"),
        ];
        assert_eq!(series_key(&runs[0]), series_key(&runs[2]));
        let s = series(&runs, None, None);
        assert_eq!(s.len(), 1, "the other test has one node count");
        let p: Vec<(u64, f64, f64)> = s[0]
            .points
            .iter()
            .map(|p| (p.nodes, p.speedup, p.efficiency))
            .collect();
        // 120/60 = 2× on 2 nodes: 100 %; 180/60 = 3× on 4 nodes: 75 %.
        assert_eq!(p, [(1, 1.0, 1.0), (2, 2.0, 1.0), (4, 3.0, 0.75)]);
        // A time: 100 s on 1 node, 60 s on 2: 1.67×, 83 %.
        let t = vec![run("T", 1, 1, 100.0, "s"), run("T", 2, 2, 60.0, "s")];
        let s = series(&t, None, None);
        assert!((s[0].points[1].speedup - 100.0 / 60.0).abs() < 1e-12);
        assert_eq!(s[0].better, Better::Lower);
        assert_eq!(
            series(&t, None, Some(Better::Higher))[0].points[1].speedup,
            0.6
        );
    }
}
