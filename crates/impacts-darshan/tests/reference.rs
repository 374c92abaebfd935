//! Every log of `../shared/data/darshan-logs` against what the official library (PyDarshan 3.5.0)
//! reads of it (`reference-values.json`): version, byte order, compression, command line, job
//! record, mounts, name records, modules with their versions and partial flags, and records,
//! shared records and bytes of POSIX, MPI-IO and STDIO, records and segments of DXT, the APIs of
//! HEATMAP.

use std::path::PathBuf;

use impacts_darshan::{id, Compression, Log};
use serde_json::Value;

fn data() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/darshan-logs");
    if p.is_dir() {
        return Some(p);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("../shared/data is absent, and CI=true requires it");
    }
    eprintln!("notice: ../shared/data is absent; skipping the Darshan reference test");
    None
}

fn cmp(diffs: &mut Vec<String>, rel: &str, what: &str, got: Value, exp: &Value) {
    if &got != exp {
        diffs.push(format!("{rel}: {what}: read {got}, reference {exp}"));
    }
}

#[test]
fn every_log_reads_as_the_official_library_reads_it() {
    let Some(dir) = data() else { return };
    let reference: serde_json::Map<String, Value> = serde_json::from_str(
        &std::fs::read_to_string(dir.join("reference-values.json")).expect("reference"),
    )
    .expect("JSON");
    assert_eq!(reference.len(), 69);
    let mut diffs: Vec<String> = Vec::new();
    let mut checked = 0;
    for (rel, want) in &reference {
        let path = dir.join(rel);
        let log = match Log::read(&path.to_string_lossy()) {
            Ok(l) => l,
            Err(e) => {
                diffs.push(format!("{rel}: {e}"));
                continue;
            }
        };
        cmp(
            &mut diffs,
            rel,
            "version",
            Value::from(log.version.clone()),
            &want["version"],
        );
        cmp(
            &mut diffs,
            rel,
            "big_endian",
            Value::from(log.big_endian),
            &want["big_endian"],
        );
        let comp = match log.compression {
            Compression::Zlib => 0,
            Compression::Bzip2 => 1,
            Compression::None => 2,
        };
        cmp(
            &mut diffs,
            rel,
            "comp_type",
            Value::from(comp),
            &want["comp_type"],
        );
        cmp(
            &mut diffs,
            rel,
            "exe",
            Value::from(log.exe.clone()),
            &want["exe"],
        );
        cmp(
            &mut diffs,
            rel,
            "size",
            Value::from(log.size),
            &want["size"],
        );
        let j = &want["job"];
        cmp(&mut diffs, rel, "uid", Value::from(log.job.uid), &j["uid"]);
        cmp(
            &mut diffs,
            rel,
            "jobid",
            Value::from(log.job.jobid),
            &j["jobid"],
        );
        cmp(
            &mut diffs,
            rel,
            "nprocs",
            Value::from(log.job.nprocs),
            &j["nprocs"],
        );
        cmp(
            &mut diffs,
            rel,
            "start_time_sec",
            Value::from(log.job.start_time_sec),
            &j["start_time_sec"],
        );
        cmp(
            &mut diffs,
            rel,
            "start_time_nsec",
            Value::from(log.job.start_time_nsec),
            &j["start_time_nsec"],
        );
        cmp(
            &mut diffs,
            rel,
            "end_time_sec",
            Value::from(log.job.end_time_sec),
            &j["end_time_sec"],
        );
        cmp(
            &mut diffs,
            rel,
            "end_time_nsec",
            Value::from(log.job.end_time_nsec),
            &j["end_time_nsec"],
        );
        let rt = j["run_time"].as_f64().unwrap_or(f64::NAN);
        if (log.job.run_time - rt).abs() > 1e-9 * rt.abs().max(1.0) {
            diffs.push(format!(
                "{rel}: run_time: read {}, reference {rt}",
                log.job.run_time
            ));
        }
        cmp(
            &mut diffs,
            rel,
            "n_mounts",
            Value::from(log.mounts.len()),
            &want["n_mounts"],
        );
        cmp(
            &mut diffs,
            rel,
            "n_name_records",
            Value::from(log.names.len()),
            &want["n_name_records"],
        );
        let mods = want["modules"].as_object().expect("modules");
        let mut got_names: Vec<&str> = log.modules.iter().map(|m| m.name()).collect();
        got_names.sort_unstable();
        let mut want_names: Vec<&str> = mods.keys().map(String::as_str).collect();
        want_names.sort_unstable();
        if got_names != want_names {
            diffs.push(format!(
                "{rel}: modules: read {got_names:?}, reference {want_names:?}"
            ));
        }
        for m in &log.modules {
            let Some(w) = mods.get(m.name()) else {
                continue;
            };
            cmp(
                &mut diffs,
                rel,
                &format!("{} ver", m.name()),
                Value::from(m.version),
                &w["ver"],
            );
            cmp(
                &mut diffs,
                rel,
                &format!("{} partial_flag", m.name()),
                Value::from(m.partial),
                &w["partial_flag"],
            );
            match m.id {
                id::POSIX | id::MPIIO | id::STDIO => match log.records(m) {
                    Ok(recs) => {
                        cmp(
                            &mut diffs,
                            rel,
                            &format!("{} n_records", m.name()),
                            Value::from(recs.len()),
                            &w["n_records"],
                        );
                        cmp(
                            &mut diffs,
                            rel,
                            &format!("{} n_shared_records", m.name()),
                            Value::from(recs.iter().filter(|r| r.rank == -1).count()),
                            &w["n_shared_records"],
                        );
                        cmp(
                            &mut diffs,
                            rel,
                            &format!("{} bytes_read", m.name()),
                            Value::from(recs.iter().map(|r| r.bytes_read).sum::<i64>()),
                            &w["bytes_read"],
                        );
                        cmp(
                            &mut diffs,
                            rel,
                            &format!("{} bytes_written", m.name()),
                            Value::from(recs.iter().map(|r| r.bytes_written).sum::<i64>()),
                            &w["bytes_written"],
                        );
                    }
                    Err(e) => diffs.push(format!("{rel}: {e}")),
                },
                id::DXT_POSIX | id::DXT_MPIIO => match log.records(m) {
                    Ok(recs) => {
                        cmp(
                            &mut diffs,
                            rel,
                            &format!("{} n_records", m.name()),
                            Value::from(recs.len()),
                            &w["n_records"],
                        );
                        cmp(
                            &mut diffs,
                            rel,
                            &format!("{} n_segments", m.name()),
                            Value::from(recs.iter().map(|r| r.segments.len()).sum::<usize>()),
                            &w["n_segments"],
                        );
                    }
                    Err(e) => diffs.push(format!("{rel}: {e}")),
                },
                id::HEATMAP => match log.records(m) {
                    Ok(recs) => {
                        // The APIs that have heatmaps (one record per API and rank), sorted.
                        let apis: std::collections::BTreeSet<String> = recs
                            .iter()
                            .map(|r| {
                                let n = log.names.get(&r.id).cloned().unwrap_or_default();
                                n.strip_prefix("heatmap:").unwrap_or(&n).to_string()
                            })
                            .collect();
                        let apis: Vec<Value> = apis.into_iter().map(Value::from).collect();
                        cmp(
                            &mut diffs,
                            rel,
                            "HEATMAP apis",
                            Value::from(apis),
                            &w["apis"],
                        );
                    }
                    Err(e) => diffs.push(format!("{rel}: {e}")),
                },
                _ => {}
            }
        }
        checked += 1;
    }
    assert!(
        diffs.is_empty(),
        "{} difference(s):\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    assert_eq!(checked, 69);
}
