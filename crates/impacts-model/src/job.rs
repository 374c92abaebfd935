//! Clusters, centers and jobs: the footprint of a job as the sum of four phases.
//!
//! For a job on `nodes` node-equivalents of a cluster for `hours` at a load:
//!
//! - use = node power(load) × nodes × hours × PUE × electricity factor
//! - idle = node idle power × nodes × hours × (1/usage rate − 1) × PUE × electricity factor
//! - manufacturing = node manufacturing × nodes × allocation share(hours)
//! - facility = the job's share of the UPS batteries and of the cooling plant, in proportion to
//!   the job's power over the park's, allocated over their lifetimes.
//!
//! See docs/method.md for the sources and the differences with the reference implementation.

use serde::{Deserialize, Serialize};

use crate::builder::{Builder, Input};
use crate::criteria::{Constants, Criteria};
use crate::graph::{Graph, NodeId};
use crate::hardware::{fixed_load, server, ServerNodes, ServerSpec};
use crate::layout::{job_measures, Measure, OutputLayout};
use crate::quantity::{fmt_num, Provenance, Quantity, Status};
use crate::report::{Phase, Warning};
use crate::ModelError;

/// The parameters of a job graph, in this order.
pub mod params {
    /// Duration (h).
    pub const HOURS: usize = 0;
    /// Node-equivalents allocated (a fraction for part of a node).
    pub const NODES: usize = 1;
    /// CPU load (%).
    pub const CPU_LOAD: usize = 2;
    /// GPU load (%).
    pub const GPU_LOAD: usize = 3;
    /// Measured IT energy (kWh), only in graphs built for measured energy.
    pub const MEASURED_KWH: usize = 4;
}

/// How manufacturing impacts are allocated to a duration of use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "kebab-case")]
pub enum Allocation {
    /// share = duration / (lifetime × hours per year × usage rate)
    Linear,
    /// Year k of the lifetime carries 0.5^k of the impact, normalised so that the lifetime sums
    /// to 100 % (the reference's variant does not); within a year, as Linear.
    DecreasingOverTime {
        /// Age of the equipment at the time of the job, in years.
        age_years: f64,
    },
}

/// A group of identical nodes of a cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeGroup {
    /// The node hardware.
    pub server: ServerSpec,
    /// Number of nodes.
    pub count: f64,
}

/// A cluster (a partition): node groups with their facility settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterSpec {
    /// Name.
    pub name: String,
    /// Node groups (most clusters have one).
    pub groups: Vec<NodeGroup>,
    /// Power usage effectiveness of the room.
    pub pue: Input,
    /// Water usage effectiveness of the room: litres consumed on site per kWh of IT energy.
    pub wue: Input,
    /// The manufacturing of the center's interconnect, storage systems and service nodes as a
    /// share of its compute nodes', charged to jobs with theirs (None: not counted).
    #[serde(default)]
    pub infrastructure_share: Option<Input>,
    /// Lifetime of the nodes (years).
    pub lifetime_years: Input,
    /// Share of the lifetime during which nodes run jobs.
    pub usage_rate: Input,
    /// Allocation of manufacturing impacts.
    pub allocation: Allocation,
    /// Whether the cluster's nodes count in the park's power (false for a partition that is a
    /// view on another's nodes, or for a default node type).
    pub in_park: bool,
}

/// An electricity zone and its factors per criterion (per kWh).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneSpec {
    /// Code (ISO 3166 alpha-3, or WOR / EEE).
    pub code: String,
    /// Name.
    pub name: String,
    /// Impact of one kWh per criterion (None when the data has no factor).
    pub factors: Vec<Option<Input>>,
    /// Factors for the job's own electricity when they differ from the annual ones (a
    /// time-resolved intensity over the job's window); the idle share and the facility keep
    /// `factors`.
    #[serde(default)]
    pub use_factors: Option<Vec<Option<Input>>>,
}

/// UPS batteries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatterySpec {
    /// Chemistry (LMO, LFP, ...).
    pub chemistry: String,
    /// Minutes of IT power the batteries hold.
    pub autonomy_minutes: Input,
    /// Energy density (Wh/kg).
    pub wh_per_kg: Input,
    /// Manufacturing impact per kg, per criterion.
    pub impact_per_kg: Vec<Option<Input>>,
    /// Lifetime (years).
    pub lifetime_years: Input,
}

/// One row of the cooling extrapolation table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoolingRow {
    /// Capacity of the chiller (kW).
    pub capacity_kw: f64,
    /// Extrapolation factor per life-cycle phase of the chiller (manufacturing, distribution, installation).
    pub factors: Vec<f64>,
}

/// The cooling plant (chillers).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoolingSpec {
    /// Installed cooling capacity; `None` sizes it to the park's IT power at full load.
    pub capacity_kw: Option<Input>,
    /// Names of the chiller's life-cycle phases, in the order of the factors.
    pub phases: Vec<String>,
    /// Reference impact per kW of capacity, per criterion and phase.
    pub reference_per_kw: Vec<Vec<Option<Input>>>,
    /// Extrapolation factors by capacity, sorted by capacity.
    pub extrapolation: Vec<CoolingRow>,
    /// Provenance of the extrapolation table.
    pub extrapolation_provenance: Provenance,
    /// Lifetime (years).
    pub lifetime_years: Input,
}

/// A computing center: clusters, electricity, facility.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CenterSpec {
    /// Name.
    pub name: String,
    /// Electricity zone.
    pub zone: ZoneSpec,
    /// Clusters (partitions).
    pub clusters: Vec<ClusterSpec>,
    /// UPS batteries, if counted.
    pub batteries: Option<BatterySpec>,
    /// Cooling plant, if counted.
    pub cooling: Option<CoolingSpec>,
}

/// Options of a job graph.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobOptions {
    /// Index of the cluster.
    pub cluster: usize,
    /// Restrict to one node group of the cluster (otherwise the count-weighted mix of its groups).
    pub group: Option<usize>,
    /// Take the IT energy as a parameter (a measurement) instead of modelling it.
    pub measured_energy: bool,
    /// Which loads are unknown: drawn from the method's distributions (`load.cpu_unknown`,
    /// `load.gpu_unknown`) instead of the load parameters, which stay in the graph (their order
    /// is documented) and are ignored.
    #[serde(default)]
    pub drawn: DrawnLoads,
}

/// Which of a job's loads are unknown, and drawn from the method's distributions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DrawnLoads {
    /// The CPU load.
    pub cpu: bool,
    /// The GPU load.
    pub gpu: bool,
}

impl DrawnLoads {
    /// True when either load is drawn.
    pub fn any(self) -> bool {
        self.cpu || self.gpu
    }
}

/// The outputs of a job graph: its output nodes in the order of their layout.
#[derive(Clone, Debug)]
pub struct JobOutputs {
    /// Where each output lies.
    pub layout: OutputLayout,
    /// The output nodes, in layout order.
    pub nodes: Vec<NodeId>,
}

impl JobOutputs {
    /// The node of criterion `c`'s total.
    pub fn total(&self, c: usize) -> NodeId {
        self.nodes[self.layout.total(c)]
    }

    /// The node of a measure of the job model ([`job_measures`]).
    pub fn measure(&self, m: &Measure) -> Option<NodeId> {
        self.layout.measure(m).map(|i| self.nodes[i])
    }
}

/// The layout of a job model's outputs for `criteria` criteria: totals, the four phases, then
/// the job's energies and powers ([`job_measures::ALL`]).
pub fn job_layout(criteria: usize) -> OutputLayout {
    OutputLayout::new(criteria, &Phase::ALL, &job_measures::ALL)
}

/// A job graph ready to evaluate.
#[derive(Clone, Debug)]
pub struct JobModel {
    /// The graph.
    pub graph: Graph,
    /// Its outputs.
    pub outputs: JobOutputs,
    /// Warnings raised while building it.
    pub warnings: Vec<Warning>,
}

/// Mix of node groups: nodes weighted by count (or one group).
struct NodeMix {
    embodied: Vec<NodeId>,
    power: NodeId,
    idle_power: NodeId,
}

fn weighted(b: &mut Builder<'_>, items: &[(NodeId, f64)]) -> NodeId {
    let terms: Vec<NodeId> = items.iter().map(|(n, w)| b.graph.scale(*n, *w)).collect();
    b.graph.sum(&terms)
}

fn mix(
    b: &mut Builder<'_>,
    cluster: &ClusterSpec,
    servers: &[ServerNodes],
    only: Option<usize>,
) -> NodeMix {
    if let Some(i) = only {
        let s = &servers[i];
        return NodeMix {
            embodied: s.embodied.clone(),
            power: s.power,
            idle_power: s.idle_power,
        };
    }
    if servers.len() == 1 {
        let s = &servers[0];
        return NodeMix {
            embodied: s.embodied.clone(),
            power: s.power,
            idle_power: s.idle_power,
        };
    }
    let total: f64 = cluster.groups.iter().map(|g| g.count).sum();
    let w: Vec<f64> = cluster.groups.iter().map(|g| g.count / total).collect();
    let n = b.criteria().len();
    let embodied: Vec<NodeId> = (0..n)
        .map(|c| {
            let items: Vec<(NodeId, f64)> = servers
                .iter()
                .zip(&w)
                .map(|(s, w)| (s.embodied[c], *w))
                .collect();
            weighted(b, &items)
        })
        .collect();
    let embodied = b.label_impacts(
        &embodied,
        &format!("{} node manufacturing (count-weighted mix)", cluster.name),
    );
    let p: Vec<(NodeId, f64)> = servers.iter().zip(&w).map(|(s, w)| (s.power, *w)).collect();
    let power = weighted(b, &p);
    let power = b.graph.label(
        power,
        &format!("{} node power (count-weighted mix)", cluster.name),
        "W",
    );
    let ip: Vec<(NodeId, f64)> = servers
        .iter()
        .zip(&w)
        .map(|(s, w)| (s.idle_power, *w))
        .collect();
    let idle_power = weighted(b, &ip);
    let idle_power = b.graph.label(
        idle_power,
        &format!("{} node idle power (count-weighted mix)", cluster.name),
        "W",
    );
    NodeMix {
        embodied,
        power,
        idle_power,
    }
}

/// The share of manufacturing impacts allocated to `hours` of use.
pub fn allocation_share(
    b: &mut Builder<'_>,
    allocation: &Allocation,
    hours: NodeId,
    lifetime_years: NodeId,
    usage_rate: NodeId,
) -> Result<NodeId, ModelError> {
    let hpy = b.required("time.hours_per_year", "hours per year")?;
    let share = match allocation {
        Allocation::Linear => {
            let life_h = b.graph.mul(lifetime_years, hpy);
            let life_h = b.graph.label(life_h, "lifetime in hours", "h");
            let used = b.graph.mul(life_h, usage_rate);
            let used = b.graph.label(used, "hours of use over the lifetime", "h");
            b.graph.div(hours, used)
        }
        Allocation::DecreasingOverTime { age_years } => {
            let k = age_years.floor() + 1.0;
            let half = b.graph.constant(0.5);
            let kk = b.graph.constant(k);
            let year_weight = b.graph.pow(half, kk);
            let all_years = b.graph.pow(half, lifetime_years);
            let one = b.graph.constant(1.0);
            let norm = b.graph.sub(one, all_years);
            let year_share = b.graph.div(year_weight, norm);
            let year_share = b.graph.label(
                year_share,
                &format!(
                    "share of the manufacturing impact carried by year {}",
                    fmt_num(k)
                ),
                "1",
            );
            let year_use = b.graph.mul(hpy, usage_rate);
            let year_use = b.graph.label(year_use, "hours of use in a year", "h");
            let in_year = b.graph.div(hours, year_use);
            b.graph.mul(year_share, in_year)
        }
    };
    Ok(b.graph.label(
        share,
        "share of the manufacturing impact allocated to the job",
        "1",
    ))
}

fn interpolate(rows: &[CoolingRow], kw: f64) -> (Vec<f64>, String, bool) {
    let first = &rows[0];
    let last = &rows[rows.len() - 1];
    if kw <= first.capacity_kw {
        let inside = kw == first.capacity_kw;
        return (
            first.factors.clone(),
            format!(
                "factors of the smallest tabulated chiller ({} kW)",
                fmt_num(first.capacity_kw)
            ),
            !inside,
        );
    }
    if kw >= last.capacity_kw {
        let inside = kw == last.capacity_kw;
        return (
            last.factors.clone(),
            format!(
                "factors of the largest tabulated chiller ({} kW)",
                fmt_num(last.capacity_kw)
            ),
            !inside,
        );
    }
    let i = rows
        .iter()
        .position(|r| r.capacity_kw >= kw)
        .unwrap_or(rows.len() - 1);
    let (lo, hi) = (&rows[i - 1], &rows[i]);
    let t = (kw - lo.capacity_kw) / (hi.capacity_kw - lo.capacity_kw);
    let f = lo
        .factors
        .iter()
        .zip(&hi.factors)
        .map(|(a, b)| a + t * (b - a))
        .collect();
    (
        f,
        format!(
            "linear interpolation between the {} kW and {} kW chillers",
            fmt_num(lo.capacity_kw),
            fmt_num(hi.capacity_kw)
        ),
        false,
    )
}

/// The parameters of a job graph, as nodes.
struct JobParams {
    hours: NodeId,
    nodes: NodeId,
    cpu_load: NodeId,
    gpu_load: NodeId,
    measured: Option<NodeId>,
}

/// The inputs every phase shares: facility, lifetime, electricity.
struct Shared {
    pue: NodeId,
    /// Litres consumed on site per kWh of IT energy.
    wue: NodeId,
    lifetime: NodeId,
    usage: NodeId,
    /// The zone's annual factor per criterion (None without data).
    factors: Vec<Option<NodeId>>,
}

/// The job's electricity: IT energy, with overhead, and the power of its nodes.
struct Electricity {
    it_energy: NodeId,
    with_overhead: NodeId,
    job_power: NodeId,
}

const NO_FACTOR: &str = "the data bundle has no electricity factor for this zone and criterion: counted as 0 (warning coverage.missing-factor)";

/// The cluster of a job, checked against its options.
fn job_cluster<'c>(
    center: &'c CenterSpec,
    opts: &JobOptions,
) -> Result<&'c ClusterSpec, ModelError> {
    let cluster = center.clusters.get(opts.cluster).ok_or_else(|| {
        ModelError::Invalid(format!("no cluster #{} in {}", opts.cluster, center.name))
    })?;
    if cluster.groups.is_empty() {
        return Err(ModelError::Invalid(format!(
            "cluster {} has no nodes",
            cluster.name
        )));
    }
    if opts.group.is_some_and(|g| g >= cluster.groups.len()) {
        return Err(ModelError::Invalid(format!(
            "no node group #{} in cluster {}",
            opts.group.unwrap_or_default(),
            cluster.name
        )));
    }
    Ok(cluster)
}

/// The parameters, in the documented order ([`params`]).
fn job_params(
    b: &mut Builder<'_>,
    measured_energy: bool,
    drawn: DrawnLoads,
) -> Result<JobParams, ModelError> {
    let hours = b.graph.param("hours", "job duration", "h");
    let nodes = b
        .graph
        .param("nodes", "node-equivalents allocated to the job", "nodes");
    let mut cpu_load = b.graph.param("cpu_load", "CPU load", "%");
    let mut gpu_load = b.graph.param("gpu_load", "GPU load", "%");
    let measured = measured_energy.then(|| {
        b.graph
            .param("measured_kwh", "measured energy of the job's nodes", "kWh")
    });
    if drawn.cpu {
        cpu_load = b.required(
            "load.cpu_unknown",
            "CPU load of a job whose load is unknown",
        )?;
    }
    if drawn.gpu {
        gpu_load = b.required(
            "load.gpu_unknown",
            "GPU load of a job whose load is unknown",
        )?;
    }
    Ok(JobParams {
        hours,
        nodes,
        cpu_load,
        gpu_load,
        measured,
    })
}

/// Every cluster's servers at full load, for the park's power; the job's cluster's also at the
/// job's load. Returns the park's power and the job cluster's servers.
fn park_and_job_servers(
    b: &mut Builder<'_>,
    center: &CenterSpec,
    opts: &JobOptions,
    p: &JobParams,
) -> Result<(NodeId, Vec<ServerNodes>), ModelError> {
    let peak = fixed_load(b, 100.0);
    let mut park_terms = Vec::new();
    let mut job_servers = Vec::new();
    for (ci, c) in center.clusters.iter().enumerate() {
        let mine = ci == opts.cluster;
        if !mine && !c.in_park {
            continue;
        }
        for g in &c.groups {
            let (cl, gl) = if mine {
                (p.cpu_load, p.gpu_load)
            } else {
                (peak, peak)
            };
            let s = server(b, &g.server, cl, gl)?;
            if c.in_park {
                park_terms.push(b.graph.scale(s.peak_power, g.count));
            }
            if mine {
                job_servers.push(s);
            }
        }
    }
    let park_power = b.graph.sum(&park_terms);
    let park_power = b.graph.label_with_note(
        park_power,
        "IT power of the park at full load",
        "W",
        Some("sum over the center's clusters of node count × node power at 100 % load"),
    );
    Ok((park_power, job_servers))
}

/// The inputs the phases share, with a coverage warning per criterion the zone lacks.
fn shared_inputs(
    b: &mut Builder<'_>,
    criteria: &Criteria,
    center: &CenterSpec,
    cluster: &ClusterSpec,
) -> Shared {
    let pue = b.input(&cluster.pue);
    let wue = b.input(&cluster.wue);
    let lifetime = b.input(&cluster.lifetime_years);
    let usage = b.input(&cluster.usage_rate);
    let factors: Vec<Option<NodeId>> = center
        .zone
        .factors
        .iter()
        .map(|f| f.as_ref().map(|f| b.input(f)))
        .collect();
    for (c, f) in criteria.iter().zip(&factors) {
        if f.is_none() {
            b.warn(
                "coverage.missing-factor",
                format!(
                    "electricity of {}: no {} factor in the data bundle; use and idle count 0 in {}",
                    center.zone.name, c.key, c.key
                ),
            );
        }
    }
    Shared {
        pue,
        wue,
        lifetime,
        usage,
        factors,
    }
}

/// The job's electricity: modelled (node power × nodes × hours), or measured.
fn electricity(b: &mut Builder<'_>, p: &JobParams, node_power: NodeId, pue: NodeId) -> Electricity {
    let (it_energy, job_power) = match p.measured {
        Some(m) => {
            let w = b.graph.div(m, p.hours);
            let w = b.graph.scale(w, 1000.0);
            let w = b.graph.label(
                w,
                "mean power of the job's nodes (from the measured energy)",
                "W",
            );
            let e = b
                .graph
                .label(m, "electricity of the job's nodes (measured)", "kWh");
            (e, w)
        }
        None => {
            let w = b.graph.mul(node_power, p.nodes);
            let w = b.graph.label(w, "power of the job's nodes", "W");
            let e = b.graph.mul(w, p.hours);
            let e = b.graph.scale(e, 0.001);
            (b.graph.label(e, "electricity of the job's nodes", "kWh"), w)
        }
    };
    let with_overhead = b.graph.mul(it_energy, pue);
    let with_overhead = b.graph.label(
        with_overhead,
        "electricity of the job with facility overhead",
        "kWh",
    );
    Electricity {
        it_energy,
        with_overhead,
        job_power,
    }
}

/// The use phase: the job's electricity with overhead × the factors of its electricity (a
/// time-resolved intensity when the zone has one for the job).
fn use_phase(
    b: &mut Builder<'_>,
    zone: &ZoneSpec,
    shared: &Shared,
    elec: &Electricity,
) -> Vec<NodeId> {
    let energy = elec.with_overhead;
    let use_factors: Vec<Option<NodeId>> = match &zone.use_factors {
        Some(u) => u.iter().map(|f| f.as_ref().map(|f| b.input(f))).collect(),
        None => shared.factors.clone(),
    };
    let n = b.criteria().len();
    let mut impacts: Vec<NodeId> = (0..n)
        .map(|c| match use_factors.get(c).copied().flatten() {
            Some(f) => b.graph.mul(energy, f),
            None => b.gap("use", c, NO_FACTOR),
        })
        .collect();
    on_site_water(b, shared, elec.it_energy, &mut impacts);
    b.label_impacts(&impacts, "use")
}

/// Water consumed on site to cool the nodes (the WUE × their IT energy, The Green Grid's
/// definition), added to the `water` criterion's impact when the criteria have one.
fn on_site_water(b: &mut Builder<'_>, shared: &Shared, it_energy: NodeId, impacts: &mut [NodeId]) {
    let Some(c) = b.criteria().iter().position(|c| c.key == "water") else {
        return;
    };
    let cooling = b.graph.mul(it_energy, shared.wue);
    let cooling = b.graph.label(
        cooling,
        "water consumed on site (IT electricity × WUE)",
        "L",
    );
    impacts[c] = b.graph.add(impacts[c], cooling);
}

/// The idle share: the nodes' idle power over the job's share of the idle hours, with overhead,
/// × the annual factors. Returns the impacts and the idle energy.
fn idle_phase(
    b: &mut Builder<'_>,
    p: &JobParams,
    shared: &Shared,
    idle_power: NodeId,
) -> (Vec<NodeId>, NodeId) {
    let one = b.graph.constant(1.0);
    let inv = b.graph.div(one, shared.usage);
    let idle_ratio = b.graph.sub(inv, one);
    let idle_hours = b.graph.mul(p.hours, idle_ratio);
    let idle_hours = b.graph.label_with_note(
        idle_hours,
        "idle hours attributed to the job",
        "h",
        Some("the nodes are idle (1/usage rate − 1) hours per hour of jobs; each job carries its share"),
    );
    let power = b.graph.mul(idle_power, p.nodes);
    let e = b.graph.mul(power, idle_hours);
    let idle_it = b.graph.scale(e, 0.001);
    let e = b.graph.mul(idle_it, shared.pue);
    let energy = b.graph.label(
        e,
        "idle electricity attributed to the job, with facility overhead",
        "kWh",
    );
    let n = b.criteria().len();
    let mut impacts: Vec<NodeId> = (0..n)
        .map(|c| match shared.factors[c] {
            Some(f) => b.graph.mul(energy, f),
            None => b.gap("idle", c, NO_FACTOR),
        })
        .collect();
    on_site_water(b, shared, idle_it, &mut impacts);
    (b.label_impacts(&impacts, "idle"), energy)
}

/// The manufacturing of the nodes, allocated to the job.
fn manufacturing_phase(
    b: &mut Builder<'_>,
    cluster: &ClusterSpec,
    p: &JobParams,
    shared: &Shared,
    embodied: &[NodeId],
) -> Result<Vec<NodeId>, ModelError> {
    let share = allocation_share(
        b,
        &cluster.allocation,
        p.hours,
        shared.lifetime,
        shared.usage,
    )?;
    let alloc = b.graph.mul(share, p.nodes);
    let alloc = b
        .graph
        .label(alloc, "node-lifetimes allocated to the job", "nodes");
    let nodes = b.scale_impacts(embodied, alloc);
    let Some(share) = &cluster.infrastructure_share else {
        return Ok(b.label_impacts(&nodes, "manufacturing"));
    };
    let nodes = b.label_impacts(&nodes, "manufacturing of the job's nodes");
    let share = b.input(share);
    let rest = b.scale_impacts(&nodes, share);
    let rest = b.label_impacts(
        &rest,
        "manufacturing of the interconnect, storage and service nodes (the job's share)",
    );
    let manuf = b.sum_impacts(&[nodes, rest]);
    Ok(b.label_impacts(&manuf, "manufacturing"))
}

/// The job's share of the UPS batteries, sized for its power, over their lifetime.
fn battery_share(
    b: &mut Builder<'_>,
    bat: &BatterySpec,
    hours: NodeId,
    job_power: NodeId,
    hpy: NodeId,
) -> Vec<NodeId> {
    let autonomy = b.input(&bat.autonomy_minutes);
    let density = b.input(&bat.wh_per_kg);
    let life = b.input(&bat.lifetime_years);
    let wh = b.graph.mul(job_power, autonomy);
    let wh = b.graph.scale(wh, 1.0 / 60.0);
    let kg = b.graph.div(wh, density);
    let kg = b.graph.label(
        kg,
        &format!("{} battery mass sized for the job's power", bat.chemistry),
        "kg",
    );
    let life_h = b.graph.mul(life, hpy);
    let frac = b.graph.div(hours, life_h);
    let frac = b
        .graph
        .label(frac, "share of the battery lifetime used by the job", "1");
    let n = b.criteria().len();
    let imp: Vec<NodeId> = (0..n)
        .map(|c| match &bat.impact_per_kg[c] {
            Some(f) => {
                let f = b.input(f);
                let m = b.graph.mul(kg, f);
                b.graph.mul(m, frac)
            }
            None => {
                let key = b.criteria().0[c].key.clone();
                b.warn_manufacturing_gap(
                    c,
                    format!(
                        "UPS batteries ({}): no {key} factor per kg in the data bundle; they count 0 in {key}",
                        bat.chemistry
                    ),
                );
                b.gap(
                    "UPS batteries",
                    c,
                    "the battery table gives manufacturing GWP per kg only: counted as 0 (warning coverage.missing-factor)",
                )
            }
        })
        .collect();
    b.label_impacts(&imp, "UPS batteries")
}

/// The chillers' extrapolation factors at the plant's capacity, as leaves with their provenance.
fn cooling_factors(
    b: &mut Builder<'_>,
    cool: &CoolingSpec,
    capacity: NodeId,
) -> Result<Vec<NodeId>, ModelError> {
    let central = b.graph.eval_central(&[f64::NAN; 5]);
    let kw = central[capacity.index()];
    if cool.extrapolation.is_empty() || !kw.is_finite() {
        return Err(ModelError::Invalid(
            "cooling: empty extrapolation table or undefined capacity".into(),
        ));
    }
    let (f, how, outside) = interpolate(&cool.extrapolation, kw);
    if outside {
        b.warn(
            "facility.cooling-out-of-table",
            format!(
                "cooling capacity {} kW is outside the chiller table ({} to {} kW): {how}",
                fmt_num(kw),
                fmt_num(cool.extrapolation[0].capacity_kw),
                fmt_num(cool.extrapolation[cool.extrapolation.len() - 1].capacity_kw)
            ),
        );
    }
    Ok(cool
        .phases
        .iter()
        .zip(&f)
        .map(|(ph, v)| {
            b.graph.leaf(
                &format!("cooling:extrapolation:{ph}:{}", v.to_bits()),
                &format!("chiller extrapolation factor, {ph}"),
                Quantity::fixed(
                    *v,
                    "1",
                    cool.extrapolation_provenance
                        .clone()
                        .with_note(format!("at {} kW: {how}", fmt_num(kw))),
                ),
            )
        })
        .collect())
}

/// The chiller's impact per kW of capacity for criterion `c`, or None without factors.
fn chiller_per_kw(
    b: &mut Builder<'_>,
    cool: &CoolingSpec,
    ext: &[NodeId],
    c: usize,
) -> Option<NodeId> {
    let mut terms = Vec::new();
    for (p, e) in ext.iter().enumerate() {
        if let Some(r) = cool
            .reference_per_kw
            .get(c)
            .and_then(|v| v.get(p))
            .and_then(|x| x.as_ref())
        {
            let r = b.input(r);
            terms.push(b.graph.mul(r, *e));
        }
    }
    if terms.is_empty() {
        return None;
    }
    let crit = b.criteria().0[c].clone();
    let per_kw = b.graph.sum(&terms);
    Some(b.graph.label(
        per_kw,
        &format!("chiller impact per kW ({})", crit.key),
        &format!("{}/kW", crit.unit),
    ))
}

/// The job's share of the cooling plant: in proportion to its share of the park's IT power,
/// over the plant's lifetime.
fn cooling_share(
    b: &mut Builder<'_>,
    cool: &CoolingSpec,
    hours: NodeId,
    job_power: NodeId,
    park_power: NodeId,
    hpy: NodeId,
) -> Result<Vec<NodeId>, ModelError> {
    let park_kw = b.graph.scale(park_power, 0.001);
    let capacity = match &cool.capacity_kw {
        Some(c) => b.input(c),
        None => b.graph.label(
            park_kw,
            "cooling capacity (sized to the park's IT power)",
            "kW",
        ),
    };
    let ext = cooling_factors(b, cool, capacity)?;
    let life = b.input(&cool.lifetime_years);
    let life_h = b.graph.mul(life, hpy);
    let job_kw = b.graph.scale(job_power, 0.001);
    let ratio = b.graph.div(job_kw, park_kw);
    let ratio = b
        .graph
        .label(ratio, "job's share of the park's IT power", "1");
    let frac = b.graph.div(hours, life_h);
    let frac = b
        .graph
        .label(frac, "share of the cooling lifetime used by the job", "1");
    let n = b.criteria().len();
    let imp: Vec<NodeId> = (0..n)
        .map(|c| {
            let crit = b.criteria().0[c].clone();
            let Some(per_kw) = chiller_per_kw(b, cool, &ext, c) else {
                b.warn_manufacturing_gap(
                    c,
                    format!(
                        "cooling: no {} factor in the data bundle; it counts 0 in {}",
                        crit.key, crit.key
                    ),
                );
                return b.gap(
                    "cooling",
                    c,
                    "the chiller table has no factor for this criterion: counted as 0 (warning coverage.missing-factor)",
                );
            };
            let plant = b.graph.mul(per_kw, capacity);
            let plant = b.graph.label(
                plant,
                &format!("cooling plant manufacturing ({})", crit.key),
                &crit.unit,
            );
            let x = b.graph.mul(plant, ratio);
            b.graph.mul(x, frac)
        })
        .collect();
    Ok(b.label_impacts(&imp, "cooling"))
}

/// The facility phase: the job's share of the UPS batteries and of the cooling plant (or a gap
/// when the center file leaves both out).
fn facility_phase(
    b: &mut Builder<'_>,
    center: &CenterSpec,
    hours: NodeId,
    job_power: NodeId,
    park_power: NodeId,
) -> Result<Vec<NodeId>, ModelError> {
    let hpy = b.required("time.hours_per_year", "hours per year")?;
    let mut parts: Vec<Vec<NodeId>> = Vec::new();
    if let Some(bat) = &center.batteries {
        parts.push(battery_share(b, bat, hours, job_power, hpy));
    }
    if let Some(cool) = &center.cooling {
        parts.push(cooling_share(b, cool, hours, job_power, park_power, hpy)?);
    }
    let facility = if parts.is_empty() {
        (0..b.criteria().len())
            .map(|c| {
                b.gap(
                    "facility",
                    c,
                    "the center file excludes UPS batteries and cooling from the footprint",
                )
            })
            .collect()
    } else {
        b.sum_impacts(&parts)
    };
    Ok(b.label_impacts(&facility, "facility"))
}

/// Builds the graph of a job on one cluster of a center.
pub fn job_model(
    criteria: &Criteria,
    constants: &Constants,
    center: &CenterSpec,
    opts: &JobOptions,
) -> Result<JobModel, ModelError> {
    let cluster = job_cluster(center, opts)?;
    let mut b = Builder::new(criteria, constants);
    let p = job_params(&mut b, opts.measured_energy, opts.drawn)?;
    let (park_power, job_servers) = park_and_job_servers(&mut b, center, opts, &p)?;
    let node = mix(&mut b, cluster, &job_servers, opts.group);
    let shared = shared_inputs(&mut b, criteria, center, cluster);
    let elec = electricity(&mut b, &p, node.power, shared.pue);
    let use_impacts = use_phase(&mut b, &center.zone, &shared, &elec);
    let (idle_impacts, idle_energy) = idle_phase(&mut b, &p, &shared, node.idle_power);
    let manuf = manufacturing_phase(&mut b, cluster, &p, &shared, &node.embodied)?;
    let facility = facility_phase(&mut b, center, p.hours, elec.job_power, park_power)?;
    let total = b.sum_impacts(&[
        manuf.clone(),
        use_impacts.clone(),
        idle_impacts.clone(),
        facility.clone(),
    ]);
    let total = b.label_impacts(&total, "total");
    let layout = job_layout(criteria.len());
    let nodes = layout.arrange(
        &total,
        &[
            (Phase::Manufacturing, &manuf[..]),
            (Phase::Use, &use_impacts[..]),
            (Phase::Idle, &idle_impacts[..]),
            (Phase::Facility, &facility[..]),
        ],
        &[
            (job_measures::IT_ENERGY, elec.it_energy),
            (job_measures::ENERGY_WITH_OVERHEAD, elec.with_overhead),
            (job_measures::IDLE_ENERGY, idle_energy),
            (job_measures::NODE_POWER, node.power),
            (job_measures::PARK_POWER, park_power),
        ],
    )?;
    let counted = if cluster.infrastructure_share.is_some() {
        "the interconnect, storage systems and service nodes count by a share of the nodes' manufacturing, not their electricity"
    } else {
        "the interconnect, storage systems and service nodes are not counted"
    };
    b.warn(
        "scope.phases-not-modelled",
        format!("transport and end of life of the equipment and the building are not modelled: results cover manufacturing and use only; {counted}"),
    );
    let (graph, warnings) = b.finish();
    Ok(JobModel {
        graph,
        outputs: JobOutputs { layout, nodes },
        warnings,
    })
}

/// A fixed quantity for a number that is part of the method (for tests and defaults).
pub fn method_value(value: f64, unit: &str, note: &str) -> Quantity {
    Quantity::fixed(
        value,
        unit,
        Provenance::new(Status::Default, "impacts-project").with_note(note),
    )
}
