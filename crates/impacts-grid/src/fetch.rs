//! Responses of grid-intensity services read into series rows, and written in the layout
//! [`Series::read`](crate::Series::read) takes (docs/grid.md#fetching): Electricity Maps' carbon
//! intensity history (JSON), RTE's éCO2mix through ODRE (JSON), and ENTSO-E's actual generation
//! per production type (XML, document A75), turned into a life-cycle intensity with the factors
//! of `data/entsoe_psr_factors.csv`. No network here: the command fetches, this reads.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::{GridError, InputError, Kind, Location};

/// One instant of a fetched series.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Start of the step (UTC seconds).
    pub t: i64,
    /// Intensity (gCO2eq/kWh).
    pub value: f64,
    /// Whether the service says it estimated it.
    pub estimated: bool,
}

/// A fetched series: its zone, what its intensities count, its source and its points.
#[derive(Clone, Debug, PartialEq)]
pub struct Fetched {
    /// The zone (`FR`, an ENTSO-E area's name).
    pub zone: String,
    /// Life-cycle or direct intensities.
    pub kind: Kind,
    /// The service (`electricitymaps`, `rte`, `entsoe`).
    pub source: String,
    /// The points, sorted by instant, one per instant.
    pub points: Vec<Point>,
    /// Instants the response gave without an intensity (left out: gaps of the series).
    pub missing: usize,
}

fn malformed(name: &str, message: impl Into<String>) -> GridError {
    InputError::malformed(message).at(Location::at(name, 0, None))
}

/// An instant as the services write it (`2024-07-04T11:00:00.000Z`, `…+02:00`, `2025-10-20T11:00Z`).
fn instant(name: &str, field: &str, text: &str) -> Result<i64, GridError> {
    text.parse::<jiff::Timestamp>()
        .map(|t| t.as_second())
        .map_err(|_| {
            malformed(
                name,
                format!("{field}: expected an instant with its zone, found '{text}'"),
            )
        })
}

/// An intensity, checked: finite, not negative, plausible.
fn intensity(name: &str, at: &str, v: f64) -> Result<f64, GridError> {
    if v.is_finite() && (0.0..=crate::MAX_PLAUSIBLE).contains(&v) {
        Ok(v)
    } else {
        Err(malformed(
            name,
            format!(
                "{at}: expected an intensity between 0 and {} gCO2eq/kWh, found {v}",
                crate::MAX_PLAUSIBLE
            ),
        ))
    }
}

impl Fetched {
    /// Adds the points of another response of the same series (the next window of a long
    /// request): an instant given twice keeps its latest value.
    pub fn extend(&mut self, other: Fetched) {
        self.points.extend(other.points);
        self.points = by_instant(std::mem::take(&mut self.points));
        self.missing += other.missing;
    }

    /// The points from `from` (included) to `to` (excluded), UTC seconds.
    pub fn keep(&mut self, from: i64, to: i64) {
        self.points.retain(|p| p.t >= from && p.t < to);
    }

    /// The series as an Electricity Maps CSV export (`Datetime (UTC)`, `Zone Id`, the intensity
    /// column of its kind, `Data Source`, `Data Estimated`): what `--grid-series` reads, the
    /// zone kept so that a series of another zone is said.
    pub fn to_csv(&self) -> String {
        let column = match self.kind {
            Kind::Direct => "Carbon Intensity gCO₂eq/kWh (direct)",
            _ => "Carbon Intensity gCO₂eq/kWh (LCA)",
        };
        let mut out = format!("Datetime (UTC),Zone Id,{column},Data Source,Data Estimated\n");
        for p in &self.points {
            let t = jiff::Timestamp::from_second(p.t)
                .map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default();
            out.push_str(&format!(
                "{t},{},{},{},{}\n",
                self.zone, p.value, self.source, p.estimated
            ));
        }
        out
    }
}

/// Points sorted by instant, one per instant: of two with the same instant, the one given last.
fn by_instant(points: Vec<Point>) -> Vec<Point> {
    let by_t: BTreeMap<i64, Point> = points.into_iter().map(|p| (p.t, p)).collect();
    by_t.into_values().collect()
}

/// Sorted, one point per instant (the later of two kept), checked not empty.
fn finish(name: &str, mut f: Fetched) -> Result<Fetched, GridError> {
    f.points = by_instant(std::mem::take(&mut f.points));
    if f.points.is_empty() {
        return Err(malformed(name, "the response holds no intensity"));
    }
    Ok(f)
}

#[derive(Deserialize)]
struct EmResponse {
    zone: Option<String>,
    #[serde(alias = "data")]
    history: Option<Vec<EmRow>>,
    error: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EmRow {
    zone: Option<String>,
    carbon_intensity: Option<f64>,
    datetime: String,
    #[serde(default)]
    is_estimated: bool,
    emission_factor_type: Option<String>,
}

/// Electricity Maps' `GET /v3/carbon-intensity/history` or `/past-range` (`history` or `data`
/// rows of `datetime`, `carbonIntensity`, `isEstimated`, `emissionFactorType`).
pub fn electricity_maps(name: &str, body: &str) -> Result<Fetched, GridError> {
    let r: EmResponse = serde_json::from_str(body).map_err(|e| {
        malformed(
            name,
            format!("expected Electricity Maps' JSON ({{\"zone\", \"history\": […]}}): {e}"),
        )
    })?;
    let Some(rows) = r.history else {
        let why = r
            .error
            .or(r.message)
            .unwrap_or_else(|| "no `history` or `data` array".into());
        return Err(malformed(
            name,
            format!("Electricity Maps answered without intensities: {why}"),
        ));
    };
    let mut kind = None;
    let mut f = Fetched {
        zone: r
            .zone
            .or_else(|| rows.iter().find_map(|x| x.zone.clone()))
            .unwrap_or_default(),
        kind: Kind::LifeCycle,
        source: "electricitymaps".into(),
        points: Vec::with_capacity(rows.len()),
        missing: 0,
    };
    for (i, row) in rows.iter().enumerate() {
        let at = format!("history[{i}]");
        let t = instant(name, &format!("{at}.datetime"), &row.datetime)?;
        let k = match row.emission_factor_type.as_deref() {
            Some("direct") => Kind::Direct,
            Some("lifecycle") | None => Kind::LifeCycle,
            Some(other) => {
                return Err(malformed(
                    name,
                    format!(
                        "{at}.emissionFactorType: expected lifecycle or direct, found '{other}'"
                    ),
                ))
            }
        };
        if kind.is_some_and(|x| x != k) {
            return Err(malformed(
                name,
                format!("{at}: life-cycle and direct intensities mixed"),
            ));
        }
        kind = Some(k);
        match row.carbon_intensity {
            Some(v) => f.points.push(Point {
                t,
                value: intensity(name, &format!("{at}.carbonIntensity"), v)?,
                estimated: row.is_estimated,
            }),
            None => f.missing += 1,
        }
    }
    f.kind = kind.unwrap_or(Kind::LifeCycle);
    finish(name, f)
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OdreResponse {
    Records { results: Vec<OdreRow> },
    Export(Vec<OdreRow>),
}

#[derive(Deserialize)]
struct OdreRow {
    date_heure: String,
    taux_co2: Option<f64>,
}

/// RTE's éCO2mix through ODRE: `/records` (`{"results": [{date_heure, taux_co2}]}`) or
/// `/exports/json` (an array of the same): the direct intensity of French generation, every
/// quarter-hour. A null or 0 `taux_co2` (ODRE's placeholder for a quarter-hour not yet computed)
/// is a missing instant.
pub fn odre(name: &str, body: &str) -> Result<Fetched, GridError> {
    let rows = match serde_json::from_str::<OdreResponse>(body) {
        Ok(OdreResponse::Records { results }) => results,
        Ok(OdreResponse::Export(rows)) => rows,
        Err(e) => {
            return Err(malformed(
                name,
                format!("expected ODRE's JSON of eco2mix records (date_heure, taux_co2): {e}"),
            ))
        }
    };
    let mut f = Fetched {
        zone: "FR".into(),
        kind: Kind::Direct,
        source: "rte".into(),
        points: Vec::with_capacity(rows.len()),
        missing: 0,
    };
    for (i, row) in rows.iter().enumerate() {
        let t = instant(name, &format!("results[{i}].date_heure"), &row.date_heure)?;
        // ODRE writes 0 for quarter-hours not yet computed: no French generation emits nothing.
        match row.taux_co2.filter(|v| *v > 0.0) {
            Some(v) => f.points.push(Point {
                t,
                value: intensity(name, &format!("results[{i}].taux_co2"), v)?,
                estimated: false,
            }),
            None => f.missing += 1,
        }
    }
    finish(name, f)
}

/// Life-cycle factors of ENTSO-E's production types (gCO2eq/kWh), with their sources, from
/// `data/entsoe_psr_factors.csv`; `None` for types left out (storage discharge).
pub fn psr_factors() -> BTreeMap<String, Option<f64>> {
    include_str!("../../../data/entsoe_psr_factors.csv")
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut c = l.split(',');
            let (code, value) = (c.next()?, c.nth(1)?);
            Some((code.to_string(), value.parse().ok()))
        })
        .collect()
}

mod entsoe;
pub use entsoe::entsoe;
