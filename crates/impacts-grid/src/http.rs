//! Fetching an intensity series from a grid service over HTTPS (feature `http`): the windows
//! each service accepts, its token, its answers read by [`crate::fetch`]. Used by `impacts grid
//! fetch` and by the service's scheduled pull (docs/grid.md).

use std::time::Duration;

use crate::fetch::{self, Fetched};
use crate::Kind;

/// A grid service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Electricity Maps (life-cycle intensity; token in `ELECTRICITYMAPS_TOKEN`).
    ElectricityMaps,
    /// ENTSO-E's generation per production type (token in `ENTSOE_TOKEN`).
    Entsoe,
    /// RTE's éCO2mix through ODRE (France, direct intensity, no token).
    Rte,
}

impl Source {
    /// The step of its series (s): hourly for Electricity Maps and ENTSO-E (quarter-hours are
    /// summed into hours), quarter-hourly for RTE.
    pub fn step(self) -> i64 {
        match self {
            Source::ElectricityMaps | Source::Entsoe => 3600,
            Source::Rte => 900,
        }
    }

    /// What can be checked before asking anything: the zone the source serves, and its token.
    pub fn check(self, zone: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<(), FetchError> {
        match self {
            Source::ElectricityMaps => {
                token("ELECTRICITYMAPS_TOKEN", "Electricity Maps", env)?;
            }
            Source::Entsoe => {
                entsoe_area(zone)?;
                token("ENTSOE_TOKEN", "ENTSO-E", env)?;
            }
            Source::Rte => {
                if !zone.eq_ignore_ascii_case("FR") {
                    return Err(FetchError::Request(format!(
                        "invalid zone '{zone}': RTE's éCO2mix is France's (FR)"
                    )));
                }
            }
        }
        Ok(())
    }

    /// A source by its name on the command line (`electricitymaps`, `entsoe`, `rte`).
    pub fn parse(name: &str) -> Option<Source> {
        match name {
            "electricitymaps" => Some(Source::ElectricityMaps),
            "entsoe" => Some(Source::Entsoe),
            "rte" => Some(Source::Rte),
            _ => None,
        }
    }
}

/// Why a fetch gave nothing: the request is wrong (a zone, a token, an address), or the service
/// failed (its status and words, or an answer that cannot be read).
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The request: fix the options or the environment.
    #[error("{0}")]
    Request(String),
    /// The service.
    #[error("{0}")]
    Service(String),
}

/// A fetched series, and a warning when the service answered for part of the period only.
#[derive(Debug)]
pub struct Answer {
    /// The series.
    pub series: Fetched,
    /// `grid.fetch-partial`'s message, when it applies.
    pub partial: Option<String>,
}

impl Answer {
    /// What was fetched, in words.
    pub fn describe(&self) -> String {
        let f = &self.series;
        format!(
            "{} intensities of {} from {}: {} points ({} estimated, {} instants without a value)",
            match f.kind {
                Kind::Direct => "direct",
                _ => "life-cycle",
            },
            f.zone,
            f.source,
            f.points.len(),
            f.points.iter().filter(|p| p.estimated).count(),
            f.missing
        )
    }
}
/// The services' addresses; each can be replaced (a mirror, a proxy, the tests' local server).
const SERVICES: [(Source, &str, &str); 3] = [
    (
        Source::ElectricityMaps,
        "IMPACTS_ELECTRICITYMAPS_URL",
        "https://api.electricitymaps.com",
    ),
    (
        Source::Entsoe,
        "IMPACTS_ENTSOE_URL",
        "https://web-api.tp.entsoe.eu",
    ),
    (
        Source::Rte,
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

/// The series of `zone` from `from` to `to` (UTC seconds) from `source`, in the windows it accepts;
/// `env` gives the environment (tokens, replaced addresses).
pub fn fetch(
    source: Source,
    zone: &str,
    from: i64,
    to: i64,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Answer, FetchError> {
    if to <= from {
        return Err(FetchError::Request(format!(
            "invalid period: {} is not after {}",
            rfc3339(to),
            rfc3339(from)
        )));
    }
    let (var, base) = SERVICES
        .iter()
        .find(|s| s.0 == source)
        .map(|(_, var, url)| (*var, env(var).unwrap_or_else(|| url.to_string())))
        .unwrap_or_default();
    // Checked before a token goes into a request: an address without its scheme would be
    // printed whole, token included, in the client's error.
    if !(base.starts_with("https://") || base.starts_with("http://")) {
        return Err(FetchError::Request(format!(
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
    let window = match source {
        Source::ElectricityMaps => EM_WINDOW_S,
        Source::Entsoe => ENTSOE_WINDOW_S,
        Source::Rte => ODRE_WINDOW_S,
    };
    let mut all: Option<Fetched> = None;
    let mut start = from;
    while start < to {
        let end = (start + window).min(to);
        let part = match source {
            Source::ElectricityMaps => electricity_maps(&agent, &base, zone, start, end, env)?,
            Source::Entsoe => entsoe(&agent, &base, zone, start, end, env)?,
            Source::Rte => rte(&agent, &base, zone, start, end)?,
        };
        match &mut all {
            Some(f) => f.extend(part),
            None => all = Some(part),
        }
        start = end;
    }
    let mut f = all.ok_or_else(|| FetchError::Request("no window to fetch".into()))?;
    f.keep(from, to);
    if f.points.is_empty() {
        return Err(FetchError::Service(format!(
            "{} gave no intensity for {zone} from {} to {}",
            f.source,
            rfc3339(from),
            rfc3339(to)
        )));
    }
    // A service may answer only part of what was asked (éCO2mix's real-time data reach back
    // about a month): said, with what it covers.
    let (first, last) = (f.points[0].t, f.points[f.points.len() - 1].t);
    let partial = (first > from + 3600 || last < to - 2 * 3600).then(|| {
        format!(
            "{} answered for {} to {} only, of {} to {}",
            f.source,
            rfc3339(first),
            rfc3339(last),
            rfc3339(from),
            rfc3339(to)
        )
    });
    Ok(Answer { series: f, partial })
}

fn token(
    var: &str,
    service: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<String, FetchError> {
    env(var).filter(|t| !t.trim().is_empty()).ok_or_else(|| {
        FetchError::Request(format!(
            "{service} needs a token: set {var} (the token of your {service} account)"
        ))
    })
}

/// A service's answer that cannot be read is the service's failure, not the user's input.
fn unusable(e: crate::GridError) -> FetchError {
    FetchError::Service(e.to_string())
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
) -> Result<String, FetchError> {
    // The client's errors may quote the address, query (and token) included: cut it.
    let mut resp = req.call().map_err(|e| {
        let text = e.to_string();
        let text = match text.find('?') {
            Some(i) => format!("{}…", &text[..i]),
            None => text,
        };
        FetchError::Service(format!("{service}: {text}"))
    })?;
    let status = resp.status();
    let text = resp
        .body_mut()
        .with_config()
        .limit(512 << 20)
        .read_to_string()
        .map_err(|e| FetchError::Service(format!("{service}: reading its answer: {e}")))?;
    if !status.is_success() {
        let excerpt: String = text.chars().take(300).collect();
        return Err(FetchError::Service(format!(
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
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Fetched, FetchError> {
    let token = token("ELECTRICITYMAPS_TOKEN", "Electricity Maps", env)?;
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

/// The EIC code of an ENTSO-E area: a name of `ENTSOE_AREAS`, or an EIC code as it is.
fn entsoe_area(zone: &str) -> Result<String, FetchError> {
    if zone.starts_with("10Y") && zone.len() == 16 {
        Ok(zone.to_string())
    } else {
        let upper = zone.to_uppercase();
        if upper == "GB" || upper == "UK" {
            return Err(FetchError::Request(
                "invalid zone 'GB': Great Britain's generation left ENTSO-E's platform in 2021; use Electricity Maps".into(),
            ));
        }
        ENTSOE_AREAS
            .iter()
            .find(|(n, _)| *n == upper)
            .map(|(_, e)| e.to_string())
            .ok_or_else(|| {
                let names: Vec<&str> = ENTSOE_AREAS.iter().map(|a| a.0).collect();
                FetchError::Request(format!(
                    "invalid zone '{zone}': expected one of {} or an EIC code (10Y…)",
                    names.join(", ")
                ))
            })
    }
}

fn entsoe(
    agent: &ureq::Agent,
    base: &str,
    zone: &str,
    from: i64,
    to: i64,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Fetched, FetchError> {
    let eic = entsoe_area(zone)?;
    let token = token("ENTSOE_TOKEN", "ENTSO-E", env)?;
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
) -> Result<Fetched, FetchError> {
    if !zone.eq_ignore_ascii_case("FR") {
        return Err(FetchError::Request(format!(
            "invalid zone '{zone}': RTE's éCO2mix is France's (FR)"
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
