//! Impact criteria (indicators) and the constants of a method.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::quantity::Quantity;

/// One impact criterion (indicator).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// Short key: `gwp`, `adpe`, `pe`, ...
    pub key: String,
    /// Full name.
    pub name: String,
    /// Unit of the results.
    pub unit: String,
}

/// The criteria a model computes, in report order. Every formula loops over this set, so adding a
/// criterion (water, ADPf) means adding its factors to the data, not editing formulas.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criteria(pub Vec<Criterion>);

impl Criteria {
    /// The three criteria of the method: climate change, mineral resources, primary energy.
    pub fn standard() -> Criteria {
        Criteria(vec![
            Criterion {
                key: "gwp".into(),
                name: "Climate change (global warming potential, 100 years)".into(),
                unit: "gCO2eq".into(),
            },
            Criterion {
                key: "adpe".into(),
                name: "Abiotic resource depletion, elements (minerals and metals)".into(),
                unit: "gSbeq".into(),
            },
            Criterion {
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

    /// All constants, by slot (`key` or `key:criterion`).
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Quantity)> {
        self.entries.iter()
    }
}
