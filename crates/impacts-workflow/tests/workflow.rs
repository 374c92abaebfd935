//! The example workflow of docs/, and workflows that must be refused with their place.

use std::path::PathBuf;

use impacts::{CenterSource, Engine, JobRequest, Options, StorageRequest, TransferRequest};
use impacts_workflow::{Scenario, StageKind, Workflow};

fn example() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/examples/workflow.toml")
        .to_string_lossy()
        .into_owned()
}

fn opts(samples: usize) -> Options {
    Options {
        samples,
        ..Options::default()
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-12)
}

#[test]
fn the_documented_example() {
    let engine = Engine::new().expect("engine");
    let w = Workflow::read(&example()).expect("the example parses");
    let names: Vec<&str> = w.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["simulate", "ship", "keep"], "dependencies first");
    let r = w
        .evaluate(&engine, &opts(500))
        .expect("the example evaluates");
    // Each stage is what the engine gives for the same request.
    let job = engine
        .job(
            &JobRequest {
                center: CenterSource::Bundled("jean-zay".into()),
                partition: "gpu_p6".into(),
                nodes: Some(16.0),
                hours: 24.0,
                load: Some(80.0),
                ..JobRequest::default()
            },
            &opts(500),
        )
        .expect("job");
    let transfer = engine
        .transfer(
            &TransferRequest {
                volume_gb: 20_000.0,
                from: "FR".into(),
                to: "DE".into(),
                factor: None,
            },
            &opts(500),
        )
        .expect("transfer");
    let center =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples/my-center.toml");
    let storage = engine
        .storage(
            &StorageRequest {
                volume_tb: 20.0,
                years: 5.0,
                center: Some(CenterSource::Text {
                    label: center.to_string_lossy().into_owned(),
                    text: std::fs::read_to_string(&center).expect("center"),
                }),
                tier: Some("project".into()),
                ..StorageRequest::default()
            },
            &opts(500),
        )
        .expect("storage");
    for c in ["gwp", "adpe", "pe"] {
        let direct = [&job, &transfer, &storage].map(|x| x.impacts.get(c).expect("c").value);
        for (s, d) in r.stages.iter().zip(direct) {
            assert!(
                close(s.impacts.get(c).expect("c").value, d),
                "stage {} {c}",
                s.name
            );
        }
        let total = r.impacts.get(c).expect("total");
        assert!(
            close(total.value, direct.iter().sum()),
            "{c}: the total is the sum"
        );
        // The total's bounds are percentiles of the stages' samples summed one by one.
        let summed: Vec<f64> = (0..500)
            .map(|i| {
                [&job, &transfer, &storage]
                    .iter()
                    .map(|x| {
                        x.samples.as_ref().expect("samples")[["gwp", "adpe", "pe"]
                            .iter()
                            .position(|k| *k == c)
                            .unwrap_or(0)][i]
                    })
                    .sum()
            })
            .collect();
        let mut sorted = summed.clone();
        sorted.sort_by(f64::total_cmp);
        assert!(
            total.low >= sorted[0] && total.high <= sorted[499] && total.low < total.high,
            "{c}"
        );
        let shares: f64 = r
            .stages
            .iter()
            .map(|s| s.share.get(c).copied().unwrap_or(0.0))
            .sum();
        assert!(close(shares, 1.0));
    }
}

/// Two identical stages share every input: their samples are identical, so the total's bounds
/// are exactly twice a stage's (independent draws would give a narrower relative spread).
#[test]
fn shared_inputs_are_drawn_once() {
    let engine = Engine::new().expect("engine");
    let text = r#"
name = "twice"
[stages.a]
job = { center = "jean-zay", partition = "cpu_p1", nodes = 2, hours = 10, load = 60 }
[stages.b]
job = { center = "jean-zay", partition = "cpu_p1", nodes = 2, hours = 10, load = 60 }
"#;
    let w = Workflow::parse("twice.toml", text).expect("parses");
    let r = w.evaluate(&engine, &opts(400)).expect("evaluates");
    let one = r
        .reports
        .get("a")
        .expect("a")
        .impacts
        .get("gwp")
        .expect("gwp")
        .clone();
    let two = r.impacts.get("gwp").expect("gwp");
    assert!(close(two.value, 2.0 * one.value));
    assert!(
        close(two.low, 2.0 * one.low) && close(two.high, 2.0 * one.high),
        "{two:?} vs 2 × {one:?}"
    );
}

#[test]
fn a_job_from_an_accounting_file() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/sacct/GreenAlgorithms_GreenAlgorithms4HPC/example_sacctOutput_raw.txt");
    if !data.exists() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("../shared/data is absent, and CI=true requires it");
        }
        eprintln!("notice: ../shared/data is absent; skipping");
        return;
    }
    let engine = Engine::new().expect("engine");
    let text = format!(
        "name = \"from sacct\"\n[stages.run]\njob = {{ center = \"jean-zay\", partition = \"gpu_p13\", accounting = \"{}\", job_id = \"552375\", load = 50 }}\n",
        data.to_string_lossy()
    );
    let w = Workflow::parse("acc.toml", &text).expect("parses");
    let StageKind::Job(j) = &w.stages[0].kind else {
        panic!("a job")
    };
    // 552375|…|03:00:30|myPartition|1|32|…|billing=32,cpu=32,gres/gpu=1,mem=250G,node=1
    assert!(close(j.request.hours, (3.0 * 3600.0 + 30.0) / 3600.0));
    assert_eq!(
        (j.request.nodes, j.request.cores, j.request.gpus),
        (Some(1.0), Some(32.0), Some(1.0))
    );
    let r = w.evaluate(&engine, &opts(0)).expect("evaluates");
    let direct = engine
        .job(
            &JobRequest {
                center: CenterSource::Bundled("jean-zay".into()),
                partition: "gpu_p13".into(),
                nodes: Some(1.0),
                cores: Some(32.0),
                gpus: Some(1.0),
                hours: (3.0 * 3600.0 + 30.0) / 3600.0,
                load: Some(50.0),
                ..JobRequest::default()
            },
            &opts(0),
        )
        .expect("job");
    assert!(close(
        r.impacts.get("gwp").expect("gwp").value,
        direct.impacts.get("gwp").expect("gwp").value
    ));
    let bad = text.replace("552375", "999");
    let e = Workflow::parse("acc.toml", &bad).expect_err("no such job");
    assert!(
        e.to_string().starts_with("acc.toml:3:") && e.to_string().contains("job 999 is not in"),
        "{e}"
    );
}

#[test]
fn bad_workflows_are_located() {
    let cases = [
        (
            "name = \"w\"\n[stages.a]\nafter = [\"b\"]\njob = { center = \"jean-zay\", partition = \"cpu_p1\", nodes = 1, hours = 1 }\n",
            "w.toml:3:10: stage a comes after 'b', which is not a stage",
        ),
        (
            "name = \"w\"\n[stages.a]\nafter = [\"b\"]\ntransfer = { volume = \"1TB\", from = \"FR\", to = \"DE\" }\n[stages.b]\nafter = [\"a\"]\ntransfer = { volume = \"1TB\", from = \"FR\", to = \"DE\" }\n",
            "the stages depend on each other in a cycle: a after b after a",
        ),
        (
            "name = \"w\"\n[stages.a]\ntransfer = { volume = \"1TB\", from = \"FR\", to = \"DE\" }\nstorage = { volume = \"1TB\", years = 1 }\n",
            "stage a: expected exactly one of job, transfer or storage, found 2",
        ),
        ("name = \"w\"\n[stages.a]\ndescription = \"nothing\"\n", "found 0"),
        ("name = \"w\"\n[stages.a]\ntransfer = { volume = \"1TB\", from = \"FR\", to = \"DE\", speed = 3 }\n", "w.toml:3:"),
        ("name = \"w\"\n[stages.a]\ntransfer = { volume = \"12QB\", from = \"FR\", to = \"DE\" }\n", "stage a: volume"),
        ("name = \"w\"\n[stages.a]\njob = { partition = \"cpu_p1\", nodes = 1, hours = 1 }\n", "a job needs a center"),
        ("name = \"w\"\n[stages.a]\njob = { center = \"jean-zay\", partition = \"cpu_p1\", nodes = 1 }\n", "a job needs hours"),
        (
            "name = \"w\"\n[stages.a]\njob = { center = \"jean-zay\", partition = \"cpu_p1\", nodes = 1, hours = 1, grid_series = \"x.csv\" }\n",
            "grid_series needs start",
        ),
        ("name = \"w\"\n", "no stages"),
    ];
    for (text, want) in cases {
        let e = Workflow::parse("w.toml", text).expect_err(want);
        let m = e.to_string();
        assert!(
            m.starts_with("w.toml") && m.contains(want),
            "expected {want:?} in: {m}"
        );
    }
    // A stage the engine refuses names the stage.
    let engine = Engine::new().expect("engine");
    let w = Workflow::parse("w.toml", "name = \"w\"\n[stages.big]\njob = { center = \"jean-zay\", partition = \"cpu_p1\", nodes = 100000, hours = 1 }\n").expect("parses");
    let e = w.evaluate(&engine, &opts(0)).expect_err("too many nodes");
    assert!(
        e.to_string()
            .starts_with("stage big: invalid nodes '100000': expected at most 1528"),
        "{e}"
    );
}

#[test]
fn scenarios_apply_to_the_stages_they_concern() {
    let w = Workflow::read(&example()).expect("example");
    let sc = Scenario::parse("zone=SE,pue=1.1").expect("scenario");
    let w2 = sc.apply(&w).expect("applies");
    for s in &w2.stages {
        match &s.kind {
            StageKind::Job(j) => assert_eq!(
                (j.request.zone.as_deref(), j.request.pue),
                (Some("SE"), Some(1.1))
            ),
            StageKind::Storage(st) => {
                assert_eq!((st.zone.as_deref(), st.pue), (Some("SE"), Some(1.1)))
            }
            StageKind::Transfer(t) => assert_eq!((t.from.as_str(), t.to.as_str()), ("FR", "DE")),
        }
    }
    let e = Scenario::parse("start=2023-03-02T03:00:00Z")
        .expect("scenario")
        .apply(&w)
        .expect_err("no series");
    assert_eq!(e.field.as_deref(), Some("what_if"));
    assert!(
        e.to_string()
            .contains("stage simulate: it has no grid_series"),
        "{e}"
    );
    let e = Scenario::parse("colour=blue").expect_err("key");
    assert_eq!(
        e.to_string(),
        "invalid what_if 'colour=blue': expected a key among zone, pue, start and load, not colour"
    );
    let e = Scenario::parse("pue=high").expect_err("value");
    assert_eq!(
        e.to_string(),
        "invalid what_if 'pue=high': expected a number for pue"
    );
}
