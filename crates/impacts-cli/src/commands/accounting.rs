//! `impacts accounting`: the footprint of every job in scheduler records.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use impacts::impacts_model::report::Estimate;
use impacts::Engine;
use impacts_accounting::accountant::{
    Accountant, AccountingError, AccountingReport, LoadPolicy, Options, Progress,
};
use impacts_accounting::input::InputFormat;
use impacts_accounting::sacct_text::TextOptions;
use impacts_accounting::sink::{open_sink, JobSink, NoSink};
use impacts_accounting::summary::{GroupBy, GroupRow};
use impacts_table::{AtomicFile, TableError};

use super::{center_source, json, options};
use crate::args::{AccountingArgs, Format};
use crate::error::{CliError, Flags};
use crate::render::{
    bounds_line, criterion_title, estimate_cell, grid_with_total, pad, phase_rows, provenance,
    sig3, value_unit,
};

/// The flags of `impacts accounting`, by the library's name of what they give.
pub const FLAGS: Flags = &[
    ("center", "--center"),
    ("zone", "--zone"),
    ("default_partition", "--default-partition"),
    ("load", "--load"),
    ("fields", "--fields"),
    ("delimiter", "--delimiter"),
    ("jobs", "--jobs"),
    ("job_samples", "--job-samples"),
    ("input_format", "--input-format"),
    ("time_zone", "--time-zone"),
    ("group_by", "--group-by"),
];

pub(crate) fn run_options(a: &AccountingArgs) -> Result<Options, CliError> {
    let common = options(&a.common, false)?;
    let input_format = match &a.input_format {
        None => None,
        Some(s) => Some(InputFormat::parse(s).ok_or_else(|| {
            CliError::usage(format!(
                "invalid --input-format '{s}': expected sacct, sacct-json, swf, parquet or arrow"
            ))
        })?),
    };
    let mut group_by = Vec::new();
    for g in a.group_by.split(',').filter(|s| !s.trim().is_empty()) {
        let g = GroupBy::parse(g).ok_or_else(|| {
            CliError::usage(format!(
                "invalid --group-by item '{}': expected user, account, partition, state, day or month",
                g.trim()
            ))
        })?;
        if !group_by.contains(&g) {
            group_by.push(g);
        }
    }
    let load = load_policy(a.load.as_deref())?;
    let fields = match &a.fields {
        None => None,
        Some(f) => {
            let list: Vec<String> = f.split(',').map(|s| s.trim().to_string()).collect();
            if list.iter().any(|s| s.is_empty()) {
                return Err(CliError::usage(format!(
                    "invalid --fields '{f}': expected comma-separated sacct field names (e.g. JobID,Partition,State,Elapsed,NNodes,NCPUS)"
                )));
            }
            Some(list)
        }
    };
    if let Some(d) = &a.delimiter {
        if d.is_empty() || d.contains('\n') {
            return Err(CliError::usage(format!(
                "invalid --delimiter '{d}': expected one or more characters other than a newline"
            )));
        }
    }
    let stdin_uses = a.files.iter().filter(|f| f.as_str() == "-").count();
    if stdin_uses > 1 {
        return Err(CliError::usage(
            "invalid FILE list: standard input (-) can be read only once",
        ));
    }
    Ok(Options {
        center: center_source(&a.center)?,
        zone: a.zone.clone(),
        method: common.method,
        default_partition: a.default_partition.clone(),
        load,
        group_by,
        top: a.top,
        samples: common.samples,
        seed: common.seed,
        percentiles: common.percentiles,
        job_samples: a.job_samples,
        skip_bad_lines: a.skip_bad_lines,
        input_format,
        dedup_window: a.dedup_window,
        text: TextOptions {
            delimiter: a.delimiter.clone(),
            fields,
        },
        time_zone: a.time_zone.clone(),
        grid: a
            .grid_series
            .as_deref()
            .map(|path| super::read_series(path, &a.grid_column))
            .transpose()?
            .map(|s| std::sync::Arc::new(impacts::impacts_grid::Integral::new(s))),
    })
}

/// The `--load` of an accounting run.
pub(crate) fn load_policy(load: Option<&str>) -> Result<LoadPolicy, CliError> {
    Ok(match load {
        None => LoadPolicy::Default,
        Some("from-cputime") => LoadPolicy::FromCpuTime,
        Some(s) => match s.trim_end_matches('%').parse::<f64>() {
            Ok(v) => LoadPolicy::Fixed(v),
            Err(_) => {
                return Err(CliError::usage(format!(
                    "invalid --load '{s}': expected a percentage between 0 and 100, or from-cputime"
                )))
            }
        },
    })
}

/// A one-line progress display on standard error, redrawn at most ten times a second, shown only
/// after half a second so that short runs print nothing.
struct ProgressBar {
    /// Only on a terminal, unless --quiet.
    enabled: bool,
    start: Instant,
    /// Shown only after this (500 ms; `IMPACTS_PROGRESS_DELAY_MS` changes it, for tests).
    delay: Duration,
    last: Option<Instant>,
    names: Vec<String>,
    shown: bool,
}

impl ProgressBar {
    /// A bar for the run's inputs; it shows nothing unless standard error is a terminal.
    fn new(a: &AccountingArgs) -> ProgressBar {
        let delay_ms = std::env::var("IMPACTS_PROGRESS_DELAY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(500);
        let names = a
            .files
            .iter()
            .map(|f| {
                Path::new(f)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| f.clone())
            })
            .collect();
        ProgressBar {
            enabled: !a.quiet && std::io::stderr().is_terminal(),
            start: Instant::now(),
            delay: Duration::from_millis(delay_ms),
            last: None,
            names,
            shown: false,
        }
    }

    /// Erases the bar if it was drawn.
    fn clear(&self) {
        if self.shown {
            eprint!("\r\x1b[2K");
        }
    }

    fn update(&mut self, p: Progress) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if p.done {
            if self.shown {
                eprint!("\r\x1b[2K");
            }
            return;
        }
        if now.duration_since(self.start) < self.delay
            || self
                .last
                .is_some_and(|l| now.duration_since(l) < Duration::from_millis(100))
        {
            return;
        }
        self.last = Some(now);
        self.shown = true;
        let secs = now.duration_since(self.start).as_secs_f64();
        let rate = p.jobs as f64 / secs.max(1e-9);
        let name = self.names.get(p.input).map(String::as_str).unwrap_or("");
        let bar = match p.size {
            Some(size) if size > 0 => {
                let f = (p.bytes as f64 / size as f64).clamp(0.0, 1.0);
                let w = 24;
                let filled = (f * w as f64).round() as usize;
                format!(
                    "[{}{}] {:>3.0} % ",
                    "#".repeat(filled),
                    "-".repeat(w - filled),
                    f * 100.0
                )
            }
            _ => String::new(),
        };
        eprint!(
            "\r\x1b[2K{bar}{} ({}/{}): {} jobs, {} jobs/s",
            name,
            p.input + 1,
            p.inputs,
            p.jobs,
            sig3(rate)
        );
        let _ = std::io::stderr().flush();
    }
}

/// Runs the command: writes the per-job output and the summary.
pub fn run(engine: &Engine, a: &AccountingArgs) -> Result<(), CliError> {
    let opts = run_options(a)?;
    let mut acc = Accountant::new(engine, opts)?;
    let mut sink = jobs_sink(a, &acc)?;
    account(a, &mut acc, sink.as_mut())
}

/// Reads the inputs, hands each job's row to `sink`, then writes the summary where `a` says.
pub(crate) fn account(
    a: &AccountingArgs,
    acc: &mut Accountant<'_>,
    sink: &mut dyn JobSink,
) -> Result<(), CliError> {
    let jobs_to_stdout = a.jobs.as_deref() == Some("-");
    if jobs_to_stdout && a.summary.is_none() && a.common.format != Format::Table {
        return Err(CliError::usage(format!(
            "--jobs - writes JSON Lines, and nothing else, to standard output: give the {} summary a file with --summary PATH",
            match a.common.format {
                Format::Json => "JSON",
                _ => "CSV",
            }
        )));
    }
    if jobs_to_stdout && a.summary.as_deref() == Some("-") {
        return Err(CliError::usage(
            "--jobs - and --summary - both write to standard output: give one of them a file",
        ));
    }
    // The summary's file is created first: a destination that cannot be written stops the run
    // before it reads anything.
    let summary = match a.summary.as_deref() {
        Some("-") => None,
        Some(path) => Some(
            AtomicFile::create(Path::new(path)).map_err(|e| cannot_create("--summary", path, e))?,
        ),
        None => None,
    };
    let mut bar = ProgressBar::new(a);
    let result = acc.run(&a.files, sink, &mut |p| bar.update(p));
    bar.clear();
    let report = result.map_err(with_hint)?;
    let text = render(&report, a.common.format)?;
    match summary {
        Some(mut f) => f
            .write_all(text.as_bytes())
            .and_then(|_| f.commit())
            .map_err(|e| {
                CliError::cannot_write(
                    &format!("--summary '{}'", a.summary.as_deref().unwrap_or("")),
                    e,
                )
            })?,
        // Standard output carries the job rows only: the summary goes to standard error.
        None if jobs_to_stdout => eprint!("{text}"),
        None => crate::output::to_stdout(&text)?,
    }
    if a.common.format == Format::Csv && a.summary.is_none() {
        let mut err = std::io::stderr().lock();
        for w in &report.warnings {
            let _ = writeln!(err, "warning[{}] ({} jobs): {}", w.code, w.count, w.message);
        }
    }
    Ok(())
}

/// The library's error, with the flag that is the way out where there is one.
fn with_hint(e: AccountingError) -> CliError {
    match e {
        AccountingError::Read(mut r)
            if r.error.kind == impacts::InputKind::Unknown
                && r.error.field.as_deref() == Some("Partition") =>
        {
            r.error
                .expected
                .push_str(" — map the others with --default-partition");
            CliError::Input(r.error)
        }
        other => other.into(),
    }
}

/// An output file that cannot be created: bad input when the path names a folder, a failure
/// otherwise (permissions, a missing folder).
fn cannot_create(flag: &str, path: &str, e: std::io::Error) -> CliError {
    if e.kind() == std::io::ErrorKind::InvalidInput {
        CliError::usage(format!("invalid {flag} '{path}': {e}"))
    } else {
        CliError::failure(format!("cannot create {flag} '{path}': {e}"))
    }
}

/// The per-job output of `--jobs`, or none.
fn jobs_sink(a: &AccountingArgs, acc: &Accountant<'_>) -> Result<Box<dyn JobSink>, CliError> {
    match &a.jobs {
        None => Ok(Box::new(NoSink)),
        Some(p) => open_sink(p, acc.columns(), &acc.metadata()).map_err(|e| match e {
            TableError::Input(e) => CliError::Input(e),
            TableError::Io { source, .. } => cannot_create("--jobs", p, source),
        }),
    }
}

fn render(r: &AccountingReport, format: Format) -> Result<String, CliError> {
    Ok(match format {
        Format::Json => json(r)?,
        Format::Table => table(r),
        Format::Csv => csv(r).map_err(|e| CliError::cannot_write("CSV", e))?,
    })
}

fn lpad(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(s.chars().count())))
}

fn percent(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let p = x * 100.0;
    if p == 0.0 {
        "0 %".into()
    } else if p < 0.1 {
        "<0.1 %".into()
    } else {
        format!("{p:.1} %")
    }
}

fn hours(h: f64) -> String {
    if h >= 1e6 {
        format!("{} M", sig3(h / 1e6))
    } else if h >= 1e3 {
        format!("{} k", sig3(h / 1e3))
    } else {
        sig3(h)
    }
}

/// The human summary.
pub fn table(r: &AccountingReport) -> String {
    let mut out = String::new();
    let inputs: Vec<String> = r
        .inputs
        .iter()
        .map(|i| {
            format!(
                "{} ({}{}, {} jobs)",
                i.file,
                i.format.as_str(),
                i.compression.map(|c| format!(", {c}")).unwrap_or_default(),
                i.jobs
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "Accounting of {} jobs on {} (zone {})",
        r.jobs, r.center, r.zone
    );
    let _ = writeln!(out, "Inputs: {}", inputs.join(", "));
    let _ = writeln!(
        out,
        "Estimated: {} jobs ({} not estimated: never started, no duration or no size); {} steps folded in{}",
        r.jobs_estimated,
        r.jobs - r.jobs_estimated,
        r.steps,
        if r.skipped.count > 0 {
            format!("; {} malformed records skipped", r.skipped.count)
        } else {
            String::new()
        }
    );
    let u = |k: &str| r.usage.get(k).copied().unwrap_or(0.0);
    let e = |k: &str| r.energy.get(k).copied().unwrap_or(0.0);
    let _ = writeln!(
        out,
        "Usage: {} node-hours (node-equivalents), {} core-hours, {} GPU-hours",
        hours(u("node_hours")),
        hours(u("core_hours")),
        hours(u("gpu_hours"))
    );
    let _ = writeln!(
        out,
        "Electricity: {} drawn by the jobs' nodes, {} with the facility overhead; {} jobs with measured energy ({})",
        value_unit(e("energy_kwh"), "kWh"),
        value_unit(e("energy_with_overhead_kwh"), "kWh"),
        e("measured_jobs"),
        value_unit(e("measured_kwh"), "kWh")
    );
    let _ = writeln!(out);
    // Impacts by phase.
    let crits: Vec<&String> = r.impacts.iter().map(|(k, _)| k).collect();
    grid_with_total(&mut out, phase_rows(&r.phases, &crits), &r.impacts);
    let _ = writeln!(out);
    // Unsuccessful jobs.
    let un = &r.unsuccessful;
    let shares: Vec<String> = un
        .share
        .iter()
        .map(|(k, v)| format!("{} of {k}", percent(*v)))
        .collect();
    // States are compared on the first criterion, the one groups are ranked by.
    let first = r.impacts.iter().next().map(|(k, e)| (k.as_str(), e.value));
    let states: Vec<String> = match first {
        None => Vec::new(),
        Some((key, total)) => un
            .by_state
            .iter()
            .map(|(s, m)| {
                let g = m.get(key).copied().unwrap_or(0.0);
                format!("{s} {}", percent(if total > 0.0 { g / total } else { 0.0 }))
            })
            .collect(),
    };
    let _ = writeln!(
        out,
        "Failed, cancelled, timed-out and other unsuccessful jobs: {} jobs, {}{}",
        un.jobs,
        shares.join(", "),
        if states.is_empty() {
            String::new()
        } else {
            format!(
                " ({}: {})",
                first.map_or("", |f| criterion_title(f.0)).to_lowercase(),
                states.join(", ")
            )
        }
    );
    for (dim, list) in r.groups.iter() {
        group_table(&mut out, dim, list, &crits);
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}",
        bounds_line(&r.uncertainty, ", shared factors drawn once for all jobs")
    );
    let _ = writeln!(
        out,
        "{}",
        provenance(
            &r.method,
            &r.data_bundle,
            &r.data_bundle_version,
            &r.impacts_version
        )
    );
    if !r.warnings.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Warnings:");
        for w in &r.warnings {
            if w.count > 0 {
                let _ = writeln!(out, "  [{}] ({} jobs) {}", w.code, w.count, w.message);
            } else {
                let _ = writeln!(out, "  [{}] {}", w.code, w.message);
            }
            for x in &w.examples {
                let _ = writeln!(out, "      e.g. {x}");
            }
        }
    }
    out
}

/// One group table: the top rows of a dimension, ranked by the first criterion, with every
/// criterion of the report and the first one's share.
fn group_table(out: &mut String, dim: &str, list: &[GroupRow], crits: &[&String]) {
    if list.is_empty() {
        return;
    }
    let ranked_by = crits
        .first()
        .map_or("", |c| criterion_title(c))
        .to_lowercase();
    let _ = writeln!(out);
    let _ = writeln!(out, "Top {} by {dim} ({ranked_by}):", list.len());
    let mut headers: Vec<String> = ["jobs", "node-h", "energy"].map(String::from).to_vec();
    headers.insert(0, dim.to_string());
    let mut right = vec![false, true, true, true];
    for (i, c) in crits.iter().enumerate() {
        headers.push(criterion_title(c).to_lowercase());
        right.push(false);
        if i == 0 {
            headers.push("share".into());
            right.push(true);
        }
    }
    let cells: Vec<Vec<String>> = list
        .iter()
        .map(|g| {
            let mut row = vec![
                g.key.clone(),
                g.jobs.to_string(),
                hours(g.node_hours),
                value_unit(g.energy_kwh, "kWh"),
            ];
            for (i, c) in crits.iter().enumerate() {
                row.push(g.impacts.get(c).map(estimate_cell).unwrap_or_default());
                if i == 0 {
                    row.push(percent(g.share.get(c).copied().unwrap_or(0.0)));
                }
            }
            row
        })
        .collect();
    let widths: Vec<usize> = (0..headers.len())
        .map(|i| {
            cells
                .iter()
                .map(|c| c[i].chars().count())
                .chain(std::iter::once(headers[i].chars().count()))
                .max()
                .unwrap_or(4)
        })
        .collect();
    let line = |row: &[String]| {
        let mut l = String::from("  ");
        for (i, cell) in row.iter().enumerate() {
            let cell = if right[i] {
                lpad(cell, widths[i])
            } else {
                pad(cell, widths[i])
            };
            l.push_str(&cell);
            l.push_str("  ");
        }
        l.trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(&headers));
    for c in &cells {
        let _ = writeln!(out, "{}", line(c));
    }
}

/// The summary as CSV: one row per total, phase and group, with every criterion's value and bounds.
pub fn csv(r: &AccountingReport) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let crits: Vec<(&String, String)> =
        r.impacts.iter().map(|(k, e)| (k, e.unit.clone())).collect();
    let mut header = vec![
        "section".to_string(),
        "key".into(),
        "jobs".into(),
        "node_hours".into(),
        "core_hours".into(),
        "gpu_hours".into(),
        "energy_kwh".into(),
        "energy_with_overhead_kwh".into(),
    ];
    for (c, unit) in &crits {
        header.push(format!("{c}_{unit}"));
        header.push(format!("{c}_low"));
        header.push(format!("{c}_high"));
    }
    w.write_record(&header)?;
    let num = |x: f64| format!("{x}");
    let push_est = |row: &mut Vec<String>, m: &impacts::OrderedMap<Estimate>| {
        for (c, _) in &crits {
            match m.get(c) {
                Some(e) => {
                    row.push(num(e.value));
                    row.push(num(e.low));
                    row.push(num(e.high));
                }
                None => row.extend([String::new(), String::new(), String::new()]),
            }
        }
    };
    let u = |k: &str| r.usage.get(k).copied().unwrap_or(0.0);
    let mut row = vec![
        "total".to_string(),
        "all".into(),
        r.jobs.to_string(),
        num(u("node_hours")),
        num(u("core_hours")),
        num(u("gpu_hours")),
        num(r.energy.get("energy_kwh").copied().unwrap_or(0.0)),
        num(r
            .energy
            .get("energy_with_overhead_kwh")
            .copied()
            .unwrap_or(0.0)),
    ];
    push_est(&mut row, &r.impacts);
    w.write_record(&row)?;
    for (phase, m) in r.phases.iter() {
        let mut row = vec![
            "phase".to_string(),
            phase.clone(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ];
        push_est(&mut row, m);
        w.write_record(&row)?;
    }
    for (dim, list) in r.groups.iter() {
        for g in list {
            let mut row = vec![
                dim.clone(),
                g.key.clone(),
                g.jobs.to_string(),
                num(g.node_hours),
                num(g.core_hours),
                num(g.gpu_hours),
                num(g.energy_kwh),
                num(g.energy_with_overhead_kwh),
            ];
            push_est(&mut row, &g.impacts);
            w.write_record(&row)?;
        }
    }
    crate::render::csv_string(w)
}
