//! Per-job outputs: the columns of a job's row, and the sinks that receive the rows.
//!
//! [`JobSink`] is the one join between the accountant and what it writes to: the tables of
//! `impacts-table` (CSV, JSON Lines, Parquet) through [`TableSink`], nothing ([`NoSink`]), and,
//! later, the store of the service. The columns are declared once, from the estimator's output
//! layout ([`JobColumns`]): a criterion or phase added to the model appears in every format.

use impacts::impacts_model::layout::{OutputLayout, Outputs};
use impacts_table::{Column, Kind, RowSink, TableError};

use crate::record::JobRecord;
use crate::summary::JobBucket;

/// One job's result, as written to a per-job output.
#[derive(Debug)]
pub struct JobRow<'a> {
    /// The record.
    pub record: &'a JobRecord,
    /// The partition of the center it was estimated on (empty when none).
    pub partition: &'a str,
    /// When it started, UTC seconds.
    pub start: Option<i64>,
    /// When it ended, UTC seconds.
    pub end: Option<i64>,
    /// Node-equivalents charged.
    pub node_equivalents: f64,
    /// Hours.
    pub hours: f64,
    /// CPU load used (%).
    pub cpu_load: f64,
    /// GPU load (%).
    pub gpu_load: f64,
    /// `model`, `measured` or `none`.
    pub energy_source: &'static str,
    /// Every output of the estimator, empty when the job was not estimated.
    pub outputs: Outputs<'a>,
    /// Bounds of the totals, per criterion, when computed (from the job's bucket, or sampled
    /// per job); None leaves them empty.
    pub bounds: Option<&'a [(f64, f64)]>,
    /// Warning codes of the job.
    pub warnings: &'a [&'static str],
    /// The job's bucket, when it was estimated.
    pub bucket: Option<JobBucket>,
}

/// The columns of the job's description, before its results.
const DESCRIPTION: [(&str, Kind); 14] = [
    ("job_id", Kind::Text),
    ("user", Kind::Category),
    ("account", Kind::Category),
    ("partition", Kind::Category),
    ("state", Kind::Category),
    ("start", Kind::Timestamp),
    ("end", Kind::Timestamp),
    ("nodes", Kind::Integer),
    ("cores", Kind::Integer),
    ("gpus", Kind::Integer),
    ("node_equivalents", Kind::Exact),
    ("hours", Kind::Exact),
    ("cpu_load", Kind::Exact),
    ("gpu_load", Kind::Exact),
];

/// The columns of per-job outputs, from the estimator's output layout: the job's description,
/// each extensive measure (energies), the energy's source, each criterion's total with its
/// bounds, each phase of each criterion, and the warnings.
#[derive(Clone, Debug)]
pub struct JobColumns {
    layout: OutputLayout,
    criteria: Vec<String>,
    columns: Vec<Column>,
}

impl JobColumns {
    /// The columns for a layout and the criteria keys, in layout order.
    pub fn new(layout: &OutputLayout, criteria: &[String]) -> JobColumns {
        debug_assert_eq!(layout.criteria(), criteria.len());
        let mut c: Vec<Column> = DESCRIPTION
            .iter()
            .map(|(n, k)| Column::new(*n, *k))
            .collect();
        for m in layout.measures().iter().filter(|m| m.extensive) {
            c.push(Column::new(m.column, Kind::Number));
        }
        c.push(Column::new("energy_source", Kind::Category));
        for k in criteria {
            c.push(Column::new(k.clone(), Kind::Number));
            c.push(Column::new(format!("{k}_low"), Kind::Number));
            c.push(Column::new(format!("{k}_high"), Kind::Number));
        }
        for ph in layout.phases() {
            for k in criteria {
                c.push(Column::new(format!("{}_{k}", ph.as_str()), Kind::Number));
            }
        }
        c.push(Column::new("warnings", Kind::Codes));
        JobColumns {
            layout: layout.clone(),
            criteria: criteria.to_vec(),
            columns: c,
        }
    }

    /// The layout of the estimator's outputs.
    pub fn layout(&self) -> &OutputLayout {
        &self.layout
    }

    /// The criteria keys, in layout order.
    pub fn criteria(&self) -> &[String] {
        &self.criteria
    }

    /// The column of each extensive output, in layout order (the order of [`crate::summary::Acc`]'s
    /// sums): each criterion's total, each phase's criteria, each extensive measure.
    pub fn extensive_names(&self) -> Vec<String> {
        let l = &self.layout;
        let mut names = vec![String::new(); l.extensive().end];
        for (c, k) in self.criteria.iter().enumerate() {
            names[l.total(c)] = k.clone();
            for &ph in l.phases() {
                if let Some(i) = l.phase(ph, c) {
                    names[i] = format!("{}_{k}", ph.as_str());
                }
            }
        }
        for m in l.measures().iter().filter(|m| m.extensive) {
            if let Some(i) = l.measure(m) {
                names[i] = m.column.to_string();
            }
        }
        names
    }

    /// The columns.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The column names.
    pub fn names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }

    /// Writes a row, value by value in column order.
    pub fn write(&self, row: &JobRow<'_>, sink: &mut dyn RowSink) -> Result<(), TableError> {
        let r = row.record;
        let out = row.outputs;
        let has = !out.is_empty();
        let count = |v: Option<f64>| v.filter(|x| x.is_finite()).map(|x| x.round() as i64);
        sink.text(Some(&r.job_id));
        sink.text(Some(&r.user));
        sink.text(Some(&r.account));
        sink.text(Some(if row.partition.is_empty() {
            &r.partition
        } else {
            row.partition
        }));
        sink.text(Some(r.state.map(|s| s.as_str()).unwrap_or("")));
        sink.timestamp(row.start);
        sink.timestamp(row.end);
        sink.integer(count(r.nodes));
        sink.integer(count(r.cpus));
        sink.integer(count(r.gpus.or(Some(0.0))));
        for v in [row.node_equivalents, row.hours, row.cpu_load, row.gpu_load] {
            sink.number(has.then_some(v));
        }
        for m in self.layout.measures().iter().filter(|m| m.extensive) {
            sink.number(out.measure(m));
        }
        sink.text(Some(row.energy_source));
        for c in 0..self.layout.criteria() {
            let val = out.total(c);
            // Bounds not computed for the job (a measured energy, an hour-by-hour intensity)
            // are empty, never the central value (`accounting.job-bounds-empty`).
            let (lo, hi) = match (row.bounds, val) {
                (Some(b), Some(_)) => (Some(b[c].0), Some(b[c].1)),
                _ => (None, None),
            };
            sink.number(val);
            sink.number(lo);
            sink.number(hi);
        }
        for &ph in self.layout.phases() {
            for c in 0..self.layout.criteria() {
                sink.number(out.phase(ph, c));
            }
        }
        sink.codes(row.warnings);
        sink.end_row()
    }
}

/// Receives one row per job.
pub trait JobSink {
    /// Writes a row.
    fn write(&mut self, row: &JobRow<'_>) -> Result<(), TableError>;
    /// Completes the output (flushes, renames the temporary file into place).
    fn finish(&mut self) -> Result<(), TableError>;
}

/// Discards rows.
pub struct NoSink;

impl JobSink for NoSink {
    fn write(&mut self, _: &JobRow<'_>) -> Result<(), TableError> {
        Ok(())
    }
    fn finish(&mut self) -> Result<(), TableError> {
        Ok(())
    }
}

/// Rows written to a table (CSV, JSON Lines or Parquet).
pub struct TableSink {
    table: Box<dyn RowSink>,
    columns: JobColumns,
}

impl JobSink for TableSink {
    fn write(&mut self, row: &JobRow<'_>) -> Result<(), TableError> {
        self.columns.write(row, self.table.as_mut())
    }
    fn finish(&mut self) -> Result<(), TableError> {
        self.table.finish()
    }
}

/// Opens the per-job output for a path, its format by its extension (`-`: JSON Lines on
/// standard output); `metadata` goes into the file where the format has a place for it. Rows are
/// formatted and written on a thread of their own.
pub fn open_sink(
    path: &str,
    columns: JobColumns,
    metadata: &[(String, String)],
) -> Result<Box<dyn JobSink>, TableError> {
    let table = impacts_table::open_in_background(path, columns.columns().to_vec(), metadata)?;
    Ok(Box::new(TableSink { table, columns }))
}

/// Rows kept in memory as Arrow record batches (built on a thread of their own), available from
/// the returned [`impacts_table::Batches`] once the sink is finished.
pub fn memory_sink(
    columns: JobColumns,
    metadata: &[(String, String)],
) -> (Box<dyn JobSink>, impacts_table::Batches) {
    let (table, batches) = impacts_table::open_memory(columns.columns().to_vec(), metadata);
    (Box::new(TableSink { table, columns }), batches)
}
