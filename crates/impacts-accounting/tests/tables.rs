//! Tables of jobs as accounting inputs: the same jobs written as Parquet, as an Arrow IPC stream
//! and as sacct text give the same summary (the text is the reference: its reader is tested on
//! real files); a bad table names the file, the column and the row.

use impacts::{CenterSource, Engine};
use impacts_accounting::accountant::{Accountant, LoadPolicy, Options};
use impacts_accounting::input::InputFormat;
use impacts_accounting::sink::NoSink;
use impacts_table::{Column, Kind};

/// A job: (job id, user, partition, state, start (UTC s), hours, nodes, gpus).
type Job = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    f64,
    i64,
    i64,
);

/// Five jobs.
const JOBS: [Job; 5] = [
    (
        "1",
        "alice",
        "cpu_p1",
        "COMPLETED",
        1_704_103_200,
        3.0,
        2,
        0,
    ),
    ("2", "bob", "gpu_p6", "FAILED", 1_704_189_600, 0.5, 1, 2),
    ("3", "alice", "cpu_p1", "TIMEOUT", 1_706_745_600, 24.0, 1, 0),
    (
        "4",
        "carol",
        "prepost",
        "COMPLETED",
        1_706_832_000,
        1.25,
        1,
        0,
    ),
    ("5", "bob", "gpu_p5", "CANCELLED", 1_709_251_200, 6.0, 2, 16),
];

fn scratch(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("impacts-tables-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch folder");
    d
}

/// The jobs as a table file (`.parquet` or `.arrows`) written by impacts-table.
fn write_table(path: &str) {
    let columns = vec![
        Column::new("job_id", Kind::Text),
        Column::new("user", Kind::Category),
        Column::new("partition", Kind::Category),
        Column::new("state", Kind::Category),
        Column::new("start", Kind::Timestamp),
        Column::new("hours", Kind::Exact),
        Column::new("nodes", Kind::Integer),
        Column::new("gpus", Kind::Integer),
    ];
    let mut t = impacts_table::open(path, columns, &[]).expect("table");
    for (id, user, part, state, start, hours, nodes, gpus) in JOBS {
        t.text(Some(id));
        t.text(Some(user));
        t.text(Some(part));
        t.text(Some(state));
        t.timestamp(Some(start));
        t.number(Some(hours));
        t.integer(Some(nodes));
        t.integer(Some(gpus));
        t.end_row().expect("row");
    }
    t.finish().expect("finish");
}

/// The same jobs as sacct text (times in UTC: the run's time zone is UTC).
fn write_sacct(path: &str) {
    let mut s = String::from("JobID|User|Partition|State|Start|Elapsed|NNodes|AllocTRES\n");
    for (id, user, part, state, start, hours, nodes, gpus) in JOBS {
        let start = jiff::Timestamp::from_second(start)
            .unwrap()
            .strftime("%Y-%m-%dT%H:%M:%S");
        let secs = (hours * 3600.0) as i64;
        let tres = if gpus > 0 {
            format!("node={nodes},gres/gpu={gpus}")
        } else {
            format!("node={nodes}")
        };
        s.push_str(&format!(
            "{id}|{user}|{part}|{state}|{start}|{:02}:{:02}:{:02}|{nodes}|{tres}\n",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        ));
    }
    std::fs::write(path, s).unwrap();
}

fn summary(engine: &Engine, path: &str) -> serde_json::Value {
    let opts = Options {
        center: CenterSource::Bundled("jean-zay".into()),
        load: LoadPolicy::Fixed(80.0),
        time_zone: Some("UTC".into()),
        samples: 100,
        ..Options::default()
    };
    let r = Accountant::new(engine, opts)
        .unwrap()
        .run(&[path.to_string()], &mut NoSink, &mut |_| {})
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut v = serde_json::to_value(&r).unwrap();
    let inputs = v.as_object_mut().unwrap().remove("inputs").unwrap();
    v["format"] = inputs[0]["format"].clone();
    v
}

#[test]
fn tables_and_text_of_the_same_jobs_agree() {
    let engine = Engine::new().expect("engine");
    let d = scratch("agree");
    let path = |n: &str| d.join(n).to_string_lossy().into_owned();
    write_table(&path("jobs.parquet"));
    write_table(&path("jobs.arrows"));
    write_sacct(&path("jobs.txt"));
    let mut text = summary(&engine, &path("jobs.txt"));
    assert_eq!(text["format"], "sacct");
    assert_eq!(text["jobs"], 5);
    for (name, format) in [("jobs.parquet", "parquet"), ("jobs.arrows", "arrow")] {
        let mut table = summary(&engine, &path(name));
        assert_eq!(
            table["format"], format,
            "{name}: detected by its first bytes"
        );
        table["format"] = text["format"].clone();
        assert_eq!(table, text, "{name}");
        text["format"] = "sacct".into();
    }
    assert_eq!(InputFormat::parse("parquet"), Some(InputFormat::Parquet));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn bad_tables_name_the_file_the_column_and_the_row() {
    let engine = Engine::new().expect("engine");
    let d = scratch("bad");
    let run = |path: &str| {
        Accountant::new(&engine, Options::default())
            .unwrap()
            .run(&[path.to_string()], &mut NoSink, &mut |_| {})
            .err()
            .unwrap_or_else(|| panic!("{path} was accepted"))
            .to_string()
    };
    // An unknown column.
    let unknown = d.join("unknown.parquet").to_string_lossy().into_owned();
    let mut t = impacts_table::open(
        &unknown,
        vec![
            Column::new("partition", Kind::Category),
            Column::new("hourz", Kind::Number),
        ],
        &[],
    )
    .unwrap();
    t.text(Some("cpu_p1"));
    t.number(Some(1.0));
    t.end_row().unwrap();
    t.finish().unwrap();
    let e = run(&unknown);
    assert!(e.contains(&unknown) && e.contains("hourz"), "{e}");
    // A negative duration on the second row.
    let negative = d.join("negative.arrows").to_string_lossy().into_owned();
    let mut t = impacts_table::open(
        &negative,
        vec![
            Column::new("partition", Kind::Category),
            Column::new("hours", Kind::Number),
        ],
        &[],
    )
    .unwrap();
    for h in [1.0, -2.0] {
        t.text(Some("cpu_p1"));
        t.number(Some(h));
        t.end_row().unwrap();
    }
    t.finish().unwrap();
    let e = run(&negative);
    assert!(
        e.contains(&format!("{negative}:2")) && e.contains("hours"),
        "{e}"
    );
    // A file that begins like Parquet and is not.
    let broken = d.join("broken.parquet").to_string_lossy().into_owned();
    std::fs::write(&broken, b"PAR1 and nothing else").unwrap();
    let e = run(&broken);
    assert!(e.contains(&broken) && e.contains("Parquet"), "{e}");
    let _ = std::fs::remove_dir_all(&d);
}

fn run_report(engine: &Engine, paths: &[String]) -> serde_json::Value {
    let r = Accountant::new(engine, Options::default())
        .unwrap()
        .run(paths, &mut NoSink, &mut |_| {})
        .unwrap_or_else(|e| panic!("{paths:?}: {e}"));
    serde_json::to_value(&r).unwrap()
}

fn warning(report: &serde_json::Value, code: &str) -> u64 {
    report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == code)
        .map_or(0, |w| w["count"].as_u64().unwrap())
}

/// Two table files without a job id: their rows are different jobs (not duplicates of each
/// other's), and without a state column they are taken as COMPLETED, counted.
#[test]
fn rows_without_ids_or_states_are_jobs_of_their_file() {
    let engine = Engine::new().expect("engine");
    let d = scratch("noid");
    let mut paths = Vec::new();
    for name in ["a.parquet", "b.arrows"] {
        let p = d.join(name).to_string_lossy().into_owned();
        let mut t = impacts_table::open(
            &p,
            vec![
                Column::new("partition", Kind::Category),
                Column::new("hours", Kind::Number),
            ],
            &[],
        )
        .unwrap();
        for h in [1.0, 2.0, 3.0] {
            t.text(Some("cpu_p1"));
            t.number(Some(h));
            t.end_row().unwrap();
        }
        t.finish().unwrap();
        paths.push(p);
    }
    let r = run_report(&engine, &paths);
    assert_eq!(r["jobs"], 6, "{}", r["warnings"]);
    assert_eq!(warning(&r, "accounting.duplicate-job"), 0);
    assert_eq!(warning(&r, "default.state"), 6);
    // A state column with an empty cell: that job's state is unknown, warned about.
    let p = d.join("states.parquet").to_string_lossy().into_owned();
    let mut t = impacts_table::open(
        &p,
        vec![
            Column::new("partition", Kind::Category),
            Column::new("hours", Kind::Number),
            Column::new("state", Kind::Category),
        ],
        &[],
    )
    .unwrap();
    for s in [Some("COMPLETED"), Some(""), None] {
        t.text(Some("cpu_p1"));
        t.number(Some(1.0));
        t.text(s);
        t.end_row().unwrap();
    }
    t.finish().unwrap();
    let r = run_report(&engine, &[p]);
    assert_eq!(warning(&r, "default.state"), 0);
    assert_eq!(warning(&r, "accounting.unknown-state"), 2);
    let _ = std::fs::remove_dir_all(&d);
}

/// A column of the wrong type, or a missing column, names the file.
#[test]
fn column_errors_name_the_file() {
    let engine = Engine::new().expect("engine");
    let d = scratch("columns");
    let hours_text = d.join("text.parquet").to_string_lossy().into_owned();
    let mut t = impacts_table::open(
        &hours_text,
        vec![
            Column::new("partition", Kind::Category),
            Column::new("hours", Kind::Text),
        ],
        &[],
    )
    .unwrap();
    t.text(Some("cpu_p1"));
    t.text(Some("two"));
    t.end_row().unwrap();
    t.finish().unwrap();
    let no_partition = d.join("nopart.arrows").to_string_lossy().into_owned();
    let mut t =
        impacts_table::open(&no_partition, vec![Column::new("hours", Kind::Number)], &[]).unwrap();
    t.number(Some(1.0));
    t.end_row().unwrap();
    t.finish().unwrap();
    for (path, field) in [(&hours_text, "hours"), (&no_partition, "partition")] {
        let e = Accountant::new(&engine, Options::default())
            .unwrap()
            .run(std::slice::from_ref(path), &mut NoSink, &mut |_| {})
            .expect_err("refused")
            .to_string();
        assert!(e.contains(path.as_str()) && e.contains(field), "{e}");
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// sacct text through a pipe (a FIFO, as `<(sacct …)` gives) reads whole: nothing of its start
/// is taken by the detection of tables.
#[test]
fn text_from_a_pipe_reads_whole() {
    let engine = Engine::new().expect("engine");
    let d = scratch("pipe");
    let text = d.join("jobs.txt").to_string_lossy().into_owned();
    write_sacct(&text);
    let fifo = d.join("fifo").to_string_lossy().into_owned();
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("notice: no mkfifo here; skipping the pipe test");
        return;
    }
    let (from, to) = (text.clone(), fifo.clone());
    let writer = std::thread::spawn(move || {
        let bytes = std::fs::read(from).unwrap();
        std::fs::write(to, bytes).unwrap();
    });
    let piped = summary(&engine, &fifo);
    writer.join().unwrap();
    let file = summary(&engine, &text);
    assert_eq!(piped["jobs"], 5);
    assert_eq!(piped["impacts"], file["impacts"]);
    let _ = std::fs::remove_dir_all(&d);
}
