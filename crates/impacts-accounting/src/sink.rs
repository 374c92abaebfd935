//! Per-job outputs: CSV, JSON Lines and Parquet, written atomically.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use impacts::impacts_model::layout::{OutputLayout, Outputs};

use crate::parquet::ParquetWriter;
use crate::record::{JobRecord, Timestamp};

/// One job's result, as written to a per-job output.
#[derive(Debug)]
pub struct JobRow<'a> {
    /// The record.
    pub record: &'a JobRecord,
    /// The partition of the center it was estimated on (empty when none).
    pub partition: &'a str,
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
    /// Bounds of the totals, per criterion, when sampled per job.
    pub bounds: Option<&'a [(f64, f64)]>,
    /// Warning codes of the job.
    pub warnings: &'a [&'static str],
}

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text.
    Text,
    /// A date and time.
    Time,
    /// A count (nodes, cores, GPUs).
    Count,
    /// A number.
    Number,
    /// A list of warning codes.
    Codes,
}

/// A column of the per-job outputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: ColumnKind,
}

/// The columns of per-job outputs, from the estimator's output layout: the job's description,
/// each extensive measure (energies), each criterion's total with its bounds, each phase of each
/// criterion, and the warnings. A criterion or phase added to the model appears here.
#[derive(Clone, Debug)]
pub struct JobColumns {
    layout: OutputLayout,
    columns: Vec<Column>,
}

const DESCRIPTION: [(&str, ColumnKind); 14] = [
    ("job_id", ColumnKind::Text),
    ("user", ColumnKind::Text),
    ("account", ColumnKind::Text),
    ("partition", ColumnKind::Text),
    ("state", ColumnKind::Text),
    ("start", ColumnKind::Time),
    ("end", ColumnKind::Time),
    ("nodes", ColumnKind::Count),
    ("cores", ColumnKind::Count),
    ("gpus", ColumnKind::Count),
    ("node_equivalents", ColumnKind::Number),
    ("hours", ColumnKind::Number),
    ("cpu_load", ColumnKind::Number),
    ("gpu_load", ColumnKind::Number),
];

impl JobColumns {
    /// The columns for a layout and the criteria keys, in layout order.
    pub fn new(layout: &OutputLayout, criteria: &[String]) -> JobColumns {
        debug_assert_eq!(layout.criteria(), criteria.len());
        let col = |name: String, kind| Column { name, kind };
        let mut c: Vec<Column> = DESCRIPTION
            .iter()
            .map(|(n, k)| col(n.to_string(), *k))
            .collect();
        for m in layout.measures().iter().filter(|m| m.extensive) {
            c.push(col(m.column.to_string(), ColumnKind::Number));
        }
        c.push(col("energy_source".into(), ColumnKind::Text));
        for k in criteria {
            c.push(col(k.clone(), ColumnKind::Number));
            c.push(col(format!("{k}_low"), ColumnKind::Number));
            c.push(col(format!("{k}_high"), ColumnKind::Number));
        }
        for ph in layout.phases() {
            for k in criteria {
                c.push(col(format!("{}_{k}", ph.as_str()), ColumnKind::Number));
            }
        }
        c.push(col("warnings".into(), ColumnKind::Codes));
        JobColumns {
            layout: layout.clone(),
            columns: c,
        }
    }

    /// The columns.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The column names.
    pub fn names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }

    /// The cells of a row, in column order.
    pub fn cells<'a>(&self, row: &'a JobRow<'a>) -> Vec<Cell<'a>> {
        let r = row.record;
        let out = row.outputs;
        let has = !out.is_empty();
        let mut v = vec![
            Cell::Str(&r.job_id),
            Cell::Str(&r.user),
            Cell::Str(&r.account),
            Cell::Str(if row.partition.is_empty() {
                &r.partition
            } else {
                row.partition
            }),
            Cell::Str(r.state.map(|s| s.as_str()).unwrap_or("")),
            Cell::Time(r.start),
            Cell::Time(r.end),
            Cell::Num(r.nodes),
            Cell::Num(r.cpus),
            Cell::Num(r.gpus.or(Some(0.0))),
            Cell::Num(has.then_some(row.node_equivalents)),
            Cell::Num(has.then_some(row.hours)),
            Cell::Num(has.then_some(row.cpu_load)),
            Cell::Num(has.then_some(row.gpu_load)),
        ];
        for m in self.layout.measures().iter().filter(|m| m.extensive) {
            v.push(Cell::Num(out.measure(m)));
        }
        v.push(Cell::Str(row.energy_source));
        for c in 0..self.layout.criteria() {
            let val = out.total(c);
            let (lo, hi) = match (row.bounds, val) {
                (Some(b), Some(_)) => (Some(b[c].0), Some(b[c].1)),
                (_, v) => (v, v),
            };
            v.extend([Cell::Num(val), Cell::Num(lo), Cell::Num(hi)]);
        }
        for &ph in self.layout.phases() {
            for c in 0..self.layout.criteria() {
                v.push(Cell::Num(out.phase(ph, c)));
            }
        }
        v.push(Cell::Codes(row.warnings));
        v
    }
}

/// A cell of a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    /// Text.
    Str(&'a str),
    /// A date and time (absent when None).
    Time(Option<Timestamp>),
    /// Warning codes (CSV and Parquet: joined by `;`; JSON: an array).
    Codes(&'a [&'static str]),
    /// Number (absent when None).
    Num(Option<f64>),
}

/// Receives one row per job.
pub trait JobSink {
    /// Writes a row.
    fn write(&mut self, row: &JobRow<'_>) -> io::Result<()>;
    /// Completes the output (flushes, renames the temporary file into place).
    fn finish(&mut self) -> io::Result<()>;
}

/// Discards rows.
pub struct NoSink;

impl JobSink for NoSink {
    fn write(&mut self, _: &JobRow<'_>) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The temporary files of outputs being written, for [`remove_temporary_files`].
static TEMPORARY: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn temporary() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    TEMPORARY.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes the temporary files of every output being written: a process ended by a signal
/// calls it so that no half-written file is left (the destinations are untouched).
pub fn remove_temporary_files() {
    for p in temporary().drain(..) {
        let _ = fs::remove_file(p);
    }
}

/// A file written under a temporary name and renamed when complete: a failed or interrupted
/// run leaves no half-written file at the destination, nor its temporary file.
pub struct AtomicFile {
    tmp: PathBuf,
    dest: PathBuf,
    file: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Creates the temporary file beside `dest`; fails at once when `dest` is a folder or its
    /// folder cannot be written.
    pub fn create(dest: &Path) -> io::Result<AtomicFile> {
        if dest.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is a folder: expected a file name", dest.display()),
            ));
        }
        let name = dest
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("output");
        let tmp = dest.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
        let f = File::create(&tmp)?;
        temporary().push(tmp.clone());
        Ok(AtomicFile {
            tmp,
            dest: dest.to_path_buf(),
            file: Some(BufWriter::with_capacity(1 << 17, f)),
        })
    }

    /// Flushes and renames into place.
    pub fn commit(&mut self) -> io::Result<()> {
        if let Some(mut f) = self.file.take() {
            let done = f
                .flush()
                .and_then(|_| f.into_inner().map_err(|e| e.into_error()))
                .and_then(|f| f.sync_all())
                .and_then(|_| fs::rename(&self.tmp, &self.dest));
            if done.is_err() {
                let _ = fs::remove_file(&self.tmp);
            }
            temporary().retain(|p| p != &self.tmp);
            done?;
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("file already committed"))?
            .write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
            temporary().retain(|p| p != &self.tmp);
        }
    }
}

/// Where rows go: a file (committed at the end) or standard output.
pub enum Destination {
    /// A file.
    File(AtomicFile),
    /// Standard output.
    Stdout(BufWriter<io::Stdout>),
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

impl Destination {
    fn commit(&mut self) -> io::Result<()> {
        match self {
            Destination::File(f) => f.commit(),
            Destination::Stdout(s) => s.flush(),
        }
    }
}

fn push_num(buf: &mut String, v: Option<f64>) {
    if let Some(x) = v {
        if x.is_finite() {
            push_finite(buf, x);
        }
    }
}

/// The shortest decimal that reads back as `x` (integers without a fraction).
fn push_finite(buf: &mut String, x: f64) {
    if x == x.trunc() && x.abs() < 1e15 {
        let v = x as i64;
        if v < 0 {
            buf.push('-');
        }
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut u = v.unsigned_abs();
        loop {
            i -= 1;
            digits[i] = b'0' + (u % 10) as u8;
            u /= 10;
            if u == 0 {
                break;
            }
        }
        buf.push_str(std::str::from_utf8(&digits[i..]).unwrap_or_default());
    } else {
        let mut r = ryu::Buffer::new();
        buf.push_str(r.format_finite(x));
    }
}

/// CSV rows.
pub struct CsvSink {
    out: Destination,
    columns: JobColumns,
    line: String,
    header_written: bool,
}

impl CsvSink {
    /// A CSV writer of the columns.
    pub fn new(out: Destination, columns: JobColumns) -> CsvSink {
        CsvSink {
            out,
            columns,
            line: String::with_capacity(512),
            header_written: false,
        }
    }

    fn header(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.header_written = true;
            let h = self.columns.names().join(",");
            self.out.write_all(h.as_bytes())?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }
}

fn csv_text(buf: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        buf.push('"');
        buf.push_str(&s.replace('"', "\"\""));
        buf.push('"');
    } else {
        buf.push_str(s);
    }
}

impl JobSink for CsvSink {
    fn write(&mut self, row: &JobRow<'_>) -> io::Result<()> {
        self.header()?;
        self.line.clear();
        for (i, c) in self.columns.cells(row).into_iter().enumerate() {
            if i > 0 {
                self.line.push(',');
            }
            match c {
                Cell::Str(s) => csv_text(&mut self.line, s),
                Cell::Time(t) => {
                    if let Some(t) = t {
                        t.write_to(&mut self.line);
                    }
                }
                Cell::Codes(c) => {
                    for (k, w) in c.iter().enumerate() {
                        if k > 0 {
                            self.line.push(';');
                        }
                        self.line.push_str(w);
                    }
                }
                Cell::Num(v) => push_num(&mut self.line, v),
            }
        }
        self.line.push('\n');
        self.out.write_all(self.line.as_bytes())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.header()?;
        self.out.commit()
    }
}

/// JSON Lines: one object per job.
pub struct JsonlSink {
    out: Destination,
    names: Vec<String>,
    columns: JobColumns,
    line: String,
}

impl JsonlSink {
    /// A JSON Lines writer of the columns.
    pub fn new(out: Destination, columns: JobColumns) -> JsonlSink {
        JsonlSink {
            out,
            names: columns.names(),
            columns,
            line: String::with_capacity(1024),
        }
    }
}

fn json_text(buf: &mut String, s: &str) {
    buf.push('"');
    for ch in s.chars() {
        match ch {
            '"' => buf.push_str("\\\""),
            '\\' => buf.push_str("\\\\"),
            '\n' => buf.push_str("\\n"),
            '\r' => buf.push_str("\\r"),
            '\t' => buf.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                use std::fmt::Write as _;
                let _ = write!(buf, "\\u{:04x}", c as u32);
            }
            c => buf.push(c),
        }
    }
    buf.push('"');
}

impl JobSink for JsonlSink {
    fn write(&mut self, row: &JobRow<'_>) -> io::Result<()> {
        self.line.clear();
        self.line.push('{');
        let cells = self.columns.cells(row);
        for (i, c) in cells.into_iter().enumerate() {
            if i > 0 {
                self.line.push(',');
            }
            json_text(&mut self.line, &self.names[i]);
            self.line.push(':');
            match c {
                Cell::Str(s) => json_text(&mut self.line, s),
                Cell::Codes(c) => {
                    self.line.push('[');
                    for (k, w) in c.iter().enumerate() {
                        if k > 0 {
                            self.line.push(',');
                        }
                        json_text(&mut self.line, w);
                    }
                    self.line.push(']');
                }
                Cell::Time(Some(t)) => {
                    self.line.push('"');
                    t.write_to(&mut self.line);
                    self.line.push('"');
                }
                Cell::Time(None) => self.line.push_str("null"),
                Cell::Num(Some(x)) if x.is_finite() => push_finite(&mut self.line, x),
                Cell::Num(_) => self.line.push_str("null"),
            }
        }
        self.line.push_str("}\n");
        self.out.write_all(self.line.as_bytes())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.commit()
    }
}

/// Parquet: rows buffered in row groups.
pub struct ParquetSink {
    out: Option<Destination>,
    writer: ParquetWriter,
    columns: JobColumns,
}

impl ParquetSink {
    /// A Parquet writer of the columns.
    pub fn new(out: Destination, columns: JobColumns) -> ParquetSink {
        let kinds = columns
            .columns()
            .iter()
            .map(|c| {
                matches!(
                    c.kind,
                    ColumnKind::Text | ColumnKind::Time | ColumnKind::Codes
                )
            })
            .collect::<Vec<bool>>();
        ParquetSink {
            out: Some(out),
            writer: ParquetWriter::new(columns.names(), kinds),
            columns,
        }
    }
}

impl JobSink for ParquetSink {
    fn write(&mut self, row: &JobRow<'_>) -> io::Result<()> {
        let cells = self.columns.cells(row);
        self.writer.push_row(cells);
        if self.writer.buffered() >= 65_536 {
            let out = self
                .out
                .as_mut()
                .ok_or_else(|| io::Error::other("finished"))?;
            self.writer.flush_row_group(out)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let mut out = self
            .out
            .take()
            .ok_or_else(|| io::Error::other("finished"))?;
        self.writer.finish(&mut out)?;
        out.commit()
    }
}

/// Opens the per-job output for a path (`-` is JSON Lines on standard output), by extension.
pub fn open_sink(path: &str, columns: JobColumns) -> io::Result<Box<dyn JobSink>> {
    if path == "-" {
        return Ok(Box::new(JsonlSink::new(
            Destination::Stdout(BufWriter::with_capacity(1 << 17, io::stdout())),
            columns,
        )));
    }
    let p = Path::new(path);
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let kind = match ext.as_str() {
        "csv" => 0,
        "jsonl" | "ndjson" => 1,
        "parquet" => 2,
        _ => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("invalid --jobs '{path}': expected a file name ending in .csv, .jsonl or .parquet, or - for JSON Lines on standard output"),
            ))
        }
    };
    let dest = Destination::File(AtomicFile::create(p)?);
    Ok(match kind {
        0 => Box::new(CsvSink::new(dest, columns)),
        1 => Box::new(JsonlSink::new(dest, columns)),
        _ => Box::new(ParquetSink::new(dest, columns)),
    })
}
