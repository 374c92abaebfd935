//! A small Parquet writer for the per-job output: flat schema, optional UTF-8 string and DOUBLE
//! columns, PLAIN encoding, no compression, one data page per column per row group.
//!
//! Written from the Apache Parquet format specification (parquet.thrift, Thrift compact protocol),
//! so that the per-job output needs no large dependency. Files are checked by reading them back
//! with pyarrow in the tests.

use std::io::{self, Write};

use crate::sink::Cell;

/// Thrift compact protocol, the subset Parquet's metadata needs.
struct Thrift {
    buf: Vec<u8>,
    last: Vec<i16>,
}

const T_I32: u8 = 5;
const T_I64: u8 = 6;
const T_BINARY: u8 = 8;
const T_LIST: u8 = 9;
const T_STRUCT: u8 = 12;

impl Thrift {
    fn new() -> Thrift {
        Thrift {
            buf: Vec::new(),
            last: vec![0],
        }
    }

    fn varint(&mut self, mut v: u64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.buf.push(b);
                return;
            }
            self.buf.push(b | 0x80);
        }
    }

    fn zigzag(v: i64) -> u64 {
        ((v << 1) ^ (v >> 63)) as u64
    }

    fn field(&mut self, id: i16, ty: u8) {
        let previous = self.last.last().copied().unwrap_or(0);
        let delta = id - previous;
        if (1..=15).contains(&delta) {
            self.buf.push(((delta as u8) << 4) | ty);
        } else {
            self.buf.push(ty);
            self.varint(Self::zigzag(i64::from(id)));
        }
        if let Some(last) = self.last.last_mut() {
            *last = id;
        }
    }

    fn i32_field(&mut self, id: i16, v: i32) {
        self.field(id, T_I32);
        self.varint(Self::zigzag(i64::from(v)));
    }

    fn i64_field(&mut self, id: i16, v: i64) {
        self.field(id, T_I64);
        self.varint(Self::zigzag(v));
    }

    fn string_field(&mut self, id: i16, s: &str) {
        self.field(id, T_BINARY);
        self.varint(s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
    }

    fn begin_struct_field(&mut self, id: i16) {
        self.field(id, T_STRUCT);
        self.last.push(0);
    }

    fn begin_struct(&mut self) {
        self.last.push(0);
    }

    fn end_struct(&mut self) {
        self.buf.push(0);
        self.last.pop();
    }

    fn list_field(&mut self, id: i16, elem: u8, n: usize) {
        self.field(id, T_LIST);
        if n < 15 {
            self.buf.push(((n as u8) << 4) | elem);
        } else {
            self.buf.push(0xf0 | elem);
            self.varint(n as u64);
        }
    }

    fn i32_elem(&mut self, v: i32) {
        self.varint(Self::zigzag(i64::from(v)));
    }

    fn string_elem(&mut self, s: &str) {
        self.varint(s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
    }
}

enum Column {
    Text(Vec<Option<String>>),
    Double(Vec<Option<f64>>),
}

struct ChunkMeta {
    offset: u64,
    size: u64,
    values: u64,
}

struct GroupMeta {
    chunks: Vec<ChunkMeta>,
    rows: u64,
}

/// Buffers rows and writes Parquet row groups.
pub struct ParquetWriter {
    names: Vec<String>,
    text: Vec<bool>,
    cols: Vec<Column>,
    rows: usize,
    offset: u64,
    groups: Vec<GroupMeta>,
    started: bool,
}

impl ParquetWriter {
    /// A writer for columns `names`; `text[i]` is true for string columns, false for doubles.
    pub fn new(names: Vec<String>, text: Vec<bool>) -> ParquetWriter {
        let cols = text
            .iter()
            .map(|t| {
                if *t {
                    Column::Text(Vec::new())
                } else {
                    Column::Double(Vec::new())
                }
            })
            .collect();
        ParquetWriter {
            names,
            text,
            cols,
            rows: 0,
            offset: 0,
            groups: Vec::new(),
            started: false,
        }
    }

    /// Rows buffered in the current row group.
    pub fn buffered(&self) -> usize {
        self.rows
    }

    /// Adds a row (cells in column order).
    pub fn push_row(&mut self, cells: Vec<Cell<'_>>) {
        for (col, cell) in self.cols.iter_mut().zip(cells) {
            match (col, cell) {
                (Column::Text(v), Cell::Str(s)) => v.push(Some(s.to_string())),
                (Column::Text(v), Cell::Time(t)) => v.push(t.map(|t| t.format())),
                (Column::Text(v), Cell::Codes(c)) => v.push(Some(c.join(";"))),
                (Column::Text(v), Cell::Num(x)) => v.push(x.map(|x| x.to_string())),
                (Column::Double(v), Cell::Num(x)) => v.push(x.filter(|x| x.is_finite())),
                (Column::Double(v), Cell::Str(s)) => v.push(s.parse().ok()),
                (Column::Double(v), Cell::Time(t)) => v.push(t.map(|t| t.0 as f64)),
                (Column::Double(v), Cell::Codes(_)) => v.push(None),
            }
        }
        self.rows += 1;
    }

    fn write_magic(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            out.write_all(b"PAR1")?;
            self.offset = 4;
            self.started = true;
        }
        Ok(())
    }

    /// Writes the buffered rows as a row group.
    pub fn flush_row_group(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.write_magic(out)?;
        if self.rows == 0 {
            return Ok(());
        }
        let n = self.rows;
        let mut chunks = Vec::new();
        for col in &mut self.cols {
            // Definition levels (1 = present), bit-packed in the RLE/bit-packing hybrid.
            let present: Vec<bool> = match col {
                Column::Text(v) => v.iter().map(Option::is_some).collect(),
                Column::Double(v) => v.iter().map(Option::is_some).collect(),
            };
            let groups = n.div_ceil(8);
            let mut levels = Vec::with_capacity(groups + 8);
            let mut header = Vec::new();
            let mut h = ((groups as u64) << 1) | 1;
            loop {
                let b = (h & 0x7f) as u8;
                h >>= 7;
                if h == 0 {
                    header.push(b);
                    break;
                }
                header.push(b | 0x80);
            }
            levels.extend_from_slice(&header);
            for g in 0..groups {
                let mut byte = 0u8;
                for bit in 0..8 {
                    if present.get(g * 8 + bit).copied().unwrap_or(false) {
                        byte |= 1 << bit;
                    }
                }
                levels.push(byte);
            }
            let mut data = Vec::new();
            data.extend_from_slice(&(levels.len() as u32).to_le_bytes());
            data.extend_from_slice(&levels);
            match col {
                Column::Text(v) => {
                    for s in v.iter().flatten() {
                        data.extend_from_slice(&(s.len() as u32).to_le_bytes());
                        data.extend_from_slice(s.as_bytes());
                    }
                    v.clear();
                }
                Column::Double(v) => {
                    for x in v.iter().flatten() {
                        data.extend_from_slice(&x.to_le_bytes());
                    }
                    v.clear();
                }
            }
            let mut t = Thrift::new();
            t.begin_struct();
            t.i32_field(1, 0); // DATA_PAGE
            t.i32_field(2, data.len() as i32);
            t.i32_field(3, data.len() as i32);
            t.begin_struct_field(5); // DataPageHeader
            t.i32_field(1, n as i32);
            t.i32_field(2, 0); // PLAIN
            t.i32_field(3, 3); // RLE
            t.i32_field(4, 3); // RLE
            t.end_struct();
            t.end_struct();
            out.write_all(&t.buf)?;
            out.write_all(&data)?;
            let size = (t.buf.len() + data.len()) as u64;
            chunks.push(ChunkMeta {
                offset: self.offset,
                size,
                values: n as u64,
            });
            self.offset += size;
        }
        self.groups.push(GroupMeta {
            chunks,
            rows: n as u64,
        });
        self.rows = 0;
        Ok(())
    }

    /// Writes the remaining rows and the footer.
    pub fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.flush_row_group(out)?;
        let total_rows: u64 = self.groups.iter().map(|g| g.rows).sum();
        let mut t = Thrift::new();
        t.begin_struct();
        t.i32_field(1, 1); // version
        t.list_field(2, T_STRUCT, self.names.len() + 1);
        // Root.
        t.begin_struct();
        t.string_field(4, "schema");
        t.i32_field(5, self.names.len() as i32);
        t.end_struct();
        for (name, text) in self.names.iter().zip(&self.text) {
            t.begin_struct();
            t.i32_field(1, if *text { 6 } else { 5 }); // BYTE_ARRAY or DOUBLE
            t.i32_field(3, 1); // OPTIONAL
            t.string_field(4, name);
            if *text {
                t.i32_field(6, 0); // UTF8
            }
            t.end_struct();
        }
        t.i64_field(3, total_rows as i64);
        t.list_field(4, T_STRUCT, self.groups.len());
        for g in &self.groups {
            t.begin_struct();
            t.list_field(1, T_STRUCT, g.chunks.len());
            let mut bytes = 0u64;
            for (c, (name, text)) in g.chunks.iter().zip(self.names.iter().zip(&self.text)) {
                bytes += c.size;
                t.begin_struct();
                t.i64_field(2, c.offset as i64);
                t.begin_struct_field(3);
                t.i32_field(1, if *text { 6 } else { 5 });
                t.list_field(2, T_I32, 2);
                t.i32_elem(0); // PLAIN
                t.i32_elem(3); // RLE
                t.list_field(3, T_BINARY, 1);
                t.string_elem(name);
                t.i32_field(4, 0); // UNCOMPRESSED
                t.i64_field(5, c.values as i64);
                t.i64_field(6, c.size as i64);
                t.i64_field(7, c.size as i64);
                t.i64_field(9, c.offset as i64);
                t.end_struct();
                t.end_struct();
            }
            t.i64_field(2, bytes as i64);
            t.i64_field(3, g.rows as i64);
            t.end_struct();
        }
        t.string_field(6, concat!("impacts ", env!("CARGO_PKG_VERSION")));
        t.end_struct();
        out.write_all(&t.buf)?;
        out.write_all(&(t.buf.len() as u32).to_le_bytes())?;
        out.write_all(b"PAR1")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_protocol_encodings() {
        // Thrift compact protocol: zigzag(−1) = 1, zigzag(1) = 2; varint 300 = ac 02.
        assert_eq!(Thrift::zigzag(-1), 1);
        assert_eq!(Thrift::zigzag(1), 2);
        let mut t = Thrift::new();
        t.varint(300);
        assert_eq!(t.buf, vec![0xac, 0x02]);
        // Field 1 of type i32 holding 0: header 0x15, value 0x00; a jump of 16 ids uses the long form.
        let mut t = Thrift::new();
        t.begin_struct();
        t.i32_field(1, 0);
        t.i32_field(17, 1);
        t.end_struct();
        assert_eq!(t.buf, vec![0x15, 0x00, 0x05, 0x22, 0x02, 0x00]);
    }

    #[test]
    fn file_frame() {
        let mut w = ParquetWriter::new(vec!["a".into(), "b".into()], vec![true, false]);
        w.push_row(vec![Cell::Str("x"), Cell::Num(Some(1.5))]);
        w.push_row(vec![Cell::Time(None), Cell::Num(None)]);
        let mut out = Vec::new();
        w.finish(&mut out).unwrap();
        assert_eq!(&out[..4], b"PAR1");
        assert_eq!(&out[out.len() - 4..], b"PAR1");
        let meta_len =
            u32::from_le_bytes(out[out.len() - 8..out.len() - 4].try_into().unwrap()) as usize;
        assert!(meta_len > 20 && meta_len < out.len());
    }
}
