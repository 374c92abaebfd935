//! Properties that must hold for any job, checked on many random jobs (seeded, reproducible).

use impacts::impacts_data::resolve::{CpuQuery, GpuQuery, RamQuery, SsdQuery};
use impacts::impacts_model::eval::MonteCarlo;
use impacts::impacts_model::job::params;
use impacts::impacts_model::report::Phase;
use impacts::impacts_model::rng::Rng;
use impacts::{
    CenterSource, EnergyRequest, Engine, JobEstimator, JobRequest, Options, Report, ServerRequest,
};

const PARTITIONS: [&str; 8] = [
    "cpu_p1", "gpu_p13", "gpu_p2", "gpu_p2l", "gpu_p5", "gpu_p6", "prepost", "visu",
];

fn estimators(engine: &Engine, method: &str) -> Vec<JobEstimator> {
    let center = engine
        .center(&CenterSource::Bundled("jean-zay".into()), method, None)
        .unwrap();
    PARTITIONS
        .iter()
        .map(|p| {
            JobEstimator::new(
                engine,
                &center,
                center.partition(p).unwrap(),
                None,
                method,
                false,
            )
            .unwrap()
        })
        .collect()
}

fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        ((a - b) / b.abs().max(a.abs())).abs()
    }
}

/// Outputs that scale with the job (totals, phases, energies): all but node and park power.
fn extensive(est: &JobEstimator) -> usize {
    est.layout().extensive().end
}

#[test]
fn impacts_are_linear_in_hours_and_in_nodes() {
    let engine = Engine::new().unwrap();
    let mut rng = Rng::seeded(2024, "linearity");
    for method in ["default", "impacts-hpc"] {
        for est in estimators(&engine, method) {
            let mut ev = est.evaluator();
            let n = est.outputs().len();
            let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
            for _ in 0..200 {
                let hours = 0.01 + rng.next_f64() * 500.0;
                let nodes = 0.05 + rng.next_f64() * (est.partition.nodes as f64 / 4.0);
                let load = rng.next_f64() * 100.0;
                let k = 0.5 + rng.next_f64() * 7.0;
                let p = [hours, nodes, load, load];
                est.point(&mut ev, &p, &mut a);
                let mut ph = p;
                ph[params::HOURS] *= k;
                est.point(&mut ev, &ph, &mut b);
                for i in 0..extensive(&est) {
                    assert!(
                        rel(b[i], k * a[i]) < 1e-12,
                        "{} output {i}: hours × {k}: {} vs {}",
                        est.partition.name,
                        b[i],
                        k * a[i]
                    );
                }
                let mut pn = p;
                pn[params::NODES] *= k;
                est.point(&mut ev, &pn, &mut b);
                for i in 0..extensive(&est) {
                    assert!(
                        rel(b[i], k * a[i]) < 1e-12,
                        "{} output {i}: nodes × {k}",
                        est.partition.name
                    );
                }
                for (i, v) in a.iter().enumerate() {
                    assert!(
                        v.is_finite() && *v >= 0.0,
                        "{} output {i} = {v}",
                        est.partition.name
                    );
                }
            }
        }
    }
}

#[test]
fn more_load_never_lowers_the_use_phase() {
    let engine = Engine::new().unwrap();
    for est in estimators(&engine, "default") {
        let mut ev = est.evaluator();
        let n = est.outputs().len();
        let c = est.criteria();
        let mut prev = vec![f64::NEG_INFINITY; c];
        let mut out = vec![0.0; n];
        for load in (0..=100).step_by(5) {
            let l = load as f64;
            est.point(&mut ev, &[10.0, 1.0, l, l], &mut out);
            for k in 0..c {
                let use_k = out[est.layout().phase(Phase::Use, k).unwrap()];
                assert!(
                    use_k >= prev[k],
                    "{}: use must grow with load",
                    est.partition.name
                );
                prev[k] = use_k;
            }
        }
    }
}

fn all_estimates(r: &Report) -> Vec<(String, f64, f64, f64)> {
    let mut v = Vec::new();
    for (k, e) in r.impacts.iter() {
        v.push((format!("total {k}"), e.low, e.value, e.high));
    }
    for (p, m) in r.phases.iter() {
        for (k, e) in m.iter() {
            v.push((format!("{p} {k}"), e.low, e.value, e.high));
        }
    }
    for (p, m) in r.components.iter() {
        for (k, e) in m.iter() {
            v.push((format!("{p} {k}"), e.low, e.value, e.high));
        }
    }
    for (k, e) in r.quantities.iter() {
        v.push((k.clone(), e.low, e.value, e.high));
    }
    v
}

#[test]
fn bounds_contain_the_central_value() {
    let engine = Engine::new().unwrap();
    let mut rng = Rng::seeded(7, "bounds");
    let zones = ["FR", "DE", "PL", "NO", "US", "CN", "World", "Europe"];
    for i in 0..40 {
        let p = PARTITIONS[i % PARTITIONS.len()];
        let req = JobRequest {
            center: CenterSource::Bundled("jean-zay".into()),
            partition: p.into(),
            nodes: Some(1.0 + (rng.next_f64() * 3.0).floor()),
            hours: 0.1 + rng.next_f64() * 48.0,
            load: Some(rng.next_f64() * 100.0),
            zone: Some(zones[i % zones.len()].into()),
            ..JobRequest::default()
        };
        let r = engine
            .job(
                &req,
                &Options {
                    samples: 300,
                    seed: i as u64,
                    method: if i % 2 == 0 { "default" } else { "impacts-hpc" }.into(),
                    ..Options::default()
                },
            )
            .unwrap();
        for (name, lo, v, hi) in all_estimates(&r) {
            assert!(lo <= v && v <= hi, "{p} {name}: {lo} <= {v} <= {hi}");
        }
    }
    let s = engine
        .server(
            &ServerRequest {
                cpus: vec![(
                    CpuQuery {
                        name: Some("Intel Xeon Gold 6248".into()),
                        ..CpuQuery::default()
                    },
                    2,
                )],
                gpus: vec![(
                    GpuQuery {
                        name: Some("H200".into()),
                        ..GpuQuery::default()
                    },
                    4,
                )],
                ram: vec![RamQuery {
                    size_gb: 512.0,
                    ..RamQuery::default()
                }],
                ssds: vec![(
                    SsdQuery {
                        size_gb: 3840.0,
                        ..SsdQuery::default()
                    },
                    2,
                )],
                motherboards: 1,
                psus: 2,
                ..ServerRequest::default()
            },
            &Options {
                samples: 500,
                ..Options::default()
            },
        )
        .unwrap();
    for (name, lo, v, hi) in all_estimates(&s) {
        assert!(lo <= v && v <= hi, "server {name}: {lo} <= {v} <= {hi}");
    }
}

#[test]
fn the_same_seed_gives_the_same_report_bit_for_bit() {
    let engine = Engine::new().unwrap();
    let req = JobRequest {
        center: CenterSource::Bundled("jean-zay".into()),
        partition: "gpu_p6".into(),
        nodes: Some(4.0),
        hours: 12.0,
        load: Some(80.0),
        ..JobRequest::default()
    };
    let run = |seed| {
        let o = Options {
            seed,
            samples: 400,
            explain: true,
            ..Options::default()
        };
        serde_json::to_string(&engine.job(&req, &o).unwrap()).unwrap()
    };
    assert_eq!(run(11), run(11));
    assert_ne!(run(11), run(12));
}

#[test]
fn monte_carlo_mean_matches_the_analytic_mean_of_a_linear_result() {
    // Electricity in France: impact = E × factor, with the GWP factor log-normal, median 44.18
    // (Ember 2024), its 95 % interval reaching the farthest published value (Applied Energy 2019,
    // 98): gsd = (98 / 44.18)^(1 / 1.96), E[impact] = E × 44.18 × exp(ln(gsd)² / 2).
    let engine = Engine::new().unwrap();
    let zone = engine.bundle().zone("FR").unwrap();
    let (graph, outs, _) =
        impacts::impacts_model::electricity::energy_model(&engine.bundle().criteria, &zone.spec);
    let n = 40_000;
    let mc = MonteCarlo::new(&graph, &outs, n, 5);
    let mut s = mc.scratch();
    mc.evaluate(&mut s, &[1000.0]);
    let x = mc.output(&s, 0);
    let mean = x.iter().sum::<f64>() / n as f64;
    let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
    let gsd: f64 = (98.0f64 / 44.18).powf(1.0 / 1.96);
    let analytic = 1000.0 * 44.18 * (gsd.ln().powi(2) / 2.0).exp();
    assert!(
        (mean - analytic).abs() < 4.0 * sd / (n as f64).sqrt(),
        "MC mean {mean} vs analytic {analytic}"
    );

    // The use phase of a cpu_p1 job is a product of independent inputs: its mean is the product
    // of their means. Node power = (2 CPUs at their fixed TDP curve + RAM at full activity)
    // × (1 + other ratio); use = power × nodes × hours / 1000 × PUE × factor. RAM: 192 GB of
    // DDR4 (Cascade Lake) in 6 modules of 32 GB: 6 × per-module power + 192 × per-GB power.
    //   per-module power ~ T(2, 3, 4): mean 3
    //   per-GB power ~ LN(median 0.055, gsd 2.7): mean 0.055 × exp(ln(2.7)² / 2)
    //   other ratio ~ T(0.2, 0.33, 0.6): mean 0.37667
    //   PUE ~ T(1.09, 1.2, 1.56): mean 1.28333
    //   France GWP ~ LN(median 44.18, gsd (98 / 44.18)^(1 / 1.96)), as above
    // The CPU power at 100 % is 2 × 150 W × 1.0208926 (Impacts-HPC: 153.134 W for the 6248).
    let center = engine
        .center(
            &CenterSource::Bundled("jean-zay".into()),
            "default",
            Some("FR"),
        )
        .unwrap();
    let est = JobEstimator::new(
        &engine,
        &center,
        center.partition("cpu_p1").unwrap(),
        None,
        "default",
        false,
    )
    .unwrap();
    let graph = &est.model.graph;
    let gwp = engine.bundle().criteria.index("gwp").unwrap();
    let use_gwp = est.outputs()[est.layout().phase(Phase::Use, gwp).unwrap()];
    let mc = MonteCarlo::new(graph, &[use_gwp], n, 9);
    let mut s = mc.scratch();
    let (nodes, hours) = (3.0, 10.0);
    mc.evaluate(&mut s, &[hours, nodes, 100.0, 100.0]);
    let x = mc.output(&s, 0);
    let mean = x.iter().sum::<f64>() / n as f64;
    let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
    let cpu = 2.0 * 153.13388481580392;
    let per_gb = 0.055 * (2.7f64.ln().powi(2) / 2.0).exp();
    let power = (cpu + 6.0 * 3.0 + 192.0 * per_gb) * (1.0 + (0.2 + 0.33 + 0.6) / 3.0);
    let analytic = power * nodes * hours / 1000.0
        * ((1.09 + 1.2 + 1.56) / 3.0)
        * (44.18 * (gsd.ln().powi(2) / 2.0).exp());
    assert!(
        (mean - analytic).abs() < 4.0 * sd / (n as f64).sqrt(),
        "MC mean {mean} vs analytic {analytic}"
    );
}

#[test]
fn adding_a_component_never_lowers_the_total() {
    let engine = Engine::new().unwrap();
    let o = Options {
        samples: 0,
        ..Options::default()
    };
    let base = ServerRequest {
        cpus: vec![(
            CpuQuery {
                name: Some("AMD EPYC 7543".into()),
                ..CpuQuery::default()
            },
            2,
        )],
        ram: vec![RamQuery {
            size_gb: 256.0,
            ..RamQuery::default()
        }],
        motherboards: 1,
        ..ServerRequest::default()
    };
    let b = engine.server(&base, &o).unwrap();
    let mut more = Vec::new();
    let mut r = base.clone();
    r.gpus.push((
        GpuQuery {
            name: Some("NVIDIA A100 SXM4 80 GB".into()),
            ..GpuQuery::default()
        },
        4,
    ));
    more.push(r);
    let mut r = base.clone();
    r.ssds.push((
        SsdQuery {
            size_gb: 1920.0,
            ..SsdQuery::default()
        },
        1,
    ));
    more.push(r);
    let mut r = base.clone();
    r.hdds = 2;
    more.push(r);
    let mut r = base.clone();
    r.psus = 2;
    more.push(r);
    let mut r = base.clone();
    r.ram.push(RamQuery {
        size_gb: 64.0,
        ..RamQuery::default()
    });
    more.push(r);
    for m in more {
        let x = engine.server(&m, &o).unwrap();
        for c in ["gwp", "adpe", "pe"] {
            assert!(
                x.impacts.get(c).unwrap().value > b.impacts.get(c).unwrap().value,
                "{c}"
            );
        }
        assert!(
            x.quantities.get("power").unwrap().value >= b.quantities.get("power").unwrap().value
        );
    }
}

#[test]
fn energy_is_linear_in_the_amount() {
    let engine = Engine::new().unwrap();
    let o = Options {
        samples: 0,
        ..Options::default()
    };
    let mut rng = Rng::seeded(3, "energy");
    for z in ["FR", "DE", "Namibia", "WOR"] {
        for _ in 0..20 {
            let e = rng.next_f64() * 1e6;
            let k = 0.1 + rng.next_f64() * 10.0;
            let a = engine
                .energy(
                    &EnergyRequest {
                        energy_kwh: e,
                        zone: z.into(),
                    },
                    &o,
                )
                .unwrap();
            let b = engine
                .energy(
                    &EnergyRequest {
                        energy_kwh: e * k,
                        zone: z.into(),
                    },
                    &o,
                )
                .unwrap();
            for c in ["gwp", "adpe", "pe"] {
                assert!(
                    rel(
                        b.impacts.get(c).unwrap().value,
                        k * a.impacts.get(c).unwrap().value
                    ) < 1e-12
                );
            }
        }
    }
}
