//! The accountant's sink into a store: rows collected in batches, each batch one transaction.

use impacts_accounting::sink::{JobRow, JobSink};
use impacts_table::TableError;

use crate::value::Collector;
use crate::{Store, StoreError, Value};

/// Rows per transaction by default: large enough that the commit's cost is spread, small enough
/// that a batch in flight is a fraction of a second of work.
pub const DEFAULT_BATCH: usize = 10_000;

/// Receives the accountant's rows and writes them to a store in batches.
pub struct StoreSink<'s> {
    store: &'s dyn Store,
    batch: Vec<Vec<Value>>,
    size: usize,
    written: u64,
    collector: Collector,
}

impl<'s> StoreSink<'s> {
    /// A sink into `store`, `size` rows per transaction (0: [`DEFAULT_BATCH`]).
    pub fn new(store: &'s dyn Store, size: usize) -> StoreSink<'s> {
        let size = if size == 0 { DEFAULT_BATCH } else { size };
        StoreSink {
            store,
            batch: Vec::with_capacity(size),
            size,
            written: 0,
            collector: Collector::default(),
        }
    }

    /// Rows committed so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    fn flush(&mut self) -> Result<(), TableError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        self.store
            .write(&self.batch)
            .map_err(|e| to_table(self.store, e))?;
        self.written += self.batch.len() as u64;
        self.batch.clear();
        Ok(())
    }

    /// The row of a job, in [`crate::Schema::names`] order.
    fn row(&mut self, row: &JobRow<'_>) -> Result<Vec<Value>, TableError> {
        let rec = row.record;
        let values = &mut self.collector.values;
        values.clear();
        values.push(Value::Text(rec.cluster.clone()));
        values.push(Value::Integer(rec.submit.map_or(-1, |t| t.0)));
        self.store
            .schema()
            .job_columns()
            .write(row, &mut self.collector)?;
        let values = &mut self.collector.values;
        match &row.bucket {
            Some(b) => {
                values.push(
                    b.node_group
                        .map_or(Value::Null, |g| Value::Integer(g.into())),
                );
                values.push(Value::Integer(b.measured.into()));
                values.push(Value::Integer(b.cpu_load.into()));
                values.push(Value::Integer(b.gpu_load.into()));
                values.push(Value::Real(b.node_hours));
                values.push(Value::Real(b.measured_kwh));
                values.push(Value::Real(rec.cpus.unwrap_or(0.0) * row.hours));
                values.push(Value::Real(rec.gpus.unwrap_or(0.0) * row.hours));
            }
            None => values.extend(std::iter::repeat_n(Value::Null, 8)),
        }
        debug_assert_eq!(values.len(), self.store.schema().names().len());
        Ok(std::mem::take(values))
    }
}

fn to_table(store: &dyn Store, e: StoreError) -> TableError {
    match e {
        StoreError::Input(i) => TableError::Input(i),
        e => TableError::Io {
            path: store.describe(),
            source: std::io::Error::other(e.to_string()),
        },
    }
}

impl JobSink for StoreSink<'_> {
    fn write(&mut self, row: &JobRow<'_>) -> Result<(), TableError> {
        let values = self.row(row)?;
        self.batch.push(values);
        if self.batch.len() >= self.size {
            self.flush()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), TableError> {
        self.flush()
    }
}
