//! The footprint of each run, from the scheduler's record of its job: the accountant writes every
//! job's row into [`Footprints`], and [`join`] finds each run's job by its id.

use std::collections::{HashMap, HashSet};

use impacts_accounting::sink::{JobRow, JobSink};
use impacts_table::TableError;
use serde::Serialize;

use crate::model::Run;
use crate::Warnings;

/// One job's footprint as the accountant computed it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Footprint {
    /// The job's cluster, as the scheduler names it.
    pub cluster: String,
    /// Its state (`COMPLETED`…).
    pub state: String,
    /// When the job started and ended, UTC seconds, when known.
    pub start: Option<i64>,
    /// See `start`.
    pub end: Option<i64>,
    /// Hours.
    pub hours: f64,
    /// Node-equivalents charged.
    pub node_equivalents: f64,
    /// Energy of its nodes, kWh (measured when the scheduler measured it): the energy to
    /// solution.
    pub energy_kwh: f64,
    /// `measured` or `model`.
    pub energy_source: String,
    /// Each criterion's total; bounds when sampled per job.
    pub impacts: Vec<Impact>,
}

impl Footprint {
    /// Its climate change (`gwp`), when the data bundle has the criterion.
    pub fn gwp(&self) -> Option<&Impact> {
        self.impacts.iter().find(|i| i.key == "gwp")
    }
}

/// The work a run's rate did over `hours`: a rate per time (`ns/day`, `Gflops/s`) times the
/// time, in the rate's numerator (`ns`, `Gflops`); None for anything that is not a rate per time.
pub fn work(value: f64, unit: &str, hours: f64) -> Option<(f64, String)> {
    let (what, per) = unit.split_once('/')?;
    let seconds = match per.trim() {
        "s" | "sec" | "second" | "seconds" => 1.0,
        "min" | "minute" => 60.0,
        "h" | "hour" => 3600.0,
        "day" => 86_400.0,
        _ => return None,
    };
    let w = value * hours * 3600.0 / seconds;
    (w.is_finite() && w > 0.0).then(|| (w, what.trim().to_string()))
}

/// A criterion's total for a job.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Impact {
    /// The criterion (`gwp`).
    pub key: String,
    /// Its unit.
    pub unit: String,
    /// The central value.
    pub value: f64,
    /// Bounds, when sampled per job.
    pub low: Option<f64>,
    /// See `low`.
    pub high: Option<f64>,
}

/// Every job's footprint, by job id (several when clusters share an id).
#[derive(Debug, Default)]
pub struct Footprints {
    criteria: Vec<(String, String)>,
    energy_at: Option<usize>,
    by_job: HashMap<String, Vec<Footprint>>,
    /// Jobs in the records that were not estimated (never started, no duration or no size).
    unestimated: HashSet<String>,
}

impl Footprints {
    /// An empty collection for an accountant's criteria and output layout.
    pub fn new(accountant: &impacts_accounting::accountant::Accountant<'_>) -> Footprints {
        let layout = accountant.layout();
        Footprints {
            criteria: accountant.criteria_units().to_vec(),
            energy_at: layout.measure(&impacts::impacts_model::layout::job_measures::IT_ENERGY),
            by_job: HashMap::new(),
            unestimated: HashSet::new(),
        }
    }

    /// Jobs kept.
    pub fn len(&self) -> usize {
        self.by_job.values().map(Vec::len).sum()
    }

    /// True when no job was kept.
    pub fn is_empty(&self) -> bool {
        self.by_job.is_empty()
    }
}

impl JobSink for Footprints {
    fn write(&mut self, row: &JobRow<'_>) -> Result<(), TableError> {
        let values = row.outputs.values();
        let record = row.record;
        let id = if record.job_id_raw.is_empty() {
            &record.job_id
        } else {
            &record.job_id_raw
        };
        if values.is_empty() {
            self.unestimated.insert(id.clone());
            return Ok(());
        }
        let layout = row.outputs.layout();
        let impacts = self
            .criteria
            .iter()
            .enumerate()
            .map(|(c, (k, u))| {
                let value = values[layout.total(c)];
                let bounds = row.bounds.and_then(|b| b.get(c)).copied();
                Impact {
                    key: k.clone(),
                    unit: u.clone(),
                    value,
                    low: bounds.map(|b| b.0),
                    high: bounds.map(|b| b.1),
                }
            })
            .collect();
        let f = Footprint {
            cluster: record.cluster.clone(),
            state: record.state_raw.clone(),
            start: row.start,
            end: row.end,
            hours: row.hours,
            node_equivalents: row.node_equivalents,
            energy_kwh: self.energy_at.map_or(0.0, |i| values[i]),
            energy_source: row.energy_source.to_string(),
            impacts,
        };
        self.by_job.entry(id.clone()).or_default().push(f);
        Ok(())
    }

    fn finish(&mut self) -> Result<(), TableError> {
        Ok(())
    }
}

/// The footprint of each run's job: found by job id; among jobs of several clusters with that
/// id, the one of the run's system (`bench.ambiguous-job` when none is); a run without a job id, a
/// record or an estimate is `None` (`bench.no-jobid`, `bench.no-record`,
/// `bench.job-not-estimated`: its record has no duration or no size), and so is one whose job
/// ran at another time (`bench.job-mismatch`).
pub fn join<'f>(
    runs: &[Run],
    jobs: &'f Footprints,
    warnings: &mut Warnings,
) -> Vec<Option<&'f Footprint>> {
    runs.iter()
        .map(|r| {
            let Some(id) = &r.jobid else {
                warnings.add("bench.no-jobid", &r.source);
                return None;
            };
            let found = jobs.by_job.get(id).map(Vec::as_slice).unwrap_or(&[]);
            match found {
                [] if jobs.unestimated.contains(id) => {
                    warnings.add("bench.job-not-estimated", &format!("{} job {id}", r.source));
                    None
                }
                [] => {
                    warnings.add("bench.no-record", &format!("{} job {id}", r.source));
                    None
                }
                [one] => Some(one),
                many => match many.iter().find(|f| f.cluster == r.system) {
                    Some(f) => Some(f),
                    None => {
                        warnings.add("bench.ambiguous-job", &format!("{} job {id}", r.source));
                        None
                    }
                },
            }
            .filter(|f| {
                let fits = fits_in_time(r.time, f.start, f.end);
                if !fits {
                    warnings.add("bench.job-mismatch", &format!("{} job {id}", r.source));
                }
                fits
            })
        })
        .collect()
}

/// The most a run's completion time may follow its job's end: ReFrame notes a completion when
/// it polls the scheduler, and a run report of data version 3 gives only its session's end.
const LATE: i64 = 7 * 86_400;

/// True when a run's completion time can be its job's: not before the job started, not long after
/// it ended (a job id reused by the scheduler, or a local run's process id, is another job); a
/// run or a job without times is taken on its id. Times in UTC seconds.
pub fn fits_in_time(run: Option<i64>, start: Option<i64>, end: Option<i64>) -> bool {
    match (run, start, end) {
        (Some(t), Some(start), _) if t < start => false,
        (Some(t), _, Some(end)) => t <= end + LATE,
        _ => true,
    }
}

/// The footprint of a run without a scheduler record, estimated from what ReFrame knows of it:
/// its nodes (node list, else `num_nodes`) for its run time (a run report's `time_run`) on
/// `partition` of the center. None when either is unknown. Its energy is the model's; its
/// `energy_source` says `estimated`, its state `(no record)`.
pub fn estimated(
    engine: &impacts::Engine,
    center: &impacts::CenterSource,
    opts: &impacts::Options,
    run: &Run,
    partition: &str,
) -> Result<Option<Footprint>, impacts::Error> {
    let (Some(nodes), Some(seconds)) = (run.nodes(), run.run_seconds) else {
        return Ok(None);
    };
    if nodes == 0 || seconds <= 0.0 {
        return Ok(None);
    }
    let request = impacts::JobRequest {
        center: center.clone(),
        partition: partition.to_string(),
        nodes: Some(nodes as f64),
        hours: seconds / 3600.0,
        ..impacts::JobRequest::default()
    };
    let report = engine.job(&request, opts)?;
    let impacts = report
        .impacts
        .iter()
        .map(|(k, e)| Impact {
            key: k.clone(),
            unit: e.unit.clone(),
            value: e.value,
            low: (opts.samples > 0).then_some(e.low),
            high: (opts.samples > 0).then_some(e.high),
        })
        .collect();
    Ok(Some(Footprint {
        cluster: run.system.clone(),
        state: "(no record)".into(),
        start: None,
        end: run.time,
        hours: seconds / 3600.0,
        node_equivalents: nodes as f64,
        energy_kwh: report.quantities.get("it_energy").map_or(0.0, |e| e.value),
        energy_source: "estimated".into(),
        impacts,
    }))
}
