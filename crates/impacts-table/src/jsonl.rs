//! JSON Lines tables: one object per row, keys in column order.

use std::io::Write;

use crate::number::{push_integer, push_number};
use crate::{non_finite, push_timestamp, Column, Destination, RowSink, TableError};

/// A JSON Lines table.
pub(crate) struct JsonlSink {
    out: Destination,
    columns: Vec<Column>,
    /// Each column's `"name":`, escaped once.
    keys: Vec<Vec<u8>>,
    name: String,
    line: Vec<u8>,
    row_start: usize,
    at: usize,
    refused: Option<TableError>,
    /// The last number written and its text (a value and its bounds are often equal).
    last: (u64, Vec<u8>),
}

impl JsonlSink {
    pub(crate) fn new(out: Destination, columns: Vec<Column>, name: &str) -> JsonlSink {
        let keys = columns
            .iter()
            .map(|c| {
                let mut k = Vec::new();
                push_string(&mut k, &c.name);
                k.push(b':');
                k
            })
            .collect();
        JsonlSink {
            out,
            columns,
            keys,
            name: name.to_string(),
            line: Vec::with_capacity(1 << 16),
            row_start: 0,
            at: 0,
            refused: None,
            last: (f64::NAN.to_bits(), Vec::new()),
        }
    }

    fn key(&mut self) {
        self.line.push(if self.at == 0 { b'{' } else { b',' });
        self.line.extend_from_slice(&self.keys[self.at]);
        self.at += 1;
    }

    fn io(&self, e: std::io::Error) -> TableError {
        TableError::Io {
            path: self.name.clone(),
            source: e,
        }
    }
}

/// Appends a JSON string.
fn push_string(buf: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    buf.push(b'"');
    for &c in s.as_bytes() {
        match c {
            b'"' => buf.extend_from_slice(b"\\\""),
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            c if c < 0x20 => {
                buf.extend_from_slice(b"\\u00");
                buf.push(HEX[usize::from(c >> 4)]);
                buf.push(HEX[usize::from(c & 15)]);
            }
            c => buf.push(c),
        }
    }
    buf.push(b'"');
}

impl RowSink for JsonlSink {
    fn text(&mut self, v: Option<&str>) {
        self.key();
        match v {
            Some(s) => push_string(&mut self.line, s),
            None => self.line.extend_from_slice(b"null"),
        }
    }

    fn timestamp(&mut self, v: Option<i64>) {
        self.key();
        match v {
            Some(t) => {
                self.line.push(b'"');
                push_timestamp(&mut self.line, t);
                self.line.push(b'"');
            }
            None => self.line.extend_from_slice(b"null"),
        }
    }

    fn integer(&mut self, v: Option<i64>) {
        self.key();
        match v {
            Some(i) => push_integer(&mut self.line, i),
            None => self.line.extend_from_slice(b"null"),
        }
    }

    fn number(&mut self, v: Option<f64>) {
        let column = self.at;
        self.key();
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
            None => self.line.extend_from_slice(b"null"),
        }
    }

    fn codes(&mut self, v: &[&str]) {
        self.key();
        self.line.push(b'[');
        for (k, c) in v.iter().enumerate() {
            if k > 0 {
                self.line.push(b',');
            }
            push_string(&mut self.line, c);
        }
        self.line.push(b']');
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
        self.line.extend_from_slice(b"}\n");
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
