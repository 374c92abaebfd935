//! `impacts grid fetch`: an intensity series from a grid service (`impacts_grid::http`), written
//! as the CSV `--grid-series` reads (docs/grid.md).

use impacts::impacts_grid::http::{self, FetchError, Source};

use crate::args::{GridCmd, GridFetchArgs, GridSource};
use crate::error::CliError;

/// Runs `impacts grid …`.
pub fn run(what: &GridCmd) -> Result<String, CliError> {
    match what {
        GridCmd::Fetch(a) => fetch(a),
    }
}

fn fetch(a: &GridFetchArgs) -> Result<String, CliError> {
    let (from, to) = (instant("--from", &a.from)?, instant("--to", &a.to)?);
    if to <= from {
        return Err(CliError::usage(format!(
            "invalid --to '{}': expected an instant after --from '{}'",
            a.to, a.from
        )));
    }
    let source = match a.source {
        GridSource::Electricitymaps => Source::ElectricityMaps,
        GridSource::Entsoe => Source::Entsoe,
        GridSource::Rte => Source::Rte,
    };
    let answer = http::fetch(source, &a.zone, from, to, &|v| std::env::var(v).ok()).map_err(
        |e| match e {
            FetchError::Request(m) => CliError::usage(m),
            FetchError::Service(m) => CliError::failure(m),
        },
    )?;
    if let Some(p) = &answer.partial {
        eprintln!("warning[grid.fetch-partial]: {p}");
    }
    let said = answer.describe();
    let csv = answer.series.to_csv();
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
