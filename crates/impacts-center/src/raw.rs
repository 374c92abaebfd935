//! The file as serde reads it: every key of the schema (docs/center-file.md), with the spans of
//! the values that a check may refuse, before any check or resolution.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use toml::Spanned;

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

impl Value {
    /// A bare number: no bounds, distribution, source or note.
    fn number(value: f64) -> Value {
        Value {
            value,
            low: None,
            high: None,
            dist: None,
            source: None,
            note: None,
        }
    }

    /// The numbers the file gives: the value, then its bounds when given.
    pub(crate) fn numbers(&self) -> impl Iterator<Item = f64> {
        std::iter::once(self.value).chain(self.low).chain(self.high)
    }
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
                Ok(Value::number(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
                self.visit_f64(v as f64)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
                let mut out = Value::number(f64::NAN);
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

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCenter {
    pub name: String,
    #[serde(default)]
    pub operator: Option<String>,
    /// Free text, accepted and not used.
    #[serde(default)]
    #[allow(dead_code)]
    pub description: Option<String>,
    #[serde(default)]
    pub zone: Option<Spanned<String>>,
    #[serde(default)]
    pub time_zone: Option<Spanned<String>>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub pue: Option<Spanned<Value>>,
    /// Water usage effectiveness, L per kWh of IT energy.
    #[serde(default)]
    pub wue: Option<Spanned<Value>>,
    /// Manufacturing of the interconnect, storage systems and service nodes as a share of the
    /// compute nodes'.
    #[serde(default)]
    pub infrastructure_share: Option<Spanned<Value>>,
    #[serde(default)]
    pub lifetime_years: Option<Spanned<Value>>,
    #[serde(default)]
    pub usage_rate: Option<Spanned<Value>>,
    #[serde(default)]
    pub allocation_key: Option<Spanned<String>>,
    #[serde(default)]
    pub default_node_type: Option<Spanned<String>>,
    /// Heat reuse: reported, not credited.
    #[serde(default)]
    pub heat_reuse: Option<Spanned<RawHeatReuse>>,
    #[serde(default)]
    pub facility: RawFacility,
    pub node_types: BTreeMap<String, Spanned<RawNodeType>>,
    pub partitions: BTreeMap<String, Spanned<RawPartition>>,
    #[serde(default)]
    pub storage: BTreeMap<String, Spanned<RawStorage>>,
}

/// `heat_reuse = { reused, share, note, source }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHeatReuse {
    pub reused: bool,
    #[serde(default)]
    pub share: Option<f64>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

/// `[storage.NAME]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStorage {
    pub media: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub drive_capacity_tb: Option<Spanned<Value>>,
    #[serde(default)]
    pub redundancy: Option<Spanned<Value>>,
    #[serde(default)]
    pub power_w_per_tb: Option<Spanned<Value>>,
    #[serde(default)]
    pub manufacturing_per_tb: BTreeMap<String, Spanned<Value>>,
    #[serde(default)]
    pub enclosure_overhead: Option<Spanned<Value>>,
    #[serde(default)]
    pub power_overhead: Option<Spanned<Value>>,
    #[serde(default)]
    pub lifetime_years: Option<Spanned<Value>>,
    #[serde(default)]
    pub drive_throughput_mb_s: Option<Spanned<Value>>,
    #[serde(default)]
    pub busy_fraction: Option<Spanned<Value>>,
    #[serde(default)]
    pub mounts: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `[facility]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFacility {
    #[serde(default)]
    pub batteries: Option<bool>,
    #[serde(default)]
    pub battery_chemistry: Option<Spanned<String>>,
    #[serde(default)]
    pub battery_autonomy_minutes: Option<Spanned<Value>>,
    #[serde(default)]
    pub cooling: Option<bool>,
    #[serde(default)]
    pub cooling_capacity_kw: Option<Spanned<Value>>,
}

/// `[node_types.NAME]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNodeType {
    /// Free text, accepted and not used.
    #[serde(default)]
    #[allow(dead_code)]
    pub description: Option<String>,
    #[serde(default)]
    pub cpus: Vec<Spanned<RawCpu>>,
    #[serde(default)]
    pub gpus: Vec<Spanned<RawGpu>>,
    #[serde(default)]
    pub ram_gb: Option<Spanned<f64>>,
    #[serde(default)]
    pub ram: Option<Spanned<RawRam>>,
    #[serde(default)]
    pub ssds: Vec<Spanned<RawSsd>>,
    #[serde(default)]
    pub hdds: Option<Spanned<i64>>,
    #[serde(default)]
    pub motherboards: Option<Spanned<i64>>,
    #[serde(default)]
    pub psus: Option<Spanned<RawPsu>>,
    #[serde(default)]
    pub case: Option<Spanned<String>>,
    #[serde(default)]
    pub assembly: Option<bool>,
    #[serde(default)]
    pub cores: Option<Spanned<i64>>,
    #[serde(default)]
    pub memory_gb: Option<Spanned<f64>>,
}

/// An entry of a node type's `cpus`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCpu {
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub count: Option<Spanned<i64>>,
    #[serde(default)]
    pub cores: Option<Spanned<i64>>,
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub model_range: Option<String>,
    #[serde(default)]
    pub tdp_w: Option<Spanned<Value>>,
    #[serde(default)]
    pub die_area_mm2: Option<Spanned<Value>>,
    #[serde(default)]
    pub power_points: Option<Spanned<Vec<(f64, f64)>>>,
}

/// An entry of a node type's `gpus`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGpu {
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub count: Option<Spanned<i64>>,
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub tdp_w: Option<Spanned<f64>>,
    #[serde(default)]
    pub die_area_mm2: Option<Spanned<f64>>,
    #[serde(default)]
    pub memory_gb: Option<Spanned<f64>>,
    /// Number of dies the die area is made of (chiplets).
    #[serde(default)]
    pub dies: Option<Spanned<i64>>,
}

/// A node type's `ram` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRam {
    pub size_gb: Spanned<f64>,
    #[serde(default)]
    pub manufacturer: Option<String>,
    #[serde(default)]
    pub process_nm: Option<f64>,
    #[serde(default)]
    pub density_gb_per_cm2: Option<Spanned<f64>>,
    #[serde(default)]
    pub generation: Option<String>,
    #[serde(default)]
    pub modules: Option<Spanned<i64>>,
    #[serde(default)]
    pub power_in_gpus: Option<bool>,
}

/// An entry of a node type's `ssds`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSsd {
    pub size: Spanned<String>,
    #[serde(default)]
    pub count: Option<Spanned<i64>>,
    #[serde(default)]
    pub manufacturer: Option<String>,
    #[serde(default)]
    pub layers: Option<i64>,
}

/// A node type's `psus` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPsu {
    pub count: Spanned<i64>,
    #[serde(default)]
    pub mass_kg: Option<Spanned<f64>>,
}

/// An entry of a partition's `groups`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGroup {
    pub node_type: Spanned<String>,
    pub nodes: Spanned<i64>,
    #[serde(default)]
    pub node_pattern: Option<String>,
}

/// `[partitions.NAME]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPartition {
    #[serde(default)]
    pub node_type: Option<Spanned<String>>,
    #[serde(default)]
    pub nodes: Option<Spanned<i64>>,
    #[serde(default)]
    pub node_pattern: Option<String>,
    #[serde(default)]
    pub groups: Vec<Spanned<RawGroup>>,
    #[serde(default)]
    pub pue: Option<Spanned<Value>>,
    /// Water usage effectiveness, L per kWh of IT energy.
    #[serde(default)]
    pub wue: Option<Spanned<Value>>,
    /// Manufacturing of the interconnect, storage systems and service nodes as a share of the
    /// compute nodes'.
    #[serde(default)]
    pub infrastructure_share: Option<Spanned<Value>>,
    #[serde(default)]
    pub lifetime_years: Option<Spanned<Value>>,
    #[serde(default)]
    pub usage_rate: Option<Spanned<Value>>,
    #[serde(default)]
    pub allocation_key: Option<Spanned<String>>,
    #[serde(default)]
    pub allocation: Option<Spanned<String>>,
    #[serde(default)]
    pub age_years: Option<Spanned<f64>>,
    /// Year of installation, informative.
    #[serde(default)]
    #[allow(dead_code)]
    pub installed: Option<i64>,
    #[serde(default)]
    pub part_of: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}
