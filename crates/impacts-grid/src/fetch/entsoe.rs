//! ENTSO-E's actual generation per production type (document A75, process A16) as an hourly
//! life-cycle intensity: `Σ energy × factor / Σ energy` over the production types of each hour.

use std::collections::{BTreeMap, BTreeSet};

use roxmltree::{Document, Node};

use super::{malformed, psr_factors, Fetched, Point};
use crate::{GridError, Kind};

/// A child element's text (`None` when absent).
fn child<'a>(n: Node<'a, '_>, name: &str) -> Option<Node<'a, 'a>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn text<'a>(n: Node<'a, '_>, name: &str) -> Option<&'a str> {
    child(n, name).and_then(|c| c.text()).map(str::trim)
}

/// An ISO 8601 duration of ENTSO-E's market time units: `PT15M`, `PT30M`, `PT60M`, `P1D`…
fn resolution(s: &str) -> Option<i64> {
    match s {
        "PT15M" => Some(900),
        "PT30M" => Some(1800),
        "PT60M" | "PT1H" => Some(3600),
        _ => None,
    }
}

/// One period of one production type: the mean power (MW) of each market time unit, `None`
/// where the document gives none.
struct Period {
    psr: String,
    start: i64,
    step: i64,
    mw: Vec<Option<f64>>,
}

/// The periods of a generation time series (its `in` domain; consumption, `out`, is skipped).
fn periods(name: &str, ts: Node, out: &mut Vec<Period>) -> Result<(), GridError> {
    if child(ts, "inBiddingZone_Domain.mRID").is_none() {
        return Ok(());
    }
    let psr = child(ts, "MktPSRType")
        .and_then(|m| text(m, "psrType"))
        .ok_or_else(|| malformed(name, "TimeSeries without MktPSRType/psrType"))?
        .to_string();
    let compressed = match text(ts, "curveType").unwrap_or("A01") {
        "A01" => false,
        "A03" => true,
        other => {
            return Err(malformed(
                name,
                format!("curveType '{other}': expected A01 or A03"),
            ))
        }
    };
    for p in ts.children().filter(|c| c.tag_name().name() == "Period") {
        let interval = child(p, "timeInterval")
            .ok_or_else(|| malformed(name, format!("{psr}: Period without timeInterval")))?;
        let at = |field: &str| -> Result<i64, GridError> {
            let t = text(interval, field)
                .ok_or_else(|| malformed(name, format!("{psr}: timeInterval without {field}")))?;
            super::instant(name, &format!("{psr} timeInterval.{field}"), t)
        };
        let (start, end) = (at("start")?, at("end")?);
        let res = text(p, "resolution").unwrap_or("");
        let step = resolution(res).ok_or_else(|| {
            malformed(
                name,
                format!("{psr}: resolution '{res}': expected PT15M, PT30M or PT60M"),
            )
        })?;
        if end <= start || (end - start) % step != 0 {
            return Err(malformed(
                name,
                format!("{psr}: a period of {start}–{end} is not whole steps of {step} s"),
            ));
        }
        let n = ((end - start) / step) as usize;
        let mut mw = vec![None; n];
        // Positions whose quantity is no measure (negative): gaps, not repeated by A03.
        let mut invalid = Vec::new();
        for point in p.children().filter(|c| c.tag_name().name() == "Point") {
            let pos: usize = text(point, "position")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let q: f64 = text(point, "quantity")
                .and_then(|s| s.parse().ok())
                .filter(|q: &f64| q.is_finite())
                .ok_or_else(|| {
                    malformed(
                        name,
                        format!("{psr}: Point {pos}: expected a quantity (MW)"),
                    )
                })?;
            if pos == 0 || pos > n {
                return Err(malformed(
                    name,
                    format!("{psr}: Point position {pos} outside its period of {n} steps"),
                ));
            }
            // A negative generation is no measure: a gap of that hour, not a failed answer.
            if q >= 0.0 {
                mw[pos - 1] = Some(q);
            } else {
                invalid.push(pos - 1);
            }
        }
        if compressed {
            // A03: a position left out repeats the one before it, up to the period's end (a
            // position given without a measure repeats as a gap).
            let mut last = None;
            for (k, v) in mw.iter_mut().enumerate() {
                match v {
                    Some(x) => last = Some(*x),
                    None if invalid.contains(&k) => last = None,
                    None => *v = last,
                }
            }
        }
        out.push(Period {
            psr: psr.clone(),
            start,
            step,
            mw,
        });
    }
    Ok(())
}

/// Energy (MWh) of each production type in each hour, and the hours a type of the mix misses
/// part of: a type with a value for some of the hour's seconds but not all. A type the answer
/// does not report at that hour at all (a series that starts later) does not make it incomplete;
/// nor does one left out of the mix (`counted` false: storage).
fn hourly(
    periods: &[Period],
    counted: impl Fn(&str) -> bool,
) -> (BTreeMap<i64, BTreeMap<String, f64>>, BTreeSet<i64>) {
    let mut energy: BTreeMap<i64, BTreeMap<String, f64>> = BTreeMap::new();
    let mut seconds: BTreeMap<(i64, &str), i64> = BTreeMap::new();
    for p in periods {
        for (k, v) in p.mw.iter().enumerate() {
            let t = p.start + k as i64 * p.step;
            let hour = t.div_euclid(3600) * 3600;
            let entry = seconds.entry((hour, p.psr.as_str())).or_default();
            if let Some(mw) = v {
                *energy
                    .entry(hour)
                    .or_default()
                    .entry(p.psr.clone())
                    .or_default() += mw * p.step as f64 / 3600.0;
                *entry += p.step;
            }
        }
    }
    let mut incomplete = BTreeSet::new();
    for ((hour, psr), s) in seconds {
        if counted(psr) && s < 3600 {
            incomplete.insert(hour);
            energy.entry(hour).or_default();
        }
    }
    (energy, incomplete)
}

/// ENTSO-E's answer to `documentType=A75&processType=A16` for `zone`: an hourly life-cycle
/// intensity. An hour some production type of the answer misses (in part) is left out, counted
/// in `missing`; storage discharge (pumped hydro, batteries) is left out of the mix, so that it
/// takes the mean intensity of the rest. An acknowledgement (`No matching data found`) is an error
/// that says so.
pub fn entsoe(name: &str, body: &str, zone: &str) -> Result<Fetched, GridError> {
    let doc = Document::parse(body)
        .map_err(|e| malformed(name, format!("expected ENTSO-E's XML: {e}")))?;
    let root = doc.root_element();
    match root.tag_name().name() {
        "GL_MarketDocument" => {}
        "Acknowledgement_MarketDocument" => {
            let reason = child(root, "Reason");
            let code = reason.and_then(|r| text(r, "code")).unwrap_or("?");
            let why = reason.and_then(|r| text(r, "text")).unwrap_or("");
            return Err(malformed(
                name,
                format!("ENTSO-E answered with no data (reason {code}: {why})"),
            ));
        }
        other => {
            return Err(malformed(
                name,
                format!("expected a GL_MarketDocument, found {other}"),
            ))
        }
    }
    let mut all = Vec::new();
    for ts in root
        .children()
        .filter(|c| c.tag_name().name() == "TimeSeries")
    {
        periods(name, ts, &mut all)?;
    }
    let factors = psr_factors();
    for p in &all {
        if !factors.contains_key(&p.psr) {
            return Err(malformed(
                name,
                format!(
                    "production type {}: no life-cycle factor in data/entsoe_psr_factors.csv",
                    p.psr
                ),
            ));
        }
    }
    let (energy, incomplete) = hourly(&all, |psr| matches!(factors.get(psr), Some(Some(_))));
    let mut f = Fetched {
        zone: zone.to_string(),
        kind: Kind::LifeCycle,
        source: "entsoe".into(),
        points: Vec::with_capacity(energy.len()),
        missing: incomplete.len(),
    };
    for (hour, by_type) in energy {
        if incomplete.contains(&hour) {
            continue;
        }
        let (mut weighted, mut total) = (0.0, 0.0);
        for (psr, e) in &by_type {
            if let Some(Some(factor)) = factors.get(psr) {
                weighted += e * factor;
                total += e;
            }
        }
        if total > 0.0 {
            f.points.push(Point {
                t: hour,
                value: weighted / total,
                estimated: false,
            });
        } else {
            f.missing += 1;
        }
    }
    super::finish(name, f)
}
