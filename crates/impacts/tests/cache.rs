//! The engine keeps bundled centers and their compiled job models between requests: a kept
//! model must give the report a fresh engine gives, and a request that changes the center (its
//! PUE, its zone) must neither use nor leave a kept model of the unchanged one.

use impacts::{CenterSource, Engine, JobRequest, Options};

fn job(partition: &str) -> JobRequest {
    JobRequest {
        center: CenterSource::Bundled("jean-zay".into()),
        partition: partition.into(),
        nodes: Some(2.0),
        hours: 3.0,
        load: Some(60.0),
        ..JobRequest::default()
    }
}

fn json(engine: &Engine, req: &JobRequest, samples: usize) -> String {
    seeded(engine, req, samples, 0)
}

fn seeded(engine: &Engine, req: &JobRequest, samples: usize, seed: u64) -> String {
    let opts = Options {
        samples,
        seed,
        ..Options::default()
    };
    serde_json::to_string(&engine.job(req, &opts).expect("job")).expect("json")
}

#[test]
fn kept_models_give_the_reports_of_a_fresh_engine() {
    let kept = Engine::new().expect("bundle");
    let with_pue = JobRequest {
        pue: Some(2.5),
        ..job("gpu_p6")
    };
    let in_germany = JobRequest {
        zone: Some("DE".into()),
        ..job("gpu_p6")
    };
    let measured = JobRequest {
        measured_energy_kwh: Some(40.0),
        ..job("gpu_p6")
    };
    let requests = [
        job("gpu_p6"),
        job("cpu_p1"),
        with_pue,
        job("gpu_p6"),
        in_germany,
        measured,
        job("prepost"),
        job("gpu_p6"),
    ];
    for samples in [0, 200] {
        for req in &requests {
            let fresh = Engine::new().expect("bundle");
            assert_eq!(
                json(&kept, req, samples),
                json(&fresh, req, samples),
                "{} (pue {:?}, zone {:?}), {samples} samples",
                req.partition,
                req.pue,
                req.zone
            );
        }
    }
    // The cases differ from one another: the comparison above could have failed.
    let base = json(&kept, &job("gpu_p6"), 0);
    for other in &requests[1..3] {
        assert_ne!(base, json(&kept, other, 0));
    }
    assert_ne!(base, json(&kept, &requests[4], 0));
    assert_ne!(base, json(&kept, &requests[5], 0));
}

/// The engine keeps a model's Monte Carlo draws per (samples, seed): another seed or another
/// number of samples draws anew, the same ones reuse them, each equal to a fresh engine's.
#[test]
fn kept_draws_follow_samples_and_seed() {
    let kept = Engine::new().expect("bundle");
    let req = job("gpu_p6");
    let cases = [(200, 1), (200, 2), (100, 1), (200, 1), (100, 1)];
    for (samples, seed) in cases {
        let fresh = Engine::new().expect("bundle");
        assert_eq!(
            seeded(&kept, &req, samples, seed),
            seeded(&fresh, &req, samples, seed),
            "{samples} samples, seed {seed}"
        );
    }
    assert_ne!(seeded(&kept, &req, 200, 1), seeded(&kept, &req, 200, 2));
}
