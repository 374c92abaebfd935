//! `impacts bench`: ReFrame results joined to the scheduler's records of their jobs, and
//! regressions flagged with a non-zero exit.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn impacts(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_impacts"))
        .args(args)
        .output()
        .unwrap()
}

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("impacts-bench-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }
    fn file(&self, name: &str, text: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A ReFrame 4 perflog of four runs: jobs 101 and 102 are in the scheduler's records, 103 too but
/// without a duration, 999 is not.
const PERFLOG: &str = "\
job_completion_time|jobid|name|system|partition|environ|result|job_nodelist|ns_day_value|ns_day_unit|ns_day_ref|ns_day_lower_thres|ns_day_upper_thres
2024-03-01T12:00:00+00:00|101|Gromacs %nodes=1|jz|cpu_p1|gnu|pass|r1i0n1|40.0|ns/day|0|None|None
2024-03-01T13:00:00+00:00|102|Gromacs %nodes=2|jz|cpu_p1|gnu|pass|r1i0n1,r1i0n2|75.0|ns/day|0|None|None
2024-03-01T14:00:00+00:00|999|Gromacs %nodes=4|jz|cpu_p1|gnu|pass|r1i0n1|120.0|ns/day|0|None|None
2024-03-01T15:00:00+00:00|103|Gromacs %nodes=8|jz|cpu_p1|gnu|pass|r1i0n1|0.5|ns/day|0|None|None
";

/// Their jobs: 101 measured by the scheduler (7,200,000 J = 2 kWh), 102 not.
const SACCT: &str = "\
JobID|Cluster|User|Account|Partition|State|Submit|Start|End|Elapsed|NNodes|NCPUS|ConsumedEnergyRaw
101|jz|alice|p1|cpu_p1|COMPLETED|2024-03-01T10:00:00|2024-03-01T10:00:00|2024-03-01T12:00:00|02:00:00|1|40|7200000
102|jz|alice|p1|cpu_p1|COMPLETED|2024-03-01T11:00:00|2024-03-01T11:00:00|2024-03-01T13:00:00|02:00:00|2|80|
103|jz|alice|p1|cpu_p1|FAILED|2024-03-01T15:00:00|2024-03-01T15:00:00|2024-03-01T15:00:00|00:00:00|8|320|
";

#[test]
fn runs_are_joined_to_their_jobs_footprint() {
    let dir = Dir::new("join");
    let perflog = dir.file("Gromacs.log", PERFLOG);
    let sacct = dir.file("sacct.txt", SACCT);
    let v = json(&impacts(&[
        "bench",
        "report",
        &perflog,
        "--accounting",
        &sacct,
        "--center",
        "jean-zay",
        "--format",
        "json",
    ]));
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 4);
    for r in runs {
        for k in ["system", "partition", "jobid", "time", "perf"] {
            assert!(!r[k].is_null(), "{k} in {r}");
        }
    }
    // The measured job: its energy is the scheduler's, 2 kWh.
    let f = &runs[0]["footprint"];
    assert_eq!(f["energy_source"], "measured");
    assert!((f["energy_kwh"].as_f64().unwrap() - 2.0).abs() < 1e-12);
    // The modelled job: the footprint `impacts accounting` gives the same job, bounds included.
    let jobs = dir.0.join("jobs.jsonl");
    let out = impacts(&[
        "accounting",
        &sacct,
        "--center",
        "jean-zay",
        "--job-samples",
        "200",
        "--jobs",
        jobs.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&jobs).unwrap();
    let job102: Value = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|j| j["job_id"] == "102")
        .unwrap();
    let f = &runs[1]["footprint"];
    assert_eq!(f["energy_source"], "model");
    // The per-job file writes six significant digits.
    let close = |a: &Value, b: &Value| {
        let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
        (a - b).abs() <= 1e-5 * b.abs()
    };
    assert!(close(&f["energy_kwh"], &job102["energy_kwh"]));
    for (mine, theirs) in [("value", "gwp"), ("low", "gwp_low"), ("high", "gwp_high")] {
        assert!(
            close(&f["impacts"]["gwp"][mine], &job102[theirs]),
            "{mine}: {f} {job102}"
        );
    }
    // gCO2eq per ns simulated: 75 ns/day for the job's 2 hours is 6.25 ns.
    let per = &f["per_unit"][0];
    assert_eq!(
        (per["variable"].as_str(), per["unit"].as_str()),
        (Some("ns_day"), Some("ns"))
    );
    assert!((per["work"].as_f64().unwrap() - 6.25).abs() < 1e-12);
    let want = f["impacts"]["gwp"]["value"].as_f64().unwrap() / 6.25;
    assert!((per["gwp"].as_f64().unwrap() - want).abs() <= 1e-12 * want);
    // No record for job 999: no footprint, and a counted warning.
    assert!(runs[2]["footprint"].is_null());
    let w = v["warnings"].as_array().unwrap();
    assert!(
        w.iter()
            .any(|w| w["code"] == "bench.no-record" && w["count"] == 1),
        "{w:?}"
    );
    // Job 103 is in the records but has no duration: no footprint, said apart.
    assert!(runs[3]["footprint"].is_null());
    let not_estimated = |w: &Value| w["code"] == "bench.job-not-estimated" && w["count"] == 1;
    assert!(w.iter().any(not_estimated), "{w:?}");
    // The CSV has a row per value with the same numbers.
    let out = impacts(&[
        "bench",
        "report",
        &perflog,
        "--accounting",
        &sacct,
        "--center",
        "jean-zay",
        "--format",
        "csv",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(&rows[0][14], "2");
}

/// A history of ten runs near 100 ns/day, then one at 70: `bench check` exits 1 naming the run,
/// the variable and the history; without the last run it exits 0.
#[test]
fn a_regression_injected_in_a_history_is_flagged() {
    let dir = Dir::new("check");
    let mut text = String::from(
        "job_completion_time|jobid|name|system|partition|environ|ns_day_value|ns_day_unit|ns_day_ref|ns_day_lower_thres|ns_day_upper_thres\n",
    );
    let history = [
        100.0, 101.0, 99.0, 100.5, 99.5, 150.0, 100.2, 99.8, 100.1, 99.9,
    ];
    for (i, v) in history.iter().enumerate() {
        text.push_str(&format!(
            "2024-03-{:02}T12:00:00+00:00|{}|Gromacs|jz|cpu_p1|gnu|{v}|ns/day|0|None|None\n",
            i + 1,
            200 + i
        ));
    }
    let good = dir.file("good.log", &text);
    let out = impacts(&["bench", "check", &good]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    text.push_str("2024-03-20T12:00:00+00:00|300|Gromacs|jz|cpu_p1|gnu|70.0|ns/day|0|None|None\n");
    let bad = dir.file("bad.log", &text);
    let out = impacts(&["bench", "check", &bad]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("REGRESSION Gromacs @jz:cpu_p1+gnu job 300"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ns_day = 70.0 ns/day is below the history band"),
        "{stdout}"
    );
    assert!(stdout.contains("of 10 earlier runs"), "{stdout}");
    let v: Value =
        serde_json::from_slice(&impacts(&["bench", "check", &bad, "--format", "json"]).stdout)
            .unwrap();
    let f = &v["flags"][0];
    assert_eq!(
        (f["variable"].as_str(), f["against"].as_str()),
        (Some("ns_day"), Some("history"))
    );
    assert_eq!(f["history_median"], 100.05);
}

#[test]
fn bad_inputs_exit_2_naming_the_place() {
    let dir = Dir::new("bad");
    let log = dir.file("x.log", "jobid|name|v_value|v_unit\n1|T|fast|s\n");
    let out = impacts(&["bench", "report", &log]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("x.log:2") && err.contains("v_value"), "{err}");
    let perflog = dir.file("ok.log", PERFLOG);
    let out = impacts(&["bench", "report", &perflog, "--accounting", &perflog]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--center"));
    let json = dir.file(
        "r.json",
        "{\"session_info\": {\"data_version\": \"9.0\"}, \"runs\": []}",
    );
    let out = impacts(&["bench", "report", &json]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("data_version"));
    let out = impacts(&["bench", "report", "/nonexistent/perflogs"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A scaling series of three node counts with their jobs: speed-up and efficiency by hand, and
/// the footprint of each point the report's own for that run.
#[test]
fn a_scaling_series_shows_what_each_doubling_cost() {
    let dir = Dir::new("scaling");
    let perflog = dir.file(
        "s.log",
        "job_completion_time|jobid|name|system|partition|environ|job_nodelist|ns_day_value|ns_day_unit|ns_day_ref|ns_day_lower_thres|ns_day_upper_thres
2024-03-01T12:00:00+00:00|101|Gromacs %nodes=1|jz|cpu_p1|gnu|n1|40.0|ns/day|0|None|None
2024-03-01T13:00:00+00:00|102|Gromacs %nodes=2|jz|cpu_p1|gnu|n1,n2|75.0|ns/day|0|None|None
2024-03-01T14:00:00+00:00|104|Gromacs %nodes=4|jz|cpu_p1|gnu|n1,n2,n3,n4|120.0|ns/day|0|None|None
",
    );
    let sacct = dir.file(
        "sacct.txt",
        "JobID|Cluster|User|Account|Partition|State|Submit|Start|End|Elapsed|NNodes|NCPUS
101|jz|alice|p1|cpu_p1|COMPLETED|2024-03-01T10:00:00|2024-03-01T10:00:00|2024-03-01T12:00:00|02:00:00|1|40
102|jz|alice|p1|cpu_p1|COMPLETED|2024-03-01T11:00:00|2024-03-01T11:00:00|2024-03-01T13:00:00|02:00:00|2|80
104|jz|alice|p1|cpu_p1|COMPLETED|2024-03-01T12:00:00|2024-03-01T12:00:00|2024-03-01T14:00:00|02:00:00|4|160
",
    );
    let args = ["--accounting", &sacct, "--center", "jean-zay"];
    let mut cmd = vec![
        "bench", "report", &perflog, "--view", "scaling", "--format", "json",
    ];
    cmd.extend(args);
    let v = json(&impacts(&cmd));
    let series = v["series"].as_array().unwrap();
    assert_eq!(series.len(), 1, "{v}");
    assert_eq!(series[0]["better"], "higher");
    let points = series[0]["points"].as_array().unwrap();
    let got: Vec<(u64, f64, f64)> = points
        .iter()
        .map(|p| {
            (
                p["nodes"].as_u64().unwrap(),
                p["speedup"].as_f64().unwrap(),
                p["efficiency"].as_f64().unwrap(),
            )
        })
        .collect();
    // 75/40 = 1.875× on 2 nodes (93.75 %), 120/40 = 3× on 4 (75 %).
    assert_eq!(got, [(1, 1.0, 1.0), (2, 1.875, 0.9375), (4, 3.0, 0.75)]);
    let mut cmd = vec!["bench", "report", &perflog, "--format", "json"];
    cmd.extend(args);
    let runs = json(&impacts(&cmd));
    for (p, r) in points.iter().zip(runs["runs"].as_array().unwrap()) {
        assert_eq!(p["gwp"], r["footprint"]["impacts"]["gwp"]["value"]);
        assert_eq!(p["energy_kwh"], r["footprint"]["energy_kwh"]);
    }
    // The table: each point's climate change beside the previous one's.
    let mut cmd = vec!["bench", "report", &perflog, "--view", "scaling"];
    cmd.extend(args);
    let out = impacts(&cmd);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("vs previous") && table.contains("93.8 %"),
        "{table}"
    );
    let g = |i: usize| points[i]["gwp"].as_f64().unwrap();
    let ratio = format!("{:.2}", g(2) / g(1));
    assert!(
        table.contains(&format!("{}×", &ratio[..4])),
        "{table} {ratio}"
    );
    // A view that is a table refuses CSV.
    let out = impacts(&[
        "bench", "report", &perflog, "--view", "latest", "--format", "csv",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// The trees: every run under its machine, application and use case, once.
#[test]
fn the_trees_hold_every_run_once() {
    let dir = Dir::new("trees");
    let perflog = dir.file("Gromacs.log", PERFLOG);
    for (view, first) in [("machines", "jz:cpu_p1+gnu"), ("applications", "Gromacs")] {
        let out = impacts(&["bench", "report", &perflog, "--view", view]);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(text.lines().next(), Some(first), "{text}");
        let runs: usize = text
            .lines()
            .filter_map(|l| {
                l.split(": ")
                    .nth(1)?
                    .split(' ')
                    .next()?
                    .parse::<usize>()
                    .ok()
            })
            .sum();
        assert_eq!(runs, PERFLOG.lines().count() - 1, "{text}");
    }
    let out = impacts(&["bench", "report", &perflog, "--view", "latest"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1 + 4, "a line per use case: {text}");
}

/// `--application-tag`: runs of two tests tagged with one application are under it; a run
/// without the tag keeps its test's name, counted.
#[test]
fn a_tag_names_the_application() {
    let dir = Dir::new("tags");
    let perflog = dir.file(
        "tagged.log",
        "\
job_completion_time|jobid|name|system|partition|environ|tags|t_value|t_unit
2024-03-01T12:00:00+00:00|1|GromacsSmall|jz|cpu_p1|gnu|bench,app:gromacs|40.0|ns/day
2024-03-01T13:00:00+00:00|2|GromacsLarge|jz|cpu_p1|gnu|app:gromacs|75.0|ns/day
2024-03-01T14:00:00+00:00|3|Hpl|jz|cpu_p1|gnu|bench|9.0|Gflops/s
",
    );
    let base = ["bench", "report", &perflog, "--view", "applications"];
    let untagged = impacts(&base);
    let text = String::from_utf8(untagged.stdout).unwrap();
    let roots = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with("warning"))
            .map(String::from)
            .collect()
    };
    assert_eq!(
        roots(&text),
        ["GromacsLarge", "GromacsSmall", "Hpl"],
        "{text}"
    );
    let out = impacts(&[&base[..], &["--application-tag", "app:"]].concat());
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(roots(&text), ["Hpl", "gromacs"], "{text}");
    let all = format!("{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        all.contains("bench.application-untagged") && all.contains("tagged.log:4"),
        "{all}"
    );
    // In JSON each tagged run says its application.
    let out = impacts(&[
        "bench",
        "report",
        &perflog,
        "--format",
        "json",
        "--application-tag",
        "app:",
    ]);
    let runs = json(&out)["runs"].as_array().unwrap().clone();
    let apps: Vec<&str> = runs
        .iter()
        .map(|r| r["application"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(apps, ["gromacs", "gromacs", "-"]);
}

/// Runs without a record, estimated from their nodes and ReFrame's run time: the same footprint
/// as `impacts job` gives that many nodes for that long; a partition the center lacks is said.
#[test]
fn runs_without_a_record_are_estimated_from_their_run() {
    let dir = Dir::new("estimate");
    let report = dir.file(
        "report.json",
        r#"{"session_info": {"data_version": "3.1", "time_end": "2024-03-01T12:00:00+0000"},
 "runs": [{"testcases": [
  {"name": "Stream %n=2", "system": "jz:cpu_p1", "environment": "gnu", "jobid": "555",
   "nodelist": ["r1", "r2"], "time_run": 5400.0, "result": "success",
   "perfvars": [{"name": "triad", "value": 80.5, "unit": "GB/s", "reference": 0,
                 "thres_lower": null, "thres_upper": null}]},
  {"name": "Stream %n=1", "system": "jz:nowhere", "environment": "gnu", "jobid": "556",
   "nodelist": ["r1"], "time_run": 60.0, "result": "success",
   "perfvars": [{"name": "triad", "value": 40.0, "unit": "GB/s", "reference": 0,
                 "thres_lower": null, "thres_upper": null}]}]}]}"#,
    );
    let v = json(&impacts(&[
        "bench",
        "report",
        &report,
        "--center",
        "jean-zay",
        "--estimate-missing",
        "--format",
        "json",
    ]));
    let runs = v["runs"].as_array().unwrap();
    let f = &runs[0]["footprint"];
    assert_eq!(f["energy_source"], "estimated");
    let job = json(&impacts(&[
        "job",
        "--center",
        "jean-zay",
        "--partition",
        "cpu_p1",
        "--nodes",
        "2",
        "--hours",
        "1.5",
        "--samples",
        "200",
        "--format",
        "json",
    ]));
    assert_eq!(f["impacts"]["gwp"]["value"], job["impacts"]["gwp"]["value"]);
    assert_eq!(f["impacts"]["gwp"]["high"], job["impacts"]["gwp"]["high"]);
    assert_eq!(f["energy_kwh"], job["quantities"]["it_energy"]["value"]);
    assert!(runs[1]["footprint"].is_null());
    let codes: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"bench.estimated-from-run") && codes.contains(&"bench.partition-unknown"),
        "{codes:?}"
    );
    // Without --center there is nothing to estimate on.
    let out = impacts(&["bench", "report", &report, "--estimate-missing"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A folder's files that are not ReFrame's are skipped and said; named, they are an error. A
/// run whose job id is a job of another time is not joined to it.
#[test]
fn strangers_in_folders_and_jobs_of_another_time() {
    let dir = Dir::new("strangers");
    let folder = dir.0.join("prefix");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("Gromacs.log"), PERFLOG).unwrap();
    std::fs::write(
        folder.join("reframe.log"),
        "[2024-03-01T12:00:00] info: reframe: starting\n",
    )
    .unwrap();
    std::fs::write(folder.join("spec.json"), "{\"spec\": {}}").unwrap();
    let out = impacts(&[
        "bench",
        "report",
        folder.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v = json(&out);
    assert_eq!(v["runs"].as_array().unwrap().len(), 4);
    let skipped = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "bench.file-skipped")
        .unwrap();
    assert_eq!(skipped["count"], 2);
    let out = impacts(&[
        "bench",
        "report",
        folder.join("reframe.log").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    // Job 101 ended on 2024-03-01; a run of the same id a year later is another job.
    let later = dir.file(
        "later.log",
        "job_completion_time|jobid|name|system|partition|environ|x_value|x_unit
2025-03-01T12:00:00+00:00|101|T|jz|cpu_p1|gnu|1.0|s
",
    );
    let sacct = dir.file("sacct.txt", SACCT);
    let v = json(&impacts(&[
        "bench",
        "report",
        &later,
        "--accounting",
        &sacct,
        "--center",
        "jean-zay",
        "--format",
        "json",
    ]));
    assert!(v["runs"][0]["footprint"].is_null());
    assert!(v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["code"] == "bench.job-mismatch"));
}

/// `bench ingest`: the runs into the service's database, once; again, nothing changes; the runs
/// stored are the runs read.
#[test]
fn runs_are_ingested_once() {
    let dir = Dir::new("ingest");
    let perflog = dir.file("Gromacs.log", PERFLOG);
    let db = format!("sqlite:{}", dir.0.join("jobs.db").display());
    let out = impacts(&["bench", "ingest", &perflog, "--db", &db]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("4 runs read, 4 new or changed"));
    let out = impacts(&["bench", "ingest", &perflog, "--db", &db]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("4 runs read, 0 new or changed"));
    let conn = rusqlite::Connection::open(dir.0.join("jobs.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT jobid, run FROM bench_runs ORDER BY jobid")
        .unwrap();
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ["101", "102", "103", "999"]
    );
    let report = json(&impacts(&["bench", "report", &perflog, "--format", "json"]));
    let first: Value = serde_json::from_str(&rows[0].1).unwrap();
    let read = &report["runs"][0];
    for k in [
        "test",
        "system",
        "partition",
        "environ",
        "jobid",
        "time",
        "perf",
        "params",
    ] {
        assert_eq!(first[k], read[k], "{k}");
    }
    // A database that cannot be opened fails as `impacts ingest` does, naming it.
    let out = impacts(&["bench", "ingest", &perflog, "--db", "/nonexistent/dir/x.db"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/dir/x.db"));
}
