//! `impacts bench report` and `impacts bench check` (docs/bench.md): ReFrame's results, each run
//! with its job's footprint when the scheduler's records are given, and regressions flagged.

use impacts::impacts_model::readable::{sig3, value_unit};
use impacts::Engine;
use impacts_accounting::accountant::Accountant;
use impacts_bench::check::{self, Outcome};
use impacts_bench::footprint::{self, Footprint, Footprints};
use impacts_bench::scaling::Better;
use impacts_bench::{PerfValue, Run, Warnings};
use serde_json::{json, Value};

use crate::args::{
    AccountingArgs, BenchArgs, BenchCheckArgs, BenchCmd, BenchIngestArgs, BenchReportArgs,
    BenchView, BetterArg, Format,
};
use crate::error::{CliError, Flags};

use super::accounting;

mod views;

/// The flags of `impacts bench`, by the library's names.
pub const FLAGS: Flags = &[
    ("center", "--center"),
    ("load", "--load"),
    ("time_zone", "--time-zone"),
];

/// Runs `impacts bench …`.
pub fn run(engine: &Engine, what: &BenchCmd) -> Result<String, CliError> {
    match what {
        BenchCmd::Report(a) => report(engine, a),
        BenchCmd::Check(a) => check(engine, a),
        BenchCmd::Ingest(a) => ingest(engine, a),
    }
}

/// `impacts bench ingest`: the runs into the store, each with what identifies it.
fn ingest(engine: &Engine, a: &BenchIngestArgs) -> Result<String, CliError> {
    let mut warnings = Warnings::default();
    let runs = read(&a.paths, a.application_tag.as_deref(), &mut warnings)?;
    let rows = runs
        .iter()
        .map(|r| {
            Ok(impacts_store::BenchRun {
                system: r.system.clone(),
                partition: r.partition.clone(),
                environ: r.environ.clone(),
                display_name: r.display_name.clone(),
                jobid: r.jobid.clone(),
                time: r.time,
                json: serde_json::to_string(r).map_err(|e| CliError::failure(e.to_string()))?,
            })
        })
        .collect::<Result<Vec<_>, CliError>>()?;
    let schema = impacts_store::Schema::of_engine(engine);
    let store = impacts_store::open(&a.db, schema).map_err(super::service::store_error)?;
    let changed = store
        .write_bench_runs(&rows)
        .map_err(super::service::store_error)?;
    let out = format!(
        "{} runs read, {changed} new or changed, stored in {}\n",
        runs.len(),
        store.describe()
    );
    Ok(out + &warning_lines(&warnings))
}

/// The runs of the paths, their applications named by their tags when `application_tag` is given.
fn read(
    paths: &[std::path::PathBuf],
    application_tag: Option<&str>,
    warnings: &mut Warnings,
) -> Result<Vec<Run>, CliError> {
    let mut runs = impacts_bench::read_paths(paths, warnings)?;
    if let Some(prefix) = application_tag {
        impacts_bench::tag_applications(&mut runs, prefix, warnings);
    }
    Ok(runs)
}

/// Runs read, each with its job's footprint (when joined), and what was tolerated.
struct Loaded {
    runs: Vec<Run>,
    footprints: Vec<Option<Footprint>>,
    warnings: Warnings,
}

fn load(engine: &Engine, a: &BenchArgs) -> Result<Loaded, CliError> {
    let mut warnings = Warnings::default();
    let runs = read(&a.paths, a.application_tag.as_deref(), &mut warnings)?;
    let mut footprints = if a.accounting.is_empty() {
        vec![None; runs.len()]
    } else {
        let jobs = account(engine, a)?;
        footprint::join(&runs, &jobs, &mut warnings)
            .into_iter()
            .map(|f| f.cloned())
            .collect()
    };
    if a.estimate_missing {
        estimate_missing(engine, a, &runs, &mut footprints, &mut warnings)?;
    }
    Ok(Loaded {
        runs,
        footprints,
        warnings,
    })
}

/// The runs without a footprint estimated from their nodes and run time (`--estimate-missing`),
/// on their partition of the center, else the default partition.
fn estimate_missing(
    engine: &Engine,
    a: &BenchArgs,
    runs: &[Run],
    footprints: &mut [Option<Footprint>],
    warnings: &mut Warnings,
) -> Result<(), CliError> {
    let center = a.center.as_deref().ok_or_else(|| {
        CliError::usage("--estimate-missing needs --center: the center the runs ran on")
    })?;
    let source = super::center_source(center)?;
    let mut opts = super::options(&a.common, false)?;
    opts.samples = a.job_samples;
    let known: Vec<String> = engine
        .center(&source, &opts.method, None)?
        .partition_names()
        .iter()
        .map(|p| p.to_string())
        .collect();
    for (r, f) in runs.iter().zip(footprints.iter_mut()) {
        if f.is_some() {
            continue;
        }
        let partition = if known.contains(&r.partition) {
            r.partition.clone()
        } else if let Some(d) = &a.default_partition {
            d.clone()
        } else {
            let example = format!("{} partition {}", r.source, r.partition);
            warnings.add("bench.partition-unknown", &example);
            continue;
        };
        match footprint::estimated(engine, &source, &opts, r, &partition)? {
            Some(e) => {
                warnings.add("bench.estimated-from-run", &r.source);
                *f = Some(e);
            }
            None => warnings.add("bench.no-run-time", &r.source),
        }
    }
    Ok(())
}

/// Every job of the scheduler's records, accounted as `impacts accounting` does.
fn account(engine: &Engine, a: &BenchArgs) -> Result<Footprints, CliError> {
    let center = a.center.clone().ok_or_else(|| {
        CliError::usage("--accounting needs --center: the center the runs' jobs ran on")
    })?;
    let args = AccountingArgs {
        files: a.accounting.clone(),
        center,
        input_format: None,
        fields: a.fields.clone(),
        delimiter: None,
        default_partition: a.default_partition.clone(),
        jobs: None,
        job_samples: a.job_samples,
        summary: None,
        group_by: "partition".into(),
        top: 1,
        load: a.load.clone(),
        zone: None,
        time_zone: a.time_zone.clone(),
        grid_series: None,
        grid_column: "lifecycle".into(),
        skip_bad_lines: false,
        dedup_window: impacts_accounting::accountant::DEDUP_WINDOW,
        quiet: true,
        common: a.common.clone(),
    };
    let opts = accounting::run_options(&args)?;
    let mut acc = Accountant::new(engine, opts)?;
    let mut jobs = Footprints::new(&acc);
    acc.run(&args.files, &mut jobs, &mut |_| {})?;
    Ok(jobs)
}

fn report(engine: &Engine, a: &BenchReportArgs) -> Result<String, CliError> {
    let l = load(engine, &a.bench)?;
    let format = a.bench.common.format;
    let variable = a.variable.as_deref();
    let better = a.better.map(|b| match b {
        BetterArg::Higher => impacts_bench::scaling::Better::Higher,
        BetterArg::Lower => impacts_bench::scaling::Better::Lower,
    });
    let json = |v: Value| {
        serde_json::to_string_pretty(&v)
            .map(|s| s + "\n")
            .map_err(|e| CliError::failure(e.to_string()))
    };
    Ok(match (a.view, format) {
        (BenchView::Runs, Format::Json) => report_json(&l)?,
        (BenchView::Runs, Format::Csv) => report_csv(&l)?,
        (BenchView::Runs, Format::Table) => report_table(&l),
        (BenchView::Latest, Format::Table) => views::latest_table(&l) + &warning_lines(&l.warnings),
        (BenchView::Scaling, Format::Table) => {
            views::scaling_table(&l, variable, better) + &warning_lines(&l.warnings)
        }
        (BenchView::Scaling, Format::Json) => json(views::scaling_json(&l, variable, better))?,
        (BenchView::Machines, Format::Table) => views::tree(&l, true) + &warning_lines(&l.warnings),
        (BenchView::Applications, Format::Table) => {
            views::tree(&l, false) + &warning_lines(&l.warnings)
        }
        (view, _) => {
            let (name, json) = match view {
                BenchView::Latest => ("latest", ""),
                BenchView::Machines => ("machines", ""),
                BenchView::Applications => ("applications", ""),
                _ => ("scaling", " or json"),
            };
            return Err(CliError::usage(format!(
                "--view {name} is shown as --format table{json} (every run as JSON or CSV: --view runs)"
            )));
        }
    })
}

/// A time's date (UTC), `–` when unknown.
fn date_of(t: Option<i64>) -> String {
    time_json(t)
        .as_str()
        .and_then(|t| t.get(..10))
        .map_or("–".into(), String::from)
}

/// A time as RFC 3339 (UTC).
fn time_json(t: Option<i64>) -> Value {
    t.and_then(|t| jiff::Timestamp::from_second(t).ok())
        .map_or(Value::Null, |ts| json!(ts.to_string()))
}

/// A run as JSON: its fields, its node count and its footprint.
#[derive(serde::Serialize)]
struct RunJson<'a> {
    #[serde(flatten)]
    run: &'a Run,
    nodes: Option<u64>,
    footprint: Option<Value>,
}

fn run_json(r: &Run, f: Option<&Footprint>) -> Result<String, CliError> {
    let j = RunJson {
        run: r,
        nodes: r.nodes(),
        footprint: f.map(|f| footprint_json(r, f)),
    };
    serde_json::to_string(&j).map_err(|e| CliError::failure(e.to_string()))
}

/// A job's footprint: energy to solution, impacts with bounds, and, for each rate (`ns/day`,
/// `Gflops/s`), the energy and each criterion per unit of the work it did over the job's hours
/// (per `ns` simulated, per `Gflops`).
fn footprint_json(r: &Run, f: &Footprint) -> Value {
    let mut impacts = serde_json::Map::new();
    for i in &f.impacts {
        impacts.insert(
            i.key.clone(),
            json!({"value": i.value, "low": i.low, "high": i.high, "unit": i.unit}),
        );
    }
    let per_unit: Vec<Value> = r
        .perf
        .iter()
        .filter_map(|p| {
            let (work, unit) = footprint::work(p.value, &p.unit, f.hours)?;
            let mut m = serde_json::Map::new();
            m.insert("variable".into(), json!(p.name));
            m.insert("work".into(), json!(work));
            m.insert("unit".into(), json!(unit));
            m.insert("energy_kwh".into(), json!(f.energy_kwh / work));
            for i in &f.impacts {
                m.insert(i.key.clone(), json!(i.value / work));
            }
            Some(Value::Object(m))
        })
        .collect();
    json!({
        "cluster": f.cluster, "state": f.state, "hours": f.hours,
        "node_equivalents": f.node_equivalents, "energy_kwh": f.energy_kwh,
        "energy_source": f.energy_source, "impacts": impacts, "per_unit": per_unit,
    })
}

fn warnings_json(w: &Warnings) -> Value {
    Value::Array(
        w.iter()
            .map(|(code, count, example)| json!({"code": code, "count": count, "example": example}))
            .collect(),
    )
}

/// `{"runs": […], "warnings": […]}`, a run per line: each run's JSON made and appended in turn
/// (no document tree of every run).
fn report_json(l: &Loaded) -> Result<String, CliError> {
    let mut out = String::from("{\"runs\": [");
    for (i, (r, f)) in l.runs.iter().zip(&l.footprints).enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(&run_json(r, f.as_ref())?);
    }
    out.push_str("\n],\n\"warnings\": ");
    out.push_str(&warnings_json(&l.warnings).to_string());
    out.push_str("}\n");
    Ok(out)
}

/// One row per performance value, its run's description and footprint beside it.
fn report_csv(l: &Loaded) -> Result<String, CliError> {
    let criteria: Vec<(String, String)> = l
        .footprints
        .iter()
        .flatten()
        .next()
        .map(|f| {
            f.impacts
                .iter()
                .map(|i| (i.key.clone(), i.unit.clone()))
                .collect()
        })
        .unwrap_or_default();
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "test",
        "display_name",
        "system",
        "partition",
        "environ",
        "jobid",
        "time",
        "nodes",
        "variable",
        "value",
        "unit",
        "reference",
        "lower",
        "upper",
        "energy_kwh",
        "energy_source",
    ]
    .map(String::from)
    .to_vec();
    for (k, u) in &criteria {
        header.extend([format!("{k}_{u}"), format!("{k}_low"), format!("{k}_high")]);
    }
    let bad = |e: csv::Error| CliError::failure(e.to_string());
    w.write_record(&header).map_err(bad)?;
    let num = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
    for (r, f) in l.runs.iter().zip(&l.footprints) {
        for p in &r.perf {
            let mut row = vec![
                r.test.clone(),
                r.display_name.clone(),
                r.system.clone(),
                r.partition.clone(),
                r.environ.clone(),
                r.jobid.clone().unwrap_or_default(),
                time_json(r.time).as_str().unwrap_or("").to_string(),
                r.nodes().map(|n| n.to_string()).unwrap_or_default(),
                p.name.clone(),
                p.value.to_string(),
                p.unit.clone(),
                num(p.reference),
                num(p.lower),
                num(p.upper),
                num(f.as_ref().map(|f| f.energy_kwh)),
                f.as_ref()
                    .map(|f| f.energy_source.clone())
                    .unwrap_or_default(),
            ];
            for (k, _) in &criteria {
                let c = f
                    .as_ref()
                    .and_then(|f| f.impacts.iter().find(|i| &i.key == k));
                row.extend([
                    num(c.map(|c| c.value)),
                    num(c.and_then(|c| c.low)),
                    num(c.and_then(|c| c.high)),
                ]);
            }
            w.write_record(&row).map_err(bad)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| CliError::failure(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| CliError::failure(e.to_string()))
}

/// A line per run: test, machine, job, date, nodes, its first value, energy and climate change.
fn report_table(l: &Loaded) -> String {
    let joined = l.footprints.iter().flatten().count();
    let measured = l
        .footprints
        .iter()
        .flatten()
        .filter(|f| f.energy_source == "measured")
        .count();
    let mut out = format!(
        "{} runs; {} joined to their job ({} with measured energy)\n\n",
        l.runs.len(),
        joined,
        measured
    );
    let mut rows = vec![[
        "test".to_string(),
        "machine".into(),
        "job".into(),
        "date".into(),
        "nodes".into(),
        "value".into(),
        "energy".into(),
        "climate change".into(),
    ]];
    for (r, f) in l.runs.iter().zip(&l.footprints) {
        let first = r.perf.first().map_or(String::new(), perf_text);
        let gwp = f.as_ref().and_then(Footprint::gwp);
        rows.push([
            r.display_name.clone(),
            r.machine(),
            r.jobid.clone().unwrap_or_else(|| "–".into()),
            date_of(r.time),
            r.nodes().map_or("–".into(), |n| n.to_string()),
            first,
            f.as_ref()
                .map_or("–".into(), |f| value_unit(f.energy_kwh, "kWh")),
            gwp.map_or("–".into(), |g| value_unit(g.value, &g.unit)),
        ]);
    }
    out.push_str(&columns(&rows));
    if l.warnings.iter().next().is_some() {
        out.push('\n');
    }
    out + &warning_lines(&l.warnings)
}

/// What was tolerated, a line per warning code with its count and an example, for the tables.
fn warning_lines(w: &Warnings) -> String {
    w.iter()
        .map(|(code, count, example)| format!("warning[{code}] ({count}): e.g. {example}\n"))
        .collect()
}

fn perf_text(p: &PerfValue) -> String {
    format!("{} = {} {}", p.name, sig3(p.value), p.unit)
        .trim_end()
        .to_string()
}

/// Rows as left-aligned columns two spaces apart.
fn columns<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0; N];
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn check(engine: &Engine, a: &BenchCheckArgs) -> Result<String, CliError> {
    if a.history < a.min_history || a.min_history == 0 {
        return Err(CliError::usage(format!(
            "invalid --history {} with --min-history {}: the band needs at least one earlier run, and no more than the history holds",
            a.history, a.min_history
        )));
    }
    if a.k <= 0.0 || !a.k.is_finite() {
        return Err(CliError::usage(format!(
            "invalid --k '{}': expected a positive number",
            a.k
        )));
    }
    let mut l = load(engine, &a.bench)?;
    // The footprint of each joined run is checked like its performance.
    for (r, f) in l.runs.iter_mut().zip(&l.footprints) {
        if let Some(f) = f {
            r.perf.push(PerfValue {
                name: "footprint.energy_kwh".into(),
                value: f.energy_kwh,
                unit: "kWh".into(),
                ..PerfValue::default()
            });
            for i in &f.impacts {
                r.perf.push(PerfValue {
                    name: format!("footprint.{}", i.key),
                    value: i.value,
                    unit: i.unit.clone(),
                    ..PerfValue::default()
                });
            }
        }
    }
    let opts = check::Options {
        history: a.history,
        min_history: a.min_history,
        k: a.k,
        every_run: a.every_run,
        ..check::Options::default()
    };
    let outcome = check::check(&l.runs, &opts);
    let text = match a.bench.common.format {
        Format::Json => {
            serde_json::to_string_pretty(&check_json(&l, &outcome, &opts))
                .map_err(|e| CliError::failure(e.to_string()))?
                + "\n"
        }
        _ => check_table(&l, &outcome, &opts),
    };
    if outcome.flags.is_empty() {
        return Ok(text);
    }
    crate::output::to_stdout(&text)?;
    Err(CliError::failure(format!(
        "{} value(s) outside their band",
        outcome.flags.len()
    )))
}

fn check_json(l: &Loaded, o: &Outcome, opts: &check::Options) -> Value {
    let flags: Vec<Value> = o
        .flags
        .iter()
        .map(|f| {
            let r = &l.runs[f.run];
            json!({
                "test": r.display_name, "machine": r.machine(), "environ": r.environ,
                "jobid": r.jobid, "time": time_json(r.time), "source": r.source,
                "variable": f.variable, "value": f.value, "unit": f.unit, "low": f.low,
                "high": f.high, "against": f.against,
                "history_runs": f.history.map(|h| h.0), "history_median": f.history.map(|h| h.1),
                "by": f.by, "excess": f.excess, "verdict": verdict(f),
            })
        })
        .collect();
    json!({
        "checked": o.checked, "with_history": o.with_history, "flags": flags,
        "options": {"history": opts.history, "min_history": opts.min_history, "k": opts.k,
                    "floor": opts.floor, "every_run": opts.every_run},
        "warnings": warnings_json(&l.warnings),
    })
}

fn check_table(l: &Loaded, o: &Outcome, opts: &check::Options) -> String {
    let mut out = format!(
        "{} values checked ({} with a history of at least {} runs; band: median ± {} × 1.4826 × MAD of the last {}): {} outside their band\n",
        o.checked,
        o.with_history,
        opts.min_history,
        opts.k,
        opts.history,
        o.flags.len()
    );
    for f in &o.flags {
        let r = &l.runs[f.run];
        let side = if f.excess < 0.0 { "below" } else { "above" };
        let band = format!(
            "[{}, {}]",
            f.low.map_or("–".into(), sig3),
            f.high.map_or("–".into(), sig3)
        );
        let against = match f.history {
            Some((n, median)) => format!(
                "the history band {band} (median {} of {n} earlier runs)",
                sig3(median)
            ),
            None => format!("ReFrame's reference band {band}"),
        };
        let by = match f.by {
            Some(by) => format!("{} %", sig3(100.0 * by.abs())),
            None => format!("{} {}", sig3(f.excess.abs()), f.unit),
        };
        out.push_str(&format!(
            "{} {} @{}+{} job {} ({}): {} = {} {} is {side} {against} by {by}\n",
            verdict(f),
            r.display_name,
            r.machine(),
            r.environ,
            r.jobid.as_deref().unwrap_or("–"),
            r.source,
            f.variable,
            sig3(f.value),
            f.unit,
        ));
    }
    out
}

/// `REGRESSION` when the value left its band on the worse side (lower for a rate, higher for a
/// time or a footprint), `IMPROVEMENT` on the better side: both are outside their band.
fn verdict(f: &check::Flag) -> &'static str {
    let better = if f.variable.starts_with("footprint.") {
        Better::Lower
    } else {
        Better::of_unit(&f.unit)
    };
    match (better, f.excess < 0.0) {
        (Better::Higher, true) | (Better::Lower, false) => "REGRESSION",
        _ => "IMPROVEMENT",
    }
}
