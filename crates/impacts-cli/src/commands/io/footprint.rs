//! The footprint of the I/O: the storage share of each file system's bytes, the nodes waiting
//! on I/O, per log and over a folder (docs/io.md, "The footprint of a job's I/O").

use super::*;

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
    pub(super) fn of(r: &Report) -> StorageShare {
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
    pub(super) fn new(engine: &Engine, opts: &impacts::Options) -> MadeWith {
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
    pub(super) fn lines(&self, out: &mut String) {
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

/// The center of a footprint: its file read and parsed once, the parsed center for the
/// attribution by mount point, and the source every estimate of the run is given.
pub(super) struct Site {
    pub(super) center: Center,
    pub(super) source: CenterSource,
}

impl Site {
    /// The `--center` of the arguments, if any.
    pub(super) fn of(
        engine: &Engine,
        a: &IoArgs,
        opts: &impacts::Options,
    ) -> Result<Option<Site>, CliError> {
        let Some(c) = &a.center else {
            return Ok(None);
        };
        let source = center_source(c)?;
        let center = engine.center(&source, &opts.method, a.zone.as_deref())?;
        Ok(Some(Site { center, source }))
    }
}

/// Where a file system's I/O is attributed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Target {
    /// A tier of the center file, found by mount point.
    Tier(String),
    /// A network file system that no tier lists: the method's HDD storage.
    DefaultHdd,
    /// Not attributed: the warning's code and the reason.
    Not(&'static str, &'static str),
}

impl Target {
    pub(super) fn of(center: &Center, mount: &str, fs_type: &str) -> Target {
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

    pub(super) fn label(&self) -> String {
        match self {
            Target::Tier(t) => format!("tier {t}"),
            Target::DefaultHdd => "default hdd".into(),
            Target::Not(_, why) => format!("not attributed: {why}"),
        }
    }

    /// The storage request's tier and medium, when attributed.
    pub(super) fn place(&self) -> Option<(Option<String>, Option<String>)> {
        match self {
            Target::Tier(t) => Some((Some(t.clone()), None)),
            Target::DefaultHdd => Some((None, Some("hdd".into()))),
            Target::Not(..) => None,
        }
    }

    /// The warning for `moved` bytes of `who` (a log, or a number of logs) on this file system.
    pub(super) fn warning(
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
pub(super) fn activity(
    engine: &Engine,
    a: &IoArgs,
    site: &Site,
    place: (Option<String>, Option<String>),
    read: f64,
    written: f64,
    opts: &impacts::Options,
) -> Result<Report, CliError> {
    Ok(engine.storage_activity(
        &StorageActivityRequest {
            read_gb: read / 1e9,
            written_gb: written / 1e9,
            center: Some(site.source.clone()),
            tier: place.0,
            media: place.1,
            zone: a.zone.clone(),
            redundancy: None,
            pue: None,
        },
        opts,
    )?)
}

/// Partition and the bits of nodes, cores and GPUs.
pub(super) type AllocationKey = (String, [Option<u64>; 3]);

/// A job's partition and size: nodes, cores, GPUs.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Allocation {
    pub(super) partition: String,
    pub(super) nodes: Option<f64>,
    pub(super) cores: Option<f64>,
    pub(super) gpus: Option<f64>,
    /// Where it comes from: `arguments`, `accounting FILE job ID`, or `one core per process`.
    pub(super) from: String,
}

impl Allocation {
    /// A key that orders and groups allocations.
    pub(super) fn key(&self) -> AllocationKey {
        (
            self.partition.clone(),
            [self.nodes, self.cores, self.gpus].map(|v| v.map(f64::to_bits)),
        )
    }
}

/// The allocation of a log's job: from its scheduler record when one was found (the
/// arguments override its partition and size), else from the arguments.
pub(super) fn allocation(
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
pub(super) fn accounting_records(
    a: &IoArgs,
    jobids: impl Iterator<Item = i64>,
) -> Result<std::collections::HashMap<String, impacts_accounting::record::JobRecord>, CliError> {
    let Some(file) = &a.accounting else {
        return Ok(Default::default());
    };
    let ids = jobids.map(|j| j.to_string()).collect();
    impacts_accounting::find_jobs(file, a.fields.as_deref(), &ids)
        .map_err(|e| CliError::usage(format!("--accounting: {e}")))
}

/// `impacts job` on the site's partition `alloc` for `hours`, at `grid`'s intensity when given.
pub(super) fn waiting_job(
    engine: &Engine,
    a: &IoArgs,
    site: &Site,
    alloc: &Allocation,
    hours: f64,
    grid: Option<impacts::GridFactor>,
    opts: &impacts::Options,
) -> Result<Report, CliError> {
    let req = impacts::JobRequest {
        center: site.source.clone(),
        partition: alloc.partition.clone(),
        node_type: a.node_type.clone(),
        nodes: alloc.nodes,
        cores: alloc.cores,
        gpus: alloc.gpus,
        memory_gb: None,
        hours,
        load: a.load,
        cpu_load: None,
        gpu_load: None,
        zone: a.zone.clone(),
        measured_energy_kwh: None,
        grid,
        pue: None,
    };
    Ok(engine.job(&req, opts)?)
}

/// The footprint of a log's I/O on `center`.
pub(super) fn footprint(
    engine: &Engine,
    a: &IoArgs,
    site: &Site,
    io: &IoReport,
    record: Option<&impacts_accounting::record::JobRecord>,
    series: Option<&impacts::impacts_grid::Series>,
    opts: &impacts::Options,
) -> Result<(IoFootprint, Vec<(String, Report)>), CliError> {
    let center = &site.center;
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
                    site,
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
            // The grid's mean intensity over the run, from the start Darshan recorded (at least
            // one second: whole seconds before format 3.41).
            let grid = match series {
                Some(series) => {
                    let (g, w) = engine.grid_factor(
                        series,
                        center,
                        io.job.start_time.floor() as i64,
                        io.job.run_time.max(1.0) / 3600.0,
                    )?;
                    warnings.extend(w);
                    g
                }
                None => None,
            };
            let r = waiting_job(engine, a, site, &alloc, hours, grid, opts)?;
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
    impacts::impacts_model::report::dedup_warnings(&mut warnings);
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

/// What a folder's footprint needs of each log, gathered as the logs stream by: bytes per
/// target and file system, and each job's I/O time.
#[derive(Default)]
pub(super) struct FolderIo {
    /// Per target: file systems, jobs, bytes read and written.
    targets:
        std::collections::BTreeMap<Target, (std::collections::BTreeSet<String>, usize, f64, f64)>,
    /// Per (target, mount, type): logs and bytes.
    pub(super) places: std::collections::BTreeMap<(Target, String, String), (usize, f64)>,
    /// Per log: job id, hours of the slowest rank's I/O, processes.
    pub(super) waits: Vec<(i64, f64, f64)>,
}

impl FolderIo {
    pub(super) fn add(&mut self, center: &Center, r: &IoReport) {
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
pub(super) fn summary_footprint(
    engine: &Engine,
    a: &IoArgs,
    site: &Site,
    io: FolderIo,
    records: &std::collections::HashMap<String, impacts_accounting::record::JobRecord>,
    opts: &impacts::Options,
) -> Result<SummaryFootprint, CliError> {
    let center = &site.center;
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
            let r = activity(engine, a, site, place, read, written, opts)?;
            row.share = Some(StorageShare::of(&r));
            warnings.extend(r.warnings.iter().cloned());
            parts.push(r);
        }
        storage.push(row);
    }
    let mut waiting_parts: Vec<Report> = Vec::new();
    for (alloc, hours) in groups.into_values() {
        if hours > 0.0 {
            waiting_parts.push(waiting_job(engine, a, site, &alloc, hours, None, opts)?);
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
                site,
                &alloc,
                unmatched_process_hours,
                None,
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
    impacts::impacts_model::report::dedup_warnings(&mut warnings);
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
