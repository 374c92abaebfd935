//! Plain result types shared by every way of running the model.

use serde::{Deserialize, Serialize};

/// A warning with a stable code: defaults, fuzzy matches, averages, fallbacks and gaps of the
/// model are never silent.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Warning {
    /// Stable code (`match.fuzzy`, `default.load`, ...), listed in docs/warnings.md.
    pub code: String,
    /// Human explanation.
    pub message: String,
}

impl Warning {
    /// A warning.
    pub fn new(code: &str, message: impl Into<String>) -> Warning {
        Warning {
            code: code.to_string(),
            message: message.into(),
        }
    }
}

/// Drops the warnings already given (same code and message), keeping the first of each in order.
pub fn dedup_warnings(warnings: &mut Vec<Warning>) {
    let mut seen = std::collections::BTreeSet::new();
    warnings.retain(|w| seen.insert((w.code.clone(), w.message.clone())));
}

/// One result: central value and bounds, in base units.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Central value: the model evaluated with every input at its central value.
    pub value: f64,
    /// Lower bound (see the report's uncertainty section for the percentile).
    pub low: f64,
    /// Upper bound.
    pub high: f64,
    /// Unit.
    pub unit: String,
}

/// The life-cycle phases of a job's footprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Manufacturing of the nodes, allocated to the job.
    Manufacturing,
    /// Electricity of the job, facility overhead (PUE) included.
    Use,
    /// The job's share of the electricity the nodes draw while idle.
    Idle,
    /// Manufacturing of the facility (UPS batteries, cooling), allocated to the job.
    Facility,
}

impl Phase {
    /// All phases, in report order.
    pub const ALL: [Phase; 4] = [
        Phase::Manufacturing,
        Phase::Use,
        Phase::Idle,
        Phase::Facility,
    ];

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Manufacturing => "manufacturing",
            Phase::Use => "use",
            Phase::Idle => "idle",
            Phase::Facility => "facility",
        }
    }
}
