//! Evaluating a graph: point estimates ([`Plan`]) and Monte Carlo samples ([`MonteCarlo`]).
//!
//! Both compile the graph once for a set of outputs. What does not depend on parameters (the
//! hardware, the factors, the facility) is computed once; each evaluation then runs only the
//! short tape of operations that depend on the parameters (a job's hours, nodes, load). This is
//! what makes millions of job estimates per second possible.

use serde::{Deserialize, Serialize};

use crate::graph::{Graph, NodeId, Op, OpCode};
use crate::rng::Rng;

#[derive(Clone, Copy, Debug)]
struct Instr {
    code: OpCode,
    a: u32,
    b: u32,
    dst: u32,
}

/// A graph compiled for point estimates of some outputs.
#[derive(Clone, Debug)]
pub struct Plan {
    base: Vec<f64>,
    instrs: Vec<Instr>,
    params: Vec<u32>,
    outputs: Vec<u32>,
}

impl Plan {
    /// Compiles `graph` for `outputs`.
    pub fn new(graph: &Graph, outputs: &[NodeId]) -> Plan {
        let need = graph.needed_mask(outputs);
        let dynamic = graph.dynamic_mask();
        let nan_params = vec![f64::NAN; graph.params().len()];
        let base = graph.eval_central(&nan_params);
        let mut instrs = Vec::new();
        for i in 0..graph.len() {
            if !(need[i] && dynamic[i]) {
                continue;
            }
            if let Some((code, a, b)) = graph.op(NodeId(i as u32)).code() {
                instrs.push(Instr {
                    code,
                    a: a.0,
                    b: b.0,
                    dst: i as u32,
                });
            }
        }
        Plan {
            base,
            instrs,
            params: graph.param_nodes().iter().map(|n| n.0).collect(),
            outputs: outputs.iter().map(|n| n.0).collect(),
        }
    }

    /// Number of outputs.
    pub fn outputs(&self) -> usize {
        self.outputs.len()
    }

    /// Number of operations run per evaluation.
    pub fn tape_len(&self) -> usize {
        self.instrs.len()
    }

    /// A buffer for [`Plan::eval_in`] (the static values, computed once).
    pub fn buffer(&self) -> Vec<f64> {
        self.base.clone()
    }

    /// Evaluates the outputs for `params` using a buffer made by [`Plan::buffer`] (for callers that
    /// keep one buffer per plan instead of a borrowing [`PointEvaluator`]).
    #[inline]
    pub fn eval_in(&self, buf: &mut [f64], params: &[f64], out: &mut [f64]) {
        for (slot, v) in self.params.iter().zip(params) {
            buf[*slot as usize] = *v;
        }
        for ins in &self.instrs {
            let a = buf[ins.a as usize];
            let b = buf[ins.b as usize];
            buf[ins.dst as usize] = Op::apply(ins.code, a, b);
        }
        for (o, slot) in out.iter_mut().zip(&self.outputs) {
            *o = buf[*slot as usize];
        }
    }

    /// A reusable evaluator (it owns the scratch values; no allocation per evaluation).
    pub fn evaluator(&self) -> PointEvaluator<'_> {
        PointEvaluator {
            plan: self,
            buf: self.base.clone(),
        }
    }
}

/// Evaluates a [`Plan`] for one set of parameters at a time.
#[derive(Clone, Debug)]
pub struct PointEvaluator<'p> {
    plan: &'p Plan,
    buf: Vec<f64>,
}

impl PointEvaluator<'_> {
    /// Evaluates the outputs for `params` (in the graph's parameter order) into `out`.
    #[inline]
    pub fn eval(&mut self, params: &[f64], out: &mut [f64]) {
        self.plan.eval_in(&mut self.buf, params, out);
    }

    /// The value of any node after the last evaluation (static nodes always hold their value).
    pub fn node(&self, id: NodeId) -> f64 {
        self.buf[id.index()]
    }
}

const DYN: u32 = 1 << 31;
const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct McInstr {
    code: OpCode,
    a: u32,
    b: u32,
    dst: u32,
}

/// A graph compiled for Monte Carlo evaluation of some outputs.
///
/// Every leaf is drawn `samples` times from its own stream of the seeded generator, once for the
/// whole graph: a factor used in several places takes the same value in all of them within a
/// sample. The same draws serve every evaluation (every job) of the plan, so sums of sample
/// vectors over jobs give correct totals.
#[derive(Clone, Debug)]
pub struct MonteCarlo {
    samples: usize,
    seed: u64,
    static_data: Vec<f64>,
    static_row: Vec<u32>,
    dyn_rows: usize,
    instrs: Vec<McInstr>,
    param_rows: Vec<u32>,
    outputs: Vec<u32>,
    leaf_rows: Vec<u32>,
    dyn_row: Vec<u32>,
    /// The rank scores of each leaf's draws, computed when first asked (sensitivity): the draws do not
    /// change, so a kept `MonteCarlo` ranks them once for every evaluation.
    leaf_ranks: Vec<std::sync::OnceLock<Vec<f64>>>,
}

/// Scratch space for [`MonteCarlo::evaluate`].
#[derive(Clone, Debug)]
pub struct McScratch {
    dyn_data: Vec<f64>,
}

impl MonteCarlo {
    /// The bytes that [`MonteCarlo::new`] and one [`MonteCarlo::scratch`] hold for `samples`
    /// draws of the values `outputs` need: callers bound it before they sample.
    pub fn memory_bytes(graph: &Graph, outputs: &[NodeId], samples: usize) -> usize {
        let rows = graph.needed_mask(outputs).iter().filter(|n| **n).count();
        rows.saturating_mul(samples.max(1))
            .saturating_mul(std::mem::size_of::<f64>())
    }

    /// Compiles `graph` for `outputs` with `samples` draws from `seed`.
    pub fn new(graph: &Graph, outputs: &[NodeId], samples: usize, seed: u64) -> MonteCarlo {
        let samples = samples.max(1);
        let need = graph.needed_mask(outputs);
        let dynamic = graph.dynamic_mask();
        let n = graph.len();
        let mut static_row = vec![NONE; n];
        let mut dyn_row = vec![NONE; n];
        let mut n_static = 0u32;
        let mut n_dyn = 0u32;
        for i in 0..n {
            if !need[i] {
                continue;
            }
            if dynamic[i] {
                dyn_row[i] = n_dyn;
                n_dyn += 1;
            } else {
                static_row[i] = n_static;
                n_static += 1;
            }
        }
        let mut static_data = vec![0.0; n_static as usize * samples];
        // Static part, evaluated once per sample.
        for i in 0..n {
            let r = static_row[i];
            if r == NONE {
                continue;
            }
            let (head, tail) = static_data.split_at_mut(r as usize * samples);
            let dst = &mut tail[..samples];
            match graph.op(NodeId(i as u32)) {
                Op::Const(c) => dst.fill(c),
                Op::Leaf(l) => {
                    let leaf = &graph.leaves()[l as usize];
                    let mut rng = Rng::seeded(seed, &leaf.key);
                    let q = &leaf.quantity;
                    if q.dist.is_fixed() {
                        dst.fill(q.value);
                    } else {
                        for x in dst.iter_mut() {
                            *x = q.dist.sample(q.value, &mut rng);
                        }
                    }
                }
                Op::Param(_) => unreachable!("parameters are dynamic"),
                op => {
                    let (code, a, b) = op.code().expect("operation with operands");
                    let ra = static_row[a.index()] as usize * samples;
                    let rb = static_row[b.index()] as usize * samples;
                    for s in 0..samples {
                        dst[s] = Op::apply(code, head[ra + s], head[rb + s]);
                    }
                }
            }
        }
        let operand = |id: NodeId| -> u32 {
            if dyn_row[id.index()] != NONE {
                dyn_row[id.index()] | DYN
            } else {
                static_row[id.index()]
            }
        };
        let mut instrs = Vec::new();
        for (i, row) in dyn_row.iter().enumerate() {
            if *row == NONE {
                continue;
            }
            if let Some((code, a, b)) = graph.op(NodeId(i as u32)).code() {
                instrs.push(McInstr {
                    code,
                    a: operand(a),
                    b: operand(b),
                    dst: *row,
                });
            }
        }
        MonteCarlo {
            samples,
            seed,
            static_data,
            param_rows: graph
                .param_nodes()
                .iter()
                .map(|p| dyn_row[p.index()])
                .collect(),
            outputs: outputs.iter().map(|o| operand(*o)).collect(),
            leaf_rows: graph
                .leaf_nodes()
                .iter()
                .map(|l| static_row[l.index()])
                .collect(),
            leaf_ranks: (0..graph.leaf_nodes().len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            static_row,
            dyn_rows: n_dyn as usize,
            instrs,
            dyn_row,
        }
    }

    /// The bytes its draws hold (what a cache of them counts).
    pub fn size_bytes(&self) -> usize {
        self.static_data.len() * std::mem::size_of::<f64>()
    }

    /// The rank scores of leaf `i`'s draws ([`rank_scores`]: average ranks centred and scaled),
    /// kept after the first call.
    pub fn leaf_ranks(&self, i: usize) -> Option<&[f64]> {
        let xs = self.leaf_samples(i)?;
        Some(self.leaf_ranks.get(i)?.get_or_init(|| rank_scores(xs)))
    }

    /// Number of samples.
    pub fn samples(&self) -> usize {
        self.samples
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Scratch space for evaluations.
    pub fn scratch(&self) -> McScratch {
        McScratch {
            dyn_data: vec![0.0; self.dyn_rows * self.samples],
        }
    }

    /// Evaluates every sample for `params`; read the results with [`MonteCarlo::output`].
    pub fn evaluate(&self, scratch: &mut McScratch, params: &[f64]) {
        let s = self.samples;
        for (row, v) in self.param_rows.iter().zip(params) {
            if *row != NONE {
                scratch.dyn_data[*row as usize * s..(*row as usize + 1) * s].fill(*v);
            }
        }
        for ins in &self.instrs {
            let dst_start = ins.dst as usize * s;
            // Operands precede the destination in node order, so they never alias it.
            let (before, after) = scratch.dyn_data.split_at_mut(dst_start);
            let dst = &mut after[..s];
            let a = self.row(before, ins.a);
            let b = self.row(before, ins.b);
            match ins.code {
                OpCode::Add => dst
                    .iter_mut()
                    .zip(a.iter().zip(b))
                    .for_each(|(d, (x, y))| *d = x + y),
                OpCode::Sub => dst
                    .iter_mut()
                    .zip(a.iter().zip(b))
                    .for_each(|(d, (x, y))| *d = x - y),
                OpCode::Mul => dst
                    .iter_mut()
                    .zip(a.iter().zip(b))
                    .for_each(|(d, (x, y))| *d = x * y),
                OpCode::Div => dst
                    .iter_mut()
                    .zip(a.iter().zip(b))
                    .for_each(|(d, (x, y))| *d = x / y),
                code => dst
                    .iter_mut()
                    .zip(a.iter().zip(b))
                    .for_each(|(d, (x, y))| *d = Op::apply(code, *x, *y)),
            }
        }
    }

    fn row<'a>(&'a self, dyn_before: &'a [f64], operand: u32) -> &'a [f64] {
        let s = self.samples;
        if operand & DYN != 0 {
            let r = (operand & !DYN) as usize;
            &dyn_before[r * s..(r + 1) * s]
        } else {
            &self.static_data[operand as usize * s..(operand as usize + 1) * s]
        }
    }

    /// The samples of output `i` after the last [`MonteCarlo::evaluate`].
    pub fn output<'a>(&'a self, scratch: &'a McScratch, i: usize) -> &'a [f64] {
        let s = self.samples;
        let operand = self.outputs[i];
        if operand & DYN != 0 {
            let r = (operand & !DYN) as usize;
            &scratch.dyn_data[r * s..(r + 1) * s]
        } else {
            &self.static_data[operand as usize * s..(operand as usize + 1) * s]
        }
    }

    /// The samples of leaf `i` (index into [`Graph::leaves`]), when the leaf is used by the outputs.
    pub fn leaf_samples(&self, i: usize) -> Option<&[f64]> {
        let r = *self.leaf_rows.get(i)?;
        (r != NONE)
            .then(|| &self.static_data[r as usize * self.samples..(r as usize + 1) * self.samples])
    }

    /// The samples of any node needed by the outputs, after the last [`MonteCarlo::evaluate`].
    pub fn node_samples<'a>(&'a self, scratch: &'a McScratch, id: NodeId) -> Option<&'a [f64]> {
        let s = self.samples;
        let d = *self.dyn_row.get(id.index())?;
        if d != NONE {
            return Some(&scratch.dyn_data[d as usize * s..(d as usize + 1) * s]);
        }
        self.static_samples(id)
    }

    /// The samples of a node that does not depend on parameters.
    pub fn static_samples(&self, id: NodeId) -> Option<&[f64]> {
        let r = *self.static_row.get(id.index())?;
        (r != NONE)
            .then(|| &self.static_data[r as usize * self.samples..(r as usize + 1) * self.samples])
    }
}

/// Which percentiles bound a result, in percent (default 2.5 and 97.5: a 95 % interval).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    /// Lower percentile.
    pub low: f64,
    /// Upper percentile.
    pub high: f64,
}

impl Default for Percentiles {
    fn default() -> Self {
        Percentiles {
            low: 2.5,
            high: 97.5,
        }
    }
}

/// The spread of a sampled result.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
    /// Mean of the samples.
    pub mean: f64,
    /// Standard deviation of the samples.
    pub sd: f64,
    /// True when the percentile interval did not contain the central value and was widened to
    /// include it (the central value sits in a tail of the distribution).
    pub widened: bool,
}

/// Percentile bounds of `samples` (linear interpolation between order statistics), widened to
/// contain `central` if needed. `scratch` is reused to avoid allocations.
pub fn spread(central: f64, samples: &[f64], pct: Percentiles, scratch: &mut Vec<f64>) -> Spread {
    let n = samples.len();
    if n == 0 {
        return Spread {
            low: central,
            high: central,
            mean: central,
            sd: 0.0,
            widened: false,
        };
    }
    let (sum, min, max) = sum_min_max(samples);
    let mean = sum / n as f64;
    let var = sum_of_squares_about(samples, mean) / n as f64;
    // All draws equal (min and max skip NaN: a NaN anywhere makes the sum NaN).
    if min == max && !sum.is_nan() {
        let (low, high) = (min.min(central), min.max(central));
        return Spread {
            low,
            high,
            mean,
            sd: 0.0,
            widened: min != central,
        };
    }
    let (lo, hi) = quantiles(samples, pct.low / 100.0, pct.high / 100.0, scratch);
    let tol = 1e-12 * central.abs().max(1e-300);
    let widened = central < lo - tol || central > hi + tol;
    Spread {
        low: lo.min(central),
        high: hi.max(central),
        mean,
        sd: var.sqrt(),
        widened,
    }
}

/// Σ v, min v and max v, in four independent lanes (the additions of one lane wait for each
/// other; four lanes keep the processor's adders busy).
fn sum_min_max(v: &[f64]) -> (f64, f64, f64) {
    let mut s = [0.0; 4];
    let (mut lo, mut hi) = ([f64::INFINITY; 4], [f64::NEG_INFINITY; 4]);
    let chunks = v.chunks_exact(4);
    let tail = chunks.remainder();
    for c in chunks {
        for i in 0..4 {
            s[i] += c[i];
            lo[i] = lo[i].min(c[i]);
            hi[i] = hi[i].max(c[i]);
        }
    }
    for &x in tail {
        s[0] += x;
        lo[0] = lo[0].min(x);
        hi[0] = hi[0].max(x);
    }
    let min = lo.iter().copied().fold(f64::INFINITY, f64::min);
    let max = hi.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    ((s[0] + s[1]) + (s[2] + s[3]), min, max)
}

/// Σ a·b, in four lanes.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..4 {
            s[i] += x[i] * y[i];
        }
    }
    (s[0] + s[1]) + (s[2] + s[3]) + tail
}

/// Σ (x − mean)², in four lanes.
fn sum_of_squares_about(v: &[f64], mean: f64) -> f64 {
    let mut s = [0.0; 4];
    let chunks = v.chunks_exact(4);
    let tail = chunks.remainder();
    for c in chunks {
        for i in 0..4 {
            s[i] += (c[i] - mean) * (c[i] - mean);
        }
    }
    for &x in tail {
        s[0] += (x - mean) * (x - mean);
    }
    (s[0] + s[1]) + (s[2] + s[3])
}

/// The p- and q-quantiles (0..1) of `v` (type 7, as [`quantile_in_place`]); `scratch` holds
/// the values it selects among.
///
/// Bounds sit in the tails (2.5 % and 97.5 % of 1,000 draws). Thresholds taken from a
/// sub-sample of 64 values, a little beyond each quantile's rank, let one pass keep the values
/// of each tail — every value at or beyond a threshold, so the tail is exactly the first (last)
/// values of the sorted draws — and the quantiles are selected there. Where a tail holds too
/// few values (thresholds unlucky, small or tied draws) both are selected in the whole array.
pub fn quantiles(v: &[f64], p: f64, q: f64, scratch: &mut Vec<f64>) -> (f64, f64) {
    const SUB: usize = 64;
    const MARGIN: usize = 6;
    let n = v.len();
    let rank = |x: f64| n.saturating_sub(1) as f64 * x.clamp(0.0, 1.0);
    let (hp, hq) = (rank(p), rank(q));
    let (kp, kq) = (hp.floor() as usize, hq.floor() as usize);
    let whole = |scratch: &mut Vec<f64>| {
        scratch.clear();
        scratch.extend_from_slice(v);
        let lo = quantile_in_place(scratch, p);
        (lo, quantile_in_place(scratch, q))
    };
    // Sub-sample ranks of the thresholds: the tails' expected share, and a margin.
    let (jl, jh) = (
        (kp + 2) * SUB / n.max(1) + 1 + MARGIN,
        (n - kq.min(n) + 1) * SUB / n.max(1) + 1 + MARGIN,
    );
    if n < 4 * SUB || jl >= SUB / 2 || jh >= SUB / 2 {
        return whole(scratch);
    }
    let mut sub = [0.0; SUB];
    for (i, s) in sub.iter_mut().enumerate() {
        *s = v[i * n / SUB];
    }
    let tl = *sub.select_nth_unstable_by(jl, f64::total_cmp).1;
    let th = *sub.select_nth_unstable_by(SUB - 1 - jh, f64::total_cmp).1;
    // Both tails in one buffer: the lower from the start, the upper from the end, each value
    // written and the tail's length moved on when it belongs there (no branch to mispredict).
    scratch.clear();
    scratch.resize(n + 1, 0.0);
    let (mut nl, mut nh) = (0, 0);
    for &x in v {
        scratch[nl] = x;
        nl += usize::from(x.total_cmp(&tl).is_le());
        scratch[n - nh] = x;
        nh += usize::from(x.total_cmp(&th).is_ge());
    }
    let first_high = n - nh;
    if kp + 1 >= nl || kq < first_high || nl + nh > n {
        return whole(scratch);
    }
    let (low, high) = scratch.split_at_mut(n + 1 - nh);
    (
        at_rank(&mut low[..nl], kp, hp - kp as f64),
        at_rank(high, kq - first_high, hq - kq as f64),
    )
}

/// The value of rank `k` (0-based) of `v`, interpolated by `frac` towards the next, reordering
/// `v` (what [`quantile_in_place`] returns for the rank `k + frac`).
fn at_rank(v: &mut [f64], k: usize, frac: f64) -> f64 {
    let (_, xk, rest) = v.select_nth_unstable_by(k, f64::total_cmp);
    let xk = *xk;
    if frac == 0.0 || rest.is_empty() {
        return xk;
    }
    let next = rest.iter().copied().fold(f64::INFINITY, f64::min);
    xk + frac * (next - xk)
}

/// The p-quantile (0..1) of `v`, reordering `v` (type 7: linear interpolation).
pub fn quantile_in_place(v: &mut [f64], p: f64) -> f64 {
    let n = v.len();
    match n {
        0 => return f64::NAN,
        1 => return v[0],
        _ => {}
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let k = h.floor() as usize;
    at_rank(v, k, h - k as f64)
}

/// How much an input contributes to the spread of a result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The input's key.
    pub input: String,
    /// The input's name.
    pub name: String,
    /// Spearman rank correlation between the input's samples and the result's.
    pub rank_correlation: f64,
    /// Share of the spread attributed to the input: its squared rank correlation over the sum of
    /// all inputs' squared rank correlations.
    pub share: f64,
}

/// Ranks the uncertain inputs of `graph` by their contribution to the spread of `output_samples`.
///
/// Uses squared Spearman rank correlations, normalised to shares: for the nearly additive models
/// of this project they approximate first-order variance shares, and ranks make them robust to
/// skewed inputs. Inputs that do not reach `output` or are fixed are left out.
pub fn sensitivity(
    graph: &Graph,
    mc: &MonteCarlo,
    output: NodeId,
    output_samples: &[f64],
) -> Vec<Contribution> {
    let y = rank_scores(output_samples);
    let mut out = Vec::new();
    for i in graph.leaf_ancestors(output) {
        let leaf = &graph.leaves()[i];
        if leaf.quantity.dist.is_fixed() {
            continue;
        }
        let Some(x) = mc.leaf_ranks(i) else {
            continue;
        };
        // Both are centred and of unit norm: their correlation is their dot product.
        let rho = dot(x, &y);
        if rho.is_finite() {
            out.push(Contribution {
                input: leaf.key.clone(),
                name: leaf.name.clone(),
                rank_correlation: rho,
                share: rho * rho,
            });
        }
    }
    let total: f64 = out.iter().map(|c| c.share).sum();
    if total > 0.0 {
        for c in &mut out {
            c.share /= total;
        }
    }
    out.sort_by(|a, b| {
        b.share
            .total_cmp(&a.share)
            .then_with(|| a.input.cmp(&b.input))
    });
    out
}

/// Average ranks (ties share their mean rank).
pub fn ranks(v: &[f64]) -> Vec<f64> {
    // (value, position) pairs sorted in place: no indirection in the comparisons.
    let mut sorted: Vec<(f64, u32)> = v.iter().enumerate().map(|(i, x)| (*x, i as u32)).collect();
    sorted.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1].0 == sorted[i].0 {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for (_, k) in &sorted[i..=j] {
            r[*k as usize] = rank;
        }
        i = j + 1;
    }
    r
}

/// Average ranks centred and scaled to unit norm (all zero when every value is the same): the
/// Pearson correlation of two such vectors — Spearman's of the values — is their dot product.
pub fn rank_scores(v: &[f64]) -> Vec<f64> {
    let mut r = ranks(v);
    let n = r.len() as f64;
    let mean = (n + 1.0) / 2.0;
    r.iter_mut().for_each(|x| *x -= mean);
    let norm = r.iter().map(|x| x * x).sum::<f64>().sqrt();
    let scale = if norm > 0.0 { 1.0 / norm } else { 0.0 };
    r.iter_mut().for_each(|x| *x *= scale);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::{Dist, Provenance, Quantity, Status};

    fn q(v: f64, dist: Dist) -> Quantity {
        Quantity::with_dist(v, dist, "1", Provenance::new(Status::Default, "test"))
    }

    fn model() -> (Graph, NodeId, NodeId) {
        // y = a × h + b, z = ln(h + c)
        let mut g = Graph::new();
        let a = g.leaf(
            "a",
            "a",
            q(
                2.0,
                Dist::Uniform {
                    low: 1.0,
                    high: 3.0,
                },
            ),
        );
        let b = g.leaf("b", "b", q(10.0, Dist::Fixed));
        let c = g.leaf("c", "c", q(1.0, Dist::Fixed));
        let h = g.param("h", "hours", "h");
        let ah = g.mul(a, h);
        let y = g.add(ah, b);
        let hc = g.add(h, c);
        let z = g.ln(hc);
        (g, y, z)
    }

    #[test]
    fn plan_matches_central_evaluation() {
        let (g, y, z) = model();
        let plan = Plan::new(&g, &[y, z]);
        let mut ev = plan.evaluator();
        let mut out = [0.0; 2];
        for h in [0.0, 1.0, 7.5, 1e6] {
            ev.eval(&[h], &mut out);
            let v = g.eval_central(&[h]);
            assert_eq!(out[0], v[y.index()]);
            assert_eq!(out[1], v[z.index()]);
        }
        // Hand calculation: y = 2 × 3 + 10 = 16; z = ln(4).
        ev.eval(&[3.0], &mut out);
        assert_eq!(out[0], 16.0);
        assert_eq!(out[1], 4f64.ln());
    }

    #[test]
    fn monte_carlo_mean_converges_to_the_linear_value() {
        let (g, y, _) = model();
        let mc = MonteCarlo::new(&g, &[y], 20_000, 1);
        let mut s = mc.scratch();
        mc.evaluate(&mut s, &[5.0]);
        let ys = mc.output(&s, 0);
        let mean = ys.iter().sum::<f64>() / ys.len() as f64;
        // E[a] = 2, so E[y] = 2 × 5 + 10 = 20; the sd of the mean is 5/sqrt(3)/sqrt(20000) = 0.02.
        assert!((mean - 20.0).abs() < 0.08, "mean {mean}");
        // A uniform a in [1, 3] gives y in [15, 25].
        assert!(ys.iter().all(|v| (15.0..=25.0).contains(v)));
    }

    #[test]
    fn same_seed_same_bits_and_other_seed_other_bits() {
        let (g, y, _) = model();
        let run = |seed| {
            let mc = MonteCarlo::new(&g, &[y], 100, seed);
            let mut s = mc.scratch();
            mc.evaluate(&mut s, &[2.0]);
            mc.output(&s, 0)
                .iter()
                .map(|v| v.to_bits())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn quantiles_interpolate_linearly() {
        // Type-7 quantiles of 1..=5: p = 0.25 -> 2, p = 0.1 -> 1.4.
        let mut v = vec![5.0, 1.0, 4.0, 2.0, 3.0];
        assert_eq!(quantile_in_place(&mut v, 0.25), 2.0);
        assert!((quantile_in_place(&mut v, 0.1) - 1.4).abs() < 1e-12);
        assert_eq!(quantile_in_place(&mut v, 1.0), 5.0);
    }

    #[test]
    fn spread_of_a_uniform_matches_its_percentiles() {
        let (g, y, _) = model();
        let mc = MonteCarlo::new(&g, &[y], 40_000, 3);
        let mut s = mc.scratch();
        mc.evaluate(&mut s, &[1.0]);
        let mut scratch = Vec::new();
        let sp = spread(12.0, mc.output(&s, 0), Percentiles::default(), &mut scratch);
        // y = a + 10 with a ~ U(1, 3): 2.5th percentile 11.05, 97.5th 12.95.
        assert!((sp.low - 11.05).abs() < 0.02, "{sp:?}");
        assert!((sp.high - 12.95).abs() < 0.02, "{sp:?}");
        assert!(!sp.widened);
    }

    #[test]
    fn a_central_value_in_a_tail_widens_the_interval() {
        let mut scratch = Vec::new();
        let samples: Vec<f64> = (0..100).map(|i| 10.0 + i as f64).collect();
        let sp = spread(5.0, &samples, Percentiles::default(), &mut scratch);
        assert_eq!(sp.low, 5.0);
        assert!(sp.widened);
    }

    #[test]
    fn sensitivity_points_at_the_uncertain_input() {
        let mut g = Graph::new();
        let a = g.leaf(
            "a",
            "a",
            q(
                2.0,
                Dist::Uniform {
                    low: 1.0,
                    high: 3.0,
                },
            ),
        );
        let b = g.leaf(
            "b",
            "b",
            q(
                2.0,
                Dist::Uniform {
                    low: 1.9,
                    high: 2.1,
                },
            ),
        );
        let y = g.add(a, b);
        let mc = MonteCarlo::new(&g, &[y], 5000, 11);
        let mut s = mc.scratch();
        mc.evaluate(&mut s, &[]);
        let sens = sensitivity(&g, &mc, y, mc.output(&s, 0));
        assert_eq!(sens[0].input, "a");
        // Variance shares: 4/12 against 0.04/12, so a takes about 99 % of the spread.
        assert!(sens[0].share > 0.95, "{sens:?}");
        assert!((sens.iter().map(|c| c.share).sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn ranks_average_ties() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
    }

    /// Values with ties and spread, from the crate's generator.
    fn values(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = Rng::seeded(seed, "test");
        (0..n)
            .map(|i| {
                let x = rng.next_f64();
                if i % 7 == 0 {
                    0.5
                } else {
                    x * x * 100.0
                }
            })
            .collect()
    }

    /// Both quantiles from one selection equal each from its own (the definition).
    #[test]
    fn two_quantiles_at_once_equal_each_alone() {
        assert!(quantiles(&[], 0.025, 0.975, &mut Vec::new()).0.is_nan());
        for n in [1, 2, 3, 10, 255, 256, 999, 1000, 1001, 4000] {
            for (p, q) in [
                (0.025, 0.975),
                (0.05, 0.95),
                (0.005, 0.995),
                (0.5, 0.5),
                (0.0, 1.0),
                (0.3, 0.31),
            ] {
                let mut v = values(n, n as u64);
                if n == 4000 {
                    // The sub-sample's positions hold the smallest values: the lower tail's
                    // threshold is too low, and the whole array must be used.
                    for i in 0..64 {
                        v[i * n / 64] = -1.0 - i as f64;
                    }
                }
                if n == 1001 {
                    // … or the largest: the upper tail's.
                    for i in 0..64 {
                        v[i * n / 64] = 1e9 + i as f64;
                    }
                }
                if n == 999 {
                    // Most draws tied (a clamped input): the tails overlap.
                    for x in v.iter_mut().skip(100) {
                        *x = 7.0;
                    }
                }
                let (lo, hi) = quantiles(&v, p, q, &mut Vec::new());
                assert_eq!(lo, quantile_in_place(&mut v.clone(), p), "n {n} p {p}");
                assert_eq!(hi, quantile_in_place(&mut v.clone(), q), "n {n} q {q}");
            }
        }
    }

    /// The dot product of rank scores is Spearman's correlation: Pearson's of the ranks,
    /// computed here by its textbook formula.
    #[test]
    fn rank_scores_give_spearman_correlations() {
        let x = values(500, 1);
        let y: Vec<f64> = x
            .iter()
            .zip(values(500, 2))
            .map(|(a, b)| a + 3.0 * b)
            .collect();
        let (rx, ry) = (ranks(&x), ranks(&y));
        let n = rx.len() as f64;
        let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
        let cov: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - mx) * (b - my)).sum();
        let sx = rx.iter().map(|a| (a - mx) * (a - mx)).sum::<f64>().sqrt();
        let sy = ry.iter().map(|b| (b - my) * (b - my)).sum::<f64>().sqrt();
        let want = cov / (sx * sy);
        let got: f64 = rank_scores(&x)
            .iter()
            .zip(rank_scores(&y))
            .map(|(a, b)| a * b)
            .sum();
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        assert!(
            want > 0.1 && want < 0.99,
            "a correlation that is neither 0 nor 1: {want}"
        );
        assert!(rank_scores(&[2.0; 5]).iter().all(|x| *x == 0.0));
    }
}
