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

/// Errors of the data layer.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DataError {
    /// A value written by the user cannot be read.
    #[error("invalid value '{input}': expected {expected}")]
    BadInput {
        /// What was written.
        input: String,
        /// What is expected.
        expected: String,
    },
    /// An electricity zone that the bundle does not have.
    #[error("unknown electricity zone '{query}': expected an ISO 3166 alpha-2 or alpha-3 code (FR, FRA), a country name, Europe or World{}", suggestion_text(.suggestions))]
    UnknownZone {
        /// What was written.
        query: String,
        /// The closest zones.
        suggestions: Vec<String>,
    },
    /// A method that the bundle does not define.
    #[error("unknown method '{0}': expected one of {1}")]
    UnknownMethod(String, String),
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

fn suggestion_text(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; closest: {}", s.join(", "))
    }
}
