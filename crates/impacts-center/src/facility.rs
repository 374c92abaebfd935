//! The center as a whole: its source of facts, electricity zone, the defaults its partitions
//! share (PUE, lifetime, usage rate, allocation key) and its facility (UPS batteries, cooling).

use impacts_data::resolve::ZoneFound;
use impacts_data::{Bundle, DataError, InputError, Location};
use impacts_model::builder::Input;
use impacts_model::criteria::Constants;
use impacts_model::job::{BatterySpec, CoolingSpec};
use impacts_model::quantity::fmt_num;
use impacts_model::report::Warning;
use toml::Spanned;

use crate::check::{quantity_of, Cx};
use crate::limits::{
    Bounds, BATTERY_AUTONOMY_MINUTES, COOLING_CAPACITY_KW, INFRASTRUCTURE_SHARE, LIFETIME_YEARS,
    PUE, USAGE_RATE, WUE,
};
use crate::raw::{RawCenter, RawFacility, Value};
use crate::{data_error, located, AllocationKey, CenterError};

/// A number the center gives once and each partition may override (PUE, lifetime, usage
/// rate): the method's constant that stands for it, its names, unit and bounds.
pub(crate) struct Setting {
    /// The method's constant used when the file gives none (`facility.pue`).
    constant: &'static str,
    /// The partition's key in the model's inputs (`pue`).
    partition_key: &'static str,
    /// What it is, in messages (`PUE`).
    name: &'static str,
    /// Its unit.
    unit: &'static str,
    /// What the file may give.
    bounds: Bounds,
    /// The warning when the file gives none.
    warning: &'static str,
}

/// The PUE of the center, or of a partition.
pub(crate) const PUE_SETTING: Setting = Setting {
    constant: "facility.pue",
    partition_key: "pue",
    name: "PUE",
    unit: "1",
    bounds: PUE,
    warning: "center.pue-default",
};

/// The water usage effectiveness of the center, or of a partition (L per kWh of IT energy).
pub(crate) const WUE_SETTING: Setting = Setting {
    constant: "facility.wue",
    partition_key: "wue",
    name: "WUE",
    unit: "L/kWh",
    bounds: WUE,
    warning: "center.wue-default",
};

/// The manufacturing of the center's interconnect, storage systems and service nodes, as a
/// share of its compute nodes'.
pub(crate) const INFRASTRUCTURE_SETTING: Setting = Setting {
    constant: "facility.infrastructure_share",
    partition_key: "infrastructure",
    name: "share of interconnect, storage and service nodes",
    unit: "1",
    bounds: INFRASTRUCTURE_SHARE,
    warning: "center.infrastructure-default",
};

/// The lifetime of the nodes.
pub(crate) const LIFETIME_SETTING: Setting = Setting {
    constant: "server.lifetime_years",
    partition_key: "lifetime",
    name: "node lifetime",
    unit: "year",
    bounds: LIFETIME_YEARS,
    warning: "center.lifetime-default",
};

/// The share of their lifetime the nodes run jobs.
pub(crate) const USAGE_SETTING: Setting = Setting {
    constant: "server.usage_rate",
    partition_key: "usage",
    name: "usage rate",
    unit: "1",
    bounds: USAGE_RATE,
    warning: "center.usage-rate-default",
};

impl Setting {
    /// The center's value: the file's, else the method's default with a warning.
    fn of_center(
        &self,
        cx: &Cx<'_>,
        v: Option<&Spanned<Value>>,
        constants: &Constants,
        source: &str,
        warnings: &mut Vec<Warning>,
    ) -> Result<Input, CenterError> {
        let (file, name, key) = (cx.file, self.name, self.constant);
        if let Some(v) = v {
            let q = quantity_of(cx, v, name, self.unit, self.bounds, source)?;
            let id = format!("center:{file}:{key}:{:x}", q.value.to_bits());
            return Ok(Input::new(id, name, q));
        }
        let q = constants
            .get(key, None)
            .cloned()
            .ok_or_else(|| located(file, 0, 0, format!("the method has no constant {key}")))?;
        warnings.push(Warning::new(
            self.warning,
            format!(
                "{file} gives no {name}: the method's default {} ({}) is used",
                fmt_num(q.value),
                q.dist.describe(q.value)
            ),
        ));
        Ok(Input::new(format!("const:{key}"), name, q))
    }

    /// A partition's value: the file's for the partition, else the center's (`base`).
    pub fn of_partition(
        &self,
        cx: &Cx<'_>,
        partition: &str,
        v: Option<&Spanned<Value>>,
        base: &Input,
        source: &str,
    ) -> Result<Input, CenterError> {
        let Some(v) = v else {
            return Ok(base.clone());
        };
        let (file, name) = (cx.file, self.name);
        let what = format!("partition {partition}: {name}");
        let q = quantity_of(cx, v, &what, self.unit, self.bounds, source)?;
        Ok(Input::new(
            format!("partition:{file}:{partition}:{}", self.partition_key),
            format!("{name} of {partition}"),
            q,
        ))
    }
}

/// What the partitions of a center share unless they say otherwise.
pub(crate) struct Defaults {
    /// Bibliography key of the file's facts (`user` when it names none).
    pub source: String,
    /// PUE.
    pub pue: Input,
    /// WUE (L per kWh of IT energy).
    pub wue: Input,
    /// Interconnect, storage and service nodes, as a share of the compute nodes' manufacturing
    /// (None: the method counts the compute nodes only).
    pub infrastructure: Option<Input>,
    /// Node lifetime (years).
    pub lifetime: Input,
    /// Usage rate.
    pub usage: Input,
    /// Allocation key of partial nodes, when the file gives one.
    pub allocation_key: Option<AllocationKey>,
}

/// The bibliography key of the file's facts (`user` when it names none), with a warning when
/// the bundle's bibliography lacks it.
pub(crate) fn source(
    cx: &Cx<'_>,
    source: Option<&String>,
    bundle: &Bundle,
    warnings: &mut Vec<Warning>,
) -> String {
    let Some(s) = source else {
        return "user".to_string();
    };
    if !bundle.bibliography.contains_key(s) {
        warnings.push(Warning::new(
            "center.unknown-source",
            format!(
                "{}: source `{s}` is not in the bundle's bibliography",
                cx.file
            ),
        ));
    }
    s.clone()
}

/// The electricity zone: the override's (`--zone`), else the file's, else the bundle's default
/// with a warning. The zone's own warnings are added to `warnings`.
pub(crate) fn zone(
    cx: &Cx<'_>,
    given: Option<&Spanned<String>>,
    bundle: &Bundle,
    constants: &Constants,
    zone_override: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> Result<ZoneFound, CenterError> {
    let zone = match (zone_override, given) {
        (Some(z), _) => bundle.zone_for(z, constants).map_err(|e| match e {
            DataError::Input(e) => e,
            other => InputError::malformed(other.to_string()),
        })?,
        (None, Some(z)) => bundle
            .zone_for(z.get_ref(), constants)
            .map_err(|e| cx.data_err(z.span(), e))?,
        (None, None) => {
            let z = bundle.meta.default_zone.clone();
            warnings.push(Warning::new(
                "center.zone-default",
                format!("{} gives no electricity zone: the {z} average is used — set zone = \"FR\" (or the center's country)", cx.file),
            ));
            bundle
                .zone_for(&z, constants)
                .map_err(|e| data_error(Location::file("bundle"), e))?
        }
    };
    warnings.extend(zone.warnings.clone());
    Ok(zone)
}

/// The center's PUE, lifetime and usage rate (the method's defaults, with warnings, for those
/// the file lacks) and its allocation key.
pub(crate) fn defaults(
    cx: &Cx<'_>,
    raw: &RawCenter,
    constants: &Constants,
    source: String,
    warnings: &mut Vec<Warning>,
) -> Result<Defaults, CenterError> {
    let pue = PUE_SETTING.of_center(cx, raw.pue.as_ref(), constants, &source, warnings)?;
    let wue = WUE_SETTING.of_center(cx, raw.wue.as_ref(), constants, &source, warnings)?;
    // The reference method counts the compute nodes only, whatever the file says.
    let infrastructure = if constants.is_reference("scope") {
        None
    } else {
        let given = raw.infrastructure_share.as_ref();
        let share = INFRASTRUCTURE_SETTING.of_center(cx, given, constants, &source, warnings)?;
        Some(share)
    };
    let lifetime = LIFETIME_SETTING.of_center(
        cx,
        raw.lifetime_years.as_ref(),
        constants,
        &source,
        warnings,
    )?;
    let usage =
        USAGE_SETTING.of_center(cx, raw.usage_rate.as_ref(), constants, &source, warnings)?;
    let allocation_key = match &raw.allocation_key {
        Some(k) => Some(allocation_key(cx, k, "")?),
        None => None,
    };
    Ok(Defaults {
        source,
        pue,
        wue,
        infrastructure,
        lifetime,
        usage,
        allocation_key,
    })
}

/// An allocation key of the file; `prefix` starts its error (`partition gpu: `, or nothing for
/// the center's).
pub(crate) fn allocation_key(
    cx: &Cx<'_>,
    k: &Spanned<String>,
    prefix: &str,
) -> Result<AllocationKey, CenterError> {
    match AllocationKey::parse(k.get_ref()) {
        Some(key) => Ok(key),
        None => cx.err(
            k.span(),
            format!(
                "{prefix}unknown allocation_key `{}`: expected node, cores, gpus, memory or max",
                k.get_ref()
            ),
        ),
    }
}

/// The UPS batteries (unless `batteries = false`): the chemistry's, with the file's autonomy.
pub(crate) fn batteries(
    cx: &Cx<'_>,
    f: &RawFacility,
    bundle: &Bundle,
    constants: &Constants,
    source: &str,
) -> Result<Option<BatterySpec>, CenterError> {
    if !f.batteries.unwrap_or(true) {
        return Ok(None);
    }
    let chemistry = f.battery_chemistry.as_ref();
    let chem = chemistry.map_or("LMO", |c| c.get_ref().as_str());
    let mut b = bundle
        .batteries(chem, constants)
        .map_err(|e| match chemistry {
            Some(c) => cx.data_err(c.span(), e),
            None => data_error(Location::file(cx.file), e),
        })?;
    if let Some(a) = &f.battery_autonomy_minutes {
        let what = "battery autonomy (minutes)";
        let q = quantity_of(cx, a, what, "min", BATTERY_AUTONOMY_MINUTES, source)?;
        let id = format!("center:{}:battery_autonomy", cx.file);
        b.autonomy_minutes = Input::new(id, "UPS autonomy", q);
    }
    Ok(Some(b))
}

/// The chillers (unless `cooling = false`), sized by the file's capacity when it gives one.
pub(crate) fn cooling(
    cx: &Cx<'_>,
    f: &RawFacility,
    bundle: &Bundle,
    constants: &Constants,
    source: &str,
) -> Result<Option<CoolingSpec>, CenterError> {
    if !f.cooling.unwrap_or(true) {
        return Ok(None);
    }
    let capacity = match &f.cooling_capacity_kw {
        Some(c) => {
            let what = "cooling capacity (kW)";
            let q = quantity_of(cx, c, what, "kW", COOLING_CAPACITY_KW, source)?;
            let id = format!("center:{}:cooling_capacity", cx.file);
            Some(Input::new(id, "cooling capacity", q))
        }
        None => None,
    };
    let cooling = bundle
        .cooling(capacity, constants)
        .map_err(|e| data_error(Location::file(cx.file), e))?;
    Ok(Some(cooling))
}
