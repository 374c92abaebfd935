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
pub mod clock;
pub mod hash;
pub mod input;
pub mod load_shape;
pub mod record;
pub mod sacct_json;
pub mod sacct_text;
pub mod sink;
pub mod summary;
pub mod swf;
pub mod table;

use std::borrow::Cow;
use std::collections::BTreeMap;

use impacts::{InputError, Location};

use serde::Serialize;

/// A record or an input that cannot be read: an [`InputError`] located in its file (its field
/// is the record's column, as the format names it), and whether reading can go on.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{error}")]
pub struct ReadError {
    /// What is wrong, where.
    pub error: InputError,
    /// True when reading cannot go on (I/O, syntax of a whole document); false for one bad record.
    pub fatal: bool,
}

impl ReadError {
    /// One bad record: reading can go on past it.
    pub fn record(error: InputError) -> ReadError {
        ReadError {
            error,
            fatal: false,
        }
    }

    /// Reading cannot go on.
    pub fn fatal(error: InputError) -> ReadError {
        ReadError { error, fatal: true }
    }

    /// A malformed record or document at a line (and column) of `file`, in `field` when known.
    pub(crate) fn malformed(
        file: &str,
        line: u64,
        column: Option<u64>,
        field: Option<&str>,
        message: String,
        fatal: bool,
    ) -> ReadError {
        let mut error = InputError::malformed(message).at(Location::at(file, line, column));
        error.field = field.map(str::to_string);
        ReadError { error, fatal }
    }

    /// An input that cannot be read at all.
    pub(crate) fn unreadable(file: &str, why: impl std::fmt::Display) -> ReadError {
        ReadError::fatal(
            InputError::unreadable(format!("cannot read: {why}")).at(Location::file(file)),
        )
    }
}

/// Notable things met while reading, counted by code, with a few examples.
///
/// Codes are static strings; they are found by a short linear scan that compares pointers first,
/// so counting an issue per job costs a few nanoseconds. Issues read back from a partial run
/// ([`accountant::Partial`]) own their codes.
#[derive(Clone, Debug, Default, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Issues {
    items: Vec<(Cow<'static, str>, Issue)>,
}

/// One kind of issue.
#[derive(Clone, Debug, Default, Serialize, serde::Deserialize)]
pub struct Issue {
    /// Occurrences.
    pub count: u64,
    /// The first messages.
    pub examples: Vec<String>,
}

impl Issues {
    /// Counts one occurrence of `code`, keeping the first three distinct messages (`message` is
    /// called only while fewer are kept: counting stays cheap on large inputs).
    pub fn note(&mut self, code: &'static str, message: impl FnOnce() -> String) {
        let e = self.entry(Cow::Borrowed(code));
        e.count += 1;
        if e.examples.len() < 3 {
            let m = message();
            if !e.examples.contains(&m) {
                e.examples.push(m);
            }
        }
    }

    /// Counts `n` occurrences of `code` with one message (for per-job tallies).
    pub fn add(&mut self, code: &'static str, n: u64, message: &str) {
        if n == 0 {
            return;
        }
        let e = self.entry(Cow::Borrowed(code));
        e.count += n;
        if e.examples.is_empty() {
            e.examples.push(message.to_string());
        }
    }

    /// How many times `code` was counted.
    pub fn count(&self, code: &str) -> u64 {
        self.items
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(0, |(_, i)| i.count)
    }

    /// The issues by code, in code order.
    pub fn by_code(&self) -> BTreeMap<&str, &Issue> {
        self.items.iter().map(|(c, i)| (c.as_ref(), i)).collect()
    }

    /// Adds the counts and examples of `other`.
    pub fn merge(&mut self, other: Issues) {
        for (code, issue) in other.items {
            let e = self.entry(code);
            e.count = e.count.saturating_add(issue.count);
            for m in issue.examples {
                if e.examples.len() < 3 && !e.examples.contains(&m) {
                    e.examples.push(m);
                }
            }
        }
    }

    fn entry(&mut self, code: Cow<'static, str>) -> &mut Issue {
        let same = |c: &Cow<'static, str>| match (c, &code) {
            (Cow::Borrowed(a), Cow::Borrowed(b)) => std::ptr::eq(*a, *b) || a == b,
            (a, b) => a == b,
        };
        let i = match self.items.iter().position(|(c, _)| same(c)) {
            Some(i) => i,
            None => {
                self.items.push((code, Issue::default()));
                self.items.len() - 1
            }
        };
        &mut self.items[i].1
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

/// The jobs of an accounting file (any format `input::reader` detects) whose id or raw id is
/// in `ids`, by the id asked for. `fields` names the columns of a sacct text file without a
/// header. Reads the whole file once.
pub fn find_jobs(
    path: &str,
    fields: Option<&str>,
    ids: &std::collections::HashSet<String>,
) -> Result<std::collections::HashMap<String, record::JobRecord>, ReadError> {
    let text = sacct_text::TextOptions {
        delimiter: None,
        fields: fields.map(|f| f.split(',').map(|s| s.trim().to_string()).collect()),
    };
    let mut reader = input::reader(path, 0, None, &text)?.reader;
    let mut rec = record::JobRecord::default();
    let mut issues = Issues::default();
    let mut found = std::collections::HashMap::new();
    while found.len() < ids.len() && reader.next_job(&mut rec, &mut issues)? {
        for id in [&rec.job_id, &rec.job_id_raw] {
            if !id.is_empty() && ids.contains(id.as_str()) && !found.contains_key(id.as_str()) {
                found.insert(id.clone(), rec.clone());
            }
        }
    }
    Ok(found)
}
