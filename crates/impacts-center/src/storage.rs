//! Storage tiers (`[storage.NAME]`): a storage system's medium, figures and mount points.

use std::collections::BTreeMap;

use impacts_data::Bundle;
use impacts_model::builder::Input;
use serde::Serialize;
use toml::Spanned;

use crate::check::{quantity_of, Cx};
use crate::limits::{
    Bounds, LIFETIME_YEARS, STORAGE_BUSY_FRACTION, STORAGE_DRIVE_CAPACITY_TB,
    STORAGE_DRIVE_THROUGHPUT_MB_S, STORAGE_MANUFACTURING_PER_TB, STORAGE_OVERHEAD,
    STORAGE_POWER_W_PER_TB, STORAGE_REDUNDANCY,
};
use crate::raw::{RawStorage, Value};
use crate::CenterError;

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

/// A figure of a storage tier: its key, what it is, its unit and its bounds.
struct Figure {
    key: &'static str,
    what: &'static str,
    unit: &'static str,
    bounds: Bounds,
}

impl Figure {
    /// A figure.
    const fn new(
        key: &'static str,
        what: &'static str,
        unit: &'static str,
        bounds: Bounds,
    ) -> Self {
        Figure {
            key,
            what,
            unit,
            bounds,
        }
    }
}

/// Capacity of one drive or cartridge.
const DRIVE_CAPACITY: Figure = Figure::new(
    "drive_capacity_tb",
    "drive capacity",
    "TB",
    STORAGE_DRIVE_CAPACITY_TB,
);
/// Raw capacity per usable TB.
const REDUNDANCY: Figure = Figure::new(
    "redundancy",
    "raw capacity per usable TB",
    "1",
    STORAGE_REDUNDANCY,
);
/// Power of the whole system per raw TB.
const POWER_PER_TB: Figure = Figure::new(
    "power_w_per_tb",
    "power per raw TB",
    "W/TB",
    STORAGE_POWER_W_PER_TB,
);
/// Embodied impacts of the system over those of its drives.
const ENCLOSURE_OVERHEAD: Figure = Figure::new(
    "enclosure_overhead",
    "enclosure overhead",
    "1",
    STORAGE_OVERHEAD,
);
/// Power of the system over that of its drives.
const POWER_OVERHEAD: Figure =
    Figure::new("power_overhead", "power overhead", "1", STORAGE_OVERHEAD);
/// Lifetime of the system.
const LIFETIME: Figure = Figure::new("lifetime_years", "lifetime", "year", LIFETIME_YEARS);
/// Sequential throughput of one drive.
const DRIVE_THROUGHPUT: Figure = Figure::new(
    "drive_throughput_mb_s",
    "drive throughput",
    "MB/s",
    STORAGE_DRIVE_THROUGHPUT_MB_S,
);
/// Share of their lifetime the drives spend reading or writing.
const BUSY_FRACTION: Figure = Figure::new(
    "busy_fraction",
    "share of time the drives are busy",
    "1",
    STORAGE_BUSY_FRACTION,
);

/// Every storage tier of the file, in name order.
pub(crate) fn tiers(
    cx: &Cx<'_>,
    raw: &BTreeMap<String, Spanned<RawStorage>>,
    bundle: &Bundle,
    source: &str,
) -> Result<Vec<StorageTier>, CenterError> {
    raw.iter()
        .map(|(name, t)| {
            let tier = Tier {
                cx,
                name,
                source,
                raw: t.get_ref(),
            };
            tier.read(raw, bundle)
        })
        .collect()
}

/// One tier being read.
struct Tier<'a> {
    cx: &'a Cx<'a>,
    name: &'a str,
    source: &'a str,
    raw: &'a RawStorage,
}

impl Tier<'_> {
    /// The tier: its medium, mount points, manufacturing per TB and figures, checked in that
    /// order. `all` holds every tier of the file, for mount points given twice.
    fn read(
        &self,
        all: &BTreeMap<String, Spanned<RawStorage>>,
        bundle: &Bundle,
    ) -> Result<StorageTier, CenterError> {
        let (cx, name, r) = (self.cx, self.name, self.raw);
        let Some(media) = Media::parse(r.media.get_ref()) else {
            return cx.err(
                r.media.span(),
                format!(
                    "storage.{name}: unknown media `{}`: expected hdd, ssd or tape",
                    r.media.get_ref()
                ),
            );
        };
        let mounts = self.mounts(all)?;
        let manufacturing_per_tb = self.manufacturing_per_tb(bundle)?;
        Ok(StorageTier {
            name: name.to_string(),
            media,
            description: r.description.clone(),
            drive_capacity_tb: self.figure(&r.drive_capacity_tb, &DRIVE_CAPACITY)?,
            redundancy: self.figure(&r.redundancy, &REDUNDANCY)?,
            power_w_per_tb: self.figure(&r.power_w_per_tb, &POWER_PER_TB)?,
            manufacturing_per_tb,
            enclosure_overhead: self.figure(&r.enclosure_overhead, &ENCLOSURE_OVERHEAD)?,
            power_overhead: self.figure(&r.power_overhead, &POWER_OVERHEAD)?,
            lifetime_years: self.figure(&r.lifetime_years, &LIFETIME)?,
            drive_throughput_mb_s: self.figure(&r.drive_throughput_mb_s, &DRIVE_THROUGHPUT)?,
            busy_fraction: self.figure(&r.busy_fraction, &BUSY_FRACTION)?,
            mounts,
        })
    }

    /// A figure of the tier, when the file gives it.
    fn figure(&self, v: &Option<Spanned<Value>>, f: &Figure) -> Result<Option<Input>, CenterError> {
        let Some(v) = v else {
            return Ok(None);
        };
        let (cx, name, key) = (self.cx, self.name, f.key);
        let what = format!("storage.{name}.{key}");
        let q = quantity_of(cx, v, &what, f.unit, f.bounds, self.source)?;
        Ok(Some(Input::new(
            format!(
                "center:{}:storage.{name}.{key}:{:x}",
                cx.file,
                q.value.to_bits()
            ),
            format!("{} of storage tier {name}", f.what),
            q,
        )))
    }

    /// The mount points of the tier: absolute paths, without their trailing `/`, each the
    /// mount of one tier only.
    fn mounts(
        &self,
        all: &BTreeMap<String, Spanned<RawStorage>>,
    ) -> Result<Vec<String>, CenterError> {
        let (cx, name) = (self.cx, self.name);
        let mut mounts: Vec<String> = Vec::new();
        for m in self.raw.mounts.iter().flat_map(|m| m.get_ref()) {
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
            if let Some(other) = mount_owner(all, name, path) {
                return cx.err(
                    m.span(),
                    format!("storage.{name}.mounts: `{path}` is also a mount of storage.{other}: a mount point belongs to one tier"),
                );
            }
            mounts.push(path.to_string());
        }
        Ok(mounts)
    }

    /// The manufacturing impact per raw TB the tier gives, per criterion of the bundle.
    fn manufacturing_per_tb(&self, bundle: &Bundle) -> Result<Vec<(String, Input)>, CenterError> {
        let (cx, name) = (self.cx, self.name);
        let mut out = Vec::new();
        for (crit, v) in &self.raw.manufacturing_per_tb {
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
                cx,
                v,
                &format!("storage.{name}.manufacturing_per_tb.{crit}"),
                &format!("{}/TB", c.unit),
                STORAGE_MANUFACTURING_PER_TB,
                self.source,
            )?;
            out.push((
                crit.clone(),
                Input::new(
                    format!(
                        "center:{}:storage.{name}.manufacturing_per_tb.{crit}:{:x}",
                        cx.file,
                        q.value.to_bits()
                    ),
                    format!("manufacturing per TB of storage tier {name}"),
                    q,
                ),
            ));
        }
        Ok(out)
    }
}

/// The first other tier (in name order, before `name`) that lists `path` among its mounts.
fn mount_owner<'a>(
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
