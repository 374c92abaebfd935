//! The Standard Workload Format on arbitrary bytes, opened as the accountant opens a file (gzip and
//! zip undone) and read past bad lines: a record or an error, never a panic or a hang.
//!
//!   cargo fuzz run swf fuzz/corpus/swf   (fuzz/seed.sh fills the corpus)

#![no_main]

mod common;

use impacts_accounting::input::InputFormat;
use impacts_accounting::sacct_text::TextOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::read_all("swf", data, InputFormat::Swf, &TextOptions::default());
});
