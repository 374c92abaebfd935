//! The Darshan reader on arbitrary bytes: it must return a log or an error, never panic.
//!
//!   cargo fuzz run darshan_log fuzz/corpus/darshan_log   (seed it with ../shared/data/darshan-logs)

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(log) = impacts_darshan::Log::parse("fuzz", data) {
        for m in &log.modules {
            let _ = log.records(m);
        }
    }
});
