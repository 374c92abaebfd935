//! Tables of rows, written as CSV, JSON Lines or Parquet.
//!
//! A command that produces one row per item (a job of an accounting run, a Darshan log of a
//! folder) declares its [`Column`]s once, opens a [`RowSink`] for a path ([`open`]: the file's
//! extension picks the format, `-` is JSON Lines on standard output), then writes each row value
//! by value, in column order, and ends it ([`RowSink::end_row`]). Nothing is allocated per row.
//! The same columns give the same types in every format:
//!
//! | kind | CSV / JSON Lines | Parquet (Arrow type) |
//! |---|---|---|
//! | [`Kind::Text`] | text / string | `utf8` |
//! | [`Kind::Category`] (few distinct values) | text / string | `dictionary<int32, utf8>` |
//! | [`Kind::Timestamp`] | ISO 8601 in UTC, `2024-03-15T20:24:16Z` | `timestamp[ms, UTC]` |
//! | [`Kind::Integer`] | digits / number | `int64` |
//! | [`Kind::Number`] (an estimate) | 6 significant digits ([`SIGNIFICANT_DIGITS`]) / number | `double` (all digits) |
//! | [`Kind::Exact`] (a fact: a duration, a share) | the shortest text that reads back as the same `f64` / number | `double` |
//! | [`Kind::Codes`] | joined by `;` / array of strings | `list<utf8>` |
//!
//! An absent value is an empty CSV cell, a JSON `null`, a Parquet null. A non-finite number is
//! refused (the row fails): no output carries `inf` or `NaN`.
//!
//! Files are written under a temporary name beside the destination and renamed when complete
//! ([`AtomicFile`]); a process ended by a signal calls [`remove_temporary_files`].
//!
//! ```
//! use impacts_table::{open, Column, Kind};
//!
//! let dir = std::env::temp_dir().join(format!("impacts-table-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("jobs.csv");
//! let columns = vec![Column::new("job", Kind::Text), Column::new("gwp", Kind::Number)];
//! let mut sink = open(path.to_str().unwrap(), columns, &[]).unwrap();
//! sink.text(Some("42"));
//! sink.number(Some(1234.56789));
//! sink.end_row().unwrap();
//! sink.finish().unwrap();
//! assert_eq!(std::fs::read_to_string(&path).unwrap(), "job,gwp\n42,1234.57\n");
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

#![warn(missing_docs)]

mod atomic;
mod background;
mod csv;
mod jsonl;
mod lines;
mod number;
mod parquet;

use std::io::{self, BufWriter, Write};
use std::path::Path;

pub use atomic::{remove_temporary_files, AtomicFile};
pub use background::Background;
use impacts_error::InputError;
pub use number::{round_significant, SIGNIFICANT_DIGITS};
pub use parquet::Batches;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Text with many distinct values (an identifier).
    Text,
    /// Text with few distinct values (a user, a partition, a state): dictionary-encoded.
    Category,
    /// An instant, as seconds since 1970-01-01T00:00:00Z.
    Timestamp,
    /// A whole number (a count).
    Integer,
    /// An estimate: written with [`SIGNIFICANT_DIGITS`] significant digits in text.
    Number,
    /// A fact (a duration, a share of a node, a load given): written with every digit it needs
    /// to read back as the same `f64`.
    Exact,
    /// A list of codes (warnings).
    Codes,
}

/// A column of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Name.
    pub name: String,
    /// What it holds.
    pub kind: Kind,
}

impl Column {
    /// A column.
    pub fn new(name: impl Into<String>, kind: Kind) -> Column {
        Column {
            name: name.into(),
            kind,
        }
    }
}

/// Errors of a table.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The destination or a value is not acceptable (an unknown extension, a folder, a
    /// non-finite number).
    #[error(transparent)]
    Input(#[from] InputError),
    /// Writing failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The destination.
        path: String,
        /// Why.
        source: io::Error,
    },
}

/// The formats of a table, by the extension of its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `.csv`.
    Csv,
    /// `.jsonl`, `.ndjson`, or `-` (standard output).
    JsonLines,
    /// `.parquet`.
    Parquet,
    /// `.arrows`: an Apache Arrow IPC stream (what `pyarrow.ipc.open_stream` reads).
    ArrowStream,
}

impl Format {
    /// The format of a destination, by its extension (`-`: JSON Lines on standard output).
    pub fn of(path: &str) -> Result<Format, InputError> {
        if path == "-" {
            return Ok(Format::JsonLines);
        }
        let ext = Path::new(path)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Ok(Format::Csv),
            "jsonl" | "ndjson" => Ok(Format::JsonLines),
            "parquet" => Ok(Format::Parquet),
            "arrows" => Ok(Format::ArrowStream),
            _ => Err(InputError::invalid(
                "jobs",
                path,
                "a file name ending in .csv, .jsonl, .parquet or .arrows, or - for JSON Lines on standard output",
            )),
        }
    }
}

/// Receives the rows of a table, value by value in column order.
///
/// A value method writes the next column of the current row; [`RowSink::end_row`] ends it
/// (and fails if a value was refused); [`RowSink::finish`] completes the output (renames the
/// temporary file into place). A sink dropped without `finish` leaves nothing behind.
pub trait RowSink: Send {
    /// A [`Kind::Text`] or [`Kind::Category`] value.
    fn text(&mut self, v: Option<&str>);
    /// A [`Kind::Timestamp`] value (UTC seconds).
    fn timestamp(&mut self, v: Option<i64>);
    /// A [`Kind::Integer`] value.
    fn integer(&mut self, v: Option<i64>);
    /// A [`Kind::Number`] or [`Kind::Exact`] value; a non-finite one fails the row.
    fn number(&mut self, v: Option<f64>);
    /// A [`Kind::Codes`] value.
    fn codes(&mut self, v: &[&str]);
    /// Ends the row.
    fn end_row(&mut self) -> Result<(), TableError>;
    /// Completes the output.
    fn finish(&mut self) -> Result<(), TableError>;
}

/// A sink that discards rows.
pub struct Discard;

impl RowSink for Discard {
    fn text(&mut self, _: Option<&str>) {}
    fn timestamp(&mut self, _: Option<i64>) {}
    fn integer(&mut self, _: Option<i64>) {}
    fn number(&mut self, _: Option<f64>) {}
    fn codes(&mut self, _: &[&str]) {}
    fn end_row(&mut self) -> Result<(), TableError> {
        Ok(())
    }
    fn finish(&mut self) -> Result<(), TableError> {
        Ok(())
    }
}

/// Where a text table goes: a file (committed at the end) or standard output.
pub(crate) enum Destination {
    File(AtomicFile),
    Stdout(BufWriter<io::Stdout>),
}

impl Destination {
    fn open(path: &str) -> Result<Destination, TableError> {
        if path == "-" {
            return Ok(Destination::Stdout(BufWriter::with_capacity(
                1 << 17,
                io::stdout(),
            )));
        }
        AtomicFile::create(Path::new(path))
            .map(Destination::File)
            .map_err(|e| create_error(path, e))
    }

    fn commit(&mut self) -> io::Result<()> {
        match self {
            Destination::File(f) => f.commit(),
            Destination::Stdout(s) => s.flush(),
        }
    }
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Destination::File(f) => f.write(buf),
            Destination::Stdout(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Destination::File(f) => f.flush(),
            Destination::Stdout(s) => s.flush(),
        }
    }
}

fn create_error(path: &str, e: io::Error) -> TableError {
    if e.kind() == io::ErrorKind::InvalidInput {
        TableError::Input(InputError::invalid(
            "jobs",
            path,
            "a file name, not a folder",
        ))
    } else {
        TableError::Io {
            path: path.to_string(),
            source: e,
        }
    }
}

/// Opens a table at `path` in the format of its extension ([`Format::of`]); `metadata` are
/// key-value pairs kept in the file where the format has a place for them (Parquet).
pub fn open(
    path: &str,
    columns: Vec<Column>,
    metadata: &[(String, String)],
) -> Result<Box<dyn RowSink>, TableError> {
    let format = Format::of(path)?;
    let dest = Destination::open(path)?;
    let name = if path == "-" { "standard output" } else { path };
    Ok(match format {
        Format::Csv => Box::new(csv::CsvSink::new(dest, columns, name)),
        Format::JsonLines => Box::new(jsonl::JsonlSink::new(dest, columns, name)),
        Format::Parquet => Box::new(parquet::ParquetSink::new(dest, columns, metadata, name)?),
        Format::ArrowStream => {
            Box::new(parquet::ParquetSink::stream(dest, columns, metadata, name)?)
        }
    })
}

/// [`open`], the rows formatted and written on a thread of their own ([`Background`]): for
/// outputs of many rows, where formatting costs more than producing a row.
pub fn open_in_background(
    path: &str,
    columns: Vec<Column>,
    metadata: &[(String, String)],
) -> Result<Box<dyn RowSink>, TableError> {
    Ok(Box::new(Background::new(open(path, columns, metadata)?)))
}

/// A table kept in memory as Arrow record batches (the columns of a Parquet file), built on a
/// thread of its own; the batches are in the returned [`Batches`] once the table is finished.
/// For a program that reads them in the same process (the Python package hands them to pyarrow).
pub fn open_memory(
    columns: Vec<Column>,
    metadata: &[(String, String)],
) -> (Box<dyn RowSink>, Batches) {
    let out = Batches::default();
    let sink = parquet::ParquetSink::memory(columns, metadata, out.clone());
    (Box::new(Background::new(Box::new(sink))), out)
}

/// The error of a non-finite number in `column`.
pub(crate) fn non_finite(column: &str, v: f64) -> TableError {
    TableError::Input(InputError::invalid(
        column,
        format!("{v}"),
        "a finite number (a result overflowed: check the inputs of this row)",
    ))
}

/// Appends `YYYY-MM-DDTHH:MM:SSZ` for UTC seconds.
pub(crate) fn push_timestamp(buf: &mut Vec<u8>, t: i64) {
    let (y, m, d, hh, mm, ss) = impacts_model::calendar::civil_from_seconds(t);
    let (m, d, hh, mm, ss) = (
        i64::from(m),
        i64::from(d),
        i64::from(hh),
        i64::from(mm),
        i64::from(ss),
    );
    let two = |buf: &mut Vec<u8>, v: i64| {
        buf.push(b'0' + (v / 10) as u8);
        buf.push(b'0' + (v % 10) as u8);
    };
    if (0..10_000).contains(&y) {
        two(buf, y / 100);
        two(buf, y % 100);
    } else {
        number::push_integer(buf, y);
    }
    buf.push(b'-');
    two(buf, m);
    buf.push(b'-');
    two(buf, d);
    buf.push(b'T');
    two(buf, hh);
    buf.push(b':');
    two(buf, mm);
    buf.push(b':');
    two(buf, ss);
    buf.push(b'Z');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_written_in_utc_with_their_zone() {
        let mut s = Vec::new();
        // 2024-03-15T20:24:16Z is 1710534256 (date -u -d @1710534256).
        push_timestamp(&mut s, 1_710_534_256);
        assert_eq!(s, b"2024-03-15T20:24:16Z");
        s.clear();
        push_timestamp(&mut s, -1);
        assert_eq!(s, b"1969-12-31T23:59:59Z");
    }

    #[test]
    fn the_extension_picks_the_format_and_others_are_refused() {
        assert_eq!(Format::of("a.CSV").unwrap(), Format::Csv);
        assert_eq!(Format::of("a.ndjson").unwrap(), Format::JsonLines);
        assert_eq!(Format::of("-").unwrap(), Format::JsonLines);
        assert_eq!(Format::of("x.parquet").unwrap(), Format::Parquet);
        assert_eq!(Format::of("x.arrows").unwrap(), Format::ArrowStream);
        let e = Format::of("x.txt").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("jobs"));
    }

    /// Rows kept in memory come back as the batches a file would hold: every row once, in
    /// order, with the schema (and its metadata) even without rows; not before `finish`.
    #[test]
    fn a_table_in_memory_hands_over_its_batches_when_finished() {
        use arrow_array::{Array, Float64Array, StringArray};
        let columns = vec![
            Column::new("job_id", Kind::Text),
            Column::new("gwp", Kind::Number),
        ];
        let meta = [("impacts.method".to_string(), "default".to_string())];
        let (mut sink, batches) = open_memory(columns.clone(), &meta);
        let n = 70_000; // more than one batch of rows
        for i in 0..n {
            sink.text(Some(&i.to_string()));
            sink.number(Some(i as f64 / 2.0));
            sink.end_row().unwrap();
        }
        assert!(
            batches.take().is_none(),
            "no batches before the table is finished"
        );
        sink.finish().unwrap();
        let (schema, list) = batches.take().expect("the finished batches");
        assert_eq!(schema.metadata().get("impacts.method").unwrap(), "default");
        assert!(list.len() > 1);
        let mut row = 0;
        for b in &list {
            let ids = b.column(0).as_any().downcast_ref::<StringArray>().unwrap();
            let gwp = b.column(1).as_any().downcast_ref::<Float64Array>().unwrap();
            for k in 0..b.num_rows() {
                assert_eq!(ids.value(k), row.to_string());
                assert_eq!(gwp.value(k), row as f64 / 2.0);
                row += 1;
            }
            assert!(!gwp.is_nullable() || gwp.null_count() == 0);
        }
        assert_eq!(row, n);
        assert!(batches.take().is_none(), "taken once");
        let (mut empty, out) = open_memory(columns, &meta);
        empty.finish().unwrap();
        let (schema, list) = out.take().unwrap();
        assert_eq!(schema.fields().len(), 2);
        assert!(list.is_empty());
    }

    #[test]
    fn an_arrow_stream_reads_back_with_its_types_and_metadata() {
        use arrow_array::{
            Array, Float64Array, Int64Array, StringArray, TimestampMillisecondArray,
        };
        let dir = std::env::temp_dir().join(format!("impacts-table-arrows-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.arrows");
        let columns = vec![
            Column::new("job_id", Kind::Text),
            Column::new("start", Kind::Timestamp),
            Column::new("nodes", Kind::Integer),
            Column::new("gwp", Kind::Number),
        ];
        let meta = [("impacts_method".to_string(), "default".to_string())];
        let mut sink = open(path.to_str().unwrap(), columns, &meta).unwrap();
        for (id, start, nodes, gwp) in
            [("1", Some(10), Some(2), Some(1.5)), ("2", None, None, None)]
        {
            sink.text(Some(id));
            sink.timestamp(start);
            sink.integer(nodes);
            sink.number(gwp);
            sink.end_row().unwrap();
        }
        sink.finish().unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let mut reader = arrow_ipc::reader::StreamReader::try_new(file, None).unwrap();
        assert_eq!(reader.schema().metadata()["impacts_method"], "default");
        let batch = reader.next().unwrap().unwrap();
        assert_eq!(batch.num_rows(), 2);
        let ids = batch
            .column(0)
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap();
        assert_eq!(ids.value(1), "2");
        let start = batch
            .column(1)
            .as_any()
            .downcast_ref::<TimestampMillisecondArray>();
        assert_eq!(start.unwrap().value(0), 10_000, "seconds as milliseconds");
        let nodes = batch
            .column(2)
            .as_any()
            .downcast_ref::<Int64Array>()
            .unwrap();
        assert!(nodes.is_null(1));
        let gwp = batch
            .column(3)
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap();
        assert_eq!(gwp.value(0), 1.5);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
