//! Hardware and electricity: one server, one component, an amount of electricity.

use crate::error::invalid;
use crate::outputs::ReportOutputs;
use crate::report::Report;
use crate::{
    check_load, evaluate, ComponentRequest, EnergyRequest, Engine, Error, InputError, Options,
    ServerRequest,
};
use impacts_data::resolve::NameMatch;
use impacts_data::DataError;
use impacts_model::builder::{Builder, Input};
use impacts_model::criteria::Constants;
use impacts_model::electricity::energy_model;
use impacts_model::graph::NodeId;
use impacts_model::hardware::{
    cpu_embodied, cpu_power, fixed_load, gpu_embodied, gpu_power, server, CaseKind, Counted,
    PsuSpec, ServerSpec,
};
use impacts_model::quantity::{fmt_num, Provenance, Quantity, Status};
use impacts_model::report::{dedup_warnings, Warning};
use impacts_model::ModelError;
use serde_json::json;

/// What resolving a server's parts found: warnings and name matches.
#[derive(Default)]
struct Found {
    warnings: Vec<Warning>,
    matches: Vec<NameMatch>,
}

/// An error of a server's part, its field named within the part (`ram.size_gb`).
fn in_part(part: &'static str) -> impl Fn(DataError) -> Error {
    move |e| match Error::from(e) {
        Error::Input(mut e) => {
            e.field = Some(match e.field.take() {
                Some(f) => format!("{part}.{f}"),
                None => part.to_string(),
            });
            Error::Input(e)
        }
        other => other,
    }
}

/// The power supplies of a server request, if it counts any.
fn psus(req: &ServerRequest, constants: &Constants) -> Result<Option<Counted<PsuSpec>>, Error> {
    if req.psus == 0 {
        return Ok(None);
    }
    let mass = match req.psu_mass_kg {
        Some(m) if m.is_finite() && m > 0.0 => Input::new(
            format!("psu-mass:{:x}", m.to_bits()),
            "power supply mass",
            Quantity::fixed(m, "kg", Provenance::input("power supply mass")),
        ),
        Some(m) => return invalid("psu_mass_kg", fmt_num(m), "a positive mass in kg"),
        None => Input::new(
            "const:psu.mass_kg",
            "power supply mass",
            constants
                .get("psu.mass_kg", None)
                .cloned()
                .ok_or_else(|| ModelError::MissingConstant("psu.mass_kg".into()))?,
        ),
    };
    Ok(Some(Counted {
        count: req.psus,
        spec: PsuSpec { mass_kg: mass },
    }))
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

impl Engine {
    /// The impacts of an amount of electricity.
    pub fn energy(&self, req: &EnergyRequest, opts: &Options) -> Result<Report, Error> {
        if !(req.energy_kwh.is_finite() && req.energy_kwh >= 0.0) {
            return invalid(
                "energy_kwh",
                fmt_num(req.energy_kwh),
                "a non-negative, finite number of kWh",
            );
        }
        let constants = self.constants(&opts.method)?;
        let zone = self.bundle.zone_for(&req.zone, &constants)?;
        let (graph, outs, mut warnings) = energy_model(&self.bundle.criteria, &zone.spec);
        warnings.extend(zone.warnings.clone());
        let params = [req.energy_kwh];
        let mut outputs = ReportOutputs::new(&self.bundle.criteria, &outs);
        outputs.phase("use", &outs);
        let e = evaluate(&graph, outputs.nodes(), outputs.totals(), &params, opts)?;
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
        let mut found = Found::default();
        let load = check_load(req.load.unwrap_or(100.0), "load")?;
        let spec = self.server_spec(req, &constants, &mut found)?;
        let mut b = Builder::new(&self.bundle.criteria, &constants);
        let l = b.input(&Input::new(
            "request:load",
            "load of the request",
            Quantity::fixed(
                load,
                "%",
                Provenance::input("load for the power figure (default 100 %)"),
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
        found.warnings.extend(mw);
        found.warnings.push(Warning::new(
            "scope.phases-not-modelled",
            "transport and end of life of the equipment are not modelled: results cover the server's manufacturing only",
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
        let e = evaluate(&graph, outputs.nodes(), outputs.totals(), &params, opts)?;
        let mut r = self.base_report("server", describe_server(&spec), opts);
        r.inputs.push("server", json!(describe_server(&spec)));
        r.inputs.push("load", json!(load));
        dedup_warnings(&mut found.warnings);
        r.warnings = found.warnings;
        r.matches = found.matches;
        self.finish(&mut r, &graph, &outputs, &e, &params, opts);
        Ok(r)
    }

    /// The specification of a requested server: each part resolved in the bundle (errors name
    /// the part: `cpus.tdp_w`, `ram.size_gb`).
    fn server_spec(
        &self,
        req: &ServerRequest,
        constants: &Constants,
        found: &mut Found,
    ) -> Result<ServerSpec, Error> {
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
            let r = self
                .bundle
                .resolve_cpu(q, constants)
                .map_err(in_part("cpus"))?;
            found.warnings.extend(r.warnings);
            found.matches.extend(r.name_match);
            spec.cpus.push(Counted {
                count: *n,
                spec: r.spec,
            });
        }
        for (q, n) in &req.gpus {
            let r = self
                .bundle
                .resolve_gpu(q, constants)
                .map_err(in_part("gpus"))?;
            found.warnings.extend(r.warnings);
            found.matches.extend(r.name_match);
            spec.gpus.push(Counted {
                count: *n,
                spec: r.spec,
            });
        }
        let cpu_family = spec.cpus.iter().find_map(|c| c.spec.family.clone());
        for q in &req.ram {
            let mut q = q.clone();
            if q.cpu_family.is_none() {
                q.cpu_family.clone_from(&cpu_family);
            }
            let r = self
                .bundle
                .resolve_ram(&q, constants)
                .map_err(in_part("ram"))?;
            found.warnings.extend(r.warnings);
            spec.ram.push(r.spec);
        }
        for (q, n) in &req.ssds {
            let r = self.bundle.resolve_ssd(q).map_err(in_part("ssds"))?;
            found.warnings.extend(r.warnings);
            spec.ssds.push(Counted {
                count: *n,
                spec: r.spec,
            });
        }
        match psus(req, constants)? {
            Some(p) => spec.psus.push(p),
            None => found.warnings.push(Warning::new(
                "server.psu-not-counted",
                "no power supply given: none is counted, as in Impacts-HPC (BoaviztAPI's archetypes count 2 of 2.99 kg): add 2 power supplies",
            )),
        }
        if spec.cpus.is_empty() && spec.gpus.is_empty() {
            return Err(
                InputError::missing("cpus", "a server needs at least one CPU or GPU").into(),
            );
        }
        Ok(spec)
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
                let e = gpu_embodied(&mut b, &r.spec)?;
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
                let spec = ServerSpec::ssd_only(r.spec);
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
                    Some(m) => return invalid("mass_kg", fmt_num(*m), "a positive mass in kg"),
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
        let e = evaluate(&graph, outputs.nodes(), outputs.totals(), &params, opts)?;
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

    pub(crate) fn part_only(
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
