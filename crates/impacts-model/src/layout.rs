//! Where each result of a model lies among its evaluated outputs.
//!
//! A model's outputs are evaluated into one flat `&[f64]` (one slot per output node, the form the
//! evaluators need to be fast). An [`OutputLayout`] says what each slot holds: the total of each
//! criterion, each phase of each criterion, then the other [`Measure`]s (energies, powers). It is
//! the only place that knows the positions; consumers ask for `total(c)`,
//! `phase(Phase::Use, c)` or `measure(&IT_ENERGY)` and iterate the criteria, phases and
//! measures they are given, so a new criterion (water) or phase (end of life) reaches every
//! output without an index changing by hand.
//!
//! ```
//! use impacts_model::layout::{OutputLayout, job_measures::{IT_ENERGY, NODE_POWER}};
//! use impacts_model::report::Phase;
//!
//! let layout = OutputLayout::new(3, &Phase::ALL, &[IT_ENERGY, NODE_POWER]);
//! assert_eq!(layout.len(), 3 + 4 * 3 + 2);
//! assert_eq!(layout.phase(Phase::Use, 1), Some(3 + 3 + 1));
//! // Powers do not add up over jobs: they sit after the extensive outputs.
//! assert_eq!(layout.extensive(), 0..3 + 12 + 1);
//! ```

use std::ops::Range;

use serde::Serialize;

use crate::report::Phase;

/// A result of a model other than an impact: an energy, a power, a volume.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Measure {
    /// Key in reports (`it_energy`).
    pub key: &'static str,
    /// Column name in tables of many results, unit included (`energy_kwh`).
    pub column: &'static str,
    /// Unit.
    pub unit: &'static str,
    /// True when it adds up over jobs (an energy), false when it does not (a power).
    pub extensive: bool,
}

/// The measures of a job model.
pub mod job_measures {
    use super::Measure;

    /// Electricity drawn by the job's nodes, without the facility's overhead.
    pub const IT_ENERGY: Measure = Measure {
        key: "it_energy",
        column: "energy_kwh",
        unit: "kWh",
        extensive: true,
    };
    /// The same with the facility's overhead (PUE).
    pub const ENERGY_WITH_OVERHEAD: Measure = Measure {
        key: "energy_with_overhead",
        column: "energy_with_overhead_kwh",
        unit: "kWh",
        extensive: true,
    };
    /// The job's share of the electricity the nodes draw while idle, overhead included.
    pub const IDLE_ENERGY: Measure = Measure {
        key: "idle_energy",
        column: "idle_energy_kwh",
        unit: "kWh",
        extensive: true,
    };
    /// Power of one node at the job's load.
    pub const NODE_POWER: Measure = Measure {
        key: "node_power",
        column: "node_power_w",
        unit: "W",
        extensive: false,
    };
    /// IT power of the center's park at full load.
    pub const PARK_POWER: Measure = Measure {
        key: "park_power",
        column: "park_power_w",
        unit: "W",
        extensive: false,
    };

    /// Every measure of a job model, in output order.
    pub const ALL: [Measure; 5] = [
        IT_ENERGY,
        ENERGY_WITH_OVERHEAD,
        IDLE_ENERGY,
        NODE_POWER,
        PARK_POWER,
    ];
}

/// The positions of a model's outputs: totals per criterion, then each phase per criterion, then
/// the extensive measures, then the intensive ones.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutputLayout {
    criteria: usize,
    phases: Vec<Phase>,
    measures: Vec<Measure>,
}

impl OutputLayout {
    /// A layout for `criteria` criteria, the given phases and measures. Measures keep their
    /// order, except that the extensive ones come before the intensive ones.
    pub fn new(criteria: usize, phases: &[Phase], measures: &[Measure]) -> OutputLayout {
        let mut m: Vec<Measure> = measures.iter().filter(|m| m.extensive).copied().collect();
        m.extend(measures.iter().filter(|m| !m.extensive));
        OutputLayout {
            criteria,
            phases: phases.to_vec(),
            measures: m,
        }
    }

    /// Number of criteria.
    pub fn criteria(&self) -> usize {
        self.criteria
    }

    /// The phases, in output order.
    pub fn phases(&self) -> &[Phase] {
        &self.phases
    }

    /// The measures, in output order.
    pub fn measures(&self) -> &[Measure] {
        &self.measures
    }

    /// Number of outputs.
    pub fn len(&self) -> usize {
        self.criteria * (1 + self.phases.len()) + self.measures.len()
    }

    /// True when there is no output.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Position of the total of criterion `c`.
    pub fn total(&self, c: usize) -> usize {
        debug_assert!(c < self.criteria);
        c
    }

    /// Positions of the totals.
    pub fn totals(&self) -> Range<usize> {
        0..self.criteria
    }

    /// Positions of a phase's criteria, if the layout has the phase.
    pub fn phase_range(&self, phase: Phase) -> Option<Range<usize>> {
        let p = self.phases.iter().position(|x| *x == phase)?;
        let start = self.criteria * (1 + p);
        Some(start..start + self.criteria)
    }

    /// Position of criterion `c` of a phase, if the layout has the phase.
    pub fn phase(&self, phase: Phase, c: usize) -> Option<usize> {
        debug_assert!(c < self.criteria);
        self.phase_range(phase).map(|r| r.start + c)
    }

    /// Position of a measure (found by key), if the layout has it.
    pub fn measure(&self, m: &Measure) -> Option<usize> {
        let i = self.measures.iter().position(|x| x.key == m.key)?;
        Some(self.criteria * (1 + self.phases.len()) + i)
    }

    /// Positions of the outputs that add up over jobs (impacts and energies): a prefix.
    pub fn extensive(&self) -> Range<usize> {
        let n = self.measures.iter().filter(|m| m.extensive).count();
        0..self.criteria * (1 + self.phases.len()) + n
    }

    /// A name for each output: `total.gwp`, `use.gwp`, then the measures' keys (for messages
    /// and the list of results whose bounds were widened).
    pub fn names(&self, criteria: &crate::criteria::Criteria) -> Vec<String> {
        let mut v: Vec<String> = criteria
            .iter()
            .map(|c| format!("total.{}", c.key))
            .collect();
        for ph in &self.phases {
            v.extend(
                criteria
                    .iter()
                    .map(|c| format!("{}.{}", ph.as_str(), c.key)),
            );
        }
        v.extend(self.measures.iter().map(|m| m.key.to_string()));
        v
    }

    /// Puts one item per output (graph nodes, names) in this layout's order: `totals` per
    /// criterion, each phase's items per criterion, each measure's item. Fails, naming what is
    /// missing, when an item of the layout is not given or a list has the wrong length.
    pub fn arrange<T: Copy>(
        &self,
        totals: &[T],
        phases: &[(Phase, &[T])],
        measures: &[(Measure, T)],
    ) -> Result<Vec<T>, crate::ModelError> {
        let wrong = |what: String| crate::ModelError::Invalid(format!("output layout: {what}"));
        if totals.len() != self.criteria {
            return Err(wrong(format!(
                "{} totals for {} criteria",
                totals.len(),
                self.criteria
            )));
        }
        let mut v = totals.to_vec();
        for ph in &self.phases {
            let items = phases
                .iter()
                .find(|(p, _)| p == ph)
                .map(|(_, items)| *items)
                .ok_or_else(|| wrong(format!("no outputs for phase {}", ph.as_str())))?;
            if items.len() != self.criteria {
                return Err(wrong(format!(
                    "{} outputs for phase {}",
                    items.len(),
                    ph.as_str()
                )));
            }
            v.extend_from_slice(items);
        }
        for m in &self.measures {
            let item = measures
                .iter()
                .find(|(x, _)| x.key == m.key)
                .map(|(_, item)| *item)
                .ok_or_else(|| wrong(format!("no output for measure {}", m.key)))?;
            v.push(item);
        }
        Ok(v)
    }

    /// A typed view of evaluated outputs (`values` in this layout's order).
    pub fn view<'a>(&'a self, values: &'a [f64]) -> Outputs<'a> {
        debug_assert!(values.len() >= self.len() || values.is_empty());
        Outputs {
            layout: self,
            values,
        }
    }
}

/// Evaluated outputs read through their layout.
#[derive(Clone, Copy, Debug)]
pub struct Outputs<'a> {
    layout: &'a OutputLayout,
    values: &'a [f64],
}

impl<'a> Outputs<'a> {
    /// The layout.
    pub fn layout(&self) -> &'a OutputLayout {
        self.layout
    }

    /// True when there are no values (a job that was not estimated).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The total of criterion `c` (None when empty).
    pub fn total(&self, c: usize) -> Option<f64> {
        self.values.get(self.layout.total(c)).copied()
    }

    /// Criterion `c` of a phase (None when empty or the phase is not in the layout).
    pub fn phase(&self, phase: Phase, c: usize) -> Option<f64> {
        self.values.get(self.layout.phase(phase, c)?).copied()
    }

    /// A measure (None when empty or not in the layout).
    pub fn measure(&self, m: &Measure) -> Option<f64> {
        self.values.get(self.layout.measure(m)?).copied()
    }

    /// Every value, in layout order.
    pub fn values(&self) -> &'a [f64] {
        self.values
    }
}

#[cfg(test)]
mod tests {
    use super::job_measures::*;
    use super::*;

    #[test]
    fn positions_follow_the_layout_and_intensive_measures_come_last() {
        // Hand-counted: 2 criteria, 2 phases → totals 0..2, manufacturing 2..4, use 4..6.
        let l = OutputLayout::new(
            2,
            &[Phase::Manufacturing, Phase::Use],
            &[NODE_POWER, IT_ENERGY, IDLE_ENERGY],
        );
        assert_eq!(l.len(), 2 + 4 + 3);
        assert_eq!(l.total(1), 1);
        assert_eq!(l.phase(Phase::Manufacturing, 0), Some(2));
        assert_eq!(l.phase(Phase::Use, 1), Some(5));
        assert_eq!(l.phase(Phase::Idle, 0), None);
        assert_eq!(l.measure(&IT_ENERGY), Some(6));
        assert_eq!(l.measure(&IDLE_ENERGY), Some(7));
        assert_eq!(l.measure(&NODE_POWER), Some(8));
        assert_eq!(l.measure(&PARK_POWER), None);
        assert_eq!(l.extensive(), 0..8);
    }

    #[test]
    fn arrange_puts_items_in_layout_order_and_names_what_is_missing() {
        let l = OutputLayout::new(
            1,
            &[Phase::Manufacturing, Phase::Use],
            &[NODE_POWER, IT_ENERGY],
        );
        let v = l
            .arrange(
                &["t"],
                &[(Phase::Use, &["u"][..]), (Phase::Manufacturing, &["m"][..])],
                &[(NODE_POWER, "p"), (IT_ENERGY, "e")],
            )
            .unwrap();
        assert_eq!(v, ["t", "m", "u", "e", "p"]);
        let e = l
            .arrange(&["t"], &[(Phase::Use, &["u"][..])], &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("phase manufacturing"), "{e}");
    }

    #[test]
    fn a_view_reads_the_slots_of_the_layout() {
        let l = OutputLayout::new(1, &[Phase::Use], &[IT_ENERGY]);
        let values = [10.0, 9.0, 3.0];
        let v = l.view(&values);
        assert_eq!(v.total(0), Some(10.0));
        assert_eq!(v.phase(Phase::Use, 0), Some(9.0));
        assert_eq!(v.measure(&IT_ENERGY), Some(3.0));
        let empty = l.view(&[]);
        assert_eq!(empty.total(0), None);
    }
}
