//! From records to footprints: partition mapping, estimation, per-job rows and the summary.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use impacts::impacts_center::{AllocationKey, Center, Partition};
use impacts::impacts_model::eval::{MonteCarlo, Percentiles};
use impacts::impacts_model::job::params;
use impacts::impacts_model::quantity::fmt_num;
use impacts::{CenterSource, Engine, JobEstimator, OrderedMap, Uncertainty};
use serde::Serialize;

use crate::input::{self, InputFormat};
use crate::record::{first_host, JobRecord, JobState};
use crate::sacct_text::TextOptions;
use crate::sink::{JobRow, JobSink};
use crate::summary::{
    estimates, shares, sorted_groups, Acc, BucketKey, GroupBy, GroupRow, Unsuccessful,
};
use crate::{Issues, ReadError};

/// How the load of a job is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum LoadPolicy {
    /// 100 %, with a warning (the reference's assumption).
    Default,
    /// A given load for every job (%).
    Fixed(f64),
    /// CPU load = TotalCPU / (elapsed × CPUs), where recorded; 100 % otherwise (counted).
    FromCpuTime,
}

/// Options of an accounting run.
#[derive(Clone, Debug)]
pub struct Options {
    /// The center.
    pub center: CenterSource,
    /// Electricity zone (overrides the center's).
    pub zone: Option<String>,
    /// Method.
    pub method: String,
    /// Partition for records whose partition the center does not list.
    pub default_partition: Option<String>,
    /// Load.
    pub load: LoadPolicy,
    /// Summary dimensions.
    pub group_by: Vec<GroupBy>,
    /// Rows per group table.
    pub top: usize,
    /// Monte Carlo samples for the summary's bounds.
    pub samples: usize,
    /// Seed.
    pub seed: u64,
    /// Percentiles of the bounds.
    pub percentiles: Percentiles,
    /// Monte Carlo samples per job for the per-job bounds (0: none).
    pub job_samples: usize,
    /// Count malformed records and go on instead of stopping.
    pub skip_bad_lines: bool,
    /// Input format (detected when None).
    pub input_format: Option<InputFormat>,
    /// Options of the sacct text reader.
    pub text: TextOptions,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            center: CenterSource::Bundled("jean-zay".into()),
            zone: None,
            method: "default".into(),
            default_partition: None,
            load: LoadPolicy::Default,
            group_by: vec![GroupBy::User, GroupBy::Partition, GroupBy::State],
            top: 10,
            samples: 1000,
            seed: 0,
            percentiles: Percentiles::default(),
            job_samples: 0,
            skip_bad_lines: false,
            input_format: None,
            text: TextOptions::default(),
        }
    }
}

/// An error of an accounting run.
#[derive(Debug, thiserror::Error)]
pub enum AccountingError {
    /// A record or an input could not be read.
    #[error("{0}")]
    Read(#[from] ReadError),
    /// The request (center, options) is invalid.
    #[error(transparent)]
    Engine(#[from] impacts::Error),
    /// The per-job output could not be written.
    #[error("cannot write the per-job output: {0}")]
    Write(#[from] std::io::Error),
}

struct Est {
    est: JobEstimator,
    buf: Vec<f64>,
    mc: Option<(MonteCarlo, impacts::impacts_model::eval::McScratch)>,
}

/// Where a run stands, for progress displays.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    /// Jobs read so far, all inputs together.
    pub jobs: u64,
    /// Index of the input being read.
    pub input: usize,
    /// Number of inputs.
    pub inputs: usize,
    /// Bytes of the current input read (before decompression).
    pub bytes: u64,
    /// Size of the current input, when known.
    pub size: Option<u64>,
    /// True for the last call of the run.
    pub done: bool,
}

/// What one input contributed.
#[derive(Clone, Debug, Serialize)]
pub struct InputInfo {
    /// Path.
    pub file: String,
    /// Format.
    pub format: InputFormat,
    /// Compression.
    pub compression: Option<&'static str>,
    /// Jobs read from it.
    pub jobs: u64,
}

/// A warning of the run with how many jobs it concerns.
#[derive(Clone, Debug, Serialize)]
pub struct WarningCount {
    /// Stable code.
    pub code: String,
    /// Jobs (or records) concerned.
    pub count: u64,
    /// Explanation (the first occurrence).
    pub message: String,
    /// Further examples.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
}

/// Records skipped with `--skip-bad-lines`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Skipped {
    /// How many.
    pub count: u64,
    /// The first errors.
    pub examples: Vec<String>,
}

/// The summary of an accounting run (the JSON other tools read).
#[derive(Clone, Debug, Serialize)]
pub struct AccountingReport {
    /// `accounting`.
    pub kind: String,
    /// Center name.
    pub center: String,
    /// Center file.
    pub center_file: String,
    /// Electricity zone.
    pub zone: String,
    /// Inputs.
    pub inputs: Vec<InputInfo>,
    /// Jobs read (each counted once, steps folded).
    pub jobs: u64,
    /// Jobs with an estimate.
    pub jobs_estimated: u64,
    /// Steps folded into their jobs.
    pub steps: u64,
    /// Malformed records skipped.
    pub skipped: Skipped,
    /// Total impacts with bounds.
    pub impacts: OrderedMap<impacts::impacts_model::report::Estimate>,
    /// Total per phase with bounds.
    pub phases: OrderedMap<OrderedMap<impacts::impacts_model::report::Estimate>>,
    /// Electricity (kWh) and measured energy.
    pub energy: OrderedMap<f64>,
    /// Node-, core- and GPU-hours.
    pub usage: OrderedMap<f64>,
    /// Share of the footprint spent on jobs that failed, were cancelled, timed out...
    pub unsuccessful: Unsuccessful,
    /// Group tables, top N by climate change.
    pub groups: OrderedMap<Vec<GroupRow>>,
    /// Warnings with counts.
    pub warnings: Vec<WarningCount>,
    /// Method.
    pub method: String,
    /// SHA-256 of the data bundle.
    pub data_bundle: String,
    /// Version of the data bundle.
    pub data_bundle_version: String,
    /// How the bounds were obtained.
    pub uncertainty: Uncertainty,
    /// Version of impacts.
    pub impacts_version: String,
}

/// Does an accounting run.
pub struct Accountant<'e> {
    engine: &'e Engine,
    opts: Options,
    center: Center,
    criteria: Vec<(String, String)>,
    names: Vec<String>,
    partitions: HashMap<String, usize>,
    default: Option<Partition>,
    default_name: String,
    ests: Vec<Est>,
    est_index: HashMap<(usize, Option<usize>, bool), usize>,
    out: Vec<f64>,
    job_warnings: Vec<&'static str>,
    bounds: Vec<(f64, f64)>,
    current: String,
    recent: Recent,
}

/// The identities of the last [`Recent::CAPACITY`] jobs, to count a job listed twice (overlapping
/// extracts, files concatenated twice) once, in bounded memory.
#[derive(Default)]
struct Recent {
    set: std::collections::HashSet<u64>,
    order: std::collections::VecDeque<u64>,
}

impl Recent {
    /// How many jobs back a duplicate is recognised (about 8 MB).
    const CAPACITY: usize = 1 << 18;

    /// Remembers `key`; false if it was already there.
    fn insert(&mut self, key: u64) -> bool {
        if !self.set.insert(key) {
            return false;
        }
        self.order.push_back(key);
        if self.order.len() > Self::CAPACITY {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
        true
    }
}

fn identity(rec: &JobRecord) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    rec.cluster.hash(&mut h);
    rec.job_id.hash(&mut h);
    rec.submit.map(|t| t.0).hash(&mut h);
    h.finish()
}

/// Sums of a run, before the report is made.
#[derive(Default)]
struct Sums {
    totals: Acc,
    by_state: BTreeMap<String, Acc>,
    groups: Vec<(GroupBy, HashMap<String, Acc>)>,
    measured_jobs: u64,
    measured_kwh: f64,
    steps: u64,
    jobs: u64,
    issues: Issues,
    skipped: Skipped,
    inputs: Vec<InputInfo>,
}

fn glob(pattern: &str, name: &str) -> bool {
    // '*' matches any run of characters; '?' one character.
    fn rec(p: &[u8], n: &[u8]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some(b'*'), _) => rec(&p[1..], n) || (!n.is_empty() && rec(p, &n[1..])),
            (Some(b'?'), Some(_)) => rec(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => rec(&p[1..], &n[1..]),
            _ => false,
        }
    }
    rec(pattern.as_bytes(), name.as_bytes())
}

impl<'e> Accountant<'e> {
    /// Loads the center and prepares the run.
    pub fn new(engine: &'e Engine, opts: Options) -> Result<Accountant<'e>, AccountingError> {
        let center = engine.center(&opts.center, &opts.method, opts.zone.as_deref())?;
        let mut partitions = HashMap::new();
        for (i, p) in center.partitions.iter().enumerate() {
            partitions.insert(p.name.clone(), i);
            for a in &p.aliases {
                partitions.insert(a.clone(), i);
            }
        }
        let (default, default_name) = match &opts.default_partition {
            Some(d) => match partitions.get(d) {
                Some(&i) => (Some(center.partitions[i].clone()), d.clone()),
                None => {
                    return Err(AccountingError::Engine(impacts::Error::Request(format!(
                        "invalid --default-partition '{d}': expected a partition of {} ({})",
                        center.name,
                        center.partition_names().join(", ")
                    ))))
                }
            },
            None => match &center.default_partition {
                Some(d) => (Some(d.clone()), d.name.clone()),
                None => (None, String::new()),
            },
        };
        let criteria: Vec<(String, String)> = engine
            .bundle()
            .criteria
            .iter()
            .map(|c| (c.key.clone(), c.unit.clone()))
            .collect();
        let names = criteria.iter().map(|c| c.0.clone()).collect();
        if let LoadPolicy::Fixed(l) = opts.load {
            if !(l.is_finite() && (0.0..=100.0).contains(&l)) {
                return Err(AccountingError::Engine(impacts::Error::Request(format!(
                    "invalid --load '{}': expected a percentage between 0 and 100, or from-cputime",
                    fmt_num(l)
                ))));
            }
        }
        Ok(Accountant {
            engine,
            center,
            criteria,
            names,
            partitions,
            default,
            default_name,
            ests: Vec::new(),
            est_index: HashMap::new(),
            out: Vec::new(),
            job_warnings: Vec::new(),
            bounds: Vec::new(),
            current: String::new(),
            recent: Recent::default(),
            opts,
        })
    }

    /// The criteria keys, in report order.
    pub fn criteria(&self) -> &[String] {
        &self.names
    }

    /// The loaded center.
    pub fn center(&self) -> &Center {
        &self.center
    }

    fn estimator(
        &mut self,
        cluster: usize,
        group: Option<usize>,
        measured: bool,
    ) -> Result<usize, AccountingError> {
        if let Some(&i) = self.est_index.get(&(cluster, group, measured)) {
            return Ok(i);
        }
        let part = self
            .center
            .partitions
            .iter()
            .chain(self.default.iter())
            .find(|p| p.cluster == cluster)
            .cloned()
            .expect("partition of a known cluster");
        let est = JobEstimator::new(
            self.engine,
            &self.center,
            &part,
            group,
            &self.opts.method,
            measured,
        )?;
        let mc = (self.opts.job_samples > 0).then(|| {
            let totals = &est.outputs()[..self.criteria.len()];
            let mc = MonteCarlo::new(
                &est.model.graph,
                totals,
                self.opts.job_samples,
                self.opts.seed,
            );
            let s = mc.scratch();
            (mc, s)
        });
        let buf = est.buffer();
        self.ests.push(Est { est, buf, mc });
        let i = self.ests.len() - 1;
        self.est_index.insert((cluster, group, measured), i);
        Ok(i)
    }

    /// Reads every input, writes a row per job to `sink`, and returns the summary.
    /// `progress` is called now and then (every 65,536 jobs and at the end of each input).
    pub fn run(
        &mut self,
        paths: &[String],
        sink: &mut dyn JobSink,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<AccountingReport, AccountingError> {
        let mut sums = Sums {
            groups: self
                .opts
                .group_by
                .iter()
                .map(|g| (*g, HashMap::new()))
                .collect(),
            ..Sums::default()
        };
        let mut rec = JobRecord::default();
        for (index, path) in paths.iter().enumerate() {
            let src = input::reader(path, index, self.opts.input_format, &self.opts.text)?;
            let (mut reader, fmt, compression) = (src.reader, src.format, src.compression);
            let at = |jobs: u64, done: bool| Progress {
                jobs,
                input: index,
                inputs: paths.len(),
                bytes: src.consumed.load(std::sync::atomic::Ordering::Relaxed),
                size: src.size,
                done,
            };
            self.current = path.clone();
            let mut jobs_here = 0u64;
            loop {
                match reader.next_job(&mut rec, &mut sums.issues) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) if !e.fatal && self.opts.skip_bad_lines => {
                        sums.skipped.count += 1;
                        if sums.skipped.examples.len() < 5 {
                            sums.skipped.examples.push(e.to_string());
                        }
                        continue;
                    }
                    Err(e) => return Err(e.into()),
                }
                match self.process(&rec, sink, &mut sums) {
                    Ok(true) => {}
                    Err(AccountingError::Read(e)) if !e.fatal && self.opts.skip_bad_lines => {
                        sums.skipped.count += 1;
                        if sums.skipped.examples.len() < 5 {
                            sums.skipped.examples.push(e.to_string());
                        }
                        continue;
                    }
                    Err(e) => return Err(e),
                    Ok(false) => continue,
                }
                jobs_here += 1;
                if sums.jobs % 65_536 == 0 {
                    progress(at(sums.jobs, false));
                }
            }
            sums.inputs.push(InputInfo {
                file: path.clone(),
                format: fmt,
                compression,
                jobs: jobs_here,
            });
            progress(at(sums.jobs, index + 1 == paths.len()));
        }
        sink.finish()?;
        Ok(self.report(sums))
    }

    fn process(
        &mut self,
        rec: &JobRecord,
        sink: &mut dyn JobSink,
        sums: &mut Sums,
    ) -> Result<bool, AccountingError> {
        self.job_warnings.clear();
        if !self.recent.insert(identity(rec)) {
            sums.issues.note(
                "accounting.duplicate-job",
                format!(
                    "{}:{}: job {} (submitted {}) was already read: counted once",
                    self.current,
                    rec.line,
                    rec.job_id,
                    rec.submit
                        .map(|t| t.format())
                        .unwrap_or_else(|| "at an unknown time".into())
                ),
            );
            return Ok(false);
        }
        sums.jobs += 1;
        sums.steps += u64::from(rec.steps);
        let state = rec.state.unwrap_or(JobState::Unknown);
        if rec.state == Some(JobState::Other) {
            sums.issues.note(
                "accounting.unknown-state",
                format!(
                    "job {} has the unknown state '{}': counted under OTHER",
                    rec.job_id, rec.state_raw
                ),
            );
            self.job_warnings.push("accounting.unknown-state");
        } else if state == JobState::Unknown {
            sums.issues.note(
                "accounting.unknown-state",
                format!("job {} has no recorded state ('{}'): counted under UNKNOWN, not as unsuccessful", rec.job_id, rec.state_raw),
            );
            self.job_warnings.push("accounting.unknown-state");
        }
        // Partition.
        let pname = rec.partition.split(',').next().unwrap_or("").trim();
        let part: Partition = match self.partitions.get(pname) {
            Some(&i) => self.center.partitions[i].clone(),
            None => match &self.default {
                Some(d) => {
                    sums.issues.note(
                        "accounting.default-partition",
                        format!("partition '{pname}' is not in {}: its jobs are estimated on {}", self.center.file, self.default_name),
                    );
                    self.job_warnings.push("accounting.default-partition");
                    d.clone()
                }
                None => {
                    return Err(AccountingError::Read(ReadError {
                        file: self.current.clone(),
                        line: rec.line,
                        column: None,
                        field: Some("Partition".into()),
                        message: format!(
                            "unknown partition '{pname}' (job {}): expected one of {} — map other partitions with --default-partition",
                            rec.job_id,
                            self.center.partition_names().join(", ")
                        ),
                        fatal: false,
                    }))
                }
            },
        };
        // Duration.
        let secs = rec.duration_s().unwrap_or(0.0);
        let hours = secs / 3600.0;
        let started = state != JobState::Pending && (rec.start.is_some() || secs > 0.0);
        if matches!(
            state,
            JobState::Running | JobState::Suspended | JobState::Resizing
        ) {
            sums.issues.note(
                "accounting.running",
                format!(
                    "job {} is still {}: estimated over its elapsed time so far",
                    rec.job_id,
                    state.as_str()
                ),
            );
            self.job_warnings.push("accounting.running");
        }
        // Node group.
        let group = if part.groups.len() > 1 {
            let host = first_host(&rec.node_list);
            let g = host.as_deref().and_then(|h| {
                part.groups
                    .iter()
                    .position(|g| g.node_pattern.as_deref().is_some_and(|p| glob(p, h)))
            });
            if g.is_none() {
                sums.issues.note(
                    "job.node-type-mix",
                    format!("partition {} has several node types and no node_pattern matches the job's nodes: their count-weighted mix is used", part.name),
                );
                self.job_warnings.push("job.node-type-mix");
            }
            g
        } else {
            None
        };
        // Share of nodes.
        let cpn = part.cores_per_node;
        let gpn = part.gpus_per_node;
        let mpn = part.memory_gb_per_node;
        let nodes = rec.nodes.filter(|n| *n > 0.0);
        let shares = [
            rec.cpus.filter(|_| cpn > 0.0).map(|c| c / cpn),
            rec.gpus.filter(|g| *g > 0.0 && gpn > 0.0).map(|g| g / gpn),
            rec.mem_gb.filter(|_| mpn > 0.0).map(|m| m / mpn),
        ];
        let key_share = match part.allocation_key {
            AllocationKey::Node => nodes.or_else(|| {
                shares
                    .iter()
                    .flatten()
                    .copied()
                    .fold(None, |a: Option<f64>, b| Some(a.map_or(b, |a| a.max(b))))
                    .map(f64::ceil)
            }),
            AllocationKey::Cores => shares[0].or(nodes),
            AllocationKey::Gpus => shares[1].or(shares[0]).or(nodes),
            AllocationKey::Memory => shares[2].or(shares[0]).or(nodes),
            AllocationKey::Max => shares
                .iter()
                .flatten()
                .copied()
                .fold(None, |a: Option<f64>, b| Some(a.map_or(b, |a| a.max(b))))
                .or(nodes),
        };
        let mut share = key_share.unwrap_or(0.0);
        if let Some(n) = nodes {
            if share > n * 1.0001 {
                sums.issues.note(
                    "accounting.oversized",
                    format!(
                        "job {} uses more than its {} node(s) of partition {} hold ({} cores, {} GPUs): charged {} node(s) — check the center's node description",
                        rec.job_id,
                        fmt_num(n),
                        part.name,
                        fmt_num(rec.cpus.unwrap_or(0.0)),
                        fmt_num(rec.gpus.unwrap_or(0.0)),
                        fmt_num(n)
                    ),
                );
                self.job_warnings.push("accounting.oversized");
                share = n;
            }
        }
        if !part.is_default && share > part.nodes as f64 {
            sums.issues.note(
                "accounting.oversized",
                format!(
                    "job {} asks for more than partition {}'s {} nodes: charged {} nodes",
                    rec.job_id, part.name, part.nodes, part.nodes
                ),
            );
            self.job_warnings.push("accounting.oversized");
            share = part.nodes as f64;
        }
        let estimated = started && hours > 0.0 && share > 0.0;
        if !estimated {
            let why = if !started {
                "never started"
            } else if hours <= 0.0 {
                "has no duration"
            } else {
                "has no size (nodes, CPUs or GPUs)"
            };
            sums.issues.note(
                "accounting.not-estimated",
                format!("job {} {why}: counted, with no impact", rec.job_id),
            );
            self.job_warnings.push("accounting.not-estimated");
        }
        // Load.
        let load = match self.opts.load {
            LoadPolicy::Fixed(l) => l,
            LoadPolicy::Default => {
                if estimated {
                    sums.issues.add("default.load", 1, "no load given: 100 % is assumed for CPUs and GPUs (give --load, or --load from-cputime)");
                }
                100.0
            }
            LoadPolicy::FromCpuTime => match (rec.total_cpu_s, rec.cpus) {
                (Some(t), Some(c)) if secs > 0.0 && c > 0.0 => {
                    (100.0 * t / (secs * c)).clamp(0.0, 100.0)
                }
                _ => {
                    if estimated {
                        sums.issues.add(
                            "accounting.load-unknown",
                            1,
                            "no TotalCPU for the job: 100 % load assumed",
                        );
                        self.job_warnings.push("accounting.load-unknown");
                    }
                    100.0
                }
            },
        };
        // Measured energy.
        let measured_j = rec.measured_energy_j();
        let measured = estimated && measured_j.is_some();
        if measured {
            sums.issues.add(
                "job.measured-energy",
                1,
                "the measured energy (ConsumedEnergyRaw) replaces the modelled electricity; it is exact only for nodes the job had alone",
            );
            self.job_warnings.push("job.measured-energy");
        }
        let n = self.criteria.len();
        let extensive = 5 * n + 3;
        let mut key = None;
        let mut measured_kwh = 0.0;
        let mut energy_source = "none";
        if estimated {
            let ei = self.estimator(part.cluster, group, measured)?;
            let e = &mut self.ests[ei];
            let total_outputs = e.est.outputs().len();
            self.out.resize(total_outputs, 0.0);
            let mut p = [hours, share, load, load, 0.0];
            let np = if measured {
                measured_kwh = measured_j.unwrap_or(0.0) / 3.6e6;
                p[params::MEASURED_KWH] = measured_kwh;
                5
            } else {
                4
            };
            e.est.point_in(&mut e.buf, &p[..np], &mut self.out);
            if let Some((mc, scratch)) = &mut e.mc {
                mc.evaluate(scratch, &p[..np]);
                self.bounds.clear();
                let mut buf = Vec::new();
                for c in 0..n {
                    let s = impacts::impacts_model::eval::spread(
                        self.out[c],
                        mc.output(scratch, c),
                        self.opts.percentiles,
                        &mut buf,
                    );
                    self.bounds.push((s.low, s.high));
                }
            }
            key = Some(BucketKey {
                estimator: ei as u32,
                cpu_load: load.round() as u16,
                gpu_load: load.round() as u16,
            });
            energy_source = if measured { "measured" } else { "model" };
            if measured {
                sums.measured_jobs += 1;
                sums.measured_kwh += measured_kwh;
            }
        } else {
            self.out.clear();
        }
        let row = JobRow {
            record: rec,
            partition: &part.name,
            node_equivalents: share,
            hours,
            cpu_load: load,
            energy_source,
            outputs: if estimated { &self.out } else { &[] },
            bounds: (estimated && self.opts.job_samples > 0).then_some(self.bounds.as_slice()),
            warnings: &self.job_warnings,
        };
        sink.write(&row)?;
        // Summary.
        let nh = share * hours;
        let core_h = rec.cpus.unwrap_or(0.0) * hours;
        let gpu_h = rec.gpus.unwrap_or(0.0) * hours;
        let outs: &[f64] = if estimated {
            &self.out[..extensive]
        } else {
            &[]
        };
        sums.totals
            .add(estimated, nh, core_h, gpu_h, outs, key, measured_kwh);
        sums.by_state
            .entry(state.as_str().to_string())
            .or_default()
            .add(estimated, nh, core_h, gpu_h, outs, key, measured_kwh);
        let mut k = String::new();
        for (g, map) in &mut sums.groups {
            k.clear();
            match g {
                GroupBy::User => k.push_str(&rec.user),
                GroupBy::Account => k.push_str(&rec.account),
                GroupBy::Partition => k.push_str(&part.name),
                GroupBy::State => k.push_str(state.as_str()),
                GroupBy::Day => k.push_str(
                    &rec.date()
                        .map(|t| t.day())
                        .unwrap_or_else(|| "(no date)".into()),
                ),
                GroupBy::Month => k.push_str(
                    &rec.date()
                        .map(|t| t.month())
                        .unwrap_or_else(|| "(no date)".into()),
                ),
            }
            if k.is_empty() {
                k.push_str("(none)");
            }
            match map.get_mut(k.as_str()) {
                Some(a) => a.add(estimated, nh, core_h, gpu_h, outs, key, measured_kwh),
                None => {
                    let mut a = Acc::default();
                    a.add(estimated, nh, core_h, gpu_h, outs, key, measured_kwh);
                    map.insert(k.clone(), a);
                }
            }
        }
        Ok(true)
    }

    /// Monte Carlo samples of an Acc's extensive outputs: Σ over its buckets of one evaluation each.
    fn samples_of(
        &self,
        acc: &Acc,
        mcs: &mut HashMap<u32, (MonteCarlo, impacts::impacts_model::eval::McScratch)>,
    ) -> Option<Vec<Vec<f64>>> {
        if self.opts.samples == 0 || acc.buckets.is_empty() {
            return None;
        }
        let n = self.criteria.len();
        let extensive = 5 * n + 3;
        let mut total = vec![vec![0.0; self.opts.samples]; extensive];
        let mut keys: Vec<(&BucketKey, &(f64, f64))> = acc.buckets.iter().collect();
        keys.sort_by_key(|(k, _)| (k.estimator, k.cpu_load, k.gpu_load));
        for (k, (nh, kwh)) in keys {
            let (mc, scratch) = mcs.entry(k.estimator).or_insert_with(|| {
                let e = &self.ests[k.estimator as usize];
                let mc = MonteCarlo::new(
                    &e.est.model.graph,
                    &e.est.outputs()[..extensive],
                    self.opts.samples,
                    self.opts.seed,
                );
                let s = mc.scratch();
                (mc, s)
            });
            let measured = self.ests[k.estimator as usize].est.measured();
            let p = [*nh, 1.0, f64::from(k.cpu_load), f64::from(k.gpu_load), *kwh];
            mc.evaluate(scratch, if measured { &p[..5] } else { &p[..4] });
            for (i, t) in total.iter_mut().enumerate() {
                for (a, b) in t.iter_mut().zip(mc.output(scratch, i)) {
                    *a += b;
                }
            }
        }
        Some(total)
    }

    fn report(&self, mut sums: Sums) -> AccountingReport {
        let n = self.criteria.len();
        let mut mcs = HashMap::new();
        let total_samples = self.samples_of(&sums.totals, &mut mcs);
        let central = &sums.totals;
        let crit_central: Vec<f64> = (0..n).map(|c| central.sum(c)).collect();
        let impacts = estimates(
            &self.criteria,
            &crit_central,
            total_samples.as_ref().map(|s| &s[..n]),
            self.opts.percentiles,
        );
        let mut phases = OrderedMap::new();
        for (pi, ph) in ["manufacturing", "use", "idle", "facility"]
            .iter()
            .enumerate()
        {
            let c: Vec<f64> = (0..n).map(|c| central.sum(n + pi * n + c)).collect();
            let s = total_samples
                .as_ref()
                .map(|s| &s[n + pi * n..n + (pi + 1) * n]);
            phases.push(*ph, estimates(&self.criteria, &c, s, self.opts.percentiles));
        }
        let mut energy = OrderedMap::new();
        energy.push("it_kwh", central.sum(5 * n));
        energy.push("with_overhead_kwh", central.sum(5 * n + 1));
        energy.push("idle_kwh", central.sum(5 * n + 2));
        energy.push("measured_jobs", sums.measured_jobs as f64);
        energy.push("measured_kwh", sums.measured_kwh);
        let mut usage = OrderedMap::new();
        usage.push("node_hours", central.node_hours);
        usage.push("core_hours", central.core_hours);
        usage.push("gpu_hours", central.gpu_hours);
        // Unsuccessful jobs.
        let mut un_jobs = 0;
        let mut un_sum = vec![0.0; n];
        let mut by_state = OrderedMap::new();
        for (s, acc) in &sums.by_state {
            if JobState::parse(s).is_unsuccessful() {
                un_jobs += acc.jobs;
                let mut m = OrderedMap::new();
                for (c, (k, _)) in self.criteria.iter().enumerate() {
                    un_sum[c] += acc.sum(c);
                    m.push(k.clone(), acc.sum(c));
                }
                by_state.push(s.clone(), m);
            }
        }
        let unsuccessful = Unsuccessful {
            jobs: un_jobs,
            share: shares(&self.criteria, &un_sum, &crit_central),
            by_state,
        };
        // Groups.
        let mut groups = OrderedMap::new();
        for (g, map) in &sums.groups {
            let mut rows = Vec::new();
            for (key, acc) in sorted_groups(map).into_iter().take(self.opts.top) {
                let c: Vec<f64> = (0..n).map(|i| acc.sum(i)).collect();
                let s = self.samples_of(acc, &mut mcs);
                rows.push(GroupRow {
                    key: key.clone(),
                    jobs: acc.jobs,
                    node_hours: acc.node_hours,
                    core_hours: acc.core_hours,
                    gpu_hours: acc.gpu_hours,
                    energy_kwh: acc.sum(5 * n + 1),
                    impacts: estimates(
                        &self.criteria,
                        &c,
                        s.as_ref().map(|s| &s[..n]),
                        self.opts.percentiles,
                    ),
                    share: shares(&self.criteria, &c, &crit_central),
                });
            }
            groups.push(g.as_str(), rows);
        }
        // Warnings: the partition's and model's (once), then the run's counts.
        let mut warnings: Vec<WarningCount> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for e in &self.ests {
            for w in &e.est.warnings {
                if w.code == "default.load" || w.code == "job.measured-energy" {
                    continue;
                }
                if seen.insert((w.code.clone(), w.message.clone())) {
                    warnings.push(WarningCount {
                        code: w.code.clone(),
                        count: 0,
                        message: w.message.clone(),
                        examples: vec![],
                    });
                }
            }
        }
        for (code, issue) in std::mem::take(&mut sums.issues.by_code) {
            let mut ex = issue.examples.into_iter();
            warnings.push(WarningCount {
                code,
                count: issue.count,
                message: ex.next().unwrap_or_default(),
                examples: ex.collect(),
            });
        }
        if sums.skipped.count > 0 {
            let mut m = String::new();
            let _ = write!(
                m,
                "{} malformed record(s) skipped (--skip-bad-lines)",
                sums.skipped.count
            );
            warnings.push(WarningCount {
                code: "accounting.skipped".into(),
                count: sums.skipped.count,
                message: m,
                examples: sums.skipped.examples.clone(),
            });
        }
        let mut unc = Uncertainty::new(self.opts.samples, self.opts.seed, self.opts.percentiles);
        if self.opts.samples > 0 {
            unc.note.push_str("; totals and groups are summed sample by sample over jobs, so factors shared by jobs (PUE, electricity, hardware) are correlated as they should be");
        }
        AccountingReport {
            kind: "accounting".into(),
            center: self.center.name.clone(),
            center_file: self.center.file.clone(),
            zone: self.center.spec.zone.code.clone(),
            inputs: std::mem::take(&mut sums.inputs),
            jobs: sums.jobs,
            jobs_estimated: sums.totals.estimated,
            steps: sums.steps,
            skipped: sums.skipped.clone(),
            impacts,
            phases,
            energy,
            usage,
            unsuccessful,
            groups,
            warnings,
            method: self.opts.method.clone(),
            data_bundle: self.engine.bundle().hash.clone(),
            data_bundle_version: self.engine.bundle().meta.version.clone(),
            uncertainty: unc,
            impacts_version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("r*i*n*", "r3i5n2"));
        assert!(glob("cpn-k0?-*", "cpn-k07-02-01"));
        assert!(!glob("gpu*", "cpu12"));
        assert!(glob("*", ""));
    }
}
