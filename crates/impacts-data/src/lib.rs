//! The data bundle of `impacts`.
//!
//! Every number the model uses comes from here: CPU and GPU specifications, memory densities,
//! electricity factors per zone, component constants, facility tables. The bundle is a set of
//! CSV and TOML files under `data/` (see `data/README.md`), embedded in the binary at build time
//! and identified by the SHA-256 of their contents, which every result records.
//!
//! The flow: [`Bundle::embedded`] parses the files; the `resolve_*` methods turn a description
//! (a model name, some specifications) into model inputs ([`impacts_model::hardware::CpuSpec`],
//! ...) with their provenance, looking names up exactly, then fuzzily ([`matching`]), then
//! estimating from similar models — and report every such step as a warning.
//!
//! ```
//! use impacts_data::Bundle;
//! use impacts_data::resolve::CpuQuery;
//!
//! let bundle = Bundle::embedded().unwrap();
//! let constants = bundle.constants("default").unwrap();
//! let cpu = bundle
//!     .resolve_cpu(&CpuQuery { name: Some("AMD EPYC 7543".into()), ..Default::default() }, &constants)
//!     .unwrap();
//! assert_eq!(cpu.spec.die_area_mm2.quantity.value, 1064.0);
//! assert!(cpu.warnings.is_empty());
//! ```

#![warn(missing_docs)]

pub mod bundle;
pub mod matching;
pub mod resolve;
pub mod units;

pub use bundle::Bundle;
pub use impacts_error::{InputError, Location};

/// Errors of the data layer.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DataError {
    /// An input of a request is wrong (a size without its unit, an unknown zone or method).
    #[error(transparent)]
    Input(#[from] InputError),
    /// The bundle itself is inconsistent (a bug of the bundle, found at load time).
    #[error("data bundle file {file}:{line}: {message}")]
    Bundle {
        /// File of the bundle.
        file: String,
        /// Line (0 when unknown).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

impl DataError {
    /// The input error, when an input is at fault (not the bundle).
    pub fn input(&self) -> Option<&InputError> {
        match self {
            DataError::Input(e) => Some(e),
            DataError::Bundle { .. } => None,
        }
    }
}

/// `; closest: A, B` after a list of what was expected, or nothing.
fn suggestion_text(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; closest: {}", s.join(", "))
    }
}
