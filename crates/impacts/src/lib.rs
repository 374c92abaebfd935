//! `impacts`: the environmental footprint of scientific computing, as a library.
//!
//! An [`Engine`] holds the embedded data bundle and answers requests — a job on a center's
//! partition ([`JobRequest`]), a server ([`ServerRequest`]), a component ([`ComponentRequest`]),
//! an amount of electricity ([`EnergyRequest`]) — with a [`Report`]: three criteria with central
//! values and Monte Carlo bounds, a phase breakdown, warnings with stable codes, the bundle's
//! hash and, on request, the derivation tree of every number. Requests and reports are plain
//! serde data: the command line, and later a service or Python bindings, are thin shells.
//!
//! For many jobs on one partition, [`JobEstimator`] compiles the partition once and evaluates
//! each job with a few dozen arithmetic operations.
//!
//! ```
//! use impacts::{CenterSource, Engine, JobRequest, Options};
//!
//! let engine = Engine::new().unwrap();
//! let req = JobRequest {
//!     center: CenterSource::Bundled("jean-zay".into()),
//!     partition: "gpu_p5".into(),
//!     nodes: Some(2.0),
//!     hours: 5.0,
//!     zone: Some("FR".into()),
//!     ..JobRequest::default()
//! };
//! let report = engine.job(&req, &Options { samples: 200, ..Options::default() }).unwrap();
//! let gwp = report.impacts.get("gwp").unwrap();
//! assert!(gwp.low <= gwp.value && gwp.value <= gwp.high);
//! assert_eq!(report.data_bundle, engine.bundle().hash);
//! ```

#![warn(missing_docs)]

mod outputs;
pub mod report;
mod storage;
pub use storage::{StorageActivityRequest, StorageRequest, TransferRequest};

use impacts_center::{AllocationKey, Center, CenterError, Partition};
use impacts_data::resolve::{CpuQuery, GpuQuery, NameMatch, RamQuery, SsdQuery};
use impacts_data::{Bundle, DataError};
use impacts_model::builder::{Builder, Input};
use impacts_model::criteria::Constants;
use impacts_model::electricity::energy_model;
use impacts_model::eval::{
    sensitivity, spread, McScratch, MonteCarlo, Percentiles, Plan, PointEvaluator, Spread,
};
use impacts_model::explain::{explain, ExplainContext};
use impacts_model::graph::{Graph, NodeId};
use impacts_model::hardware::{
    cpu_embodied, cpu_power, fixed_load, gpu_embodied, gpu_power, server, CaseKind, Counted,
    PsuSpec, ServerSpec,
};
use impacts_model::job::{job_model, params, JobModel, JobOptions};
use impacts_model::layout::{job_measures, OutputLayout};
use impacts_model::quantity::{fmt_num, Provenance, Quantity, Status};
use impacts_model::report::{dedup_warnings, Estimate, Warning};
use impacts_model::ModelError;
use outputs::ReportOutputs;
pub use report::{OrderedMap, Report, Uncertainty};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub use impacts_center;
pub use impacts_data;
pub use impacts_grid;
pub use impacts_model;

/// Errors of a request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value of the request is invalid; the message names it and what was expected.
    #[error("{0}")]
    Request(String),
    /// An error of the data layer (bad size, unknown zone, ...).
    #[error(transparent)]
    Data(#[from] DataError),
    /// An error in a center file.
    #[error(transparent)]
    Center(#[from] CenterError),
    /// The model could not be built.
    #[error(transparent)]
    Model(#[from] ModelError),
}

impl Error {
    /// True when the error comes from the request (bad input), false for an internal problem.
    pub fn is_bad_input(&self) -> bool {
        !matches!(
            self,
            Error::Data(DataError::Bundle { .. }) | Error::Model(_)
        )
    }
}

/// How to evaluate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Options {
    /// Name of the method (set of assumptions): `default` or `impacts-hpc`.
    pub method: String,
    /// Monte Carlo samples (0: no bounds).
    pub samples: usize,
    /// Seed of the generator.
    pub seed: u64,
    /// Percentiles of the bounds.
    pub percentiles: Percentiles,
    /// Attach derivation trees.
    pub explain: bool,
    /// Rank the inputs by their contribution to the spread.
    pub sensitivity: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            method: "default".into(),
            samples: 1000,
            seed: 0,
            percentiles: Percentiles::default(),
            explain: false,
            sensitivity: true,
        }
    }
}

/// Where a center description comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CenterSource {
    /// A center of the data bundle, by name (`jean-zay`).
    Bundled(String),
    /// A center file's text, with the name to use in messages (its path).
    Text {
        /// Path or name for messages.
        label: String,
        /// TOML text.
        text: String,
    },
}

impl Default for CenterSource {
    fn default() -> Self {
        CenterSource::Bundled("jean-zay".into())
    }
}

/// A job on a partition of a center.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobRequest {
    /// The center.
    pub center: CenterSource,
    /// Partition name.
    pub partition: String,
    /// Node type, for partitions with several.
    pub node_type: Option<String>,
    /// Whole nodes.
    pub nodes: Option<f64>,
    /// Cores (part of a node, or spread over `nodes`).
    pub cores: Option<f64>,
    /// GPUs.
    pub gpus: Option<f64>,
    /// Memory (GB).
    pub memory_gb: Option<f64>,
    /// Duration (h).
    pub hours: f64,
    /// Load of CPUs and GPUs (%).
    pub load: Option<f64>,
    /// CPU load (%), overrides `load`.
    pub cpu_load: Option<f64>,
    /// GPU load (%), overrides `load`.
    pub gpu_load: Option<f64>,
    /// Electricity zone, overrides the center's.
    pub zone: Option<String>,
    /// Measured energy of the job's nodes (kWh), replaces the modelled electricity.
    pub measured_energy_kwh: Option<f64>,
    /// Carbon intensity of the electricity over the job's window (from a time-resolved series),
    /// for the job's own electricity; the idle share and the facility keep the annual factor.
    #[serde(default)]
    pub grid: Option<GridFactor>,
    /// PUE, instead of the center's (a what-if).
    #[serde(default)]
    pub pue: Option<f64>,
}

/// A carbon intensity over a job's window, from a time-resolved series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GridFactor {
    /// Intensity (gCO2eq/kWh), the time-weighted mean over the job (the parts the series does not
    /// cover at the annual factor).
    pub gwp_per_kwh: f64,
    /// The series (its file).
    pub source: String,
    /// What was integrated: format, column, window, rows, coverage.
    pub description: String,
    /// The window's figures.
    pub window: impacts_grid::Window,
    /// What the report must say about the series (partial coverage, direct intensities, ...).
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

/// A server to describe.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerRequest {
    /// Name for the report.
    pub name: Option<String>,
    /// Processors and their count.
    pub cpus: Vec<(CpuQuery, u32)>,
    /// Accelerators and their count.
    pub gpus: Vec<(GpuQuery, u32)>,
    /// Memory.
    pub ram: Vec<RamQuery>,
    /// SSDs and their count.
    pub ssds: Vec<(SsdQuery, u32)>,
    /// Hard disks.
    pub hdds: u32,
    /// Motherboards (the reference counts one).
    pub motherboards: u32,
    /// Power supplies.
    pub psus: u32,
    /// Mass of each power supply (kg).
    pub psu_mass_kg: Option<f64>,
    /// Enclosure (rack by default).
    pub case: Option<CaseKind>,
    /// Load for the power figure (%).
    pub load: Option<f64>,
}

/// One component.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "component", rename_all = "kebab-case")]
pub enum ComponentRequest {
    /// A processor.
    Cpu(Box<CpuQuery>),
    /// An accelerator.
    Gpu(GpuQuery),
    /// Memory.
    Ram(RamQuery),
    /// A solid-state drive.
    Ssd(SsdQuery),
    /// A hard disk drive.
    Hdd,
    /// A motherboard.
    Motherboard,
    /// A power supply.
    PowerSupply {
        /// Mass (kg).
        mass_kg: Option<f64>,
    },
    /// A server enclosure.
    Case(CaseKind),
    /// The assembly of a server.
    Assembly,
}

/// An amount of electricity in a zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnergyRequest {
    /// Energy (kWh).
    pub energy_kwh: f64,
    /// Zone code or name.
    pub zone: String,
}

/// The library's entry point: the data bundle and the estimates made from it.
#[derive(Clone, Debug)]
pub struct Engine {
    bundle: Bundle,
}

struct Evaluated {
    central: Vec<f64>,
    spreads: Vec<Spread>,
    mc: Option<(MonteCarlo, McScratch)>,
}

fn evaluate(graph: &Graph, nodes: &[NodeId], params: &[f64], opts: &Options) -> Evaluated {
    let plan = Plan::new(graph, nodes);
    let mut ev = plan.evaluator();
    let mut central = vec![0.0; nodes.len()];
    ev.eval(params, &mut central);
    if opts.samples == 0 {
        let spreads = central
            .iter()
            .map(|c| Spread {
                low: *c,
                high: *c,
                mean: *c,
                sd: 0.0,
                widened: false,
            })
            .collect();
        return Evaluated {
            central,
            spreads,
            mc: None,
        };
    }
    let mc = MonteCarlo::new(graph, nodes, opts.samples, opts.seed);
    let mut scratch = mc.scratch();
    mc.evaluate(&mut scratch, params);
    let mut buf = Vec::new();
    let spreads = (0..nodes.len())
        .map(|i| {
            spread(
                central[i],
                mc.output(&scratch, i),
                opts.percentiles,
                &mut buf,
            )
        })
        .collect();
    Evaluated {
        central,
        spreads,
        mc: Some((mc, scratch)),
    }
}

fn estimate(e: &Evaluated, i: usize, unit: &str) -> Estimate {
    Estimate {
        value: e.central[i],
        low: e.spreads[i].low,
        high: e.spreads[i].high,
        unit: unit.to_string(),
    }
}

fn check_load(v: f64, what: &str) -> Result<f64, Error> {
    if v.is_finite() && (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(Error::Request(format!(
            "invalid {what} '{}': expected a percentage between 0 and 100",
            fmt_num(v)
        )))
    }
}

/// A job's allocation on a partition, in node-equivalents.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Share {
    /// Node-equivalents charged to the job.
    pub nodes: f64,
    /// How it was computed.
    pub how: String,
}

/// The node-equivalents a request occupies on a partition, by the partition's allocation key.
pub fn node_share(
    p: &Partition,
    nodes: Option<f64>,
    cores: Option<f64>,
    gpus: Option<f64>,
    memory_gb: Option<f64>,
    warnings: &mut Vec<Warning>,
) -> Result<Share, Error> {
    let limit = if p.is_default {
        f64::INFINITY
    } else {
        p.nodes as f64
    };
    let name = &p.name;
    let pos = |v: Option<f64>, what: &str| -> Result<Option<f64>, Error> {
        match v {
            Some(x) if !(x.is_finite() && x > 0.0) => Err(Error::Request(format!(
                "invalid --{what} '{}': expected a positive number",
                fmt_num(x)
            ))),
            other => Ok(other),
        }
    };
    let nodes = pos(nodes, "nodes")?;
    let cores = pos(cores, "cores")?;
    let gpus = pos(gpus, "gpus")?;
    let memory_gb = pos(memory_gb, "memory")?;
    if let Some(n) = nodes {
        if n > limit {
            return Err(Error::Request(format!(
                "invalid --nodes '{}': partition {name} has {} nodes",
                fmt_num(n),
                p.nodes
            )));
        }
    }
    let span = nodes.unwrap_or(limit);
    let check = |v: Option<f64>, per: f64, what: &str, flag: &str| -> Result<Option<f64>, Error> {
        match v {
            None => Ok(None),
            Some(_) if per <= 0.0 => Err(Error::Request(format!(
                "invalid --{flag}: partition {name} has no {what}"
            ))),
            Some(x) if x > per * span + 1e-9 => Err(Error::Request(format!(
                "invalid --{flag} '{}': {} has {} {what} per node{}",
                fmt_num(x),
                name,
                fmt_num(per),
                if nodes.is_some() {
                    format!(", {} on {} node(s)", fmt_num(per * span), fmt_num(span))
                } else {
                    format!(", {} in all", fmt_num(per * span))
                }
            ))),
            Some(x) => Ok(Some(x / per)),
        }
    };
    let sc = check(cores, p.cores_per_node, "cores", "cores")?;
    let sg = check(gpus, p.gpus_per_node, "GPUs", "gpus")?;
    let sm = check(memory_gb, p.memory_gb_per_node, "GB of memory", "memory")?;
    if sc.is_none() && sg.is_none() && sm.is_none() {
        return match nodes {
            Some(n) => Ok(Share {
                nodes: n,
                how: format!("{} whole node(s)", fmt_num(n)),
            }),
            None => Err(Error::Request(
                "missing job size: give --nodes, or --cores, --gpus or --memory for part of a node"
                    .into(),
            )),
        };
    }
    let parts: Vec<(&str, f64)> = [("cores", sc), ("GPUs", sg), ("memory", sm)]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
    let given: Vec<String> = [
        (cores, p.cores_per_node, "cores"),
        (gpus, p.gpus_per_node, "GPUs"),
        (memory_gb, p.memory_gb_per_node, "GB of memory"),
    ]
    .into_iter()
    .filter_map(|(v, per, what)| {
        v.map(|v| format!("{} of {} {what} per node", fmt_num(v), fmt_num(per)))
    })
    .collect();
    let max = parts.iter().map(|p| p.1).fold(0.0, f64::max);
    let (share, how) = match p.allocation_key {
        AllocationKey::Node => {
            let n = nodes.unwrap_or(max.ceil());
            (
                n,
                format!(
                    "{} whole node(s): the partition charges whole nodes",
                    fmt_num(n)
                ),
            )
        }
        AllocationKey::Max => (max, "largest share of cores, GPUs and memory".to_string()),
        key => {
            let want = match key {
                AllocationKey::Cores => "cores",
                AllocationKey::Gpus => "GPUs",
                _ => "memory",
            };
            match parts.iter().find(|p| p.0 == want) {
                Some(v) => (v.1, format!("share of the node's {want}")),
                None => {
                    warnings.push(Warning::new(
                        "job.allocation-key-missing",
                        format!(
                            "partition {name} charges by {want}, but the request gives no {want}: the largest share of what it gives is used"
                        ),
                    ));
                    (max, "largest share of the resources given".to_string())
                }
            }
        }
    };
    let share = match nodes {
        Some(n) => share.min(n),
        None => share,
    };
    Ok(Share {
        nodes: share,
        how: format!(
            "{} node-equivalent(s): {how} ({})",
            fmt_num(share),
            given.join(", ")
        ),
    })
}

/// A partition compiled for many jobs: the graph is built once, each job is a short tape.
#[derive(Clone, Debug)]
pub struct JobEstimator {
    /// The job graph.
    pub model: JobModel,
    /// The center's partition.
    pub partition: Partition,
    /// Warnings of the partition (center, node types, model).
    pub warnings: Vec<Warning>,
    plan: Plan,
    measured: bool,
}

impl JobEstimator {
    /// Compiles a partition (`group`: one node group of a mixed partition).
    pub fn new(
        engine: &Engine,
        center: &Center,
        partition: &Partition,
        group: Option<usize>,
        method: &str,
        measured_energy: bool,
    ) -> Result<JobEstimator, Error> {
        let constants = engine.bundle.constants(method)?;
        let model = job_model(
            &engine.bundle.criteria,
            &constants,
            &center.spec,
            &JobOptions {
                cluster: partition.cluster,
                group,
                measured_energy,
            },
        )?;
        let plan = Plan::new(&model.graph, &model.outputs.nodes);
        let mut warnings = center.warnings_for(partition);
        warnings.extend(model.warnings.iter().cloned());
        dedup_warnings(&mut warnings);
        Ok(JobEstimator {
            partition: partition.clone(),
            warnings,
            plan,
            model,
            measured: measured_energy,
        })
    }

    /// The output nodes, in the order of [`JobEstimator::layout`].
    pub fn outputs(&self) -> &[NodeId] {
        &self.model.outputs.nodes
    }

    /// Where each output lies: totals, phases and measures of the job model.
    pub fn layout(&self) -> &OutputLayout {
        &self.model.outputs.layout
    }

    /// Number of criteria.
    pub fn criteria(&self) -> usize {
        self.layout().criteria()
    }

    /// Number of arithmetic operations run per job (the rest of the graph is computed once).
    pub fn tape_len(&self) -> usize {
        self.plan.tape_len()
    }

    /// True when compiled for measured energy.
    pub fn measured(&self) -> bool {
        self.measured
    }

    /// A reusable evaluator.
    pub fn evaluator(&self) -> PointEvaluator<'_> {
        self.plan.evaluator()
    }

    /// A buffer for [`JobEstimator::point_in`].
    pub fn buffer(&self) -> Vec<f64> {
        self.plan.buffer()
    }

    /// Point estimate of one job into `out`, with a buffer made by [`JobEstimator::buffer`].
    #[inline]
    pub fn point_in(&self, buf: &mut [f64], params: &[f64], out: &mut [f64]) {
        self.plan.eval_in(buf, params, out);
    }

    /// Point estimate of one job: `params` are hours, node-equivalents, CPU load, GPU load (%)
    /// and, when compiled for measured energy, the measured kWh. `out` receives every output.
    #[inline]
    pub fn point(&self, ev: &mut PointEvaluator<'_>, params: &[f64], out: &mut [f64]) {
        ev.eval(params, out);
    }
}

impl Engine {
    /// An engine over the embedded data bundle.
    pub fn new() -> Result<Engine, Error> {
        Ok(Engine {
            bundle: Bundle::embedded()?,
        })
    }

    /// An engine over a given bundle.
    pub fn with_bundle(bundle: Bundle) -> Engine {
        Engine { bundle }
    }

    /// The data bundle.
    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }

    fn constants(&self, method: &str) -> Result<Constants, Error> {
        Ok(self.bundle.constants(method)?)
    }

    /// Loads a center (bundled or from a file's text) with an optional zone override.
    pub fn center(
        &self,
        source: &CenterSource,
        method: &str,
        zone: Option<&str>,
    ) -> Result<Center, Error> {
        let constants = self.constants(method)?;
        let (label, text) = match source {
            CenterSource::Bundled(name) => self.bundle.center_file(name).ok_or_else(|| {
                Error::Request(format!(
                    "unknown center '{name}': expected a bundled center ({}) or the path of a center file (.toml)",
                    self.bundle.center_names().join(", ")
                ))
            })?,
            CenterSource::Text { label, text } => (label.as_str(), text.as_str()),
        };
        Ok(Center::from_toml(
            label,
            text,
            &self.bundle,
            &constants,
            zone,
        )?)
    }

    fn base_report(&self, kind: &str, subject: String, opts: &Options) -> Report {
        Report {
            kind: kind.into(),
            subject,
            impacts: OrderedMap::new(),
            phases: OrderedMap::new(),
            components: OrderedMap::new(),
            quantities: OrderedMap::new(),
            warnings: vec![],
            data_bundle: self.bundle.hash.clone(),
            data_bundle_version: self.bundle.meta.version.clone(),
            method: opts.method.clone(),
            uncertainty: Uncertainty::new(opts.samples, opts.seed, opts.percentiles),
            sensitivity: OrderedMap::new(),
            inputs: OrderedMap::new(),
            matches: vec![],
            explanation: None,
            impacts_version: env!("CARGO_PKG_VERSION").into(),
            samples: None,
        }
    }

    /// Fills a report from evaluated outputs: their phases, components and measures, then the
    /// totals, the results whose bounds were widened, sensitivity and explanation.
    fn finish(
        &self,
        r: &mut Report,
        graph: &Graph,
        outputs: &ReportOutputs<'_>,
        e: &Evaluated,
        params: &[f64],
        opts: &Options,
    ) {
        outputs.fill(r, e);
        let nodes = outputs.nodes();
        let names = outputs.names();
        let totals: Vec<usize> = outputs.totals().collect();
        for (c, crit) in self.bundle.criteria.iter().enumerate() {
            r.impacts
                .push(crit.key.clone(), estimate(e, totals[c], &crit.unit));
        }
        for (i, s) in e.spreads.iter().enumerate() {
            if s.widened {
                r.uncertainty.widened.push(names[i].clone());
            }
        }
        if let Some((mc, scratch)) = &e.mc {
            r.samples = Some(
                totals
                    .iter()
                    .map(|&i| mc.output(scratch, i).to_vec())
                    .collect(),
            );
            if opts.sensitivity {
                for (c, crit) in self.bundle.criteria.iter().enumerate() {
                    let i = totals[c];
                    let mut s = sensitivity(graph, mc, nodes[i], mc.output(scratch, i));
                    // Drop correlations within sampling noise (|rho| < 2 / sqrt(n)).
                    let noise = 2.0 / (mc.samples() as f64).sqrt();
                    s.retain(|x| x.share >= 0.005 && x.rank_correlation.abs() >= noise);
                    s.truncate(8);
                    r.sensitivity.push(crit.key.clone(), s);
                }
            }
        }
        if opts.explain {
            let values = graph.eval_central(params);
            let pct = opts.percentiles;
            let bounds = |id: NodeId| -> Option<(f64, f64)> {
                let (mc, scratch) = e.mc.as_ref()?;
                let samples = mc.node_samples(scratch, id)?;
                let mut buf = Vec::new();
                let s = spread(values[id.index()], samples, pct, &mut buf);
                Some((s.low, s.high))
            };
            let sources = |k: &str| self.bundle.source_ref(k);
            let notes = |k: &str| -> Option<String> {
                r.inputs.get(k).map(|v| format!("request: {k} = {v}"))
            };
            let cx = ExplainContext {
                values: &values,
                bounds: &bounds,
                sources: &sources,
                param_notes: &notes,
            };
            let mut ex = OrderedMap::new();
            for (c, crit) in self.bundle.criteria.iter().enumerate() {
                ex.push(crit.key.clone(), explain(graph, nodes[totals[c]], &cx));
            }
            r.explanation = Some(ex);
        }
    }

    /// The footprint of a job.
    pub fn job(&self, req: &JobRequest, opts: &Options) -> Result<Report, Error> {
        if !(req.hours.is_finite() && req.hours > 0.0) {
            return Err(Error::Request(format!(
                "invalid --hours '{}': expected a positive, finite number of hours",
                fmt_num(req.hours)
            )));
        }
        let mut center = self.center(&req.center, &opts.method, req.zone.as_deref())?;
        if let Some(g) = &req.grid {
            self.apply_grid(&mut center, g)?;
        }
        if let Some(p) = req.pue {
            apply_pue(&mut center, p)?;
        }
        let mut warnings = Vec::new();
        let partition = match center.partition(&req.partition) {
            Some(p) => p.clone(),
            None => match &center.default_partition {
                Some(d) => {
                    warnings.push(Warning::new(
                        "center.partition-default",
                        format!(
                            "partition '{}' is not described in {}: the center's default node type is used ({})",
                            req.partition, center.file, d.groups[0].node_type
                        ),
                    ));
                    d.clone()
                }
                None => {
                    return Err(Error::Request(format!(
                        "unknown partition '{}' in center {} ({}): expected one of {}",
                        req.partition,
                        center.name,
                        center.file,
                        center.partition_names().join(", ")
                    )))
                }
            },
        };
        let group = match &req.node_type {
            Some(t) => Some(
                partition
                    .groups
                    .iter()
                    .position(|g| &g.node_type == t)
                    .ok_or_else(|| {
                        Error::Request(format!(
                            "unknown --node-type '{t}' for partition {}: expected one of {}",
                            partition.name,
                            partition
                                .groups
                                .iter()
                                .map(|g| g.node_type.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    })?,
            ),
            None => {
                if partition.groups.len() > 1 {
                    warnings.push(Warning::new(
                        "job.node-type-mix",
                        format!(
                            "partition {} has {} node types ({}): the job gets their count-weighted mix; give --node-type to choose",
                            partition.name,
                            partition.groups.len(),
                            partition
                                .groups
                                .iter()
                                .map(|g| format!("{} × {}", g.nodes, g.node_type))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                None
            }
        };
        let share = node_share(
            &partition,
            req.nodes,
            req.cores,
            req.gpus,
            req.memory_gb,
            &mut warnings,
        )?;
        let load = req.load.map(|l| check_load(l, "--load")).transpose()?;
        let cpu_load = match req.cpu_load.or(load) {
            Some(l) => check_load(l, "--cpu-load")?,
            None => {
                warnings.push(Warning::new(
                    "default.load",
                    "no load given: 100 % is assumed for CPUs and GPUs (the reference's assumption); give --load for a better estimate",
                ));
                100.0
            }
        };
        let gpu_load = match req.gpu_load.or(load) {
            Some(l) => check_load(l, "--gpu-load")?,
            None => 100.0,
        };
        if let Some(m) = req.measured_energy_kwh {
            if !(m.is_finite() && m >= 0.0) {
                return Err(Error::Request(format!(
                    "invalid measured energy '{}': expected a non-negative number of kWh",
                    fmt_num(m)
                )));
            }
            warnings.push(Warning::new(
                "job.measured-energy",
                "the measured energy of the job's nodes replaces the modelled electricity; it is exact only for nodes the job had alone",
            ));
        }
        let est = JobEstimator::new(
            self,
            &center,
            &partition,
            group,
            &opts.method,
            req.measured_energy_kwh.is_some(),
        )?;
        let mut all_warnings = est.warnings.clone();
        all_warnings.extend(warnings);
        if let Some(g) = &req.grid {
            all_warnings.extend(g.warnings.iter().cloned());
        }
        dedup_warnings(&mut all_warnings);

        let mut params = vec![0.0; 4];
        params[params::HOURS] = req.hours;
        params[params::NODES] = share.nodes;
        params[params::CPU_LOAD] = cpu_load;
        params[params::GPU_LOAD] = gpu_load;
        if let Some(m) = req.measured_energy_kwh {
            params.push(m);
        }
        let graph = &est.model.graph;
        let layout = est.layout();
        let outputs = ReportOutputs::from_layout(&self.bundle.criteria, layout, est.outputs());
        let e = evaluate(graph, outputs.nodes(), &params, opts);
        let zone = &center.spec.zone;
        let subject = format!(
            "job on {} / {}: {} × {} h at {} % CPU / {} % GPU load, electricity of {} ({})",
            center.name,
            partition.name,
            share.how,
            fmt_num(req.hours),
            fmt_num(cpu_load),
            fmt_num(gpu_load),
            zone.name,
            zone.code
        );
        let mut r = self.base_report("job", subject, opts);
        r.inputs.push("center", json!(center.name));
        r.inputs.push("center_file", json!(center.file));
        r.inputs.push("partition", json!(partition.name));
        if let Some(t) = &req.node_type {
            r.inputs.push("node_type", json!(t));
        }
        r.inputs.push("hours", json!(req.hours));
        r.inputs.push("nodes", json!(share.nodes));
        r.inputs.push("allocation", json!(share.how));
        r.inputs.push("cpu_load", json!(cpu_load));
        r.inputs.push("gpu_load", json!(gpu_load));
        r.inputs.push("zone", json!(zone.code));
        if let Some(m) = req.measured_energy_kwh {
            r.inputs.push("measured_kwh", json!(m));
        }
        if let Some(g) = &req.grid {
            let annual = self.annual_factor(&center, "gwp");
            let energy = layout
                .measure(&job_measures::ENERGY_WITH_OVERHEAD)
                .map_or(0.0, |i| e.central[i]);
            r.inputs.push(
                "grid",
                json!({
                    "gwp_per_kwh": g.gwp_per_kwh,
                    "annual_gwp_per_kwh": annual,
                    "difference_percent": annual.filter(|a| *a > 0.0).map(|a| 100.0 * (g.gwp_per_kwh - a) / a),
                    "use_gwp_difference": annual.map(|a| energy * (g.gwp_per_kwh - a)),
                    "source": g.source,
                    "description": g.description,
                    "window": g.window,
                }),
            );
        }
        r.warnings = all_warnings;
        self.finish(&mut r, graph, &outputs, &e, &params, opts);
        Ok(r)
    }

    /// The zone's annual factor for a criterion (central value), if the bundle has one.
    pub fn annual_factor(&self, center: &Center, criterion: &str) -> Option<f64> {
        let c = self
            .bundle
            .criteria
            .iter()
            .position(|c| c.key == criterion)?;
        center
            .spec
            .zone
            .factors
            .get(c)?
            .as_ref()
            .map(|f| f.quantity.value)
    }

    /// The carbon intensity of a job's window (`start`, UTC seconds, for `hours`) against a series,
    /// for [`JobRequest::grid`]: the time-weighted mean, with the zone's annual factor where the
    /// series does not reach. `None` (with the reason) when the series covers nothing of the window.
    pub fn grid_factor(
        &self,
        series: &impacts_grid::Series,
        center: &Center,
        start: i64,
        hours: f64,
    ) -> Result<(Option<GridFactor>, Vec<Warning>), Error> {
        if !(hours.is_finite() && hours > 0.0) {
            return Err(Error::Request(format!(
                "invalid --hours '{}': expected a positive, finite number of hours",
                fmt_num(hours)
            )));
        }
        let end = start + (hours * 3600.0).round() as i64;
        let w = series.window(start, end);
        let mut warnings = Vec::new();
        let zone = &center.spec.zone;
        if let Some(z) = &series.zone {
            if let Ok(found) = self.bundle.zone(z) {
                if found.spec.code != zone.code {
                    warnings.push(Warning::new(
                        "electricity.series-zone",
                        format!(
                            "the series {} is for {} ({}) but the job's electricity is of {} ({}): check the file or --zone",
                            series.name, found.spec.name, found.spec.code, zone.name, zone.code
                        ),
                    ));
                }
            }
        }
        let annual = self.annual_factor(center, "gwp");
        let span = format!(
            "{}Z to {}Z",
            impacts_model::calendar::format_seconds(start),
            impacts_model::calendar::format_seconds(end)
        );
        if w.covered_s == 0 {
            warnings.push(Warning::new(
                "electricity.series-outside",
                format!(
                    "the job ({span}) is outside the series {} ({}Z to {}Z): the annual factor of {} is used",
                    series.name,
                    impacts_model::calendar::format_seconds(series.start()),
                    impacts_model::calendar::format_seconds(series.end()),
                    zone.name
                ),
            ));
            return Ok((None, warnings));
        }
        let Some(annual) = annual else {
            return Err(Error::Request(format!(
                "the zone {} has no annual GWP factor in the data bundle to compare with the series",
                zone.name
            )));
        };
        if w.uncovered_s() > 0 {
            warnings.push(Warning::new(
                "electricity.series-partial",
                format!(
                    "the series {} covers {} of the job's {} h ({} h before its start, {} h after its end, {} h in its gaps): the annual factor of {} ({} gCO2eq/kWh) fills the rest",
                    series.name,
                    fmt_num((w.covered_s as f64 / 3600.0 * 1000.0).round() / 1000.0),
                    fmt_num(hours),
                    fmt_num(w.before_s as f64 / 3600.0),
                    fmt_num(w.after_s as f64 / 3600.0),
                    fmt_num(w.gap_s as f64 / 3600.0),
                    zone.name,
                    fmt_num(annual)
                ),
            ));
        }
        match series.kind {
            impacts_grid::Kind::Direct => warnings.push(Warning::new(
                "electricity.series-direct",
                format!(
                    "the series {} gives direct emissions ({}): they leave out fuel supply and plant construction, unlike the annual life-cycle factors",
                    series.name, series.column
                ),
            )),
            impacts_grid::Kind::Unstated => warnings.push(Warning::new(
                "electricity.series-kind",
                format!(
                    "the series {} does not say whether its intensities are life-cycle or direct (name the column gco2eq_per_kwh_lifecycle or _direct); they replace the annual life-cycle factor as they are",
                    series.name
                ),
            )),
            impacts_grid::Kind::LifeCycle => {}
        }
        for n in &series.notes {
            warnings.push(Warning::new(
                "electricity.series-local-time",
                format!("{}: {n}", series.name),
            ));
        }
        let mean = w.mean_with(annual);
        let description = format!(
            "{:?} series, column '{}', {span}: {} row(s) of {} s, mean over the covered {} h {} gCO2eq/kWh (min {}, max {}); annual factor {} gCO2eq/kWh",
            series.format,
            series.column,
            w.rows,
            series.step_s,
            fmt_num((w.covered_s as f64 / 3600.0 * 1000.0).round() / 1000.0),
            fmt_num(w.mean().unwrap_or(mean)),
            fmt_num(w.min.unwrap_or(mean)),
            fmt_num(w.max.unwrap_or(mean)),
            fmt_num(annual)
        );
        Ok((
            Some(GridFactor {
                gwp_per_kwh: mean,
                source: series.name.clone(),
                description,
                window: w,
                warnings: warnings.clone(),
            }),
            Vec::new(),
        ))
    }

    /// Replaces the GWP factor of the job's own electricity by a time-resolved one.
    fn apply_grid(&self, center: &mut Center, g: &GridFactor) -> Result<(), Error> {
        if !(g.gwp_per_kwh.is_finite() && g.gwp_per_kwh >= 0.0) {
            return Err(Error::Request(format!(
                "invalid grid intensity '{}': expected a non-negative number of gCO2eq/kWh",
                fmt_num(g.gwp_per_kwh)
            )));
        }
        let Some(c) = self.bundle.criteria.iter().position(|c| c.key == "gwp") else {
            return Ok(());
        };
        let mut factors = center.spec.zone.factors.clone();
        factors[c] = Some(Input::new(
            format!("grid:{}:{}", g.source, g.gwp_per_kwh),
            format!(
                "carbon intensity of the electricity over the job ({})",
                g.source
            ),
            Quantity::fixed(
                g.gwp_per_kwh,
                "gCO2eq/kWh",
                Provenance::new(Status::Measured, &g.source).with_note(g.description.clone()),
            ),
        ));
        center.spec.zone.use_factors = Some(factors);
        Ok(())
    }

    /// The impacts of an amount of electricity.
    pub fn energy(&self, req: &EnergyRequest, opts: &Options) -> Result<Report, Error> {
        if !(req.energy_kwh.is_finite() && req.energy_kwh >= 0.0) {
            return Err(Error::Request(format!(
                "invalid energy '{}': expected a non-negative amount of energy",
                fmt_num(req.energy_kwh)
            )));
        }
        let zone = self.bundle.zone(&req.zone)?;
        let (graph, outs, mut warnings) = energy_model(&self.bundle.criteria, &zone.spec);
        warnings.extend(zone.warnings.clone());
        let params = [req.energy_kwh];
        let mut outputs = ReportOutputs::new(&self.bundle.criteria, &outs);
        outputs.phase("use", &outs);
        let e = evaluate(&graph, outputs.nodes(), &params, opts);
        let mut r = self.base_report(
            "energy",
            format!(
                "{} kWh of electricity in {} ({})",
                fmt_num(req.energy_kwh),
                zone.spec.name,
                zone.spec.code
            ),
            opts,
        );
        r.inputs.push("energy_kwh", json!(req.energy_kwh));
        r.inputs.push("zone", json!(zone.spec.code));
        r.warnings = warnings;
        self.finish(&mut r, &graph, &outputs, &e, &params, opts);
        Ok(r)
    }

    /// The manufacturing impacts and power of one server.
    pub fn server(&self, req: &ServerRequest, opts: &Options) -> Result<Report, Error> {
        let constants = self.constants(&opts.method)?;
        let mut warnings = Vec::new();
        let mut matches = Vec::new();
        let load = check_load(req.load.unwrap_or(100.0), "--load")?;
        let mut spec = ServerSpec {
            name: req.name.clone().unwrap_or_else(|| "server".into()),
            cpus: vec![],
            gpus: vec![],
            ram: vec![],
            ssds: vec![],
            hdds: req.hdds,
            motherboards: req.motherboards,
            psus: vec![],
            case: Some(req.case.unwrap_or(CaseKind::Rack)),
            assembly: true,
        };
        for (q, n) in &req.cpus {
            let r = self.bundle.resolve_cpu(q, &constants)?;
            warnings.extend(r.warnings);
            matches.extend(r.name_match);
            spec.cpus.push(Counted {
                count: *n,
                spec: r.spec,
            });
        }
        for (q, n) in &req.gpus {
            let r = self.bundle.resolve_gpu(q, &constants)?;
            warnings.extend(r.warnings);
            matches.extend(r.name_match);
            spec.gpus.push(Counted {
                count: *n,
                spec: r.spec,
            });
        }
        for q in &req.ram {
            let r = self.bundle.resolve_ram(q, &constants)?;
            warnings.extend(r.warnings);
            spec.ram.push(r.spec);
        }
        for (q, n) in &req.ssds {
            let r = self.bundle.resolve_ssd(q)?;
            warnings.extend(r.warnings);
            spec.ssds.push(Counted {
                count: *n,
                spec: r.spec,
            });
        }
        if req.psus > 0 {
            let mass = match req.psu_mass_kg {
                Some(m) if m.is_finite() && m > 0.0 => Input::new(
                    format!("psu-mass:{:x}", m.to_bits()),
                    "power supply mass",
                    Quantity::fixed(m, "kg", Provenance::input("power supply mass")),
                ),
                Some(m) => {
                    return Err(Error::Request(format!(
                        "invalid --psu-mass '{}': expected a positive mass in kg",
                        fmt_num(m)
                    )))
                }
                None => Input::new(
                    "const:psu.mass_kg",
                    "power supply mass",
                    constants
                        .get("psu.mass_kg", None)
                        .cloned()
                        .ok_or_else(|| ModelError::MissingConstant("psu.mass_kg".into()))?,
                ),
            };
            spec.psus.push(Counted {
                count: req.psus,
                spec: PsuSpec { mass_kg: mass },
            });
        } else {
            warnings.push(Warning::new(
                "server.psu-not-counted",
                "no power supply given: none is counted, as in Impacts-HPC (BoaviztAPI's archetypes count 2 of 2.99 kg): add --psus 2",
            ));
        }
        if spec.cpus.is_empty() && spec.gpus.is_empty() {
            return Err(Error::Request(
                "a server needs at least one --cpu or --gpu".into(),
            ));
        }
        let mut b = Builder::new(&self.bundle.criteria, &constants);
        let l = b.input(&Input::new(
            "request:load",
            "load of the request",
            Quantity::fixed(
                load,
                "%",
                Provenance::input("load for the power figure (--load, default 100 %)"),
            ),
        ));
        let s = server(&mut b, &spec, l, l)?;
        let hours = b.graph.param("hours", "duration of use", "h");
        let life = b.required("server.lifetime_years", "server lifetime")?;
        let usage = b.required("server.usage_rate", "usage rate")?;
        let share = impacts_model::job::allocation_share(
            &mut b,
            &impacts_model::job::Allocation::Linear,
            hours,
            life,
            usage,
        )?;
        let per_hour: Vec<NodeId> = s.embodied.iter().map(|x| b.graph.mul(*x, share)).collect();
        let per_hour = b.label_impacts(&per_hour, "manufacturing allocated to one hour of use");
        let (graph, mw) = b.finish();
        warnings.extend(mw);
        warnings.push(Warning::new(
            "scope.phases-not-modelled",
            "transport and end of life of the equipment are not modelled: results cover manufacturing only",
        ));
        let mut outputs = ReportOutputs::new(&self.bundle.criteria, &s.embodied);
        outputs.phase("manufacturing", &s.embodied);
        for p in &s.parts {
            outputs.component(p.group, &p.impacts);
        }
        outputs
            .phase("manufacturing_per_hour_of_use", &per_hour)
            .measure("power", "W", s.power)
            .measure("idle_power", "W", s.idle_power)
            .measure("peak_power", "W", s.peak_power);
        let params = [1.0];
        let e = evaluate(&graph, outputs.nodes(), &params, opts);
        let mut r = self.base_report("server", describe_server(&spec), opts);
        r.inputs.push("server", json!(describe_server(&spec)));
        r.inputs.push("load", json!(load));
        dedup_warnings(&mut warnings);
        r.warnings = warnings;
        r.matches = matches;
        self.finish(&mut r, &graph, &outputs, &e, &params, opts);
        Ok(r)
    }

    /// The manufacturing impacts (and power, where it applies) of one component.
    pub fn component(&self, req: &ComponentRequest, opts: &Options) -> Result<Report, Error> {
        let constants = self.constants(&opts.method)?;
        let mut b = Builder::new(&self.bundle.criteria, &constants);
        let mut warnings = Vec::new();
        let mut matches: Vec<NameMatch> = Vec::new();
        let mut power: Vec<(&str, NodeId)> = Vec::new();
        let (subject, embodied) = match req {
            ComponentRequest::Cpu(q) => {
                let r = self.bundle.resolve_cpu(q, &constants)?;
                warnings.extend(r.warnings);
                matches.extend(r.name_match);
                let e = cpu_embodied(&mut b, &r.spec);
                let full = fixed_load(&mut b, 100.0);
                let idle = fixed_load(&mut b, 0.0);
                power.push(("power", cpu_power(&mut b, &r.spec, full)));
                power.push(("idle_power", cpu_power(&mut b, &r.spec, idle)));
                (format!("CPU {}", r.spec.name), e)
            }
            ComponentRequest::Gpu(q) => {
                let r = self.bundle.resolve_gpu(q, &constants)?;
                warnings.extend(r.warnings);
                matches.extend(r.name_match);
                let e = gpu_embodied(&mut b, &r.spec);
                let full = fixed_load(&mut b, 100.0);
                let idle = fixed_load(&mut b, 0.0);
                power.push(("power", gpu_power(&mut b, &r.spec, full)?));
                power.push(("idle_power", gpu_power(&mut b, &r.spec, idle)?));
                (format!("GPU {}", r.spec.name), e)
            }
            ComponentRequest::Ram(q) => {
                let r = self.bundle.resolve_ram(q, &constants)?;
                warnings.extend(r.warnings);
                let spec = ServerSpec {
                    name: "RAM".into(),
                    cpus: vec![],
                    gpus: vec![],
                    ram: vec![r.spec],
                    ssds: vec![],
                    hdds: 0,
                    motherboards: 0,
                    psus: vec![],
                    case: None,
                    assembly: false,
                };
                let e = self.part_only(&mut b, &spec, &mut power, "RAM")?;
                (format!("{} GB of RAM", fmt_num(q.size_gb)), e)
            }
            ComponentRequest::Ssd(q) => {
                let r = self.bundle.resolve_ssd(q)?;
                warnings.extend(r.warnings);
                let spec = ServerSpec {
                    name: "SSD".into(),
                    cpus: vec![],
                    gpus: vec![],
                    ram: vec![],
                    ssds: vec![Counted {
                        count: 1,
                        spec: r.spec,
                    }],
                    hdds: 0,
                    motherboards: 0,
                    psus: vec![],
                    case: None,
                    assembly: false,
                };
                let e = self.part_only(&mut b, &spec, &mut power, "SSD")?;
                (format!("SSD of {} GB", fmt_num(q.size_gb)), e)
            }
            ComponentRequest::Hdd => {
                let e = b.linear_impacts("HDD", None, None, Some(("hdd.unit", "HDD impact")));
                let w = b.required("hdd.power_w", "HDD power per drive")?;
                power.push(("power", w));
                ("one hard disk drive".to_string(), e)
            }
            ComponentRequest::Motherboard => (
                "one motherboard".to_string(),
                b.linear_impacts(
                    "motherboard",
                    None,
                    None,
                    Some(("motherboard.unit", "motherboard impact")),
                ),
            ),
            ComponentRequest::PowerSupply { mass_kg } => {
                let mass = match mass_kg {
                    Some(m) if m.is_finite() && *m > 0.0 => b.input(&Input::new(
                        format!("psu-mass:{:x}", m.to_bits()),
                        "power supply mass",
                        Quantity::fixed(*m, "kg", Provenance::input("power supply mass")),
                    )),
                    Some(m) => {
                        return Err(Error::Request(format!(
                            "invalid --mass '{}': expected a positive mass in kg",
                            fmt_num(*m)
                        )))
                    }
                    None => {
                        warnings.push(Warning::new(
                            "default.psu-mass",
                            "power supply mass not given: 2.99 kg (BoaviztAPI; range 1 to 5 kg)",
                        ));
                        b.required("psu.mass_kg", "power supply mass")?
                    }
                };
                let e = b.linear_impacts(
                    "power supply",
                    Some(("psu.per_kg", "power supply impact per kg")),
                    Some(mass),
                    None,
                );
                ("one power supply".to_string(), e)
            }
            ComponentRequest::Case(kind) => {
                let (key, name, s) = match kind {
                    CaseKind::Rack => ("case.rack", "rack case impact", "a rack server case"),
                    CaseKind::Blade => ("case.blade", "blade case impact", "a blade server case"),
                };
                (
                    s.to_string(),
                    b.linear_impacts("case", None, None, Some((key, name))),
                )
            }
            ComponentRequest::Assembly => (
                "the assembly of a server".to_string(),
                b.linear_impacts(
                    "assembly",
                    None,
                    None,
                    Some(("assembly.unit", "server assembly impact")),
                ),
            ),
        };
        let embodied = b.label_impacts(&embodied, &format!("{subject} manufacturing"));
        let (graph, mw) = b.finish();
        warnings.extend(mw);
        let mut outputs = ReportOutputs::new(&self.bundle.criteria, &embodied);
        outputs.phase("manufacturing", &embodied);
        for (k, p) in &power {
            outputs.measure(k, "W", *p);
        }
        let params: [f64; 0] = [];
        let e = evaluate(&graph, outputs.nodes(), &params, opts);
        let mut r = self.base_report("component", subject.clone(), opts);
        r.inputs.push(
            "component",
            serde_json::to_value(req).unwrap_or(json!(null)),
        );
        dedup_warnings(&mut warnings);
        r.warnings = warnings;
        r.matches = matches;
        self.finish(&mut r, &graph, &outputs, &e, &params, opts);
        Ok(r)
    }

    /// The sum of several reports' totals, per criterion of the bundle, with bounds from their
    /// Monte Carlo samples summed one by one: inputs the reports share (a PUE, an electricity
    /// factor) were drawn with the same values in each, so they are counted once in the spread.
    /// Without samples in every report, the bounds equal the value.
    pub fn sum_reports(&self, reports: &[&Report], opts: &Options) -> OrderedMap<Estimate> {
        let mut out = OrderedMap::new();
        let mut buf = Vec::new();
        for (c, crit) in self.bundle.criteria.iter().enumerate() {
            let central: f64 = reports
                .iter()
                .map(|r| r.impacts.get(&crit.key).map_or(0.0, |e| e.value))
                .sum();
            let samples: Option<Vec<f64>> =
                reports
                    .iter()
                    .try_fold(vec![0.0; opts.samples], |mut acc, r| {
                        let s = r.samples.as_ref()?.get(c)?;
                        if s.len() != acc.len() {
                            return None;
                        }
                        for (a, b) in acc.iter_mut().zip(s) {
                            *a += b;
                        }
                        Some(acc)
                    });
            let (low, high) = match samples.filter(|s| !s.is_empty()) {
                Some(s) => {
                    let sp = impacts_model::eval::spread(central, &s, opts.percentiles, &mut buf);
                    (sp.low, sp.high)
                }
                None => (central, central),
            };
            out.push(
                crit.key.clone(),
                Estimate {
                    value: central,
                    low,
                    high,
                    unit: crit.unit.clone(),
                },
            );
        }
        out
    }

    fn part_only(
        &self,
        b: &mut Builder<'_>,
        spec: &ServerSpec,
        power: &mut Vec<(&'static str, NodeId)>,
        group: &str,
    ) -> Result<Vec<NodeId>, Error> {
        // A server made of this part alone, without the rest-of-server power ratio.
        let l = fixed_load(b, 100.0);
        let s = server(b, spec, l, l)?;
        let part = s
            .parts
            .iter()
            .find(|p| p.group == group)
            .map(|p| p.impacts.clone())
            .unwrap_or(s.embodied);
        let other = b.required("server.other_power_ratio", "other power ratio")?;
        let one = b.graph.constant(1.0);
        let k = b.graph.add(one, other);
        let p = if group == "RAM" {
            let p = b.graph.div(s.power, k);
            let p = b.graph.label(p, "RAM power", "W");
            let ip = b.graph.div(s.idle_power, k);
            power.push(("power", p));
            power.push(("idle_power", b.graph.label(ip, "RAM idle power", "W")));
            return Ok(part);
        } else {
            s.power
        };
        power.push(("power", p));
        Ok(part)
    }
}

/// Replaces a center's PUE (every cluster's) by a given value.
pub(crate) fn apply_pue(center: &mut Center, pue: f64) -> Result<(), Error> {
    if !(pue.is_finite() && (1.0..=5.0).contains(&pue)) {
        return Err(Error::Request(format!(
            "invalid PUE '{}': expected a number between 1 and 5",
            fmt_num(pue)
        )));
    }
    let input = Input::new(
        format!("pue-override:{:x}", pue.to_bits()),
        "PUE",
        Quantity::fixed(pue, "1", Provenance::input("PUE given in the request")),
    );
    for c in &mut center.spec.clusters {
        c.pue = input.clone();
    }
    center.pue = input;
    Ok(())
}

/// A one-line description of a server.
pub fn describe_server(s: &ServerSpec) -> String {
    let mut parts = Vec::new();
    for c in &s.cpus {
        parts.push(format!("{} × {}", c.count, c.spec.name));
    }
    for g in &s.gpus {
        parts.push(format!("{} × {}", g.count, g.spec.name));
    }
    for r in &s.ram {
        parts.push(format!("{} GB RAM", fmt_num(r.size_gb.quantity.value)));
    }
    for d in &s.ssds {
        parts.push(format!(
            "{} × SSD {} GB",
            d.count,
            fmt_num(d.spec.size_gb.quantity.value)
        ));
    }
    if s.hdds > 0 {
        parts.push(format!("{} × HDD", s.hdds));
    }
    if s.motherboards > 0 {
        parts.push(format!("{} motherboard(s)", s.motherboards));
    }
    for p in &s.psus {
        parts.push(format!(
            "{} × PSU {} kg",
            p.count,
            fmt_num(p.spec.mass_kg.quantity.value)
        ));
    }
    match s.case {
        Some(CaseKind::Rack) => parts.push("rack case".into()),
        Some(CaseKind::Blade) => parts.push("blade case".into()),
        None => {}
    }
    parts.join(", ")
}

/// A fixed input given by the user (for callers building specifications by hand).
pub fn user_input(key: &str, name: &str, value: f64, unit: &str) -> Input {
    Input::new(
        key,
        name,
        Quantity::fixed(value, unit, Provenance::new(Status::Input, "user")),
    )
}
