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
    /// Impacts (absent when not attributed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impacts: Option<OrderedMap<Estimate>>,
    /// Phases.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phases: Option<OrderedMap<OrderedMap<Estimate>>>,
    /// Data at the drives, busy and allocated drive-hours, electricity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantities: Option<OrderedMap<Estimate>>,
}

/// The footprint of the job's nodes while its slowest rank does I/O.
#[derive(Clone, Debug, Serialize)]
pub struct WaitingFootprint {
    /// The slowest rank's I/O time, capped at the run time (h).
    pub hours: f64,
    /// Share of the run.
    pub io_share: f64,
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
    /// Method.
    pub method: String,
    /// Data bundle (SHA-256).
    pub data_bundle: String,
    /// Version of the data bundle.
    pub data_bundle_version: String,
    /// How the bounds were obtained.
    pub uncertainty: impacts::Uncertainty,
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
        return summary(a, dir);
    }
    let opts = a.common.options(false)?;
    let center = match &a.center {
        Some(c) => Some(engine.center(&center_source(c)?, &opts.method, a.zone.as_deref())?),
        None => None,
    };
    if a.partition.is_some() && a.nodes.is_none() && a.cores.is_none() && a.gpus.is_none() {
        return Err(Error::Request(
            "--partition needs the job's size: --nodes, --cores or --gpus".into(),
        ));
    }
    let mut results = Vec::new();
    for path in &a.logs {
        let log = impacts_darshan::Log::read(path).map_err(|e| Error::Request(e.to_string()))?;
        let io = impacts_io::characterize(&log);
        let footprint = match &center {
            Some(c) => Some(footprint(engine, a, c, &io)?),
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

/// The footprint of a log's I/O on `center`.
fn footprint(
    engine: &Engine,
    a: &IoArgs,
    center: &Center,
    io: &IoReport,
) -> Result<IoFootprint, Error> {
    let opts = a.common.options(false)?;
    let source = center_source(a.center.as_deref().unwrap_or_default())?;
    let mut warnings: Vec<Warning> = Vec::new();
    let mut storage = Vec::new();
    let mut parts: Vec<Report> = Vec::new();
    for fs in &io.file_systems {
        let mut row = FileSystemFootprint {
            mount: fs.mount.clone(),
            fs_type: fs.fs_type.clone(),
            bytes_read: fs.bytes_read,
            bytes_written: fs.bytes_written,
            attributed_to: String::new(),
            subject: None,
            impacts: None,
            phases: None,
            quantities: None,
        };
        let moved = fs.bytes_read + fs.bytes_written > 0;
        let (tier, media) = if fs.mount == STANDARD_STREAMS || fs.mount == UNMOUNTED {
            row.attributed_to = "not attributed: not a file system".into();
            if moved {
                warnings.push(Warning::new(
                    "io.not-a-file-system",
                    format!(
                        "{}: {} bytes on {} are not attributed to any storage",
                        io.file,
                        fs.bytes_read + fs.bytes_written,
                        fs.mount
                    ),
                ));
            }
            (None, None)
        } else if let Some(t) = center.storage_for_mount(&fs.mount) {
            row.attributed_to = format!("tier {}", t.name);
            (Some(t.name.clone()), None)
        } else if NETWORK_FS.contains(&fs.fs_type.as_str()) {
            row.attributed_to = "default hdd".into();
            if moved {
                warnings.push(Warning::new(
                    "io.storage-tier-default",
                    format!(
                        "{}: {} ({}) is in no [storage.NAME] mounts of {}: the method's nearline HDD storage is assumed (add the mount point to a tier's mounts)",
                        io.file, fs.mount, fs.fs_type, center.file
                    ),
                ));
            }
            (None, Some("hdd".to_string()))
        } else if NODE_FS.contains(&fs.fs_type.as_str()) {
            row.attributed_to = "not attributed: the node's own storage".into();
            if moved {
                warnings.push(Warning::new(
                    "io.node-local",
                    format!(
                        "{}: {} ({}) is the node's own storage, part of the node already counted by the job: its I/O is not attributed to a storage system",
                        io.file, fs.mount, fs.fs_type
                    ),
                ));
            }
            (None, None)
        } else {
            row.attributed_to = "not attributed: unknown file system type".into();
            if moved {
                warnings.push(Warning::new(
                    "io.file-system-unknown",
                    format!(
                        "{}: {} has the file system type `{}`, neither a known network file system nor a node's: its I/O is not attributed (add the mount point to a tier's mounts in {})",
                        io.file, fs.mount, fs.fs_type, center.file
                    ),
                ));
            }
            (None, None)
        };
        if moved && (tier.is_some() || media.is_some()) {
            let r = engine.storage_activity(
                &StorageActivityRequest {
                    read_gb: fs.bytes_read as f64 / 1e9,
                    written_gb: fs.bytes_written as f64 / 1e9,
                    center: Some(source.clone()),
                    tier,
                    media,
                    zone: a.zone.clone(),
                    redundancy: None,
                    pue: None,
                },
                &opts,
            )?;
            row.subject = Some(r.subject.clone());
            row.impacts = Some(r.impacts.clone());
            row.phases = Some(r.phases.clone());
            row.quantities = Some(r.quantities.clone());
            warnings.extend(r.warnings.iter().cloned());
            parts.push(r);
        }
        storage.push(row);
    }
    let waiting = match &a.partition {
        Some(p) => {
            let hours = io.time.io_share * io.job.run_time / 3600.0;
            if hours > 0.0 {
                let args = JobArgs {
                    center: a.center.clone().unwrap_or_default(),
                    partition: p.clone(),
                    nodes: a.nodes,
                    cores: a.cores,
                    gpus: a.gpus,
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
                let r = engine.job(&crate::plain_job_request(&args)?, &opts)?;
                warnings.extend(r.warnings.iter().cloned());
                let w = WaitingFootprint {
                    hours,
                    io_share: io.time.io_share,
                    subject: r.subject.clone(),
                    impacts: r.impacts.clone(),
                    phases: r.phases.clone(),
                };
                parts.push(r);
                Some(w)
            } else {
                None
            }
        }
        None => None,
    };
    let refs: Vec<&Report> = parts.iter().collect();
    let impacts = engine.sum_reports(&refs, &opts);
    let mut seen = std::collections::BTreeSet::new();
    warnings.retain(|w| seen.insert((w.code.clone(), w.message.clone())));
    let mut uncertainty = impacts::Uncertainty::new(opts.samples, opts.seed, opts.percentiles);
    if opts.samples > 0 {
        uncertainty.note.push_str("; the total's bounds sum the parts' samples one by one, so inputs they share (PUE, electricity factors) are drawn once");
    }
    Ok(IoFootprint {
        center: center.name.clone(),
        storage,
        waiting,
        impacts,
        warnings,
        method: opts.method.clone(),
        data_bundle: engine.bundle().hash.clone(),
        data_bundle_version: engine.bundle().meta.version.clone(),
        uncertainty,
    })
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
        "Job {} (uid {}): {} processes, run time {}, {}",
        j.jobid,
        j.uid,
        j.nprocs,
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
    columns(out, &rows);
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
    columns(out, &rows);
    let _ = writeln!(out);
    let o = &r.operations;
    let _ = writeln!(
        out,
        "Operations: {} reads, {} writes, {} opens, {} seeks, {} stats, {} syncs, {} mmaps",
        o.reads, o.writes, o.opens, o.seeks, o.stats, o.syncs, o.mmaps
    );
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
        let cols: Vec<(&str, &str)> = f
            .impacts
            .iter()
            .map(|(k, e)| (k.as_str(), e.unit.as_str()))
            .collect();
        let mut grid: Vec<(String, Vec<String>)> = Vec::new();
        for s in &f.storage {
            if let Some(im) = &s.impacts {
                grid.push((
                    format!("{} ({})", s.mount, s.attributed_to),
                    im.iter().map(|(_, e)| estimate_cell(e)).collect(),
                ));
            }
        }
        if let Some(w) = &f.waiting {
            grid.push((
                format!("nodes waiting {}", seconds(w.hours * 3600.0)),
                w.impacts.iter().map(|(_, e)| estimate_cell(e)).collect(),
            ));
        }
        grid.push((
            "Total".into(),
            f.impacts.iter().map(|(_, e)| estimate_cell(e)).collect(),
        ));
        impact_grid(out, &cols, &grid);
        for s in f.storage.iter().filter(|s| s.impacts.is_none()) {
            let _ = writeln!(out, "  {}: {}", s.mount, s.attributed_to);
        }
        if f.waiting.is_none() {
            let _ = writeln!(
                out,
                "  nodes waiting on I/O: {} (give --partition and --nodes, --cores or --gpus for their footprint)",
                seconds(r.time.io_share * r.job.run_time)
            );
        }
        let _ = writeln!(
            out,
            "{}",
            bounds_line(&f.uncertainty, "; the total sums the parts' samples")
        );
        let _ = writeln!(
            out,
            "{}",
            provenance(
                &f.method,
                &f.data_bundle,
                &f.data_bundle_version,
                env!("CARGO_PKG_VERSION")
            )
        );
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

/// `--summary DIR`.
fn summary(a: &IoArgs, dir: &str) -> Result<String, Error> {
    let path = Path::new(dir);
    if !path.is_dir() {
        return Err(Error::Request(format!(
            "--summary '{dir}': expected a folder of Darshan logs"
        )));
    }
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 {
        return Err(Error::Request(
            "invalid --threads 0: expected at least 1".into(),
        ));
    }
    let (s, reports) = impacts_io::summarize_dir(path, threads)
        .map_err(|e| Error::Request(format!("cannot read the folder '{dir}': {e}")))?;
    if let Some(file) = &a.jobs {
        let mut w = csv::Writer::from_writer(Vec::new());
        let results: Vec<(IoReport, Option<IoFootprint>)> =
            reports.into_iter().map(|r| (r, None)).collect();
        csv_rows(&mut w, &results).map_err(|e| Error::Request(format!("cannot write CSV: {e}")))?;
        let bytes = w
            .into_inner()
            .map_err(|e| Error::Request(format!("cannot write CSV: {e}")))?;
        write_atomically(file, &bytes)?;
    }
    match a.common.format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&s)
                .map_err(|e| Error::Request(format!("cannot write JSON: {e}")))?;
            s.push('\n');
            Ok(s)
        }
        Format::Csv => {
            summary_csv(&s).map_err(|e| Error::Request(format!("cannot write CSV: {e}")))
        }
        Format::Table => Ok(summary_table(&s)),
    }
}

/// Writes `bytes` to `file` through a temporary file renamed at the end: never half a file.
fn write_atomically(file: &str, bytes: &[u8]) -> Result<(), Error> {
    let tmp = format!("{file}.part");
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, file))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::Request(format!("cannot write --jobs '{file}': {e}"))
        })
}

fn share(n: usize, of: usize) -> String {
    if of == 0 {
        format!("{n}")
    } else {
        format!("{n} ({})", percent(n as f64 / of as f64))
    }
}

fn summary_table(s: &Summary) -> String {
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
    if !s.failures.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Not read:");
        for f in &s.failures {
            let _ = writeln!(out, "  {}", f.error);
        }
    }
    out
}

fn summary_csv(s: &Summary) -> Result<String, csv::Error> {
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
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
