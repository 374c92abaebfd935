//! How the load enters a job estimator's outputs, so that sums of jobs need no bucket per load.
//!
//! A job's outputs per node-hour depend on its CPU and GPU loads only through the power curves
//! of its nodes' processors and accelerators: a fixed curve shape scaled by uncertain factors
//! (TDP, idle fraction), the CPU and GPU terms added (crates/impacts-model/src/hardware.rs). Then,
//! sample by sample of the Monte Carlo,
//!
//! ```text
//! U(Lc, Lg) = U(0, 0) + [U(100, 0) − U(0, 0)]·φc(Lc) + [U(0, 100) − U(0, 0)]·φg(Lg)
//! ```
//!
//! with φc and φg deterministic (0 at 0 %, 1 at 100 %). The samples of a sum of jobs are then
//! three evaluations of the model combined with Σ node-hours, Σ node-hours·φc and
//! Σ node-hours·φg, whatever the jobs' loads. An estimator whose outputs are not separable this
//! way (processors with different curves mixed in one node type, an uncertain curve shape) is
//! found by evaluating the Monte Carlo at test loads and falls back to one evaluation per
//! whole-percent load.

use impacts::impacts_model::eval::{McScratch, MonteCarlo};
use impacts::JobEstimator;

/// How the load enters an estimator's extensive outputs.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadShape {
    /// Separable: φc and φg at each whole percent (index 0 to 100).
    Separable {
        /// φc.
        cpu: Vec<f64>,
        /// φg.
        gpu: Vec<f64>,
    },
    /// Not separable: one Monte Carlo evaluation per whole-percent load pair.
    PerLoad,
}

impl LoadShape {
    /// φc and φg of whole-percent loads (0 for a shape that is not separable).
    pub fn features(&self, cpu: u16, gpu: u16) -> (f64, f64) {
        match self {
            LoadShape::Separable { cpu: c, gpu: g } => (
                c.get(usize::from(cpu)).copied().unwrap_or(1.0),
                g.get(usize::from(gpu)).copied().unwrap_or(1.0),
            ),
            LoadShape::PerLoad => (0.0, 0.0),
        }
    }
}

/// Relative tolerance of the separability check (float round-off is about 1e-14).
const TOLERANCE: f64 = 1e-9;

/// The loads at which separability is checked, besides the three anchors.
const CHECKS: [(f64, f64); 4] = [(37.0, 0.0), (0.0, 63.0), (37.0, 63.0), (91.0, 9.0)];

/// The extensive outputs per node-hour at a load, at the central values.
fn point(est: &JobEstimator, cpu: f64, gpu: f64) -> Vec<f64> {
    let mut buf = est.buffer();
    let mut out = vec![0.0; est.outputs().len()];
    let p = [1.0, 1.0, cpu, gpu, 0.0];
    let np = if est.measured() { 5 } else { 4 };
    est.point_in(&mut buf, &p[..np], &mut out);
    out.truncate(est.layout().extensive().end);
    out
}

/// φ of one load dimension at each whole percent, from central values: the ratio of the change
/// from 0 % to the change to 100 %, read on the output that changes most (all outputs agree when
/// the shape is separable; the check below verifies it).
fn phi(est: &JobEstimator, at: impl Fn(f64) -> (f64, f64)) -> Vec<f64> {
    let zero = point(est, 0.0, 0.0);
    let (c, g) = at(100.0);
    let full = point(est, c, g);
    let Some(i) = (0..zero.len()).max_by(|&a, &b| {
        (full[a] - zero[a])
            .abs()
            .total_cmp(&(full[b] - zero[b]).abs())
    }) else {
        return vec![0.0; 101];
    };
    let span = full[i] - zero[i];
    if span == 0.0 || !span.is_finite() {
        return vec![0.0; 101];
    }
    (0..=100)
        .map(|l| {
            let (c, g) = at(f64::from(l));
            (point(est, c, g)[i] - zero[i]) / span
        })
        .collect()
}

/// Evaluates the Monte Carlo at a load (per node-hour, with `kwh` of measured energy).
fn samples(
    mc: &MonteCarlo,
    scratch: &mut McScratch,
    measured: bool,
    (cpu, gpu, kwh): (f64, f64, f64),
    n: usize,
) -> Vec<Vec<f64>> {
    let p = [1.0, 1.0, cpu, gpu, kwh];
    mc.evaluate(scratch, if measured { &p[..5] } else { &p[..4] });
    (0..n).map(|i| mc.output(scratch, i).to_vec()).collect()
}

/// Monte Carlo samples of the separability check: enough that an uncertain curve shape shows.
const CHECK_SAMPLES: usize = 64;

/// The load shape of an estimator, checked sample by sample on a Monte Carlo of its extensive
/// outputs (its own, so that the shape does not depend on the run's sampling options).
pub fn shape(est: &JobEstimator) -> LoadShape {
    let n = est.layout().extensive().end;
    let mc = MonteCarlo::new(&est.model.graph, &est.outputs()[..n], CHECK_SAMPLES, 1);
    let mut scratch = mc.scratch();
    let (mc, scratch) = (&mc, &mut scratch);
    let measured = est.measured();
    let cpu = phi(est, |l| (l, 0.0));
    let gpu = phi(est, |l| (0.0, l));
    let u00 = samples(mc, scratch, measured, (0.0, 0.0, 0.0), n);
    let uc = samples(mc, scratch, measured, (100.0, 0.0, 0.0), n);
    let ug = samples(mc, scratch, measured, (0.0, 100.0, 0.0), n);
    // Measured energy adds the same per kWh at any load (checked with 1 kWh at each test load).
    let uk = samples(mc, scratch, measured, (0.0, 0.0, 1.0), n);
    let kwhs: &[f64] = if measured { &[0.0, 1.0] } else { &[0.0] };
    let at = |table: &[f64], l: f64| table[l as usize];
    for ((lc, lg), &kwh) in CHECKS
        .iter()
        .flat_map(|c| kwhs.iter().map(move |k| (*c, k)))
    {
        let got = samples(mc, scratch, measured, (lc, lg, kwh), n);
        let (fc, fg) = (at(&cpu, lc), at(&gpu, lg));
        for i in 0..n {
            for k in 0..got[i].len() {
                let want = u00[i][k]
                    + (uc[i][k] - u00[i][k]) * fc
                    + (ug[i][k] - u00[i][k]) * fg
                    + (uk[i][k] - u00[i][k]) * kwh;
                let scale = got[i][k].abs().max(u00[i][k].abs()).max(1e-300);
                if (got[i][k] - want).abs() > TOLERANCE * scale || !want.is_finite() {
                    return LoadShape::PerLoad;
                }
            }
        }
    }
    LoadShape::Separable { cpu, gpu }
}
