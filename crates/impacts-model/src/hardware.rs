//! Components and servers: manufacturing impacts and power at a load.
//!
//! Manufacturing (per criterion c): `factor_c × size + base_c`, with the size a die area (CPU,
//! GPU), a silicon surface (RAM, SSD: capacity / density), a mass (power supply) or one unit
//! (HDD, motherboard, case, assembly). Power: the CPU follows a logarithmic curve of its load,
//! the GPU is linear between its idle draw and its TDP, memory and disks draw a constant power,
//! and the rest of the server (fans, board, network, conversion losses) adds a ratio of the
//! CPU, GPU and memory power. See docs/method.md.

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
    /// Density used to turn the memory into a silicon surface.
    pub memory_density: Input,
}

/// Main memory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RamSpec {
    /// Capacity.
    pub size_gb: Input,
    /// Density (GB per cm² of silicon).
    pub density: Input,
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

/// Manufacturing impacts of memory: surface factor × capacity / density + base.
fn memory_embodied(
    b: &mut Builder<'_>,
    what: &str,
    size: &Input,
    density: &Input,
    prefix: &str,
) -> Vec<NodeId> {
    let size = b.input(size);
    let density = b.input(density);
    let surface = b.graph.div(size, density);
    let surface = b
        .graph
        .label(surface, &format!("{what} silicon surface"), "cm2");
    let raw = b.linear_impacts(
        what,
        Some((
            &format!("{prefix}.surface_factor"),
            "memory surface impact factor",
        )),
        Some(surface),
        Some((&format!("{prefix}.base"), "memory base impact")),
    );
    b.label_impacts(&raw, &format!("{what} manufacturing"))
}

/// Manufacturing impacts of one GPU: die factor × die area + base, plus its memory costed as RAM.
pub fn gpu_embodied(b: &mut Builder<'_>, gpu: &GpuSpec) -> Vec<NodeId> {
    let area = b.input(&gpu.die_area_mm2);
    let what = format!("GPU {}", gpu.name);
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
    );
    let total = b.sum_impacts(&[die, mem]);
    b.label_impacts(&total, &format!("{what} manufacturing"))
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
            let e = gpu_embodied(b, &g.spec);
            let k = count_node(b, g.count);
            b.scale_impacts(&e, k)
        })
        .collect();
    group(b, "GPU", gpus);
    let rams: Vec<Vec<NodeId>> = s
        .ram
        .iter()
        .map(|r| memory_embodied(b, "RAM", &r.size_gb, &r.density, "ram"))
        .collect();
    group(b, "RAM", rams);
    let ssds: Vec<Vec<NodeId>> = s
        .ssds
        .iter()
        .map(|d| {
            let e = memory_embodied(b, "SSD", &d.spec.size_gb, &d.spec.density, "ssd");
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
    if !s.ram.is_empty() {
        let per_gb = b.required("ram.power_per_gb", "RAM power per GB")?;
        let mut sizes = Vec::new();
        for r in &s.ram {
            sizes.push(b.input(&r.size_gb));
        }
        let size = b.graph.sum(&sizes);
        let mut p = b.graph.mul(per_gb, size);
        if idle {
            let f = b.required(
                "ram.idle_fraction",
                "RAM idle power as a share of its active power",
            )?;
            p = b.graph.mul(p, f);
        }
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
