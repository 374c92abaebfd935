//! A report in Python: the library's report kept whole, its parts converted when asked.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use impacts::impacts_model::explain::to_text;
use impacts::impacts_model::quantity::fmt_num;
use impacts::OrderedMap;
use impacts_api::{Estimate as Request, Output};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::{convert, py_err, ImpactsError};

/// One criterion's estimate: the central value, the bounds (the percentiles of the Monte Carlo
/// samples; equal to the value without samples) and the unit.
#[pyclass(frozen, module = "impacts._impacts")]
pub struct Estimate {
    /// The central value.
    #[pyo3(get)]
    value: f64,
    /// The low bound.
    #[pyo3(get)]
    low: f64,
    /// The high bound.
    #[pyo3(get)]
    high: f64,
    /// The unit (`gCO2eq`, `gSbeq`, `MJ`).
    #[pyo3(get)]
    unit: String,
}

#[pymethods]
impl Estimate {
    fn __repr__(&self) -> String {
        format!(
            "Estimate(value={}, low={}, high={}, unit='{}')",
            fmt_num(self.value),
            fmt_num(self.low),
            fmt_num(self.high),
            self.unit
        )
    }
}

impl From<&impacts::impacts_model::report::Estimate> for Estimate {
    fn from(e: &impacts::impacts_model::report::Estimate) -> Estimate {
        Estimate {
            value: e.value,
            low: e.low,
            high: e.high,
            unit: e.unit.clone(),
        }
    }
}

/// A warning: a stable code (docs/warnings.md) and its message.
#[pyclass(frozen, module = "impacts._impacts")]
pub struct Warning {
    /// The stable code (`default.load`, `match.fuzzy`…).
    #[pyo3(get)]
    code: String,
    /// What it means for this estimate.
    #[pyo3(get)]
    message: String,
}

#[pymethods]
impl Warning {
    fn __repr__(&self) -> String {
        format!("Warning({}: {})", self.code, self.message)
    }
}

/// The answer of an estimate.
#[pyclass(frozen, module = "impacts._impacts")]
pub struct Report {
    output: Output,
    /// The request, to ask its derivation after the fact.
    request: Request,
    engine: Arc<impacts::Engine>,
    /// The output was made without its sensitivity ranking, made when first needed.
    deferred: bool,
    /// The output with its sensitivity ranking, once made.
    complete: OnceLock<Output>,
}

impl Report {
    pub(crate) fn new(
        output: Output,
        request: Request,
        engine: Arc<impacts::Engine>,
        deferred: bool,
    ) -> Report {
        Report {
            output,
            request,
            engine,
            deferred,
            complete: OnceLock::new(),
        }
    }

    /// The output with everything the command prints (the bounds of phases and measures and
    /// the sensitivity ranking made now if they were deferred: the same request again, the same
    /// draws, so the same numbers). `output` serves what it holds exactly: the criteria's
    /// totals with their bounds, the warnings, the subject, the phases' central values.
    fn complete(&self, py: Python<'_>) -> PyResult<&Output> {
        if !self.deferred {
            return Ok(&self.output);
        }
        if let Some(o) = self.complete.get() {
            return Ok(o);
        }
        let request = self.request.clone();
        let engine = Arc::clone(&self.engine);
        let output = py
            .detach(move || request.run(&engine))
            .map_err(|e| py_err(py, e))?;
        Ok(self.complete.get_or_init(|| output))
    }

    fn totals(&self) -> &OrderedMap<impacts::impacts_model::report::Estimate> {
        match &self.output {
            Output::Report(r) => &r.impacts,
            Output::Workflow(w) => &w.impacts,
        }
    }

    fn warning_list(&self) -> &[impacts::impacts_model::report::Warning] {
        match &self.output {
            Output::Report(r) => &r.warnings,
            Output::Workflow(w) => &w.warnings,
        }
    }

    /// The report of the same request with its derivation.
    fn explained(&self, py: Python<'_>) -> PyResult<Arc<impacts::Report>> {
        if let Output::Report(r) = &self.output {
            if r.explanation.is_some() {
                return Ok(Arc::new(impacts::Report::clone(r)));
            }
        } else {
            return Err(ImpactsError::new_err(
                "a workflow has no single derivation: explain a stage's report (engine.job(...)…)",
            ));
        }
        let mut request = self.request.clone();
        request.options_mut().explain = true;
        let engine = Arc::clone(&self.engine);
        match py.detach(move || request.run(&engine)) {
            Ok(Output::Report(r)) => Ok(Arc::new(*r)),
            Ok(Output::Workflow(_)) => Err(ImpactsError::new_err("no derivation for a workflow")),
            Err(e) => Err(py_err(py, e)),
        }
    }
}

#[pymethods]
impl Report {
    /// What was estimated: `job`, `server`, `component`, `energy`, `storage`, `transfer`,
    /// `workflow`.
    #[getter]
    fn kind(&self) -> String {
        match &self.output {
            Output::Report(r) => r.kind.clone(),
            Output::Workflow(w) => w.kind.clone(),
        }
    }

    /// The subject in words (a workflow: its name).
    #[getter]
    fn subject(&self) -> String {
        match &self.output {
            Output::Report(r) => r.subject.clone(),
            Output::Workflow(w) => w.name.clone(),
        }
    }

    /// The totals by criterion: `report.impacts["gwp"].value`.
    #[getter]
    fn impacts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, e) in self.totals().iter() {
            d.set_item(k, Estimate::from(e))?;
        }
        Ok(d)
    }

    /// By phase (manufacturing, use…), then by criterion; a workflow's phases are central values.
    #[getter]
    fn phases<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        match self.complete(py)? {
            Output::Report(r) => {
                for (phase, crits) in r.phases.iter() {
                    let inner = PyDict::new(py);
                    for (k, e) in crits.iter() {
                        inner.set_item(k, Estimate::from(e))?;
                    }
                    d.set_item(phase, inner)?;
                }
            }
            Output::Workflow(w) => {
                for (phase, crits) in w.phases.iter() {
                    let inner = PyDict::new(py);
                    for (k, v) in crits.iter() {
                        inner.set_item(k, *v)?;
                    }
                    d.set_item(phase, inner)?;
                }
            }
        }
        Ok(d)
    }

    /// The warnings: defaults taken, names matched loosely, inputs outside the data.
    #[getter]
    fn warnings(&self) -> Vec<Warning> {
        self.warning_list()
            .iter()
            .map(|w| Warning {
                code: w.code.clone(),
                message: w.message.clone(),
            })
            .collect()
    }

    /// The report as a dict: what `impacts … --format json` prints for the same request.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = self
            .complete(py)?
            .to_value()
            .map_err(|e| ImpactsError::new_err(e.to_string()))?;
        convert::to_py(py, &v)
    }

    /// The report as JSON text, byte for byte `impacts … --format json`.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        self.complete(py)?
            .to_json()
            .map_err(|e| ImpactsError::new_err(e.to_string()))
    }

    /// The derivation of each criterion's total: a tree of every input, factor and operation,
    /// each leaf with its source. `format="text"` (a tree drawn in text) or `"dict"`.
    #[pyo3(signature = (format = "text"))]
    fn explain<'py>(&self, py: Python<'py>, format: &str) -> PyResult<Bound<'py, PyAny>> {
        let r = self.explained(py)?;
        let Some(ex) = &r.explanation else {
            return Err(ImpactsError::new_err("the engine gave no derivation"));
        };
        match format {
            "dict" => {
                let v =
                    serde_json::to_value(ex).map_err(|e| ImpactsError::new_err(e.to_string()))?;
                convert::to_py(py, &v)
            }
            "text" => {
                let mut out = format!("{}\n", r.subject);
                let fmt = |v: f64, u: &str| format!("{} {u}", fmt_num(v));
                for (crit, tree) in ex.iter() {
                    let _ = write!(out, "\n── {crit} ──\n{}", to_text(tree, &fmt));
                }
                Ok(pyo3::types::PyString::new(py, &out).into_any())
            }
            other => Err(crate::InputError::new_err(format!(
                "invalid format '{other}': expected text or dict"
            ))),
        }
    }

    fn __repr__(&self) -> String {
        let totals: Vec<String> = self
            .totals()
            .iter()
            .map(|(k, e)| format!("{k}={} {}", fmt_num(e.value), e.unit))
            .collect();
        format!(
            "Report({}: {}; {}; {} warning(s))",
            self.kind(),
            self.subject(),
            totals.join(", "),
            self.warning_list().len()
        )
    }

    /// A table of the totals and phases, and the warnings, for Jupyter.
    fn _repr_html_(&self) -> String {
        let mut h = format!("<p><b>{}</b></p>", escape(&self.subject()));
        h.push_str("<table><thead><tr><th></th>");
        let crits: Vec<(&String, &impacts::impacts_model::report::Estimate)> =
            self.totals().iter().collect();
        for (k, e) in &crits {
            let _ = write!(h, "<th>{} ({})</th>", escape(k), escape(&e.unit));
        }
        h.push_str("</tr></thead><tbody><tr><th>total</th>");
        for (_, e) in &crits {
            let _ = write!(
                h,
                "<td>{} <small>[{} – {}]</small></td>",
                fmt_num(e.value),
                fmt_num(e.low),
                fmt_num(e.high)
            );
        }
        h.push_str("</tr>");
        if let Output::Report(r) = &self.output {
            for (phase, by) in r.phases.iter() {
                let _ = write!(h, "<tr><th>{}</th>", escape(phase));
                for (k, _) in &crits {
                    let cell = by.get(k).map_or(String::new(), |e| fmt_num(e.value));
                    let _ = write!(h, "<td>{cell}</td>");
                }
                h.push_str("</tr>");
            }
        }
        h.push_str("</tbody></table>");
        let warnings = self.warning_list();
        if !warnings.is_empty() {
            h.push_str("<details><summary>Warnings</summary><ul>");
            for w in warnings {
                let _ = write!(
                    h,
                    "<li><code>{}</code> {}</li>",
                    escape(&w.code),
                    escape(&w.message)
                );
            }
            h.push_str("</ul></details>");
        }
        h
    }
}

/// Text for HTML.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
