//! sacct text (`--parsable2`, `--parsable`, Markdown tables, other delimiters) on arbitrary bytes,
//! opened as the accountant opens a file (gzip and zip undone) and read past bad lines: a record or
//! an error, never a panic or a hang. Each input is read twice: with its header row (or Markdown
//! table) found as `impacts accounting` does by default, and headerless with `--fields` given.
//!
//!   cargo fuzz run sacct_text fuzz/corpus/sacct_text   (fuzz/seed.sh fills the corpus)

#![no_main]

mod common;

use impacts_accounting::input::InputFormat;
use impacts_accounting::sacct_text::TextOptions;
use libfuzzer_sys::fuzz_target;

/// The field list of docs (`impacts accounting --fields`), with energy and requests.
const FIELDS: &str = "JobID,JobIDRaw,User,Account,Partition,State,Submit,Start,End,Elapsed,NNodes,NCPUS,AllocTRES,ReqTRES,ReqMem,ConsumedEnergyRaw,NodeList,TotalCPU";

fuzz_target!(|data: &[u8]| {
    common::read_all(
        "sacct_text",
        data,
        InputFormat::Sacct,
        &TextOptions::default(),
    );
    let headerless = TextOptions {
        delimiter: None,
        fields: Some(FIELDS.split(',').map(str::to_string).collect()),
    };
    common::read_all("sacct_text", data, InputFormat::Sacct, &headerless);
});
