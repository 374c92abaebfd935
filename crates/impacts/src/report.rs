//! The report of an estimate: the JSON shape other tools read.

use impacts_data::resolve::NameMatch;
use impacts_model::eval::{Contribution, Percentiles};
use impacts_model::explain::Explanation;
use impacts_model::report::{Estimate, Warning};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// A map that keeps its insertion order when serialized (criteria in report order, phases in
/// life-cycle order).
#[derive(Clone, Debug, PartialEq)]
pub struct OrderedMap<T>(pub Vec<(String, T)>);

impl<T> Default for OrderedMap<T> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<T> OrderedMap<T> {
    /// An empty map.
    pub fn new() -> Self {
        OrderedMap(Vec::new())
    }

    /// Appends an entry.
    pub fn push(&mut self, key: impl Into<String>, value: T) {
        self.0.push((key.into(), value));
    }

    /// The value of a key.
    pub fn get(&self, key: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &T)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<T: Serialize> Serialize for OrderedMap<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// How the bounds were obtained.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Uncertainty {
    /// `monte-carlo`, or `none` when no samples were drawn (bounds equal the value).
    pub method: String,
    /// Number of samples.
    pub samples: usize,
    /// Seed of the generator.
    pub seed: u64,
    /// Percentiles of the bounds.
    pub percentiles: [f64; 2],
    /// Results whose percentile interval did not contain the central value and was widened to
    /// include it (the central value lies in a tail of the distribution).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub widened: Vec<String>,
    /// What the bounds cover.
    pub note: String,
}

impl Uncertainty {
    /// The description for a run.
    pub fn new(samples: usize, seed: u64, pct: Percentiles) -> Uncertainty {
        Uncertainty {
            method: if samples > 0 { "monte-carlo" } else { "none" }.into(),
            samples,
            seed,
            percentiles: [pct.low, pct.high],
            widened: vec![],
            note: if samples > 0 {
                format!(
                    "low and high are the {} and {} percentiles of {samples} Monte Carlo samples in which every input is drawn from its distribution, once per sample however many places use it; value is the model evaluated at the inputs' central values",
                    pct.low, pct.high
                )
            } else {
                "no sampling requested: low and high equal the central value".into()
            },
        }
    }
}

/// The result of an estimate.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// `job`, `server`, `component` or `energy`.
    pub kind: String,
    /// What was estimated, in words.
    pub subject: String,
    /// Total per criterion.
    pub impacts: OrderedMap<Estimate>,
    /// Per life-cycle phase, per criterion.
    pub phases: OrderedMap<OrderedMap<Estimate>>,
    /// Per component group (servers), per criterion.
    #[serde(skip_serializing_if = "OrderedMap::is_empty")]
    pub components: OrderedMap<OrderedMap<Estimate>>,
    /// Other quantities: energy (kWh), power (W), allocation shares.
    #[serde(skip_serializing_if = "OrderedMap::is_empty")]
    pub quantities: OrderedMap<Estimate>,
    /// Defaults, matches, estimations, gaps: never silent.
    pub warnings: Vec<Warning>,
    /// SHA-256 of the data bundle used.
    pub data_bundle: String,
    /// Version of the data bundle.
    pub data_bundle_version: String,
    /// Name of the method (set of assumptions).
    pub method: String,
    /// How the bounds were obtained.
    pub uncertainty: Uncertainty,
    /// Inputs ranked by their contribution to the spread of each criterion.
    #[serde(skip_serializing_if = "OrderedMap::is_empty")]
    pub sensitivity: OrderedMap<Vec<Contribution>>,
    /// The request, as understood.
    pub inputs: OrderedMap<serde_json::Value>,
    /// How model names were matched.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<NameMatch>,
    /// Derivation tree of each criterion's total (`impacts explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<OrderedMap<Explanation>>,
    /// Version of impacts that produced the report.
    pub impacts_version: String,
    /// The Monte Carlo samples of the totals, per criterion (not serialized): summed sample by
    /// sample, reports of different requests keep the correlation of the inputs they share
    /// (the generator draws the same values for the same input).
    #[serde(skip)]
    pub samples: Option<Vec<Vec<f64>>>,
}
