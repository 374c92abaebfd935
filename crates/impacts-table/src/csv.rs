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
    line: String,
    /// Where the current row starts in `line`.
    row_start: usize,
    at: usize,
    refused: Option<TableError>,
}

impl CsvSink {
    pub(crate) fn new(out: Destination, columns: Vec<Column>, name: &str) -> CsvSink {
        let mut line = String::with_capacity(512);
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            push_text(&mut line, &c.name);
        }
        line.push('\n');
        CsvSink {
            out,
            columns,
            name: name.to_string(),
            row_start: line.len(),
            line,
            at: 0,
            refused: None,
        }
    }

    fn next(&mut self) {
        if self.at > 0 {
            self.line.push(',');
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
fn push_text(buf: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        buf.push('"');
        for c in s.chars() {
            if c == '"' {
                buf.push('"');
            }
            buf.push(c);
        }
        buf.push('"');
    } else {
        buf.push_str(s);
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
            Some(x) if x.is_finite() => push_number(&mut self.line, x),
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
                    self.line.push(';');
                }
                self.line.push_str(c);
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
        self.line.push('\n');
        if self.line.len() >= 1 << 16 {
            let r = self.out.write_all(self.line.as_bytes());
            self.line.clear();
            r.map_err(|e| self.io(e))?;
        }
        self.row_start = self.line.len();
        Ok(())
    }

    fn finish(&mut self) -> Result<(), TableError> {
        let r = self.out.write_all(self.line.as_bytes());
        self.line.clear();
        self.row_start = 0;
        r.and_then(|_| self.out.commit()).map_err(|e| self.io(e))
    }
}
