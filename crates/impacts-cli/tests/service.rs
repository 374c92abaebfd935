//! `impacts ingest` and `impacts serve` as a center runs them: real processes, real HTTP on
//! loopback, every endpoint × role, summaries equal to `impacts accounting`'s, /metrics read by
//! Prometheus' own OpenMetrics parser (Python prometheus_client), SIGKILL during an ingest,
//! SIGTERM to the service.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

const HEADER: &str =
    "JobID|JobIDRaw|Cluster|User|Account|Partition|State|Submit|Start|End|Elapsed|NNodes|NCPUS";

/// Four jobs: alice has three (proj1, proj2), bob one (proj2).
const FOUR: &str = "\
100|100|jz|alice|proj1|cpu_p1|COMPLETED|2024-03-01T10:00:00|2024-03-01T10:00:05|2024-03-01T12:00:05|02:00:00|1|40
101|101|jz|bob|proj2|cpu_p1|FAILED|2024-03-01T11:00:00|2024-03-01T11:00:05|2024-03-01T11:30:05|00:30:00|2|80
102|102|jz|alice|proj2|gpu_p5|COMPLETED|2024-03-02T08:00:00|2024-03-02T08:00:00|2024-03-02T20:00:00|12:00:00|1|64
103|103|jz|alice|proj1|cpu_p1|COMPLETED|2024-03-02T09:00:00|2024-03-02T09:00:10|2024-03-02T15:00:10|06:00:00|1|40
";

fn impacts() -> Command {
    Command::new(env!("CARGO_BIN_EXE_impacts"))
}

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("impacts-svc-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
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

fn ingest(db: &str, file: &str, extra: &[&str]) -> std::process::Output {
    impacts()
        .args([
            "ingest", "--db", db, "--center", "jean-zay", "--quiet", "--format", "json",
        ])
        .args(extra)
        .arg(file)
        .output()
        .unwrap()
}

/// A running `impacts serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    log: mpsc::Receiver<String>,
}

impl Server {
    fn start(db: &str, extra: &[&str]) -> Server {
        let mut args = vec![
            "serve",
            "--db",
            db,
            "--center",
            "jean-zay",
            "--listen",
            "127.0.0.1:0",
        ];
        args.extend_from_slice(extra);
        Server::start_with(&args)
    }

    /// `impacts` with these arguments, until it says where it listens.
    fn start_with(args: &[&str]) -> Server {
        let mut child = impacts().args(args).stderr(Stdio::piped()).spawn().unwrap();
        let (tx, rx) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let port = loop {
            let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            else {
                break None;
            };
            if let Some(url) = line.split("url=http://").nth(1) {
                let port = url.split(['/', ' ']).next().unwrap_or("");
                break port.rsplit(':').next().and_then(|p| p.parse().ok());
            }
        };
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the service did not say where it listens");
        };
        Server {
            child,
            port,
            log: rx,
        }
    }

    /// One request on its own connection: (status, body). A service refusing a body answers
    /// and closes before reading it all: the rest of the body meets a broken pipe, and the answer
    /// is read all the same.
    fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, String) {
        let (status, _, body) = self.exchange(method, path, headers, body);
        (status, body)
    }

    /// One request on its own connection: (status, head, body); a POST is JSON unless
    /// `headers` name its Content-Type.
    fn exchange(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, String, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut req =
            format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        if method == "POST" {
            if !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            {
                req.push_str("Content-Type: application/json\r\n");
            }
            req.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).unwrap();
        let _ = s.write_all(body.as_bytes());
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }

    /// GET `path` with an optional user header: (status, body).
    fn get(&self, path: &str, user: Option<&str>) -> (u16, String) {
        let h: Vec<(&str, &str)> = user.map(|u| ("X-Remote-User", u)).into_iter().collect();
        self.send("GET", path, &h, "")
    }

    /// POST a JSON body with an optional user header: (status, body).
    fn post(&self, path: &str, user: Option<&str>, body: &str) -> (u16, String) {
        let h: Vec<(&str, &str)> = user.map(|u| ("X-Remote-User", u)).into_iter().collect();
        self.send("POST", path, &h, body)
    }

    /// GET with a bearer token: (status, JSON).
    fn with_token(&self, path: &str, token: &str) -> (u16, Value) {
        let bearer = format!("Bearer {token}");
        let (status, body) = self.send("GET", path, &[("Authorization", &bearer)], "");
        (status, serde_json::from_str(&body).unwrap_or(Value::Null))
    }

    fn json(&self, path: &str, user: Option<&str>) -> (u16, Value) {
        let (status, body) = self.get(path, user);
        (status, serde_json::from_str(&body).unwrap_or(Value::Null))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn four(dir: &Dir) -> (String, String) {
    let file = dir.path("four.txt");
    std::fs::write(&file, format!("{HEADER}\n{FOUR}")).unwrap();
    let db = format!("sqlite:{}", dir.path("jobs.db"));
    let out = ingest(&db, &file, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (file, db)
}

fn job_users(v: &Value) -> Vec<String> {
    let mut u: Vec<String> = v["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["user"].as_str().unwrap().to_string())
        .collect();
    u.sort();
    u
}

/// Every endpoint × every role: anonymous, two users, an administrator.
#[test]
fn every_endpoint_answers_each_role_what_is_theirs() {
    let dir = Dir::new("roles");
    let (_, db) = four(&dir);
    let srv = Server::start(
        &db,
        &["--trusted-user-header", "X-Remote-User", "--admin", "root"],
    );

    for user in [None, Some("alice"), Some("root")] {
        let (status, v) = srv.json("/healthz", user);
        assert_eq!((status, v["jobs"].as_u64()), (200, Some(4)));
    }
    // Anonymous: no identity, 401 everywhere but health and the scraper's metrics.
    for path in [
        "/api/v1/jobs",
        "/api/v1/jobs/100",
        "/api/v1/jobs/jz/100",
        "/api/v1/summary",
    ] {
        let (status, v) = srv.json(path, None);
        assert_eq!(status, 401, "{path}");
        assert_eq!(v["error"]["code"], "unauthenticated", "{path}");
    }
    assert_eq!(srv.get("/metrics", None).0, 200);

    let (_, v) = srv.json("/api/v1/jobs", Some("alice"));
    assert_eq!(job_users(&v), ["alice", "alice", "alice"]);
    let (_, v) = srv.json("/api/v1/jobs", Some("bob"));
    assert_eq!(job_users(&v), ["bob"]);
    let (_, v) = srv.json("/api/v1/jobs", Some("root"));
    assert_eq!(v["jobs"].as_array().unwrap().len(), 4);
    // A user naming another in a filter sees nothing of theirs.
    let (_, v) = srv.json("/api/v1/jobs?user=alice", Some("bob"));
    assert!(v["jobs"].as_array().unwrap().is_empty());

    for path in ["/api/v1/jobs/100", "/api/v1/jobs/jz/100"] {
        let (status, v) = srv.json(path, Some("alice"));
        assert_eq!((status, v["job_id"].as_str()), (200, Some("100")), "{path}");
        assert_eq!(v["impacts"]["gwp"]["unit"], "gCO2eq");
        // Another user's job does not exist for bob.
        let (status, v) = srv.json(path, Some("bob"));
        assert_eq!(
            (status, v["error"]["code"].as_str()),
            (404, Some("not_found")),
            "{path}"
        );
        assert_eq!(srv.json(path, Some("root")).0, 200);
    }
    assert_eq!(srv.json("/api/v1/jobs/jz/999", Some("root")).0, 404);

    for (user, jobs) in [("alice", 3), ("bob", 1), ("root", 4), ("mallory", 0)] {
        let (status, v) = srv.json("/api/v1/summary", Some(user));
        assert_eq!(
            (status, v["total"]["jobs"].as_u64()),
            (200, Some(jobs)),
            "{user}"
        );
    }
    // Metrics: the scraper (a trusted address, no user) and administrators only.
    assert_eq!(srv.get("/metrics", Some("alice")).0, 403);
    assert_eq!(srv.get("/metrics", Some("root")).0, 200);
}

/// A header from an address that is not a trusted proxy is ignored: no one can name themselves.
#[test]
fn a_user_header_from_an_untrusted_address_is_ignored() {
    let dir = Dir::new("untrusted");
    let (_, db) = four(&dir);
    let srv = Server::start(
        &db,
        &[
            "--trusted-user-header",
            "X-Remote-User",
            "--admin",
            "root",
            "--trusted-proxy",
            "192.0.2.1",
        ],
    );
    assert_eq!(srv.json("/api/v1/jobs", Some("root")).0, 401);
    assert_eq!(srv.get("/metrics", None).0, 403);
    assert_eq!(srv.get("/healthz", None).0, 200);
}

/// Bad parameters are 400s naming the parameter; unknown endpoints 404; long queries 414.
#[test]
fn bad_parameters_are_named() {
    let dir = Dir::new("params");
    let (_, db) = four(&dir);
    let srv = Server::start(&db, &["--trusted-user-header", "X-Remote-User"]);
    for (q, field) in [
        ("/api/v1/jobs?limit=0", "limit"),
        ("/api/v1/jobs?limit=1001", "limit"),
        ("/api/v1/jobs?cursor=x", "cursor"),
        ("/api/v1/jobs?from=yesterday", "from"),
        ("/api/v1/jobs?usr=alice", "usr"),
        ("/api/v1/jobs?user=a&user=b", "user"),
        ("/api/v1/summary?group_by=planet", "group_by"),
        ("/api/v1/jobs/100?explain=maybe", "explain"),
    ] {
        let (status, v) = srv.json(q, Some("alice"));
        assert_eq!(status, 400, "{q}");
        assert_eq!(v["error"]["field"], field, "{q}");
    }
    assert_eq!(srv.json("/api/v2/jobs", Some("alice")).0, 404);
    let long = format!("/api/v1/jobs?user={}", "a".repeat(9000));
    assert_eq!(srv.get(&long, Some("alice")).0, 414);
}

/// Pages follow their cursor; filters and pages compose.
#[test]
fn pages_of_jobs_follow_the_cursor() {
    let dir = Dir::new("pages");
    let (_, db) = four(&dir);
    let srv = Server::start(
        &db,
        &["--trusted-user-header", "X-Remote-User", "--admin", "root"],
    );
    let (_, first) = srv.json("/api/v1/jobs?limit=3", Some("root"));
    assert_eq!(first["jobs"].as_array().unwrap().len(), 3);
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    let (_, second) = srv.json(
        &format!("/api/v1/jobs?limit=3&cursor={cursor}"),
        Some("root"),
    );
    assert_eq!(second["jobs"].as_array().unwrap().len(), 1);
    assert!(second["next_cursor"].is_null());
    let (_, v) = srv.json("/api/v1/jobs?account=proj2&state=failed", Some("root"));
    assert_eq!(job_users(&v), ["bob"]);
    let (_, v) = srv.json("/api/v1/jobs?from=2024-03-02", Some("root"));
    assert_eq!(v["jobs"].as_array().unwrap().len(), 2);
}

/// On the same records, `/api/v1/summary` totals and groups equal `impacts accounting`'s JSON.
#[test]
fn summary_totals_equal_impacts_accounting_on_the_same_file() {
    let dir = Dir::new("equal");
    let (file, db) = four(&dir);
    let out = impacts()
        .args([
            "accounting",
            "--center",
            "jean-zay",
            "--format",
            "json",
            "--group-by",
            "account",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let reference: Value = serde_json::from_slice(&out.stdout).unwrap();
    let srv = Server::start(
        &db,
        &["--trusted-user-header", "X-Remote-User", "--admin", "root"],
    );
    let (_, v) = srv.json("/api/v1/summary?group_by=account", Some("root"));
    let close = |a: &Value, b: &Value| {
        let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
        (a - b).abs() <= 1e-9 * b.abs()
    };
    assert_eq!(v["total"]["jobs"], reference["jobs"]);
    for k in ["gwp", "adpe", "pe"] {
        for b in ["value", "low", "high"] {
            assert!(
                close(&v["total"]["impacts"][k][b], &reference["impacts"][k][b]),
                "{k}.{b}: {} vs {}",
                v["total"]["impacts"][k][b],
                reference["impacts"][k][b]
            );
        }
    }
    for g in reference["groups"]["account"].as_array().unwrap() {
        let mine = v["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["key"] == g["key"])
            .unwrap();
        assert_eq!(mine["jobs"], g["jobs"]);
        assert!(close(
            &mine["impacts"]["gwp"]["high"],
            &g["impacts"]["gwp"]["high"]
        ));
    }
    // The total's phases are the command's, with bounds; a group's phases are central values
    // that add up to the group's impacts, and over the groups to the total's phases.
    let phases = ["manufacturing", "use", "idle", "facility"];
    for p in phases {
        for b in ["value", "low", "high"] {
            let (mine, theirs) = (
                &v["total"]["phases"][p]["gwp"][b],
                &reference["phases"][p]["gwp"][b],
            );
            assert!(close(mine, theirs), "{p}.{b}: {mine} vs {theirs}");
        }
    }
    let groups = v["groups"].as_array().unwrap();
    for k in ["gwp", "adpe", "pe"] {
        for g in groups {
            let sum: f64 = phases
                .iter()
                .map(|p| g["phases"][*p][k]["value"].as_f64().unwrap())
                .sum();
            assert!(close(&sum.into(), &g["impacts"][k]["value"]), "{k} {g}");
            assert!(g["phases"]["use"][k]["low"].is_null(), "{g}");
        }
        for p in phases {
            let sum: f64 = groups
                .iter()
                .map(|g| g["phases"][p][k]["value"].as_f64().unwrap())
                .sum();
            assert!(
                close(&sum.into(), &v["total"]["phases"][p][k]["value"]),
                "{p} {k}"
            );
        }
    }
}

/// Energy by source: two jobs measured by the scheduler (ConsumedEnergyRaw, joules), one
/// modelled; the summary's `energy_sources` split them, per group and in total. The same summary
/// and the largest jobs as CSV carry the JSON's numbers.
#[test]
fn summaries_split_measured_from_modelled_energy_and_speak_csv() {
    let dir = Dir::new("sources");
    let file = dir.path("measured.txt");
    std::fs::write(
        &file,
        "JobID|User|Account|Partition|State|Submit|Start|End|Elapsed|NNodes|NCPUS|ConsumedEnergyRaw
200|alice|proj1|cpu_p1|COMPLETED|2024-03-01T10:00:00|2024-03-01T10:00:00|2024-03-01T12:00:00|02:00:00|1|40|1800000
201|alice|proj1|cpu_p1|COMPLETED|2024-03-01T11:00:00|2024-03-01T11:00:00|2024-03-01T12:00:00|01:00:00|2|80|5400000
202|bob|proj2|cpu_p1|FAILED|2024-03-02T11:00:00|2024-03-02T11:00:00|2024-03-02T14:00:00|03:00:00|1|40|
",
    )
    .unwrap();
    let db = format!("sqlite:{}", dir.path("jobs.db"));
    let out = ingest(&db, &file, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let srv = Server::start(
        &db,
        &["--trusted-user-header", "X-Remote-User", "--admin", "root"],
    );
    let (_, v) = srv.json("/api/v1/summary?group_by=user", Some("root"));
    let sources = &v["total"]["energy_sources"];
    // 1.8 MJ + 5.4 MJ = 7.2 MJ = 2 kWh over 2 + 2 × 1 = 4 node-hours.
    assert_eq!(sources["measured"]["jobs"], 2);
    assert!((sources["measured"]["energy_kwh"].as_f64().unwrap() - 2.0).abs() < 1e-12);
    assert!((sources["measured"]["node_hours"].as_f64().unwrap() - 4.0).abs() < 1e-12);
    // Bob's job is modelled: its energy is the job's own, as the API gives it.
    let (_, jobs) = srv.json("/api/v1/jobs?user=bob", Some("root"));
    let bob = &jobs["jobs"][0];
    assert_eq!(bob["energy_source"], "model", "{bob}");
    assert_eq!(sources["modelled"]["jobs"], 1);
    assert_eq!(
        sources["modelled"]["energy_kwh"],
        bob["energy"]["energy_kwh"]
    );
    let bob_group = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == "bob")
        .unwrap();
    assert_eq!(bob_group["energy_sources"]["measured"]["jobs"], 0);
    assert_eq!(bob_group["energy_sources"]["modelled"], sources["modelled"]);

    // CSV: the same numbers, by column name.
    let (status, text) = srv.get("/api/v1/summary?group_by=user&format=csv", Some("root"));
    assert_eq!(status, 200, "{text}");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let total = &rows[0];
    assert_eq!((&total[0], &total[1]), ("total", "all"));
    let num = |r: &csv::StringRecord, c: &str| r[at(c)].parse::<f64>().unwrap();
    assert_eq!(
        num(total, "gwp_gCO2eq"),
        v["total"]["impacts"]["gwp"]["value"].as_f64().unwrap()
    );
    assert_eq!(
        num(total, "gwp_high"),
        v["total"]["impacts"]["gwp"]["high"].as_f64().unwrap()
    );
    let bob_row = rows
        .iter()
        .find(|r| &r[0] == "user" && &r[1] == "bob")
        .unwrap();
    assert_eq!(
        num(bob_row, "use_gwp_gCO2eq"),
        bob_group["phases"]["use"]["gwp"]["value"].as_f64().unwrap()
    );
    // The largest jobs, largest first, as JSON and CSV; a cursor is refused with them.
    let (_, largest) = srv.json("/api/v1/jobs?order=largest&limit=2", Some("root"));
    let gwps: Vec<f64> = largest["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["impacts"]["gwp"]["value"].as_f64().unwrap())
        .collect();
    assert_eq!(gwps.len(), 2);
    assert!(gwps[0] >= gwps[1], "{gwps:?}");
    let (_, every) = srv.json("/api/v1/jobs", Some("root"));
    let most = every["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["impacts"]["gwp"]["value"].as_f64().unwrap())
        .fold(0.0, f64::max);
    assert_eq!(gwps[0], most);
    let (status, text) = srv.get(
        "/api/v1/jobs?order=largest&limit=2&format=csv",
        Some("root"),
    );
    assert_eq!(status, 200);
    let first = text.lines().nth(1).unwrap();
    assert!(
        first.starts_with(largest["jobs"][0]["job_id"].as_str().unwrap()),
        "{text}"
    );
    let (status, body) = srv.get("/api/v1/jobs?order=largest&cursor=5", Some("root"));
    assert!(status == 400 && body.contains("cursor"), "{status} {body}");
    let (status, body) = srv.get("/api/v1/summary?format=xml", Some("root"));
    assert!(status == 400 && body.contains("format"), "{status} {body}");
}

/// True when python3 imports `module`; otherwise a notice, or a failure with CI=true (ci/test
/// installs the reference readers).
fn python_has(module: &str) -> bool {
    let has = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "python3 with {module} is required with CI=true"
        );
        eprintln!("notice: python3 cannot import {module}; skipping the check that needs it");
    }
    has
}

/// /metrics is valid OpenMetrics for Prometheus' own parser, with the counts of the store.
#[test]
fn metrics_read_by_the_prometheus_parser() {
    if !python_has("prometheus_client.openmetrics.parser") {
        return;
    }
    let dir = Dir::new("metrics");
    let (_, db) = four(&dir);
    let srv = Server::start(&db, &[]);
    let (status, text) = srv.get("/metrics", None);
    assert_eq!(status, 200);
    let script = r#"
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(sys.stdin.read())}
jobs = sum(s.value for s in fams["impacts_jobs"].samples)
gwp = sum(s.value for s in fams["impacts_gwp_grams"].samples)
assert fams["impacts_gwp_grams"].type == "counter" and fams["impacts_gwp_grams"].unit == "grams"
assert all(set(s.labels) == {"partition", "account"} for s in fams["impacts_jobs"].samples)
print(int(jobs), gwp, len(fams))
"#;
    let mut py = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    py.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = py.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    let mut f = said.split_whitespace();
    assert_eq!(f.next(), Some("4"), "{said}");
    let gwp: f64 = f.next().unwrap().parse().unwrap();
    let (_, summary) = srv.json("/api/v1/summary", None);
    assert_eq!(summary["error"]["code"], "unauthenticated");
    assert!(gwp > 0.0);
}

fn count(db: &Path) -> i64 {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    c.query_row("SELECT COUNT(*) FROM jobs", [], |r| r.get(0))
        .unwrap_or(0)
}

/// An ingest killed with SIGKILL leaves whole batches; the same ingest again gives the exact
/// count.
#[test]
fn an_ingest_killed_with_sigkill_and_run_again_gives_the_exact_count() {
    let dir = Dir::new("sigkill");
    let file = dir.path("many.txt");
    let mut body = String::from(HEADER);
    body.push('\n');
    let total = 200_000;
    for i in 0..total {
        body.push_str(&format!(
            "{id}|{id}|jz|user{u}|proj{a}|cpu_p1|COMPLETED|2024-03-01T10:00:00|2024-03-01T10:00:05|2024-03-01T12:00:05|02:00:00|1|40\n",
            id = 1_000_000 + i,
            u = i % 37,
            a = i % 5
        ));
    }
    std::fs::write(&file, body).unwrap();
    let db_path = dir.0.join("jobs.db");
    let db = format!("sqlite:{}", db_path.display());
    let batch = 1000;
    let mut child = impacts()
        .args([
            "ingest",
            "--db",
            &db,
            "--center",
            "jean-zay",
            "--quiet",
            "--batch",
            &batch.to_string(),
        ])
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while db_path.exists() && count(&db_path) == 0 || !db_path.exists() {
        assert!(Instant::now() < deadline, "nothing was committed");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let after_kill = count(&db_path);
    if after_kill == total {
        eprintln!("notice: the ingest finished before it was killed; the count is still checked");
    } else {
        assert_eq!(after_kill % batch, 0, "only whole batches: {after_kill}");
    }
    let out = ingest(&db, &file, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(&db_path), total);
}

/// SIGTERM ends the service cleanly: exit 0, a shutdown logged.
#[test]
fn the_service_shuts_down_on_sigterm() {
    let dir = Dir::new("sigterm");
    let (_, db) = four(&dir);
    let mut srv = Server::start(&db, &[]);
    assert_eq!(srv.get("/healthz", None).0, 200);
    let pid = srv.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = srv.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let logged: Vec<String> = srv.log.try_iter().collect();
    assert!(
        logged.iter().any(|l| l.contains("event=shutdown")),
        "{logged:?}"
    );
}

/// What cannot be served is refused before anything starts, naming the flag.
#[test]
fn bad_service_arguments_exit_2_naming_them() {
    let dir = Dir::new("badargs");
    let (file, db) = four(&dir);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "ingest",
                "--db",
                "postgres://h:port/db",
                "--center",
                "jean-zay",
                &file,
            ],
            "--db",
        ),
        (
            vec![
                "ingest", "--db", &db, "--center", "jean-zay", "--jobs", "x.csv", &file,
            ],
            "--jobs",
        ),
        (
            vec![
                "ingest", "--db", &db, "--center", "jean-zay", "--batch", "0", &file,
            ],
            "--batch",
        ),
        (
            vec![
                "ingest",
                "--db",
                &db,
                "--center",
                "jean-zay",
                "--method",
                "impacts-hpc",
                &file,
            ],
            "method",
        ),
        (
            vec![
                "serve",
                "--db",
                &db,
                "--center",
                "jean-zay",
                "--trusted-proxy",
                "localhost",
            ],
            "--trusted-proxy",
        ),
        (
            vec![
                "serve",
                "--db",
                &db,
                "--center",
                "jean-zay",
                "--trusted-user-header",
                "X Remote",
            ],
            "--trusted-user-header",
        ),
        (
            vec![
                "serve",
                "--db",
                &db,
                "--center",
                "jean-zay",
                "--slurm-coordinators",
                "--coordinators-interval",
                "0s",
            ],
            "--coordinators-interval",
        ),
    ];
    for (args, named) in cases {
        let out = impacts().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(named), "{args:?}: {err}");
    }
    // Coordinators asked for and not readable: the service does not start without them.
    let out = impacts()
        .args([
            "serve",
            "--db",
            &db,
            "--center",
            "jean-zay",
            "--slurm-coordinators",
        ])
        .args(["--sacctmgr-command", "/nonexistent/sacctmgr"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("/nonexistent/sacctmgr"), "{err}");
}

/// A workflow of bundled centers only (a workflow sent to the service may name no file).
const WORKFLOW: &str = r#"name = "simulate and ship"

[stages.simulate]
job = { center = "jean-zay", partition = "gpu_p6", nodes = 16, hours = 24, load = 80 }

[stages.ship]
after = ["simulate"]
transfer = { volume = "20TB", from = "FR", to = "DE" }
"#;

#[test]
fn workflows_are_the_command_line_s_reports_and_read_no_file() {
    let dir = Dir::new("workflow");
    let (_, db) = four(&dir);
    let srv = Server::start(&db, &["--open-estimates"]);
    let file = dir.path("w.toml");
    std::fs::write(&file, WORKFLOW).unwrap();
    let cli = impacts()
        .args([
            "workflow",
            &file,
            "--format",
            "json",
            "--samples",
            "200",
            "--seed",
            "3",
        ])
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let mut expected: Value = serde_json::from_slice(&cli.stdout).unwrap();
    // The one difference: the CLI names the file, the service the field it came in.
    assert_eq!(expected["file"], file.as_str());
    expected["file"] = "workflow".into();
    let as_text = serde_json::json!({"workflow": WORKFLOW, "samples": 200, "seed": 3});
    let table: toml::Value = toml::from_str(WORKFLOW).unwrap();
    let as_object = serde_json::json!({"workflow": table, "samples": 200, "seed": 3});
    for body in [as_text, as_object] {
        let (status, text) = srv.post("/api/v1/estimate/workflow", None, &body.to_string());
        assert_eq!(status, 200, "{text}");
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), expected);
    }
    // Files of the server's machine cannot be named: a center, an accounting file, a series.
    let secret = dir.path("secret.toml");
    std::fs::write(&secret, "name = \"TOP SECRET\"\n").unwrap();
    for stage in [
        format!(r#"job = {{ center = "{secret}", partition = "p", hours = 1 }}"#),
        format!(r#"job = {{ center = "jean-zay", accounting = "{secret}", job_id = "1" }}"#),
        format!(
            r#"job = {{ center = "jean-zay", partition = "gpu_p6", hours = 1, start = "2024-01-01T00:00:00Z", grid_series = "{secret}" }}"#
        ),
    ] {
        let w = format!("name = \"w\"\n[stages.a]\n{stage}\n");
        let body = serde_json::json!({ "workflow": w }).to_string();
        let (status, text) = srv.post("/api/v1/estimate/workflow", None, &body);
        assert_eq!(status, 422, "{stage}: {text}");
        assert!(text.contains("cannot name"), "{stage}: {text}");
        assert!(!text.contains("TOP SECRET"), "{stage}: {text}");
    }
    // A stage's bad input names its field within the workflow.
    let bad = WORKFLOW.replace("gpu_p6", "gpu_p99");
    let body = serde_json::json!({ "workflow": bad }).to_string();
    let (status, text) = srv.post("/api/v1/estimate/workflow", None, &body);
    assert_eq!(status, 422, "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        v["error"]["field"], "workflow.stages.simulate.partition",
        "{text}"
    );
    // Malformed TOML is located in the text sent.
    let body = serde_json::json!({ "workflow": "name = \"w\"\n[stages.a\n" }).to_string();
    let (status, text) = srv.post("/api/v1/estimate/workflow", None, &body);
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("workflow:2"), "{text}");
}

/// An estimate over HTTP is, byte for byte, what the command line prints for the same request
/// and seed; bad bodies are 4xx naming the field.
#[test]
fn estimates_are_the_command_line_s_reports() {
    let dir = Dir::new("estimate");
    let (_, db) = four(&dir);
    let srv = Server::start(&db, &["--trusted-user-header", "X-Remote-User"]);
    let cases: [(&str, &str, Vec<&str>); 3] = [
        (
            "job",
            r#"{"center": "jean-zay", "partition": "gpu_p6", "nodes": 4, "hours": 12, "load": 80, "samples": 200, "seed": 3}"#,
            vec![
                "job",
                "--center",
                "jean-zay",
                "--partition",
                "gpu_p6",
                "--nodes",
                "4",
                "--hours",
                "12",
                "--load",
                "80",
            ],
        ),
        (
            "energy",
            r#"{"energy_kwh": 1000, "zone": "FR", "samples": 200, "seed": 3}"#,
            vec!["energy", "1000kWh", "--zone", "FR"],
        ),
        (
            "component",
            r#"{"component": "cpu", "name": "AMD EPYC 7543", "samples": 200, "seed": 3}"#,
            vec!["component", "cpu", "AMD EPYC 7543"],
        ),
    ];
    for (kind, body, args) in cases {
        let (status, text) = srv.post(&format!("/api/v1/estimate/{kind}"), Some("alice"), body);
        assert_eq!(status, 200, "{kind}: {text}");
        let cli = impacts()
            .args(&args)
            .args(["--format", "json", "--samples", "200", "--seed", "3"])
            .output()
            .unwrap();
        assert!(
            cli.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&cli.stderr)
        );
        assert_eq!(
            text,
            String::from_utf8_lossy(&cli.stdout),
            "{kind}: the same bytes"
        );
    }
    // No identity: 401 (estimates are not open by default); with --open-estimates, anyone.
    let energy = r#"{"energy_kwh": 1, "zone": "FR"}"#;
    assert_eq!(srv.post("/api/v1/estimate/energy", None, energy).0, 401);
    let open = Server::start(&db, &["--open-estimates"]);
    assert_eq!(open.post("/api/v1/estimate/energy", None, energy).0, 200);
    assert_eq!(
        open.get("/api/v1/jobs", None).0,
        401,
        "only estimates are open"
    );
    for (body, field) in [
        (r#"{"energy_kwh": "lots", "zone": "FR"}"#, "energy_kwh"),
        (
            r#"{"energy_kwh": 1, "zone": "FR", "samples": 1000000}"#,
            "samples",
        ),
        (r#"{"energy_kwh": 1, "zone": "Atlantis"}"#, "zone"),
        (
            r#"{"energy_kwh": 1, "zone": "FR", "colour": "red"}"#,
            "colour",
        ),
        (
            r#"{"energy_kwh": 1, "zone": "FR", "percentiles": [90, 10]}"#,
            "percentiles",
        ),
    ] {
        let (status, text) = srv.post("/api/v1/estimate/energy", Some("alice"), body);
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert_eq!(status, 422, "{body}: {text}");
        assert_eq!(v["error"]["field"], field, "{body}: {text}");
    }
    let (status, _) = srv.post("/api/v1/estimate/energy", Some("alice"), "{not json");
    assert_eq!(status, 400);
    let (status, _) = srv.post("/api/v1/estimate/teleport", Some("alice"), "{}");
    assert_eq!(status, 404);
    // A body announced larger than 1 MiB is refused from its Content-Length, before it is sent.
    let mut c = TcpStream::connect(("127.0.0.1", srv.port)).unwrap();
    let head = format!(
        "POST /api/v1/estimate/server HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Remote-User: alice\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        2 << 20
    );
    c.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = c.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw);
    assert!(raw.starts_with("HTTP/1.1 413"), "{raw}");
}

fn token(db: &str, args: &[&str]) -> String {
    let out = impacts()
        .args(["token", "create", "--db", db])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Signing in to the dashboard with a token (no proxy in front): the form sets an HttpOnly,
/// SameSite=Strict cookie; reading requests are then the token's user's, pages and API alike;
/// the cookie is not an identity for a POST; a bad token, another site's form and signing out
/// are refused or undone.
#[test]
fn a_token_signs_a_browser_in_for_reading() {
    let dir = Dir::new("signin");
    let (_, db) = four(&dir);
    let alice = token(&db, &["--user", "alice"]);
    let srv = Server::start(&db, &[]);
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let (status, head, _) = srv.exchange("POST", "/login", &form, &format!("token={alice}"));
    assert_eq!(status, 303, "{head}");
    let cookie_line = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie_line.contains(attribute), "{cookie_line}");
    }
    let cookie = cookie_line
        .split_once(": ")
        .unwrap()
        .1
        .split(';')
        .next()
        .unwrap();
    assert_eq!(cookie, format!("impacts_token={alice}"));
    let with = [("Cookie", cookie)];
    let (status, body) = srv.send("GET", "/api/v1/jobs", &with, "");
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(job_users(&v), ["alice", "alice", "alice"]);
    let (status, page) = srv.send("GET", "/", &with, "");
    assert!(status == 200 && page.contains("alice"), "{status}");
    // Without the cookie, and for a POST with it: no identity.
    assert_eq!(srv.get("/api/v1/jobs", None).0, 401);
    let body = r#"{"partition": "cpu_p1", "nodes": 1, "hours": 1}"#;
    assert_eq!(srv.send("POST", "/api/v1/estimate/job", &with, body).0, 401);
    // A 401 page offers the sign-in.
    let (_, page) = srv.get("/", None);
    assert!(page.contains("/login"));
    // A token the store does not know, garbage, another site's form.
    let (status, page) = srv.send("POST", "/login", &form, "token=impacts_nope");
    assert!(status == 401 && page.contains("unknown"), "{status}");
    assert_eq!(
        srv.send("POST", "/login", &form, "token=%3Cscript%3E").0,
        400
    );
    let evil = [form[0], ("Origin", "https://evil.example")];
    assert_eq!(
        srv.send("POST", "/login", &evil, &format!("token={alice}"))
            .0,
        403
    );
    // A cookie with a revoked token is the token's 401.
    let (status, head, _) = srv.exchange("POST", "/logout", &form, "");
    assert!(status == 303 && head.contains("Max-Age=0"), "{head}");
    let list = impacts()
        .args(["token", "list", "--db", &db])
        .output()
        .unwrap();
    let id = String::from_utf8_lossy(&list.stdout)
        .lines()
        .find(|l| l.contains("alice"))
        .and_then(|l| l.split_whitespace().next().map(String::from))
        .unwrap();
    let out = impacts()
        .args(["token", "revoke", "--db", &db, &id])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(srv.send("GET", "/api/v1/jobs", &with, "").0, 401);
}

/// Tokens: a user's sees their jobs, an admin's everything; unknown, expired and revoked
/// tokens are 401; managers see their accounts' jobs; only hashes are stored.
#[test]
fn tokens_and_managers_decide_what_is_seen() {
    let dir = Dir::new("tokens");
    let (_, db) = four(&dir);
    let alice = token(&db, &["--user", "alice"]);
    let root = token(
        &db,
        &["--user", "ops", "--role", "admin", "--note", "grafana"],
    );
    let expired = token(&db, &["--user", "alice", "--expires-in-days", "0"]);
    let bob = token(&db, &["--user", "bob"]);
    assert!(alice.starts_with("impacts_") && alice != bob);
    for file in ["jobs.db", "jobs.db-wal"] {
        let raw = std::fs::read(dir.path(file)).unwrap_or_default();
        assert!(
            !raw.windows(alice.len()).any(|w| w == alice.as_bytes()),
            "the token itself is not stored ({file})"
        );
    }
    let managers = dir.path("managers.toml");
    std::fs::write(&managers, "[managers]\nbob = [\"proj1\"]\n").unwrap();
    let srv = Server::start(&db, &["--managers", &managers]);

    let (status, v) = srv.with_token("/api/v1/jobs", &alice);
    assert_eq!((status, job_users(&v)), (200, vec!["alice".to_string(); 3]));
    let (_, v) = srv.with_token("/api/v1/jobs", &root);
    assert_eq!(v["jobs"].as_array().unwrap().len(), 4);
    assert_eq!(srv.with_token("/metrics", &root).0, 200);
    assert_eq!(srv.with_token("/metrics", &alice).0, 403);
    // bob manages proj1: his job and alice's two proj1 jobs.
    let (_, v) = srv.with_token("/api/v1/jobs", &bob);
    assert_eq!(job_users(&v), ["alice", "alice", "bob"]);
    assert_eq!(
        srv.with_token("/api/v1/jobs/102", &bob).0,
        404,
        "proj2 of alice"
    );
    for t in [expired.as_str(), "impacts_0000", "not-a-token"] {
        let (status, v) = srv.with_token("/api/v1/jobs", t);
        assert_eq!(
            (status, v["error"]["field"].as_str()),
            (401, Some("Authorization")),
            "{t}"
        );
    }
    let list = impacts()
        .args(["token", "list", "--db", &db])
        .output()
        .unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    assert!(list.contains("grafana") && !list.contains(&alice), "{list}");
    let revoke = impacts()
        .args(["token", "revoke", "--db", &db, "1"])
        .output()
        .unwrap();
    assert!(revoke.status.success());
    assert_eq!(srv.with_token("/api/v1/jobs", &alice).0, 401, "revoked");
}

/// Records pushed by a site's script: administrators only, stored as `impacts ingest` stores
/// them (again: nothing changes), bad records 422 naming the body's line.
#[test]
fn records_pushed_by_an_administrator_are_stored() {
    let dir = Dir::new("push");
    let (_, db) = four(&dir);
    let srv = Server::start(
        &db,
        &["--trusted-user-header", "X-Remote-User", "--admin", "root"],
    );
    let two = format!(
        "{HEADER}\n\
         200|200|jz|dave|proj3|cpu_p1|COMPLETED|2024-03-05T10:00:00|2024-03-05T10:00:05|2024-03-05T11:00:05|01:00:00|1|40\n\
         201|201|jz|dave|proj3|cpu_p1|FAILED|2024-03-05T12:00:00|2024-03-05T12:00:05|2024-03-05T12:10:05|00:10:00|1|40\n"
    );
    assert_eq!(srv.post("/api/v1/jobs", Some("alice"), &two).0, 403);
    assert_eq!(srv.post("/api/v1/jobs", None, &two).0, 401);
    for _ in 0..2 {
        let (status, text) = srv.post("/api/v1/jobs", Some("root"), &two);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!((status, v["jobs"].as_u64()), (200, Some(2)), "{text}");
        assert_eq!(srv.json("/healthz", None).1["jobs"], 6, "stored once");
    }
    let (_, v) = srv.json("/api/v1/jobs?user=dave", Some("root"));
    assert_eq!(job_users(&v), ["dave", "dave"]);
    let bad =
        format!("{HEADER}\n300|300|jz|dave|proj3|cpu_p1|COMPLETED|yesterday|x|y|01:00:00|1|40\n");
    let (status, text) = srv.post("/api/v1/jobs", Some("root"), &bad);
    assert_eq!(status, 422, "{text}");
    assert!(
        text.contains("body:2") && !text.contains("impacts-push"),
        "{text}"
    );
    assert_eq!(srv.post("/api/v1/jobs", Some("root"), "").0, 400);
}

/// The OpenAPI document is valid OpenAPI 3 (checked by openapi-spec-validator), and every path
/// it lists is routed (none answers the service's "no such endpoint").
#[test]
fn the_openapi_document_is_valid_and_lists_routed_paths() {
    let dir = Dir::new("openapi");
    let (_, db) = four(&dir);
    let srv = Server::start(
        &db,
        &["--trusted-user-header", "X-Remote-User", "--admin", "root"],
    );
    let (status, text) = srv.get("/api/v1/openapi.json", None);
    assert_eq!(status, 200);
    let doc: Value = serde_json::from_str(&text).unwrap();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        let concrete = path
            .replace("{job_id}", "100")
            .replace("{cluster}", "jz")
            .replace("{kind}", "energy");
        for method in ops.as_object().unwrap().keys() {
            let (status, body) = match method.as_str() {
                "get" => srv.get(&concrete, Some("root")),
                "post" => srv.post(&concrete, Some("root"), "{}"),
                m => panic!("{m}"),
            };
            assert!(
                !body.contains("no such endpoint"),
                "{method} {path}: {status} {body}"
            );
        }
    }
    if !python_has("openapi_spec_validator") {
        return;
    }
    let file = dir.path("openapi.json");
    std::fs::write(&file, &text).unwrap();
    let out = Command::new("python3")
        .args([
            "-c",
            "import json, sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1]))); print('valid')",
            &file,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The same service on PostgreSQL (ci/test starts one; IMPACTS_TEST_POSTGRES names it):
/// ingestion twice changes nothing, each user sees their own, the summary equals
/// `impacts accounting`'s.
#[test]
fn the_service_runs_on_postgresql() {
    let Ok(admin_url) = std::env::var("IMPACTS_TEST_POSTGRES") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "IMPACTS_TEST_POSTGRES is required with CI=true (ci/test starts PostgreSQL)"
        );
        eprintln!("notice: IMPACTS_TEST_POSTGRES is not set; skipping the service on PostgreSQL");
        return;
    };
    let name = format!("impacts_cli_{}", std::process::id());
    let mut admin = postgres::Client::connect(&admin_url, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let db = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let dir = Dir::new("postgres");
    let file = dir.path("four.txt");
    std::fs::write(&file, format!("{HEADER}\n{FOUR}")).unwrap();
    for _ in 0..2 {
        let out = ingest(&db, &file, &[]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let srv = Server::start(
        &db,
        &["--trusted-user-header", "X-Remote-User", "--admin", "root"],
    );
    assert_eq!(srv.json("/healthz", None).1["jobs"], 4, "stored once");
    let (_, v) = srv.json("/api/v1/jobs", Some("alice"));
    assert_eq!(job_users(&v), ["alice", "alice", "alice"]);
    assert_eq!(srv.json("/api/v1/jobs/101", Some("alice")).0, 404);
    let reference = impacts()
        .args(["accounting", "--center", "jean-zay", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let reference: Value = serde_json::from_slice(&reference.stdout).unwrap();
    for query in [
        "/api/v1/summary?group_by=account",
        "/api/v1/summary?group_by=user",
    ] {
        let (status, v) = srv.json(query, Some("root"));
        assert_eq!(status, 200, "{query}: {v}");
        for b in ["value", "low", "high"] {
            let (a, r) = (
                v["total"]["impacts"]["gwp"][b].as_f64().unwrap(),
                reference["impacts"]["gwp"][b].as_f64().unwrap(),
            );
            assert!((a - r).abs() <= 1e-9 * r, "{query} {b}: {a} vs {r}");
        }
    }
    assert_eq!(srv.get("/metrics", None).0, 200);
}

/// `?explain=true`: the stored job estimated again as a library request, its derivation tree
/// attached, and the same central value as stored.
#[test]
fn a_job_explained_finds_its_stored_value_again() {
    let dir = Dir::new("explain");
    let (_, db) = four(&dir);
    let srv = Server::start(&db, &["--trusted-user-header", "X-Remote-User"]);
    for id in ["100", "102"] {
        let (status, v) = srv.json(&format!("/api/v1/jobs/{id}?explain=true"), Some("alice"));
        assert_eq!(status, 200, "{v}");
        let e = &v["explanation"];
        assert_eq!(e["matches_stored"], true, "{id}: {}", e["request"]);
        assert!(
            e["report"]["explanation"].is_object(),
            "{id}: a derivation tree"
        );
        assert_eq!(e["request"]["partition"], v["partition"]);
    }
    assert_eq!(
        srv.json("/api/v1/jobs/101?explain=true", Some("alice")).0,
        404
    );
}

/// `--config FILE` gives the same settings as the flags; a flag beside it wins; an unknown key is
/// refused, naming it.
#[test]
fn a_config_file_holds_the_flags() {
    let dir = Dir::new("config");
    let (_, db) = four(&dir);
    let config = dir.path("impacts.toml");
    std::fs::write(
        &config,
        format!(
            "db = \"{db}\"\ncenter = \"jean-zay\"\nlisten = \"127.0.0.1:0\"\n\
             trusted_user_header = \"X-Remote-User\"\nadmin = [\"root\"]\nopen_estimates = true\n"
        ),
    )
    .unwrap();
    let srv = Server::start_with(&["serve", "--config", &config]);
    assert_eq!(
        srv.json("/api/v1/jobs", Some("root")).1["jobs"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        srv.post(
            "/api/v1/estimate/energy",
            None,
            r#"{"energy_kwh": 1, "zone": "FR"}"#
        )
        .0,
        200
    );
    // A flag beside the file wins: another administrator.
    let other = Server::start_with(&["serve", "--config", &config, "--admin", "ops"]);
    // root is no longer an administrator (the flag's list replaces the file's): no jobs of its own.
    assert_eq!(
        other.json("/api/v1/jobs", Some("root")).1["jobs"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        other.json("/api/v1/jobs", Some("ops")).1["jobs"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let bad = dir.path("bad.toml");
    std::fs::write(&bad, "centre = \"jean-zay\"\n").unwrap();
    let out = impacts()
        .args(["serve", "--config", &bad])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("centre"), "{err}");
}

/// Benchmark runs in the store, each joined to its stored job within the caller's scope: an
/// administrator sees every run, a user the runs of their jobs; the page shows the API's numbers.
#[test]
fn benchmark_runs_are_each_caller_s_own() {
    let dir = Dir::new("bench");
    let (_, db) = four(&dir);
    let perflog = dir.path("Stream.log");
    std::fs::write(
        &perflog,
        "job_completion_time|jobid|name|system|partition|environ|triad_value|triad_unit|triad_ref|triad_lower_thres|triad_upper_thres
2024-03-01T12:01:00+00:00|100|Stream %n=1|jz|cpu_p1|gnu|41.5|GB/s|0|None|None
2024-03-01T12:02:00+00:00|100|Stream %n=1|jz|cpu_p1|gnu|42.5|GB/s|0|None|None
2024-03-01T12:03:00+00:00|100|Stream %n=1|jz|cpu_p1|gnu|43.5|GB/s|0|None|None
2024-03-01T11:31:00+00:00|101|Stream %n=2|jz|cpu_p1|gnu|80.0|GB/s|0|None|None
2024-03-01T13:00:00+00:00|555|Stream %n=4|jz|cpu_p1|gnu|150.0|GB/s|0|None|None
",
    )
    .unwrap();
    let out = impacts()
        .args(["bench", "ingest", &perflog, "--db", &db])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let srv = Server::start(
        &db,
        &["--trusted-user-header", "X-Remote-User", "--admin", "root"],
    );
    let ids = |v: &Value| -> Vec<String> {
        v["runs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["jobid"].as_str().unwrap().to_string())
            .collect()
    };
    let (status, all) = srv.json("/api/v1/bench/runs", Some("root"));
    assert_eq!(status, 200);
    assert_eq!(
        ids(&all),
        ["555", "100", "100", "100", "101"],
        "latest first"
    );
    let (_, job) = srv.json("/api/v1/jobs/jz/100", Some("root"));
    let run100 = &all["runs"][1];
    assert_eq!(run100["footprint"]["impacts"], job["impacts"]);
    assert!(all["runs"][0]["footprint"].is_null(), "no job 555");
    let (_, alice) = srv.json("/api/v1/bench/runs", Some("alice"));
    assert_eq!(ids(&alice), ["100", "100", "100"]);
    let (_, bob) = srv.json("/api/v1/bench/runs", Some("bob"));
    assert_eq!(ids(&bob), ["101"]);
    assert_eq!(srv.get("/api/v1/bench/runs?limit=0", Some("root")).0, 400);
    // The page: alice's run, with the API's climate change.
    let (status, page) = srv.get("/bench", Some("alice"));
    assert_eq!(status, 200);
    let gwp = job["impacts"]["gwp"]["value"].as_f64().unwrap();
    assert!(
        page.contains(&format!("data-key=\"100\" data-value=\"{gwp}\"")),
        "{page}"
    );
    assert!(!page.contains("data-key=\"101\""));
    // Over time: the use case run three times, its variable as three bars.
    assert!(page.contains("Stream %n=1 @jz:cpu_p1+gnu: triad"), "{page}");
    let history = page.split("data-history").nth(1).unwrap();
    let chart = history.split("</svg>").next().unwrap();
    assert_eq!(chart.matches("<g class=\"bar\">").count(), 3, "{chart}");
    assert!(chart.contains("43.5 GB/s"), "{chart}");
}

/// Ingested hour by hour (`impacts ingest --grid-series`), the store's summary equals `impacts
/// accounting --grid-series` on the same records: values and bounds (the covered sums travel with
/// each job into every table of sums), climate change in all and in the use phase; the other
/// criteria are the annual path's.
#[test]
fn a_store_ingested_hour_by_hour_sums_as_accounting_does() {
    let dir = Dir::new("grid");
    let file = dir.path("four.txt");
    std::fs::write(&file, format!("{HEADER}\n{FOUR}")).unwrap();
    // Hourly from 2024-03-01 00:00 to 2024-03-02 12:00 UTC: jobs 100, 101 covered, 102 and 103
    // in part.
    let mut csv = String::from("timestamp,gco2eq_per_kwh_lifecycle\n");
    for h in 0..36 {
        csv.push_str(&format!(
            "2024-03-{:02}T{:02}:00:00Z,{}\n",
            1 + h / 24,
            h % 24,
            20 + 5 * h
        ));
    }
    let series = dir.path("fr.csv");
    std::fs::write(&series, csv).unwrap();
    let db = format!("sqlite:{}", dir.path("grid.db"));
    let out = ingest(&db, &file, &["--grid-series", &series]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = impacts()
        .args([
            "accounting",
            "--center",
            "jean-zay",
            "--format",
            "json",
            "--grid-series",
            &series,
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reference: Value = serde_json::from_slice(&out.stdout).unwrap();
    let partial = reference["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "accounting.grid-partial")
        .map(|w| w["count"].as_u64().unwrap());
    assert!(partial >= Some(1), "{}", reference["warnings"]);
    let srv = Server::start(
        &db,
        &["--trusted-user-header", "X-Remote-User", "--admin", "root"],
    );
    let (_, v) = srv.json("/api/v1/summary", Some("root"));
    let close = |a: &Value, b: &Value| {
        let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
        (a - b).abs() <= 1e-9 * b.abs()
    };
    for k in ["gwp", "adpe", "pe", "water"] {
        for b in ["value", "low", "high"] {
            let (mine, theirs) = (&v["total"]["impacts"][k][b], &reference["impacts"][k][b]);
            assert!(close(mine, theirs), "{k}.{b}: {mine} vs {theirs}");
        }
    }
    for b in ["value", "low", "high"] {
        let (mine, theirs) = (
            &v["total"]["phases"]["use"]["gwp"][b],
            &reference["phases"]["use"]["gwp"][b],
        );
        assert!(close(mine, theirs), "use.{b}: {mine} vs {theirs}");
    }
    // And not the annual path's.
    let annual = impacts()
        .args(["accounting", "--center", "jean-zay", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let annual: Value = serde_json::from_slice(&annual.stdout).unwrap();
    assert!(!close(
        &v["total"]["impacts"]["gwp"]["value"],
        &annual["impacts"]["gwp"]["value"]
    ));
}
