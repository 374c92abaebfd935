//! Partial runs: the sums of an accounting run before its report, so that runs made apart (the
//! partitions of a dataset on the workers of Dask or Spark) merge into the report of one run over
//! all their jobs.
//!
//! Two summaries cannot be merged: the bounds of a sum come from the Monte Carlo samples of each
//! bucket (an estimator, and a whole-percent load where its outputs are not separable in load)
//! weighted by the bucket's load sums and added sample by sample. A partial therefore keeps the
//! sums themselves — counts, central sums, the load sums of each bucket, warnings — with each
//! bucket named by what identifies it in any run over the same center and data (cluster, node
//! group, measured energy, loads). Partials merge by adding; [`Accountant::report_of`] then draws
//! each bucket's samples once, as one run does. Counts are exact; central values and bounds equal
//! one run's up to the order of the floating-point additions.

use std::collections::HashMap;

use serde::{Deserialize, Deserializer, Serialize};

use super::{Accountant, AccountingError, AccountingReport, InputInfo, LoadPolicy, McKey, Sums};
use crate::summary::GroupBy;

/// The version of the serialized form; another is refused.
const FORMAT: u32 = 1;

/// What two runs must share for their sums to add up: the data, the method, the center, and the
/// options that change a job's numbers or the summary's groups. Samples, seed, percentiles and
/// the number of top groups are the merging run's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct RunIdentity {
    impacts_version: String,
    data_bundle: String,
    method: String,
    center: String,
    /// A digest of the center file's text (runs on workers may read it at other paths).
    center_digest: String,
    zone: String,
    time_zone: Option<String>,
    default_partition: Option<String>,
    load: String,
    group_by: Vec<GroupBy>,
    /// A digest of the grid series' instants and intensities, when one replaced the annual
    /// factor (runs on workers may read it at other paths).
    #[serde(default)]
    grid: Option<String>,
}

/// A bucket by what names it in any run over the same center and data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct BucketName {
    cluster: u32,
    node_group: Option<u32>,
    measured: bool,
    loads: Option<(u16, u16)>,
}

/// The sums of an accounting run before its report ([`Accountant::run_partial`],
/// [`Accountant::run_records_partial`]): merged with others' ([`Partial::merge`]), reported by
/// [`Accountant::report_of`]. Serialized by [`Partial::to_bytes`] to travel between processes.
#[derive(Serialize, Deserialize)]
pub struct Partial {
    format: u32,
    run: RunIdentity,
    buckets: Vec<BucketName>,
    sums: Sums,
}

/// Why partials cannot be read or merged.
#[derive(Debug, thiserror::Error)]
pub enum PartialError {
    /// The bytes are not a partial run of this version.
    #[error("not a partial accounting run of this version of impacts: {0}")]
    Malformed(String),
    /// The runs differ in what their sums depend on.
    #[error("partial runs made differently cannot be merged: {field} is {ours} in one and {theirs} in the other")]
    Mismatch {
        /// What differs.
        field: &'static str,
        /// Its value in the run merged into.
        ours: String,
        /// Its value in the other.
        theirs: String,
    },
}

impl From<PartialError> for impacts::InputError {
    fn from(e: PartialError) -> Self {
        match e {
            PartialError::Malformed(m) => {
                impacts::InputError::malformed(format!("not a partial accounting run: {m}"))
                    .for_field("partial")
            }
            PartialError::Mismatch {
                field,
                ours,
                theirs,
            } => impacts::InputError::invalid(
                field,
                theirs,
                format!("{ours}, as in the summaries it is merged with"),
            ),
        }
    }
}

impl Partial {
    /// Jobs read.
    pub fn jobs(&self) -> u64 {
        self.sums.jobs
    }

    /// The serialized form (JSON; floating-point numbers round-trip exactly).
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("partial sums serialize")
    }

    /// Reads a serialized partial, checking that its parts agree.
    pub fn from_bytes(bytes: &[u8]) -> Result<Partial, PartialError> {
        let p: Partial =
            serde_json::from_slice(bytes).map_err(|e| PartialError::Malformed(e.to_string()))?;
        if p.format != FORMAT {
            return Err(PartialError::Malformed(format!(
                "format {} (this version reads {FORMAT})",
                p.format
            )));
        }
        let dims: Vec<GroupBy> = p.sums.groups.iter().map(|(g, _)| *g).collect();
        if dims != p.run.group_by {
            return Err(PartialError::Malformed(
                "its groups are not its run's dimensions".into(),
            ));
        }
        let n = p.buckets.len();
        let accs = std::iter::once(&p.sums.totals)
            .chain(p.sums.by_state.values())
            .chain(p.sums.groups.iter().flat_map(|(_, m)| m.values()));
        for acc in accs {
            if acc.buckets.len() > n {
                return Err(PartialError::Malformed(format!(
                    "sums of bucket {} of {n}",
                    acc.buckets.len() - 1
                )));
            }
        }
        Ok(p)
    }

    /// Adds `other`'s sums to these: the sums of both runs' jobs. Inputs and warning examples
    /// keep the order of the merges.
    pub fn merge(&mut self, other: Partial) -> Result<(), PartialError> {
        check_same(&self.run, &other.run)?;
        let mut index: HashMap<BucketName, u32> = self
            .buckets
            .iter()
            .enumerate()
            .map(|(i, b)| (*b, i as u32))
            .collect();
        let remap: Vec<u32> = other
            .buckets
            .iter()
            .map(|b| {
                *index.entry(*b).or_insert_with(|| {
                    self.buckets.push(*b);
                    (self.buckets.len() - 1) as u32
                })
            })
            .collect();
        absorb(&mut self.sums, other.sums, &remap);
        Ok(())
    }
}

/// The first field in which two runs differ, as an error.
fn check_same(ours: &RunIdentity, theirs: &RunIdentity) -> Result<(), PartialError> {
    let fields: [(&'static str, String, String); 11] = [
        (
            "impacts_version",
            ours.impacts_version.clone(),
            theirs.impacts_version.clone(),
        ),
        (
            "data_bundle",
            ours.data_bundle.clone(),
            theirs.data_bundle.clone(),
        ),
        ("method", ours.method.clone(), theirs.method.clone()),
        ("center", ours.center.clone(), theirs.center.clone()),
        (
            "center",
            format!("the center file of digest {}", ours.center_digest),
            format!("the center file of digest {}", theirs.center_digest),
        ),
        ("zone", ours.zone.clone(), theirs.zone.clone()),
        (
            "time_zone",
            format!("{:?}", ours.time_zone),
            format!("{:?}", theirs.time_zone),
        ),
        (
            "default_partition",
            format!("{:?}", ours.default_partition),
            format!("{:?}", theirs.default_partition),
        ),
        ("load", ours.load.clone(), theirs.load.clone()),
        (
            "grid_series",
            format!("{:?}", ours.grid),
            format!("{:?}", theirs.grid),
        ),
        (
            "group_by",
            format!("{:?}", ours.group_by),
            format!("{:?}", theirs.group_by),
        ),
    ];
    match fields.into_iter().find(|(_, a, b)| a != b) {
        Some((field, ours, theirs)) => Err(PartialError::Mismatch {
            field,
            ours,
            theirs,
        }),
        // A part of the identity the list above does not name yet.
        None if ours != theirs => Err(PartialError::Mismatch {
            field: "run",
            ours: format!("{ours:?}"),
            theirs: format!("{theirs:?}"),
        }),
        None => Ok(()),
    }
}

/// Adds the sums of another run, its bucket `b` being this run's `remap[b]`.
fn absorb(into: &mut Sums, o: Sums, remap: &[u32]) {
    into.totals.absorb(&o.totals, remap);
    for (state, acc) in &o.by_state {
        into.by_state.entry(*state).or_default().absorb(acc, remap);
    }
    for ((_, map), (_, theirs)) in into.groups.iter_mut().zip(o.groups) {
        for (key, acc) in theirs.iter() {
            map.entry(key).absorb(acc, remap);
        }
    }
    into.measured_jobs = into.measured_jobs.saturating_add(o.measured_jobs);
    into.measured_kwh += o.measured_kwh;
    into.steps = into.steps.saturating_add(o.steps);
    into.jobs = into.jobs.saturating_add(o.jobs);
    into.issues.merge(o.issues);
    into.skipped.count = into.skipped.count.saturating_add(o.skipped.count);
    for e in o.skipped.examples {
        if into.skipped.examples.len() < 5 {
            into.skipped.examples.push(e);
        }
    }
    into.inputs.extend(o.inputs);
}

impl Accountant<'_> {
    /// What this run's sums depend on.
    fn identity(&self) -> RunIdentity {
        let bundle = self.engine.bundle();
        RunIdentity {
            impacts_version: env!("CARGO_PKG_VERSION").into(),
            data_bundle: bundle.hash.clone(),
            method: self.opts.method.clone(),
            center: self.center.name.clone(),
            center_digest: self
                .engine
                .center_text(&self.opts.center)
                .map(|(_, text)| {
                    format!(
                        "{:016x}",
                        impacts::impacts_model::rng::fnv1a(text.as_bytes())
                    )
                })
                .unwrap_or_default(),
            zone: self.center.spec.zone.code.clone(),
            time_zone: self
                .opts
                .time_zone
                .clone()
                .or_else(|| self.center.time_zone.clone()),
            default_partition: (!self.default_name.is_empty()).then(|| self.default_name.clone()),
            load: match self.opts.load {
                LoadPolicy::Default => "default (from the CPU time, else drawn)".into(),
                LoadPolicy::Fixed(l) => format!("{l} %"),
                LoadPolicy::FromCpuTime => "from-cputime".into(),
            },
            group_by: self.opts.group_by.clone(),
            grid: self.opts.grid.as_ref().map(|g| {
                let s = g.series();
                let mut bytes = Vec::with_capacity(16 * s.times.len() + 8);
                bytes.extend(s.step_s.to_le_bytes());
                for (t, v) in s.times.iter().zip(&s.values) {
                    bytes.extend(t.to_le_bytes());
                    bytes.extend(v.to_le_bytes());
                }
                format!("{:016x}", impacts::impacts_model::rng::fnv1a(&bytes))
            }),
        }
    }

    /// The sums of a run as a partial, its buckets named.
    pub(super) fn partial_of(&self, sums: Sums) -> Partial {
        let buckets = self
            .mc_buckets
            .keys
            .iter()
            .map(|k| {
                let (cluster, group, measured, _) = self.ests[k.estimator as usize].key;
                BucketName {
                    cluster: cluster as u32,
                    node_group: group.map(|g| g as u32),
                    measured,
                    loads: k.loads,
                }
            })
            .collect();
        Partial {
            format: FORMAT,
            run: self.identity(),
            buckets,
            sums,
        }
    }

    /// The report of partial runs merged ([`Partial::merge`]): what [`Accountant::run`] reports
    /// over all their jobs, with this run's samples, seed, percentiles and top groups. The
    /// partials must come from runs with this one's center, data and options.
    pub fn report_of(&mut self, partial: Partial) -> Result<AccountingReport, AccountingError> {
        check_same(&self.identity(), &partial.run)?;
        let mut remap = Vec::with_capacity(partial.buckets.len());
        for b in &partial.buckets {
            remap.push(self.bucket_named(b)?);
        }
        let mut sums = self.empty_sums();
        absorb(&mut sums, partial.sums, &remap);
        Ok(self.report(sums))
    }

    /// This run's number of a named bucket, its estimator built if needed.
    fn bucket_named(&mut self, b: &BucketName) -> Result<u32, AccountingError> {
        let cluster = b.cluster as usize;
        let part = self.partition_of_cluster(cluster).ok_or_else(|| {
            PartialError::Malformed(format!("no cluster {cluster} in the center"))
        })?;
        let group = match b.node_group {
            Some(g) if g as usize >= part.groups.len() => {
                return Err(PartialError::Malformed(format!(
                    "no node group {g} in partition {}",
                    part.name
                ))
                .into())
            }
            g => g.map(|g| g as usize),
        };
        if let Some((cpu, gpu)) = b.loads {
            if !(super::bucket_load(cpu) && super::bucket_load(gpu)) {
                return Err(PartialError::Malformed(format!(
                    "bucket loads {cpu} % and {gpu} %: loads are 0 to 100 % (or {} for a drawn load)",
                    super::DRAWN_LOAD
                ))
                .into());
            }
        }
        let ei = self.estimator((cluster, group, b.measured, super::drawn_of(b.loads)))?;
        let separable = !self.ests[ei].per_load();
        if separable == b.loads.is_some() {
            let what = if separable {
                "separable in load"
            } else {
                "not separable in load"
            };
            return Err(PartialError::Malformed(format!(
                "bucket loads {:?} for an estimator {what}",
                b.loads
            ))
            .into());
        }
        Ok(self.mc_buckets.id(McKey {
            estimator: ei as u32,
            loads: b.loads,
        }))
    }
}

/// An input as a partial keeps it.
#[derive(Deserialize)]
struct InputData {
    file: String,
    format: crate::input::InputFormat,
    compression: Option<String>,
    jobs: u64,
}

/// Reads a partial's inputs back, their compression named as the readers name it.
pub(super) fn inputs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<InputInfo>, D::Error> {
    let data: Vec<InputData> = Vec::deserialize(d)?;
    data.into_iter()
        .map(|i| {
            let compression = match i.compression.as_deref() {
                None => None,
                Some("gzip") => Some("gzip"),
                Some("zip") => Some("zip"),
                Some(other) => {
                    return Err(serde::de::Error::custom(format!(
                        "unknown compression '{other}'"
                    )))
                }
            };
            Ok(InputInfo {
                file: i.file,
                format: i.format,
                compression,
                jobs: i.jobs,
            })
        })
        .collect()
}
