//! Jobs: a partition compiled for many jobs ([`JobEstimator`]), one job's report, the grid's
//! intensity over a job's window.

use crate::charge::{charge, check_load, Charge, Demand};
use crate::error::invalid;
use crate::outputs::ReportOutputs;
use crate::report::Report;
use crate::{evaluate_planned, Engine, Error, GridFactor, JobRequest, Options};
use impacts_center::{Center, Partition};
use impacts_error::InputError;
use impacts_model::builder::Input;
use impacts_model::criteria::Constants;
use impacts_model::eval::{MonteCarlo, Plan, PointEvaluator};
use impacts_model::graph::NodeId;
use impacts_model::job::{job_model, params, DrawnLoads, JobModel, JobOptions};
use impacts_model::layout::{job_measures, OutputLayout};
use impacts_model::quantity::{fmt_num, Provenance, Quantity, Status};
use impacts_model::report::{dedup_warnings, Warning};
use serde_json::json;
use std::sync::Arc;

/// The largest power of one node at full load that is not warned about (W): the densest GPU
/// nodes of 2024 (8 accelerators of 1 kW and their hosts) draw about 10–14 kW.
pub const MAX_PLAUSIBLE_NODE_W: f64 = 20_000.0;

/// The longest job that is not warned about (h): a year.
pub const MAX_PLAUSIBLE_JOB_H: f64 = 8766.0;

/// The longest job accepted (h): a million hours, 114 years. Longer is a mistake (a time in the
/// wrong unit), refused rather than computed.
pub const MAX_JOB_H: f64 = 1e6;

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
    /// The outputs in the order of a report ([`ReportOutputs`]) and their plan: a report of one
    /// job evaluates them without planning again.
    report_nodes: Vec<NodeId>,
    report_plan: Plan,
    measured: bool,
    drawn: DrawnLoads,
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
        let drawn = DrawnLoads::default();
        Self::with_drawn_loads(
            engine,
            center,
            partition,
            (group, method),
            measured_energy,
            drawn,
        )
    }

    /// Compiles a partition for jobs whose CPU or GPU load is unknown (`drawn`): drawn from the
    /// method's distributions (`load.cpu_unknown`, `load.gpu_unknown`), its load parameter
    /// ignored.
    pub fn with_drawn_loads(
        engine: &Engine,
        center: &Center,
        partition: &Partition,
        (group, method): (Option<usize>, &str),
        measured_energy: bool,
        drawn: DrawnLoads,
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
                drawn,
            },
        )?;
        let plan = Plan::new(&model.graph, &model.outputs.nodes);
        let report_nodes = ReportOutputs::from_layout(
            &engine.bundle.criteria,
            &model.outputs.layout,
            &model.outputs.nodes,
        )
        .nodes()
        .to_vec();
        let report_plan = Plan::new(&model.graph, &report_nodes);
        let mut warnings = center.warnings_for(partition);
        warnings.extend(model.warnings.iter().cloned());
        let mut est = JobEstimator {
            partition: partition.clone(),
            warnings: Vec::new(),
            plan,
            report_nodes,
            report_plan,
            model,
            measured: measured_energy,
            drawn,
        };
        warnings.extend(est.node_power_warning());
        dedup_warnings(&mut warnings);
        est.warnings = warnings;
        Ok(est)
    }

    /// A warning when a node of the partition draws more than [`MAX_PLAUSIBLE_NODE_W`] at full
    /// load: a description to check (a GPU count, a TDP).
    fn node_power_warning(&self) -> Option<Warning> {
        let i = self.layout().measure(&job_measures::NODE_POWER)?;
        let mut out = vec![0.0; self.outputs().len()];
        let p = [1.0, 1.0, 100.0, 100.0, 0.0];
        let np = if self.measured { 5 } else { 4 };
        self.plan.evaluator().eval(&p[..np], &mut out);
        let w = out[i];
        (w > MAX_PLAUSIBLE_NODE_W).then(|| {
            Warning::new(
                "plausibility.node-power",
                format!(
                    "a node of partition {} draws {} W at full load, more than {} kW: check its description",
                    self.partition.name,
                    fmt_num(w.round()),
                    fmt_num(MAX_PLAUSIBLE_NODE_W / 1000.0)
                ),
            )
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

    /// Which of its loads are drawn from the method's distributions (unknown).
    pub fn drawn_loads(&self) -> DrawnLoads {
        self.drawn
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

/// What a job's report is made of, once its partition and charge are decided.
struct JobRun<'a> {
    center: &'a Center,
    partition: &'a Partition,
    /// How the charge was computed.
    how: String,
    /// The job graph's parameters.
    params: Vec<f64>,
    /// The compiled model's key when the engine keeps it (then its draws are kept too).
    key: Option<crate::EstimatorKey>,
}

/// Replaces a center's PUE (every cluster's) by a given value.
pub(crate) fn apply_pue(center: &mut Center, pue: f64) -> Result<(), Error> {
    if !(pue.is_finite() && (1.0..=5.0).contains(&pue)) {
        return invalid("pue", fmt_num(pue), "a number between 1 and 5");
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

/// A job's loads (%), checked, and which are unknown: drawn from the method's distributions
/// (the loads returned are then their modes), with the warning of the default. The reference
/// method takes an unknown load as 100 %.
fn job_loads(
    req: &JobRequest,
    constants: &Constants,
    has_gpus: bool,
    warnings: &mut Vec<Warning>,
) -> Result<(f64, f64, DrawnLoads), Error> {
    let load = req.load.map(|l| check_load(l, "load")).transpose()?;
    let cpu = match req.cpu_load {
        Some(l) => Some(check_load(l, "cpu_load")?),
        None => load,
    };
    let gpu = match req.gpu_load {
        Some(l) => Some(check_load(l, "gpu_load")?),
        None => load,
    };
    if constants.is_reference("load") {
        if cpu.is_none() {
            warnings.push(Warning::new(
                "default.load",
                "no load given: 100 % is assumed for CPUs and GPUs (the reference's assumption); give the job's load for a better estimate",
            ));
        }
        return Ok((
            cpu.unwrap_or(100.0),
            gpu.unwrap_or(100.0),
            DrawnLoads::default(),
        ));
    }
    // The GPU load of nodes without GPUs plays no part: not drawn.
    let drawn = DrawnLoads {
        cpu: cpu.is_none(),
        gpu: gpu.is_none() && has_gpus,
    };
    let mut modes = [0.0; 2];
    let mut said = Vec::new();
    let unknown = [
        (drawn.cpu, "load.cpu_unknown", "CPU"),
        (drawn.gpu, "load.gpu_unknown", "GPU"),
    ];
    for (i, (unknown, key, what)) in unknown.into_iter().enumerate() {
        if !unknown {
            continue;
        }
        let q = constants
            .get(key, None)
            .ok_or_else(|| impacts_data::DataError::Bundle {
                file: "constants.toml".into(),
                line: 0,
                message: format!("{key} is needed for jobs of unknown load"),
            })?;
        modes[i] = q.value;
        let verb = if said.is_empty() { " is drawn" } else { "" };
        said.push(format!(
            "the {what} load{verb} from {} %",
            q.dist.describe(q.value)
        ));
    }
    if drawn.any() {
        warnings.push(Warning::new(
            "default.load",
            format!(
                "no load given: {} (measured use of production systems, docs/method.md#load); give the job's load for a better estimate",
                said.join(", ")
            ),
        ));
    }
    Ok((cpu.unwrap_or(modes[0]), gpu.unwrap_or(modes[1]), drawn))
}

/// The values of a job request that need no center: duration, sizes, measured energy.
fn check_job(req: &JobRequest) -> Result<(), Error> {
    if !(req.hours.is_finite() && req.hours > 0.0) {
        return invalid(
            "hours",
            fmt_num(req.hours),
            "a positive, finite number of hours",
        );
    }
    let sizes = [
        ("nodes", req.nodes),
        ("cores", req.cores),
        ("gpus", req.gpus),
        ("memory_gb", req.memory_gb),
    ];
    for (field, v) in sizes {
        if let Some(x) = v.filter(|x| !(x.is_finite() && *x > 0.0)) {
            return invalid(field, fmt_num(x), "a positive, finite number");
        }
    }
    if let Some(m) = req
        .measured_energy_kwh
        .filter(|m| !(m.is_finite() && *m >= 0.0))
    {
        return invalid(
            "measured_energy_kwh",
            fmt_num(m),
            "a non-negative, finite number of kWh",
        );
    }
    Ok(())
}

/// What a series' kind and clock say: direct rather than life-cycle intensities, an unstated
/// kind, local times resolved.
fn series_kind_warnings(series: &impacts_grid::Series) -> Vec<Warning> {
    let mut warnings = Vec::new();
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
    warnings
}

/// The partition a job names (by its name, else one of its aliases), and its index among the
/// center's; the center's default node type (`None`, with a warning) for a name it lacks.
fn job_partition<'c>(
    center: &'c Center,
    name: &str,
    warnings: &mut Vec<Warning>,
) -> Result<(Option<usize>, &'c Partition), Error> {
    if let Some(i) = center.partition_index(name) {
        return Ok((Some(i), &center.partitions[i]));
    }
    let Some(d) = &center.default_partition else {
        return Err(InputError::unknown(
            "partition",
            name,
            format!(
                "one of the partitions of {} ({}): {}",
                center.name,
                center.file,
                center.partition_names().join(", ")
            ),
        )
        .into());
    };
    warnings.push(Warning::new(
        "center.partition-default",
        format!(
            "partition '{name}' is not described in {}: the center's default node type is used ({})",
            center.file, d.groups[0].node_type
        ),
    ));
    Ok((None, d))
}

/// The node group a request names, or none (the count-weighted mix, with a warning when the
/// partition has several).
fn node_group(
    p: &Partition,
    node_type: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> Result<Option<usize>, Error> {
    let names = || {
        p.groups
            .iter()
            .map(|g| g.node_type.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(t) = node_type {
        return match p.groups.iter().position(|g| g.node_type == t) {
            Some(i) => Ok(Some(i)),
            None => Err(InputError::unknown(
                "node_type",
                t,
                format!("a node type of partition {}: {}", p.name, names()),
            )
            .into()),
        };
    }
    if p.groups.len() > 1 {
        let mix: Vec<String> = p
            .groups
            .iter()
            .map(|g| format!("{} × {}", g.nodes, g.node_type))
            .collect();
        warnings.push(Warning::new(
            "job.node-type-mix",
            format!(
                "partition {} has {} node types ({}): the job gets their count-weighted mix; name the node type to choose",
                p.name,
                p.groups.len(),
                mix.join(", ")
            ),
        ));
    }
    Ok(None)
}

/// The charge of a request on a partition: refused when the partition cannot hold it, its notes
/// as warnings otherwise.
fn request_charge(
    p: &Partition,
    req: &JobRequest,
    warnings: &mut Vec<Warning>,
) -> Result<(Charge, String), Error> {
    let demand = Demand {
        nodes: req.nodes,
        cores: req.cores,
        gpus: req.gpus,
        memory_gb: req.memory_gb,
    };
    let c = charge(p, &demand)?;
    if let Some(e) = c.refusal(p) {
        return Err(e.into());
    }
    warnings.extend(c.notes.iter().map(|n| n.warning(p)));
    let how = c.describe(p, &demand);
    Ok((c, how))
}

impl Engine {
    /// The footprint of a job.
    pub fn job(&self, req: &JobRequest, opts: &Options) -> Result<Report, Error> {
        check_job(req)?;
        let (mut center, mut key) =
            self.shared_center(&req.center, &opts.method, req.zone.as_deref())?;
        if let Some(g) = &req.grid {
            self.apply_grid(Arc::make_mut(&mut center), g)?;
            key = None;
        }
        if let Some(p) = req.pue {
            apply_pue(Arc::make_mut(&mut center), p)?;
            key = None;
        }
        let mut warnings = Vec::new();
        let (index, partition) = job_partition(&center, &req.partition, &mut warnings)?;
        let group = node_group(partition, req.node_type.as_deref(), &mut warnings)?;
        let (charge, how) = request_charge(partition, req, &mut warnings)?;
        let constants = self.constants(&opts.method)?;
        let has_gpus = partition.gpus_per_node > 0.0;
        let (cpu_load, gpu_load, drawn) = job_loads(req, &constants, has_gpus, &mut warnings)?;
        if req.hours > MAX_PLAUSIBLE_JOB_H {
            warnings.push(Warning::new(
                "plausibility.long-job",
                format!(
                    "the job runs {} h, more than a year: check its duration",
                    fmt_num(req.hours)
                ),
            ));
        }
        if req.measured_energy_kwh.is_some() {
            warnings.push(Warning::new(
                "job.measured-energy",
                "the measured energy of the job's nodes replaces the modelled electricity; it is exact only for nodes the job had alone",
            ));
        }
        let measured = req.measured_energy_kwh.is_some();
        let key = key.map(|k| (k, index, group, measured, drawn));
        let est = self.estimator(key.clone(), || {
            let at = (group, opts.method.as_str());
            JobEstimator::with_drawn_loads(self, &center, partition, at, measured, drawn)
        })?;
        let mut all_warnings = est.warnings.clone();
        all_warnings.extend(warnings);
        if let Some(g) = &req.grid {
            all_warnings.extend(g.warnings.iter().cloned());
        }
        dedup_warnings(&mut all_warnings);
        let mut params = vec![0.0; 4];
        params[params::HOURS] = req.hours;
        params[params::NODES] = charge.node_equivalents;
        params[params::CPU_LOAD] = cpu_load;
        params[params::GPU_LOAD] = gpu_load;
        params.extend(req.measured_energy_kwh);
        let run = JobRun {
            center: &center,
            partition,
            how,
            params,
            key,
        };
        let mut r = self.job_report(req, &est, &run, opts)?;
        r.warnings = all_warnings;
        Ok(r)
    }

    /// The report of a job whose estimator and parameters are ready (warnings apart).
    fn job_report(
        &self,
        req: &JobRequest,
        est: &JobEstimator,
        run: &JobRun<'_>,
        opts: &Options,
    ) -> Result<Report, Error> {
        let (center, partition, params) = (run.center, run.partition, &run.params);
        let (cpu_load, gpu_load) = (params[params::CPU_LOAD], params[params::GPU_LOAD]);
        let graph = &est.model.graph;
        let layout = est.layout();
        let outputs = ReportOutputs::from_layout(&self.bundle.criteria, layout, est.outputs());
        debug_assert_eq!(outputs.nodes(), est.report_nodes);
        let kept = |key: &crate::EstimatorKey| {
            self.draws(key, opts, || {
                MonteCarlo::new(graph, outputs.nodes(), opts.samples, opts.seed)
            })
        };
        let kept = run.key.as_ref().map(|k| move || kept(k));
        let e = evaluate_planned(
            graph,
            outputs.nodes(),
            outputs.totals(),
            &est.report_plan,
            params,
            opts,
            kept.as_ref().map(|f| f as &dyn Fn() -> Arc<MonteCarlo>),
        )?;
        let zone = &center.spec.zone;
        let drawn = est.drawn_loads();
        let part = |v: f64, drawn: bool, what: &str| {
            if drawn {
                format!("{what} load drawn (mode {} %)", fmt_num(v))
            } else {
                format!("{} % {what}", fmt_num(v))
            }
        };
        let load = if drawn.any() {
            format!(
                "{} / {}",
                part(cpu_load, drawn.cpu, "CPU"),
                part(gpu_load, drawn.gpu, "GPU")
            )
        } else {
            format!(
                "{} % CPU / {} % GPU load",
                fmt_num(cpu_load),
                fmt_num(gpu_load)
            )
        };
        let subject = format!(
            "job on {} / {}: {} × {} h at {load}, electricity of {} ({})",
            center.name,
            partition.name,
            run.how,
            fmt_num(req.hours),
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
        r.inputs.push("nodes", json!(params[params::NODES]));
        r.inputs.push("allocation", json!(run.how));
        r.inputs.push("cpu_load", json!(cpu_load));
        r.inputs.push("gpu_load", json!(gpu_load));
        r.inputs.push("cpu_load_drawn", json!(drawn.cpu));
        r.inputs.push("gpu_load_drawn", json!(drawn.gpu));
        r.inputs.push("zone", json!(zone.code));
        if let Some(m) = req.measured_energy_kwh {
            r.inputs.push("measured_kwh", json!(m));
        }
        if let Some(g) = &req.grid {
            let energy = layout
                .measure(&job_measures::ENERGY_WITH_OVERHEAD)
                .map_or(0.0, |i| e.central[i]);
            r.inputs.push("grid", self.grid_input(center, g, energy));
        }
        self.finish(&mut r, graph, &outputs, &e, params, opts);
        Ok(r)
    }

    /// What the report says of a time-resolved intensity: the window's and the annual factor,
    /// and the difference it makes to the use phase's climate change.
    fn grid_input(&self, center: &Center, g: &GridFactor, energy_kwh: f64) -> serde_json::Value {
        let annual = self.annual_factor(center, "gwp");
        json!({
            "gwp_per_kwh": g.gwp_per_kwh,
            "annual_gwp_per_kwh": annual,
            "difference_percent": annual.filter(|a| *a > 0.0).map(|a| 100.0 * (g.gwp_per_kwh - a) / a),
            "use_gwp_difference": annual.map(|a| energy_kwh * (g.gwp_per_kwh - a)),
            "source": g.source,
            "description": g.description,
            "window": g.window,
        })
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

    /// What a series says of itself against a center, whatever the window: a zone other than
    /// the center's, direct rather than life-cycle intensities, local times resolved.
    pub fn series_warnings(&self, series: &impacts_grid::Series, center: &Center) -> Vec<Warning> {
        let mut w = self.series_zone_warnings(series, center);
        w.extend(series_kind_warnings(series));
        w
    }

    fn series_zone_warnings(&self, series: &impacts_grid::Series, center: &Center) -> Vec<Warning> {
        let zone = &center.spec.zone;
        let Some(found) = series.zone.as_ref().and_then(|z| self.bundle.zone(z).ok()) else {
            return Vec::new();
        };
        if found.spec.code == zone.code {
            return Vec::new();
        }
        vec![Warning::new(
            "electricity.series-zone",
            format!(
                "the series {} is for {} ({}) but the job's electricity is of {} ({}): check the file or the zone",
                series.name, found.spec.name, found.spec.code, zone.name, zone.code
            ),
        )]
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
        if !(hours.is_finite() && hours > 0.0 && hours <= MAX_JOB_H) {
            return invalid(
                "hours",
                fmt_num(hours),
                "a positive number of hours, at most 1000000 (114 years)",
            );
        }
        let Some(end) = start.checked_add((hours * 3600.0).round() as i64) else {
            return invalid(
                "start",
                start.to_string(),
                "an instant whose job ends within the range of the calendar",
            );
        };
        let w = series.window(start, end);
        let mut warnings = self.series_zone_warnings(series, center);
        let zone = &center.spec.zone;
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
            return invalid(
                "zone",
                &zone.code,
                "a zone with an annual climate-change factor in the data bundle, to fill what the series does not cover",
            );
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
        warnings.extend(series_kind_warnings(series));
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
    pub(crate) fn apply_grid(&self, center: &mut Center, g: &GridFactor) -> Result<(), Error> {
        if !(g.gwp_per_kwh.is_finite() && g.gwp_per_kwh >= 0.0) {
            return invalid(
                "grid.gwp_per_kwh",
                fmt_num(g.gwp_per_kwh),
                "a non-negative, finite number of gCO2eq/kWh",
            );
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
}
