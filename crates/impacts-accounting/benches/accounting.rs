//! End-to-end accounting throughput on the real logs of `../shared/data`, repeated to at least a
//! million jobs: `cargo bench -p impacts-accounting --bench accounting`.
//!
//! Inputs (written once under `target/bench-accounting/`, job ids shifted per copy so that every
//! job is distinct and none is dropped as a duplicate):
//! - XDMoD's `phillips.log` (sacct -P, 26 fields, 4,285 jobs) × 234 = 1,002,690 jobs;
//! - HPC2N's `hpc2n.swf` (3,170 jobs) × 316 = 1,001,720 jobs;
//! - Mila's `sacct_1.json` (sacct --json, dbv0.0.37, 2 jobs) × 50,000 = 100,000 jobs.
//!
//! Each run reads the file, parses, folds steps, checks duplicates, maps partitions, estimates
//! every job, sums the groups (user, account, partition, state, month) and computes the summary's
//! bounds with 1,000 Monte Carlo samples: what `impacts accounting` does. Best and median of five
//! runs; peak memory of the process. Results go to docs/benchmarks.md; nothing is asserted.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use std::sync::Arc;

use impacts::impacts_grid::{Integral, Series};
use impacts::{CenterSource, Engine};
use impacts_accounting::accountant::{Accountant, LoadPolicy, Options};
use impacts_accounting::sacct_text::TextOptions;
use impacts_accounting::sink::{open_sink, JobSink, NoSink};
use impacts_accounting::summary::GroupBy;

const XDMOD: &str = "jobid,jobidraw,cluster,partition,qos,account,group,gid,user,uid,submit,eligible,start,end,elapsed,exitcode,state,nnodes,ncpus,reqcpus,reqmem,reqtres,alloctres,timelimit,nodelist,jobname";

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    p.is_dir().then_some(p)
}

fn shift_id(id: &str, off: u64) -> String {
    let digits: String = id.chars().take_while(char::is_ascii_digit).collect();
    let n: u64 = digits.parse().expect("numeric job id");
    format!("{}{}", n + off, &id[digits.len()..])
}

fn build_sacct(src: &Path, dst: &Path, copies: u64) {
    let lines: Vec<String> = BufReader::new(File::open(src).expect("phillips.log"))
        .lines()
        .map(|l| l.expect("line"))
        .collect();
    let mut w = BufWriter::new(File::create(dst).expect("bench file"));
    for k in 1..=copies {
        let off = k * 10_000_000;
        for l in &lines {
            let mut parts = l.splitn(3, '|');
            let (a, b, rest) = (
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
            );
            writeln!(w, "{}|{}|{}", shift_id(a, off), shift_id(b, off), rest).expect("write");
        }
    }
    w.flush().expect("flush");
}

fn build_swf(src: &Path, dst: &Path, copies: u64) {
    let text = std::fs::read_to_string(src).expect("hpc2n.swf");
    let mut w = BufWriter::new(File::create(dst).expect("bench file"));
    for l in text.lines().filter(|l| l.starts_with(';')) {
        writeln!(w, "{l}").expect("write");
    }
    let body: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| !l.starts_with(';') && !l.trim().is_empty())
        .map(|l| l.split_whitespace().collect())
        .collect();
    for k in 1..=copies {
        let off = k * 10_000_000;
        for f in &body {
            let id: u64 = f[0].parse().expect("job number");
            write!(w, "{}", id + off).expect("write");
            for x in &f[1..] {
                write!(w, " {x}").expect("write");
            }
            writeln!(w).expect("write");
        }
    }
    w.flush().expect("flush");
}

fn build_json(src: &Path, dst: &Path, copies: u64) {
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(src).expect("sacct_1.json")).expect("JSON");
    let jobs = doc["jobs"].as_array().expect("jobs").clone();
    let mut w = BufWriter::new(File::create(dst).expect("bench file"));
    write!(w, "{{\"meta\":{},\"errors\":[],\"jobs\":[", doc["meta"]).expect("write");
    let mut first = true;
    for k in 1..=copies {
        for j in &jobs {
            let mut j = j.clone();
            let id = j["job_id"].as_u64().unwrap_or(0);
            j["job_id"] = (id + k * 1000).into();
            if let Some(a) = j["array"]["job_id"].as_u64().filter(|a| *a > 0) {
                j["array"]["job_id"] = (a + k * 1000).into();
            }
            if !first {
                w.write_all(b",").expect("write");
            }
            first = false;
            serde_json::to_writer(&mut w, &j).expect("write");
        }
    }
    w.write_all(b"]}").expect("write");
    w.flush().expect("flush");
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn options(fields: Option<&str>, grid: Option<Arc<Integral>>) -> Options {
    Options {
        grid,
        center: CenterSource::Bundled("jean-zay".into()),
        default_partition: Some("cpu_p1".into()),
        load: LoadPolicy::Fixed(80.0),
        group_by: vec![
            GroupBy::User,
            GroupBy::Account,
            GroupBy::Partition,
            GroupBy::State,
            GroupBy::Month,
        ],
        samples: 1000,
        text: TextOptions {
            delimiter: None,
            fields: fields.map(|f| f.split(',').map(str::to_string).collect()),
        },
        ..Options::default()
    }
}

fn run(
    engine: &Engine,
    name: &str,
    file: &Path,
    fields: Option<&str>,
    sink: Option<&Path>,
    runs: usize,
    grid: Option<Arc<Integral>>,
) {
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0) as f64;
    let mut times = Vec::new();
    let mut jobs = 0;
    for _ in 0..runs {
        let mut acc = Accountant::new(engine, options(fields, grid.clone())).expect("accountant");
        let mut out: Box<dyn JobSink> = match sink {
            Some(p) => {
                open_sink(&p.to_string_lossy(), acc.columns(), &acc.metadata()).expect("sink")
            }
            None => Box::new(NoSink),
        };
        let t = Instant::now();
        let r = acc
            .run(
                &[file.to_string_lossy().into_owned()],
                out.as_mut(),
                &mut |_| {},
            )
            .expect("run");
        times.push(t.elapsed().as_secs_f64());
        jobs = r.jobs;
        assert_eq!(
            r.warnings
                .iter()
                .find(|w| w.code == "accounting.duplicate-job")
                .map_or(0, |w| w.count),
            0
        );
    }
    times.sort_by(f64::total_cmp);
    let best = times[0];
    let median = times[times.len() / 2];
    println!(
        "{name}: {jobs} jobs, {:.0} MB; best {:.2} s = {:.2} M jobs/s ({:.0} MB/s); median {:.2} s = {:.2} M jobs/s",
        bytes / 1e6,
        best,
        jobs as f64 / best / 1e6,
        bytes / best / 1e6,
        median,
        jobs as f64 / median / 1e6
    );
}

/// An hourly series over 2016–2017 (the years of phillips.log's jobs), each hour's intensity
/// from a seeded LCG between 20 and 120 gCO2eq/kWh: every job's window is covered.
fn hourly_series() -> Arc<Integral> {
    let mut csv = String::from("timestamp,gco2eq_per_kwh_lifecycle\n");
    let start = 1_451_606_400; // 2016-01-01T00:00:00Z
    let mut state: u64 = 5;
    for h in 0..(2 * 366 * 24) {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let t = jiff::Timestamp::from_second(start + h * 3600).expect("instant");
        csv.push_str(&format!("{t},{}\n", 20 + (state >> 33) % 100));
    }
    let s =
        Series::parse("hourly-2016-2017.csv", csv.as_bytes(), &Default::default()).expect("series");
    Arc::new(Integral::new(s))
}

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    let Some(data) = shared() else {
        println!("notice: ../shared/data is absent: the accounting benchmark needs the real logs");
        return;
    };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-accounting");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let sacct = dir.join("phillips-x234.log");
    let swf = dir.join("hpc2n-x316.swf");
    let json = dir.join("mila-x50000.json");
    let t = Instant::now();
    if !sacct.exists() {
        build_sacct(&data.join("sacct/ubccr_xdmod/phillips.log"), &sacct, 234);
    }
    if !swf.exists() {
        build_swf(&data.join("swf/aleasimulator_alea/hpc2n.swf"), &swf, 316);
    }
    if !json.exists() {
        build_json(
            &data.join("sacct/mila-iqia_clockwork/sacct_1.json"),
            &json,
            50_000,
        );
    }
    println!(
        "inputs ready in {:.1} s under {}",
        t.elapsed().as_secs_f64(),
        dir.display()
    );
    let engine = Engine::new().expect("bundle");
    if wanted("sacct") {
        run(
            &engine,
            "sacct -P text (phillips.log × 234)",
            &sacct,
            Some(XDMOD),
            None,
            5,
            None,
        );
    }
    if wanted("hourly") {
        run(
            &engine,
            "sacct -P text (phillips.log × 234), hour by hour (--grid-series)",
            &sacct,
            Some(XDMOD),
            None,
            5,
            Some(hourly_series()),
        );
    }
    if wanted("swf") {
        run(&engine, "SWF (hpc2n.swf × 316)", &swf, None, None, 5, None);
    }
    if wanted("json") {
        run(
            &engine,
            "sacct --json dbv0.0.37 (sacct_1.json × 50,000)",
            &json,
            None,
            None,
            3,
            None,
        );
    }
    for ext in ["csv", "jsonl", "parquet"] {
        if wanted(ext) {
            let out = dir.join(format!("jobs.{ext}"));
            run(
                &engine,
                &format!("sacct -P text with --jobs .{ext}"),
                &sacct,
                Some(XDMOD),
                Some(&out),
                3,
                None,
            );
            let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
            println!("  .{ext} per-job output: {:.0} MB", size as f64 / 1e6);
        }
    }
    println!(
        "peak resident memory of this process (all runs): {:.0} MB",
        peak_rss_mb()
    );
}
