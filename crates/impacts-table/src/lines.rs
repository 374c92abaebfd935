//! What the text formats share: rows buffered as bytes and written in large blocks, a row
//! dropped whole when one of its values is refused, the last number's text reused.

use std::io::Write;

use crate::number::{push_exact, push_number};
use crate::{non_finite, Column, Destination, Kind, TableError};

/// Rows of a text table on their way to the destination.
pub(crate) struct Lines {
    out: Destination,
    name: String,
    columns: Vec<Column>,
    /// Bytes not yet written.
    pub(crate) buf: Vec<u8>,
    /// Where the current row starts in `buf`.
    row_start: usize,
    /// The current row's next column.
    pub(crate) at: usize,
    refused: Option<TableError>,
    /// The last number written and its text (a value and its bounds are often equal).
    last: (u64, Vec<u8>),
}

impl Lines {
    /// Rows of `columns` to `out` (named `name` in errors), after `head` (a header row).
    pub(crate) fn new(out: Destination, columns: Vec<Column>, name: &str, head: Vec<u8>) -> Lines {
        let mut buf = Vec::with_capacity(1 << 17);
        buf.extend_from_slice(&head);
        Lines {
            out,
            name: name.to_string(),
            columns,
            row_start: buf.len(),
            buf,
            at: 0,
            refused: None,
            last: (f64::NAN.to_bits(), Vec::new()),
        }
    }

    /// The columns.
    pub(crate) fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Appends a finite number, or refuses the row for a non-finite one (column `column`).
    /// Returns false when nothing was written (the caller writes its own absent value).
    pub(crate) fn number(&mut self, column: usize, x: f64) -> bool {
        if !x.is_finite() {
            self.refused
                .get_or_insert_with(|| non_finite(&self.columns[column].name, x));
            return false;
        }
        if self.columns[column].kind == Kind::Exact {
            push_exact(&mut self.buf, x);
        } else if x.to_bits() == self.last.0 {
            self.buf.extend_from_slice(&self.last.1);
        } else {
            let start = self.buf.len();
            push_number(&mut self.buf, x);
            self.last.0 = x.to_bits();
            self.last.1.clear();
            self.last.1.extend_from_slice(&self.buf[start..]);
        }
        true
    }

    /// Ends a row with `end`, or drops it if a value was refused; writes a full block.
    pub(crate) fn end_row(&mut self, end: &[u8]) -> Result<(), TableError> {
        debug_assert_eq!(
            self.at,
            self.columns.len(),
            "a row has one value per column"
        );
        self.at = 0;
        if let Some(e) = self.refused.take() {
            self.buf.truncate(self.row_start);
            return Err(e);
        }
        self.buf.extend_from_slice(end);
        if self.buf.len() >= 1 << 16 {
            let r = self.out.write_all(&self.buf);
            self.buf.clear();
            r.map_err(|e| self.io(e))?;
        }
        self.row_start = self.buf.len();
        Ok(())
    }

    /// Writes what is left and completes the destination.
    pub(crate) fn finish(&mut self) -> Result<(), TableError> {
        let r = self.out.write_all(&self.buf);
        self.buf.clear();
        self.row_start = 0;
        r.and_then(|_| self.out.commit()).map_err(|e| self.io(e))
    }

    fn io(&self, e: std::io::Error) -> TableError {
        TableError::Io {
            path: self.name.clone(),
            source: e,
        }
    }
}
