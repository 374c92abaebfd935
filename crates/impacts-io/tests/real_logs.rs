//! The characterization of real logs of `../shared/data/darshan-logs`, checked by hand: a periodic
//! DXT trace, an end-only writer, a small MPI-IO job counter by counter; and every log against
//! what `reference-values.json` says of its modules.

use std::path::PathBuf;

use impacts_darshan::Log;
use impacts_io::characterize;
use serde_json::Value;

fn data() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/darshan-logs");
    if p.is_dir() {
        return Some(p);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("../shared/data is absent, and CI=true requires it");
    }
    eprintln!("notice: ../shared/data is absent; skipping the I/O characterization tests");
    None
}

fn report(dir: &std::path::Path, rel: &str) -> impacts_io::IoReport {
    let log = Log::read(&dir.join(rel).to_string_lossy()).expect("readable log");
    characterize(&log)
}

/// 32 ranks each write one byte, one rank after the other about every 0.1 s (the trace's first
/// write at 0.0672 s, its last at 3.1534 s: 31 intervals of 0.09955 s on average).
#[test]
fn a_periodic_dxt_trace_is_found_periodic_at_its_period() {
    let Some(dir) = data() else { return };
    let r = report(
        &dir,
        "runtime_and_dxt_heatmaps_diagonal_write_only/runtime_and_dxt_heatmaps_diagonal_write_only.darshan",
    );
    let p = r.periodicity.as_ref().expect("periodicity");
    assert_eq!(p.source.as_str(), "dxt");
    assert!(p.read.is_none(), "nothing was read");
    let w = p.write.as_ref().expect("writes");
    assert!(w.periodic, "{w:?}");
    let d = w.dominant.as_ref().expect("dominant");
    let hand = (3.1534 - 0.0672) / 31.0;
    assert!(
        (d.period_s - hand).abs() / hand < 0.02,
        "period {} s, by hand {hand} s",
        d.period_s
    );
    assert!(w.p_value < 1e-6, "{w:?}");
    // Evenly spread over the run: steady.
    let t = r.temporality.as_ref().expect("temporality");
    assert_eq!(
        (t.write.class.as_str(), t.read.class.as_str()),
        ("steady", "none")
    );
    assert_eq!(r.bytes_written, 32);
    assert_eq!(
        (r.files.total, r.files.write_only, r.files.shared),
        (32, 32, 0)
    );
    assert_eq!((r.ranks.with_io, r.ranks.method), (32, "distinct ranks"));
}

/// DLIO (a deep-learning I/O benchmark), one process: reads its configuration at the start and
/// writes 524 MB at the end. Its POSIX heatmap (0.8 s bins) holds 949 and 954 bytes written in bins
/// 24 and 27, 205 bytes in bin 130 (104.0–104.8 s) and the rest after; its STDIO heatmap 440 bytes
/// in bin 3. The last quarter of the 138.7286 s run starts at 104.0465 s, so it holds all the bytes
/// but 949 + 954 + 440 + 205 × 0.0465 / 0.8 = 2,354.9 of 523,926,957: a share of 0.9999955.
#[test]
fn an_end_only_writer_is_found_writing_at_the_end() {
    let Some(dir) = data() else { return };
    let r = report(
        &dir,
        "dlio_logs/snyder_python3_id3116902-2110365_12-19-66957-188958432683465822_1.darshan",
    );
    let t = r.temporality.as_ref().expect("temporality");
    assert_eq!(t.source.as_str(), "heatmap");
    assert_eq!(t.write.class, "end");
    assert_eq!(t.read.class, "start");
    assert_eq!(r.bytes_written, 523_926_957);
    let q4 = 0.75 * 138.728_607_892_990_1;
    let hand = 1.0 - (949.0 + 954.0 + 440.0 + 205.0 * (q4 - 104.0) / 0.8) / 523_926_957.0;
    assert!((hand - 0.999_995_5_f64).abs() < 1e-7);
    assert!(
        (t.write.quarters[3] - hand).abs() < 1e-12,
        "{} vs {hand}",
        t.write.quarters[3]
    );
    // Written once, at the end: not periodic.
    let w = r
        .periodicity
        .as_ref()
        .and_then(|p| p.write.as_ref())
        .expect("writes");
    assert!(!w.periodic, "{w:?}");
}

/// mpi-io-test (Darshan 3.5.0, 4 processes): each process writes a 16 MiB block of one shared file
/// and reads it back through MPI-IO; rank 0 prints 322 bytes. The counters as the log holds them
/// (POSIX shared record: 16 opens, 4 reads, 4 writes, 4 accesses each in the 10M–100M buckets,
/// access size 16,777,216 × 8; read, write and metadata times 0.045976, 0.078341 and 0.005194 s;
/// slowest rank 0.040996 s; STDIO, rank 0: 1 open, 6 writes, 322 bytes in 0.000012 s; run time
/// 0.051284 s) give by hand the figures below.
#[test]
fn a_small_mpi_io_job_is_characterized_as_counted_by_hand() {
    let Some(dir) = data() else { return };
    let r = report(&dir, "release_logs/mpi-io-test-x86_64-3.5.0.darshan");
    assert_eq!((r.bytes_read, r.bytes_written), (67_108_864, 67_109_186));
    let m = &r.modules["MPI-IO"];
    assert_eq!(
        (m.records, m.shared_records, m.bytes_read, m.bytes_written),
        (Some(1), Some(1), Some(67_108_864), Some(67_108_864))
    );
    let o = &r.operations;
    assert_eq!(
        (o.reads, o.writes, o.opens, o.seeks, o.stats),
        (4, 10, 17, 0, 0)
    );
    // The files that moved the most: the shared test file, then rank 0's standard output.
    let names: Vec<(&str, i64, i64, bool)> = r
        .top_files
        .iter()
        .map(|f| (f.name.as_str(), f.bytes_read, f.bytes_written, f.shared))
        .collect();
    assert_eq!(
        names,
        vec![
            (
                "/home/wkliao/Darshan/TEST/mpi-io-test.tmp.dat",
                67_108_864,
                67_108_864,
                true
            ),
            ("<STDOUT>", 0, 322, false)
        ]
    );
    // MPI-IO (its shared record as the log holds it: 8 independent opens, 4 independent reads
    // and 4 independent writes, nothing collective): mpi-io-test without -c is independent I/O.
    let m = r.mpi_io.as_ref().expect("MPI-IO");
    assert_eq!(
        (
            m.independent_opens,
            m.independent_reads,
            m.independent_writes
        ),
        (8, 4, 4)
    );
    assert_eq!(
        (
            m.collective_opens,
            m.collective_reads,
            m.collective_writes,
            m.nonblocking_writes
        ),
        (0, 0, 0, 0)
    );
    let k = impacts_io::characterize::BUCKETS
        .iter()
        .position(|b| *b == "10M-100M")
        .expect("bucket");
    assert_eq!((r.access_sizes.read[k], r.access_sizes.write[k]), (4, 4));
    assert_eq!(r.access_sizes.read.iter().sum::<i64>(), 4);
    assert_eq!(r.access_sizes.common, vec![(16_777_216, 8)]);
    // Time: cumulative 0.045976 + 0.078341 + 0.005194 + 0.000012 = 0.129523 s; slowest rank
    // 0.040996 (shared) + 0.000012 (rank 0's STDIO) = 0.041008 s, 0.7996 of the run.
    assert!(
        (r.time.cumulative_s - 0.129523).abs() < 2e-6,
        "{:?}",
        r.time
    );
    assert!((r.time.per_process_s - 0.129523 / 4.0).abs() < 1e-6);
    assert!(
        (r.time.slowest_rank_s - 0.041008).abs() < 2e-6,
        "{:?}",
        r.time
    );
    assert!(
        (r.time.io_share - 0.041008 / 0.051284).abs() < 1e-4,
        "{:?}",
        r.time
    );
    // Files: the shared data file (read and written) and standard output (written).
    assert_eq!(
        (
            r.files.total,
            r.files.shared,
            r.files.read_write,
            r.files.write_only
        ),
        (2, 1, 1, 1)
    );
    assert_eq!((r.ranks.with_io, r.ranks.method), (4, "shared record"));
    // File systems: the data file on the Lustre /home, the 322 bytes on standard output.
    let fs: Vec<(&str, &str, i64, i64)> = r
        .file_systems
        .iter()
        .map(|f| {
            (
                f.mount.as_str(),
                f.fs_type.as_str(),
                f.bytes_read,
                f.bytes_written,
            )
        })
        .collect();
    assert_eq!(
        fs,
        vec![
            ("/home", "lustre", 67_108_864, 67_108_864),
            ("<standard streams>", "", 0, 322)
        ]
    );
    assert_eq!(r.metadata.operations, 17);
}

/// A job whose writes fall at the end by its counters alone (Darshan 3.1.0 on ppc64: it writes
/// between 3.6 and 3.8 s of a run whose last I/O ends at 4.3 s).
#[test]
fn an_end_writer_by_its_counters_is_flagged_as_estimated() {
    let Some(dir) = data() else { return };
    let r = report(&dir, "release_logs/mpi-io-test-ppc64-3.1.0.darshan");
    let t = r.temporality.as_ref().expect("temporality");
    assert_eq!(
        (t.source.as_str(), t.write.class.as_str()),
        ("counters", "end")
    );
    assert!(r
        .warnings
        .iter()
        .any(|w| w.code == "io.timeline-from-counters"));
    let w = r
        .periodicity
        .as_ref()
        .and_then(|p| p.write.as_ref())
        .expect("writes");
    assert!(w.verdict.starts_with("not assessed"), "{w:?}");
}

/// Every log: no panic; modules, records and bytes as `reference-values.json` has them; the file
/// systems add up to the job's volume; the JSON has the shape.
#[test]
fn every_log_is_characterized_consistently_with_the_reference() {
    let Some(dir) = data() else { return };
    let reference: serde_json::Map<String, Value> = serde_json::from_str(
        &std::fs::read_to_string(dir.join("reference-values.json")).expect("reference"),
    )
    .expect("JSON");
    let mut problems = Vec::new();
    for (rel, want) in &reference {
        let r = report(&dir, rel);
        let j = serde_json::to_value(&r).expect("serializable");
        for key in ["version", "big_endian", "partial", "job", "modules"] {
            if j.get(key).is_none() {
                problems.push(format!("{rel}: no '{key}' in the JSON"));
            }
        }
        for key in [
            "jobid",
            "uid",
            "nprocs",
            "start_time",
            "end_time",
            "run_time",
        ] {
            if !j["job"][key].is_number() {
                problems.push(format!("{rel}: job.{key} is not a number"));
            }
        }
        if j["job"]["nprocs"] != want["job"]["nprocs"] {
            problems.push(format!(
                "{rel}: nprocs {} vs {}",
                j["job"]["nprocs"], want["job"]["nprocs"]
            ));
        }
        for (name, m) in want["modules"].as_object().expect("modules") {
            let got = &j["modules"][name];
            if got.is_null() {
                problems.push(format!("{rel}: module {name} missing"));
                continue;
            }
            for key in ["records", "bytes_read", "bytes_written"] {
                if let Some(v) = m.get(key).filter(|v| !v.is_null()) {
                    if &got[key] != v {
                        problems.push(format!("{rel}: {name}.{key} {} vs {v}", got[key]));
                    }
                }
            }
        }
        let fs_r: i64 = r.file_systems.iter().map(|f| f.bytes_read).sum();
        let fs_w: i64 = r.file_systems.iter().map(|f| f.bytes_written).sum();
        if (fs_r, fs_w) != (r.bytes_read, r.bytes_written) {
            problems.push(format!(
                "{rel}: file systems sum to {fs_r}/{fs_w}, job {}/{}",
                r.bytes_read, r.bytes_written
            ));
        }
        if let Some(t) = &r.temporality {
            for (dir_name, ph) in [("read", &t.read), ("write", &t.write)] {
                let s: f64 = ph.quarters.iter().sum();
                if ph.bytes > 0.0 && (s - 1.0).abs() > 1e-9 {
                    problems.push(format!("{rel}: {dir_name} quarters sum to {s}"));
                }
            }
        }
        if !(0.0..=1.0).contains(&r.time.io_share) {
            problems.push(format!("{rel}: I/O share {}", r.time.io_share));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The parallel walk hands the logs over in the files' order, whatever the threads.
#[test]
fn logs_are_handed_over_in_the_files_order() {
    let Some(dir) = data() else { return };
    let want = impacts_io::summary::find_logs(&dir).expect("logs");
    for threads in [1, 3, 8] {
        let mut got = Vec::new();
        let n = impacts_io::summary::for_each_log(&dir, threads, |r| {
            got.push(match r {
                Ok(r) => r.file,
                Err(f) => f.file,
            })
        })
        .expect("walk");
        assert_eq!(n, want.len());
        let want: Vec<String> = want
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        assert_eq!(got, want, "{threads} threads");
    }
}

/// A one-process job whose 1,022 STDIO records Darshan marked rank −1 (every rank opened them:
/// the only one) shares no file; its STDIO module ran out of memory and is reported partial.
#[test]
fn a_single_process_shares_no_file() {
    let Some(dir) = data() else { return };
    let r = report(&dir, "partial_data_stdio/partial_data_stdio.darshan");
    assert_eq!(r.job.nprocs, 1);
    assert_eq!(r.modules["STDIO"].shared_records, Some(1022));
    assert_eq!((r.files.total, r.files.shared), (1023, 0));
    assert!(r.partial && r.modules["STDIO"].partial);
    assert!(r.warnings.iter().any(|w| w.code == "io.partial"));
}

/// The summary's file systems add up the logs' own, keyed by mount point and type: `/` of a
/// container (overlay) is not `/` of a workstation (ext4).
#[test]
fn summary_file_systems_add_up_the_logs() {
    let Some(dir) = data() else { return };
    let (s, reports) = impacts_io::summarize_dir(&dir, 2).expect("summary");
    let mut want: std::collections::BTreeMap<String, (usize, f64, f64)> = Default::default();
    for r in &reports {
        for f in r
            .file_systems
            .iter()
            .filter(|f| f.bytes_read > 0 || f.bytes_written > 0)
        {
            let key = if f.fs_type.is_empty() {
                f.mount.clone()
            } else {
                format!("{} ({})", f.mount, f.fs_type)
            };
            let e = want.entry(key).or_default();
            e.0 += 1;
            e.1 += f.bytes_read as f64;
            e.2 += f.bytes_written as f64;
        }
    }
    let got: std::collections::BTreeMap<String, (usize, f64, f64)> = s
        .file_systems
        .iter()
        .map(|(k, t)| (k.clone(), (t.jobs, t.bytes_read, t.bytes_written)))
        .collect();
    assert_eq!(got, want);
    assert!(got.contains_key("/ (overlay)") && got.contains_key("/ (ext4)"));
}
