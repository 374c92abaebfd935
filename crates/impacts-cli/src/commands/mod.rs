//! The commands of `impacts`: each turns its arguments into library requests and renders what
//! the library answers; this module dispatches, and holds what the estimates share.

mod accounting;
mod bench;
mod component;
mod coordinators;
mod data;
mod energy;
mod grid;
mod grid_pull;
mod io;
mod job;
mod poll;
mod server;
mod service;
mod storage;
mod transfer;
mod workflow;

use std::io::Write as _;
use std::path::Path;

use impacts::impacts_data::units::{parse_energy_kwh, parse_size_gb};
use impacts::impacts_model::eval::Percentiles;
use impacts::{CenterSource, Engine, Options, Report};

use crate::args::{Cmd, Common, ExplainCmd, Format};
use crate::error::{CliError, Flags};
use crate::render;

pub use workflow::render_scenarios;

/// Runs a command: the text for standard output (empty when the command wrote its outputs
/// itself, as `impacts accounting` does).
pub fn run(engine: &Engine, cmd: &Cmd) -> Result<String, CliError> {
    match cmd {
        Cmd::Job(a) => job::run(engine, a, false),
        Cmd::Server(a) => server::run(engine, a, false),
        Cmd::Component(a) => component::run(engine, a, false),
        Cmd::Energy(a) => energy::run(engine, a, false),
        Cmd::Storage(a) => storage::run(engine, a, false),
        Cmd::Transfer(a) => transfer::run(engine, a, false),
        Cmd::Workflow(a) => workflow::run(engine, a, false),
        Cmd::Explain { what } => explain(engine, what),
        Cmd::Accounting(a) => accounting::run(engine, a).map(|()| String::new()),
        Cmd::Ingest(a) => service::ingest(engine, a).map(|()| String::new()),
        Cmd::Serve(a) => service::serve(a).map(|()| String::new()),
        Cmd::Token { what } => service::token(engine, what),
        Cmd::Io(a) => io::run(engine, a),
        Cmd::Data { what } => data::run(engine, what),
        Cmd::Bench { what } => bench::run(engine, what),
        Cmd::Grid { what } => grid::run(what),
    }
}

fn explain(engine: &Engine, what: &ExplainCmd) -> Result<String, CliError> {
    match what {
        ExplainCmd::Job(a) => job::run(engine, a, true),
        ExplainCmd::Server(a) => server::run(engine, a, true),
        ExplainCmd::Component(a) => component::run(engine, a, true),
        ExplainCmd::Energy(a) => energy::run(engine, a, true),
        ExplainCmd::Storage(a) => storage::run(engine, a, true),
        ExplainCmd::Transfer(a) => transfer::run(engine, a, true),
        ExplainCmd::Workflow(a) => workflow::run(engine, a, true),
        ExplainCmd::Io(a) => io::explain(engine, a),
    }
}

/// The flags of a command, by the library's name of what they give.
pub fn flags(cmd: &Cmd) -> Flags {
    let explained = match cmd {
        Cmd::Explain { what } => what,
        Cmd::Job(_) => return job::FLAGS,
        Cmd::Server(_) => return server::FLAGS,
        Cmd::Component(_) => return component::FLAGS,
        Cmd::Energy(_) => return energy::FLAGS,
        Cmd::Storage(_) => return storage::FLAGS,
        Cmd::Transfer(_) => return transfer::FLAGS,
        Cmd::Workflow(_) => return workflow::FLAGS,
        Cmd::Accounting(_) => return accounting::FLAGS,
        Cmd::Ingest(_) | Cmd::Serve(_) | Cmd::Token { .. } => return service::FLAGS,
        Cmd::Io(_) => return io::FLAGS,
        Cmd::Data { .. } => return &[],
        Cmd::Bench { .. } => return bench::FLAGS,
        Cmd::Grid { .. } => return &[],
    };
    match explained {
        ExplainCmd::Job(_) => job::FLAGS,
        ExplainCmd::Server(_) => server::FLAGS,
        ExplainCmd::Component(_) => component::FLAGS,
        ExplainCmd::Energy(_) => energy::FLAGS,
        ExplainCmd::Storage(_) => storage::FLAGS,
        ExplainCmd::Transfer(_) => transfer::FLAGS,
        ExplainCmd::Workflow(_) => workflow::FLAGS,
        ExplainCmd::Io(_) => io::FLAGS,
    }
}

/// The library's options from the common flags.
pub fn options(common: &Common, explain: bool) -> Result<Options, CliError> {
    let bad = || {
        CliError::usage(format!(
            "invalid --percentiles '{}': expected LOW,HIGH with 0 <= LOW < HIGH <= 100 (e.g. 2.5,97.5)",
            common.percentiles
        ))
    };
    let (low, high) = common.percentiles.split_once(',').ok_or_else(bad)?;
    let low: f64 = low.trim().parse().map_err(|_| bad())?;
    let high: f64 = high.trim().parse().map_err(|_| bad())?;
    let opts = Options {
        method: common.method.clone(),
        samples: common.samples,
        seed: common.seed,
        percentiles: Percentiles { low, high },
        explain,
        sensitivity: true,
        detailed_bounds: true,
    };
    opts.check()?;
    Ok(opts)
}

/// A center given on the command line: a bundled name, or a file's path.
pub fn center_source(arg: &str) -> Result<CenterSource, CliError> {
    let looks_like_path = arg.ends_with(".toml") || arg.contains('/') || arg.contains('\\');
    if arg == "-" {
        return Err(CliError::usage(
            "invalid --center '-': a center is a bundled name or a file; standard input (-) is read by impacts accounting only",
        ));
    }
    if looks_like_path || Path::new(arg).is_file() {
        let text = std::fs::read_to_string(arg)
            .map_err(|e| CliError::usage(format!("cannot read center file '{arg}': {e}")))?;
        Ok(CenterSource::Text {
            label: arg.to_string(),
            text,
        })
    } else {
        Ok(CenterSource::Bundled(arg.to_string()))
    }
}

/// A size (`192GB`, `3.84TB`) in GB, for the input the library calls `field`.
pub fn size_gb(field: &str, value: &str) -> Result<f64, CliError> {
    Ok(parse_size_gb(value).map_err(|e| e.for_field(field))?)
}

/// An energy (`1000kWh`, `45MJ`) in kWh, for the input the library calls `field`.
pub fn energy_kwh(field: &str, value: &str) -> Result<f64, CliError> {
    Ok(parse_energy_kwh(value).map_err(|e| e.for_field(field))?)
}

/// A report in the asked format (its explanation with `explain`); in CSV, its warnings go to
/// standard error.
pub fn render_report(report: &Report, common: &Common, explain: bool) -> Result<String, CliError> {
    Ok(match (common.format, explain) {
        (Format::Json, _) => json(report)?,
        (Format::Table, false) => render::table(report),
        (Format::Table, true) => render::explanation_text(report),
        (Format::Csv, _) => {
            let mut err = std::io::stderr().lock();
            for w in &report.warnings {
                let _ = writeln!(err, "warning[{}]: {}", w.code, w.message);
            }
            let csv = if explain {
                render::explanation_csv(report)
            } else {
                render::csv(report)
            };
            csv.map_err(|e| CliError::cannot_write("CSV", e))?
        }
    })
}

/// Pretty JSON with a final newline.
pub fn json<T: serde::Serialize + ?Sized>(v: &T) -> Result<String, CliError> {
    let mut s = serde_json::to_string_pretty(v).map_err(|e| CliError::cannot_write("JSON", e))?;
    s.push('\n');
    Ok(s)
}

/// A carbon-intensity series file, read with the column asked (`--grid-column`).
pub fn read_series(path: &str, column: &str) -> Result<impacts::impacts_grid::Series, CliError> {
    use impacts::impacts_grid::{Column, Options, Series};
    let column = match column {
        "lifecycle" | "life-cycle" | "lca" => Column::LifeCycle,
        "direct" => Column::Direct,
        other => {
            return Err(CliError::usage(format!(
                "invalid --grid-column '{other}': expected lifecycle or direct"
            )))
        }
    };
    if path == "-" {
        return Err(CliError::usage(
            "invalid --grid-series '-': expected a file; standard input (-) is read by impacts accounting only",
        ));
    }
    Ok(Series::read(path, &Options { column })?)
}
