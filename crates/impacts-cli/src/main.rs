//! The `impacts` command.

mod accounting_cmd;
mod data_cmd;
mod io_cmd;
mod render;
mod workflow_cmd;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use impacts::impacts_data::resolve::{CpuQuery, GpuQuery, RamQuery, SsdQuery};
use impacts::impacts_data::units::{parse_energy_kwh, parse_size_gb};
use impacts::impacts_model::eval::Percentiles;
use impacts::impacts_model::hardware::CaseKind;
use impacts::impacts_model::report::Warning;
use impacts::{
    CenterSource, ComponentRequest, EnergyRequest, Engine, Error, JobRequest, Options, Report,
    ServerRequest, StorageRequest, TransferRequest,
};

#[derive(Parser)]
#[command(
    name = "impacts",
    version,
    about = "The environmental footprint of scientific computing: primary energy, climate change and mineral resources over the manufacturing and use of the equipment.",
    long_about = "The environmental footprint of scientific computing: primary energy (MJ), climate change (gCO2eq) and abiotic resource depletion (gSbeq) over the manufacturing and use of the equipment, allocated to the work that used it.\n\nEvery number has a source, a range and a derivation: add `explain` before any estimate to see it.\n\nExamples:\n  impacts job --center jean-zay --partition gpu_p6 --nodes 4 --hours 12 --load 80\n  impacts server --cpu \"Intel Xeon Gold 6248\" --cpus 2 --ram 192GB\n  impacts component cpu \"AMD EPYC 7543\"\n  impacts energy 1000kWh --zone FR\n  impacts explain job --center jean-zay --partition gpu_p5 --nodes 2 --hours 5\n  impacts data search \"H100\"\n  impacts io job.darshan --center jean-zay --partition cpu_p1 --nodes 4"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Footprint of a job on a partition of a center.
    Job(JobArgs),
    /// Manufacturing impacts and power of one server.
    Server(ServerArgs),
    /// Manufacturing impacts (and power) of one component.
    Component(ComponentArgs),
    /// Impacts of an amount of electricity in a zone.
    Energy(EnergyArgs),
    /// Keeping data: a volume on a storage tier (HDD, SSD, tape) for years.
    Storage(StorageArgs),
    /// Moving data over wide-area networks between two zones.
    Transfer(TransferArgs),
    /// A workflow: stages (jobs, transfers, storage) with dependencies, their footprint and total.
    Workflow(Box<workflow_cmd::WorkflowArgs>),
    /// The derivation tree of an estimate: every formula, value, unit, status and source.
    Explain {
        #[command(subcommand)]
        what: ExplainCmd,
    },
    /// The footprint of every job in scheduler records (sacct text or JSON, SWF), with a summary.
    #[command(visible_alias = "sacct")]
    Accounting(Box<accounting_cmd::AccountingArgs>),
    /// The I/O of jobs from their Darshan logs: volumes, operations, time, files, when and how
    /// periodically they read and write, the footprint of that I/O; or a summary over many logs.
    Io(Box<io_cmd::IoArgs>),
    /// The data bundle: identity, search, rows and their sources.
    Data {
        #[command(subcommand)]
        what: data_cmd::DataCmd,
    },
}

#[derive(Subcommand)]
enum ExplainCmd {
    /// Explain a job.
    Job(JobArgs),
    /// Explain a server.
    Server(ServerArgs),
    /// Explain a component.
    Component(ComponentArgs),
    /// Explain an amount of electricity.
    Energy(EnergyArgs),
    /// Explain keeping data.
    Storage(StorageArgs),
    /// Explain moving data.
    Transfer(TransferArgs),
    /// Explain a stage of a workflow (--stage NAME).
    Workflow(Box<workflow_cmd::WorkflowArgs>),
    /// Explain the footprint of one Darshan log's I/O (with --center).
    Io(Box<io_cmd::IoArgs>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Args, Clone)]
struct Common {
    /// Output format: table (human, units scaled), json (base units) or csv.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Monte Carlo samples for the bounds (0: no bounds).
    #[arg(long, default_value_t = 1000)]
    samples: usize,
    /// Seed of the Monte Carlo generator (the same seed gives the same output, bit for bit).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Set of assumptions: default, or impacts-hpc (those of Impacts-HPC 0.0.8, defects fixed).
    #[arg(long, default_value = "default")]
    method: String,
    /// Percentiles of the bounds, as LOW,HIGH.
    #[arg(long, default_value = "2.5,97.5")]
    percentiles: String,
}

impl Common {
    fn options(&self, explain: bool) -> Result<Options, Error> {
        let bad = || {
            Error::Request(format!(
                "invalid --percentiles '{}': expected LOW,HIGH with 0 <= LOW < HIGH <= 100 (e.g. 2.5,97.5)",
                self.percentiles
            ))
        };
        let parts: Vec<&str> = self.percentiles.split(',').collect();
        if parts.len() != 2 {
            return Err(bad());
        }
        let low: f64 = parts[0].trim().parse().map_err(|_| bad())?;
        let high: f64 = parts[1].trim().parse().map_err(|_| bad())?;
        if !((0.0..100.0).contains(&low) && low < high && high <= 100.0) {
            return Err(bad());
        }
        Ok(Options {
            method: self.method.clone(),
            samples: self.samples,
            seed: self.seed,
            percentiles: Percentiles { low, high },
            explain,
            sensitivity: true,
        })
    }
}

#[derive(Args, Clone)]
struct JobArgs {
    /// A bundled center (jean-zay) or the path of a center file (.toml).
    #[arg(long)]
    center: String,
    /// Partition (Slurm partition name).
    #[arg(long)]
    partition: String,
    /// Whole nodes.
    #[arg(long, allow_negative_numbers = true)]
    nodes: Option<f64>,
    /// Cores (part of a node, or spread over --nodes).
    #[arg(long, allow_negative_numbers = true)]
    cores: Option<f64>,
    /// GPUs.
    #[arg(long, allow_negative_numbers = true)]
    gpus: Option<f64>,
    /// Memory, e.g. 64GB.
    #[arg(long)]
    memory: Option<String>,
    /// Duration in hours.
    #[arg(long, allow_negative_numbers = true)]
    hours: f64,
    /// Load of CPUs and GPUs in percent (default 100, with a warning).
    #[arg(long, allow_negative_numbers = true)]
    load: Option<f64>,
    /// CPU load in percent (overrides --load).
    #[arg(long, allow_negative_numbers = true)]
    cpu_load: Option<f64>,
    /// GPU load in percent (overrides --load).
    #[arg(long, allow_negative_numbers = true)]
    gpu_load: Option<f64>,
    /// Electricity zone: ISO 3166 alpha-2 or alpha-3 code, a country name, Europe or World (default: the center's).
    #[arg(long)]
    zone: Option<String>,
    /// Node type, for partitions with several.
    #[arg(long)]
    node_type: Option<String>,
    /// Measured energy of the job's nodes (e.g. 12.5kWh, 45MJ), replacing the modelled electricity.
    #[arg(long)]
    energy: Option<String>,
    /// When the job started (UTC, ISO 8601 with Z or an offset: 2023-03-01T20:00:00Z), for --grid-series.
    #[arg(long)]
    start: Option<String>,
    /// An hourly (or finer) carbon-intensity series: Electricity Maps CSV export, RTE eco2mix
    /// export, or timestamp,gco2eq_per_kwh. The job's own electricity takes its mean over the job.
    #[arg(long, value_name = "FILE")]
    grid_series: Option<String>,
    /// Which intensity of an Electricity Maps export: lifecycle (default, comparable to the annual
    /// factors) or direct.
    #[arg(long, value_name = "COLUMN", default_value = "lifecycle")]
    grid_column: String,
    /// PUE, instead of the center's.
    #[arg(long, allow_negative_numbers = true)]
    pue: Option<f64>,
    /// Compare with a scenario (repeatable): zone=DE, pue=1.1, start=2023-03-02T03:00:00Z (with
    /// --grid-series), load=50, or several joined by commas.
    #[arg(long = "what-if", value_name = "KEY=VALUE")]
    what_if: Vec<String>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args, Clone)]
struct ServerArgs {
    /// CPU model.
    #[arg(long)]
    cpu: Option<String>,
    /// Number of CPUs.
    #[arg(long, default_value_t = 1)]
    cpus: u32,
    /// CPU TDP in watts (overrides the bundle).
    #[arg(long)]
    cpu_tdp: Option<f64>,
    /// CPU die area in mm² (overrides the bundle).
    #[arg(long)]
    cpu_die_area: Option<f64>,
    /// CPU cores (helps estimate an unknown die area).
    #[arg(long)]
    cpu_cores: Option<u32>,
    /// CPU family / code name (Cascade Lake, Milan, ...).
    #[arg(long)]
    cpu_family: Option<String>,
    /// GPU model.
    #[arg(long)]
    gpu: Option<String>,
    /// Number of GPUs.
    #[arg(long, default_value_t = 1)]
    gpus: u32,
    /// Main memory, e.g. 192GB.
    #[arg(long)]
    ram: Option<String>,
    /// Memory manufacturer (Samsung, SK hynix, Micron).
    #[arg(long)]
    ram_manufacturer: Option<String>,
    /// Memory process in nm.
    #[arg(long)]
    ram_process: Option<f64>,
    /// SSD capacity, e.g. 3.84TB.
    #[arg(long)]
    ssd: Option<String>,
    /// Number of SSDs.
    #[arg(long, default_value_t = 1)]
    ssds: u32,
    /// SSD manufacturer.
    #[arg(long)]
    ssd_manufacturer: Option<String>,
    /// SSD 3D NAND layers.
    #[arg(long)]
    ssd_layers: Option<u32>,
    /// Number of hard disk drives.
    #[arg(long, default_value_t = 0)]
    hdds: u32,
    /// Number of motherboards.
    #[arg(long, default_value_t = 1)]
    motherboards: u32,
    /// Number of power supplies (0 by default, as Impacts-HPC; BoaviztAPI counts 2).
    #[arg(long, default_value_t = 0)]
    psus: u32,
    /// Mass of each power supply in kg (default 2.99).
    #[arg(long)]
    psu_mass: Option<f64>,
    /// Enclosure.
    #[arg(long, value_enum, default_value = "rack")]
    case: CaseArg,
    /// Load for the power figure, in percent.
    #[arg(long, allow_negative_numbers = true)]
    load: Option<f64>,
    #[command(flatten)]
    common: Common,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum CaseArg {
    Rack,
    Blade,
}

impl From<CaseArg> for CaseKind {
    fn from(c: CaseArg) -> CaseKind {
        match c {
            CaseArg::Rack => CaseKind::Rack,
            CaseArg::Blade => CaseKind::Blade,
        }
    }
}

#[derive(Args, Clone)]
struct ComponentArgs {
    #[command(subcommand)]
    kind: ComponentKind,
}

#[derive(Subcommand, Clone)]
enum ComponentKind {
    /// A processor, by model name and/or specifications.
    Cpu {
        /// Model name (exact or approximate).
        name: Option<String>,
        /// TDP in watts.
        #[arg(long)]
        tdp: Option<f64>,
        /// Die area in mm².
        #[arg(long)]
        die_area: Option<f64>,
        /// Physical cores.
        #[arg(long)]
        cores: Option<u32>,
        /// Family (code name).
        #[arg(long)]
        family: Option<String>,
        /// Model range (Xeon Gold, EPYC...), for the power profile when no TDP is known.
        #[arg(long)]
        model_range: Option<String>,
        /// A measured power point LOAD:WATTS (repeatable), e.g. 50:180.
        #[arg(long)]
        power_point: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
    /// An accelerator with its memory.
    Gpu {
        /// Model name.
        name: Option<String>,
        /// TDP in watts.
        #[arg(long)]
        tdp: Option<f64>,
        /// Die area in mm².
        #[arg(long)]
        die_area: Option<f64>,
        /// Memory, e.g. 80GB.
        #[arg(long)]
        memory: Option<String>,
        /// Family.
        #[arg(long)]
        family: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Main memory of a given size, e.g. 64GB.
    Ram {
        /// Capacity.
        #[arg(allow_hyphen_values = true)]
        size: String,
        /// Manufacturer.
        #[arg(long)]
        manufacturer: Option<String>,
        /// Process in nm.
        #[arg(long)]
        process: Option<f64>,
        /// Density in GB/cm².
        #[arg(long)]
        density: Option<f64>,
        #[command(flatten)]
        common: Common,
    },
    /// A solid-state drive of a given size, e.g. 3.84TB.
    Ssd {
        /// Capacity.
        #[arg(allow_hyphen_values = true)]
        size: String,
        /// Manufacturer.
        #[arg(long)]
        manufacturer: Option<String>,
        /// 3D NAND layers.
        #[arg(long)]
        layers: Option<u32>,
        #[command(flatten)]
        common: Common,
    },
    /// A hard disk drive.
    Hdd {
        #[command(flatten)]
        common: Common,
    },
    /// A motherboard.
    Motherboard {
        #[command(flatten)]
        common: Common,
    },
    /// A power supply.
    Psu {
        /// Mass in kg.
        #[arg(long)]
        mass: Option<f64>,
        #[command(flatten)]
        common: Common,
    },
    /// A server enclosure.
    Case {
        /// rack or blade.
        #[arg(value_enum, default_value = "rack")]
        kind: CaseArg,
        #[command(flatten)]
        common: Common,
    },
    /// The assembly of a server.
    Assembly {
        #[command(flatten)]
        common: Common,
    },
}

impl ComponentKind {
    fn common(&self) -> &Common {
        match self {
            ComponentKind::Cpu { common, .. }
            | ComponentKind::Gpu { common, .. }
            | ComponentKind::Ram { common, .. }
            | ComponentKind::Ssd { common, .. }
            | ComponentKind::Hdd { common }
            | ComponentKind::Motherboard { common }
            | ComponentKind::Psu { common, .. }
            | ComponentKind::Case { common, .. }
            | ComponentKind::Assembly { common } => common,
        }
    }
}

#[derive(Args, Clone)]
struct EnergyArgs {
    /// Amount of electricity, e.g. 1000kWh, 3.6GJ.
    #[arg(allow_hyphen_values = true)]
    amount: String,
    /// Zone: ISO 3166 alpha-2 or alpha-3 code, country name, Europe or World.
    #[arg(long)]
    zone: String,
    #[command(flatten)]
    common: Common,
}

/// A size argument, with the flag named in the error.
#[derive(Args, Clone)]
struct StorageArgs {
    /// Usable volume, e.g. 20TB.
    volume: String,
    /// How long it is kept (years).
    #[arg(long, allow_negative_numbers = true)]
    years: f64,
    /// A bundled center (jean-zay) or the path of a center file with [storage.NAME] tiers.
    #[arg(long)]
    center: Option<String>,
    /// The center's storage tier.
    #[arg(long)]
    tier: Option<String>,
    /// The medium when no tier is described: hdd, ssd or tape.
    #[arg(long)]
    media: Option<String>,
    /// Electricity zone (default: the center's).
    #[arg(long)]
    zone: Option<String>,
    /// Raw TB per usable TB (1.25 for 8+2 parity, 3 for three copies).
    #[arg(long, allow_negative_numbers = true)]
    redundancy: Option<f64>,
    /// PUE, instead of the center's.
    #[arg(long, allow_negative_numbers = true)]
    pue: Option<f64>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args, Clone)]
struct TransferArgs {
    /// Volume, e.g. 20TB.
    volume: String,
    /// Zone of the sending end (ISO code or name).
    #[arg(long)]
    from: String,
    /// Zone of the receiving end.
    #[arg(long)]
    to: String,
    /// Energy intensity of the network: aslan-2018 (default, extrapolated to today) or
    /// aslan-2018-2015 (the 2015 figure, conservative).
    #[arg(long)]
    factor: Option<String>,
    /// Energy intensity of the network in kWh/GB, instead of --factor.
    #[arg(long, allow_negative_numbers = true)]
    kwh_per_gb: Option<f64>,
    #[command(flatten)]
    common: Common,
}

fn storage_request(a: &StorageArgs) -> Result<StorageRequest, Error> {
    Ok(StorageRequest {
        volume_tb: size_arg("VOLUME", &a.volume)? / 1000.0,
        years: a.years,
        center: a.center.as_deref().map(center_source).transpose()?,
        tier: a.tier.clone(),
        media: a.media.clone(),
        zone: a.zone.clone(),
        redundancy: a.redundancy,
        pue: a.pue,
    })
}

fn transfer_request(a: &TransferArgs) -> Result<TransferRequest, Error> {
    let factor = match (&a.factor, a.kwh_per_gb) {
        (Some(_), Some(_)) => {
            return Err(Error::Request(
                "give --factor or --kwh-per-gb, not both".into(),
            ))
        }
        (f, None) => f.clone(),
        (None, Some(x)) => Some(format!("{x}")),
    };
    Ok(TransferRequest {
        volume_gb: size_arg("VOLUME", &a.volume)?,
        from: a.from.clone(),
        to: a.to.clone(),
        factor,
    })
}

fn size_arg(flag: &str, value: &str) -> Result<f64, Error> {
    parse_size_gb(value).map_err(|e| flagged(flag, e))
}

/// An energy argument, with the flag named in the error.
fn energy_arg(flag: &str, value: &str) -> Result<f64, Error> {
    parse_energy_kwh(value).map_err(|e| flagged(flag, e))
}

fn flagged(flag: &str, e: impacts::impacts_data::DataError) -> Error {
    match e {
        impacts::impacts_data::DataError::BadInput { input, expected } => {
            Error::Request(format!("invalid {flag} '{input}': expected {expected}"))
        }
        other => Error::Data(other),
    }
}

fn center_source(arg: &str) -> Result<CenterSource, Error> {
    let looks_like_path = arg.ends_with(".toml") || arg.contains('/') || arg.contains('\\');
    if looks_like_path || Path::new(arg).is_file() {
        let text = std::fs::read_to_string(arg)
            .map_err(|e| Error::Request(format!("cannot read center file '{arg}': {e}")))?;
        Ok(CenterSource::Text {
            label: arg.to_string(),
            text,
        })
    } else {
        Ok(CenterSource::Bundled(arg.to_string()))
    }
}

/// The job request, with the grid intensity over its window when a series is given, and the
/// warnings about the series that the report must carry.
fn job_request(engine: &Engine, a: &JobArgs) -> Result<(JobRequest, Vec<Warning>), Error> {
    let mut req = plain_job_request(a)?;
    let mut warnings = Vec::new();
    match (&a.grid_series, &a.start) {
        (Some(path), Some(start)) => {
            let t0 = match impacts::impacts_grid::parse_instant(start) {
                Some((local, Some(offset))) => local - offset,
                _ => {
                    return Err(Error::Request(format!(
                        "invalid --start '{start}': expected an ISO 8601 instant with its zone, such as 2023-03-01T20:00:00Z or 2023-03-01T21:00:00+01:00"
                    )))
                }
            };
            let column = match a.grid_column.as_str() {
                "lifecycle" | "life-cycle" | "lca" => impacts::impacts_grid::Column::LifeCycle,
                "direct" => impacts::impacts_grid::Column::Direct,
                other => {
                    return Err(Error::Request(format!(
                        "invalid --grid-column '{other}': expected lifecycle or direct"
                    )))
                }
            };
            let series = impacts::impacts_grid::Series::read(
                path,
                &impacts::impacts_grid::Options { column },
            )
            .map_err(|e| Error::Request(e.to_string()))?;
            let method = &a.common.method;
            let center = engine.center(&req.center, method, req.zone.as_deref())?;
            let (g, w) = engine.grid_factor(&series, &center, t0, a.hours)?;
            req.grid = g;
            warnings = w;
        }
        (Some(_), None) => {
            return Err(Error::Request(
                "--grid-series needs --start (when the job started, e.g. 2023-03-01T20:00:00Z)"
                    .into(),
            ))
        }
        (None, Some(_)) => {
            return Err(Error::Request(
                "--start is used with --grid-series FILE (an intensity series): give both".into(),
            ))
        }
        (None, None) => {}
    }
    Ok((req, warnings))
}

fn plain_job_request(a: &JobArgs) -> Result<JobRequest, Error> {
    Ok(JobRequest {
        center: center_source(&a.center)?,
        partition: a.partition.clone(),
        node_type: a.node_type.clone(),
        nodes: a.nodes,
        cores: a.cores,
        gpus: a.gpus,
        memory_gb: a
            .memory
            .as_deref()
            .map(|m| size_arg("--memory", m))
            .transpose()?,
        hours: a.hours,
        load: a.load,
        cpu_load: a.cpu_load,
        gpu_load: a.gpu_load,
        zone: a.zone.clone(),
        measured_energy_kwh: a
            .energy
            .as_deref()
            .map(|e| energy_arg("--energy", e))
            .transpose()?,
        grid: None,
        pue: a.pue,
    })
}

fn server_request(a: &ServerArgs) -> Result<ServerRequest, Error> {
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
        r.cpus.push((
            CpuQuery {
                name: a.cpu.clone(),
                family: a.cpu_family.clone(),
                cores: a.cpu_cores,
                tdp_w: a.cpu_tdp,
                die_area_mm2: a.cpu_die_area,
                ..CpuQuery::default()
            },
            a.cpus,
        ));
    }
    if let Some(g) = &a.gpu {
        r.gpus.push((
            GpuQuery {
                name: Some(g.clone()),
                ..GpuQuery::default()
            },
            a.gpus,
        ));
    }
    if let Some(s) = &a.ram {
        r.ram.push(RamQuery {
            size_gb: size_arg("--ram", s)?,
            manufacturer: a.ram_manufacturer.clone(),
            process_nm: a.ram_process,
            density: None,
        });
    }
    if let Some(s) = &a.ssd {
        r.ssds.push((
            SsdQuery {
                size_gb: size_arg("--ssd", s)?,
                manufacturer: a.ssd_manufacturer.clone(),
                layers: a.ssd_layers,
                density: None,
            },
            a.ssds,
        ));
    }
    Ok(r)
}

fn power_point(s: &str) -> Result<(f64, f64), Error> {
    let bad = || {
        Error::Request(format!(
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

fn component_request(k: &ComponentKind) -> Result<ComponentRequest, Error> {
    Ok(match k {
        ComponentKind::Cpu {
            name,
            tdp,
            die_area,
            cores,
            family,
            model_range,
            power_point: pts,
            ..
        } => ComponentRequest::Cpu(Box::new(CpuQuery {
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
        })),
        ComponentKind::Gpu {
            name,
            tdp,
            die_area,
            memory,
            family,
            ..
        } => ComponentRequest::Gpu(GpuQuery {
            name: name.clone(),
            family: family.clone(),
            tdp_w: *tdp,
            die_area_mm2: *die_area,
            memory_gb: memory
                .as_deref()
                .map(|m| size_arg("--memory", m))
                .transpose()?,
        }),
        ComponentKind::Ram {
            size,
            manufacturer,
            process,
            density,
            ..
        } => ComponentRequest::Ram(RamQuery {
            size_gb: size_arg("SIZE", size)?,
            manufacturer: manufacturer.clone(),
            process_nm: *process,
            density: *density,
        }),
        ComponentKind::Ssd {
            size,
            manufacturer,
            layers,
            ..
        } => ComponentRequest::Ssd(SsdQuery {
            size_gb: size_arg("SIZE", size)?,
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

fn output(report: &Report, format: Format, explain: bool) -> Result<String, Error> {
    Ok(match (format, explain) {
        (Format::Json, _) => {
            let mut s = serde_json::to_string_pretty(report)
                .map_err(|e| Error::Request(format!("cannot write JSON: {e}")))?;
            s.push('\n');
            s
        }
        (Format::Table, false) => render::table(report),
        (Format::Table, true) => render::explanation_text(report),
        (Format::Csv, false) => {
            render::csv(report).map_err(|e| Error::Request(format!("cannot write CSV: {e}")))?
        }
        (Format::Csv, true) => render::explanation_csv(report)
            .map_err(|e| Error::Request(format!("cannot write CSV: {e}")))?,
    })
}

fn csv_warnings(report: &Report) {
    let mut err = std::io::stderr().lock();
    for w in &report.warnings {
        let _ = writeln!(err, "warning[{}]: {}", w.code, w.message);
    }
}

/// The same job under each `--what-if` scenario, side by side with the baseline.
fn job_what_if(engine: &Engine, a: &JobArgs) -> Result<String, Error> {
    let opts = a.common.options(false)?;
    let run = |args: &JobArgs| -> Result<impacts::OrderedMap<impacts::impacts_model::report::Estimate>, Error> {
        let (req, _) = job_request(engine, args)?;
        Ok(engine.job(&req, &opts)?.impacts)
    };
    let mut rows = vec![("baseline".to_string(), run(a)?)];
    for w in &a.what_if {
        let sc = impacts_workflow::Scenario::parse(w).map_err(Error::Request)?;
        let mut b = a.clone();
        if let Some(z) = &sc.zone {
            b.zone = Some(z.clone());
        }
        if sc.pue.is_some() {
            b.pue = sc.pue;
        }
        if let Some(l) = sc.load {
            b.load = Some(l);
            b.cpu_load = None;
            b.gpu_load = None;
        }
        if let Some(t) = sc.start {
            if b.grid_series.is_none() {
                return Err(Error::Request(
                    "--what-if start needs --grid-series (the start changes the footprint only through the grid's hourly intensity)".into(),
                ));
            }
            b.start = Some(format!(
                "{}Z",
                impacts::impacts_model::calendar::format_seconds(t)
            ));
        }
        rows.push((sc.label.clone(), run(&b)?));
    }
    workflow_cmd::render_scenarios(
        &format!("job on {} / {}", a.center, a.partition),
        &impacts_workflow::compare(rows),
        a.common.format,
    )
}

fn estimate(engine: &Engine, what: &ExplainCmd, explain: bool) -> Result<String, Error> {
    let (report, common) = match what {
        ExplainCmd::Job(a) if !a.what_if.is_empty() && !explain => return job_what_if(engine, a),
        ExplainCmd::Workflow(a) => return workflow_cmd::run(engine, a, explain),
        ExplainCmd::Io(a) => return io_cmd::explain(engine, a),
        ExplainCmd::Job(a) => {
            let (req, warnings) = job_request(engine, a)?;
            let mut r = engine.job(&req, &a.common.options(explain)?)?;
            r.warnings.extend(warnings);
            (r, &a.common)
        }
        ExplainCmd::Server(a) => (
            engine.server(&server_request(a)?, &a.common.options(explain)?)?,
            &a.common,
        ),
        ExplainCmd::Component(a) => {
            let common = a.kind.common();
            (
                engine.component(&component_request(&a.kind)?, &common.options(explain)?)?,
                common,
            )
        }
        ExplainCmd::Storage(a) => (
            engine.storage(&storage_request(a)?, &a.common.options(explain)?)?,
            &a.common,
        ),
        ExplainCmd::Transfer(a) => (
            engine.transfer(&transfer_request(a)?, &a.common.options(explain)?)?,
            &a.common,
        ),
        ExplainCmd::Energy(a) => (
            engine.energy(
                &EnergyRequest {
                    energy_kwh: energy_arg("AMOUNT", &a.amount)?,
                    zone: a.zone.clone(),
                },
                &a.common.options(explain)?,
            )?,
            &a.common,
        ),
    };
    if common.format == Format::Csv {
        csv_warnings(&report);
    }
    output(&report, common.format, explain)
}

fn run(cli: Cli) -> Result<String, Error> {
    let engine = Engine::new()?;
    match cli.cmd {
        Cmd::Job(a) => estimate(&engine, &ExplainCmd::Job(a), false),
        Cmd::Server(a) => estimate(&engine, &ExplainCmd::Server(a), false),
        Cmd::Component(a) => estimate(&engine, &ExplainCmd::Component(a), false),
        Cmd::Energy(a) => estimate(&engine, &ExplainCmd::Energy(a), false),
        Cmd::Storage(a) => estimate(&engine, &ExplainCmd::Storage(a), false),
        Cmd::Transfer(a) => estimate(&engine, &ExplainCmd::Transfer(a), false),
        Cmd::Workflow(a) => estimate(&engine, &ExplainCmd::Workflow(a), false),
        Cmd::Explain { what } => estimate(&engine, &what, true),
        Cmd::Data { what } => data_cmd::run(&engine, &what),
        Cmd::Io(a) => io_cmd::run(&engine, &a),
        Cmd::Accounting(_) => unreachable!("handled in main"),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Cmd::Accounting(a) = &cli.cmd {
        let r = Engine::new()
            .map_err(accounting_cmd::Failure::from)
            .and_then(|engine| accounting_cmd::run(&engine, a));
        return match r {
            Ok(()) => ExitCode::SUCCESS,
            Err(f) => {
                eprintln!("error: {}", f.message);
                ExitCode::from(f.code)
            }
        };
    }
    match run(cli) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(out.as_bytes())
                .and_then(|_| stdout.flush())
                .is_err()
            {
                // A closed pipe (e.g. `| head`) is not an error of ours.
                return ExitCode::SUCCESS;
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            if e.is_bad_input() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
