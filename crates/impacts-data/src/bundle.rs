//! The embedded bundle: its files, their parsing, its content hash.

use std::collections::BTreeMap;

use impacts_model::criteria::{Constants, Criteria, Criterion};
use impacts_model::explain::SourceRef;
use impacts_model::quantity::{Dist, Provenance, Quantity, Status};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::matching::Matcher;
use crate::{DataError, InputError};

macro_rules! bundle_files {
    ($($name:literal),* $(,)?) => {
        /// The files of the bundle, by path relative to `data/`, embedded at build time.
        pub const FILES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../../../data/", $name)))),*
        ];
    };
}

bundle_files!(
    "bundle.toml",
    "bibliography.toml",
    "criteria.toml",
    "constants.toml",
    "cpus.csv",
    "cpu_die_corrections.csv",
    "cpu_power_profiles.csv",
    "gpus.csv",
    "gpus_datacenter.csv",
    "ram_density.csv",
    "memory_generations.csv",
    "ssd_density.csv",
    "zones.csv",
    "electricity.csv",
    "electricity_2024.csv",
    "water.csv",
    "batteries.csv",
    "cooling.csv",
    "centers/adastra.toml",
    "centers/archer2.toml",
    "centers/irene.toml",
    "centers/jean-zay.toml",
    "centers/jupiter.toml",
    "centers/juwels-booster.toml",
    "centers/leonardo.toml",
    "centers/lumi.toml",
    "centers/marenostrum5.toml",
);

/// The identity of the bundle.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// The fixed date that replaces "today" in windowed averages.
    pub reference_date: String,
    /// Width of the window of recent models (years before the reference date).
    pub recent_window_years: i32,
    /// Zone used when none is given.
    pub default_zone: String,
    /// Primary-energy factors above this are flagged.
    pub pe_outlier_mj_per_kwh: f64,
}

/// A bibliography entry.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BibEntry {
    /// Title.
    pub title: String,
    /// Authors.
    #[serde(default)]
    pub authors: Option<String>,
    /// Venue.
    #[serde(default)]
    pub venue: Option<String>,
    /// Year.
    pub year: i32,
    /// Identifier (DOI, HAL).
    #[serde(default)]
    pub id: Option<String>,
    /// Address.
    #[serde(default)]
    pub url: Option<String>,
    /// Licence of the publication or dataset.
    pub licence: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CriteriaFile {
    criterion: Vec<Criterion>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConstantRow {
    key: String,
    #[serde(default)]
    criterion: Option<String>,
    value: f64,
    unit: String,
    dist: String,
    #[serde(default)]
    low: Option<f64>,
    #[serde(default)]
    high: Option<f64>,
    #[serde(default)]
    sd: Option<f64>,
    #[serde(default)]
    gsd: Option<f64>,
    source: String,
    year: i32,
    licence: String,
    #[serde(default)]
    note: Option<String>,
}

/// The memory generation of a processor family (a family name starting with `cpu_family`).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct MemoryGenerationRow {
    /// Processor family (code name), matched as a prefix: `Cascade Lake` covers `Cascade Lake-SP`.
    pub cpu_family: String,
    /// `DDR3`, `DDR4`, `DDR5`.
    pub generation: String,
    /// Bibliography key.
    pub source: String,
    /// Year of the source.
    pub year: i32,
    /// Licence of the file the row was read from.
    pub licence: String,
    /// The file the row was read from.
    pub origin: String,
}

/// A die area of the reference's CPU table corrected (data/cpu_die_corrections.csv;
/// docs/research/cpu-die-areas.md): the current method's, not the reference's.
#[derive(Clone, Debug, Deserialize)]
struct DieCorrection {
    name: String,
    die_area_mm2: Option<f64>,
    die_area_basis: String,
    die_area_origin: String,
    source: String,
    source_url: String,
}

/// The CPU table with its corrections applied; a correction naming no row is an error.
fn corrected(rows: &[CpuRow], corrections: &[DieCorrection]) -> Result<Vec<CpuRow>, DataError> {
    let mut out = rows.to_vec();
    for (i, c) in corrections.iter().enumerate() {
        let mut hit = false;
        for r in out.iter_mut().filter(|r| r.name == c.name) {
            r.die_area_mm2 = c.die_area_mm2;
            r.die_area_basis.clone_from(&c.die_area_basis);
            r.die_area_origin.clone_from(&c.die_area_origin);
            r.source.clone_from(&c.source);
            r.source_url.clone_from(&c.source_url);
            r.origin = "cpu_die_corrections.csv".into();
            hit = true;
        }
        if !hit {
            return Err(DataError::Bundle {
                file: "cpu_die_corrections.csv".into(),
                line: i + 2,
                message: format!("no CPU named `{}` in cpus.csv", c.name),
            });
        }
    }
    Ok(out)
}

/// A named set of assumptions.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// Name (`default`, `impacts-hpc`).
    pub name: String,
    /// What it assumes.
    pub description: String,
    /// Constants replaced by fixed values.
    #[serde(default)]
    pub overrides: BTreeMap<String, f64>,
    /// The model of each part where the method keeps another than the current one (`memory`,
    /// `gpu`, `electricity`, `load` = `reference`: the model of Impacts-HPC 0.0.8).
    #[serde(default)]
    pub models: BTreeMap<String, String>,
}

/// The parts whose model a method may choose, and the models each accepts.
const MODEL_CHOICES: [(&str, &[&str]); 6] = [
    ("cpu", &["current", "reference"]),
    ("scope", &["current", "reference"]),
    ("memory", &["current", "reference"]),
    ("gpu", &["current", "reference"]),
    ("electricity", &["current", "reference"]),
    ("load", &["current", "reference"]),
];

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConstantsFile {
    constant: Vec<ConstantRow>,
    method: Vec<Method>,
}

/// A CPU model.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct CpuRow {
    /// Model name.
    pub name: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// Family (code name).
    pub family: String,
    /// Model range (Xeon Gold, EPYC, ...).
    pub model_range: String,
    /// Release date (YYYY-MM-DD).
    pub release_date: String,
    /// Physical cores.
    pub cores: Option<f64>,
    /// Threads.
    pub threads: Option<f64>,
    /// Thermal design power (W).
    pub tdp_w: Option<f64>,
    /// Total die area (mm²).
    pub die_area_mm2: Option<f64>,
    /// How the die area was obtained: measured, family-upper-bound, proxy, scaled, regression, estimate.
    pub die_area_basis: String,
    /// The source table's own note on the die area.
    pub die_area_origin: String,
    /// Bibliography key.
    pub source: String,
    /// URL of the row.
    pub source_url: String,
    /// Year of the source.
    pub year: Option<i32>,
    /// Licence of the file the row was read from.
    pub licence: String,
    /// The file the row was read from.
    pub origin: String,
}

/// A power profile of a CPU model range (the reference's a·ln(b·(load + c)) + d, in watts).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ProfileRow {
    /// Manufacturer.
    pub manufacturer: String,
    /// Model range.
    pub model_range: String,
    /// a
    pub a: f64,
    /// b
    pub b: f64,
    /// c
    pub c: f64,
    /// d
    pub d: f64,
    /// Bibliography key.
    pub source: String,
    /// Year.
    pub year: Option<i32>,
    /// Licence.
    pub licence: String,
    /// File read.
    pub origin: String,
}

/// A GPU model.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct GpuRow {
    /// Model name.
    pub name: String,
    /// Chip.
    pub chip: String,
    /// Chip variant.
    pub variant: String,
    /// Architecture.
    pub architecture: String,
    /// Family (product line).
    pub family: String,
    /// Release date.
    pub release_date: String,
    /// TDP (W).
    pub tdp_w: Option<f64>,
    /// Lower end of a configurable TDP.
    #[serde(default)]
    pub tdp_low_w: Option<f64>,
    /// Upper end of a configurable TDP.
    #[serde(default)]
    pub tdp_high_w: Option<f64>,
    /// Total die area (mm²).
    pub die_area_mm2: Option<f64>,
    /// Lower bound of an estimated die area.
    #[serde(default)]
    pub die_area_low_mm2: Option<f64>,
    /// Upper bound of an estimated die area.
    #[serde(default)]
    pub die_area_high_mm2: Option<f64>,
    /// Number of dies.
    pub dies: Option<f64>,
    /// Memory (GB).
    pub memory_gb: Option<f64>,
    /// Memory type.
    #[serde(default)]
    pub memory_type: Option<String>,
    /// Bibliography key.
    pub source: String,
    /// URL.
    pub source_url: String,
    /// Year of the source.
    pub year: Option<i32>,
    /// Licence of the file read.
    pub licence: String,
    /// File read.
    pub origin: String,
    /// Remarks.
    #[serde(default)]
    pub note: Option<String>,
}

/// RAM density by manufacturer and process.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct RamRow {
    /// Manufacturer.
    pub manufacturer: String,
    /// Process (nm).
    pub process_nm: f64,
    /// Density (GB/cm²).
    pub density_gb_per_cm2: f64,
    /// Bibliography key.
    pub source: String,
    /// Year.
    pub year: Option<i32>,
    /// Licence.
    pub licence: String,
    /// File read.
    pub origin: String,
}

/// SSD density by manufacturer and layers.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SsdRow {
    /// Manufacturer.
    pub manufacturer: String,
    /// 3D NAND layers.
    pub layers: Option<f64>,
    /// Bits per cell.
    pub bits_per_cell: Option<f64>,
    /// Density (GB/cm²).
    pub density_gb_per_cm2: f64,
    /// Year.
    pub year: Option<i32>,
    /// Bibliography key.
    pub source: String,
    /// URL.
    pub source_url: String,
    /// Licence.
    pub licence: String,
    /// File read.
    pub origin: String,
}

/// An electricity zone.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ZoneRow {
    /// ISO 3166 alpha-3 (or WOR, EEE).
    pub code3: String,
    /// ISO 3166 alpha-2.
    pub code2: String,
    /// Name.
    pub name: String,
    /// country, aggregate, former-country.
    pub kind: String,
    /// Other names, separated by `;`.
    pub aliases: String,
}

/// One electricity factor: a zone, a criterion, a source.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ElectricityRow {
    /// Zone code.
    pub zone: String,
    /// Criterion.
    pub criterion: String,
    /// Value per kWh.
    pub value: f64,
    /// Unit.
    pub unit: String,
    /// Priority of the source (lower wins; 9 = alternative value used for ranges only).
    pub priority: u32,
    /// Bibliography key.
    pub source: String,
    /// Year(s) of the source.
    pub year: String,
    /// Licence of the file read.
    pub licence: String,
    /// File read.
    pub origin: String,
    /// True for the factors of 2023-2024 (data/electricity_2024.csv), which the reference
    /// method (`electricity = "reference"`) does not know.
    #[serde(skip)]
    pub current_only: bool,
}

/// The least primary energy a kWh of electricity can take (the kWh itself): a `pe` factor below
/// it is not total primary energy (it is the non-renewable part only).
pub const MIN_PE_MJ_PER_KWH: f64 = 3.6;

/// A battery chemistry.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct BatteryRow {
    /// Chemistry.
    pub chemistry: String,
    /// Energy density (Wh/kg).
    pub wh_per_kg: f64,
    /// Manufacturing GWP per kg (kgCO2eq/kg).
    pub gwp_kg_per_kg: f64,
    /// Bibliography key.
    pub source: String,
    /// Year.
    pub year: Option<i32>,
    /// Licence.
    pub licence: String,
    /// File read.
    pub origin: String,
}

/// A row of the chiller tables.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct CoolingTableRow {
    /// `reference` (impact per kW) or `extrapolation` (factor by capacity).
    pub table: String,
    /// Capacity (kW), extrapolation rows.
    pub capacity_kw: Option<f64>,
    /// Criterion, reference rows.
    pub criterion: String,
    /// Life-cycle phase of the chiller.
    pub phase: String,
    /// Value.
    pub value: f64,
    /// Unit.
    pub unit: String,
    /// Bibliography key.
    pub source: String,
    /// Year.
    pub year: Option<i32>,
    /// Licence.
    pub licence: String,
    /// File read.
    pub origin: String,
}

/// The data bundle, parsed.
#[derive(Clone, Debug)]
pub struct Bundle {
    /// Identity.
    pub meta: Meta,
    /// SHA-256 of the bundle's files (hex).
    pub hash: String,
    /// Criteria.
    pub criteria: Criteria,
    /// Bibliography by key.
    pub bibliography: BTreeMap<String, BibEntry>,
    constants: Vec<ConstantRow>,
    /// Methods.
    pub methods: Vec<Method>,
    /// CPU models, with the die areas of `cpu_die_corrections.csv`.
    pub cpus: Vec<CpuRow>,
    /// CPU models as the reference's table gives them (the reference method's).
    pub cpus_reference: Vec<CpuRow>,
    pub(crate) cpu_matcher: Matcher,
    /// CPU power profiles.
    pub cpu_profiles: Vec<ProfileRow>,
    /// GPU models (the data-center table first).
    pub gpus: Vec<GpuRow>,
    pub(crate) gpu_matcher: Matcher,
    /// RAM densities.
    pub ram: Vec<RamRow>,
    /// The memory generation of each processor family.
    pub memory_generations: Vec<MemoryGenerationRow>,
    /// SSD densities.
    pub ssd: Vec<SsdRow>,
    /// Zones.
    pub zones: Vec<ZoneRow>,
    /// Electricity factors.
    pub electricity: Vec<ElectricityRow>,
    /// Battery chemistries.
    pub batteries: Vec<BatteryRow>,
    /// Chiller tables.
    pub cooling: Vec<CoolingTableRow>,
    files: Vec<(String, String)>,
}

fn toml_file<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<T, DataError> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
            .unwrap_or(0);
        DataError::Bundle {
            file: name.to_string(),
            line,
            message: e.message().to_string(),
        }
    })
}

fn csv_file<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<Vec<T>, DataError> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in r.deserialize() {
        let row: T = rec.map_err(|e| DataError::Bundle {
            file: name.to_string(),
            line: e.position().map(|p| p.line() as usize).unwrap_or(0),
            message: e.to_string(),
        })?;
        out.push(row);
    }
    Ok(out)
}

/// Markers of GPUs made for cars, robots, laptops and consoles: a computing center's
/// accelerator is a data-center part, so a name that matches both (`A100`: the A100 PCIe and the
/// automotive DRIVE A100) goes to the data-center part unless the query names the marker.
const NOT_DATA_CENTER: [&str; 12] = [
    "drive",
    "jetson",
    "tegra",
    "xavier",
    "orin",
    "mobile",
    "laptop",
    "max-q",
    "maxq",
    "embedded",
    "automotive",
    "switch",
];

/// Score points taken from a GPU row whose name carries a [`NOT_DATA_CENTER`] marker: more than
/// the few points that fewer extra words in a name give.
fn gpu_segment_penalty(name: &str) -> f64 {
    let lower = name.to_ascii_lowercase();
    let hit = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .any(|w| NOT_DATA_CENTER.contains(&w));
    if hit {
        12.0
    } else {
        0.0
    }
}

impl Bundle {
    /// The bundle embedded in this build.
    pub fn embedded() -> Result<Bundle, DataError> {
        Bundle::from_files(
            FILES
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        )
    }

    /// A bundle from file contents (path relative to `data/`, text). Every file of [`FILES`]
    /// must be present.
    pub fn from_files(files: Vec<(String, String)>) -> Result<Bundle, DataError> {
        let get = |n: &str| -> Result<&str, DataError> {
            files
                .iter()
                .find(|(f, _)| f == n)
                .map(|(_, t)| t.as_str())
                .ok_or_else(|| DataError::Bundle {
                    file: n.to_string(),
                    line: 0,
                    message: "missing from the bundle".into(),
                })
        };
        let meta: Meta = toml_file("bundle.toml", get("bundle.toml")?)?;
        let bibliography: BTreeMap<String, BibEntry> =
            toml_file("bibliography.toml", get("bibliography.toml")?)?;
        let criteria: CriteriaFile = toml_file("criteria.toml", get("criteria.toml")?)?;
        let constants: ConstantsFile = toml_file("constants.toml", get("constants.toml")?)?;
        let cpus_reference: Vec<CpuRow> = csv_file("cpus.csv", get("cpus.csv")?)?;
        let corrections: Vec<DieCorrection> =
            csv_file("cpu_die_corrections.csv", get("cpu_die_corrections.csv")?)?;
        let cpus = corrected(&cpus_reference, &corrections)?;
        let cpu_profiles = csv_file("cpu_power_profiles.csv", get("cpu_power_profiles.csv")?)?;
        let mut gpus: Vec<GpuRow> = csv_file("gpus_datacenter.csv", get("gpus_datacenter.csv")?)?;
        gpus.extend(csv_file::<GpuRow>("gpus.csv", get("gpus.csv")?)?);
        let ram = csv_file("ram_density.csv", get("ram_density.csv")?)?;
        let memory_generations =
            csv_file("memory_generations.csv", get("memory_generations.csv")?)?;
        let ssd = csv_file("ssd_density.csv", get("ssd_density.csv")?)?;
        let zones = csv_file("zones.csv", get("zones.csv")?)?;
        let mut electricity: Vec<ElectricityRow> =
            csv_file("electricity.csv", get("electricity.csv")?)?;
        // Climate factors of 2023-2024 (Ember): curated, not derived by build_bundle.py.
        let mut current: Vec<ElectricityRow> =
            csv_file("electricity_2024.csv", get("electricity_2024.csv")?)?;
        current.iter_mut().for_each(|r| r.current_only = true);
        electricity.extend(current);
        // Water per kWh: curated (data/water.csv), not derived by build_bundle.py.
        electricity.extend(csv_file::<ElectricityRow>("water.csv", get("water.csv")?)?);
        let batteries = csv_file("batteries.csv", get("batteries.csv")?)?;
        let cooling = csv_file("cooling.csv", get("cooling.csv")?)?;

        let mut hasher = Sha256::new();
        let mut sorted: Vec<&(String, String)> = files.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, text) in &sorted {
            hasher.update(name.as_bytes());
            hasher.update([0u8]);
            hasher.update((text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        let hash = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>();

        let bundle = Bundle {
            cpu_matcher: Matcher::new(cpus.iter().map(|r: &CpuRow| r.name.as_str())),
            gpu_matcher: Matcher::new(gpus.iter().map(|r| r.name.as_str()))
                .with_penalty(gpu_segment_penalty),
            meta,
            hash,
            criteria: Criteria(criteria.criterion),
            bibliography,
            constants: constants.constant,
            methods: constants.method,
            cpus,
            cpus_reference,
            cpu_profiles,
            gpus,
            ram,
            memory_generations,
            ssd,
            zones,
            electricity,
            batteries,
            cooling,
            files,
        };
        bundle.check_sources()?;
        bundle.check_primary_energy()?;
        Ok(bundle)
    }

    /// Every source key used by the bundle must be in the bibliography.
    fn check_sources(&self) -> Result<(), DataError> {
        let mut used: Vec<(&str, &str)> = Vec::new();
        used.extend(
            self.constants
                .iter()
                .map(|c| ("constants.toml", c.source.as_str())),
        );
        used.extend(self.cpus.iter().map(|c| ("cpus.csv", c.source.as_str())));
        used.extend(
            self.cpu_profiles
                .iter()
                .map(|c| ("cpu_power_profiles.csv", c.source.as_str())),
        );
        used.extend(self.gpus.iter().map(|c| ("gpus.csv", c.source.as_str())));
        used.extend(
            self.ram
                .iter()
                .map(|c| ("ram_density.csv", c.source.as_str())),
        );
        used.extend(
            self.memory_generations
                .iter()
                .map(|c| ("memory_generations.csv", c.source.as_str())),
        );
        used.extend(
            self.ssd
                .iter()
                .map(|c| ("ssd_density.csv", c.source.as_str())),
        );
        used.extend(
            self.electricity
                .iter()
                .map(|c| ("electricity.csv", c.source.as_str())),
        );
        used.extend(
            self.batteries
                .iter()
                .map(|c| ("batteries.csv", c.source.as_str())),
        );
        used.extend(
            self.cooling
                .iter()
                .map(|c| ("cooling.csv", c.source.as_str())),
        );
        for (file, key) in used {
            if !self.bibliography.contains_key(key) {
                return Err(DataError::Bundle {
                    file: file.to_string(),
                    line: 0,
                    message: format!("source `{key}` is not in bibliography.toml"),
                });
            }
        }
        Ok(())
    }

    /// Every `pe` factor of electricity is total primary energy, so at least the kWh itself
    /// (3.6 MJ): a lower value is a non-renewable share taken for the total (docs/method.md#pe).
    fn check_primary_energy(&self) -> Result<(), DataError> {
        let low = self
            .electricity
            .iter()
            .find(|r| r.criterion == "pe" && r.value < MIN_PE_MJ_PER_KWH);
        match low {
            Some(r) => Err(DataError::Bundle {
                file: if r.current_only {
                    "electricity_2024.csv"
                } else {
                    "electricity.csv"
                }
                .into(),
                line: 0,
                message: format!(
                    "primary energy of {} from {} ({}) is {} MJ/kWh, below the {MIN_PE_MJ_PER_KWH} MJ of the kWh itself: not total primary energy",
                    r.zone, r.source, r.origin, r.value
                ),
            }),
            None => Ok(()),
        }
    }

    /// The short form of the hash shown in tables.
    pub fn short_hash(&self) -> &str {
        &self.hash[..12]
    }

    /// The file contents of the bundle.
    pub fn files(&self) -> &[(String, String)] {
        &self.files
    }

    /// A file of the bundle by path.
    pub fn file(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
    }

    /// A bibliography entry in the form used by explanations.
    pub fn source_ref(&self, key: &str) -> Option<SourceRef> {
        if key == "user" {
            return Some(SourceRef {
                key: "user".into(),
                title: Some("Value given by the user".into()),
                year: None,
                url: None,
                licence: None,
            });
        }
        self.bibliography.get(key).map(|b| SourceRef {
            key: key.to_string(),
            title: Some(b.title.clone()),
            year: Some(b.year),
            url: b.url.clone(),
            licence: Some(b.licence.clone()),
        })
    }

    /// The matcher of GPU names that the resolution uses (data-center parts preferred).
    pub fn gpu_matcher(&self) -> &Matcher {
        &self.gpu_matcher
    }

    /// The CPU table of a method: the reference's as it is, or corrected.
    pub fn cpu_table(&self, constants: &Constants) -> &[CpuRow] {
        if constants.is_reference("cpu") {
            &self.cpus_reference
        } else {
            &self.cpus
        }
    }

    /// The matcher of CPU names that the resolution uses.
    pub fn cpu_matcher(&self) -> &Matcher {
        &self.cpu_matcher
    }

    /// The constants of a method.
    pub fn constants(&self, method: &str) -> Result<Constants, DataError> {
        let m = self
            .methods
            .iter()
            .find(|m| m.name == method)
            .ok_or_else(|| {
                DataError::Input(InputError::unknown(
                    "method",
                    method,
                    format!(
                        "one of {}",
                        self.methods
                            .iter()
                            .map(|m| m.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ))
            })?;
        let mut out = Constants::new();
        for row in &self.constants {
            let dist = match row.dist.as_str() {
                "fixed" => Dist::Fixed,
                "uniform" | "triangular" => {
                    let (Some(low), Some(high)) = (row.low, row.high) else {
                        return Err(DataError::Bundle {
                            file: "constants.toml".into(),
                            line: 0,
                            message: format!("{}: {} needs low and high", row.key, row.dist),
                        });
                    };
                    if row.dist == "uniform" {
                        Dist::Uniform { low, high }
                    } else {
                        Dist::Triangular { low, high }
                    }
                }
                "normal" => Dist::Normal {
                    sd: row.sd.unwrap_or(0.0),
                },
                "lognormal" => Dist::LogNormal {
                    gsd: row.gsd.unwrap_or(1.0),
                },
                other => {
                    return Err(DataError::Bundle {
                        file: "constants.toml".into(),
                        line: 0,
                        message: format!("{}: unknown distribution `{other}`", row.key),
                    })
                }
            };
            let prov = Provenance::new(Status::Default, &row.source)
                .with_year(Some(row.year))
                .with_licence(Some(row.licence.clone()));
            let prov = match &row.note {
                Some(n) => prov.with_note(n.clone()),
                None => prov,
            };
            let q = match m.overrides.get(&row.key) {
                Some(v) => Quantity::fixed(
                    *v,
                    &row.unit,
                    Provenance::new(Status::Default, "impacts-hpc")
                        .with_year(Some(2025))
                        .with_note(format!("method `{}`: {}", m.name, m.description)),
                ),
                None => Quantity::with_dist(row.value, dist, &row.unit, prov),
            };
            out.insert(&row.key, row.criterion.as_deref(), q);
        }
        for (part, model) in &m.models {
            let known = MODEL_CHOICES
                .iter()
                .find(|(p, _)| p == part)
                .is_some_and(|(_, ms)| ms.contains(&model.as_str()));
            if !known {
                return Err(DataError::Bundle {
                    file: "constants.toml".into(),
                    line: 0,
                    message: format!(
                        "method `{}` chooses an unknown model `{part} = {model}` (parts: {}; models: current, reference)",
                        m.name,
                        MODEL_CHOICES.map(|(p, _)| p).join(", ")
                    ),
                });
            }
            out.set_model(part, model);
        }
        for key in m.overrides.keys() {
            if !self.constants.iter().any(|c| &c.key == key) {
                return Err(DataError::Bundle {
                    file: "constants.toml".into(),
                    line: 0,
                    message: format!("method `{}` overrides unknown constant `{key}`", m.name),
                });
            }
        }
        Ok(out)
    }

    /// A bundled center description by name (the file name without `.toml`).
    pub fn center_file(&self, name: &str) -> Option<(&str, &str)> {
        let path = format!("centers/{name}.toml");
        self.files
            .iter()
            .find(|(n, _)| *n == path)
            .map(|(n, t)| (n.as_str(), t.as_str()))
    }

    /// The names of the bundled centers.
    pub fn center_names(&self) -> Vec<&str> {
        self.files
            .iter()
            .filter_map(|(n, _)| {
                n.strip_prefix("centers/")
                    .and_then(|n| n.strip_suffix(".toml"))
            })
            .collect()
    }
}
