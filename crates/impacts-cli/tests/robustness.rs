//! What goes wrong outside the happy path: signals, full disks, folders given as files, absurd
//! numbers, amounts without units, standard input. Nothing half-written, nothing wrong printed,
//! an exit status that says what happened.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_impacts"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run impacts")
}

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("impacts-robust-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("temporary folder");
        Dir(d)
    }
    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
    /// The names of the files in the folder.
    fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(&self.0)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const HEADER: &str =
    "JobID|User|Account|Partition|State|Start|End|Elapsed|NNodes|NCPUS|AllocTRES\n";

fn job_line(i: usize) -> String {
    format!("{i}|ann|p1|cpu_p1|COMPLETED|2024-01-10T10:00:00|2024-01-10T13:00:00|03:00:00|1|40|cpu=40,node=1\n")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An accounting run interrupted by SIGINT or SIGTERM while it writes `--jobs` leaves neither the
/// file nor its temporary file, and ends with the shell's status for the signal.
#[test]
fn an_interrupted_run_leaves_no_temporary_file() {
    for (signal, status) in [("INT", 130), ("TERM", 143)] {
        let d = Dir::new(&format!("signal-{signal}"));
        let jobs = d.path("jobs.csv");
        // Standard input stays open: the run is reading (and has created its temporary file)
        // when the signal comes.
        let mut child = bin()
            .args([
                "accounting",
                "-",
                "--center",
                "jean-zay",
                "--samples",
                "0",
                "--jobs",
                &jobs,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(HEADER.as_bytes()).expect("write");
        for i in 0..2000 {
            stdin.write_all(job_line(i).as_bytes()).expect("write");
        }
        stdin.flush().expect("flush");
        let t0 = Instant::now();
        while d.names().iter().all(|n| !n.contains(".tmp-")) {
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "no temporary file appeared"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let kill = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(kill.success());
        let out = child.wait_with_output().expect("wait");
        drop(stdin);
        assert_eq!(
            out.status.code(),
            Some(status),
            "SIG{signal}: {}",
            stderr(&out)
        );
        assert!(d.names().is_empty(), "SIG{signal} left {:?}", d.names());
    }
}

/// `--jobs` naming a folder fails at once, before reading, and leaves nothing.
#[test]
fn a_folder_as_the_per_job_output_is_refused_at_once() {
    let d = Dir::new("folder");
    let input = d.path("in.txt");
    std::fs::write(&input, format!("{HEADER}{}", job_line(1))).expect("input");
    let out_dir = d.path("out.csv");
    std::fs::create_dir(&out_dir).expect("a folder named like a file");
    let o = run(&[
        "accounting",
        &input,
        "--center",
        "jean-zay",
        "--jobs",
        &out_dir,
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("invalid --jobs"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert_eq!(d.names(), ["in.txt", "out.csv"]);
    // An extension the command cannot write is refused by every command that takes --jobs.
    for args in [
        vec![
            "accounting",
            input.as_str(),
            "--center",
            "jean-zay",
            "--jobs",
        ],
        vec!["io", "--summary", d.0.to_str().unwrap(), "--jobs"],
    ] {
        let mut a = args.clone();
        let bad = d.path("rows.txt");
        a.push(&bad);
        let o = run(&a);
        assert_eq!(o.status.code(), Some(2), "{a:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("expected a file name ending in .csv, .jsonl, .parquet or .arrows"),
            "{a:?}: {}",
            stderr(&o)
        );
    }
    assert_eq!(d.names(), ["in.txt", "out.csv"]);
}

/// Writing to a full disk is a failure (exit 1), for a report and for a summary.
#[test]
fn a_full_disk_is_an_error() {
    if !Path::new("/dev/full").exists() {
        eprintln!("notice: no /dev/full on this system; skipping");
        return;
    }
    let d = Dir::new("full");
    let input = d.path("in.txt");
    std::fs::write(&input, format!("{HEADER}{}", job_line(1))).expect("input");
    let commands: [&[&str]; 2] = [
        &[
            "job",
            "--center",
            "jean-zay",
            "--partition",
            "cpu_p1",
            "--nodes",
            "1",
            "--hours",
            "1",
        ],
        &[
            "accounting",
            &input,
            "--center",
            "jean-zay",
            "--samples",
            "0",
        ],
    ];
    for args in commands {
        let full = std::fs::File::create("/dev/full").expect("/dev/full");
        let o = bin().args(args).stdout(full).output().expect("run");
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("cannot write standard output"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

/// Results that overflow are errors naming the input, never `inf` or `NaN`; sampling is capped.
#[test]
fn absurd_numbers_are_refused_with_the_flag_that_gave_them() {
    let job = [
        "job",
        "--center",
        "jean-zay",
        "--partition",
        "gpu_p6",
        "--nodes",
        "1",
    ];
    let cases: [(&[&str], &str); 6] = [
        (&["--hours", "1e308"], "invalid --hours"),
        (
            &["--hours", "1", "--samples", "100000000"],
            "invalid --samples '100000000': expected at most 100000",
        ),
        (
            &["--hours", "1", "--energy", "10"],
            "invalid --energy '10': expected an energy with its unit",
        ),
        (
            &["--hours", "1", "--memory", "64"],
            "invalid --memory '64': expected a size with its unit",
        ),
        (
            &["--hours", "1", "--percentiles", "50,40"],
            "invalid --percentiles",
        ),
        (&["--hours", "1", "--load", "NaN"], "invalid --load"),
    ];
    for (extra, want) in cases {
        let args: Vec<&str> = job.iter().chain(extra).copied().collect();
        let o = run(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "{args:?}");
        for bad in ["inf", "NaN", "panicked"] {
            assert!(
                !err.contains(bad) || want.contains("load"),
                "{args:?}: {err}"
            );
        }
    }
    let o = run(&[
        "accounting",
        "x.txt",
        "--center",
        "jean-zay",
        "--job-samples",
        "20000",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("invalid --job-samples '20000': expected at most 10000"),
        "{}",
        stderr(&o)
    );
    let o = run(&["storage", "20", "--years", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("invalid VOLUME '20': expected a size with its unit"),
        "{}",
        stderr(&o)
    );
    let o = run(&["energy", "10", "--zone", "FR"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("invalid AMOUNT '10'"), "{}", stderr(&o));
}

/// A record whose footprint overflows is an error located at its line (or counted with
/// --skip-bad-lines): no non-finite number reaches a per-job row or the summary.
#[test]
fn an_overflowing_record_is_located() {
    let d = Dir::new("overflow");
    let input = d.path("in.txt");
    // 10^300 seconds: refused as a duration before any footprint is computed.
    let huge = "9|ann|p1|cpu_p1|COMPLETED|||1e300|1|40|cpu=40,node=1\n";
    std::fs::write(&input, format!("{HEADER}{}{huge}", job_line(1))).expect("input");
    let jobs = d.path("jobs.csv");
    let o = run(&[
        "accounting",
        &input,
        "--center",
        "jean-zay",
        "--samples",
        "0",
        "--jobs",
        &jobs,
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("{input}:3: invalid Elapsed '1.00000e300 s'")),
        "{err}"
    );
    assert_eq!(d.names(), ["in.txt"], "no per-job file");
    let o = run(&[
        "accounting",
        &input,
        "--center",
        "jean-zay",
        "--samples",
        "0",
        "--jobs",
        &jobs,
        "--skip-bad-lines",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["skipped"]["count"], 1);
    let rows = std::fs::read_to_string(&jobs).expect("rows");
    assert_eq!(rows.lines().count(), 2, "{rows}");
    assert!(!rows.contains("inf") && !rows.contains("NaN"), "{rows}");
}

/// `-` is standard input for the scheduler's records; the commands that cannot read it say so.
#[test]
fn standard_input_is_read_or_refused_with_who_reads_it() {
    let mut child = bin()
        .args([
            "accounting",
            "-",
            "--center",
            "jean-zay",
            "--samples",
            "0",
            "--format",
            "json",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(HEADER.as_bytes()).expect("write");
        stdin.write_all(job_line(7).as_bytes()).expect("write");
    }
    let o = child.wait_with_output().expect("wait");
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["jobs"], 1);
    for args in [
        vec!["workflow", "-"],
        vec!["io", "-"],
        vec![
            "job",
            "--center",
            "-",
            "--partition",
            "p",
            "--nodes",
            "1",
            "--hours",
            "1",
        ],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains("standard input (-) is read by impacts accounting only"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}
