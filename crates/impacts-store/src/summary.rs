//! Summaries of stored jobs, with bounds computed as `impacts accounting` computes them.
//!
//! The store sums the jobs of each (group, bucket) in SQL; here each group's buckets are put back
//! in an [`Acc`] at the accountant's bucket numbers, and the accountant's Monte Carlo gives the
//! bounds: one evaluation per bucket at its summed node-hours, summed sample by sample, factors
//! shared by jobs drawn once. On the same records, the totals are those of `impacts accounting`.

use std::collections::BTreeMap;

use impacts::impacts_model::eval::Percentiles;
use impacts::impacts_model::layout::job_measures::IT_ENERGY;
use impacts::impacts_model::report::Estimate;
use impacts::OrderedMap;
use impacts_accounting::accountant::{Accountant, SampleCache};
use impacts_accounting::summary::{estimates, Acc, GroupBy, LoadSums};
use serde_json::{json, Map, Value as Json};

use crate::{BucketSum, Schema, StoreError};

/// A group of a summary (or the total).
#[derive(Debug)]
pub struct Group {
    /// Its key (empty for the total).
    pub key: String,
    /// Its sums.
    pub acc: Acc,
    /// Its impacts per criterion; bounds only when `bounded`.
    pub impacts: OrderedMap<Estimate>,
    /// Whether the impacts carry bounds.
    pub bounded: bool,
    /// Per phase: with bounds for the total, central values for the groups.
    pub phases: OrderedMap<OrderedMap<Estimate>>,
    /// Whether the phases carry bounds (the total's).
    pub phases_bounded: bool,
    /// Its estimated jobs by where their energy came from.
    pub sources: EnergySources,
}

/// Estimated jobs by the source of their energy: measured by the scheduler, or modelled.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EnergySources {
    /// Jobs whose energy the scheduler measured: jobs, node-hours, kWh (the nodes', before the
    /// facility's overhead).
    pub measured: EnergySum,
    /// The other estimated jobs, their energy from the model.
    pub modelled: EnergySum,
}

/// Jobs, their node-hours and their energy.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EnergySum {
    /// Jobs.
    pub jobs: u64,
    /// Node-hours.
    pub node_hours: f64,
    /// Energy of the nodes (kWh).
    pub energy_kwh: f64,
}

impl EnergySources {
    /// Adds a row of sums (`energy`: its nodes' energy in kWh).
    fn add(&mut self, row: &BucketSum, energy: f64) {
        let Some(b) = &row.bucket else {
            return;
        };
        let sum = if b.measured {
            &mut self.measured
        } else {
            &mut self.modelled
        };
        sum.jobs += row.estimated;
        sum.node_hours += b.node_hours;
        sum.energy_kwh += energy;
    }

    fn json(&self) -> Json {
        let one = |e: &EnergySum| json!({"jobs": e.jobs, "node_hours": e.node_hours, "energy_kwh": e.energy_kwh});
        json!({"measured": one(&self.measured), "modelled": one(&self.modelled)})
    }
}

/// The most groups whose bounds a summary computes: the largest by climate change; the others
/// have central values only (as `impacts accounting --top`).
pub const MAX_TOP: usize = 100;

/// Sums bucket rows into the total and its groups (largest climate change first) and computes
/// bounds: the total's per criterion and phase, the first `top` groups' per criterion.
/// `cache` keeps each bucket's samples between summaries.
pub fn summarize(
    accountant: &mut Accountant<'_>,
    cache: &mut SampleCache,
    rows: &[BucketSum],
    top: usize,
) -> Result<(Group, Vec<Group>), StoreError> {
    let mut total = Acc::default();
    let mut groups: BTreeMap<&str, Acc> = BTreeMap::new();
    let mut sources: BTreeMap<&str, EnergySources> = BTreeMap::new();
    let mut total_sources = EnergySources::default();
    let energy_at = accountant.layout().measure(&IT_ENERGY);
    for row in rows {
        let energy = energy_at
            .and_then(|i| row.sums.get(i))
            .copied()
            .unwrap_or(0.0);
        total_sources.add(row, energy);
        sources.entry(&row.key).or_default().add(row, energy);
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
    let mut sorted: Vec<(&str, Acc)> = groups.into_iter().collect();
    sorted.sort_by(|a, b| b.1.sum(0).total_cmp(&a.1.sum(0)).then_with(|| a.0.cmp(b.0)));
    let out = sorted
        .into_iter()
        .enumerate()
        .map(|(i, (k, acc))| {
            let bounded = i < top.min(MAX_TOP);
            let impacts = if bounded {
                accountant.impacts_of(&acc, cache)
            } else {
                central(accountant, &acc)
            };
            Group {
                key: k.to_string(),
                sources: sources.get(k).copied().unwrap_or_default(),
                phases: central_phases(accountant, &acc),
                acc,
                impacts,
                bounded,
                phases_bounded: false,
            }
        })
        .collect();
    let totals = accountant.totals_of(&total, cache);
    let total = Group {
        key: String::new(),
        acc: total,
        impacts: totals.impacts,
        bounded: true,
        phases: totals.phases,
        phases_bounded: true,
        sources: total_sources,
    };
    Ok((total, out))
}

/// Central values only (bounds equal to them, not shown).
fn central(accountant: &Accountant<'_>, acc: &Acc) -> OrderedMap<Estimate> {
    let n = accountant.criteria_units().len();
    let values: Vec<f64> = (0..n).map(|c| acc.sum(c)).collect();
    estimates(
        accountant.criteria_units(),
        &values,
        None,
        Percentiles::default(),
    )
}

/// Central values per phase.
fn central_phases(accountant: &Accountant<'_>, acc: &Acc) -> OrderedMap<OrderedMap<Estimate>> {
    let layout = accountant.layout();
    let mut out = OrderedMap::new();
    for &phase in layout.phases() {
        if let Some(range) = layout.phase_range(phase) {
            let values: Vec<f64> = range.map(|i| acc.sum(i)).collect();
            let m = estimates(
                accountant.criteria_units(),
                &values,
                None,
                Percentiles::default(),
            );
            out.push(phase.as_str(), m);
        }
    }
    out
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
            acc.buckets.resize(i + 1, LoadSums::default());
        }
        acc.buckets[i].add(&LoadSums {
            node_hours: b.node_hours,
            cpu: b.cpu_load_hours,
            gpu: b.gpu_load_hours,
            measured_kwh: b.measured_kwh,
            grid: b.grid,
        });
    }
}

/// The JSON of impacts: `{"gwp": {"value", "low", "high", "unit"}}`, bounds null when not
/// computed.
fn impacts_json(m: &OrderedMap<Estimate>, bounded: bool) -> Json {
    let mut out = Map::new();
    for (k, e) in m.iter() {
        let (low, high) = if bounded {
            (json!(e.low), json!(e.high))
        } else {
            (Json::Null, Json::Null)
        };
        out.insert(
            k.clone(),
            json!({"value": e.value, "low": low, "high": high, "unit": e.unit}),
        );
    }
    Json::Object(out)
}

/// The JSON of a group: jobs, impacts and phases (with bounds when computed), energy and usage.
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
        "impacts": impacts_json(&g.impacts, g.bounded),
        "energy": energy,
        "usage": {
            "node_hours": g.acc.node_hours,
            "core_hours": g.acc.core_hours,
            "gpu_hours": g.acc.gpu_hours,
        },
    });
    let mut phases = Map::new();
    for (phase, m) in g.phases.iter() {
        phases.insert(phase.clone(), impacts_json(m, g.phases_bounded));
    }
    v["phases"] = Json::Object(phases);
    v["energy_sources"] = g.sources.json();
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
