//! The command line's arguments: every clap type of `impacts`, checked for what the user typed
//! and nothing more. The commands (`crate::commands`) turn them into library requests.

use clap::{Args, Parser, Subcommand, ValueEnum};
use impacts::impacts_model::hardware::CaseKind;

/// The command line of `impacts`.
#[derive(Parser)]
#[command(
    name = "impacts",
    version,
    about = "The environmental footprint of scientific computing: primary energy, climate change and mineral resources over the manufacturing and use of the equipment.",
    long_about = "The environmental footprint of scientific computing: primary energy (MJ), climate change (gCO2eq) and abiotic resource depletion (gSbeq) over the manufacturing and use of the equipment, allocated to the work that used it.\n\nEvery number has a source, a range and a derivation: add `explain` before any estimate to see it.\n\nExamples:\n  impacts job --center jean-zay --partition gpu_p6 --nodes 4 --hours 12 --load 80\n  impacts server --cpu \"Intel Xeon Gold 6248\" --cpus 2 --ram 192GB\n  impacts component cpu \"AMD EPYC 7543\"\n  impacts energy 1000kWh --zone FR\n  impacts explain job --center jean-zay --partition gpu_p5 --nodes 2 --hours 5\n  impacts data search \"H100\"\n  impacts io job.darshan --center jean-zay --partition cpu_p1 --nodes 4"
)]
pub struct Cli {
    #[command(subcommand)]
    pub cmd: Cmd,
}

/// The commands.
#[derive(Subcommand)]
pub enum Cmd {
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
    Workflow(Box<WorkflowArgs>),
    /// The derivation tree of an estimate: every formula, value, unit, status and source.
    Explain {
        #[command(subcommand)]
        what: ExplainCmd,
    },
    /// The footprint of every job in scheduler records (sacct text or JSON, SWF), with a summary.
    #[command(visible_alias = "sacct")]
    Accounting(Box<AccountingArgs>),
    /// Accounts scheduler records into the service's database (the readers and options of
    /// `impacts accounting`); ingesting the same records twice changes nothing.
    Ingest(Box<IngestArgs>),
    /// The center service: jobs and summaries per user over HTTP, OpenMetrics (docs/service.md).
    Serve(Box<ServeArgs>),
    /// Bearer tokens of the service: create (shown once), list, revoke.
    Token {
        #[command(subcommand)]
        what: TokenCmd,
    },
    /// The I/O of jobs from their Darshan logs: volumes, operations, time, files, when and how
    /// periodically they read and write, the footprint of that I/O; or a summary over many logs.
    Io(Box<IoArgs>),
    /// The data bundle: identity, search, rows and their sources.
    Data {
        #[command(subcommand)]
        what: DataCmd,
    },
    /// Benchmarks with their footprint: ReFrame's perflogs and run reports, joined to the
    /// scheduler's records of their jobs, checked for regressions (docs/bench.md).
    Bench {
        #[command(subcommand)]
        what: BenchCmd,
    },
    /// Carbon intensity of electricity from the grid's services (docs/grid.md).
    Grid {
        #[command(subcommand)]
        what: GridCmd,
    },
}

/// What `impacts grid` does.
#[derive(Subcommand, Clone)]
pub enum GridCmd {
    /// Fetches an hourly (or finer) intensity series from Electricity Maps (token in
    /// ELECTRICITYMAPS_TOKEN), ENTSO-E (generation per production type, token in ENTSOE_TOKEN)
    /// or RTE's éCO2mix (France, no token), written as the CSV --grid-series reads.
    Fetch(GridFetchArgs),
}

/// Arguments of `impacts grid fetch`.
#[derive(Args, Clone)]
pub struct GridFetchArgs {
    /// The service.
    #[arg(long, value_enum)]
    pub source: GridSource,
    /// The zone: Electricity Maps' zone (FR, DE, IT-NO…), an ENTSO-E area (FR, DE, ES, FI, IT-NORD,
    /// or an EIC code such as 10YFR-RTE------C), FR for RTE.
    #[arg(long)]
    pub zone: String,
    /// The first instant (ISO 8601 with its zone, or a date: UTC midnight).
    #[arg(long, value_name = "INSTANT")]
    pub from: String,
    /// The instant after the last (ISO 8601 with its zone, or a date: UTC midnight).
    #[arg(long, value_name = "INSTANT")]
    pub to: String,
    /// The file to write (standard output without it).
    #[arg(long, value_name = "FILE")]
    pub out: Option<String>,
}

/// The services of `impacts grid fetch`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GridSource {
    Electricitymaps,
    Entsoe,
    Rte,
}

/// What `impacts bench` does.
#[derive(Subcommand, Clone)]
pub enum BenchCmd {
    /// The runs of ReFrame's perflogs and run reports, each with its job's footprint when the
    /// scheduler's records are given; or a view of them (--view).
    Report(BenchReportArgs),
    /// Flags values outside ReFrame's reference band or their own history's (median ± k scaled
    /// MADs of the last runs of the same test, machine and parameters); exit 1 when any is.
    Check(BenchCheckArgs),
    /// Stores the runs of perflogs and run reports in the service's database (the same runs
    /// again change nothing); their footprint is their jobs', stored by `impacts ingest`.
    Ingest(BenchIngestArgs),
}

/// Arguments of `impacts bench ingest`.
#[derive(Args, Clone)]
pub struct BenchIngestArgs {
    /// Perflogs (ReFrame 3 or 4), JSON run reports, or folders of them (read recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<std::path::PathBuf>,
    /// The database: sqlite:PATH, a path, or postgres://…
    #[arg(long, default_value = "impacts.db", value_name = "URL")]
    pub db: String,
    /// The tag prefix that names a run's application (`app:` and the tag `app:gromacs` make
    /// `gromacs`); without it, the application is the test's name without its scale.
    #[arg(long, value_name = "PREFIX")]
    pub application_tag: Option<String>,
}

/// Arguments of `impacts bench report`.
#[derive(Args, Clone)]
pub struct BenchArgs {
    /// Perflogs (ReFrame 3 or 4), JSON run reports, or folders of them (read recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<std::path::PathBuf>,
    /// The scheduler's records of the runs' jobs (what `impacts accounting` reads), for their
    /// energy and footprint; repeatable.
    #[arg(long, value_name = "FILE")]
    pub accounting: Vec<String>,
    /// The center the jobs ran on (with --accounting): a bundled center or a center file.
    #[arg(long)]
    pub center: Option<String>,
    /// Field names of headerless sacct text (as `impacts accounting --fields`).
    #[arg(long, value_name = "LIST")]
    pub fields: Option<String>,
    /// Partition for jobs of partitions the center file does not know.
    #[arg(long, value_name = "PARTITION")]
    pub default_partition: Option<String>,
    /// Load of the jobs (as `impacts accounting --load`).
    #[arg(long)]
    pub load: Option<String>,
    /// IANA time zone of the scheduler's clock.
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// Monte Carlo samples per job, for each run's bounds (0: none).
    #[arg(long, default_value_t = 200)]
    pub job_samples: usize,
    /// Estimate the runs without a scheduler record from their nodes and run time (a run
    /// report's `time_run`) on their partition of --center (or --default-partition).
    #[arg(long)]
    pub estimate_missing: bool,
    /// The tag prefix that names a run's application (`app:` and the tag `app:gromacs` make
    /// `gromacs`); without it, the application is the test's name without its scale.
    #[arg(long, value_name = "PREFIX")]
    pub application_tag: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

/// Arguments of `impacts bench report`.
#[derive(Args, Clone)]
pub struct BenchReportArgs {
    #[command(flatten)]
    pub bench: BenchArgs,
    /// What to show: every run; the latest run of each use case; scaling series (speed-up,
    /// efficiency and footprint by node count); or the tree of machines → applications → use
    /// cases, or of applications → use cases → machines.
    #[arg(long, value_enum, default_value = "runs")]
    pub view: BenchView,
    /// The variable of the scaling series (each run's first by default).
    #[arg(long, value_name = "NAME")]
    pub variable: Option<String>,
    /// Whether more of the variable is better (by default from its unit: a time is lower-better,
    /// a rate higher-better).
    #[arg(long, value_enum)]
    pub better: Option<BetterArg>,
}

/// Which way a benchmark's variable is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BetterArg {
    Higher,
    Lower,
}

/// The views of `impacts bench report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BenchView {
    Runs,
    Latest,
    Scaling,
    Machines,
    Applications,
}

/// Arguments of `impacts bench check`.
#[derive(Args, Clone)]
pub struct BenchCheckArgs {
    #[command(flatten)]
    pub bench: BenchArgs,
    /// Earlier runs the history's band is drawn from (the last ones).
    #[arg(long, default_value_t = 10)]
    pub history: usize,
    /// Fewest earlier runs for a history band.
    #[arg(long, default_value_t = 5)]
    pub min_history: usize,
    /// Half-width of the history's band, in scaled MADs (1.4826 × MAD).
    #[arg(long, default_value_t = 3.5)]
    pub k: f64,
    /// Check every run against the runs before it, not only the latest of each use case.
    #[arg(long)]
    pub every_run: bool,
}

/// What `impacts explain` explains: any estimate.
#[derive(Subcommand)]
pub enum ExplainCmd {
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
    Workflow(Box<WorkflowArgs>),
    /// Explain the footprint of one Darshan log's I/O (with --center).
    Io(Box<IoArgs>),
}

/// Output format of an estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// The options of every estimate: format, sampling, method.
#[derive(Args, Clone)]
pub struct Common {
    /// Output format: table (human, units scaled), json (base units) or csv.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Monte Carlo samples for the bounds (0: no bounds; at most 100000).
    #[arg(long, default_value_t = 1000)]
    pub samples: usize,
    /// Seed of the Monte Carlo generator (the same seed gives the same output, bit for bit).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Set of assumptions: default, or impacts-hpc (those of Impacts-HPC 0.0.8, defects fixed).
    #[arg(long, default_value = "default")]
    pub method: String,
    /// Percentiles of the bounds, as LOW,HIGH.
    #[arg(long, default_value = "2.5,97.5")]
    pub percentiles: String,
}

/// Arguments of `impacts job`.
#[derive(Args, Clone)]
pub struct JobArgs {
    /// A bundled center (jean-zay) or the path of a center file (.toml).
    #[arg(long)]
    pub center: String,
    /// Partition (Slurm partition name).
    #[arg(long)]
    pub partition: String,
    /// Whole nodes.
    #[arg(long, allow_negative_numbers = true)]
    pub nodes: Option<f64>,
    /// Cores (part of a node, or spread over --nodes).
    #[arg(long, allow_negative_numbers = true)]
    pub cores: Option<f64>,
    /// GPUs.
    #[arg(long, allow_negative_numbers = true)]
    pub gpus: Option<f64>,
    /// Memory, e.g. 64GB.
    #[arg(long)]
    pub memory: Option<String>,
    /// Duration in hours.
    #[arg(long, allow_negative_numbers = true)]
    pub hours: f64,
    /// Load of CPUs and GPUs in percent (unknown: drawn from the method's distributions, with a
    /// warning; 100 % with --method impacts-hpc).
    #[arg(long, allow_negative_numbers = true)]
    pub load: Option<f64>,
    /// CPU load in percent (overrides --load).
    #[arg(long, allow_negative_numbers = true)]
    pub cpu_load: Option<f64>,
    /// GPU load in percent (overrides --load).
    #[arg(long, allow_negative_numbers = true)]
    pub gpu_load: Option<f64>,
    /// Electricity zone: ISO 3166 alpha-2 or alpha-3 code, a country name, Europe or World (default: the center's).
    #[arg(long)]
    pub zone: Option<String>,
    /// Node type, for partitions with several.
    #[arg(long)]
    pub node_type: Option<String>,
    /// Measured energy of the job's nodes (e.g. 12.5kWh, 45MJ), replacing the modelled electricity.
    #[arg(long)]
    pub energy: Option<String>,
    /// When the job started (UTC, ISO 8601 with Z or an offset: 2023-03-01T20:00:00Z), for --grid-series.
    #[arg(long)]
    pub start: Option<String>,
    /// An hourly (or finer) carbon-intensity series: Electricity Maps CSV export, RTE eco2mix
    /// export, or timestamp,gco2eq_per_kwh. The job's own electricity takes its mean over the job.
    #[arg(long, value_name = "FILE")]
    pub grid_series: Option<String>,
    /// Which intensity of an Electricity Maps export: lifecycle (default, comparable to the annual
    /// factors) or direct.
    #[arg(long, value_name = "COLUMN", default_value = "lifecycle")]
    pub grid_column: String,
    /// PUE, instead of the center's.
    #[arg(long, allow_negative_numbers = true)]
    pub pue: Option<f64>,
    /// Compare with a scenario (repeatable): zone=DE, pue=1.1, start=2023-03-02T03:00:00Z (with
    /// --grid-series), load=50, or several joined by commas.
    #[arg(long = "what-if", value_name = "KEY=VALUE")]
    pub what_if: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

/// Arguments of `impacts server`.
#[derive(Args, Clone)]
pub struct ServerArgs {
    /// CPU model.
    #[arg(long)]
    pub cpu: Option<String>,
    /// Number of CPUs.
    #[arg(long, default_value_t = 1)]
    pub cpus: u32,
    /// CPU TDP in watts (overrides the bundle).
    #[arg(long)]
    pub cpu_tdp: Option<f64>,
    /// CPU die area in mm² (overrides the bundle).
    #[arg(long)]
    pub cpu_die_area: Option<f64>,
    /// CPU cores (helps estimate an unknown die area).
    #[arg(long)]
    pub cpu_cores: Option<u32>,
    /// CPU family / code name (Cascade Lake, Milan, ...).
    #[arg(long)]
    pub cpu_family: Option<String>,
    /// GPU model.
    #[arg(long)]
    pub gpu: Option<String>,
    /// Number of GPUs.
    #[arg(long, default_value_t = 1)]
    pub gpus: u32,
    /// Main memory, e.g. 192GB.
    #[arg(long)]
    pub ram: Option<String>,
    /// Memory manufacturer (Samsung, SK hynix, Micron).
    #[arg(long)]
    pub ram_manufacturer: Option<String>,
    /// Memory process in nm.
    #[arg(long)]
    pub ram_process: Option<f64>,
    /// Memory generation: DDR3, DDR4, DDR5, LPDDR5X… (else the CPU's, else unknown).
    #[arg(long)]
    pub ram_generation: Option<String>,
    /// Number of memory modules (else the capacity over the generation's typical module).
    #[arg(long)]
    pub ram_modules: Option<u32>,
    /// SSD capacity, e.g. 3.84TB.
    #[arg(long)]
    pub ssd: Option<String>,
    /// Number of SSDs.
    #[arg(long, default_value_t = 1)]
    pub ssds: u32,
    /// SSD manufacturer.
    #[arg(long)]
    pub ssd_manufacturer: Option<String>,
    /// SSD 3D NAND layers.
    #[arg(long)]
    pub ssd_layers: Option<u32>,
    /// Number of hard disk drives.
    #[arg(long, default_value_t = 0)]
    pub hdds: u32,
    /// Number of motherboards.
    #[arg(long, default_value_t = 1)]
    pub motherboards: u32,
    /// Number of power supplies (0 by default, as Impacts-HPC; BoaviztAPI counts 2).
    #[arg(long, default_value_t = 0)]
    pub psus: u32,
    /// Mass of each power supply in kg (default 2.99).
    #[arg(long)]
    pub psu_mass: Option<f64>,
    /// Enclosure.
    #[arg(long, value_enum, default_value = "rack")]
    pub case: CaseArg,
    /// Load for the power figure, in percent.
    #[arg(long, allow_negative_numbers = true)]
    pub load: Option<f64>,
    #[command(flatten)]
    pub common: Common,
}

/// A server enclosure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CaseArg {
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

/// Arguments of `impacts component`.
#[derive(Args, Clone)]
pub struct ComponentArgs {
    #[command(subcommand)]
    pub kind: ComponentKind,
}

/// The component to estimate.
#[derive(Subcommand, Clone)]
pub enum ComponentKind {
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
        /// Number of dies the die area is made of (chiplets; else the data's, else 1).
        #[arg(long)]
        dies: Option<u32>,
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
        /// Generation: DDR3, DDR4, DDR5, LPDDR5X… (else unknown: the widest density range).
        #[arg(long)]
        generation: Option<String>,
        /// Number of modules (else the capacity over the generation's typical module).
        #[arg(long)]
        modules: Option<u32>,
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
    /// The common options of the component's command.
    pub fn common(&self) -> &Common {
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

/// Arguments of `impacts energy`.
#[derive(Args, Clone)]
pub struct EnergyArgs {
    /// Amount of electricity, e.g. 1000kWh, 3.6GJ.
    #[arg(allow_hyphen_values = true)]
    pub amount: String,
    /// Zone: ISO 3166 alpha-2 or alpha-3 code, country name, Europe or World.
    #[arg(long)]
    pub zone: String,
    #[command(flatten)]
    pub common: Common,
}

/// Arguments of `impacts storage`.
#[derive(Args, Clone)]
pub struct StorageArgs {
    /// Usable volume, e.g. 20TB.
    pub volume: String,
    /// How long it is kept (years).
    #[arg(long, allow_negative_numbers = true)]
    pub years: f64,
    /// A bundled center (jean-zay) or the path of a center file with [storage.NAME] tiers.
    #[arg(long)]
    pub center: Option<String>,
    /// The center's storage tier.
    #[arg(long)]
    pub tier: Option<String>,
    /// The medium when no tier is described: hdd, ssd or tape.
    #[arg(long)]
    pub media: Option<String>,
    /// Electricity zone (default: the center's).
    #[arg(long)]
    pub zone: Option<String>,
    /// Raw TB per usable TB (1.25 for 8+2 parity, 3 for three copies).
    #[arg(long, allow_negative_numbers = true)]
    pub redundancy: Option<f64>,
    /// PUE, instead of the center's.
    #[arg(long, allow_negative_numbers = true)]
    pub pue: Option<f64>,
    #[command(flatten)]
    pub common: Common,
}

/// Arguments of `impacts transfer`.
#[derive(Args, Clone)]
pub struct TransferArgs {
    /// Volume, e.g. 20TB.
    pub volume: String,
    /// Zone of the sending end (ISO code or name).
    #[arg(long)]
    pub from: String,
    /// Zone of the receiving end.
    #[arg(long)]
    pub to: String,
    /// Energy intensity of the network: aslan-2018 (default, extrapolated to today) or
    /// aslan-2018-2015 (the 2015 figure, conservative).
    #[arg(long)]
    pub factor: Option<String>,
    /// Energy intensity of the network in kWh/GB, instead of --factor.
    #[arg(long, allow_negative_numbers = true)]
    pub kwh_per_gb: Option<f64>,
    #[command(flatten)]
    pub common: Common,
}

/// Arguments of `impacts accounting`.
#[derive(Args, Clone)]
pub struct AccountingArgs {
    /// Inputs: sacct -P/-p text, sacct --json, or SWF; plain, gzip or zip; - for standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// A bundled center (jean-zay) or the path of a center file (.toml).
    #[arg(long)]
    pub center: String,
    /// Input format, instead of detecting it: sacct (text), sacct-json, swf, parquet or arrow.
    #[arg(long, value_name = "FORMAT")]
    pub input_format: Option<String>,
    /// Field names of headerless sacct text, in order (sacct's --format names, case-insensitive).
    #[arg(long, value_name = "LIST")]
    pub fields: Option<String>,
    /// Delimiter of sacct text (default: from the header, or | or ☃ guessed).
    #[arg(long)]
    pub delimiter: Option<String>,
    /// Partition for records whose partition the center does not list (e.g. SWF's numeric queues).
    #[arg(long, value_name = "PARTITION")]
    pub default_partition: Option<String>,
    /// Per-job output: PATH.csv, PATH.jsonl, PATH.parquet or PATH.arrows (an Arrow IPC stream),
    /// or - for JSON Lines on standard output.
    #[arg(long, value_name = "PATH")]
    pub jobs: Option<String>,
    /// Monte Carlo samples per job for the per-job bounds (0: each job's bounds from its
    /// bucket's spread, no sampling per job, the fastest; at most 10000).
    #[arg(long, default_value_t = 0)]
    pub job_samples: usize,
    /// Write the summary to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub summary: Option<String>,
    /// Summary dimensions, comma-separated: user, account, partition, state, day, month.
    #[arg(long, default_value = "user,account,partition,state,month")]
    pub group_by: String,
    /// Rows per summary dimension.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// CPU and GPU load in percent for every job, or from-cputime (TotalCPU / (elapsed × CPUs)).
    /// Default: from the CPU time where the record has it, else 100 % (warned).
    #[arg(long)]
    pub load: Option<String>,
    /// Electricity zone, instead of the center's.
    #[arg(long)]
    pub zone: Option<String>,
    /// IANA time zone of the records' local times (sacct prints the cluster's local time),
    /// instead of the center file's `time_zone`, e.g. Europe/Paris.
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// An hourly (or finer) carbon-intensity series of the center's zone (Electricity Maps CSV
    /// export, RTE eco2mix export, or timestamp,gco2eq_per_kwh): each job's use phase takes its
    /// mean over the job's own window instead of the zone's annual factor.
    #[arg(long, value_name = "FILE")]
    pub grid_series: Option<String>,
    /// Which intensity of an Electricity Maps export: lifecycle (default) or direct.
    #[arg(long, value_name = "COLUMN", default_value = "lifecycle")]
    pub grid_column: String,
    /// Count malformed records and go on (the summary says how many) instead of stopping.
    #[arg(long)]
    pub skip_bad_lines: bool,
    /// Find duplicate jobs (same cluster, id and submit time) among this many of the last jobs read
    /// (0: do not look for duplicates).
    #[arg(long, default_value_t = impacts_accounting::accountant::DEDUP_WINDOW, value_name = "JOBS")]
    pub dedup_window: usize,
    /// No progress bar (it is shown only on a terminal anyway).
    #[arg(long)]
    pub quiet: bool,
    #[command(flatten)]
    pub common: Common,
}

/// Arguments of `impacts ingest`.
#[derive(Args, Clone)]
pub struct IngestArgs {
    /// The database: sqlite:PATH (created if absent) or a path.
    #[arg(long, default_value = "impacts.db", value_name = "URL")]
    pub db: String,
    /// Jobs per transaction: a batch is stored whole or not at all.
    #[arg(long, default_value_t = 10_000, value_name = "JOBS")]
    pub batch: usize,
    #[command(flatten)]
    pub accounting: AccountingArgs,
}

/// Arguments of `impacts serve`.
#[derive(Args, Clone)]
pub struct ServeArgs {
    /// A TOML file of settings, its keys the flags' names with underscores (`db = "…"`,
    /// `trusted_proxy = ["10.0.0.5"]`); a flag given beside it overrides it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<String>,
    /// The database: sqlite:PATH (created if absent) or a path.
    #[arg(long, default_value = "impacts.db", value_name = "URL")]
    pub db: String,
    /// A bundled center (jean-zay) or the path of a center file (.toml): the one the database
    /// was filled with.
    #[arg(long, required_unless_present = "config")]
    pub center: Option<String>,
    /// Electricity zone, instead of the center's (as given to impacts ingest).
    #[arg(long)]
    pub zone: Option<String>,
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: String,
    /// The header in which the site's authenticating reverse proxy names the user (e.g.
    /// X-Remote-User); believed only from --trusted-proxy addresses.
    #[arg(long, value_name = "HEADER")]
    pub trusted_user_header: Option<String>,
    /// An address whose user header is believed (repeatable; default: 127.0.0.1 and ::1).
    #[arg(long, value_name = "IP")]
    pub trusted_proxy: Vec<String>,
    /// A file holding a secret the proxy must send in X-Impacts-Proxy-Secret for its user header
    /// (and a scraper for /metrics) to be believed: needed where users can connect from a trusted
    /// address (a shared host).
    #[arg(long, value_name = "FILE")]
    pub trusted_proxy_secret_file: Option<String>,
    /// A user who sees every job (repeatable).
    #[arg(long, value_name = "USER")]
    pub admin: Vec<String>,
    /// A TOML file naming the accounts each manager sees: `[managers]` then
    /// `alice = ["proj1", "proj2"]`.
    #[arg(long, value_name = "FILE")]
    pub managers: Option<String>,
    /// Managers also from Slurm: each account's coordinators (`sacctmgr show user withcoord`)
    /// see its jobs; read at start and every --coordinators-interval.
    #[arg(long)]
    pub slurm_coordinators: bool,
    /// How often Slurm's coordinators are read again (e.g. 5m).
    #[arg(long, default_value = "5m", value_name = "DURATION")]
    pub coordinators_interval: String,
    /// The sacctmgr command (it must reach the cluster's slurmdbd: SLURM_CONF is passed through).
    #[arg(long, default_value = "sacctmgr", value_name = "PATH")]
    pub sacctmgr_command: String,
    /// Answer estimates (POST /api/v1/estimate/…) without an identity.
    #[arg(long)]
    pub open_estimates: bool,
    /// Run sacct this often and store what it reports (e.g. 60s, 5m): continuous ingestion from
    /// a persisted watermark.
    #[arg(long, value_name = "DURATION")]
    pub sacct_interval: Option<String>,
    /// Pull the grid's intensity on a schedule and store it (SOURCE:ZONE, e.g.
    /// electricitymaps:FR, entsoe:DE, rte:FR; tokens from the environment as for impacts grid
    /// fetch): the sacct runs then account their jobs hour by hour (docs/grid.md).
    #[arg(long, value_name = "SOURCE:ZONE")]
    pub grid_pull: Option<String>,
    /// How often the grid is pulled.
    #[arg(long, default_value = "1h", value_name = "DURATION")]
    pub grid_interval: String,
    /// How many hours back each pull asks for (services revise their latest estimates).
    #[arg(long, default_value_t = 48, value_name = "HOURS")]
    pub grid_hours: u32,
    /// The sacct command (it must reach the cluster's slurmdbd: SLURM_CONF is passed through).
    #[arg(long, default_value = "sacct", value_name = "PATH")]
    pub sacct_command: String,
    /// How far before the watermark each run of sacct starts (late records, restarts).
    #[arg(long, default_value = "1h", value_name = "DURATION")]
    pub sacct_overlap: String,
    /// Where continuous ingestion starts when the database has no watermark yet (how long ago).
    #[arg(long, default_value = "1d", value_name = "DURATION")]
    pub sacct_since: String,
    /// For ingestion: partition for records whose partition the center does not list.
    #[arg(long, value_name = "PARTITION")]
    pub default_partition: Option<String>,
    /// For ingestion: CPU and GPU load in percent for every job, or from-cputime.
    #[arg(long)]
    pub load: Option<String>,
    /// Monte Carlo samples for the bounds of summaries (0: no bounds; at most 100000).
    #[arg(long, default_value_t = 1000)]
    pub samples: usize,
    /// Seed of the Monte Carlo generator.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Set of assumptions (as given to impacts ingest).
    #[arg(long, default_value = "default")]
    pub method: String,
    /// Percentiles of the bounds, as LOW,HIGH.
    #[arg(long, default_value = "2.5,97.5")]
    pub percentiles: String,
}

/// What `impacts token` does.
#[derive(Subcommand, Clone)]
pub enum TokenCmd {
    /// Creates a token for a user; prints it once (only its SHA-256 is kept).
    Create {
        /// The database: sqlite:PATH or a path.
        #[arg(long, default_value = "impacts.db", value_name = "URL")]
        db: String,
        /// Whose token.
        #[arg(long)]
        user: String,
        /// user (their jobs and their accounts') or admin (everything).
        #[arg(long, default_value = "user")]
        role: String,
        /// Days until it stops working (default: never).
        #[arg(long, value_name = "DAYS")]
        expires_in_days: Option<u32>,
        /// What it is for.
        #[arg(long)]
        note: Option<String>,
    },
    /// Lists the tokens (number, user, role, dates; never the tokens).
    List {
        /// The database: sqlite:PATH or a path.
        #[arg(long, default_value = "impacts.db", value_name = "URL")]
        db: String,
    },
    /// Revokes a token by its number.
    Revoke {
        /// The database: sqlite:PATH or a path.
        #[arg(long, default_value = "impacts.db", value_name = "URL")]
        db: String,
        /// Its number (impacts token list).
        id: i64,
    },
}

/// Arguments of `impacts io`.
#[derive(Args, Clone)]
pub struct IoArgs {
    /// Darshan logs (`.darshan`, any format from 3.00 to 3.41).
    #[arg(required_unless_present = "summary")]
    pub logs: Vec<String>,
    /// Summarize every `*.darshan` under DIR (recursively) instead: periodic jobs, end-only
    /// writers, shared files, volumes.
    #[arg(long, value_name = "DIR", conflicts_with = "logs")]
    pub summary: Option<String>,
    /// Threads reading logs for --summary (default: the machine's cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// With --summary, also write one CSV row per log (its characterization) to FILE.
    #[arg(long, value_name = "FILE", requires = "summary")]
    pub jobs: Option<String>,
    /// A bundled center (jean-zay) or a center file: adds the footprint of the I/O (storage
    /// tiers by mount point, see docs/io.md).
    #[arg(long)]
    pub center: Option<String>,
    /// The job's partition, for the footprint of its nodes waiting on I/O (with --summary: the
    /// partition of the jobs not in --accounting, costed one core per process).
    #[arg(long, requires = "center")]
    pub partition: Option<String>,
    /// Whole nodes of the job.
    #[arg(long, allow_negative_numbers = true, requires = "partition")]
    pub nodes: Option<f64>,
    /// Cores of the job.
    #[arg(long, allow_negative_numbers = true, requires = "partition")]
    pub cores: Option<f64>,
    /// GPUs of the job.
    #[arg(long, allow_negative_numbers = true, requires = "partition")]
    pub gpus: Option<f64>,
    /// Node type, for partitions with several.
    #[arg(long, requires = "partition")]
    pub node_type: Option<String>,
    /// Load of CPUs and GPUs while waiting on I/O, in percent (default 100, with a warning).
    #[arg(long, allow_negative_numbers = true, requires = "partition")]
    pub load: Option<f64>,
    /// Electricity zone, instead of the center's.
    #[arg(long, requires = "center")]
    pub zone: Option<String>,
    /// Scheduler records (sacct text or JSON, SWF) holding the jobs of the logs: each job's
    /// partition and allocation, found by the job id Darshan recorded, cost its nodes waiting
    /// on I/O.
    #[arg(long, value_name = "FILE", requires = "center")]
    pub accounting: Option<String>,
    /// The columns of a sacct text file without a header (as given to sacct --format).
    #[arg(long, value_name = "LIST", requires = "accounting")]
    pub fields: Option<String>,
    /// An hourly (or finer) carbon-intensity series (Electricity Maps, RTE eco2mix, or
    /// timestamp,gco2eq_per_kwh): the nodes waiting on I/O take its mean over the job's run, from
    /// the start time Darshan recorded (one log at a time, not with --summary).
    #[arg(
        long,
        value_name = "FILE",
        requires = "center",
        conflicts_with = "summary"
    )]
    pub grid_series: Option<String>,
    /// Which intensity of an Electricity Maps export: lifecycle (default) or direct.
    #[arg(long, value_name = "COLUMN", default_value = "lifecycle")]
    pub grid_column: String,
    #[command(flatten)]
    pub common: Common,
}

/// Arguments of `impacts workflow`.
#[derive(Args, Clone)]
pub struct WorkflowArgs {
    /// The workflow file (TOML: [stages.NAME] with job, transfer or storage, and after).
    pub file: String,
    /// One stage only (its full report).
    #[arg(long)]
    pub stage: Option<String>,
    /// Compare with a scenario (repeatable): zone=DE, pue=1.1, start=2023-03-02T03:00:00Z,
    /// load=50, or several joined by commas.
    #[arg(long = "what-if", value_name = "KEY=VALUE")]
    pub what_if: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

/// What `impacts data` shows.
#[derive(Subcommand)]
pub enum DataCmd {
    /// Identity of the bundle: version, content hash, tables and their sizes.
    Info {
        /// Output format (csv lists the files).
        #[arg(long, value_enum, default_value = "table")]
        format: DataFormat,
    },
    /// Search CPU and GPU models, zones and centers by name (fuzzy).
    Search {
        /// What to look for.
        query: String,
        /// Restrict to one table.
        #[arg(long, value_enum, default_value = "all")]
        kind: Kind,
        /// Number of results per table.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: DataFormat,
    },
    /// The bundled centers: id, name, operator, zone, time zone, PUE, partitions and sources
    /// (each usable as `--center ID`).
    Centers {
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: DataFormat,
    },
    /// One row of the bundle with its provenance.
    Show {
        /// cpu, gpu, zone, center, source or constant.
        #[arg(value_enum)]
        kind: ShowKind,
        /// Exact name (or key).
        name: String,
        /// Output format (a row is printed as JSON in every format but csv, which flattens it).
        #[arg(long, value_enum, default_value = "table")]
        format: DataFormat,
    },
}

/// Output format of `impacts data`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    Table,
    Json,
    Csv,
}

/// The tables `impacts data search` looks in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    All,
    Cpu,
    Gpu,
    Zone,
    Center,
}

/// What `impacts data show` shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShowKind {
    Cpu,
    Gpu,
    Zone,
    Center,
    Source,
    Constant,
}
