//! `impacts accounting` as users run it: summary shapes, the per-job stream, standard input,
//! real files, and bad input.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_impacts"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("impacts-cli-acc-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d.join(name)
}

fn write(name: &str, text: &str) -> String {
    let p = tmp(name);
    std::fs::write(&p, text).expect("write");
    p.to_string_lossy().into_owned()
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run impacts")
}

fn run_stdin(args: &[&str], input: &str) -> Output {
    let mut c = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    c.stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("feed");
    c.wait_with_output().expect("wait")
}

const SACCT: &str = "\
JobID|User|Account|Partition|State|Start|End|Elapsed|NNodes|NCPUS|AllocTRES
1|ann|p1|cpu_p1|COMPLETED|2024-03-01T10:00:00|2024-03-01T12:00:00|02:00:00|1|40|cpu=40,node=1
1.batch||||COMPLETED|2024-03-01T10:00:00|2024-03-01T12:00:00|02:00:00|1|40|cpu=40,node=1
2|bob|p2|gpu_p6|TIMEOUT|2024-03-02T10:00:00|2024-03-02T11:00:00|01:00:00|1|96|cpu=96,gres/gpu:h100=4,node=1
3|ann|p1|cpu_p1|CANCELLED by 1234|2024-03-03T10:00:00|2024-03-03T10:30:00|00:30:00|1|20|cpu=20,node=1
";

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

#[test]
fn summary_json_has_totals_groups_and_shares() {
    let f = write("a.txt", SACCT);
    let out = run(&[
        "accounting",
        &f,
        "--center",
        "jean-zay",
        "--format",
        "json",
        "--samples",
        "200",
    ]);
    let v: Value = serde_json::from_str(&ok(&out)).expect("JSON");
    assert_eq!(v["jobs"], 3);
    assert_eq!(v["steps"], 1);
    for (c, unit) in [("gwp", "gCO2eq"), ("adpe", "gSbeq"), ("pe", "MJ")] {
        let e = &v["impacts"][c];
        assert_eq!(e["unit"], unit);
        let (x, lo, hi) = (
            e["value"].as_f64().unwrap_or(0.0),
            e["low"].as_f64().unwrap_or(0.0),
            e["high"].as_f64().unwrap_or(0.0),
        );
        assert!(lo < x && x < hi && x > 0.0, "{c}: {lo} {x} {hi}");
    }
    for p in ["manufacturing", "use", "idle", "facility"] {
        assert!(
            v["phases"][p]["gwp"]["value"].as_f64().is_some(),
            "phase {p}"
        );
    }
    // Shares of the unsuccessful jobs (the timeout and the cancellation) and of users add up.
    assert_eq!(v["unsuccessful"]["jobs"], 2);
    let users = v["groups"]["user"].as_array().expect("by user");
    let share: f64 = users
        .iter()
        .map(|g| g["share"]["gwp"].as_f64().unwrap_or(0.0))
        .sum();
    assert!((share - 1.0).abs() < 1e-9, "{share}");
    assert!(v["data_bundle"].as_str().is_some_and(|h| h.len() == 64));
    let codes: Vec<&str> = v["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert!(codes.contains(&"default.load"), "{codes:?}");
}

#[test]
fn jobs_to_stdout_are_json_lines_only_and_stdin_works() {
    let out = run_stdin(
        &[
            "sacct",
            "-",
            "--center",
            "jean-zay",
            "--jobs",
            "-",
            "--samples",
            "0",
        ],
        SACCT,
    );
    let text = ok(&out);
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1]["job_id"], "2");
    assert_eq!(rows[1]["gpus"], 4.0);
    assert_eq!(rows[1]["state"], "TIMEOUT");
    assert_eq!(rows[2]["state"], "CANCELLED");
    // The summary goes to standard error, and no progress bar is drawn when not on a terminal.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Accounting of 3 jobs"), "{err}");
    assert!(!err.contains('\r'), "no progress bar when piped");
}

#[test]
fn csv_summary_and_per_job_files() {
    let f = write("b.txt", SACCT);
    let jobs = tmp("jobs.csv").to_string_lossy().into_owned();
    let summary = tmp("summary.csv").to_string_lossy().into_owned();
    let out = run(&[
        "accounting",
        &f,
        "--center",
        "jean-zay",
        "--jobs",
        &jobs,
        "--summary",
        &summary,
        "--format",
        "csv",
        "--group-by",
        "state,day",
        "--samples",
        "0",
    ]);
    assert!(ok(&out).is_empty(), "everything went to the files");
    let s = std::fs::read_to_string(&summary).expect("summary");
    let mut rdr = csv::Reader::from_reader(s.as_bytes());
    let h = rdr.headers().expect("header").clone();
    assert_eq!(&h[0], "section");
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("row")).collect();
    assert_eq!(&rows[0][0], "total");
    assert!(rows.iter().any(|r| &r[0] == "day" && &r[1] == "2024-03-02"));
    assert!(rows
        .iter()
        .any(|r| &r[0] == "state" && &r[1] == "CANCELLED"));
    let j = std::fs::read_to_string(&jobs).expect("jobs");
    assert_eq!(j.lines().count(), 4);
}

#[test]
fn table_summary_reads_like_a_report() {
    let f = write("c.txt", SACCT);
    let out = run(&["accounting", &f, "--center", "jean-zay", "--samples", "100"]);
    let t = ok(&out);
    for s in [
        "Accounting of 3 jobs on Jean Zay",
        "Manufacturing",
        "Total",
        "Top 2 by user",
        "Failed, cancelled, timed-out",
        "Warnings:",
        "[default.load] (3 jobs)",
    ] {
        assert!(t.contains(s), "lacks {s:?}:\n{t}");
    }
}

#[test]
fn real_swf_zip_with_a_default_partition() {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/swf/cloudsimplus/NASA-iPSC-1993-3.1-cln.swf.zip");
    if !d.exists() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("../shared/data is absent, and CI=true requires it");
        }
        eprintln!("notice: ../shared/data is absent; skipping");
        return;
    }
    let p = d.to_string_lossy().into_owned();
    let out = run(&[
        "accounting",
        &p,
        "--center",
        "jean-zay",
        "--default-partition",
        "cpu_p1",
        "--format",
        "json",
        "--samples",
        "0",
    ]);
    let v: Value = serde_json::from_str(&ok(&out)).expect("JSON");
    assert_eq!(v["jobs"], 18239);
    assert_eq!(v["inputs"][0]["format"], "swf");
    assert_eq!(v["inputs"][0]["compression"], "zip");
    let w = v["warnings"].as_array().expect("warnings");
    let dp = w
        .iter()
        .find(|w| w["code"] == "accounting.default-partition")
        .expect("default partition warned");
    assert_eq!(dp["count"], 18239);
    // Without a default partition, SWF's numeric queue is an error that names the way out.
    let out = run(&["accounting", &p, "--center", "jean-zay", "--samples", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown Partition") && err.contains("--default-partition"),
        "{err}"
    );
}

fn bad(args: &[&str], fragments: &[&str]) {
    let out = run(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "impacts {args:?}: {err}");
    assert!(out.stdout.is_empty(), "nothing on stdout");
    assert!(!err.contains("panicked"), "{err}");
    for f in fragments {
        assert!(
            err.contains(f),
            "impacts {args:?}: stderr lacks {f:?}:\n{err}"
        );
    }
}

#[test]
fn bad_input_is_named_and_located() {
    let f = write("d.txt", &SACCT.replace("02:00:00|1|40", "2:xx:00|1|40"));
    bad(
        &["accounting", &f, "--center", "jean-zay"],
        &[&format!("{f}:2: Elapsed: expected")],
    );
    bad(
        &[
            "accounting",
            "/nonexistent/sacct.txt",
            "--center",
            "jean-zay",
        ],
        &["/nonexistent/sacct.txt", "cannot open"],
    );
    let g = write("e.txt", SACCT);
    bad(
        &[
            "accounting",
            &g,
            "--center",
            "jean-zay",
            "--group-by",
            "user,planet",
        ],
        &["--group-by", "planet", "month"],
    );
    bad(
        &["accounting", &g, "--center", "jean-zay", "--load", "150"],
        &["--load", "150"],
    );
    bad(
        &[
            "accounting",
            &g,
            "--center",
            "jean-zay",
            "--jobs",
            "out.txt",
        ],
        &["--jobs", ".csv, .jsonl, .parquet or .arrows"],
    );
    bad(
        &[
            "accounting",
            &g,
            "--center",
            "jean-zay",
            "--input-format",
            "xml",
        ],
        &["--input-format", "sacct-json"],
    );
    bad(&["accounting", &g, "--center", "nowhere"], &["nowhere"]);
    bad(
        &[
            "accounting",
            &g,
            "--center",
            "jean-zay",
            "--fields",
            "JobID,Colour",
        ],
        &[],
    );
    let h = write("f.json", "{\"jobs\": [ {\"job_id\": 1, ");
    bad(
        &["accounting", &h, "--center", "jean-zay"],
        &[&format!("{h}:1:"), "not a sacct --json document"],
    );
    let s = write(
        "g.swf",
        "; UnixStartTime: 0\n1 0 0 10 4 -1 -1 4 -1 -1 1 1 1 -1 1 1 -1\n",
    );
    bad(
        &[
            "accounting",
            &s,
            "--center",
            "jean-zay",
            "--default-partition",
            "cpu_p1",
        ],
        &[&format!("{s}:2"), "expected 18 fields"],
    );
}

/// On a terminal (a pseudo-terminal made by `script`), a progress bar is drawn on standard error and
/// erased at the end; the summary is unchanged.
#[test]
fn progress_bar_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("notice: `script` (util-linux) is absent; skipping the terminal test");
        return;
    }
    let mut text = String::from("JobID|Partition|State|Elapsed|NNodes|NCPUS\n");
    for i in 0..70_000 {
        text.push_str(&format!("{}|cpu_p1|COMPLETED|00:10:00|1|40\n", 1000 + i));
    }
    let f = write("many.txt", &text);
    let log = tmp("typescript").to_string_lossy().into_owned();
    let cmd = format!(
        "{} accounting {f} --center jean-zay --samples 0 --format json >/dev/null",
        env!("CARGO_BIN_EXE_impacts")
    );
    let out = Command::new("script")
        .args(["-qec", &cmd, &log])
        .env("IMPACTS_PROGRESS_DELAY_MS", "0")
        .stdin(Stdio::null())
        .output()
        .expect("script");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen = std::fs::read(&log).expect("typescript");
    let seen = String::from_utf8_lossy(&seen);
    assert!(
        seen.contains("many.txt (1/1): 65536 jobs"),
        "no progress line in {seen:?}"
    );
    assert!(
        seen.contains("\r\u{1b}[2K"),
        "the line is redrawn and erased"
    );
}
