//! The characterization on whatever the reader accepts from arbitrary bytes: volumes, times,
//! timelines, spectra and verdicts must come out (finite or not) without a panic or a runaway
//! allocation.
//!
//!   cargo fuzz run io_characterize fuzz/corpus/darshan_log

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(log) = impacts_darshan::Log::parse("fuzz", data) {
        let _ = impacts_io::characterize(&log);
    }
});
