//! Center description files: a computing center's electricity zone, facility, node types and
//! partitions, in TOML (schema in docs/center-file.md).
//!
//! [`Center::from_toml`] parses a file, checks it (every error names the file, line and column
//! and what was expected), resolves its hardware names against the data bundle and returns the
//! model's [`CenterSpec`] with one cluster per partition, plus what the scheduler needs to
//! allocate a partial node (cores, GPUs and memory per node, the allocation key).
//!
//! ```
//! use impacts_center::Center;
//! use impacts_data::Bundle;
//!
//! let bundle = Bundle::embedded().unwrap();
//! let constants = bundle.constants("default").unwrap();
//! let (path, text) = bundle.center_file("jean-zay").unwrap();
//! let center = Center::from_toml(path, text, &bundle, &constants, None).unwrap();
//! let p = center.partition("gpu_p6").unwrap();
//! assert_eq!(p.nodes, 364);
//! assert_eq!(p.gpus_per_node, 4.0);
//! ```

#![warn(missing_docs)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use impacts_data::resolve::{CpuQuery, GpuQuery, RamQuery, SsdQuery};
use impacts_data::{Bundle, DataError, InputError, Location};
use impacts_model::builder::Input;
use impacts_model::criteria::Constants;
use impacts_model::hardware::{CaseKind, Counted, PsuSpec, ServerSpec};
use impacts_model::job::{Allocation, CenterSpec, ClusterSpec, NodeGroup};
use impacts_model::quantity::{fmt_num, Dist, Provenance, Quantity, Status};
use impacts_model::report::Warning;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use toml::Spanned;

/// An error in a center file: what is wrong, located (file:line:column) when it is in the file.
pub type CenterError = InputError;

/// An error at a line and column of a center file (line 0: the whole file).
fn located(file: &str, line: usize, column: usize, message: impl Into<String>) -> CenterError {
    let column = (column > 0).then_some(column as u64);
    InputError::malformed(message).at(Location::at(file, line as u64, column))
}

/// A data-layer error about a value of a center file, located where the value is.
fn data_error(file: &str, line: usize, column: usize, e: DataError) -> CenterError {
    let at = Location::at(file, line as u64, (column > 0).then_some(column as u64));
    match e {
        DataError::Input(e) => e.at(at),
        other => InputError::malformed(other.to_string()).at(at),
    }
}

/// Line and column (1-based, in characters) of a byte offset of a text.
pub fn locate(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

/// A number, or a number with its uncertainty and source.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Value {
    /// Central value.
    pub value: f64,
    /// Lower bound.
    pub low: Option<f64>,
    /// Upper bound.
    pub high: Option<f64>,
    /// `uniform` or `triangular` (default) when bounds are given.
    pub dist: Option<String>,
    /// Bibliography key.
    pub source: Option<String>,
    /// Remark.
    pub note: Option<String>,
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, or a table { value, low, high, dist, source, note }")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
                Ok(Value {
                    value: v,
                    low: None,
                    high: None,
                    dist: None,
                    source: None,
                    note: None,
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
                self.visit_f64(v as f64)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
                let mut out = Value {
                    value: f64::NAN,
                    low: None,
                    high: None,
                    dist: None,
                    source: None,
                    note: None,
                };
                let mut has_value = false;
                while let Some(k) = map.next_key::<String>()? {
                    match k.as_str() {
                        "value" => {
                            out.value = map.next_value()?;
                            has_value = true;
                        }
                        "low" => out.low = Some(map.next_value()?),
                        "high" => out.high = Some(map.next_value()?),
                        "dist" => out.dist = Some(map.next_value()?),
                        "source" => out.source = Some(map.next_value()?),
                        "note" => out.note = Some(map.next_value()?),
                        other => {
                            return Err(de::Error::unknown_field(
                                other,
                                &["value", "low", "high", "dist", "source", "note"],
                            ))
                        }
                    }
                }
                if !has_value {
                    return Err(de::Error::missing_field("value"));
                }
                Ok(out)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCenter {
    name: String,
    #[serde(default)]
    operator: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    zone: Option<Spanned<String>>,
    #[serde(default)]
    time_zone: Option<Spanned<String>>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    pue: Option<Spanned<Value>>,
    #[serde(default)]
    lifetime_years: Option<Spanned<Value>>,
    #[serde(default)]
    usage_rate: Option<Spanned<Value>>,
    #[serde(default)]
    allocation_key: Option<Spanned<String>>,
    #[serde(default)]
    default_node_type: Option<Spanned<String>>,
    #[serde(default)]
    facility: RawFacility,
    node_types: BTreeMap<String, Spanned<RawNodeType>>,
    partitions: BTreeMap<String, Spanned<RawPartition>>,
    #[serde(default)]
    storage: BTreeMap<String, Spanned<RawStorage>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStorage {
    media: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    drive_capacity_tb: Option<Spanned<Value>>,
    #[serde(default)]
    redundancy: Option<Spanned<Value>>,
    #[serde(default)]
    power_w_per_tb: Option<Spanned<Value>>,
    #[serde(default)]
    manufacturing_per_tb: BTreeMap<String, Spanned<Value>>,
    #[serde(default)]
    enclosure_overhead: Option<Spanned<Value>>,
    #[serde(default)]
    power_overhead: Option<Spanned<Value>>,
    #[serde(default)]
    lifetime_years: Option<Spanned<Value>>,
    #[serde(default)]
    drive_throughput_mb_s: Option<Spanned<Value>>,
    #[serde(default)]
    busy_fraction: Option<Spanned<Value>>,
    #[serde(default)]
    mounts: Option<Spanned<Vec<Spanned<String>>>>,
}

/// The medium of a storage tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Media {
    /// Hard disk drives.
    Hdd,
    /// Solid-state drives.
    Ssd,
    /// Magnetic tape.
    Tape,
}

impl Media {
    /// Parses `hdd`, `ssd` or `tape`.
    pub fn parse(s: &str) -> Option<Media> {
        match s.trim().to_ascii_lowercase().as_str() {
            "hdd" | "disk" => Some(Media::Hdd),
            "ssd" | "flash" => Some(Media::Ssd),
            "tape" => Some(Media::Tape),
            _ => None,
        }
    }

    /// The name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Media::Hdd => "hdd",
            Media::Ssd => "ssd",
            Media::Tape => "tape",
        }
    }
}

/// A storage tier of a center (`[storage.NAME]`): what the file gives; the model fills the rest
/// with the method's defaults, with warnings.
#[derive(Clone, Debug)]
pub struct StorageTier {
    /// Name.
    pub name: String,
    /// Medium.
    pub media: Media,
    /// Description.
    pub description: Option<String>,
    /// Capacity of one drive or cartridge (TB).
    pub drive_capacity_tb: Option<Input>,
    /// Raw capacity per usable TB (RAID, erasure coding, replication).
    pub redundancy: Option<Input>,
    /// Power of the whole system per raw TB (W/TB), instead of drives × drive power × overhead.
    pub power_w_per_tb: Option<Input>,
    /// Manufacturing impact of the whole system per raw TB, per criterion key, instead of the
    /// drive model × enclosure overhead.
    pub manufacturing_per_tb: Vec<(String, Input)>,
    /// Embodied impacts of the system over those of its drives.
    pub enclosure_overhead: Option<Input>,
    /// Power of the system over that of its drives.
    pub power_overhead: Option<Input>,
    /// Lifetime of the system (years; the center's node lifetime otherwise).
    pub lifetime_years: Option<Input>,
    /// Sequential throughput of one drive while it reads or writes (MB/s), for the share of the
    /// system a job's I/O occupies.
    pub drive_throughput_mb_s: Option<Input>,
    /// Share of their lifetime the drives spend reading or writing.
    pub busy_fraction: Option<Input>,
    /// Mount points of the file systems this tier serves (`/lustre/work`), to find the tier of
    /// a job's files.
    pub mounts: Vec<String>,
}

/// The first other tier (in name order, before `name`) that lists `path` among its mounts.
fn storage_mount_owner<'a>(
    tiers: &'a BTreeMap<String, Spanned<RawStorage>>,
    name: &str,
    path: &str,
) -> Option<&'a str> {
    tiers
        .iter()
        .take_while(|(n, _)| n.as_str() < name)
        .find(|(_, t)| {
            t.get_ref()
                .mounts
                .iter()
                .flat_map(|m| m.get_ref())
                .any(|m| {
                    let p = m.get_ref().trim_end_matches('/');
                    (if p.is_empty() { "/" } else { p }) == path
                })
        })
        .map(|(n, _)| n.as_str())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFacility {
    #[serde(default)]
    batteries: Option<bool>,
    #[serde(default)]
    battery_chemistry: Option<Spanned<String>>,
    #[serde(default)]
    battery_autonomy_minutes: Option<Spanned<Value>>,
    #[serde(default)]
    cooling: Option<bool>,
    #[serde(default)]
    cooling_capacity_kw: Option<Spanned<Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNodeType {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    cpus: Vec<Spanned<RawCpu>>,
    #[serde(default)]
    gpus: Vec<Spanned<RawGpu>>,
    #[serde(default)]
    ram_gb: Option<Spanned<f64>>,
    #[serde(default)]
    ram: Option<Spanned<RawRam>>,
    #[serde(default)]
    ssds: Vec<Spanned<RawSsd>>,
    #[serde(default)]
    hdds: Option<Spanned<i64>>,
    #[serde(default)]
    motherboards: Option<Spanned<i64>>,
    #[serde(default)]
    psus: Option<Spanned<RawPsu>>,
    #[serde(default)]
    case: Option<Spanned<String>>,
    #[serde(default)]
    assembly: Option<bool>,
    #[serde(default)]
    cores: Option<Spanned<i64>>,
    #[serde(default)]
    memory_gb: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCpu {
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    count: Option<i64>,
    #[serde(default)]
    cores: Option<i64>,
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    model_range: Option<String>,
    #[serde(default)]
    tdp_w: Option<Value>,
    #[serde(default)]
    die_area_mm2: Option<Value>,
    #[serde(default)]
    power_points: Vec<(f64, f64)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGpu {
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    count: Option<i64>,
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    tdp_w: Option<f64>,
    #[serde(default)]
    die_area_mm2: Option<f64>,
    #[serde(default)]
    memory_gb: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRam {
    size_gb: f64,
    #[serde(default)]
    manufacturer: Option<String>,
    #[serde(default)]
    process_nm: Option<f64>,
    #[serde(default)]
    density_gb_per_cm2: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSsd {
    size: String,
    #[serde(default)]
    count: Option<i64>,
    #[serde(default)]
    manufacturer: Option<String>,
    #[serde(default)]
    layers: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPsu {
    count: i64,
    #[serde(default)]
    mass_kg: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    node_type: Spanned<String>,
    nodes: Spanned<i64>,
    #[serde(default)]
    node_pattern: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPartition {
    #[serde(default)]
    node_type: Option<Spanned<String>>,
    #[serde(default)]
    nodes: Option<Spanned<i64>>,
    #[serde(default)]
    node_pattern: Option<String>,
    #[serde(default)]
    groups: Vec<Spanned<RawGroup>>,
    #[serde(default)]
    pue: Option<Spanned<Value>>,
    #[serde(default)]
    lifetime_years: Option<Spanned<Value>>,
    #[serde(default)]
    usage_rate: Option<Spanned<Value>>,
    #[serde(default)]
    allocation_key: Option<Spanned<String>>,
    #[serde(default)]
    allocation: Option<Spanned<String>>,
    #[serde(default)]
    age_years: Option<f64>,
    #[serde(default)]
    installed: Option<i64>,
    #[serde(default)]
    part_of: Option<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

/// How a job on part of a node is charged a share of the node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AllocationKey {
    /// Whole nodes, even for a partial request.
    Node,
    /// Cores requested / cores per node.
    Cores,
    /// GPUs requested / GPUs per node.
    Gpus,
    /// Memory requested / memory per node.
    Memory,
    /// The largest of the three shares (the dominant resource).
    Max,
}

impl AllocationKey {
    fn parse(s: &str) -> Option<AllocationKey> {
        Some(match s {
            "node" => AllocationKey::Node,
            "cores" => AllocationKey::Cores,
            "gpus" => AllocationKey::Gpus,
            "memory" => AllocationKey::Memory,
            "max" => AllocationKey::Max,
            _ => return None,
        })
    }

    /// The key's name.
    pub fn as_str(self) -> &'static str {
        match self {
            AllocationKey::Node => "node",
            AllocationKey::Cores => "cores",
            AllocationKey::Gpus => "gpus",
            AllocationKey::Memory => "memory",
            AllocationKey::Max => "max",
        }
    }
}

/// One node group of a partition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    /// Node type name.
    pub node_type: String,
    /// Number of nodes.
    pub nodes: u64,
    /// Pattern of node names (for accounting records that list nodes).
    pub node_pattern: Option<String>,
}

/// A partition and what allocating its nodes needs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Partition {
    /// Name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Index of its cluster in [`Center::spec`].
    pub cluster: usize,
    /// Total nodes.
    pub nodes: u64,
    /// Cores per node.
    pub cores_per_node: f64,
    /// GPUs per node.
    pub gpus_per_node: f64,
    /// Memory per node (GB).
    pub memory_gb_per_node: f64,
    /// Allocation key for partial nodes.
    pub allocation_key: AllocationKey,
    /// Node groups.
    pub groups: Vec<Group>,
    /// Remark.
    pub note: Option<String>,
    /// True for the center's default node type (used for partitions the file does not list).
    pub is_default: bool,
}

/// A center, parsed, checked and resolved.
#[derive(Clone, Debug)]
pub struct Center {
    /// Name.
    pub name: String,
    /// Operator.
    pub operator: Option<String>,
    /// The file it was read from.
    pub file: String,
    /// The IANA time zone of its clocks (`Europe/Paris`): how its scheduler's local times
    /// become instants.
    pub time_zone: Option<String>,
    /// The model's specification (one cluster per partition, the default node type last).
    pub spec: CenterSpec,
    /// The partitions, in file order of their names (sorted).
    pub partitions: Vec<Partition>,
    /// The default partition, for names the file does not list.
    pub default_partition: Option<Partition>,
    /// Defaults and fallbacks of the center as a whole (zone, PUE, lifetime, ...).
    pub warnings: Vec<Warning>,
    /// Matches and estimations made for each node type's hardware.
    pub node_type_warnings: BTreeMap<String, Vec<Warning>>,
    /// PUE of the center.
    pub pue: Input,
    /// Lifetime of its equipment (years).
    pub lifetime: Input,
    /// Storage tiers, in name order.
    pub storage: Vec<StorageTier>,
}

struct Cx<'a> {
    file: &'a str,
    text: &'a str,
}

impl Cx<'_> {
    fn err<T>(
        &self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Result<T, CenterError> {
        let (line, column) = locate(self.text, span.start);
        Err(located(self.file, line, column, message))
    }
}

fn quantity_of(
    cx: &Cx<'_>,
    v: &Spanned<Value>,
    what: &str,
    unit: &str,
    min: f64,
    max: f64,
    default_source: &str,
) -> Result<Quantity, CenterError> {
    let x = v.get_ref();
    let ok = |n: f64| n.is_finite() && n >= min && n <= max;
    if !ok(x.value) || x.low.is_some_and(|l| !ok(l)) || x.high.is_some_and(|h| !ok(h)) {
        return cx.err(
            v.span(),
            format!(
                "{what} must be between {} and {}",
                fmt_num(min),
                fmt_num(max)
            ),
        );
    }
    let dist = match (x.low, x.high) {
        (None, None) => Dist::Fixed,
        (Some(l), Some(h)) if l <= x.value && x.value <= h => match x.dist.as_deref() {
            None | Some("triangular") => Dist::Triangular { low: l, high: h },
            Some("uniform") => Dist::Uniform { low: l, high: h },
            Some(other) => {
                return cx.err(
                    v.span(),
                    format!(
                        "unknown distribution `{other}` for {what}: expected triangular or uniform"
                    ),
                )
            }
        },
        _ => {
            return cx.err(
                v.span(),
                format!("{what}: give both low and high, with low <= value <= high"),
            )
        }
    };
    let prov = Provenance::new(
        Status::Input,
        x.source
            .clone()
            .unwrap_or_else(|| default_source.to_string()),
    )
    .with_note(
        x.note
            .clone()
            .unwrap_or_else(|| format!("{what} from the center file {}", cx.file)),
    );
    Ok(Quantity::with_dist(x.value, dist, unit, prov))
}

fn positive_int(
    cx: &Cx<'_>,
    v: &Spanned<i64>,
    what: &str,
    allow_zero: bool,
) -> Result<u64, CenterError> {
    let n = *v.get_ref();
    if n < 0 || (!allow_zero && n == 0) {
        return cx.err(
            v.span(),
            format!(
                "{what} must be a {} integer, found {n}",
                if allow_zero {
                    "non-negative"
                } else {
                    "positive"
                }
            ),
        );
    }
    Ok(n as u64)
}

/// An IANA time zone name of the file, checked against the bundled time-zone database.
fn check_time_zone(cx: &Cx<'_>, tz: &Spanned<String>) -> Result<String, CenterError> {
    match jiff::tz::TimeZone::get(tz.get_ref()) {
        Ok(_) => Ok(tz.get_ref().clone()),
        Err(_) => Err(InputError::unknown(
            "time_zone",
            tz.get_ref(),
            "an IANA time zone such as Europe/Paris or UTC",
        )
        .at(Location::in_text(cx.file, cx.text, tz.span().start))),
    }
}

struct NodeType {
    server: ServerSpec,
    cores: f64,
    gpus: f64,
    memory_gb: f64,
}

fn data_err(cx: &Cx<'_>, span: std::ops::Range<usize>, e: impl Into<DataError>) -> CenterError {
    let (line, column) = locate(cx.text, span.start);
    data_error(cx.file, line, column, e.into())
}

fn node_type(
    cx: &Cx<'_>,
    name: &str,
    raw: &Spanned<RawNodeType>,
    bundle: &Bundle,
    constants: &Constants,
    warnings: &mut Vec<Warning>,
) -> Result<NodeType, CenterError> {
    let t = raw.get_ref();
    let mut w = Vec::new();
    let mut cpus = Vec::new();
    let mut cores = 0.0;
    for c in &t.cpus {
        let r = c.get_ref();
        let count = r.count.unwrap_or(1);
        if count <= 0 {
            return cx.err(
                c.span(),
                format!("node type {name}: cpu count must be a positive integer, found {count}"),
            );
        }
        if let Some(k) = r.cores {
            if k <= 0 {
                return cx.err(
                    c.span(),
                    format!("node type {name}: cpu cores must be a positive integer, found {k}"),
                );
            }
        }
        let given = |v: &Option<Value>, what: &str| {
            v.as_ref().map(|v| {
                Provenance::new(
                    Status::Input,
                    v.source.clone().unwrap_or_else(|| "user".into()),
                )
                .with_note(
                    v.note
                        .clone()
                        .unwrap_or_else(|| format!("{what} given in {}", cx.file)),
                )
            })
        };
        let q = CpuQuery {
            name: r.model.clone(),
            family: r.family.clone(),
            model_range: r.model_range.clone(),
            cores: r.cores.map(|k| k as u32),
            tdp_w: r.tdp_w.as_ref().map(|v| v.value),
            die_area_mm2: r.die_area_mm2.as_ref().map(|v| v.value),
            power_points: r.power_points.clone(),
            tdp_provenance: given(&r.tdp_w, "TDP"),
            die_area_provenance: given(&r.die_area_mm2, "die area"),
        };
        let res = bundle
            .resolve_cpu(&q, constants)
            .map_err(|e| data_err(cx, c.span(), e))?;
        w.extend(res.warnings);
        let per = r
            .cores
            .map(|k| k as f64)
            .or_else(|| {
                r.model.as_ref().and_then(|m| {
                    let rows = bundle.cpus.iter().filter(|row| {
                        impacts_data::matching::compact(&row.name)
                            == impacts_data::matching::compact(m)
                    });
                    rows.filter_map(|row| row.cores).next()
                })
            })
            .unwrap_or(0.0);
        cores += per * count as f64;
        cpus.push(Counted {
            count: count as u32,
            spec: res.spec,
        });
    }
    let mut gpus = Vec::new();
    let mut gpu_count = 0.0;
    for g in &t.gpus {
        let r = g.get_ref();
        let count = r.count.unwrap_or(1);
        if count <= 0 {
            return cx.err(
                g.span(),
                format!("node type {name}: gpu count must be a positive integer, found {count}"),
            );
        }
        let q = GpuQuery {
            name: r.model.clone(),
            family: r.family.clone(),
            tdp_w: r.tdp_w,
            die_area_mm2: r.die_area_mm2,
            memory_gb: r.memory_gb,
        };
        let res = bundle
            .resolve_gpu(&q, constants)
            .map_err(|e| data_err(cx, g.span(), e))?;
        w.extend(res.warnings);
        gpu_count += count as f64;
        gpus.push(Counted {
            count: count as u32,
            spec: res.spec,
        });
    }
    let mut ram = Vec::new();
    let mut memory = 0.0;
    if let (Some(_), Some(b)) = (&t.ram_gb, &t.ram) {
        return cx.err(
            b.span(),
            format!("node type {name}: give ram_gb or ram, not both"),
        );
    }
    if let Some(s) = &t.ram_gb {
        let q = RamQuery {
            size_gb: *s.get_ref(),
            ..Default::default()
        };
        let res = bundle
            .resolve_ram(&q, constants)
            .map_err(|e| data_err(cx, s.span(), e))?;
        w.extend(res.warnings);
        memory += *s.get_ref();
        ram.push(res.spec);
    }
    if let Some(r) = &t.ram {
        let x = r.get_ref();
        let q = RamQuery {
            size_gb: x.size_gb,
            manufacturer: x.manufacturer.clone(),
            process_nm: x.process_nm,
            density: x.density_gb_per_cm2,
        };
        let res = bundle
            .resolve_ram(&q, constants)
            .map_err(|e| data_err(cx, r.span(), e))?;
        w.extend(res.warnings);
        memory += x.size_gb;
        ram.push(res.spec);
    }
    let mut ssds = Vec::new();
    for s in &t.ssds {
        let x = s.get_ref();
        let size =
            impacts_data::units::parse_size_gb(&x.size).map_err(|e| data_err(cx, s.span(), e))?;
        let count = x.count.unwrap_or(1);
        if count <= 0 {
            return cx.err(
                s.span(),
                format!("node type {name}: ssd count must be a positive integer, found {count}"),
            );
        }
        let q = SsdQuery {
            size_gb: size,
            manufacturer: x.manufacturer.clone(),
            layers: x.layers.map(|l| l as u32),
            density: None,
        };
        let res = bundle
            .resolve_ssd(&q)
            .map_err(|e| data_err(cx, s.span(), e))?;
        w.extend(res.warnings);
        ssds.push(Counted {
            count: count as u32,
            spec: res.spec,
        });
    }
    let hdds = match &t.hdds {
        Some(h) => positive_int(cx, h, &format!("node type {name}: hdds"), true)? as u32,
        None => 0,
    };
    let motherboards = match &t.motherboards {
        Some(m) => positive_int(cx, m, &format!("node type {name}: motherboards"), true)? as u32,
        None => 1,
    };
    let mut psus = Vec::new();
    match &t.psus {
        Some(p) => {
            let x = p.get_ref();
            if x.count < 0 {
                return cx.err(p.span(), format!("node type {name}: psus count must be a non-negative integer, found {}", x.count));
            }
            if x.count > 0 {
                let mass = match x.mass_kg {
                    Some(m) if m.is_finite() && m > 0.0 => Quantity::fixed(m, "kg", Provenance::input(format!("power supply mass in {}", cx.file))),
                    Some(m) => return cx.err(p.span(), format!("node type {name}: psus mass_kg must be positive, found {m}")),
                    None => constants.get("psu.mass_kg", None).cloned().ok_or_else(|| located(cx.file, 0, 0, "the method has no psu.mass_kg"))?,
                };
                let key = if x.mass_kg.is_some() {
                    format!("psu-mass:{:x}", mass.value.to_bits())
                } else {
                    "const:psu.mass_kg".to_string()
                };
                psus.push(Counted {
                    count: x.count as u32,
                    spec: PsuSpec {
                        mass_kg: Input::new(key, "power supply mass", mass),
                    },
                });
            }
        }
        None => w.push(Warning::new(
            "server.psu-not-counted",
            format!("node type {name}: no power supply listed; none is counted (add psus = {{ count = 2 }}: BoaviztAPI's archetypes count 2 of 2.99 kg)"),
        )),
    }
    let case = match t.case.as_ref().map(|c| c.get_ref().as_str()) {
        None | Some("rack") => Some(CaseKind::Rack),
        Some("blade") => Some(CaseKind::Blade),
        Some("none") => None,
        Some(other) => {
            let span = t.case.as_ref().map(|c| c.span()).unwrap_or(raw.span());
            return cx.err(
                span,
                format!("node type {name}: unknown case `{other}`: expected rack, blade or none"),
            );
        }
    };
    let cores = match &t.cores {
        Some(c) => positive_int(cx, c, &format!("node type {name}: cores"), false)? as f64,
        None => cores,
    };
    let memory = t.memory_gb.as_ref().map(|m| *m.get_ref()).unwrap_or(memory);
    if cpus.is_empty() && gpus.is_empty() {
        return cx.err(
            raw.span(),
            format!("node type {name}: needs at least one cpu or gpu"),
        );
    }
    for x in w {
        warnings.push(Warning::new(
            &x.code,
            format!("node type {name}: {}", x.message),
        ));
    }
    Ok(NodeType {
        server: ServerSpec {
            name: t
                .description
                .as_ref()
                .map(|_| name.to_string())
                .unwrap_or_else(|| name.to_string()),
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
        memory_gb: memory,
    })
}

impl Center {
    /// The storage tier that serves a file system mounted at `mount`: the tier listing that
    /// mount point, or else the longest listed mount point above it (`/lustre` serves
    /// `/lustre/work`); `None` when no tier lists one.
    pub fn storage_for_mount(&self, mount: &str) -> Option<&StorageTier> {
        let mount = match mount.trim_end_matches('/') {
            "" => "/",
            m => m,
        };
        let under = |m: &str| {
            m == mount
                || m == "/"
                || (mount.starts_with(m) && mount.as_bytes().get(m.len()) == Some(&b'/'))
        };
        self.storage
            .iter()
            .flat_map(|t| t.mounts.iter().map(move |m| (t, m)))
            .filter(|(_, m)| under(m))
            .max_by_key(|(_, m)| m.len())
            .map(|(t, _)| t)
    }

    /// Parses, checks and resolves a center file. `zone_override` replaces the file's zone.
    pub fn from_toml(
        file: &str,
        text: &str,
        bundle: &Bundle,
        constants: &Constants,
        zone_override: Option<&str>,
    ) -> Result<Center, CenterError> {
        let cx = Cx { file, text };
        let raw: RawCenter = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| locate(text, s.start)).unwrap_or((0, 0));
            // Name the key of the offending line when the error is in its value.
            let key = text
                .lines()
                .nth(line.saturating_sub(1))
                .and_then(|l| l.split_once('='))
                .filter(|(k, _)| k.chars().count() < column)
                .map(|(k, _)| k.trim().trim_matches('"').to_string())
                .filter(|k| !k.is_empty() && !k.contains(['{', '[', ' ']));
            let e = located(file, line, column, e.message().trim());
            match key {
                Some(k) => e.for_field(k),
                None => e,
            }
        })?;
        let _ = &raw.description;
        let mut warnings = Vec::new();
        let source = raw.source.clone().unwrap_or_else(|| "user".to_string());
        if raw
            .source
            .as_ref()
            .is_some_and(|s| !bundle.bibliography.contains_key(s))
        {
            warnings.push(Warning::new(
                "center.unknown-source",
                format!("{file}: source `{source}` is not in the bundle's bibliography"),
            ));
        }

        // Zone.
        let zone = match (zone_override, &raw.zone) {
            (Some(z), _) => bundle.zone(z).map_err(|e| match e {
                DataError::Input(e) => e,
                other => InputError::malformed(other.to_string()),
            })?,
            (None, Some(z)) => bundle
                .zone(z.get_ref())
                .map_err(|e| data_err(&cx, z.span(), e))?,
            (None, None) => {
                let z = bundle.meta.default_zone.clone();
                warnings.push(Warning::new(
                    "center.zone-default",
                    format!("{file} gives no electricity zone: the {z} average is used — set zone = \"FR\" (or the center's country)"),
                ));
                bundle.zone(&z).map_err(|e| data_error("bundle", 0, 0, e))?
            }
        };
        warnings.extend(zone.warnings.clone());

        let constant = |key: &str| {
            constants
                .get(key, None)
                .cloned()
                .ok_or_else(|| located(file, 0, 0, format!("the method has no constant {key}")))
        };
        let setting = |v: &Option<Spanned<Value>>,
                       key: &str,
                       name: &str,
                       unit: &str,
                       lo: f64,
                       hi: f64,
                       warn: &str,
                       warnings: &mut Vec<Warning>|
         -> Result<(Input, bool), CenterError> {
            match v {
                Some(v) => {
                    let q = quantity_of(&cx, v, name, unit, lo, hi, &source)?;
                    Ok((
                        Input::new(
                            format!("center:{file}:{key}:{:x}", q.value.to_bits()),
                            name,
                            q,
                        ),
                        true,
                    ))
                }
                None => {
                    let q = constant(key)?;
                    warnings.push(Warning::new(
                        warn,
                        format!(
                            "{file} gives no {name}: the method's default {} ({}) is used",
                            fmt_num(q.value),
                            q.dist.describe(q.value)
                        ),
                    ));
                    Ok((Input::new(format!("const:{key}"), name, q), false))
                }
            }
        };
        let (pue, _) = setting(
            &raw.pue,
            "facility.pue",
            "PUE",
            "1",
            1.0,
            5.0,
            "center.pue-default",
            &mut warnings,
        )?;
        let (lifetime, _) = setting(
            &raw.lifetime_years,
            "server.lifetime_years",
            "node lifetime",
            "year",
            0.1,
            50.0,
            "center.lifetime-default",
            &mut warnings,
        )?;
        let (usage, _) = setting(
            &raw.usage_rate,
            "server.usage_rate",
            "usage rate",
            "1",
            0.01,
            1.0,
            "center.usage-rate-default",
            &mut warnings,
        )?;
        let center_key = match &raw.allocation_key {
            Some(k) => match AllocationKey::parse(k.get_ref()) {
                Some(key) => Some(key),
                None => {
                    return cx.err(
                        k.span(),
                        format!(
                        "unknown allocation_key `{}`: expected node, cores, gpus, memory or max",
                        k.get_ref()
                    ),
                    )
                }
            },
            None => None,
        };

        // Node types.
        let mut types: BTreeMap<String, NodeType> = BTreeMap::new();
        let mut node_type_warnings = BTreeMap::new();
        for (name, t) in &raw.node_types {
            let mut tw = Vec::new();
            let nt = node_type(&cx, name, t, bundle, constants, &mut tw)?;
            impacts_model::report::dedup_warnings(&mut tw);
            node_type_warnings.insert(name.clone(), tw);
            types.insert(name.clone(), nt);
        }
        if raw.partitions.is_empty() {
            return Err(located(
                file,
                0,
                0,
                "no [partitions.NAME] table: a center needs at least one partition",
            ));
        }

        let mut clusters = Vec::new();
        let mut partitions = Vec::new();
        let names: BTreeSet<&String> = raw.partitions.keys().collect();
        for (pname, p) in &raw.partitions {
            let r = p.get_ref();
            let groups: Vec<(String, u64, Option<String>, std::ops::Range<usize>)> = match (
                &r.node_type,
                r.groups.is_empty(),
            ) {
                (Some(t), true) => {
                    let n = match &r.nodes {
                        Some(n) => positive_int(&cx, n, &format!("partition {pname}: nodes"), false)?,
                        None => return cx.err(p.span(), format!("partition {pname}: missing `nodes` (the number of nodes of type {})", t.get_ref())),
                    };
                    vec![(t.get_ref().clone(), n, r.node_pattern.clone(), t.span())]
                }
                (None, false) => {
                    if let Some(n) = &r.nodes {
                        return cx.err(n.span(), format!("partition {pname}: give nodes inside each group, not beside `groups`"));
                    }
                    let mut v = Vec::new();
                    for g in &r.groups {
                        let x = g.get_ref();
                        let n = positive_int(
                            &cx,
                            &x.nodes,
                            &format!("partition {pname}: group nodes"),
                            false,
                        )?;
                        v.push((
                            x.node_type.get_ref().clone(),
                            n,
                            x.node_pattern.clone(),
                            x.node_type.span(),
                        ));
                    }
                    v
                }
                (Some(t), false) => {
                    return cx.err(
                        t.span(),
                        format!(
                        "partition {pname}: give either node_type and nodes, or groups, not both"
                    ),
                    )
                }
                (None, true) => {
                    return cx.err(
                        p.span(),
                        format!("partition {pname}: missing node_type (or groups)"),
                    )
                }
            };
            for (t, _, _, span) in &groups {
                if !types.contains_key(t) {
                    return cx.err(
                        span.clone(),
                        format!(
                            "partition {pname}: unknown node type `{t}`: expected one of {}",
                            types.keys().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    );
                }
            }
            if let Some(of) = &r.part_of {
                if !names.contains(of.get_ref()) || of.get_ref() == pname {
                    return cx.err(
                        of.span(),
                        format!(
                            "partition {pname}: part_of `{}` is not another partition of this file",
                            of.get_ref()
                        ),
                    );
                }
            }
            let pkey = |v: &Option<Spanned<Value>>,
                        base: &Input,
                        key: &str,
                        name: &str,
                        unit: &str,
                        lo: f64,
                        hi: f64|
             -> Result<Input, CenterError> {
                match v {
                    Some(v) => {
                        let q = quantity_of(
                            &cx,
                            v,
                            &format!("partition {pname}: {name}"),
                            unit,
                            lo,
                            hi,
                            &source,
                        )?;
                        Ok(Input::new(
                            format!("partition:{file}:{pname}:{key}"),
                            format!("{name} of {pname}"),
                            q,
                        ))
                    }
                    None => Ok(base.clone()),
                }
            };
            let ppue = pkey(&r.pue, &pue, "pue", "PUE", "1", 1.0, 5.0)?;
            let plife = pkey(
                &r.lifetime_years,
                &lifetime,
                "lifetime",
                "node lifetime",
                "year",
                0.1,
                50.0,
            )?;
            let pusage = pkey(&r.usage_rate, &usage, "usage", "usage rate", "1", 0.01, 1.0)?;
            let allocation = match r.allocation.as_ref().map(|a| a.get_ref().as_str()) {
                None | Some("linear") => Allocation::Linear,
                Some("decreasing") => match r.age_years {
                    Some(a) if a.is_finite() && a >= 0.0 => Allocation::DecreasingOverTime { age_years: a },
                    _ => return cx.err(r.allocation.as_ref().expect("given").span(), format!("partition {pname}: allocation = \"decreasing\" needs age_years (the age of the nodes, >= 0)")),
                },
                Some(other) => return cx.err(r.allocation.as_ref().expect("given").span(), format!("partition {pname}: unknown allocation `{other}`: expected linear or decreasing")),
            };
            let key = match &r.allocation_key {
                Some(k) => match AllocationKey::parse(k.get_ref()) {
                    Some(k) => k,
                    None => return cx.err(k.span(), format!("partition {pname}: unknown allocation_key `{}`: expected node, cores, gpus, memory or max", k.get_ref())),
                },
                None => center_key.unwrap_or(AllocationKey::Max),
            };
            let total: u64 = groups.iter().map(|g| g.1).sum();
            let weighted = |f: fn(&NodeType) -> f64| {
                groups
                    .iter()
                    .map(|(t, n, _, _)| f(&types[t]) * *n as f64)
                    .sum::<f64>()
                    / total as f64
            };
            let cluster = ClusterSpec {
                name: pname.clone(),
                groups: groups
                    .iter()
                    .map(|(t, n, _, _)| NodeGroup {
                        server: types[t].server.clone(),
                        count: *n as f64,
                    })
                    .collect(),
                pue: ppue,
                lifetime_years: plife,
                usage_rate: pusage,
                allocation,
                in_park: r.part_of.is_none(),
            };
            partitions.push(Partition {
                name: pname.clone(),
                aliases: r.aliases.clone(),
                cluster: clusters.len(),
                nodes: total,
                cores_per_node: weighted(|t| t.cores),
                gpus_per_node: weighted(|t| t.gpus),
                memory_gb_per_node: weighted(|t| t.memory_gb),
                allocation_key: key,
                groups: groups
                    .iter()
                    .map(|(t, n, pat, _)| Group {
                        node_type: t.clone(),
                        nodes: *n,
                        node_pattern: pat.clone(),
                    })
                    .collect(),
                note: r.note.clone(),
                is_default: false,
            });
            let _ = r.installed;
            clusters.push(cluster);
        }
        let default_partition = match &raw.default_node_type {
            Some(t) => {
                let Some(nt) = types.get(t.get_ref()) else {
                    return cx.err(
                        t.span(),
                        format!(
                            "unknown default_node_type `{}`: expected one of {}",
                            t.get_ref(),
                            types.keys().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    );
                };
                let p = Partition {
                    name: format!("(default: {})", t.get_ref()),
                    aliases: vec![],
                    cluster: clusters.len(),
                    nodes: 0,
                    cores_per_node: nt.cores,
                    gpus_per_node: nt.gpus,
                    memory_gb_per_node: nt.memory_gb,
                    allocation_key: center_key.unwrap_or(AllocationKey::Max),
                    groups: vec![Group {
                        node_type: t.get_ref().clone(),
                        nodes: 0,
                        node_pattern: None,
                    }],
                    note: None,
                    is_default: true,
                };
                clusters.push(ClusterSpec {
                    name: p.name.clone(),
                    groups: vec![NodeGroup {
                        server: nt.server.clone(),
                        count: 1.0,
                    }],
                    pue: pue.clone(),
                    lifetime_years: lifetime.clone(),
                    usage_rate: usage.clone(),
                    allocation: Allocation::Linear,
                    in_park: false,
                });
                Some(p)
            }
            None => None,
        };

        // Facility.
        let batteries = if raw.facility.batteries.unwrap_or(true) {
            let chem = raw
                .facility
                .battery_chemistry
                .as_ref()
                .map(|c| c.get_ref().clone())
                .unwrap_or_else(|| "LMO".into());
            let mut b = bundle.batteries(&chem, constants).map_err(|e| {
                match &raw.facility.battery_chemistry {
                    Some(c) => data_err(&cx, c.span(), e),
                    None => data_error(file, 0, 0, e),
                }
            })?;
            if let Some(a) = &raw.facility.battery_autonomy_minutes {
                let q = quantity_of(
                    &cx,
                    a,
                    "battery autonomy (minutes)",
                    "min",
                    0.1,
                    600.0,
                    &source,
                )?;
                b.autonomy_minutes =
                    Input::new(format!("center:{file}:battery_autonomy"), "UPS autonomy", q);
            }
            Some(b)
        } else {
            None
        };
        let cooling = if raw.facility.cooling.unwrap_or(true) {
            let cap = match &raw.facility.cooling_capacity_kw {
                Some(c) => Some(Input::new(
                    format!("center:{file}:cooling_capacity"),
                    "cooling capacity",
                    quantity_of(&cx, c, "cooling capacity (kW)", "kW", 0.001, 1e7, &source)?,
                )),
                None => None,
            };
            Some(
                bundle
                    .cooling(cap, constants)
                    .map_err(|e| data_error(file, 0, 0, e))?,
            )
        } else {
            None
        };
        // Storage tiers.
        let mut storage = Vec::new();
        for (name, t) in &raw.storage {
            let r = t.get_ref();
            let media = Media::parse(r.media.get_ref()).ok_or_else(|| {
                located(
                    file,
                    locate(text, r.media.span().start).0,
                    locate(text, r.media.span().start).1,
                    format!(
                        "storage.{name}: unknown media `{}`: expected hdd, ssd or tape",
                        r.media.get_ref()
                    ),
                )
            })?;
            let q = |v: &Option<Spanned<Value>>,
                     key: &str,
                     what: &str,
                     unit: &str,
                     lo: f64,
                     hi: f64|
             -> Result<Option<Input>, CenterError> {
                v.as_ref()
                    .map(|v| {
                        let q = quantity_of(
                            &cx,
                            v,
                            &format!("storage.{name}.{key}"),
                            unit,
                            lo,
                            hi,
                            &source,
                        )?;
                        Ok(Input::new(
                            format!("center:{file}:storage.{name}.{key}:{:x}", q.value.to_bits()),
                            format!("{what} of storage tier {name}"),
                            q,
                        ))
                    })
                    .transpose()
            };
            let mut mounts: Vec<String> = Vec::new();
            for m in r.mounts.iter().flat_map(|m| m.get_ref()) {
                let path = m.get_ref().trim_end_matches('/');
                if !m.get_ref().starts_with('/') {
                    return cx.err(
                        m.span(),
                        format!(
                            "storage.{name}.mounts: `{}` is not a mount point: expected an absolute path such as /lustre/work",
                            m.get_ref()
                        ),
                    );
                }
                let path = if path.is_empty() { "/" } else { path };
                if let Some(other) = storage_mount_owner(&raw.storage, name, path) {
                    return cx.err(
                        m.span(),
                        format!("storage.{name}.mounts: `{path}` is also a mount of storage.{other}: a mount point belongs to one tier"),
                    );
                }
                mounts.push(path.to_string());
            }
            let mut manufacturing_per_tb = Vec::new();
            for (crit, v) in &r.manufacturing_per_tb {
                let Some(c) = bundle.criteria.iter().find(|c| &c.key == crit) else {
                    return cx.err(
                        v.span(),
                        format!(
                            "storage.{name}.manufacturing_per_tb: unknown criterion `{crit}`: expected {}",
                            bundle.criteria.iter().map(|c| c.key.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    );
                };
                let q = quantity_of(
                    &cx,
                    v,
                    &format!("storage.{name}.manufacturing_per_tb.{crit}"),
                    &format!("{}/TB", c.unit),
                    0.0,
                    1e12,
                    &source,
                )?;
                manufacturing_per_tb.push((
                    crit.clone(),
                    Input::new(
                        format!(
                            "center:{file}:storage.{name}.manufacturing_per_tb.{crit}:{:x}",
                            q.value.to_bits()
                        ),
                        format!("manufacturing per TB of storage tier {name}"),
                        q,
                    ),
                ));
            }
            storage.push(StorageTier {
                name: name.clone(),
                media,
                description: r.description.clone(),
                drive_capacity_tb: q(
                    &r.drive_capacity_tb,
                    "drive_capacity_tb",
                    "drive capacity",
                    "TB",
                    0.001,
                    1000.0,
                )?,
                redundancy: q(
                    &r.redundancy,
                    "redundancy",
                    "raw capacity per usable TB",
                    "1",
                    1.0,
                    10.0,
                )?,
                power_w_per_tb: q(
                    &r.power_w_per_tb,
                    "power_w_per_tb",
                    "power per raw TB",
                    "W/TB",
                    0.0,
                    1000.0,
                )?,
                manufacturing_per_tb,
                enclosure_overhead: q(
                    &r.enclosure_overhead,
                    "enclosure_overhead",
                    "enclosure overhead",
                    "1",
                    1.0,
                    10.0,
                )?,
                power_overhead: q(
                    &r.power_overhead,
                    "power_overhead",
                    "power overhead",
                    "1",
                    1.0,
                    10.0,
                )?,
                lifetime_years: q(
                    &r.lifetime_years,
                    "lifetime_years",
                    "lifetime",
                    "year",
                    0.1,
                    50.0,
                )?,
                drive_throughput_mb_s: q(
                    &r.drive_throughput_mb_s,
                    "drive_throughput_mb_s",
                    "drive throughput",
                    "MB/s",
                    1.0,
                    100_000.0,
                )?,
                busy_fraction: q(
                    &r.busy_fraction,
                    "busy_fraction",
                    "share of time the drives are busy",
                    "1",
                    0.001,
                    1.0,
                )?,
                mounts,
            });
        }
        impacts_model::report::dedup_warnings(&mut warnings);
        let time_zone = match &raw.time_zone {
            Some(tz) => Some(check_time_zone(&cx, tz)?),
            None => None,
        };
        Ok(Center {
            name: raw.name,
            operator: raw.operator,
            file: file.to_string(),
            time_zone,
            spec: CenterSpec {
                name: String::new(),
                zone: zone.spec,
                clusters,
                batteries,
                cooling,
            },
            partitions,
            default_partition,
            warnings,
            node_type_warnings,
            pue,
            lifetime,
            storage,
        })
        .map(|mut c| {
            c.spec.name = c.name.clone();
            c
        })
    }

    /// A partition by name or alias.
    pub fn partition(&self, name: &str) -> Option<&Partition> {
        self.partitions
            .iter()
            .find(|p| p.name == name || p.aliases.iter().any(|a| a == name))
    }

    /// The warnings that concern a partition: the center's and those of its node types.
    pub fn warnings_for(&self, partition: &Partition) -> Vec<Warning> {
        let mut out = self.warnings.clone();
        for g in &partition.groups {
            if let Some(w) = self.node_type_warnings.get(&g.node_type) {
                out.extend(w.iter().cloned());
            }
        }
        out
    }

    /// The names of the partitions.
    pub fn partition_names(&self) -> Vec<&str> {
        self.partitions.iter().map(|p| p.name.as_str()).collect()
    }
}
