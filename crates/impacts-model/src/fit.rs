//! Fitting the CPU power curve P(load) = a·ln(load + c) + d.
//!
//! The reference writes the curve a·ln(b·(load + c)) + d and fits four parameters, but a·ln(b) + d
//! is a single constant: only three are identifiable. For a fixed c the best a and d are an
//! ordinary linear least-squares fit on ln(load + c); c is then found by a one-dimensional search.

use serde::{Deserialize, Serialize};

/// A fitted power curve: P(load) = a·ln(load + c) + d, load in percent.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogCurve {
    /// Slope on ln(load + c).
    pub a: f64,
    /// Shift of the load (> −min load).
    pub c: f64,
    /// Offset.
    pub d: f64,
}

impl LogCurve {
    /// The curve's value at `load` percent.
    pub fn at(&self, load: f64) -> f64 {
        self.a * (load + self.c).ln() + self.d
    }

    /// The curve written with the reference's four parameters (a, b, c, d) with b = 1.
    pub fn from_abcd(a: f64, b: f64, c: f64, d: f64) -> LogCurve {
        LogCurve {
            a,
            c,
            d: a * b.ln() + d,
        }
    }
}

/// Least-squares fit of `a·ln(x + c) + d` to the points (x in percent, y).
///
/// Returns `None` with fewer than three distinct loads or non-finite points.
pub fn fit_log_curve(points: &[(f64, f64)]) -> Option<LogCurve> {
    if points
        .iter()
        .any(|(x, y)| !x.is_finite() || !y.is_finite() || *x < 0.0)
    {
        return None;
    }
    let mut xs: Vec<f64> = points.iter().map(|p| p.0).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    if xs.len() < 3 {
        return None;
    }
    let xmin = xs[0];
    // Search t = ln(c + xmin) so that c > -xmin, over a wide range, then refine.
    let sse_at = |t: f64| sse(points, t.exp() - xmin).0;
    let (mut lo, mut hi) = (-12.0f64, 12.0f64);
    let n = 240;
    let mut best_t = lo;
    let mut best = f64::INFINITY;
    for i in 0..=n {
        let t = lo + (hi - lo) * i as f64 / n as f64;
        let s = sse_at(t);
        if s < best {
            best = s;
            best_t = t;
        }
    }
    let step = (hi - lo) / n as f64;
    lo = best_t - step;
    hi = best_t + step;
    // Golden-section refinement.
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let mut x1 = hi - g * (hi - lo);
    let mut x2 = lo + g * (hi - lo);
    let mut f1 = sse_at(x1);
    let mut f2 = sse_at(x2);
    for _ in 0..200 {
        if f1 < f2 {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - g * (hi - lo);
            f1 = sse_at(x1);
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + g * (hi - lo);
            f2 = sse_at(x2);
        }
        if (hi - lo).abs() < 1e-13 {
            break;
        }
    }
    let c = ((lo + hi) / 2.0).exp() - xmin;
    let (_, a, d) = sse(points, c);
    (a.is_finite() && d.is_finite()).then_some(LogCurve { a, c, d })
}

fn sse(points: &[(f64, f64)], c: f64) -> (f64, f64, f64) {
    let n = points.len() as f64;
    let us: Vec<f64> = points.iter().map(|(x, _)| (x + c).ln()).collect();
    let mu = us.iter().sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let mut suu = 0.0;
    let mut suy = 0.0;
    for (u, (_, y)) in us.iter().zip(points) {
        suu += (u - mu) * (u - mu);
        suy += (u - mu) * (y - my);
    }
    if suu == 0.0 {
        return (f64::INFINITY, f64::NAN, f64::NAN);
    }
    let a = suy / suu;
    let d = my - a * mu;
    let s = us
        .iter()
        .zip(points)
        .map(|(u, (_, y))| {
            let r = a * u + d - y;
            r * r
        })
        .sum();
    (s, a, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The four anchors of the BoaviztAPI CPU model, as fractions of TDP.
    const ANCHORS: [(f64, f64); 4] = [(0.0, 0.12), (10.0, 0.32), (50.0, 0.75), (100.0, 1.02)];

    #[test]
    fn tdp_fit_reproduces_the_reference_curve() {
        // Impacts-HPC 0.0.8 for the Intel Xeon E3-1285 v6 (TDP 79 W) fits
        // a = 40.1698680, b = 0.0222610322, c = 20.4511033, d = 41.0299147 and reports
        // 80.6505129 W at 100 % and 9.42101953 W at 0 % (shared/parity/reference-cases.json).
        let pts: Vec<(f64, f64)> = ANCHORS.iter().map(|(x, y)| (*x, y * 79.0)).collect();
        let f = fit_log_curve(&pts).unwrap();
        assert!((f.c - 20.4511033).abs() < 1e-4, "c = {}", f.c);
        assert!((f.at(100.0) - 80.6505129).abs() < 1e-5, "{}", f.at(100.0));
        assert!((f.at(0.0) - 9.42101953).abs() < 1e-5, "{}", f.at(0.0));
        let r = LogCurve::from_abcd(
            40.1698680087917,
            0.022261032195416912,
            20.451103308988458,
            41.029914661160575,
        );
        for load in [0.0, 25.0, 80.0, 100.0] {
            assert!((r.at(load) - f.at(load)).abs() < 1e-4);
        }
    }

    #[test]
    fn the_fit_scales_with_tdp() {
        let unit = fit_log_curve(&ANCHORS).unwrap();
        let pts: Vec<(f64, f64)> = ANCHORS.iter().map(|(x, y)| (*x, y * 225.0)).collect();
        let f = fit_log_curve(&pts).unwrap();
        assert!((f.c - unit.c).abs() < 1e-6);
        assert!((f.at(70.0) - 225.0 * unit.at(70.0)).abs() < 1e-6);
    }

    #[test]
    fn an_exact_curve_is_recovered() {
        let truth = LogCurve {
            a: 30.0,
            c: 5.0,
            d: -10.0,
        };
        let pts: Vec<(f64, f64)> = [0.0, 10.0, 30.0, 60.0, 100.0]
            .iter()
            .map(|x| (*x, truth.at(*x)))
            .collect();
        let f = fit_log_curve(&pts).unwrap();
        assert!(
            (f.a - 30.0).abs() < 1e-5 && (f.c - 5.0).abs() < 1e-4 && (f.d + 10.0).abs() < 1e-4,
            "{f:?}"
        );
    }

    #[test]
    fn too_few_points_is_none() {
        assert!(fit_log_curve(&[(0.0, 1.0), (100.0, 2.0)]).is_none());
        assert!(fit_log_curve(&[(0.0, 1.0), (50.0, f64::NAN), (100.0, 2.0)]).is_none());
    }
}
