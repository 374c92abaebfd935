//! The two trees of the benchmarking sites: machines → applications → use cases, and
//! applications → use cases → machines, each leaf the runs under it.

use std::collections::BTreeMap;

use crate::model::Run;
use crate::scaling;

/// Which name comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Machines (`system:partition+environ`) → applications → use cases.
    Machines,
    /// Applications → use cases → machines.
    Applications,
}

/// Three levels of names, sorted, down to the runs of a leaf (indices into the runs given, in
/// their order).
pub type Tree = BTreeMap<String, BTreeMap<String, BTreeMap<String, Vec<usize>>>>;

/// The runs as a tree in `order`.
pub fn tree(runs: &[Run], order: Order) -> Tree {
    let mut tree = Tree::new();
    for (i, r) in runs.iter().enumerate() {
        let machine = format!("{}+{}", r.machine(), r.environ);
        let (app, case) = (scaling::application(r), r.use_case());
        let (a, b, c) = match order {
            Order::Machines => (machine, app, case),
            Order::Applications => (app, case, machine),
        };
        tree.entry(a)
            .or_default()
            .entry(b)
            .or_default()
            .entry(c)
            .or_default()
            .push(i);
    }
    tree
}

/// The latest of a leaf's runs (the last given of those with the latest time).
pub fn latest_of(runs: &[Run], leaf: &[usize]) -> Option<usize> {
    leaf.iter().copied().max_by_key(|&i| (runs[i].time, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(test: &str, partition: &str, nodes: &str, time: i64) -> Run {
        let mut r = Run {
            test: test.into(),
            system: "s".into(),
            partition: partition.into(),
            environ: "e".into(),
            time: Some(time),
            ..Run::default()
        };
        r.params.insert("num_nodes".into(), nodes.into());
        r
    }

    #[test]
    fn both_orders_hold_every_run_once() {
        let runs = [
            run("Hpl", "a", "1", 3),
            run("Hpl", "a", "1", 5),
            run("Hpl", "b", "2", 4),
            run("Gromacs", "a", "1", 1),
        ];
        let m = tree(&runs, Order::Machines);
        assert_eq!(m.keys().collect::<Vec<_>>(), ["s:a+e", "s:b+e"]);
        assert_eq!(m["s:a+e"]["Hpl"]["num_nodes=1"], [0, 1]);
        assert_eq!(m["s:a+e"]["Gromacs"]["num_nodes=1"], [3]);
        let a = tree(&runs, Order::Applications);
        assert_eq!(a["Hpl"]["num_nodes=2"]["s:b+e"], [2]);
        assert_eq!(a["Hpl"]["num_nodes=1"]["s:a+e"], [0, 1]);
        let count = |t: &Tree| -> usize {
            t.values()
                .flat_map(|b| b.values())
                .flat_map(|c| c.values())
                .map(Vec::len)
                .sum()
        };
        assert_eq!((count(&m), count(&a)), (4, 4));
        assert_eq!(latest_of(&runs, &[0, 1]), Some(1));
        assert_eq!(latest_of(&runs, &[]), None);
    }
}
