//! Requests: plain descriptions of what to estimate (a job, a server, a component, an amount of
//! electricity), as Rust values or JSON.

use impacts_data::resolve::{CpuQuery, GpuQuery, RamQuery, SsdQuery};
use impacts_model::hardware::CaseKind;
use impacts_model::report::Warning;
use serde::{Deserialize, Serialize};

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
#[serde(default)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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
    /// Motherboards (one by default, as the reference and the command line count).
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

impl Default for ServerRequest {
    /// Nothing but one motherboard in a rack case: a request names the rest, and a server
    /// asked over JSON or from Python without `motherboards` has the one the command line's
    /// `--motherboards` defaults to.
    fn default() -> ServerRequest {
        ServerRequest {
            name: None,
            cpus: Vec::new(),
            gpus: Vec::new(),
            ram: Vec::new(),
            ssds: Vec::new(),
            hdds: 0,
            motherboards: 1,
            psus: 0,
            psu_mass_kg: None,
            case: None,
            load: None,
        }
    }
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
