//! sacct --json of the data parsers that the shared data has no real sample of (v0.0.39, v0.0.43,
//! v0.0.44), written by hand after the schemas of `../shared/data/sacct/rackslab_Slurm-web/openapi/`
//! (`v0.0.39_job` in slurmrestd-24.05, `v0.0.43_job` and `v0.0.44_job` in slurmrestd-25.11): the
//! same job in each, read to the same record. The schemas themselves are checked to still have
//! the fields read.

use impacts_accounting::record::{JobRecord, JobState, Timestamp};
use impacts_accounting::sacct_json::SacctJson;
use impacts_accounting::{Issues, RecordReader};

fn read(doc: &str) -> Vec<JobRecord> {
    let mut r = SacctJson::new(std::io::Cursor::new(doc.as_bytes().to_vec()), "doc.json", 0);
    let mut out = Vec::new();
    let mut rec = JobRecord::default();
    let mut issues = Issues::default();
    while r.next_job(&mut rec, &mut issues).expect("readable") {
        out.push(rec.clone());
    }
    out
}

/// v0.0.39: `state.current` is a string; numbers with flags are `{set, infinite, number}`.
const V0039: &str = r#"{"meta": {"plugin": {"type": "", "name": "", "data_parser": "v0.0.39"}}, "errors": [], "warnings": [],
 "jobs": [{"account": "proj", "cluster": "c1", "job_id": 1042, "name": "train", "partition": "gpu_p6", "user": "ann",
  "array": {"job_id": 1040, "task_id": {"set": true, "infinite": false, "number": 2}},
  "het": {"job_id": 0, "job_offset": {"set": false, "infinite": false, "number": 0}},
  "state": {"current": "TIMEOUT", "reason": "None"},
  "time": {"elapsed": 7200, "start": 1700000000, "end": 1700007200, "submission": 1699990000,
           "total": {"seconds": 10, "microseconds": 500000}},
  "tres": {"allocated": [{"type": "cpu", "name": "", "id": 1, "count": 24},
                         {"type": "mem", "name": "", "id": 2, "count": 131072},
                         {"type": "node", "name": "", "id": 4, "count": 1},
                         {"type": "gres", "name": "gpu", "id": 1001, "count": 2},
                         {"type": "gres", "name": "gpu:h100", "id": 1002, "count": 2}],
           "requested": []},
  "nodes": "jz-gpu-017",
  "steps": [{"step": {"id": "1042.batch", "name": "batch"}, "time": {"total": {"seconds": 3600, "microseconds": 0}},
             "tres": {"consumed": {"total": [{"type": "energy", "count": 5400000}]}}}]}]}"#;

fn v004x(version: &str) -> String {
    // v0.0.43 and v0.0.44: `state.current` is a list of flags; the job id of an array task and of a
    // heterogeneous component are structured as in v0.0.40–42.
    format!(
        r#"{{"meta": {{"plugin": {{"type": "", "name": "", "data_parser": "{version}"}}}}, "errors": [], "warnings": [],
 "jobs": [{{"account": "proj", "cluster": "c1", "job_id": 1042, "name": "train", "partition": "gpu_p6", "user": "ann",
  "array": {{"job_id": 1040, "task_id": {{"set": true, "infinite": false, "number": 2}}}},
  "het": {{"job_id": 0, "job_offset": {{"set": false, "infinite": false, "number": 0}}}},
  "state": {{"current": ["TIMEOUT"], "reason": "None"}},
  "time": {{"elapsed": 7200, "start": 1700000000, "end": 1700007200, "submission": 1699990000,
           "total": {{"seconds": 10, "microseconds": 500000}}}},
  "tres": {{"allocated": [{{"type": "cpu", "name": "", "id": 1, "count": 24}},
                         {{"type": "mem", "name": "", "id": 2, "count": 131072}},
                         {{"type": "node", "name": "", "id": 4, "count": 1}},
                         {{"type": "gres", "name": "gpu", "id": 1001, "count": 2}},
                         {{"type": "gres", "name": "gpu:h100", "id": 1002, "count": 2}}],
           "requested": []}},
  "nodes": "jz-gpu-017", "segment_size": 0, "restart_cnt": 0, "qosreq": "",
  "steps": [{{"step": {{"id": "1042.batch", "name": "batch"}}, "time": {{"total": {{"seconds": 3600, "microseconds": 0}}}},
             "tres": {{"consumed": {{"total": [{{"type": "energy", "count": 5400000}}]}}}}}}]}},
  {{"account": "proj", "cluster": "c1", "job_id": 2001, "name": "het", "partition": "cpu_p1", "user": "bob",
  "array": {{"job_id": 0, "task_id": {{"set": false, "infinite": false, "number": 0}}}},
  "het": {{"job_id": 2000, "job_offset": {{"set": true, "infinite": false, "number": 1}}}},
  "state": {{"current": ["COMPLETED"], "reason": "None"}},
  "time": {{"elapsed": 60, "start": 1700000000, "end": 1700000060, "submission": 1699999000,
           "total": {{"seconds": 0, "microseconds": 0}}}},
  "tres": {{"allocated": [{{"type": "cpu", "count": 40}}, {{"type": "energy", "count": null}}, {{"type": "node", "count": 1}}], "requested": []}},
  "nodes": "jz-cpu-001", "steps": []}}]}}"#
    )
}

fn check_first(j: &JobRecord, version: &str) {
    assert_eq!(
        j.job_id, "1040_2",
        "{version}: array task shown as sacct shows it"
    );
    assert_eq!(
        (j.user.as_str(), j.account.as_str(), j.partition.as_str()),
        ("ann", "proj", "gpu_p6"),
        "{version}"
    );
    assert_eq!(j.state, Some(JobState::Timeout), "{version}");
    assert_eq!(j.elapsed_s, Some(7200.0), "{version}");
    assert_eq!(
        (j.start, j.end),
        (
            Some(Timestamp(1_700_000_000)),
            Some(Timestamp(1_700_007_200))
        ),
        "{version}"
    );
    assert_eq!(
        (j.cpus, j.nodes, j.mem_gb),
        (Some(24.0), Some(1.0), Some(128.0)),
        "{version}"
    );
    assert_eq!(
        j.gpus,
        Some(2.0),
        "{version}: gres/gpu and gres/gpu:h100 are the same two GPUs"
    );
    assert_eq!(
        j.total_cpu_s,
        Some(3600.0),
        "{version}: TotalCPU is the steps' sum when larger"
    );
    assert_eq!(
        j.measured_energy_j(),
        Some(5_400_000.0),
        "{version}: energy of the steps"
    );
    assert_eq!(j.steps, 1, "{version}");
}

#[test]
fn v0039_v0043_v0044_read_alike() {
    let jobs = read(V0039);
    assert_eq!(jobs.len(), 1);
    check_first(&jobs[0], "v0.0.39");
    for v in ["v0.0.43", "v0.0.44"] {
        let jobs = read(&v004x(v));
        assert_eq!(jobs.len(), 2, "{v}");
        check_first(&jobs[0], v);
        let het = &jobs[1];
        assert_eq!(het.job_id, "2000+1", "{v}: heterogeneous component");
        assert_eq!(het.state, Some(JobState::Completed));
        assert_eq!(
            (het.cpus, het.nodes, het.gpus),
            (Some(40.0), Some(1.0), None),
            "{v}: a null count is skipped"
        );
        assert_eq!(het.measured_energy_j(), None, "{v}");
    }
}

#[test]
fn the_schemas_still_have_the_fields_read() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/sacct/rackslab_Slurm-web/openapi");
    if !dir.is_dir() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("../shared/data is absent, and CI=true requires it");
        }
        eprintln!("notice: ../shared/data is absent; skipping");
        return;
    }
    let mut checked = Vec::new();
    for (file, versions) in [
        (
            "slurmrestd-24.05-openapi-v3.json",
            &["v0.0.39", "v0.0.40", "v0.0.41"][..],
        ),
        (
            "slurmrestd-25.11-openapi-v3.json",
            &["v0.0.42", "v0.0.43", "v0.0.44"][..],
        ),
    ] {
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(file)).expect("schema"))
                .expect("JSON");
        for v in versions {
            let job = &doc["components"]["schemas"][format!("{v}_job")]["properties"];
            if job.is_null() {
                continue; // not every file carries every version
            }
            for field in [
                "job_id",
                "user",
                "account",
                "partition",
                "cluster",
                "nodes",
                "array",
                "het",
                "state",
                "time",
                "tres",
                "steps",
            ] {
                assert!(!job[field].is_null(), "{file} {v}_job lacks {field}");
            }
            let time = &job["time"]["properties"];
            for field in ["elapsed", "start", "end", "submission", "total"] {
                assert!(!time[field].is_null(), "{file} {v}_job.time lacks {field}");
            }
            assert!(
                !job["state"]["properties"]["current"].is_null(),
                "{file} {v}_job.state.current"
            );
            checked.push(*v);
        }
    }
    for v in ["v0.0.39", "v0.0.40", "v0.0.42", "v0.0.43", "v0.0.44"] {
        assert!(checked.contains(&v), "{v} checked: {checked:?}");
    }
}

fn read_with_capacity(doc: &str, cap: usize) -> Vec<Result<JobRecord, String>> {
    let src = std::io::BufReader::with_capacity(cap, std::io::Cursor::new(doc.as_bytes().to_vec()));
    let mut r = SacctJson::new(src, "doc.json", 0);
    let mut out = Vec::new();
    let mut rec = JobRecord::default();
    let mut issues = Issues::default();
    loop {
        match r.next_job(&mut rec, &mut issues) {
            Ok(true) => out.push(Ok(rec.clone())),
            Ok(false) => break,
            Err(e) if !e.fatal => out.push(Err(e.to_string())),
            Err(e) => panic!("{e}"),
        }
    }
    out
}

/// Jobs cut anywhere by the input's buffers, strings holding brackets, quotes and escapes, a job
/// of an unexpected shape between two good ones: read alike whatever the buffer size.
#[test]
fn buffer_boundaries_strings_and_a_bad_job() {
    let doc = r#"{"meta": {"plugin": {"type": "openapi/dbv0.0.38"}}, "errors": ["a ] \" { error"],
     "jobs": [
      {"job_id": 1, "name": "tricky ]}{[ \"name\" \\ \u00e9", "user": "u", "partition": "p",
       "state": {"current": "COMPLETED"}, "time": {"elapsed": 10, "start": 100, "end": 110},
       "tres": {"allocated": [{"type": "cpu", "count": 4}]}},
      {"job_id": "not a number", "state": {"current": "COMPLETED"}},
      {"job_id": 3, "name": 42, "user": "v", "partition": "p", "state": {"current": ["FAILED"]},
       "time": {"elapsed": {"set": true, "infinite": false, "number": 20}, "start": 100, "end": 120},
       "tres": {"allocated": [{"type": "cpu", "count": 8}, {"type": "node", "count": 1}]}}
     ],
     "warnings": []}"#;
    let big = read_with_capacity(doc, 1 << 16);
    assert_eq!(big.len(), 3);
    let first = big[0].as_ref().expect("job 1");
    assert_eq!(first.name, "tricky ]}{[ \"name\" \\ é");
    assert_eq!((first.elapsed_s, first.cpus), (Some(10.0), Some(4.0)));
    let bad = big[1].as_ref().expect_err("job 2 has no usable id");
    assert!(bad.contains("job #2") && bad.contains("job_id"), "{bad}");
    let third = big[2].as_ref().expect("job 3");
    assert_eq!(
        (third.job_id.as_str(), third.name.as_str(), third.state),
        ("3", "42", Some(JobState::Failed))
    );
    assert_eq!(third.elapsed_s, Some(20.0));
    for cap in [1, 2, 3, 7, 64] {
        let small = read_with_capacity(doc, cap);
        assert_eq!(small.len(), 3, "capacity {cap}");
        for (a, b) in big.iter().zip(&small) {
            match (a, b) {
                (Ok(x), Ok(y)) => assert_eq!(x, y, "capacity {cap}"),
                (Err(x), Err(y)) => assert_eq!(x, y, "capacity {cap}"),
                _ => panic!("capacity {cap}: {a:?} vs {b:?}"),
            }
        }
    }
}

/// Truncated and malformed documents stop with the place of the fault.
#[test]
fn broken_documents_are_located() {
    let cases = [
        ("{\"jobs\": [{\"job_id\": 1,", "2:", "ends"),
        ("[1, 2]", "1:1", "an object with `jobs`"),
        ("{\"meta\": {}}", "1:", "missing field `jobs`"),
        (
            "{\"jobs\": [{\"job_id\": 1 \"user\": \"x\"}]}",
            "1:",
            "expected",
        ),
        ("{\"jobs\": []} trailing", "1:", "trailing"),
    ];
    for (doc, place, what) in cases {
        let doc = if place.starts_with("2:") {
            format!("\n{doc}")
        } else {
            doc.to_string()
        };
        let mut r = SacctJson::new(std::io::Cursor::new(doc.into_bytes()), "d.json", 0);
        let mut rec = JobRecord::default();
        let mut issues = Issues::default();
        let e = loop {
            match r.next_job(&mut rec, &mut issues) {
                Ok(true) => continue,
                Ok(false) => panic!("{what}: read to the end"),
                Err(e) => break e,
            }
        };
        let m = e.to_string();
        assert!(e.fatal, "{m}");
        assert!(m.starts_with(&format!("d.json:{place}")), "{m}");
        assert!(m.contains(what), "{m}");
    }
}
