//! The outputs of one estimate, collected with their place in the report.
//!
//! Every estimate evaluates a list of graph nodes at once; [`ReportOutputs`] builds that list and
//! remembers what each run of nodes is (the totals, a phase, a component, a measure), so that
//! filling the report never computes a position by hand.

use std::ops::Range;

use impacts_model::criteria::Criteria;
use impacts_model::graph::NodeId;
use impacts_model::layout::OutputLayout;

use crate::report::{OrderedMap, Report};
use crate::{estimate, Evaluated};

/// Where a run of outputs goes in the report.
enum Slot {
    /// One value per criterion under `phases[name]`.
    Phase(String, usize),
    /// One value per criterion under `components[name]`.
    Component(String, usize),
    /// One value under `quantities[key]`.
    Measure(String, String, usize),
}

/// The nodes of an estimate and where each goes in its report: the totals per criterion first.
pub(crate) struct ReportOutputs<'c> {
    criteria: &'c Criteria,
    nodes: Vec<NodeId>,
    names: Vec<String>,
    slots: Vec<Slot>,
}

impl<'c> ReportOutputs<'c> {
    /// Outputs that start with the totals, one per criterion.
    pub fn new(criteria: &'c Criteria, totals: &[NodeId]) -> ReportOutputs<'c> {
        debug_assert_eq!(totals.len(), criteria.len());
        ReportOutputs {
            criteria,
            nodes: totals.to_vec(),
            names: criteria
                .iter()
                .map(|c| format!("total.{}", c.key))
                .collect(),
            slots: Vec::new(),
        }
    }

    /// The outputs of a model with a typed layout (a job), `nodes` in the layout's order.
    pub fn from_layout(
        criteria: &'c Criteria,
        layout: &OutputLayout,
        nodes: &[NodeId],
    ) -> ReportOutputs<'c> {
        let mut o = ReportOutputs::new(criteria, &nodes[layout.totals()]);
        for &ph in layout.phases() {
            if let Some(r) = layout.phase_range(ph) {
                o.phase(ph.as_str(), &nodes[r]);
            }
        }
        for m in layout.measures() {
            if let Some(i) = layout.measure(m) {
                o.measure(m.key, m.unit, nodes[i]);
            }
        }
        o
    }

    fn per_criterion(&mut self, name: &str, nodes: &[NodeId]) -> usize {
        debug_assert_eq!(nodes.len(), self.criteria.len());
        let start = self.nodes.len();
        self.nodes.extend_from_slice(nodes);
        self.names
            .extend(self.criteria.iter().map(|c| format!("{name}.{}", c.key)));
        start
    }

    /// A phase: one node per criterion.
    pub fn phase(&mut self, name: &str, nodes: &[NodeId]) -> &mut Self {
        let start = self.per_criterion(name, nodes);
        self.slots.push(Slot::Phase(name.to_string(), start));
        self
    }

    /// A component: one node per criterion.
    pub fn component(&mut self, name: &str, nodes: &[NodeId]) -> &mut Self {
        let start = self.per_criterion(name, nodes);
        self.slots.push(Slot::Component(name.to_string(), start));
        self
    }

    /// A measure (an energy, a power).
    pub fn measure(&mut self, key: &str, unit: &str, node: NodeId) -> &mut Self {
        self.slots
            .push(Slot::Measure(key.into(), unit.into(), self.nodes.len()));
        self.nodes.push(node);
        self.names.push(key.to_string());
        self
    }

    /// The nodes to evaluate, in order.
    pub fn nodes(&self) -> &[NodeId] {
        &self.nodes
    }

    /// A name per node (`total.gwp`, `use.gwp`, `it_energy`).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Positions of the totals.
    pub fn totals(&self) -> Range<usize> {
        0..self.criteria.len()
    }

    /// Writes the phases, components and measures of evaluated outputs into a report.
    pub fn fill(&self, r: &mut Report, e: &Evaluated) {
        let per_criterion = |start: usize| {
            let mut m = OrderedMap::new();
            for (c, crit) in self.criteria.iter().enumerate() {
                m.push(crit.key.clone(), estimate(e, start + c, &crit.unit));
            }
            m
        };
        for slot in &self.slots {
            match slot {
                Slot::Phase(name, start) => r.phases.push(name.clone(), per_criterion(*start)),
                Slot::Component(name, start) => {
                    r.components.push(name.clone(), per_criterion(*start))
                }
                Slot::Measure(key, unit, i) => {
                    r.quantities.push(key.clone(), estimate(e, *i, unit))
                }
            }
        }
    }
}
