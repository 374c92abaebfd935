//! The charging rule, case by case: each expected share is worked out by hand from the
//! partition (cores, GPUs, memory per node; node count; allocation key) and the demand.

use impacts::impacts_center::{AllocationKey, Partition};
use impacts::{charge, Basis, ChargeNote, Demand, Resource};

/// A partition of 10 nodes of 40 cores, 4 GPUs and 160 GB, charged by `key`.
fn partition(key: AllocationKey, gpus: f64) -> Partition {
    Partition {
        name: "p".into(),
        aliases: vec![],
        cluster: 0,
        nodes: 10,
        cores_per_node: 40.0,
        gpus_per_node: gpus,
        memory_gb_per_node: 160.0,
        allocation_key: key,
        groups: vec![],
        note: None,
        is_default: false,
    }
}

fn demand(nodes: f64, cores: f64, gpus: f64, memory_gb: f64) -> Demand {
    let some = |x: f64| (x != 0.0).then_some(x);
    Demand {
        nodes: some(nodes),
        cores: some(cores),
        gpus: some(gpus),
        memory_gb: some(memory_gb),
    }
}

/// (case, key, GPUs per node, demand (nodes, cores, GPUs, GB), share, basis, note codes)
type Case = (
    &'static str,
    AllocationKey,
    f64,
    (f64, f64, f64, f64),
    f64,
    Basis,
    &'static [&'static str],
);

const CASES: &[Case] = &[
    (
        "whole nodes",
        AllocationKey::Cores,
        4.0,
        (2.0, 0.0, 0.0, 0.0),
        2.0,
        Basis::WholeNodes,
        &[],
    ),
    // 10 of 40 cores: a quarter of a node.
    (
        "partial by cores",
        AllocationKey::Cores,
        4.0,
        (0.0, 10.0, 0.0, 0.0),
        0.25,
        Basis::Share(Resource::Cores),
        &[],
    ),
    // 1 GPU of 4 (and 10 cores, a quarter too): the GPU key gives 0.25.
    (
        "partial by GPUs",
        AllocationKey::Gpus,
        4.0,
        (0.0, 10.0, 1.0, 0.0),
        0.25,
        Basis::Share(Resource::Gpus),
        &[],
    ),
    // 4 cores (0.1 of a node) but 80 GB of 160 (0.5): memory-bound under max.
    (
        "memory-bound",
        AllocationKey::Max,
        4.0,
        (0.0, 4.0, 0.0, 80.0),
        0.5,
        Basis::LargestShare,
        &[],
    ),
    (
        "memory key",
        AllocationKey::Memory,
        4.0,
        (0.0, 4.0, 0.0, 80.0),
        0.5,
        Basis::Share(Resource::Memory),
        &[],
    ),
    // Charged by GPUs, none given: the largest of what is given (8 cores: 0.2), noted.
    (
        "key missing",
        AllocationKey::Gpus,
        4.0,
        (0.0, 8.0, 0.0, 0.0),
        0.2,
        Basis::LargestShare,
        &["job.allocation-key-missing"],
    ),
    // Whole nodes even for a part: 10 cores round up to 1 node.
    (
        "node key",
        AllocationKey::Node,
        4.0,
        (0.0, 10.0, 0.0, 0.0),
        1.0,
        Basis::WholeNodes,
        &[],
    ),
    // GPUs on nodes without GPUs: left out, charged by cores (20 of 40), noted.
    (
        "GPUs on a CPU partition",
        AllocationKey::Max,
        0.0,
        (0.0, 20.0, 2.0, 0.0),
        0.5,
        Basis::LargestShare,
        &["job.resource-absent"],
    ),
    // 100 cores on 1 node of 40: charged the node, noted.
    (
        "beyond its nodes",
        AllocationKey::Cores,
        4.0,
        (1.0, 100.0, 0.0, 0.0),
        1.0,
        Basis::Share(Resource::Cores),
        &["accounting.oversized"],
    ),
    // 12 nodes of a 10-node partition: charged 10, noted.
    (
        "beyond the partition",
        AllocationKey::Cores,
        4.0,
        (12.0, 0.0, 0.0, 0.0),
        10.0,
        Basis::WholeNodes,
        &["accounting.oversized"],
    ),
    // 800 cores without nodes: 20 nodes' worth of a 10-node partition.
    (
        "cores beyond the partition",
        AllocationKey::Cores,
        4.0,
        (0.0, 800.0, 0.0, 0.0),
        10.0,
        Basis::Share(Resource::Cores),
        &["accounting.oversized"],
    ),
    // Parts spread over nodes: 2 nodes, 60 cores → 1.5 node-equivalents (within the 2 nodes).
    (
        "parts over nodes",
        AllocationKey::Cores,
        4.0,
        (2.0, 60.0, 0.0, 0.0),
        1.5,
        Basis::Share(Resource::Cores),
        &[],
    ),
    (
        "no size",
        AllocationKey::Cores,
        4.0,
        (0.0, 0.0, 0.0, 0.0),
        0.0,
        Basis::NoSize,
        &[],
    ),
];

#[test]
fn every_case_of_the_charging_rule() {
    for (name, key, gpus, (n, c, g, m), share, basis, codes) in CASES {
        let p = partition(*key, *gpus);
        let ch = charge(&p, &demand(*n, *c, *g, *m)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            (ch.node_equivalents - share).abs() < 1e-12,
            "{name}: {} node-equivalents, want {share}",
            ch.node_equivalents
        );
        assert_eq!(ch.basis, *basis, "{name}");
        let got: Vec<&str> = ch.notes.iter().map(ChargeNote::code).collect();
        assert_eq!(got, *codes, "{name}");
    }
}

#[test]
fn requests_beyond_the_partition_are_refused_and_records_are_charged() {
    let p = partition(AllocationKey::Gpus, 4.0);
    let ch = charge(&p, &demand(2.0, 0.0, 9.0, 0.0)).expect("a record is charged");
    assert_eq!(ch.node_equivalents, 2.0);
    let e = ch.refusal(&p).expect("a request is refused");
    assert_eq!(e.field.as_deref(), Some("gpus"));
    assert_eq!(
        e.to_string(),
        "invalid gpus '9': expected at most 8 on 2 node(s) of partition p, which hold 4 GPUs each"
    );
    let none = charge(&p, &Demand::default()).expect("no size");
    assert_eq!(none.refusal(&p).and_then(|e| e.field), Some("nodes".into()));
    // Absent GPUs are a warning for requests too: charged without them.
    let cpu = partition(AllocationKey::Cores, 0.0);
    let ch = charge(&cpu, &demand(1.0, 0.0, 1.0, 0.0)).expect("charged");
    assert!(ch.refusal(&cpu).is_none());
    assert_eq!(ch.notes[0].code(), "job.resource-absent");
}

#[test]
fn negative_and_non_finite_demands_name_their_field() {
    let p = partition(AllocationKey::Cores, 4.0);
    for (d, field) in [
        (demand(-1.0, 0.0, 0.0, 0.0), "nodes"),
        (demand(0.0, f64::NAN, 0.0, 0.0), "cores"),
        (demand(0.0, 0.0, f64::INFINITY, 0.0), "gpus"),
        (demand(0.0, 0.0, 0.0, -8.0), "memory_gb"),
    ] {
        let e = charge(&p, &d).expect_err("refused");
        assert_eq!(e.field.as_deref(), Some(field), "{e}");
    }
}
