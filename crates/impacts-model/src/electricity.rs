//! The impacts of an amount of electricity in a zone.

use crate::builder::Builder;
use crate::criteria::{Constants, Criteria};
use crate::graph::{Graph, NodeId};
use crate::job::ZoneSpec;
use crate::report::Warning;

/// A graph for `energy (kWh, the graph's only parameter) × factor` per criterion.
pub fn energy_model(criteria: &Criteria, zone: &ZoneSpec) -> (Graph, Vec<NodeId>, Vec<Warning>) {
    let constants = Constants::new();
    let mut b = Builder::new(criteria, &constants);
    let e = b.graph.param("energy_kwh", "electricity", "kWh");
    let out: Vec<NodeId> = (0..criteria.len())
        .map(|c| match zone.factors.get(c).and_then(|f| f.as_ref()) {
            Some(f) => {
                let f = b.input(f);
                b.graph.mul(e, f)
            }
            None => {
                b.warn(
                    "coverage.missing-factor",
                    format!(
                        "electricity of {}: no {} factor in the data bundle; it counts 0 in {}",
                        zone.name, criteria.0[c].key, criteria.0[c].key
                    ),
                );
                b.gap(
                    "electricity",
                    c,
                    "the data bundle has no electricity factor for this zone and criterion: counted as 0 (warning coverage.missing-factor)",
                )
            }
        })
        .collect();
    let out = b.label_impacts(&out, &format!("electricity in {}", zone.name));
    let (g, w) = b.finish();
    (g, out, w)
}
