//! The API's answers (JSON) read into the pages' lines: numbers scaled for reading, the raw
//! values kept beside them.

use impacts::impacts_model::readable::{criterion_title, scale, sig3, value_unit};
use impacts_accounting::record::JobState;
use impacts_web::chart::Bar;
use impacts_web::{Figure, GroupLine, JobLine, MeasuredLine, PhaseRow, Share, WarningLine, PHASES};
use serde_json::Value;

/// The path of a job's page (the cluster's too when the record has one).
pub(super) fn job_href(j: &Value) -> String {
    let id = percent_encode(j["job_id"].as_str().unwrap_or(""));
    match j["cluster"].as_str().filter(|c| !c.is_empty()) {
        Some(c) => format!("/jobs/{}/{id}", percent_encode(c)),
        None => format!("/jobs/{id}"),
    }
}

/// Escapes what is not a letter, a digit or `-._~` in a path segment.
pub(super) fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Jobs of an API page as lines of a table.
pub(super) fn job_lines(jobs: &Value) -> Vec<JobLine> {
    jobs.as_array()
        .map(|list| {
            list.iter()
                .map(|j| JobLine {
                    id: j["job_id"].as_str().unwrap_or("").to_string(),
                    href: job_href(j),
                    partition: j["partition"].as_str().unwrap_or("").to_string(),
                    state: j["state"].as_str().unwrap_or("").to_string(),
                    start: j["start"]
                        .as_str()
                        .map(|t| t.get(..16).unwrap_or(t).replace('T', " "))
                        .unwrap_or_default(),
                    gwp: gwp_cell(&j["impacts"]["gwp"]),
                    raw: number(&j["impacts"]["gwp"]["value"]),
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or(0.0)
}

/// The criteria's totals in the data bundle's order, scaled for reading.
pub(super) fn figures(impacts: &Value, order: &[(String, String)]) -> Vec<Figure> {
    order
        .iter()
        .filter_map(|(key, _)| Some((key, impacts.get(key)?)))
        .map(|(key, e)| {
            let unit = e["unit"].as_str().unwrap_or("");
            let (value, low, high) = (number(&e["value"]), &e["low"], &e["high"]);
            let (x, u) = scale(value, unit);
            let f = if value != 0.0 { x / value } else { 1.0 };
            let bounds = match (low.as_f64(), high.as_f64()) {
                (Some(l), Some(h)) if l != h => {
                    format!("{} and {} {u}", sig3(l * f), sig3(h * f))
                }
                _ => String::new(),
            };
            Figure {
                key: key.clone(),
                title: criterion_title(key).to_string(),
                value: format!("{} {u}", sig3(x)),
                bounds,
                raw: value,
            }
        })
        .collect()
}

/// A group's climate change with its bounds where the API computed them.
pub(super) fn gwp_cell(e: &Value) -> String {
    let value = number(&e["value"]);
    let unit = e["unit"].as_str().unwrap_or("gCO2eq");
    let (x, u) = scale(value, unit);
    let f = if value != 0.0 { x / value } else { 1.0 };
    match (e["low"].as_f64(), e["high"].as_f64()) {
        (Some(l), Some(h)) if l != h => {
            format!("{} {u} [{} – {}]", sig3(x), sig3(l * f), sig3(h * f))
        }
        _ => format!("{} {u}", sig3(x)),
    }
}

pub(super) fn percent(part: f64, total: f64) -> String {
    if total > 0.0 {
        format!("{} %", sig3(100.0 * part / total))
    } else {
        "–".into()
    }
}

/// A group table's rows, as the API gives them (largest first).
pub(super) fn lines(groups: &Value, total: f64) -> Vec<GroupLine> {
    groups
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|g| {
                    let raw = number(&g["impacts"]["gwp"]["value"]);
                    GroupLine {
                        key: g["key"].as_str().unwrap_or("").to_string(),
                        jobs: g["jobs"].as_u64().unwrap_or(0),
                        gwp: gwp_cell(&g["impacts"]["gwp"]),
                        raw,
                        share: percent(raw, total),
                        phases: PHASES
                            .iter()
                            .map(|p| percent(number(&g["phases"][p]["gwp"]["value"]), raw))
                            .collect(),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The months in calendar order, as bars with their bounds (the value where not computed).
pub(super) fn month_bars(groups: &Value) -> Vec<Bar> {
    let mut out: Vec<Bar> = groups
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|g| {
                    let e = &g["impacts"]["gwp"];
                    let value = number(&e["value"]);
                    Bar {
                        label: g["key"].as_str().unwrap_or("").to_string(),
                        value,
                        low: e["low"].as_f64().unwrap_or(value),
                        high: e["high"].as_f64().unwrap_or(value),
                        parts: PHASES
                            .iter()
                            .map(|p| number(&g["phases"][p]["gwp"]["value"]))
                            .collect(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out
}

/// Per partition where the scheduler measured energy: the measured jobs' mean power per node
/// beside the modelled jobs' (the API's sums, divided here: node-hours and kWh).
pub(super) fn measured_lines(partitions: &Value) -> Vec<MeasuredLine> {
    let raw_watts = |e: &Value| {
        let h = number(&e["node_hours"]);
        (h > 0.0).then(|| 1000.0 * number(&e["energy_kwh"]) / h)
    };
    let watts = |e: &Value| raw_watts(e).map_or_else(|| "–".into(), |w| format!("{} W", sig3(w)));
    let rows = partitions.as_array().map(Vec::as_slice).unwrap_or(&[]);
    rows.iter()
        .filter(|g| {
            g["energy_sources"]["measured"]["jobs"]
                .as_u64()
                .unwrap_or(0)
                > 0
        })
        .map(|g| {
            let m = &g["energy_sources"]["measured"];
            MeasuredLine {
                partition: g["key"].as_str().unwrap_or("").to_string(),
                jobs: m["jobs"].as_u64().unwrap_or(0),
                energy: value_unit(number(&m["energy_kwh"]), "kWh"),
                measured_w: watts(m),
                modelled_w: watts(&g["energy_sources"]["modelled"]),
                raw_measured_w: raw_watts(m).unwrap_or(0.0),
            }
        })
        .collect()
}

/// What went into jobs that failed, were cancelled or timed out.
pub(super) fn unsuccessful(states: &Value, total: f64) -> Option<Share> {
    let rows = states.as_array()?;
    let (mut jobs, mut gwp) = (0, 0.0);
    for g in rows {
        // The accounting summary's rule: failed, cancelled, timed out, out of memory…
        if JobState::parse(g["key"].as_str().unwrap_or("")).is_unsuccessful() {
            jobs += g["jobs"].as_u64().unwrap_or(0);
            gwp += number(&g["impacts"]["gwp"]["value"]);
        }
    }
    (jobs > 0).then(|| Share {
        jobs,
        gwp: value_unit(gwp, "gCO2eq"),
        percent: percent(gwp, total),
    })
}

/// The phases of a job or report as table rows, each criterion's value (`value_of` a cell: a
/// number in a stored job, an estimate object in a report) scaled for reading.
pub(super) fn phase_rows(
    phases: &Value,
    order: &[(String, String)],
    value_of: impl Fn(&Value) -> f64,
) -> Vec<PhaseRow> {
    phases
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(phase, by)| PhaseRow {
                    phase: phase.clone(),
                    cells: order
                        .iter()
                        .map(|(k, unit)| value_unit(value_of(&by[k]), unit))
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A warning in words: the report's own message when it has one (it speaks of this job), else
/// what the documentation says the code means; what to do, from the documentation.
pub(super) fn warning_line(code: &str, message: Option<&str>) -> WarningLine {
    let (meaning, action) = impacts_web::warnings::explain(code).unwrap_or_default();
    WarningLine {
        code: code.to_string(),
        meaning: message.map_or(meaning, str::to_string),
        action,
    }
}
