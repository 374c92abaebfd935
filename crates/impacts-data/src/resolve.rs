//! From a description of hardware (a model name, some specs) to model inputs, with every step
//! reported: which rows matched, which estimation was used, with what uncertainty.

use impacts_model::builder::Input;
use impacts_model::criteria::{Constants, Criterion};
use impacts_model::fit::{fit_log_curve, LogCurve};
use impacts_model::hardware::{CpuPower, CpuSpec, GpuSpec, RamSpec, SsdSpec};
use impacts_model::job::{BatterySpec, CoolingRow, CoolingSpec, ZoneSpec};
use impacts_model::quantity::{fmt_num, Dist, Provenance, Quantity, Status};
use impacts_model::report::Warning;
use serde::{Deserialize, Serialize};

use crate::bundle::{Bundle, CpuRow, ElectricityRow, GpuRow, ProfileRow, ZoneRow};
use crate::matching::{compact, Candidate, MatchOutcome, Matcher};
use crate::{DataError, InputError};

/// How a model name was found in the bundle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NameMatch {
    /// What the user wrote.
    pub query: String,
    /// The rows used (one, or several equally good candidates).
    pub matched: Vec<String>,
    /// `exact`, `fuzzy`, `ambiguous` or `none`.
    pub kind: String,
    /// Score of the best candidate (100 for an exact match).
    pub score: f64,
    /// Other candidates above the threshold, or the closest names when nothing matched.
    pub alternatives: Vec<Candidate>,
}

/// A resolved specification with what the resolution did.
#[derive(Clone, Debug)]
pub struct Resolution<T> {
    /// The specification.
    pub spec: T,
    /// What was defaulted, matched, estimated.
    pub warnings: Vec<Warning>,
    /// The name lookup, when a name was given.
    pub name_match: Option<NameMatch>,
}

fn match_rows(
    kind: &str,
    matcher: &Matcher,
    query: &str,
    warnings: &mut Vec<Warning>,
) -> (Vec<usize>, NameMatch, Status) {
    match matcher.find(query) {
        MatchOutcome::Exact(c) => {
            let rows = matcher.exact_rows(query);
            (
                rows,
                NameMatch {
                    query: query.to_string(),
                    matched: vec![c.name],
                    kind: "exact".into(),
                    score: 100.0,
                    alternatives: vec![],
                },
                Status::Database,
            )
        }
        MatchOutcome::Fuzzy { best, ties, others } => {
            let mut rows = vec![best.index];
            let mut names = vec![best.name.clone()];
            for t in &ties {
                rows.push(t.index);
                names.push(t.name.clone());
            }
            let alts: Vec<Candidate> = others.clone();
            let alt_text = if alts.is_empty() {
                String::new()
            } else {
                format!(
                    "; other candidates: {}",
                    alts.iter()
                        .map(|c| format!("{} ({})", c.name, fmt_num(c.score.round())))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let kind_s = if ties.is_empty() {
                warnings.push(Warning::new(
                    "match.fuzzy",
                    format!(
                        "{kind} '{query}' is not in the data bundle; using the closest name '{}' (score {}){alt_text}",
                        best.name,
                        fmt_num(best.score.round())
                    ),
                ));
                "fuzzy"
            } else {
                warnings.push(Warning::new(
                    "match.ambiguous",
                    format!(
                        "{kind} '{query}' matches {} models equally well: {}; their values are averaged and their spread is the uncertainty — give the exact name to choose{alt_text}",
                        names.len(),
                        names.join(", ")
                    ),
                ));
                "ambiguous"
            };
            (
                rows,
                NameMatch {
                    query: query.to_string(),
                    matched: names,
                    kind: kind_s.into(),
                    score: best.score,
                    alternatives: alts,
                },
                Status::FuzzyMatch,
            )
        }
        MatchOutcome::NoMatch { closest } => {
            warnings.push(Warning::new(
                "match.none",
                format!(
                    "{kind} '{query}' matches nothing in the data bundle{}; its values are estimated from similar models",
                    if closest.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " (closest: {})",
                            closest.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
                        )
                    }
                ),
            ));
            (
                vec![],
                NameMatch {
                    query: query.to_string(),
                    matched: vec![],
                    kind: "none".into(),
                    score: closest.first().map(|c| c.score).unwrap_or(0.0),
                    alternatives: closest,
                },
                Status::Estimated,
            )
        }
    }
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn row_prov(
    status: Status,
    source: &str,
    year: Option<i32>,
    licence: &str,
    note: String,
) -> Provenance {
    Provenance::new(status, source)
        .with_year(year)
        .with_licence(Some(licence.to_string()))
        .with_note(note)
}

/// A description of a CPU, as much as is known.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CpuQuery {
    /// Model name, exact or approximate.
    pub name: Option<String>,
    /// Family (code name: Cascade Lake, Milan, ...).
    pub family: Option<String>,
    /// Model range (Xeon Gold, EPYC, ...), to choose a power profile without TDP.
    pub model_range: Option<String>,
    /// Physical cores.
    pub cores: Option<u32>,
    /// TDP (W).
    pub tdp_w: Option<f64>,
    /// Total die area (mm²).
    pub die_area_mm2: Option<f64>,
    /// Measured power points (load %, W).
    pub power_points: Vec<(f64, f64)>,
    /// Where a given TDP comes from (default: the user).
    pub tdp_provenance: Option<Provenance>,
    /// Where a given die area comes from (default: the user).
    pub die_area_provenance: Option<Provenance>,
}

impl Bundle {
    fn in_window(&self, date: &str) -> bool {
        if date.is_empty() {
            return true;
        }
        let end = &self.meta.reference_date;
        let y: i32 = end[..4].parse().unwrap_or(2025);
        let start = format!("{}{}", y - self.meta.recent_window_years, &end[4..]);
        date >= start.as_str() && date <= end.as_str()
    }

    fn window_note(&self) -> String {
        format!(
            "models released in the {} years before the bundle's reference date {} (or undated)",
            self.meta.recent_window_years, self.meta.reference_date
        )
    }

    /// Resolves a CPU description into a model specification.
    pub fn resolve_cpu(
        &self,
        q: &CpuQuery,
        constants: &Constants,
    ) -> Result<Resolution<CpuSpec>, DataError> {
        let mut w = Vec::new();
        let table = self.cpu_table(constants);
        let (rows, name_match, status) = matched_rows(
            "CPU",
            &self.cpu_matcher,
            table,
            q.name.as_deref(),
            &mut w,
            |_| true,
        );
        let label = part_label(&name_match, &q.name, || cpu_fallback_label(q));
        let names = joined_names(rows.iter().map(|r| r.name.as_str()));
        let die = self.cpu_die(table, q, &rows, status, &names, &mut w)?;
        let die_area_mm2 = Input::new(
            format!("cpu:{label}:die_area:{:x}", die.value.to_bits()),
            format!("{label} die area"),
            die,
        );
        let tdp = cpu_tdp(q, &rows, status, &names)?;
        let power = self.cpu_power(q, &rows, &label, tdp.as_ref(), constants, &mut w)?;
        let families = distinct(rows.iter().map(|r| r.family.as_str()));
        let family = match (&q.family, families.as_slice()) {
            (Some(f), _) => Some(f.clone()),
            (None, [one]) if !one.is_empty() => Some(one.clone()),
            _ => None,
        };
        Ok(Resolution {
            spec: CpuSpec {
                name: label,
                die_area_mm2,
                power,
                family,
            },
            warnings: w,
            name_match,
        })
    }

    /// The die area of a CPU: the user's (which must be positive), else the matched rows', else
    /// an estimate from similar models.
    fn cpu_die(
        &self,
        table: &[CpuRow],
        q: &CpuQuery,
        rows: &[&CpuRow],
        status: Status,
        names: &str,
        w: &mut Vec<Warning>,
    ) -> Result<Quantity, DataError> {
        match q.die_area_mm2 {
            Some(a) => given_value(
                a,
                "die_area_mm2",
                "die area in mm²",
                "mm2",
                q.die_area_provenance.as_ref(),
                "die area given by the user",
            ),
            None => Ok(self.cpu_die_area(table, q, rows, status, names, w)),
        }
    }

    /// The power curve of a CPU: relative to its TDP (through the method's anchors) when only
    /// the TDP is known, fitted to the measured points (and the TDP's anchors) when some are
    /// given, else the power profile of its model range.
    fn cpu_power(
        &self,
        q: &CpuQuery,
        rows: &[&CpuRow],
        label: &str,
        tdp: Option<&Quantity>,
        constants: &Constants,
        w: &mut Vec<Warning>,
    ) -> Result<CpuPower, DataError> {
        let anchors = tdp_anchors(constants)?;
        match (tdp, q.power_points.is_empty()) {
            (Some(t), true) => Ok(tdp_power(label, t, anchors)),
            (t, false) => measured_power(q, label, t, &anchors.2),
            (None, true) => self.profile_power(q, rows, label, w),
        }
    }

    /// The power profile of the CPU's model range (the query's, else the one range of the
    /// matched rows), else the default profile, with a warning that asks for the TDP.
    fn profile_power(
        &self,
        q: &CpuQuery,
        rows: &[&CpuRow],
        label: &str,
        w: &mut Vec<Warning>,
    ) -> Result<CpuPower, DataError> {
        let (p, why) = self.cpu_profile(q, rows)?;
        w.push(Warning::new(
            "cpu.power.profile",
            format!(
                "{label}: no TDP in the data bundle; power from the {why} — give its TDP for a better estimate"
            ),
        ));
        Ok(CpuPower::Absolute {
            curve: LogCurve::from_abcd(p.a, p.b, p.c, p.d),
            curve_key: format!("cpu-profile:{}", p.model_range),
            provenance: row_prov(
                Status::Default,
                &p.source,
                p.year,
                &p.licence,
                format!(
                    "{} profile a = {}, b = {}, c = {}, d = {} ({})",
                    p.model_range, p.a, p.b, p.c, p.d, p.origin
                ),
            ),
        })
    }

    /// The power profile a CPU without TDP takes, and why: its model range's, else the
    /// Xeon Platinum profile.
    fn cpu_profile(
        &self,
        q: &CpuQuery,
        rows: &[&CpuRow],
    ) -> Result<(&ProfileRow, String), DataError> {
        let range = q.model_range.clone().or_else(|| {
            let r = distinct(rows.iter().map(|r| r.model_range.as_str()));
            (r.len() == 1).then(|| r[0].clone())
        });
        let profile = range.as_ref().and_then(|r| {
            self.cpu_profiles
                .iter()
                .find(|p| p.model_range.eq_ignore_ascii_case(r))
        });
        if let Some(p) = profile {
            return Ok((p, format!("power profile of the {} range", p.model_range)));
        }
        let p = self
            .cpu_profiles
            .iter()
            .find(|p| p.model_range == "Xeon Platinum")
            .ok_or_else(|| bundle_error("cpu_power_profiles.csv", "no Xeon Platinum profile"))?;
        Ok((
            p,
            "default power profile (Xeon Platinum, about 260 W at full load)".to_string(),
        ))
    }

    /// The die area of a CPU the user did not give: the matched rows', else an estimate from
    /// similar models (with a warning).
    fn cpu_die_area(
        &self,
        table: &[CpuRow],
        q: &CpuQuery,
        rows: &[&CpuRow],
        status: Status,
        names: &str,
        w: &mut Vec<Warning>,
    ) -> Quantity {
        if let Some(die) = rows_die_area(rows, status, names, w) {
            return die;
        }
        // Estimation from similar models.
        let families = query_families(&q.family, rows.iter().map(|r| r.family.as_str()));
        let cores: Option<f64> = q.cores.map(f64::from).or_else(|| {
            let c: Vec<f64> = rows.iter().filter_map(|r| r.cores).collect();
            mean(&c).map(f64::round)
        });
        let what = if names.is_empty() { "this CPU" } else { names };
        let estimate = match self.family_die_estimate(table, &families, cores) {
            Some(e) => e,
            None => self.bundle_die_estimate(table, cores),
        };
        estimated_die_area(what, estimate, w)
    }

    /// The die area of a CPU from the rows of its families (`None` when they have none): the
    /// mean of those with as many cores, else a regression on cores over the recent ones, else
    /// the mean of them all.
    fn family_die_estimate(
        &self,
        table: &[CpuRow],
        families: &[String],
        cores: Option<f64>,
    ) -> Option<DieEstimate> {
        let family_rows: Vec<&CpuRow> = table
            .iter()
            .filter(|r| {
                r.die_area_mm2.is_some()
                    && families.iter().any(|f| f.eq_ignore_ascii_case(&r.family))
            })
            .collect();
        if family_rows.is_empty() {
            return None;
        }
        let fam = families.join(", ");
        if let Some(c) = cores {
            let same = die_areas_with_cores(&family_rows, c);
            let note = format!(
                "mean of the {} {fam} CPUs with {} cores",
                same.len(),
                fmt_num(c)
            );
            if let Some(e) = DieEstimate::mean(same, note) {
                return Some(e);
            }
            let recent: Vec<&CpuRow> = family_rows
                .iter()
                .copied()
                .filter(|r| self.in_window(&r.release_date))
                .collect();
            if let Some((pred, sd, n)) = regression(&recent, c) {
                return Some(DieEstimate::regression(
                    pred,
                    sd,
                    format!(
                        "linear regression of die area on cores over {n} {fam} CPUs ({}), at {} cores",
                        self.window_note(),
                        fmt_num(c)
                    ),
                ));
            }
        }
        let vals: Vec<f64> = family_rows.iter().filter_map(|r| r.die_area_mm2).collect();
        let note = format!("mean of the {} {fam} CPUs", vals.len());
        DieEstimate::mean(vals, note)
    }

    /// The die area of a CPU from the whole table: the mean of the recent CPUs with as many
    /// cores, else a regression on cores over all CPUs, else the mean of the recent CPUs.
    fn bundle_die_estimate(&self, table: &[CpuRow], cores: Option<f64>) -> DieEstimate {
        let all_dated: Vec<&CpuRow> = table
            .iter()
            .filter(|r| r.die_area_mm2.is_some() && self.in_window(&r.release_date))
            .collect();
        if let Some(c) = cores {
            let same = die_areas_with_cores(&all_dated, c);
            let note = format!(
                "mean of the {} CPUs with {} cores among {}",
                same.len(),
                fmt_num(c),
                self.window_note()
            );
            if let Some(e) = DieEstimate::mean(same, note) {
                return e;
            }
            let all: Vec<&CpuRow> = table.iter().filter(|r| r.die_area_mm2.is_some()).collect();
            if let Some((pred, sd, n)) = regression(&all, c) {
                return DieEstimate::regression(
                    pred,
                    sd,
                    format!(
                        "no CPU of the bundle has {} cores: linear regression of die area on cores over {n} CPUs",
                        fmt_num(c)
                    ),
                );
            }
        }
        let vals: Vec<f64> = all_dated.iter().filter_map(|r| r.die_area_mm2).collect();
        let note = format!(
            "mean of the {} CPUs of the bundle ({})",
            vals.len(),
            self.window_note()
        );
        DieEstimate {
            value: mean(&vals).unwrap_or(0.0),
            dist: Dist::Empirical { values: vals },
            note,
        }
    }
}

/// The rows of `table` that a name matches (those `keep` lets through), the lookup, and the
/// status of values taken from them; no rows and `Estimated` when no name is given.
fn matched_rows<'t, R>(
    kind: &str,
    matcher: &Matcher,
    table: &'t [R],
    name: Option<&str>,
    w: &mut Vec<Warning>,
    keep: impl FnMut(&&'t R) -> bool,
) -> (Vec<&'t R>, Option<NameMatch>, Status) {
    match name {
        Some(n) => {
            let (idx, m, st) = match_rows(kind, matcher, n, w);
            (
                idx.iter().map(|i| &table[*i]).filter(keep).collect(),
                Some(m),
                st,
            )
        }
        None => (vec![], None, Status::Estimated),
    }
}

/// The label of a resolved part: the name of the one row matched, else the name given, else
/// `fallback` (built from the other fields of the query).
fn part_label(
    name_match: &Option<NameMatch>,
    name: &Option<String>,
    fallback: impl FnOnce() -> String,
) -> String {
    match (name_match, name) {
        (Some(m), _) if m.matched.len() == 1 => m.matched[0].clone(),
        (_, Some(n)) => n.clone(),
        _ => fallback(),
    }
}

/// The label of a CPU without a name: its family, cores and TDP, as far as they are known.
fn cpu_fallback_label(q: &CpuQuery) -> String {
    let mut parts = Vec::new();
    if let Some(f) = &q.family {
        parts.push(f.clone());
    }
    if let Some(c) = q.cores {
        parts.push(format!("{c} cores"));
    }
    if let Some(t) = q.tdp_w {
        parts.push(format!("{} W", fmt_num(t)));
    }
    if parts.is_empty() {
        "unknown CPU".into()
    } else {
        format!("CPU ({})", parts.join(", "))
    }
}

/// The names of the matched rows, separated by commas.
fn joined_names<'r>(names: impl Iterator<Item = &'r str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

/// The distinct non-empty values, sorted.
fn distinct<'r>(values: impl Iterator<Item = &'r str>) -> Vec<String> {
    let mut v: Vec<String> = values
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The families to estimate from: the one given, else those of the matched rows.
fn query_families<'r>(given: &Option<String>, rows: impl Iterator<Item = &'r str>) -> Vec<String> {
    match given {
        Some(f) => vec![f.clone()],
        None => distinct(rows),
    }
}

/// A value the user gave, which must be positive, with its provenance (the user, by default).
fn given_value(
    v: f64,
    field: &str,
    what: &str,
    unit: &str,
    provenance: Option<&Provenance>,
    note: &str,
) -> Result<Quantity, DataError> {
    let v = positive(v, field, what)?;
    Ok(Quantity::fixed(
        v,
        unit,
        provenance
            .cloned()
            .unwrap_or_else(|| Provenance::input(note)),
    ))
}

/// The spread of values averaged: the values themselves, or none for a single one.
fn spread(values: Vec<f64>) -> Dist {
    if values.len() > 1 {
        Dist::Empirical { values }
    } else {
        Dist::Fixed
    }
}

/// The provenance of a value estimated from similar models of a crowdsourced table.
fn estimated_provenance(source: &str, note: String) -> Provenance {
    Provenance::new(Status::Estimated, source)
        .with_year(Some(2025))
        .with_licence(Some("GPL-3.0-or-later".into()))
        .with_note(note)
}

/// An error of a file of the data bundle as a whole (no line).
fn bundle_error(file: &str, message: impl Into<String>) -> DataError {
    DataError::Bundle {
        file: file.into(),
        line: 0,
        message: message.into(),
    }
}

/// A constant of the method that the data bundle must hold.
fn bundle_constant(constants: &Constants, key: &str) -> Result<Quantity, DataError> {
    constants
        .get(key, None)
        .cloned()
        .ok_or_else(|| bundle_error("constants.toml", format!("missing constant {key}")))
}

/// The TDP of a CPU: the user's (which must be positive), else the matched rows', else none.
fn cpu_tdp(
    q: &CpuQuery,
    rows: &[&CpuRow],
    status: Status,
    names: &str,
) -> Result<Option<Quantity>, DataError> {
    Ok(match q.tdp_w {
        Some(t) => Some(given_value(
            t,
            "tdp_w",
            "TDP in watts",
            "W",
            q.tdp_provenance.as_ref(),
            "TDP given by the user",
        )?),
        None => rows_tdp(rows, status, names),
    })
}

/// The mean TDP of the matched rows that give one, with their spread (`None` when none does).
fn rows_tdp(rows: &[&CpuRow], status: Status, names: &str) -> Option<Quantity> {
    let tdps: Vec<f64> = rows.iter().filter_map(|r| r.tdp_w).collect();
    let m = mean(&tdps)?;
    let r = rows.iter().find(|r| r.tdp_w.is_some())?;
    Some(Quantity::with_dist(
        m,
        spread(tdps),
        "W",
        row_prov(
            status,
            &r.source,
            r.year,
            &r.licence,
            format!("TDP of {names} ({})", r.source_url),
        ),
    ))
}

/// The power curve relative to a known TDP: the curve through the method's anchors.
fn tdp_power(label: &str, tdp: &Quantity, anchors: Anchors) -> CpuPower {
    let (curve, provenance, _) = anchors;
    CpuPower::Tdp {
        tdp_w: Input::new(
            format!("cpu:{label}:tdp:{:x}", tdp.value.to_bits()),
            format!("{label} TDP"),
            tdp.clone(),
        ),
        curve,
        curve_key: "cpu-curve:tdp-anchors".into(),
        provenance,
    }
}

/// The power curve fitted to the measured points, with the TDP's anchor points (load %,
/// share of TDP) when the TDP is known.
fn measured_power(
    q: &CpuQuery,
    label: &str,
    tdp: Option<&Quantity>,
    anchor_points: &[(f64, f64)],
) -> Result<CpuPower, DataError> {
    let mut pts: Vec<(f64, f64)> = q.power_points.clone();
    if let Some(t) = tdp {
        pts.extend(anchor_points.iter().map(|(x, f)| (*x, f * t.value)));
    }
    let curve = fit_log_curve(&pts).ok_or_else(|| {
        InputError::invalid(
            "power_points",
            format!("{:?}", q.power_points),
            "power points (load in %, watts) with at least three distinct loads between 0 and 100, or two with a TDP",
        )
    })?;
    let prov = Provenance::new(Status::Measured, "user").with_note(format!(
        "least-squares fit of a·ln(load + c) + d to {} measured point(s){}",
        q.power_points.len(),
        if tdp.is_some() {
            " and the TDP anchors"
        } else {
            ""
        }
    ));
    Ok(CpuPower::Absolute {
        curve,
        curve_key: format!("cpu:{label}:measured-curve"),
        provenance: prov,
    })
}

/// The die area of the matched rows that give one (`None` when none does), with a warning when
/// the source table only approximates it.
fn rows_die_area(
    rows: &[&CpuRow],
    status: Status,
    names: &str,
    w: &mut Vec<Warning>,
) -> Option<Quantity> {
    let with_die: Vec<&&CpuRow> = rows.iter().filter(|r| r.die_area_mm2.is_some()).collect();
    let r = with_die.first()?;
    let vals: Vec<f64> = with_die.iter().filter_map(|r| r.die_area_mm2).collect();
    let v = mean(&vals)?;
    let basis = r.die_area_basis.as_str();
    let dist = die_area_dist(basis, vals, v);
    if basis != "measured" {
        w.push(Warning::new(
            "cpu.die-area.approximate",
            format!(
                "die area of {names} is {} ({}): {} mm², {}",
                die_basis_text(basis),
                r.die_area_origin,
                fmt_num(v),
                dist_note(&dist, v)
            ),
        ));
    }
    Some(Quantity::with_dist(
        v,
        dist,
        "mm2",
        row_prov(
            status,
            &r.source,
            r.year,
            &r.licence,
            format!(
                "die area of {names} ({}; {})",
                r.die_area_basis, r.source_url
            ),
        ),
    ))
}

/// The spread of a die area of mean `v`: the rows' values when several, else a range that
/// follows how the source table found it.
fn die_area_dist(basis: &str, vals: Vec<f64>, v: f64) -> Dist {
    if vals.len() > 1 {
        return Dist::Empirical { values: vals };
    }
    match basis {
        "measured" => Dist::Fixed,
        "family-upper-bound" => Dist::Triangular {
            low: 0.5 * v,
            high: v,
        },
        "proxy" => Dist::Triangular {
            low: 0.8 * v,
            high: 1.2 * v,
        },
        _ => Dist::Triangular {
            low: 0.7 * v,
            high: 1.3 * v,
        },
    }
}

/// How the source table found a die area, in words.
fn die_basis_text(basis: &str) -> &'static str {
    match basis {
        "family-upper-bound" => "the largest die of its family, an upper bound",
        "proxy" => "copied from a similar model",
        "scaled" => "scaled from a similar model",
        "regression" => "a regression estimate of the source table",
        "unstated" => "of unstated origin in the source table",
        _ => "an estimate of the source table",
    }
}

/// A die area estimated from similar models: its value, its spread and how it was found.
struct DieEstimate {
    value: f64,
    dist: Dist,
    note: String,
}

impl DieEstimate {
    /// The mean of die areas, with them as its spread (`None` for none).
    fn mean(values: Vec<f64>, note: String) -> Option<DieEstimate> {
        let value = mean(&values)?;
        Some(DieEstimate {
            value,
            dist: Dist::Empirical { values },
            note,
        })
    }

    /// The prediction of a regression, with the residual standard deviation as its spread.
    fn regression(value: f64, sd: f64, note: String) -> DieEstimate {
        DieEstimate {
            value,
            dist: Dist::Normal { sd },
            note,
        }
    }
}

/// The die areas of the rows with `cores` cores.
fn die_areas_with_cores(rows: &[&CpuRow], cores: f64) -> Vec<f64> {
    rows.iter()
        .filter(|r| r.cores == Some(cores))
        .filter_map(|r| r.die_area_mm2)
        .collect()
}

/// A die area estimated from similar models, with the warning that says how.
fn estimated_die_area(what: &str, e: DieEstimate, w: &mut Vec<Warning>) -> Quantity {
    w.push(Warning::new(
        "cpu.die-area.estimated",
        format!(
            "die area of {what} is not in the data bundle: {}: {} mm²",
            e.note,
            fmt_num(e.value)
        ),
    ));
    Quantity::with_dist(
        e.value,
        e.dist,
        "mm2",
        estimated_provenance("boaviztapi-crowdsourcing", e.note),
    )
}

fn dist_note(d: &Dist, v: f64) -> String {
    format!("uncertainty {}", d.describe(v))
}

/// Least squares of die area on cores; the prediction is rounded to a whole mm² as the
/// reference does. Returns (prediction, residual sd, rows used).
fn regression(rows: &[&CpuRow], cores: f64) -> Option<(f64, f64, usize)> {
    let pts: Vec<(f64, f64)> = rows
        .iter()
        .filter_map(|r| Some((r.cores?, r.die_area_mm2?)))
        .collect();
    let n = pts.len();
    if n < 3 {
        return None;
    }
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n as f64;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n as f64;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let slope = sxy / sxx;
    let icpt = my - slope * mx;
    let res: f64 = pts
        .iter()
        .map(|p| (p.1 - (slope * p.0 + icpt)).powi(2))
        .sum();
    let sd = (res / (n as f64 - 2.0)).sqrt();
    let pred = (slope * cores + icpt).round();
    (pred > 0.0).then_some((pred, sd, n))
}

/// The CPU power curve relative to TDP, its provenance and its anchor points (load %, share of TDP).
type Anchors = (LogCurve, Provenance, Vec<(f64, f64)>);

fn tdp_anchors(constants: &Constants) -> Result<Anchors, DataError> {
    let mut pts = Vec::new();
    let mut prov = None;
    for load in [0.0, 10.0, 50.0, 100.0] {
        let key = format!("cpu.power_fraction_at_{}", load as u32);
        let q = bundle_constant(constants, &key)?;
        prov.get_or_insert_with(|| q.provenance.clone());
        pts.push((load, q.value));
    }
    let curve = fit_log_curve(&pts)
        .ok_or_else(|| bundle_error("constants.toml", "the CPU power anchors cannot be fitted"))?;
    let prov = prov.expect("four anchors").with_note(format!(
        "least-squares fit of a·ln(load + c) + d through the anchors {} (fractions of TDP at 0, 10, 50, 100 % load)",
        pts.iter().map(|p| fmt_num(p.1)).collect::<Vec<_>>().join(", ")
    ));
    Ok((curve, prov, pts))
}

/// A description of a GPU.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GpuQuery {
    /// Model name.
    pub name: Option<String>,
    /// Family (product line).
    pub family: Option<String>,
    /// TDP (W).
    pub tdp_w: Option<f64>,
    /// Die area (mm²).
    pub die_area_mm2: Option<f64>,
    /// Memory (GB).
    pub memory_gb: Option<f64>,
    /// Number of dies the die area is made of (chiplets).
    pub dies: Option<u32>,
}

impl Bundle {
    /// Resolves a GPU description.
    pub fn resolve_gpu(
        &self,
        q: &GpuQuery,
        constants: &Constants,
    ) -> Result<Resolution<GpuSpec>, DataError> {
        let mut w = Vec::new();
        // The curated data-center table comes first: keep one row per name.
        let mut seen = std::collections::HashSet::new();
        let (rows, name_match, status) = matched_rows(
            "GPU",
            &self.gpu_matcher,
            &self.gpus,
            q.name.as_deref(),
            &mut w,
            |r| seen.insert(compact(&r.name)),
        );
        let label = part_label(&name_match, &q.name, || {
            q.family
                .clone()
                .map(|f| format!("GPU ({f})"))
                .unwrap_or_else(|| "unknown GPU".into())
        });
        let names = joined_names(rows.iter().map(|r| r.name.as_str()));
        let families = query_families(&q.family, rows.iter().map(|r| r.family.as_str()));
        let found = GpuRows {
            rows,
            status,
            label,
            names,
            families,
        };
        let die = self.gpu_value(&found, GpuValue::DieArea, q.die_area_mm2, &mut w)?;
        let tdp = self.gpu_value(&found, GpuValue::Tdp, q.tdp_w, &mut w)?;
        let mem = self.gpu_value(&found, GpuValue::Memory, q.memory_gb, &mut w)?;
        let label = found.label;
        let density = bundle_constant(constants, "ram.default_density")?;
        if mem.value > 0.0 && constants.is_reference("gpu") {
            w.push(Warning::new(
                "gpu.memory-as-dimm",
                format!(
                    "{label}: its {} GB of on-package memory are costed as DIMM RAM at the default density ({} GB/cm²), as the reference does",
                    fmt_num(mem.value),
                    fmt_num(density.value)
                ),
            ));
        }
        let dies = match q.dies {
            Some(d) if (1..=64).contains(&d) => d,
            Some(d) => {
                return Err(InputError::invalid(
                    "dies",
                    d.to_string(),
                    "a number of dies from 1 to 64",
                )
                .into())
            }
            None => found
                .rows
                .iter()
                .find_map(|r| r.dies)
                .map_or(1, |d| d.round().clamp(1.0, 64.0) as u32),
        };
        // No die is larger than a lithography reticle: a larger area is several dies, whose
        // wafer losses are far smaller than one die's of that size.
        let per_die = die.value / f64::from(dies);
        if per_die > RETICLE_MM2 && !constants.is_reference("gpu") {
            w.push(Warning::new(
                "gpu.die-over-reticle",
                format!(
                    "{label}: {} mm² in {dies} die(s) is {} mm² per die, above the reticle limit ({RETICLE_MM2} mm²): the wafer losses of one die that large are counted — give `dies`",
                    fmt_num(die.value),
                    fmt_num(per_die)
                ),
            ));
        }
        let key = |what: &str, v: f64| format!("gpu:{label}:{what}:{:x}", v.to_bits());
        Ok(Resolution {
            spec: GpuSpec {
                name: label.clone(),
                die_area_mm2: Input::new(
                    key("die_area", die.value),
                    format!("{label} die area"),
                    die,
                ),
                tdp_w: Input::new(key("tdp", tdp.value), format!("{label} TDP"), tdp),
                memory_gb: Input::new(key("memory", mem.value), format!("{label} memory"), mem),
                memory_density: Input::new(
                    "const:ram.default_density",
                    "default memory density",
                    density,
                ),
                dies,
            },
            warnings: w,
            name_match,
        })
    }

    /// A value of a GPU: the user's, else the mean of the matched rows, else an estimate from
    /// similar models (with a warning).
    fn gpu_value(
        &self,
        found: &GpuRows<'_>,
        value: GpuValue,
        given: Option<f64>,
        w: &mut Vec<Warning>,
    ) -> Result<Quantity, DataError> {
        if let Some(v) = given {
            return given_gpu_value(value, v);
        }
        if let Some(q) = rows_gpu_value(found, value) {
            return Ok(q);
        }
        let (vals, note) = self.similar_gpu_values(&found.families, value);
        let m = mean(&vals).unwrap_or(0.0);
        let subject = if found.names.is_empty() {
            &found.label
        } else {
            &found.names
        };
        let (what, unit, _) = value.names();
        w.push(Warning::new(
            "gpu.estimated",
            format!(
                "{what} of {subject} is not in the data bundle: {note} of {} values: {} {unit}",
                vals.len(),
                fmt_num(m)
            ),
        ));
        Ok(Quantity::with_dist(
            m,
            Dist::Empirical { values: vals },
            unit,
            estimated_provenance("techpowerup", note),
        ))
    }

    /// The values of a field over similar GPUs, and which: those of the families released
    /// recently, else of the families, else of every recent GPU of the bundle.
    fn similar_gpu_values(&self, families: &[String], value: GpuValue) -> (Vec<f64>, String) {
        let in_families = |r: &&GpuRow| families.iter().any(|f| f.eq_ignore_ascii_case(&r.family));
        let fam: Vec<f64> = self
            .gpus
            .iter()
            .filter(|r| in_families(r) && self.in_window(&r.release_date))
            .filter_map(|r| value.get(r))
            .collect();
        if !fam.is_empty() {
            return (
                fam,
                format!(
                    "mean of the {} family ({})",
                    families.join(", "),
                    self.window_note()
                ),
            );
        }
        let fam_all: Vec<f64> = self
            .gpus
            .iter()
            .filter(in_families)
            .filter_map(|r| value.get(r))
            .collect();
        if !fam_all.is_empty() {
            return (
                fam_all,
                format!("mean of the {} family", families.join(", ")),
            );
        }
        let recent: Vec<f64> = self
            .gpus
            .iter()
            .filter(|r| self.in_window(&r.release_date))
            .filter_map(|r| value.get(r))
            .collect();
        (
            recent,
            format!("mean of the GPUs of the bundle ({})", self.window_note()),
        )
    }
}

/// The GPU rows a query's name matched, and what its values are resolved with.
struct GpuRows<'b> {
    rows: Vec<&'b GpuRow>,
    status: Status,
    /// The GPU's label in keys, names and warnings.
    label: String,
    /// The matched rows' names.
    names: String,
    /// The families to estimate from.
    families: Vec<String>,
}

/// A value of the GPU tables that a query can give.
#[derive(Clone, Copy)]
enum GpuValue {
    DieArea,
    Tdp,
    Memory,
}

impl GpuValue {
    /// The value in a row.
    fn get(self, r: &GpuRow) -> Option<f64> {
        match self {
            GpuValue::DieArea => r.die_area_mm2,
            GpuValue::Tdp => r.tdp_w,
            GpuValue::Memory => r.memory_gb,
        }
    }

    /// The bounds a row gives for the value (low, high).
    fn bounds(self, r: &GpuRow) -> (Option<f64>, Option<f64>) {
        match self {
            GpuValue::DieArea => (r.die_area_low_mm2, r.die_area_high_mm2),
            GpuValue::Tdp => (r.tdp_low_w, r.tdp_high_w),
            GpuValue::Memory => (None, None),
        }
    }

    /// What the value is, its unit, and the query's field that gives it.
    fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            GpuValue::DieArea => ("die area", "mm2", "die_area_mm2"),
            GpuValue::Tdp => ("TDP", "W", "tdp_w"),
            GpuValue::Memory => ("memory", "GB", "memory_gb"),
        }
    }
}

/// A GPU value the user gave, which must be non-negative.
fn given_gpu_value(value: GpuValue, v: f64) -> Result<Quantity, DataError> {
    let (what, unit, field) = value.names();
    if !(v.is_finite() && v >= 0.0) {
        return Err(InputError::invalid(
            field,
            fmt_num(v),
            format!("a non-negative {what} in {unit}"),
        )
        .into());
    }
    Ok(Quantity::fixed(
        v,
        unit,
        Provenance::input(format!("{what} given by the user")),
    ))
}

/// The mean of a GPU value over the matched rows that give it (`None` when none does), with
/// their spread, or the first row's bounds for a single row.
fn rows_gpu_value(found: &GpuRows<'_>, value: GpuValue) -> Option<Quantity> {
    let (what, unit, _) = value.names();
    let get = |r: &GpuRow| value.get(r);
    let vals: Vec<f64> = found.rows.iter().filter_map(|r| get(r)).collect();
    let m = mean(&vals)?;
    let r = found.rows.iter().find(|r| get(r).is_some())?;
    let dist = if vals.len() > 1 {
        Dist::Empirical { values: vals }
    } else {
        match value.bounds(r) {
            (Some(l), Some(h)) if l < h => Dist::Triangular {
                low: l.min(m),
                high: h.max(m),
            },
            _ => Dist::Fixed,
        }
    };
    let mut note = format!("{what} of {} ({})", found.names, r.source_url);
    if let Some(n) = &r.note {
        note.push_str(&format!("; {n}"));
    }
    Some(Quantity::with_dist(
        m,
        dist,
        unit,
        row_prov(found.status, &r.source, r.year, &r.licence, note),
    ))
}

/// A description of main memory.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RamQuery {
    /// Capacity (GB).
    pub size_gb: f64,
    /// Manufacturer (Samsung, SK hynix, Micron).
    pub manufacturer: Option<String>,
    /// Process (nm).
    pub process_nm: Option<f64>,
    /// Density (GB/cm²), when known.
    pub density: Option<f64>,
    /// Generation (`DDR3`, `DDR4`, `DDR5`, `LPDDR5X`…), when known.
    pub generation: Option<String>,
    /// Number of modules (DIMMs), when known.
    pub modules: Option<u32>,
    /// The family of the node's processors (`Cascade Lake`, `Genoa`): the generation of its
    /// memory when the query gives none (data/memory_generations.csv).
    pub cpu_family: Option<String>,
    /// The memory's power is in an accelerator module's power (a GH200's LPDDR5X).
    pub power_in_gpus: bool,
}

/// A memory generation as the model groups them: its density and typical module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MemoryGeneration {
    Ddr3,
    Ddr4,
    Ddr5,
    /// Soldered low-power memory (LPDDR4/5/5X): no module.
    Lpddr4,
    Lpddr5,
    Unknown,
}

impl MemoryGeneration {
    /// Reads `DDR4`, `ddr5`, `LPDDR5X`, `DDR4-3200`… (None for anything else).
    fn parse(s: &str) -> Option<MemoryGeneration> {
        let name = s.trim().split(['-', ' ']).next().unwrap_or_default();
        let c = compact(name);
        Some(match c.as_str() {
            "ddr3" | "ddr3l" => MemoryGeneration::Ddr3,
            "ddr4" => MemoryGeneration::Ddr4,
            "ddr5" => MemoryGeneration::Ddr5,
            "lpddr4" | "lpddr4x" => MemoryGeneration::Lpddr4,
            "lpddr5" | "lpddr5x" => MemoryGeneration::Lpddr5,
            _ => return None,
        })
    }

    /// The key of its density and module constants.
    fn key(self) -> &'static str {
        match self {
            MemoryGeneration::Ddr3 => "ddr3",
            MemoryGeneration::Ddr4 | MemoryGeneration::Lpddr4 => "ddr4",
            MemoryGeneration::Ddr5 | MemoryGeneration::Lpddr5 => "ddr5",
            MemoryGeneration::Unknown => "unknown",
        }
    }

    fn soldered(self) -> bool {
        matches!(self, MemoryGeneration::Lpddr4 | MemoryGeneration::Lpddr5)
    }
}

/// A description of an SSD.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SsdQuery {
    /// Capacity (GB).
    pub size_gb: f64,
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// 3D NAND layers.
    pub layers: Option<u32>,
    /// Density (GB/cm²), when known.
    pub density: Option<f64>,
}

fn positive(v: f64, field: &str, what: &str) -> Result<f64, DataError> {
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(InputError::invalid(field, fmt_num(v), format!("a positive {what}")).into())
    }
}

impl Bundle {
    /// Resolves a memory description: the user's density, else the mean density of the rows of
    /// the same manufacturer and process, of the same manufacturer, of the same process, else the
    /// method's default density (with a warning): the density of its generation in the current
    /// model, one density in the reference model.
    pub fn resolve_ram(
        &self,
        q: &RamQuery,
        constants: &Constants,
    ) -> Result<Resolution<RamSpec>, DataError> {
        let mut w = Vec::new();
        let size = positive(q.size_gb, "size_gb", "memory size in GB")?;
        let reference = constants.is_reference("memory");
        // Checked in every method; used by the current one.
        let known = self.memory_generation(q)?;
        let generation = known.unwrap_or(MemoryGeneration::Unknown);
        let mut defaulted = false;
        let (density, key) = match q.density {
            Some(d) => {
                let d = positive(d, "density", "memory density in GB/cm²")?;
                (
                    Quantity::fixed(d, "GB/cm2", Provenance::input("density given by the user")),
                    format!("ram-density:user:{:x}", d.to_bits()),
                )
            }
            None => match self.table_density(q) {
                Some(found) => found,
                None => {
                    defaulted = true;
                    default_density(q, constants, reference, generation, &mut w)?
                }
            },
        };
        let modules = match q.modules {
            Some(m) => checked_modules(m)?,
            None if reference => 1,
            None => {
                defaulted |= !generation.soldered();
                ram_modules(size, generation, constants, &mut w)?
            }
        };
        if known.is_none() && defaulted && !reference {
            w.push(Warning::new(
                "ram.generation-unknown",
                match &q.cpu_family {
                    Some(f) => format!("memory generation unknown (data/memory_generations.csv gives none for processors of the {f} family): the default density and module of an unknown generation are used — give `generation`"),
                    None => "memory generation unknown: the default density and module of an unknown generation are used — give `generation` (DDR4, DDR5…) or the processors".to_string(),
                },
            ));
        }
        Ok(Resolution {
            spec: RamSpec {
                size_gb: Input::new(
                    format!("ram-size:{:x}", size.to_bits()),
                    "RAM capacity",
                    Quantity::fixed(size, "GB", Provenance::input("memory capacity")),
                ),
                density: Input::new(key, "RAM density", density),
                modules,
                power_in_gpus: q.power_in_gpus,
            },
            warnings: w,
            name_match: None,
        })
    }

    /// The generation of a memory: the query's (checked), else its processors'
    /// (data/memory_generations.csv), else None.
    fn memory_generation(&self, q: &RamQuery) -> Result<Option<MemoryGeneration>, DataError> {
        if let Some(g) = &q.generation {
            return MemoryGeneration::parse(g).map(Some).ok_or_else(|| {
                InputError::invalid(
                    "generation",
                    g.clone(),
                    "a memory generation: DDR3, DDR4, DDR5, LPDDR4(X) or LPDDR5(X)",
                )
                .into()
            });
        }
        if let Some(f) = &q.cpu_family {
            let hit = self
                .memory_generations
                .iter()
                .filter(|r| compact(f).starts_with(&compact(&r.cpu_family)))
                .max_by_key(|r| r.cpu_family.len());
            if let Some(g) = hit.and_then(|r| MemoryGeneration::parse(&r.generation)) {
                return Ok(Some(g));
            }
        }
        Ok(None)
    }

    /// The mean density of the table's rows of the query's manufacturer and process, of its
    /// manufacturer, of its process; None when neither is given or nothing matches.
    fn table_density(&self, q: &RamQuery) -> Option<(Quantity, String)> {
        let mfr = |r: &&crate::bundle::RamRow| {
            q.manufacturer
                .as_ref()
                .is_some_and(|m| compact(m) == compact(&r.manufacturer))
        };
        let proc = |r: &&crate::bundle::RamRow| q.process_nm.is_some_and(|p| p == r.process_nm);
        let both: Vec<_> = self.ram.iter().filter(|r| mfr(r) && proc(r)).collect();
        let by_m: Vec<_> = self.ram.iter().filter(mfr).collect();
        let by_p: Vec<_> = self.ram.iter().filter(proc).collect();
        let (set, why) = if !both.is_empty() {
            (both, "same manufacturer and process")
        } else if !by_m.is_empty() {
            (by_m, "same manufacturer")
        } else {
            (by_p, "same process")
        };
        let rows: Vec<DensityRow<'_>> = set.iter().map(|r| r.row()).collect();
        let status = if rows.len() == 1 {
            Status::Database
        } else {
            Status::Estimated
        };
        let d = mean_density(&rows, why, status)?;
        let key = format!(
            "ram-density:{}:{}",
            q.manufacturer.clone().unwrap_or_default(),
            q.process_nm.map(fmt_num).unwrap_or_default()
        );
        Some((d, key))
    }

    /// Resolves an SSD description: the user's density, else the mean density of the rows of the
    /// same manufacturer and layer count, of the same layer count, of the same manufacturer, else
    /// of the whole table (with a warning unless one row matched both).
    pub fn resolve_ssd(&self, q: &SsdQuery) -> Result<Resolution<SsdSpec>, DataError> {
        let mut w = Vec::new();
        let size = positive(q.size_gb, "size_gb", "SSD capacity in GB")?;
        let mfr = |r: &&crate::bundle::SsdRow| {
            q.manufacturer
                .as_ref()
                .is_some_and(|m| compact(m) == compact(&r.manufacturer))
        };
        let lay =
            |r: &&crate::bundle::SsdRow| q.layers.is_some_and(|l| Some(f64::from(l)) == r.layers);
        let (density, key) = if let Some(d) = q.density {
            let d = positive(d, "density", "SSD density in GB/cm²")?;
            (
                Quantity::fixed(d, "GB/cm2", Provenance::input("density given by the user")),
                format!("ssd-density:user:{:x}", d.to_bits()),
            )
        } else {
            let both: Vec<_> = self.ssd.iter().filter(|r| mfr(r) && lay(r)).collect();
            let by_l: Vec<_> = self.ssd.iter().filter(lay).collect();
            let by_m: Vec<_> = self.ssd.iter().filter(mfr).collect();
            let exact = !both.is_empty();
            let (set, why, status) = if exact {
                (both, "same manufacturer and layer count", Status::Database)
            } else if !by_l.is_empty() {
                (by_l, "same layer count", Status::Estimated)
            } else if !by_m.is_empty() {
                (by_m, "same manufacturer", Status::Estimated)
            } else {
                (
                    self.ssd.iter().collect(),
                    "the whole table",
                    Status::Default,
                )
            };
            let rows: Vec<DensityRow<'_>> = set.iter().map(|r| r.row()).collect();
            let d = mean_density(&rows, why, status)
                .ok_or_else(|| bundle_error("ssd_density.csv", "empty table"))?;
            if !exact || rows.len() > 1 {
                w.push(Warning::new(
                    "ssd.density.average",
                    format!(
                        "SSD density: mean of {} row(s) ({why}): {} GB/cm² — give the manufacturer and layer count to refine",
                        rows.len(),
                        fmt_num(d.value)
                    ),
                ));
            }
            (
                d,
                format!(
                    "ssd-density:{}:{}",
                    q.manufacturer.clone().unwrap_or_default(),
                    q.layers.map(|l| l.to_string()).unwrap_or_default()
                ),
            )
        };
        Ok(Resolution {
            spec: SsdSpec {
                size_gb: Input::new(
                    format!("ssd-size:{:x}", size.to_bits()),
                    "SSD capacity",
                    Quantity::fixed(size, "GB", Provenance::input("SSD capacity")),
                ),
                density: Input::new(key, "SSD density", density),
            },
            warnings: w,
            name_match: None,
        })
    }
}

/// The method's default density of a memory the table does not describe, with a warning: its
/// generation's (current model) or the one default (reference model).
fn default_density(
    q: &RamQuery,
    constants: &Constants,
    reference: bool,
    generation: MemoryGeneration,
    w: &mut Vec<Warning>,
) -> Result<(Quantity, String), DataError> {
    let key = if reference {
        "ram.default_density".to_string()
    } else {
        format!("ram.density.{}", generation.key())
    };
    let d = bundle_constant(constants, &key)?;
    let what = if q.manufacturer.is_some() || q.process_nm.is_some() {
        format!(
            "no RAM density for {}{} in the data bundle",
            q.manufacturer.clone().unwrap_or_default(),
            q.process_nm
                .map(|p| format!(" {} nm", fmt_num(p)))
                .unwrap_or_default()
        )
    } else {
        "RAM density not given".to_string()
    };
    let default = if reference {
        "the reference's default (MLCA)".to_string()
    } else {
        format!("the default of its generation ({})", generation.key())
    };
    w.push(Warning::new(
        "ram.density.default",
        format!(
            "{what}: {default}, {} GB/cm² ({}) — give the manufacturer and process to refine",
            fmt_num(d.value),
            d.dist.describe(d.value)
        ),
    ));
    Ok((d, format!("const:{key}")))
}

/// The largest die a lithography scanner exposes in one field (26 × 33 mm).
const RETICLE_MM2: f64 = 858.0;

/// The most memory modules one memory description may have.
pub const MAX_MEMORY_MODULES: u32 = 4096;

/// A number of modules given by the user: 1 to [`MAX_MEMORY_MODULES`].
fn checked_modules(m: u32) -> Result<u32, DataError> {
    if m == 0 || m > MAX_MEMORY_MODULES {
        return Err(InputError::invalid(
            "modules",
            m.to_string(),
            format!("a number of memory modules from 1 to {MAX_MEMORY_MODULES} (soldered memory: give its generation, LPDDR5X)"),
        )
        .into());
    }
    Ok(m)
}

/// The modules a memory of unknown module count is split into: its capacity over its
/// generation's typical module (with a warning); none for soldered memory.
fn ram_modules(
    size: f64,
    generation: MemoryGeneration,
    constants: &Constants,
    w: &mut Vec<Warning>,
) -> Result<u32, DataError> {
    if generation.soldered() {
        return Ok(0);
    }
    let typical = bundle_constant(constants, &format!("ram.module_gb.{}", generation.key()))?;
    let m = (size / typical.value)
        .ceil()
        .clamp(1.0, f64::from(MAX_MEMORY_MODULES)) as u32;
    w.push(Warning::new(
        "ram.modules-assumed",
        format!(
            "{} GB of RAM taken as {m} module(s) of {} GB, the typical module of its generation ({}) — give `modules`",
            fmt_num(size),
            fmt_num(typical.value),
            generation.key()
        ),
    ));
    Ok(m)
}

/// One row of a density table, as used by [`mean_density`].
struct DensityRow<'a> {
    density: f64,
    source: &'a str,
    year: Option<i32>,
    licence: &'a str,
    origin: &'a str,
}

/// A row of `ram_density.csv` or `ssd_density.csv`.
trait DensityTableRow {
    fn row(&self) -> DensityRow<'_>;
}

/// The two density tables have the same columns.
macro_rules! density_table_row {
    ($($table:ty),*) => {$(
        impl DensityTableRow for $table {
            fn row(&self) -> DensityRow<'_> {
                DensityRow {
                    density: self.density_gb_per_cm2,
                    source: &self.source,
                    year: self.year,
                    licence: &self.licence,
                    origin: &self.origin,
                }
            }
        }
    )*};
}

density_table_row!(crate::bundle::RamRow, crate::bundle::SsdRow);

/// The mean density of rows, with the rows as its distribution and the first row's provenance
/// (`None` for no rows).
fn mean_density(rows: &[DensityRow<'_>], why: &str, status: Status) -> Option<Quantity> {
    let vals: Vec<f64> = rows.iter().map(|r| r.density).collect();
    let m = mean(&vals)?;
    let r = &rows[0];
    let n = vals.len();
    Some(Quantity::with_dist(
        m,
        spread(vals),
        "GB/cm2",
        row_prov(
            status,
            r.source,
            r.year,
            r.licence,
            format!("mean density of {n} row(s), {why} ({})", r.origin),
        ),
    ))
}

/// A zone found by [`Bundle::zone`].
#[derive(Clone, Debug)]
pub struct ZoneFound {
    /// The model's zone specification.
    pub spec: ZoneSpec,
    /// Warnings (outlier factors, aggregates).
    pub warnings: Vec<Warning>,
}

impl Bundle {
    /// Looks a zone up by ISO 3166 alpha-2 or alpha-3 code, or by name.
    pub fn zone(&self, query: &str) -> Result<ZoneFound, DataError> {
        self.zone_with(query, false)
    }

    /// A zone's factors as a method takes them: the reference method (`electricity =
    /// "reference"`) knows only the factors of BoaviztAPI's table, not those of 2023-2024.
    pub fn zone_for(&self, query: &str, constants: &Constants) -> Result<ZoneFound, DataError> {
        self.zone_with(query, constants.is_reference("electricity"))
    }

    fn zone_with(&self, query: &str, reference: bool) -> Result<ZoneFound, DataError> {
        let row = self.zone_row(query)?;
        let mut w = Vec::new();
        let factors = self
            .criteria
            .iter()
            .map(|c| {
                let (sel, cells) = self.electricity_cell(row, c, reference, &mut w)?;
                Some(self.zone_factor(row, c, sel, cells, &mut w))
            })
            .collect();
        if row.kind == "aggregate" {
            w.push(Warning::new(
                "electricity.aggregate",
                format!(
                    "electricity zone {} is an aggregate ({}): give the country for a specific mix",
                    row.code3, row.name
                ),
            ));
        }
        Ok(ZoneFound {
            spec: ZoneSpec {
                code: row.code3.clone(),
                name: row.name.clone(),
                factors,
                use_factors: None,
            },
            warnings: w,
        })
    }

    /// The zone row of a code, name or alias (an error with suggestions when none is).
    fn zone_row(&self, query: &str) -> Result<&ZoneRow, DataError> {
        let q = query.trim();
        let cq = compact(q);
        let row = self.zones.iter().find(|z| {
            z.code3.eq_ignore_ascii_case(q)
                || (!z.code2.is_empty() && z.code2.eq_ignore_ascii_case(q))
                || compact(&z.name) == cq
                || z.aliases
                    .split(';')
                    .any(|a| !a.is_empty() && compact(a) == cq)
        });
        row.ok_or_else(|| {
            InputError::unknown(
                "zone",
                q,
                format!(
                    "an electricity zone: an ISO 3166 alpha-2 or alpha-3 code (FR, FRA), a country name, Europe or World{}",
                    crate::suggestion_text(&self.zone_suggestions(q))
                ),
            )
            .into()
        })
    }

    /// The electricity factor a zone takes for a criterion, with all the zone's values for it:
    /// the main sources' best, else an alternative source's, else the world average (with a
    /// warning for either); `None` when there is none.
    fn electricity_cell(
        &self,
        row: &ZoneRow,
        c: &Criterion,
        reference: bool,
        w: &mut Vec<Warning>,
    ) -> Option<(&ElectricityRow, Vec<&ElectricityRow>)> {
        let known = |e: &&ElectricityRow| !(reference && e.current_only);
        let cells: Vec<&ElectricityRow> = self
            .electricity
            .iter()
            .filter(known)
            .filter(|e| e.zone == row.code3 && e.criterion == c.key)
            .collect();
        let primary = cells
            .iter()
            .filter(|e| e.priority < 9)
            .min_by_key(|e| e.priority);
        if let Some(s) = primary {
            return Some((*s, cells));
        }
        if let Some(alt) = cells.iter().min_by_key(|e| e.priority) {
            w.push(Warning::new(
                "electricity.alternative-source",
                format!(
                    "the main sources have no {} factor for {}: the value of {} ({}) is used",
                    c.key, row.name, alt.source, alt.year
                ),
            ));
            return Some((*alt, cells));
        }
        let wv = self
            .electricity
            .iter()
            .filter(known)
            .filter(|e| e.zone == "WOR" && e.criterion == c.key && e.priority < 9)
            .min_by_key(|e| e.priority)?;
        w.push(Warning::new(
            "electricity.world-fallback",
            format!(
                "no source gives a {} factor for {}: the world average is used ({} {})",
                c.key,
                row.name,
                fmt_num(wv.value),
                wv.unit
            ),
        ));
        Some((wv, vec![wv]))
    }

    /// The zone's electricity factor for a criterion: the value selected, ranging over all the
    /// published values, flagged when a primary-energy factor is an outlier.
    fn zone_factor(
        &self,
        row: &ZoneRow,
        c: &Criterion,
        sel: &ElectricityRow,
        cells: Vec<&ElectricityRow>,
        w: &mut Vec<Warning>,
    ) -> Input {
        let lo = cells.iter().map(|e| e.value).fold(f64::INFINITY, f64::min);
        let hi = cells
            .iter()
            .map(|e| e.value)
            .fold(f64::NEG_INFINITY, f64::max);
        let alternatives: Vec<String> = cells
            .iter()
            .filter(|e| !std::ptr::eq(**e, sel))
            .map(|e| format!("{} {} ({}, {})", fmt_num(e.value), e.unit, e.source, e.year))
            .collect();
        // Log-normal around the selected value, its 95 % interval reaching the farthest published
        // value on either side (and mirrored on the other): the newest value stays the median of
        // the factor even where older values lie all on one side of it. A criterion whose
        // factors are uncertain beyond what their sources span (water: how much of a reservoir's
        // evaporation is its electricity's) keeps at least its ratios.
        let single = c.single_source_range;
        let mut ratio: f64 = 1.0;
        if sel.value > 0.0 {
            if lo > 0.0 {
                ratio = ratio.max(sel.value / lo);
            }
            ratio = ratio.max(hi / sel.value);
            if let Some([a, b]) = single {
                ratio = ratio.max(b).max(1.0 / a);
            }
        }
        let dist = if ratio > 1.0 + 1e-9 {
            Dist::LogNormal {
                gsd: ratio.powf(1.0 / 1.96),
            }
        } else {
            Dist::Fixed
        };
        let mut note = format!(
            "{} {} in {} ({}, {})",
            fmt_num(sel.value),
            sel.unit,
            row.name,
            sel.source,
            sel.year
        );
        if !alternatives.is_empty() {
            note.push_str(&format!(
                "; its 95 % interval (log-normal, median the value) spans the other published values: {}",
                alternatives.join("; ")
            ));
        }
        if let Some([a, b]) = single {
            note.push_str(&format!(
                "; range at least {} to {} times it (criteria.toml)",
                fmt_num(a),
                fmt_num(b)
            ));
        }
        if c.key == "pe" && sel.value > self.meta.pe_outlier_mj_per_kwh {
            w.push(Warning::new(
                "electricity.pe-outlier",
                format!(
                    "primary-energy factor of {} is {} MJ/kWh, above {} MJ/kWh: an artefact of the source's ADPf / (1 − renewable share) derivation; read the PE result with caution",
                    row.name,
                    fmt_num(sel.value),
                    fmt_num(self.meta.pe_outlier_mj_per_kwh)
                ),
            ));
            note.push_str("; flagged as an outlier");
        }
        let year = sel.year.get(..4).and_then(|y| y.parse().ok());
        Input::new(
            format!("zone:{}:{}", row.code3, c.key),
            format!("electricity factor of {} ({})", row.name, c.key),
            Quantity::with_dist(
                sel.value,
                dist,
                &sel.unit,
                Provenance::new(Status::Database, &sel.source)
                    .with_year(year)
                    .with_licence(Some(sel.licence.clone()))
                    .with_note(note),
            ),
        )
    }

    /// The names closest to an unknown zone.
    pub fn zone_suggestions(&self, q: &str) -> Vec<String> {
        let names: Vec<String> = self
            .zones
            .iter()
            .map(|z| format!("{} {} {}", z.code3, z.code2, z.name))
            .collect();
        let m = Matcher::new(names.iter().map(String::as_str));
        let mut ranked = m.ranked(q);
        let cq = compact(q);
        // Also rank by edit distance of codes and names, for typos such as FRX or Frnace.
        let mut scored: Vec<(f64, usize)> = self
            .zones
            .iter()
            .enumerate()
            .map(|(i, z)| {
                let d = [&z.code3, &z.code2, &z.name]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        crate::matching::edit_distance(&compact(s), &cq) as f64
                            / compact(s).len().max(cq.len()).max(1) as f64
                    })
                    .fold(f64::INFINITY, f64::min);
                (d, i)
            })
            .collect();
        scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut out: Vec<String> = Vec::new();
        ranked.truncate(3);
        for c in ranked {
            let z = &self.zones[c.index];
            out.push(format!("{} ({})", z.code3, z.name));
        }
        for (d, i) in scored.into_iter().take(5) {
            if d > 0.6 {
                break;
            }
            let z = &self.zones[i];
            let s = format!("{} ({})", z.code3, z.name);
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out.truncate(5);
        out
    }

    /// UPS batteries of a chemistry, with the method's autonomy and lifetime.
    pub fn batteries(
        &self,
        chemistry: &str,
        constants: &Constants,
    ) -> Result<BatterySpec, DataError> {
        let rows: Vec<_> = self
            .batteries
            .iter()
            .filter(|b| b.chemistry.eq_ignore_ascii_case(chemistry))
            .collect();
        if rows.is_empty() {
            let mut known: Vec<&str> = self
                .batteries
                .iter()
                .map(|b| b.chemistry.as_str())
                .collect();
            known.dedup();
            return Err(InputError::unknown(
                "chemistry",
                chemistry,
                format!("a battery chemistry among {}", known.join(", ")),
            )
            .into());
        }
        let r = rows[0];
        let dens: Vec<f64> = rows.iter().map(|b| b.wh_per_kg).collect();
        let gwp: Vec<f64> = rows.iter().map(|b| b.gwp_kg_per_kg * 1000.0).collect();
        let prov = |what: &str| {
            row_prov(
                Status::Database,
                &r.source,
                r.year,
                &r.licence,
                format!(
                    "{what} of {} batteries, mean of {} row(s) ({})",
                    r.chemistry,
                    rows.len(),
                    r.origin
                ),
            )
        };
        let q = |v: &[f64], unit: &str, what: &str| {
            let m = mean(v).expect("non-empty");
            let dist = if v.len() > 1 {
                Dist::Empirical { values: v.to_vec() }
            } else {
                Dist::Fixed
            };
            Quantity::with_dist(m, dist, unit, prov(what))
        };
        let constant = |key: &str| bundle_constant(constants, key);
        let impact_per_kg = self
            .criteria
            .iter()
            .map(|c| {
                (c.key == "gwp").then(|| {
                    Input::new(
                        format!("battery:{}:gwp", r.chemistry),
                        format!("{} battery manufacturing per kg (gwp)", r.chemistry),
                        q(&gwp, "gCO2eq/kg", "manufacturing GWP per kg"),
                    )
                })
            })
            .collect();
        Ok(BatterySpec {
            chemistry: r.chemistry.clone(),
            autonomy_minutes: Input::new(
                "const:battery.autonomy_minutes",
                "UPS autonomy",
                constant("battery.autonomy_minutes")?,
            ),
            wh_per_kg: Input::new(
                format!("battery:{}:density", r.chemistry),
                format!("{} energy density", r.chemistry),
                q(&dens, "Wh/kg", "energy density"),
            ),
            impact_per_kg,
            lifetime_years: Input::new(
                "const:battery.lifetime_years",
                "UPS battery lifetime",
                constant("battery.lifetime_years")?,
            ),
        })
    }

    /// The chiller model, with the given capacity or sized to the IT power.
    pub fn cooling(
        &self,
        capacity_kw: Option<Input>,
        constants: &Constants,
    ) -> Result<CoolingSpec, DataError> {
        let phases = ["manufacturing", "distribution", "installation"];
        let reference_per_kw = self
            .criteria
            .iter()
            .map(|c| {
                phases
                    .iter()
                    .map(|ph| {
                        self.cooling
                            .iter()
                            .find(|r| {
                                r.table == "reference" && r.criterion == c.key && r.phase == *ph
                            })
                            .map(|r| {
                                // The source gives kg per kW for gwp and adpe, MJ per kW for pe.
                                let (v, unit) = match c.key.as_str() {
                                    "pe" => (r.value, "MJ/kW".to_string()),
                                    _ => (r.value * 1000.0, format!("{}/kW", c.unit)),
                                };
                                Input::new(
                                    format!("cooling:reference:{}:{ph}", c.key),
                                    format!("chiller {ph} impact per kW ({})", c.key),
                                    Quantity::fixed(
                                        v,
                                        unit,
                                        row_prov(
                                            Status::Database,
                                            &r.source,
                                            r.year,
                                            &r.licence,
                                            format!(
                                                "{} {} per kW of capacity, {ph} ({})",
                                                fmt_num(r.value),
                                                r.unit.replace("/kW", ""),
                                                r.origin
                                            ),
                                        ),
                                    ),
                                )
                            })
                    })
                    .collect()
            })
            .collect();
        let mut caps: Vec<f64> = self.cooling.iter().filter_map(|r| r.capacity_kw).collect();
        caps.sort_by(f64::total_cmp);
        caps.dedup();
        let extrapolation = caps
            .iter()
            .map(|cap| CoolingRow {
                capacity_kw: *cap,
                factors: phases
                    .iter()
                    .map(|ph| {
                        self.cooling
                            .iter()
                            .find(|r| {
                                r.table == "extrapolation"
                                    && r.capacity_kw == Some(*cap)
                                    && r.phase == *ph
                            })
                            .map(|r| r.value)
                            .unwrap_or(1.0)
                    })
                    .collect(),
            })
            .collect();
        let r = self
            .cooling
            .iter()
            .find(|r| r.table == "extrapolation")
            .ok_or_else(|| bundle_error("cooling.csv", "no extrapolation rows"))?;
        let lifetime = bundle_constant(constants, "cooling.lifetime_years")?;
        Ok(CoolingSpec {
            capacity_kw,
            phases: phases.iter().map(|s| s.to_string()).collect(),
            reference_per_kw,
            extrapolation,
            extrapolation_provenance: row_prov(
                Status::Derived,
                &r.source,
                r.year,
                &r.licence,
                r.origin.clone(),
            ),
            lifetime_years: Input::new(
                "const:cooling.lifetime_years",
                "cooling plant lifetime",
                lifetime,
            ),
        })
    }
}
