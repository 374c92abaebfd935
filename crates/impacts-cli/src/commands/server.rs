//! `impacts server`: the manufacturing impacts and power of one server.

use impacts::impacts_data::resolve::{CpuQuery, GpuQuery, RamQuery, SsdQuery};
use impacts::{Engine, ServerRequest};

use super::{options, render_report, size_gb};
use crate::args::ServerArgs;
use crate::error::{CliError, Flags};

/// The flags of `impacts server`, by the library's name of what they give.
pub const FLAGS: Flags = &[
    ("cpus", "--cpu"),
    ("cpus.name", "--cpu"),
    ("cpus.tdp_w", "--cpu-tdp"),
    ("cpus.die_area_mm2", "--cpu-die-area"),
    ("cpus.cores", "--cpu-cores"),
    ("cpus.family", "--cpu-family"),
    ("gpus.name", "--gpu"),
    ("ram.size_gb", "--ram"),
    ("ram.process_nm", "--ram-process"),
    ("ram.manufacturer", "--ram-manufacturer"),
    ("ssds.size_gb", "--ssd"),
    ("ssds.manufacturer", "--ssd-manufacturer"),
    ("ssds.layers", "--ssd-layers"),
    ("psu_mass_kg", "--psu-mass"),
    ("load", "--load"),
];

/// Runs `impacts server` (or `impacts explain server`).
pub fn run(engine: &Engine, a: &ServerArgs, explain: bool) -> Result<String, CliError> {
    let r = engine.server(&request(a)?, &options(&a.common, explain)?)?;
    render_report(&r, &a.common, explain)
}

fn request(a: &ServerArgs) -> Result<ServerRequest, CliError> {
    let mut r = ServerRequest {
        name: None,
        hdds: a.hdds,
        motherboards: a.motherboards,
        psus: a.psus,
        psu_mass_kg: a.psu_mass,
        case: Some(a.case.into()),
        load: a.load,
        ..ServerRequest::default()
    };
    if a.cpu.is_some()
        || a.cpu_tdp.is_some()
        || a.cpu_die_area.is_some()
        || a.cpu_cores.is_some()
        || a.cpu_family.is_some()
    {
        let cpu = CpuQuery {
            name: a.cpu.clone(),
            family: a.cpu_family.clone(),
            cores: a.cpu_cores,
            tdp_w: a.cpu_tdp,
            die_area_mm2: a.cpu_die_area,
            ..CpuQuery::default()
        };
        r.cpus.push((cpu, a.cpus));
    }
    if let Some(g) = &a.gpu {
        let gpu = GpuQuery {
            name: Some(g.clone()),
            ..GpuQuery::default()
        };
        r.gpus.push((gpu, a.gpus));
    }
    if let Some(s) = &a.ram {
        r.ram.push(RamQuery {
            size_gb: size_gb("ram.size_gb", s)?,
            manufacturer: a.ram_manufacturer.clone(),
            process_nm: a.ram_process,
            generation: a.ram_generation.clone(),
            modules: a.ram_modules,
            ..RamQuery::default()
        });
    }
    if let Some(s) = &a.ssd {
        let ssd = SsdQuery {
            size_gb: size_gb("ssds.size_gb", s)?,
            manufacturer: a.ssd_manufacturer.clone(),
            layers: a.ssd_layers,
            density: None,
        };
        r.ssds.push((ssd, a.ssds));
    }
    Ok(r)
}
