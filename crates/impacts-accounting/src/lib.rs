//! Scheduler accounting for `impacts`: the footprint of every job a cluster ran.
//!
//! Readers ([`sacct_text::SacctText`], [`sacct_json::SacctJson`], [`swf::Swf`]) turn a byte stream
//! — plain, gzip or zip ([`input`]) — into [`record::JobRecord`]s, one per job with its steps folded
//! in. An [`accountant::Accountant`] maps each record to a partition of a center, evaluates it with
//! the partition's compiled [`impacts::JobEstimator`], hands a row to a [`sink::JobSink`] (CSV, JSON
//! Lines, Parquet) and adds it to a [`summary::Summary`] (totals, groups, Monte Carlo bounds). Memory
//! does not grow with the input: records are streamed and summarised as they come.
//!
//! ```no_run
//! use impacts::Engine;
//! use impacts_accounting::accountant::{Accountant, Options};
//! use impacts_accounting::sink::NoSink;
//!
//! let engine = Engine::new().unwrap();
//! let opts = Options { default_partition: Some("cpu_p1".into()), ..Options::default() };
//! let mut acc = Accountant::new(&engine, opts).unwrap();
//! let summary = acc.run(&["sacct.txt".to_string()], &mut NoSink, &mut |_| {}).unwrap();
//! println!("{} jobs", summary.jobs);
//! ```

#![warn(missing_docs)]

pub mod accountant;
pub mod input;
pub mod parquet;
pub mod record;
pub mod sacct_json;
pub mod sacct_text;
pub mod sink;
pub mod summary;
pub mod swf;

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// An error reading a record, located.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReadError {
    /// Input name.
    pub file: String,
    /// Line (text) or position (JSON); 0 when not applicable.
    pub line: u64,
    /// Column, when known.
    pub column: Option<u64>,
    /// Field at fault, when known.
    pub field: Option<String>,
    /// What was expected and what was found.
    pub message: String,
    /// True when reading cannot go on (I/O, syntax of a whole document); false for one bad record.
    pub fatal: bool,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(fl) = &self.field {
            write!(f, "field {fl}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ReadError {}

/// Notable things met while reading, counted by code, with a few examples.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Issues {
    /// Code → count and first examples.
    pub by_code: BTreeMap<String, Issue>,
}

/// One kind of issue.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Issue {
    /// Occurrences.
    pub count: u64,
    /// The first messages.
    pub examples: Vec<String>,
}

impl Issues {
    /// Counts one occurrence of `code`, keeping the first three messages.
    pub fn note(&mut self, code: &str, message: impl Into<String>) {
        let e = self.by_code.entry(code.to_string()).or_default();
        e.count += 1;
        if e.examples.len() < 3 {
            let m = message.into();
            if !e.examples.contains(&m) {
                e.examples.push(m);
            }
        }
    }

    /// Counts `n` occurrences of `code` with one message (for per-job tallies).
    pub fn add(&mut self, code: &str, n: u64, message: &str) {
        if n == 0 {
            return;
        }
        let e = self.by_code.entry(code.to_string()).or_default();
        e.count += n;
        if e.examples.is_empty() {
            e.examples.push(message.to_string());
        }
    }
}

/// A source of job records.
pub trait RecordReader {
    /// Reads the next job into `out`; `Ok(false)` at the end of the input.
    fn next_job(
        &mut self,
        out: &mut record::JobRecord,
        issues: &mut Issues,
    ) -> Result<bool, ReadError>;
}
