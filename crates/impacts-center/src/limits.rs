//! The bounds of what a center file may say, each written once (docs/center-file.md#bounds).
//!
//! A bound refuses what no machine has, not what is unusual: each maximum is several times the
//! largest real value known, and the worst center within all of them (10 million nodes of 128
//! CPUs and 128 GPUs of 50 kW each, 64 TB of RAM, 128 SSDs of 1 PB) still gives finite numbers
//! for every job and for the park. Without them a center file could say `ram_gb = 1e308`, and
//! every job on it would fail on an overflow that names the job's inputs, not the file's.

/// A closed range a number of the file must lie in.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bounds {
    /// Smallest value allowed.
    pub min: f64,
    /// Largest value allowed.
    pub max: f64,
}

/// PUE of the center or of a partition: 1 is the ideal facility; old server rooms reach 2 to 3.
pub(crate) const PUE: Bounds = Bounds { min: 1.0, max: 5.0 };

/// The manufacturing of the interconnect, storage and service nodes as a share of the compute
/// nodes': ARCHER2's published inventory gives 8.5 to 14 %; three times the nodes is beyond any.
pub(crate) const INFRASTRUCTURE_SHARE: Bounds = Bounds { min: 0.0, max: 3.0 };

/// Water usage effectiveness (L per kWh of IT energy): evaporating all the heat takes about 1.5
/// L/kWh; the worst fleet averages published are 1.8 (docs/research/water.md 2).
pub(crate) const WUE: Bounds = Bounds {
    min: 0.0,
    max: 10.0,
};

/// Lifetime of nodes or of a storage system (years), and the largest age of nodes: a machine
/// used for more than 50 years is not a computer of this century.
pub(crate) const LIFETIME_YEARS: Bounds = Bounds {
    min: 0.1,
    max: 50.0,
};

/// Share of their lifetime the nodes run jobs.
pub(crate) const USAGE_RATE: Bounds = Bounds {
    min: 0.01,
    max: 1.0,
};

/// Minutes of IT power the UPS batteries hold: 10 hours is far beyond any UPS.
pub(crate) const BATTERY_AUTONOMY_MINUTES: Bounds = Bounds {
    min: 0.1,
    max: 600.0,
};

/// Installed cooling capacity (kW): 10 GW, beyond any data-center campus.
pub(crate) const COOLING_CAPACITY_KW: Bounds = Bounds {
    min: 0.001,
    max: 1e7,
};

/// Capacity of one drive or cartridge of a storage tier (TB).
pub(crate) const STORAGE_DRIVE_CAPACITY_TB: Bounds = Bounds {
    min: 0.001,
    max: 1000.0,
};

/// Raw TB per usable TB of a storage tier: ten copies is beyond any replication scheme.
pub(crate) const STORAGE_REDUNDANCY: Bounds = Bounds {
    min: 1.0,
    max: 10.0,
};

/// Power of a storage system per raw TB (W/TB).
pub(crate) const STORAGE_POWER_W_PER_TB: Bounds = Bounds {
    min: 0.0,
    max: 1000.0,
};

/// Manufacturing impact of a storage system per raw TB, in the criterion's unit.
pub(crate) const STORAGE_MANUFACTURING_PER_TB: Bounds = Bounds {
    min: 0.0,
    max: 1e12,
};

/// Embodied impacts, or power, of a storage system over those of its drives.
pub(crate) const STORAGE_OVERHEAD: Bounds = Bounds {
    min: 1.0,
    max: 10.0,
};

/// Sequential throughput of one storage drive (MB/s).
pub(crate) const STORAGE_DRIVE_THROUGHPUT_MB_S: Bounds = Bounds {
    min: 1.0,
    max: 100_000.0,
};

/// Share of their lifetime the drives of a storage tier spend reading or writing.
pub(crate) const STORAGE_BUSY_FRACTION: Bounds = Bounds {
    min: 0.001,
    max: 1.0,
};

/// CPUs, GPUs, SSDs, HDDs, power supplies or motherboards of one node (of each kind, all the
/// entries of a list together): the largest servers hold 32 sockets, a 4U JBOD about 100 drives,
/// a GB200 NVL72 rack described as one node 72 GPUs and 36 CPUs.
pub(crate) const MAX_PARTS_PER_NODE: i64 = 128;

/// Cores of one CPU: the largest server CPUs have 288 cores (Xeon 6900E), manycore
/// accelerators described as CPUs about 2,000.
pub(crate) const MAX_CORES_PER_CPU: i64 = 4096;

/// Cores of one node (`cores` of a node type): as many CPUs as a node may hold, each with as
/// many cores as a CPU may have.
pub(crate) const MAX_CORES_PER_NODE: i64 = MAX_PARTS_PER_NODE * MAX_CORES_PER_CPU;

/// Memory of one node, or of one GPU (GB): 64 TB, beyond the 48 TB of the largest
/// shared-memory servers.
pub(crate) const MAX_MEMORY_GB: f64 = 65_536.0;

/// Density of RAM chips (GB/cm²): DRAM dies hold about 0.1 to 2 GB/cm²; 1 MB/cm² is 1990s
/// memory, 100 GB/cm² decades ahead of any.
pub(crate) const MEMORY_DENSITY_GB_PER_CM2: Bounds = Bounds {
    min: 0.001,
    max: 100.0,
};

/// Capacity of one SSD (GB): 1 PB, eight times the largest drives sold (122.88 TB).
pub(crate) const MAX_SSD_GB: f64 = 1e6;

/// Mass of one power supply (kg): a server's weighs 1 to 3 kg, a chassis's 5; 100 kg is
/// a rack's power shelf.
pub(crate) const MAX_PSU_MASS_KG: f64 = 100.0;

/// Nodes of one partition (all its groups together): the largest machines have about 160,000
/// (Fugaku).
pub(crate) const MAX_NODES: i64 = 10_000_000;

/// TDP of one CPU or GPU, and the watts of a CPU's power points (W): the hottest packages draw
/// 1 to 3 kW, and a wafer-scale engine described as one GPU about 25 kW (Cerebras CS-3).
pub(crate) const MAX_POWER_W: f64 = 50_000.0;

/// Die area of one CPU or GPU (mm²): a whole 300 mm wafer's largest square (wafer-scale
/// engines: 46,225 mm²).
pub(crate) const MAX_DIE_AREA_MM2: f64 = 50_000.0;
