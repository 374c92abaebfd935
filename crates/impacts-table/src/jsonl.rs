//! JSON Lines tables: one object per row, keys in column order.

use std::io::Write;

use crate::number::{push_integer, push_number};
use crate::{non_finite, push_timestamp, Column, Destination, RowSink, TableError};

/// A JSON Lines table.
pub(crate) struct JsonlSink {
    out: Destination,
    columns: Vec<Column>,
    /// Each column's `"name":`, escaped once.
    keys: Vec<String>,
    name: String,
    line: String,
    row_start: usize,
    at: usize,
    refused: Option<TableError>,
}

impl JsonlSink {
    pub(crate) fn new(out: Destination, columns: Vec<Column>, name: &str) -> JsonlSink {
        let keys = columns
            .iter()
            .map(|c| {
                let mut k = String::new();
                push_string(&mut k, &c.name);
                k.push(':');
                k
            })
            .collect();
        JsonlSink {
            out,
            columns,
            keys,
            name: name.to_string(),
            line: String::with_capacity(1 << 16),
            row_start: 0,
            at: 0,
            refused: None,
        }
    }

    fn key(&mut self) {
        self.line.push(if self.at == 0 { '{' } else { ',' });
        self.line.push_str(&self.keys[self.at]);
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
fn push_string(buf: &mut String, s: &str) {
    buf.push('"');
    for ch in s.chars() {
        match ch {
            '"' => buf.push_str("\\\""),
            '\\' => buf.push_str("\\\\"),
            '\n' => buf.push_str("\\n"),
            '\r' => buf.push_str("\\r"),
            '\t' => buf.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                use std::fmt::Write as _;
                let _ = write!(buf, "\\u{:04x}", c as u32);
            }
            c => buf.push(c),
        }
    }
    buf.push('"');
}

impl RowSink for JsonlSink {
    fn text(&mut self, v: Option<&str>) {
        self.key();
        match v {
            Some(s) => push_string(&mut self.line, s),
            None => self.line.push_str("null"),
        }
    }

    fn timestamp(&mut self, v: Option<i64>) {
        self.key();
        match v {
            Some(t) => {
                self.line.push('"');
                push_timestamp(&mut self.line, t);
                self.line.push('"');
            }
            None => self.line.push_str("null"),
        }
    }

    fn integer(&mut self, v: Option<i64>) {
        self.key();
        match v {
            Some(i) => push_integer(&mut self.line, i),
            None => self.line.push_str("null"),
        }
    }

    fn number(&mut self, v: Option<f64>) {
        let column = self.at;
        self.key();
        match v {
            Some(x) if x.is_finite() => push_number(&mut self.line, x),
            Some(x) => {
                self.refused
                    .get_or_insert_with(|| non_finite(&self.columns[column].name, x));
            }
            None => self.line.push_str("null"),
        }
    }

    fn codes(&mut self, v: &[&str]) {
        self.key();
        self.line.push('[');
        for (k, c) in v.iter().enumerate() {
            if k > 0 {
                self.line.push(',');
            }
            push_string(&mut self.line, c);
        }
        self.line.push(']');
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
        self.line.push_str("}\n");
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
