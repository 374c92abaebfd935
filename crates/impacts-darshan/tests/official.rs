//! Every record of every log of `../shared/data/darshan-logs`, counter by counter, against the
//! official reader: libdarshan-util from PyDarshan 3.5.0's wheel, run at test time through
//! `tests/official/dump.py` (ci/test installs it in its virtual environment). Counters, doubles
//! (bit for bit), file record ids, DXT hosts and segments, heatmap bins, Lustre layouts.
//!
//! Where the official reader is wrong, the test says so and checks that the difference is exactly
//! that defect (docs/darshan.md, "Where the official reader is wrong").

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use impacts_darshan::{counters, id, Log, Record, MODULES};
use serde_json::Value;

fn data() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/darshan-logs");
    if p.is_dir() {
        return Some(p);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("../shared/data is absent, and CI=true requires it");
    }
    eprintln!("notice: ../shared/data is absent; skipping the comparison with the official reader");
    None
}

/// The Python that has PyDarshan: `IMPACTS_PYTHON`, else `python3` on the PATH.
fn python() -> Option<String> {
    let py = std::env::var("IMPACTS_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&py)
        .args(["-c", "import darshan.backend.cffi_backend"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if ok {
        return Some(py);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "PyDarshan is not importable by {py}, and CI=true requires it (ci/test installs it)"
        );
    }
    eprintln!("notice: PyDarshan is not importable by {py}; skipping the comparison with the official reader (run ci/test, or pip install darshan==3.5.0)");
    None
}

fn logs(dir: &Path) -> Vec<PathBuf> {
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).expect("readable folder").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "darshan") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

fn module_id(name: &str) -> usize {
    MODULES
        .iter()
        .position(|m| *m == name)
        .expect("known module")
}

fn bits(v: &Value) -> u64 {
    v.as_u64().expect("bits")
}

fn ints(v: &Value) -> Vec<i64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| {
            x.as_i64()
                .unwrap_or_else(|| x.as_u64().expect("int") as i64)
        })
        .collect()
}

/// A known defect of the official reader: for big-endian logs whose POSIX records are older than
/// version 4, it leaves three doubles unswapped (it tests the double's index against the indexes
/// of integer counters it inserted: RENAME_SOURCES, RENAME_TARGETS, RENAMED_FROM = 10, 11, 12,
/// which among the doubles are F_META_TIME, F_MAX_READ_TIME, F_MAX_WRITE_TIME).
fn official_swap_defect(log: &Log, module: usize, version: u32, f: usize) -> bool {
    log.big_endian
        && module == id::POSIX
        && version < 4
        && [
            counters::posix::F_META_TIME,
            counters::posix::F_MAX_READ_TIME,
            counters::posix::F_MAX_WRITE_TIME,
        ]
        .contains(&f)
}

/// A second defect: up-converting POSIX records of versions 2 and 3, the official reader moves the
/// counters with lengths computed from the old record size, so the last doubles are lost and read
/// 0: F_VARIANCE_RANK_TIME and F_VARIANCE_RANK_BYTES for version 3, also F_FASTEST_RANK_TIME and
/// F_SLOWEST_RANK_TIME for version 2.
fn official_truncation_defect(module: usize, version: u32, f: usize) -> bool {
    use counters::posix::*;
    module == id::POSIX
        && match version {
            3 => f >= F_VARIANCE_RANK_TIME,
            2 => f >= F_FASTEST_RANK_TIME,
            _ => false,
        }
}

fn compare(
    log: &Log,
    module: usize,
    version: u32,
    ours: &Record,
    theirs: &Value,
    defects: &mut BTreeMap<String, usize>,
) -> Vec<String> {
    let mut d = Vec::new();
    if theirs["id"].as_u64() != Some(ours.id) {
        d.push(format!("id {} vs {}", ours.id, theirs["id"]));
    }
    if theirs["rank"].as_i64() != Some(ours.rank) {
        d.push(format!("rank {} vs {}", ours.rank, theirs["rank"]));
    }
    if let Some(c) = theirs.get("counters") {
        let c = ints(c);
        for (i, (a, b)) in ours.counters.iter().zip(&c).enumerate() {
            if a != b {
                d.push(format!("counter {i}: {a} vs {b}"));
            }
        }
        if c.len() != ours.counters.len() {
            d.push(format!("{} counters vs {}", ours.counters.len(), c.len()));
        }
        let f: Vec<u64> = theirs["fcounters"]
            .as_array()
            .expect("array")
            .iter()
            .map(bits)
            .collect();
        for (i, (a, b)) in ours.fcounters.iter().zip(&f).enumerate() {
            if a.to_bits() == *b {
                continue;
            }
            if official_swap_defect(log, module, version, i) && a.to_bits().swap_bytes() == *b {
                *defects
                    .entry(format!("big-endian POSIX v{version}: double {i} unswapped"))
                    .or_default() += 1;
                continue;
            }
            if official_truncation_defect(module, version, i) && *b == 0 {
                *defects
                    .entry(format!("POSIX v{version}: double {i} lost"))
                    .or_default() += 1;
                continue;
            }
            d.push(format!("fcounter {i}: {a} vs {}", f64::from_bits(*b)));
        }
        if f.len() != ours.fcounters.len() {
            d.push(format!("{} fcounters vs {}", ours.fcounters.len(), f.len()));
        }
        if theirs.get("file_rec_id").and_then(Value::as_u64) != ours.file_rec_id {
            d.push(format!(
                "file_rec_id {:?} vs {}",
                ours.file_rec_id, theirs["file_rec_id"]
            ));
        }
    }
    if let Some(comps) = theirs.get("components") {
        let comps = comps.as_array().expect("array");
        if comps.len() != ours.lustre.len() {
            d.push(format!(
                "{} components vs {}",
                ours.lustre.len(),
                comps.len()
            ));
        }
        for (a, b) in ours.lustre.iter().zip(comps) {
            if a.counters != ints(&b["counters"]) {
                d.push(format!("component {:?} vs {}", a.counters, b["counters"]));
            }
            if b["pool_name"].as_str() != Some(a.pool_name.as_str()) {
                d.push(format!("pool {} vs {}", a.pool_name, b["pool_name"]));
            }
            if a.ost_ids != ints(&b["ost_ids"]) {
                d.push(format!("OSTs {:?} vs {}", a.ost_ids, b["ost_ids"]));
            }
        }
    }
    if let Some(w) = theirs.get("write_segments") {
        if theirs["hostname"].as_str() != Some(ours.hostname.as_str()) {
            d.push(format!("host {} vs {}", ours.hostname, theirs["hostname"]));
        }
        let want: Vec<(bool, Vec<u64>)> = w
            .as_array()
            .expect("array")
            .iter()
            .map(|s| (true, s))
            .chain(
                theirs["read_segments"]
                    .as_array()
                    .expect("array")
                    .iter()
                    .map(|s| (false, s)),
            )
            .map(|(write, s)| {
                (
                    write,
                    s.as_array()
                        .expect("segment")
                        .iter()
                        .map(|x| {
                            x.as_u64()
                                .unwrap_or_else(|| x.as_i64().expect("int") as u64)
                        })
                        .collect(),
                )
            })
            .collect();
        let got: Vec<(bool, Vec<u64>)> = ours
            .segments
            .iter()
            .map(|s| {
                (
                    s.write,
                    vec![
                        s.offset as u64,
                        s.length as u64,
                        s.start.to_bits(),
                        s.end.to_bits(),
                    ],
                )
            })
            .collect();
        if got != want {
            d.push(format!(
                "{} segments differ from the {} read",
                got.len(),
                want.len()
            ));
        }
    }
    if let Some(w) = theirs.get("write_bins") {
        let bins = ours.bins.as_ref();
        if bins.map(|b| b.write.clone()) != Some(ints(w))
            || bins.map(|b| b.read.clone()) != Some(ints(&theirs["read_bins"]))
            || bins.map(|b| b.width.to_bits()) != theirs["bin_width"].as_u64()
        {
            d.push("heatmap bins differ".into());
        }
    }
    d
}

#[test]
fn every_record_reads_as_the_official_reader_reads_it() {
    let Some(dir) = data() else { return };
    let Some(py) = python() else { return };
    let paths = logs(&dir);
    assert_eq!(paths.len(), 69, "the shared data holds 69 logs");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/official/dump.py");
    let out = Command::new(&py)
        .arg(&script)
        .args(&paths)
        .output()
        .expect("run dump.py");
    assert!(
        out.status.success(),
        "dump.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut diffs: Vec<String> = Vec::new();
    let mut defects: BTreeMap<String, usize> = BTreeMap::new();
    let mut compared: BTreeMap<&str, usize> = BTreeMap::new();
    let mut versions: BTreeMap<String, usize> = BTreeMap::new();
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let mut logs_seen = 0;
    for line in stdout.lines() {
        let v: Value = serde_json::from_str(line).expect("JSON line");
        let file = v["file"].as_str().expect("file");
        let log = Log::read(file).expect("readable log");
        logs_seen += 1;
        for (name, recs) in v["modules"].as_object().expect("modules") {
            let m = log.module(module_id(name)).expect("module present");
            let ours = match log.records(m) {
                Ok(r) => r,
                Err(e) => {
                    diffs.push(format!("{file}: {name}: {e}"));
                    continue;
                }
            };
            let theirs = recs.as_array().expect("records");
            if ours.len() != theirs.len() {
                diffs.push(format!(
                    "{file}: {name}: {} records, official {}",
                    ours.len(),
                    theirs.len()
                ));
            }
            for (k, (a, b)) in ours.iter().zip(theirs).enumerate() {
                for d in compare(&log, m.id, m.version, a, b, &mut defects) {
                    diffs.push(format!("{file}: {name} v{} record {k}: {d}", m.version));
                }
            }
            *compared.entry(MODULES[m.id]).or_default() += theirs.len();
            *versions
                .entry(format!("{} v{}", MODULES[m.id], m.version))
                .or_default() += theirs.len();
        }
    }
    assert_eq!(logs_seen, 69);
    eprintln!("records compared, by module and version: {versions:?}");
    eprintln!("the official reader's defects met: {defects:?}");
    if !diffs.is_empty() {
        let n = diffs.len();
        diffs.truncate(40);
        panic!("{n} differences:\n{}", diffs.join("\n"));
    }
    // The comparison reached every module it claims to: a dump that lost a module would pass.
    for m in [
        "POSIX",
        "MPI-IO",
        "STDIO",
        "H5F",
        "H5D",
        "PNETCDF_FILE",
        "PNETCDF_VAR",
        "BG/Q",
        "LUSTRE",
        "DXT_POSIX",
        "DXT_MPIIO",
        "HEATMAP",
    ] {
        assert!(
            compared.get(m).copied().unwrap_or(0) > 0,
            "no {m} record compared"
        );
    }
}
