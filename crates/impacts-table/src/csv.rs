//! CSV tables: a header row, then one line per row.

use crate::lines::Lines;
use crate::number::push_integer;
use crate::{push_timestamp, Column, Destination, RowSink, TableError};

/// A CSV table.
pub(crate) struct CsvSink {
    lines: Lines,
}

impl CsvSink {
    pub(crate) fn new(out: Destination, columns: Vec<Column>, name: &str) -> CsvSink {
        let mut head = Vec::new();
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                head.push(b',');
            }
            push_text(&mut head, &c.name);
        }
        head.push(b'\n');
        CsvSink {
            lines: Lines::new(out, columns, name, head),
        }
    }

    /// Starts the next cell; its buffer.
    fn next(&mut self) -> &mut Vec<u8> {
        let l = &mut self.lines;
        if l.at > 0 {
            l.buf.push(b',');
        }
        l.at += 1;
        &mut l.buf
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
        let buf = self.next();
        if let Some(s) = v {
            push_text(buf, s);
        }
    }

    fn timestamp(&mut self, v: Option<i64>) {
        let buf = self.next();
        if let Some(t) = v {
            push_timestamp(buf, t);
        }
    }

    fn integer(&mut self, v: Option<i64>) {
        let buf = self.next();
        if let Some(i) = v {
            push_integer(buf, i);
        }
    }

    fn number(&mut self, v: Option<f64>) {
        let column = self.lines.at;
        self.next();
        if let Some(x) = v {
            self.lines.number(column, x);
        }
    }

    fn codes(&mut self, v: &[&str]) {
        let buf = self.next();
        if v.iter().any(|c| c.contains([',', '"', '\n', '\r'])) {
            push_text(buf, &v.join(";"));
        } else {
            for (k, c) in v.iter().enumerate() {
                if k > 0 {
                    buf.push(b';');
                }
                buf.extend_from_slice(c.as_bytes());
            }
        }
    }

    fn end_row(&mut self) -> Result<(), TableError> {
        self.lines.end_row(b"\n")
    }

    fn finish(&mut self) -> Result<(), TableError> {
        self.lines.finish()
    }
}
