//! `impacts io`: the I/O behaviour of jobs from their Darshan logs, the footprint of that I/O
//! on a center's storage and compute, and summaries over many logs (docs/io.md).

use std::fmt::Write as _;
use std::path::Path;

use impacts::impacts_center::Center;
use impacts::impacts_model::report::{Estimate, Warning};
use impacts::{CenterSource, Engine, OrderedMap, Report, StorageActivityRequest};
use impacts_io::characterize::{IoReport, STANDARD_STREAMS, UNMOUNTED};
use impacts_io::spectrum::Periodicity;
use impacts_io::summary::{Summary, DECADES};
use impacts_io::timeline::Phase;
use serde::Serialize;

use super::{center_source, options, read_series};
use crate::args::{Format, IoArgs};
use crate::error::{CliError, Flags};
use crate::render::{bounds_line, estimate_cell, grid_with_total, pad, provenance, sig3};

mod csv_out;
mod folder;
mod footprint;
mod table;

use csv_out::*;
use folder::*;
use footprint::*;
use table::*;

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

/// A log's characterization, with the footprint of its I/O when a center is given.
#[derive(Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    io: &'a IoReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    footprint: Option<&'a IoFootprint>,
}

/// The flags of `impacts io`, by the library's name of what they give.
pub const FLAGS: Flags = &[
    ("center", "--center"),
    ("partition", "--partition"),
    ("nodes", "--nodes"),
    ("cores", "--cores"),
    ("gpus", "--gpus"),
    ("node_type", "--node-type"),
    ("load", "--load"),
    ("cpu_load", "--load"),
    ("gpu_load", "--load"),
    ("zone", "--zone"),
    ("jobs", "--jobs"),
];

/// The `--grid-series`, read once.
fn grid_series(a: &IoArgs) -> Result<Option<impacts::impacts_grid::Series>, CliError> {
    a.grid_series
        .as_deref()
        .map(|path| read_series(path, &a.grid_column))
        .transpose()
}

/// A Darshan log, read (`-` is refused: logs are read from files).
fn read_log(path: &str) -> Result<impacts_darshan::Log, CliError> {
    if path == "-" {
        return Err(CliError::usage(
            "invalid LOG '-': Darshan logs are read from files; standard input (-) is read by impacts accounting only",
        ));
    }
    Ok(impacts_darshan::Log::read(path)?)
}

/// Runs `impacts io`.
pub fn run(engine: &Engine, a: &IoArgs) -> Result<String, CliError> {
    if let Some(dir) = &a.summary {
        return summary(engine, a, dir);
    }
    let opts = options(&a.common, false)?;
    let site = Site::of(engine, a, &opts)?;
    if a.partition.is_some()
        && a.accounting.is_none()
        && a.nodes.is_none()
        && a.cores.is_none()
        && a.gpus.is_none()
    {
        return Err(CliError::usage(
            "--partition needs the job's size: --nodes, --cores or --gpus",
        ));
    }
    let mut ios = Vec::new();
    for path in &a.logs {
        if Path::new(path).is_dir() {
            return Err(CliError::usage(format!(
                "{path} is a folder: expected a Darshan log (for every log under a folder, use --summary {path})"
            )));
        }
        let log = read_log(path)?;
        ios.push(impacts_io::characterize(&log));
    }
    let records = accounting_records(a, ios.iter().map(|r| r.job.jobid))?;
    let series = grid_series(a)?;
    let mut results = Vec::new();
    for io in ios {
        let footprint = match &site {
            Some(c) => Some(
                footprint(
                    engine,
                    a,
                    c,
                    &io,
                    records.get(&io.job.jobid.to_string()),
                    series.as_ref(),
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
            .map_err(|e| CliError::cannot_write("JSON", e))?;
            s.push('\n');
            Ok(s)
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            csv_rows(&mut w, &results).map_err(|e| CliError::cannot_write("CSV", e))?;
            for (io, f) in &results {
                let ws = io.warnings.iter().map(|w| (&w.code, &w.message)).chain(
                    f.iter()
                        .flat_map(|f| f.warnings.iter().map(|w| (&w.code, &w.message))),
                );
                for (code, message) in ws {
                    eprintln!("warning[{code}]: {message}");
                }
            }
            crate::render::csv_string(w).map_err(|e| CliError::cannot_write("CSV", e))
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

/// `impacts explain io LOG --center C …`: the derivation of each part of one log's footprint.
pub fn explain(engine: &Engine, a: &IoArgs) -> Result<String, CliError> {
    let usage = || {
        CliError::usage(
            "explain io takes one log and --center (the footprint of that log's I/O is what it explains)",
        )
    };
    let [path] = a.logs.as_slice() else {
        return Err(usage());
    };
    let opts = options(&a.common, true)?;
    let Some(site) = Site::of(engine, a, &opts)? else {
        return Err(usage());
    };
    let log = read_log(path)?;
    let io = impacts_io::characterize(&log);
    let records = accounting_records(a, std::iter::once(io.job.jobid))?;
    let series = grid_series(a)?;
    let (f, parts) = footprint(
        engine,
        a,
        &site,
        &io,
        records.get(&io.job.jobid.to_string()),
        series.as_ref(),
        &opts,
    )?;
    if parts.is_empty() {
        return Err(CliError::usage(format!(
            "{path}: nothing to explain: no I/O attributed to a storage system of {} and no nodes waiting (give --partition and a size, or --accounting)",
            site.center.name
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
                .map_err(|e| CliError::cannot_write("JSON", e))?;
            s.push('\n');
            Ok(s)
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let mut header_done = false;
            for (p, r) in &parts {
                let text = crate::render::explanation_csv(r)
                    .map_err(|e| CliError::cannot_write("CSV", e))?;
                let mut rd = csv::Reader::from_reader(text.as_bytes());
                let cannot = |e: csv::Error| CliError::cannot_write("CSV", e);
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
            crate::render::csv_string(w).map_err(|e| CliError::cannot_write("CSV", e))
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
