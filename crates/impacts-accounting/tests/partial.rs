//! Partial runs merged equal one run over all their jobs: the jobs split into parts, each part
//! accounted apart (`run_partial`, `run_records_partial`), the parts serialized, read back,
//! merged and reported, against one run over every job. The expected report is the one run's
//! (the definition of the merge); counts must be equal, numbers equal to 1e-9 relative (the
//! order of floating-point additions differs), warnings equal.

use std::path::PathBuf;
use std::sync::Arc;

use impacts::impacts_grid::Integral;

use impacts::{CenterSource, Engine};
use impacts_accounting::accountant::{
    Accountant, AccountingError, LoadPolicy, Options, Partial, PartialError,
};
use impacts_accounting::input;
use impacts_accounting::record::JobRecord;
use impacts_accounting::sacct_text::TextOptions;
use impacts_accounting::sink::NoSink;
use impacts_accounting::summary::GroupBy;
use impacts_accounting::Issues;
use serde_json::Value;

const SACCT: &str = "\
JobID|User|Account|Partition|State|Submit|Start|End|Elapsed|NNodes|NCPUS|AllocTRES|ConsumedEnergyRaw|TotalCPU
100|alice|proj1|cpu_p1|COMPLETED|2024-01-10T09:00:00|2024-01-10T10:00:00|2024-01-10T13:00:00|03:00:00|2|80|billing=80,cpu=80,mem=300G,node=2||100:00:00
101|bob|proj2|gpu_p6|FAILED|2024-01-11T07:00:00|2024-01-11T08:00:00|2024-01-11T08:30:00|00:30:00|1|24|billing=24,cpu=24,gres/gpu=1,mem=128G,node=1||05:00:00
102|alice|proj1|cpu_p1|TIMEOUT|2024-01-31T23:00:00|2024-02-01T00:00:00|2024-02-02T00:00:00|1-00:00:00|1|40|cpu=40,mem=150G,node=1|7200000|200:00:00
103|carol|proj2|cpu_p1|PENDING|2024-02-03T00:00:00|Unknown|Unknown|00:00:00|1|40|cpu=40,node=1||
104|carol|proj3|gpu_p13|COMPLETED|2024-02-03T00:00:00|2024-02-03T01:00:00|2024-02-03T07:00:00|06:00:00|1|10|cpu=10,gres/gpu=1,node=1||20:00:00
105|bob|proj2|prepost|CANCELLED by 1|2024-03-01T00:00:00|2024-03-01T01:00:00|2024-03-01T01:20:00|00:20:00|1|4|cpu=4,node=1||00:50:00
106|dave|proj4|nowhere|COMPLETED|2024-03-02T00:00:00|2024-03-02T01:00:00|2024-03-02T02:00:00|01:00:00|1|40|cpu=40,node=1||30:00:00
";

fn options(load: LoadPolicy) -> Options {
    Options {
        center: CenterSource::Bundled("jean-zay".into()),
        default_partition: Some("cpu_p1".into()),
        samples: 300,
        seed: 7,
        load,
        group_by: vec![
            GroupBy::User,
            GroupBy::Account,
            GroupBy::Partition,
            GroupBy::State,
            GroupBy::Month,
        ],
        ..Options::default()
    }
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("impacts-partial-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch folder");
    d
}

/// Asserts two reports' JSON equal: numbers to `tol` relative, the rest exactly; `inputs`
/// differ by construction (one file against several) and are compared apart.
fn assert_same(merged: &Value, whole: &Value, path: &str, tol: f64) {
    match (merged, whole) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            let scale = a.abs().max(b.abs());
            assert!(
                (a - b).abs() <= tol * scale,
                "{path}: merged {a} vs one run {b}"
            );
        }
        (Value::Object(a), Value::Object(b)) => {
            let (ka, kb): (Vec<_>, Vec<_>) = (a.keys().collect(), b.keys().collect());
            assert_eq!(ka, kb, "{path}: keys");
            for (k, v) in a {
                if path.is_empty() && k == "inputs" {
                    continue;
                }
                assert_same(v, &b[k], &format!("{path}.{k}"), tol);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{path}: length");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_same(x, y, &format!("{path}[{i}]"), tol);
            }
        }
        (a, b) => assert_eq!(a, b, "{path}"),
    }
}

/// Serializes and reads back, checking nothing changed (numbers round-trip exactly; groups are
/// maps, in any order).
fn travel(p: &Partial) -> Partial {
    let bytes = p.to_bytes();
    let back = Partial::from_bytes(&bytes).expect("a partial reads back");
    let value = |b: &[u8]| serde_json::from_slice::<Value>(b).expect("JSON");
    assert!(
        value(&back.to_bytes()) == value(&bytes),
        "a partial round-trips exactly"
    );
    back
}

#[test]
fn partials_of_files_merge_into_the_report_of_one_run() {
    merge_equals_one_run("files", None);
}

/// An hourly series over the jobs of January and early February 2024, each hour's intensity
/// its own (20 + 7 × hour mod 90).
fn january_series() -> Arc<Integral> {
    let mut csv = String::from("timestamp,gco2eq_per_kwh_lifecycle\n");
    let start = 1_704_844_800; // 2024-01-10T00:00:00Z
    for h in 0..(26 * 24) {
        let t = jiff::Timestamp::from_second(start + h * 3600).unwrap();
        csv.push_str(&format!("{t},{}\n", 20 + (7 * h) % 90));
    }
    let s = impacts::impacts_grid::Series::parse("jan.csv", csv.as_bytes(), &Default::default())
        .expect("series");
    Arc::new(Integral::new(s))
}

/// The same with a grid series: the covered parts of the jobs' use phases travel in the
/// partials' sums, and the merged bounds are the one run's.
#[test]
fn partials_with_a_grid_series_merge_into_the_report_of_one_run() {
    merge_equals_one_run("grid", Some(january_series()));
}

fn merge_equals_one_run(name: &str, grid: Option<Arc<Integral>>) {
    let options = |load| Options {
        grid: grid.clone(),
        time_zone: Some("UTC".into()),
        ..options(load)
    };
    let engine = Engine::new().expect("engine");
    let d = scratch(name);
    let mut lines: Vec<&str> = SACCT.lines().collect();
    let header = lines.remove(0);
    let whole = d.join("all.txt");
    std::fs::write(&whole, SACCT).unwrap();
    // Three parts, each with the header, jobs of one user spread over several parts.
    let mut parts = Vec::new();
    for (i, chunk) in lines.chunks(3).enumerate() {
        let p = d.join(format!("part{i}.txt"));
        std::fs::write(&p, format!("{header}\n{}\n", chunk.join("\n"))).unwrap();
        parts.push(p.to_string_lossy().into_owned());
    }
    assert_eq!(parts.len(), 3);
    let load = LoadPolicy::FromCpuTime;
    let one = Accountant::new(&engine, options(load))
        .unwrap()
        .run(
            &[whole.to_string_lossy().into_owned()],
            &mut NoSink,
            &mut |_| {},
        )
        .expect("one run");
    let mut merged: Option<Partial> = None;
    for p in &parts {
        let partial = Accountant::new(&engine, options(load))
            .unwrap()
            .run_partial(std::slice::from_ref(p), &mut NoSink, &mut |_| {})
            .expect("a part");
        let partial = travel(&partial);
        match &mut merged {
            None => merged = Some(partial),
            Some(m) => m.merge(partial).expect("parts of one run merge"),
        }
    }
    let merged = merged.unwrap();
    assert_eq!(merged.jobs(), 7);
    let report = Accountant::new(&engine, options(load))
        .unwrap()
        .report_of(travel(&merged))
        .expect("the merged report");
    let (a, b) = (
        serde_json::to_value(&report).unwrap(),
        serde_json::to_value(&one).unwrap(),
    );
    // The bounds are not trivial: they must have been drawn, not copied from the values.
    let gwp = &b["impacts"]["gwp"];
    assert!(gwp["low"].as_f64() < gwp["value"].as_f64());
    assert!(b["energy"]["measured_jobs"].as_f64() == Some(1.0));
    assert!(!b["warnings"].as_array().unwrap().is_empty());
    assert_same(&a, &b, "", 1e-9);
    let files: Vec<&str> = a["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, parts.iter().map(String::as_str).collect::<Vec<_>>());
    let _ = std::fs::remove_dir_all(&d);
}

/// The real XDMoD sample of `../shared/data` (4,000-odd jobs of a real cluster), its records cut
/// into seven parts of unequal size and accounted in memory as a Dask partition would be.
#[test]
fn partials_of_real_records_merge_into_the_report_of_one_run() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let file = root.join("sacct/ubccr_xdmod/phillips.log");
    if !file.exists() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "../shared/data is absent, and CI=true requires it"
        );
        eprintln!("notice: ../shared/data is absent; skipping the real-records merge");
        return;
    }
    const XDMOD: &str = "jobid,jobidraw,cluster,partition,qos,account,group,gid,user,uid,submit,eligible,start,end,elapsed,exitcode,state,nnodes,ncpus,reqcpus,reqmem,reqtres,alloctres,timelimit,nodelist,jobname";
    let text = TextOptions {
        delimiter: None,
        fields: Some(XDMOD.split(',').map(str::to_string).collect()),
    };
    let src = input::reader(&file.to_string_lossy(), 0, None, &text).expect("phillips.log");
    let mut reader = src.reader;
    let mut records = Vec::new();
    let mut rec = JobRecord::default();
    let mut issues = Issues::default();
    while reader.next_job(&mut rec, &mut issues).expect("a record") {
        records.push(rec.clone());
    }
    assert!(records.len() > 4000, "{} records", records.len());
    let engine = Engine::new().expect("engine");
    let load = LoadPolicy::Fixed(62.5);
    let one = Accountant::new(&engine, options(load))
        .unwrap()
        .run_records("table", [Ok(records.clone())], &mut NoSink)
        .expect("one run");
    let mut merged: Option<Partial> = None;
    let mut rest = records.as_slice();
    for size in [1, 500, 37, 1200, 3, 900] {
        let (part, tail) = rest.split_at(size);
        rest = tail;
        let p = Accountant::new(&engine, options(load))
            .unwrap()
            .run_records_partial("table", [Ok(part.to_vec())], &mut NoSink)
            .expect("a part");
        match &mut merged {
            None => merged = Some(travel(&p)),
            Some(m) => m.merge(travel(&p)).expect("merge"),
        }
    }
    let last = Accountant::new(&engine, options(load))
        .unwrap()
        .run_records_partial("table", [Ok(rest.to_vec())], &mut NoSink)
        .expect("the last part");
    let mut merged = merged.unwrap();
    merged.merge(last).expect("merge");
    assert_eq!(merged.jobs(), records.len() as u64);
    let report = Accountant::new(&engine, options(load))
        .unwrap()
        .report_of(merged)
        .expect("the merged report");
    assert_same(
        &serde_json::to_value(&report).unwrap(),
        &serde_json::to_value(&one).unwrap(),
        "",
        1e-9,
    );
}

#[test]
fn partials_of_different_runs_do_not_merge() {
    let engine = Engine::new().expect("engine");
    let records = |n: usize| -> Vec<JobRecord> {
        (0..n)
            .map(|i| JobRecord {
                job_id: i.to_string(),
                partition: "cpu_p1".into(),
                state: Some(impacts_accounting::record::JobState::Completed),
                elapsed_s: Some(3600.0),
                nodes: Some(1.0),
                ..JobRecord::default()
            })
            .collect()
    };
    let partial = |load: LoadPolicy| -> Partial {
        Accountant::new(&engine, options(load))
            .unwrap()
            .run_records_partial("table", [Ok(records(3))], &mut NoSink)
            .expect("a part")
    };
    let mut a = partial(LoadPolicy::Fixed(100.0));
    let e = a.merge(partial(LoadPolicy::Fixed(50.0))).unwrap_err();
    match &e {
        PartialError::Mismatch { field, .. } => assert_eq!(*field, "load"),
        other => panic!("{other}"),
    }
    assert!(e.to_string().contains("50"), "{e}");
    // A run with a grid series and one without.
    let with_grid = Accountant::new(
        &engine,
        Options {
            grid: Some(january_series()),
            ..options(LoadPolicy::Fixed(100.0))
        },
    )
    .unwrap()
    .run_records_partial("table", [Ok(records(3))], &mut NoSink)
    .expect("a part");
    let mut b = partial(LoadPolicy::Fixed(100.0));
    match b.merge(with_grid).unwrap_err() {
        PartialError::Mismatch { field, .. } => assert_eq!(field, "grid_series"),
        other => panic!("{other}"),
    }
    // Another run's options at report time are refused too.
    let mut other = Accountant::new(
        &engine,
        Options {
            group_by: vec![GroupBy::User],
            ..options(LoadPolicy::Fixed(100.0))
        },
    )
    .unwrap();
    match other.report_of(a) {
        Err(AccountingError::Partial(PartialError::Mismatch { field, .. })) => {
            assert_eq!(field, "group_by")
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("a partial of other groups was reported"),
    }
    // Bytes that are not a partial, or a partial whose sums name buckets it lacks.
    for bad in [&b"{}"[..], b"not json", b""] {
        assert!(matches!(
            Partial::from_bytes(bad),
            Err(PartialError::Malformed(_))
        ));
    }
    let mut v: Value =
        serde_json::from_slice(&partial(LoadPolicy::Fixed(100.0)).to_bytes()).unwrap();
    v["buckets"] = Value::Array(vec![]);
    let e = Partial::from_bytes(&serde_json::to_vec(&v).unwrap())
        .err()
        .expect("sums of buckets it does not name are refused");
    assert!(e.to_string().contains("bucket"), "{e}");
    // Loads beyond 100 % are not a bucket of any run.
    let mut v: Value =
        serde_json::from_slice(&partial(LoadPolicy::Fixed(100.0)).to_bytes()).unwrap();
    v["buckets"][0]["loads"] = serde_json::json!([250, 0]);
    let p = Partial::from_bytes(&serde_json::to_vec(&v).unwrap()).expect("well formed");
    let r = Accountant::new(&engine, options(LoadPolicy::Fixed(100.0)))
        .unwrap()
        .report_of(p);
    assert!(
        matches!(r, Err(AccountingError::Partial(PartialError::Malformed(ref m))) if m.contains("250")),
        "{:?}",
        r.err()
    );
    // The same center name with another file's content: refused, by the content's digest.
    let text = |pue: &str| {
        CenterSource::Text {
        label: "park.toml".into(),
        text: format!(
            "name = \"park\"\nzone = \"FRA\"\npue = {pue}\n[node_types.cpu]\ncpus = [{{ model = \"Intel 6248\", count = 2 }}]\nram_gb = 192\n[partitions.cpu_p1]\nnode_type = \"cpu\"\nnodes = 10\n"
        ),
    }
    };
    let of = |pue: &str| {
        Accountant::new(
            &engine,
            Options {
                center: text(pue),
                default_partition: None,
                ..options(LoadPolicy::Fixed(100.0))
            },
        )
        .unwrap()
        .run_records_partial("table", [Ok(records(2))], &mut NoSink)
        .expect("a part")
    };
    let mut a = of("1.2");
    assert!(a.merge(of("1.2")).is_ok(), "the same file merges");
    match a.merge(of("1.5")) {
        Err(PartialError::Mismatch { field, .. }) => assert_eq!(field, "center"),
        other => panic!("{:?}", other.err()),
    }
    // A bucket naming a cluster the center lacks is an error at report time, not a panic.
    let mut v: Value =
        serde_json::from_slice(&partial(LoadPolicy::Fixed(100.0)).to_bytes()).unwrap();
    v["buckets"][0]["cluster"] = Value::from(999);
    let p = Partial::from_bytes(&serde_json::to_vec(&v).unwrap()).expect("well formed");
    let r = Accountant::new(&engine, options(LoadPolicy::Fixed(100.0)))
        .unwrap()
        .report_of(p);
    assert!(
        matches!(r, Err(AccountingError::Partial(PartialError::Malformed(ref m))) if m.contains("999")),
        "{:?}",
        r.err()
    );
}
