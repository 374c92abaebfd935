//! What the accounting targets share: the input written to a file and opened as the accountant
//! opens it (`impacts_accounting::input::reader`: gzip and zip undone, the format forced), every
//! record read as `--skip-bad-lines` reads them, and each record's derived values computed.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use impacts_accounting::clock::Clocks;
use impacts_accounting::input::{self, InputFormat};
use impacts_accounting::record::{first_host, split_job_id, JobRecord, JobState};
use impacts_accounting::sacct_text::TextOptions;
use impacts_accounting::{Issues, RecordReader};

/// A path of this process for `name` (in /dev/shm when there is one: no disk writes).
pub fn scratch_path(target: &str, name: &str) -> &'static str {
    static PATHS: OnceLock<std::sync::Mutex<Vec<(String, &'static str)>>> = OnceLock::new();
    let key = format!("{target}-{name}");
    let mut paths = PATHS.get_or_init(Default::default).lock().expect("paths");
    if let Some((_, p)) = paths.iter().find(|(k, _)| *k == key) {
        return p;
    }
    let shm = PathBuf::from("/dev/shm");
    let dir = if shm.is_dir() {
        shm
    } else {
        std::env::temp_dir()
    };
    let p: &'static str = Box::leak(
        dir.join(format!("impacts-fuzz-{}-{key}", std::process::id()))
            .to_string_lossy()
            .into_owned()
            .into_boxed_str(),
    );
    paths.push((key, p));
    p
}

/// `data` written to the scratch file `name`; its path.
pub fn scratch_file(target: &str, name: &str, data: &[u8]) -> &'static str {
    let path = scratch_path(target, name);
    std::fs::write(path, data).expect("write the scratch file");
    path
}

/// Reads `data` as the accountant reads a file of `format`: every record, past bad ones.
pub fn read_all(target: &str, data: &[u8], format: InputFormat, text: &TextOptions) {
    let _ = input::detect(&mut &data[..]);
    let path = scratch_file(target, "in", data);
    let src = match input::reader(path, 0, Some(format), text) {
        Ok(s) => s,
        Err(_) => return,
    };
    drain(src.reader, data.len());
}

/// Reads every record of `reader`, going on past the errors that let reading go on (as
/// `--skip-bad-lines` does); a reader that returns errors without moving on is a hang.
pub fn drain(mut reader: Box<dyn RecordReader + Send>, len: usize) {
    let mut rec = JobRecord::default();
    let mut issues = Issues::default();
    let mut clocks = Clocks::new(Some(paris().clone()));
    let cap = 1_000_000 + 64 * len;
    let mut calls = 0usize;
    loop {
        calls += 1;
        assert!(calls <= cap, "the reader makes no progress");
        match reader.next_job(&mut rec, &mut issues) {
            Ok(true) => touch(&rec, &mut clocks),
            Ok(false) => break,
            Err(e) if !e.fatal => continue,
            Err(_) => break,
        }
    }
    let _ = issues.by_code();
}

fn paris() -> &'static jiff::tz::TimeZone {
    static TZ: OnceLock<jiff::tz::TimeZone> = OnceLock::new();
    TZ.get_or_init(|| jiff::tz::TimeZone::get("Europe/Paris").expect("bundled zone"))
}

/// What the accountant and its sinks compute from a record: duration, energy, dates, UTC
/// instants, the state, the job id's parts, the first host.
fn touch(rec: &JobRecord, clocks: &mut Clocks) {
    let _ = rec.duration_s();
    let _ = rec.measured_energy_j();
    if let Some(d) = rec.date() {
        let _ = d.day();
        let _ = d.month();
    }
    for t in [rec.submit, rec.start, rec.end].into_iter().flatten() {
        let _ = t.format();
    }
    let _ = clocks.utc(rec.start, rec.clock);
    let _ = clocks.utc(rec.end, rec.clock);
    let _ = JobState::parse(&rec.state_raw).as_str();
    let _ = split_job_id(&rec.job_id);
    let _ = first_host(&rec.node_list);
}
