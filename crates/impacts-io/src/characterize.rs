//! The characterization of one log (docs/io.md, "Characterization").

use std::collections::{BTreeMap, BTreeSet, HashMap};

use impacts_darshan::{counters, id, Log, Module, Mount, Record, MODULES};
use serde::Serialize;

use crate::spectrum::Periodicity;
use crate::timeline::{direction_periodicity, temporality, Source, Temporality, Timeline};

/// A warning, with a stable code (docs/io.md, "Warnings").
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Warning {
    /// Code.
    pub code: String,
    /// Message.
    pub message: String,
}

fn warn(ws: &mut Vec<Warning>, code: &str, message: String) {
    ws.push(Warning {
        code: code.into(),
        message,
    });
}

/// The job record, as the JSON shape names it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JobIo {
    /// Scheduler's job id.
    pub jobid: i64,
    /// User id.
    pub uid: i64,
    /// Processes.
    pub nprocs: i64,
    /// Start (s since 1970, with nanoseconds from format 3.41).
    pub start_time: f64,
    /// End.
    pub end_time: f64,
    /// Run time (s), as Darshan counts it.
    pub run_time: f64,
    /// Command line.
    pub exe: String,
}

/// What one module recorded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModuleIo {
    /// Record layout version in the log.
    pub version: u32,
    /// The runtime ran out of memory for it: records are missing.
    pub partial: bool,
    /// Records (absent when this reader does not decode the module).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<usize>,
    /// Records shared by all ranks (rank −1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_records: Option<usize>,
    /// Bytes read, for modules that count bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes_read: Option<i64>,
    /// Bytes written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes_written: Option<i64>,
}

/// A file system the job used (or one of the two groups of names on none).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileSystemIo {
    /// Mount point; `<standard streams>` or `<unmounted>` for the groups.
    pub mount: String,
    /// Type (`lustre`, `gpfs`, `nfs`, ...); empty for the groups.
    pub fs_type: String,
    /// Bytes read (POSIX + STDIO).
    pub bytes_read: i64,
    /// Bytes written.
    pub bytes_written: i64,
    /// Files.
    pub files: usize,
    /// Read, write and metadata time, cumulative over ranks (s).
    pub io_time_s: f64,
}

/// Operation counts (POSIX + STDIO).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Operations {
    /// Reads.
    pub reads: i64,
    /// Writes.
    pub writes: i64,
    /// Opens (POSIX's include filenos and dups; STDIO's fopens and fdopens).
    pub opens: i64,
    /// Seeks.
    pub seeks: i64,
    /// Stats.
    pub stats: i64,
    /// fsyncs and fdatasyncs (POSIX), flushes (STDIO).
    pub syncs: i64,
    /// Memory maps.
    pub mmaps: i64,
}

/// MPI-IO calls (present when the job used MPI-IO): how collective and how asynchronous.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MpiIoOperations {
    /// Independent opens.
    pub independent_opens: i64,
    /// Collective opens.
    pub collective_opens: i64,
    /// Independent reads.
    pub independent_reads: i64,
    /// Collective reads.
    pub collective_reads: i64,
    /// Split-collective reads.
    pub split_reads: i64,
    /// Non-blocking reads.
    pub nonblocking_reads: i64,
    /// Independent writes.
    pub independent_writes: i64,
    /// Collective writes.
    pub collective_writes: i64,
    /// Split-collective writes.
    pub split_writes: i64,
    /// Non-blocking writes.
    pub nonblocking_writes: i64,
    /// Syncs.
    pub syncs: i64,
}

/// How large the accesses were (POSIX).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccessSizes {
    /// Bucket labels.
    pub buckets: Vec<&'static str>,
    /// Reads per bucket.
    pub read: Vec<i64>,
    /// Writes per bucket.
    pub write: Vec<i64>,
    /// The most common access sizes over all records (bytes, count), largest count first.
    pub common: Vec<(i64, i64)>,
}

/// Time spent in I/O.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IoTime {
    /// Read time, cumulative over ranks (s).
    pub read_s: f64,
    /// Write time.
    pub write_s: f64,
    /// Metadata time.
    pub meta_s: f64,
    /// Their sum.
    pub cumulative_s: f64,
    /// Cumulative / processes.
    pub per_process_s: f64,
    /// The slowest rank's I/O time (s), as Darshan's job summary estimates it.
    pub slowest_rank_s: f64,
    /// Slowest rank's I/O time / run time (capped at 1).
    pub io_share: f64,
}

/// Files opened.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Files {
    /// Files (record ids of POSIX and STDIO).
    pub total: usize,
    /// Accessed by several ranks (or shared records of a job of several processes).
    pub shared: usize,
    /// Only read.
    pub read_only: usize,
    /// Only written.
    pub write_only: usize,
    /// Read and written.
    pub read_write: usize,
}

/// One of the files that moved the most bytes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TopFile {
    /// Its name, as the log records it.
    pub name: String,
    /// Bytes read (POSIX + STDIO, all ranks).
    pub bytes_read: i64,
    /// Bytes written.
    pub bytes_written: i64,
    /// Read, write and metadata time, cumulative over ranks (s).
    pub io_time_s: f64,
    /// Accessed by several processes.
    pub shared: bool,
}

/// How many files [`IoReport::top_files`] lists.
pub const TOP_FILES: usize = 5;

/// Ranks doing I/O.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranks {
    /// Processes of the job.
    pub nprocs: i64,
    /// Processes with a POSIX, STDIO or MPI-IO record.
    pub with_io: i64,
    /// How `with_io` was found: `shared record` (every rank) or `distinct ranks`.
    pub method: &'static str,
}

/// Metadata load.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetadataLoad {
    /// Opens + seeks + stats + syncs.
    pub operations: i64,
    /// Metadata time, cumulative (s).
    pub time_s: f64,
    /// Operations per second of run time.
    pub per_second: f64,
}

/// The periodicity of both directions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeriodicityIo {
    /// The timeline's source.
    pub source: Source,
    /// Reads (absent when nothing was read).
    pub read: Option<Periodicity>,
    /// Writes.
    pub write: Option<Periodicity>,
}

/// The characterization of a job's I/O.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IoReport {
    /// The log.
    pub file: String,
    /// Format version.
    pub version: String,
    /// Written on a big-endian machine.
    pub big_endian: bool,
    /// Some module is partial.
    pub partial: bool,
    /// The job.
    pub job: JobIo,
    /// Per module, by Darshan's name.
    pub modules: BTreeMap<String, ModuleIo>,
    /// The job's volume: POSIX + STDIO.
    pub bytes_read: i64,
    /// Bytes written (POSIX + STDIO).
    pub bytes_written: i64,
    /// Per file system.
    pub file_systems: Vec<FileSystemIo>,
    /// Operations.
    pub operations: Operations,
    /// MPI-IO calls, when the job used MPI-IO.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mpi_io: Option<MpiIoOperations>,
    /// Access sizes.
    pub access_sizes: AccessSizes,
    /// Time.
    pub time: IoTime,
    /// Files.
    pub files: Files,
    /// The files that moved the most bytes (at most [`TOP_FILES`]), most first.
    pub top_files: Vec<TopFile>,
    /// Ranks.
    pub ranks: Ranks,
    /// Metadata load.
    pub metadata: MetadataLoad,
    /// When in the run.
    pub temporality: Option<Temporality>,
    /// Periodicity.
    pub periodicity: Option<PeriodicityIo>,
    /// Warnings.
    pub warnings: Vec<Warning>,
}

/// Labels of POSIX's access-size buckets.
pub const BUCKETS: [&str; 10] = [
    "0-100", "100-1K", "1K-10K", "10K-100K", "100K-1M", "1M-4M", "4M-10M", "10M-100M", "100M-1G",
    "1G+",
];

/// The standard streams' group.
pub const STANDARD_STREAMS: &str = "<standard streams>";
/// Paths under no mount point.
pub const UNMOUNTED: &str = "<unmounted>";

/// The mount a name lies under: the longest mount point that is the name or a parent of it.
pub fn mount_of<'a>(mounts: &'a [Mount], name: &str) -> Option<&'a Mount> {
    mounts
        .iter()
        .filter(|m| {
            let p = m.path.as_str();
            p == "/"
                || name == p
                || (name.starts_with(p) && name.as_bytes().get(p.len()) == Some(&b'/'))
        })
        .max_by_key(|m| m.path.len())
}

fn pos(v: i64) -> i64 {
    v.max(0)
}

fn posf(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        0.0
    }
}

/// Reads, writes and metadata time of a record of POSIX or STDIO.
fn times(module: usize, r: &Record) -> (f64, f64, f64) {
    match module {
        id::POSIX => (
            posf(r.f(counters::posix::F_READ_TIME)),
            posf(r.f(counters::posix::F_WRITE_TIME)),
            posf(r.f(counters::posix::F_META_TIME)),
        ),
        _ => (
            posf(r.f(counters::stdio::F_READ_TIME)),
            posf(r.f(counters::stdio::F_WRITE_TIME)),
            posf(r.f(counters::stdio::F_META_TIME)),
        ),
    }
}

/// The window of the temporality (s): the run time from format 3.41 (the reader accepts 3.00,
/// 3.10, 3.20, 3.21 and 3.41 only, so `nanoseconds` is "3.41"); before, whole seconds only are
/// stored: the run lasted between end − start and that + 1, and the last I/O says where in that
/// second it ended. Computed in floating point: a corrupt log's times must not overflow.
fn run_window(nanoseconds: bool, start_sec: i64, end_sec: i64, run: f64, last_io_end: f64) -> f64 {
    if nanoseconds {
        return run;
    }
    let d = end_sec as f64 - start_sec as f64;
    if last_io_end.is_finite() {
        last_io_end.clamp(d, d + 1.0)
    } else {
        d
    }
}

/// Characterizes a log.
pub fn characterize(log: &Log) -> IoReport {
    let mut warnings = Vec::new();
    let job = &log.job;
    let run = job.run_time;
    let (modules, recs, partial) = read_modules(log, &mut warnings);
    let empty = Vec::new();
    let bottom = Bottom {
        posix: recs.get(&id::POSIX).unwrap_or(&empty),
        stdio: recs.get(&id::STDIO).unwrap_or(&empty),
    };
    let mpiio = recs.get(&id::MPIIO).unwrap_or(&empty);

    let file_systems = file_systems(log, bottom);
    let (bytes_read, bytes_written) = bottom.iter().fold((0i64, 0i64), |(r, w), (_, x)| {
        (
            r.saturating_add(x.bytes_read),
            w.saturating_add(x.bytes_written),
        )
    });
    let mut sums = Sums::default();
    let ops = operations(bottom, &mut sums);
    let mpi_io = mpi_io_operations(mpiio, &mut sums);
    let access_sizes = access_sizes(bottom.posix, &mut sums);
    let time = io_time(log, bottom, &mut warnings);
    let ranks_of = ranks_of_files(bottom);
    let files = files(job.nprocs, bottom, &ranks_of);
    let top_files = top_files(log, bottom, &ranks_of);
    let ranks = ranks(job.nprocs, bottom, mpiio);

    let meta_ops = [ops.seeks, ops.stats, ops.syncs]
        .iter()
        .fold(ops.opens, |a, b| a.saturating_add(*b));
    let capped = |v: i64| v == i64::MAX;
    if sums.overflow
        || capped(meta_ops)
        || capped(bytes_read)
        || capped(bytes_written)
        || file_systems
            .iter()
            .any(|f| capped(f.bytes_read) || capped(f.bytes_written))
        || modules
            .values()
            .any(|m| m.bytes_read.is_some_and(capped) || m.bytes_written.is_some_and(capped))
    {
        warn(
            &mut warnings,
            "io.implausible-counters",
            format!(
                "{}: counters too large to add up (corrupt records): their sums are capped at {}",
                log.file,
                i64::MAX
            ),
        );
    }
    let metadata = MetadataLoad {
        operations: meta_ops,
        time_s: time.meta_s,
        per_second: if run > 0.0 {
            meta_ops as f64 / run
        } else {
            0.0
        },
    };
    let (temporality, periodicity) = when_and_how_periodically(log, &mut warnings);

    IoReport {
        file: log.file.clone(),
        version: log.version.clone(),
        big_endian: log.big_endian,
        partial,
        job: job_io(log),
        modules,
        bytes_read,
        bytes_written,
        file_systems,
        operations: ops,
        mpi_io,
        access_sizes,
        time,
        files,
        top_files,
        ranks,
        metadata,
        temporality,
        periodicity,
        warnings,
    }
}

/// The job record of the report: ids, processes, times with their nanoseconds, command line.
fn job_io(log: &Log) -> JobIo {
    let job = &log.job;
    let ns = |s: i64, n: i64| s as f64 + n as f64 * 1e-9;
    JobIo {
        jobid: job.jobid,
        uid: job.uid,
        nprocs: job.nprocs,
        start_time: ns(job.start_time_sec, job.start_time_nsec),
        end_time: ns(job.end_time_sec, job.end_time_nsec),
        run_time: job.run_time,
        exe: log.exe.clone(),
    }
}

/// The records of each module the log holds, by module id, with what each module recorded (by
/// Darshan's name) and whether any is partial; warns of partial modules and of records that
/// cannot be read.
fn read_modules(
    log: &Log,
    warnings: &mut Vec<Warning>,
) -> (
    BTreeMap<String, ModuleIo>,
    HashMap<usize, Vec<Record>>,
    bool,
) {
    let mut modules = BTreeMap::new();
    let mut recs: HashMap<usize, Vec<Record>> = HashMap::new();
    let mut partial = false;
    for m in &log.modules {
        partial |= m.partial;
        if m.partial {
            warn(
                warnings,
                "io.partial",
                format!(
                    "{}: the {} module ran out of memory at run time: some of its records are missing, and the figures that depend on it are low",
                    log.file,
                    m.name()
                ),
            );
        }
        let read = log.records(m);
        let entry = match &read {
            Ok(rs) => module_io(m, rs),
            Err(e) => {
                warn(
                    warnings,
                    "io.records-not-read",
                    format!("{}: {}", log.file, e.expected),
                );
                ModuleIo {
                    version: m.version,
                    partial: m.partial,
                    records: None,
                    shared_records: None,
                    bytes_read: None,
                    bytes_written: None,
                }
            }
        };
        modules.insert(
            MODULES.get(m.id).copied().unwrap_or("UNKNOWN").to_string(),
            entry,
        );
        if let Ok(rs) = read {
            recs.insert(m.id, rs);
        }
    }
    (modules, recs, partial)
}

/// What a module whose records were read recorded: its records, the shared ones, and the bytes
/// moved when the module counts bytes.
fn module_io(m: &Module, rs: &[Record]) -> ModuleIo {
    let counts_bytes = matches!(
        m.id,
        id::POSIX
            | id::MPIIO
            | id::STDIO
            | id::H5D
            | id::PNETCDF_FILE
            | id::PNETCDF_VAR
            | id::DXT_POSIX
            | id::DXT_MPIIO
    );
    let sum = |bytes: fn(&Record) -> i64| rs.iter().map(bytes).fold(0i64, i64::saturating_add);
    ModuleIo {
        version: m.version,
        partial: m.partial,
        records: Some(rs.len()),
        shared_records: Some(rs.iter().filter(|r| r.rank == -1).count()),
        bytes_read: counts_bytes.then(|| sum(|r| r.bytes_read)),
        bytes_written: counts_bytes.then(|| sum(|r| r.bytes_written)),
    }
}

/// The records of POSIX and STDIO: the layer where bytes reach the file systems, which the
/// job's volume, time and files are counted from.
#[derive(Clone, Copy)]
struct Bottom<'a> {
    /// POSIX's records.
    posix: &'a [Record],
    /// STDIO's records.
    stdio: &'a [Record],
}

impl<'a> Bottom<'a> {
    /// The records with their module's id, POSIX's first.
    fn iter(self) -> impl Iterator<Item = (usize, &'a Record)> {
        self.posix
            .iter()
            .map(|r| (id::POSIX, r))
            .chain(self.stdio.iter().map(|r| (id::STDIO, r)))
    }
}

/// Read, write and metadata time of a record of POSIX or STDIO, summed (s).
fn io_time_of(module: usize, r: &Record) -> f64 {
    let (rt, wt, mt) = times(module, r);
    rt + wt + mt
}

/// The file systems the job used (and the groups of standard streams and unmounted names), most
/// bytes moved first.
fn file_systems(log: &Log, bottom: Bottom) -> Vec<FileSystemIo> {
    let mut fs: BTreeMap<String, FileSystemIo> = BTreeMap::new();
    let mut fs_files: HashMap<String, BTreeSet<u64>> = HashMap::new();
    for (mid, r) in bottom.iter() {
        let name = log.names.get(&r.id).map(String::as_str).unwrap_or("");
        let (mount, fs_type) = if !name.starts_with('/') {
            (STANDARD_STREAMS.to_string(), String::new())
        } else {
            match mount_of(&log.mounts, name) {
                Some(m) => (m.path.clone(), m.fs_type.clone()),
                None => (UNMOUNTED.to_string(), String::new()),
            }
        };
        let e = fs.entry(mount.clone()).or_insert_with(|| FileSystemIo {
            mount: mount.clone(),
            fs_type,
            bytes_read: 0,
            bytes_written: 0,
            files: 0,
            io_time_s: 0.0,
        });
        e.bytes_read = e.bytes_read.saturating_add(r.bytes_read);
        e.bytes_written = e.bytes_written.saturating_add(r.bytes_written);
        e.io_time_s += io_time_of(mid, r);
        fs_files.entry(mount).or_default().insert(r.id);
    }
    let mut file_systems: Vec<FileSystemIo> = fs
        .into_values()
        .map(|mut f| {
            f.files = fs_files.get(&f.mount).map_or(0, BTreeSet::len);
            f
        })
        .collect();
    file_systems.sort_by(|a, b| {
        (b.bytes_read.saturating_add(b.bytes_written))
            .cmp(&a.bytes_read.saturating_add(a.bytes_written))
            .then(a.mount.cmp(&b.mount))
    });
    file_systems
}

/// Sums of counters. They saturate; a counter that makes one overflow is corrupt, and
/// `overflow` says so.
#[derive(Default)]
struct Sums {
    /// Some sum overflowed (and was capped at `i64::MAX`).
    overflow: bool,
}

impl Sums {
    /// Adds `v` to `acc`, capping it at `i64::MAX` when it overflows.
    fn add(&mut self, acc: &mut i64, v: i64) {
        match acc.checked_add(v) {
            Some(x) => *acc = x,
            None => {
                *acc = i64::MAX;
                self.overflow = true;
            }
        }
    }
}

/// Which counters of a module add to each operation count.
struct OperationCounters {
    /// Reads.
    reads: &'static [usize],
    /// Writes.
    writes: &'static [usize],
    /// Opens.
    opens: &'static [usize],
    /// Seeks.
    seeks: &'static [usize],
    /// Stats.
    stats: &'static [usize],
    /// Syncs.
    syncs: &'static [usize],
    /// Memory maps.
    mmaps: &'static [usize],
}

/// POSIX's operation counters: its opens include filenos and dups, its syncs fdatasyncs.
const POSIX_OPERATIONS: OperationCounters = {
    use counters::posix as p;
    OperationCounters {
        reads: &[p::READS],
        writes: &[p::WRITES],
        opens: &[p::OPENS],
        seeks: &[p::SEEKS],
        stats: &[p::STATS],
        syncs: &[p::FSYNCS, p::FDSYNCS],
        mmaps: &[p::MMAPS],
    }
};

/// STDIO's operation counters: fopens and fdopens, flushes as syncs; no stats, no maps.
const STDIO_OPERATIONS: OperationCounters = {
    use counters::stdio as s;
    OperationCounters {
        reads: &[s::READS],
        writes: &[s::WRITES],
        opens: &[s::OPENS, s::FDOPENS],
        seeks: &[s::SEEKS],
        stats: &[],
        syncs: &[s::FLUSHES],
        mmaps: &[],
    }
};

/// The operation counts of POSIX and STDIO.
fn operations(bottom: Bottom, sums: &mut Sums) -> Operations {
    let mut ops = Operations::default();
    add_operations(&mut ops, bottom.posix, &POSIX_OPERATIONS, sums);
    add_operations(&mut ops, bottom.stdio, &STDIO_OPERATIONS, sums);
    ops
}

/// Adds the operations of a module's records (counted by `counters`) to `ops`.
fn add_operations(
    ops: &mut Operations,
    records: &[Record],
    counters: &OperationCounters,
    sums: &mut Sums,
) {
    let c = counters;
    for r in records {
        for (acc, ks) in [
            (&mut ops.reads, c.reads),
            (&mut ops.writes, c.writes),
            (&mut ops.opens, c.opens),
            (&mut ops.seeks, c.seeks),
            (&mut ops.stats, c.stats),
            (&mut ops.syncs, c.syncs),
            (&mut ops.mmaps, c.mmaps),
        ] {
            for k in ks {
                sums.add(acc, pos(r.c(*k)));
            }
        }
    }
}

/// The MPI-IO calls, when the job has MPI-IO records.
fn mpi_io_operations(mpiio: &[Record], sums: &mut Sums) -> Option<MpiIoOperations> {
    (!mpiio.is_empty()).then(|| {
        use counters::mpiio as m;
        let mut o = MpiIoOperations::default();
        for r in mpiio {
            for (acc, k) in [
                (&mut o.independent_opens, m::INDEP_OPENS),
                (&mut o.collective_opens, m::COLL_OPENS),
                (&mut o.independent_reads, m::INDEP_READS),
                (&mut o.collective_reads, m::COLL_READS),
                (&mut o.split_reads, m::SPLIT_READS),
                (&mut o.nonblocking_reads, m::NB_READS),
                (&mut o.independent_writes, m::INDEP_WRITES),
                (&mut o.collective_writes, m::COLL_WRITES),
                (&mut o.split_writes, m::SPLIT_WRITES),
                (&mut o.nonblocking_writes, m::NB_WRITES),
                (&mut o.syncs, m::SYNCS),
            ] {
                sums.add(acc, pos(r.c(k)));
            }
        }
        o
    })
}

/// POSIX's access sizes: reads and writes per bucket, and the four most common sizes.
fn access_sizes(posix: &[Record], sums: &mut Sums) -> AccessSizes {
    let mut read_h = vec![0i64; 10];
    let mut write_h = vec![0i64; 10];
    let mut common: HashMap<i64, i64> = HashMap::new();
    for r in posix {
        use counters::posix as p;
        for k in 0..10 {
            sums.add(&mut read_h[k], pos(r.c(p::SIZE_READ_0_100 + k)));
            sums.add(&mut write_h[k], pos(r.c(p::SIZE_WRITE_0_100 + k)));
        }
        for k in 0..4 {
            let (size, count) = (r.c(p::ACCESS1_ACCESS + k), r.c(p::ACCESS1_COUNT + k));
            if count > 0 && size >= 0 {
                sums.add(common.entry(size).or_default(), count);
            }
        }
    }
    let mut common: Vec<(i64, i64)> = common.into_iter().collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    common.truncate(4);
    AccessSizes {
        buckets: BUCKETS.to_vec(),
        read: read_h,
        write: write_h,
        common,
    }
}

/// The time spent in I/O, and the slowest rank's share of the run; warns when that share
/// exceeds the run (and caps it at 1).
fn io_time(log: &Log, bottom: Bottom, warnings: &mut Vec<Warning>) -> IoTime {
    let (mut read_s, mut write_s, mut meta_s) = (0.0, 0.0, 0.0);
    let mut per_rank: HashMap<i64, f64> = HashMap::new();
    let mut shared_slowest = 0.0;
    for (mid, r) in bottom.iter() {
        let (rt, wt, mt) = times(mid, r);
        read_s += rt;
        write_s += wt;
        meta_s += mt;
        if r.rank == -1 {
            let slowest = match mid {
                id::POSIX => r.f(counters::posix::F_SLOWEST_RANK_TIME),
                _ => r.f(counters::stdio::F_SLOWEST_RANK_TIME),
            };
            shared_slowest += posf(slowest);
        } else {
            *per_rank.entry(r.rank).or_default() += rt + wt + mt;
        }
    }
    let cumulative = read_s + write_s + meta_s;
    let nprocs = log.job.nprocs.max(1);
    let slowest = per_rank.values().cloned().fold(0.0, f64::max) + shared_slowest;
    let run = log.job.run_time;
    let mut io_share = if run > 0.0 { slowest / run } else { 0.0 };
    if io_share > 1.0 {
        warn(
            warnings,
            "io.io-time-exceeds-run",
            format!(
                "{}: the slowest rank's I/O time ({slowest:.3} s) exceeds the run time ({run:.3} s), as overlapping threads or asynchronous I/O make it: its share is taken as 1",
                log.file
            ),
        );
        io_share = 1.0;
    }
    IoTime {
        read_s,
        write_s,
        meta_s,
        cumulative_s: cumulative,
        per_process_s: cumulative / nprocs as f64,
        slowest_rank_s: slowest,
        io_share,
    }
}

/// The ranks that accessed each file (record id), −1 for a record shared by all.
fn ranks_of_files(bottom: Bottom) -> BTreeMap<u64, BTreeSet<i64>> {
    let mut ranks_of: BTreeMap<u64, BTreeSet<i64>> = BTreeMap::new();
    for (_, r) in bottom.iter() {
        ranks_of.entry(r.id).or_default().insert(r.rank);
    }
    ranks_of
}

/// Whether a file accessed by `ranks` is shared. Darshan folds a file opened by every rank into
/// one record of rank −1, also when there is one rank: a file is shared only when several
/// processes exist.
fn is_shared(nprocs: i64, ranks: &BTreeSet<i64>) -> bool {
    nprocs > 1 && (ranks.contains(&-1) || ranks.len() > 1)
}

/// The files opened: shared, and read, written or both.
fn files(nprocs: i64, bottom: Bottom, ranks_of: &BTreeMap<u64, BTreeSet<i64>>) -> Files {
    let mut rw_of: BTreeMap<u64, (bool, bool)> = BTreeMap::new();
    for (_, r) in bottom.iter() {
        let e = rw_of.entry(r.id).or_default();
        e.0 |= r.bytes_read > 0;
        e.1 |= r.bytes_written > 0;
    }
    Files {
        total: ranks_of.len(),
        shared: ranks_of.values().filter(|s| is_shared(nprocs, s)).count(),
        read_only: rw_of.values().filter(|(r, w)| *r && !*w).count(),
        write_only: rw_of.values().filter(|(r, w)| !*r && *w).count(),
        read_write: rw_of.values().filter(|(r, w)| *r && *w).count(),
    }
}

/// The [`TOP_FILES`] files that moved the most bytes, most first (ties by record id).
fn top_files(log: &Log, bottom: Bottom, ranks_of: &BTreeMap<u64, BTreeSet<i64>>) -> Vec<TopFile> {
    let mut per_file: BTreeMap<u64, (i64, i64, f64)> = BTreeMap::new();
    for (mid, r) in bottom.iter() {
        let e = per_file.entry(r.id).or_default();
        e.0 = e.0.saturating_add(r.bytes_read.max(0));
        e.1 = e.1.saturating_add(r.bytes_written.max(0));
        e.2 += io_time_of(mid, r);
    }
    let mut top: Vec<(u64, (i64, i64, f64))> = per_file
        .into_iter()
        .filter(|(_, (rd, wr, _))| *rd > 0 || *wr > 0)
        .collect();
    top.sort_by(|a, b| {
        let moved = |x: &(i64, i64, f64)| x.0.saturating_add(x.1);
        moved(&b.1).cmp(&moved(&a.1)).then(a.0.cmp(&b.0))
    });
    top.truncate(TOP_FILES);
    top.into_iter()
        .map(|(id, (rd, wr, t))| TopFile {
            name: log
                .names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("<record {id:016x}>")),
            bytes_read: rd,
            bytes_written: wr,
            io_time_s: t,
            shared: ranks_of
                .get(&id)
                .is_some_and(|s| is_shared(log.job.nprocs, s)),
        })
        .collect()
}

/// The ranks doing I/O: every rank when some record is shared, else the distinct ranks of the
/// POSIX, STDIO and MPI-IO records.
fn ranks(nprocs: i64, bottom: Bottom, mpiio: &[Record]) -> Ranks {
    let all: Vec<&Record> = bottom.iter().map(|(_, r)| r).chain(mpiio.iter()).collect();
    if all.iter().any(|r| r.rank == -1) {
        Ranks {
            nprocs,
            with_io: nprocs,
            method: "shared record",
        }
    } else {
        Ranks {
            nprocs,
            with_io: all.iter().map(|r| r.rank).collect::<BTreeSet<_>>().len() as i64,
            method: "distinct ranks",
        }
    }
}

/// When in the run the job read and wrote, and how periodically, from the log's timeline (none
/// when the log has none); warns when the timeline is estimated from counters.
fn when_and_how_periodically(
    log: &Log,
    warnings: &mut Vec<Warning>,
) -> (Option<Temporality>, Option<PeriodicityIo>) {
    let Some(t) = Timeline::of(log) else {
        return (None, None);
    };
    if t.source == Source::Counters && !t.transfers.is_empty() {
        warn(
            warnings,
            "io.timeline-from-counters",
            format!(
                "{}: no DXT trace and no heatmap: when the job read and wrote is estimated from each file's first and last access, its bytes spread evenly between them",
                log.file
            ),
        );
    }
    // The run: transfers past its end (a heatmap's last bin, clocks) are kept in its last bin.
    let job = &log.job;
    let window = run_window(
        log.version.as_str() >= "3.41",
        job.start_time_sec,
        job.end_time_sec,
        job.run_time,
        t.last_end(),
    );
    (
        Some(temporality(&t, window)),
        Some(PeriodicityIo {
            source: t.source,
            read: direction_periodicity(&t, false),
            write: direction_periodicity(&t, true),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_is_the_run_or_the_last_second_that_holds_the_last_io() {
        // 3.41: the run time as recorded.
        assert_eq!(run_window(true, 100, 90, 12.5, 99.0), 12.5);
        // Before: 10 whole seconds, the last I/O at 10.4 s: 10.4; at 3 s: at least 10; at 30 s:
        // at most 11.
        assert_eq!(run_window(false, 100, 110, 11.0, 10.4), 10.4);
        assert_eq!(run_window(false, 100, 110, 11.0, 3.0), 10.0);
        assert_eq!(run_window(false, 100, 110, 11.0, 30.0), 11.0);
        // Corrupt times (the fuzzer's third finding: i64 overflow) give a number, not a panic.
        let w = run_window(false, i64::MIN, i64::MAX, 0.0, 5.0);
        assert!(w.is_finite() && w > 1e18, "{w}");
        assert_eq!(run_window(false, 0, 10, 11.0, f64::NAN), 10.0);
    }
}
