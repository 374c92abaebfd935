//! `impacts job`: the footprint of a job on a partition of a center, and its what-if scenarios.

use impacts::impacts_model::report::Warning;
use impacts::{Engine, JobRequest};

use super::{center_source, energy_kwh, options, read_series, render_report, size_gb};
use crate::args::JobArgs;
use crate::error::{CliError, Flags};

/// The flags of `impacts job`, by the library's name of what they give.
pub const FLAGS: Flags = &[
    ("center", "--center"),
    ("partition", "--partition"),
    ("node_type", "--node-type"),
    ("nodes", "--nodes"),
    ("cores", "--cores"),
    ("gpus", "--gpus"),
    ("memory_gb", "--memory"),
    ("hours", "--hours"),
    ("load", "--load"),
    ("cpu_load", "--cpu-load"),
    ("gpu_load", "--gpu-load"),
    ("zone", "--zone"),
    ("measured_energy_kwh", "--energy"),
    ("measured_kwh", "--energy"),
    ("pue", "--pue"),
    ("what_if", "--what-if"),
];

/// Runs `impacts job` (or `impacts explain job`).
pub fn run(engine: &Engine, a: &JobArgs, explain: bool) -> Result<String, CliError> {
    if !a.what_if.is_empty() && !explain {
        return what_if(engine, a);
    }
    let (req, warnings) = request(engine, a)?;
    let mut r = engine.job(&req, &options(&a.common, explain)?)?;
    r.warnings.extend(warnings);
    render_report(&r, &a.common, explain)
}

/// The job request, with the grid intensity over its window when a series is given, and the
/// warnings about the series that the report must carry.
fn request(engine: &Engine, a: &JobArgs) -> Result<(JobRequest, Vec<Warning>), CliError> {
    let mut req = plain_request(a)?;
    let (path, start) = match (&a.grid_series, &a.start) {
        (Some(path), Some(start)) => (path, start),
        (None, None) => return Ok((req, Vec::new())),
        (Some(_), None) => {
            return Err(CliError::usage(
                "--grid-series needs --start (when the job started, e.g. 2023-03-01T20:00:00Z)",
            ))
        }
        (None, Some(_)) => {
            return Err(CliError::usage(
                "--start is used with --grid-series FILE (an intensity series): give both",
            ))
        }
    };
    let t0 = match impacts::impacts_grid::parse_instant(start) {
        Some((local, Some(offset))) => local - offset,
        _ => {
            return Err(CliError::usage(format!(
                "invalid --start '{start}': expected an ISO 8601 instant with its zone, such as 2023-03-01T20:00:00Z or 2023-03-01T21:00:00+01:00"
            )))
        }
    };
    let series = read_series(path, &a.grid_column)?;
    let center = engine.center(&req.center, &a.common.method, req.zone.as_deref())?;
    let (g, warnings) = engine.grid_factor(&series, &center, t0, a.hours)?;
    req.grid = g;
    Ok((req, warnings))
}

fn plain_request(a: &JobArgs) -> Result<JobRequest, CliError> {
    Ok(JobRequest {
        center: center_source(&a.center)?,
        partition: a.partition.clone(),
        node_type: a.node_type.clone(),
        nodes: a.nodes,
        cores: a.cores,
        gpus: a.gpus,
        memory_gb: a
            .memory
            .as_deref()
            .map(|m| size_gb("memory_gb", m))
            .transpose()?,
        hours: a.hours,
        load: a.load,
        cpu_load: a.cpu_load,
        gpu_load: a.gpu_load,
        zone: a.zone.clone(),
        measured_energy_kwh: a
            .energy
            .as_deref()
            .map(|e| energy_kwh("measured_energy_kwh", e))
            .transpose()?,
        grid: None,
        pue: a.pue,
    })
}

/// The same job under each `--what-if` scenario, side by side with the baseline.
fn what_if(engine: &Engine, a: &JobArgs) -> Result<String, CliError> {
    let opts = options(&a.common, false)?;
    let run = |args: &JobArgs| -> Result<_, CliError> {
        let (req, _) = request(engine, args)?;
        Ok(engine.job(&req, &opts)?.impacts)
    };
    let mut rows = vec![("baseline".to_string(), run(a)?)];
    for w in &a.what_if {
        let sc = impacts_workflow::Scenario::parse(w)?;
        let mut b = a.clone();
        if let Some(z) = &sc.zone {
            b.zone = Some(z.clone());
        }
        if sc.pue.is_some() {
            b.pue = sc.pue;
        }
        if let Some(l) = sc.load {
            b.load = Some(l);
            b.cpu_load = None;
            b.gpu_load = None;
        }
        if let Some(t) = sc.start {
            if b.grid_series.is_none() {
                return Err(CliError::usage(
                    "--what-if start needs --grid-series (the start changes the footprint only through the grid's hourly intensity)",
                ));
            }
            b.start = Some(format!(
                "{}Z",
                impacts::impacts_model::calendar::format_seconds(t)
            ));
        }
        rows.push((sc.label.clone(), run(&b)?));
    }
    super::render_scenarios(
        &format!("job on {} / {}", a.center, a.partition),
        &impacts_workflow::compare(rows),
        a.common.format,
    )
}
