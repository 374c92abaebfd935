//! Time-resolved carbon intensity of electricity.
//!
//! [`Series::read`] reads an intensity series — an Electricity Maps CSV export, an RTE eco2mix
//! export, or a plain `timestamp,gco2eq_per_kwh` CSV — into UTC instants and gCO2eq/kWh, checking
//! what would make its integral wrong (unknown clock, duplicates, unsorted rows, an irregular step,
//! an unknown or mistaken unit). [`Series::window`] integrates a job's window against it: each row
//! holds for one step of the series, and the parts of the window outside the series or in its gaps
//! are reported so that the caller fills them with the annual factor.
//!
//! ```
//! use impacts_grid::{Series, Options};
//! let csv = "timestamp,gco2eq_per_kwh_lifecycle\n2023-03-01T00:00:00Z,50\n2023-03-01T01:00:00Z,70\n";
//! let s = Series::parse("inline.csv", csv.as_bytes(), &Options::default()).unwrap();
//! let w = s.window(1_677_630_600, 1_677_636_000); // 00:30 to 02:00 UTC
//! assert_eq!(w.covered_s, 5400);
//! assert_eq!(w.mean(), Some((1800.0 * 50.0 + 3600.0 * 70.0) / 5400.0));
//! ```

#![warn(missing_docs)]

use std::io::Read;

pub mod fetch;
#[cfg(feature = "http")]
pub mod http;

pub use impacts_error::{InputError, Location};

use impacts_model::calendar::{format_seconds, seconds_from_civil};
use serde::{Deserialize, Serialize};

/// An error reading a series: what is wrong, located in its file.
pub type GridError = InputError;

/// The layout of a series file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Electricity Maps' CSV export (`Datetime (UTC)`, `Carbon Intensity gCO₂eq/kWh (LCA)`, ...).
    ElectricityMaps,
    /// RTE's eco2mix export (`;`-separated, `date_heure` or `date` + `heure`, `taux_co2`).
    Eco2mix,
    /// `timestamp,<unit>` with ISO 8601 instants that say their zone.
    Plain,
}

/// What the intensities count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Life-cycle: combustion plus fuel supply, plant construction (comparable to the bundle's
    /// annual factors).
    LifeCycle,
    /// Direct: combustion at the plants only.
    Direct,
    /// The file does not say.
    Unstated,
}

/// Which column of a file that has both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Column {
    /// The life-cycle intensity (default).
    #[default]
    LifeCycle,
    /// The direct intensity.
    Direct,
}

/// Reading options.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The column to use in files that have both.
    pub column: Column,
}

/// An intensity series: UTC instants (seconds since 1970) and gCO2eq/kWh, sorted, one step.
#[derive(Clone, Debug, Serialize)]
pub struct Series {
    /// The file.
    pub name: String,
    /// Its layout.
    pub format: Format,
    /// What its values count.
    pub kind: Kind,
    /// The column read.
    pub column: String,
    /// The zone the file names, if any (`FR`).
    pub zone: Option<String>,
    /// The step (s): each row holds from its instant for one step.
    pub step_s: i64,
    /// Instants of the rows.
    pub times: Vec<i64>,
    /// Intensity of each row (gCO2eq/kWh).
    pub values: Vec<f64>,
    /// Rows the source marks as estimated (Electricity Maps' `Data Estimated`).
    pub estimated_rows: usize,
    /// Rows without a value (eco2mix leaves `taux_co2` empty at times), left out as gaps.
    pub empty_rows: usize,
    /// How an ambiguous local time (the repeated autumn hour) was resolved, if any was met.
    pub notes: Vec<String>,
}

/// A job's window against a series.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Window {
    /// Start (s, UTC).
    pub start: i64,
    /// End (s, UTC).
    pub end: i64,
    /// Seconds of the window that rows cover.
    pub covered_s: i64,
    /// Σ over covered seconds of the intensity (gCO2eq/kWh × s).
    pub weighted: f64,
    /// Seconds of the window before the series starts.
    pub before_s: i64,
    /// Seconds after it ends.
    pub after_s: i64,
    /// Seconds inside the series' span with no row (gaps).
    pub gap_s: i64,
    /// Rows that overlap the window.
    pub rows: usize,
    /// Lowest and highest intensity met.
    pub min: Option<f64>,
    /// Highest intensity met.
    pub max: Option<f64>,
}

impl Window {
    /// The time-weighted mean intensity over the covered part.
    pub fn mean(&self) -> Option<f64> {
        (self.covered_s > 0).then(|| self.weighted / self.covered_s as f64)
    }

    /// Seconds not covered by the series (before, after, gaps).
    pub fn uncovered_s(&self) -> i64 {
        self.before_s + self.after_s + self.gap_s
    }

    /// The mean intensity over the whole window when the uncovered part takes `annual`.
    pub fn mean_with(&self, annual: f64) -> f64 {
        let t = (self.end - self.start) as f64;
        if t <= 0.0 {
            return annual;
        }
        (self.weighted + self.uncovered_s() as f64 * annual) / t
    }
}

/// The highest plausible intensity: coal plants emit about 1,000 gCO2eq/kWh on a life-cycle basis;
/// values far above mean a unit mistake.
pub const MAX_PLAUSIBLE: f64 = 2_000.0;

/// Data rows with their line numbers.
type Records = Vec<(u64, csv::StringRecord)>;

struct Row {
    line: u64,
    t: i64,
    v: Option<f64>,
}

fn err(file: &str, line: u64, message: impl Into<String>) -> GridError {
    InputError::malformed(message).at(Location::at(file, line, None))
}

/// Parses `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` followed by `Z`, `±HH:MM`, `±HHMM` or nothing; returns
/// the instant as written (local seconds) and the offset in seconds if one was given.
pub fn parse_instant(s: &str) -> Option<(i64, Option<i64>)> {
    let s = s.trim();
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let t = s.get(r)?;
        if t.bytes().all(|c| c.is_ascii_digit()) && !t.is_empty() {
            t.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 16
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b' ')
        || b[13] != b':'
    {
        return None;
    }
    let (y, mo, d, h, mi) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
    );
    let mut i = 16;
    let mut sec = 0;
    if b.get(i) == Some(&b':') {
        sec = num(i + 1..i + 3)?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
    }
    let local = seconds_from_civil(i64::from(y), mo, d, h, mi, sec)?;
    let rest = &s[i..];
    let offset = match rest {
        "" => None,
        "Z" | "z" => Some(0),
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let r = &rest[1..];
            let (hh, mm) = match r.len() {
                5 if r.as_bytes()[2] == b':' => {
                    (r[..2].parse::<i64>().ok()?, r[3..].parse::<i64>().ok()?)
                }
                4 => (r[..2].parse::<i64>().ok()?, r[2..].parse::<i64>().ok()?),
                2 => (r.parse::<i64>().ok()?, 0),
                _ => return None,
            };
            if hh > 23 || mm > 59 {
                return None;
            }
            Some(sign * (hh * 3600 + mm * 60))
        }
    };
    Some((local, offset))
}

/// The zone of eco2mix's `date` and `heure` columns.
const PARIS: &str = "Europe/Paris";

/// UTC of a local time of `zone` (seconds since 1970 of its clock), from the time-zone database.
/// `previous` (the UTC of the previous row) resolves a local time that happens twice (the
/// autumn hour): the earlier instant first, the later once the rows have passed it; the flag
/// says it was ambiguous. `Err` for a local time that does not exist (the spring hour skipped).
fn local_to_utc(
    zone: &jiff::tz::TimeZone,
    local: i64,
    previous: Option<i64>,
) -> Result<(i64, bool), ()> {
    use jiff::tz::{AmbiguousOffset, Offset};
    let civil = Offset::UTC.to_datetime(jiff::Timestamp::from_second(local).map_err(|_| ())?);
    let utc = |o: Offset| local - i64::from(o.seconds());
    match zone.to_ambiguous_timestamp(civil).offset() {
        AmbiguousOffset::Unambiguous { offset } => Ok((utc(offset), false)),
        AmbiguousOffset::Fold { before, after } => {
            let (first, second) = (utc(before), utc(after));
            if previous.is_some_and(|p| p >= first) {
                Ok((second, true))
            } else {
                Ok((first, true))
            }
        }
        AmbiguousOffset::Gap { .. } => Err(()),
    }
}

fn plausible(file: &str, line: u64, text: &str, per_kg: bool) -> Result<f64, GridError> {
    let v: f64 = text.trim().parse().map_err(|_| {
        err(
            file,
            line,
            format!("expected an intensity (a number), found '{}'", text.trim()),
        )
    })?;
    let v = if per_kg { v * 1000.0 } else { v };
    if !v.is_finite() || v < 0.0 {
        return Err(err(
            file,
            line,
            format!("expected a non-negative intensity, found '{}'", text.trim()),
        ));
    }
    if v > MAX_PLAUSIBLE {
        return Err(err(
            file,
            line,
            format!(
                "intensity {} gCO2eq/kWh is implausible (coal plants emit about 1,000): check the unit of the column",
                text.trim()
            ),
        ));
    }
    Ok(v)
}

impl Series {
    /// Reads a series file.
    pub fn read(path: &str, opts: &Options) -> Result<Series, GridError> {
        let f = std::fs::File::open(path).map_err(|e| err(path, 0, format!("cannot open: {e}")))?;
        Series::parse(path, f, opts)
    }

    /// Reads a series from `src`, named `name` in errors.
    pub fn parse<R: Read>(name: &str, mut src: R, opts: &Options) -> Result<Series, GridError> {
        let mut text = String::new();
        src.read_to_string(&mut text)
            .map_err(|e| err(name, 0, format!("cannot read (expected UTF-8 text): {e}")))?;
        let text = text.trim_start_matches('\u{feff}');
        let first = text.lines().next().unwrap_or("");
        if first.trim().is_empty() {
            return Err(err(name, 1, "expected a header row (an intensity series: Electricity Maps, eco2mix or timestamp,gco2eq_per_kwh)"));
        }
        if first.contains(';') && first.to_ascii_lowercase().contains("taux_co2") {
            Series::parse_eco2mix(name, text)
        } else if first.to_ascii_lowercase().contains("carbon intensity") {
            Series::parse_electricity_maps(name, text, opts)
        } else {
            Series::parse_plain(name, text)
        }
    }

    fn records(name: &str, text: &str, delimiter: u8) -> Result<(Vec<String>, Records), GridError> {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(false)
            .from_reader(text.as_bytes());
        let header: Vec<String> = rdr
            .headers()
            .map_err(|e| err(name, 1, format!("cannot read the header: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let mut rows = Vec::new();
        for r in rdr.records() {
            let r = r.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                err(name, line, format!("malformed row: {e}"))
            })?;
            let line = r.position().map_or(0, |p| p.line());
            if r.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            rows.push((line, r));
        }
        Ok((header, rows))
    }

    fn parse_electricity_maps(name: &str, text: &str, opts: &Options) -> Result<Series, GridError> {
        let (header, recs) = Series::records(name, text, b',')?;
        let lower: Vec<String> = header
            .iter()
            .map(|h| h.to_lowercase().replace('₂', "2"))
            .collect();
        let time_col = lower
            .iter()
            .position(|h| h.starts_with("datetime"))
            .ok_or_else(|| {
                err(
                    name,
                    1,
                    "expected a 'Datetime (UTC)' column (Electricity Maps export)",
                )
            })?;
        let utc = lower[time_col].contains("utc");
        let want_lca = opts.column == Column::LifeCycle;
        let pick = |lca: bool| {
            lower.iter().position(|h| {
                h.contains("carbon intensity")
                    && if lca {
                        h.contains("lca") || h.contains("life")
                    } else {
                        h.contains("direct")
                    }
            })
        };
        let (col, kind) = match (pick(want_lca), pick(!want_lca)) {
            (Some(c), _) => (
                c,
                if want_lca {
                    Kind::LifeCycle
                } else {
                    Kind::Direct
                },
            ),
            (None, Some(c)) => {
                return Err(err(
                    name,
                    1,
                    format!(
                        "no {} carbon-intensity column (only '{}'): choose it explicitly",
                        if want_lca { "life-cycle" } else { "direct" },
                        header[c]
                    ),
                ))
            }
            (None, None) => {
                return Err(err(
                    name,
                    1,
                    "expected a 'Carbon Intensity gCO₂eq/kWh (LCA)' or '(direct)' column",
                ))
            }
        };
        if !lower[col].contains("gco2eq/kwh") && !lower[col].contains("gco2/kwh") {
            return Err(err(
                name,
                1,
                format!(
                    "column '{}': expected the unit gCO₂eq/kWh in its name",
                    header[col]
                ),
            ));
        }
        let zone_col = lower.iter().position(|h| h == "zone id");
        let est_col = lower.iter().position(|h| h == "data estimated");
        let mut rows = Vec::with_capacity(recs.len());
        let mut zone = None;
        let mut estimated = 0;
        for (line, r) in &recs {
            let ts = r.get(time_col).unwrap_or("");
            let (local, offset) = parse_instant(ts).ok_or_else(|| {
                err(
                    name,
                    *line,
                    format!("expected a date and time such as 2023-01-01 00:00:00, found '{ts}'"),
                )
            })?;
            let t = match (offset, utc) {
                (Some(o), _) => local - o,
                (None, true) => local,
                (None, false) => {
                    return Err(err(
                        name,
                        *line,
                        format!(
                            "'{ts}' does not say its time zone, and the column does not say UTC"
                        ),
                    ))
                }
            };
            let v = r.get(col).unwrap_or("");
            let v = if v.trim().is_empty() {
                None
            } else {
                Some(plausible(name, *line, v, false)?)
            };
            if zone.is_none() {
                zone = zone_col
                    .and_then(|c| r.get(c))
                    .map(|z| z.trim().to_string())
                    .filter(|z| !z.is_empty());
            }
            if est_col
                .and_then(|c| r.get(c))
                .is_some_and(|e| e.trim().eq_ignore_ascii_case("true"))
            {
                estimated += 1;
            }
            rows.push(Row { line: *line, t, v });
        }
        Series::assemble(
            name,
            Format::ElectricityMaps,
            kind,
            &header[col],
            zone,
            rows,
            estimated,
            Vec::new(),
        )
    }

    fn parse_eco2mix(name: &str, text: &str) -> Result<Series, GridError> {
        let (header, recs) = Series::records(name, text, b';')?;
        let lower: Vec<String> = header.iter().map(|h| h.to_lowercase()).collect();
        let col = lower
            .iter()
            .position(|h| h == "taux_co2")
            .ok_or_else(|| err(name, 1, "expected a taux_co2 column (eco2mix export)"))?;
        let instant = lower.iter().position(|h| h == "date_heure");
        let date = lower.iter().position(|h| h == "date");
        let hour = lower.iter().position(|h| h == "heure");
        let perimeter = lower.iter().position(|h| h == "perimetre");
        let mut rows = Vec::with_capacity(recs.len());
        let mut notes = Vec::new();
        let mut previous = None;
        let paris = jiff::tz::TimeZone::get(PARIS).map_err(|e| {
            err(
                name,
                0,
                format!("the time zone {PARIS} is not in the database: {e}"),
            )
        })?;
        let mut zone = None;
        for (line, r) in &recs {
            let t = match instant
                .and_then(|c| r.get(c))
                .filter(|s| !s.trim().is_empty())
            {
                Some(ts) => {
                    let (local, offset) = parse_instant(ts).ok_or_else(|| err(name, *line, format!("date_heure: expected an ISO 8601 instant such as 2023-01-01T00:00:00+01:00, found '{ts}'")))?;
                    let o = offset.ok_or_else(|| {
                        err(name, *line, format!("date_heure '{ts}' has no offset"))
                    })?;
                    local - o
                }
                None => {
                    let (Some(d), Some(h)) =
                        (date.and_then(|c| r.get(c)), hour.and_then(|c| r.get(c)))
                    else {
                        return Err(err(
                            name,
                            *line,
                            "expected date_heure, or date and heure (Paris time)",
                        ));
                    };
                    let ts = format!("{}T{}", d.trim(), h.trim());
                    let (local, _) = parse_instant(&ts).ok_or_else(|| err(name, *line, format!("date and heure: expected 2023-01-01 and 00:00, found '{d}' and '{h}'")))?;
                    match local_to_utc(&paris, local, previous) {
                        Ok((t, ambiguous)) => {
                            if ambiguous && notes.len() < 4 {
                                notes.push(format!(
                                    "line {line}: {d} {h} (Paris) happens twice; taken as {}Z by the order of the rows",
                                    format_seconds(t)
                                ));
                            }
                            t
                        }
                        Err(()) => {
                            return Err(err(
                                name,
                                *line,
                                format!("{d} {h} does not exist in Paris time (the clocks go from 02:00 to 03:00): check the file"),
                            ))
                        }
                    }
                }
            };
            previous = Some(t);
            if zone.is_none() {
                zone = perimeter.and_then(|c| r.get(c)).map(|p| {
                    if p.trim() == "France" {
                        "FR".to_string()
                    } else {
                        p.trim().to_string()
                    }
                });
            }
            let v = r.get(col).unwrap_or("");
            let v = if v.trim().is_empty() {
                None
            } else {
                Some(plausible(name, *line, v, false)?)
            };
            rows.push(Row { line: *line, t, v });
        }
        Series::assemble(
            name,
            Format::Eco2mix,
            Kind::Direct,
            "taux_co2",
            zone,
            rows,
            0,
            notes,
        )
    }

    fn parse_plain(name: &str, text: &str) -> Result<Series, GridError> {
        let (header, recs) = Series::records(name, text, b',')?;
        if header.len() != 2 {
            return Err(err(
                name,
                1,
                format!(
                    "expected two columns, timestamp and an intensity such as gco2eq_per_kwh (or an Electricity Maps or eco2mix export), found '{}'",
                    header.join(",")
                ),
            ));
        }
        let time = header[0].to_lowercase();
        if !time.starts_with("timestamp")
            && !time.starts_with("datetime")
            && !time.starts_with("time")
        {
            return Err(err(
                name,
                1,
                format!(
                    "expected a first column named timestamp, found '{}'",
                    header[0]
                ),
            ));
        }
        let utc = time.contains("utc");
        let unit = header[1].to_lowercase();
        let (per_kg, kind) = {
            let base = unit
                .trim_end_matches("_lifecycle")
                .trim_end_matches("_direct");
            let per_kg = match base {
                "gco2eq_per_kwh" | "gco2_per_kwh" | "kgco2eq_per_mwh" | "kgco2_per_mwh" => false,
                "kgco2eq_per_kwh" | "kgco2_per_kwh" => true,
                _ => {
                    return Err(err(
                        name,
                        1,
                        format!(
                            "unknown unit column '{}': expected gco2eq_per_kwh, kgco2eq_per_kwh or kgco2eq_per_mwh (optionally ending in _lifecycle or _direct)",
                            header[1]
                        ),
                    ))
                }
            };
            let kind = if unit.ends_with("_lifecycle") {
                Kind::LifeCycle
            } else if unit.ends_with("_direct") {
                Kind::Direct
            } else {
                Kind::Unstated
            };
            (per_kg, kind)
        };
        let mut rows = Vec::with_capacity(recs.len());
        for (line, r) in &recs {
            let ts = r.get(0).unwrap_or("");
            let (local, offset) = parse_instant(ts).ok_or_else(|| {
                err(
                    name,
                    *line,
                    format!(
                        "expected an ISO 8601 instant such as 2023-03-01T20:00:00Z, found '{ts}'"
                    ),
                )
            })?;
            let t = match (offset, utc) {
                (Some(o), _) => local - o,
                (None, true) => local,
                (None, false) => {
                    return Err(err(
                        name,
                        *line,
                        format!("'{ts}' does not say its time zone: write it in UTC with Z (2023-03-01T20:00:00Z) or with an offset (+01:00), or name the column timestamp_utc"),
                    ))
                }
            };
            let v = r.get(1).unwrap_or("");
            let v = if v.trim().is_empty() {
                None
            } else {
                Some(plausible(name, *line, v, per_kg)?)
            };
            rows.push(Row { line: *line, t, v });
        }
        let s = Series::assemble(
            name,
            Format::Plain,
            kind,
            &header[1],
            None,
            rows,
            0,
            Vec::new(),
        )?;
        if !per_kg && s.values.iter().all(|v| *v <= 1.5) {
            return Err(err(
                name,
                0,
                format!(
                    "every value of '{}' is at most 1.5 gCO2eq/kWh: these look like kgCO2eq/kWh; name the column kgco2eq_per_kwh",
                    header[1]
                ),
            ));
        }
        Ok(s)
    }

    #[allow(clippy::too_many_arguments)]
    fn assemble(
        name: &str,
        format: Format,
        kind: Kind,
        column: &str,
        zone: Option<String>,
        rows: Vec<Row>,
        estimated_rows: usize,
        notes: Vec<String>,
    ) -> Result<Series, GridError> {
        if rows.is_empty() {
            return Err(err(
                name,
                0,
                "no rows: expected at least two rows of intensities",
            ));
        }
        for w in rows.windows(2) {
            if w[1].t == w[0].t {
                return Err(err(
                    name,
                    w[1].line,
                    format!(
                        "{}Z is also on line {}: each instant once",
                        format_seconds(w[1].t),
                        w[0].line
                    ),
                ));
            }
            if w[1].t < w[0].t {
                return Err(err(
                    name,
                    w[1].line,
                    format!(
                        "{}Z comes before the previous row's {}Z (line {}): the rows must be in time order",
                        format_seconds(w[1].t),
                        format_seconds(w[0].t),
                        w[0].line
                    ),
                ));
            }
        }
        let step = rows
            .windows(2)
            .map(|w| w[1].t - w[0].t)
            .min()
            .ok_or_else(|| {
                err(
                    name,
                    0,
                    "a single row: the step of the series is unknown; expected at least two rows",
                )
            })?;
        for w in rows.windows(2) {
            let d = w[1].t - w[0].t;
            if d % step != 0 {
                return Err(err(
                    name,
                    w[1].line,
                    format!("{d} s after the previous row, which is not a multiple of the series' step ({step} s): irregular series"),
                ));
            }
        }
        let empty = rows.iter().filter(|r| r.v.is_none()).count();
        let (times, values): (Vec<i64>, Vec<f64>) =
            rows.iter().filter_map(|r| r.v.map(|v| (r.t, v))).unzip();
        if times.is_empty() {
            return Err(err(name, 0, "no row has a value"));
        }
        Ok(Series {
            name: name.to_string(),
            format,
            kind,
            column: column.to_string(),
            zone,
            step_s: step,
            times,
            values,
            estimated_rows,
            empty_rows: empty,
            notes,
        })
    }

    /// First instant covered.
    pub fn start(&self) -> i64 {
        self.times[0]
    }

    /// First instant after the series.
    pub fn end(&self) -> i64 {
        self.times[self.times.len() - 1] + self.step_s
    }

    /// Seconds inside the span with no row.
    pub fn gap_s(&self) -> i64 {
        (self.end() - self.start()) - self.times.len() as i64 * self.step_s
    }

    /// The time-weighted mean over the whole series.
    pub fn mean(&self) -> f64 {
        self.values.iter().sum::<f64>() / self.values.len() as f64
    }

    /// Integrates `[start, end)` (UTC seconds) against the series.
    pub fn window(&self, start: i64, end: i64) -> Window {
        let mut w = Window {
            start,
            end,
            ..Window::default()
        };
        if end <= start {
            return w;
        }
        let (s0, s1) = (self.start(), self.end());
        w.before_s = (s0.min(end) - start).max(0);
        w.after_s = (end - s1.max(start)).max(0);
        // First row that ends after `start`.
        let first = self.times.partition_point(|t| t + self.step_s <= start);
        for i in first..self.times.len() {
            let (a, b) = (self.times[i], self.times[i] + self.step_s);
            if a >= end {
                break;
            }
            let overlap = b.min(end) - a.max(start);
            if overlap > 0 {
                let v = self.values[i];
                w.covered_s += overlap;
                w.weighted += overlap as f64 * v;
                w.rows += 1;
                w.min = Some(w.min.map_or(v, |m| m.min(v)));
                w.max = Some(w.max.map_or(v, |m| m.max(v)));
            }
        }
        w.gap_s = (end - start) - w.covered_s - w.before_s - w.after_s;
        w
    }
}

/// A series' running integral, for integrating many windows: each in O(log n) by two binary
/// searches, where [`Series::window`] walks the window's rows (what accounting a year of jobs
/// against an hourly series needs).
#[derive(Clone, Debug)]
pub struct Integral {
    series: Series,
    /// `cumulative[i]`: Σ over the rows before row i of step × intensity (gCO2eq/kWh × s).
    cumulative: Vec<f64>,
}

/// What a series covers of a window: seconds covered and Σ intensity × covered seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Coverage {
    /// Seconds of the window the series' rows cover.
    pub covered_s: i64,
    /// Σ over covered seconds of the intensity (gCO2eq/kWh × s).
    pub weighted: f64,
}

impl Coverage {
    /// The time-weighted mean intensity over the covered seconds.
    pub fn mean(&self) -> Option<f64> {
        (self.covered_s > 0).then(|| self.weighted / self.covered_s as f64)
    }
}

impl Integral {
    /// The running integral of a series (one pass over its rows).
    pub fn new(series: Series) -> Integral {
        let mut cumulative = Vec::with_capacity(series.values.len() + 1);
        let mut sum = 0.0;
        cumulative.push(sum);
        for v in &series.values {
            sum += v * series.step_s as f64;
            cumulative.push(sum);
        }
        Integral { series, cumulative }
    }

    /// The series.
    pub fn series(&self) -> &Series {
        &self.series
    }

    /// What the series covers of `[start, end)` (UTC seconds): the same seconds and integral as
    /// [`Series::window`], from the running sums.
    pub fn coverage(&self, start: i64, end: i64) -> Coverage {
        let s = &self.series;
        if end <= start {
            return Coverage::default();
        }
        let step = s.step_s;
        // Rows that overlap the window: those ending after `start` and beginning before `end`.
        let first = s.times.partition_point(|t| t + step <= start);
        let last = s.times.partition_point(|t| *t < end);
        if first >= last {
            return Coverage::default();
        }
        let rows = (last - first) as i64;
        let mut covered_s = rows * step;
        let mut weighted = self.cumulative[last] - self.cumulative[first];
        // The first and last rows hold only in part.
        let head = (start - s.times[first]).max(0);
        let tail = (s.times[last - 1] + step - end).max(0);
        covered_s -= head + tail;
        weighted -= head as f64 * s.values[first] + tail as f64 * s.values[last - 1];
        Coverage {
            covered_s,
            weighted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The running integral gives the windows' walk: on random windows over a series with gaps,
    /// before, inside, across and after it.
    #[test]
    fn the_integral_equals_the_walk() {
        let mut csv = String::from("timestamp,gco2eq_per_kwh_lifecycle\n");
        for h in 0..200 {
            if h % 17 == 5 || (90..95).contains(&h) {
                continue; // gaps
            }
            let t = 1_672_531_200 + h * 3600;
            csv.push_str(&format!(
                "{},{}\n",
                format_seconds(t) + "Z",
                20 + (h * 37) % 300
            ));
        }
        let s = Series::parse("g.csv", csv.as_bytes(), &Options::default()).unwrap();
        let integral = Integral::new(s.clone());
        let mut state: u64 = 3;
        let mut next = |n: i64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) % n as u64) as i64
        };
        for _ in 0..5000 {
            let start = s.start() - 20 * 3600 + next(240 * 3600);
            let end = start + next(60 * 3600);
            let w = s.window(start, end);
            let c = integral.coverage(start, end);
            assert_eq!(c.covered_s, w.covered_s, "{start} {end}");
            assert!(
                (c.weighted - w.weighted).abs() <= 1e-9 * w.weighted.abs().max(1.0),
                "{start} {end}"
            );
        }
        assert_eq!(integral.coverage(10, 10), Coverage::default());
    }

    #[test]
    fn instants() {
        assert_eq!(
            parse_instant("2023-03-01T20:00:00Z"),
            Some((1_677_700_800, Some(0)))
        );
        assert_eq!(
            parse_instant("2023-03-01 21:00:00+01:00"),
            Some((1_677_704_400, Some(3600)))
        );
        assert_eq!(
            parse_instant("2023-03-01T21:00+0100"),
            Some((1_677_704_400, Some(3600)))
        );
        assert_eq!(
            parse_instant("2023-03-01 20:00:00"),
            Some((1_677_700_800, None))
        );
        assert_eq!(
            parse_instant("2023-03-01T20:00:00.250Z"),
            Some((1_677_700_800, Some(0)))
        );
        assert_eq!(parse_instant("2023-02-30T00:00:00Z"), None);
        assert_eq!(parse_instant("01/03/2023 20:00"), None);
        assert_eq!(parse_instant("2023-03-01T20:00:00 CET"), None);
    }

    #[test]
    fn paris_clock_changes_from_the_time_zone_database() {
        let paris = jiff::tz::TimeZone::get(PARIS).unwrap();
        // 2023: summer time from Sunday 26 March 01:00 UTC to Sunday 29 October 01:00 UTC.
        // Paris 02:30 on 26 March 2023 does not exist; 02:30 on 29 October happens twice.
        let l = |h, m| seconds_from_civil(2023, 3, 26, h, m, 0).unwrap_or(0);
        assert_eq!(local_to_utc(&paris, l(2, 30), None), Err(()));
        assert_eq!(
            local_to_utc(&paris, l(1, 30), None),
            Ok((l(1, 30) - 3600, false))
        );
        assert_eq!(
            local_to_utc(&paris, l(3, 30), None),
            Ok((l(3, 30) - 7200, false))
        );
        let o = |h, m| seconds_from_civil(2023, 10, 29, h, m, 0).unwrap_or(0);
        let first = local_to_utc(&paris, o(2, 30), Some(o(2, 15) - 7200));
        assert_eq!(first, Ok((o(2, 30) - 7200, true)));
        let second = local_to_utc(&paris, o(2, 30), Some(o(2, 45) - 7200));
        assert_eq!(second, Ok((o(2, 30) - 3600, true)));
        // The rules of other years come from the database too: 1995, when the EU's summer time
        // still ended in September (24 September 1995, 01:00 UTC).
        let s = |mo, d, h| seconds_from_civil(1995, mo, d, h, 30, 0).unwrap_or(0);
        assert_eq!(
            local_to_utc(&paris, s(9, 23, 12), None),
            Ok((s(9, 23, 12) - 7200, false))
        );
        assert_eq!(
            local_to_utc(&paris, s(9, 25, 12), None),
            Ok((s(9, 25, 12) - 3600, false))
        );
    }
}
