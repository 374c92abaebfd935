//! The accountant end to end on small files written here: each job's footprint equals what
//! `impacts job` gives for the same request, totals and groups are the sums of the jobs, bad
//! records stop the run with file:line and field (or are counted with `skip_bad_lines`), and the
//! per-job outputs are complete files or nothing.

use std::path::{Path, PathBuf};

use impacts::{CenterSource, Engine, JobRequest, Options as EngineOptions};
use impacts_accounting::accountant::{
    Accountant, AccountingError, AccountingReport, LoadPolicy, Options,
};
use impacts_accounting::sink::{open_sink, NoSink};
use impacts_accounting::summary::GroupBy;
use serde_json::Value;

const SACCT: &str = "\
JobID|User|Account|Partition|State|Submit|Start|End|Elapsed|NNodes|NCPUS|AllocTRES|ConsumedEnergyRaw
100|alice|proj1|cpu_p1|COMPLETED|2024-01-10T09:00:00|2024-01-10T10:00:00|2024-01-10T13:00:00|03:00:00|2|80|billing=80,cpu=80,mem=300G,node=2|
100.batch||||COMPLETED|2024-01-10T10:00:00|2024-01-10T10:00:00|2024-01-10T13:00:00|03:00:00|1|40|cpu=40,mem=150G,node=1|
101|bob|proj2|gpu_p6|FAILED|2024-01-11T07:00:00|2024-01-11T08:00:00|2024-01-11T08:30:00|00:30:00|1|24|billing=24,cpu=24,gres/gpu=1,mem=128G,node=1|
102|alice|proj1|cpu_p1|TIMEOUT|2024-01-31T23:00:00|2024-02-01T00:00:00|2024-02-02T00:00:00|1-00:00:00|1|40|cpu=40,mem=150G,node=1|7200000
103|carol|proj2|cpu_p1|PENDING|2024-02-03T00:00:00|Unknown|Unknown|00:00:00|1|40|cpu=40,node=1|
";

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let d =
            std::env::temp_dir().join(format!("impacts-accounting-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("temp dir");
        Dir(d)
    }
    fn file(&self, name: &str, text: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, text).expect("write");
        p.to_string_lossy().into_owned()
    }
    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn opts(samples: usize) -> Options {
    Options {
        center: CenterSource::Bundled("jean-zay".into()),
        samples,
        group_by: vec![GroupBy::User, GroupBy::State, GroupBy::Month],
        load: LoadPolicy::Fixed(100.0),
        ..Options::default()
    }
}

fn run(
    engine: &Engine,
    o: Options,
    files: &[String],
    jobs: Option<&str>,
) -> Result<AccountingReport, AccountingError> {
    let mut acc = Accountant::new(engine, o)?;
    match jobs {
        Some(p) => {
            let mut sink = open_sink(p, acc.columns(), &acc.metadata()).expect("sink");
            acc.run(files, sink.as_mut(), &mut |_| {})
        }
        None => acc.run(files, &mut NoSink, &mut |_| {}),
    }
}

fn job_gwp(
    engine: &Engine,
    partition: &str,
    nodes: Option<f64>,
    cores: Option<f64>,
    gpus: Option<f64>,
    hours: f64,
    measured: Option<f64>,
) -> f64 {
    let req = JobRequest {
        center: CenterSource::Bundled("jean-zay".into()),
        partition: partition.into(),
        nodes,
        cores,
        gpus,
        hours,
        load: Some(100.0),
        measured_energy_kwh: measured,
        ..JobRequest::default()
    };
    let o = EngineOptions {
        samples: 0,
        ..EngineOptions::default()
    };
    engine
        .job(&req, &o)
        .expect("job")
        .impacts
        .get("gwp")
        .expect("gwp")
        .value
}

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

fn lines(path: &str) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("jobs file")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn each_job_is_what_impacts_job_gives_and_totals_are_their_sums() {
    let engine = Engine::new().expect("engine");
    let d = Dir::new("sums");
    let f = d.file("sacct.txt", SACCT);
    let out = d.path("jobs.jsonl");
    let r = run(&engine, opts(0), &[f], Some(&out)).expect("run");
    assert_eq!(r.jobs, 4, "the step line is folded into job 100");
    assert_eq!(r.steps, 1);
    assert_eq!(
        r.jobs_estimated, 3,
        "the pending job is counted, not estimated"
    );
    let rows = lines(&out);
    assert_eq!(rows.len(), 4);
    let gwp = |id: &str| {
        rows.iter()
            .find(|r| r["job_id"] == id)
            .and_then(|r| r["gwp"].as_f64())
            .unwrap_or(f64::NAN)
    };
    // cpu_p1 allocates by cores (40 per node): 80 cores = the 2 nodes.
    let g100 = job_gwp(&engine, "cpu_p1", Some(2.0), None, None, 3.0, None);
    // gpu_p6 allocates by GPUs: 1 GPU of 4 for half an hour.
    let g101 = job_gwp(&engine, "gpu_p6", None, None, Some(1.0), 0.5, None);
    // 7,200,000 J measured = 2 kWh replace the modelled electricity.
    let g102 = job_gwp(&engine, "cpu_p1", Some(1.0), None, None, 24.0, Some(2.0));
    // JSON Lines carries 6 significant digits (impacts-table): within 5e-6 of the value.
    assert!(rel(gwp("100"), g100) < 5e-6, "{} vs {g100}", gwp("100"));
    assert!(rel(gwp("101"), g101) < 5e-6, "{} vs {g101}", gwp("101"));
    assert!(rel(gwp("102"), g102) < 5e-6, "{} vs {g102}", gwp("102"));
    let pending = rows
        .iter()
        .find(|r| r["job_id"] == "103")
        .expect("row of the pending job");
    assert!(pending["gwp"].is_null());
    assert!(pending["warnings"]
        .as_array()
        .expect("codes")
        .iter()
        .any(|w| w == "accounting.not-estimated"));
    let measured = rows.iter().find(|r| r["job_id"] == "102").expect("row");
    assert_eq!(measured["energy_source"], "measured");
    assert!((measured["energy_kwh"].as_f64().unwrap_or(0.0) - 2.0).abs() < 1e-12);
    // Totals.
    let total = r.impacts.get("gwp").expect("gwp").value;
    assert!(rel(total, g100 + g101 + g102) < 1e-12);
    let phases: f64 = r
        .phases
        .iter()
        .map(|(_, m)| m.get("gwp").expect("gwp").value)
        .sum();
    assert!(rel(phases, total) < 1e-12, "phases add up to the total");
    // Groups: alice ran 100 and 102; January holds 100 and 101 (by start date).
    let users = r.groups.get("user").expect("by user");
    let alice = users.iter().find(|g| g.key == "alice").expect("alice");
    assert_eq!(alice.jobs, 2);
    assert!(rel(alice.impacts.get("gwp").expect("gwp").value, g100 + g102) < 1e-12);
    let months = r.groups.get("month").expect("by month");
    let jan = months.iter().find(|g| g.key == "2024-01").expect("January");
    assert!(rel(jan.impacts.get("gwp").expect("gwp").value, g100 + g101) < 1e-12);
    // Unsuccessful: the failed and the timed-out jobs.
    assert_eq!(r.unsuccessful.jobs, 2);
    let share = r.unsuccessful.share.get("gwp").copied().unwrap_or(f64::NAN);
    assert!(rel(share, (g101 + g102) / total) < 1e-12);
    // Usage: node-hours 2×3 + 0.25×0.5 + 1×24.
    assert!(
        rel(
            r.usage.get("node_hours").copied().unwrap_or(0.0),
            6.0 + 0.125 + 24.0
        ) < 1e-12
    );
    assert_eq!(r.energy.get("measured_jobs").copied(), Some(1.0));
    // Without bounds, low = value = high.
    let e = r.impacts.get("gwp").expect("gwp");
    assert!(e.low == e.value && e.high == e.value);
}

/// The summary's Monte Carlo bounds are computed per bucket of jobs with the same hardware and
/// load, using the model's linearity in node-hours: two 3-hour jobs and one 6-hour job on the same
/// partition must then give identical samples, hence identical bounds.
#[test]
fn bounds_use_the_linearity_of_buckets() {
    let engine = Engine::new().expect("engine");
    let d = Dir::new("buckets");
    let two = d.file(
        "two.txt",
        "JobID|Partition|State|Elapsed|NNodes|NCPUS\n1|cpu_p1|COMPLETED|03:00:00|1|40\n2|cpu_p1|COMPLETED|03:00:00|1|40\n",
    );
    let one = d.file(
        "one.txt",
        "JobID|Partition|State|Elapsed|NNodes|NCPUS\n1|cpu_p1|COMPLETED|06:00:00|1|40\n",
    );
    let a = run(&engine, opts(300), &[two], None).expect("run");
    let b = run(&engine, opts(300), &[one], None).expect("run");
    for c in ["gwp", "adpe", "pe"] {
        let (x, y) = (a.impacts.get(c).expect("c"), b.impacts.get(c).expect("c"));
        assert!(rel(x.value, y.value) < 1e-12, "{c}");
        assert!(
            rel(x.low, y.low) < 1e-12 && rel(x.high, y.high) < 1e-12,
            "{c}: [{}, {}] vs [{}, {}]",
            x.low,
            x.high,
            y.low,
            y.high
        );
        assert!(
            x.low < x.value && x.value < x.high,
            "{c}: bounds around the value"
        );
    }
}

#[test]
fn malformed_records_stop_with_file_line_and_field_or_are_counted() {
    let engine = Engine::new().expect("engine");
    let d = Dir::new("malformed");
    let bad = SACCT.replace("|1|24|billing=24", "|one|24|billing=24");
    let f = d.file("bad.txt", &bad);
    let out = d.path("jobs.csv");
    let e = run(&engine, opts(0), std::slice::from_ref(&f), Some(&out)).expect_err("a bad NNodes");
    let m = e.to_string();
    assert!(
        m.starts_with(&format!(
            "{f}:4: NNodes: expected a number of nodes, found 'one'"
        )),
        "{m}"
    );
    assert!(!Path::new(&out).exists(), "no half-written per-job file");
    assert_eq!(
        std::fs::read_dir(&d.0).expect("dir").count(),
        1,
        "no temporary file left"
    );
    let o = Options {
        skip_bad_lines: true,
        ..opts(0)
    };
    let r = run(&engine, o, &[f], Some(&out)).expect("skipping");
    assert_eq!(r.skipped.count, 1);
    assert_eq!(r.jobs, 3);
    assert!(r.skipped.examples[0].contains(":4: NNodes"));
    assert!(r
        .warnings
        .iter()
        .any(|w| w.code == "accounting.skipped" && w.count == 1));
    let csv = std::fs::read_to_string(&out).expect("complete file");
    assert_eq!(csv.lines().count(), 1 + 3);
}

#[test]
fn unknown_partitions_need_a_default() {
    let engine = Engine::new().expect("engine");
    let d = Dir::new("partition");
    let f = d.file(
        "p.txt",
        "JobID|Partition|State|Elapsed|NNodes|NCPUS\n7|general|COMPLETED|01:00:00|1|40\n",
    );
    let e = run(&engine, opts(0), std::slice::from_ref(&f), None).expect_err("unknown partition");
    let m = e.to_string();
    assert!(
        m.contains(":2: unknown Partition 'general': expected a partition of Jean Zay: cpu_p1,")
            && m.contains("(or a default partition for the others)"),
        "{m}"
    );
    match &e {
        AccountingError::Read(r) => assert_eq!(r.error.field.as_deref(), Some("Partition")),
        other => panic!("{other:?}"),
    }
    let o = Options {
        default_partition: Some("cpu_p1".into()),
        ..opts(0)
    };
    let r = run(&engine, o, &[f], None).expect("mapped");
    let w = r
        .warnings
        .iter()
        .find(|w| w.code == "accounting.default-partition")
        .expect("warned");
    assert_eq!(w.count, 1);
    let o = Options {
        default_partition: Some("nope".into()),
        ..opts(0)
    };
    let e = run(&engine, o, &[], None).expect_err("bad default");
    assert!(
        e.to_string().starts_with(
            "unknown default_partition 'nope': expected a partition of Jean Zay: cpu_p1"
        ),
        "{e}"
    );
}

#[test]
fn text_and_json_of_the_same_jobs_agree() {
    // The same two jobs as sacct -P and as sacct --json (data parser v0.0.40 shape; an energy
    // TRES without a count, as Slurm 22.05 writes it without an energy plugin, is skipped).
    let engine = Engine::new().expect("engine");
    let d = Dir::new("formats");
    let text = d.file(
        "t.txt",
        "JobID|User|Partition|State|Start|End|Elapsed|NNodes|NCPUS|AllocTRES\n\
         5|u|cpu_p1|COMPLETED|1970-01-01T01:00:00|1970-01-01T03:00:00|02:00:00|1|20|cpu=20,mem=90G,node=1\n\
         6|u|gpu_p6|CANCELLED by 3|1970-01-01T01:00:00|1970-01-01T01:30:00|00:30:00|1|48|cpu=48,gres/gpu=2,node=1\n",
    );
    let json = d.file(
        "j.json",
        r#"{"meta":{"plugin":{"data_parser":"v0.0.40"}},"jobs":[
        {"job_id":5,"user":"u","partition":"cpu_p1","state":{"current":["COMPLETED"]},
         "time":{"start":3600,"end":10800,"elapsed":7200,"submission":3000},
         "tres":{"allocated":[{"type":"cpu","count":20},{"type":"mem","count":92160},{"type":"node","count":1}]}},
        {"job_id":6,"user":"u","partition":"gpu_p6","state":{"current":["CANCELLED"]},
         "time":{"start":3600,"end":5400,"elapsed":1800,"submission":3000},
         "tres":{"allocated":[{"type":"cpu","count":48},{"type":"energy","name":null,"count":null},{"type":"gres","name":"gpu","count":2},{"type":"node","count":1}]}}
        ]}"#,
    );
    let a = run(&engine, opts(100), &[text], None).expect("text");
    let b = run(&engine, opts(100), &[json], None).expect("json");
    assert_eq!((a.jobs, b.jobs), (2, 2));
    for c in ["gwp", "adpe", "pe"] {
        let (x, y) = (a.impacts.get(c).expect("c"), b.impacts.get(c).expect("c"));
        assert!(
            rel(x.value, y.value) < 1e-12
                && rel(x.low, y.low) < 1e-12
                && rel(x.high, y.high) < 1e-12,
            "{c}"
        );
    }
    assert_eq!(a.unsuccessful.jobs, 1);
}

#[test]
fn per_job_outputs_have_one_row_per_job() {
    let engine = Engine::new().expect("engine");
    let d = Dir::new("sinks");
    let f = d.file("sacct.txt", SACCT);
    for ext in ["csv", "jsonl", "parquet"] {
        let out = d.path(&format!("jobs.{ext}"));
        let o = Options {
            job_samples: 50,
            ..opts(0)
        };
        run(&engine, o, std::slice::from_ref(&f), Some(&out)).expect("run");
        let bytes = std::fs::read(&out).expect("written");
        match ext {
            "csv" => {
                let text = String::from_utf8(bytes).expect("UTF-8");
                let mut r = csv::Reader::from_reader(text.as_bytes());
                let h = r.headers().expect("header").clone();
                for col in [
                    "job_id",
                    "user",
                    "account",
                    "partition",
                    "state",
                    "start",
                    "end",
                    "nodes",
                    "cores",
                    "gpus",
                    "energy_kwh",
                    "gwp",
                    "gwp_low",
                    "gwp_high",
                    "manufacturing_gwp",
                    "warnings",
                ] {
                    assert!(h.iter().any(|c| c == col), "column {col} in {h:?}");
                }
                let rows: Vec<_> = r.records().map(|x| x.expect("row")).collect();
                assert_eq!(rows.len(), 4);
                let i = h.iter().position(|c| c == "gwp_low").expect("col");
                let v = h.iter().position(|c| c == "gwp").expect("col");
                let first: (f64, f64) = (
                    rows[0][i].parse().expect("low"),
                    rows[0][v].parse().expect("value"),
                );
                assert!(first.0 < first.1, "per-job bounds with job_samples");
            }
            "jsonl" => assert_eq!(lines(&out).len(), 4),
            _ => {
                assert_eq!(&bytes[..4], b"PAR1");
                assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
            }
        }
    }
}

/// pyarrow, the reference reader, when it is installed (CI installs it; elsewhere the tests that
/// need it say they skip).
fn pyarrow() -> bool {
    let has = std::process::Command::new("python3")
        .args(["-c", "import pyarrow"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("pyarrow is required with CI=true (.ci/run installs it)");
        }
        eprintln!("notice: python3 with pyarrow is absent; skipping the Parquet round trip");
    }
    has
}

/// The Parquet file read back by pyarrow: its schema (types of every column, dictionary-encoded
/// categories, UTC timestamps, integer counts, a list of warning codes), its metadata (the
/// run's method, bundle, center, time zone), zstd compression and column statistics, and the
/// same values as the JSON Lines file of the same run (which carries 6 significant digits).
#[test]
fn parquet_reads_back_with_pyarrow() {
    if !pyarrow() {
        return;
    }
    let engine = Engine::new().expect("engine");
    let d = Dir::new("pyarrow");
    let f = d.file("sacct.txt", SACCT);
    let out = d.path("jobs.parquet");
    let jsonl = d.path("jobs.jsonl");
    run(&engine, opts(0), std::slice::from_ref(&f), Some(&out)).expect("run");
    run(&engine, opts(0), &[f], Some(&jsonl)).expect("run");
    let script = r#"
import json, sys, datetime, pyarrow as pa, pyarrow.parquet as pq
f = pq.ParquetFile(sys.argv[1])
s = f.schema_arrow
cat = pa.dictionary(pa.int32(), pa.string())
for name, ty in [("job_id", pa.string()), ("user", cat), ("partition", cat), ("state", cat),
                 ("start", pa.timestamp("ms", tz="UTC")), ("end", pa.timestamp("ms", tz="UTC")),
                 ("nodes", pa.int64()), ("cores", pa.int64()), ("gpus", pa.int64()),
                 ("hours", pa.float64()), ("energy_kwh", pa.float64()), ("energy_source", cat),
                 ("gwp", pa.float64()), ("manufacturing_gwp", pa.float64()),
                 ("warnings", pa.list_(pa.string()))]:
    assert s.field(name).type == ty, (name, s.field(name).type, ty)
meta = {k.decode(): v.decode() for k, v in f.metadata.metadata.items()}
assert meta["impacts.method"] == "default", meta
assert meta["impacts.center"] == "Jean Zay", meta
assert meta["impacts.time_zone"] == "Europe/Paris", meta
assert len(meta["impacts.data_bundle"]) == 64, meta
assert f.metadata.created_by.startswith("impacts "), f.metadata.created_by
col = f.metadata.row_group(0).column(s.get_field_index("gwp"))
assert col.compression == "ZSTD", col.compression
assert col.statistics is not None and col.statistics.has_min_max, col.statistics
assert col.statistics.null_count == 1, col.statistics
t = f.read().to_pylist()
want = [json.loads(l) for l in open(sys.argv[2])]
assert len(t) == len(want), (len(t), len(want))
for a, b in zip(t, want):
    for k, v in b.items():
        if k in ("start", "end") and v is not None:
            assert a[k] == datetime.datetime.fromisoformat(v.replace("Z", "+00:00")), (k, a[k], v)
        elif isinstance(v, float):
            assert a[k] is not None and abs(a[k] - v) <= 5e-6 * abs(v), (k, a[k], v)
        else:
            assert a[k] == v, (k, a[k], v)
# Job 100 started at 10:00 in Paris in January: 09:00 UTC.
assert t[0]["start"].isoformat() == "2024-01-10T09:00:00+00:00", t[0]["start"]
print("ok", len(t))
"#;
    let o = std::process::Command::new("python3")
        .args(["-c", script, &out, &jsonl])
        .output()
        .expect("python3");
    assert!(
        o.status.success(),
        "pyarrow: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "ok 4");
}

/// The accountant relies on the job model being linear in node-hours (hours × node share) at a
/// given load, for every extensive output: per-job results are a per-bucket unit vector times the
/// job's node-hours, and the summary's Monte Carlo samples are evaluated once per bucket. Checked
/// here on every partition of Jean Zay, at three loads, with and without measured energy.
#[test]
fn the_job_model_is_linear_in_node_hours() {
    use impacts::JobEstimator;
    let engine = Engine::new().expect("engine");
    let center = engine
        .center(&CenterSource::Bundled("jean-zay".into()), "default", None)
        .expect("center");
    for part in &center.partitions {
        for measured in [false, true] {
            let est = JobEstimator::new(&engine, &center, part, None, "default", measured)
                .expect("estimator");
            let extensive = est.layout().extensive().end;
            let mut buf = est.buffer();
            let mut out = |p: &[f64]| {
                let mut o = vec![0.0; est.outputs().len()];
                est.point_in(&mut buf, p, &mut o);
                o
            };
            for load in [0.0, 37.0, 100.0] {
                let kwh = if measured { 1.0 } else { 0.0 };
                let np = if measured { 5 } else { 4 };
                let unit = out(&[1.0, 1.0, load, load, kwh][..np]);
                let zero_kwh = out(&[1.0, 1.0, load, load, 0.0][..np]);
                for (h, s, k) in [(3.0, 2.0, 7.5), (6.0, 1.0, 0.25), (0.5, 0.25, 2.0)] {
                    let got = out(&[h, s, load, load, k][..np]);
                    for i in 0..extensive {
                        let want = if measured {
                            h * s * zero_kwh[i] + k * (unit[i] - zero_kwh[i])
                        } else {
                            h * s * unit[i]
                        };
                        assert!(
                            (got[i] - want).abs() <= 1e-9 * want.abs().max(1e-12),
                            "{} measured={measured} load={load} output {i}: {} vs {}",
                            part.name,
                            got[i],
                            want
                        );
                    }
                }
            }
            monte_carlo_is_linear(&est, measured, &part.name);
        }
    }
}

/// The same linearity sample by sample: summaries add each bucket's samples per node-hour (and
/// per measured kWh) scaled by its sums instead of evaluating the model again.
fn monte_carlo_is_linear(est: &impacts::JobEstimator, measured: bool, name: &str) {
    use impacts::impacts_model::eval::MonteCarlo;
    let extensive = est.layout().extensive().end;
    let mc = MonteCarlo::new(&est.model.graph, &est.outputs()[..extensive], 50, 7);
    let mut scratch = mc.scratch();
    let np = if measured { 5 } else { 4 };
    let mut samples = |p: [f64; 5]| -> Vec<Vec<f64>> {
        mc.evaluate(&mut scratch, &p[..np]);
        (0..extensive)
            .map(|i| mc.output(&scratch, i).to_vec())
            .collect()
    };
    // Per kWh as a difference: at zero node-hours the model divides by zero.
    let per_nh = samples([1.0, 1.0, 60.0, 60.0, 0.0]);
    let with_kwh = samples([1.0, 1.0, 60.0, 60.0, 1.0]);
    let per_kwh: Vec<Vec<f64>> = with_kwh
        .iter()
        .zip(&per_nh)
        .map(|(a, b)| a.iter().zip(b).map(|(x, y)| x - y).collect())
        .collect();
    let (nh, kwh) = (7.5, if measured { 3.25 } else { 0.0 });
    let got = samples([2.5, 3.0, 60.0, 60.0, kwh]);
    for i in 0..extensive {
        for (k, g) in got[i].iter().enumerate() {
            let want = nh * per_nh[i][k] + if measured { kwh * per_kwh[i][k] } else { 0.0 };
            assert!(
                (g - want).abs() <= 1e-9 * want.abs().max(1e-12),
                "{name} measured={measured} output {i} sample {k}: {g} vs {want}"
            );
        }
    }
}

/// Jobs found by id: the id sacct shows, or the raw id the job saw as SLURM_JOB_ID (an array
/// task's own id, which Darshan records), each record once per id asked for.
#[test]
fn find_jobs_matches_shown_and_raw_ids() {
    let d = Dir::new("find");
    let text = "\
JobID|JobIDRaw|Partition|State|Elapsed|NNodes|NCPUS
100|100|cpu_p1|COMPLETED|01:00:00|2|80
100.batch|100.batch||COMPLETED|01:00:00|1|40
200_3|204|gpu_p6|COMPLETED|00:30:00|1|24
";
    let f = d.file("find.txt", text);
    let ids = ["100", "204", "200_3", "999"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let found = impacts_accounting::find_jobs(&f, None, &ids).expect("read");
    assert_eq!(found.len(), 3, "{:?}", found.keys());
    assert_eq!(found["100"].nodes, Some(2.0));
    assert_eq!(found["204"].job_id, "200_3");
    assert_eq!(found["204"].job_id_raw, "204");
    assert_eq!(found["200_3"].partition, "gpu_p6");
    assert!(!found.contains_key("999"));
}

/// One meaning per column name: `energy_kwh` is the electricity of the jobs' nodes, without the
/// facility's overhead, in the per-job rows, the summary and the group rows alike; the overhead is
/// `energy_with_overhead_kwh` everywhere. (The summary used to give the overhead under the name.)
#[test]
fn energy_columns_mean_the_same_in_rows_and_summary() {
    let engine = Engine::new().expect("engine");
    let d = Dir::new("energy");
    let f = d.file("sacct.txt", SACCT);
    let out = d.path("jobs.jsonl");
    let r = run(&engine, opts(0), &[f], Some(&out)).expect("run");
    let rows = lines(&out);
    let sum = |k: &str| -> f64 { rows.iter().filter_map(|r| r[k].as_f64()).sum() };
    let e = |k: &str| r.energy.get(k).copied().expect(k);
    // Rows carry 6 significant digits: their sums agree within 1e-5.
    assert!(rel(e("energy_kwh"), sum("energy_kwh")) < 1e-5);
    assert!(
        rel(
            e("energy_with_overhead_kwh"),
            sum("energy_with_overhead_kwh")
        ) < 1e-5
    );
    assert!(rel(e("idle_energy_kwh"), sum("idle_energy_kwh")) < 1e-5);
    // The overhead is the PUE: Jean Zay's default, 1.2 (central value).
    assert!(rel(e("energy_with_overhead_kwh") / e("energy_kwh"), 1.2) < 1e-9);
    let alice = r
        .groups
        .get("user")
        .expect("users")
        .iter()
        .find(|g| g.key == "alice")
        .expect("alice");
    let alice_rows = |k: &str| -> f64 {
        rows.iter()
            .filter(|r| r["user"] == "alice")
            .filter_map(|r| r[k].as_f64())
            .sum()
    };
    assert!(rel(alice.energy_kwh, alice_rows("energy_kwh")) < 1e-5);
    assert!(
        rel(
            alice.energy_with_overhead_kwh,
            alice_rows("energy_with_overhead_kwh")
        ) < 1e-5
    );
}

/// GPUs in a record of a partition whose nodes have none are left out of the charge (by cores)
/// and counted as `job.resource-absent`: the one charging rule, as for a request.
#[test]
fn gpus_on_a_partition_without_gpus_are_warned() {
    let engine = Engine::new().expect("engine");
    let d = Dir::new("absent-gpus");
    let f = d.file(
        "g.txt",
        "JobID|User|Partition|State|Elapsed|NNodes|NCPUS|AllocTRES\n\
         1|ann|cpu_p1|COMPLETED|01:00:00|1|20|cpu=20,gres/gpu=2,node=1\n",
    );
    let out = d.path("g.jsonl");
    let r = run(&engine, opts(0), &[f], Some(&out)).expect("run");
    let w = r
        .warnings
        .iter()
        .find(|w| w.code == "job.resource-absent")
        .expect("warned");
    assert_eq!(w.count, 1);
    assert!(
        w.message.contains("2 GPUs asked of partition cpu_p1"),
        "{}",
        w.message
    );
    let row = &lines(&out)[0];
    // 20 of cpu_p1's 40 cores: half a node.
    assert_eq!(row["node_equivalents"].as_f64(), Some(0.5));
    assert!(row["warnings"]
        .as_array()
        .expect("codes")
        .iter()
        .any(|c| c == "job.resource-absent"));
}

/// Every estimator of Jean Zay is separable in load (crate::load_shape): its sums need no
/// bucket per load.
#[test]
fn every_jean_zay_estimator_is_separable_in_load() {
    use impacts::JobEstimator;
    use impacts_accounting::load_shape::{shape, LoadShape};
    let engine = Engine::new().expect("engine");
    let center = engine
        .center(&CenterSource::Bundled("jean-zay".into()), "default", None)
        .expect("center");
    for part in &center.partitions {
        let groups: Vec<Option<usize>> = if part.groups.len() > 1 {
            (0..part.groups.len()).map(Some).chain([None]).collect()
        } else {
            vec![None]
        };
        for (group, measured) in groups.iter().flat_map(|g| [(*g, false), (*g, true)]) {
            let est = JobEstimator::new(&engine, &center, part, group, "default", measured)
                .expect("estimator");
            match shape(&est) {
                // With measured energy the load changes nothing (the energy is given).
                LoadShape::Separable { cpu, gpu } if measured => {
                    assert!(cpu.iter().chain(&gpu).all(|f| *f == 0.0), "{}", part.name);
                }
                LoadShape::Separable { cpu, gpu } => {
                    assert_eq!((cpu[0], cpu[100]), (0.0, 1.0), "{} {group:?}", part.name);
                    assert!(
                        cpu.windows(2).all(|w| w[0] <= w[1]),
                        "φc grows with the load"
                    );
                    // The GPU power is affine in its load (hardware.rs): φg(L) = L/100.
                    if part.name.starts_with("gpu") {
                        assert!((gpu[37] - 0.37).abs() < 1e-12, "{}: {}", part.name, gpu[37]);
                    }
                }
                LoadShape::PerLoad => panic!("{} {group:?} is not separable", part.name),
            }
        }
    }
}

/// The bounds of a sum of jobs at different loads, from the separable sums, equal those of the
/// Monte Carlo evaluated job by job and summed sample by sample (the definition).
#[test]
fn bounds_from_separable_sums_equal_the_job_by_job_monte_carlo() {
    use impacts::impacts_model::eval::{spread, MonteCarlo, Percentiles};
    use impacts::JobEstimator;
    let engine = Engine::new().expect("engine");
    let d = Dir::new("separable");
    let file = d.file(
        "loads.txt",
        "JobID|Partition|State|Elapsed|NNodes|NCPUS|AllocTRES|TotalCPU\n\
         1|cpu_p1|COMPLETED|03:00:00|1|40|cpu=40,node=1|30:00:00\n\
         2|cpu_p1|COMPLETED|10:00:00|2|80|cpu=80,node=2|700:00:00\n\
         3|gpu_p6|COMPLETED|05:00:00|1|96|cpu=96,gres/gpu=4,node=1|100:00:00\n\
         4|gpu_p6|COMPLETED|01:30:00|2|48|cpu=48,gres/gpu=2,node=1|70:00:00\n",
    );
    let jobs = d.path("jobs.jsonl");
    let o = Options {
        load: LoadPolicy::FromCpuTime,
        samples: 400,
        ..opts(400)
    };
    let report = run(&engine, o, &[file], Some(&jobs)).expect("run");
    let center = engine
        .center(&CenterSource::Bundled("jean-zay".into()), "default", None)
        .expect("center");
    let mut total = vec![0.0; 400];
    let mut loads = Vec::new();
    for row in lines(&jobs) {
        let part = center
            .partitions
            .iter()
            .find(|p| p.name == row["partition"].as_str().unwrap())
            .unwrap();
        // The CPU time says nothing of the GPUs: a GPU job's GPU load is drawn.
        let drawn = impacts::impacts_model::job::DrawnLoads {
            cpu: false,
            gpu: row["gpus"].as_f64().unwrap_or(0.0) > 0.0,
        };
        let est =
            JobEstimator::with_drawn_loads(&engine, &center, part, (None, "default"), false, drawn)
                .unwrap();
        let ext = est.layout().extensive().end;
        let mc = MonteCarlo::new(&est.model.graph, &est.outputs()[..ext], 400, 0);
        let mut scratch = mc.scratch();
        let f = |k: &str| row[k].as_f64().unwrap();
        let (lc, lg) = (f("cpu_load").round(), f("gpu_load").round());
        loads.push(lc);
        mc.evaluate(&mut scratch, &[f("hours"), f("node_equivalents"), lc, lg]);
        for (t, x) in total.iter_mut().zip(mc.output(&scratch, 0)) {
            *t += x;
        }
    }
    loads.dedup();
    assert!(
        loads.len() >= 3,
        "the jobs run at different loads: {loads:?}"
    );
    let gwp = report.impacts.get("gwp").unwrap();
    let want = spread(gwp.value, &total, Percentiles::default(), &mut Vec::new());
    assert!(rel(gwp.low, want.low) < 1e-9, "{} vs {}", gwp.low, want.low);
    assert!(
        rel(gwp.high, want.high) < 1e-9,
        "{} vs {}",
        gwp.high,
        want.high
    );
}

/// An hourly series from 2024-01-10 00:00 to 12:00 UTC: hour h holds 10 × (h + 1) gCO2eq/kWh.
fn half_day_series() -> impacts::impacts_grid::Series {
    let mut csv = String::from("timestamp,gco2eq_per_kwh_lifecycle\n");
    for h in 0..12 {
        csv.push_str(&format!("2024-01-10T{h:02}:00:00Z,{}\n", 10 * (h + 1)));
    }
    impacts::impacts_grid::Series::parse("half-day.csv", csv.as_bytes(), &Default::default())
        .expect("series")
}

/// Accounting hour by hour: each job's use phase is its electricity with overhead × the mean
/// intensity of the series over its own window (the part the series covers; the annual factor
/// for the rest), by hand; a job outside the series keeps the annual factor, counted; the
/// summary's bounds equal the Monte Carlo evaluated job by job with each job's covered use phase
/// replaced sample by sample (the definition), and each job's own bounds the same for it alone.
#[test]
fn a_grid_series_gives_each_job_the_intensity_of_its_hours() {
    use impacts::impacts_grid::Integral;
    use impacts::impacts_model::eval::{spread, MonteCarlo, Percentiles};
    use impacts::JobEstimator;
    use std::sync::Arc;
    let engine = Engine::new().expect("engine");
    let d = Dir::new("grid");
    // 1: 10:00–13:00, two hours covered of three (10:00 at 110, 11:00 at 120);
    // 2: 01:00–05:00, covered (20, 30, 40, 50: mean 35); 3: the next day, outside;
    // 4: 06:30–08:00 with measured energy, covered (70 for 30 min, 80 for 60 min: mean 76.67).
    let file = d.file(
        "grid.txt",
        "JobID|Partition|State|Start|End|Elapsed|NNodes|NCPUS|AllocTRES|ConsumedEnergyRaw\n\
         1|cpu_p1|COMPLETED|2024-01-10T10:00:00|2024-01-10T13:00:00|03:00:00|1|40|cpu=40,node=1|\n\
         2|cpu_p1|COMPLETED|2024-01-10T01:00:00|2024-01-10T05:00:00|04:00:00|2|80|cpu=80,node=2|\n\
         3|gpu_p6|COMPLETED|2024-01-11T05:00:00|2024-01-11T06:00:00|01:00:00|1|96|cpu=96,gres/gpu=4,node=1|\n\
         4|cpu_p1|COMPLETED|2024-01-10T06:30:00|2024-01-10T08:00:00|01:30:00|1|40|cpu=40,node=1|5400000\n",
    );
    let series = half_day_series();
    let grid = Arc::new(Integral::new(series.clone()));
    let o = |grid: Option<Arc<Integral>>| Options {
        samples: 300,
        job_samples: 300,
        time_zone: Some("UTC".into()),
        grid,
        ..opts(300)
    };
    let (annual_jobs, series_jobs) = (d.path("annual.jsonl"), d.path("series.jsonl"));
    let annual = run(
        &engine,
        o(None),
        std::slice::from_ref(&file),
        Some(&annual_jobs),
    )
    .expect("run");
    let r = run(&engine, o(Some(grid)), &[file], Some(&series_jobs)).expect("run");
    let (before, after) = (lines(&annual_jobs), lines(&series_jobs));
    let f = |row: &Value, k: &str| row[k].as_f64().unwrap_or_else(|| panic!("{k}: {row}"));
    // The zone's annual factor, from the annual run: use phase / electricity with overhead.
    let factor = f(&before[0], "use_gwp") / f(&before[0], "energy_with_overhead_kwh");
    assert!(
        rel(factor, 44.18) < 1e-5,
        "France's annual factor: {factor}"
    );
    // Ember 2024 (data/electricity_2024.csv).
    let factor = 44.18;
    // By hand: (covered share, mean intensity over it).
    let by_hand = [
        (2.0 / 3.0, (110.0 + 120.0) / 2.0),
        (1.0, (20.0 + 30.0 + 40.0 + 50.0) / 4.0),
        (0.0, 0.0),
        (1.0, (0.5 * 70.0 + 80.0) / 1.5),
    ];
    for ((b, a), (share, mean)) in before.iter().zip(&after).zip(by_hand) {
        let e = f(b, "energy_with_overhead_kwh");
        let want = e * (share * mean + (1.0 - share) * factor);
        // The per-job file carries 7 significant digits.
        assert!(
            rel(f(a, "use_gwp"), want) < 1e-5,
            "job {}: {} vs {want}",
            a["job_id"],
            f(a, "use_gwp")
        );
        let moved = f(a, "use_gwp") - f(b, "use_gwp");
        assert!(
            (f(a, "gwp") - f(b, "gwp") - moved).abs() < 1e-5 * f(b, "gwp"),
            "{a}"
        );
        for k in ["adpe", "pe", "manufacturing_gwp", "idle_gwp", "energy_kwh"] {
            assert_eq!(f(a, k), f(b, k), "job {}: {k}", a["job_id"]);
        }
    }
    let count = |code: &str| r.warnings.iter().find(|w| w.code == code).map(|w| w.count);
    assert_eq!(count("accounting.grid-outside"), Some(1));
    assert_eq!(count("accounting.grid-partial"), Some(1));
    let total: f64 = after.iter().map(|a| f(a, "gwp")).sum();
    assert!(rel(r.impacts.get("gwp").unwrap().value, total) < 1e-5);

    // The bounds, by definition: each job's samples (the same draws as the run's: 300, seed 0),
    // its covered use phase at the series' intensity, summed sample by sample.
    let center = engine
        .center(&CenterSource::Bundled("jean-zay".into()), "default", None)
        .expect("center");
    let layout = impacts::impacts_model::job::job_layout(engine.bundle().criteria.len());
    let use_gwp = layout
        .phase(impacts::impacts_model::report::Phase::Use, 0)
        .unwrap();
    let energy = layout
        .measure(&impacts::impacts_model::layout::job_measures::ENERGY_WITH_OVERHEAD)
        .unwrap();
    let mut sum = vec![0.0; 300];
    for (row, (share, mean)) in after.iter().zip(by_hand) {
        let part = center
            .partitions
            .iter()
            .find(|p| p.name == row["partition"].as_str().unwrap())
            .unwrap();
        let measured = row["energy_source"] == "measured";
        let est = JobEstimator::new(&engine, &center, part, None, "default", measured).unwrap();
        let ext = est.layout().extensive().end;
        let mc = MonteCarlo::new(&est.model.graph, &est.outputs()[..ext], 300, 0);
        let mut scratch = mc.scratch();
        let mut p = vec![f(row, "hours"), f(row, "node_equivalents"), 100.0, 100.0];
        if measured {
            p.push(f(row, "energy_kwh"));
        }
        mc.evaluate(&mut scratch, &p);
        let (t, u, e) = (
            mc.output(&scratch, 0),
            mc.output(&scratch, use_gwp),
            mc.output(&scratch, energy),
        );
        let job: Vec<f64> = (0..300)
            .map(|k| t[k] + share * (e[k] * mean - u[k]))
            .collect();
        let own = spread(f(row, "gwp"), &job, Percentiles::default(), &mut Vec::new());
        assert!(
            rel(f(row, "gwp_low"), own.low) < 1e-5,
            "job {}: {} vs {}",
            row["job_id"],
            f(row, "gwp_low"),
            own.low
        );
        assert!(
            rel(f(row, "gwp_high"), own.high) < 1e-5,
            "job {}",
            row["job_id"]
        );
        for (s, x) in sum.iter_mut().zip(&job) {
            *s += x;
        }
    }
    let gwp = r.impacts.get("gwp").unwrap();
    let want = spread(gwp.value, &sum, Percentiles::default(), &mut Vec::new());
    assert!(rel(gwp.low, want.low) < 1e-9, "{} vs {}", gwp.low, want.low);
    assert!(
        rel(gwp.high, want.high) < 1e-9,
        "{} vs {}",
        gwp.high,
        want.high
    );
    // France's annual factor is uncertain, the series' hours are taken as measured: the covered
    // jobs' bounds narrow.
    let a = annual.impacts.get("gwp").unwrap();
    assert!(
        (gwp.high - gwp.low) / gwp.value < (a.high - a.low) / a.value,
        "{gwp:?} vs {a:?}"
    );
}

/// Local clocks meet the series' UTC hours across the clock changes of four time zones: a job of
/// one hour starting in the repeated autumn hour (the earlier instant, RFC 5545's "compatible"
/// rule), in the missing spring hour (the offset before the change), and on an ordinary day,
/// in Helsinki, Bologna, Edinburgh and Oak Ridge. Expected instants by hand from the zones'
/// rules (EU: last Sundays of March and October at 01:00 UTC; US: second Sunday of March and
/// first of November at 02:00 local).
#[test]
fn local_clocks_meet_the_right_hours_of_a_series() {
    use impacts::impacts_grid::Integral;
    use std::sync::Arc;
    // An hourly series over 2024, each hour's intensity its own: v(h) = h mod 997 + 1.
    let v = |h: i64| (h % 997 + 1) as f64;
    let mut csv = String::from("timestamp,gco2eq_per_kwh_lifecycle\n");
    for h in 0..(366 * 24) {
        let t = jiff::Timestamp::from_second(1_704_067_200 + h * 3600).unwrap();
        csv.push_str(&format!("{t},{}\n", v(h)));
    }
    let series =
        impacts::impacts_grid::Series::parse("2024.csv", csv.as_bytes(), &Default::default())
            .expect("series");
    let hour_of = |utc: &str| -> i64 {
        let t: jiff::Timestamp = utc.parse().unwrap();
        (t.as_second() - 1_704_067_200) / 3600
    };
    let grid = Arc::new(Integral::new(series));
    let engine = Engine::new().expect("engine");
    let d = Dir::new("clocks");
    let cases = [
        // (zone, local start, UTC start)
        (
            "Europe/Helsinki",
            "2024-10-27T03:30:00",
            "2024-10-27T00:30:00Z",
        ), // repeated: EEST
        (
            "Europe/Helsinki",
            "2024-03-31T03:30:00",
            "2024-03-31T01:30:00Z",
        ), // missing: EET
        (
            "Europe/Helsinki",
            "2024-07-01T12:30:00",
            "2024-07-01T09:30:00Z",
        ),
        ("Europe/Rome", "2024-10-27T02:30:00", "2024-10-27T00:30:00Z"),
        ("Europe/Rome", "2024-03-31T02:30:00", "2024-03-31T01:30:00Z"),
        (
            "Europe/London",
            "2024-10-27T01:30:00",
            "2024-10-27T00:30:00Z",
        ),
        (
            "Europe/London",
            "2024-03-31T01:30:00",
            "2024-03-31T01:30:00Z",
        ),
        (
            "America/New_York",
            "2024-11-03T01:30:00",
            "2024-11-03T05:30:00Z",
        ),
        (
            "America/New_York",
            "2024-03-10T02:30:00",
            "2024-03-10T07:30:00Z",
        ),
    ];
    for (zone, local, utc) in cases {
        let file = d.file(
            "job.txt",
            &format!("JobID|Partition|State|Start|Elapsed|NNodes|NCPUS\n1|cpu_p1|COMPLETED|{local}|01:00:00|1|40\n"),
        );
        let jobs = d.path("job.jsonl");
        let o = Options {
            time_zone: Some(zone.into()),
            grid: Some(grid.clone()),
            ..opts(0)
        };
        run(&engine, o, &[file], Some(&jobs)).expect("run");
        let row = &lines(&jobs)[0];
        assert_eq!(row["start"], utc, "{zone} {local}");
        // Half an hour of each of two hours: the mean of their intensities.
        let h = hour_of(utc);
        let want = (v(h) + v(h + 1)) / 2.0;
        let got =
            row["use_gwp"].as_f64().unwrap() / row["energy_with_overhead_kwh"].as_f64().unwrap();
        assert!(rel(got, want) < 1e-5, "{zone} {local}: {got} vs {want}");
    }
}

/// Per-job bounds without per-job sampling: a job's totals × its bucket's spread per node-hour.
/// The model is linear in node-hours at a load, so these are exactly the bounds that sampling the
/// job itself with the same draws gives (same samples, same seed: each sample scaled by the job's
/// node-hours). A job whose energy is measured is not in that case: its bounds are left empty,
/// never the central value, and the run says so.
#[test]
fn per_job_bounds_come_from_the_bucket_without_sampling_each_job() {
    let engine = Engine::new().expect("engine");
    let d = Dir::new("job-bounds");
    let file = d.file(
        "jobs.txt",
        "JobID|Partition|State|Elapsed|NNodes|NCPUS|ConsumedEnergyRaw\n\
         1|cpu_p1|COMPLETED|03:00:00|1|40|\n\
         2|cpu_p1|COMPLETED|10:30:00|2|80|\n\
         3|gpu_p5|COMPLETED|01:00:00|1|64|\n\
         4|cpu_p1|COMPLETED|02:00:00|1|40|3600000\n",
    );
    let (by_bucket, sampled) = (d.path("bucket.jsonl"), d.path("sampled.jsonl"));
    let r = run(
        &engine,
        opts(400),
        std::slice::from_ref(&file),
        Some(&by_bucket),
    )
    .expect("run");
    let per_job = Options {
        job_samples: 400,
        ..opts(400)
    };
    run(&engine, per_job, &[file], Some(&sampled)).expect("run");
    let (a, b) = (lines(&by_bucket), lines(&sampled));
    for (x, y) in a.iter().zip(&b).take(3) {
        for c in ["gwp", "adpe", "pe", "water"] {
            let f = |row: &Value, k: &str| row[k].as_f64().unwrap_or_else(|| panic!("{k}: {row}"));
            let (v, lo, hi) = (
                f(x, c),
                f(x, &format!("{c}_low")),
                f(x, &format!("{c}_high")),
            );
            assert!(lo < v && v < hi, "{c}: {lo} {v} {hi} not around the value");
            for k in ["_low", "_high"] {
                let (p, q) = (f(x, &format!("{c}{k}")), f(y, &format!("{c}{k}")));
                assert!(
                    rel(p, q) < 1e-9,
                    "job {}: {c}{k} {p} vs sampled {q}",
                    x["job_id"]
                );
            }
        }
    }
    // The measured job: bounds empty, counted.
    assert!(
        a[3]["gwp_low"].is_null() && a[3]["gwp_high"].is_null(),
        "{}",
        a[3]
    );
    assert!(a[3]["gwp"].as_f64().is_some());
    let codes: Vec<String> = r.warnings.iter().map(|w| w.code.clone()).collect();
    assert!(
        codes.iter().any(|c| c == "accounting.job-bounds-empty"),
        "{codes:?}"
    );
}

/// The default load policy: the CPU load from the record's CPU time where it has one, drawn from
/// the method's distribution otherwise (its mode in the row, `default.load`); a GPU job's GPU load
/// drawn beside a CPU time. The reference method takes 100 % for every unknown load.
#[test]
fn unknown_loads_are_drawn_and_known_ones_kept() {
    let engine = Engine::new().expect("engine");
    let d = Dir::new("drawn");
    let file = d.file(
        "jobs.txt",
        "JobID|Partition|State|Elapsed|NNodes|NCPUS|AllocTRES|TotalCPU\n\
         1|cpu_p1|COMPLETED|10:00:00|1|40|cpu=40,node=1|200:00:00\n\
         2|cpu_p1|COMPLETED|10:00:00|1|40|cpu=40,node=1|\n\
         3|gpu_p6|COMPLETED|05:00:00|1|96|cpu=96,gres/gpu=4,node=1|100:00:00\n",
    );
    let run_with = |method: &str, name: &str| {
        let o = Options {
            load: LoadPolicy::Default,
            method: method.into(),
            ..opts(200)
        };
        let jobs = d.path(name);
        let r = run(&engine, o, std::slice::from_ref(&file), Some(&jobs)).expect("run");
        (r, lines(&jobs))
    };
    let (r, rows) = run_with("default", "default.jsonl");
    let load = |row: &Value, k: &str| row[k].as_f64().expect("load");
    let codes = |row: &Value| row["warnings"].to_string();
    // Job 1: 200 CPU-hours over 10 h × 40 CPUs = 50 %.
    assert_eq!(load(&rows[0], "cpu_load"), 50.0);
    // Job 2: no CPU time: drawn, its mode in the row, said.
    assert_eq!(load(&rows[1], "cpu_load"), 25.0);
    assert!(codes(&rows[1]).contains("default.load"), "{}", rows[1]);
    // cpu_p1 has no GPUs: no GPU load is drawn for it.
    assert_eq!(load(&rows[1], "gpu_load"), 0.0);
    // Job 3: 100 CPU-hours over 5 h × 96 CPUs; its GPUs' load drawn (mode 40 %), said.
    assert!((load(&rows[2], "cpu_load") - 100.0 * 100.0 / 480.0).abs() < 1e-9);
    assert_eq!(load(&rows[2], "gpu_load"), 40.0);
    assert!(codes(&rows[2]).contains("accounting.gpu-load-assumed"));
    let counted: Vec<String> = r.warnings.iter().map(|w| w.code.clone()).collect();
    assert!(
        counted.iter().any(|c| c == "accounting.load-from-cputime"),
        "{counted:?}"
    );
    // A drawn load is uncertain: job 2's bounds are wider than job 1's, relative to its value.
    let width = |row: &Value| {
        (row["gwp_high"].as_f64().unwrap() - row["gwp_low"].as_f64().unwrap())
            / row["gwp"].as_f64().unwrap()
    };
    assert!(
        width(&rows[1]) > width(&rows[0]),
        "{} vs {}",
        width(&rows[1]),
        width(&rows[0])
    );
    // The reference method: 100 % wherever the load is not given.
    let (_, rows) = run_with("impacts-hpc", "reference.jsonl");
    for row in &rows {
        assert_eq!(load(row, "cpu_load"), 100.0, "{row}");
    }
}
