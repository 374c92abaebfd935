//! Node types (`[node_types.NAME]`): a node's CPUs, GPUs, memory, drives, power supplies and
//! case, checked, bounded and resolved against the data bundle into the model's server.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use impacts_data::resolve::{CpuQuery, GpuQuery, RamQuery, SsdQuery};
use impacts_data::Bundle;
use impacts_model::builder::Input;
use impacts_model::criteria::Constants;
use impacts_model::hardware::{
    CaseKind, Counted, CpuSpec, GpuSpec, PsuSpec, RamSpec, ServerSpec, SsdSpec,
};
use impacts_model::quantity::{Provenance, Quantity, Status};
use impacts_model::report::Warning;
use toml::Spanned;

use crate::check::{positive_int, Cx};
use crate::limits::{
    MAX_CORES_PER_CPU, MAX_CORES_PER_NODE, MAX_DIE_AREA_MM2, MAX_MEMORY_GB, MAX_PARTS_PER_NODE,
    MAX_POWER_W, MAX_PSU_MASS_KG, MAX_SSD_GB, MEMORY_DENSITY_GB_PER_CM2,
};
use crate::raw::{RawCpu, RawGpu, RawNodeType, RawPsu, RawRam, RawSsd, Value};
use crate::{located, CenterError};

/// A node type, resolved: the model's server and what allocating part of a node needs.
pub(crate) struct NodeType {
    /// The server the model costs.
    pub server: ServerSpec,
    /// Cores per node.
    pub cores: f64,
    /// GPUs per node.
    pub gpus: f64,
    /// Memory per node (GB).
    pub memory_gb: f64,
}

/// The node types of a file, by name, and the warnings of each.
pub(crate) struct NodeTypes {
    /// The node types, resolved.
    pub types: BTreeMap<String, NodeType>,
    /// The warnings of each (without repeats).
    pub warnings: BTreeMap<String, Vec<Warning>>,
}

/// Every node type of the file, resolved, and the warnings of each.
pub(crate) fn node_types(
    cx: &Cx<'_>,
    raw: &BTreeMap<String, Spanned<RawNodeType>>,
    bundle: &Bundle,
    constants: &Constants,
) -> Result<NodeTypes, CenterError> {
    let mut out = NodeTypes {
        types: BTreeMap::new(),
        warnings: BTreeMap::new(),
    };
    for (name, t) in raw {
        let mut tw = Vec::new();
        let nt = node_type(cx, name, t, bundle, constants, &mut tw)?;
        impacts_model::report::dedup_warnings(&mut tw);
        out.warnings.insert(name.clone(), tw);
        out.types.insert(name.clone(), nt);
    }
    Ok(out)
}

/// Checks and resolves the node type `name`. Its warnings (matches, estimates, defaults) are
/// added to `warnings`, each prefixed with the node type's name.
fn node_type(
    cx: &Cx<'_>,
    name: &str,
    raw: &Spanned<RawNodeType>,
    bundle: &Bundle,
    constants: &Constants,
    warnings: &mut Vec<Warning>,
) -> Result<NodeType, CenterError> {
    let t = raw.get_ref();
    let mut parts = Parts {
        cx,
        name,
        bundle,
        constants,
        warnings: Vec::new(),
    };
    let (cpus, cpu_cores) = parts.cpus(&t.cpus)?;
    let (gpus, gpu_count) = parts.gpus(&t.gpus)?;
    let cpu_family = cpus.iter().find_map(|c| c.spec.family.clone());
    let (ram, memory) = parts.ram(t, cpu_family, !gpus.is_empty())?;
    let ssds = parts.ssds(&t.ssds)?;
    let hdds = parts
        .count(t.hdds.as_ref(), "hdds", "HDDs per node")?
        .unwrap_or(0);
    let motherboards = parts
        .count(
            t.motherboards.as_ref(),
            "motherboards",
            "motherboards per node",
        )?
        .unwrap_or(1);
    let psus = parts.psus(t.psus.as_ref())?;
    let case = parts.case(t.case.as_ref())?;
    let cores = match &t.cores {
        Some(c) => parts.node_cores(c)?,
        None => cpu_cores,
    };
    let memory_gb = match &t.memory_gb {
        Some(m) => parts.node_memory(m)?,
        None => memory,
    };
    if cpus.is_empty() && gpus.is_empty() {
        return cx.err(
            raw.span(),
            format!("node type {name}: needs at least one cpu or gpu"),
        );
    }
    for x in parts.warnings {
        warnings.push(Warning::new(
            &x.code,
            format!("node type {name}: {}", x.message),
        ));
    }
    Ok(NodeType {
        server: ServerSpec {
            name: name.to_string(),
            cpus,
            gpus,
            ram,
            ssds,
            hdds,
            motherboards,
            psus,
            case,
            assembly: t.assembly.unwrap_or(true),
        },
        cores,
        gpus: gpu_count,
        memory_gb,
    })
}

/// What reading the parts of one node type needs, and the warnings of their resolution.
struct Parts<'a> {
    cx: &'a Cx<'a>,
    name: &'a str,
    bundle: &'a Bundle,
    constants: &'a Constants,
    warnings: Vec<Warning>,
}

impl Parts<'_> {
    /// The file's key of a value of this node type (`node_types.gpu.cpus[0].count`).
    fn key(&self, rest: fmt::Arguments<'_>) -> String {
        format!("node_types.{}.{rest}", self.name)
    }

    /// The count of an entry of a list of parts (1 when it gives none), refused unless
    /// positive: the error is at the entry.
    fn entry_count(
        &self,
        count: Option<&Spanned<i64>>,
        entry: Range<usize>,
        part: &str,
    ) -> Result<i64, CenterError> {
        let n = count.map_or(1, |c| *c.get_ref());
        if n <= 0 {
            return self.cx.err(
                entry,
                format!(
                    "node type {}: {part} count must be a positive integer, found {n}",
                    self.name
                ),
            );
        }
        Ok(n)
    }

    /// Adds the count of an entry of a list of parts (`cpus`, `gpus`, `ssds`) to the node's
    /// total of that list, refused above [`MAX_PARTS_PER_NODE`]: the error is at the entry's
    /// count (the entry itself when it gives none).
    fn add_count(
        &self,
        total: &mut i64,
        count: Option<&Spanned<i64>>,
        entry: Range<usize>,
        key: impl FnOnce() -> String,
        (what, list): (&str, &str),
    ) -> Result<(), CenterError> {
        *total = total.saturating_add(count.map_or(1, |c| *c.get_ref()));
        let span = count.map_or(entry, Spanned::span);
        let what = format!("{what} per node (all the entries of `{list}` together)");
        self.cx
            .at_most(span, key, *total as f64, MAX_PARTS_PER_NODE as f64, &what)
    }

    /// Refuses a number of an entry above `max`, when the entry gives it.
    fn at_most(
        &self,
        v: Option<&Spanned<f64>>,
        key: impl FnOnce() -> String,
        max: f64,
        what: &str,
    ) -> Result<(), CenterError> {
        match v {
            Some(v) => self.cx.at_most(v.span(), key, *v.get_ref(), max, what),
            None => Ok(()),
        }
    }

    /// Refuses a value with uncertainty (its value and its bounds) above `max`, when given.
    fn value_at_most(
        &self,
        v: Option<&Spanned<Value>>,
        key: impl Fn() -> String,
        max: f64,
        what: &str,
    ) -> Result<(), CenterError> {
        let Some(v) = v else {
            return Ok(());
        };
        v.get_ref()
            .numbers()
            .try_for_each(|x| self.cx.at_most(v.span(), &key, x, max, what))
    }

    /// The CPUs (`cpus`) and the cores they give the node.
    fn cpus(
        &mut self,
        list: &[Spanned<RawCpu>],
    ) -> Result<(Vec<Counted<CpuSpec>>, f64), CenterError> {
        let (cx, name) = (self.cx, self.name);
        let mut cpus = Vec::new();
        let mut cores = 0.0;
        let mut total = 0;
        for (i, c) in list.iter().enumerate() {
            let r = c.get_ref();
            let count = self.entry_count(r.count.as_ref(), c.span(), "cpu")?;
            if let Some(k) = r.cores.as_ref().map(|k| *k.get_ref()) {
                if k <= 0 {
                    return cx.err(
                        c.span(),
                        format!(
                            "node type {name}: cpu cores must be a positive integer, found {k}"
                        ),
                    );
                }
            }
            let res = self
                .bundle
                .resolve_cpu(&self.cpu_query(r), self.constants)
                .map_err(|e| cx.data_err(c.span(), e))?;
            let key = |k: &str| self.key(format_args!("cpus[{i}].{k}"));
            self.add_count(
                &mut total,
                r.count.as_ref(),
                c.span(),
                || key("count"),
                ("CPUs", "cpus"),
            )?;
            self.cpu_bounds(r, &key)?;
            self.warnings.extend(res.warnings);
            cores += self.cores_per_cpu(r) * count as f64;
            cpus.push(Counted {
                count: count as u32,
                spec: res.spec,
            });
        }
        Ok((cpus, cores))
    }

    /// What the data bundle needs to resolve a CPU entry; a TDP or die area the file gives is
    /// the file's input (its source the user unless it names one).
    fn cpu_query(&self, r: &RawCpu) -> CpuQuery {
        let given = |v: &Option<Spanned<Value>>, what: &str| {
            v.as_ref().map(|v| {
                let v = v.get_ref();
                Provenance::new(
                    Status::Input,
                    v.source.clone().unwrap_or_else(|| "user".into()),
                )
                .with_note(
                    v.note
                        .clone()
                        .unwrap_or_else(|| format!("{what} given in {}", self.cx.file)),
                )
            })
        };
        CpuQuery {
            name: r.model.clone(),
            family: r.family.clone(),
            model_range: r.model_range.clone(),
            cores: r.cores.as_ref().map(|k| *k.get_ref() as u32),
            tdp_w: r.tdp_w.as_ref().map(|v| v.get_ref().value),
            die_area_mm2: r.die_area_mm2.as_ref().map(|v| v.get_ref().value),
            power_points: r
                .power_points
                .as_ref()
                .map(|p| p.get_ref().clone())
                .unwrap_or_default(),
            tdp_provenance: given(&r.tdp_w, "TDP"),
            die_area_provenance: given(&r.die_area_mm2, "die area"),
        }
    }

    /// Refuses a CPU entry's cores, TDP, die area or power points beyond what a CPU can have.
    fn cpu_bounds(&self, r: &RawCpu, key: &dyn Fn(&str) -> String) -> Result<(), CenterError> {
        if let Some(k) = &r.cores {
            let (x, max) = (*k.get_ref() as f64, MAX_CORES_PER_CPU as f64);
            self.cx
                .at_most(k.span(), || key("cores"), x, max, "cores per CPU")?;
        }
        let tdp = "W (the TDP of one CPU)";
        self.value_at_most(r.tdp_w.as_ref(), || key("tdp_w"), MAX_POWER_W, tdp)?;
        let die = "mm² (the die area of one CPU)";
        self.value_at_most(
            r.die_area_mm2.as_ref(),
            || key("die_area_mm2"),
            MAX_DIE_AREA_MM2,
            die,
        )?;
        if let Some(p) = &r.power_points {
            for (_, watts) in p.get_ref() {
                let what = "W (the power of one CPU)";
                self.cx
                    .at_most(p.span(), || key("power_points"), *watts, MAX_POWER_W, what)?;
            }
        }
        Ok(())
    }

    /// Cores of one CPU of an entry: the file's, else those of the bundle's rows of its exact
    /// model name, else 0.
    fn cores_per_cpu(&self, r: &RawCpu) -> f64 {
        use impacts_data::matching::compact;
        r.cores
            .as_ref()
            .map(|k| *k.get_ref() as f64)
            .or_else(|| {
                r.model.as_ref().and_then(|m| {
                    let rows = self
                        .bundle
                        .cpus
                        .iter()
                        .filter(|row| compact(&row.name) == compact(m));
                    rows.filter_map(|row| row.cores).next()
                })
            })
            .unwrap_or(0.0)
    }

    /// The GPUs (`gpus`) and how many the node has.
    fn gpus(
        &mut self,
        list: &[Spanned<RawGpu>],
    ) -> Result<(Vec<Counted<GpuSpec>>, f64), CenterError> {
        let cx = self.cx;
        let mut gpus = Vec::new();
        let mut gpu_count = 0.0;
        let mut total = 0;
        for (i, g) in list.iter().enumerate() {
            let r = g.get_ref();
            let count = self.entry_count(r.count.as_ref(), g.span(), "gpu")?;
            let value = |v: &Option<Spanned<f64>>| v.as_ref().map(|v| *v.get_ref());
            let q = GpuQuery {
                name: r.model.clone(),
                family: r.family.clone(),
                tdp_w: value(&r.tdp_w),
                die_area_mm2: value(&r.die_area_mm2),
                memory_gb: value(&r.memory_gb),
                dies: match &r.dies {
                    Some(d) => Some(self.die_count(d)?),
                    None => None,
                },
            };
            let res = self
                .bundle
                .resolve_gpu(&q, self.constants)
                .map_err(|e| cx.data_err(g.span(), e))?;
            let key = |k: &str| self.key(format_args!("gpus[{i}].{k}"));
            self.add_count(
                &mut total,
                r.count.as_ref(),
                g.span(),
                || key("count"),
                ("GPUs", "gpus"),
            )?;
            self.gpu_bounds(r, &key)?;
            self.warnings.extend(res.warnings);
            gpu_count += count as f64;
            gpus.push(Counted {
                count: count as u32,
                spec: res.spec,
            });
        }
        Ok((gpus, gpu_count))
    }

    /// Refuses a GPU entry's TDP, die area or memory beyond what a GPU can have.
    fn gpu_bounds(&self, r: &RawGpu, key: &dyn Fn(&str) -> String) -> Result<(), CenterError> {
        let tdp = "W (the TDP of one GPU)";
        self.at_most(r.tdp_w.as_ref(), || key("tdp_w"), MAX_POWER_W, tdp)?;
        let die = "mm² (the die area of one GPU)";
        let die_area = r.die_area_mm2.as_ref();
        self.at_most(die_area, || key("die_area_mm2"), MAX_DIE_AREA_MM2, die)?;
        let memory = "GB (the memory of one GPU)";
        self.at_most(
            r.memory_gb.as_ref(),
            || key("memory_gb"),
            MAX_MEMORY_GB,
            memory,
        )
    }

    /// The node's RAM (`ram_gb`, or the `ram` table) and its capacity (GB).
    fn ram(
        &mut self,
        t: &RawNodeType,
        cpu_family: Option<String>,
        has_gpus: bool,
    ) -> Result<(Vec<RamSpec>, f64), CenterError> {
        let (cx, name) = (self.cx, self.name);
        if let (Some(_), Some(b)) = (&t.ram_gb, &t.ram) {
            return cx.err(
                b.span(),
                format!("node type {name}: give ram_gb or ram, not both"),
            );
        }
        if let Some(s) = &t.ram_gb {
            let q = RamQuery {
                size_gb: *s.get_ref(),
                cpu_family,
                ..Default::default()
            };
            let spec = self.resolve_ram(&q, s.span())?;
            self.at_most(
                Some(s),
                || self.key(format_args!("ram_gb")),
                MAX_MEMORY_GB,
                MEMORY,
            )?;
            return Ok((vec![spec], *s.get_ref()));
        }
        if let Some(r) = &t.ram {
            let x = r.get_ref();
            let modules = match &x.modules {
                Some(m) => Some(self.module_count(m)?),
                None => None,
            };
            if x.power_in_gpus == Some(true) && !has_gpus {
                return cx.err(
                    r.span(),
                    format!("node type {name}: ram.power_in_gpus = true needs the accelerators whose power includes the memory's, and the node type lists no gpus"),
                );
            }
            let q = RamQuery {
                size_gb: *x.size_gb.get_ref(),
                manufacturer: x.manufacturer.clone(),
                process_nm: x.process_nm,
                density: x.density_gb_per_cm2.as_ref().map(|d| *d.get_ref()),
                generation: x.generation.clone(),
                modules,
                cpu_family,
                power_in_gpus: x.power_in_gpus.unwrap_or(false),
            };
            let spec = self.resolve_ram(&q, r.span())?;
            self.ram_bounds(x)?;
            return Ok((vec![spec], *x.size_gb.get_ref()));
        }
        Ok((Vec::new(), 0.0))
    }

    /// A GPU entry's `dies`: 1 to 64.
    fn die_count(&self, d: &Spanned<i64>) -> Result<u32, CenterError> {
        match u32::try_from(*d.get_ref()) {
            Ok(n) if (1..=64).contains(&n) => Ok(n),
            _ => self.cx.err(
                d.span(),
                format!(
                    "node type {}: a GPU's dies must be a number of dies from 1 to 64, found {}",
                    self.name,
                    d.get_ref()
                ),
            ),
        }
    }

    /// A `ram.modules` count: a positive integer.
    fn module_count(&self, m: &Spanned<i64>) -> Result<u32, CenterError> {
        let max = impacts_data::resolve::MAX_MEMORY_MODULES;
        match u32::try_from(*m.get_ref()) {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => self.cx.err(
                m.span(),
                format!(
                    "node type {}: ram.modules must be a number of memory modules from 1 to {max}, found {}",
                    self.name,
                    m.get_ref()
                ),
            ),
        }
    }

    /// Resolves a memory description given at `span`; its warnings are the node type's.
    fn resolve_ram(&mut self, q: &RamQuery, span: Range<usize>) -> Result<RamSpec, CenterError> {
        let res = self
            .bundle
            .resolve_ram(q, self.constants)
            .map_err(|e| self.cx.data_err(span, e))?;
        self.warnings.extend(res.warnings);
        Ok(res.spec)
    }

    /// Refuses a `ram` table's capacity above [`MAX_MEMORY_GB`] and a density outside
    /// [`MEMORY_DENSITY_GB_PER_CM2`].
    fn ram_bounds(&self, x: &RawRam) -> Result<(), CenterError> {
        let key = |k: &str| self.key(format_args!("ram.{k}"));
        self.at_most(Some(&x.size_gb), || key("size_gb"), MAX_MEMORY_GB, MEMORY)?;
        match &x.density_gb_per_cm2 {
            Some(d) => {
                let bounds = MEMORY_DENSITY_GB_PER_CM2;
                let (min, max) = (Some(bounds.min), bounds.max);
                let key = || key("density_gb_per_cm2");
                self.cx
                    .within(d.span(), key, *d.get_ref(), min, max, "GB/cm²")
            }
            None => Ok(()),
        }
    }

    /// The SSDs (`ssds`).
    fn ssds(&mut self, list: &[Spanned<RawSsd>]) -> Result<Vec<Counted<SsdSpec>>, CenterError> {
        let cx = self.cx;
        let mut ssds = Vec::new();
        let mut total = 0;
        for (i, s) in list.iter().enumerate() {
            let x = s.get_ref();
            let size = impacts_data::units::parse_size_gb(x.size.get_ref())
                .map_err(|e| cx.data_err(s.span(), e))?;
            let count = self.entry_count(x.count.as_ref(), s.span(), "ssd")?;
            let q = SsdQuery {
                size_gb: size,
                manufacturer: x.manufacturer.clone(),
                layers: x.layers.map(|l| l as u32),
                density: None,
            };
            let res = self
                .bundle
                .resolve_ssd(&q)
                .map_err(|e| cx.data_err(s.span(), e))?;
            let key = |k: &str| self.key(format_args!("ssds[{i}].{k}"));
            self.add_count(
                &mut total,
                x.count.as_ref(),
                s.span(),
                || key("count"),
                ("SSDs", "ssds"),
            )?;
            let what = "GB per SSD";
            cx.at_most(x.size.span(), || key("size"), size, MAX_SSD_GB, what)?;
            self.warnings.extend(res.warnings);
            ssds.push(Counted {
                count: count as u32,
                spec: res.spec,
            });
        }
        Ok(ssds)
    }

    /// A count of parts of the node (`hdds`, `motherboards`): a non-negative integer, at most
    /// [`MAX_PARTS_PER_NODE`]; `None` when the file does not give it.
    fn count(
        &self,
        v: Option<&Spanned<i64>>,
        key: &str,
        what: &str,
    ) -> Result<Option<u32>, CenterError> {
        let Some(v) = v else {
            return Ok(None);
        };
        let name = self.name;
        let n = positive_int(self.cx, v, &format!("node type {name}: {key}"), true)?;
        let full_key = || self.key(format_args!("{key}"));
        let max = MAX_PARTS_PER_NODE as f64;
        self.cx.at_most(v.span(), full_key, n as f64, max, what)?;
        Ok(Some(n as u32))
    }

    /// The power supplies (`psus`): none without the table, with a warning; their mass the
    /// file's or the method's.
    fn psus(&mut self, p: Option<&Spanned<RawPsu>>) -> Result<Vec<Counted<PsuSpec>>, CenterError> {
        let (cx, name) = (self.cx, self.name);
        let Some(p) = p else {
            self.warnings.push(Warning::new(
                "server.psu-not-counted",
                format!("node type {name}: no power supply listed; none is counted (add psus = {{ count = 2 }}: BoaviztAPI's archetypes count 2 of 2.99 kg)"),
            ));
            return Ok(Vec::new());
        };
        let x = p.get_ref();
        let count = *x.count.get_ref();
        if count < 0 {
            return cx.err(
                p.span(),
                format!(
                    "node type {name}: psus count must be a non-negative integer, found {count}"
                ),
            );
        }
        let key = |k: &str| self.key(format_args!("psus.{k}"));
        let max = MAX_PARTS_PER_NODE as f64;
        let what = "power supplies per node";
        cx.at_most(x.count.span(), || key("count"), count as f64, max, what)?;
        if count == 0 {
            return Ok(Vec::new());
        }
        let mass = self.psu_mass(p)?;
        let key = if x.mass_kg.is_some() {
            format!("psu-mass:{:x}", mass.value.to_bits())
        } else {
            "const:psu.mass_kg".to_string()
        };
        Ok(vec![Counted {
            count: count as u32,
            spec: PsuSpec {
                mass_kg: Input::new(key, "power supply mass", mass),
            },
        }])
    }

    /// The mass of one power supply: the file's (positive, at most [`MAX_PSU_MASS_KG`]), else
    /// the method's.
    fn psu_mass(&self, p: &Spanned<RawPsu>) -> Result<Quantity, CenterError> {
        let (cx, name) = (self.cx, self.name);
        let Some(m) = &p.get_ref().mass_kg else {
            return self
                .constants
                .get("psu.mass_kg", None)
                .cloned()
                .ok_or_else(|| located(cx.file, 0, 0, "the method has no psu.mass_kg"));
        };
        let kg = *m.get_ref();
        if !(kg.is_finite() && kg > 0.0) {
            return cx.err(
                p.span(),
                format!("node type {name}: psus mass_kg must be positive, found {kg}"),
            );
        }
        let key = || self.key(format_args!("psus.mass_kg"));
        cx.at_most(m.span(), key, kg, MAX_PSU_MASS_KG, "kg per power supply")?;
        Ok(Quantity::fixed(
            kg,
            "kg",
            Provenance::input(format!("power supply mass in {}", cx.file)),
        ))
    }

    /// The enclosure (`case`): a rack unless the file says blade or none.
    fn case(&self, case: Option<&Spanned<String>>) -> Result<Option<CaseKind>, CenterError> {
        let Some(c) = case else {
            return Ok(Some(CaseKind::Rack));
        };
        match c.get_ref().as_str() {
            "rack" => Ok(Some(CaseKind::Rack)),
            "blade" => Ok(Some(CaseKind::Blade)),
            "none" => Ok(None),
            other => self.cx.err(
                c.span(),
                format!(
                    "node type {}: unknown case `{other}`: expected rack, blade or none",
                    self.name
                ),
            ),
        }
    }

    /// The cores of a node the file gives (`cores`), for partial-node allocation: a positive
    /// integer, at most [`MAX_CORES_PER_NODE`].
    fn node_cores(&self, c: &Spanned<i64>) -> Result<f64, CenterError> {
        let what = format!("node type {}: cores", self.name);
        let n = positive_int(self.cx, c, &what, false)? as f64;
        let key = || self.key(format_args!("cores"));
        let max = MAX_CORES_PER_NODE as f64;
        self.cx.at_most(c.span(), key, n, max, "cores per node")?;
        Ok(n)
    }

    /// The memory of a node the file gives (`memory_gb`), for partial-node allocation: between
    /// 0 and [`MAX_MEMORY_GB`].
    fn node_memory(&self, m: &Spanned<f64>) -> Result<f64, CenterError> {
        let key = || self.key(format_args!("memory_gb"));
        let x = *m.get_ref();
        let what = "GB of memory per node";
        self.cx
            .within(m.span(), key, x, Some(0.0), MAX_MEMORY_GB, what)?;
        Ok(x)
    }
}

/// What the bound of a node's memory says it is.
const MEMORY: &str = "GB of memory per node";
