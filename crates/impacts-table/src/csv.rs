//! CSV tables: a header row, then one line per row.

use std::io::Write;

use crate::number::{push_integer, push_number};
use crate::{non_finite, push_timestamp, Column, Destination, RowSink, TableError};

/// A CSV table.
pub(crate) struct CsvSink {
    out: Destination,
    columns: Vec<Column>,
    name: String,
    /// Rows not yet written (and the header, until the first write).
    line: Vec<u8>,
    /// Where the current row starts in `line`.
    row_start: usize,
    at: usize,
    refused: Option<TableError>,
    /// The last number written and its text (a value and its bounds are often equal).
    last: (u64, Vec<u8>),
}

impl CsvSink {
    pub(crate) fn new(out: Destination, columns: Vec<Column>, name: &str) -> CsvSink {
        let mut line = Vec::with_capacity(1 << 17);
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                line.push(b',');
            }
            push_text(&mut line, &c.name);
        }
        line.push(b'\n');
        CsvSink {
            out,
            columns,
            name: name.to_string(),
            row_start: line.len(),
            line,
            at: 0,
            refused: None,
            last: (f64::NAN.to_bits(), Vec::new()),
        }
    }

    fn next(&mut self) {
        if self.at > 0 {
            self.line.push(b',');
        }
        self.at += 1;
    }

    fn io(&self, e: std::io::Error) -> TableError {
        TableError::Io {
            path: self.name.clone(),
            source: e,
        }
    }
}

/// Appends a text cell, quoted when it holds a comma, a quote or a line break.
fn push_text(buf: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    if b.iter().any(|c| matches!(c, b',' | b'"' | b'\n' | b'\r')) {
        buf.push(b'"');
        for &c in b {
            if c == b'"' {
                buf.push(b'"');
            }
            buf.push(c);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(b);
    }
}

impl RowSink for CsvSink {
    fn text(&mut self, v: Option<&str>) {
        self.next();
        if let Some(s) = v {
            push_text(&mut self.line, s);
        }
    }

    fn timestamp(&mut self, v: Option<i64>) {
        self.next();
        if let Some(t) = v {
            push_timestamp(&mut self.line, t);
        }
    }

    fn integer(&mut self, v: Option<i64>) {
        self.next();
        if let Some(i) = v {
            push_integer(&mut self.line, i);
        }
    }

    fn number(&mut self, v: Option<f64>) {
        let column = self.at;
        self.next();
        match v {
            Some(x) if x.is_finite() => {
                if x.to_bits() == self.last.0 {
                    self.line.extend_from_slice(&self.last.1);
                } else {
                    let start = self.line.len();
                    push_number(&mut self.line, x);
                    self.last.0 = x.to_bits();
                    self.last.1.clear();
                    self.last.1.extend_from_slice(&self.line[start..]);
                }
            }
            Some(x) => {
                self.refused
                    .get_or_insert_with(|| non_finite(&self.columns[column].name, x));
            }
            None => {}
        }
    }

    fn codes(&mut self, v: &[&str]) {
        self.next();
        let joined = v.iter().any(|c| c.contains([',', '"', '\n', '\r']));
        if joined {
            push_text(&mut self.line, &v.join(";"));
        } else {
            for (k, c) in v.iter().enumerate() {
                if k > 0 {
                    self.line.push(b';');
                }
                self.line.extend_from_slice(c.as_bytes());
            }
        }
    }

    fn end_row(&mut self) -> Result<(), TableError> {
        debug_assert_eq!(
            self.at,
            self.columns.len(),
            "a row has one value per column"
        );
        self.at = 0;
        if let Some(e) = self.refused.take() {
            self.line.truncate(self.row_start);
            return Err(e);
        }
        self.line.push(b'\n');
        if self.line.len() >= 1 << 16 {
            let r = self.out.write_all(&self.line);
            self.line.clear();
            r.map_err(|e| self.io(e))?;
        }
        self.row_start = self.line.len();
        Ok(())
    }

    fn finish(&mut self) -> Result<(), TableError> {
        let r = self.out.write_all(&self.line);
        self.line.clear();
        self.row_start = 0;
        r.and_then(|_| self.out.commit()).map_err(|e| self.io(e))
    }
}
