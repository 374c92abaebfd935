//! Periodicity of a sampled bandwidth signal by frequency analysis (docs/io.md, "Periodicity"):
//! a discrete Fourier transform, Z-scores of the power spectrum, harmonics dropped, a confidence
//! per dominant frequency. The method is FTIO's (Tarraf et al., IPDPS 2024); the code is ours.

use serde::Serialize;

/// A complex number, as much of one as the transform needs.
#[derive(Clone, Copy, Debug, PartialEq)]
struct C {
    re: f64,
    im: f64,
}

impl C {
    fn new(re: f64, im: f64) -> C {
        C { re, im }
    }
    fn mul(self, o: C) -> C {
        C::new(
            self.re * o.re - self.im * o.im,
            self.re * o.im + self.im * o.re,
        )
    }
    fn add(self, o: C) -> C {
        C::new(self.re + o.re, self.im + o.im)
    }
    fn sub(self, o: C) -> C {
        C::new(self.re - o.re, self.im - o.im)
    }
    fn conj(self) -> C {
        C::new(self.re, -self.im)
    }
    fn norm2(self) -> f64 {
        self.re * self.re + self.im * self.im
    }
}

/// In-place radix-2 transform (`a.len()` a power of two); `inverse` without the 1/n scaling.
fn fft_pow2(a: &mut [C], inverse: bool) {
    let n = a.len();
    if n <= 1 {
        return;
    }
    // Bit-reversal permutation.
    let mut j = 0usize;
    for i in 1..n {
        let mut bit = n >> 1;
        while j & bit != 0 {
            j ^= bit;
            bit >>= 1;
        }
        j |= bit;
        if i < j {
            a.swap(i, j);
        }
    }
    let sign = if inverse { 1.0 } else { -1.0 };
    let mut len = 2;
    while len <= n {
        let ang = sign * 2.0 * std::f64::consts::PI / len as f64;
        let w_len = C::new(ang.cos(), ang.sin());
        for start in (0..n).step_by(len) {
            let mut w = C::new(1.0, 0.0);
            for k in 0..len / 2 {
                let u = a[start + k];
                let v = a[start + k + len / 2].mul(w);
                a[start + k] = u.add(v);
                a[start + k + len / 2] = u.sub(v);
                w = w.mul(w_len);
            }
        }
        len <<= 1;
    }
}

/// The discrete Fourier transform of a real signal, any length: radix-2 when the length is a
/// power of two, else Bluestein's algorithm (a convolution done with radix-2 transforms).
fn dft(x: &[f64]) -> Vec<C> {
    let n = x.len();
    if n == 0 {
        return Vec::new();
    }
    if n.is_power_of_two() {
        let mut a: Vec<C> = x.iter().map(|v| C::new(*v, 0.0)).collect();
        fft_pow2(&mut a, false);
        return a;
    }
    // Chirp w_k = exp(-iπk²/n); k² taken modulo 2n to keep the angle accurate.
    let chirp: Vec<C> = (0..n)
        .map(|k| {
            let k2 = (k as u128 * k as u128 % (2 * n as u128)) as f64;
            let ang = -std::f64::consts::PI * k2 / n as f64;
            C::new(ang.cos(), ang.sin())
        })
        .collect();
    let m = (2 * n - 1).next_power_of_two();
    let mut a = vec![C::new(0.0, 0.0); m];
    for k in 0..n {
        a[k] = chirp[k].mul(C::new(x[k], 0.0));
    }
    let mut b = vec![C::new(0.0, 0.0); m];
    b[0] = chirp[0].conj();
    for k in 1..n {
        b[k] = chirp[k].conj();
        b[m - k] = chirp[k].conj();
    }
    fft_pow2(&mut a, false);
    fft_pow2(&mut b, false);
    for (u, v) in a.iter_mut().zip(&b) {
        *u = u.mul(*v);
    }
    fft_pow2(&mut a, true);
    let scale = 1.0 / m as f64;
    (0..n)
        .map(|k| {
            let v = C::new(a[k].re * scale, a[k].im * scale);
            v.mul(chirp[k])
        })
        .collect()
}

/// The power at frequencies 1 … n/2 (index 0 is frequency 1 × fs / n).
pub fn power_spectrum(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let spec = dft(x);
    (1..=n / 2)
        .map(|k| 2.0 * spec[k].norm2() / n as f64)
        .collect()
}

/// A dominant frequency.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    /// Frequency (Hz).
    pub frequency_hz: f64,
    /// Period (s).
    pub period_s: f64,
    /// Z-score of its power.
    pub z: f64,
    /// Confidence, 0 to 1.
    pub confidence: f64,
}

/// The verdict on a signal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Periodicity {
    /// `periodic`, or why not: `not periodic: no dominant frequency`, `... too many dominant
    /// frequencies`, `... the dominant period is longer than half the window`, `... not
    /// distinguishable from noise`, `... no variation`; or `too short`.
    pub verdict: String,
    /// True when periodic.
    pub periodic: bool,
    /// The most confident dominant frequency, when periodic.
    pub dominant: Option<Candidate>,
    /// Every dominant frequency kept (one or two when periodic), most confident first.
    pub candidates: Vec<Candidate>,
    /// Harmonics dropped (Hz).
    pub harmonics_dropped: Vec<f64>,
    /// Sampling frequency (Hz).
    pub sample_rate_hz: f64,
    /// Samples.
    pub samples: usize,
    /// Frequency step of the spectrum (Hz).
    pub frequency_step_hz: f64,
    /// Probability that noise without any period puts as large a share of its power in some
    /// frequency and its harmonics as the dominant one has (docs/io.md, step 7); 1 when no
    /// dominant frequency was found.
    pub p_value: f64,
}

/// Significance level below which a dominant frequency is not noise.
pub const ALPHA: f64 = 0.01;

/// ln Q(k, y): the log of the upper tail of a Gamma(k, 1) variable at y, which is
/// e^(−y) Σ_{j<k} y^j / j!, summed in logarithms.
fn ln_gamma_tail(k: usize, y: f64) -> f64 {
    if y <= 0.0 || k == 0 {
        return 0.0;
    }
    let ln_y = y.ln();
    let mut ln_fact = 0.0;
    let mut terms = Vec::with_capacity(k);
    for j in 0..k {
        if j > 0 {
            ln_fact += (j as f64).ln();
        }
        terms.push(j as f64 * ln_y - ln_fact);
    }
    let m = terms.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = terms.iter().map(|t| (t - m).exp()).sum();
    (-y + m + sum.ln()).min(0.0)
}

/// Half-width (bins) of the window whose median is a frequency's background power.
pub const BACKGROUND_HALF_WIDTH: usize = 8;

/// The background power at each frequency: the median of the powers within
/// ±[`BACKGROUND_HALF_WIDTH`] bins, over ln 2 (the median of an exponential variable is ln 2 ×
/// its mean). Bursts of I/O have a spectrum that falls with frequency (their durations smooth
/// it), so the powers of a signal without period are exponential around this local level, not
/// around the spectrum's mean; a median ignores the peaks of a periodic signal as long as they
/// hold fewer than half the window.
fn background(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mean = p.iter().sum::<f64>() / m.max(1) as f64;
    let floor = (mean * 1e-12).max(f64::MIN_POSITIVE);
    let mut w = Vec::with_capacity(2 * BACKGROUND_HALF_WIDTH + 1);
    (0..m)
        .map(|i| {
            let lo = i.saturating_sub(BACKGROUND_HALF_WIDTH);
            let hi = (i + BACKGROUND_HALF_WIDTH + 1).min(m);
            w.clear();
            w.extend_from_slice(&p[lo..hi]);
            let n = w.len();
            let (below, mid, _) = w.select_nth_unstable_by(n / 2, f64::total_cmp);
            let median = if n % 2 == 1 {
                *mid
            } else {
                // The largest of the lower half is the other middle value.
                let lower = below.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                (lower + *mid) / 2.0
            };
            (median / std::f64::consts::LN_2).max(floor)
        })
        .collect()
}

/// The harmonic-comb test of a dominant frequency at bin `i0` (frequency (i0 + 1) steps) of the
/// spectrum `p`: the comb's fundamental is refined within half a step; its statistic is the sum,
/// over the bins nearest to each multiple up to the last frequency, of the power over its local
/// background ([`background`]); without a period these are about i.i.d. exponentials of mean 1,
/// so the sum of K of them follows a Gamma(K, 1) law, and the chance that noise reaches it is
/// bounded by the number of combs one could try times the Gamma tail.
fn comb_p(p: &[f64], i0: usize) -> f64 {
    let m = p.len();
    let bg = background(p);
    let q: Vec<f64> = p.iter().zip(&bg).map(|(x, b)| x / b).collect();
    let f0 = (i0 + 1) as f64;
    // Fundamentals tried: within half a step, finer for more harmonics, at most 33.
    let k_max = (m as f64 / f0).floor().max(1.0) as usize;
    let offsets = (2 * k_max + 1).min(33);
    let mut best = 0.0f64;
    for o in 0..offsets {
        let f = f0 - 0.5 + o as f64 / (offsets - 1).max(1) as f64;
        if f < 1.0 {
            continue;
        }
        let k = (m as f64 / f).floor() as usize;
        let mut seen = std::collections::BTreeSet::new();
        let sum: f64 = (1..=k)
            .filter_map(|h| {
                let b = (h as f64 * f).round() as usize;
                (b >= 1 && b <= m && seen.insert(b)).then(|| q[b - 1])
            })
            .sum();
        let ln_q = ln_gamma_tail(seen.len(), sum);
        best = best.min(ln_q);
    }
    let ln_tries = (m as f64).ln() + (offsets as f64).ln();
    (best + ln_tries).exp().min(1.0)
}

/// FTIO's tolerance: candidates need a Z of at least this share of the largest.
pub const TOLERANCE: f64 = 0.8;
/// Z-score above which a frequency is an outlier.
pub const Z_MIN: f64 = 3.0;

/// Periodicity of `signal`, sampled at `fs` Hz.
pub fn periodicity(signal: &[f64], fs: f64) -> Periodicity {
    let n = signal.len();
    let mut out = Periodicity {
        verdict: String::new(),
        periodic: false,
        dominant: None,
        candidates: Vec::new(),
        harmonics_dropped: Vec::new(),
        sample_rate_hz: fs,
        samples: n,
        frequency_step_hz: if n > 0 { fs / n as f64 } else { 0.0 },
        p_value: 1.0,
    };
    let p = power_spectrum(signal);
    let total: f64 = p.iter().sum();
    if p.len() < 4 {
        out.verdict = "too short".into();
        return out;
    }
    if total <= 0.0 || !total.is_finite() {
        out.verdict = "not periodic: no variation".into();
        return out;
    }
    let p: Vec<f64> = p.iter().map(|v| v / total).collect();
    let mean = p.iter().sum::<f64>() / p.len() as f64;
    let var = p.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / p.len() as f64;
    let std = var.sqrt();
    let z: Vec<f64> = p
        .iter()
        .map(|v| {
            if std > 0.0 {
                (v - mean).abs() / std
            } else {
                0.0
            }
        })
        .collect();
    let zmax = z.iter().cloned().fold(0.0, f64::max);
    let step = out.frequency_step_hz;
    let freq = |i: usize| (i + 1) as f64 * step;
    // Candidates, by increasing frequency as FTIO takes them.
    let cand: Vec<usize> = (0..z.len())
        .filter(|&i| z[i] > Z_MIN && zmax > 0.0 && z[i] / zmax >= TOLERANCE)
        .collect();
    // Harmonics: k × a lower kept frequency (k ≥ 2), within the error the grid allows: half a
    // step for each peak, the fundamental's multiplied by k.
    let harmonic_of = |i: usize, j: usize| {
        let (f, f0) = (freq(i), freq(j));
        let k = (f / f0).round();
        i != j && k >= 2.0 && (f - k * f0).abs() <= (k + 1.0) / 2.0 * step
    };
    let mut kept: Vec<usize> = Vec::new();
    let mut dropped: Vec<usize> = Vec::new();
    for &i in &cand {
        if kept.iter().any(|&j| harmonic_of(i, j)) {
            dropped.push(i);
        } else {
            kept.push(i);
        }
    }
    // Outliers that are harmonics of a kept frequency leave the confidence sums.
    let excluded = |i: usize| !kept.contains(&i) && kept.iter().any(|&j| harmonic_of(i, j));
    let sum_tol: f64 = (0..z.len())
        .filter(|&i| zmax > 0.0 && z[i] / zmax >= TOLERANCE && !excluded(i))
        .map(|i| z[i])
        .sum();
    let sum_out: f64 = (0..z.len())
        .filter(|&i| z[i] > Z_MIN && !excluded(i))
        .map(|i| z[i])
        .sum();
    let conf = |i: usize| {
        let a = if sum_tol > 0.0 { z[i] / sum_tol } else { 0.0 };
        let b = if sum_out > 0.0 { z[i] / sum_out } else { 0.0 };
        (a + b) / 2.0
    };
    let mut order: Vec<usize> = kept.clone();
    order.sort_by(|a, b| conf(*b).total_cmp(&conf(*a)).then(a.cmp(b)));
    out.candidates = order
        .iter()
        .map(|&i| Candidate {
            frequency_hz: freq(i),
            period_s: 1.0 / freq(i),
            z: z[i],
            confidence: conf(i),
        })
        .collect();
    out.harmonics_dropped = dropped.iter().map(|&i| freq(i)).collect();
    out.verdict = match order.len() {
        0 => "not periodic: no dominant frequency".into(),
        1 | 2 if order[0] == 0 => {
            // The lowest frequency: one period fills the window, nothing repeats.
            "not periodic: the dominant period is longer than half the window".into()
        }
        1 | 2 => {
            out.p_value = comb_p(&p, order[0]);
            if out.p_value < ALPHA {
                out.periodic = true;
                out.dominant = out.candidates.first().cloned();
                "periodic".into()
            } else {
                "not periodic: not distinguishable from noise".into()
            }
        }
        _ => "not periodic: too many dominant frequencies".into(),
    };
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(x: &[f64]) -> Vec<C> {
        let n = x.len();
        (0..n)
            .map(|k| {
                x.iter().enumerate().fold(C::new(0.0, 0.0), |acc, (t, v)| {
                    let ang = -2.0 * std::f64::consts::PI * (k * t) as f64 / n as f64;
                    acc.add(C::new(v * ang.cos(), v * ang.sin()))
                })
            })
            .collect()
    }

    #[test]
    fn transforms_agree_with_the_definition_for_any_length() {
        // Lengths: powers of two (radix-2) and others (Bluestein), including primes.
        for n in [1usize, 2, 8, 64, 3, 5, 7, 12, 31, 100, 257] {
            let x: Vec<f64> = (0..n)
                .map(|i| ((i * 7919) % 13) as f64 - 6.0 + (i as f64 * 0.37).sin())
                .collect();
            let a = dft(&x);
            let b = naive(&x);
            for (k, (u, v)) in a.iter().zip(&b).enumerate() {
                assert!(
                    (u.re - v.re).abs() < 1e-8 * n as f64 && (u.im - v.im).abs() < 1e-8 * n as f64,
                    "n={n} k={k}: {u:?} vs {v:?}"
                );
            }
        }
    }

    #[test]
    fn the_gamma_tail_matches_its_closed_forms() {
        // Q(1, y) = e^−y; Q(2, y) = e^−y (1 + y); Q(3, y) = e^−y (1 + y + y²/2).
        for y in [0.5, 3.0, 40.0] {
            assert!((ln_gamma_tail(1, y) + y).abs() < 1e-12);
            assert!((ln_gamma_tail(2, y) - (-y + (1.0 + y).ln())).abs() < 1e-12);
            assert!((ln_gamma_tail(3, y) - (-y + (1.0 + y + y * y / 2.0).ln())).abs() < 1e-12);
        }
        assert_eq!(ln_gamma_tail(5, 0.0), 0.0);
    }

    #[test]
    fn the_background_is_the_local_median_over_ln_2() {
        // A flat spectrum of 2 with one peak of 100: every window's median is 2 (the peak is one
        // value of up to 17), so the background is 2 / ln 2 everywhere, the peak's bin included.
        let mut p = vec![2.0; 40];
        p[20] = 100.0;
        let b = background(&p);
        for x in &b {
            assert!((x - 2.0 / std::f64::consts::LN_2).abs() < 1e-12, "{b:?}");
        }
        // At the edge the window is cut: bins 0..=8 for the first one (9 values, median of
        // 1, 2, …, 9 is 5); an even window takes the mean of its two middle values.
        let ramp: Vec<f64> = (1..=40).map(f64::from).collect();
        let b = background(&ramp);
        assert!((b[0] - 5.0 / std::f64::consts::LN_2).abs() < 1e-12);
        let b = background(&ramp[..10]);
        // Bin 1: values 1..=10 (10 of them): median (5 + 6) / 2.
        assert!((b[1] - 5.5 / std::f64::consts::LN_2).abs() < 1e-12, "{b:?}");
    }

    #[test]
    fn a_pure_tone_is_periodic_at_its_frequency() {
        // 2 Hz sampled at 64 Hz for 8 s: the peak is at bin 16 (2 Hz), exactly.
        let fs = 64.0;
        let x: Vec<f64> = (0..512)
            .map(|i| 1.0 + (2.0 * std::f64::consts::PI * 2.0 * i as f64 / fs).sin())
            .collect();
        let p = periodicity(&x, fs);
        assert!(p.periodic, "{p:?}");
        let d = p.dominant.expect("dominant");
        assert!((d.frequency_hz - 2.0).abs() < 1e-9, "{d:?}");
        // A single outlier: both shares of the confidence are 1.
        assert!((d.confidence - 1.0).abs() < 1e-9, "{d:?}");
    }

    #[test]
    fn an_impulse_train_keeps_its_fundamental_and_drops_its_harmonics() {
        // A burst every 10 samples: power at 1/10 of fs and at its multiples.
        let x: Vec<f64> = (0..1000)
            .map(|i| if i % 10 == 0 { 1.0 } else { 0.0 })
            .collect();
        let p = periodicity(&x, 100.0);
        assert!(p.periodic, "{p:?}");
        let d = p.dominant.clone().expect("dominant");
        assert!((d.period_s - 0.1).abs() < 1e-9, "{d:?}");
        assert_eq!(p.harmonics_dropped.len(), 4, "{p:?}"); // 20, 30, 40, 50 Hz
    }

    #[test]
    fn constant_and_random_signals_are_not_periodic() {
        let flat = vec![3.0; 256];
        assert_eq!(
            periodicity(&flat, 10.0).verdict,
            "not periodic: no variation"
        );
        assert_eq!(periodicity(&[1.0, 0.0, 1.0], 10.0).verdict, "too short");
        // A linear congruential sequence: noise spreads the power, no outlier dominates.
        let mut s = 12345u64;
        let noise: Vec<f64> = (0..4096)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (s >> 11) as f64 / (1u64 << 53) as f64
            })
            .collect();
        let p = periodicity(&noise, 10.0);
        assert!(!p.periodic, "{p:?}");
        // FTIO's Z-score alone finds dominant frequencies in noise; the comb test rejects them.
        assert!(!p.candidates.is_empty(), "{p:?}");
        assert_eq!(p.verdict, "not periodic: not distinguishable from noise");
        assert!(p.p_value > 0.05, "{p:?}");
    }
}
