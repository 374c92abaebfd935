//! Inputs that made the readers or the accountant panic on an integer overflow, found by the fuzz
//! targets `swf`, `sacct_text` and `accounting` or while writing them (docs/fuzzing.md). Each is
//! read as the target reads it: a record or an error, and what the accountant derives from a
//! record, never a panic.

use impacts::Engine;
use impacts_accounting::accountant::{Accountant, Options};
use impacts_accounting::clock::Clocks;
use impacts_accounting::record::JobRecord;
use impacts_accounting::sacct_text::{SacctText, TextOptions};
use impacts_accounting::sink::NoSink;
use impacts_accounting::swf::Swf;
use impacts_accounting::{Issues, ReadError, RecordReader};

/// Every record of `reader`, and the errors met, going on past those that let reading go on.
fn read_all(mut reader: impl RecordReader) -> (Vec<JobRecord>, Vec<ReadError>) {
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    let mut rec = JobRecord::default();
    let mut issues = Issues::default();
    loop {
        match reader.next_job(&mut rec, &mut issues) {
            Ok(true) => out.push(rec.clone()),
            Ok(false) => return (out, errors),
            Err(e) => {
                let fatal = e.fatal;
                errors.push(e);
                if fatal {
                    return (out, errors);
                }
            }
        }
    }
}

fn sacct(text: &[u8]) -> Vec<JobRecord> {
    read_all(SacctText::new(text, "fuzz", 0, TextOptions::default())).0
}

fn swf(text: &[u8]) -> (Vec<JobRecord>, Vec<ReadError>) {
    read_all(Swf::new(text, "fuzz.swf", 0))
}

/// `duration_s` took End − Start in i64: a start in year 0 and an end at the largest UNIX time
/// sacct can print overflowed ("attempt to subtract with overflow").
#[test]
fn a_duration_from_extreme_start_and_end_does_not_overflow() {
    let recs = sacct(b"JobID|Start|End|Elapsed\n1|0000-01-01T00:00:00|9223372036854775807|\n");
    assert_eq!(recs.len(), 1);
    let d = recs[0].duration_s().expect("End after Start");
    assert!(d.is_finite() && d > 9.2e18, "{d}");
}

/// A good SWF record, after the bad one of each test.
const GOOD_SWF: &[u8] = b"2 0 5 60 4 -1 -1 4 -1 -1 1 1 1 -1 1 -1 -1 -1\n";

/// SWF times are seconds after UnixStartTime (and TimeZone) as f64: a submit time of 1.2e19 s
/// became i64::MAX and adding the wait overflowed (the fuzz target's minimized crash, swf.rs:150).
#[test]
fn an_swf_time_past_the_range_of_i64_is_the_record_s_error() {
    let mut input = b"13 11674407379551615258  1 1 -1 1 -1 1 1 1 1 1 -1 1 -1 1 -1 1\n".to_vec();
    input.extend_from_slice(GOOD_SWF);
    let (recs, errors) = swf(&input);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(!errors[0].fatal);
    assert_eq!(errors[0].error.field.as_deref(), Some("wait time"));
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].job_id, "2");
}

/// The same overflow from the header: UnixStartTime + TimeZone, and a run time past i64::MAX.
#[test]
fn an_swf_header_or_run_time_past_the_range_of_i64_is_the_record_s_error() {
    let mut input = b"; UnixStartTime: 9223372036854775807\n; TimeZone: 1\n".to_vec();
    input.extend_from_slice(GOOD_SWF);
    let (recs, errors) = swf(&input);
    assert!(recs.is_empty());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(!errors[0].fatal);

    let mut input = b"1 1e300 0 10 1 -1 -1 1 -1 -1 1 1 1 -1 1 -1 -1 -1\n".to_vec();
    input.extend_from_slice(GOOD_SWF);
    let (recs, errors) = swf(&input);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].error.field.as_deref(), Some("run time"));
    assert_eq!(recs.len(), 1);
}

/// SWF times are local times at TimeZone seconds east: placing one in UTC subtracted TimeZone in
/// i64, which overflowed for a time near the end of the range in a zone west of UTC.
#[test]
fn an_swf_local_time_near_the_end_of_the_range_has_no_utc_instant() {
    let mut input = b"; UnixStartTime: 9223372036854775797\n; TimeZone: -100\n".to_vec();
    input.extend_from_slice(b"1 100 0 -1 1 -1 -1 1 -1 -1 1 1 1 -1 1 -1 -1 -1\n");
    let (recs, errors) = swf(&input);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(recs[0].submit.map(|t| t.0), Some(i64::MAX - 10));
    let mut clocks = Clocks::new(None);
    assert_eq!(clocks.utc(recs[0].submit, recs[0].clock), None);
}

/// The accountant compared Elapsed with End − Start taken in i64: a start in year 0 and an end at
/// the largest UNIX time overflowed (accountant.rs, `plausibility`). Found by the `accounting`
/// fuzz target's check of a crafted input.
#[test]
fn the_accountant_checks_elapsed_against_extreme_start_and_end() {
    let dir = std::env::temp_dir().join(format!("impacts-fuzz-regressions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("extreme.txt");
    std::fs::write(
        &path,
        "JobID|Partition|State|Start|End|Elapsed|NNodes\n\
         1|cpu_p1|COMPLETED|0000-01-01T00:00:00|9223372036854775807|01:00:00|1\n",
    )
    .unwrap();
    let engine = Engine::new().unwrap();
    let mut acc = Accountant::new(&engine, Options::default()).unwrap();
    let report = acc
        .run(
            &[path.to_string_lossy().into_owned()],
            &mut NoSink,
            &mut |_| {},
        )
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(report.jobs, 1);
    assert!(report
        .warnings
        .iter()
        .any(|w| w.code == "accounting.elapsed-mismatch"));
}
