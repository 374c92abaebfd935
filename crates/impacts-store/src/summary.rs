//! Summaries of stored jobs, with bounds computed as `impacts accounting` computes them.
//!
//! The store sums the jobs of each (group, bucket) in SQL; here each group's buckets are put back
//! in an [`Acc`] at the accountant's bucket numbers, and the accountant's Monte Carlo gives the
//! bounds: one evaluation per bucket at its summed node-hours, summed sample by sample, factors
//! shared by jobs drawn once. On the same records, the totals are those of `impacts accounting`.

use std::collections::BTreeMap;

use impacts_accounting::accountant::{Accountant, SampleCache, Totals};
use impacts_accounting::summary::{Acc, GroupBy};
use serde_json::{json, Map, Value as Json};

use crate::{BucketSum, Schema, StoreError};

/// A group of a summary (or the total).
#[derive(Debug)]
pub struct Group {
    /// Its key (empty for the total).
    pub key: String,
    /// Its sums.
    pub acc: Acc,
    /// Its totals with bounds.
    pub totals: Totals,
}

/// Sums bucket rows into the total and groups, and computes their bounds.
pub fn summarize(
    accountant: &mut Accountant<'_>,
    rows: &[BucketSum],
) -> Result<(Group, Vec<Group>), StoreError> {
    let mut total = Acc::default();
    let mut groups: BTreeMap<&str, Acc> = BTreeMap::new();
    for row in rows {
        let bucket = match (&row.partition, &row.bucket) {
            (Some(p), Some(b)) => {
                Some(
                    accountant
                        .bucket_for(p, b)
                        .map_err(|e| StoreError::Database {
                            db: String::from("store"),
                            message: format!("a stored job's bucket does not fit the center: {e}"),
                        })?,
                )
            }
            _ => None,
        };
        add(&mut total, row, bucket);
        add(groups.entry(&row.key).or_default(), row, bucket);
    }
    let mut cache = SampleCache::default();
    let totals = accountant.totals_of(&total, &mut cache);
    let mut out: Vec<Group> = groups
        .into_iter()
        .map(|(k, acc)| Group {
            key: k.to_string(),
            totals: accountant.totals_of(&acc, &mut cache),
            acc,
        })
        .collect();
    out.sort_by(|a, b| {
        b.acc
            .sum(0)
            .total_cmp(&a.acc.sum(0))
            .then_with(|| a.key.cmp(&b.key))
    });
    let total = Group {
        key: String::new(),
        acc: total,
        totals,
    };
    Ok((total, out))
}

/// Adds a bucket row to sums.
fn add(acc: &mut Acc, row: &BucketSum, bucket: Option<u32>) {
    acc.jobs += row.jobs;
    acc.estimated += row.estimated;
    acc.core_hours += row.core_hours;
    acc.gpu_hours += row.gpu_hours;
    if acc.sums.len() < row.sums.len() {
        acc.sums.resize(row.sums.len(), 0.0);
    }
    for (s, x) in acc.sums.iter_mut().zip(&row.sums) {
        *s += x;
    }
    if let (Some(i), Some(b)) = (bucket, &row.bucket) {
        acc.node_hours += b.node_hours;
        let i = i as usize;
        if acc.buckets.len() <= i {
            acc.buckets.resize(i + 1, (0.0, 0.0));
        }
        acc.buckets[i].0 += b.node_hours;
        acc.buckets[i].1 += b.measured_kwh;
    }
}

/// The JSON of a group: jobs, impacts with bounds, phases, energy and usage.
pub fn group_json(schema: &Schema, g: &Group) -> Json {
    let jc = schema.job_columns();
    let mut energy = Map::new();
    for m in jc.layout().measures().iter().filter(|m| m.extensive) {
        let v = jc.layout().measure(m).map_or(0.0, |i| g.acc.sum(i));
        energy.insert(m.column.into(), json!(v));
    }
    let mut v = json!({
        "jobs": g.acc.jobs,
        "jobs_estimated": g.acc.estimated,
        "impacts": g.totals.impacts,
        "phases": g.totals.phases,
        "energy": energy,
        "usage": {
            "node_hours": g.acc.node_hours,
            "core_hours": g.acc.core_hours,
            "gpu_hours": g.acc.gpu_hours,
        },
    });
    if !g.key.is_empty() {
        v["key"] = json!(g.key);
    }
    v
}

/// The JSON of a summary: `{"group_by", "total", "groups"}`.
pub fn summary_json(
    schema: &Schema,
    group_by: Option<GroupBy>,
    total: &Group,
    groups: &[Group],
) -> Json {
    json!({
        "group_by": group_by.map(GroupBy::as_str),
        "total": group_json(schema, total),
        "groups": groups.iter().filter(|_| group_by.is_some()).map(|g| group_json(schema, g)).collect::<Vec<_>>(),
    })
}
