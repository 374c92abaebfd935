//! `impacts`: the environmental footprint of scientific computing, as a library.
//!
//! An [`Engine`] holds the embedded data bundle and answers requests — a job on a center's
//! partition ([`JobRequest`]), a server ([`ServerRequest`]), a component ([`ComponentRequest`]),
//! an amount of electricity ([`EnergyRequest`]) — with a [`Report`]: three criteria with central
//! values and Monte Carlo bounds, a phase breakdown, warnings with stable codes, the bundle's
//! hash and, on request, the derivation tree of every number. Requests and reports are plain
//! serde data: the command line, and later a service or Python bindings, are thin shells.
//!
//! For many jobs on one partition, [`JobEstimator`] compiles the partition once and evaluates
//! each job with a few dozen arithmetic operations.
//!
//! ```
//! use impacts::{CenterSource, Engine, JobRequest, Options};
//!
//! let engine = Engine::new().unwrap();
//! let req = JobRequest {
//!     center: CenterSource::Bundled("jean-zay".into()),
//!     partition: "gpu_p5".into(),
//!     nodes: Some(2.0),
//!     hours: 5.0,
//!     zone: Some("FR".into()),
//!     ..JobRequest::default()
//! };
//! let report = engine.job(&req, &Options { samples: 200, ..Options::default() }).unwrap();
//! let gwp = report.impacts.get("gwp").unwrap();
//! assert!(gwp.low <= gwp.value && gwp.value <= gwp.high);
//! assert_eq!(report.data_bundle, engine.bundle().hash);
//! ```

#![warn(missing_docs)]

mod charge;
mod error;
mod evaluate;
mod hardware;
mod job;
mod outputs;
pub mod report;
mod request;
mod storage;

pub(crate) use charge::check_load;
pub use charge::*;
pub use error::Error;
pub use evaluate::{check_sampling_memory, MAX_SAMPLING_BYTES};
pub(crate) use evaluate::{estimate, evaluate, evaluate_planned, Evaluated};
pub use hardware::{describe_server, user_input};
pub use impacts_error::{InputError, Kind as InputKind, Location};
pub(crate) use job::apply_pue;
pub use job::{JobEstimator, MAX_JOB_H, MAX_PLAUSIBLE_JOB_H, MAX_PLAUSIBLE_NODE_W};
pub use request::*;
pub use storage::{StorageActivityRequest, StorageRequest, TransferRequest};

use impacts_center::Center;
use impacts_data::Bundle;
use impacts_model::criteria::Constants;
use impacts_model::eval::{sensitivity, spread, MonteCarlo, Percentiles};
use impacts_model::explain::{explain, ExplainContext};
use impacts_model::graph::{Graph, NodeId};
use impacts_model::quantity::fmt_num;
use impacts_model::report::Estimate;
use outputs::ReportOutputs;
pub use report::{OrderedMap, Report, Uncertainty};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

pub use impacts_center;
pub use impacts_data;
pub use impacts_grid;
pub use impacts_model;

/// A bundled center resolved for a method and a zone: (name, method, zone).
type CenterKey = (String, String, Option<String>);

/// Resolved bundled centers, by (name, method, zone).
type CenterCache = std::collections::HashMap<CenterKey, Arc<Center>>;

/// A job model of a bundled center: the center, its partition (`None`: the default one), the
/// node group, whether a measured energy replaces the modelled electricity, which loads are
/// unknown (drawn).
pub(crate) type EstimatorKey = (
    CenterKey,
    Option<usize>,
    Option<usize>,
    bool,
    impacts_model::job::DrawnLoads,
);

/// Compiled job models of bundled centers.
type EstimatorCache = std::collections::HashMap<EstimatorKey, Arc<JobEstimator>>;

/// Monte Carlo draws of kept job models, by model, samples and seed, and the bytes they hold.
#[derive(Debug, Default)]
struct DrawCache {
    draws: std::collections::HashMap<(EstimatorKey, usize, u64), Arc<MonteCarlo>>,
    bytes: usize,
}

/// The most bytes of kept draws (a job model's 1,000 draws hold about 6 MB): past it the cache
/// starts again.
const DRAWS_KEPT_BYTES: usize = 256 << 20;

/// The most resolved centers kept: a zone is matched loosely (case, spaces), so a client could
/// name one zone in any number of ways; past this many the cache starts again.
const CENTERS_KEPT: usize = 64;

/// The most compiled job models kept (a few hundred kilobytes each).
const ESTIMATORS_KEPT: usize = 256;

/// A cache emptied when it holds `most` entries, before one more is added.
fn kept<K, V>(
    map: &mut std::collections::HashMap<K, V>,
    most: usize,
) -> &mut std::collections::HashMap<K, V> {
    if map.len() >= most {
        map.clear();
    }
    map
}

/// A cache's map, even after a thread panicked holding it (its entries are whole values).
fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// How to evaluate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Options {
    /// Name of the method (set of assumptions): `default` or `impacts-hpc`.
    pub method: String,
    /// Monte Carlo samples (0: no bounds).
    pub samples: usize,
    /// Seed of the generator.
    pub seed: u64,
    /// Percentiles of the bounds.
    pub percentiles: Percentiles,
    /// Attach derivation trees.
    pub explain: bool,
    /// Rank the inputs by their contribution to the spread.
    pub sensitivity: bool,
    /// Bounds of every output (phases, components, measures); false: of the criteria's totals
    /// only, the others' bounds equal to their value — for a caller that asks for the rest
    /// later, by the same request with this set (the Python package's reports).
    #[serde(default = "yes")]
    pub detailed_bounds: bool,
}

fn yes() -> bool {
    true
}

/// The most Monte Carlo samples an estimate may ask ([`Options::samples`]). Memory is bounded
/// besides, per model ([`MAX_SAMPLING_BYTES`]).
pub const MAX_SAMPLES: usize = 100_000;

impl Options {
    /// Checks the options: at most [`MAX_SAMPLES`] samples, percentiles with
    /// 0 ≤ low < high ≤ 100.
    pub fn check(&self) -> Result<(), InputError> {
        if self.samples > MAX_SAMPLES {
            return Err(InputError::invalid(
                "samples",
                self.samples.to_string(),
                format!("at most {MAX_SAMPLES}"),
            ));
        }
        let Percentiles { low, high } = self.percentiles;
        if !((0.0..100.0).contains(&low) && low < high && high <= 100.0) {
            return Err(InputError::invalid(
                "percentiles",
                format!("{},{}", fmt_num(low), fmt_num(high)),
                "LOW,HIGH with 0 <= LOW < HIGH <= 100 (e.g. 2.5,97.5)",
            ));
        }
        Ok(())
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            method: "default".into(),
            samples: 1000,
            seed: 0,
            percentiles: Percentiles::default(),
            explain: false,
            sensitivity: true,
            detailed_bounds: true,
        }
    }
}

/// The library's entry point: the data bundle and the estimates made from it.
#[derive(Clone, Debug)]
pub struct Engine {
    bundle: Bundle,
    /// Bundled centers resolved once per (name, method, zone): resolving one (its node types,
    /// power curves fitted) costs most of an estimate's millisecond. Centers given as text are
    /// not kept (a service's clients could send any number of them).
    centers: Arc<Mutex<CenterCache>>,
    /// Job models of bundled centers compiled once (about half a millisecond each): a service
    /// answers a job of a known partition without building its graph again. Keyed by the
    /// center's key, the partition's and node group's places (never a client's partition name),
    /// at most [`ESTIMATORS_KEPT`] of them.
    estimators: Arc<Mutex<EstimatorCache>>,
    /// The Monte Carlo draws of kept job models (drawing them is most of an estimate with
    /// samples): the same request and seed give the same draws, so they are kept, within
    /// [`DRAWS_KEPT_BYTES`].
    draws: Arc<Mutex<DrawCache>>,
    /// Center files the engine's owner gave it ([`Engine::with_center_file`]): named like
    /// bundled centers (and found before them), so resolved and compiled once as they are.
    local_centers: Arc<Vec<LocalCenter>>,
}

/// A center file given to the engine: its name, the label of its messages (a path), its text.
#[derive(Debug)]
struct LocalCenter {
    name: String,
    label: String,
    text: String,
}

impl Engine {
    /// An engine over the embedded data bundle.
    pub fn new() -> Result<Engine, Error> {
        Ok(Engine::with_bundle(Bundle::embedded()?))
    }

    /// An engine over a given bundle.
    pub fn with_bundle(bundle: Bundle) -> Engine {
        Engine {
            bundle,
            centers: Arc::default(),
            estimators: Arc::default(),
            draws: Arc::default(),
            local_centers: Arc::default(),
        }
    }

    /// The engine with a center file of its owner's (a program's own files, never a network
    /// client's: its resolved center and compiled job models are kept by name), named `name` in
    /// requests ([`CenterSource::Bundled`]) before any bundled center of that name; `label`
    /// names it in messages (its path). Its syntax and facts are checked when first used.
    pub fn with_center_file(mut self, name: &str, label: &str, text: &str) -> Engine {
        let mut local: Vec<LocalCenter> = Vec::new();
        for c in self.local_centers.iter().filter(|c| c.name != name) {
            local.push(LocalCenter {
                name: c.name.clone(),
                label: c.label.clone(),
                text: c.text.clone(),
            });
        }
        local.push(LocalCenter {
            name: name.to_string(),
            label: label.to_string(),
            text: text.to_string(),
        });
        self.local_centers = Arc::new(local);
        // Anything kept under that name was the bundled center's.
        self.centers = Arc::default();
        self.estimators = Arc::default();
        self.draws = Arc::default();
        self
    }

    /// The data bundle.
    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }

    fn constants(&self, method: &str) -> Result<Constants, Error> {
        Ok(self.bundle.constants(method)?)
    }

    /// Loads a center (bundled or from a file's text) with an optional zone override.
    pub fn center(
        &self,
        source: &CenterSource,
        method: &str,
        zone: Option<&str>,
    ) -> Result<Center, Error> {
        Ok(Center::clone(&self.shared_center(source, method, zone)?.0))
    }

    /// A center as [`Engine::center`] loads it, shared with the cache, and its key in the cache
    /// when it is a bundled one.
    pub(crate) fn shared_center(
        &self,
        source: &CenterSource,
        method: &str,
        zone: Option<&str>,
    ) -> Result<(Arc<Center>, Option<CenterKey>), Error> {
        let key = match source {
            CenterSource::Bundled(name) => {
                Some((name.clone(), method.to_string(), zone.map(str::to_string)))
            }
            CenterSource::Text { .. } => None,
        };
        if let Some(c) = key
            .as_ref()
            .and_then(|k| locked(&self.centers).get(k).cloned())
        {
            return Ok((c, key));
        }
        let center = Arc::new(self.resolve_center(source, method, zone)?);
        if let Some(k) = &key {
            kept(&mut locked(&self.centers), CENTERS_KEPT).insert(k.clone(), Arc::clone(&center));
        }
        Ok((center, key))
    }

    /// The job model of a key, compiled by `build` the first time; without a key (a center
    /// given as text, or changed by the request) compiled each time.
    pub(crate) fn estimator(
        &self,
        key: Option<EstimatorKey>,
        build: impl FnOnce() -> Result<JobEstimator, Error>,
    ) -> Result<Arc<JobEstimator>, Error> {
        let Some(key) = key else {
            return Ok(Arc::new(build()?));
        };
        if let Some(e) = locked(&self.estimators).get(&key) {
            return Ok(Arc::clone(e));
        }
        let est = Arc::new(build()?);
        kept(&mut locked(&self.estimators), ESTIMATORS_KEPT).insert(key, Arc::clone(&est));
        Ok(est)
    }

    /// The draws of a kept job model for `opts`' samples and seed, drawn by `build` the first
    /// time.
    pub(crate) fn draws(
        &self,
        key: &EstimatorKey,
        opts: &Options,
        build: impl FnOnce() -> MonteCarlo,
    ) -> Arc<MonteCarlo> {
        let k = (key.clone(), opts.samples, opts.seed);
        if let Some(d) = locked(&self.draws).draws.get(&k) {
            return Arc::clone(d);
        }
        let d = Arc::new(build());
        let mut cache = locked(&self.draws);
        if let Some(first) = cache.draws.get(&k) {
            // Drawn meanwhile by another request: the same draws; keep one copy.
            return Arc::clone(first);
        }
        if cache.bytes + d.size_bytes() > DRAWS_KEPT_BYTES {
            cache.draws.clear();
            cache.bytes = 0;
        }
        if d.size_bytes() <= DRAWS_KEPT_BYTES {
            cache.bytes += d.size_bytes();
            cache.draws.insert(k, Arc::clone(&d));
        }
        d
    }

    /// The label (a path, or the bundled file's name) and the TOML text of a center: a center
    /// file given to the engine, a bundled center, or the text given.
    pub fn center_text<'a>(
        &'a self,
        source: &'a CenterSource,
    ) -> Result<(&'a str, &'a str), Error> {
        Ok(match source {
            CenterSource::Bundled(name) => {
                match self.local_centers.iter().find(|c| &c.name == name) {
                    Some(c) => (c.label.as_str(), c.text.as_str()),
                    None => self.bundle.center_file(name).ok_or_else(|| {
                        let mut names: Vec<&str> =
                            self.local_centers.iter().map(|c| c.name.as_str()).collect();
                        names.extend(self.bundle.center_names());
                        InputError::unknown(
                            "center",
                            name,
                            format!(
                                "a center of the engine ({}) or a center file",
                                names.join(", ")
                            ),
                        )
                    })?,
                }
            }
            CenterSource::Text { label, text } => (label.as_str(), text.as_str()),
        })
    }

    fn resolve_center(
        &self,
        source: &CenterSource,
        method: &str,
        zone: Option<&str>,
    ) -> Result<Center, Error> {
        let constants = self.constants(method)?;
        let (label, text) = self.center_text(source)?;
        Ok(Center::from_toml(
            label,
            text,
            &self.bundle,
            &constants,
            zone,
        )?)
    }

    fn base_report(&self, kind: &str, subject: String, opts: &Options) -> Report {
        Report {
            kind: kind.into(),
            subject,
            impacts: OrderedMap::new(),
            phases: OrderedMap::new(),
            components: OrderedMap::new(),
            quantities: OrderedMap::new(),
            warnings: vec![],
            data_bundle: self.bundle.hash.clone(),
            data_bundle_version: self.bundle.meta.version.clone(),
            method: opts.method.clone(),
            uncertainty: Uncertainty::new(opts.samples, opts.seed, opts.percentiles),
            sensitivity: OrderedMap::new(),
            inputs: OrderedMap::new(),
            matches: vec![],
            explanation: None,
            impacts_version: env!("CARGO_PKG_VERSION").into(),
            samples: None,
        }
    }

    /// Fills a report from evaluated outputs: their phases, components and measures, then the
    /// totals, the results whose bounds were widened, sensitivity and explanation.
    fn finish(
        &self,
        r: &mut Report,
        graph: &Graph,
        outputs: &ReportOutputs<'_>,
        e: &Evaluated,
        params: &[f64],
        opts: &Options,
    ) {
        outputs.fill(r, e);
        let nodes = outputs.nodes();
        let names = outputs.names();
        let totals: Vec<usize> = outputs.totals().collect();
        for (c, crit) in self.bundle.criteria.iter().enumerate() {
            r.impacts
                .push(crit.key.clone(), estimate(e, totals[c], &crit.unit));
        }
        for (i, s) in e.spreads.iter().enumerate() {
            if s.widened {
                r.uncertainty.widened.push(names[i].clone());
            }
        }
        if let Some((mc, scratch)) = &e.mc {
            r.samples = Some(
                totals
                    .iter()
                    .map(|&i| mc.output(scratch, i).to_vec())
                    .collect(),
            );
            if opts.sensitivity {
                for (c, crit) in self.bundle.criteria.iter().enumerate() {
                    let i = totals[c];
                    let mut s = sensitivity(graph, mc, nodes[i], mc.output(scratch, i));
                    // Drop correlations within sampling noise (|rho| < 2 / sqrt(n)).
                    let noise = 2.0 / (mc.samples() as f64).sqrt();
                    s.retain(|x| x.share >= 0.005 && x.rank_correlation.abs() >= noise);
                    s.truncate(8);
                    r.sensitivity.push(crit.key.clone(), s);
                }
            }
        }
        if opts.explain {
            let values = graph.eval_central(params);
            let pct = opts.percentiles;
            let bounds = |id: NodeId| -> Option<(f64, f64)> {
                let (mc, scratch) = e.mc.as_ref()?;
                let samples = mc.node_samples(scratch, id)?;
                let mut buf = Vec::new();
                let s = spread(values[id.index()], samples, pct, &mut buf);
                Some((s.low, s.high))
            };
            let sources = |k: &str| self.bundle.source_ref(k);
            let notes = |k: &str| -> Option<String> {
                r.inputs.get(k).map(|v| format!("request: {k} = {v}"))
            };
            let cx = ExplainContext {
                values: &values,
                bounds: &bounds,
                sources: &sources,
                param_notes: &notes,
            };
            let mut ex = OrderedMap::new();
            for (c, crit) in self.bundle.criteria.iter().enumerate() {
                ex.push(crit.key.clone(), explain(graph, nodes[totals[c]], &cx));
            }
            r.explanation = Some(ex);
        }
    }

    /// The sum of several reports' totals, per criterion of the bundle, with bounds from their
    /// Monte Carlo samples summed one by one: inputs the reports share (a PUE, an electricity
    /// factor) were drawn with the same values in each, so they are counted once in the spread.
    /// Without samples in every report, the bounds equal the value.
    pub fn sum_reports(&self, reports: &[&Report], opts: &Options) -> OrderedMap<Estimate> {
        let mut out = OrderedMap::new();
        let mut buf = Vec::new();
        for (c, crit) in self.bundle.criteria.iter().enumerate() {
            let central: f64 = reports
                .iter()
                .map(|r| r.impacts.get(&crit.key).map_or(0.0, |e| e.value))
                .sum();
            let samples: Option<Vec<f64>> =
                reports
                    .iter()
                    .try_fold(vec![0.0; opts.samples], |mut acc, r| {
                        let s = r.samples.as_ref()?.get(c)?;
                        if s.len() != acc.len() {
                            return None;
                        }
                        for (a, b) in acc.iter_mut().zip(s) {
                            *a += b;
                        }
                        Some(acc)
                    });
            let (low, high) = match samples.filter(|s| !s.is_empty()) {
                Some(s) => {
                    let sp = impacts_model::eval::spread(central, &s, opts.percentiles, &mut buf);
                    (sp.low, sp.high)
                }
                None => (central, central),
            };
            out.push(
                crit.key.clone(),
                Estimate {
                    value: central,
                    low,
                    high,
                    unit: crit.unit.clone(),
                },
            );
        }
        out
    }
}
