//! `impacts component`: the manufacturing impacts (and power) of one component.

use impacts::impacts_data::resolve::{CpuQuery, GpuQuery, RamQuery, SsdQuery};
use impacts::{ComponentRequest, Engine};

use super::{options, render_report, size_gb};
use crate::args::{ComponentArgs, ComponentKind};
use crate::error::{CliError, Flags};

/// The flags of `impacts component`, by the library's name of what they give.
pub const FLAGS: Flags = &[
    ("tdp_w", "--tdp"),
    ("die_area_mm2", "--die-area"),
    ("cores", "--cores"),
    ("family", "--family"),
    ("model_range", "--model-range"),
    ("power_points", "--power-point"),
    ("memory_gb", "--memory"),
    ("size_gb", "SIZE"),
    ("density", "--density"),
    ("process_nm", "--process"),
    ("manufacturer", "--manufacturer"),
    ("layers", "--layers"),
    ("mass_kg", "--mass"),
];

/// Runs `impacts component` (or `impacts explain component`).
pub fn run(engine: &Engine, a: &ComponentArgs, explain: bool) -> Result<String, CliError> {
    let common = a.kind.common();
    let r = engine.component(&request(&a.kind)?, &options(common, explain)?)?;
    render_report(&r, common, explain)
}

/// A measured power point `LOAD:WATTS`.
fn power_point(s: &str) -> Result<(f64, f64), CliError> {
    let bad = || {
        CliError::usage(format!(
            "invalid --power-point '{s}': expected LOAD:WATTS with LOAD in 0..100 (e.g. 50:180)"
        ))
    };
    let (l, w) = s.split_once(':').ok_or_else(bad)?;
    let l: f64 = l.trim().parse().map_err(|_| bad())?;
    let w: f64 = w.trim().trim_end_matches('W').parse().map_err(|_| bad())?;
    if !((0.0..=100.0).contains(&l) && w.is_finite() && w >= 0.0) {
        return Err(bad());
    }
    Ok((l, w))
}

fn cpu(k: &ComponentKind) -> Result<CpuQuery, CliError> {
    let ComponentKind::Cpu {
        name,
        tdp,
        die_area,
        cores,
        family,
        model_range,
        power_point: pts,
        ..
    } = k
    else {
        return Ok(CpuQuery::default());
    };
    Ok(CpuQuery {
        name: name.clone(),
        family: family.clone(),
        model_range: model_range.clone(),
        cores: *cores,
        tdp_w: *tdp,
        die_area_mm2: *die_area,
        power_points: pts
            .iter()
            .map(|p| power_point(p))
            .collect::<Result<_, _>>()?,
        ..CpuQuery::default()
    })
}

fn request(k: &ComponentKind) -> Result<ComponentRequest, CliError> {
    Ok(match k {
        ComponentKind::Cpu { .. } => ComponentRequest::Cpu(Box::new(cpu(k)?)),
        ComponentKind::Gpu {
            name,
            tdp,
            die_area,
            memory,
            family,
            dies,
            ..
        } => ComponentRequest::Gpu(GpuQuery {
            dies: *dies,
            name: name.clone(),
            family: family.clone(),
            tdp_w: *tdp,
            die_area_mm2: *die_area,
            memory_gb: memory
                .as_deref()
                .map(|m| size_gb("memory_gb", m))
                .transpose()?,
        }),
        ComponentKind::Ram {
            size,
            manufacturer,
            process,
            density,
            generation,
            modules,
            ..
        } => ComponentRequest::Ram(RamQuery {
            size_gb: size_gb("size_gb", size)?,
            manufacturer: manufacturer.clone(),
            process_nm: *process,
            density: *density,
            generation: generation.clone(),
            modules: *modules,
            ..RamQuery::default()
        }),
        ComponentKind::Ssd {
            size,
            manufacturer,
            layers,
            ..
        } => ComponentRequest::Ssd(SsdQuery {
            size_gb: size_gb("size_gb", size)?,
            manufacturer: manufacturer.clone(),
            layers: *layers,
            density: None,
        }),
        ComponentKind::Hdd { .. } => ComponentRequest::Hdd,
        ComponentKind::Motherboard { .. } => ComponentRequest::Motherboard,
        ComponentKind::Psu { mass, .. } => ComponentRequest::PowerSupply { mass_kg: *mass },
        ComponentKind::Case { kind, .. } => ComponentRequest::Case((*kind).into()),
        ComponentKind::Assembly { .. } => ComponentRequest::Assembly,
    })
}
