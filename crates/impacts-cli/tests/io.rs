//! `impacts io` as users run it: the issue's JSON shape against reference-values.json, the
//! footprint of a log's I/O by hand, summaries, CSV, and bad input.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_impacts"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run impacts")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(&run(args))).expect("JSON")
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("impacts-cli-io-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d.join(name)
}

fn logs() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/darshan-logs");
    if p.is_dir() {
        return Some(p);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("../shared/data is absent, and CI=true requires it");
    }
    eprintln!("notice: ../shared/data is absent; skipping the impacts io tests");
    None
}

const MPI_IO_TEST: &str = "release_logs/mpi-io-test-x86_64-3.5.0.darshan";

/// The issue's shape, each field equal to reference-values.json (made by PyDarshan).
#[test]
fn json_has_the_issue_shape_with_the_reference_values() {
    let Some(dir) = logs() else { return };
    let reference: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("reference-values.json")).expect("reference"),
    )
    .expect("JSON");
    for rel in [
        MPI_IO_TEST,
        "dlio_logs/snyder_python3_id3116902-2110365_12-19-66957-188958432683465822_1.darshan",
    ] {
        let want = &reference[rel];
        let path = dir.join(rel);
        let out = ok(&run(&["io", &path.to_string_lossy(), "--format", "json"]));
        let v: Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(v["version"], want["version"], "{rel}");
        assert_eq!(v["big_endian"], want["big_endian"], "{rel}");
        assert_eq!(v["partial"], Value::Bool(false), "{rel}");
        for k in ["jobid", "uid", "nprocs"] {
            assert_eq!(v["job"][k], want["job"][k], "{rel} job.{k}");
        }
        let t = |s: &str| {
            want["job"][format!("{s}_time_sec")].as_f64().expect("sec")
                + want["job"][format!("{s}_time_nsec")]
                    .as_f64()
                    .expect("nsec")
                    * 1e-9
        };
        for s in ["start", "end"] {
            let got = v["job"][format!("{s}_time")].as_f64().expect("time");
            assert!((got - t(s)).abs() < 1e-6, "{rel} {s}: {got} vs {}", t(s));
        }
        assert!(
            (v["job"]["run_time"].as_f64().expect("run")
                - want["job"]["run_time"].as_f64().expect("run"))
            .abs()
                < 1e-9
        );
        let wm = want["modules"].as_object().expect("modules");
        let gm = v["modules"].as_object().expect("modules");
        assert_eq!(
            gm.keys().collect::<Vec<_>>(),
            wm.keys().collect::<Vec<_>>(),
            "{rel}: module names as Darshan spells them"
        );
        for (name, m) in wm {
            if let Some(n) = m.get("n_records") {
                assert_eq!(&gm[name]["records"], n, "{rel} {name}");
                assert_eq!(&gm[name]["bytes_read"], &m["bytes_read"], "{rel} {name}");
                assert_eq!(
                    &gm[name]["bytes_written"], &m["bytes_written"],
                    "{rel} {name}"
                );
            }
        }
    }
}

/// A center whose tier `home` serves `/home` with every figure given, in France (44.18 gCO2eq/kWh, Ember 2024).
const CENTER: &str = r#"
name = "IO test center"
zone = "FR"
pue = 1.3
lifetime_years = 5
usage_rate = 0.8

[node_types.n]
cpus = [{ model = "AMD EPYC 7543", count = 2 }]
ram_gb = 256

[partitions.cpu]
node_type = "n"
nodes = 10

[storage.home]
media = "hdd"
drive_capacity_tb = 20
redundancy = 1.25
enclosure_overhead = 1.8
power_overhead = 1.5
lifetime_years = 5
drive_throughput_mb_s = 200
busy_fraction = 0.25
mounts = ["/home"]
"#;

/// CENTER written to a temporary file: its path.
fn center_file(name: &str) -> String {
    let p = tmp(name);
    std::fs::write(&p, CENTER).expect("center");
    p.to_string_lossy().into_owned()
}

/// mpi-io-test reads and writes 67,108,864 bytes on /home (lustre) and prints 322 bytes; its
/// slowest rank spends about 80 % of the 0.051284 s run in I/O (crates/impacts-io/tests/real_logs.rs).
#[test]
fn the_footprint_of_a_logs_io_is_the_storage_by_hand_plus_the_nodes_waiting() {
    let Some(dir) = logs() else { return };
    let c = center_file("center.toml");
    let log = dir.join(MPI_IO_TEST).to_string_lossy().into_owned();
    let out = ok(&run(&[
        "io",
        &log,
        "--center",
        &c,
        "--partition",
        "cpu",
        "--nodes",
        "1",
        "--load",
        "50",
        "--samples",
        "0",
        "--format",
        "json",
    ]));
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let f = &v["footprint"];
    let storage = f["storage"].as_array().expect("storage");
    let home = storage
        .iter()
        .find(|s| s["mount"] == "/home")
        .expect("/home");
    assert_eq!(home["attributed_to"], "tier home");
    // By hand: 0.067108864 GB read + 0.067108864 GB × 1.25 written = 0.150994944 GB at the
    // drives; at 200 MB/s, busy 0.75497472 s; over a busy fraction of 0.25, 3.01989888
    // drive-seconds of the system; of a 5 × 8,766 h life.
    let gb = 67_108_864.0 / 1e9;
    let allocated_h = (gb + gb * 1.25) * 1000.0 / 200.0 / 3600.0 / 0.25;
    let manufacturing = allocated_h / (5.0 * 8766.0) * 31_110.0 * 1.8;
    let energy = allocated_h * 6.4 * 1.5 / 1000.0 * 1.3;
    let gwp = manufacturing + energy * 44.18;
    let got = home["impacts"]["gwp"]["value"].as_f64().expect("gwp");
    assert!((got - gwp).abs() < 1e-9 * gwp, "{got} vs {gwp}");
    // The standard streams are not a storage system.
    let streams = storage
        .iter()
        .find(|s| s["mount"] == "<standard streams>")
        .expect("streams");
    assert!(streams.get("impacts").is_none());
    // Waiting: the job on one node for the slowest rank's I/O time, as `impacts job` gives it.
    let hours = f["waiting"]["hours"].as_f64().expect("hours");
    let share = v["time"]["io_share"].as_f64().expect("share");
    let run_time = v["job"]["run_time"].as_f64().expect("run");
    assert!((hours - share * run_time / 3600.0).abs() < 1e-15);
    let job = ok(&run(&[
        "job",
        "--center",
        &c,
        "--partition",
        "cpu",
        "--nodes",
        "1",
        "--load",
        "50",
        "--hours",
        &format!("{hours:?}"),
        "--samples",
        "0",
        "--format",
        "json",
    ]));
    let job: Value = serde_json::from_str(&job).expect("JSON");
    for k in ["gwp", "adpe", "pe"] {
        let w = f["waiting"]["impacts"][k]["value"]
            .as_f64()
            .expect("waiting");
        let j = job["impacts"][k]["value"].as_f64().expect("job");
        assert!((w - j).abs() <= 1e-12 * j.abs(), "{k}: {w} vs {j}");
        let s = home["impacts"][k]["value"].as_f64().expect("storage");
        let total = f["impacts"][k]["value"].as_f64().expect("total");
        assert!((total - (w + s)).abs() <= 1e-12 * total, "{k}");
    }
    let codes: Vec<&str> = f["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert!(codes.contains(&"io.not-a-file-system"), "{codes:?}");
    assert!(!codes.contains(&"storage.defaults"), "{codes:?}");
    // With bounds: the total's interval holds its value and is wider than none.
    let out = ok(&run(&[
        "io",
        &log,
        "--center",
        &c,
        "--partition",
        "cpu",
        "--nodes",
        "1",
        "--format",
        "json",
    ]));
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let g = &v["footprint"]["impacts"]["gwp"];
    let (lo, val, hi) = (
        g["low"].as_f64().expect("low"),
        g["value"].as_f64().expect("value"),
        g["high"].as_f64().expect("high"),
    );
    assert!(lo < val && val < hi, "{g}");
    // The table says the same, with the bounds line.
    let table = ok(&run(&[
        "io",
        &log,
        "--center",
        &c,
        "--partition",
        "cpu",
        "--nodes",
        "1",
    ]));
    assert!(
        table.contains("Footprint of the I/O on IO test center"),
        "{table}"
    );
    assert!(table.contains("/home (tier home)"), "{table}");
    assert!(
        table.contains("Bounds: 2.5th–97.5th percentiles"),
        "{table}"
    );
}

/// A network file system that no tier lists takes the method's HDD defaults, warned; the node's
/// own disks are not attributed.
#[test]
fn unlisted_file_systems_are_warned() {
    let Some(dir) = logs() else { return };
    let log = dir
        .join("mpi_io_test_with_dxt/treddy_mpi-io-test_id4373053_6-2-60198-9815401321915095332_1.darshan")
        .to_string_lossy()
        .into_owned();
    let center = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/examples/my-center.toml")
        .to_string_lossy()
        .into_owned();
    let out = ok(&run(&[
        "io",
        &log,
        "--center",
        &center,
        "--samples",
        "0",
        "--format",
        "json",
    ]));
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let storage = v["footprint"]["storage"].as_array().expect("storage");
    let by = |m: &str| {
        storage
            .iter()
            .find(|s| s["mount"] == m)
            .unwrap_or_else(|| panic!("{m}"))["attributed_to"]
            .as_str()
            .expect("str")
            .to_string()
    };
    assert_eq!(by("/yellow/users"), "default hdd");
    assert_eq!(by("/"), "not attributed: the node's own storage");
    let codes: Vec<&str> = v["footprint"]["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    for c in [
        "io.storage-tier-default",
        "io.node-local",
        "storage.defaults",
    ] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
    // Without --partition there is no waiting part, and the table says how to get one.
    assert!(v["footprint"].get("waiting").is_none());
}

#[test]
fn summary_counts_every_log_and_writes_the_jobs() {
    let Some(dir) = logs() else { return };
    let jobs = tmp("jobs.csv");
    let out = ok(&run(&[
        "io",
        "--summary",
        &dir.to_string_lossy(),
        "--format",
        "json",
        "--threads",
        "2",
        "--jobs",
        &jobs.to_string_lossy(),
    ]));
    let s: Value = serde_json::from_str(&out).expect("JSON");
    let reference: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("reference-values.json")).expect("reference"),
    )
    .expect("JSON");
    let n = reference.as_object().expect("object").len();
    // Jobs with MPI-IO records, as PyDarshan counted them.
    let with_mpi_io = reference
        .as_object()
        .expect("object")
        .values()
        .filter(|l| l["modules"]["MPI-IO"]["n_records"].as_u64().unwrap_or(0) > 0)
        .count();
    assert_eq!(s["mpi_io_jobs"].as_u64(), Some(with_mpi_io as u64));
    assert!(s["collective_io_jobs"].as_u64() <= s["mpi_io_jobs"].as_u64());
    assert_eq!(s["logs"].as_u64(), Some(n as u64));
    assert_eq!(s["read"].as_u64(), Some(n as u64));
    // Every read log falls in one decade of volume and one temporality class.
    for k in ["bytes_read", "bytes_written"] {
        let total: u64 = s[k]["decades"]
            .as_array()
            .expect("decades")
            .iter()
            .map(|x| x.as_u64().expect("n"))
            .sum();
        assert_eq!(total, n as u64, "{k}");
    }
    let classes: u64 = s["write_temporality"]
        .as_object()
        .expect("classes")
        .values()
        .map(|x| x.as_u64().expect("n"))
        .sum();
    assert_eq!(classes, n as u64);
    // One CSV row per log, in the files' order, with the issue's job fields.
    let text = std::fs::read_to_string(&jobs).expect("jobs");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().expect("header").clone();
    assert_eq!(&header[0], "file");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    assert_eq!(rows.len(), n);
    let i = header
        .iter()
        .position(|h| h == "bytes_written")
        .expect("col");
    let row = rows
        .iter()
        .find(|x| x[0].ends_with(MPI_IO_TEST))
        .expect("mpi-io-test row");
    assert_eq!(&row[i], "67109186");
    // The table names the shares the issue asks for.
    let t = ok(&run(&["io", "--summary", &dir.to_string_lossy()]));
    for s in [
        "Periodic I/O:",
        "End-only writers:",
        "Jobs with shared-file access:",
        "Jobs by volume",
    ] {
        assert!(t.contains(s), "{s} in {t}");
    }
}

#[test]
fn bad_logs_and_arguments_are_named() {
    // A missing file.
    let out = run(&["io", "/nonexistent/job.darshan"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/job.darshan"), "{err}");
    // Not a Darshan log: named, with the place.
    let junk = tmp("junk.darshan");
    std::fs::write(
        &junk,
        "this is not a darshan log, only some text that is long enough",
    )
    .expect("w");
    let out = run(&["io", &junk.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("junk.darshan"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.stdout.is_empty(), "nothing printed for a bad log");
    // A folder given as a log; a folder without logs; a folder of unreadable logs only: its
    // summary counts them and has no quantiles (null, not zeros that were never measured).
    let empty = tmp("no-logs");
    std::fs::create_dir_all(&empty).expect("dir");
    let out = run(&["io", &empty.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a folder"));
    let out = run(&["io", "--summary", &empty.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no *.darshan file"));
    let bad_only = tmp("bad-only");
    std::fs::create_dir_all(&bad_only).expect("dir");
    std::fs::write(bad_only.join("x.darshan"), "junk").expect("w");
    let v = json(&[
        "io",
        "--summary",
        &bad_only.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert_eq!((v["logs"].as_u64(), v["read"].as_u64()), (Some(1), Some(0)));
    assert!(
        v["bytes_read"]["quantiles"].is_null() && v["io_share"].is_null(),
        "{v}"
    );
    // --partition without a size; --summary on a file.
    let Some(dir) = logs() else { return };
    let log = dir.join(MPI_IO_TEST).to_string_lossy().into_owned();
    let out = run(&["io", &log, "--center", "jean-zay", "--partition", "cpu_p1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--nodes, --cores or --gpus"));
    let out = run(&["io", "--summary", &log]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected a folder"));
    // A truncated log among good ones: the summary counts it as not read, with its error.
    let d = tmp("mixed");
    std::fs::create_dir_all(&d).expect("dir");
    let bytes = std::fs::read(&log).expect("log");
    std::fs::write(d.join("good.darshan"), &bytes).expect("w");
    std::fs::write(d.join("cut.darshan"), &bytes[..bytes.len() / 2]).expect("w");
    let out = ok(&run(&[
        "io",
        "--summary",
        &d.to_string_lossy(),
        "--format",
        "json",
    ]));
    let s: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!((s["logs"].as_u64(), s["read"].as_u64()), (Some(2), Some(1)));
    let f = &s["failures"][0];
    assert!(
        f["file"].as_str().expect("file").ends_with("cut.darshan"),
        "{f}"
    );
    assert!(!f["error"].as_str().expect("error").is_empty());
}

#[test]
fn several_logs_give_an_array_and_csv_rows() {
    let Some(dir) = logs() else { return };
    let a = dir.join(MPI_IO_TEST).to_string_lossy().into_owned();
    let b = dir
        .join("dlio_logs/snyder_python3_id3116902-2110365_12-19-66957-188958432683465822_1.darshan")
        .to_string_lossy()
        .into_owned();
    let v: Value = json(&["io", &a, &b, "--format", "json"]);
    assert_eq!(v.as_array().map(|x| x.len()), Some(2));
    assert_eq!(v[1]["temporality"]["write"]["class"], "end");
    let csv_text = ok(&run(&["io", &a, &b, "--format", "csv"]));
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header = r.headers().expect("header").clone();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    let w = header
        .iter()
        .position(|h| h == "write_temporality")
        .expect("col");
    assert_eq!(&rows[1][w], "end");
    let t = ok(&run(&["io", &a, &b]));
    assert_eq!(t.matches("Darshan log ").count(), 2);
}

/// Over a folder, bytes are summed per tier (the model is linear in them) and the waiting is
/// costed one core per process: two copies of mpi-io-test give twice one log's storage share, and
/// `impacts job --cores 1` for their process-hours.
#[test]
fn a_summary_with_a_center_sums_the_storage_share_and_the_waiting() {
    let Some(dir) = logs() else { return };
    let c = center_file("center-summary.toml");
    let d = tmp("two-copies");
    std::fs::create_dir_all(&d).expect("dir");
    let log = dir.join(MPI_IO_TEST);
    for name in ["a.darshan", "b.darshan"] {
        std::fs::copy(&log, d.join(name)).expect("copy");
    }
    let one: Value = json(&[
        "io",
        &log.to_string_lossy(),
        "--center",
        &c,
        "--samples",
        "0",
        "--format",
        "json",
    ]);
    let s: Value = json(&[
        "io",
        "--summary",
        &d.to_string_lossy(),
        "--center",
        &c,
        "--partition",
        "cpu",
        "--samples",
        "0",
        "--format",
        "json",
    ]);
    let f = &s["footprint"];
    let home = f["storage"]
        .as_array()
        .expect("storage")
        .iter()
        .find(|t| t["attributed_to"] == "tier home")
        .expect("tier home");
    assert_eq!(home["jobs"].as_u64(), Some(2));
    assert_eq!(home["bytes_read"].as_f64(), Some(2.0 * 67_108_864.0));
    let per_log = one["footprint"]["storage"]
        .as_array()
        .expect("storage")
        .iter()
        .find(|t| t["mount"] == "/home")
        .expect("/home")["impacts"]
        .clone();
    for k in ["gwp", "adpe", "pe"] {
        let (x, y) = (
            home["impacts"][k]["value"].as_f64().expect("summary"),
            per_log[k]["value"].as_f64().expect("log"),
        );
        assert!((x - 2.0 * y).abs() <= 1e-12 * x, "{k}: {x} vs 2 × {y}");
    }
    // Waiting: 2 logs × 4 processes × the slowest rank's I/O time.
    let share = one["time"]["io_share"].as_f64().expect("share");
    let run_time = one["job"]["run_time"].as_f64().expect("run");
    let ph = f["waiting_process_hours"].as_f64().expect("process-hours");
    assert!(
        (ph - 2.0 * 4.0 * share * run_time / 3600.0).abs() < 1e-15,
        "{ph}"
    );
    let job: Value = json(&[
        "job",
        "--center",
        &c,
        "--partition",
        "cpu",
        "--cores",
        "1",
        "--hours",
        &format!("{ph:?}"),
        "--samples",
        "0",
        "--format",
        "json",
    ]);
    for k in ["gwp", "adpe", "pe"] {
        let w = f["waiting"][k]["value"].as_f64().expect("waiting");
        let j = job["impacts"][k]["value"].as_f64().expect("job");
        assert!((w - j).abs() <= 1e-12 * j, "{k}: {w} vs {j}");
    }
    let codes: Vec<&str> = f["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert!(codes.contains(&"io.cores-from-processes"), "{codes:?}");
    // A job's size makes no sense over a folder.
    let out = run(&[
        "io",
        "--summary",
        &d.to_string_lossy(),
        "--center",
        &c,
        "--partition",
        "cpu",
        "--nodes",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// sacct lines for mpi-io-test's job (3171794, as Darshan recorded it): 2 nodes, 8 cores.
const SACCT_FOR_LOG: &str = "\
JobID|JobIDRaw|Partition|State|Elapsed|NNodes|NCPUS
3171793|3171793|cpu|COMPLETED|00:10:00|1|4
3171794|3171794|cpu|COMPLETED|00:00:01|2|8
3171794.batch|3171794.batch||COMPLETED|00:00:01|1|4
";

/// With the scheduler's records, a log's job is found by the id Darshan recorded and its nodes
/// waiting on I/O are costed with its own allocation: what `impacts job` gives for it.
#[test]
fn the_accounting_file_gives_each_job_its_allocation() {
    let Some(dir) = logs() else { return };
    let c = center_file("center-acc.toml");
    let sacct = tmp("sacct-for-log.txt");
    std::fs::write(&sacct, SACCT_FOR_LOG).expect("sacct");
    let acc = sacct.to_string_lossy().into_owned();
    let log = dir.join(MPI_IO_TEST).to_string_lossy().into_owned();
    let v: Value = json(&[
        "io",
        &log,
        "--center",
        &c,
        "--accounting",
        &acc,
        "--samples",
        "0",
        "--format",
        "json",
    ]);
    let w = &v["footprint"]["waiting"];
    assert_eq!(w["allocation"], format!("{acc} job 3171794"));
    let hours = w["hours"].as_f64().expect("hours");
    let job: Value = json(&[
        "job",
        "--center",
        &c,
        "--partition",
        "cpu",
        "--nodes",
        "2",
        "--cores",
        "8",
        "--hours",
        &format!("{hours:?}"),
        "--samples",
        "0",
        "--format",
        "json",
    ]);
    for k in ["gwp", "adpe", "pe"] {
        let (x, y) = (
            w["impacts"][k]["value"].as_f64().expect("waiting"),
            job["impacts"][k]["value"].as_f64().expect("job"),
        );
        assert!((x - y).abs() <= 1e-12 * y, "{k}: {x} vs {y}");
    }
    // Over a folder of two copies: one allocation, twice the hours.
    let d = tmp("acc-two");
    std::fs::create_dir_all(&d).expect("dir");
    for name in ["a.darshan", "b.darshan"] {
        std::fs::copy(dir.join(MPI_IO_TEST), d.join(name)).expect("copy");
    }
    let s: Value = json(&[
        "io",
        "--summary",
        &d.to_string_lossy(),
        "--center",
        &c,
        "--accounting",
        &acc,
        "--samples",
        "0",
        "--format",
        "json",
    ]);
    assert_eq!(s["footprint"]["jobs_in_accounting"].as_u64(), Some(2));
    for k in ["gwp", "adpe", "pe"] {
        let x = s["footprint"]["waiting"][k]["value"]
            .as_f64()
            .expect("waiting");
        let y = w["impacts"][k]["value"].as_f64().expect("one");
        assert!((x - 2.0 * y).abs() <= 1e-12 * x, "{k}: {x} vs 2 × {y}");
    }
    // A job the file does not hold: said, and not costed without --partition.
    let other = tmp("sacct-other.txt");
    std::fs::write(&other, SACCT_FOR_LOG.replace("3171794", "1")).expect("sacct");
    let v: Value = json(&[
        "io",
        &log,
        "--center",
        &c,
        "--accounting",
        &other.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert!(v["footprint"].get("waiting").is_none());
    let codes: Vec<&str> = v["footprint"]["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert!(codes.contains(&"io.job-not-in-accounting"), "{codes:?}");
    // A broken accounting file is an error that names it.
    let bad = tmp("sacct-bad.txt");
    std::fs::write(
        &bad,
        "JobID|Partition|State|Elapsed|NNodes\n5|cpu|COMPLETED|01:00:00|one\n",
    )
    .expect("bad");
    let out = run(&[
        "io",
        &log,
        "--center",
        &c,
        "--accounting",
        &bad.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sacct-bad.txt:2"), "{err}");
    // Over a folder, the same error leaves no --jobs file behind, not even a partial one.
    let jobs = tmp("jobs-after-error.csv");
    let out = run(&[
        "io",
        "--summary",
        &d.to_string_lossy(),
        "--center",
        &c,
        "--accounting",
        &bad.to_string_lossy(),
        "--jobs",
        &jobs.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!jobs.exists());
    assert!(!PathBuf::from(format!("{}.part", jobs.to_string_lossy())).exists());
}

/// `impacts explain io`: each part's derivation, down to the bytes of the log and the tier's
/// figures with their sources.
#[test]
fn explain_io_shows_each_parts_derivation() {
    let Some(dir) = logs() else { return };
    let c = center_file("center-explain.toml");
    let log = dir.join(MPI_IO_TEST).to_string_lossy().into_owned();
    let t = ok(&run(&[
        "explain",
        "io",
        &log,
        "--center",
        &c,
        "--partition",
        "cpu",
        "--nodes",
        "1",
        "--samples",
        "0",
    ]));
    for s in [
        "════ storage: /home (tier home) ════",
        "════ nodes waiting on I/O ════",
        "busy drive-hours",
        "share of time the drives are busy of storage tier home = 0.250",
        "data read = 0.0671 GB",
        "storage.home.drive_throughput_mb_s from the center file",
    ] {
        assert!(t.contains(s), "{s} in {t}");
    }
    let v: Value = json(&[
        "explain",
        "io",
        &log,
        "--center",
        &c,
        "--samples",
        "0",
        "--format",
        "json",
    ]);
    let parts = v.as_array().expect("parts");
    assert_eq!(parts.len(), 1, "no --partition: storage only");
    assert!(parts[0]["report"]["explanation"]["gwp"].is_object());
    let out = run(&["explain", "io", &log, &log, "--center", &c]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("one log and --center"));
}

/// With an intensity series, the nodes waiting take the series' mean over the run, from the
/// start Darshan recorded (2025-11-08T02:44:45Z for mpi-io-test 3.5.0, inside the 02:00 hour
/// at 40 gCO2eq/kWh): their use phase is 40/44.18 of the annual French factor's (44.18 gCO2eq/kWh, Ember 2024).
#[test]
fn a_grid_series_gives_the_waiting_the_intensity_of_the_run() {
    let Some(dir) = logs() else { return };
    let c = center_file("center-grid.toml");
    let series = tmp("grid.csv");
    std::fs::write(
        &series,
        "timestamp,gco2eq_per_kwh\n2025-11-08T01:00:00Z,500\n2025-11-08T02:00:00Z,40\n2025-11-08T03:00:00Z,600\n",
    )
    .expect("series");
    let log = dir.join(MPI_IO_TEST).to_string_lossy().into_owned();
    let args = [
        "io",
        &log,
        "--center",
        &c,
        "--partition",
        "cpu",
        "--nodes",
        "1",
        "--samples",
        "0",
        "--format",
        "json",
    ];
    let annual = json(&args);
    let mut with: Vec<&str> = args.to_vec();
    let s = series.to_string_lossy().into_owned();
    with.extend(["--grid-series", &s]);
    let timed = json(&with);
    let use_gwp = |v: &Value| {
        v["footprint"]["waiting"]["phases"]["use"]["gwp"]["value"]
            .as_f64()
            .expect("use gwp")
    };
    let ratio = use_gwp(&timed) / use_gwp(&annual);
    assert!((ratio - 40.0 / 44.18).abs() < 1e-9, "{ratio}");
    // The storage share keeps the annual factor: its electricity is spread over the system's time.
    let storage_gwp = |v: &Value| {
        v["footprint"]["storage"][0]["impacts"]["gwp"]["value"]
            .as_f64()
            .expect("storage gwp")
    };
    assert_eq!(storage_gwp(&timed), storage_gwp(&annual));
    // Not with --summary (each job has its own hours).
    let out = run(&[
        "io",
        "--summary",
        &dir.to_string_lossy(),
        "--center",
        &c,
        "--grid-series",
        &s,
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// `impacts io --summary --jobs x.parquet` writes the same rows as the CSV with types: pyarrow
/// (the reference reader, installed by ci/test) reads integer counts, a UTC start, dictionary
/// categories, a list of warning codes, zstd-compressed with statistics.
#[test]
fn the_jobs_of_a_summary_read_back_in_pyarrow_with_their_types() {
    let Some(dir) = logs() else { return };
    let has = Command::new("python3")
        .args(["-c", "import pyarrow"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "pyarrow is required with CI=true"
        );
        eprintln!("notice: python3 with pyarrow is absent; skipping the Parquet round trip");
        return;
    }
    let parquet = tmp("io-jobs.parquet");
    let csv = tmp("io-jobs.csv");
    for out in [&parquet, &csv] {
        ok(&run(&[
            "io",
            "--summary",
            &dir.to_string_lossy(),
            "--threads",
            "1",
            "--jobs",
            &out.to_string_lossy(),
        ]));
    }
    let script = r#"
import csv, sys, pyarrow as pa, pyarrow.parquet as pq
f = pq.ParquetFile(sys.argv[1])
s = f.schema_arrow
cat = pa.dictionary(pa.int32(), pa.string())
for name, ty in [("file", pa.string()), ("version", cat), ("jobid", pa.int64()),
                 ("nprocs", pa.int64()), ("start_time", pa.timestamp("ms", tz="UTC")),
                 ("run_time_s", pa.float64()), ("bytes_written", pa.int64()),
                 ("read_temporality", cat), ("warnings", pa.list_(pa.string()))]:
    assert s.field(name).type == ty, (name, s.field(name).type, ty)
col = f.metadata.row_group(0).column(s.get_field_index("bytes_written"))
assert col.compression == "ZSTD" and col.statistics.has_min_max, col
rows = f.read().to_pylist()
want = list(csv.DictReader(open(sys.argv[2])))
assert len(rows) == len(want), (len(rows), len(want))
for a, b in zip(rows, want):
    assert a["file"] == b["file"], (a["file"], b["file"])
    assert str(a["bytes_written"]) == b["bytes_written"], (a["bytes_written"], b["bytes_written"])
    assert a["warnings"] == [w for w in b["warnings"].split(";") if w], (a["warnings"], b["warnings"])
print("ok", len(rows))
"#;
    let o = Command::new("python3")
        .args([
            "-c",
            script,
            &parquet.to_string_lossy(),
            &csv.to_string_lossy(),
        ])
        .output()
        .expect("python3");
    assert!(
        o.status.success(),
        "pyarrow: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}
