//! `impacts grid fetch` against a local HTTP server that answers as the services do (their
//! recorded answers, crates/impacts-grid/tests/fixtures): the requests it makes (windows,
//! token, parameters), the file it writes (read back by `--grid-series`), and its refusals.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

fn fixture(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../impacts-grid/tests/fixtures")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

/// A server on loopback answering `answer(request line)` with (status, body); the request lines
/// and their headers are kept.
struct Server {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

fn serve(answer: fn(&str) -> (u16, String)) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let kept = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut head = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let (status, body) = answer(head.lines().next().unwrap_or(""));
            kept.lock().unwrap().push(head);
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Server { url, requests }
}

fn fetch(env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_impacts"));
    c.arg("grid").arg("fetch").args(args);
    for v in ["ELECTRICITYMAPS_TOKEN", "ENTSOE_TOKEN"] {
        c.env_remove(v);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn electricity_maps_in_windows_of_ten_days() {
    let s = serve(|_| (200, fixture("electricitymaps-history.json")));
    let dir = std::env::temp_dir().join(format!("impacts-grid-fetch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("fr.csv");
    let o = fetch(
        &[
            ("ELECTRICITYMAPS_TOKEN", "secret-token"),
            ("IMPACTS_ELECTRICITYMAPS_URL", &s.url),
        ],
        &[
            "--source",
            "electricitymaps",
            "--zone",
            "FR",
            "--from",
            "2024-07-01",
            "--to",
            "2024-07-21T00:00:00Z",
            "--out",
            &out.to_string_lossy(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("24 points (3 estimated"), "{said}");
    // Twenty days: two requests of at most 240 hours, back to back, with the token.
    let requests = s.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(
        requests
            .iter()
            .all(|r| r.contains("auth-token: secret-token")),
        "{requests:?}"
    );
    assert!(requests[0].starts_with("GET /v3/carbon-intensity/past-range?zone=FR&start=2024-07-01T00%3A00%3A00Z&end=2024-07-11T00%3A00%3A00Z"), "{}", requests[0]);
    assert!(
        requests[1].contains("start=2024-07-11T00%3A00%3A00Z&end=2024-07-21T00%3A00%3A00Z"),
        "{}",
        requests[1]
    );
    // The file is a series `impacts job --grid-series` reads.
    let job = Command::new(env!("CARGO_BIN_EXE_impacts"))
        .args([
            "job",
            "--center",
            "jean-zay",
            "--partition",
            "cpu_p1",
            "--nodes",
            "1",
            "--hours",
            "2",
            "--start",
            "2024-07-04T12:00:00Z",
            "--grid-series",
            &out.to_string_lossy(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(job.status.success(), "{}", stderr(&job));
    let v: serde_json::Value = serde_json::from_slice(&job.stdout).unwrap();
    let (use_gwp, energy) = (
        v["phases"]["use"]["gwp"]["value"].as_f64().unwrap(),
        v["quantities"]["energy_with_overhead"]["value"]
            .as_f64()
            .unwrap(),
    );
    // 12:00 and 13:00 of 2024-07-04: 20 and 20 gCO2eq/kWh (the recorded answer).
    assert!(
        (use_gwp / energy - 20.0).abs() < 1e-9,
        "{}",
        use_gwp / energy
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn refusals_name_what_is_missing() {
    let s = serve(|line| {
        if line.contains("/api?") {
            (200, fixture("entsoe-no-data.xml"))
        } else {
            (401, r#"{"error":"Invalid auth-token"}"#.to_string())
        }
    });
    let em = [("IMPACTS_ELECTRICITYMAPS_URL", s.url.as_str())];
    let args = [
        "--source",
        "electricitymaps",
        "--zone",
        "FR",
        "--from",
        "2024-07-01",
        "--to",
        "2024-07-02",
    ];
    // No token: a usage error naming the variable, and nothing asked of the service.
    let o = fetch(&em, &args);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("ELECTRICITYMAPS_TOKEN"),
        "{}",
        stderr(&o)
    );
    assert!(s.requests.lock().unwrap().is_empty());
    // A refused token: the service's status and words.
    let o = fetch(&[em[0], ("ELECTRICITYMAPS_TOKEN", "wrong")], &args);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("401") && stderr(&o).contains("Invalid auth-token"),
        "{}",
        stderr(&o)
    );
    // ENTSO-E with no data for the period; Great Britain left the platform; RTE is France's.
    let entsoe = [
        ("IMPACTS_ENTSOE_URL", s.url.as_str()),
        ("ENTSOE_TOKEN", "t"),
    ];
    let o = fetch(
        &entsoe,
        &[
            "--source",
            "entsoe",
            "--zone",
            "FR",
            "--from",
            "2024-07-01",
            "--to",
            "2024-07-02",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("No matching data found"),
        "{}",
        stderr(&o)
    );
    let last = s
        .requests
        .lock()
        .unwrap()
        .last()
        .cloned()
        .unwrap_or_default();
    assert!(
        last.contains("documentType=A75")
            && last.contains("in_Domain=10YFR-RTE------C")
            && last.contains("periodStart=202407010000"),
        "{last}"
    );
    let o = fetch(
        &entsoe,
        &[
            "--source",
            "entsoe",
            "--zone",
            "GB",
            "--from",
            "2024-07-01",
            "--to",
            "2024-07-02",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let o = fetch(
        &[],
        &[
            "--source",
            "rte",
            "--zone",
            "DE",
            "--from",
            "2024-07-01",
            "--to",
            "2024-07-02",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("France"), "{}", stderr(&o));
    let o = fetch(
        &[],
        &[
            "--source",
            "rte",
            "--zone",
            "FR",
            "--from",
            "2024-07-02",
            "--to",
            "2024-07-01",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let o = fetch(
        &[],
        &[
            "--source",
            "rte",
            "--zone",
            "FR",
            "--from",
            "yesterday",
            "--to",
            "2024-07-01",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--from 'yesterday'"), "{}", stderr(&o));
}

#[test]
fn rte_eco2mix_needs_no_token() {
    let s = serve(|_| (200, fixture("odre-eco2mix.json")));
    let o = fetch(
        &[("IMPACTS_ODRE_URL", &s.url)],
        &[
            "--source",
            "rte",
            "--zone",
            "FR",
            "--from",
            "2024-07-03",
            "--to",
            "2024-07-04",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = String::from_utf8(o.stdout).unwrap();
    assert!(
        csv.starts_with("Datetime (UTC),Zone Id,Carbon Intensity gCO₂eq/kWh (direct)"),
        "{csv}"
    );
    assert!(csv.contains("2024-07-03 00:15:00,FR,13,rte,false"), "{csv}");
    let r = s.requests.lock().unwrap()[0].clone();
    assert!(r.starts_with("GET /api/explore/v2.1/catalog/datasets/eco2mix-national-tr/exports/json?select=date_heure%2Ctaux_co2&where="), "{r}");
}

/// `impacts serve --grid-pull electricitymaps:FR`: the service pulls the last hours at once (and
/// then every `--grid-interval`) from a local server answering as Electricity Maps does (its
/// recorded answer's layout, the instants moved to the last hours), and stores them.
#[test]
fn the_service_pulls_the_grid_and_stores_it() {
    use std::io::BufRead as _;
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let s = serve(|_| {
        let now = jiff::Timestamp::now().as_second() / 3600 * 3600;
        let mut v: serde_json::Value =
            serde_json::from_str(&fixture("electricitymaps-history.json")).unwrap();
        for (i, row) in v["history"].as_array_mut().unwrap().iter_mut().enumerate() {
            let t = jiff::Timestamp::from_second(now - (24 - i as i64) * 3600).unwrap();
            row["datetime"] = serde_json::json!(t.to_string());
        }
        (200, v.to_string())
    });
    let dir = std::env::temp_dir().join(format!("impacts-grid-pull-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("pull.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_impacts"))
        .args([
            "serve",
            "--db",
            &format!("sqlite:{}", db.display()),
            "--center",
            "jean-zay",
            "--listen",
            "127.0.0.1:0",
            "--grid-pull",
            "electricitymaps:FR",
        ])
        .env("IMPACTS_ELECTRICITYMAPS_URL", &s.url)
        .env("ELECTRICITYMAPS_TOKEN", "service-token")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let child_err = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(child_err)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut pulled = None;
    while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if line.contains("event=grid-pull") {
            pulled = Some(line);
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let line = pulled.expect("the service said nothing of its pull");
    // Refused before starting: another zone than the center's, or no token.
    let refused = |args: &[&str], token: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_impacts"));
        c.args([
            "serve",
            "--db",
            &format!("sqlite:{}", dir.join("r.db").display()),
            "--center",
            "jean-zay",
            "--listen",
            "127.0.0.1:0",
        ])
        .args(args)
        .env("IMPACTS_ELECTRICITYMAPS_URL", &s.url)
        .env_remove("ELECTRICITYMAPS_TOKEN");
        if token {
            c.env("ELECTRICITYMAPS_TOKEN", "t");
        }
        c.output().unwrap()
    };
    let o = refused(&["--grid-pull", "electricitymaps:DE"], true);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the center's electricity is of FRA"),
        "{}",
        stderr(&o)
    );
    let o = refused(&["--grid-pull", "electricitymaps:FR"], false);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("ELECTRICITYMAPS_TOKEN"),
        "{}",
        stderr(&o)
    );
    let o = refused(&["--grid-pull", "rte:DE"], true);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        line.contains("event=grid-pull ") && line.contains("points=24"),
        "{line}"
    );
    let requests = s.requests.lock().unwrap().clone();
    assert!(
        requests[0].contains("auth-token: service-token"),
        "{requests:?}"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let rows: Vec<(String, i64, f64, String)> = conn
        .prepare("SELECT zone, step, gco2eq_per_kwh, kind FROM grid_hours ORDER BY t")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 24);
    assert!(rows
        .iter()
        .all(|r| r.0 == "FR" && r.1 == 3600 && r.3 == "lifecycle"));
    let values: Vec<f64> = rows.iter().map(|r| r.2).collect();
    assert_eq!(values[..3], [19.0, 20.0, 20.0]);
    let _ = std::fs::remove_dir_all(&dir);
}
