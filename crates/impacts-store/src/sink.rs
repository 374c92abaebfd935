//! The accountant's sink into a store: rows collected in batches, each batch one transaction.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use impacts_accounting::sink::{JobRow, JobSink};
use impacts_table::TableError;

use crate::value::Collector;
use crate::{Store, StoreError, Value};

/// Rows per transaction by default: large enough that the commit's cost is spread, small enough
/// that a batch in flight is a fraction of a second of work.
pub const DEFAULT_BATCH: usize = 10_000;

/// Receives the accountant's rows and writes them to a store in batches, on a thread of its own
/// (SQLite's work overlaps the reading and estimating of the next batch). Batches go to the
/// writer through a bounded channel (two in flight at most: memory stays bounded); it counts
/// what it committed and stops at its first error, which the next write or `finish` returns.
pub struct StoreSink {
    store: Arc<dyn Store>,
    batch: Vec<Vec<Value>>,
    size: usize,
    writer: Option<Writer>,
    written: Arc<AtomicU64>,
    collector: Collector,
}

type Writer = (
    SyncSender<Vec<Vec<Value>>>,
    JoinHandle<Result<(), StoreError>>,
);

impl StoreSink {
    /// A sink into `store`, `size` rows per transaction (0: [`DEFAULT_BATCH`]).
    pub fn new(store: Arc<dyn Store>, size: usize) -> StoreSink {
        let size = if size == 0 { DEFAULT_BATCH } else { size };
        let written = Arc::new(AtomicU64::new(0));
        let (tx, rx) = sync_channel::<Vec<Vec<Value>>>(2);
        let (target, count) = (store.clone(), written.clone());
        let thread = std::thread::spawn(move || {
            for batch in rx {
                target.write(&batch)?;
                count.fetch_add(batch.len() as u64, Ordering::Relaxed);
            }
            Ok(())
        });
        StoreSink {
            store,
            batch: Vec::with_capacity(size),
            size,
            writer: Some((tx, thread)),
            written,
            collector: Collector::default(),
        }
    }

    /// Rows committed so far.
    pub fn written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    /// Hands the batch to the writer; the writer's error if it has stopped.
    fn send(&mut self) -> Result<(), TableError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(self.size));
        match &self.writer {
            Some((tx, _)) if tx.send(batch).is_ok() => Ok(()),
            Some(_) => self.join(),
            None => Err(to_table(
                self.store.as_ref(),
                StoreError::Database {
                    db: self.store.describe(),
                    message: "rows written after the end of the ingestion".into(),
                },
            )),
        }
    }

    /// Waits for the writer to commit what it was given; its first error.
    fn join(&mut self) -> Result<(), TableError> {
        let Some((tx, thread)) = self.writer.take() else {
            return Ok(());
        };
        drop(tx);
        let result = thread.join().unwrap_or_else(|_| {
            Err(StoreError::Database {
                db: self.store.describe(),
                message: "the writing thread panicked".into(),
            })
        });
        result.map_err(|e| to_table(self.store.as_ref(), e))
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
                values.push(Value::Integer(b.per_load.into()));
                values.push(Value::Real(b.node_hours));
                values.push(Value::Real(b.cpu_load_hours));
                values.push(Value::Real(b.gpu_load_hours));
                values.push(Value::Real(b.measured_kwh));
                values.push(Value::Real(rec.cpus.unwrap_or(0.0) * row.hours));
                values.push(Value::Real(rec.gpus.unwrap_or(0.0) * row.hours));
                values.extend(b.grid.covered.iter().map(|x| Value::Real(*x)));
                values.extend(b.grid.weighted.iter().map(|x| Value::Real(*x)));
            }
            None => values.extend(std::iter::repeat_n(
                Value::Null,
                crate::schema::BUCKET.len(),
            )),
        }
        debug_assert_eq!(values.len(), self.store.schema().names().len());
        Ok(std::mem::take(values))
    }
}

pub(crate) fn to_table(store: &dyn Store, e: StoreError) -> TableError {
    match e {
        StoreError::Input(i) => TableError::Input(i),
        e => TableError::Io {
            path: store.describe(),
            source: std::io::Error::other(e.to_string()),
        },
    }
}

impl JobSink for StoreSink {
    fn write(&mut self, row: &JobRow<'_>) -> Result<(), TableError> {
        let values = self.row(row)?;
        self.batch.push(values);
        if self.batch.len() >= self.size {
            self.send()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), TableError> {
        self.send()?;
        self.join()
    }
}
