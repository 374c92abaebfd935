//! Input numbers with their uncertainty and provenance.

use serde::{Deserialize, Serialize};

use crate::rng::Rng;

/// Where a number comes from and how it was obtained.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// How the number was obtained.
    pub status: Status,
    /// Key of the bibliography entry of the data bundle (`user` for the user's own values).
    pub source: String,
    /// Year of the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Licence of the place the number was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// Free text: which row, which step of an estimation, which assumption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Provenance {
    /// A value given by the user.
    pub fn input(note: impl Into<String>) -> Provenance {
        Provenance {
            status: Status::Input,
            source: "user".into(),
            year: None,
            licence: None,
            note: Some(note.into()),
        }
    }

    /// A value with the given status and source key.
    pub fn new(status: Status, source: impl Into<String>) -> Provenance {
        Provenance {
            status,
            source: source.into(),
            year: None,
            licence: None,
            note: None,
        }
    }

    /// Same provenance with a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Provenance {
        self.note = Some(note.into());
        self
    }

    /// Same provenance with a year.
    pub fn with_year(mut self, year: Option<i32>) -> Provenance {
        self.year = year;
        self
    }

    /// Same provenance with a licence.
    pub fn with_licence(mut self, licence: Option<String>) -> Provenance {
        self.licence = licence;
        self
    }
}

/// How a number was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Given by the user.
    Input,
    /// A default of the method, used because the user gave nothing.
    Default,
    /// Read from the data bundle for an exact name.
    Database,
    /// Read from the data bundle for a name found by fuzzy matching.
    FuzzyMatch,
    /// Measured on the system (for example a scheduler's energy counter).
    Measured,
    /// Computed from other numbers by a formula of the model.
    Derived,
    /// Estimated from similar rows of the bundle (averages, regressions).
    Estimated,
}

impl Status {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Input => "input",
            Status::Default => "default",
            Status::Database => "database",
            Status::FuzzyMatch => "fuzzy-match",
            Status::Measured => "measured",
            Status::Derived => "derived",
            Status::Estimated => "estimated",
        }
    }
}

/// The uncertainty of a number, around its central value.
///
/// Every distribution is sampled so that a value used in several places of a model is drawn once
/// per Monte Carlo sample (see [`crate::eval::MonteCarlo`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Dist {
    /// No published range: the central value is used in every sample.
    Fixed,
    /// Uniform between `low` and `high`.
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// Triangular between `low` and `high` with its mode at the central value.
    Triangular {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// Normal around the central value, truncated to non-negative values.
    Normal {
        /// Standard deviation.
        sd: f64,
    },
    /// Log-normal with the central value as median.
    LogNormal {
        /// Geometric standard deviation (> 1).
        gsd: f64,
    },
    /// One of these values, each equally likely (for example the rows an average was taken over).
    Empirical {
        /// The values.
        values: Vec<f64>,
    },
}

impl Dist {
    /// Draws one value; `central` is the quantity's central value.
    pub fn sample(&self, central: f64, rng: &mut Rng) -> f64 {
        match self {
            Dist::Fixed => central,
            Dist::Uniform { low, high } => low + (high - low) * rng.next_f64(),
            Dist::Triangular { low, high } => {
                let (a, b, c) = (*low, *high, central.clamp(*low, *high));
                if b <= a {
                    return central;
                }
                let u = rng.next_f64();
                let fc = (c - a) / (b - a);
                if u < fc {
                    a + ((b - a) * (c - a) * u).sqrt()
                } else {
                    b - ((b - a) * (b - c) * (1.0 - u)).sqrt()
                }
            }
            Dist::Normal { sd } => {
                if *sd <= 0.0 {
                    return central;
                }
                // Truncated to [0, inf): invert the normal CDF on the admissible interval.
                let lo = normal_cdf(-central / sd);
                let u = lo + (1.0 - lo) * rng.next_f64_open();
                (central + sd * normal_quantile(u.min(1.0 - 1e-16))).max(0.0)
            }
            Dist::LogNormal { gsd } => {
                if *gsd <= 1.0 || central <= 0.0 {
                    return central;
                }
                let z = normal_quantile(rng.next_f64_open());
                (central.ln() + gsd.ln() * z).exp()
            }
            Dist::Empirical { values } => {
                if values.is_empty() {
                    return central;
                }
                let i = (rng.next_f64() * values.len() as f64) as usize;
                values[i.min(values.len() - 1)]
            }
        }
    }

    /// True when every sample equals the central value.
    pub fn is_fixed(&self) -> bool {
        match self {
            Dist::Fixed => true,
            Dist::Uniform { low, high } | Dist::Triangular { low, high } => low >= high,
            Dist::Normal { sd } => *sd <= 0.0,
            Dist::LogNormal { gsd } => *gsd <= 1.0,
            Dist::Empirical { values } => values.windows(2).all(|w| w[0] == w[1]),
        }
    }

    /// A short human description, for explanations.
    pub fn describe(&self, central: f64) -> String {
        match self {
            Dist::Fixed => "fixed".into(),
            Dist::Uniform { low, high } => {
                format!("uniform [{}, {}]", fmt_num(*low), fmt_num(*high))
            }
            Dist::Triangular { low, high } => format!(
                "triangular [{}, {}], mode {}",
                fmt_num(*low),
                fmt_num(*high),
                fmt_num(central)
            ),
            Dist::Normal { sd } => format!("normal, sd {} (truncated at 0)", fmt_num(*sd)),
            Dist::LogNormal { gsd } => format!("log-normal, geometric sd {}", fmt_num(*gsd)),
            Dist::Empirical { values } => {
                let (lo, hi) = values
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
                        (l.min(*v), h.max(*v))
                    });
                format!(
                    "one of {} values in [{}, {}]",
                    values.len(),
                    fmt_num(lo),
                    fmt_num(hi)
                )
            }
        }
    }
}

/// A number of the model: central value, uncertainty, unit and provenance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// The central value, used for point estimates.
    pub value: f64,
    /// Its uncertainty.
    pub dist: Dist,
    /// Its unit (base units of the model: g, MJ, W, h, GB, mm2, ...).
    pub unit: String,
    /// Where it comes from.
    pub provenance: Provenance,
}

impl Quantity {
    /// A quantity with a fixed value.
    pub fn fixed(value: f64, unit: impl Into<String>, provenance: Provenance) -> Quantity {
        Quantity {
            value,
            dist: Dist::Fixed,
            unit: unit.into(),
            provenance,
        }
    }

    /// A quantity with a distribution.
    pub fn with_dist(
        value: f64,
        dist: Dist,
        unit: impl Into<String>,
        provenance: Provenance,
    ) -> Quantity {
        Quantity {
            value,
            dist,
            unit: unit.into(),
            provenance,
        }
    }

    /// The mean of `values` with the values themselves as its distribution.
    ///
    /// Returns `None` for an empty slice.
    pub fn mean_of(
        values: &[f64],
        unit: impl Into<String>,
        provenance: Provenance,
    ) -> Option<Quantity> {
        if values.is_empty() {
            return None;
        }
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        Some(Quantity {
            value: mean,
            dist: Dist::Empirical {
                values: values.to_vec(),
            },
            unit: unit.into(),
            provenance,
        })
    }

    /// The same quantity scaled by a positive factor (value and distribution).
    pub fn scaled(&self, k: f64) -> Quantity {
        let dist = match &self.dist {
            Dist::Fixed => Dist::Fixed,
            Dist::Uniform { low, high } => Dist::Uniform {
                low: low * k,
                high: high * k,
            },
            Dist::Triangular { low, high } => Dist::Triangular {
                low: low * k,
                high: high * k,
            },
            Dist::Normal { sd } => Dist::Normal { sd: sd * k },
            Dist::LogNormal { gsd } => Dist::LogNormal { gsd: *gsd },
            Dist::Empirical { values } => Dist::Empirical {
                values: values.iter().map(|v| v * k).collect(),
            },
        };
        Quantity {
            value: self.value * k,
            dist,
            unit: self.unit.clone(),
            provenance: self.provenance.clone(),
        }
    }
}

/// Formats a number compactly for explanations (up to 6 significant digits).
pub fn fmt_num(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let a = v.abs();
    if (1e-3..1e7).contains(&a) {
        let digits = (6 - (a.log10().floor() as i32 + 1)).clamp(0, 9) as usize;
        let s = format!("{v:.digits$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        format!("{v:.5e}")
    }
}

/// The standard normal cumulative distribution function.
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

fn erfc(x: f64) -> f64 {
    // Numerical Recipes' erfc approximation (Chebyshev), relative error below 1.2e-7,
    // refined below by the quantile's Newton step where precision matters.
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.26551223
            + t * (1.00002368
                + t * (0.37409196
                    + t * (0.09678418
                        + t * (-0.18628806
                            + t * (0.27886807
                                + t * (-1.13520398
                                    + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
            .exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// The standard normal quantile function (inverse CDF), for `p` in (0, 1).
///
/// Acklam's rational approximation (relative error about 1e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.383_577_518_672_69e2,
        -3.066479806614716e+01,
        2.506628277459239e+00,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-03,
        3.224671290700398e-01,
        2.445134137142996e+00,
        3.754408661907416e+00,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let plow = 0.02425;
    if p < plow {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - plow {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantile_matches_published_values() {
        // Standard normal table: z(0.975) = 1.959964, z(0.5) = 0, z(0.025) = -1.959964.
        assert!((normal_quantile(0.975) - 1.959964).abs() < 1e-5);
        assert!(normal_quantile(0.5).abs() < 1e-9);
        assert!((normal_quantile(0.025) + 1.959964).abs() < 1e-5);
        assert!((normal_quantile(0.001) + 3.090232).abs() < 1e-5);
    }

    #[test]
    fn normal_cdf_matches_published_values() {
        // Phi(1.96) = 0.975002, Phi(0) = 0.5, Phi(-1) = 0.158655.
        assert!((normal_cdf(1.96) - 0.975002).abs() < 1e-6);
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(-1.0) - 0.158655).abs() < 1e-6);
    }

    #[test]
    fn triangular_samples_stay_in_range_and_have_the_right_mean() {
        let d = Dist::Triangular {
            low: 1.0,
            high: 4.0,
        };
        let mut rng = Rng::seeded(7, "t");
        let n = 200_000;
        let mut sum = 0.0;
        for _ in 0..n {
            let x = d.sample(2.0, &mut rng);
            assert!((1.0..=4.0).contains(&x));
            sum += x;
        }
        // Mean of a triangular distribution: (a + b + c) / 3 = 7 / 3.
        assert!((sum / n as f64 - 7.0 / 3.0).abs() < 0.01);
    }

    #[test]
    fn lognormal_median_is_the_central_value() {
        let d = Dist::LogNormal { gsd: 2.0 };
        let mut rng = Rng::seeded(3, "l");
        let mut v: Vec<f64> = (0..100_001).map(|_| d.sample(10.0, &mut rng)).collect();
        v.sort_by(f64::total_cmp);
        assert!((v[50_000] - 10.0).abs() < 0.2, "median {}", v[50_000]);
    }

    #[test]
    fn truncated_normal_is_never_negative() {
        let d = Dist::Normal { sd: 5.0 };
        let mut rng = Rng::seeded(1, "n");
        for _ in 0..10_000 {
            assert!(d.sample(1.0, &mut rng) >= 0.0);
        }
    }

    #[test]
    fn fmt_num_is_compact() {
        assert_eq!(fmt_num(19.7), "19.7");
        assert_eq!(fmt_num(8766.0), "8766");
        assert_eq!(fmt_num(0.000058), "5.80000e-5");
        assert_eq!(fmt_num(0.284), "0.284");
    }
}
