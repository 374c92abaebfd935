//! `impacts.io` and `impacts.io_summary`: Darshan logs characterized as `impacts io` does.

use impacts_api::RequestError;
use pyo3::prelude::*;
use serde_json::Value;

use crate::{convert, py_err};

/// A value of the library as Python objects.
fn to_py<'py, T: serde::Serialize>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    let v: Value =
        serde_json::to_value(v).map_err(|e| py_err(py, RequestError::Other(e.to_string())))?;
    convert::to_py(py, &v)
}

/// A Darshan log's characterization: what `impacts io LOG --format json` prints (without a
/// center).
#[pyfunction]
pub fn io<'py>(py: Python<'py>, path: String) -> PyResult<Bound<'py, PyAny>> {
    let report = py
        .detach(move || impacts_darshan::Log::read(&path).map(|log| impacts_io::characterize(&log)))
        .map_err(|e| py_err(py, RequestError::Input(e)))?;
    to_py(py, &report)
}

/// Every Darshan log under a folder, characterized and summarized on `threads` threads (all
/// cores by default): what `impacts io --summary DIR --format json` prints (without a center).
/// Logs that cannot be read are counted in the summary, not raised.
#[pyfunction]
#[pyo3(signature = (folder, threads = None))]
pub fn io_summary<'py>(
    py: Python<'py>,
    folder: String,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let dir = folder.clone();
    let summary = py
        .detach(move || {
            let mut acc = impacts_io::summary::Accumulator::new(&dir);
            let found = impacts_io::summary::for_each_log(
                std::path::Path::new(&dir),
                threads,
                |r| match r {
                    Ok(r) => acc.add(&r),
                    Err(e) => acc.fail(e),
                },
            );
            match found {
                Ok(0) => Err(impacts::InputError::invalid(
                    "folder",
                    dir.clone(),
                    "a folder with *.darshan files in it or below it",
                )),
                Ok(_) => Ok(acc.finish()),
                Err(e) => Err(impacts::InputError::unreadable(format!(
                    "cannot read the folder '{dir}': {e}"
                ))
                .for_field("folder")),
            }
        })
        .map_err(|e| py_err(py, RequestError::Input(e)))?;
    to_py(py, &summary)
}
