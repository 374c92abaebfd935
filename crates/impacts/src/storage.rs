//! Keeping data: storage tiers (HDD, SSD, tape) and data transfers between zones.

use impacts_center::{Center, Media, StorageTier};
use impacts_data::resolve::SsdQuery;
use impacts_model::builder::{Builder, Input};
use impacts_model::graph::NodeId;
use impacts_model::hardware::ServerSpec;
use impacts_model::job::ZoneSpec;
use impacts_model::quantity::{fmt_num, Provenance, Quantity};
use impacts_model::report::Warning;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::invalid;
use crate::outputs::ReportOutputs;
use crate::{evaluate, CenterSource, Engine, Error, InputError, Options, Report};
use impacts_model::ModelError;

/// Data kept on a storage system for a time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StorageRequest {
    /// Usable volume (TB).
    pub volume_tb: f64,
    /// Duration (years).
    pub years: f64,
    /// The center whose storage keeps it (its tiers, PUE, zone, lifetime).
    pub center: Option<CenterSource>,
    /// The center's tier (`[storage.NAME]`).
    pub tier: Option<String>,
    /// The medium when the center describes no tier: hdd, ssd or tape.
    pub media: Option<String>,
    /// Electricity zone (overrides the center's).
    pub zone: Option<String>,
    /// Raw capacity per usable TB (overrides the tier's).
    pub redundancy: Option<f64>,
    /// PUE, instead of the center's (a what-if).
    #[serde(default)]
    pub pue: Option<f64>,
}

/// Data moved over wide-area networks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TransferRequest {
    /// Volume (GB).
    pub volume_gb: f64,
    /// Zone of the sending end.
    pub from: String,
    /// Zone of the receiving end.
    pub to: String,
    /// Energy intensity of the network: `aslan-2018` (default: extrapolated to the bundle's
    /// reference date), `aslan-2018-2015` (the 2015 figure), or a number of kWh/GB.
    pub factor: Option<String>,
}

/// The given input, or the method's constant (noted among the defaults used).
fn pick(
    b: &mut Builder<'_>,
    defaults: &mut Vec<String>,
    given: Option<&Input>,
    key: &str,
    name: &str,
) -> Result<NodeId, Error> {
    match given {
        Some(i) => Ok(b.input(i)),
        None => {
            defaults.push(name.to_string());
            Ok(b.required(key, name)?)
        }
    }
}

fn fixed_input(key: &str, name: &str, value: f64, unit: &str, note: &str) -> Input {
    Input::new(
        format!("{key}:{:x}", value.to_bits()),
        name,
        Quantity::fixed(value, unit, Provenance::input(note)),
    )
}

/// Where data is kept, as a request names it.
struct Place<'r> {
    center: Option<&'r CenterSource>,
    tier: Option<&'r str>,
    media: Option<&'r str>,
    zone: Option<&'r str>,
    redundancy: Option<f64>,
    pue: Option<f64>,
}

/// What a storage estimate stands on: the tier (if any), its medium, zone, PUE, lifetime and
/// redundancy, and the method's defaults used for them.
struct Setup<'c> {
    tier: Option<&'c StorageTier>,
    media: Media,
    what: String,
    zone: ZoneSpec,
    pue: NodeId,
    life: NodeId,
    red: NodeId,
    defaults: Vec<String>,
}

/// A zone's error, for the end of a transfer it names.
fn from_zone(e: impacts_data::DataError, field: &str) -> Error {
    match Error::from(e) {
        Error::Input(e) => Error::Input(e.for_field(field)),
        other => other,
    }
}

impl Engine {
    /// The center of a storage request, with its PUE replaced when one is given.
    fn storage_center(&self, place: &Place<'_>, opts: &Options) -> Result<Option<Center>, Error> {
        let mut center = match place.center {
            Some(c) => Some(self.center(c, &opts.method, place.zone)?),
            None => None,
        };
        if let (Some(c), Some(p)) = (center.as_mut(), place.pue) {
            crate::apply_pue(c, p)?;
        }
        Ok(center)
    }

    /// Resolves the tier, medium, zone, PUE, lifetime and redundancy of a storage request.
    fn storage_setup<'c>(
        &self,
        b: &mut Builder<'_>,
        center: Option<&'c Center>,
        place: &Place<'_>,
        warnings: &mut Vec<Warning>,
    ) -> Result<Setup<'c>, Error> {
        let names = |c: &Center| {
            c.storage
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let tier: Option<&StorageTier> = match (center, place.tier) {
            (Some(c), Some(t)) => {
                Some(c.storage.iter().find(|s| s.name == t).ok_or_else(|| {
                    InputError::unknown(
                        "tier",
                        t,
                        if c.storage.is_empty() {
                            format!("a storage tier of {}, which describes none ([storage.NAME]): give the medium instead", c.file)
                        } else {
                            format!("a storage tier of {}: {}", c.file, names(c))
                        },
                    )
                })?)
            }
            (None, Some(t)) => {
                return Err(InputError::missing(
                    "center",
                    format!("storage tier '{t}' needs the center file that describes it"),
                )
                .into())
            }
            (Some(c), None) if c.storage.len() == 1 && place.media.is_none() => c.storage.first(),
            (Some(c), None) if c.storage.len() > 1 && place.media.is_none() => {
                return Err(InputError::missing(
                    "tier",
                    format!("{} describes several storage tiers: choose one of {}", c.file, names(c)),
                )
                .into())
            }
            _ => None,
        };
        let media = match (tier, place.media) {
            (Some(t), _) => t.media,
            (None, Some(m)) => Media::parse(m)
                .ok_or_else(|| InputError::invalid("media", m, "hdd, ssd or tape"))?,
            (None, None) => {
                warnings.push(Warning::new(
                    "storage.media-default",
                    "no storage tier or medium given: hard disk drives are assumed (give a tier or a medium)",
                ));
                Media::Hdd
            }
        };
        let what = match tier {
            Some(t) => format!("storage tier {} ({})", t.name, media.as_str()),
            None => format!("{} storage", media.as_str()),
        };
        // Zone, PUE, lifetime.
        let zone = match (center, place.zone) {
            (Some(c), _) => c.spec.zone.clone(),
            (None, Some(z)) => {
                let z = self.bundle.zone_for(z, b.constants())?;
                warnings.extend(z.warnings);
                z.spec
            }
            (None, None) => {
                let z = self.bundle.meta.default_zone.clone();
                warnings.push(Warning::new(
                    "storage.zone-default",
                    format!("no center and no zone: the {z} electricity average is used"),
                ));
                self.bundle.zone_for(&z, b.constants())?.spec
            }
        };
        let pue = match (center, place.pue) {
            (Some(c), _) => b.input(&c.pue),
            (None, Some(p)) => {
                if !(p.is_finite() && (1.0..=5.0).contains(&p)) {
                    return invalid("pue", fmt_num(p), "a number between 1 and 5");
                }
                b.input(&fixed_input(
                    "pue-override",
                    "PUE",
                    p,
                    "1",
                    "PUE given in the request",
                ))
            }
            (None, None) => {
                warnings.push(Warning::new(
                    "storage.pue-default",
                    "no center: the method's default PUE is used (give the center for its own)",
                ));
                b.required("facility.pue", "PUE")?
            }
        };
        let mut defaults: Vec<String> = Vec::new();
        let life = match (tier.and_then(|t| t.lifetime_years.as_ref()), center) {
            (Some(l), _) => b.input(l),
            (None, Some(c)) => b.input(&c.lifetime),
            (None, None) => pick(
                b,
                &mut defaults,
                None,
                "server.lifetime_years",
                "equipment lifetime",
            )?,
        };
        let redundancy_input = place
            .redundancy
            .map(|r| {
                if r.is_finite() && r >= 1.0 {
                    Ok(fixed_input("storage-redundancy", "raw capacity per usable TB", r, "1", "redundancy given in the request"))
                } else {
                    invalid(
                        "redundancy",
                        fmt_num(r),
                        "raw TB per usable TB, at least 1 (1.25 for 8+2 parity, 3 for three copies)",
                    )
                }
            })
            .transpose()?;
        let red = pick(
            b,
            &mut defaults,
            redundancy_input
                .as_ref()
                .or(tier.and_then(|t| t.redundancy.as_ref())),
            "storage.redundancy",
            "raw capacity per usable TB",
        )?;
        Ok(Setup {
            tier,
            media,
            what,
            zone,
            pue,
            life,
            red,
            defaults,
        })
    }

    /// One SSD of the tier's capacity (or the method's): its capacity node and its
    /// manufacturing impacts. The SSD model's impact grows with the capacity: the drive is
    /// resolved at the capacity's central value.
    fn ssd_drive(
        &self,
        b: &mut Builder<'_>,
        tier: Option<&StorageTier>,
        defaults: &mut Vec<String>,
        warnings: &mut Vec<Warning>,
    ) -> Result<(NodeId, Vec<NodeId>), Error> {
        let cap_key = "storage.ssd.drive_tb";
        let cap_q = match tier.and_then(|t| t.drive_capacity_tb.as_ref()) {
            Some(i) => i.quantity.value,
            None => {
                defaults.push("drive capacity".into());
                b.constants()
                    .get(cap_key, None)
                    .map(|q| q.value)
                    .ok_or_else(|| ModelError::MissingConstant(cap_key.to_string()))?
            }
        };
        let r = self.bundle.resolve_ssd(&SsdQuery {
            size_gb: cap_q * 1000.0,
            manufacturer: None,
            layers: None,
            density: None,
        })?;
        warnings.extend(r.warnings);
        let cap = b.input(&fixed_input(
            "storage-ssd-drive-tb",
            "drive capacity",
            cap_q,
            "TB",
            "capacity of the tier's SSDs",
        ));
        let spec = ServerSpec::ssd_only(r.spec);
        let mut power = Vec::new();
        let unit = self.part_only(b, &spec, &mut power, "SSD")?;
        Ok((cap, unit))
    }
}

/// The place of a request that has the storage fields (center, tier, media, zone, redundancy,
/// PUE): `StorageRequest` and `StorageActivityRequest` both do.
macro_rules! place_of {
    ($req:expr) => {
        Place {
            center: $req.center.as_ref(),
            tier: $req.tier.as_deref(),
            media: $req.media.as_deref(),
            zone: $req.zone.as_deref(),
            redundancy: $req.redundancy,
            pue: $req.pue,
        }
    };
}

impl Engine {
    /// The impacts of keeping `volume_tb` for `years` on a storage tier.
    pub fn storage(&self, req: &StorageRequest, opts: &Options) -> Result<Report, Error> {
        check_storage_request(req)?;
        let constants = self.constants(&opts.method)?;
        let mut b = Builder::new(&self.bundle.criteria, &constants);
        let mut warnings: Vec<Warning> = Vec::new();
        let place = place_of!(req);
        let center = self.storage_center(&place, opts)?;
        let mut s = self.storage_setup(&mut b, center.as_ref(), &place, &mut warnings)?;
        let kept = Kept::new(&mut b, &s);
        let (manufacturing, drives) =
            self.kept_manufacturing(&mut b, &mut s, &kept, &mut warnings)?;
        let power = kept_power(&mut b, &mut s, kept.raw, drives)?;
        let (energy, power_node) = kept_energy(&mut b, power, kept.years, s.pue)?;
        let mut quantities = vec![
            ("raw_capacity", "raw_tb", kept.raw, "TB"),
            ("energy", "energy_kwh", energy, "kWh"),
            ("power", "power_w", power_node, "W"),
        ];
        if let Some(d) = drives {
            quantities.push(("drives", "drives", d, "drives"));
        }
        self.storage_ending(
            b,
            warnings,
            Ending {
                kind: "storage",
                subject: format!(
                    "{} TB kept {} years on {}",
                    fmt_num(req.volume_tb),
                    fmt_num(req.years),
                    s.what
                ),
                what: &s.what,
                zone: &s.zone,
                center: center.as_ref(),
                tier: s.tier,
                media: s.media,
                defaults: &s.defaults,
                doc: "docs/workflows.md",
                manufacturing,
                energy,
                total_label: s.what.clone(),
                quantities,
                inputs: vec![
                    ("volume_tb", json!(req.volume_tb)),
                    ("years", json!(req.years)),
                ],
                params: vec![req.volume_tb, req.years],
            },
            opts,
        )
    }

    /// The manufacturing impacts of keeping data, and the drives when they are counted: the
    /// tier's figures per TB × raw TB × the share of the lifetime, else the drives and their
    /// enclosures allocated, else tape's figure per TB and year.
    fn kept_manufacturing(
        &self,
        b: &mut Builder<'_>,
        s: &mut Setup<'_>,
        kept: &Kept,
        warnings: &mut Vec<Warning>,
    ) -> Result<(Vec<NodeId>, Option<NodeId>), Error> {
        if let Some(t) = s.tier.filter(|t| !t.manufacturing_per_tb.is_empty()) {
            let share = b.graph.mul(kept.raw, kept.alloc);
            return Ok((self.tier_manufacturing(b, t, share, &s.what), None));
        }
        if s.media == Media::Tape {
            let tb_years = b.graph.mul(kept.raw, kept.years);
            let tb_years = b.graph.label(tb_years, "TB-years on tape", "TB·year");
            let impacts = b.linear_impacts(
                "tape storage",
                Some(("storage.tape.per_tb_year", "tape storage per TB and year")),
                Some(tb_years),
                None,
            );
            return Ok((impacts, None));
        }
        let (unit, drives) = if s.media == Media::Hdd {
            let cap = drive_capacity(b, s)?;
            let drives = drive_count(b, kept.raw, cap);
            (hdd_unit(b), drives)
        } else {
            let (cap, unit) = self.ssd_drive(b, s.tier, &mut s.defaults, warnings)?;
            (unit, drive_count(b, kept.raw, cap))
        };
        let enc = enclosure_overhead(b, s)?;
        let k = b.graph.mul(drives, enc);
        let k = b.graph.mul(k, kept.alloc);
        let k = b
            .graph
            .label(k, "drive-lifetimes with their enclosure allocated", "1");
        Ok((b.scale_impacts(&unit, k), Some(drives)))
    }

    /// The manufacturing impacts from a tier's figures per TB, × `tb` (a node in TB); a gap, with
    /// a warning, for each criterion the center file gives no figure for.
    fn tier_manufacturing(
        &self,
        b: &mut Builder<'_>,
        t: &StorageTier,
        tb: NodeId,
        what: &str,
    ) -> Vec<NodeId> {
        (0..self.bundle.criteria.len())
            .map(|c| {
                let key = &self.bundle.criteria.0[c].key;
                match t.manufacturing_per_tb.iter().find(|(k, _)| k == key) {
                    Some((_, i)) => {
                        let f = b.input(i);
                        b.graph.mul(tb, f)
                    }
                    None => {
                        b.warn("coverage.missing-factor", format!("{what}: the center file gives no manufacturing_per_tb for {key}; it counts 0 in {key}"));
                        b.gap("storage manufacturing", c, "the center file gives no factor for this criterion: counted as 0 (warning coverage.missing-factor)")
                    }
                }
            })
            .collect()
    }
}

/// The volume and duration of a storage estimate, in the graph: raw capacity (TB), years kept,
/// and the share of the equipment's lifetime they take.
struct Kept {
    raw: NodeId,
    years: NodeId,
    alloc: NodeId,
}

impl Kept {
    /// The request's parameters (usable volume, years) and what follows from them: the raw
    /// capacity (× redundancy) and the share of the equipment's lifetime (years / lifetime).
    fn new(b: &mut Builder<'_>, s: &Setup<'_>) -> Kept {
        let volume = b.graph.param("volume_tb", "usable volume", "TB");
        let years = b.graph.param("years", "time kept", "year");
        let raw = b.graph.mul(volume, s.red);
        let raw = b.graph.label(raw, "raw capacity", "TB");
        let alloc = b.graph.div(years, s.life);
        let alloc = b.graph.label_with_note(
            alloc,
            "share of the equipment's lifetime",
            "1",
            Some("years kept / lifetime: above 1, the equipment is replaced"),
        );
        Kept { raw, years, alloc }
    }
}

/// Checks a storage request's volume (non-negative) and duration (positive).
fn check_storage_request(req: &StorageRequest) -> Result<(), Error> {
    if !(req.volume_tb.is_finite() && req.volume_tb >= 0.0) {
        return invalid(
            "volume_tb",
            fmt_num(req.volume_tb),
            "a non-negative, finite number of TB",
        );
    }
    if !(req.years.is_finite() && req.years > 0.0) {
        return invalid(
            "years",
            fmt_num(req.years),
            "a positive, finite number of years",
        );
    }
    Ok(())
}

/// The drives that hold `raw` TB, of `cap` TB each.
fn drive_count(b: &mut Builder<'_>, raw: NodeId, cap: NodeId) -> NodeId {
    let d = b.graph.div(raw, cap);
    b.graph.label(d, "drives", "1")
}

/// The manufacturing impacts of one hard disk drive.
fn hdd_unit(b: &mut Builder<'_>) -> Vec<NodeId> {
    b.linear_impacts("HDD", None, None, Some(("hdd.unit", "HDD impact")))
}

/// A figure of the drives: the tier's, else the method's constant for the medium (`hdd_key`
/// for hard disk drives, `ssd_key` for SSDs), noted among the defaults used.
fn drive_figure(
    b: &mut Builder<'_>,
    s: &mut Setup<'_>,
    given: fn(&StorageTier) -> Option<&Input>,
    (hdd_key, ssd_key): (&str, &str),
    name: &str,
) -> Result<NodeId, Error> {
    let key = if s.media == Media::Hdd {
        hdd_key
    } else {
        ssd_key
    };
    tier_figure(b, s, given, key, name)
}

/// A figure of the storage system: the tier's, else the method's constant `key`, noted among
/// the defaults used.
fn tier_figure(
    b: &mut Builder<'_>,
    s: &mut Setup<'_>,
    given: fn(&StorageTier) -> Option<&Input>,
    key: &str,
    name: &str,
) -> Result<NodeId, Error> {
    pick(b, &mut s.defaults, s.tier.and_then(given), key, name)
}

/// The capacity of one drive: the tier's, else the method's for the medium.
fn drive_capacity(b: &mut Builder<'_>, s: &mut Setup<'_>) -> Result<NodeId, Error> {
    drive_figure(
        b,
        s,
        |t| t.drive_capacity_tb.as_ref(),
        ("storage.hdd.drive_tb", "storage.ssd.drive_tb"),
        "drive capacity",
    )
}

/// The enclosure's overhead on a drive's manufacturing: the tier's, else the method's for the
/// medium.
fn enclosure_overhead(b: &mut Builder<'_>, s: &mut Setup<'_>) -> Result<NodeId, Error> {
    drive_figure(
        b,
        s,
        |t| t.enclosure_overhead.as_ref(),
        (
            "storage.hdd.enclosure_overhead",
            "storage.ssd.enclosure_overhead",
        ),
        "enclosure overhead",
    )
}

/// Watt-hours of the storage as its electricity in kWh with the facility's overhead (× PUE).
fn storage_kwh(b: &mut Builder<'_>, wh: NodeId, pue: NodeId) -> NodeId {
    let e = b.graph.scale(wh, 0.001);
    let e = b.graph.mul(e, pue);
    b.graph.label(
        e,
        "electricity of the storage with facility overhead",
        "kWh",
    )
}

/// The power of one drive of the medium, and the system's overhead on it (the tier's, else the
/// method's).
fn drive_power(b: &mut Builder<'_>, s: &mut Setup<'_>) -> Result<(NodeId, NodeId), Error> {
    let w = if s.media == Media::Hdd {
        b.required("hdd.power_w", "HDD power per drive")?
    } else {
        b.required("ssd.power_w", "SSD power per drive")?
    };
    let over = tier_figure(
        b,
        s,
        |t| t.power_overhead.as_ref(),
        "storage.power_overhead",
        "power overhead",
    )?;
    Ok((w, over))
}

/// The error of a tier that gives its manufacturing per TB but not its power per TB.
fn power_per_tb_missing(what: &str) -> Error {
    InputError::missing(
        "power_w_per_tb",
        format!(
            "{what}: manufacturing_per_tb is given but not power_w_per_tb: give both, or neither"
        ),
    )
    .into()
}

/// The power of the storage that keeps data (`None` for tape, whose figure includes it): the
/// tier's per TB × raw TB, else the drives' power with the system's overhead.
fn kept_power(
    b: &mut Builder<'_>,
    s: &mut Setup<'_>,
    raw: NodeId,
    drives: Option<NodeId>,
) -> Result<Option<NodeId>, Error> {
    if let Some(p) = s.tier.and_then(|t| t.power_w_per_tb.as_ref()) {
        let p = b.input(p);
        return Ok(Some(b.graph.mul(raw, p)));
    }
    match (s.media, drives) {
        (Media::Tape, _) => Ok(None),
        (_, Some(d)) => {
            let (w, over) = drive_power(b, s)?;
            let p = b.graph.mul(d, w);
            Ok(Some(b.graph.mul(p, over)))
        }
        (_, None) => Err(power_per_tb_missing(&s.what)),
    }
}

/// The electricity of keeping data with the facility's overhead, and the power node to report
/// (zero, included in the tape figure, without a power).
fn kept_energy(
    b: &mut Builder<'_>,
    power: Option<NodeId>,
    years: NodeId,
    pue: NodeId,
) -> Result<(NodeId, NodeId), Error> {
    let hpy = b.required("time.hours_per_year", "hours per year")?;
    Ok(match power {
        Some(p) => {
            let p = b.graph.label(p, "power of the storage", "W");
            let wh = b.graph.mul(p, years);
            let wh = b.graph.mul(wh, hpy);
            (storage_kwh(b, wh, pue), p)
        }
        None => {
            let z = b.graph.constant(0.0);
            let z = b.graph.label_with_note(
                z,
                "electricity of the storage",
                "kWh",
                Some("included in the tape figure per TB and year"),
            );
            (z, z)
        }
    })
}

/// How a storage estimate ends: its manufacturing impacts and electricity, what to report.
struct Ending<'a> {
    kind: &'static str,
    /// What was estimated, before ", electricity of ZONE".
    subject: String,
    what: &'a str,
    zone: &'a ZoneSpec,
    center: Option<&'a Center>,
    tier: Option<&'a StorageTier>,
    media: Media,
    defaults: &'a [String],
    /// Where the defaults are listed.
    doc: &'static str,
    /// One node per criterion.
    manufacturing: Vec<NodeId>,
    /// Electricity with the facility's overhead (kWh).
    energy: NodeId,
    total_label: String,
    /// (report key, output name, node, unit).
    quantities: Vec<(&'static str, &'static str, NodeId, &'static str)>,
    /// The request's own inputs, before media, tier, center and zone.
    inputs: Vec<(&'static str, serde_json::Value)>,
    params: Vec<f64>,
}

impl Engine {
    /// The use phase (electricity × the zone's factors), the totals, the defaults' warning,
    /// then the evaluation and the report of a storage estimate.
    fn storage_ending(
        &self,
        mut b: Builder<'_>,
        mut warnings: Vec<Warning>,
        e: Ending<'_>,
        opts: &Options,
    ) -> Result<Report, Error> {
        let n = self.bundle.criteria.len();
        let manufacturing = b.label_impacts(&e.manufacturing, "manufacturing");
        let use_impacts: Vec<NodeId> = (0..n)
            .map(|c| match e.zone.factors.get(c).and_then(|f| f.as_ref()) {
                Some(f) => {
                    let f = b.input(f);
                    b.graph.mul(e.energy, f)
                }
                None => b.gap("use", c, "the data bundle has no electricity factor for this zone and criterion: counted as 0"),
            })
            .collect();
        let use_impacts = b.label_impacts(&use_impacts, "use");
        let totals = b.sum_impacts(&[manufacturing.clone(), use_impacts.clone()]);
        let totals = b.label_impacts(&totals, &e.total_label);
        if !e.defaults.is_empty() {
            b.warn(
                "storage.defaults",
                format!(
                    "{}: the method's defaults are used for {} ({} lists them and their sources; give them in the center file's [storage.NAME])",
                    e.what,
                    e.defaults.join(", "),
                    e.doc
                ),
            );
        }
        let (graph, w) = b.finish();
        warnings.extend(w);
        let mut outputs = ReportOutputs::new(&self.bundle.criteria, &totals);
        outputs
            .phase("manufacturing", &manufacturing)
            .phase("use", &use_impacts);
        for (key, _, node, unit) in &e.quantities {
            outputs.measure(key, unit, *node);
        }
        let ev = evaluate(&graph, outputs.nodes(), outputs.totals(), &e.params, opts)?;
        let subject = format!(
            "{}{}, electricity of {} ({})",
            e.subject,
            e.center
                .map(|c| format!(" of {}", c.name))
                .unwrap_or_default(),
            e.zone.name,
            e.zone.code
        );
        let mut r = self.base_report(e.kind, subject, opts);
        for (k, v) in e.inputs {
            r.inputs.push(k, v);
        }
        r.inputs.push("media", json!(e.media.as_str()));
        if let Some(t) = e.tier {
            r.inputs.push("tier", json!(t.name));
        }
        if let Some(c) = e.center {
            r.inputs.push("center", json!(c.name));
        }
        r.inputs.push("zone", json!(e.zone.code));
        r.warnings = warnings;
        impacts_model::report::dedup_warnings(&mut r.warnings);
        self.finish(&mut r, &graph, &outputs, &ev, &e.params, opts);
        Ok(r)
    }
}

impl Engine {
    /// The impacts of moving `volume_gb` over wide-area networks between two zones: the network's
    /// electricity (an energy intensity per GB, half in each end's zone) and the endpoints' drives
    /// reading and writing the data.
    pub fn transfer(&self, req: &TransferRequest, opts: &Options) -> Result<Report, Error> {
        if !(req.volume_gb.is_finite() && req.volume_gb >= 0.0) {
            return invalid(
                "volume_gb",
                fmt_num(req.volume_gb),
                "a non-negative, finite number of GB",
            );
        }
        let constants = self.constants(&opts.method)?;
        let mut b = Builder::new(&self.bundle.criteria, &constants);
        let mut warnings: Vec<Warning> = Vec::new();
        let from = self
            .bundle
            .zone_for(&req.from, &constants)
            .map_err(|e| from_zone(e, "from"))?;
        let to = self
            .bundle
            .zone_for(&req.to, &constants)
            .map_err(|e| from_zone(e, "to"))?;
        warnings.extend(from.warnings.clone());
        warnings.extend(to.warnings.clone());
        let factor = match req.factor.as_deref() {
            None | Some("aslan-2018") => b.required(
                "network.kwh_per_gb",
                "energy intensity of data transmission",
            )?,
            Some("aslan-2018-2015") => b.required(
                "network.kwh_per_gb.aslan-2015",
                "energy intensity of data transmission (2015)",
            )?,
            Some(x) => match x.trim_end_matches("kWh/GB").trim().parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => b.input(&fixed_input(
                    "network-kwh-per-gb",
                    "energy intensity of data transmission",
                    v,
                    "kWh/GB",
                    "energy intensity given in the request",
                )),
                _ => {
                    return invalid(
                        "factor",
                        x,
                        "aslan-2018, aslan-2018-2015 or a non-negative number of kWh/GB",
                    )
                }
            },
        };
        let volume = b.graph.param("volume_gb", "volume moved", "GB");
        let net = b.graph.mul(volume, factor);
        let net = b.graph.label(net, "electricity of the network", "kWh");
        // The ends: drive-seconds to read (source) and to write (destination, with redundancy).
        let power = b.required(
            "storage.hdd.active_power_w",
            "drive power while reading or writing",
        )?;
        let rate = b.required("storage.hdd.throughput_mb_s", "drive throughput")?;
        let red = b.required("storage.redundancy", "raw capacity per usable TB")?;
        let pue = b.required("facility.pue", "PUE of the endpoints")?;
        let drive_s = b.graph.div(volume, rate);
        let drive_s = b.graph.scale(drive_s, 1000.0);
        let read_kwh = b.graph.mul(drive_s, power);
        let read_kwh = b.graph.scale(read_kwh, 1.0 / 3.6e6);
        let read_kwh = b.graph.mul(read_kwh, pue);
        let read_kwh = b
            .graph
            .label(read_kwh, "electricity of reading at the source", "kWh");
        let write_kwh = b.graph.mul(read_kwh, red);
        let write_kwh = b.graph.label(
            write_kwh,
            "electricity of writing at the destination",
            "kWh",
        );
        let half = b.graph.scale(net, 0.5);
        let n = self.bundle.criteria.len();
        let impacts: Vec<NodeId> = (0..n)
            .map(|c| {
                let f_from = from.spec.factors.get(c).and_then(|f| f.as_ref()).map(|f| b.input(f));
                let f_to = to.spec.factors.get(c).and_then(|f| f.as_ref()).map(|f| b.input(f));
                match (f_from, f_to) {
                    (Some(a), Some(z)) => {
                        let at_from = b.graph.add(half, read_kwh);
                        let at_to = b.graph.add(half, write_kwh);
                        let x = b.graph.mul(at_from, a);
                        let y = b.graph.mul(at_to, z);
                        b.graph.add(x, y)
                    }
                    _ => {
                        b.warn("coverage.missing-factor", format!("electricity of {} or {}: no {} factor; the transfer counts 0 in it", from.spec.name, to.spec.name, self.bundle.criteria.0[c].key));
                        b.gap("use", c, "no electricity factor for one of the zones: counted as 0")
                    }
                }
            })
            .collect();
        let impacts = b.label_impacts(&impacts, "use");
        b.warn(
            "transfer.scope",
            "the network's figure is electricity per GB of core and access networks (Aslan et al. 2018); the manufacturing of network equipment and the end devices are not included; the endpoints are taken as nearline disk storage with the method's PUE and redundancy",
        );
        let (graph, w) = b.finish();
        warnings.extend(w);
        let mut outputs = ReportOutputs::new(&self.bundle.criteria, &impacts);
        outputs
            .phase("use", &impacts)
            .measure("network_energy", "kWh", net)
            .measure("read_energy", "kWh", read_kwh)
            .measure("write_energy", "kWh", write_kwh);
        let params = [req.volume_gb];
        let e = evaluate(&graph, outputs.nodes(), outputs.totals(), &params, opts)?;
        let subject = format!(
            "{} GB moved from {} ({}) to {} ({})",
            fmt_num(req.volume_gb),
            from.spec.name,
            from.spec.code,
            to.spec.name,
            to.spec.code
        );
        let mut r = self.base_report("transfer", subject, opts);
        r.inputs.push("volume_gb", json!(req.volume_gb));
        r.inputs.push("from", json!(from.spec.code));
        r.inputs.push("to", json!(to.spec.code));
        r.inputs.push(
            "factor",
            json!(req.factor.clone().unwrap_or_else(|| "aslan-2018".into())),
        );
        r.warnings = warnings;
        impacts_model::report::dedup_warnings(&mut r.warnings);
        self.finish(&mut r, &graph, &outputs, &e, &params, opts);
        Ok(r)
    }
}

/// Bytes a job read from and wrote to a storage tier: the share of the storage system its I/O
/// occupies (docs/io.md, "The footprint of a job's I/O").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StorageActivityRequest {
    /// Data read (GB).
    pub read_gb: f64,
    /// Data written (GB, before redundancy).
    pub written_gb: f64,
    /// The center whose storage served it (its tiers, PUE, zone, lifetime).
    pub center: Option<CenterSource>,
    /// The center's tier (`[storage.NAME]`).
    pub tier: Option<String>,
    /// The medium when the center describes no tier: hdd, ssd or tape.
    pub media: Option<String>,
    /// Electricity zone (overrides the center's).
    pub zone: Option<String>,
    /// Raw bytes written per byte (overrides the tier's redundancy).
    pub redundancy: Option<f64>,
    /// PUE, instead of the center's.
    #[serde(default)]
    pub pue: Option<f64>,
}

impl Engine {
    /// The storage share of a job's I/O, allocated by activity: the bytes reach the drives
    /// (writes × redundancy), keep them busy at their throughput, and each busy drive-hour
    /// carries 1 / busy fraction drive-hours of the whole system, its electricity (drive power ×
    /// overhead × PUE) and its manufacturing (drive and enclosure over the lifetime).
    pub fn storage_activity(
        &self,
        req: &StorageActivityRequest,
        opts: &Options,
    ) -> Result<Report, Error> {
        for (v, what) in [(req.read_gb, "read_gb"), (req.written_gb, "written_gb")] {
            if !(v.is_finite() && v >= 0.0) {
                return invalid(what, fmt_num(v), "a non-negative, finite number of GB");
            }
        }
        let constants = self.constants(&opts.method)?;
        let mut b = Builder::new(&self.bundle.criteria, &constants);
        let mut warnings: Vec<Warning> = Vec::new();
        let place = place_of!(req);
        let center = self.storage_center(&place, opts)?;
        let mut s = self.storage_setup(&mut b, center.as_ref(), &place, &mut warnings)?;
        let at_drives = data_at_drives(&mut b, s.red);
        let a = if s.media == Media::Tape {
            tape_activity(&mut b, &s.what, self.bundle.criteria.len())
        } else {
            self.drive_activity(&mut b, &mut s, at_drives, &mut warnings)?
        };
        self.storage_ending(
            b,
            warnings,
            Ending {
                kind: "storage-activity",
                subject: format!(
                    "{} GB read and {} GB written on {}",
                    fmt_num(req.read_gb),
                    fmt_num(req.written_gb),
                    s.what
                ),
                what: &s.what,
                zone: &s.zone,
                center: center.as_ref(),
                tier: s.tier,
                media: s.media,
                defaults: &s.defaults,
                doc: "docs/io.md",
                manufacturing: a.manufacturing,
                energy: a.energy,
                total_label: format!("I/O on {}", s.what),
                quantities: vec![
                    ("data_at_drives", "data_at_drives_gb", at_drives, "GB"),
                    ("busy_drive_hours", "busy_drive_hours", a.busy, "h"),
                    (
                        "allocated_drive_hours",
                        "allocated_drive_hours",
                        a.allocated,
                        "h",
                    ),
                    ("energy", "energy_kwh", a.energy, "kWh"),
                ],
                inputs: vec![
                    ("read_gb", json!(req.read_gb)),
                    ("written_gb", json!(req.written_gb)),
                ],
                params: vec![req.read_gb, req.written_gb],
            },
            opts,
        )
    }

    /// The I/O on disk drives: the drive-hours it occupies and allocates, and the
    /// manufacturing and electricity of the system they carry.
    fn drive_activity(
        &self,
        b: &mut Builder<'_>,
        s: &mut Setup<'_>,
        at_drives: NodeId,
        warnings: &mut Vec<Warning>,
    ) -> Result<Activity, Error> {
        let (busy, allocated, lifetimes) = drive_hours(b, s, at_drives)?;
        let (unit, power) = self.system_per_drive(b, s, warnings)?;
        let manufacturing = b.scale_impacts(&unit, lifetimes);
        let wh = b.graph.mul(allocated, power);
        let energy = storage_kwh(b, wh, s.pue);
        Ok(Activity {
            manufacturing,
            energy,
            busy,
            allocated,
        })
    }

    /// One drive: its manufacturing (with the enclosure's share) and power (with the system's
    /// overhead), from the tier's per-TB figures (× the drive's capacity) or from the drive
    /// model, as `Engine::storage` takes them.
    fn system_per_drive(
        &self,
        b: &mut Builder<'_>,
        s: &mut Setup<'_>,
        warnings: &mut Vec<Warning>,
    ) -> Result<(Vec<NodeId>, NodeId), Error> {
        let per_tb_mfg = s.tier.filter(|t| !t.manufacturing_per_tb.is_empty());
        let per_tb_power = s.tier.and_then(|t| t.power_w_per_tb.as_ref());
        if per_tb_mfg.is_some() && per_tb_power.is_none() {
            return Err(power_per_tb_missing(&s.what));
        }
        let cap = match per_tb_power {
            Some(_) => Some(drive_capacity(b, s)?),
            None => None,
        };
        let unit: Vec<NodeId> = match (per_tb_mfg, cap) {
            (Some(t), Some(cap)) => self.tier_manufacturing(b, t, cap, &s.what),
            _ => {
                let drive = if s.media == Media::Hdd {
                    hdd_unit(b)
                } else {
                    self.ssd_drive(b, s.tier, &mut s.defaults, warnings)?.1
                };
                let enc = enclosure_overhead(b, s)?;
                b.scale_impacts(&drive, enc)
            }
        };
        let power = match (per_tb_power, cap) {
            (Some(p), Some(cap)) => {
                let p = b.input(p);
                b.graph.mul(cap, p)
            }
            _ => {
                let (w, over) = drive_power(b, s)?;
                b.graph.mul(w, over)
            }
        };
        let power = b.graph.label(power, "power of the system per drive", "W");
        Ok((unit, power))
    }
}

/// What a job's I/O is allocated of a storage system: the manufacturing impacts (one node per
/// criterion), the electricity (kWh), and the busy and allocated drive-hours.
struct Activity {
    manufacturing: Vec<NodeId>,
    energy: NodeId,
    busy: NodeId,
    allocated: NodeId,
}

/// The data that reaches the drives: read + written × redundancy (GB).
fn data_at_drives(b: &mut Builder<'_>, red: NodeId) -> NodeId {
    let read = b.graph.param("read_gb", "data read", "GB");
    let written = b.graph.param("written_gb", "data written", "GB");
    let raw_written = b.graph.mul(written, red);
    let at_drives = b.graph.add(read, raw_written);
    b.graph.label_with_note(
        at_drives,
        "data at the drives",
        "GB",
        Some("read + written × redundancy"),
    )
}

/// The I/O on tape, which is not modelled: a warning, and `n` gaps counted as 0.
fn tape_activity(b: &mut Builder<'_>, what: &str, n: usize) -> Activity {
    b.warn(
        "storage.tape-activity-not-modelled",
        format!("{what}: the share of a tape library that reading or writing occupies is not modelled: the I/O counts 0 (the storage estimate of a tape medium gives the footprint of keeping the data)"),
    );
    let gaps: Vec<NodeId> = (0..n)
        .map(|c| b.gap("tape activity", c, "the activity of tape is not modelled: counted as 0 (warning storage.tape-activity-not-modelled)"))
        .collect();
    let z = b.graph.constant(0.0);
    let energy = b.graph.label(z, "electricity of the storage", "kWh");
    Activity {
        manufacturing: gaps,
        energy,
        busy: z,
        allocated: z,
    }
}

/// The drive-hours of an I/O: busy (data at the drives / throughput), allocated (busy / the
/// share of time the drives are busy), and the drive-lifetimes allocated.
fn drive_hours(
    b: &mut Builder<'_>,
    s: &mut Setup<'_>,
    at_drives: NodeId,
) -> Result<(NodeId, NodeId, NodeId), Error> {
    let rate = drive_figure(
        b,
        s,
        |t| t.drive_throughput_mb_s.as_ref(),
        ("storage.hdd.throughput_mb_s", "storage.ssd.throughput_mb_s"),
        "drive throughput",
    )?;
    let busy = b.graph.div(at_drives, rate);
    let busy = b.graph.scale(busy, 1000.0 / 3600.0);
    let busy = b.graph.label_with_note(
        busy,
        "busy drive-hours",
        "h",
        Some("data at the drives / drive throughput"),
    );
    let fraction = tier_figure(
        b,
        s,
        |t| t.busy_fraction.as_ref(),
        "storage.busy_fraction",
        "share of time the drives are busy",
    )?;
    let allocated = b.graph.div(busy, fraction);
    let allocated = b.graph.label_with_note(
        allocated,
        "drive-hours of the system allocated",
        "h",
        Some("busy drive-hours / share of time the drives are busy"),
    );
    let hpy = b.required("time.hours_per_year", "hours per year")?;
    let life_h = b.graph.mul(s.life, hpy);
    let lifetimes = b.graph.div(allocated, life_h);
    let lifetimes = b.graph.label(
        lifetimes,
        "drive-lifetimes with their enclosure allocated",
        "1",
    );
    Ok((busy, allocated, lifetimes))
}
