//! The periodicity verdict on synthetic DXT-like traces whose truth is known: its power (jittered
//! periodic bursts are found at their period) and its false-alarm rate (bursts at random times,
//! a Poisson process, are rarely called periodic: the comb test's level is 1 %).

use impacts_io::timeline::{direction_periodicity, Source, Timeline, Transfer};

/// A small deterministic generator (64-bit LCG, top 53 bits): uniform in [0, 1).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn trace(starts: &[f64], rng: &mut Lcg) -> Timeline {
    Timeline {
        source: Source::Dxt,
        transfers: starts
            .iter()
            .map(|&t| {
                // Bursts of 0.1 to 0.5 s moving 1 to 9 MB.
                let d = 0.1 + 0.4 * rng.next();
                Transfer {
                    write: true,
                    start: t,
                    end: t + d,
                    bytes: 1e6 * (1.0 + 8.0 * rng.next()),
                }
            })
            .collect(),
        bin_width: None,
    }
}

#[test]
fn jittered_periodic_bursts_are_found_at_their_period() {
    let mut rng = Lcg(7);
    for period in [2.0, 10.0, 60.0] {
        // 40 bursts, each within ±5 % of the period of its slot.
        let starts: Vec<f64> = (0..40)
            .map(|k| k as f64 * period + (rng.next() - 0.5) * 0.1 * period)
            .map(|t: f64| t.max(0.0))
            .collect();
        let p = direction_periodicity(&trace(&starts, &mut rng), true).expect("writes");
        assert!(p.periodic, "period {period}: {p:?}");
        let d = p.dominant.expect("dominant");
        assert!(
            (d.period_s - period).abs() < 0.05 * period,
            "period {period}: found {}",
            d.period_s
        );
    }
}

#[test]
fn bursts_at_random_times_are_rarely_called_periodic() {
    let mut rng = Lcg(2024);
    let (mut periodic, trials) = (0, 200);
    for _ in 0..trials {
        // 40 bursts of a Poisson process of rate 1 per 10 s: exponential gaps.
        let mut t = 0.0;
        let starts: Vec<f64> = (0..40)
            .map(|_| {
                t += -10.0 * (1.0 - rng.next()).ln();
                t
            })
            .collect();
        let p = direction_periodicity(&trace(&starts, &mut rng), true).expect("writes");
        periodic += usize::from(p.periodic);
    }
    // The count, for docs/io.md (`cargo test -p impacts-io --test periodicity -- --nocapture`).
    eprintln!("{periodic} of {trials} random traces called periodic");
    // At the 1 % level with a Bonferroni bound over the combs tried, fewer than 1 % are expected;
    // 3 of 200 leaves room for the generator's draw.
    assert!(
        periodic <= 3,
        "{periodic} of {trials} random traces called periodic"
    );
}
