//! From records to footprints: partition mapping, estimation, per-job rows and the summary.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::mpsc::{Receiver, Sender, SyncSender};
use std::sync::Arc;

use impacts::impacts_center::{Center, Partition};
use impacts::impacts_grid::Integral;
use impacts::impacts_model::eval::{MonteCarlo, Percentiles};
use impacts::impacts_model::job::{job_layout, DrawnLoads};
use impacts::impacts_model::layout::{job_measures, Measure, OutputLayout};
use impacts::impacts_model::quantity::fmt_num;
use impacts::impacts_model::report::Phase;
use impacts::{
    charge, CenterSource, Demand, Engine, InputError, JobEstimator, Location, OrderedMap,
    Uncertainty,
};
use serde::{Deserialize, Serialize};

use crate::clock::Clocks;
use crate::hash::FastBuild;
use crate::input::{self, InputFormat};
use crate::load_shape::{self, LoadShape};
use crate::record::{first_host, Clock, JobRecord, JobState};
use crate::sacct_text::TextOptions;
use crate::sink::{JobColumns, JobRow, JobSink};
use crate::summary::{
    estimates, shares, sorted_groups, Acc, BucketKey, GroupBy, GroupRow, Groups, JobBucket,
    LoadSums, Unsuccessful,
};
use crate::{Issues, ReadError};
use impacts_table::TableError;

mod partial;
pub use partial::{Partial, PartialError};

/// How the load of a job is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum LoadPolicy {
    /// The CPU load from the CPU time where the record has it (counted
    /// `accounting.load-from-cputime`), else drawn from the method's distribution with a warning;
    /// the GPU load drawn. The reference method takes 100 % wherever a load is not given.
    Default,
    /// A given load for every job (%).
    Fixed(f64),
    /// CPU load = TotalCPU / (elapsed × CPUs), where recorded; drawn otherwise (counted; 100 %
    /// with the reference method).
    FromCpuTime,
}

/// The modes of a method's distributions of an unknown load (`load.cpu_unknown`,
/// `load.gpu_unknown`), or None when the method takes an unknown load as 100 %.
fn drawn_modes(engine: &Engine, method: &str) -> Result<Option<(f64, f64)>, AccountingError> {
    let constants = engine
        .bundle()
        .constants(method)
        .map_err(impacts::Error::from)?;
    if constants.is_reference("load") {
        return Ok(None);
    }
    let mode = |key: &str| {
        constants.get(key, None).map(|q| q.value).ok_or_else(|| {
            impacts::Error::from(impacts::impacts_data::DataError::Bundle {
                file: "constants.toml".into(),
                line: 0,
                message: format!("{key} is needed for jobs of unknown load"),
            })
        })
    };
    Ok(Some((mode("load.cpu_unknown")?, mode("load.gpu_unknown")?)))
}

/// A Monte Carlo of an estimator's totals (and `extra` outputs after them), with its scratch.
fn totals_mc(
    est: &JobEstimator,
    extra: &[impacts::impacts_model::graph::NodeId],
    samples: usize,
    seed: u64,
) -> (MonteCarlo, impacts::impacts_model::eval::McScratch) {
    let mut outputs = est.outputs()[est.layout().totals()].to_vec();
    outputs.extend_from_slice(extra);
    let mc = MonteCarlo::new(&est.model.graph, &outputs, samples, seed);
    let s = mc.scratch();
    (mc, s)
}

/// A job's CPU load from its record: TotalCPU / (elapsed × CPUs), in percent; None when the
/// record lacks either.
fn cpu_time_load(rec: &JobRecord, secs: f64) -> Option<f64> {
    match (rec.total_cpu_s, rec.cpus) {
        (Some(t), Some(c)) if secs > 0.0 && c > 0.0 => {
            Some((100.0 * t / (secs * c)).clamp(0.0, 100.0))
        }
        _ => None,
    }
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
    /// How many of the last jobs read a new job is compared with to find duplicates (0: none).
    pub dedup_window: usize,
    /// Options of the sacct text reader.
    pub text: TextOptions,
    /// IANA time zone of the scheduler's local times, instead of the center file's.
    pub time_zone: Option<String>,
    /// An intensity series of the center's zone: each job's use phase takes the mean intensity
    /// over its own window instead of the zone's annual climate-change factor.
    pub grid: Option<Arc<Integral>>,
}

/// The last jobs read among which duplicates are looked for, by default.
pub const DEDUP_WINDOW: usize = 65_536;

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
            dedup_window: DEDUP_WINDOW,
            text: TextOptions::default(),
            time_zone: None,
            grid: None,
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
    /// The per-job output could not be written (or a value of it was refused).
    #[error(transparent)]
    Write(#[from] TableError),
    /// Partial runs that cannot be read or merged.
    #[error(transparent)]
    Partial(#[from] PartialError),
}

struct Est {
    est: JobEstimator,
    buf: Vec<f64>,
    mc: Option<(MonteCarlo, impacts::impacts_model::eval::McScratch)>,
    /// The Monte Carlo of its totals per node-hour, for the per-job bounds without per-job
    /// sampling (built at the first bucket that needs it).
    unit_mc: Option<(MonteCarlo, impacts::impacts_model::eval::McScratch)>,
    /// How the load enters its outputs (crate::load_shape).
    shape: LoadShape,
    /// Its cluster, node group, whether energy is measured and which loads are drawn: what names
    /// it in another run.
    key: EstimatorKey,
}

/// An estimator's identity: cluster, node group, measured energy, drawn loads.
type EstimatorKey = (usize, Option<usize>, bool, DrawnLoads);

impl Est {
    /// Whether its sums are kept per whole-percent load: not separable in load, as every
    /// estimator of a drawn load is made (`Accountant::estimator`: its bucket key holds
    /// [`DRAWN_LOAD`], so that stored and merged sums keep it apart).
    fn per_load(&self) -> bool {
        self.shape == LoadShape::PerLoad
    }
}

/// The whole-percent load of a bucket whose load is drawn from the method's distribution (no
/// measured load exceeds 100): bucket keys of stores and partial runs carry it.
pub const DRAWN_LOAD: u16 = 1000;

/// Whether a bucket's whole-percent load is one: 0 to 100, or [`DRAWN_LOAD`].
fn bucket_load(l: u16) -> bool {
    l <= 100 || l == DRAWN_LOAD
}

/// Which loads of a bucket are drawn, from its whole-percent loads.
fn drawn_of(loads: Option<(u16, u16)>) -> DrawnLoads {
    loads.map_or(DrawnLoads::default(), |(c, g)| DrawnLoads {
        cpu: c == DRAWN_LOAD,
        gpu: g == DRAWN_LOAD,
    })
}

/// A bucket of the Monte Carlo of sums: an estimator, and a whole-percent load pair only when
/// its outputs are not separable in load.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct McKey {
    estimator: u32,
    loads: Option<(u16, u16)>,
}

/// The run's Monte Carlo buckets, numbered in order of appearance.
#[derive(Default)]
struct McBuckets {
    keys: Vec<McKey>,
    index: HashMap<McKey, u32, FastBuild>,
}

impl McBuckets {
    fn id(&mut self, key: McKey) -> u32 {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.keys.len() as u32;
        self.keys.push(key);
        self.index.insert(key, i);
        i
    }
}

/// Monte Carlo evaluators per estimator, and each bucket's samples per unit, kept between sums
/// (see [`Accountant::totals_of`]).
#[derive(Default)]
pub struct SampleCache {
    mcs: HashMap<u32, (MonteCarlo, impacts::impacts_model::eval::McScratch)>,
    units: HashMap<u32, UnitSamples>,
}

/// A Monte Carlo bucket's samples of every extensive output: per node-hour at 0 % load (or at
/// the bucket's load), the change per node-hour from 0 to 100 % CPU and GPU load (separable
/// estimators), and per measured kWh. The model is linear in node-hours and kWh (tested), and
/// separable in load where the shape says so (crate::load_shape): the samples of a sum of jobs
/// are Σ node-hours × the first + Σ node-hours·φc × the second + … over its buckets, without
/// evaluating the model again for each sum.
struct UnitSamples {
    per_node_hour: Vec<Vec<f64>>,
    cpu: Option<Vec<Vec<f64>>>,
    gpu: Option<Vec<Vec<f64>>>,
    per_kwh: Option<Vec<Vec<f64>>>,
}

/// Totals of a sum of jobs with their bounds, per criterion and per phase.
#[derive(Clone, Debug, Serialize)]
pub struct Totals {
    /// Per criterion.
    pub impacts: OrderedMap<impacts::impacts_model::report::Estimate>,
    /// Per phase, per criterion.
    pub phases: OrderedMap<OrderedMap<impacts::impacts_model::report::Estimate>>,
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
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
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
    layout: OutputLayout,
    partitions: HashMap<String, usize, FastBuild>,
    parts: Vec<Arc<Partition>>,
    default: Option<Arc<Partition>>,
    default_name: String,
    ests: Vec<Est>,
    est_index: HashMap<EstimatorKey, usize, FastBuild>,
    out: Vec<f64>,
    job_warnings: Vec<&'static str>,
    /// The current job's bounds of its totals, when `bounded`.
    bounds: Vec<(f64, f64)>,
    bounded: bool,
    /// The modes of the method's distributions of an unknown CPU and GPU load, which are drawn;
    /// None where the method takes an unknown load as 100 % (the reference's assumption).
    drawn_modes: Option<(f64, f64)>,
    current: String,
    recent: Recent,
    key: String,
    buckets: Buckets,
    mc_buckets: McBuckets,
    clocks: Clocks,
    grid: Option<GridUse>,
    /// Where a series' correction goes: also without a series, for sums of jobs a store kept
    /// with their covered parts (`impacts serve`).
    grid_at: Option<GridAt>,
}

/// Where a grid series changes the outputs: climate change in all and in the use phase, and the
/// electricity with overhead that replaces the use phase's annual factor.
#[derive(Clone, Copy, Debug)]
struct GridAt {
    total: usize,
    use_phase: usize,
    energy: usize,
}

impl GridAt {
    fn of(names: &[String], layout: &OutputLayout) -> Option<GridAt> {
        let c = names.iter().position(|n| n == "gwp")?;
        Some(GridAt {
            total: layout.total(c),
            use_phase: layout.phase(Phase::Use, c)?,
            energy: layout.measure(&job_measures::ENERGY_WITH_OVERHEAD)?,
        })
    }
}

/// A time-resolved intensity in place of the zone's annual climate-change factor in each job's
/// use phase (docs/accounting.md#hour-by-hour): the use phase's climate change is the
/// electricity with overhead × the window's mean intensity, for the part of the window the
/// series covers; the rest keeps the annual factor.
struct GridUse {
    integral: Arc<Integral>,
    /// The zone's annual factor (central value), gCO2eq/kWh.
    annual: f64,
    /// Where its correction goes.
    at: GridAt,
    /// What the series says of itself (zone, kind, clock).
    warnings: Vec<impacts::impacts_model::report::Warning>,
}

/// What the series covered of a job's window: the share of its seconds, and their mean
/// intensity (gCO2eq/kWh).
#[derive(Clone, Copy, Debug)]
struct Covered {
    share: f64,
    mean: f64,
}

/// The run's buckets (estimator × whole-percent load), numbered in order of appearance, with
/// each one's outputs per node-hour (and per measured kWh) once computed: the job model is
/// linear in node-hours at a given load (tested), so a job at a whole-percent load costs a
/// multiplication per output instead of an evaluation of the model.
#[derive(Default)]
struct Buckets {
    keys: Vec<BucketKey>,
    index: HashMap<BucketKey, u32, FastBuild>,
    last: Option<(BucketKey, u32)>,
    units: Vec<Option<Units>>,
    /// Each bucket's spread per node-hour, as ratios of its totals' bounds to their central
    /// values, once computed ([`Accountant::bucket_ratios`]).
    ratios: Vec<Option<Vec<(f64, f64)>>>,
}

struct Units {
    per_node_hour: Vec<f64>,
    per_kwh: Vec<f64>,
}

impl Buckets {
    fn id(&mut self, key: BucketKey) -> u32 {
        if let Some((k, i)) = self.last {
            if k == key {
                return i;
            }
        }
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                let i = self.keys.len() as u32;
                self.keys.push(key);
                self.units.push(None);
                self.ratios.push(None);
                self.index.insert(key, i);
                i
            }
        };
        self.last = Some((key, i));
        i
    }
}

/// The identities of the last jobs read (a window of [`Options::dedup_window`] jobs), to count a
/// job listed twice (overlapping extracts, files concatenated twice) once, in bounded memory: a
/// ring of 64-bit identities and a table of the same, about 24 bytes per job of the window.
struct Recent {
    set: HashSet<u64, BuildHasherDefault<Prehashed>>,
    ring: Vec<u64>,
    next: usize,
    capacity: usize,
}

impl Recent {
    fn new(capacity: usize) -> Recent {
        Recent {
            set: HashSet::with_capacity_and_hasher(capacity, Default::default()),
            ring: Vec::with_capacity(capacity),
            next: 0,
            capacity,
        }
    }

    /// Remembers `key`; false if it is already in the window.
    fn insert(&mut self, key: u64) -> bool {
        if self.capacity == 0 {
            return true;
        }
        if !self.set.insert(key) {
            return false;
        }
        if self.ring.len() < self.capacity {
            self.ring.push(key);
        } else {
            let old = std::mem::replace(&mut self.ring[self.next], key);
            self.set.remove(&old);
            self.next = (self.next + 1) % self.capacity;
        }
        true
    }
}

/// The hasher of keys that are hashes already.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Cluster, job id and submit time (the start when no submit time is given) as a 64-bit hash. A
/// false duplicate would drop a job: within a window of 65,536 jobs the chance that a new job collides with one of them is 65,536 / 2^64
/// (about 4e-15), a billion jobs make it about 4e-6.
fn identity(rec: &JobRecord) -> u64 {
    let mut h = FastBuild::default().build_hasher();
    rec.cluster.hash(&mut h);
    rec.job_id.hash(&mut h);
    // A table has no submit time: its start tells two uses of one id apart.
    rec.submit.or(rec.start).map(|t| t.0).hash(&mut h);
    h.finish()
}

/// What the reading stage sends to the accounting stage.
enum Msg {
    /// An input is open.
    Opened {
        index: usize,
        consumed: Arc<AtomicU64>,
        size: Option<u64>,
    },
    /// A batch of records: the first `n` are new.
    Records(Vec<JobRecord>, usize),
    /// A malformed record, skipped (`skip_bad_lines`).
    Skipped(ReadError),
    /// Reading cannot go on.
    Failed(ReadError),
    /// An input is read to its end.
    Closed {
        index: usize,
        format: InputFormat,
        compression: Option<&'static str>,
        issues: Issues,
    },
}

/// What the reading stage needs of the options.
struct ReadOptions {
    format: Option<InputFormat>,
    text: TextOptions,
    skip_bad_lines: bool,
}

const BATCH: usize = 512;

/// The reading stage: every input in turn, in batches, each job once. Stops when the accounting
/// stage hangs up.
fn read_inputs(
    paths: &[String],
    o: &ReadOptions,
    tx: &SyncSender<Msg>,
    back: &Receiver<Vec<JobRecord>>,
) {
    let mut spare: Vec<Vec<JobRecord>> = Vec::new();
    for (index, path) in paths.iter().enumerate() {
        let src = match input::reader(path, index, o.format, &o.text) {
            Ok(s) => s,
            Err(e) => {
                let _ = tx.send(Msg::Failed(e));
                return;
            }
        };
        let opened = Msg::Opened {
            index,
            consumed: src.consumed.clone(),
            size: src.size,
        };
        if tx.send(opened).is_err() {
            return;
        }
        let mut reader = src.reader;
        let mut issues = Issues::default();
        let mut batch = spare
            .pop()
            .or_else(|| back.try_recv().ok())
            .unwrap_or_default();
        let mut n = 0;
        loop {
            if batch.len() <= n {
                batch.push(JobRecord::default());
            }
            match reader.next_job(&mut batch[n], &mut issues) {
                Ok(true) => n += 1,
                Ok(false) => break,
                Err(e) if !e.fatal && o.skip_bad_lines => {
                    if tx.send(Msg::Skipped(e)).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    if n > 0 && tx.send(Msg::Records(batch, n)).is_err() {
                        return;
                    }
                    let _ = tx.send(Msg::Failed(e));
                    return;
                }
            }
            if n == BATCH {
                if tx.send(Msg::Records(batch, n)).is_err() {
                    return;
                }
                batch = back.try_recv().unwrap_or_default();
                n = 0;
            }
        }
        if n > 0 {
            if tx.send(Msg::Records(batch, n)).is_err() {
                return;
            }
        } else {
            spare.push(batch);
        }
        let closed = Msg::Closed {
            index,
            format: src.format,
            compression: src.compression,
            issues,
        };
        if tx.send(closed).is_err() {
            return;
        }
    }
}

/// Sums of a run, before the report is made.
#[derive(Default, Serialize, Deserialize)]
struct Sums {
    totals: Acc,
    by_state: BTreeMap<JobState, Acc>,
    groups: Vec<(GroupBy, Groups)>,
    measured_jobs: u64,
    measured_kwh: f64,
    steps: u64,
    jobs: u64,
    issues: Issues,
    skipped: Skipped,
    #[serde(deserialize_with = "partial::inputs")]
    inputs: Vec<InputInfo>,
}

/// What the model needs of a job, once its partition and charge are known.
struct Job {
    hours: f64,
    share: f64,
    /// The loads (%): the distributions' modes where drawn.
    cpu_load: f64,
    gpu_load: f64,
    /// Which loads are unknown, drawn from the method's distributions.
    drawn: DrawnLoads,
    /// Measured energy of an estimated job (J).
    measured_j: Option<f64>,
}

impl Job {
    /// Its loads in whole percent as its bucket keys them ([`DRAWN_LOAD`] where drawn).
    fn bucket_loads(&self) -> (u16, u16) {
        let whole = |v: f64, drawn: bool| if drawn { DRAWN_LOAD } else { v.round() as u16 };
        (
            whole(self.cpu_load, self.drawn.cpu),
            whole(self.gpu_load, self.drawn.gpu),
        )
    }

    /// Whether its given loads are whole percents (a drawn load's parameter is not used).
    fn whole_loads(&self) -> bool {
        let whole = |v: f64, drawn: bool| drawn || v == v.round();
        whole(self.cpu_load, self.drawn.cpu) && whole(self.gpu_load, self.drawn.gpu)
    }
}

/// What the estimate of a job adds to the sums.
struct Estimated {
    /// The job's Monte Carlo bucket and what it adds to it; None when the job was not estimated.
    mc: Option<(u32, LoadSums)>,
    /// Whether its bucket is per load (the estimator is not separable in load).
    per_load: bool,
    energy_source: &'static str,
}

impl Estimated {
    fn none() -> Estimated {
        Estimated {
            mc: None,
            per_load: false,
            energy_source: "none",
        }
    }
}

/// The key of a job in a group table (`(none)` when empty).
fn group_key(k: &mut String, g: GroupBy, rec: &JobRecord, partition: &str, state: JobState) {
    k.clear();
    match g {
        GroupBy::User => k.push_str(&rec.user),
        GroupBy::Account => k.push_str(&rec.account),
        GroupBy::Partition => k.push_str(partition),
        GroupBy::State => k.push_str(state.as_str()),
        GroupBy::Day => match rec.date() {
            Some(t) => t.write_day(k),
            None => k.push_str("(no date)"),
        },
        GroupBy::Month => match rec.date() {
            Some(t) => t.write_month(k),
            None => k.push_str("(no date)"),
        },
    }
    if k.is_empty() {
        k.push_str("(none)");
    }
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

/// The most Monte Carlo samples per job ([`Options::job_samples`]): each job is sampled on its
/// own, so its cost multiplies the run's time (10,000 samples: about 3,000 jobs a second).
pub const MAX_JOB_SAMPLES: usize = 10_000;

/// The time zone of the scheduler's local times: the run's, else the center file's.
fn time_zone(
    opts: &Options,
    center: &Center,
) -> Result<Option<jiff::tz::TimeZone>, impacts::Error> {
    let (name, field) = match (&opts.time_zone, &center.time_zone) {
        (Some(z), _) => (z, "time_zone"),
        (None, Some(z)) => (z, "time_zone"),
        (None, None) => return Ok(None),
    };
    jiff::tz::TimeZone::get(name).map(Some).map_err(|_| {
        InputError::unknown(field, name, "an IANA time zone such as Europe/Paris or UTC").into()
    })
}

/// The series' use in a run: the zone's annual factor it replaces and where the outputs it
/// changes lie.
fn grid_use(
    engine: &Engine,
    center: &Center,
    at: Option<GridAt>,
    integral: Arc<Integral>,
) -> Result<GridUse, impacts::Error> {
    let no_factor = || {
        InputError::invalid(
            "zone",
            &center.spec.zone.code,
            "a zone with an annual climate-change factor in the data bundle, to fill what the series does not cover",
        )
    };
    let at = at.ok_or_else(no_factor)?;
    let annual = engine.annual_factor(center, "gwp").ok_or_else(no_factor)?;
    let warnings = engine.series_warnings(integral.series(), center);
    Ok(GridUse {
        integral,
        annual,
        at,
        warnings,
    })
}

/// A bucket term's covered part in the samples of a sum: its use phase's climate change at the
/// annual factor (`use_unit` × `covered`) replaced by its electricity at the series' intensity
/// (`energy_unit` × `weighted`), in the use phase and the total (when the sum has them).
fn grid_samples(
    total: &mut [Vec<f64>],
    g: GridAt,
    use_unit: &[f64],
    energy_unit: &[f64],
    covered: f64,
    weighted: f64,
) {
    for o in [g.total, g.use_phase] {
        let Some(t) = total.get_mut(o) else { continue };
        for ((a, u), e) in t.iter_mut().zip(use_unit).zip(energy_unit) {
            *a += weighted * e - covered * u;
        }
    }
}

/// How far Elapsed may be from End − Start before it is warned about (s), or 1 % of the span.
const ELAPSED_TOLERANCE_S: f64 = 60.0;

/// Checks the sampling options against their limits.
fn check_sampling(opts: &Options) -> Result<(), InputError> {
    impacts::Options {
        samples: opts.samples,
        percentiles: opts.percentiles,
        ..impacts::Options::default()
    }
    .check()?;
    if opts.job_samples > MAX_JOB_SAMPLES {
        return Err(InputError::invalid(
            "job_samples",
            opts.job_samples.to_string(),
            format!("at most {MAX_JOB_SAMPLES}"),
        ));
    }
    Ok(())
}

impl<'e> Accountant<'e> {
    /// Loads the center and prepares the run.
    pub fn new(engine: &'e Engine, opts: Options) -> Result<Accountant<'e>, AccountingError> {
        check_sampling(&opts).map_err(impacts::Error::from)?;
        let center = engine.center(&opts.center, &opts.method, opts.zone.as_deref())?;
        let drawn_modes = drawn_modes(engine, &opts.method)?;
        let mut partitions = HashMap::default();
        for (i, p) in center.partitions.iter().enumerate() {
            partitions.insert(p.name.clone(), i);
            for a in &p.aliases {
                partitions.insert(a.clone(), i);
            }
        }
        let (default, default_name) = match &opts.default_partition {
            Some(d) => match partitions.get(d) {
                Some(&i) => (Some(Arc::new(center.partitions[i].clone())), d.clone()),
                None => {
                    return Err(AccountingError::Engine(
                        InputError::unknown(
                            "default_partition",
                            d,
                            format!(
                                "a partition of {}: {}",
                                center.name,
                                center.partition_names().join(", ")
                            ),
                        )
                        .into(),
                    ))
                }
            },
            None => match &center.default_partition {
                Some(d) => (Some(Arc::new(d.clone())), d.name.clone()),
                None => (None, String::new()),
            },
        };
        let criteria = engine.bundle().criteria.key_units();
        let names: Vec<String> = criteria.iter().map(|c| c.0.clone()).collect();
        let layout = job_layout(criteria.len());
        if let LoadPolicy::Fixed(l) = opts.load {
            if !(l.is_finite() && (0.0..=100.0).contains(&l)) {
                return Err(AccountingError::Engine(
                    InputError::invalid("load", fmt_num(l), "a percentage between 0 and 100")
                        .into(),
                ));
            }
        }
        let parts = center.partitions.iter().cloned().map(Arc::new).collect();
        let clocks = Clocks::new(time_zone(&opts, &center)?);
        let grid_at = GridAt::of(&names, &layout);
        let grid = match &opts.grid {
            Some(g) => Some(grid_use(engine, &center, grid_at, g.clone())?),
            None => None,
        };
        Ok(Accountant {
            engine,
            parts,
            center,
            criteria,
            names,
            layout,
            partitions,
            default,
            default_name,
            ests: Vec::new(),
            est_index: HashMap::default(),
            out: Vec::new(),
            job_warnings: Vec::new(),
            bounds: Vec::new(),
            bounded: false,
            drawn_modes,
            current: String::new(),
            key: String::new(),
            recent: Recent::new(opts.dedup_window),
            buckets: Buckets::default(),
            mc_buckets: McBuckets::default(),
            clocks,
            opts,
            grid,
            grid_at,
        })
    }

    /// The criteria keys with their units, in report order.
    pub fn criteria_units(&self) -> &[(String, String)] {
        &self.criteria
    }

    /// The criteria keys, in report order.
    pub fn criteria(&self) -> &[String] {
        &self.names
    }

    /// Where each output of a job lies (the same for every partition).
    pub fn layout(&self) -> &OutputLayout {
        &self.layout
    }

    /// The columns of the per-job outputs of this run.
    pub fn columns(&self) -> JobColumns {
        JobColumns::new(&self.layout, &self.names)
    }

    /// What a per-job file records of the run (kept in Parquet files' metadata): the version,
    /// method, data bundle, center, zone and time zone.
    pub fn metadata(&self) -> Vec<(String, String)> {
        let bundle = self.engine.bundle();
        let mut m = vec![
            ("impacts.version", env!("CARGO_PKG_VERSION").to_string()),
            ("impacts.method", self.opts.method.clone()),
            ("impacts.data_bundle", bundle.hash.clone()),
            ("impacts.data_bundle_version", bundle.meta.version.clone()),
            ("impacts.center", self.center.name.clone()),
            ("impacts.zone", self.center.spec.zone.code.clone()),
        ];
        if let Some(tz) = self
            .opts
            .time_zone
            .as_ref()
            .or(self.center.time_zone.as_ref())
        {
            m.push(("impacts.time_zone", tz.clone()));
        }
        m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }

    /// The loaded center.
    pub fn center(&self) -> &Center {
        &self.center
    }

    /// The run's number of a stored job's Monte Carlo bucket (its estimator built if needed), for
    /// sums of jobs made elsewhere (a store's): their load sums go to [`Acc::buckets`] at that
    /// number.
    pub fn bucket_for(
        &mut self,
        partition: &str,
        bucket: &JobBucket,
    ) -> Result<u32, AccountingError> {
        let part = match self.partitions.get(partition) {
            Some(&i) => self.parts[i].clone(),
            None => {
                let e = InputError::unknown(
                    "partition",
                    partition,
                    format!("a partition of {}", self.center.name),
                );
                return Err(AccountingError::Engine(e.into()));
            }
        };
        let group = match bucket.node_group {
            Some(g) if g as usize >= part.groups.len() => {
                let e = InputError::invalid(
                    "node_group",
                    g.to_string(),
                    format!(
                        "a node group of partition {partition} (0 to {})",
                        part.groups.len().saturating_sub(1)
                    ),
                );
                return Err(AccountingError::Engine(e.into()));
            }
            g => g.map(|g| g as usize),
        };
        let loads = bucket
            .per_load
            .then_some((bucket.cpu_load, bucket.gpu_load));
        if let Some((c, g)) = loads {
            if !(bucket_load(c) && bucket_load(g)) {
                let e = InputError::invalid(
                    "bucket loads",
                    format!("{c} %, {g} %"),
                    format!("whole-percent loads of 0 to 100 (or {DRAWN_LOAD} for a drawn load)"),
                );
                return Err(AccountingError::Engine(e.into()));
            }
        }
        let ei = self.estimator((part.cluster, group, bucket.measured, drawn_of(loads)))?;
        Ok(self.mc_buckets.id(McKey {
            estimator: ei as u32,
            loads,
        }))
    }

    /// The impacts of sums made elsewhere (a store's) per criterion, with bounds computed as the
    /// run computes those of its groups (criteria only: cheaper than [`Accountant::totals_of`]).
    pub fn impacts_of(
        &self,
        acc: &Acc,
        cache: &mut SampleCache,
    ) -> OrderedMap<impacts::impacts_model::report::Estimate> {
        let n = self.criteria.len();
        let samples = self.samples_of(acc, cache, n);
        let central: Vec<f64> = (0..n).map(|c| acc.sum(c)).collect();
        estimates(
            &self.criteria,
            &central,
            samples.as_ref().map(|s| &s[..n]),
            self.opts.percentiles,
        )
    }

    /// The totals of sums made elsewhere (a store's), with bounds computed as the run computes
    /// its own: one Monte Carlo evaluation per bucket, summed sample by sample.
    pub fn totals_of(&self, acc: &Acc, cache: &mut SampleCache) -> Totals {
        let n = self.criteria.len();
        let samples = self.samples_of(acc, cache, usize::MAX);
        let central: Vec<f64> = (0..n).map(|c| acc.sum(c)).collect();
        Totals {
            impacts: estimates(
                &self.criteria,
                &central,
                samples.as_ref().map(|s| &s[..n]),
                self.opts.percentiles,
            ),
            phases: self.phases(acc, samples.as_deref()),
        }
    }

    /// A partition of the center (or the default one) whose nodes are `cluster`.
    fn partition_of_cluster(&self, cluster: usize) -> Option<&Partition> {
        self.center
            .partitions
            .iter()
            .chain(self.default.as_deref())
            .find(|p| p.cluster == cluster)
    }

    fn estimator(&mut self, key: EstimatorKey) -> Result<usize, AccountingError> {
        if let Some(&i) = self.est_index.get(&key) {
            return Ok(i);
        }
        let (cluster, group, measured, drawn) = key;
        let part = self
            .partition_of_cluster(cluster)
            .cloned()
            .expect("partition of a known cluster");
        let at = (group, self.opts.method.as_str());
        let est =
            JobEstimator::with_drawn_loads(self.engine, &self.center, &part, at, measured, drawn)?;
        let mc = (self.opts.job_samples > 0).then(|| {
            // The totals, and with a grid series the use phase's climate change and the
            // electricity after them (`job_bounds` replaces the covered part of the one by the
            // other at the window's intensity).
            let extra = self
                .grid
                .as_ref()
                .map(|g| [est.outputs()[g.at.use_phase], est.outputs()[g.at.energy]]);
            let extra = extra.as_ref().map_or(&[][..], |e| &e[..]);
            totals_mc(&est, extra, self.opts.job_samples, self.opts.seed)
        });
        let buf = est.buffer();
        // A drawn load keeps its sums per load (`Est::per_load`): no shape to find.
        let shape = if drawn.any() {
            LoadShape::PerLoad
        } else {
            load_shape::shape(&est)
        };
        self.ests.push(Est {
            est,
            buf,
            mc,
            unit_mc: None,
            shape,
            key,
        });
        let i = self.ests.len() - 1;
        self.est_index.insert(key, i);
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
        let sums = self.account_files(paths, sink, progress)?;
        Ok(self.report(sums))
    }

    /// As [`Accountant::run`], but returns the run's sums before the report ([`Partial`]), to
    /// be merged with other runs' ([`Partial::merge`], [`Accountant::report_of`]).
    pub fn run_partial(
        &mut self,
        paths: &[String],
        sink: &mut dyn JobSink,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Partial, AccountingError> {
        let sums = self.account_files(paths, sink, progress)?;
        Ok(self.partial_of(sums))
    }

    fn account_files(
        &mut self,
        paths: &[String],
        sink: &mut dyn JobSink,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Sums, AccountingError> {
        let mut sums = self.empty_sums();
        // Two stages on two threads: reading (decompression, parsing, steps, duplicates) and
        // accounting (mapping, estimation, outputs, sums). Batches of records go one way and
        // come back empty for reuse, through bounded channels: memory stays bounded.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Msg>(4);
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<JobRecord>>();
        let reading = ReadOptions {
            format: self.opts.input_format,
            text: self.opts.text.clone(),
            skip_bad_lines: self.opts.skip_bad_lines,
        };
        std::thread::scope(|scope| -> Result<Sums, AccountingError> {
            scope.spawn(move || read_inputs(paths, &reading, &tx, &back_rx));
            let result = self.consume(paths, &rx, &back_tx, sink, &mut sums, progress);
            // Stop the reader if it is still going (an error here), then wait for it.
            drop(rx);
            drop(back_tx);
            result?;
            sink.finish()?;
            Ok(sums)
        })
    }

    /// The sums of a run before its first job: one map per dimension asked.
    fn empty_sums(&self) -> Sums {
        Sums {
            groups: self
                .opts
                .group_by
                .iter()
                .map(|g| (*g, Groups::default()))
                .collect(),
            ..Sums::default()
        }
    }

    /// Accounts records given in memory (a table's rows, named `label` in messages and in the
    /// report's inputs) on the calling thread, as [`Accountant::run`] accounts a file's; a
    /// record's `line` is its row, counted from 1. The records come in batches, each accounted
    /// before the next is made: a large table is never held whole as records.
    pub fn run_records(
        &mut self,
        label: &str,
        batches: impl IntoIterator<Item = Result<Vec<JobRecord>, InputError>>,
        sink: &mut dyn JobSink,
    ) -> Result<AccountingReport, AccountingError> {
        let sums = self.account_records(label, batches, sink)?;
        Ok(self.report(sums))
    }

    /// As [`Accountant::run_records`], but returns the run's sums before the report
    /// ([`Partial`]): a partition of a distributed dataset accounted on a worker.
    pub fn run_records_partial(
        &mut self,
        label: &str,
        batches: impl IntoIterator<Item = Result<Vec<JobRecord>, InputError>>,
        sink: &mut dyn JobSink,
    ) -> Result<Partial, AccountingError> {
        let sums = self.account_records(label, batches, sink)?;
        Ok(self.partial_of(sums))
    }

    fn account_records(
        &mut self,
        label: &str,
        batches: impl IntoIterator<Item = Result<Vec<JobRecord>, InputError>>,
        sink: &mut dyn JobSink,
    ) -> Result<Sums, AccountingError> {
        let mut sums = self.empty_sums();
        self.current = label.to_string();
        let mut jobs = 0;
        for batch in batches {
            let batch = batch.map_err(|e| AccountingError::Engine(e.into()))?;
            self.process_all(&batch, sink, &mut sums, &mut jobs)?;
        }
        sums.inputs.push(InputInfo {
            file: label.to_string(),
            format: InputFormat::Table,
            compression: None,
            jobs,
        });
        sink.finish()?;
        Ok(sums)
    }

    /// Accounts a batch of records given in memory, counting those accounted in `jobs`.
    fn process_all(
        &mut self,
        records: &[JobRecord],
        sink: &mut dyn JobSink,
        sums: &mut Sums,
        jobs: &mut u64,
    ) -> Result<(), AccountingError> {
        for rec in records {
            match self.process(rec, sink, sums) {
                Ok(()) => *jobs += 1,
                Err(AccountingError::Read(e)) if !e.fatal && self.opts.skip_bad_lines => {
                    sums.skipped.count += 1;
                    if sums.skipped.examples.len() < 5 {
                        sums.skipped.examples.push(e.to_string());
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn consume(
        &mut self,
        paths: &[String],
        rx: &Receiver<Msg>,
        back: &Sender<Vec<JobRecord>>,
        sink: &mut dyn JobSink,
        sums: &mut Sums,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(), AccountingError> {
        let mut current: Option<(usize, Arc<AtomicU64>, Option<u64>)> = None;
        let mut jobs_here = 0u64;
        let at = |cur: &Option<(usize, Arc<AtomicU64>, Option<u64>)>, jobs: u64, done: bool| {
            let (input, bytes, size) = match cur {
                Some((i, c, s)) => (*i, c.load(AtomicOrdering::Relaxed), *s),
                None => (0, 0, None),
            };
            Progress {
                jobs,
                input,
                inputs: paths.len(),
                bytes,
                size,
                done,
            }
        };
        let mut next_report = 65_536u64;
        while let Ok(msg) = rx.recv() {
            match msg {
                Msg::Opened {
                    index,
                    consumed,
                    size,
                } => {
                    self.current = paths[index].clone();
                    current = Some((index, consumed, size));
                    jobs_here = 0;
                }
                Msg::Records(batch, n) => {
                    for rec in &batch[..n] {
                        if !self.recent.insert(identity(rec)) {
                            let path = &self.current;
                            sums.issues.note("accounting.duplicate-job", || {
                                format!(
                                    "{path}:{}: job {} (submitted {}) was already read: counted once",
                                    rec.line,
                                    rec.job_id,
                                    rec.submit.map(|t| t.format()).unwrap_or_else(|| "at an unknown time".into())
                                )
                            });
                            continue;
                        }
                        match self.process(rec, sink, sums) {
                            Ok(()) => jobs_here += 1,
                            Err(AccountingError::Read(e))
                                if !e.fatal && self.opts.skip_bad_lines =>
                            {
                                sums.skipped.count += 1;
                                if sums.skipped.examples.len() < 5 {
                                    sums.skipped.examples.push(e.to_string());
                                }
                            }
                            Err(e) => return Err(e),
                        }
                    }
                    let _ = back.send(batch);
                    if sums.jobs >= next_report {
                        next_report = sums.jobs + 65_536;
                        progress(at(&current, sums.jobs, false));
                    }
                }
                Msg::Skipped(e) => {
                    sums.skipped.count += 1;
                    if sums.skipped.examples.len() < 5 {
                        sums.skipped.examples.push(e.to_string());
                    }
                }
                Msg::Failed(e) => return Err(e.into()),
                Msg::Closed {
                    index,
                    format,
                    compression,
                    issues,
                } => {
                    sums.issues.merge(issues);
                    sums.inputs.push(InputInfo {
                        file: paths[index].clone(),
                        format,
                        compression,
                        jobs: jobs_here,
                    });
                    progress(at(&current, sums.jobs, index + 1 == paths.len()));
                }
            }
        }
        Ok(())
    }

    fn process(
        &mut self,
        rec: &JobRecord,
        sink: &mut dyn JobSink,
        sums: &mut Sums,
    ) -> Result<(), AccountingError> {
        self.job_warnings.clear();
        sums.jobs += 1;
        sums.steps += u64::from(rec.steps);
        let state = self.state_of(rec, sums);
        let part = self.partition_of(rec, sums)?;
        let secs = rec.duration_s().unwrap_or(0.0);
        let hours = secs / 3600.0;
        if hours > impacts::MAX_JOB_H {
            let e = InputError::invalid(
                "Elapsed",
                format!("{} s", fmt_num(secs)),
                "a duration of at most 1000000 hours (114 years)",
            )
            .at(Location::at(&self.current, rec.line, None));
            return Err(AccountingError::Read(ReadError::record(e)));
        }
        let started = state != JobState::Pending && (rec.start.is_some() || secs > 0.0);
        if matches!(
            state,
            JobState::Running | JobState::Suspended | JobState::Resizing
        ) {
            sums.issues.note("accounting.running", || {
                format!(
                    "job {} is still {}: estimated over its elapsed time so far",
                    rec.job_id,
                    state.as_str()
                )
            });
            self.job_warnings.push("accounting.running");
        }
        let group = self.node_group_of(&part, rec, sums);
        let share = self.share_of(&part, rec, sums)?;
        let estimated = started && hours > 0.0 && share > 0.0;
        if !estimated {
            let why = if !started {
                "never started"
            } else if hours <= 0.0 {
                "has no duration"
            } else {
                "has no size (nodes, CPUs or GPUs)"
            };
            sums.issues.note("accounting.not-estimated", || {
                format!("job {} {why}: counted, with no impact", rec.job_id)
            });
            self.job_warnings.push("accounting.not-estimated");
        }
        let (cpu_load, gpu_load, drawn) = self.loads_of(rec, &part, estimated, secs, sums);
        let job = Job {
            hours,
            share,
            cpu_load,
            gpu_load,
            drawn,
            measured_j: rec.measured_energy_j().filter(|_| estimated),
        };
        self.plausibility(rec, hours, sums);
        let (start, end) = self.utc_times(rec, sums);
        let done = if estimated {
            let covered = self.covered(rec, start, secs, sums);
            let done = self.estimate(&part, group, &job, covered, sums)?;
            self.check_finite(rec, &job)?;
            done
        } else {
            self.out.clear();
            Estimated::none()
        };
        let (cpu_key, gpu_key) = job.bucket_loads();
        let bucket = done.mc.map(|(_, sums)| JobBucket {
            per_load: done.per_load,
            cpu_load_hours: sums.cpu,
            gpu_load_hours: sums.gpu,
            node_group: group.map(|g| g as u32),
            measured: job.measured_j.is_some(),
            cpu_load: cpu_key,
            gpu_load: gpu_key,
            node_hours: sums.node_hours,
            measured_kwh: sums.measured_kwh,
            grid: sums.grid,
        });
        let row = JobRow {
            record: rec,
            partition: &part.name,
            start,
            end,
            node_equivalents: share,
            hours,
            cpu_load,
            gpu_load,
            energy_source: done.energy_source,
            outputs: self.layout.view(if estimated { &self.out } else { &[] }),
            bounds: (estimated && self.bounded).then_some(self.bounds.as_slice()),
            warnings: &self.job_warnings,
            bucket,
        };
        sink.write(&row)?;
        self.add_to_sums(rec, &part.name, state, &job, &done, sums);
        Ok(())
    }

    /// Warnings for what is possible but unlikely: a job of more than a year, an elapsed time
    /// that disagrees with its start and end.
    fn plausibility(&mut self, rec: &JobRecord, hours: f64, sums: &mut Sums) {
        if hours > impacts::MAX_PLAUSIBLE_JOB_H {
            sums.issues.note("plausibility.long-job", || {
                format!(
                    "job {} ran {} h, more than a year: check its times",
                    rec.job_id,
                    fmt_num((hours * 10.0).round() / 10.0)
                )
            });
            self.job_warnings.push("plausibility.long-job");
        }
        if let (Some(e), Some(s), Some(t)) = (rec.elapsed_s, rec.start, rec.end) {
            let span = t.0 as f64 - s.0 as f64;
            if (e - span).abs() > ELAPSED_TOLERANCE_S.max(0.01 * span) {
                sums.issues.note("accounting.elapsed-mismatch", || {
                    format!(
                        "job {}: Elapsed is {} s but End − Start is {} s: Elapsed is used",
                        rec.job_id,
                        fmt_num(e),
                        fmt_num(span)
                    )
                });
                self.job_warnings.push("accounting.elapsed-mismatch");
            }
        }
    }

    /// An estimate that overflowed (absurd durations or sizes) is the record's error, not a
    /// number in the outputs.
    fn check_finite(&self, rec: &JobRecord, job: &Job) -> Result<(), AccountingError> {
        if self.out.iter().all(|x| x.is_finite()) {
            return Ok(());
        }
        let e = InputError::invalid(
            "Elapsed",
            format!(
                "{} h on {} node-equivalents",
                fmt_num(job.hours),
                fmt_num(job.share)
            ),
            "a job whose footprint is a finite number",
        )
        .at(Location::at(&self.current, rec.line, None));
        Err(AccountingError::Read(ReadError::record(e)))
    }

    /// The job's start and end in UTC, with a counted warning when local times have no zone.
    fn utc_times(&mut self, rec: &JobRecord, sums: &mut Sums) -> (Option<i64>, Option<i64>) {
        if rec.clock == Clock::Local
            && self.clocks.zone_unknown()
            && rec.start.or(rec.end).is_some()
        {
            sums.issues.add(
                "accounting.time-zone-unknown",
                1,
                "the records give local times and neither the center file nor the run names a time zone: they are taken as UTC",
            );
            self.job_warnings.push("accounting.time-zone-unknown");
        }
        let (start, end) = (
            self.clocks.utc(rec.start, rec.clock),
            self.clocks.utc(rec.end, rec.clock),
        );
        if (rec.start.is_some() && start.is_none()) || (rec.end.is_some() && end.is_none()) {
            sums.issues.note("accounting.time-out-of-range", || {
                format!(
                    "job {}: a start or end time beyond the year 9999 (or before −9999) is left out",
                    rec.job_id
                )
            });
            self.job_warnings.push("accounting.time-out-of-range");
        }
        (start, end)
    }

    /// The job's state, with a counted warning when it is unknown.
    fn state_of(&mut self, rec: &JobRecord, sums: &mut Sums) -> JobState {
        let state = rec.state.unwrap_or(JobState::Unknown);
        if rec.state_assumed {
            sums.issues.add(
                "default.state",
                1,
                "the records give no state: their jobs are taken as COMPLETED",
            );
            self.job_warnings.push("default.state");
        }
        if rec.state == Some(JobState::Other) {
            sums.issues.note("accounting.unknown-state", || {
                format!(
                    "job {} has the unknown state '{}': counted under OTHER",
                    rec.job_id, rec.state_raw
                )
            });
            self.job_warnings.push("accounting.unknown-state");
        } else if state == JobState::Unknown {
            sums.issues.note(
                "accounting.unknown-state",
                || format!("job {} has no recorded state ('{}'): counted under UNKNOWN, not as unsuccessful", rec.job_id, rec.state_raw),
            );
            self.job_warnings.push("accounting.unknown-state");
        }
        state
    }

    /// The center's partition of a record (its first, for a job submitted to several), or the
    /// default partition with a counted warning; an error without one.
    fn partition_of(
        &mut self,
        rec: &JobRecord,
        sums: &mut Sums,
    ) -> Result<Arc<Partition>, AccountingError> {
        let pname = rec.partition.split(',').next().unwrap_or("").trim();
        if let Some(&i) = self.partitions.get(pname) {
            return Ok(self.parts[i].clone());
        }
        let Some(d) = &self.default else {
            let e = InputError::unknown(
                "Partition",
                pname,
                format!(
                    "a partition of {}: {} (or a default partition for the others)",
                    self.center.name,
                    self.center.partition_names().join(", ")
                ),
            )
            .at(Location::at(&self.current, rec.line, None));
            return Err(AccountingError::Read(ReadError::record(e)));
        };
        sums.issues.note("accounting.default-partition", || {
            format!(
                "partition '{pname}' is not in {}: its jobs are estimated on {}",
                self.center.file, self.default_name
            )
        });
        self.job_warnings.push("accounting.default-partition");
        Ok(d.clone())
    }

    /// The node group of a job on a partition with several, from its first host; the
    /// count-weighted mix (with a counted warning) when no pattern matches.
    fn node_group_of(
        &mut self,
        part: &Partition,
        rec: &JobRecord,
        sums: &mut Sums,
    ) -> Option<usize> {
        if part.groups.len() <= 1 {
            return None;
        }
        let host = first_host(&rec.node_list);
        let g = host.as_deref().and_then(|h| {
            part.groups
                .iter()
                .position(|g| g.node_pattern.as_deref().is_some_and(|p| glob(p, h)))
        });
        if g.is_none() {
            sums.issues.note(
                "job.node-type-mix",
                || format!("partition {} has several node types and no node_pattern matches the job's nodes: their count-weighted mix is used", part.name),
            );
            self.job_warnings.push("job.node-type-mix");
        }
        g
    }

    /// The node-equivalents charged, by the library's one charging rule; its notes counted.
    fn share_of(
        &mut self,
        part: &Partition,
        rec: &JobRecord,
        sums: &mut Sums,
    ) -> Result<f64, AccountingError> {
        let demand = Demand {
            nodes: rec.nodes,
            cores: rec.cpus,
            gpus: rec.gpus,
            memory_gb: rec.mem_gb,
        };
        let c = charge(part, &demand).map_err(|e| {
            AccountingError::Read(ReadError::record(e.at(Location::at(
                &self.current,
                rec.line,
                None,
            ))))
        })?;
        for n in &c.notes {
            sums.issues.note(n.code(), || {
                format!("job {}: {}", rec.job_id, n.message(part))
            });
            if !self.job_warnings.contains(&n.code()) {
                self.job_warnings.push(n.code());
            }
        }
        Ok(c.node_equivalents)
    }

    /// The CPU and GPU loads of a job by the run's policy, and which are unknown (drawn from the
    /// method's distributions; the loads returned are then their modes), with counted warnings.
    fn loads_of(
        &mut self,
        rec: &JobRecord,
        part: &Partition,
        estimated: bool,
        secs: f64,
        sums: &mut Sums,
    ) -> (f64, f64, DrawnLoads) {
        let (cpu, gpu) = match (rec.cpu_load, rec.gpu_load, self.opts.load) {
            // Loads given with the record win over the run's policy.
            (Some(c), Some(g), _) => (Some(c), Some(g)),
            // One load given: the other is unknown (the reference method takes the same).
            (Some(c), None, _) => (Some(c), self.drawn_modes.is_none().then_some(c)),
            (None, Some(g), _) => (self.drawn_modes.is_none().then_some(g), Some(g)),
            (None, None, LoadPolicy::Fixed(l)) => (Some(l), Some(l)),
            (None, None, LoadPolicy::Default) => match cpu_time_load(rec, secs) {
                Some(cpu) if self.drawn_modes.is_some() => {
                    if estimated {
                        sums.issues.add("accounting.load-from-cputime", 1, "the CPU load is the record's CPU time over its elapsed time × CPUs (TotalCPU), the default where it is recorded");
                    }
                    (Some(cpu), None)
                }
                _ => (None, None),
            },
            (None, None, LoadPolicy::FromCpuTime) => match cpu_time_load(rec, secs) {
                Some(cpu) => (Some(cpu), None),
                None => {
                    if estimated {
                        let what = match self.drawn_modes {
                            Some(_) => "drawn from the method's distribution",
                            None => "100 % assumed",
                        };
                        sums.issues.note("accounting.load-unknown", || {
                            format!("no TotalCPU for job {}: its CPU load is {what}", rec.job_id)
                        });
                        self.job_warnings.push("accounting.load-unknown");
                    }
                    (None, None)
                }
            },
        };
        let gpus_idle = part.gpus_per_node > 0.0 && rec.gpus.unwrap_or(0.0) <= 0.0;
        if estimated {
            self.note_unknown_loads(rec, part, (cpu, gpu), gpus_idle, sums);
        }
        // A job without GPUs on nodes with GPUs leaves its share of them idle.
        let gpu = if gpus_idle { Some(0.0) } else { gpu };
        let Some((mode_cpu, mode_gpu)) = self.drawn_modes else {
            return (
                cpu.unwrap_or(100.0),
                gpu.unwrap_or(100.0),
                DrawnLoads::default(),
            );
        };
        // The GPU load of nodes without GPUs plays no part: not drawn, 0 in the row.
        let has_gpus = part.gpus_per_node > 0.0;
        let drawn = DrawnLoads {
            cpu: cpu.is_none(),
            gpu: gpu.is_none() && has_gpus,
        };
        let gpu_mode = if has_gpus { mode_gpu } else { 0.0 };
        (cpu.unwrap_or(mode_cpu), gpu.unwrap_or(gpu_mode), drawn)
    }

    /// Counts the warnings of a job's unknown loads: no CPU load given nor recorded
    /// (`default.load`), the GPUs' unknown beside a known CPU load (`accounting.gpu-load-assumed`),
    /// the GPUs idle (`accounting.gpus-idle`).
    fn note_unknown_loads(
        &mut self,
        rec: &JobRecord,
        part: &Partition,
        (cpu, gpu): (Option<f64>, Option<f64>),
        gpus_idle: bool,
        sums: &mut Sums,
    ) {
        let drawn = self.drawn_modes.is_some();
        let gpu_unknown = gpu.is_none()
            && !gpus_idle
            && part.gpus_per_node > 0.0
            && rec.gpus.unwrap_or(0.0) > 0.0;
        if cpu.is_none() && matches!(self.opts.load, LoadPolicy::Default) {
            // One of three fixed messages: no text is built per job.
            let message = match (drawn, gpu_unknown) {
                (true, true) => "no load given and no CPU time recorded: the CPU and GPU loads are drawn from the method's distributions (load.cpu_unknown, load.gpu_unknown; give a load for every job)",
                (true, false) => "no load given and no CPU time recorded: the CPU load is drawn from the method's distribution (load.cpu_unknown; give a load for every job)",
                (false, _) => "no load given: 100 % is assumed for CPUs and GPUs (the method's choice; give a load for every job)",
            };
            sums.issues.add("default.load", 1, message);
            self.job_warnings.push("default.load");
        } else if gpu_unknown {
            let message = if drawn {
                "the GPUs' load is not recorded: it is drawn from the method's distribution (load.gpu_unknown)"
            } else {
                "the GPUs' load is not recorded: 100 % is assumed for the GPUs"
            };
            sums.issues.add("accounting.gpu-load-assumed", 1, message);
            self.job_warnings.push("accounting.gpu-load-assumed");
        }
        if gpus_idle {
            sums.issues.add(
                "accounting.gpus-idle",
                1,
                "the job has no GPU in its allocation on nodes with GPUs: the GPUs of its share of the nodes are counted idle (0 % load)",
            );
            self.job_warnings.push("accounting.gpus-idle");
        }
    }

    /// Evaluates an estimated job into `self.out` (and its bounds when sampled per job).
    fn estimate(
        &mut self,
        part: &Partition,
        group: Option<usize>,
        job: &Job,
        covered: Option<Covered>,
        sums: &mut Sums,
    ) -> Result<Estimated, AccountingError> {
        let measured = job.measured_j.is_some();
        if measured {
            sums.issues.add(
                "job.measured-energy",
                1,
                "the measured energy (ConsumedEnergyRaw) replaces the modelled electricity; it is exact only for nodes the job had alone",
            );
            self.job_warnings.push("job.measured-energy");
        }
        let measured_kwh = job.measured_j.unwrap_or(0.0) / 3.6e6;
        let ei = self.estimator((part.cluster, group, measured, job.drawn))?;
        let (cpu, gpu) = job.bucket_loads();
        let bucket = self.buckets.id(BucketKey {
            estimator: ei as u32,
            cpu_load: cpu,
            gpu_load: gpu,
        });
        let p = [
            job.hours,
            job.share,
            job.cpu_load,
            job.gpu_load,
            measured_kwh,
        ];
        let np = if measured { 5 } else { 4 };
        if job.whole_loads() {
            self.scale_units(ei, bucket, job, measured_kwh);
        } else {
            let e = &mut self.ests[ei];
            self.out.resize(e.est.outputs().len(), 0.0);
            e.est.point_in(&mut e.buf, &p[..np], &mut self.out);
        }
        if let (Some(g), Some(c)) = (&self.grid, covered) {
            // The covered part of the use phase at the window's mean intensity.
            let d = c.share * self.out[g.at.energy] * (c.mean - g.annual);
            self.out[g.at.use_phase] += d;
            self.out[g.at.total] += d;
        }
        self.job_bounds(ei, &p[..np], covered);
        self.bounded = if self.opts.job_samples > 0 {
            true
        } else if self.opts.samples == 0 {
            // No sampling asked for: central values only.
            false
        } else if measured || covered.is_some() {
            // The spread of a measured energy or of an hour-by-hour intensity is not the
            // bucket's: written empty, said (the summary's bounds count them).
            self.note_unbounded(sums);
            false
        } else {
            self.bounds_from_bucket(ei, bucket, job);
            true
        };
        if measured {
            sums.measured_jobs += 1;
            sums.measured_kwh += measured_kwh;
        }
        let per_load = self.ests[ei].per_load();
        let (fc, fg) = self.ests[ei].shape.features(cpu, gpu);
        let mc_bucket = self.mc_buckets.id(McKey {
            estimator: ei as u32,
            loads: per_load.then_some((cpu, gpu)),
        });
        let nh = job.share * job.hours;
        let mut load_sums = LoadSums {
            node_hours: nh,
            cpu: nh * fc,
            gpu: nh * fg,
            measured_kwh,
            ..LoadSums::default()
        };
        if let Some(c) = covered {
            let terms = load_sums.terms();
            for (i, t) in terms.iter().enumerate() {
                load_sums.grid.covered[i] = c.share * t;
                load_sums.grid.weighted[i] = c.share * c.mean * t;
            }
        }
        Ok(Estimated {
            mc: Some((mc_bucket, load_sums)),
            per_load,
            energy_source: if measured { "measured" } else { "model" },
        })
    }

    /// A job's bounds without sampling it: its totals × its bucket's spread per node-hour (the
    /// model is linear in node-hours at a load, and a positive scale keeps the percentiles).
    fn bounds_from_bucket(&mut self, ei: usize, bucket: u32, job: &Job) {
        let ratios = self.bucket_ratios(ei, bucket, job);
        self.bounds.clear();
        for (c, (lo, hi)) in self.layout.totals().zip(ratios) {
            let v = self.out[c];
            self.bounds.push((v * lo, v * hi));
        }
    }

    /// The ratios of a bucket's bounds to its central values, per total, computed once: a
    /// Monte Carlo of `samples` draws at one node-hour and the bucket's whole-percent loads.
    fn bucket_ratios(&mut self, ei: usize, bucket: u32, job: &Job) -> Vec<(f64, f64)> {
        if let Some(r) = &self.buckets.ratios[bucket as usize] {
            return r.clone();
        }
        let e = &mut self.ests[ei];
        let totals = self.layout.totals();
        let (mc, scratch) = e
            .unit_mc
            .get_or_insert_with(|| totals_mc(&e.est, &[], self.opts.samples, self.opts.seed));
        let p = [1.0, 1.0, job.cpu_load.round(), job.gpu_load.round()];
        mc.evaluate(scratch, &p);
        let mut central = vec![0.0; e.est.outputs().len()];
        e.est.point_in(&mut e.buf, &p, &mut central);
        let mut buf = Vec::new();
        let ratios: Vec<(f64, f64)> = totals
            .enumerate()
            .map(|(i, c)| {
                let v = central[c];
                let s = impacts::impacts_model::eval::spread(
                    v,
                    mc.output(scratch, i),
                    self.opts.percentiles,
                    &mut buf,
                );
                if v == 0.0 || !v.is_finite() {
                    (1.0, 1.0)
                } else {
                    (s.low / v, s.high / v)
                }
            })
            .collect();
        self.buckets.ratios[bucket as usize] = Some(ratios.clone());
        ratios
    }

    /// Counts a job whose bounds are written empty.
    fn note_unbounded(&mut self, sums: &mut Sums) {
        sums.issues.add(
            "accounting.job-bounds-empty",
            1,
            "per-job bounds left empty for jobs whose energy is measured or whose use phase takes the grid series' hours: their spread is not their bucket's (sample each job to bound it; the summary's bounds count them)",
        );
        if !self.job_warnings.contains(&"accounting.job-bounds-empty") {
            self.job_warnings.push("accounting.job-bounds-empty");
        }
    }

    /// The per-job bounds of the totals (with `--job-samples`), the covered part of the use
    /// phase at the window's intensity in each sample.
    fn job_bounds(&mut self, ei: usize, p: &[f64], covered: Option<Covered>) {
        let e = &mut self.ests[ei];
        let Some((mc, scratch)) = &mut e.mc else {
            return;
        };
        mc.evaluate(scratch, p);
        self.bounds.clear();
        let mut buf = Vec::new();
        let mut adjusted = Vec::new();
        let totals = self.layout.totals();
        for c in totals.clone() {
            let mut samples = mc.output(scratch, c);
            if let (Some(g), Some(cov)) = (&self.grid, covered) {
                if c == g.at.total {
                    // The estimator's Monte Carlo also draws the use phase and the
                    // electricity, after the totals (see `estimator`).
                    let (u, en) = (
                        mc.output(scratch, totals.end),
                        mc.output(scratch, totals.end + 1),
                    );
                    adjusted.clear();
                    adjusted.extend(
                        samples
                            .iter()
                            .zip(u.iter().zip(en))
                            .map(|(t, (u, en))| t + cov.share * (en * cov.mean - u)),
                    );
                    samples = &adjusted;
                }
            }
            let s = impacts::impacts_model::eval::spread(
                self.out[c],
                samples,
                self.opts.percentiles,
                &mut buf,
            );
            self.bounds.push((s.low, s.high));
        }
    }

    /// What the grid series covers of a job's window (its start, for its elapsed seconds), and
    /// the counted warnings when it covers it in part or not at all; None without a series.
    fn covered(
        &mut self,
        rec: &JobRecord,
        start: Option<i64>,
        secs: f64,
        sums: &mut Sums,
    ) -> Option<Covered> {
        let g = self.grid.as_ref()?;
        let Some(start) = start else {
            sums.issues.note("accounting.grid-no-start", || {
                format!(
                    "job {} has no start time: its use phase takes the annual factor ({} gCO2eq/kWh)",
                    rec.job_id,
                    fmt_num(g.annual)
                )
            });
            self.job_warnings.push("accounting.grid-no-start");
            return None;
        };
        // At least a second: a job of less than half a second lies in the hour it started.
        let len = (secs.round() as i64).max(1);
        let c = g.integral.coverage(start, start.saturating_add(len));
        let share = c.covered_s as f64 / len.max(1) as f64;
        let Some(mean) = c.mean().filter(|_| share > 0.0) else {
            sums.issues.note("accounting.grid-outside", || {
                format!(
                    "job {} ran outside the series {}: its use phase takes the annual factor ({} gCO2eq/kWh)",
                    rec.job_id,
                    g.integral.series().name,
                    fmt_num(g.annual)
                )
            });
            self.job_warnings.push("accounting.grid-outside");
            return None;
        };
        if c.covered_s < len {
            sums.issues.note("accounting.grid-partial", || {
                format!(
                    "the series {} covers {} % of job {}'s window: the annual factor fills the rest",
                    g.integral.series().name,
                    fmt_num((share * 1000.0).round() / 10.0),
                    rec.job_id
                )
            });
            self.job_warnings.push("accounting.grid-partial");
        }
        Some(Covered {
            share: share.min(1.0),
            mean,
        })
    }

    /// A job at a whole-percent load: its bucket's outputs per node-hour (and per measured
    /// kWh), computed once, times the job's node-hours (and kWh). The model is linear in both
    /// at a given load (tested); powers do not scale.
    fn scale_units(&mut self, ei: usize, bucket: u32, job: &Job, measured_kwh: f64) {
        let extensive = self.layout.extensive().end;
        let e = &mut self.ests[ei];
        let total_outputs = e.est.outputs().len();
        self.out.resize(total_outputs, 0.0);
        let measured = job.measured_j.is_some();
        let units = self.buckets.units[bucket as usize].get_or_insert_with(|| {
            let mut per_node_hour = vec![0.0; total_outputs];
            let mut per_kwh = vec![0.0; total_outputs];
            let unit = [1.0, 1.0, job.cpu_load, job.gpu_load, 0.0];
            e.est.point_in(
                &mut e.buf,
                &unit[..if measured { 5 } else { 4 }],
                &mut per_node_hour,
            );
            if measured {
                // f(1 node-hour, 1 kWh) − f(1 node-hour, 0 kWh): the part per measured kWh.
                e.est.point_in(
                    &mut e.buf,
                    &[1.0, 1.0, job.cpu_load, job.gpu_load, 1.0],
                    &mut per_kwh,
                );
                for (k, u) in per_kwh.iter_mut().zip(&per_node_hour) {
                    *k -= u;
                }
                per_kwh[extensive..].iter_mut().for_each(|x| *x = 0.0);
            }
            Units {
                per_node_hour,
                per_kwh,
            }
        });
        let nh = job.hours * job.share;
        for i in 0..extensive {
            self.out[i] = units.per_node_hour[i] * nh + units.per_kwh[i] * measured_kwh;
        }
        self.out[extensive..].copy_from_slice(&units.per_node_hour[extensive..]);
    }

    /// Adds a job to the totals, its state's sums and each group's.
    fn add_to_sums(
        &mut self,
        rec: &JobRecord,
        partition: &str,
        state: JobState,
        job: &Job,
        done: &Estimated,
        sums: &mut Sums,
    ) {
        let estimated = done.mc.is_some();
        let nh = job.share * job.hours;
        let core_h = rec.cpus.unwrap_or(0.0) * job.hours;
        let gpu_h = rec.gpus.unwrap_or(0.0) * job.hours;
        let outs: &[f64] = if estimated {
            &self.out[..self.layout.extensive().end]
        } else {
            &[]
        };
        let bucket = done.mc;
        sums.totals.add(estimated, nh, core_h, gpu_h, outs, bucket);
        sums.by_state
            .entry(state)
            .or_default()
            .add(estimated, nh, core_h, gpu_h, outs, bucket);
        let mut k = std::mem::take(&mut self.key);
        for (g, groups) in &mut sums.groups {
            group_key(&mut k, *g, rec, partition, state);
            groups
                .entry(&k)
                .add(estimated, nh, core_h, gpu_h, outs, bucket);
        }
        self.key = k;
    }

    /// Monte Carlo samples of an Acc's extensive outputs: Σ over its buckets of node-hours ×
    /// the bucket's samples per node-hour (+ measured kWh × its samples per kWh).
    /// Only the first `upto` outputs (the criteria's totals come first) when fewer are needed.
    fn samples_of(&self, acc: &Acc, cache: &mut SampleCache, upto: usize) -> Option<Vec<Vec<f64>>> {
        if self.opts.samples == 0 || acc.buckets.is_empty() {
            return None;
        }
        let extensive = self.layout.extensive().end.min(upto);
        let mut total = vec![vec![0.0; self.opts.samples]; extensive];
        for (b, sums) in acc.buckets.iter().enumerate() {
            if sums.is_empty() {
                continue;
            }
            let units = self.unit_samples(b as u32, cache);
            let terms = [
                (Some(&units.per_node_hour), sums.node_hours),
                (units.cpu.as_ref(), sums.cpu),
                (units.gpu.as_ref(), sums.gpu),
                (units.per_kwh.as_ref(), sums.measured_kwh),
            ];
            for (k, (unit, weight)) in terms.into_iter().enumerate() {
                let Some(unit) = unit.filter(|_| weight != 0.0) else {
                    continue;
                };
                for (t, u) in total.iter_mut().zip(unit) {
                    for (a, x) in t.iter_mut().zip(u) {
                        *a += weight * x;
                    }
                }
                if let Some(g) = self.grid_at {
                    let (covered, weighted) = (sums.grid.covered[k], sums.grid.weighted[k]);
                    if covered != 0.0 {
                        grid_samples(
                            &mut total,
                            g,
                            &unit[g.use_phase],
                            &unit[g.energy],
                            covered,
                            weighted,
                        );
                    }
                }
            }
        }
        Some(total)
    }

    /// A bucket's samples per node-hour and per measured kWh, evaluated once.
    fn unit_samples<'c>(&self, bucket: u32, cache: &'c mut SampleCache) -> &'c UnitSamples {
        let k = self.mc_buckets.keys[bucket as usize];
        let extensive = self.layout.extensive().end;
        let SampleCache { mcs, units } = cache;
        units.entry(bucket).or_insert_with(|| {
            let e = &self.ests[k.estimator as usize];
            let (mc, scratch) = mcs.entry(k.estimator).or_insert_with(|| {
                let mc = MonteCarlo::new(
                    &e.est.model.graph,
                    &e.est.outputs()[..extensive],
                    self.opts.samples,
                    self.opts.seed,
                );
                let s = mc.scratch();
                (mc, s)
            });
            let measured = e.est.measured();
            let mut run = |cpu: f64, gpu: f64, kwh: f64| -> Vec<Vec<f64>> {
                let p = [1.0, 1.0, cpu, gpu, kwh];
                mc.evaluate(scratch, if measured { &p[..5] } else { &p[..4] });
                (0..extensive)
                    .map(|i| mc.output(scratch, i).to_vec())
                    .collect()
            };
            let minus = |a: Vec<Vec<f64>>, b: &[Vec<f64>]| -> Vec<Vec<f64>> {
                a.iter()
                    .zip(b)
                    .map(|(x, y)| x.iter().zip(y).map(|(u, v)| u - v).collect())
                    .collect()
            };
            let (cpu, gpu) = k
                .loads
                .map_or((0.0, 0.0), |(c, g)| (f64::from(c), f64::from(g)));
            let per_node_hour = run(cpu, gpu, 0.0);
            let separable = k.loads.is_none();
            let cpu_change = separable.then(|| minus(run(100.0, 0.0, 0.0), &per_node_hour));
            let gpu_change = separable.then(|| minus(run(0.0, 100.0, 0.0), &per_node_hour));
            // Per kWh as a difference: at zero node-hours the model divides by zero.
            let per_kwh = measured.then(|| minus(run(cpu, gpu, 1.0), &per_node_hour));
            UnitSamples {
                per_node_hour,
                cpu: cpu_change,
                gpu: gpu_change,
                per_kwh,
            }
        })
    }

    /// Position of a job measure (past the end, where sums read 0, if the layout lacks it).
    fn measure(&self, m: &Measure) -> usize {
        self.layout.measure(m).unwrap_or(usize::MAX)
    }

    fn report(&self, mut sums: Sums) -> AccountingReport {
        let n = self.criteria.len();
        let mut cache = SampleCache::default();
        let total_samples = self.samples_of(&sums.totals, &mut cache, usize::MAX);
        let central = &sums.totals;
        let crit_central: Vec<f64> = (0..n).map(|c| central.sum(c)).collect();
        let impacts = estimates(
            &self.criteria,
            &crit_central,
            total_samples.as_ref().map(|s| &s[..n]),
            self.opts.percentiles,
        );
        let phases = self.phases(central, total_samples.as_deref());
        let mut energy = OrderedMap::new();
        for m in self.layout.measures().iter().filter(|m| m.extensive) {
            energy.push(m.column, central.sum(self.measure(m)));
        }
        energy.push("measured_jobs", sums.measured_jobs as f64);
        energy.push("measured_kwh", sums.measured_kwh);
        let mut usage = OrderedMap::new();
        usage.push("node_hours", central.node_hours);
        usage.push("core_hours", central.core_hours);
        usage.push("gpu_hours", central.gpu_hours);
        let unsuccessful = self.unsuccessful(&sums.by_state, &crit_central);
        let groups = self.groups(&sums.groups, &crit_central, &mut cache);
        let warnings = self.warnings(&mut sums);
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

    /// The totals of each phase, with bounds from the totals' samples.
    fn phases(
        &self,
        central: &Acc,
        samples: Option<&[Vec<f64>]>,
    ) -> OrderedMap<OrderedMap<impacts::impacts_model::report::Estimate>> {
        let mut phases = OrderedMap::new();
        for &ph in self.layout.phases() {
            let Some(range) = self.layout.phase_range(ph) else {
                continue;
            };
            let c: Vec<f64> = range.clone().map(|i| central.sum(i)).collect();
            let s = samples.map(|s| &s[range]);
            phases.push(
                ph.as_str(),
                estimates(&self.criteria, &c, s, self.opts.percentiles),
            );
        }
        phases
    }

    /// The jobs that failed, were cancelled, timed out…: their count, share and impacts by state.
    fn unsuccessful(&self, by_state: &BTreeMap<JobState, Acc>, total: &[f64]) -> Unsuccessful {
        let mut jobs = 0;
        let mut sum = vec![0.0; self.criteria.len()];
        let mut states = OrderedMap::new();
        for (s, acc) in by_state.iter().filter(|(s, _)| s.is_unsuccessful()) {
            jobs += acc.jobs;
            let mut m = OrderedMap::new();
            for (c, (k, _)) in self.criteria.iter().enumerate() {
                sum[c] += acc.sum(c);
                m.push(k.clone(), acc.sum(c));
            }
            states.push(s.as_str(), m);
        }
        Unsuccessful {
            jobs,
            share: shares(&self.criteria, &sum, total),
            by_state: states,
        }
    }

    /// The top rows of each group table, with their bounds.
    fn groups(
        &self,
        groups: &[(GroupBy, Groups)],
        total: &[f64],
        cache: &mut SampleCache,
    ) -> OrderedMap<Vec<GroupRow>> {
        let n = self.criteria.len();
        let mut out = OrderedMap::new();
        for (g, map) in groups {
            let mut rows = Vec::new();
            for (key, acc) in sorted_groups(map.iter()).into_iter().take(self.opts.top) {
                let c: Vec<f64> = (0..n).map(|i| acc.sum(i)).collect();
                let s = self.samples_of(acc, cache, n);
                rows.push(GroupRow {
                    key: key.clone(),
                    jobs: acc.jobs,
                    node_hours: acc.node_hours,
                    core_hours: acc.core_hours,
                    gpu_hours: acc.gpu_hours,
                    energy_kwh: acc.sum(self.measure(&job_measures::IT_ENERGY)),
                    energy_with_overhead_kwh: acc
                        .sum(self.measure(&job_measures::ENERGY_WITH_OVERHEAD)),
                    impacts: estimates(
                        &self.criteria,
                        &c,
                        s.as_ref().map(|s| &s[..n]),
                        self.opts.percentiles,
                    ),
                    share: shares(&self.criteria, &c, total),
                });
            }
            out.push(g.as_str(), rows);
        }
        out
    }

    /// The warnings of the partitions and models (once each), then the run's counts.
    fn warnings(&self, sums: &mut Sums) -> Vec<WarningCount> {
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
        for w in self.grid.iter().flat_map(|g| &g.warnings) {
            warnings.push(WarningCount {
                code: w.code.clone(),
                count: 0,
                message: w.message.clone(),
                examples: vec![],
            });
        }
        let issues = std::mem::take(&mut sums.issues);
        for (code, issue) in issues.by_code() {
            let mut ex = issue.examples.iter().cloned();
            warnings.push(WarningCount {
                code: code.to_string(),
                count: issue.count,
                message: ex.next().unwrap_or_default(),
                examples: ex.collect(),
            });
        }
        if sums.skipped.count > 0 {
            let mut m = String::new();
            let _ = write!(
                m,
                "{} malformed record(s) skipped, as asked",
                sums.skipped.count
            );
            warnings.push(WarningCount {
                code: "accounting.skipped".into(),
                count: sums.skipped.count,
                message: m,
                examples: sums.skipped.examples.clone(),
            });
        }
        warnings
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
