//! The charging rule: the share of a partition's nodes a job is charged.
//!
//! One pure function, [`charge`], decides for every caller — a job request ([`crate::Engine::job`]),
//! each record of an accounting run, each stage of a workflow — how many node-equivalents a
//! job's allocation (its [`Demand`]) occupies on a [`Partition`]:
//!
//! 1. each resource given (cores, GPUs, memory) is a share of a node: asked / per node; a
//!    resource the partition's nodes do not have is left out ([`ChargeNote::Absent`]);
//! 2. the partition's allocation key picks the share: whole nodes (`node`: the nodes given, or
//!    the largest share rounded up), one resource's share (`cores`, `gpus`, `memory`: the largest
//!    share of what is given when that resource is not, [`ChargeNote::KeyMissing`]), or the
//!    largest share (`max`); whole nodes when no part of a node is given;
//! 3. the share is capped at the nodes given and at the partition's size
//!    ([`ChargeNote::BeyondItsNodes`], [`ChargeNote::BeyondThePartition`]).
//!
//! Zero means "none" (a job without GPUs); negative and non-finite values are errors. What a
//! caller does with the notes is its own: a scheduler's record is a fact and its oversize is a
//! warning about the center's description; a request asking more than a partition holds is
//! refused ([`Charge::refusal`]).

use impacts_center::{AllocationKey, Partition};
use impacts_error::InputError;
use impacts_model::quantity::fmt_num;
use impacts_model::report::Warning;
use serde::{Deserialize, Serialize};

use crate::Error;

/// A load in percent, checked.
pub(crate) fn check_load(v: f64, field: &str) -> Result<f64, Error> {
    if v.is_finite() && (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        crate::error::invalid(field, fmt_num(v), "a percentage between 0 and 100")
    }
}

/// What a job holds of a partition: whole nodes, parts of nodes, or both (parts spread over the
/// nodes). Zero is "none".
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Demand {
    /// Whole nodes.
    pub nodes: Option<f64>,
    /// Cores.
    pub cores: Option<f64>,
    /// GPUs.
    pub gpus: Option<f64>,
    /// Memory (GB).
    pub memory_gb: Option<f64>,
}

/// A resource of a node that a share can be taken of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Resource {
    /// Cores.
    Cores,
    /// GPUs.
    Gpus,
    /// Memory.
    Memory,
}

impl Resource {
    /// The field of a [`Demand`] that gives it.
    pub fn field(self) -> &'static str {
        match self {
            Resource::Cores => "cores",
            Resource::Gpus => "gpus",
            Resource::Memory => "memory_gb",
        }
    }

    /// The resource in words, plural (`GB of memory`).
    pub fn words(self) -> &'static str {
        match self {
            Resource::Cores => "cores",
            Resource::Gpus => "GPUs",
            Resource::Memory => "GB of memory",
        }
    }

    fn per_node(self, p: &Partition) -> f64 {
        match self {
            Resource::Cores => p.cores_per_node,
            Resource::Gpus => p.gpus_per_node,
            Resource::Memory => p.memory_gb_per_node,
        }
    }

    fn asked(self, d: &Demand) -> Option<f64> {
        match self {
            Resource::Cores => d.cores,
            Resource::Gpus => d.gpus,
            Resource::Memory => d.memory_gb,
        }
    }

    const ALL: [Resource; 3] = [Resource::Cores, Resource::Gpus, Resource::Memory];
}

/// How the share was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Whole nodes.
    WholeNodes,
    /// The share of one resource (the partition's allocation key).
    Share(Resource),
    /// The largest share of the resources given.
    LargestShare,
    /// Nothing to charge: no nodes and no part of a node.
    NoSize,
}

/// What the rule decided that the caller must report.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "note", rename_all = "kebab-case")]
pub enum ChargeNote {
    /// A resource asked of a partition whose nodes have none (GPUs on a CPU partition): left out.
    Absent {
        /// The resource.
        resource: Resource,
        /// How much was asked.
        asked: f64,
    },
    /// The partition charges by a resource the demand does not give: the largest share of what
    /// it gives is used.
    KeyMissing {
        /// The partition's key.
        key: Resource,
    },
    /// A resource beyond what the job's nodes hold: charged its nodes.
    BeyondItsNodes {
        /// The resource.
        resource: Resource,
        /// How much was asked.
        asked: f64,
        /// How much a node has.
        per_node: f64,
        /// The job's nodes.
        nodes: f64,
    },
    /// More than the partition has (nodes, or a resource without nodes): charged the partition.
    BeyondThePartition {
        /// The input that asks too much (`nodes`, `cores`, ...).
        field: &'static str,
        /// How much was asked.
        asked: f64,
        /// What the partition has of it.
        available: f64,
    },
}

impl ChargeNote {
    /// The stable warning code (docs/warnings.md).
    pub fn code(&self) -> &'static str {
        match self {
            ChargeNote::Absent { .. } => "job.resource-absent",
            ChargeNote::KeyMissing { .. } => "job.allocation-key-missing",
            ChargeNote::BeyondItsNodes { .. } | ChargeNote::BeyondThePartition { .. } => {
                "accounting.oversized"
            }
        }
    }

    /// The note in words, for a partition.
    pub fn message(&self, p: &Partition) -> String {
        let name = &p.name;
        match self {
            ChargeNote::Absent { resource, asked } => format!(
                "{} {} asked of partition {name}, whose nodes have none: charged without them",
                fmt_num(*asked),
                resource.words()
            ),
            ChargeNote::KeyMissing { key } => format!(
                "partition {name} charges by {}, but the job gives none: the largest share of what it gives is used",
                key.words()
            ),
            ChargeNote::BeyondItsNodes { resource, asked, per_node, nodes } => format!(
                "{} {} asked of {} node(s) of partition {name}, which hold {} {} each: charged {} node(s) — check the center's node description",
                fmt_num(*asked),
                resource.words(),
                fmt_num(*nodes),
                fmt_num(*per_node),
                resource.words(),
                fmt_num(*nodes)
            ),
            ChargeNote::BeyondThePartition { field, asked, available } => format!(
                "{} {field} asked of partition {name}, which has {}: charged the whole partition",
                fmt_num(*asked),
                fmt_num(*available)
            ),
        }
    }

    /// The note as a warning.
    pub fn warning(&self, p: &Partition) -> Warning {
        Warning::new(self.code(), self.message(p))
    }
}

/// The share of a partition a job is charged.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Charge {
    /// Node-equivalents charged (0 when the demand has no size).
    pub node_equivalents: f64,
    /// How they were decided.
    pub basis: Basis,
    /// What the caller must report.
    pub notes: Vec<ChargeNote>,
}

impl Charge {
    /// For a request (not a record of what ran): the error that refuses a demand the partition
    /// cannot hold or that has no size.
    pub fn refusal(&self, p: &Partition) -> Option<InputError> {
        if self.basis == Basis::NoSize {
            return Some(InputError::missing(
                "nodes",
                "a job's size is whole nodes, or part of a node (cores, GPUs or memory)",
            ));
        }
        self.notes.iter().find_map(|n| match n {
            ChargeNote::BeyondItsNodes {
                resource,
                asked,
                per_node,
                nodes,
            } => Some(InputError::invalid(
                resource.field(),
                fmt_num(*asked),
                format!(
                    "at most {} on {} node(s) of partition {}, which hold {} {} each",
                    fmt_num(per_node * nodes),
                    fmt_num(*nodes),
                    p.name,
                    fmt_num(*per_node),
                    resource.words()
                ),
            )),
            ChargeNote::BeyondThePartition {
                field,
                asked,
                available,
            } => {
                let of = Resource::ALL
                    .iter()
                    .find(|r| r.field() == *field)
                    .map(|r| format!(" of {} {}", fmt_num(r.per_node(p)), r.words()))
                    .unwrap_or_default();
                Some(InputError::invalid(
                    *field,
                    fmt_num(*asked),
                    format!(
                        "at most {}: partition {} has {} nodes{of}",
                        fmt_num(*available),
                        p.name,
                        p.nodes
                    ),
                ))
            }
            _ => None,
        })
    }

    /// How the share was computed, in words (`0.5 node-equivalent(s): share of the node's cores
    /// (20 of 40 cores per node)`).
    pub fn describe(&self, p: &Partition, d: &Demand) -> String {
        let given: Vec<String> = Resource::ALL
            .iter()
            .filter_map(|r| {
                let v = given(r.asked(d))?;
                Some(format!(
                    "{} of {} {} per node",
                    fmt_num(v),
                    fmt_num(r.per_node(p)),
                    r.words()
                ))
            })
            .collect();
        let n = fmt_num(self.node_equivalents);
        let how = match self.basis {
            Basis::NoSize => return "no size".into(),
            Basis::WholeNodes if given.is_empty() => return format!("{n} whole node(s)"),
            Basis::WholeNodes => format!("{n} whole node(s): the partition charges whole nodes"),
            Basis::Share(r) => format!("share of the node's {}", r.words()),
            Basis::LargestShare if p.allocation_key == AllocationKey::Max => {
                "largest share of cores, GPUs and memory".into()
            }
            Basis::LargestShare => "largest share of the resources given".into(),
        };
        format!("{n} node-equivalent(s): {how} ({})", given.join(", "))
    }
}

/// A value of the demand: None for absent or zero; an error for negative or non-finite.
fn checked(v: Option<f64>, field: &str) -> Result<Option<f64>, InputError> {
    match v {
        Some(x) if !(x.is_finite() && x >= 0.0) => Err(InputError::invalid(
            field,
            fmt_num(x),
            "a non-negative, finite number",
        )),
        Some(0.0) => Ok(None),
        other => Ok(other),
    }
}

fn given(v: Option<f64>) -> Option<f64> {
    v.filter(|x| *x > 0.0)
}

/// The share of partition `p` that a job holding `d` is charged (see the module's rule). Does
/// not allocate unless there is something to note (it runs once per accounted job).
pub fn charge(p: &Partition, d: &Demand) -> Result<Charge, InputError> {
    let nodes = checked(d.nodes, "nodes")?;
    let mut notes = Vec::new();
    // The share of a node of each resource given, in Resource::ALL order.
    let mut shares: [Option<f64>; 3] = [None; 3];
    for (i, r) in Resource::ALL.into_iter().enumerate() {
        let Some(asked) = checked(r.asked(d), r.field())? else {
            continue;
        };
        let per = r.per_node(p);
        if per <= 0.0 {
            notes.push(ChargeNote::Absent { resource: r, asked });
            continue;
        }
        if let Some(note) = beyond(p, r, asked, per, nodes) {
            notes.push(note);
        }
        shares[i] = Some(asked / per);
    }
    let largest = shares.iter().flatten().copied().reduce(f64::max);
    let (share, basis) = match (p.allocation_key, largest, nodes) {
        (_, None, None) => (0.0, Basis::NoSize),
        (_, None, Some(n)) => (n, Basis::WholeNodes),
        (AllocationKey::Node, Some(l), n) => (n.unwrap_or(l.ceil()), Basis::WholeNodes),
        (AllocationKey::Max, Some(l), _) => (l, Basis::LargestShare),
        (key, Some(l), _) => {
            let (i, r) = match key {
                AllocationKey::Cores => (0, Resource::Cores),
                AllocationKey::Gpus => (1, Resource::Gpus),
                _ => (2, Resource::Memory),
            };
            match shares[i] {
                Some(s) => (s, Basis::Share(r)),
                None => {
                    notes.push(ChargeNote::KeyMissing { key: r });
                    (l, Basis::LargestShare)
                }
            }
        }
    };
    let share = nodes.map_or(share, |n| share.min(n));
    let share = if !p.is_default && share > p.nodes as f64 {
        if let Some(n) = nodes {
            notes.push(ChargeNote::BeyondThePartition {
                field: "nodes",
                asked: n,
                available: p.nodes as f64,
            });
        }
        p.nodes as f64
    } else {
        share
    };
    Ok(Charge {
        node_equivalents: share,
        basis,
        notes,
    })
}

/// A resource asked beyond the job's nodes, or beyond the partition when no nodes are given.
fn beyond(
    p: &Partition,
    r: Resource,
    asked: f64,
    per: f64,
    nodes: Option<f64>,
) -> Option<ChargeNote> {
    const SLACK: f64 = 1.0 + 1e-9;
    match nodes {
        Some(n) if asked > per * n * SLACK => Some(ChargeNote::BeyondItsNodes {
            resource: r,
            asked,
            per_node: per,
            nodes: n,
        }),
        None if !p.is_default && asked > per * p.nodes as f64 * SLACK => {
            Some(ChargeNote::BeyondThePartition {
                field: r.field(),
                asked,
                available: per * p.nodes as f64,
            })
        }
        _ => None,
    }
}
