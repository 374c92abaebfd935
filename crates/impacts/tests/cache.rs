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

/// A center file given to the engine by its owner is kept like a bundled one: its reports equal
/// those of the same text sent with the request (not kept), it is found before a bundled center
/// of its name, and an unknown name lists it.
#[test]
fn center_files_given_to_the_engine_are_kept_by_name() {
    const PARK: &str = r#"
name = "park"
zone = "FRA"
pue = 1.3
[node_types.cpu]
cpus = [{ model = "Intel 6248", count = 2 }]
ram_gb = 192
[partitions.cluster]
node_type = "cpu"
nodes = 10
"#;
    let engine = Engine::new()
        .expect("bundle")
        .with_center_file("park", "park.toml", PARK)
        .with_center_file("jean-zay", "shadow.toml", PARK);
    let sent = JobRequest {
        center: CenterSource::Text {
            label: "park.toml".into(),
            text: PARK.into(),
        },
        ..job("cluster")
    };
    let named = JobRequest {
        center: CenterSource::Bundled("park".into()),
        ..job("cluster")
    };
    let fresh = Engine::new().expect("bundle");
    for samples in [0, 200] {
        let want = json(&fresh, &sent, samples);
        assert_eq!(json(&engine, &named, samples), want, "first call");
        assert_eq!(json(&engine, &named, samples), want, "kept");
    }
    // The given file is found before the bundled center of its name.
    let shadowed = JobRequest {
        center: CenterSource::Bundled("jean-zay".into()),
        ..job("cluster")
    };
    assert!(engine.job(&shadowed, &Options::default()).is_ok());
    assert!(fresh.job(&shadowed, &Options::default()).is_err());
    let unknown = JobRequest {
        center: CenterSource::Bundled("parc".into()),
        ..job("cluster")
    };
    let e = engine
        .job(&unknown, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("park") && e.contains("jean-zay"), "{e}");
}
