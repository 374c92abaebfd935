//! `impacts.accounting`: scheduler records accounted as `impacts accounting` accounts them. The
//! Python side (`python/impacts/__init__.py`) turns texts into files and reads the per-job rows,
//! written here as an Arrow IPC stream, with pyarrow.

use arrow_array::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};
use arrow_array::RecordBatchIterator;
use impacts::impacts_model::eval::Percentiles;
use impacts::{CenterSource, InputError};
use impacts_accounting::accountant::{
    Accountant, AccountingError, AccountingReport, LoadPolicy, Options, Partial, PartialError,
};
use impacts_accounting::input::InputFormat;
use impacts_accounting::sacct_text::TextOptions;
use impacts_accounting::sink::{memory_sink, JobSink, NoSink};
use impacts_accounting::summary::GroupBy;
use impacts_api::RequestError;
use std::sync::Arc;

use impacts_table::TableError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyCapsule, PyDict, PyTuple};
use serde_json::{Map, Value};

use crate::{convert, py_err, ImpactsError};

/// An input error of an option.
fn invalid(field: &str, value: &Value, expected: &str) -> RequestError {
    RequestError::Input(InputError::invalid(field, value.to_string(), expected))
}

/// A list given as a list of strings or as one comma-separated string.
fn list(field: &str, v: &Value) -> Result<Vec<String>, RequestError> {
    let items: Vec<String> = match v {
        Value::String(s) => s.split(',').map(|x| x.trim().to_string()).collect(),
        Value::Array(a) => a
            .iter()
            .map(|x| x.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| invalid(field, v, "a list of names"))?,
        _ => {
            return Err(invalid(
                field,
                v,
                "a list of names or a comma-separated text",
            ))
        }
    };
    if items.iter().any(String::is_empty) {
        return Err(invalid(field, v, "names, none empty"));
    }
    Ok(items)
}

fn text(field: &str, v: &Value) -> Result<String, RequestError> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| invalid(field, v, "a text"))
}

fn whole(field: &str, v: &Value) -> Result<u64, RequestError> {
    v.as_u64()
        .ok_or_else(|| invalid(field, v, "a whole number ≥ 0"))
}

/// The center of a run: a bundled name or a center file's path.
fn center(v: &Value) -> Result<CenterSource, RequestError> {
    let name = text("center", v)?;
    Ok(crate::center_file(&name)?.unwrap_or(CenterSource::Bundled(name)))
}

/// The load of every job: a percentage, `from-cputime`, or None (the default: from the CPU time
/// where recorded, else 100 % with a warning).
fn load(v: &Value) -> Result<LoadPolicy, RequestError> {
    match v {
        Value::Null => Ok(LoadPolicy::Default),
        Value::String(s) if s == "from-cputime" => Ok(LoadPolicy::FromCpuTime),
        _ => v
            .as_f64()
            .map(LoadPolicy::Fixed)
            .ok_or_else(|| invalid("load", v, "a percentage between 0 and 100, or from-cputime")),
    }
}

/// The options of a run from keyword arguments, with the command line's defaults.
fn options(args: Map<String, Value>) -> Result<Options, RequestError> {
    let mut o = Options {
        group_by: [GroupBy::User, GroupBy::Account, GroupBy::Partition]
            .into_iter()
            .chain([GroupBy::State, GroupBy::Month])
            .collect(),
        ..Options::default()
    };
    let mut text_options = TextOptions::default();
    for (key, v) in &args {
        if v.is_null() && key != "load" {
            continue;
        }
        match key.as_str() {
            "center" => o.center = center(v)?,
            "zone" => o.zone = Some(text(key, v)?),
            "method" => o.method = text(key, v)?,
            "default_partition" => o.default_partition = Some(text(key, v)?),
            "load" => o.load = load(v)?,
            "group_by" => {
                o.group_by = Vec::new();
                for g in list(key, v)? {
                    let g = GroupBy::parse(&g).ok_or_else(|| {
                        invalid(key, v, "user, account, partition, state, day or month")
                    })?;
                    if !o.group_by.contains(&g) {
                        o.group_by.push(g);
                    }
                }
            }
            "top" => o.top = whole(key, v)? as usize,
            "samples" => o.samples = whole(key, v)? as usize,
            "seed" => o.seed = whole(key, v)?,
            "job_samples" => o.job_samples = whole(key, v)? as usize,
            "dedup_window" => o.dedup_window = whole(key, v)? as usize,
            "skip_bad_lines" => {
                o.skip_bad_lines = v
                    .as_bool()
                    .ok_or_else(|| invalid(key, v, "True or False"))?
            }
            "input_format" => {
                o.input_format =
                    Some(InputFormat::parse(&text(key, v)?).ok_or_else(|| {
                        invalid(key, v, "sacct, sacct-json, swf, parquet or arrow")
                    })?)
            }
            "fields" => text_options.fields = Some(list(key, v)?),
            "delimiter" => text_options.delimiter = Some(text(key, v)?),
            "time_zone" => o.time_zone = Some(text(key, v)?),
            "percentiles" => {
                let pair = v
                    .as_array()
                    .filter(|a| a.len() == 2)
                    .and_then(|a| Some((a[0].as_f64()?, a[1].as_f64()?)))
                    .ok_or_else(|| invalid(key, v, "[LOW, HIGH], e.g. [2.5, 97.5]"))?;
                o.percentiles = Percentiles {
                    low: pair.0,
                    high: pair.1,
                };
            }
            other => {
                return Err(RequestError::Input(
                    InputError::malformed(
                        "unknown option of accounting; see help(impacts.accounting)",
                    )
                    .for_field(other),
                ))
            }
        }
    }
    o.text = text_options;
    Ok(o)
}

/// An accounting run's error as the request's.
fn run_error(e: AccountingError) -> RequestError {
    match e {
        AccountingError::Read(r) => RequestError::Input(r.error),
        AccountingError::Engine(e) => e.into(),
        AccountingError::Write(TableError::Input(i)) => RequestError::Input(i),
        AccountingError::Write(other) => RequestError::Other(other.to_string()),
        AccountingError::Partial(e) => RequestError::Input(e.into()),
    }
}

/// What a run accounts: files, or records given in memory (a table's rows).
pub enum Input {
    /// Paths of accounting files.
    Files(Vec<String>),
    /// A table of jobs (impacts_accounting::table) taken over from pyarrow through the Arrow C
    /// stream interface.
    Table(ArrowArrayStreamReader),
}

/// Takes over the Arrow C stream in a capsule named `arrow_array_stream` (what pyarrow's
/// `__arrow_c_stream__` returns): the batches stay where pyarrow made them.
pub fn take_stream(capsule: &Bound<'_, PyAny>) -> PyResult<ArrowArrayStreamReader> {
    let capsule = capsule.cast::<PyCapsule>().map_err(|_| {
        crate::InputError::new_err("a table: an Arrow C stream capsule (__arrow_c_stream__)")
    })?;
    let ptr = capsule
        .pointer_checked(Some(c"arrow_array_stream"))
        .map_err(|_| crate::InputError::new_err("not an Arrow C stream capsule"))?;
    // SAFETY: a capsule named arrow_array_stream holds an ArrowArrayStream (the Arrow PyCapsule
    // interface); from_raw moves it out and marks the capsule's released, as the interface asks
    // of a consumer, so the capsule's destructor does not release it again.
    unsafe { ArrowArrayStreamReader::from_raw(ptr.as_ptr().cast::<FFI_ArrowArrayStream>()) }
        .map_err(|e| crate::InputError::new_err(format!("not a readable Arrow stream: {e}")))
}

/// What a run returns.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The summary, as `impacts accounting --format json` prints it (a dict).
    Summary,
    /// The run's partial sums, serialized (bytes), to merge with other runs'.
    Partial,
}

/// Accounts `input`, keeping the per-job rows in memory when `rows`; returns the summary or
/// the partial sums, and the rows as an Arrow C stream capsule (what
/// `pyarrow.RecordBatchReader._import_from_c_capsule` takes) or None.
pub fn run<'py>(
    py: Python<'py>,
    engine: &Arc<impacts::Engine>,
    input: Input,
    rows: bool,
    kwargs: Option<&Bound<'py, PyDict>>,
    answer: Answer,
) -> PyResult<Bound<'py, PyTuple>> {
    let opts = options(kwargs_json(kwargs)?).map_err(|e| py_err(py, e))?;
    let engine = Arc::clone(engine);
    type Ran = (Result<Value, Vec<u8>>, Option<impacts_table::Batches>);
    let (out, batches) = py
        .detach(move || -> Result<Ran, RequestError> {
            let mut acc = Accountant::new(&engine, opts).map_err(run_error)?;
            let (mut sink, batches): (Box<dyn JobSink>, _) = if rows {
                let (sink, batches) = memory_sink(acc.columns(), &acc.metadata());
                (sink, Some(batches))
            } else {
                (Box::new(NoSink), None)
            };
            let label = impacts_accounting::table::LABEL;
            let partial = match (input, answer) {
                (Input::Files(paths), Answer::Summary) => {
                    let r = acc.run(&paths, sink.as_mut(), &mut |_| {});
                    return Ok((json(r)?, batches));
                }
                (Input::Table(stream), Answer::Summary) => {
                    let batches_in = impacts_accounting::table::batch_list_records(stream);
                    let r = acc.run_records(label, batches_in, sink.as_mut());
                    return Ok((json(r)?, batches));
                }
                (Input::Files(paths), Answer::Partial) => {
                    acc.run_partial(&paths, sink.as_mut(), &mut |_| {})
                }
                (Input::Table(stream), Answer::Partial) => {
                    let batches_in = impacts_accounting::table::batch_list_records(stream);
                    acc.run_records_partial(label, batches_in, sink.as_mut())
                }
            };
            Ok((Err(partial.map_err(run_error)?.to_bytes()), batches))
        })
        .map_err(|e| py_err(py, e))?;
    let first = match out {
        Ok(summary) => {
            convert::to_py(py, &summary).map_err(|e| ImpactsError::new_err(e.to_string()))?
        }
        Err(bytes) => PyBytes::new(py, &bytes).into_any(),
    };
    let second = match batches {
        Some(b) => rows_capsule(py, &b)?.into_any(),
        None => py.None().into_bound(py),
    };
    PyTuple::new(py, [first, second])
}

/// Finished rows as an Arrow C stream in a capsule named `arrow_array_stream` (the Arrow
/// PyCapsule interface): pyarrow takes the stream over without copying the batches.
fn rows_capsule<'py>(
    py: Python<'py>,
    batches: &impacts_table::Batches,
) -> PyResult<Bound<'py, PyCapsule>> {
    let (schema, list) = batches
        .take()
        .ok_or_else(|| ImpactsError::new_err("the per-job rows were not completed"))?;
    let reader = RecordBatchIterator::new(list.into_iter().map(Ok), schema);
    let stream = FFI_ArrowArrayStream::new(Box::new(reader));
    // A stream pyarrow took over is marked released: dropping it then does nothing.
    PyCapsule::new_with_value_and_destructor(py, stream, c"arrow_array_stream", |stream, _| {
        drop(stream)
    })
}

/// A report as the summary's JSON value.
fn json(
    report: Result<AccountingReport, AccountingError>,
) -> Result<Result<Value, Vec<u8>>, RequestError> {
    let report = report.map_err(run_error)?;
    serde_json::to_value(&report)
        .map(Ok)
        .map_err(|e| RequestError::Other(e.to_string()))
}

fn kwargs_json(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Map<String, Value>> {
    match kwargs {
        Some(k) => convert::dict_to_json(k, ""),
        None => Ok(Map::new()),
    }
}

/// Partial sums read back and merged in order.
fn merged(partials: &[Vec<u8>]) -> Result<Partial, RequestError> {
    let mut out: Option<Partial> = None;
    // Which summary of many (a Spark job's hundreds of partitions) is at fault.
    let at = |i: usize, e: PartialError| {
        let e: InputError = e.into();
        let field = format!(
            "summaries[{i}]{}",
            e.field
                .as_deref()
                .map_or(String::new(), |f| format!(".{f}"))
        );
        RequestError::Input(e.for_field(field))
    };
    for (i, bytes) in partials.iter().enumerate() {
        let p = Partial::from_bytes(bytes).map_err(|e| at(i, e))?;
        match &mut out {
            None => out = Some(p),
            Some(m) => m.merge(p).map_err(|e| at(i, e))?,
        }
    }
    out.ok_or_else(|| {
        RequestError::Input(InputError::missing(
            "summaries",
            "at least one summary to merge",
        ))
    })
}

/// Partial sums merged into one (bytes).
pub fn merge<'py>(py: Python<'py>, partials: Vec<Vec<u8>>) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py
        .detach(move || merged(&partials).map(|p| p.to_bytes()))
        .map_err(|e| py_err(py, e))?;
    Ok(PyBytes::new(py, &bytes))
}

/// The summary of partial sums merged, with the options of the runs that made them (and the
/// samples, seed, percentiles and top groups asked now).
pub fn report<'py>(
    py: Python<'py>,
    engine: &Arc<impacts::Engine>,
    partials: Vec<Vec<u8>>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let opts = options(kwargs_json(kwargs)?).map_err(|e| py_err(py, e))?;
    let engine = Arc::clone(engine);
    let summary = py
        .detach(move || -> Result<Value, RequestError> {
            let partial = merged(&partials)?;
            let mut acc = Accountant::new(&engine, opts).map_err(run_error)?;
            let report = acc.report_of(partial).map_err(run_error)?;
            serde_json::to_value(&report).map_err(|e| RequestError::Other(e.to_string()))
        })
        .map_err(|e| py_err(py, e))?;
    convert::to_py(py, &summary).map_err(|e| ImpactsError::new_err(e.to_string()))
}
