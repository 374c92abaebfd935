//! Impact criteria (indicators) and the constants of a method.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::quantity::Quantity;

/// One impact criterion (indicator).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Short key: `gwp`, `adpe`, `pe`, ...
    pub key: String,
    /// Full name.
    pub name: String,
    /// Unit of the results.
    pub unit: String,
    /// For an electricity factor given by a single source: the range around it, as ratios of the
    /// value (`[0.5, 2.0]`), where the method's choices make one value uncertain; None: fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub single_source_range: Option<[f64; 2]>,
    /// Why the data has no manufacturing factor of this criterion for any part, when it has none:
    /// one warning (`coverage.manufacturing-not-counted`) instead of one per part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturing_not_counted: Option<String>,
}

/// The criteria a model computes, in report order. Every formula loops over this set, so adding a
/// criterion (water, ADPf) means adding its factors to the data, not editing formulas.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Criteria(pub Vec<Criterion>);

impl Criteria {
    /// The three criteria of the method: climate change, mineral resources, primary energy.
    pub fn standard() -> Criteria {
        Criteria(vec![
            Criterion {
                single_source_range: None,
                manufacturing_not_counted: None,
                key: "gwp".into(),
                name: "Climate change (global warming potential, 100 years)".into(),
                unit: "gCO2eq".into(),
            },
            Criterion {
                single_source_range: None,
                manufacturing_not_counted: None,
                key: "adpe".into(),
                name: "Abiotic resource depletion, elements (minerals and metals)".into(),
                unit: "gSbeq".into(),
            },
            Criterion {
                single_source_range: None,
                manufacturing_not_counted: None,
                key: "pe".into(),
                name: "Primary energy".into(),
                unit: "MJ".into(),
            },
        ])
    }

    /// Number of criteria.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there is no criterion.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The criteria in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Criterion> {
        self.0.iter()
    }

    /// Each criterion's key and unit, in order (`("gwp", "gCO2eq")`, …).
    pub fn key_units(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .map(|c| (c.key.clone(), c.unit.clone()))
            .collect()
    }

    /// Position of a criterion by key.
    pub fn index(&self, key: &str) -> Option<usize> {
        self.0.iter().position(|c| c.key == key)
    }
}

/// The constants of a method, by key and, for impact factors, criterion.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Constants {
    entries: BTreeMap<String, Quantity>,
    /// The method's choice of model per part where several exist (`cpu`, `scope`, `memory`,
    /// `gpu`, `electricity`, `load`): absent means the current model ([`Constants::model`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    models: BTreeMap<String, String>,
}

impl Constants {
    /// An empty set.
    pub fn new() -> Constants {
        Constants::default()
    }

    fn slot(key: &str, criterion: Option<&str>) -> String {
        match criterion {
            Some(c) => format!("{key}:{c}"),
            None => key.to_string(),
        }
    }

    /// Sets a constant.
    pub fn insert(&mut self, key: &str, criterion: Option<&str>, q: Quantity) {
        self.entries.insert(Self::slot(key, criterion), q);
    }

    /// A constant, if defined.
    pub fn get(&self, key: &str, criterion: Option<&str>) -> Option<&Quantity> {
        self.entries.get(&Self::slot(key, criterion))
    }

    /// Chooses the model of a part (`memory = "reference"`).
    pub fn set_model(&mut self, part: &str, model: &str) {
        self.models.insert(part.to_string(), model.to_string());
    }

    /// The method's model of a part: `current` unless the method names another.
    pub fn model(&self, part: &str) -> &str {
        self.models.get(part).map_or("current", String::as_str)
    }

    /// True when the method keeps the reference's (MLCA / Impacts-HPC) model of a part.
    pub fn is_reference(&self, part: &str) -> bool {
        self.model(part) != "current"
    }

    /// All constants, by slot (`key` or `key:criterion`).
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Quantity)> {
        self.entries.iter()
    }
}
