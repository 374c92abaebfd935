//! sacct --json and slurmrestd job lists on arbitrary bytes, opened as the accountant opens a file
//! (gzip and zip undone) and read past bad jobs: a record or an error, never a panic or a hang.
//!
//!   cargo fuzz run sacct_json fuzz/corpus/sacct_json   (fuzz/seed.sh fills the corpus)

#![no_main]

mod common;

use impacts_accounting::input::InputFormat;
use impacts_accounting::sacct_text::TextOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::read_all(
        "sacct_json",
        data,
        InputFormat::SacctJson,
        &TextOptions::default(),
    );
});
