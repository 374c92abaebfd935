//! `impacts accounting` on what a real Slurm wrote. `ci/slurm/live.sh WORK OUT` starts a
//! one-node Slurm 22.05 with accounting on loopback (Debian's packages), submits a sleep, a CPU
//! burner, an array of three, a failure, a GPU job and a time-out, and writes the real `sacct -P`,
//! `sacct -p --delimiter=☃ --noheader` and `sacct --json` outputs to OUT; `.ci/run` runs it and
//! then the tests with `IMPACTS_LIVE_SLURM=OUT`.
//!
//! Checked: the job count, each job's state and elapsed time against what was submitted
//! (`submitted.tsv`: name, job id, expected state, minimum and maximum elapsed seconds, tasks),
//! and that the three formats give the same impacts, job by job and in total.
//!
//! With the cluster kept up (`IMPACTS_LIVE_KEEP=1`, as `ci/test` runs it; `SLURM_CONF` names it),
//! `impacts serve --sacct-interval` ingests it continuously: jobs submitted while the service runs
//! appear, and after a SIGKILL and a restart the store holds exactly the jobs sacct reports.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn live_dir() -> Option<PathBuf> {
    match std::env::var_os("IMPACTS_LIVE_SLURM") {
        Some(d) => {
            let d = PathBuf::from(d);
            assert!(
                d.join("sacct.json").is_file(),
                "IMPACTS_LIVE_SLURM={} lacks the outputs of ci/slurm/live.sh",
                d.display()
            );
            Some(d)
        }
        None => {
            eprintln!("notice: IMPACTS_LIVE_SLURM is not set (ci/slurm/live.sh WORK OUT makes it; .ci/run does); skipping the live Slurm test");
            None
        }
    }
}

/// The CI node (ci/slurm/center.toml).
const CENTER: &str = include_str!("../../../ci/slurm/center.toml");

fn accounting(files: &[&Path], center: &Path, extra: &[&str]) -> (Vec<Value>, Value) {
    // A name of its own per call: the tests run at once, and two calls with as many options
    // once shared a file (one read the other's rows, or found it deleted).
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let jobs =
        std::env::temp_dir().join(format!("impacts-live-{}-{call}.jsonl", std::process::id()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_impacts"));
    cmd.arg("accounting");
    for f in files {
        cmd.arg(f);
    }
    let out = cmd
        .arg("--center")
        .arg(center)
        .args(["--format", "json", "--samples", "200", "--jobs"])
        .arg(&jobs)
        .args(extra)
        .output()
        .expect("run impacts");
    assert!(
        out.status.success(),
        "impacts accounting {files:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    let rows = std::fs::read_to_string(&jobs)
        .expect("jobs file")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let _ = std::fs::remove_file(&jobs);
    (rows, summary)
}

fn rel(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        a.abs()
    } else {
        ((a - b) / b).abs()
    }
}

#[test]
fn sacct_text_and_json_from_a_real_slurm() {
    let Some(d) = live_dir() else { return };
    let center =
        std::env::temp_dir().join(format!("impacts-live-center-{}.toml", std::process::id()));
    std::fs::write(&center, CENTER).expect("center file");
    let fields = std::fs::read_to_string(d.join("fields.txt")).expect("fields.txt");
    let text_args = ["--load", "50"];
    let snow_args = [
        "--fields",
        fields.trim(),
        "--delimiter",
        "☃",
        "--load",
        "50",
    ];
    let json_args = ["--input-format", "sacct-json", "--load", "50"];
    let (text, s_text) = accounting(&[&d.join("sacct-parsable2.txt")], &center, &text_args);
    let (snow, s_snow) = accounting(&[&d.join("sacct-parsable.txt")], &center, &snow_args);
    let (json, s_json) = accounting(&[&d.join("sacct.json")], &center, &json_args);

    // What was submitted.
    let submitted = std::fs::read_to_string(d.join("submitted.tsv")).expect("submitted.tsv");
    let mut expected_jobs = 0;
    for line in submitted.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (name, id, state) = (f[0], f[1], f[2]);
        let (lo, hi): (f64, f64) = (f[3].parse().expect("min"), f[4].parse().expect("max"));
        let tasks: usize = f[5].parse().expect("tasks");
        expected_jobs += tasks;
        for rows in [&text, &snow, &json] {
            let mine: Vec<&Value> = rows
                .iter()
                .filter(|r| {
                    let j = r["job_id"].as_str().unwrap_or("");
                    j == id || j.starts_with(&format!("{id}_"))
                })
                .collect();
            assert_eq!(mine.len(), tasks, "{name}: tasks");
            for r in mine {
                assert_eq!(r["state"], state, "{name}");
                let secs = r["hours"].as_f64().unwrap_or(0.0) * 3600.0;
                assert!(
                    (lo..=hi).contains(&secs),
                    "{name}: elapsed {secs} s outside [{lo}, {hi}]"
                );
                assert!(r["gwp"].as_f64().unwrap_or(0.0) > 0.0, "{name}: estimated");
            }
        }
    }
    for s in [&s_text, &s_snow, &s_json] {
        assert_eq!(s["jobs"].as_u64(), Some(expected_jobs as u64));
        assert_eq!(s["jobs_estimated"].as_u64(), Some(expected_jobs as u64));
    }
    // The GPU job is charged its GPU: it weighs more per second than the CPU-only sleeper.
    let per_s = |id: &str| {
        let r = text.iter().find(|r| r["job_id"] == id).expect("job");
        r["gwp"].as_f64().unwrap_or(0.0) / r["hours"].as_f64().unwrap_or(1.0)
    };
    let gpu_id = submitted
        .lines()
        .find(|l| l.starts_with("gpuer\t"))
        .and_then(|l| l.split('\t').nth(1))
        .expect("gpuer");
    let sleep_id = submitted
        .lines()
        .find(|l| l.starts_with("sleeper\t"))
        .and_then(|l| l.split('\t').nth(1))
        .expect("sleeper");
    assert!(per_s(gpu_id) > per_s(sleep_id));
    assert_eq!(
        text.iter()
            .find(|r| r["job_id"] == gpu_id)
            .expect("gpu job")["gpus"],
        1.0
    );

    // At the same load, the three formats give the same impacts, job by job and in total.
    for (name, other) in [("sacct -p ☃", &snow), ("sacct --json", &json)] {
        for r in &text {
            let id = r["job_id"].as_str().expect("id");
            let o = other
                .iter()
                .find(|x| x["job_id"] == id)
                .unwrap_or_else(|| panic!("{name} lacks job {id}"));
            for c in [
                "gwp",
                "gwp_low",
                "gwp_high",
                "adpe",
                "pe",
                "energy_kwh",
                "manufacturing_gwp",
                "use_gwp",
            ] {
                let (a, b) = (r[c].as_f64().expect("value"), o[c].as_f64().expect("value"));
                assert!(rel(b, a) < 1e-12, "{name}, job {id}, {c}: {b} vs {a}");
            }
        }
    }
    for s in [&s_snow, &s_json] {
        for c in ["gwp", "adpe", "pe"] {
            for k in ["value", "low", "high"] {
                let (a, b) = (
                    s_text["impacts"][c][k].as_f64().expect("v"),
                    s["impacts"][c][k].as_f64().expect("v"),
                );
                assert!(rel(b, a) < 1e-12, "{c} {k}: {b} vs {a}");
            }
        }
    }
    // Loads from the CPU time: sacct -P prints TotalCPU to the millisecond (truncated), sacct
    // --json gives the steps' microseconds; the loads agree to that precision.
    let (text_l, _) = accounting(
        &[&d.join("sacct-parsable2.txt")],
        &center,
        &["--load", "from-cputime"],
    );
    let (json_l, _) = accounting(
        &[&d.join("sacct.json")],
        &center,
        &["--load", "from-cputime"],
    );
    let burner_id = submitted
        .lines()
        .find(|l| l.starts_with("burner\t"))
        .and_then(|l| l.split('\t').nth(1))
        .expect("burner");
    for r in &text_l {
        let id = r["job_id"].as_str().expect("id");
        let o = json_l.iter().find(|x| x["job_id"] == id).expect("same job");
        let secs = r["hours"].as_f64().expect("h") * 3600.0;
        let cores = r["cores"].as_f64().expect("cores");
        let (a, b) = (
            r["cpu_load"].as_f64().expect("load"),
            o["cpu_load"].as_f64().expect("load"),
        );
        let cpu_seconds_apart = (a - b).abs() / 100.0 * secs * cores;
        assert!(
            cpu_seconds_apart <= 0.001 + 1e-9,
            "job {id}: loads {a} and {b} % differ by {cpu_seconds_apart} CPU-s"
        );
        if id == burner_id {
            assert!(a > 50.0, "the CPU burner keeps its core busy: {a} %");
        }
    }
    // The steps were folded in, not counted as jobs.
    assert!(s_text["steps"].as_u64().unwrap_or(0) >= expected_jobs as u64);
    let _ = std::fs::remove_file(&center);
}

/// A running `impacts serve` on the live cluster's accounting, with its log lines.
struct Service {
    child: std::process::Child,
    port: u16,
}

impl Service {
    fn start(db: &Path, center: &Path) -> Service {
        Service::spawn(&[
            "serve".as_ref(),
            "--db".as_ref(),
            db.as_os_str(),
            "--center".as_ref(),
            center.as_os_str(),
            "--sacct-interval".as_ref(),
            "1s".as_ref(),
            "--sacct-overlap".as_ref(),
            "10m".as_ref(),
            "--load".as_ref(),
            "50".as_ref(),
            "--trusted-user-header".as_ref(),
            "X-Remote-User".as_ref(),
            "--admin".as_ref(),
            "root".as_ref(),
        ])
    }

    /// `impacts ARGS --listen 127.0.0.1:0`, once it says where it listens.
    fn spawn(args: &[&std::ffi::OsStr]) -> Service {
        use std::io::{BufRead, BufReader};
        let mut child = Command::new(env!("CARGO_BIN_EXE_impacts"))
            .args(args)
            .args(["--listen", "127.0.0.1:0"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("impacts serve");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("-failed") {
                    eprintln!("{line}");
                }
                let _ = tx.send(line);
            }
        });
        let port = loop {
            match rx.recv_timeout(std::time::Duration::from_secs(30)) {
                Ok(l) => {
                    if let Some(url) = l.split("url=http://").nth(1) {
                        let hostport = url.split(['/', ' ']).next().unwrap_or("");
                        break hostport.rsplit(':').next().and_then(|p| p.parse().ok());
                    }
                }
                Err(_) => break None,
            }
        };
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("impacts serve did not say where it listens");
        };
        Service { child, port }
    }

    fn get(&self, path: &str) -> (u16, Value) {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Remote-User: root\r\n\r\n"
        );
        s.write_all(req.as_bytes()).expect("send");
        let mut raw = String::new();
        s.read_to_string(&mut raw).expect("read");
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, serde_json::from_str(body).unwrap_or(Value::Null))
    }

    fn jobs(&self) -> u64 {
        self.get("/healthz").1["jobs"].as_u64().unwrap_or(0)
    }

    fn state(&self, id: &str) -> String {
        self.get(&format!("/api/v1/jobs/{id}")).1["state"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_until(what: &str, seconds: u64, mut ok: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while !ok() {
        assert!(std::time::Instant::now() < deadline, "timed out: {what}");
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
}

fn sbatch(name: &str) -> String {
    let out = Command::new("sbatch")
        .args([
            "--parsable",
            "-o",
            "/dev/null",
            "-e",
            "/dev/null",
            "-J",
            name,
            "-n",
            "1",
        ])
        .args(["--wrap", "sleep 1"])
        .current_dir(std::env::temp_dir())
        .output()
        .expect("sbatch");
    assert!(
        out.status.success(),
        "sbatch: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// How many jobs `impacts accounting` counts in what sacct reports now (the reference count).
fn accounted_now(d: &Path, center: &Path) -> u64 {
    let start = std::fs::read_to_string(d.join("start.txt")).expect("start.txt");
    let fields = std::fs::read_to_string(d.join("fields.txt")).expect("fields.txt");
    let file = std::env::temp_dir().join(format!("impacts-live-now-{}.txt", std::process::id()));
    let out = Command::new("sacct")
        .args(["-P", "-a", "-S", start.trim(), "-E", "now", "--format"])
        .arg(format!("Cluster,{}", fields.trim()))
        .output()
        .expect("sacct");
    assert!(out.status.success());
    std::fs::write(&file, &out.stdout).expect("write");
    let (_, summary) = accounting(&[&file], center, &["--load", "50"]);
    let _ = std::fs::remove_file(&file);
    summary["jobs"].as_u64().expect("jobs")
}

/// `impacts serve --sacct-interval` on the live cluster: the jobs already there are ingested, a
/// job submitted while the service runs appears, the service killed (SIGKILL) and restarted
/// resumes from its watermark: the count is exact, nothing lost or doubled.
#[test]
fn continuous_ingestion_follows_the_live_slurm() {
    let Some(d) = live_dir() else { return };
    if !d.join("ready").exists() || std::env::var_os("SLURM_CONF").is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the live cluster must stay up for the tests with CI=true (ci/test sets IMPACTS_LIVE_KEEP)"
        );
        eprintln!(
            "notice: the live cluster is not up (IMPACTS_LIVE_KEEP); skipping continuous ingestion"
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("impacts-live-serve-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let center = dir.join("center.toml");
    std::fs::write(&center, CENTER).expect("center");
    let db = dir.join("jobs.db");

    let srv = Service::start(&db, &center);
    let before = accounted_now(&d, &center);
    wait_until("the jobs already run are ingested", 60, || {
        srv.jobs() >= before
    });
    assert_eq!(srv.jobs(), before);

    let first = sbatch("while-serving");
    wait_until(
        "a job submitted while the service runs appears completed",
        120,
        || srv.state(&first) == "COMPLETED",
    );

    drop(srv); // SIGKILL
    let second = sbatch("while-down");
    wait_until(
        "sacct records the job run while the service was down",
        120,
        || {
            let out = Command::new("sacct")
                .args(["-X", "-P", "-n", "-j", &second, "--format=State"])
                .output()
                .expect("sacct");
            String::from_utf8_lossy(&out.stdout).trim() == "COMPLETED"
        },
    );
    let srv = Service::start(&db, &center);
    wait_until(
        "the job run while the service was down appears",
        120,
        || srv.state(&second) == "COMPLETED",
    );
    let expected = accounted_now(&d, &center);
    wait_until("every job is in the store", 30, || srv.jobs() >= expected);
    std::thread::sleep(std::time::Duration::from_secs(3));
    assert_eq!(srv.jobs(), expected, "nothing lost, nothing doubled");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs sacctmgr with answers assumed (`-i`); its status is not checked: adding what exists
/// already fails, and the test checks what sacctmgr then lists.
fn sacctmgr(args: &[&str]) {
    let _ = Command::new("sacctmgr").arg("-i").args(args).output();
}

fn coordinators() -> String {
    let out = Command::new("sacctmgr")
        .args([
            "-nP",
            "show",
            "user",
            "withcoord",
            "format=User,Coordinators",
        ])
        .output()
        .expect("sacctmgr");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The job ids a user sees through the API, sorted.
fn seen_by(port: u16, user: &str) -> Vec<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let req = format!(
        "GET /api/v1/jobs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Remote-User: {user}\r\n\r\n"
    );
    s.write_all(req.as_bytes()).expect("send");
    let mut raw = String::new();
    s.read_to_string(&mut raw).expect("read");
    let body = raw.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let mut ids: Vec<String> = v["jobs"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|j| j["job_id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

/// `--slurm-coordinators`: a coordinator of an account in the live Slurm's database sees the jobs
/// of that account and of its sub-accounts, a user only their own; removed as coordinator in
/// Slurm, they stop seeing them at the next refresh.
#[test]
fn slurm_coordinators_see_their_accounts_jobs() {
    let Some(d) = live_dir() else { return };
    if !d.join("ready").exists() || std::env::var_os("SLURM_CONF").is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the live cluster must stay up for the tests with CI=true (ci/test sets IMPACTS_LIVE_KEEP)"
        );
        eprintln!("notice: the live cluster is not up (IMPACTS_LIVE_KEEP); skipping coordinators");
        return;
    }
    sacctmgr(&["add", "account", "impproj"]);
    sacctmgr(&["add", "account", "impsub", "parent=impproj"]);
    sacctmgr(&["add", "user", "impalice", "account=impproj"]);
    sacctmgr(&["add", "user", "impbob", "account=impsub"]);
    sacctmgr(&["add", "coordinator", "account=impproj", "names=impalice"]);
    assert!(
        coordinators()
            .lines()
            .any(|l| l.starts_with("impalice|") && l.contains("impsub")),
        "Slurm lists impalice as coordinator of impproj and impsub: {}",
        coordinators()
    );

    let dir = std::env::temp_dir().join(format!("impacts-live-coord-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let center = dir.join("center.toml");
    std::fs::write(&center, CENTER).expect("center");
    let records = dir.join("sacct.txt");
    std::fs::write(
        &records,
        "JobID|JobIDRaw|Cluster|User|Account|Partition|State|Submit|Start|End|Elapsed|NNodes|NCPUS\n\
         901|901|impactsci|impalice|impproj|debug|COMPLETED|2024-03-01T10:00:00|2024-03-01T10:00:00|2024-03-01T11:00:00|01:00:00|1|2\n\
         902|902|impactsci|impbob|impsub|debug|COMPLETED|2024-03-01T10:00:00|2024-03-01T10:00:00|2024-03-01T11:00:00|01:00:00|1|2\n\
         903|903|impactsci|impcarol|other|debug|COMPLETED|2024-03-01T10:00:00|2024-03-01T10:00:00|2024-03-01T11:00:00|01:00:00|1|2\n",
    )
    .expect("records");
    let db = dir.join("jobs.db");
    let ingest = Command::new(env!("CARGO_BIN_EXE_impacts"))
        .args(["ingest", "--quiet", "--load", "50", "--db"])
        .arg(&db)
        .arg("--center")
        .arg(&center)
        .arg(&records)
        .output()
        .expect("ingest");
    assert!(
        ingest.status.success(),
        "{}",
        String::from_utf8_lossy(&ingest.stderr)
    );
    let srv = Service::spawn(&[
        "serve".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        "--center".as_ref(),
        center.as_os_str(),
        "--trusted-user-header".as_ref(),
        "X-Remote-User".as_ref(),
        "--slurm-coordinators".as_ref(),
        "--coordinators-interval".as_ref(),
        "1s".as_ref(),
    ]);
    assert_eq!(seen_by(srv.port, "impalice"), ["901", "902"]);
    assert_eq!(seen_by(srv.port, "impbob"), ["902"]);
    assert_eq!(seen_by(srv.port, "impcarol"), ["903"]);

    sacctmgr(&["remove", "coordinator", "account=impproj", "names=impalice"]);
    wait_until(
        "the refresh takes the coordinator's accounts away",
        30,
        || seen_by(srv.port, "impalice") == ["901"],
    );
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `impacts serve --sacct-interval … --grid-pull electricitymaps:FR` on the live cluster: the
/// service pulls the last hours (from a local server answering as Electricity Maps does: 30
/// gCO2eq/kWh every hour of the last two days), and its sacct runs account the jobs of those
/// hours with them: each stored job carries what the series covered, and its use phase is its
/// electricity × 30 g.
#[test]
fn continuous_ingestion_takes_the_pulled_hours() {
    use std::io::{BufRead, BufReader, Write};
    let Some(d) = live_dir() else { return };
    if !d.join("ready").exists() || std::env::var_os("SLURM_CONF").is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the live cluster must stay up for the tests with CI=true (ci/test sets IMPACTS_LIVE_KEEP)"
        );
        eprintln!("notice: the live cluster is not up (IMPACTS_LIVE_KEEP); skipping the grid pull");
        return;
    }
    // The local service: every request answered with the 48 hours before now at 30 g.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let now = jiff::Timestamp::now().as_second() / 3600 * 3600;
            let rows: Vec<String> = (0..49)
                .map(|k| {
                    let t = jiff::Timestamp::from_second(now - (48 - k) * 3600).expect("t");
                    format!(
                        r#"{{"zone":"FR","carbonIntensity":30,"datetime":"{t}","emissionFactorType":"lifecycle","isEstimated":false}}"#
                    )
                })
                .collect();
            let body = format!(r#"{{"zone":"FR","history":[{}]}}"#, rows.join(","));
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let dir = std::env::temp_dir().join(format!("impacts-live-grid-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let center = dir.join("center.toml");
    std::fs::write(&center, CENTER).expect("center");
    let db = dir.join("jobs.db");
    let job = sbatch("under-the-grid");
    // Killed when dropped, also when the test fails.
    struct Killed(std::process::Child);
    impl Drop for Killed {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let child = Killed(
        Command::new(env!("CARGO_BIN_EXE_impacts"))
            .args(["serve", "--db"])
            .arg(&db)
            .arg("--center")
            .arg(&center)
            .args([
                "--sacct-interval",
                "1s",
                "--sacct-since",
                "1d",
                "--grid-pull",
                "electricitymaps:FR",
                "--listen",
                "127.0.0.1:0",
            ])
            .env("IMPACTS_ELECTRICITYMAPS_URL", &url)
            .env("ELECTRICITYMAPS_TOKEN", "live-token")
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("impacts serve"),
    );
    let covered = |id: &str| -> Option<(f64, f64, f64)> {
        let conn = rusqlite::Connection::open(&db).ok()?;
        conn.query_row(
            "SELECT grid_node_hours, use_gwp, energy_with_overhead_kwh FROM jobs WHERE job_id = ?1 AND state = 'COMPLETED'",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .ok()
    };
    wait_until(
        "the job is stored with what the pulled hours covered",
        120,
        || covered(&job).is_some_and(|c| c.0 > 0.0),
    );
    drop(child);
    let (_, use_gwp, energy) = covered(&job).expect("the job");
    // The job ran within the pulled hours: its use phase is its electricity × 30 g.
    assert!(
        (use_gwp / energy - 30.0).abs() < 1e-6,
        "{use_gwp} / {energy}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
