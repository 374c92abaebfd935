//! `impacts grid fetch`: an intensity series from a grid service, in windows the service
//! accepts, read by `impacts_grid::fetch` and written as the CSV `--grid-series` reads
//! (docs/grid.md).

use std::time::Duration;

use impacts::impacts_grid::fetch::{self, Fetched};

use crate::args::{GridCmd, GridFetchArgs, GridSource};
use crate::error::CliError;

/// Runs `impacts grid …`.
pub fn run(what: &GridCmd) -> Result<String, CliError> {
    match what {
        GridCmd::Fetch(a) => fetch(a),
    }
}

/// The services' addresses; each can be replaced (a mirror, a proxy, the tests' local server).
const SERVICES: [(GridSource, &str, &str); 3] = [
    (
        GridSource::Electricitymaps,
        "IMPACTS_ELECTRICITYMAPS_URL",
        "https://api.electricitymaps.com",
    ),
    (
        GridSource::Entsoe,
        "IMPACTS_ENTSOE_URL",
        "https://web-api.tp.entsoe.eu",
    ),
    (
        GridSource::Rte,
        "IMPACTS_ODRE_URL",
        "https://odre.opendatasoft.com",
    ),
];

/// ENTSO-E's bidding zones by name (EIC codes of the Transparency Platform's guide).
const ENTSOE_AREAS: [(&str, &str); 9] = [
    ("FR", "10YFR-RTE------C"),
    ("DE", "10Y1001A1001A82H"),
    ("DE-LU", "10Y1001A1001A82H"),
    ("ES", "10YES-REE------0"),
    ("FI", "10YFI-1--------U"),
    ("IT-NORD", "10Y1001A1001A73I"),
    ("NL", "10YNL----------L"),
    ("BE", "10YBE----------2"),
    ("AT", "10YAT-APG------L"),
];

/// Hours Electricity Maps gives in one `past-range` answer at hourly granularity.
const EM_WINDOW_S: i64 = 240 * 3600;
/// ENTSO-E answers one year at most.
const ENTSOE_WINDOW_S: i64 = 365 * 86_400;
/// A month of quarter-hours in one ODRE export.
const ODRE_WINDOW_S: i64 = 31 * 86_400;

fn fetch(a: &GridFetchArgs) -> Result<String, CliError> {
    let (from, to) = (instant("--from", &a.from)?, instant("--to", &a.to)?);
    if to <= from {
        return Err(CliError::usage(format!(
            "invalid --to '{}': expected an instant after --from '{}'",
            a.to, a.from
        )));
    }
    let (var, base) = SERVICES
        .iter()
        .find(|s| s.0 == a.source)
        .map(|(_, var, url)| (*var, std::env::var(var).unwrap_or_else(|_| url.to_string())))
        .unwrap_or_default();
    // Checked before a token goes into a request: an address without its scheme would be
    // printed whole, token included, in the client's error.
    if !(base.starts_with("https://") || base.starts_with("http://")) {
        return Err(CliError::usage(format!(
            "invalid {var} '{base}': expected an address starting with https:// (or http://)"
        )));
    }
    // No redirects: a token must not follow an answer to another host.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(120)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let window = match a.source {
        GridSource::Electricitymaps => EM_WINDOW_S,
        GridSource::Entsoe => ENTSOE_WINDOW_S,
        GridSource::Rte => ODRE_WINDOW_S,
    };
    let mut all: Option<Fetched> = None;
    let mut start = from;
    while start < to {
        let end = (start + window).min(to);
        let part = match a.source {
            GridSource::Electricitymaps => electricity_maps(&agent, &base, &a.zone, start, end)?,
            GridSource::Entsoe => entsoe(&agent, &base, &a.zone, start, end)?,
            GridSource::Rte => rte(&agent, &base, &a.zone, start, end)?,
        };
        match &mut all {
            Some(f) => f.extend(part),
            None => all = Some(part),
        }
        start = end;
    }
    let mut f = all.ok_or_else(|| CliError::failure("no window to fetch"))?;
    f.keep(from, to);
    if f.points.is_empty() {
        return Err(CliError::failure(format!(
            "{} gave no intensity for {} from {} to {}",
            f.source, a.zone, a.from, a.to
        )));
    }
    // A service may answer only part of what was asked (éCO2mix's real-time data reach back
    // about a month): said, with what it covers.
    let (first, last) = (f.points[0].t, f.points[f.points.len() - 1].t);
    if first > from + 3600 || last < to - 2 * 3600 {
        eprintln!(
            "warning[grid.fetch-partial]: {} answered for {} to {} only, of {} to {}",
            f.source,
            rfc3339(first),
            rfc3339(last),
            rfc3339(from),
            rfc3339(to)
        );
    }
    let csv = f.to_csv();
    let estimated = f.points.iter().filter(|p| p.estimated).count();
    let said = format!(
        "{} intensities of {} from {}: {} points ({} estimated, {} instants without a value)",
        match f.kind {
            impacts::impacts_grid::Kind::Direct => "direct",
            _ => "life-cycle",
        },
        f.zone,
        f.source,
        f.points.len(),
        estimated,
        f.missing
    );
    match &a.out {
        Some(path) => {
            write_whole(path, &csv)?;
            Ok(format!("{said}, written to {path}\n"))
        }
        None => {
            eprintln!("{said}");
            Ok(csv)
        }
    }
}

/// Writes a file whole or not at all (a temporary file renamed).
fn write_whole(path: &str, text: &str) -> Result<(), CliError> {
    let tmp = format!("{path}.part-{}", std::process::id());
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            CliError::cannot_write(path, e)
        })
}

/// An instant: ISO 8601 with its zone, or a date (UTC midnight).
fn instant(flag: &str, text: &str) -> Result<i64, CliError> {
    if let Ok(t) = text.parse::<jiff::Timestamp>() {
        return Ok(t.as_second());
    }
    if let Ok(d) = text.parse::<jiff::civil::Date>() {
        let midnight = d.to_datetime(jiff::civil::Time::midnight());
        if let Ok(t) = jiff::tz::Offset::UTC.to_timestamp(midnight) {
            return Ok(t.as_second());
        }
    }
    Err(CliError::usage(format!(
        "invalid {flag} '{text}': expected an instant with its zone (2024-07-01T00:00:00Z) or a date (2024-07-01)"
    )))
}

fn token(var: &str, service: &str) -> Result<String, CliError> {
    std::env::var(var)
        .ok()
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| {
            CliError::usage(format!(
                "{service} needs a token: set {var} (the token of your {service} account)"
            ))
        })
}

/// A service's answer that cannot be read is the service's failure, not the user's input.
fn unusable(e: impacts::InputError) -> CliError {
    CliError::failure(e.to_string())
}

fn rfc3339(t: i64) -> String {
    jiff::Timestamp::from_second(t)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// The body of a request's answer, or why there is none (the service, the status and the
/// start of what it said).
fn body(
    service: &str,
    req: ureq::RequestBuilder<ureq::typestate::WithoutBody>,
) -> Result<String, CliError> {
    // The client's errors may quote the address, query (and token) included: cut it.
    let mut resp = req.call().map_err(|e| {
        let text = e.to_string();
        let text = match text.find('?') {
            Some(i) => format!("{}…", &text[..i]),
            None => text,
        };
        CliError::failure(format!("{service}: {text}"))
    })?;
    let status = resp.status();
    let text = resp
        .body_mut()
        .with_config()
        .limit(512 << 20)
        .read_to_string()
        .map_err(|e| CliError::failure(format!("{service}: reading its answer: {e}")))?;
    if !status.is_success() {
        let excerpt: String = text.chars().take(300).collect();
        return Err(CliError::failure(format!(
            "{service} answered {status}: {excerpt}"
        )));
    }
    Ok(text)
}

fn electricity_maps(
    agent: &ureq::Agent,
    base: &str,
    zone: &str,
    from: i64,
    to: i64,
) -> Result<Fetched, CliError> {
    let token = token("ELECTRICITYMAPS_TOKEN", "Electricity Maps")?;
    let req = agent
        .get(format!("{base}/v3/carbon-intensity/past-range"))
        .header("auth-token", &token)
        .query("zone", zone)
        .query("start", rfc3339(from))
        .query("end", rfc3339(to))
        .query("emissionFactorType", "lifecycle")
        .query("temporalGranularity", "hourly");
    let text = body("Electricity Maps", req)?;
    fetch::electricity_maps("Electricity Maps' answer", &text).map_err(unusable)
}

fn entsoe(
    agent: &ureq::Agent,
    base: &str,
    zone: &str,
    from: i64,
    to: i64,
) -> Result<Fetched, CliError> {
    let eic = if zone.starts_with("10Y") && zone.len() == 16 {
        zone.to_string()
    } else {
        let upper = zone.to_uppercase();
        if upper == "GB" || upper == "UK" {
            return Err(CliError::usage(
                "invalid --zone 'GB': Great Britain's generation left ENTSO-E's platform in 2021; use --source electricitymaps",
            ));
        }
        ENTSOE_AREAS
            .iter()
            .find(|(n, _)| *n == upper)
            .map(|(_, e)| e.to_string())
            .ok_or_else(|| {
                let names: Vec<&str> = ENTSOE_AREAS.iter().map(|a| a.0).collect();
                CliError::usage(format!(
                    "invalid --zone '{zone}': expected one of {} or an EIC code (10Y…)",
                    names.join(", ")
                ))
            })?
    };
    let token = token("ENTSOE_TOKEN", "ENTSO-E")?;
    let stamp = |t: i64| {
        jiff::Timestamp::from_second(t)
            .map(|t| t.strftime("%Y%m%d%H%M").to_string())
            .unwrap_or_default()
    };
    let req = agent
        .get(format!("{base}/api"))
        .query("securityToken", &token)
        .query("documentType", "A75")
        .query("processType", "A16")
        .query("in_Domain", &eic)
        .query("periodStart", stamp(from))
        .query("periodEnd", stamp(to));
    let text = body("ENTSO-E", req)?;
    let name = if zone.starts_with("10Y") {
        zone.to_string()
    } else {
        zone.to_uppercase()
    };
    fetch::entsoe("ENTSO-E's answer", &text, &name).map_err(unusable)
}

fn rte(
    agent: &ureq::Agent,
    base: &str,
    zone: &str,
    from: i64,
    to: i64,
) -> Result<Fetched, CliError> {
    if !zone.eq_ignore_ascii_case("FR") {
        return Err(CliError::usage(format!(
            "invalid --zone '{zone}': RTE's éCO2mix is France's (FR)"
        )));
    }
    let filter = format!(
        "date_heure >= date'{}' AND date_heure < date'{}'",
        rfc3339(from),
        rfc3339(to)
    );
    let req = agent
        .get(format!(
            "{base}/api/explore/v2.1/catalog/datasets/eco2mix-national-tr/exports/json"
        ))
        .query("select", "date_heure,taux_co2")
        .query("where", &filter)
        .query("order_by", "date_heure")
        .query("timezone", "UTC");
    let text = body("ODRE (RTE éCO2mix)", req)?;
    fetch::odre("ODRE's answer", &text).map_err(unusable)
}
