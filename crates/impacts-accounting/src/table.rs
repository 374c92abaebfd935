//! Tables of jobs as the accountant's records, one record per row, its columns by name: Arrow
//! record batches given in memory (the Python package's DataFrames and Arrow tables), Apache
//! Parquet files and Arrow IPC files or streams (a center's accounting exported as a table, a Dask
//! or Spark dataset's partitions). The columns are [`COLUMNS`]; times are UTC.

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float64Type, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use impacts::{InputError, Location};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::record::{JobRecord, JobState, Timestamp};
use crate::{Issues, ReadError, RecordReader};

/// The columns a table of jobs may have.
pub const COLUMNS: [&str; 17] = [
    "job_id",
    "cluster",
    "user",
    "account",
    "partition",
    "state",
    "start",
    "end",
    "hours",
    "nodes",
    "cores",
    "gpus",
    "memory_gb",
    "load",
    "cpu_load",
    "gpu_load",
    "energy_kwh",
];

/// The name of a table given in memory, in errors and in the report's inputs.
pub const LABEL: &str = "table";

fn at_row(e: InputError, label: &str, row: u64) -> InputError {
    e.at(Location::at(label, row, None))
}

/// A numeric column as floats (integers, floats and decimals of any width; nulls and NaN as
/// None).
fn numbers(col: &ArrayRef, name: &str) -> Result<Vec<Option<f64>>, InputError> {
    let n = col.len();
    let t = col.data_type();
    if *t == DataType::Null {
        return Ok(vec![None; n]);
    }
    if !(t.is_numeric() || matches!(t, DataType::Float16)) {
        return Err(InputError::invalid(
            name,
            t.to_string(),
            "a column of numbers",
        ));
    }
    let floats = arrow_cast::cast(col, &DataType::Float64).map_err(|e| {
        InputError::invalid(name, t.to_string(), format!("a column of numbers ({e})"))
    })?;
    let a = floats.as_primitive::<Float64Type>();
    Ok((0..n)
        .map(|i| (!a.is_null(i)).then(|| a.value(i)).filter(|x| !x.is_nan()))
        .collect())
}

/// A text column (strings, large strings, categories; integers written in full; other values
/// are refused).
fn texts(col: &ArrayRef, name: &str) -> Result<Vec<Option<String>>, InputError> {
    let n = col.len();
    Ok(match col.data_type() {
        DataType::Utf8 => {
            let a = col.as_string::<i32>();
            (0..n)
                .map(|i| (!a.is_null(i)).then(|| a.value(i).to_string()))
                .collect()
        }
        DataType::LargeUtf8 => {
            let a = col.as_string::<i64>();
            (0..n)
                .map(|i| (!a.is_null(i)).then(|| a.value(i).to_string()))
                .collect()
        }
        DataType::Dictionary(_, _) => {
            // Categories: pandas' have keys of the narrowest width (int8 for a few categories).
            let d = col.as_any_dictionary();
            let dict = texts(d.values(), name)?;
            let keys = d.normalized_keys();
            (0..n)
                .map(|i| {
                    (!col.is_null(i))
                        .then(|| dict.get(keys[i]).cloned().flatten())
                        .flatten()
                })
                .collect()
        }
        // Integer identifiers, every digit kept (not through a float).
        t if t.is_integer() => {
            let text = arrow_cast::cast(col, &DataType::Utf8).map_err(|e| {
                InputError::invalid(name, t.to_string(), format!("a column of texts ({e})"))
            })?;
            texts(&text, name)?
        }
        DataType::Null => vec![None; n],
        other => {
            return Err(InputError::invalid(
                name,
                other.to_string(),
                "a column of texts",
            ))
        }
    })
}

/// A time column (timestamps of any unit, or UTC seconds as numbers) in UTC seconds.
fn times(col: &ArrayRef, name: &str) -> Result<Vec<Option<i64>>, InputError> {
    let n = col.len();
    let per = |div: i64, f: &dyn Fn(usize) -> i64| -> Vec<Option<i64>> {
        (0..n)
            .map(|i| (!col.is_null(i)).then(|| f(i).div_euclid(div)))
            .collect()
    };
    Ok(match col.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => {
            per(1, &|i| col.as_primitive::<TimestampSecondType>().value(i))
        }
        DataType::Timestamp(TimeUnit::Millisecond, _) => per(1_000, &|i| {
            col.as_primitive::<TimestampMillisecondType>().value(i)
        }),
        DataType::Timestamp(TimeUnit::Microsecond, _) => per(1_000_000, &|i| {
            col.as_primitive::<TimestampMicrosecondType>().value(i)
        }),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => per(1_000_000_000, &|i| {
            col.as_primitive::<TimestampNanosecondType>().value(i)
        }),
        _ => numbers(col, name)?
            .into_iter()
            .map(|v| v.map(|x| x as i64))
            .collect(),
    })
}

/// A load column: percentages from 0 to 100.
fn loads(
    col: &ArrayRef,
    name: &str,
    label: &str,
    first_row: u64,
) -> Result<Vec<Option<f64>>, InputError> {
    let v = numbers(col, name)?;
    for (i, x) in v.iter().enumerate() {
        if let Some(x) = x {
            if !(0.0..=100.0).contains(x) {
                return Err(at_row(
                    InputError::invalid(name, x.to_string(), "a load from 0 to 100 (%)"),
                    label,
                    first_row + i as u64,
                ));
            }
        }
    }
    Ok(v)
}

/// The records of one batch of the table `label`, its first row numbered `first_row`.
pub fn batch_records(
    batch: &RecordBatch,
    label: &str,
    first_row: u64,
) -> Result<Vec<JobRecord>, InputError> {
    let schema = batch.schema();
    for f in schema.fields() {
        if !COLUMNS.contains(&f.name().as_str()) {
            return Err(InputError::malformed(format!(
                "unknown column of a table of jobs; the columns are {}",
                COLUMNS.join(", ")
            ))
            .for_field(f.name().clone()));
        }
    }
    let col = |name: &str| schema.index_of(name).ok().map(|i| batch.column(i).clone());
    let n = batch.num_rows();
    let text_col = |name: &str| -> Result<Vec<Option<String>>, InputError> {
        col(name).map_or(Ok(vec![None; n]), |c| texts(&c, name))
    };
    let num_col = |name: &str| -> Result<Vec<Option<f64>>, InputError> {
        col(name).map_or(Ok(vec![None; n]), |c| numbers(&c, name))
    };
    let load_col = |name: &str| -> Result<Vec<Option<f64>>, InputError> {
        col(name).map_or(Ok(vec![None; n]), |c| loads(&c, name, label, first_row))
    };
    let time_col = |name: &str| -> Result<Vec<Option<i64>>, InputError> {
        col(name).map_or(Ok(vec![None; n]), |c| times(&c, name))
    };
    if col("partition").is_none() {
        return Err(InputError::missing(
            "partition",
            "a column partition (the center's partition of each job)",
        ));
    }
    if col("hours").is_none() && (col("start").is_none() || col("end").is_none()) {
        return Err(InputError::missing(
            "hours",
            "a column hours, or columns start and end",
        ));
    }
    let has_state = col("state").is_some();
    let (mut ids, mut clusters, mut users) =
        (text_col("job_id")?, text_col("cluster")?, text_col("user")?);
    let (mut accounts, mut partitions, mut states) = (
        text_col("account")?,
        text_col("partition")?,
        text_col("state")?,
    );
    let (starts, ends, hours) = (time_col("start")?, time_col("end")?, num_col("hours")?);
    let (nodes, cores, gpus, memory) = (
        num_col("nodes")?,
        num_col("cores")?,
        num_col("gpus")?,
        num_col("memory_gb")?,
    );
    let (load, cpu_load, gpu_load) = (
        load_col("load")?,
        load_col("cpu_load")?,
        load_col("gpu_load")?,
    );
    let energy = num_col("energy_kwh")?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let row = first_row + i as u64;
        let partition = partitions[i].take().ok_or_else(|| {
            at_row(
                InputError::missing("partition", "a partition for every job"),
                label,
                row,
            )
        })?;
        let elapsed = match (hours[i], starts[i], ends[i]) {
            (Some(h), _, _) if h.is_finite() && h >= 0.0 => Some(h * 3600.0),
            (Some(h), _, _) => {
                return Err(at_row(
                    InputError::invalid("hours", h.to_string(), "a duration in hours ≥ 0"),
                    label,
                    row,
                ))
            }
            (None, Some(s), Some(e)) => Some((e - s) as f64),
            _ => None,
        };
        let start = starts[i].map(Timestamp);
        // Without a state column every job is taken as COMPLETED (counted by the accountant);
        // an empty or null state is unknown (warned about, counted under UNKNOWN).
        let state_raw = states[i].take().unwrap_or_default();
        let state = if !has_state {
            Some(JobState::Completed)
        } else if state_raw.trim().is_empty() {
            None
        } else {
            Some(JobState::parse(&state_raw))
        };
        // Without an id, the row's place: in a file, the file's too (two files' rows differ).
        let id = ids[i].take().unwrap_or_else(|| {
            if label == LABEL {
                row.to_string()
            } else {
                format!("{label}:{row}")
            }
        });
        out.push(JobRecord {
            job_id: id,
            cluster: clusters[i].take().unwrap_or_default(),
            partition,
            user: users[i].take().unwrap_or_default(),
            account: accounts[i].take().unwrap_or_default(),
            state,
            state_raw,
            state_assumed: !has_state,
            start,
            end: ends[i]
                .or_else(|| Some(starts[i]? + elapsed? as i64))
                .map(Timestamp),
            elapsed_s: elapsed,
            nodes: nodes[i],
            cpus: cores[i],
            gpus: gpus[i],
            mem_gb: memory[i],
            energy_j: energy[i].map(|k| k * 3.6e6),
            cpu_load: cpu_load[i].or(load[i]),
            gpu_load: gpu_load[i].or(load[i]),
            line: row,
            ..JobRecord::default()
        });
    }
    Ok(out)
}

/// The records of an Arrow IPC stream given in memory, batch by batch as they are read, rows
/// numbered from 1.
pub fn records(
    stream: &[u8],
) -> Result<impl Iterator<Item = Result<Vec<JobRecord>, InputError>> + '_, InputError> {
    let reader = arrow_ipc::reader::StreamReader::try_new(Cursor::new(stream), None)
        .map_err(|e| InputError::malformed(format!("not an Arrow IPC stream: {e}")))?;
    Ok(batch_list_records(reader))
}

/// The records of record batches (from an IPC stream, or taken over from another program through
/// the Arrow C stream interface), rows numbered from 1, a few thousand records at a time.
pub fn batch_list_records(
    batches: impl Iterator<Item = Result<RecordBatch, arrow_schema::ArrowError>>,
) -> impl Iterator<Item = Result<Vec<JobRecord>, InputError>> {
    let mut first = 1u64;
    batches
        .flat_map(|batch| match batch {
            Ok(b) => chunks(b).into_iter().map(Ok).collect::<Vec<_>>(),
            Err(e) => vec![Err(e)],
        })
        .map(move |batch| {
            let batch =
                batch.map_err(|e| InputError::malformed(format!("cannot read the table: {e}")))?;
            let records = batch_records(&batch, LABEL, first)?;
            first += batch.num_rows() as u64;
            Ok(records)
        })
}

/// Rows turned into records at a time: a batch's records are freed before the next are made,
/// and a few thousand of them stay in the allocator's reused memory (a whole batch of 65,536,
/// some 30 MB, would be fresh pages each time).
const CHUNK: usize = 4096;

/// A batch as slices of [`CHUNK`] rows (no copy).
fn chunks(batch: RecordBatch) -> Vec<RecordBatch> {
    let n = batch.num_rows();
    if n <= CHUNK {
        return vec![batch];
    }
    (0..n)
        .step_by(CHUNK)
        .map(|at| batch.slice(at, CHUNK.min(n - at)))
        .collect()
}

/// The kinds of table file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableKind {
    /// Apache Parquet.
    Parquet,
    /// Arrow IPC, file (`ARROW1`) or stream.
    Arrow,
}

impl TableKind {
    /// The kind of a file from its first bytes, if it is a table.
    pub fn sniff(head: &[u8]) -> Option<TableKind> {
        if head.starts_with(b"PAR1") {
            Some(TableKind::Parquet)
        } else if head.starts_with(b"ARROW1") || head.starts_with(&[0xff, 0xff, 0xff, 0xff]) {
            Some(TableKind::Arrow)
        } else {
            None
        }
    }
}

type Batches = Box<dyn Iterator<Item = Result<RecordBatch, String>> + Send>;

/// The jobs of a table file (Parquet, Arrow IPC file or stream), read batch by batch.
pub struct TableReader {
    path: String,
    batches: Batches,
    current: std::vec::IntoIter<JobRecord>,
    next_row: u64,
}

impl TableReader {
    /// Opens `path` as a table of `kind`.
    pub fn open(path: &str, kind: TableKind) -> Result<TableReader, ReadError> {
        let bad = |what: &str, e: &dyn std::fmt::Display| {
            ReadError::fatal(
                InputError::malformed(format!("not a readable {what} file: {e}"))
                    .at(Location::file(path)),
            )
        };
        let file = File::open(path).map_err(|e| ReadError::unreadable(path, e))?;
        let batches: Batches = match kind {
            TableKind::Parquet => {
                let reader = ParquetRecordBatchReaderBuilder::try_new(file)
                    .and_then(|b| b.with_batch_size(CHUNK).build())
                    .map_err(|e| bad("Parquet", &e))?;
                Box::new(reader.map(|b| b.map_err(|e| e.to_string())))
            }
            TableKind::Arrow => arrow_batches(file).map_err(|e| bad("Arrow IPC", &e))?,
        };
        Ok(TableReader {
            path: path.to_string(),
            batches,
            current: Vec::new().into_iter(),
            next_row: 1,
        })
    }
}

/// The batches of an Arrow IPC file (`ARROW1`, seekable) or stream.
fn arrow_batches(mut file: File) -> Result<Batches, arrow_schema::ArrowError> {
    let mut magic = [0u8; 6];
    let n = file.read(&mut magic)?;
    file.rewind()?;
    if n == 6 && &magic == b"ARROW1" {
        let r = arrow_ipc::reader::FileReader::try_new(file, None)?;
        Ok(Box::new(r.map(|b| b.map_err(|e| e.to_string()))))
    } else {
        let r = arrow_ipc::reader::StreamReader::try_new(BufReader::new(file), None)?;
        Ok(Box::new(r.map(|b| b.map_err(|e| e.to_string()))))
    }
}

impl RecordReader for TableReader {
    fn next_job(&mut self, out: &mut JobRecord, _: &mut Issues) -> Result<bool, ReadError> {
        loop {
            if let Some(rec) = self.current.next() {
                *out = rec;
                return Ok(true);
            }
            let Some(batch) = self.batches.next() else {
                return Ok(false);
            };
            let batch = batch.map_err(|e| {
                ReadError::fatal(
                    InputError::malformed(format!(
                        "cannot read the table from row {}: {e}",
                        self.next_row
                    ))
                    .at(Location::file(&self.path)),
                )
            })?;
            let records = batch_records(&batch, &self.path, self.next_row).map_err(|e| {
                // Errors of a whole column have no row: they are the file's.
                let e = if e.location.is_none() {
                    e.at(Location::file(&self.path))
                } else {
                    e
                };
                ReadError::fatal(e)
            })?;
            self.next_row += batch.num_rows() as u64;
            self.current = records.into_iter();
        }
    }
}
