//! The model builder: a graph plus the criteria, the constants of the method and the warnings
//! raised while building.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::criteria::{Constants, Criteria};
use crate::graph::{Graph, NodeId};
use crate::quantity::Quantity;
use crate::report::Warning;
use crate::ModelError;

/// An input of a specification: a quantity with the key that identifies it in a model.
///
/// Two inputs with the same key are the same unknown (drawn once per Monte Carlo sample): the
/// die area of one CPU model is shared by every node that has it, the default RAM density by
/// every memory that uses it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Input {
    /// Identity of the unknown.
    pub key: String,
    /// Human name.
    pub name: String,
    /// Value, uncertainty, provenance.
    pub quantity: Quantity,
}

impl Input {
    /// An input.
    pub fn new(key: impl Into<String>, name: impl Into<String>, quantity: Quantity) -> Input {
        Input {
            key: key.into(),
            name: name.into(),
            quantity,
        }
    }
}

/// Builds graphs for one set of criteria and constants.
#[derive(Debug)]
pub struct Builder<'a> {
    /// The graph being built.
    pub graph: Graph,
    criteria: &'a Criteria,
    constants: &'a Constants,
    warnings: Vec<Warning>,
    seen: BTreeSet<(String, String)>,
}

impl<'a> Builder<'a> {
    /// A builder with an empty graph.
    pub fn new(criteria: &'a Criteria, constants: &'a Constants) -> Builder<'a> {
        Builder {
            graph: Graph::new(),
            criteria,
            constants,
            warnings: Vec::new(),
            seen: BTreeSet::new(),
        }
    }

    /// The criteria.
    pub fn criteria(&self) -> &'a Criteria {
        self.criteria
    }

    /// The constants.
    pub fn constants(&self) -> &'a Constants {
        self.constants
    }

    /// Records a warning (once per code and message).
    pub fn warn(&mut self, code: &str, message: impl Into<String>) {
        let message = message.into();
        if self.seen.insert((code.to_string(), message.clone())) {
            self.warnings.push(Warning {
                code: code.to_string(),
                message,
            });
        }
    }

    /// Says that a part's manufacturing lacks a factor of `criterion` (`message`, warning
    /// `coverage.missing-factor`), or, for a criterion no part has a factor of, that its
    /// manufacturing is not counted (once, `coverage.manufacturing-not-counted`).
    pub fn warn_manufacturing_gap(&mut self, criterion: usize, message: String) {
        let crit = &self.criteria.0[criterion];
        match &crit.manufacturing_not_counted {
            Some(why) => {
                let msg = format!(
                    "{}: the manufacturing of the equipment is not counted ({why})",
                    crit.key
                );
                self.warn("coverage.manufacturing-not-counted", msg);
            }
            None => self.warn("coverage.missing-factor", message),
        }
    }

    /// The warnings so far.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The graph and the warnings.
    pub fn finish(self) -> (Graph, Vec<Warning>) {
        (self.graph, self.warnings)
    }

    /// A leaf for an input.
    pub fn input(&mut self, input: &Input) -> NodeId {
        self.graph
            .leaf(&input.key, &input.name, input.quantity.clone())
    }

    /// A leaf for a constant of the method that must exist.
    pub fn required(&mut self, key: &str, name: &str) -> Result<NodeId, ModelError> {
        let q = self
            .constants
            .get(key, None)
            .ok_or_else(|| ModelError::MissingConstant(key.to_string()))?
            .clone();
        Ok(self.graph.leaf(&format!("const:{key}"), name, q))
    }

    /// A leaf for an impact factor of one criterion, or `None` with a coverage warning naming
    /// `what` when the data has no such factor.
    pub fn factor(
        &mut self,
        key: &str,
        criterion: usize,
        name: &str,
        what: &str,
    ) -> Option<NodeId> {
        let crit = &self.criteria.0[criterion];
        match self.constants.get(key, Some(&crit.key)) {
            Some(q) => {
                let q = q.clone();
                Some(self.graph.leaf(
                    &format!("const:{key}:{}", crit.key),
                    &format!("{name} ({})", crit.key),
                    q,
                ))
            }
            None => {
                let msg = format!(
                    "{what}: the data bundle has no {} factor ({key}); this part counts 0 in {}",
                    crit.key, crit.key
                );
                self.warn_manufacturing_gap(criterion, msg);
                None
            }
        }
    }

    /// A zero that stands for something the data does not cover, as an input that says so
    /// (explanations show it with its reason; a coverage warning is raised by the caller).
    pub fn gap(&mut self, what: &str, criterion: usize, reason: &str) -> NodeId {
        let crit = &self.criteria.0[criterion];
        self.graph.leaf(
            &format!("gap:{what}:{}", crit.key),
            &format!("{what} ({})", crit.key),
            Quantity::fixed(
                0.0,
                crit.unit.clone(),
                crate::quantity::Provenance::new(
                    crate::quantity::Status::Default,
                    "impacts-project",
                )
                .with_note(reason.to_string()),
            ),
        )
    }

    /// For each criterion: factor × size + base, with factors and bases looked up by key.
    /// A missing factor or base counts zero, with a coverage warning.
    pub fn linear_impacts(
        &mut self,
        what: &str,
        factor_key: Option<(&str, &str)>,
        size: Option<NodeId>,
        base_key: Option<(&str, &str)>,
    ) -> Vec<NodeId> {
        (0..self.criteria.len())
            .map(|c| {
                let mut terms = Vec::new();
                if let (Some((key, name)), Some(size)) = (factor_key, size) {
                    if let Some(f) = self.factor(key, c, name, what) {
                        terms.push(self.graph.mul(f, size));
                    }
                }
                if let Some((key, name)) = base_key {
                    if let Some(b) = self.factor(key, c, name, what) {
                        terms.push(b);
                    }
                }
                if terms.is_empty() {
                    return self.gap(what, c, "the data bundle has no factor for this part and criterion: counted as 0 (warning coverage.missing-factor)");
                }
                self.graph.sum(&terms)
            })
            .collect()
    }

    /// Labels one node per criterion: `name (criterion)` in the criterion's unit.
    pub fn label_impacts(&mut self, nodes: &[NodeId], name: &str) -> Vec<NodeId> {
        nodes
            .iter()
            .zip(self.criteria.0.iter())
            .map(|(n, c)| {
                self.graph
                    .label(*n, &format!("{name} ({})", c.key), &c.unit)
            })
            .collect()
    }

    /// Element-wise sum of per-criterion node vectors.
    pub fn sum_impacts(&mut self, parts: &[Vec<NodeId>]) -> Vec<NodeId> {
        (0..self.criteria.len())
            .map(|c| {
                let terms: Vec<NodeId> = parts.iter().map(|p| p[c]).collect();
                self.graph.sum(&terms)
            })
            .collect()
    }

    /// Each criterion's node multiplied by `k`.
    pub fn scale_impacts(&mut self, nodes: &[NodeId], k: NodeId) -> Vec<NodeId> {
        nodes.iter().map(|n| self.graph.mul(*n, k)).collect()
    }
}
