//! Evaluating a graph's outputs: central values, and Monte Carlo bounds when samples are asked.

use crate::{Error, InputError, Options};
use impacts_model::eval::{spread, McScratch, MonteCarlo, Plan, Spread};
use impacts_model::graph::{Graph, NodeId};
use impacts_model::quantity::fmt_num;
use impacts_model::report::Estimate;
use std::ops::Range;
use std::sync::Arc;

pub(crate) struct Evaluated {
    pub(crate) central: Vec<f64>,
    pub(crate) spreads: Vec<Spread>,
    pub(crate) mc: Option<(Arc<MonteCarlo>, McScratch)>,
}

/// The most memory the Monte Carlo draws of one estimate may take: 1 GiB.
pub const MAX_SAMPLING_BYTES: usize = 1 << 30;

/// Checks that `samples` draws of what `outputs` need fit in [`MAX_SAMPLING_BYTES`].
pub fn check_sampling_memory(
    graph: &Graph,
    outputs: &[NodeId],
    samples: usize,
) -> Result<(), InputError> {
    let bytes = MonteCarlo::memory_bytes(graph, outputs, samples);
    if samples == 0 || bytes <= MAX_SAMPLING_BYTES {
        return Ok(());
    }
    let per_sample = bytes / samples.max(1);
    Err(InputError::invalid(
        "samples",
        samples.to_string(),
        format!(
            "at most {} for this model, whose draws hold {per_sample} bytes per sample (the limit is {} MiB)",
            MAX_SAMPLING_BYTES / per_sample.max(1),
            MAX_SAMPLING_BYTES >> 20
        ),
    ))
}

/// A result that overflowed (`--hours 1e308`) is an error naming the largest input, never an
/// `inf` or `NaN` in a report.
fn check_finite(graph: &Graph, params: &[f64], central: &[f64]) -> Result<(), InputError> {
    if central.iter().all(|x| x.is_finite()) {
        return Ok(());
    }
    let largest = graph
        .params()
        .iter()
        .zip(params)
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()));
    let (field, value) = match largest {
        Some((p, v)) => (p.key.as_str(), fmt_num(*v)),
        None => ("request", String::new()),
    };
    Err(InputError::invalid(
        field,
        value,
        "a value for which the footprint is a finite number (a result overflowed)",
    ))
}

pub(crate) fn evaluate(
    graph: &Graph,
    nodes: &[NodeId],
    totals: Range<usize>,
    params: &[f64],
    opts: &Options,
) -> Result<Evaluated, Error> {
    evaluate_planned(
        graph,
        nodes,
        totals,
        &Plan::new(graph, nodes),
        params,
        opts,
        None,
    )
}

/// [`evaluate`] with the plan of `nodes` made beforehand (a compiled job model keeps it), and
/// the draws when they were kept (`draws`: made for `nodes`, `opts.samples` and `opts.seed`).
pub(crate) fn evaluate_planned(
    graph: &Graph,
    nodes: &[NodeId],
    totals: Range<usize>,
    plan: &Plan,
    params: &[f64],
    opts: &Options,
    draws: Option<&dyn Fn() -> Arc<MonteCarlo>>,
) -> Result<Evaluated, Error> {
    opts.check()?;
    check_sampling_memory(graph, nodes, opts.samples)?;
    let mut ev = plan.evaluator();
    let mut central = vec![0.0; nodes.len()];
    ev.eval(params, &mut central);
    check_finite(graph, params, &central)?;
    let point = |c: f64| Spread {
        low: c,
        high: c,
        mean: c,
        sd: 0.0,
        widened: false,
    };
    if opts.samples == 0 {
        let spreads = central.iter().map(|c| point(*c)).collect();
        return Ok(Evaluated {
            central,
            spreads,
            mc: None,
        });
    }
    let mc = match draws {
        Some(kept) => kept(),
        None => Arc::new(MonteCarlo::new(graph, nodes, opts.samples, opts.seed)),
    };
    debug_assert_eq!((mc.samples(), mc.seed()), (opts.samples, opts.seed));
    let mut scratch = mc.scratch();
    mc.evaluate(&mut scratch, params);
    let mut buf = Vec::new();
    let spreads = (0..nodes.len())
        .map(|i| {
            if !opts.detailed_bounds && !totals.contains(&i) {
                return point(central[i]);
            }
            spread(
                central[i],
                mc.output(&scratch, i),
                opts.percentiles,
                &mut buf,
            )
        })
        .collect();
    Ok(Evaluated {
        central,
        spreads,
        mc: Some((mc, scratch)),
    })
}

pub(crate) fn estimate(e: &Evaluated, i: usize, unit: &str) -> Estimate {
    Estimate {
        value: e.central[i],
        low: e.spreads[i].low,
        high: e.spreads[i].high,
        unit: unit.to_string(),
    }
}
