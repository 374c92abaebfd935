//! The characterization of logs written by hand (the reader's test builder): sums that a
//! corrupt counter would overflow are capped and said to be, never wrapped (the fuzzer's second
//! finding, `fuzz/fuzz_targets/io_characterize.rs`).

#[path = "../../impacts-darshan/tests/support/mod.rs"]
mod support;

use impacts_darshan::{counters::posix, Log};
use support::Builder;

#[test]
fn operation_counts_add_up_over_records() {
    // Two POSIX records of 3 reads and 5 opens each: 6 reads, 10 opens, by hand.
    let bytes =
        Builder { big: false }.log_with([100, 200], 1, &[(posix::READS, 3), (posix::OPENS, 5)], 2);
    let r = impacts_io::characterize(&Log::parse("two.darshan", &bytes).expect("log"));
    assert_eq!((r.operations.reads, r.operations.opens), (6, 10));
    assert_eq!(r.metadata.operations, 10);
    // 4,096 bytes read and 2³⁰ written by each record, on /scratch (lustre).
    assert_eq!((r.bytes_read, r.bytes_written), (8192, 2 << 30));
    assert_eq!(r.file_systems[0].mount, "/scratch");
    assert!(
        !r.warnings
            .iter()
            .any(|w| w.code == "io.implausible-counters"),
        "{:?}",
        r.warnings
    );
}

#[test]
fn counters_too_large_to_add_are_capped_and_warned() {
    for counter in [posix::READS, posix::OPENS, posix::SIZE_READ_0_100] {
        let bytes = Builder { big: true }.log_with([100, 200], 1, &[(counter, i64::MAX as u64)], 2);
        let r = impacts_io::characterize(&Log::parse("huge.darshan", &bytes).expect("log"));
        let capped = match counter {
            posix::READS => r.operations.reads,
            posix::OPENS => r.metadata.operations,
            _ => r.access_sizes.read[0],
        };
        assert_eq!(capped, i64::MAX, "counter {counter}");
        assert!(
            r.warnings
                .iter()
                .any(|w| w.code == "io.implausible-counters"),
            "counter {counter}: {:?}",
            r.warnings
        );
    }
}
