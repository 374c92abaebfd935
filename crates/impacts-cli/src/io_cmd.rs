//! `impacts io`: the I/O behaviour of jobs from their Darshan logs, the footprint of that I/O
//! on a center's storage and compute, and summaries over many logs (docs/io.md).

use std::fmt::Write as _;
use std::path::Path;

use clap::Args;
use impacts::impacts_center::Center;
use impacts::impacts_model::report::{Estimate, Warning};
use impacts::{Engine, Error, OrderedMap, Report, StorageActivityRequest};
use impacts_io::characterize::{IoReport, STANDARD_STREAMS, UNMOUNTED};
use impacts_io::spectrum::Periodicity;
use impacts_io::summary::{Summary, DECADES};
use impacts_io::timeline::Phase;
use serde::Serialize;

use crate::render::{bounds_line, estimate_cell, impact_grid, pad, provenance, sig3};
use crate::{center_source, Common, Format, JobArgs};

/// Arguments of `impacts io`.
#[derive(Args, Clone)]
pub struct IoArgs {
    /// Darshan logs (`.darshan`, any format from 3.00 to 3.41).
    #[arg(required_unless_present = "summary")]
    logs: Vec<String>,
    /// Summarize every `*.darshan` under DIR (recursively) instead: periodic jobs, end-only
    /// writers, shared files, volumes.
    #[arg(long, value_name = "DIR", conflicts_with = "logs")]
    summary: Option<String>,
    /// Threads reading logs for --summary (default: the machine's cores).
    #[arg(long)]
    threads: Option<usize>,
    /// With --summary, also write one CSV row per log (its characterization) to FILE.
    #[arg(long, value_name = "FILE", requires = "summary")]
    jobs: Option<String>,
    /// A bundled center (jean-zay) or a center file: adds the footprint of the I/O (storage
    /// tiers by mount point, see docs/io.md).
    #[arg(long)]
    center: Option<String>,
    /// The job's partition, for the footprint of its nodes waiting on I/O.
    #[arg(long, requires = "center")]
    partition: Option<String>,
    /// Whole nodes of the job.
    #[arg(long, allow_negative_numbers = true, requires = "partition")]
    nodes: Option<f64>,
    /// Cores of the job.
    #[arg(long, allow_negative_numbers = true, requires = "partition")]
    cores: Option<f64>,
    /// GPUs of the job.
    #[arg(long, allow_negative_numbers = true, requires = "partition")]
    gpus: Option<f64>,
    /// Node type, for partitions with several.
    #[arg(long, requires = "partition")]
    node_type: Option<String>,
    /// Load of CPUs and GPUs while waiting on I/O, in percent (default 100, with a warning).
    #[arg(long, allow_negative_numbers = true, requires = "partition")]
    load: Option<f64>,
    /// Electricity zone, instead of the center's.
    #[arg(long, requires = "center")]
    zone: Option<String>,
    /// Scheduler records (sacct text or JSON, SWF) holding the jobs of the logs: each job's
    /// partition and allocation, found by the job id Darshan recorded, cost its nodes waiting
    /// on I/O.
    #[arg(long, value_name = "FILE", requires = "center")]
    accounting: Option<String>,
    /// The columns of a sacct text file without a header (as given to sacct --format).
    #[arg(long, value_name = "LIST", requires = "accounting")]
    fields: Option<String>,
    #[command(flatten)]
    common: Common,
}

/// File system types served over the network by a storage system of the center.
const NETWORK_FS: &[&str] = &[
    "lustre",
    "gpfs",
    "nfs",
    "nfs4",
    "beegfs",
    "ceph",
    "cephfs",
    "pvfs2",
    "orangefs",
    "panfs",
    "wekafs",
    "glusterfs",
    "fuse.glusterfs",
    "fuse.dfuse",
    "dfuse",
    "daos",
    "cifs",
    "smb3",
    "afs",
    "dvs",
];

/// File system types of the node itself (disks, memory, containers).
const NODE_FS: &[&str] = &[
    "ext2",
    "ext3",
    "ext4",
    "xfs",
    "btrfs",
    "zfs",
    "tmpfs",
    "ramfs",
    "rootfs",
    "overlay",
    "devtmpfs",
    "squashfs",
    "proc",
    "sysfs",
    "shm",
    "vfat",
    "fuse.squashfuse",
];

/// The storage share of some I/O: impacts, phases, and the activity's quantities.
#[derive(Clone, Debug, Serialize)]
pub struct StorageShare {
    /// Impacts.
    pub impacts: OrderedMap<Estimate>,
    /// Phases.
    pub phases: OrderedMap<OrderedMap<Estimate>>,
    /// Data at the drives, busy and allocated drive-hours, electricity.
    pub quantities: OrderedMap<Estimate>,
}

impl StorageShare {
    fn of(r: &Report) -> StorageShare {
        StorageShare {
            impacts: r.impacts.clone(),
            phases: r.phases.clone(),
            quantities: r.quantities.clone(),
        }
    }
}

/// The footprint of one file system's I/O.
#[derive(Clone, Debug, Serialize)]
pub struct FileSystemFootprint {
    /// Mount point (or group).
    pub mount: String,
    /// Type.
    pub fs_type: String,
    /// Bytes read and written.
    pub bytes_read: i64,
    /// Bytes written.
    pub bytes_written: i64,
    /// `tier NAME` (the center file's), `default hdd` (a network file system the file does not
    /// describe), or why it is not attributed.
    pub attributed_to: String,
    /// Subject of the estimate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Its storage share (absent when not attributed).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub share: Option<StorageShare>,
}

/// The footprint of the job's nodes while its slowest rank does I/O.
#[derive(Clone, Debug, Serialize)]
pub struct WaitingFootprint {
    /// The slowest rank's I/O time, capped at the run time (h).
    pub hours: f64,
    /// Share of the run.
    pub io_share: f64,
    /// Where the job's partition and size come from: `arguments` or `FILE job ID`.
    pub allocation: String,
    /// Subject of the estimate.
    pub subject: String,
    /// Impacts.
    pub impacts: OrderedMap<Estimate>,
    /// Phases.
    pub phases: OrderedMap<OrderedMap<Estimate>>,
}

/// The footprint of a job's I/O.
#[derive(Clone, Debug, Serialize)]
pub struct IoFootprint {
    /// The center.
    pub center: String,
    /// Storage, per file system.
    pub storage: Vec<FileSystemFootprint>,
    /// Compute waiting on I/O (with --partition and a size).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting: Option<WaitingFootprint>,
    /// Storage + waiting, with bounds from their samples summed.
    pub impacts: OrderedMap<Estimate>,
    /// Warnings of the estimates.
    pub warnings: Vec<Warning>,
    /// Method, data and bounds.
    #[serde(flatten)]
    pub made_with: MadeWith,
}

/// How a footprint was made: method, data bundle, bounds.
#[derive(Clone, Debug, Serialize)]
pub struct MadeWith {
    /// Method.
    pub method: String,
    /// Data bundle (SHA-256).
    pub data_bundle: String,
    /// Version of the data bundle.
    pub data_bundle_version: String,
    /// How the bounds were obtained.
    pub uncertainty: impacts::Uncertainty,
}

impl MadeWith {
    fn new(engine: &Engine, opts: &impacts::Options) -> MadeWith {
        let mut uncertainty = impacts::Uncertainty::new(opts.samples, opts.seed, opts.percentiles);
        if opts.samples > 0 {
            uncertainty.note.push_str("; the total's bounds sum the parts' samples one by one, so inputs they share (PUE, electricity factors) are drawn once");
        }
        MadeWith {
            method: opts.method.clone(),
            data_bundle: engine.bundle().hash.clone(),
            data_bundle_version: engine.bundle().meta.version.clone(),
            uncertainty,
        }
    }

    /// The bounds line and the provenance line of a table.
    fn lines(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "{}",
            bounds_line(&self.uncertainty, "; the total sums the parts' samples")
        );
        let _ = writeln!(
            out,
            "{}",
            provenance(
                &self.method,
                &self.data_bundle,
                &self.data_bundle_version,
                env!("CARGO_PKG_VERSION")
            )
        );
    }
}

/// A log's characterization, with the footprint of its I/O when a center is given.
#[derive(Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    io: &'a IoReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    footprint: Option<&'a IoFootprint>,
}

/// Runs `impacts io`.
pub fn run(engine: &Engine, a: &IoArgs) -> Result<String, Error> {
    if let Some(dir) = &a.summary {
        return summary(engine, a, dir);
    }
    let opts = a.common.options(false)?;
    let center = match &a.center {
        Some(c) => Some(engine.center(&center_source(c)?, &opts.method, a.zone.as_deref())?),
        None => None,
    };
    if a.partition.is_some()
        && a.accounting.is_none()
        && a.nodes.is_none()
        && a.cores.is_none()
        && a.gpus.is_none()
    {
        return Err(Error::Request(
            "--partition needs the job's size: --nodes, --cores or --gpus".into(),
        ));
    }
    let mut ios = Vec::new();
    for path in &a.logs {
        let log = impacts_darshan::Log::read(path).map_err(|e| Error::Request(e.to_string()))?;
        ios.push(impacts_io::characterize(&log));
    }
    let records = accounting_records(a, ios.iter().map(|r| r.job.jobid))?;
    let mut results = Vec::new();
    for io in ios {
        let footprint = match &center {
            Some(c) => Some(
                footprint(
                    engine,
                    a,
                    c,
                    &io,
                    records.get(&io.job.jobid.to_string()),
                    &opts,
                )?
                .0,
            ),
            None => None,
        };
        results.push((io, footprint));
    }
    match a.common.format {
        Format::Json => {
            let out: Vec<Output> = results
                .iter()
                .map(|(io, f)| Output {
                    io,
                    footprint: f.as_ref(),
                })
                .collect();
            let mut s = if out.len() == 1 {
                serde_json::to_string_pretty(&out[0])
            } else {
                serde_json::to_string_pretty(&out)
            }
            .map_err(|e| Error::Request(format!("cannot write JSON: {e}")))?;
            s.push('\n');
            Ok(s)
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            csv_rows(&mut w, &results)
                .map_err(|e| Error::Request(format!("cannot write CSV: {e}")))?;
            for (io, f) in &results {
                let ws = io.warnings.iter().map(|w| (&w.code, &w.message)).chain(
                    f.iter()
                        .flat_map(|f| f.warnings.iter().map(|w| (&w.code, &w.message))),
                );
                for (code, message) in ws {
                    eprintln!("warning[{code}]: {message}");
                }
            }
            let bytes = w
                .into_inner()
                .map_err(|e| Error::Request(format!("cannot write CSV: {e}")))?;
            String::from_utf8(bytes).map_err(|e| Error::Request(format!("cannot write CSV: {e}")))
        }
        Format::Table => {
            let mut out = String::new();
            for (i, (io, f)) in results.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                table(&mut out, io, f.as_ref());
            }
            Ok(out)
        }
    }
}

/// Where a file system's I/O is attributed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    /// A tier of the center file, found by mount point.
    Tier(String),
    /// A network file system that no tier lists: the method's HDD storage.
    DefaultHdd,
    /// Not attributed: the warning's code and the reason.
    Not(&'static str, &'static str),
}

impl Target {
    fn of(center: &Center, mount: &str, fs_type: &str) -> Target {
        if mount == STANDARD_STREAMS || mount == UNMOUNTED {
            Target::Not("io.not-a-file-system", "not a file system")
        } else if let Some(t) = center.storage_for_mount(mount) {
            Target::Tier(t.name.clone())
        } else if NETWORK_FS.contains(&fs_type) {
            Target::DefaultHdd
        } else if NODE_FS.contains(&fs_type) {
            Target::Not("io.node-local", "the node's own storage")
        } else {
            Target::Not("io.file-system-unknown", "unknown file system type")
        }
    }

    fn label(&self) -> String {
        match self {
            Target::Tier(t) => format!("tier {t}"),
            Target::DefaultHdd => "default hdd".into(),
            Target::Not(_, why) => format!("not attributed: {why}"),
        }
    }

    /// The storage request's tier and medium, when attributed.
    fn place(&self) -> Option<(Option<String>, Option<String>)> {
        match self {
            Target::Tier(t) => Some((Some(t.clone()), None)),
            Target::DefaultHdd => Some((None, Some("hdd".into()))),
            Target::Not(..) => None,
        }
    }

    /// The warning for `moved` bytes of `who` (a log, or a number of logs) on this file system.
    fn warning(
        &self,
        who: &str,
        mount: &str,
        fs_type: &str,
        center: &Center,
        moved: f64,
    ) -> Option<Warning> {
        let (code, message) = match self {
            Target::Tier(_) => return None,
            Target::DefaultHdd => (
                "io.storage-tier-default",
                format!(
                    "{who}: {mount} ({fs_type}) is in no [storage.NAME] mounts of {}: the method's nearline HDD storage is assumed (add the mount point to a tier's mounts)",
                    center.file
                ),
            ),
            Target::Not("io.node-local", _) => (
                "io.node-local",
                format!(
                    "{who}: {mount} ({fs_type}) is the node's own storage, part of the nodes the job already counts: {} of I/O not attributed to a storage system",
                    bytes(moved)
                ),
            ),
            Target::Not("io.file-system-unknown", _) => (
                "io.file-system-unknown",
                format!(
                    "{who}: {mount} has the file system type `{fs_type}`, neither a known network file system nor a node's: {} of I/O not attributed (add the mount point to a tier's mounts in {})",
                    bytes(moved),
                    center.file
                ),
            ),
            Target::Not(code, _) => (
                *code,
                format!("{who}: {} on {mount} not attributed to any storage", bytes(moved)),
            ),
        };
        Some(Warning::new(code, message))
    }
}

/// The storage share of `read` and `written` bytes on a target's storage.
fn activity(
    engine: &Engine,
    a: &IoArgs,
    place: (Option<String>, Option<String>),
    read: f64,
    written: f64,
    opts: &impacts::Options,
) -> Result<Report, Error> {
    engine.storage_activity(
        &StorageActivityRequest {
            read_gb: read / 1e9,
            written_gb: written / 1e9,
            center: Some(center_source(a.center.as_deref().unwrap_or_default())?),
            tier: place.0,
            media: place.1,
            zone: a.zone.clone(),
            redundancy: None,
            pue: None,
        },
        opts,
    )
}

/// `impacts job` on the given partition for `hours`, with `cores` (or the job's size).
/// Partition and the bits of nodes, cores and GPUs.
type AllocationKey = (String, [Option<u64>; 3]);

/// A job's partition and size: nodes, cores, GPUs.
#[derive(Clone, Debug, PartialEq)]
struct Allocation {
    partition: String,
    nodes: Option<f64>,
    cores: Option<f64>,
    gpus: Option<f64>,
    /// Where it comes from: `arguments`, `accounting FILE job ID`, or `one core per process`.
    from: String,
}

impl Allocation {
    /// A key that orders and groups allocations.
    fn key(&self) -> AllocationKey {
        (
            self.partition.clone(),
            [self.nodes, self.cores, self.gpus].map(|v| v.map(f64::to_bits)),
        )
    }
}

/// The allocation of a log's job: from its scheduler record when one was found (the
/// arguments override its partition and size), else from the arguments.
fn allocation(
    a: &IoArgs,
    record: Option<&impacts_accounting::record::JobRecord>,
) -> Option<Allocation> {
    let given = a.nodes.is_some() || a.cores.is_some() || a.gpus.is_some();
    match record {
        Some(rec) => {
            let partition = a
                .partition
                .clone()
                .unwrap_or_else(|| rec.partition.split(',').next().unwrap_or("").to_string());
            let (nodes, cores, gpus) = if given {
                (a.nodes, a.cores, a.gpus)
            } else {
                (rec.nodes, rec.cpus, rec.gpus.filter(|g| *g > 0.0))
            };
            Some(Allocation {
                partition,
                nodes,
                cores,
                gpus,
                from: format!(
                    "{} job {}",
                    a.accounting.as_deref().unwrap_or_default(),
                    rec.job_id
                ),
            })
        }
        None => a.partition.as_ref().filter(|_| given).map(|p| Allocation {
            partition: p.clone(),
            nodes: a.nodes,
            cores: a.cores,
            gpus: a.gpus,
            from: "arguments".into(),
        }),
    }
}

/// The scheduler records of the logs' jobs, by Darshan's job id.
fn accounting_records(
    a: &IoArgs,
    jobids: impl Iterator<Item = i64>,
) -> Result<std::collections::HashMap<String, impacts_accounting::record::JobRecord>, Error> {
    let Some(file) = &a.accounting else {
        return Ok(Default::default());
    };
    let ids = jobids.map(|j| j.to_string()).collect();
    impacts_accounting::find_jobs(file, a.fields.as_deref(), &ids)
        .map_err(|e| Error::Request(format!("--accounting: {e}")))
}

fn waiting_job(
    engine: &Engine,
    a: &IoArgs,
    alloc: &Allocation,
    hours: f64,
    opts: &impacts::Options,
) -> Result<Report, Error> {
    let (nodes, cores, gpus) = (alloc.nodes, alloc.cores, alloc.gpus);
    let args = JobArgs {
        center: a.center.clone().unwrap_or_default(),
        partition: alloc.partition.clone(),
        nodes,
        cores,
        gpus,
        memory: None,
        hours,
        load: a.load,
        cpu_load: None,
        gpu_load: None,
        zone: a.zone.clone(),
        node_type: a.node_type.clone(),
        energy: None,
        start: None,
        grid_series: None,
        grid_column: "lifecycle".into(),
        pue: None,
        what_if: Vec::new(),
        common: a.common.clone(),
    };
    engine.job(&crate::plain_job_request(&args)?, opts)
}

fn dedup(warnings: &mut Vec<Warning>) {
    let mut seen = std::collections::BTreeSet::new();
    warnings.retain(|w| seen.insert((w.code.clone(), w.message.clone())));
}

/// The footprint of a log's I/O on `center`.
fn footprint(
    engine: &Engine,
    a: &IoArgs,
    center: &Center,
    io: &IoReport,
    record: Option<&impacts_accounting::record::JobRecord>,
    opts: &impacts::Options,
) -> Result<(IoFootprint, Vec<(String, Report)>), Error> {
    let mut warnings: Vec<Warning> = Vec::new();
    let mut storage = Vec::new();
    let mut parts: Vec<(String, Report)> = Vec::new();
    for fs in &io.file_systems {
        let target = Target::of(center, &fs.mount, &fs.fs_type);
        let mut row = FileSystemFootprint {
            mount: fs.mount.clone(),
            fs_type: fs.fs_type.clone(),
            bytes_read: fs.bytes_read,
            bytes_written: fs.bytes_written,
            attributed_to: target.label(),
            subject: None,
            share: None,
        };
        let moved = fs.bytes_read.saturating_add(fs.bytes_written) as f64;
        if moved > 0.0 {
            warnings.extend(target.warning(&io.file, &fs.mount, &fs.fs_type, center, moved));
            if let Some(place) = target.place() {
                let r = activity(
                    engine,
                    a,
                    place,
                    fs.bytes_read as f64,
                    fs.bytes_written as f64,
                    opts,
                )?;
                row.subject = Some(r.subject.clone());
                row.share = Some(StorageShare::of(&r));
                warnings.extend(r.warnings.iter().cloned());
                parts.push((format!("storage: {} ({})", fs.mount, row.attributed_to), r));
            }
        }
        storage.push(row);
    }
    let hours = io.time.io_share * io.job.run_time / 3600.0;
    if let (Some(file), None) = (&a.accounting, record) {
        warnings.push(Warning::new(
            "io.job-not-in-accounting",
            format!(
                "{}: job {} is not in {file}: {}",
                io.file,
                io.job.jobid,
                if a.partition.is_some() {
                    "its nodes waiting on I/O are costed with the arguments' partition and size"
                } else {
                    "its nodes waiting on I/O are not costed"
                }
            ),
        ));
    }
    let waiting = match allocation(a, record) {
        Some(alloc) if hours > 0.0 => {
            let r = waiting_job(engine, a, &alloc, hours, opts)?;
            warnings.extend(r.warnings.iter().cloned());
            let w = WaitingFootprint {
                hours,
                io_share: io.time.io_share,
                allocation: alloc.from.clone(),
                subject: r.subject.clone(),
                impacts: r.impacts.clone(),
                phases: r.phases.clone(),
            };
            parts.push(("nodes waiting on I/O".into(), r));
            Some(w)
        }
        _ => None,
    };
    let refs: Vec<&Report> = parts.iter().map(|(_, r)| r).collect();
    let impacts = engine.sum_reports(&refs, opts);
    dedup(&mut warnings);
    Ok((
        IoFootprint {
            center: center.name.clone(),
            storage,
            waiting,
            impacts,
            warnings,
            made_with: MadeWith::new(engine, opts),
        },
        parts,
    ))
}

/// `impacts explain io LOG --center C …`: the derivation of each part of one log's footprint.
pub fn explain(engine: &Engine, a: &IoArgs) -> Result<String, Error> {
    let (Some(c), [path]) = (&a.center, a.logs.as_slice()) else {
        return Err(Error::Request(
            "explain io takes one log and --center (the footprint of that log's I/O is what it explains)".into(),
        ));
    };
    let opts = a.common.options(true)?;
    let center = engine.center(&center_source(c)?, &opts.method, a.zone.as_deref())?;
    let log = impacts_darshan::Log::read(path).map_err(|e| Error::Request(e.to_string()))?;
    let io = impacts_io::characterize(&log);
    let records = accounting_records(a, std::iter::once(io.job.jobid))?;
    let (f, parts) = footprint(
        engine,
        a,
        &center,
        &io,
        records.get(&io.job.jobid.to_string()),
        &opts,
    )?;
    if parts.is_empty() {
        return Err(Error::Request(format!(
            "{path}: nothing to explain: no I/O attributed to a storage system of {} and no nodes waiting (give --partition and a size, or --accounting)",
            center.name
        )));
    }
    match a.common.format {
        Format::Json => {
            #[derive(Serialize)]
            struct Part<'a> {
                part: &'a str,
                report: &'a Report,
            }
            let out: Vec<Part> = parts
                .iter()
                .map(|(p, r)| Part { part: p, report: r })
                .collect();
            let mut s = serde_json::to_string_pretty(&out)
                .map_err(|e| Error::Request(format!("cannot write JSON: {e}")))?;
            s.push('\n');
            Ok(s)
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let mut header_done = false;
            for (p, r) in &parts {
                let text = crate::render::explanation_csv(r)
                    .map_err(|e| Error::Request(format!("cannot write CSV: {e}")))?;
                let mut rd = csv::Reader::from_reader(text.as_bytes());
                let cannot = |e: csv::Error| Error::Request(format!("cannot write CSV: {e}"));
                if !header_done {
                    let h = rd.headers().map_err(cannot)?.clone();
                    w.write_record(std::iter::once("part").chain(h.iter()))
                        .map_err(cannot)?;
                    header_done = true;
                }
                for row in rd.records() {
                    let row = row.map_err(cannot)?;
                    w.write_record(std::iter::once(p.as_str()).chain(row.iter()))
                        .map_err(cannot)?;
                }
            }
            let bytes = w
                .into_inner()
                .map_err(|e| Error::Request(format!("cannot write CSV: {e}")))?;
            String::from_utf8(bytes).map_err(|e| Error::Request(format!("cannot write CSV: {e}")))
        }
        Format::Table => {
            let mut out = String::new();
            let _ = writeln!(
                out,
                "The footprint of the I/O of {path} on {}, part by part.",
                f.center
            );
            for (p, r) in &parts {
                let _ = writeln!(out);
                let _ = writeln!(out, "════ {p} ════");
                out.push_str(&crate::render::explanation_text(r));
            }
            Ok(out)
        }
    }
}

/// Bytes, decimal units.
fn bytes(b: f64) -> String {
    let a = b.abs();
    for (k, u) in [
        (1e15, "PB"),
        (1e12, "TB"),
        (1e9, "GB"),
        (1e6, "MB"),
        (1e3, "kB"),
    ] {
        if a >= k {
            return format!("{} {u}", sig3(b / k));
        }
    }
    format!("{b} B")
}

fn seconds(s: f64) -> String {
    if s >= 3600.0 {
        format!("{} h", sig3(s / 3600.0))
    } else {
        format!("{} s", sig3(s))
    }
}

fn percent(x: f64) -> String {
    format!("{} %", sig3(100.0 * x))
}

fn phase_line(name: &str, p: &Phase) -> String {
    if p.class == "none" {
        return format!("{name}: none");
    }
    format!(
        "{name}: {}, {}; by quarter of the run: {}",
        p.class.replace('_', " and "),
        bytes(p.bytes),
        p.quarters.map(percent).join(", ")
    )
}

fn periodicity_line(name: &str, p: Option<&Periodicity>) -> String {
    match p {
        None => format!("{name}: nothing moved"),
        Some(p) if p.periodic => {
            let d = p
                .dominant
                .as_ref()
                .expect("a periodic verdict has a dominant frequency");
            format!(
                "{name}: periodic, every {} ({} Hz), confidence {}, p = {:.1e}",
                seconds(d.period_s),
                sig3(d.frequency_hz),
                percent(d.confidence),
                p.p_value
            )
        }
        Some(p) => match p.candidates.first() {
            Some(c) => format!(
                "{name}: {} (strongest: every {}, p = {:.1e})",
                p.verdict,
                seconds(c.period_s),
                p.p_value
            ),
            None => format!("{name}: {}", p.verdict),
        },
    }
}

fn table(out: &mut String, r: &IoReport, f: Option<&IoFootprint>) {
    let j = &r.job;
    let _ = writeln!(
        out,
        "Darshan log {} (format {}, {}{})",
        r.file,
        r.version,
        if r.big_endian {
            "big-endian"
        } else {
            "little-endian"
        },
        if r.partial { ", partial" } else { "" }
    );
    let _ = writeln!(
        out,
        "Job {} (uid {}): {} process{}, run time {}, {}",
        j.jobid,
        j.uid,
        j.nprocs,
        if j.nprocs == 1 { "" } else { "es" },
        seconds(j.run_time),
        if j.exe.is_empty() {
            "<no command line>"
        } else {
            j.exe.as_str()
        }
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Moved (POSIX + STDIO): {} read, {} written",
        bytes(r.bytes_read as f64),
        bytes(r.bytes_written as f64)
    );
    let mut rows = vec![[
        "Module".to_string(),
        "records".into(),
        "shared".into(),
        "read".into(),
        "written".into(),
    ]];
    let opt = |v: Option<usize>| v.map_or("-".into(), |v| v.to_string());
    let optb = |v: Option<i64>| v.map_or("-".into(), |v| bytes(v as f64));
    for (name, m) in &r.modules {
        rows.push([
            format!("{name}{}", if m.partial { " (partial)" } else { "" }),
            opt(m.records),
            opt(m.shared_records),
            optb(m.bytes_read),
            optb(m.bytes_written),
        ]);
    }
    if r.modules.is_empty() {
        let _ = writeln!(out, "Modules: none (Darshan recorded no I/O module)");
    } else {
        columns(out, &rows);
    }
    let _ = writeln!(out);
    let mut rows = vec![[
        "File system".to_string(),
        "type".into(),
        "read".into(),
        "written".into(),
        "files".into(),
        "I/O time".into(),
    ]];
    for fs in &r.file_systems {
        rows.push([
            fs.mount.clone(),
            if fs.fs_type.is_empty() {
                "-".into()
            } else {
                fs.fs_type.clone()
            },
            bytes(fs.bytes_read as f64),
            bytes(fs.bytes_written as f64),
            fs.files.to_string(),
            seconds(fs.io_time_s),
        ]);
    }
    if r.file_systems.is_empty() {
        let _ = writeln!(out, "File systems: none (no POSIX or STDIO record)");
    } else {
        columns(out, &rows);
    }
    let _ = writeln!(out);
    let o = &r.operations;
    let _ = writeln!(
        out,
        "Operations: {} reads, {} writes, {} opens, {} seeks, {} stats, {} syncs, {} mmaps",
        o.reads, o.writes, o.opens, o.seeks, o.stats, o.syncs, o.mmaps
    );
    if let Some(m) = &r.mpi_io {
        let _ = writeln!(
            out,
            "MPI-IO: reads {} collective, {} independent, {} split, {} non-blocking; writes {} collective, {} independent, {} split, {} non-blocking; opens {} collective, {} independent",
            m.collective_reads,
            m.independent_reads,
            m.split_reads,
            m.nonblocking_reads,
            m.collective_writes,
            m.independent_writes,
            m.split_writes,
            m.nonblocking_writes,
            m.collective_opens,
            m.independent_opens
        );
    }
    let s = &r.access_sizes;
    let hist = |v: &[i64]| {
        s.buckets
            .iter()
            .zip(v)
            .filter(|(_, n)| **n > 0)
            .map(|(b, n)| format!("{b}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(out, "Read sizes (bytes): {}", or_none(hist(&s.read)));
    let _ = writeln!(out, "Write sizes (bytes): {}", or_none(hist(&s.write)));
    if !s.common.is_empty() {
        let _ = writeln!(
            out,
            "Most common sizes: {}",
            s.common
                .iter()
                .map(|(size, n)| format!("{} × {n}", bytes(*size as f64)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let t = &r.time;
    let _ = writeln!(
        out,
        "I/O time: {} reading, {} writing, {} in metadata (all ranks); slowest rank {} = {} of the run",
        seconds(t.read_s),
        seconds(t.write_s),
        seconds(t.meta_s),
        seconds(t.slowest_rank_s),
        percent(t.io_share)
    );
    let fl = &r.files;
    let _ = writeln!(
        out,
        "Files: {} ({} shared, {} read-only, {} write-only, {} read-write); ranks with I/O: {} of {}",
        fl.total, fl.shared, fl.read_only, fl.write_only, fl.read_write, r.ranks.with_io, r.ranks.nprocs
    );
    let _ = writeln!(
        out,
        "Metadata: {} operations, {}, {} per second of run",
        r.metadata.operations,
        seconds(r.metadata.time_s),
        sig3(r.metadata.per_second)
    );
    if let Some(tm) = &r.temporality {
        let _ = writeln!(
            out,
            "When (from {}, run of {}):",
            tm.source.as_str(),
            seconds(tm.window_s)
        );
        let _ = writeln!(out, "  {}", phase_line("reads", &tm.read));
        let _ = writeln!(out, "  {}", phase_line("writes", &tm.write));
    }
    if let Some(p) = &r.periodicity {
        let _ = writeln!(out, "Periodicity (from {}):", p.source.as_str());
        let _ = writeln!(out, "  {}", periodicity_line("reads", p.read.as_ref()));
        let _ = writeln!(out, "  {}", periodicity_line("writes", p.write.as_ref()));
    }
    if let Some(f) = f {
        let _ = writeln!(out);
        let _ = writeln!(out, "Footprint of the I/O on {}:", f.center);
        let label = format!(
            "nodes waiting {}",
            seconds(r.time.io_share * r.job.run_time)
        );
        let mut rows: Vec<(String, &OrderedMap<Estimate>)> = f
            .storage
            .iter()
            .filter_map(|s| {
                s.share
                    .as_ref()
                    .map(|x| (format!("{} ({})", s.mount, s.attributed_to), &x.impacts))
            })
            .collect();
        if let Some(w) = &f.waiting {
            rows.push((label, &w.impacts));
        }
        footprint_grid(out, &rows, &f.impacts);
        for s in f.storage.iter().filter(|s| s.share.is_none()) {
            let _ = writeln!(out, "  {}: {}", s.mount, s.attributed_to);
        }
        if f.waiting.is_none() {
            let _ = writeln!(
                out,
                "  nodes waiting on I/O: {} (give --partition and --nodes, --cores or --gpus for their footprint)",
                seconds(r.time.io_share * r.job.run_time)
            );
        }
        f.made_with.lines(out);
    }
    let ws: Vec<(&String, &String)> = r
        .warnings
        .iter()
        .map(|w| (&w.code, &w.message))
        .chain(
            f.iter()
                .flat_map(|f| f.warnings.iter().map(|w| (&w.code, &w.message))),
        )
        .collect();
    if !ws.is_empty() {
        let _ = writeln!(out, "Warnings:");
        for (code, message) in ws {
            let _ = writeln!(out, "  [{code}] {message}");
        }
    }
}

/// The parts of a footprint and their total, one row each.
fn footprint_grid(
    out: &mut String,
    rows: &[(String, &OrderedMap<Estimate>)],
    total: &OrderedMap<Estimate>,
) {
    let cols: Vec<(&str, &str)> = total
        .iter()
        .map(|(k, e)| (k.as_str(), e.unit.as_str()))
        .collect();
    let mut grid: Vec<(String, Vec<String>)> = rows
        .iter()
        .map(|(label, im)| {
            (
                label.clone(),
                im.iter().map(|(_, e)| estimate_cell(e)).collect(),
            )
        })
        .collect();
    grid.push((
        "Total".into(),
        total.iter().map(|(_, e)| estimate_cell(e)).collect(),
    ));
    impact_grid(out, &cols, &grid);
}

fn or_none(s: String) -> String {
    if s.is_empty() {
        "none".into()
    } else {
        s
    }
}

/// Left-aligned first column, right-aligned others.
fn columns<const N: usize>(out: &mut String, rows: &[[String; N]]) {
    let w: Vec<usize> = (0..N)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for r in rows {
        let mut line = pad(&r[0], w[0]);
        for i in 1..N {
            let c = &r[i];
            let _ = write!(line, "  {}{c}", " ".repeat(w[i] - c.chars().count()));
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The CSV header of one row per log.
const CSV_HEADER: [&str; 28] = [
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

fn period(p: Option<&Periodicity>) -> String {
    p.and_then(|p| p.dominant.as_ref())
        .map_or(String::new(), |d| d.period_s.to_string())
}

fn csv_record(r: &IoReport) -> Vec<String> {
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

fn csv_rows<W: std::io::Write>(
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

/// The storage share of a population's I/O on one target.
#[derive(Clone, Debug, Serialize)]
pub struct TargetFootprint {
    /// `tier NAME`, `default hdd`, or why not attributed.
    pub attributed_to: String,
    /// The file systems (mount point and type) found there.
    pub file_systems: Vec<String>,
    /// Jobs with bytes there.
    pub jobs: usize,
    /// Bytes read, over the jobs.
    pub bytes_read: f64,
    /// Bytes written.
    pub bytes_written: f64,
    /// Its storage share (absent when not attributed).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub share: Option<StorageShare>,
}

/// The footprint of a population's I/O.
#[derive(Clone, Debug, Serialize)]
pub struct SummaryFootprint {
    /// The center.
    pub center: String,
    /// Storage, per target.
    pub storage: Vec<TargetFootprint>,
    /// Σ processes × the slowest rank's I/O time over the jobs (process-hours).
    pub waiting_process_hours: f64,
    /// Logs whose job was found in --accounting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jobs_in_accounting: Option<usize>,
    /// The footprint of the nodes waiting: each job found in --accounting with its allocation,
    /// the others one core of --partition per process.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting: Option<OrderedMap<Estimate>>,
    /// Storage + waiting.
    pub impacts: OrderedMap<Estimate>,
    /// Warnings.
    pub warnings: Vec<Warning>,
    /// Method, data and bounds.
    #[serde(flatten)]
    pub made_with: MadeWith,
}

#[derive(Serialize)]
struct SummaryOutput<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    footprint: Option<&'a SummaryFootprint>,
}

/// What a folder's footprint needs of each log, gathered as the logs stream by: bytes per
/// target and file system, and each job's I/O time.
#[derive(Default)]
struct FolderIo {
    /// Per target: file systems, jobs, bytes read and written.
    targets:
        std::collections::BTreeMap<Target, (std::collections::BTreeSet<String>, usize, f64, f64)>,
    /// Per (target, mount, type): logs and bytes.
    places: std::collections::BTreeMap<(Target, String, String), (usize, f64)>,
    /// Per log: job id, hours of the slowest rank's I/O, processes.
    waits: Vec<(i64, f64, f64)>,
}

impl FolderIo {
    fn add(&mut self, center: &Center, r: &IoReport) {
        let mut seen = std::collections::BTreeSet::new();
        for fs in &r.file_systems {
            let moved = fs.bytes_read.saturating_add(fs.bytes_written) as f64;
            if moved <= 0.0 {
                continue;
            }
            let t = Target::of(center, &fs.mount, &fs.fs_type);
            let e = self.targets.entry(t.clone()).or_default();
            e.0.insert(if fs.fs_type.is_empty() {
                fs.mount.clone()
            } else {
                format!("{} ({})", fs.mount, fs.fs_type)
            });
            if seen.insert(t.clone()) {
                e.1 += 1;
            }
            e.2 += fs.bytes_read as f64;
            e.3 += fs.bytes_written as f64;
            let p = self
                .places
                .entry((t, fs.mount.clone(), fs.fs_type.clone()))
                .or_default();
            p.0 += 1;
            p.1 += moved;
        }
        let hours = r.time.io_share * r.job.run_time / 3600.0;
        let procs = r.job.nprocs.max(0) as f64;
        if (hours * procs).is_finite() {
            self.waits.push((r.job.jobid, hours, procs));
        }
    }
}

/// The footprint of every log's I/O: bytes summed per target (the model is linear in them,
/// so one estimate per target is exact), and the nodes waiting: each job found in the
/// accounting file on its allocation (hours summed per allocation), the others one core per
/// process.
fn summary_footprint(
    engine: &Engine,
    a: &IoArgs,
    center: &Center,
    io: FolderIo,
    records: &std::collections::HashMap<String, impacts_accounting::record::JobRecord>,
    opts: &impacts::Options,
) -> Result<SummaryFootprint, Error> {
    use std::collections::BTreeMap;
    let FolderIo {
        targets,
        places,
        waits,
    } = io;
    let logs = waits.len();
    let mut process_hours = 0.0;
    // Jobs found in the accounting file: hours waiting per allocation (linear in the hours).
    let mut groups: BTreeMap<AllocationKey, (Allocation, f64)> = BTreeMap::new();
    let (mut matched, mut unmatched, mut unmatched_process_hours) = (0usize, 0usize, 0.0);
    for (jobid, hours, procs) in waits {
        let ph = hours * procs;
        process_hours += ph;
        match records
            .get(&jobid.to_string())
            .and_then(|rec| allocation(a, Some(rec)))
        {
            Some(alloc) => {
                matched += 1;
                groups.entry(alloc.key()).or_insert((alloc, 0.0)).1 += hours;
            }
            None => {
                unmatched += 1;
                unmatched_process_hours += ph;
            }
        }
    }
    let mut warnings = Vec::new();
    for ((t, mount, fs_type), (n, moved)) in &places {
        let who = format!("{n} log{}", if *n == 1 { "" } else { "s" });
        warnings.extend(t.warning(&who, mount, fs_type, center, *moved));
    }
    let mut parts = Vec::new();
    let mut storage = Vec::new();
    for (t, (fss, jobs, read, written)) in targets {
        let mut row = TargetFootprint {
            attributed_to: t.label(),
            file_systems: fss.into_iter().collect(),
            jobs,
            bytes_read: read,
            bytes_written: written,
            share: None,
        };
        if let Some(place) = t.place() {
            let r = activity(engine, a, place, read, written, opts)?;
            row.share = Some(StorageShare::of(&r));
            warnings.extend(r.warnings.iter().cloned());
            parts.push(r);
        }
        storage.push(row);
    }
    let mut waiting_parts: Vec<Report> = Vec::new();
    for (alloc, hours) in groups.into_values() {
        if hours > 0.0 {
            waiting_parts.push(waiting_job(engine, a, &alloc, hours, opts)?);
        }
    }
    if let Some(file) = &a.accounting {
        if unmatched > 0 {
            warnings.push(Warning::new(
                "io.job-not-in-accounting",
                format!(
                    "{unmatched} of {logs} logs' jobs are not in {file}: {}",
                    if a.partition.is_some() {
                        "their nodes waiting on I/O are costed one core of --partition per process"
                    } else {
                        "their nodes waiting on I/O are not costed"
                    }
                ),
            ));
        }
    }
    if let Some(p) = &a.partition {
        if unmatched_process_hours > 0.0 {
            let alloc = Allocation {
                partition: p.clone(),
                nodes: None,
                cores: Some(1.0),
                gpus: None,
                from: "one core per process".into(),
            };
            waiting_parts.push(waiting_job(
                engine,
                a,
                &alloc,
                unmatched_process_hours,
                opts,
            )?);
            warnings.push(Warning::new(
                "io.cores-from-processes",
                format!(
                    "the nodes waiting on I/O of {unmatched} logs are costed as one core of {p} per process, for {} process-hours: Darshan records processes, not the cores or nodes the scheduler gave them",
                    sig3(unmatched_process_hours),
                ),
            ));
        }
    }
    for r in &waiting_parts {
        warnings.extend(r.warnings.iter().cloned());
    }
    let waiting = (!waiting_parts.is_empty()).then(|| {
        let refs: Vec<&Report> = waiting_parts.iter().collect();
        engine.sum_reports(&refs, opts)
    });
    parts.extend(waiting_parts);
    let refs: Vec<&Report> = parts.iter().collect();
    let impacts = engine.sum_reports(&refs, opts);
    dedup(&mut warnings);
    Ok(SummaryFootprint {
        center: center.name.clone(),
        storage,
        waiting_process_hours: process_hours,
        jobs_in_accounting: a.accounting.as_ref().map(|_| matched),
        waiting,
        impacts,
        warnings,
        made_with: MadeWith::new(engine, opts),
    })
}

/// `--summary DIR`.
fn summary(engine: &Engine, a: &IoArgs, dir: &str) -> Result<String, Error> {
    let path = Path::new(dir);
    if !path.is_dir() {
        return Err(Error::Request(format!(
            "--summary '{dir}': expected a folder of Darshan logs"
        )));
    }
    if a.nodes.is_some() || a.cores.is_some() || a.gpus.is_some() {
        return Err(Error::Request(
            "--nodes, --cores and --gpus describe one job: with --summary, each job's waiting on I/O is costed one core per process of its log".into(),
        ));
    }
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 {
        return Err(Error::Request(
            "invalid --threads 0: expected at least 1".into(),
        ));
    }
    let opts = a.common.options(false)?;
    let center = match &a.center {
        Some(c) => Some(engine.center(&center_source(c)?, &opts.method, a.zone.as_deref())?),
        None => None,
    };
    // The logs stream by: the summary, the footprint's aggregates and the --jobs rows are
    // folded as they come; nothing per log is kept but a job id and two numbers.
    let mut acc = impacts_io::summary::Accumulator::new(dir);
    let mut folder = FolderIo::default();
    let mut jobs = match &a.jobs {
        Some(file) => Some(JobsFile::create(file)?),
        None => None,
    };
    let mut failed: Option<Error> = None;
    let walked = impacts_io::summary::for_each_log(path, threads, |r| match r {
        Ok(r) => {
            acc.add(&r);
            if let Some(c) = &center {
                folder.add(c, &r);
            }
            if let (Some(j), None) = (jobs.as_mut(), &failed) {
                failed = j.row(&r).err();
            }
        }
        Err(e) => acc.fail(e),
    });
    let result = (|| {
        walked.map_err(|e| Error::Request(format!("cannot read the folder '{dir}': {e}")))?;
        if let Some(e) = failed {
            return Err(e);
        }
        let s = acc.finish();
        let fp = match &center {
            Some(c) => {
                let records = accounting_records(a, folder.waits.iter().map(|w| w.0))?;
                Some(summary_footprint(engine, a, c, folder, &records, &opts)?)
            }
            None => None,
        };
        Ok(match a.common.format {
            Format::Json => {
                let mut s = serde_json::to_string_pretty(&SummaryOutput {
                    summary: &s,
                    footprint: fp.as_ref(),
                })
                .map_err(|e| Error::Request(format!("cannot write JSON: {e}")))?;
                s.push('\n');
                s
            }
            Format::Csv => summary_csv(&s, fp.as_ref())
                .map_err(|e| Error::Request(format!("cannot write CSV: {e}")))?,
            Format::Table => summary_table(&s, fp.as_ref()),
        })
    })();
    match (result, jobs) {
        (Ok(out), Some(j)) => {
            j.finish()?;
            Ok(out)
        }
        (Ok(out), None) => Ok(out),
        (Err(e), j) => {
            if let Some(j) = j {
                j.abandon();
            }
            Err(e)
        }
    }
}

/// The `--jobs` file: one CSV row per log, written to FILE.part and renamed to FILE once
/// complete, so that FILE is never half written.
struct JobsFile {
    file: String,
    part: String,
    w: csv::Writer<std::io::BufWriter<std::fs::File>>,
}

impl JobsFile {
    fn create(file: &str) -> Result<JobsFile, Error> {
        let part = format!("{file}.part");
        let f = std::fs::File::create(&part)
            .map_err(|e| Error::Request(format!("cannot write --jobs '{file}': {e}")))?;
        let mut w = csv::Writer::from_writer(std::io::BufWriter::new(f));
        let j = JobsFile {
            file: file.to_string(),
            part,
            w: {
                w.write_record(CSV_HEADER)
                    .map_err(|e| Error::Request(format!("cannot write --jobs '{file}': {e}")))?;
                w
            },
        };
        Ok(j)
    }

    fn row(&mut self, r: &IoReport) -> Result<(), Error> {
        self.w
            .write_record(csv_record(r))
            .map_err(|e| Error::Request(format!("cannot write --jobs '{}': {e}", self.file)))
    }

    fn finish(mut self) -> Result<(), Error> {
        let done = self
            .w
            .flush()
            .and_then(|_| std::fs::rename(&self.part, &self.file));
        done.map_err(|e| {
            let _ = std::fs::remove_file(&self.part);
            Error::Request(format!("cannot write --jobs '{}': {e}", self.file))
        })
    }

    fn abandon(self) {
        let part = self.part.clone();
        drop(self.w);
        let _ = std::fs::remove_file(part);
    }
}

fn share(n: usize, of: usize) -> String {
    if of == 0 {
        format!("{n}")
    } else {
        format!("{n} ({})", percent(n as f64 / of as f64))
    }
}

fn summary_table(s: &Summary, fp: Option<&SummaryFootprint>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Darshan logs under {}: {} found, {} read, {} not read",
        s.folder,
        s.logs,
        s.read,
        s.failures.len()
    );
    let n = s.read;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Jobs without POSIX or STDIO bytes: {}",
        share(s.without_io, n)
    );
    let _ = writeln!(
        out,
        "Periodic I/O: {} of the jobs read or write periodically; reads {} of {} assessed, writes {} of {} assessed",
        share(s.periodic_any, n),
        s.periodic_read.periodic,
        s.periodic_read.assessed,
        s.periodic_write.periodic,
        s.periodic_write.assessed
    );
    let _ = writeln!(out, "End-only writers: {}", share(s.end_only_writers, n));
    let _ = writeln!(
        out,
        "Start-only readers: {}",
        share(s.start_only_readers, n)
    );
    let _ = writeln!(
        out,
        "Jobs with shared-file access: {}",
        share(s.shared_file_jobs, n)
    );
    let _ = writeln!(
        out,
        "Jobs using MPI-IO: {}, of which with collective reads or writes: {}",
        share(s.mpi_io_jobs, n),
        share(s.collective_io_jobs, s.mpi_io_jobs)
    );
    let classes = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        out,
        "When reads happen: {}",
        or_none(classes(&s.read_temporality))
    );
    let _ = writeln!(
        out,
        "When writes happen: {}",
        or_none(classes(&s.write_temporality))
    );
    let _ = writeln!(
        out,
        "Timeline sources: {}",
        or_none(classes(&s.timeline_sources))
    );
    let _ = writeln!(out);
    let mut rows = vec![[
        "Per job".to_string(),
        "min".into(),
        "p25".into(),
        "median".into(),
        "p75".into(),
        "p90".into(),
        "max".into(),
        "total".into(),
    ]];
    let q = |name: &str, q: &impacts_io::summary::Quantiles, f: &dyn Fn(f64) -> String| {
        [
            name.to_string(),
            f(q.min),
            f(q.p25),
            f(q.median),
            f(q.p75),
            f(q.p90),
            f(q.max),
            f(q.total),
        ]
    };
    rows.push(q("bytes read", &s.bytes_read.quantiles, &bytes));
    rows.push(q("bytes written", &s.bytes_written.quantiles, &bytes));
    rows.push(q("run time", &s.run_time, &seconds));
    let mut share_row = q("I/O share of run", &s.io_share, &percent);
    share_row[7] = "-".into();
    rows.push(share_row);
    columns(&mut out, &rows);
    let _ = writeln!(out);
    let mut rows = vec![[
        "Jobs by volume".to_string(),
        DECADES[0].into(),
        DECADES[1].into(),
        DECADES[2].into(),
        DECADES[3].into(),
        DECADES[4].into(),
    ]];
    for (name, v) in [("read", &s.bytes_read), ("written", &s.bytes_written)] {
        rows.push([
            name.to_string(),
            v.decades[0].to_string(),
            v.decades[1].to_string(),
            v.decades[2].to_string(),
            v.decades[3].to_string(),
            v.decades[4].to_string(),
        ]);
    }
    columns(&mut out, &rows);
    if !s.warnings.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Warnings (logs): {}", classes(&s.warnings));
    }
    if let Some(f) = fp {
        let _ = writeln!(out);
        let _ = writeln!(out, "Footprint of their I/O on {}:", f.center);
        let mut rows: Vec<(String, &OrderedMap<Estimate>)> = Vec::new();
        for t in &f.storage {
            if let Some(im) = t.share.as_ref().map(|x| &x.impacts) {
                rows.push((
                    format!(
                        "{} ({}, {} jobs)",
                        t.attributed_to,
                        bytes(t.bytes_read + t.bytes_written),
                        t.jobs
                    ),
                    im,
                ));
            }
        }
        let label = format!(
            "nodes waiting {} process-hours",
            sig3(f.waiting_process_hours)
        );
        if let Some(w) = &f.waiting {
            rows.push((label.clone(), w));
        }
        footprint_grid(&mut out, &rows, &f.impacts);
        for t in f.storage.iter().filter(|t| t.share.is_none()) {
            let _ = writeln!(
                out,
                "  {} ({}): {}",
                t.file_systems.join(", "),
                bytes(t.bytes_read + t.bytes_written),
                t.attributed_to
            );
        }
        if let Some(n) = f.jobs_in_accounting {
            let _ = writeln!(
                out,
                "  {n} of {} jobs found in the accounting file: waiting costed with their own allocation",
                s.read
            );
        }
        if f.waiting.is_none() {
            let _ = writeln!(
                out,
                "  {label} (give --accounting FILE for each job's allocation, or --partition for one core per process)"
            );
        }
        f.made_with.lines(&mut out);
        if !f.warnings.is_empty() {
            let _ = writeln!(out, "Warnings:");
            for w in &f.warnings {
                let _ = writeln!(out, "  [{}] {}", w.code, w.message);
            }
        }
    }
    if !s.failures.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Not read:");
        for f in &s.failures {
            let _ = writeln!(out, "  {}", f.error);
        }
    }
    out
}

fn summary_csv(s: &Summary, fp: Option<&SummaryFootprint>) -> Result<String, csv::Error> {
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
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
