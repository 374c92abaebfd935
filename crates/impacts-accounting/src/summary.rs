//! Totals and groups of an accounting run, with Monte Carlo bounds computed from linear buckets.

use std::collections::HashMap;

use impacts::impacts_model::eval::{spread, Percentiles};
use impacts::impacts_model::report::Estimate;
use impacts::OrderedMap;
use serde::{Deserialize, Serialize};

/// A dimension of the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// By user.
    User,
    /// By account.
    Account,
    /// By partition.
    Partition,
    /// By final state.
    State,
    /// By day of the job's start.
    Day,
    /// By month of the job's start.
    Month,
}

impl GroupBy {
    /// Parses a `--group-by` item.
    pub fn parse(s: &str) -> Option<GroupBy> {
        Some(match s.trim() {
            "user" => GroupBy::User,
            "account" => GroupBy::Account,
            "partition" => GroupBy::Partition,
            "state" => GroupBy::State,
            "day" => GroupBy::Day,
            "month" => GroupBy::Month,
            _ => return None,
        })
    }

    /// The dimension's name.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::User => "user",
            GroupBy::Account => "account",
            GroupBy::Partition => "partition",
            GroupBy::State => "state",
            GroupBy::Day => "day",
            GroupBy::Month => "month",
        }
    }
}

/// A bucket of jobs that share an estimator and a load: the model is linear in node-hours and in
/// measured energy within it, so one Monte Carlo evaluation of the sums gives the bucket's samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BucketKey {
    /// Estimator index.
    pub estimator: u32,
    /// CPU load in whole percent.
    pub cpu_load: u16,
    /// GPU load in whole percent.
    pub gpu_load: u16,
}

/// A job's bucket, in terms that outlive the run (a store keeps it with the job): the node group
/// of its partition, whether its energy was measured, its whole-percent loads, and what it adds to
/// the bucket's sums. With the partition, it names the estimator and load again in another run
/// ([`crate::accountant::Accountant::bucket_for`]), so bounds of any sum of stored jobs are
/// computed as the run computes them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JobBucket {
    /// The estimator's outputs are not separable in load (crate::load_shape): its sums are kept
    /// per whole-percent load.
    pub per_load: bool,
    /// Node-hours × φc of the CPU load (crate::load_shape).
    pub cpu_load_hours: f64,
    /// Node-hours × φg of the GPU load.
    pub gpu_load_hours: f64,
    /// The node group of the partition (None: the partition's count-weighted mix).
    pub node_group: Option<u32>,
    /// The energy was measured (the estimator takes it as an input).
    pub measured: bool,
    /// CPU load in whole percent.
    pub cpu_load: u16,
    /// GPU load in whole percent.
    pub gpu_load: u16,
    /// Node-hours (node-equivalents × hours).
    pub node_hours: f64,
    /// Measured energy (kWh), 0 when not measured.
    pub measured_kwh: f64,
    /// What a grid series covered of the job's use phase (zero without one).
    pub grid: GridSums,
}

/// What the Monte Carlo of a sum of jobs needs of one estimator (and load, when it is not
/// separable): Σ node-hours, Σ node-hours·φc, Σ node-hours·φg, Σ measured kWh.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadSums {
    /// Σ node-hours.
    pub node_hours: f64,
    /// Σ node-hours × φc(CPU load).
    pub cpu: f64,
    /// Σ node-hours × φg(GPU load).
    pub gpu: f64,
    /// Σ measured kWh.
    pub measured_kwh: f64,
    /// The parts of those sums whose use phase took a time-resolved intensity (zero without a
    /// grid series).
    #[serde(default, skip_serializing_if = "GridSums::is_empty")]
    pub grid: GridSums,
}

/// What a time-resolved intensity changes in a Monte Carlo bucket: for each of the four sums
/// of [`LoadSums`] (node-hours, ·φc, ·φg, measured kWh, in that order), the part the series
/// covered (each job's sums × the covered share of its window) and that part weighted by the
/// window's mean intensity (gCO2eq/kWh). A sample of the sum's climate change then replaces
/// `covered × use-phase climate change per unit` by `weighted × electricity per unit`: the
/// series' intensities are taken as exact, the electricity keeps its own uncertainty.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GridSums {
    /// The covered part of each sum.
    pub covered: [f64; 4],
    /// The covered part × the mean intensity over it.
    pub weighted: [f64; 4],
}

impl GridSums {
    /// True when no job's window met the series.
    pub fn is_empty(&self) -> bool {
        self.covered == [0.0; 4]
    }

    /// Adds another's.
    pub fn add(&mut self, o: &GridSums) {
        for i in 0..4 {
            self.covered[i] += o.covered[i];
            self.weighted[i] += o.weighted[i];
        }
    }
}

impl LoadSums {
    /// Adds another's sums.
    pub fn add(&mut self, o: &LoadSums) {
        self.node_hours += o.node_hours;
        self.cpu += o.cpu;
        self.gpu += o.gpu;
        self.measured_kwh += o.measured_kwh;
        self.grid.add(&o.grid);
    }

    /// The four sums, in the order of [`GridSums`].
    pub fn terms(&self) -> [f64; 4] {
        [self.node_hours, self.cpu, self.gpu, self.measured_kwh]
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.node_hours == 0.0 && self.measured_kwh == 0.0
    }
}

/// Sums over a set of jobs.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Acc {
    /// Jobs.
    pub jobs: u64,
    /// Jobs with an estimate (a duration and a partition).
    pub estimated: u64,
    /// Node-hours (node-equivalents × hours).
    pub node_hours: f64,
    /// Core-hours.
    pub core_hours: f64,
    /// GPU-hours.
    pub gpu_hours: f64,
    /// Sums of the extensive outputs (totals, phases, energies), central values.
    pub sums: Vec<f64>,
    /// The load sums per Monte Carlo bucket, indexed by the run's bucket number.
    pub buckets: Vec<LoadSums>,
}

impl Acc {
    /// Adds one job.
    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &mut self,
        estimated: bool,
        nh: f64,
        core_h: f64,
        gpu_h: f64,
        outputs: &[f64],
        bucket: Option<(u32, LoadSums)>,
    ) {
        self.jobs += 1;
        if !estimated {
            return;
        }
        self.estimated += 1;
        self.node_hours += nh;
        self.core_hours += core_h;
        self.gpu_hours += gpu_h;
        if self.sums.len() < outputs.len() {
            self.sums.resize(outputs.len(), 0.0);
        }
        for (s, o) in self.sums.iter_mut().zip(outputs) {
            *s += o;
        }
        if let Some((b, sums)) = bucket {
            let b = b as usize;
            if self.buckets.len() <= b {
                self.buckets.resize(b + 1, LoadSums::default());
            }
            self.buckets[b].add(&sums);
        }
    }

    /// Adds another's sums, its buckets renumbered by `bucket` (its number → this run's).
    pub fn absorb(&mut self, o: &Acc, bucket: &[u32]) {
        // Saturating: sums read back from elsewhere may be absurd; they must not overflow.
        self.jobs = self.jobs.saturating_add(o.jobs);
        self.estimated = self.estimated.saturating_add(o.estimated);
        self.node_hours += o.node_hours;
        self.core_hours += o.core_hours;
        self.gpu_hours += o.gpu_hours;
        if self.sums.len() < o.sums.len() {
            self.sums.resize(o.sums.len(), 0.0);
        }
        for (s, x) in self.sums.iter_mut().zip(&o.sums) {
            *s += x;
        }
        for (b, sums) in o.buckets.iter().enumerate() {
            let Some(&to) = bucket.get(b) else { continue };
            let to = to as usize;
            if self.buckets.len() <= to {
                self.buckets.resize(to + 1, LoadSums::default());
            }
            self.buckets[to].add(sums);
        }
    }

    /// The central value of extensive output `i`.
    pub fn sum(&self, i: usize) -> f64 {
        self.sums.get(i).copied().unwrap_or(0.0)
    }
}

/// The sums of one dimension's groups, by key. Jobs come in runs of the same user, partition or
/// state: the last key's place is remembered, and a job of the same key is added without
/// hashing its key again.
#[derive(Clone, Debug, Default)]
pub struct Groups {
    index: HashMap<String, u32, crate::hash::FastBuild>,
    rows: Vec<(String, Acc)>,
    last: usize,
}

impl Groups {
    /// The sums of `key`, created empty when new.
    pub fn entry(&mut self, key: &str) -> &mut Acc {
        if self.rows.get(self.last).is_some_and(|(k, _)| k == key) {
            return &mut self.rows[self.last].1;
        }
        let at = match self.index.get(key) {
            Some(&i) => i as usize,
            None => {
                self.rows.push((key.to_string(), Acc::default()));
                self.index
                    .insert(key.to_string(), (self.rows.len() - 1) as u32);
                self.rows.len() - 1
            }
        };
        self.last = at;
        &mut self.rows[at].1
    }

    /// The groups, in the order they were met.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Acc)> {
        self.rows.iter().map(|(k, a)| (k, a))
    }

    /// The groups' sums.
    pub fn values(&self) -> impl Iterator<Item = &Acc> {
        self.rows.iter().map(|(_, a)| a)
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True without groups.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

impl Serialize for Groups {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Groups {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let rows: Vec<(String, Acc)> = std::collections::BTreeMap::<String, Acc>::deserialize(d)?
            .into_iter()
            .collect();
        let index = rows
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.clone(), i as u32))
            .collect();
        Ok(Groups {
            index,
            rows,
            last: 0,
        })
    }
}

/// One row of a group table.
#[derive(Clone, Debug, Serialize)]
pub struct GroupRow {
    /// The group's key (user, account, partition, state, day or month).
    pub key: String,
    /// Jobs.
    pub jobs: u64,
    /// Node-hours.
    pub node_hours: f64,
    /// Core-hours.
    pub core_hours: f64,
    /// GPU-hours.
    pub gpu_hours: f64,
    /// Electricity drawn by the jobs' nodes (kWh), as the per-job `energy_kwh`.
    pub energy_kwh: f64,
    /// The same with the facility's overhead (kWh).
    pub energy_with_overhead_kwh: f64,
    /// Impacts per criterion (bounds for the rows shown in the top N).
    pub impacts: OrderedMap<Estimate>,
    /// Share of the total per criterion.
    pub share: OrderedMap<f64>,
}

/// The share of the footprint spent on jobs that did not finish well.
#[derive(Clone, Debug, Serialize)]
pub struct Unsuccessful {
    /// Jobs failed, cancelled, timed out, out of memory, node failure, boot failure, deadline, preempted.
    pub jobs: u64,
    /// Their share of the total, per criterion.
    pub share: OrderedMap<f64>,
    /// Their impacts per state.
    pub by_state: OrderedMap<OrderedMap<f64>>,
}

/// Turns accumulated samples into estimates.
pub fn estimates(
    criteria: &[(String, String)],
    central: &[f64],
    samples: Option<&[Vec<f64>]>,
    pct: Percentiles,
) -> OrderedMap<Estimate> {
    let mut m = OrderedMap::new();
    let mut buf = Vec::new();
    for (c, (key, unit)) in criteria.iter().enumerate() {
        let v = central.get(c).copied().unwrap_or(0.0);
        let (low, high) = match samples.and_then(|s| s.get(c)) {
            Some(s) if !s.is_empty() => {
                let sp = spread(v, s, pct, &mut buf);
                (sp.low, sp.high)
            }
            _ => (v, v),
        };
        m.push(
            key.clone(),
            Estimate {
                value: v,
                low,
                high,
                unit: unit.clone(),
            },
        );
    }
    m
}

/// Shares of `part` in `total`, per criterion.
pub fn shares(criteria: &[(String, String)], part: &[f64], total: &[f64]) -> OrderedMap<f64> {
    let mut m = OrderedMap::new();
    for (c, (key, _)) in criteria.iter().enumerate() {
        let t = total.get(c).copied().unwrap_or(0.0);
        let p = part.get(c).copied().unwrap_or(0.0);
        m.push(key.clone(), if t > 0.0 { p / t } else { 0.0 });
    }
    m
}

/// Groups sorted by climate change, largest first (ties by key).
pub fn sorted_groups<'a>(
    rows: impl Iterator<Item = (&'a String, &'a Acc)>,
) -> Vec<(&'a String, &'a Acc)> {
    let mut v: Vec<(&String, &Acc)> = rows.collect();
    v.sort_by(|a, b| b.1.sum(0).total_cmp(&a.1.sum(0)).then_with(|| a.0.cmp(b.0)));
    v
}
