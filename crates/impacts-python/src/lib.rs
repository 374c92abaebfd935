//! `impacts._impacts`: the extension module of the Python package (docs/python.md). The engine's
//! estimates are asked with keyword arguments, read by `impacts-api` as the service reads a JSON
//! body, and answered with a [`Report`] that keeps the library's report and converts on demand.

mod accounting;
mod convert;
mod io;
mod report;

use std::collections::HashSet;
use std::sync::Arc;

use impacts::CenterSource;
use impacts_api::{Estimate as Request, RequestError};
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::{Map, Value};

use report::{Estimate, Report, Warning};

pyo3::create_exception!(
    _impacts,
    ImpactsError,
    PyException,
    "A failure that is not the input's (the data bundle, an unexpected state)."
);

pyo3::create_exception!(
    _impacts,
    InputError,
    PyValueError,
    "An input that cannot be used as given: `field` names it (the library's name: `partition`, \
     `samples`, `workflow.stages.run.hours`), `value` is what was given, `expected` what was \
     expected, `kind` one of invalid, unknown, missing, malformed, unreadable; `file`, `line`, \
     `column` where it came from a file (else None)."
);

/// A library error as a Python exception: [`InputError`] with its attributes, or [`ImpactsError`].
pub(crate) fn py_err(py: Python<'_>, e: RequestError) -> PyErr {
    let RequestError::Input(i) = e else {
        return ImpactsError::new_err(e.to_string());
    };
    let err = InputError::new_err(i.to_string());
    let v = err.value(py);
    let kind = serde_json::to_value(i.kind)
        .ok()
        .and_then(|k| k.as_str().map(str::to_string));
    let location = i.location.as_deref();
    let set = || -> PyResult<()> {
        v.setattr("field", i.field.clone())?;
        v.setattr("value", i.value.clone())?;
        v.setattr("expected", i.expected.clone())?;
        v.setattr("kind", kind)?;
        v.setattr("file", location.map(|l| l.file.clone()))?;
        v.setattr("line", location.map(|l| l.line))?;
        v.setattr("column", location.and_then(|l| l.column))?;
        Ok(())
    };
    match set() {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// A center named by a path (`….toml`, or with a `/`), read; `None` for a bundled center's name.
pub(crate) fn center_file(name: &str) -> Result<Option<CenterSource>, RequestError> {
    if !(name.ends_with(".toml") || name.contains('/')) {
        return Ok(None);
    }
    let text = std::fs::read_to_string(name).map_err(|e| {
        RequestError::Input(
            impacts::InputError::unreadable(format!("cannot read '{name}': {e}"))
                .for_field("center"),
        )
    })?;
    Ok(Some(CenterSource::Text {
        label: name.to_string(),
        text,
    }))
}

/// The library's engine: the embedded data bundle, and center files by name.
#[pyclass(frozen, subclass, module = "impacts._impacts")]
struct Engine {
    engine: Arc<impacts::Engine>,
    /// Names of the center files given to the engine (the file's stem: `my-center` for
    /// my-center.toml), which the engine resolves before bundled centers.
    centers: HashSet<String>,
}

impl Engine {
    /// A center named in a request, as its source: a center file given to the engine (by its
    /// stem), a path (`….toml`, or with a `/`), else a bundled center.
    fn center_source(&self, py: Python<'_>, name: &str) -> PyResult<Option<CenterSource>> {
        if self.centers.contains(name) {
            // Given to the engine: resolved and compiled once, by name.
            return Ok(Some(CenterSource::Bundled(name.to_string())));
        }
        center_file(name).map_err(|e| py_err(py, e))
    }

    /// Runs an estimate of `kind` from a JSON body, without the GIL.
    fn run(&self, py: Python<'_>, kind: &str, mut body: Map<String, Value>) -> PyResult<Report> {
        let source = match body.get("center").and_then(Value::as_str) {
            Some(name) => self.center_source(py, name)?,
            None => None,
        };
        if source.is_some() {
            body.remove("center");
        }
        let mut request = Request::new(kind, body).map_err(|e| py_err(py, e))?;
        if let Some(s) = source {
            request = request.with_center(s).map_err(|e| py_err(py, e))?;
        }
        let engine = Arc::clone(&self.engine);
        let kept = request.clone();
        // With sampling, the call answers the criteria's totals with their bounds; the bounds
        // of phases and measures and the sensitivity ranking (rank correlations of every
        // input) cost more than that: they are made when first asked (Report::complete), by
        // the same request again — the same draws, so the same numbers.
        let opts = request.options_mut();
        let deferred = kind != "workflow" && opts.samples > 0;
        if deferred {
            opts.sensitivity = false;
            opts.detailed_bounds = false;
        }
        let output = py
            .detach(move || request.run(&engine))
            .map_err(|e| py_err(py, e))?;
        Ok(Report::new(
            output,
            kept,
            Arc::clone(&self.engine),
            deferred,
        ))
    }

    /// The keyword arguments of a call as a JSON body.
    fn body(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Map<String, Value>> {
        match kwargs {
            Some(k) => convert::dict_to_json(k, ""),
            None => Ok(Map::new()),
        }
    }
}

#[pymethods]
impl Engine {
    /// An engine over the embedded data bundle. `center_files`: paths of center files, then
    /// named by their stem (`center="my-center"` for `my-center.toml`).
    #[new]
    #[pyo3(signature = (center_files = None))]
    fn new(py: Python<'_>, center_files: Option<Vec<String>>) -> PyResult<Engine> {
        let mut engine = impacts::Engine::new().map_err(|e| py_err(py, e.into()))?;
        let mut centers = HashSet::new();
        let mut paths: std::collections::HashMap<String, String> = Default::default();
        for path in center_files.unwrap_or_default() {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                py_err(
                    py,
                    RequestError::Input(
                        impacts::InputError::unreadable(format!("cannot read '{path}': {e}"))
                            .for_field("center_files"),
                    ),
                )
            })?;
            let stem = std::path::Path::new(&path)
                .file_stem()
                .map_or_else(|| path.clone(), |s| s.to_string_lossy().into_owned());
            if let Some(other) = paths.get(&stem) {
                return Err(py_err(
                    py,
                    RequestError::Input(impacts::InputError::invalid(
                        "center_files",
                        path.clone(),
                        format!("center files of distinct names: {other} is also named {stem}"),
                    )),
                ));
            }
            paths.insert(stem.clone(), path.clone());
            engine = engine.with_center_file(&stem, &path, &text);
            centers.insert(stem);
        }
        Ok(Engine {
            engine: Arc::new(engine),
            centers,
        })
    }

    /// The footprint of a job: `center`, `partition`, `nodes` (or `cores`, `gpus`, `memory_gb`),
    /// `hours`, `load`… as `impacts job`; options `samples` (1000), `seed`, `method`,
    /// `percentiles`, `explain`.
    #[pyo3(signature = (**kwargs))]
    fn job(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Report> {
        self.run(py, "job", Engine::body(kwargs)?)
    }

    /// The footprint of a server (`cpus`, `gpus`, `ram`, `ssds`, …), as `impacts server`.
    #[pyo3(signature = (**kwargs))]
    fn server(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Report> {
        self.run(py, "server", Engine::body(kwargs)?)
    }

    /// The manufacturing footprint of a component: `component("cpu", "AMD EPYC 7543")`.
    #[pyo3(signature = (component, name = None, **kwargs))]
    fn component(
        &self,
        py: Python<'_>,
        component: &str,
        name: Option<&str>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Report> {
        let mut body = Engine::body(kwargs)?;
        body.insert("component".into(), Value::from(component));
        if let Some(n) = name {
            body.insert("name".into(), Value::from(n));
        }
        self.run(py, "component", body)
    }

    /// The footprint of electricity: `energy("1000kWh", zone="FR")` or `energy(1000, zone="FR")`
    /// (kWh).
    #[pyo3(signature = (energy, zone = None, **kwargs))]
    fn energy(
        &self,
        py: Python<'_>,
        energy: &Bound<'_, PyAny>,
        zone: Option<&str>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Report> {
        let mut body = Engine::body(kwargs)?;
        let kwh = match energy.extract::<String>() {
            Ok(text) => impacts::impacts_data::units::parse_energy_kwh(&text)
                .map_err(|e| py_err(py, RequestError::Input(e.or_field("energy"))))?,
            Err(_) => energy.extract::<f64>().map_err(|_| {
                InputError::new_err("energy: a number of kWh or a text such as 1000kWh")
            })?,
        };
        let kwh = serde_json::Number::from_f64(kwh)
            .ok_or_else(|| InputError::new_err("energy: a finite number of kWh"))?;
        body.insert("energy_kwh".into(), Value::Number(kwh));
        if let Some(z) = zone {
            body.insert("zone".into(), Value::from(z));
        }
        self.run(py, "energy", body)
    }

    /// The footprint of storing data (`volume`, `years`, `center`, `tier`…), as `impacts storage`.
    #[pyo3(signature = (**kwargs))]
    fn storage(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Report> {
        self.run(py, "storage", Engine::body(kwargs)?)
    }

    /// The footprint of moving data (`volume`, `from`, `to`…), as `impacts transfer`; `from` is
    /// a Python keyword: pass `**{"from": "FR"}` or `from_="FR"`.
    #[pyo3(signature = (**kwargs))]
    fn transfer(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Report> {
        let mut body = Engine::body(kwargs)?;
        if let Some(v) = body.remove("from_") {
            body.insert("from".into(), v);
        }
        self.run(py, "transfer", body)
    }

    /// The footprint of a workflow: the path of a workflow file (its relative paths from its
    /// folder), or the same as a dict; options as keyword arguments.
    #[pyo3(signature = (workflow, **kwargs))]
    fn workflow(
        &self,
        py: Python<'_>,
        workflow: &Bound<'_, PyAny>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Report> {
        let mut body = Engine::body(kwargs)?;
        let w = match workflow.extract::<String>() {
            Ok(path) => impacts_workflow::Workflow::read(&path),
            Err(_) => {
                let v = convert::to_json(workflow, "workflow")?;
                body.insert("workflow".into(), v);
                return self.run(py, "workflow", body);
            }
        }
        .map_err(|e| py_err(py, RequestError::Input(e)))?;
        let request = Request::new("workflow", body).map_err(|e| py_err(py, e))?;
        let opts = request.options().clone();
        let engine = Arc::clone(&self.engine);
        let report = py
            .detach(move || w.evaluate(&engine, &opts))
            .map_err(|e| match e {
                impacts_workflow::Error::File(i) => py_err(py, RequestError::Input(i)),
                impacts_workflow::Error::Stage { stage, source } => {
                    let e: RequestError = source.into();
                    match e {
                        RequestError::Input(i) => {
                            let field = match i.field.as_deref() {
                                Some(f) => format!("stages.{stage}.{f}"),
                                None => format!("stages.{stage}"),
                            };
                            py_err(py, RequestError::Input(i.for_field(field)))
                        }
                        e => py_err(py, e),
                    }
                }
            })?;
        Ok(Report::new(
            impacts_api::Output::Workflow(Box::new(report)),
            request,
            Arc::clone(&self.engine),
            false,
        ))
    }

    /// Scheduler records accounted as `impacts accounting` accounts them (`inputs`: paths):
    /// (the summary as `impacts accounting --format json` prints it, the per-job rows as an
    /// Arrow C stream capsule when `rows`, else None). `impacts.accounting` is the Python face.
    #[pyo3(signature = (inputs, rows = false, **kwargs))]
    fn accounting<'py>(
        &self,
        py: Python<'py>,
        inputs: Vec<String>,
        rows: bool,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, pyo3::types::PyTuple>> {
        accounting::run(
            py,
            &self.engine,
            accounting::Input::Files(inputs),
            rows,
            kwargs,
            accounting::Answer::Summary,
        )
    }

    /// A table of jobs (an Arrow C stream capsule: `Engine.jobs` makes it from a pyarrow Table
    /// or a pandas DataFrame) accounted as records; otherwise as [`Engine::accounting`]. With
    /// `partial`, the run's partial sums (bytes) instead of the summary.
    #[pyo3(signature = (stream, rows = false, partial = false, **kwargs))]
    fn _jobs_stream<'py>(
        &self,
        py: Python<'py>,
        stream: &Bound<'py, PyAny>,
        rows: bool,
        partial: bool,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, pyo3::types::PyTuple>> {
        let answer = if partial {
            accounting::Answer::Partial
        } else {
            accounting::Answer::Summary
        };
        accounting::run(
            py,
            &self.engine,
            accounting::Input::Table(accounting::take_stream(stream)?),
            rows,
            kwargs,
            answer,
        )
    }

    /// Partial sums (bytes of `_jobs_stream(..., partial=True)`) merged into one, in order.
    #[staticmethod]
    fn _merge_partials<'py>(
        py: Python<'py>,
        partials: Vec<Vec<u8>>,
    ) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        accounting::merge(py, partials)
    }

    /// The summary of partial sums merged, as `impacts accounting --format json` prints it; the
    /// options must be those of the runs that made them (samples, seed, percentiles and top
    /// are free).
    #[pyo3(signature = (partials, **kwargs))]
    fn _report_partials<'py>(
        &self,
        py: Python<'py>,
        partials: Vec<Vec<u8>>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        accounting::report(py, &self.engine, partials, kwargs)
    }

    /// The data bundle's hash and version.
    #[getter]
    fn data_bundle(&self) -> (String, String) {
        let b = self.engine.bundle();
        (b.hash.clone(), b.meta.version.clone())
    }

    fn __repr__(&self) -> String {
        let b = self.engine.bundle();
        format!(
            "Engine(data bundle {} {}, {} center file(s))",
            b.meta.version,
            &b.hash[..12.min(b.hash.len())],
            self.centers.len()
        )
    }
}

#[pymodule]
fn _impacts(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Engine>()?;
    m.add_function(pyo3::wrap_pyfunction!(io::io, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(io::io_summary, m)?)?;
    m.add_class::<Report>()?;
    m.add_class::<Estimate>()?;
    m.add_class::<Warning>()?;
    m.add("ImpactsError", py.get_type::<ImpactsError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
