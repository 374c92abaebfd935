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

mod check;
mod facility;
mod limits;
mod node_type;
mod partition;
mod raw;
mod storage;

use std::collections::BTreeMap;

use impacts_data::{Bundle, DataError, InputError, Location};
use impacts_model::builder::Input;
use impacts_model::criteria::Constants;
use impacts_model::job::CenterSpec;
use impacts_model::report::Warning;
use serde::{Deserialize, Serialize};

use crate::check::{check_time_zone, Cx};
use crate::raw::RawCenter;
pub use crate::raw::Value;
pub use crate::storage::{Media, StorageTier};

/// An error in a center file: what is wrong, located (file:line:column) when it is in the file.
pub type CenterError = InputError;

/// An error at a line and column of a center file (line 0: the whole file).
fn located(file: &str, line: usize, column: usize, message: impl Into<String>) -> CenterError {
    let column = (column > 0).then_some(column as u64);
    InputError::malformed(message).at(Location::at(file, line as u64, column))
}

/// A data-layer error about a value of a center file, located where the value is.
fn data_error(at: Location, e: DataError) -> CenterError {
    match e {
        DataError::Input(e) => e.at(at),
        other => InputError::malformed(other.to_string()).at(at),
    }
}

/// Line and column (1-based, in characters) of a byte offset of a text.
pub fn locate(text: &str, offset: usize) -> (usize, usize) {
    let at = Location::in_text("", text, offset);
    (at.line as usize, at.column.unwrap_or(1) as usize)
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
    /// Whether (and how much of) its heat is reused, as the file reports it: shown, not credited
    /// (no method allocates the heat's avoided burden to the jobs).
    pub heat_reuse: Option<HeatReuse>,
    /// Lifetime of its equipment (years).
    pub lifetime: Input,
    /// Storage tiers, in name order.
    pub storage: Vec<StorageTier>,
}

/// A center's heat reuse, as its file reports it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct HeatReuse {
    /// Whether heat is reused today.
    pub reused: bool,
    /// The share of the heat reused (0 to 1), when published.
    pub share: Option<f64>,
    /// What, where, since when.
    pub note: Option<String>,
    /// Bibliography key of the fact.
    pub source: Option<String>,
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
        let raw = parse(&cx)?;
        let mut warnings = Vec::new();
        let source = facility::source(&cx, raw.source.as_ref(), bundle, &mut warnings);
        let zone = facility::zone(
            &cx,
            raw.zone.as_ref(),
            bundle,
            constants,
            zone_override,
            &mut warnings,
        )?;
        let defaults = facility::defaults(&cx, &raw, constants, source, &mut warnings)?;
        let node_types = node_type::node_types(&cx, &raw.node_types, bundle, constants)?;
        let parts = partition::read(&cx, &raw, &node_types.types, &defaults)?;
        let batteries =
            facility::batteries(&cx, &raw.facility, bundle, constants, &defaults.source)?;
        let cooling = facility::cooling(&cx, &raw.facility, bundle, constants, &defaults.source)?;
        let storage = storage::tiers(&cx, &raw.storage, bundle, &defaults.source)?;
        impacts_model::report::dedup_warnings(&mut warnings);
        let time_zone = match &raw.time_zone {
            Some(tz) => Some(check_time_zone(&cx, tz)?),
            None => None,
        };
        let heat_reuse = match &raw.heat_reuse {
            Some(h) => Some(heat_reuse(&cx, h)?),
            None => None,
        };
        Ok(Center {
            spec: CenterSpec {
                name: raw.name.clone(),
                zone: zone.spec,
                clusters: parts.clusters,
                batteries,
                cooling,
            },
            name: raw.name,
            operator: raw.operator,
            file: file.to_string(),
            time_zone,
            partitions: parts.partitions,
            default_partition: parts.default,
            warnings,
            node_type_warnings: node_types.warnings,
            pue: defaults.pue,
            heat_reuse,
            lifetime: defaults.lifetime,
            storage,
        })
    }

    /// A partition by name or alias (a name or alias names one partition: checked when the
    /// file is read).
    pub fn partition(&self, name: &str) -> Option<&Partition> {
        self.partition_index(name).map(|i| &self.partitions[i])
    }

    /// The position of a partition named `name` (by its name or an alias) in `partitions`.
    pub fn partition_index(&self, name: &str) -> Option<usize> {
        self.partitions
            .iter()
            .position(|p| p.name == name || p.aliases.iter().any(|a| a == name))
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

/// Reads the file's TOML into its keys. A syntax error or a value of the wrong type is located;
/// when it lies in the value of a `key = value` line, the key is the error's field.
fn parse(cx: &Cx<'_>) -> Result<RawCenter, CenterError> {
    toml::from_str(cx.text).map_err(|e| {
        let at = e
            .span()
            .map_or_else(|| Location::file(cx.file), |s| cx.at(s.start));
        let column = at.column.unwrap_or(0) as usize;
        // Name the key of the offending line when the error is in its value.
        let key = cx
            .text
            .lines()
            .nth((at.line as usize).saturating_sub(1))
            .and_then(|l| l.split_once('='))
            .filter(|(k, _)| k.chars().count() < column)
            .map(|(k, _)| k.trim().trim_matches('"').to_string())
            .filter(|k| !k.is_empty() && !k.contains(['{', '[', ' ']));
        let e = InputError::malformed(e.message().trim()).at(at);
        match key {
            Some(k) => e.for_field(k),
            None => e,
        }
    })
}

/// A file's heat reuse, its share checked (0 to 1).
fn heat_reuse(cx: &Cx<'_>, h: &toml::Spanned<raw::RawHeatReuse>) -> Result<HeatReuse, CenterError> {
    let r = h.get_ref();
    if let Some(s) = r.share {
        if !(0.0..=1.0).contains(&s) {
            return cx.err(
                h.span(),
                format!("heat_reuse.share '{s}': expected the share of the heat reused, 0 to 1"),
            );
        }
    }
    Ok(HeatReuse {
        reused: r.reused,
        share: r.share,
        note: r.note.clone(),
        source: r.source.clone(),
    })
}
