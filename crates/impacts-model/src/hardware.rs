//! Components and servers: manufacturing impacts and power at a load.
//!
//! Manufacturing (per criterion c): `factor_c × size + base_c`, with the size a die area (CPU),
//! a silicon surface (RAM, SSD: capacity / density; a base per memory module), a mass (power
//! supply) or one unit (HDD, motherboard, case, assembly); a GPU's silicon is the wafer area its
//! dies take with their losses, its memory costed per GB, its board per unit. Power: the CPU
//! follows a logarithmic curve of its load, the GPU is linear between its idle draw and its TDP,
//! memory per module by its activity, disks a constant power, and the rest of the server (fans,
//! board, network, conversion losses) adds a ratio of the CPU, GPU and memory power. The
//! reference method keeps its own memory and GPU models (`Constants::is_reference`). See
//! docs/method.md.

use serde::{Deserialize, Serialize};

use crate::builder::{Builder, Input};
use crate::fit::LogCurve;
use crate::graph::NodeId;
use crate::quantity::{Provenance, Quantity};
use crate::ModelError;

/// How many of a component a server has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Counted<T> {
    /// Number of units.
    pub count: u32,
    /// The unit.
    pub spec: T,
}

/// The power curve of a CPU.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CpuPower {
    /// P(load) = TDP × (a·ln(load + c) + d): the curve through fixed fractions of the TDP.
    Tdp {
        /// Thermal design power.
        tdp_w: Input,
        /// The curve, relative to the TDP.
        curve: LogCurve,
        /// Identity of the curve (shared by every CPU that uses it).
        curve_key: String,
        /// Where the curve comes from.
        provenance: Provenance,
    },
    /// P(load) = a·ln(load + c) + d in watts: a profile of a model range, or a fit to measured points.
    Absolute {
        /// The curve in watts.
        curve: LogCurve,
        /// Identity of the curve.
        curve_key: String,
        /// Where it comes from.
        provenance: Provenance,
    },
}

/// A processor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CpuSpec {
    /// Model name (or a description when unknown).
    pub name: String,
    /// Die area, all dies of the package included.
    pub die_area_mm2: Input,
    /// Power curve.
    pub power: CpuPower,
    /// Family (code name), when known: the generation of the memory it takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
}

/// An accelerator with its memory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GpuSpec {
    /// Model name.
    pub name: String,
    /// Die area, all dies included.
    pub die_area_mm2: Input,
    /// Thermal design power.
    pub tdp_w: Input,
    /// Memory on the package.
    pub memory_gb: Input,
    /// Density used to turn the memory into a silicon surface (the reference model's, which
    /// costs on-package memory as DIMM RAM).
    pub memory_density: Input,
    /// Number of dies the die area is made of (chiplets, two reticle-sized dies): each die's
    /// wafer and yield losses depend on its own size.
    #[serde(default = "one")]
    pub dies: u32,
}

fn one() -> u32 {
    1
}

/// Main memory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RamSpec {
    /// Capacity.
    pub size_gb: Input,
    /// Density (GB per cm² of silicon).
    pub density: Input,
    /// Modules (DIMMs) the capacity is split into: each carries a base impact (board,
    /// connectors) and a base power. 0 for memory soldered on a package (LPDDR), 1 in the
    /// reference model (one base for any capacity).
    #[serde(default = "one")]
    pub modules: u32,
    /// True when the memory's power is already in an accelerator module's power (the LPDDR5X of
    /// a GH200 superchip): it is then not added again.
    #[serde(default)]
    pub power_in_gpus: bool,
}

/// A solid-state drive.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SsdSpec {
    /// Capacity.
    pub size_gb: Input,
    /// Density (GB per cm² of silicon).
    pub density: Input,
}

/// A power supply unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PsuSpec {
    /// Mass.
    pub mass_kg: Input,
}

/// The enclosure of a server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseKind {
    /// A rack-mounted chassis.
    Rack,
    /// A blade.
    Blade,
}

/// A server (a node).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerSpec {
    /// Name of the node type.
    pub name: String,
    /// Processors.
    pub cpus: Vec<Counted<CpuSpec>>,
    /// Accelerators.
    pub gpus: Vec<Counted<GpuSpec>>,
    /// Memory.
    pub ram: Vec<RamSpec>,
    /// Solid-state drives.
    pub ssds: Vec<Counted<SsdSpec>>,
    /// Number of hard disk drives.
    pub hdds: u32,
    /// Number of motherboards.
    pub motherboards: u32,
    /// Power supplies.
    pub psus: Vec<Counted<PsuSpec>>,
    /// Enclosure.
    pub case: Option<CaseKind>,
    /// Whether to count the assembly of the server.
    pub assembly: bool,
}

impl ServerSpec {
    /// A "server" of one SSD and nothing else: how a drive's share of a server is costed.
    pub fn ssd_only(ssd: SsdSpec) -> ServerSpec {
        ServerSpec {
            name: "SSD".into(),
            cpus: vec![],
            gpus: vec![],
            ram: vec![],
            ssds: vec![Counted {
                count: 1,
                spec: ssd,
            }],
            hdds: 0,
            motherboards: 0,
            psus: vec![],
            case: None,
            assembly: false,
        }
    }
}

/// One component's share of a server's manufacturing impacts.
#[derive(Clone, Debug)]
pub struct Part {
    /// Component group: CPU, GPU, RAM, SSD, HDD, motherboard, power supply, case, assembly.
    pub group: &'static str,
    /// Impacts per criterion.
    pub impacts: Vec<NodeId>,
}

/// The nodes of a server in a graph.
#[derive(Clone, Debug)]
pub struct ServerNodes {
    /// Manufacturing impacts per criterion.
    pub embodied: Vec<NodeId>,
    /// The same, per component group.
    pub parts: Vec<Part>,
    /// Power at the requested loads (W).
    pub power: NodeId,
    /// Power with nothing running (W).
    pub idle_power: NodeId,
    /// Power at 100 % load (W).
    pub peak_power: NodeId,
}

/// Manufacturing impacts of one CPU: die factor × die area + base.
pub fn cpu_embodied(b: &mut Builder<'_>, cpu: &CpuSpec) -> Vec<NodeId> {
    let area = b.input(&cpu.die_area_mm2);
    let what = format!("CPU {}", cpu.name);
    let raw = b.linear_impacts(
        &what,
        Some(("cpu.die_factor", "CPU die impact factor")),
        Some(area),
        Some(("cpu.base", "CPU base impact")),
    );
    b.label_impacts(&raw, &format!("{what} manufacturing"))
}

/// Power of one CPU at `load` (a node in percent).
pub fn cpu_power(b: &mut Builder<'_>, cpu: &CpuSpec, load: NodeId) -> NodeId {
    let (curve, key, prov, scale, relative) = match &cpu.power {
        CpuPower::Tdp {
            tdp_w,
            curve,
            curve_key,
            provenance,
        } => (*curve, curve_key, provenance, Some(b.input(tdp_w)), true),
        CpuPower::Absolute {
            curve,
            curve_key,
            provenance,
        } => (*curve, curve_key, provenance, None, false),
    };
    let unit_a = if relative { "1" } else { "W" };
    let a = b.graph.leaf(
        &format!("{key}:a"),
        "power curve slope a",
        Quantity::fixed(curve.a, unit_a, prov.clone()),
    );
    let c = b.graph.leaf(
        &format!("{key}:c"),
        "power curve shift c",
        Quantity::fixed(curve.c, "%", prov.clone()),
    );
    let d = b.graph.leaf(
        &format!("{key}:d"),
        "power curve offset d",
        Quantity::fixed(curve.d, unit_a, prov.clone()),
    );
    let lc = b.graph.add(load, c);
    let ln = b.graph.ln(lc);
    let aln = b.graph.mul(a, ln);
    let shape = b.graph.add(aln, d);
    let p = match scale {
        Some(tdp) => {
            let shape = b.graph.label(shape, "share of TDP drawn at this load", "1");
            b.graph.mul(tdp, shape)
        }
        None => shape,
    };
    let load_name = b.graph.name_of(load).unwrap_or_else(|| "load".into());
    b.graph
        .label(p, &format!("CPU {} power at {load_name}", cpu.name), "W")
}

/// Manufacturing impacts of memory: surface factor × capacity / density + base × `bases`
/// (the modules that each carry one; none for memory soldered on a package).
fn memory_embodied(
    b: &mut Builder<'_>,
    what: &str,
    size: &Input,
    density: &Input,
    prefix: &str,
    bases: u32,
) -> Vec<NodeId> {
    let size = b.input(size);
    let density = b.input(density);
    let surface = b.graph.div(size, density);
    let surface = b
        .graph
        .label(surface, &format!("{what} silicon surface"), "cm2");
    let factor_key = format!("{prefix}.surface_factor");
    let base_key = format!("{prefix}.base");
    let factor = Some((factor_key.as_str(), "memory surface impact factor"));
    let base = Some((base_key.as_str(), "memory base impact"));
    let raw = match bases {
        0 => b.linear_impacts(what, factor, Some(surface), None),
        1 => b.linear_impacts(what, factor, Some(surface), base),
        n => {
            let dies = b.linear_impacts(what, factor, Some(surface), None);
            let one = b.linear_impacts(what, None, None, base);
            let k = b.graph.constant(f64::from(n));
            let modules = b.scale_impacts(&one, k);
            let modules = b.label_impacts(&modules, &format!("{what}: {n} modules' base impact"));
            b.sum_impacts(&[dies, modules])
        }
    };
    b.label_impacts(&raw, &format!("{what} manufacturing"))
}

/// Manufacturing impacts of main memory: its silicon, and one base per module.
pub fn ram_embodied(b: &mut Builder<'_>, r: &RamSpec) -> Vec<NodeId> {
    memory_embodied(b, "RAM", &r.size_gb, &r.density, "ram", r.modules)
}

/// Manufacturing impacts of one GPU.
///
/// Current model (after BoaviztAPI 2.5.0): the silicon as the wafer area its dies take, wafer
/// edge and yield losses included ([`effective_area`]), × a factor per mm² of wafer; the
/// on-package memory (HBM, GDDR) per GB; the board, heatsink and casing. Reference model (MLCA,
/// Impacts-HPC): die factor × die area + base, the memory costed as DIMM RAM.
pub fn gpu_embodied(b: &mut Builder<'_>, gpu: &GpuSpec) -> Result<Vec<NodeId>, ModelError> {
    let what = format!("GPU {}", gpu.name);
    let area = b.input(&gpu.die_area_mm2);
    let parts = if b.constants().is_reference("gpu") {
        let die = b.linear_impacts(
            &what,
            Some(("gpu.die_factor", "GPU die impact factor")),
            Some(area),
            Some(("gpu.base", "GPU base impact")),
        );
        let die = b.label_impacts(&die, &format!("{what} die and package manufacturing"));
        let mem = memory_embodied(
            b,
            &format!("{what} memory"),
            &gpu.memory_gb,
            &gpu.memory_density,
            "ram",
            1,
        );
        vec![die, mem]
    } else {
        let wafer = effective_area(b, area, gpu.dies)?;
        let wafer = b.graph.label(
            wafer,
            &format!("{what} wafer area used (dies with edge and yield losses)"),
            "mm2",
        );
        let die = b.linear_impacts(
            &what,
            Some((
                "gpu.wafer_factor",
                "GPU silicon impact per mm² of wafer used",
            )),
            Some(wafer),
            None,
        );
        let die = b.label_impacts(&die, &format!("{what} silicon manufacturing"));
        let gb = b.input(&gpu.memory_gb);
        let mem = b.linear_impacts(
            &format!("{what} memory"),
            Some(("gpu.memory_per_gb", "on-package memory impact per GB")),
            Some(gb),
            None,
        );
        let mem = b.label_impacts(&mem, &format!("{what} memory manufacturing"));
        let board = b.linear_impacts(
            &what,
            None,
            None,
            Some(("gpu.board", "GPU board, heatsink and casing impact")),
        );
        let board = b.label_impacts(&board, &format!("{what} board manufacturing"));
        vec![die, mem, board]
    };
    let total = b.sum_impacts(&parts);
    Ok(b.label_impacts(&total, &format!("{what} manufacturing")))
}

/// The wafer area (mm²) that `dies` dies of `area` mm² in all take, losses included (the model
/// of BoaviztAPI 2.5.0, `models/component/gpu.py`): each die with its kerf is a square cell of
/// side √a + kerf; a wafer of diameter D holds n = πD²/4 / cell − πD / √(2·cell) of them (the
/// edge loss); a fraction y = exp(−√(cell × D0)) of them work (Seeds' yield model, D0 defects
/// per cm²). One die takes (πD²/4) / n / y of wafer.
pub fn effective_area(b: &mut Builder<'_>, area: NodeId, dies: u32) -> Result<NodeId, ModelError> {
    let dies = f64::from(dies.max(1));
    let kerf = b.required("gpu.wafer.kerf_mm", "width of the saw line around a die")?;
    let diameter = b.required("gpu.wafer.diameter_mm", "wafer diameter")?;
    let d0 = b.required("gpu.wafer.defect_density", "defects per cm² of wafer")?;
    let half = b.graph.constant(0.5);
    let per_die = b.graph.scale(area, 1.0 / dies);
    let side = b.graph.pow(per_die, half);
    let side = b.graph.add(side, kerf);
    let cell = b.graph.mul(side, side);
    let d2 = b.graph.mul(diameter, diameter);
    let wafer = b.graph.scale(d2, std::f64::consts::PI / 4.0);
    let whole = b.graph.div(wafer, cell);
    let rim = b.graph.scale(diameter, std::f64::consts::PI);
    let two_cells = b.graph.scale(cell, 2.0);
    let root = b.graph.pow(two_cells, half);
    let edge = b.graph.div(rim, root);
    let n = b.graph.sub(whole, edge);
    let at_least_one = b.graph.constant(1.0);
    let n = b.graph.max(n, at_least_one);
    let n = b.graph.label(n, "dies per wafer", "1");
    let per_die_wafer = b.graph.div(wafer, n);
    let cell_cm2 = b.graph.scale(cell, 0.01);
    let defects = b.graph.mul(cell_cm2, d0);
    let root = b.graph.pow(defects, half);
    let minus = b.graph.scale(root, -1.0);
    let e = b.graph.constant(std::f64::consts::E);
    let y = b.graph.pow(e, minus);
    let y = b.graph.label(y, "yield (share of dies that work)", "1");
    let one = b.graph.div(per_die_wafer, y);
    Ok(b.graph.scale(one, dies))
}

/// Power of one GPU at `load` percent: TDP × (idle fraction + (1 − idle fraction) × load / 100).
pub fn gpu_power(b: &mut Builder<'_>, gpu: &GpuSpec, load: NodeId) -> Result<NodeId, ModelError> {
    let tdp = b.input(&gpu.tdp_w);
    let idle = b.required("gpu.idle_fraction", "GPU idle power as a share of TDP")?;
    let one = b.graph.constant(1.0);
    let active = b.graph.sub(one, idle);
    let frac = b.graph.scale(load, 0.01);
    let act = b.graph.mul(active, frac);
    let share = b.graph.add(idle, act);
    let p = b.graph.mul(tdp, share);
    let load_name = b.graph.name_of(load).unwrap_or_else(|| "load".into());
    Ok(b.graph
        .label(p, &format!("GPU {} power at {load_name}", gpu.name), "W"))
}

/// A fixed load in percent: 0 for idle, 100 for the peak (as an input with its provenance).
pub fn fixed_load(b: &mut Builder<'_>, percent: f64) -> NodeId {
    let (name, note) = if percent == 0.0 {
        (
            "idle (0 % load)".to_string(),
            "idle: no job runs on the node".to_string(),
        )
    } else if percent == 100.0 {
        (
            "100 % load".to_string(),
            "full load: the park's power and the facility are sized at 100 %".to_string(),
        )
    } else {
        (
            format!("{} % load", crate::quantity::fmt_num(percent)),
            "load of the request".to_string(),
        )
    };
    b.graph.leaf(
        &format!("load:{:x}", percent.to_bits()),
        &name,
        Quantity::fixed(
            percent,
            "%",
            Provenance::new(crate::quantity::Status::Default, "impacts-project").with_note(note),
        ),
    )
}

/// Builds a server: manufacturing impacts and power at `cpu_load` and `gpu_load` (nodes in percent).
pub fn server(
    b: &mut Builder<'_>,
    s: &ServerSpec,
    cpu_load: NodeId,
    gpu_load: NodeId,
) -> Result<ServerNodes, ModelError> {
    let mut parts: Vec<Part> = Vec::new();
    let n = b.criteria().len();
    let count_node = |b: &mut Builder<'_>, k: u32| b.graph.constant(f64::from(k));

    // Manufacturing.
    let mut group = |b: &mut Builder<'_>, name: &'static str, items: Vec<Vec<NodeId>>| {
        if items.is_empty() {
            return;
        }
        let sum = b.sum_impacts(&items);
        let labelled = b.label_impacts(&sum, &format!("{name} manufacturing"));
        parts.push(Part {
            group: name,
            impacts: labelled,
        });
    };
    let cpus: Vec<Vec<NodeId>> = s
        .cpus
        .iter()
        .map(|c| {
            let e = cpu_embodied(b, &c.spec);
            let k = count_node(b, c.count);
            b.scale_impacts(&e, k)
        })
        .collect();
    group(b, "CPU", cpus);
    let gpus: Vec<Vec<NodeId>> = s
        .gpus
        .iter()
        .map(|g| {
            let e = gpu_embodied(b, &g.spec)?;
            let k = count_node(b, g.count);
            Ok(b.scale_impacts(&e, k))
        })
        .collect::<Result<_, ModelError>>()?;
    group(b, "GPU", gpus);
    let rams: Vec<Vec<NodeId>> = s.ram.iter().map(|r| ram_embodied(b, r)).collect();
    group(b, "RAM", rams);
    let ssds: Vec<Vec<NodeId>> = s
        .ssds
        .iter()
        .map(|d| {
            let e = memory_embodied(b, "SSD", &d.spec.size_gb, &d.spec.density, "ssd", 1);
            let k = count_node(b, d.count);
            b.scale_impacts(&e, k)
        })
        .collect();
    group(b, "SSD", ssds);
    if s.hdds > 0 {
        let unit = b.linear_impacts("HDD", None, None, Some(("hdd.unit", "HDD impact")));
        let k = count_node(b, s.hdds);
        let e = b.scale_impacts(&unit, k);
        group(b, "HDD", vec![e]);
    }
    if s.motherboards > 0 {
        let unit = b.linear_impacts(
            "motherboard",
            None,
            None,
            Some(("motherboard.unit", "motherboard impact")),
        );
        let k = count_node(b, s.motherboards);
        let e = b.scale_impacts(&unit, k);
        group(b, "motherboard", vec![e]);
    }
    let psus: Vec<Vec<NodeId>> = s
        .psus
        .iter()
        .map(|p| {
            let mass = b.input(&p.spec.mass_kg);
            let e = b.linear_impacts(
                "power supply",
                Some(("psu.per_kg", "power supply impact per kg")),
                Some(mass),
                None,
            );
            let k = count_node(b, p.count);
            b.scale_impacts(&e, k)
        })
        .collect();
    group(b, "power supply", psus);
    if let Some(case) = s.case {
        let (key, name) = match case {
            CaseKind::Rack => ("case.rack", "rack case impact"),
            CaseKind::Blade => ("case.blade", "blade case impact"),
        };
        let e = b.linear_impacts("case", None, None, Some((key, name)));
        group(b, "case", vec![e]);
    }
    if s.assembly {
        let e = b.linear_impacts(
            "assembly",
            None,
            None,
            Some(("assembly.unit", "server assembly impact")),
        );
        group(b, "assembly", vec![e]);
    }
    let all: Vec<Vec<NodeId>> = parts.iter().map(|p| p.impacts.clone()).collect();
    let embodied = if all.is_empty() {
        (0..n)
            .map(|c| b.gap("server", c, "the server description lists no component"))
            .collect()
    } else {
        b.sum_impacts(&all)
    };
    let embodied = b.label_impacts(&embodied, &format!("{} manufacturing", s.name));

    let idle = fixed_load(b, 0.0);
    let peak = fixed_load(b, 100.0);
    let power = server_power(b, s, cpu_load, gpu_load, false)?;
    let idle_power = server_power(b, s, idle, idle, true)?;
    let peak_power = server_power(b, s, peak, peak, false)?;
    Ok(ServerNodes {
        embodied,
        parts,
        power,
        idle_power,
        peak_power,
    })
}

/// The reference model's RAM power: a power per GB at any load, a share of it at idle.
fn ram_power_per_gb(
    b: &mut Builder<'_>,
    rams: &[&RamSpec],
    idle: bool,
) -> Result<NodeId, ModelError> {
    let per_gb = b.required("ram.power_per_gb", "RAM power per GB")?;
    let sizes: Vec<NodeId> = rams.iter().map(|r| b.input(&r.size_gb)).collect();
    let size = b.graph.sum(&sizes);
    let mut p = b.graph.mul(per_gb, size);
    if idle {
        let f = b.required(
            "ram.idle_fraction",
            "RAM idle power as a share of its active power",
        )?;
        p = b.graph.mul(p, f);
    }
    Ok(p)
}

/// RAM power per module (after BoaviztAPI 2.5.0): (base per module × modules + power per GB ×
/// capacity) × (idle ratio + (1 − idle ratio) × activity), activity from 0 (idle) to 1.
fn ram_power(
    b: &mut Builder<'_>,
    rams: &[&RamSpec],
    activity: NodeId,
) -> Result<NodeId, ModelError> {
    let per_module = b.required(
        "ram.module_power_w",
        "RAM power per module at full activity",
    )?;
    let per_gb = b.required(
        "ram.module_power_per_gb",
        "RAM power per GB at full activity",
    )?;
    let ratio = b.required(
        "ram.idle_ratio",
        "RAM power at idle as a share of its full power",
    )?;
    let mut full = Vec::new();
    for r in rams {
        let size = b.input(&r.size_gb);
        full.push(b.graph.mul(per_gb, size));
        if r.modules > 0 {
            full.push(b.graph.scale(per_module, f64::from(r.modules)));
        }
    }
    let full = b.graph.sum(&full);
    let full = b.graph.label(full, "RAM power at full activity", "W");
    let one = b.graph.constant(1.0);
    let swing = b.graph.sub(one, ratio);
    let varying = b.graph.mul(swing, activity);
    let share = b.graph.add(ratio, varying);
    Ok(b.graph.mul(full, share))
}

/// How active the memory is at a CPU load, from 0 at 0 % to 1 at 100 %: the node's first CPU's
/// power curve, normalised (ln((L + c) / c) / ln((100 + c) / c)), so that memory and processor
/// follow one curve of the load; linear in the load for a node without CPU.
fn memory_activity(b: &mut Builder<'_>, s: &ServerSpec, load: NodeId) -> NodeId {
    let c = s.cpus.first().map(|c| match &c.spec.power {
        CpuPower::Tdp { curve, .. } | CpuPower::Absolute { curve, .. } => curve.c,
    });
    let a = match c.filter(|c| c.is_finite() && *c > 0.0) {
        Some(c) => {
            let shifted = b.graph.scale(load, 1.0 / c);
            let one = b.graph.constant(1.0);
            let x = b.graph.add(shifted, one);
            let ln = b.graph.ln(x);
            b.graph.scale(ln, 1.0 / ((100.0 + c) / c).ln())
        }
        None => b.graph.scale(load, 0.01),
    };
    b.graph
        .label(a, "memory activity (0 idle, 1 at full load)", "1")
}

/// Server power: (CPUs + GPUs + RAM) × (1 + other ratio) + disks.
fn server_power(
    b: &mut Builder<'_>,
    s: &ServerSpec,
    cpu_load: NodeId,
    gpu_load: NodeId,
    idle: bool,
) -> Result<NodeId, ModelError> {
    let mut active = Vec::new();
    for c in &s.cpus {
        let p = cpu_power(b, &c.spec, cpu_load);
        active.push(b.graph.scale(p, f64::from(c.count)));
    }
    for g in &s.gpus {
        let p = gpu_power(b, &g.spec, gpu_load)?;
        active.push(b.graph.scale(p, f64::from(g.count)));
    }
    let reference = b.constants().is_reference("memory");
    // Memory whose power an accelerator module's already counts draws nothing of its own (the
    // reference counts every memory's).
    let counted: Vec<&RamSpec> = s
        .ram
        .iter()
        .filter(|r| reference || !r.power_in_gpus)
        .collect();
    if !counted.is_empty() {
        let p = if reference {
            ram_power_per_gb(b, &counted, idle)?
        } else {
            let activity = memory_activity(b, s, cpu_load);
            ram_power(b, &counted, activity)?
        };
        let name = if idle {
            "RAM power at idle"
        } else {
            "RAM power"
        };
        active.push(b.graph.label(p, name, "W"));
    }
    let compute = b.graph.sum(&active);
    let other = b.required(
        "server.other_power_ratio",
        "power of fans, board, network and losses as a share of CPU, GPU and RAM power",
    )?;
    let one = b.graph.constant(1.0);
    let k = b.graph.add(one, other);
    let mut total = b.graph.mul(compute, k);
    let ssd_count: u32 = s.ssds.iter().map(|d| d.count).sum();
    if ssd_count > 0 {
        let w = b.required("ssd.power_w", "SSD power per drive")?;
        let p = b.graph.scale(w, f64::from(ssd_count));
        total = b.graph.add(total, p);
    }
    if s.hdds > 0 {
        let w = b.required("hdd.power_w", "HDD power per drive")?;
        let p = b.graph.scale(w, f64::from(s.hdds));
        total = b.graph.add(total, p);
    }
    let label = if idle {
        format!("{} idle power", s.name)
    } else {
        let load_name = b.graph.name_of(cpu_load).unwrap_or_else(|| "load".into());
        format!("{} power at {load_name}", s.name)
    };
    Ok(b.graph.label(total, &label, "W"))
}
