//! Parquet tables through the Apache Arrow implementation: typed columns (UTC timestamps in
//! milliseconds,
//! 64-bit integers, doubles, dictionary-encoded categories, lists of codes), zstd compression,
//! page statistics, row groups of [`ROW_GROUP`] rows. The same batches can go to an Arrow IPC
//! stream instead (`.arrows`), for readers in the same machine's memory (pyarrow, pandas).

use std::sync::Arc;

use arrow_array::builder::{
    Float64Builder, Int64Builder, ListBuilder, StringBuilder, StringDictionaryBuilder,
    TimestampMillisecondBuilder,
};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_ipc::writer::StreamWriter;
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};

use crate::{non_finite, Column, Destination, Kind, RowSink, TableError};

/// Rows per row group: readers (DuckDB, Spark, pyarrow) read row groups in parallel and skip
/// them by their statistics; 131,072 rows of per-job results are a few megabytes compressed.
pub const ROW_GROUP: usize = 131_072;

/// Rows buffered in Arrow builders before they are handed to the Parquet writer.
const BATCH: usize = 8_192;

/// One column's builder.
enum Builder {
    Text(StringBuilder),
    Category(StringDictionaryBuilder<Int32Type>),
    Timestamp(TimestampMillisecondBuilder),
    Integer(Int64Builder),
    Number(Float64Builder),
    Codes(ListBuilder<StringBuilder>),
}

impl Builder {
    fn new(kind: Kind) -> Builder {
        match kind {
            Kind::Text => Builder::Text(StringBuilder::new()),
            Kind::Category => Builder::Category(StringDictionaryBuilder::new()),
            Kind::Timestamp => {
                Builder::Timestamp(TimestampMillisecondBuilder::new().with_timezone("UTC"))
            }
            Kind::Integer => Builder::Integer(Int64Builder::new()),
            Kind::Number | Kind::Exact => Builder::Number(Float64Builder::new()),
            Kind::Codes => Builder::Codes(ListBuilder::new(StringBuilder::new())),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Category(b) => Arc::new(b.finish()),
            Builder::Timestamp(b) => Arc::new(b.finish()),
            Builder::Integer(b) => Arc::new(b.finish()),
            Builder::Number(b) => Arc::new(b.finish()),
            Builder::Codes(b) => Arc::new(b.finish()),
        }
    }
}

/// The Arrow type of a column kind.
fn data_type(kind: Kind) -> DataType {
    match kind {
        Kind::Text => DataType::Utf8,
        Kind::Category => DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
        Kind::Timestamp => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
        Kind::Integer => DataType::Int64,
        Kind::Number | Kind::Exact => DataType::Float64,
        Kind::Codes => DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))),
    }
}

/// The Arrow fields of the columns (every value may be absent).
fn fields(columns: &[Column]) -> Vec<Field> {
    columns
        .iter()
        .map(|c| Field::new(&c.name, data_type(c.kind), true))
        .collect()
}

/// Where the batches go.
enum Writer {
    Parquet(ArrowWriter<Destination>),
    Stream(StreamWriter<Destination>),
    /// Kept in memory, handed over when the table is finished.
    Memory(Vec<RecordBatch>, Batches),
}

/// The batches of a table kept in memory ([`crate::open_memory`]), available once the table is
/// finished.
#[derive(Clone, Default)]
pub struct Batches(Arc<std::sync::Mutex<Option<Finished>>>);

/// A finished table: its schema and batches.
type Finished = (SchemaRef, Vec<RecordBatch>);

impl Batches {
    /// The schema and the batches, once the table is finished (None before, or taken).
    pub fn take(&self) -> Option<Finished> {
        self.0.lock().ok()?.take()
    }
}

impl Writer {
    fn write(&mut self, batch: &RecordBatch) -> Result<(), String> {
        match self {
            Writer::Parquet(w) => w.write(batch).map_err(|e| e.to_string()),
            Writer::Stream(w) => w.write(batch).map_err(|e| e.to_string()),
            Writer::Memory(kept, _) => {
                kept.push(batch.clone());
                Ok(())
            }
        }
    }

    /// Completes the output: a file's destination to commit, or None (memory).
    fn into_inner(self, schema: &SchemaRef) -> Result<Option<Destination>, String> {
        match self {
            Writer::Parquet(w) => w.into_inner().map(Some).map_err(|e| e.to_string()),
            Writer::Stream(mut w) => {
                w.finish().map_err(|e| e.to_string())?;
                w.into_inner().map(Some).map_err(|e| e.to_string())
            }
            Writer::Memory(kept, out) => {
                let mut slot = out.0.lock().map_err(|e| e.to_string())?;
                *slot = Some((schema.clone(), kept));
                Ok(None)
            }
        }
    }
}

/// A Parquet table, or an Arrow IPC stream of the same batches.
pub(crate) struct ParquetSink {
    writer: Option<Writer>,
    schema: SchemaRef,
    columns: Vec<Column>,
    builders: Vec<Builder>,
    rows: usize,
    at: usize,
    refused: Option<TableError>,
    name: String,
}

impl ParquetSink {
    pub(crate) fn new(
        out: Destination,
        columns: Vec<Column>,
        metadata: &[(String, String)],
        name: &str,
    ) -> Result<ParquetSink, TableError> {
        let schema = Arc::new(Schema::new(fields(&columns)));
        let level = ZstdLevel::try_new(3).map_err(|e| io_error(name, e))?;
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(level))
            .set_statistics_enabled(EnabledStatistics::Page)
            .set_max_row_group_row_count(Some(ROW_GROUP))
            .set_created_by(format!("impacts {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(
                metadata
                    .iter()
                    .map(|(k, v)| KeyValue::new(k.clone(), v.clone()))
                    .collect(),
            ))
            .build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(props))
            .map_err(|e| io_error(name, e))?;
        Ok(ParquetSink::with(
            Writer::Parquet(writer),
            schema,
            columns,
            name,
        ))
    }

    /// An Arrow IPC stream of the same columns (`metadata` in the schema's).
    pub(crate) fn stream(
        out: Destination,
        columns: Vec<Column>,
        metadata: &[(String, String)],
        name: &str,
    ) -> Result<ParquetSink, TableError> {
        let meta = metadata.iter().cloned().collect();
        let schema = Arc::new(Schema::new_with_metadata(fields(&columns), meta));
        let writer = StreamWriter::try_new(out, &schema).map_err(|e| io_error(name, e))?;
        Ok(ParquetSink::with(
            Writer::Stream(writer),
            schema,
            columns,
            name,
        ))
    }

    /// Arrow batches of the same columns kept in memory, handed over by `out` when finished.
    pub(crate) fn memory(
        columns: Vec<Column>,
        metadata: &[(String, String)],
        out: Batches,
    ) -> ParquetSink {
        let meta = metadata.iter().cloned().collect();
        let schema = Arc::new(Schema::new_with_metadata(fields(&columns), meta));
        ParquetSink::with(Writer::Memory(Vec::new(), out), schema, columns, "memory")
    }

    fn with(writer: Writer, schema: SchemaRef, columns: Vec<Column>, name: &str) -> ParquetSink {
        ParquetSink {
            writer: Some(writer),
            schema,
            builders: columns.iter().map(|c| Builder::new(c.kind)).collect(),
            columns,
            rows: 0,
            at: 0,
            refused: None,
            name: name.to_string(),
        }
    }

    fn next(&mut self) -> &mut Builder {
        let b = &mut self.builders[self.at];
        self.at += 1;
        b
    }

    /// Hands the buffered rows to the Parquet writer.
    fn flush(&mut self) -> Result<(), TableError> {
        if self.rows == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        self.rows = 0;
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)
            .map_err(|e| io_error(&self.name, e))?;
        let w = self
            .writer
            .as_mut()
            .ok_or_else(|| io_error(&self.name, "finished"))?;
        w.write(&batch).map_err(|e| io_error(&self.name, e))
    }
}

fn io_error(name: &str, e: impl std::fmt::Display) -> TableError {
    TableError::Io {
        path: name.to_string(),
        source: std::io::Error::other(e.to_string()),
    }
}

impl RowSink for ParquetSink {
    fn text(&mut self, v: Option<&str>) {
        match self.next() {
            Builder::Text(b) => b.append_option(v),
            Builder::Category(b) => b.append_option(v),
            _ => debug_assert!(false, "text in a column of another kind"),
        }
    }

    fn timestamp(&mut self, v: Option<i64>) {
        match self.next() {
            // Parquet's TIMESTAMP has no seconds unit: milliseconds, adjusted to UTC.
            Builder::Timestamp(b) => b.append_option(v.and_then(|s| s.checked_mul(1000))),
            _ => debug_assert!(false, "a timestamp in a column of another kind"),
        }
    }

    fn integer(&mut self, v: Option<i64>) {
        match self.next() {
            Builder::Integer(b) => b.append_option(v),
            _ => debug_assert!(false, "an integer in a column of another kind"),
        }
    }

    fn number(&mut self, v: Option<f64>) {
        let column = self.at;
        let refused = match (self.next(), v) {
            (Builder::Number(b), Some(x)) if x.is_finite() => {
                b.append_value(x);
                None
            }
            (Builder::Number(b), Some(x)) => {
                b.append_null();
                Some(x)
            }
            (Builder::Number(b), None) => {
                b.append_null();
                None
            }
            _ => {
                debug_assert!(false, "a number in a column of another kind");
                None
            }
        };
        if let Some(x) = refused {
            self.refused
                .get_or_insert_with(|| non_finite(&self.columns[column].name, x));
        }
    }

    fn codes(&mut self, v: &[&str]) {
        match self.next() {
            Builder::Codes(b) => {
                for c in v {
                    b.values().append_value(c);
                }
                b.append(true);
            }
            _ => debug_assert!(false, "codes in a column of another kind"),
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
            // The row's values are in the builders: the output cannot be completed.
            self.writer = None;
            return Err(e);
        }
        self.rows += 1;
        if self.rows == BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), TableError> {
        self.flush()?;
        let w = self
            .writer
            .take()
            .ok_or_else(|| io_error(&self.name, "a row was refused"))?;
        let Some(mut dest) = w
            .into_inner(&self.schema)
            .map_err(|e| io_error(&self.name, e))?
        else {
            return Ok(());
        };
        dest.commit().map_err(|e| TableError::Io {
            path: self.name.clone(),
            source: e,
        })
    }
}
