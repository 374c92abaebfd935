//! Partitions (`[partitions.NAME]`): their node groups, settings and allocation, as the model's
//! clusters; and the default partition of nodes the file does not list.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use impacts_model::job::{Allocation, ClusterSpec, NodeGroup};
use toml::Spanned;

use crate::check::{positive_int, Cx};
use crate::facility::{
    allocation_key, Defaults, INFRASTRUCTURE_SETTING, LIFETIME_SETTING, PUE_SETTING, USAGE_SETTING,
    WUE_SETTING,
};
use crate::limits::{LIFETIME_YEARS, MAX_NODES};
use crate::node_type::NodeType;
use crate::raw::{RawCenter, RawPartition};
use crate::{located, AllocationKey, CenterError, Group, Partition};

/// A node group of a partition as the file gives it.
struct GroupIn {
    /// Node type name.
    node_type: String,
    /// Number of nodes.
    nodes: u64,
    /// Pattern of node names.
    node_pattern: Option<String>,
    /// Where the node type is named.
    span: Range<usize>,
}

/// The partitions of a file and the model's clusters.
pub(crate) struct Partitions {
    /// One cluster per partition, in name order, then the default node type's.
    pub clusters: Vec<ClusterSpec>,
    /// The partitions, in name order.
    pub partitions: Vec<Partition>,
    /// The partition of the default node type, when the file names one.
    pub default: Option<Partition>,
}

/// The partitions of the file (at least one), then the default node type's when the file
/// names one, with their clusters.
pub(crate) fn read(
    cx: &Cx<'_>,
    raw: &RawCenter,
    types: &BTreeMap<String, NodeType>,
    defaults: &Defaults,
) -> Result<Partitions, CenterError> {
    if raw.partitions.is_empty() {
        return Err(located(
            cx.file,
            0,
            0,
            "no [partitions.NAME] table: a center needs at least one partition",
        ));
    }
    let (mut clusters, partitions) = partitions(cx, &raw.partitions, types, defaults)?;
    let default = raw.default_node_type.as_ref();
    let default = default_partition(cx, default, types, defaults, &mut clusters)?;
    Ok(Partitions {
        clusters,
        partitions,
        default,
    })
}

/// Every partition of the file, in name order, and its cluster (the partition's index in
/// the returned clusters).
fn partitions(
    cx: &Cx<'_>,
    raw: &BTreeMap<String, Spanned<RawPartition>>,
    types: &BTreeMap<String, NodeType>,
    defaults: &Defaults,
) -> Result<(Vec<ClusterSpec>, Vec<Partition>), CenterError> {
    let mut clusters = Vec::new();
    let mut partitions = Vec::new();
    let names: BTreeSet<&String> = raw.keys().collect();
    // A name or alias names one partition: otherwise accounting (first in file order) and
    // `impacts job` (names first) could choose different ones.
    let mut named: BTreeMap<&str, &str> = names.iter().map(|n| (n.as_str(), n.as_str())).collect();
    for (name, p) in raw {
        for alias in &p.get_ref().aliases {
            if let Some(other) = named.insert(alias.as_str(), name.as_str()) {
                return cx.err(
                    p.span(),
                    format!("partition {name}: alias '{alias}' already names partition {other}"),
                );
            }
        }
    }
    for (name, p) in raw {
        let r = p.get_ref();
        let groups = groups(cx, name, p)?;
        check_references(cx, name, r, &groups, types, &names)?;
        let cluster = cluster(cx, name, r, &groups, types, defaults)?;
        let key = match &r.allocation_key {
            Some(k) => allocation_key(cx, k, &format!("partition {name}: "))?,
            None => defaults.allocation_key.unwrap_or(AllocationKey::Max),
        };
        partitions.push(partition(name, r, &groups, types, key, clusters.len()));
        clusters.push(cluster);
    }
    Ok((clusters, partitions))
}

/// The node groups of a partition: its `node_type` and `nodes`, or its `groups`; at most
/// [`MAX_NODES`] nodes in all.
fn groups(cx: &Cx<'_>, name: &str, p: &Spanned<RawPartition>) -> Result<Vec<GroupIn>, CenterError> {
    let r = p.get_ref();
    let what = "nodes per partition (all its groups together)";
    match (&r.node_type, r.groups.is_empty()) {
        (Some(t), true) => {
            let Some(n) = &r.nodes else {
                return cx.err(
                    p.span(),
                    format!(
                        "partition {name}: missing `nodes` (the number of nodes of type {})",
                        t.get_ref()
                    ),
                );
            };
            let nodes = positive_int(cx, n, &format!("partition {name}: nodes"), false)?;
            let key = || format!("partitions.{name}.nodes");
            cx.at_most(n.span(), key, nodes as f64, MAX_NODES as f64, what)?;
            Ok(vec![GroupIn {
                node_type: t.get_ref().clone(),
                nodes,
                node_pattern: r.node_pattern.clone(),
                span: t.span(),
            }])
        }
        (None, false) => {
            if let Some(n) = &r.nodes {
                return cx.err(
                    n.span(),
                    format!("partition {name}: give nodes inside each group, not beside `groups`"),
                );
            }
            let mut out = Vec::new();
            let mut total = 0u64;
            for (i, g) in r.groups.iter().enumerate() {
                let x = g.get_ref();
                let what_n = format!("partition {name}: group nodes");
                let nodes = positive_int(cx, &x.nodes, &what_n, false)?;
                total = total.saturating_add(nodes);
                let key = || format!("partitions.{name}.groups[{i}].nodes");
                cx.at_most(x.nodes.span(), key, total as f64, MAX_NODES as f64, what)?;
                out.push(GroupIn {
                    node_type: x.node_type.get_ref().clone(),
                    nodes,
                    node_pattern: x.node_pattern.clone(),
                    span: x.node_type.span(),
                });
            }
            Ok(out)
        }
        (Some(t), false) => cx.err(
            t.span(),
            format!("partition {name}: give either node_type and nodes, or groups, not both"),
        ),
        (None, true) => cx.err(
            p.span(),
            format!("partition {name}: missing node_type (or groups)"),
        ),
    }
}

/// Refuses a partition whose groups name an unknown node type, or that is `part_of` a
/// partition the file does not have (or of itself).
fn check_references(
    cx: &Cx<'_>,
    name: &str,
    r: &RawPartition,
    groups: &[GroupIn],
    types: &BTreeMap<String, NodeType>,
    names: &BTreeSet<&String>,
) -> Result<(), CenterError> {
    for g in groups {
        if !types.contains_key(&g.node_type) {
            return cx.err(
                g.span.clone(),
                format!(
                    "partition {name}: unknown node type `{}`: expected one of {}",
                    g.node_type,
                    type_names(types)
                ),
            );
        }
    }
    if let Some(of) = &r.part_of {
        if !names.contains(of.get_ref()) || of.get_ref() == name {
            return cx.err(
                of.span(),
                format!(
                    "partition {name}: part_of `{}` is not another partition of this file",
                    of.get_ref()
                ),
            );
        }
    }
    Ok(())
}

/// The model's cluster of a partition: its nodes, its PUE, lifetime and usage rate (the
/// center's unless it gives its own) and its manufacturing allocation.
fn cluster(
    cx: &Cx<'_>,
    name: &str,
    r: &RawPartition,
    groups: &[GroupIn],
    types: &BTreeMap<String, NodeType>,
    defaults: &Defaults,
) -> Result<ClusterSpec, CenterError> {
    let source = &defaults.source;
    let pue = PUE_SETTING.of_partition(cx, name, r.pue.as_ref(), &defaults.pue, source)?;
    let wue = WUE_SETTING.of_partition(cx, name, r.wue.as_ref(), &defaults.wue, source)?;
    let infrastructure = match &defaults.infrastructure {
        Some(base) => Some(INFRASTRUCTURE_SETTING.of_partition(
            cx,
            name,
            r.infrastructure_share.as_ref(),
            base,
            source,
        )?),
        None => None,
    };
    let lifetime = LIFETIME_SETTING.of_partition(
        cx,
        name,
        r.lifetime_years.as_ref(),
        &defaults.lifetime,
        source,
    )?;
    let usage =
        USAGE_SETTING.of_partition(cx, name, r.usage_rate.as_ref(), &defaults.usage, source)?;
    let allocation = allocation(cx, name, r)?;
    Ok(ClusterSpec {
        name: name.to_string(),
        groups: groups
            .iter()
            .map(|g| NodeGroup {
                server: types[&g.node_type].server.clone(),
                count: g.nodes as f64,
            })
            .collect(),
        pue,
        wue,
        infrastructure_share: infrastructure,
        lifetime_years: lifetime,
        usage_rate: usage,
        allocation,
        in_park: r.part_of.is_none(),
    })
}

/// How a partition's manufacturing is allocated: linear, or decreasing with the age of its
/// nodes (`age_years`, at most the longest lifetime).
fn allocation(cx: &Cx<'_>, name: &str, r: &RawPartition) -> Result<Allocation, CenterError> {
    let Some(a) = &r.allocation else {
        return Ok(Allocation::Linear);
    };
    match a.get_ref().as_str() {
        "linear" => Ok(Allocation::Linear),
        "decreasing" => match &r.age_years {
            Some(age) if age.get_ref().is_finite() && *age.get_ref() >= 0.0 => {
                let (years, max) = (*age.get_ref(), LIFETIME_YEARS.max);
                let key = || format!("partitions.{name}.age_years");
                cx.at_most(age.span(), key, years, max, "years (the age of the nodes)")?;
                Ok(Allocation::DecreasingOverTime { age_years: years })
            }
            _ => cx.err(
                a.span(),
                format!("partition {name}: allocation = \"decreasing\" needs age_years (the age of the nodes, >= 0)"),
            ),
        },
        other => cx.err(
            a.span(),
            format!("partition {name}: unknown allocation `{other}`: expected linear or decreasing"),
        ),
    }
}

/// A partition: its node-weighted cores, GPUs and memory per node, for partial-node
/// allocation.
fn partition(
    name: &str,
    r: &RawPartition,
    groups: &[GroupIn],
    types: &BTreeMap<String, NodeType>,
    allocation_key: AllocationKey,
    cluster: usize,
) -> Partition {
    let total: u64 = groups.iter().map(|g| g.nodes).sum();
    let weighted = |f: fn(&NodeType) -> f64| {
        groups
            .iter()
            .map(|g| f(&types[&g.node_type]) * g.nodes as f64)
            .sum::<f64>()
            / total as f64
    };
    Partition {
        name: name.to_string(),
        aliases: r.aliases.clone(),
        cluster,
        nodes: total,
        cores_per_node: weighted(|t| t.cores),
        gpus_per_node: weighted(|t| t.gpus),
        memory_gb_per_node: weighted(|t| t.memory_gb),
        allocation_key,
        groups: groups
            .iter()
            .map(|g| Group {
                node_type: g.node_type.clone(),
                nodes: g.nodes,
                node_pattern: g.node_pattern.clone(),
            })
            .collect(),
        note: r.note.clone(),
        is_default: false,
    }
}

/// The partition of the default node type (`default_node_type`), for partitions the file
/// does not list; its cluster is added last to `clusters`, outside the park.
fn default_partition(
    cx: &Cx<'_>,
    default_type: Option<&Spanned<String>>,
    types: &BTreeMap<String, NodeType>,
    defaults: &Defaults,
    clusters: &mut Vec<ClusterSpec>,
) -> Result<Option<Partition>, CenterError> {
    let Some(t) = default_type else {
        return Ok(None);
    };
    let Some(nt) = types.get(t.get_ref()) else {
        return cx.err(
            t.span(),
            format!(
                "unknown default_node_type `{}`: expected one of {}",
                t.get_ref(),
                type_names(types)
            ),
        );
    };
    let p = Partition {
        name: format!("(default: {})", t.get_ref()),
        aliases: vec![],
        cluster: clusters.len(),
        nodes: 0,
        cores_per_node: nt.cores,
        gpus_per_node: nt.gpus,
        memory_gb_per_node: nt.memory_gb,
        allocation_key: defaults.allocation_key.unwrap_or(AllocationKey::Max),
        groups: vec![Group {
            node_type: t.get_ref().clone(),
            nodes: 0,
            node_pattern: None,
        }],
        note: None,
        is_default: true,
    };
    clusters.push(ClusterSpec {
        name: p.name.clone(),
        groups: vec![NodeGroup {
            server: nt.server.clone(),
            count: 1.0,
        }],
        pue: defaults.pue.clone(),
        wue: defaults.wue.clone(),
        infrastructure_share: defaults.infrastructure.clone(),
        lifetime_years: defaults.lifetime.clone(),
        usage_rate: defaults.usage.clone(),
        allocation: Allocation::Linear,
        in_park: false,
    });
    Ok(Some(p))
}

/// The names of the node types, for errors that expect one.
fn type_names(types: &BTreeMap<String, NodeType>) -> String {
    let names: Vec<&str> = types.keys().map(String::as_str).collect();
    names.join(", ")
}
