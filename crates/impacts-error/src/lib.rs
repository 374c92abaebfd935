//! The error vocabulary shared by the crates of `impacts`.
//!
//! Every bad input ends as an [`InputError`]: its [`Kind`], the input at fault (`field`, named
//! as the library's requests name it in Rust and JSON: `hours`, `memory_gb`, a center file's key
//! `partition.gpu_p6.nodes`, a record's column `Elapsed`), the value given, what was expected,
//! and, for inputs read from files, a [`Location`]. No message names a command-line flag: each
//! shell renders the error in its own words — the command line replaces `hours` by `--hours`
//! ([`InputError::render`]), the service returns the fields as JSON, Python raises an exception
//! that carries them.
//!
//! ```
//! use impacts_error::{InputError, Location};
//!
//! let e = InputError::invalid("hours", "-1", "a positive, finite number of hours");
//! assert_eq!(e.to_string(), "invalid hours '-1': expected a positive, finite number of hours");
//! assert_eq!(
//!     e.render(&|f| format!("--{f}").into()),
//!     "invalid --hours '-1': expected a positive, finite number of hours"
//! );
//! let e = InputError::malformed("a number of seconds").at(Location::at("jobs.txt", 12, Some(3)));
//! assert_eq!(e.to_string(), "jobs.txt:12:3: a number of seconds");
//! ```

#![warn(missing_docs)]

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

/// Where in an input file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file (a path, a bundled file's name, `-` for standard input).
    pub file: String,
    /// Line, 1-based; 0 when the whole file is concerned. For JSON records, the record's number.
    pub line: u64,
    /// Column, 1-based, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// A part of a binary file (`POSIX region`), when lines do not apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

impl Location {
    /// The whole file.
    pub fn file(file: impl Into<String>) -> Location {
        Location {
            file: file.into(),
            ..Location::default()
        }
    }

    /// A line (and column) of a file; line 0 is the whole file.
    pub fn at(file: impl Into<String>, line: u64, column: Option<u64>) -> Location {
        Location {
            file: file.into(),
            line,
            column: column.filter(|_| line > 0),
            region: None,
        }
    }

    /// Where byte `offset` of `text` (the content of `file`) lies: its line and column, 1-based,
    /// the column counted in characters.
    pub fn in_text(file: impl Into<String>, text: &str, offset: usize) -> Location {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let before = &text[..end];
        let line = before.matches('\n').count() as u64 + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
        Location::at(file, line, Some(column))
    }

    /// A region of a binary file.
    pub fn region(file: impl Into<String>, region: impl Into<String>) -> Location {
        Location {
            file: file.into(),
            region: Some(region.into()),
            ..Location::default()
        }
    }
}

impl fmt::Display for Location {
    /// `file`, `file:line`, `file:line:column` or `file: region`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        if let Some(r) = &self.region {
            write!(f, ": {r}")?;
        }
        Ok(())
    }
}

/// What kind of wrong an input is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A value that is not what was expected (a negative duration, a size without its unit).
    Invalid,
    /// A name that is not known (a partition, a zone, a column); `expected` lists the known ones.
    Unknown,
    /// A required input is absent.
    Missing,
    /// Content that does not follow its format (a syntax error, a truncated file).
    Malformed,
    /// An input that cannot be read at all (no such file, permission denied).
    Unreadable,
}

/// What is wrong with which input, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputError {
    /// What kind of wrong.
    pub kind: Kind,
    /// The input at fault, by the library's name for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The value given, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What was expected (for [`Kind::Malformed`] and [`Kind::Unreadable`], what is wrong).
    pub expected: String,
    /// Where, for inputs read from files (boxed: errors stay small on the happy path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Box<Location>>,
}

impl InputError {
    fn new(kind: Kind, field: Option<String>, value: Option<String>, expected: String) -> Self {
        InputError {
            kind,
            field,
            value,
            expected,
            location: None,
        }
    }

    /// A value of `field` that is not what was expected.
    pub fn invalid(
        field: impl Into<String>,
        value: impl Into<String>,
        expected: impl Into<String>,
    ) -> InputError {
        InputError::new(
            Kind::Invalid,
            Some(field.into()),
            Some(value.into()),
            expected.into(),
        )
    }

    /// A value that is not what was expected, before the caller knows which input it was
    /// (parsers of amounts): see [`InputError::for_field`].
    pub fn invalid_value(value: impl Into<String>, expected: impl Into<String>) -> InputError {
        InputError::new(Kind::Invalid, None, Some(value.into()), expected.into())
    }

    /// A name given for `field` that is not known.
    pub fn unknown(
        field: impl Into<String>,
        value: impl Into<String>,
        expected: impl Into<String>,
    ) -> InputError {
        InputError::new(
            Kind::Unknown,
            Some(field.into()),
            Some(value.into()),
            expected.into(),
        )
    }

    /// A required input that is absent.
    pub fn missing(field: impl Into<String>, expected: impl Into<String>) -> InputError {
        InputError::new(Kind::Missing, Some(field.into()), None, expected.into())
    }

    /// Content that does not follow its format; `what` says what is wrong and what was expected.
    pub fn malformed(what: impl Into<String>) -> InputError {
        InputError::new(Kind::Malformed, None, None, what.into())
    }

    /// An input that cannot be read (`why`: the system's reason).
    pub fn unreadable(why: impl Into<String>) -> InputError {
        InputError::new(Kind::Unreadable, None, None, why.into())
    }

    /// The same error located in a file.
    pub fn at(mut self, location: Location) -> InputError {
        self.location = Some(Box::new(location));
        self
    }

    /// The same error with `field` as the input at fault (replacing any other).
    pub fn for_field(mut self, field: impl Into<String>) -> InputError {
        self.field = Some(field.into());
        self
    }

    /// The same error with `field` as the input at fault, unless it names one already.
    pub fn or_field(mut self, field: impl Into<String>) -> InputError {
        if self.field.is_none() {
            self.field = Some(field.into());
        }
        self
    }

    /// The message, with the input named by `name` (the command line gives its flag, `--hours`
    /// for `hours`).
    pub fn render(&self, name: &dyn Fn(&str) -> Cow<'static, str>) -> String {
        let mut s = match &self.location {
            Some(l) => format!("{l}: "),
            None => String::new(),
        };
        let field = self.field.as_deref().map(name);
        let field = field.as_deref();
        let expected = &self.expected;
        let body = match (self.kind, field, &self.value) {
            (Kind::Invalid, Some(f), Some(v)) => format!("invalid {f} '{v}': expected {expected}"),
            (Kind::Invalid, None, Some(v)) => format!("invalid value '{v}': expected {expected}"),
            (Kind::Invalid, Some(f), None) => format!("invalid {f}: expected {expected}"),
            (Kind::Unknown, Some(f), Some(v)) => format!("unknown {f} '{v}': expected {expected}"),
            (Kind::Unknown, None, Some(v)) => format!("unknown '{v}': expected {expected}"),
            (Kind::Missing, Some(f), _) => format!("missing {f}: {expected}"),
            (_, Some(f), _) => format!("{f}: {expected}"),
            (_, None, _) => expected.clone(),
        };
        s.push_str(&body);
        s
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&|f| Cow::Owned(f.to_string())))
    }
}

impl std::error::Error for InputError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_reads_as_a_sentence_with_its_place() {
        let at = Location::at("c.toml", 4, Some(7));
        let cases = [
            (
                InputError::invalid("pue", "0.8", "a number ≥ 1").at(at.clone()),
                "c.toml:4:7: invalid pue '0.8': expected a number ≥ 1",
            ),
            (
                InputError::unknown("partition", "gpu", "one of cpu_p1, gpu_p5"),
                "unknown partition 'gpu': expected one of cpu_p1, gpu_p5",
            ),
            (
                InputError::missing("nodes", "give nodes, cores, gpus or memory_gb"),
                "missing nodes: give nodes, cores, gpus or memory_gb",
            ),
            (
                InputError::malformed("expected a number").at(Location::file("x.csv")),
                "x.csv: expected a number",
            ),
            (
                InputError::invalid_value("12QB", "a size such as 192GB"),
                "invalid value '12QB': expected a size such as 192GB",
            ),
            (
                InputError::malformed("bad magic").at(Location::region("a.darshan", "header")),
                "a.darshan: header: bad magic",
            ),
        ];
        for (e, want) in cases {
            assert_eq!(e.to_string(), want);
        }
    }

    #[test]
    fn a_shell_names_the_field_its_own_way() {
        let e = InputError::invalid_value("12QB", "a size").for_field("memory_gb");
        let flag = |f: &str| -> Cow<'static, str> {
            match f {
                "memory_gb" => "--memory".into(),
                other => format!("--{}", other.replace('_', "-")).into(),
            }
        };
        assert_eq!(e.render(&flag), "invalid --memory '12QB': expected a size");
        // or_field keeps a field already named.
        assert_eq!(e.clone().or_field("x").field.as_deref(), Some("memory_gb"));
    }

    #[test]
    fn an_offset_becomes_a_line_and_a_column_in_characters() {
        let text = "a = 1\nbé = x\n";
        // 'x' is byte 12: line 2, the 6th character of "bé = x".
        assert_eq!(Location::in_text("f", text, 12).to_string(), "f:2:6");
        // Offsets past the end or inside a character stay in the text.
        assert_eq!(Location::in_text("f", text, 9).to_string(), "f:2:3");
        assert_eq!(Location::in_text("f", text, 99).to_string(), "f:3:1");
    }

    #[test]
    fn line_zero_is_the_whole_file_and_drops_the_column() {
        assert_eq!(Location::at("f", 0, Some(3)).to_string(), "f");
        assert_eq!(Location::at("f", 2, None).to_string(), "f:2");
    }

    #[test]
    fn the_json_form_carries_the_fields() {
        let e = InputError::invalid("hours", "-1", "a positive number")
            .at(Location::at("w.toml", 3, None));
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "invalid");
        assert_eq!(v["field"], "hours");
        assert_eq!(v["location"]["line"], 3);
        assert!(v["location"].get("column").is_none());
    }
}
