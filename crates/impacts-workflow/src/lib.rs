//! Workflows: named stages — jobs (described, or by job id from an accounting file), data
//! transfers, storage — with dependencies, evaluated stage by stage and in total.
//!
//! The total's bounds are the stages' Monte Carlo samples summed sample by sample: the generator
//! draws the same values for the same input in every stage (a center's PUE, an electricity
//! factor, a component's impact), so what stages share is correlated as it should be, which
//! summing the stages' bounds would not do.
//!
//! ```toml
//! name = "climate run"
//! [stages.simulate]
//! job = { center = "jean-zay", partition = "gpu_p6", nodes = 16, hours = 24, load = 80 }
//! [stages.ship]
//! after = ["simulate"]
//! transfer = { volume = "20TB", from = "FR", to = "DE" }
//! [stages.keep]
//! after = ["ship"]
//! storage = { volume = "20TB", years = 5, center = "jean-zay" }
//! ```

#![warn(missing_docs)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use impacts::impacts_grid::{Column, Options as SeriesOptions, Series};
use impacts::impacts_model::report::{Estimate, Warning};
use impacts::{
    CenterSource, Engine, JobRequest, Options, OrderedMap, Report, StorageRequest, TransferRequest,
    Uncertainty,
};
use impacts::{InputError, Location};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// An error of a workflow file: what is wrong, located in the file.
pub type WorkflowError = InputError;

/// An error at a line and column of a workflow file (line 0: the whole file).
fn located(file: &str, line: usize, column: usize, message: impl Into<String>) -> WorkflowError {
    let column = (column > 0).then_some(column as u64);
    InputError::malformed(message).at(Location::at(file, line as u64, column))
}

/// An error of a workflow: of its file, or of one of its stages when evaluated.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file.
    #[error(transparent)]
    File(#[from] WorkflowError),
    /// A stage the engine refused.
    #[error("stage {stage}: {source}")]
    Stage {
        /// The stage.
        stage: String,
        /// Why.
        source: impacts::Error,
    },
}

impl Error {
    /// True when the input is at fault (exit code 2).
    pub fn is_bad_input(&self) -> bool {
        match self {
            Error::File(_) => true,
            Error::Stage { source, .. } => source.is_bad_input(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkflow {
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    stages: BTreeMap<String, Spanned<RawStage>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    #[serde(default)]
    after: Vec<Spanned<String>>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    job: Option<Spanned<RawJob>>,
    #[serde(default)]
    transfer: Option<Spanned<RawTransfer>>,
    #[serde(default)]
    storage: Option<Spanned<RawStorage>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawJob {
    center: Option<String>,
    partition: Option<String>,
    node_type: Option<String>,
    nodes: Option<f64>,
    cores: Option<f64>,
    gpus: Option<f64>,
    memory: Option<String>,
    hours: Option<f64>,
    load: Option<f64>,
    cpu_load: Option<f64>,
    gpu_load: Option<f64>,
    zone: Option<String>,
    pue: Option<f64>,
    energy: Option<String>,
    start: Option<String>,
    grid_series: Option<String>,
    grid_column: Option<String>,
    accounting: Option<String>,
    job_id: Option<String>,
    fields: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTransfer {
    volume: String,
    from: String,
    to: String,
    #[serde(default)]
    factor: Option<String>,
    #[serde(default)]
    kwh_per_gb: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStorage {
    volume: String,
    years: f64,
    #[serde(default)]
    center: Option<String>,
    #[serde(default)]
    tier: Option<String>,
    #[serde(default)]
    media: Option<String>,
    #[serde(default)]
    zone: Option<String>,
    #[serde(default)]
    redundancy: Option<f64>,
    #[serde(default)]
    pue: Option<f64>,
}

/// A job stage: the request, and the grid series and start that give its electricity's hourly
/// intensity.
#[derive(Clone, Debug)]
pub struct JobStage {
    /// The request (its `grid` is filled at evaluation from `series` and `start`).
    pub request: JobRequest,
    /// When it started (UTC seconds).
    pub start: Option<i64>,
    /// The intensity series (path) and the column to read.
    pub series: Option<(String, Column)>,
    /// Where it came from: an accounting file and a job id.
    pub from_accounting: Option<(String, String)>,
}

/// What a stage is.
#[derive(Clone, Debug)]
pub enum StageKind {
    /// A job.
    Job(Box<JobStage>),
    /// A transfer.
    Transfer(TransferRequest),
    /// Storage.
    Storage(StorageRequest),
}

impl StageKind {
    /// `job`, `transfer` or `storage`.
    pub fn as_str(&self) -> &'static str {
        match self {
            StageKind::Job(_) => "job",
            StageKind::Transfer(_) => "transfer",
            StageKind::Storage(_) => "storage",
        }
    }
}

/// A stage.
#[derive(Clone, Debug)]
pub struct Stage {
    /// Name.
    pub name: String,
    /// Stages it comes after.
    pub after: Vec<String>,
    /// Description.
    pub description: Option<String>,
    /// What it is.
    pub kind: StageKind,
    /// Line of its table in the file.
    pub line: usize,
}

/// A workflow, checked, its stages in an order that respects their dependencies.
#[derive(Clone, Debug)]
pub struct Workflow {
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// The file.
    pub file: String,
    /// Stages, dependencies first (ties in name order).
    pub stages: Vec<Stage>,
}

/// A path as written in a workflow: absolute, or relative to the workflow's folder.
fn path_in(dir: &Path, p: &str) -> String {
    let path = Path::new(p);
    if path.is_absolute() {
        p.to_string()
    } else {
        dir.join(path).to_string_lossy().into_owned()
    }
}

struct Cx<'a> {
    file: &'a str,
    text: &'a str,
    /// The folder of relative paths; `None` when no file may be read (a workflow a client sent).
    dir: Option<PathBuf>,
}

impl Cx<'_> {
    /// A file a workflow names, for `what`: absolute or relative to the workflow's folder; an
    /// error when the workflow was sent to a service, which reads no file for its clients.
    fn path(&self, p: &str, what: &str) -> Result<String, String> {
        match &self.dir {
            Some(dir) => Ok(path_in(dir, p)),
            None => Err(format!(
                "{what} '{p}' is a file, which a workflow sent to the service cannot name"
            )),
        }
    }

    fn err(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> WorkflowError {
        InputError::malformed(message).at(Location::in_text(self.file, self.text, span.start))
    }

    fn center(&self, c: &str, span: std::ops::Range<usize>) -> Result<CenterSource, WorkflowError> {
        if c.ends_with(".toml") || c.contains('/') {
            let p = self
                .path(c, "center")
                .map_err(|m| self.err(span.clone(), format!("{m}: expected a bundled center")))?;
            let text = std::fs::read_to_string(&p)
                .map_err(|e| self.err(span, format!("cannot read center file '{p}': {e}")))?;
            Ok(CenterSource::Text { label: p, text })
        } else {
            Ok(CenterSource::Bundled(c.to_string()))
        }
    }

    fn size_gb(
        &self,
        v: &str,
        what: &str,
        span: std::ops::Range<usize>,
    ) -> Result<f64, WorkflowError> {
        impacts::impacts_data::units::parse_size_gb(v)
            .map_err(|e| self.err(span, format!("{what}: {e}")))
    }
}

impl Workflow {
    /// Reads a workflow file.
    pub fn read(path: &str) -> Result<Workflow, WorkflowError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| located(path, 0, 0, format!("cannot read: {e}")))?;
        Workflow::parse(path, &text)
    }

    /// Parses a workflow's text, named `file` (relative paths in it are relative to its folder).
    pub fn parse(file: &str, text: &str) -> Result<Workflow, WorkflowError> {
        let dir = Path::new(file)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        Workflow::parse_in(file, text, Some(dir))
    }

    /// Parses a workflow's text sent by a client of a service, named `label` in errors: it may
    /// name bundled centers only, never a file of the machine that reads it.
    pub fn parse_sent(label: &str, text: &str) -> Result<Workflow, WorkflowError> {
        Workflow::parse_in(label, text, None)
    }

    fn parse_in(file: &str, text: &str, dir: Option<PathBuf>) -> Result<Workflow, WorkflowError> {
        let cx = Cx { file, text, dir };
        let raw: RawWorkflow = toml::from_str(text).map_err(|e| {
            let at = match e.span() {
                Some(s) => Location::in_text(file, text, s.start),
                None => Location::file(file),
            };
            InputError::malformed(e.message().trim()).at(at)
        })?;
        if raw.stages.is_empty() {
            return Err(located(
                file,
                0,
                0,
                "no stages: expected [stages.NAME] tables with job, transfer or storage",
            ));
        }
        let names: BTreeSet<&String> = raw.stages.keys().collect();
        let mut stages = Vec::new();
        for (name, s) in &raw.stages {
            let span = s.span();
            let r = s.get_ref();
            let line = impacts::impacts_center::locate(text, span.start).0;
            for a in &r.after {
                if !names.contains(a.get_ref()) {
                    return Err(cx.err(
                        a.span(),
                        format!(
                            "stage {name} comes after '{}', which is not a stage: expected one of {}",
                            a.get_ref(),
                            names.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
            }
            let kinds = [r.job.is_some(), r.transfer.is_some(), r.storage.is_some()]
                .iter()
                .filter(|x| **x)
                .count();
            if kinds != 1 {
                return Err(cx.err(
                    span,
                    format!("stage {name}: expected exactly one of job, transfer or storage, found {kinds}"),
                ));
            }
            let kind = if let Some(j) = &r.job {
                StageKind::Job(Box::new(job_stage(&cx, name, j)?))
            } else if let Some(t) = &r.transfer {
                let tr = t.get_ref();
                let factor = match (&tr.factor, tr.kwh_per_gb) {
                    (Some(_), Some(_)) => {
                        return Err(cx.err(
                            t.span(),
                            format!("stage {name}: give factor or kwh_per_gb, not both"),
                        ))
                    }
                    (f, None) => f.clone(),
                    (None, Some(x)) => Some(format!("{x}")),
                };
                StageKind::Transfer(TransferRequest {
                    volume_gb: cx.size_gb(
                        &tr.volume,
                        &format!("stage {name}: volume"),
                        t.span(),
                    )?,
                    from: tr.from.clone(),
                    to: tr.to.clone(),
                    factor,
                })
            } else if let Some(st) = &r.storage {
                let sr = st.get_ref();
                StageKind::Storage(StorageRequest {
                    volume_tb: cx.size_gb(
                        &sr.volume,
                        &format!("stage {name}: volume"),
                        st.span(),
                    )? / 1000.0,
                    years: sr.years,
                    center: sr
                        .center
                        .as_deref()
                        .map(|c| cx.center(c, st.span()))
                        .transpose()?,
                    tier: sr.tier.clone(),
                    media: sr.media.clone(),
                    zone: sr.zone.clone(),
                    redundancy: sr.redundancy,
                    pue: sr.pue,
                })
            } else {
                unreachable!("one kind, checked above")
            };
            stages.push(Stage {
                name: name.clone(),
                after: r.after.iter().map(|a| a.get_ref().clone()).collect(),
                description: r.description.clone(),
                kind,
                line,
            });
        }
        let stages = order(&cx, &raw, stages)?;
        Ok(Workflow {
            name: raw.name,
            description: raw.description,
            file: file.to_string(),
            stages,
        })
    }
}

fn job_stage(cx: &Cx<'_>, name: &str, j: &Spanned<RawJob>) -> Result<JobStage, WorkflowError> {
    let span = j.span();
    let r = j.get_ref();
    let err = |m: String| cx.err(span.clone(), format!("stage {name}: {m}"));
    let center = r
        .center
        .as_deref()
        .ok_or_else(|| err("a job needs a center (jean-zay or a center file)".into()))?;
    let mut req = JobRequest {
        center: cx.center(center, span.clone())?,
        partition: r.partition.clone().unwrap_or_default(),
        node_type: r.node_type.clone(),
        nodes: r.nodes,
        cores: r.cores,
        gpus: r.gpus,
        memory_gb: r
            .memory
            .as_deref()
            .map(|m| cx.size_gb(m, &format!("stage {name}: memory"), span.clone()))
            .transpose()?,
        hours: r.hours.unwrap_or(0.0),
        load: r.load,
        cpu_load: r.cpu_load,
        gpu_load: r.gpu_load,
        zone: r.zone.clone(),
        measured_energy_kwh: r
            .energy
            .as_deref()
            .map(|e| {
                impacts::impacts_data::units::parse_energy_kwh(e)
                    .map_err(|e| err(format!("energy: {e}")))
            })
            .transpose()?,
        grid: None,
        pue: r.pue,
    };
    let mut start = match &r.start {
        Some(s) => Some(instant(s).ok_or_else(|| err(format!("invalid start '{s}': expected an ISO 8601 instant with its zone, such as 2023-03-01T20:00:00Z")))?),
        None => None,
    };
    let mut from_accounting = None;
    if let Some(acc) = &r.accounting {
        let id = r
            .job_id
            .as_deref()
            .ok_or_else(|| err("accounting needs job_id (the scheduler's job id)".into()))?;
        let path = cx.path(acc, "accounting").map_err(&err)?;
        let rec = find_job(&path, id, r.fields.as_deref()).map_err(err)?;
        if req.partition.is_empty() {
            req.partition = rec.partition.split(',').next().unwrap_or("").to_string();
        }
        let secs = rec.duration_s().filter(|s| *s > 0.0).ok_or_else(|| {
            err(format!(
                "job {id} of {path} has no duration (state {})",
                rec.state_raw
            ))
        })?;
        req.hours = secs / 3600.0;
        if req.nodes.is_none() && req.cores.is_none() && req.gpus.is_none() {
            req.nodes = rec.nodes;
            req.cores = rec.cpus;
            req.gpus = rec.gpus.filter(|g| *g > 0.0);
        }
        if req.measured_energy_kwh.is_none() {
            req.measured_energy_kwh = rec.measured_energy_j().map(|j| j / 3.6e6);
        }
        if start.is_none() {
            // sacct prints the cluster's local time; JSON gives UTC. The stage's start overrides.
            start = rec.start.map(|t| t.0);
        }
        from_accounting = Some((path, id.to_string()));
    } else if r.job_id.is_some() || r.fields.is_some() {
        return Err(err(
            "job_id and fields go with accounting (an accounting file)".into(),
        ));
    }
    if req.partition.is_empty() {
        return Err(err("a job needs a partition".into()));
    }
    if !(req.hours.is_finite() && req.hours > 0.0) {
        return Err(err(
            "a job needs hours (a positive number), or accounting and job_id".into(),
        ));
    }
    let series = match &r.grid_series {
        Some(s) => {
            let column = match r.grid_column.as_deref().unwrap_or("lifecycle") {
                "lifecycle" | "life-cycle" | "lca" => Column::LifeCycle,
                "direct" => Column::Direct,
                other => {
                    return Err(err(format!(
                        "invalid grid_column '{other}': expected lifecycle or direct"
                    )))
                }
            };
            if start.is_none() {
                return Err(err("grid_series needs start (when the job started)".into()));
            }
            Some((cx.path(s, "grid_series").map_err(&err)?, column))
        }
        None => None,
    };
    Ok(JobStage {
        request: req,
        start,
        series,
        from_accounting,
    })
}

fn instant(s: &str) -> Option<i64> {
    match impacts::impacts_grid::parse_instant(s)? {
        (local, Some(offset)) => Some(local - offset),
        _ => None,
    }
}

fn find_job(
    path: &str,
    id: &str,
    fields: Option<&str>,
) -> Result<impacts_accounting::record::JobRecord, String> {
    let ids = std::iter::once(id.to_string()).collect();
    if let Some(rec) = impacts_accounting::find_jobs(path, fields, &ids)
        .map_err(|e| e.to_string())?
        .remove(id)
    {
        return Ok(rec);
    }
    Err(format!("job {id} is not in {path}"))
}

/// Dependencies first; a cycle is an error that names it.
fn order(cx: &Cx<'_>, raw: &RawWorkflow, stages: Vec<Stage>) -> Result<Vec<Stage>, WorkflowError> {
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut left: Vec<Stage> = stages;
    let mut out = Vec::new();
    while !left.is_empty() {
        let ready: Vec<usize> = (0..left.len())
            .filter(|&i| left[i].after.iter().all(|a| done.contains(a)))
            .collect();
        if ready.is_empty() {
            // Follow `after` from any left stage until a stage repeats: that is a cycle.
            let mut path = vec![left[0].name.clone()];
            loop {
                let cur = path.last().cloned().unwrap_or_default();
                let next = left
                    .iter()
                    .find(|s| s.name == cur)
                    .and_then(|s| s.after.iter().find(|a| !done.contains(*a)))
                    .cloned();
                let Some(n) = next else { break };
                if let Some(p) = path.iter().position(|x| *x == n) {
                    let mut cycle: Vec<String> = path[p..].to_vec();
                    cycle.push(n);
                    let span = raw.stages.get(&cycle[0]).map(|s| s.span()).unwrap_or(0..0);
                    return Err(cx.err(
                        span,
                        format!(
                            "the stages depend on each other in a cycle: {}",
                            cycle.join(" after ")
                        ),
                    ));
                }
                path.push(n);
            }
            return Err(cx.err(0..0, "the stages' dependencies cannot be ordered"));
        }
        let mut round: Vec<Stage> = Vec::new();
        for i in ready.into_iter().rev() {
            round.push(left.remove(i));
        }
        round.sort_by(|a, b| a.name.cmp(&b.name));
        done.extend(round.iter().map(|s| s.name.clone()));
        out.extend(round);
    }
    Ok(out)
}

/// A stage's result.
#[derive(Clone, Debug, Serialize)]
pub struct StageResult {
    /// Name.
    pub name: String,
    /// `job`, `transfer` or `storage`.
    pub kind: String,
    /// Stages it comes after.
    pub after: Vec<String>,
    /// What it is, in words.
    pub subject: String,
    /// Its impacts.
    pub impacts: OrderedMap<Estimate>,
    /// Its share of the workflow's total, per criterion.
    pub share: OrderedMap<f64>,
}

/// The footprint of a workflow.
#[derive(Clone, Debug, Serialize)]
pub struct WorkflowReport {
    /// `workflow`.
    pub kind: String,
    /// Name.
    pub name: String,
    /// The file.
    pub file: String,
    /// The total, with bounds from the stages' samples summed.
    pub impacts: OrderedMap<Estimate>,
    /// Phases summed over the stages (central values).
    pub phases: OrderedMap<OrderedMap<f64>>,
    /// Each stage.
    pub stages: Vec<StageResult>,
    /// Warnings of the stages, each once, prefixed by the stages that raised it.
    pub warnings: Vec<Warning>,
    /// Each stage's full report.
    pub reports: OrderedMap<Report>,
    /// Method.
    pub method: String,
    /// Data bundle.
    pub data_bundle: String,
    /// How the bounds were obtained.
    pub uncertainty: Uncertainty,
    /// Version.
    pub impacts_version: String,
}

impl Workflow {
    /// The job request of a stage, with its grid intensity (and the warnings about it).
    pub fn job_request(
        &self,
        engine: &Engine,
        j: &JobStage,
        method: &str,
    ) -> Result<(JobRequest, Vec<Warning>), impacts::Error> {
        let mut req = j.request.clone();
        let mut warnings = Vec::new();
        if let (Some((path, column)), Some(start)) = (&j.series, j.start) {
            let series = Series::read(path, &SeriesOptions { column: *column })?;
            let center = engine.center(&req.center, method, req.zone.as_deref())?;
            let (g, w) = engine.grid_factor(&series, &center, start, req.hours)?;
            req.grid = g;
            warnings = w;
        }
        Ok((req, warnings))
    }

    /// Evaluates one stage.
    pub fn evaluate_stage(
        &self,
        engine: &Engine,
        stage: &Stage,
        opts: &Options,
    ) -> Result<Report, Error> {
        let wrap = |e: impacts::Error| Error::Stage {
            stage: stage.name.clone(),
            source: e,
        };
        match &stage.kind {
            StageKind::Job(j) => {
                let (req, w) = self.job_request(engine, j, &opts.method).map_err(wrap)?;
                let mut r = engine.job(&req, opts).map_err(wrap)?;
                r.warnings.extend(w);
                if let Some((f, id)) = &j.from_accounting {
                    r.inputs
                        .push("accounting", serde_json::json!({"file": f, "job_id": id}));
                }
                Ok(r)
            }
            StageKind::Transfer(t) => engine.transfer(t, opts).map_err(wrap),
            StageKind::Storage(s) => engine.storage(s, opts).map_err(wrap),
        }
    }

    /// Evaluates every stage and the total.
    pub fn evaluate(&self, engine: &Engine, opts: &Options) -> Result<WorkflowReport, Error> {
        let mut reports = OrderedMap::new();
        for s in &self.stages {
            reports.push(s.name.clone(), self.evaluate_stage(engine, s, opts)?);
        }
        Ok(self.summarize(engine, reports, opts))
    }

    fn summarize(
        &self,
        engine: &Engine,
        reports: OrderedMap<Report>,
        opts: &Options,
    ) -> WorkflowReport {
        let criteria = engine.bundle().criteria.key_units();
        let parts: Vec<&Report> = reports.iter().map(|(_, r)| r).collect();
        let impacts = engine.sum_reports(&parts, opts);
        let totals: Vec<f64> = impacts.iter().map(|(_, e)| e.value).collect();
        let mut phases: OrderedMap<OrderedMap<f64>> = OrderedMap::new();
        for ph in ["manufacturing", "use", "idle", "facility"] {
            let mut m = OrderedMap::new();
            let mut any = false;
            for (key, _) in &criteria {
                let v: f64 = reports
                    .iter()
                    .filter_map(|(_, r)| r.phases.get(ph).and_then(|p| p.get(key)))
                    .map(|e| {
                        any = true;
                        e.value
                    })
                    .sum();
                m.push(key.clone(), v);
            }
            if any {
                phases.push(ph, m);
            }
        }
        let mut stages = Vec::new();
        let mut warnings: Vec<(Warning, Vec<String>)> = Vec::new();
        for s in &self.stages {
            let Some(r) = reports.get(&s.name) else {
                continue;
            };
            let mut share = OrderedMap::new();
            for (c, (key, _)) in criteria.iter().enumerate() {
                let v = r.impacts.get(key).map_or(0.0, |e| e.value);
                share.push(
                    key.clone(),
                    if totals[c] > 0.0 { v / totals[c] } else { 0.0 },
                );
            }
            stages.push(StageResult {
                name: s.name.clone(),
                kind: s.kind.as_str().into(),
                after: s.after.clone(),
                subject: r.subject.clone(),
                impacts: r.impacts.clone(),
                share,
            });
            for w in &r.warnings {
                match warnings.iter_mut().find(|(x, _)| x == w) {
                    Some((_, who)) => who.push(s.name.clone()),
                    None => warnings.push((w.clone(), vec![s.name.clone()])),
                }
            }
        }
        let warnings = warnings
            .into_iter()
            .map(|(w, who)| Warning {
                code: w.code,
                message: format!("[{}] {}", who.join(", "), w.message),
            })
            .collect();
        let mut unc = Uncertainty::new(opts.samples, opts.seed, opts.percentiles);
        if opts.samples > 0 {
            unc.note.push_str("; the total's bounds sum the stages' samples one by one, so inputs the stages share are drawn once");
        }
        WorkflowReport {
            kind: "workflow".into(),
            name: self.name.clone(),
            file: self.file.clone(),
            impacts,
            phases,
            stages,
            warnings,
            reports,
            method: opts.method.clone(),
            data_bundle: engine.bundle().hash.clone(),
            uncertainty: unc,
            impacts_version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// A what-if: `key=value` changes applied to every stage they concern.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scenario {
    /// Its label (`zone=DE,pue=1.1`).
    pub label: String,
    /// Electricity zone of jobs and storage.
    pub zone: Option<String>,
    /// PUE of jobs and storage.
    pub pue: Option<f64>,
    /// Start of the jobs (UTC seconds); jobs with a grid series move to it.
    pub start: Option<i64>,
    /// CPU and GPU load of the jobs (%).
    pub load: Option<f64>,
}

impl Scenario {
    /// Parses `zone=DE,pue=1.1,start=2023-03-02T03:00:00Z,load=50`.
    pub fn parse(s: &str) -> Result<Scenario, InputError> {
        let mut sc = Scenario {
            label: s.to_string(),
            ..Scenario::default()
        };
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').ok_or_else(|| {
                InputError::invalid("what_if", part, "KEY=VALUE (zone, pue, start, load)")
            })?;
            let num = |v: &str| {
                v.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| {
                        InputError::invalid("what_if", part, format!("a number for {k}"))
                    })
            };
            match k.trim() {
                "zone" => sc.zone = Some(v.trim().to_string()),
                "pue" => sc.pue = Some(num(v)?),
                "load" => sc.load = Some(num(v)?),
                "start" => {
                    sc.start = Some(instant(v).ok_or_else(|| {
                        InputError::invalid(
                        "what_if",
                        part,
                        "an ISO 8601 instant with its zone for start, such as 2023-03-02T03:00:00Z",
                    )
                    })?)
                }
                other => {
                    return Err(InputError::invalid(
                        "what_if",
                        part,
                        format!("a key among zone, pue, start and load, not {other}"),
                    ))
                }
            }
        }
        if sc
            == (Scenario {
                label: sc.label.clone(),
                ..Scenario::default()
            })
        {
            return Err(InputError::invalid(
                "what_if",
                s,
                "KEY=VALUE (zone, pue, start, load)",
            ));
        }
        Ok(sc)
    }

    /// The workflow with the scenario's changes; `start` needs jobs with a grid series.
    pub fn apply(&self, w: &Workflow) -> Result<Workflow, InputError> {
        let mut w = w.clone();
        for s in &mut w.stages {
            match &mut s.kind {
                StageKind::Job(j) => {
                    if let Some(z) = &self.zone {
                        j.request.zone = Some(z.clone());
                    }
                    if self.pue.is_some() {
                        j.request.pue = self.pue;
                    }
                    if let Some(l) = self.load {
                        j.request.load = Some(l);
                        j.request.cpu_load = None;
                        j.request.gpu_load = None;
                    }
                    if let Some(t) = self.start {
                        if j.series.is_none() {
                            return Err(InputError::invalid(
                                "what_if",
                                &self.label,
                                format!("no start for stage {}: it has no grid_series, so its start does not change its footprint", s.name),
                            ));
                        }
                        j.start = Some(t);
                    }
                }
                StageKind::Storage(st) => {
                    if let Some(z) = &self.zone {
                        st.zone = Some(z.clone());
                    }
                    if self.pue.is_some() {
                        st.pue = self.pue;
                    }
                }
                StageKind::Transfer(_) => {}
            }
        }
        Ok(w)
    }
}

/// A scenario's totals beside the baseline's.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioResult {
    /// Label.
    pub label: String,
    /// Totals.
    pub impacts: OrderedMap<Estimate>,
    /// Change from the baseline, per criterion (%).
    pub change_percent: OrderedMap<f64>,
}

/// Compares scenarios: the first row is the baseline.
pub fn compare(rows: Vec<(String, OrderedMap<Estimate>)>) -> Vec<ScenarioResult> {
    let base: Vec<(String, f64)> = rows
        .first()
        .map(|(_, m)| m.iter().map(|(k, e)| (k.clone(), e.value)).collect())
        .unwrap_or_default();
    rows.into_iter()
        .map(|(label, impacts)| {
            let mut change = OrderedMap::new();
            for (k, b) in &base {
                let v = impacts.get(k).map_or(0.0, |e| e.value);
                change.push(k.clone(), if *b != 0.0 { 100.0 * (v - b) / b } else { 0.0 });
            }
            ScenarioResult {
                label,
                impacts,
                change_percent: change,
            }
        })
        .collect()
}
