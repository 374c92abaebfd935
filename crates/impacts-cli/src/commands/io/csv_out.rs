//! CSV of `impacts io`: one row per log, the summary's quantities, and the `--jobs` file.

use impacts_table::{Column, Kind, RowSink, TableError};

use super::*;

/// The CSV header of one row per log.
pub(super) const CSV_HEADER: [&str; 28] = [
    "file",
    "version",
    "big_endian",
    "partial",
    "jobid",
    "uid",
    "nprocs",
    "start_time",
    "run_time_s",
    "bytes_read",
    "bytes_written",
    "reads",
    "writes",
    "opens",
    "seeks",
    "stats",
    "files",
    "shared_files",
    "ranks_with_io",
    "io_time_slowest_rank_s",
    "io_share",
    "metadata_time_s",
    "timeline_source",
    "read_temporality",
    "write_temporality",
    "read_period_s",
    "write_period_s",
    "warnings",
];

pub(super) fn period(p: Option<&Periodicity>) -> String {
    p.and_then(|p| p.dominant.as_ref())
        .map_or(String::new(), |d| d.period_s.to_string())
}

pub(super) fn csv_record(r: &IoReport) -> Vec<String> {
    let t = r.temporality.as_ref();
    let p = r.periodicity.as_ref();
    vec![
        r.file.clone(),
        r.version.clone(),
        r.big_endian.to_string(),
        r.partial.to_string(),
        r.job.jobid.to_string(),
        r.job.uid.to_string(),
        r.job.nprocs.to_string(),
        r.job.start_time.to_string(),
        r.job.run_time.to_string(),
        r.bytes_read.to_string(),
        r.bytes_written.to_string(),
        r.operations.reads.to_string(),
        r.operations.writes.to_string(),
        r.operations.opens.to_string(),
        r.operations.seeks.to_string(),
        r.operations.stats.to_string(),
        r.files.total.to_string(),
        r.files.shared.to_string(),
        r.ranks.with_io.to_string(),
        r.time.slowest_rank_s.to_string(),
        r.time.io_share.to_string(),
        r.metadata.time_s.to_string(),
        t.map_or(String::new(), |t| t.source.as_str().into()),
        t.map_or(String::new(), |t| t.read.class.clone()),
        t.map_or(String::new(), |t| t.write.class.clone()),
        period(p.and_then(|p| p.read.as_ref())),
        period(p.and_then(|p| p.write.as_ref())),
        r.warnings
            .iter()
            .map(|w| w.code.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    ]
}

pub(super) fn csv_rows<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    results: &[(IoReport, Option<IoFootprint>)],
) -> Result<(), csv::Error> {
    let with_footprint = results.iter().any(|(_, f)| f.is_some());
    let mut header: Vec<String> = CSV_HEADER.iter().map(|s| s.to_string()).collect();
    if with_footprint {
        if let Some((_, Some(f))) = results.iter().find(|(_, f)| f.is_some()) {
            for (k, e) in f.impacts.iter() {
                header.push(format!("{k}_{}", e.unit));
                header.push(format!("{k}_low"));
                header.push(format!("{k}_high"));
            }
        }
    }
    w.write_record(&header)?;
    for (r, f) in results {
        let mut rec = csv_record(r);
        if let Some(f) = f {
            for (_, e) in f.impacts.iter() {
                rec.extend([e.value.to_string(), e.low.to_string(), e.high.to_string()]);
            }
        }
        w.write_record(&rec)?;
    }
    Ok(())
}

/// The columns of the `--jobs` file: one row per log, as the CSV of `impacts io`, typed.
fn jobs_columns() -> Vec<Column> {
    use Kind::*;
    let kinds = [
        Text, Category, Category, Category, Integer, Integer, Integer, Timestamp, Number, Integer,
        Integer, Integer, Integer, Integer, Integer, Integer, Integer, Integer, Integer, Number,
        Number, Number, Category, Category, Category, Number, Number, Codes,
    ];
    CSV_HEADER
        .iter()
        .zip(kinds)
        .map(|(n, k)| Column::new(*n, k))
        .collect()
}

/// The `--jobs` file of `--summary`: one row per log, in the format of its extension (CSV,
/// JSON Lines, Parquet), written under a temporary name and renamed once complete.
pub(super) struct JobsFile {
    table: Box<dyn RowSink>,
}

/// A table's error as the command line's.
pub(super) fn table_error(e: TableError) -> CliError {
    match e {
        TableError::Input(e) => CliError::Input(e),
        TableError::Io { path, source } => {
            CliError::cannot_write(&format!("--jobs '{path}'"), source)
        }
    }
}

impl JobsFile {
    pub(super) fn create(file: &str) -> Result<JobsFile, CliError> {
        let meta = [(
            "impacts.version".to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        )];
        let table = impacts_table::open(file, jobs_columns(), &meta).map_err(table_error)?;
        Ok(JobsFile { table })
    }

    pub(super) fn row(&mut self, r: &IoReport) -> Result<(), CliError> {
        let t = self.table.as_mut();
        let (tm, p) = (r.temporality.as_ref(), r.periodicity.as_ref());
        let count = |v: usize| Some(i64::try_from(v).unwrap_or(i64::MAX));
        let period =
            |p: Option<&Periodicity>| p.and_then(|p| p.dominant.as_ref()).map(|d| d.period_s);
        t.text(Some(&r.file));
        t.text(Some(&r.version));
        t.text(Some(if r.big_endian { "true" } else { "false" }));
        t.text(Some(if r.partial { "true" } else { "false" }));
        for v in [r.job.jobid, r.job.uid, r.job.nprocs] {
            t.integer(Some(v));
        }
        t.timestamp(
            Some(r.job.start_time)
                .filter(|s| s.is_finite())
                .map(|s| s as i64),
        );
        t.number(Some(r.job.run_time));
        let o = &r.operations;
        for v in [
            r.bytes_read,
            r.bytes_written,
            o.reads,
            o.writes,
            o.opens,
            o.seeks,
            o.stats,
        ] {
            t.integer(Some(v));
        }
        t.integer(count(r.files.total));
        t.integer(count(r.files.shared));
        t.integer(Some(r.ranks.with_io));
        for v in [r.time.slowest_rank_s, r.time.io_share, r.metadata.time_s] {
            t.number(Some(v));
        }
        t.text(tm.map(|t| t.source.as_str()));
        t.text(tm.map(|t| t.read.class.as_str()));
        t.text(tm.map(|t| t.write.class.as_str()));
        t.number(period(p.and_then(|p| p.read.as_ref())));
        t.number(period(p.and_then(|p| p.write.as_ref())));
        let codes: Vec<&str> = r.warnings.iter().map(|w| w.code.as_str()).collect();
        t.codes(&codes);
        t.end_row().map_err(table_error)
    }

    pub(super) fn finish(mut self) -> Result<(), CliError> {
        self.table.finish().map_err(table_error)
    }

    /// Drops the file (its temporary file is removed).
    pub(super) fn abandon(self) {}
}

pub(super) fn summary_csv(
    s: &Summary,
    fp: Option<&SummaryFootprint>,
) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["quantity", "value", "of"])?;
    let n = s.read.to_string();
    let rows: Vec<(String, String, String)> = vec![
        ("logs".into(), s.logs.to_string(), String::new()),
        ("read".into(), s.read.to_string(), s.logs.to_string()),
        (
            "not_read".into(),
            s.failures.len().to_string(),
            s.logs.to_string(),
        ),
        ("without_io".into(), s.without_io.to_string(), n.clone()),
        ("periodic_any".into(), s.periodic_any.to_string(), n.clone()),
        (
            "periodic_read".into(),
            s.periodic_read.periodic.to_string(),
            s.periodic_read.assessed.to_string(),
        ),
        (
            "periodic_write".into(),
            s.periodic_write.periodic.to_string(),
            s.periodic_write.assessed.to_string(),
        ),
        (
            "end_only_writers".into(),
            s.end_only_writers.to_string(),
            n.clone(),
        ),
        (
            "start_only_readers".into(),
            s.start_only_readers.to_string(),
            n.clone(),
        ),
        (
            "shared_file_jobs".into(),
            s.shared_file_jobs.to_string(),
            n.clone(),
        ),
        ("mpi_io_jobs".into(), s.mpi_io_jobs.to_string(), n.clone()),
        (
            "collective_io_jobs".into(),
            s.collective_io_jobs.to_string(),
            s.mpi_io_jobs.to_string(),
        ),
    ];
    for (k, v, of) in rows {
        w.write_record([k, v, of])?;
    }
    for (prefix, m) in [
        ("read_temporality", &s.read_temporality),
        ("write_temporality", &s.write_temporality),
        ("timeline_source", &s.timeline_sources),
    ] {
        for (k, v) in m {
            w.write_record([format!("{prefix}.{k}"), v.to_string(), n.clone()])?;
        }
    }
    for (name, q) in [
        ("bytes_read", &s.bytes_read.quantiles),
        ("bytes_written", &s.bytes_written.quantiles),
        ("run_time_s", &s.run_time),
        ("io_share", &s.io_share),
    ] {
        let Some(q) = q else { continue };
        for (k, v) in [
            ("min", q.min),
            ("p25", q.p25),
            ("median", q.median),
            ("p75", q.p75),
            ("p90", q.p90),
            ("max", q.max),
            ("total", q.total),
        ] {
            w.write_record([format!("{name}.{k}"), v.to_string(), String::new()])?;
        }
    }
    for (name, v) in [
        ("bytes_read", &s.bytes_read),
        ("bytes_written", &s.bytes_written),
    ] {
        for (label, count) in DECADES.iter().zip(v.decades) {
            w.write_record([
                format!("{name}.decade.{label}"),
                count.to_string(),
                n.clone(),
            ])?;
        }
    }
    for (mount, t) in &s.file_systems {
        for (what, v) in [
            ("jobs", t.jobs as f64),
            ("bytes_read", t.bytes_read),
            ("bytes_written", t.bytes_written),
        ] {
            w.write_record([
                format!("file_system.{mount}.{what}"),
                v.to_string(),
                n.clone(),
            ])?;
        }
    }
    if let Some(f) = fp {
        let mut put = |prefix: &str, im: &OrderedMap<Estimate>| -> Result<(), csv::Error> {
            for (k, e) in im.iter() {
                for (what, v) in [("", e.value), (".low", e.low), (".high", e.high)] {
                    w.write_record([format!("{prefix}.{k}{what}"), v.to_string(), e.unit.clone()])?;
                }
            }
            Ok(())
        };
        for t in &f.storage {
            if let Some(im) = t.share.as_ref().map(|x| &x.impacts) {
                put(&format!("footprint.{}", t.attributed_to), im)?;
            }
        }
        if let Some(im) = &f.waiting {
            put("footprint.waiting", im)?;
        }
        put("footprint.total", &f.impacts)?;
        w.write_record([
            "footprint.waiting_process_hours".to_string(),
            f.waiting_process_hours.to_string(),
            "h".to_string(),
        ])?;
    }
    crate::render::csv_string(w)
}
