//! JSON Lines tables: one object per row, keys in column order.

use crate::lines::Lines;
use crate::number::push_integer;
use crate::{push_timestamp, Column, Destination, RowSink, TableError};

/// A JSON Lines table.
pub(crate) struct JsonlSink {
    lines: Lines,
    /// Each column's `"name":`, escaped once.
    keys: Vec<Vec<u8>>,
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
            lines: Lines::new(out, columns, name, Vec::new()),
            keys,
        }
    }

    /// Starts the next key; the buffer.
    fn key(&mut self) -> &mut Vec<u8> {
        let l = &mut self.lines;
        l.buf.push(if l.at == 0 { b'{' } else { b',' });
        l.buf.extend_from_slice(&self.keys[l.at]);
        l.at += 1;
        &mut l.buf
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
        let buf = self.key();
        match v {
            Some(s) => push_string(buf, s),
            None => buf.extend_from_slice(b"null"),
        }
    }

    fn timestamp(&mut self, v: Option<i64>) {
        let buf = self.key();
        match v {
            Some(t) => {
                buf.push(b'"');
                push_timestamp(buf, t);
                buf.push(b'"');
            }
            None => buf.extend_from_slice(b"null"),
        }
    }

    fn integer(&mut self, v: Option<i64>) {
        let buf = self.key();
        match v {
            Some(i) => push_integer(buf, i),
            None => buf.extend_from_slice(b"null"),
        }
    }

    fn number(&mut self, v: Option<f64>) {
        let column = self.lines.at;
        self.key();
        let written = v.is_some_and(|x| self.lines.number(column, x));
        if !written {
            self.lines.buf.extend_from_slice(b"null");
        }
    }

    fn codes(&mut self, v: &[&str]) {
        let buf = self.key();
        buf.push(b'[');
        for (k, c) in v.iter().enumerate() {
            if k > 0 {
                buf.push(b',');
            }
            push_string(buf, c);
        }
        buf.push(b']');
    }

    fn end_row(&mut self) -> Result<(), TableError> {
        debug_assert_eq!(self.keys.len(), self.lines.columns().len());
        self.lines.end_row(b"}\n")
    }

    fn finish(&mut self) -> Result<(), TableError> {
        self.lines.finish()
    }
}
