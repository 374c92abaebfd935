//! The human tables of `impacts io`: one log, and a folder's summary.

use super::*;
use impacts_io::characterize::AccessSizes;

/// Bytes, decimal units.
pub(super) fn bytes(b: f64) -> String {
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

pub(super) fn seconds(s: f64) -> String {
    if s >= 3600.0 {
        format!("{} h", sig3(s / 3600.0))
    } else {
        format!("{} s", sig3(s))
    }
}

pub(super) fn percent(x: f64) -> String {
    format!("{} %", sig3(100.0 * x))
}

pub(super) fn phase_line(name: &str, p: &Phase) -> String {
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

pub(super) fn periodicity_line(name: &str, p: Option<&Periodicity>) -> String {
    match p {
        None => format!("{name}: nothing moved"),
        Some(Periodicity {
            periodic: true,
            dominant: Some(d),
            p_value,
            ..
        }) => {
            format!(
                "{name}: periodic, every {} ({} Hz), confidence {}, p = {:.1e}",
                seconds(d.period_s),
                sig3(d.frequency_hz),
                percent(d.confidence),
                p_value
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

pub(super) fn table(out: &mut String, r: &IoReport, f: Option<&IoFootprint>) {
    job_lines(out, r);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Moved (POSIX + STDIO): {} read, {} written",
        bytes(r.bytes_read as f64),
        bytes(r.bytes_written as f64)
    );
    modules_table(out, r);
    let _ = writeln!(out);
    file_systems_table(out, r);
    let _ = writeln!(out);
    operation_lines(out, r);
    access_size_lines(out, &r.access_sizes);
    time_and_file_lines(out, r);
    timeline_lines(out, r);
    if let Some(f) = f {
        footprint_lines(out, r, f);
    }
    let ws = r
        .warnings
        .iter()
        .map(|w| (w.code.as_str(), w.message.as_str()))
        .chain(f.iter().flat_map(|f| crate::render::pairs(&f.warnings)));
    crate::render::warnings_block(out, false, ws);
}

/// The log (format, byte order, partial) and the job (id, user, processes, run time, command).
fn job_lines(out: &mut String, r: &IoReport) {
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
}

/// One row per module: records, shared records, bytes read and written (`-` where unknown).
fn modules_table(out: &mut String, r: &IoReport) {
    if r.modules.is_empty() {
        let _ = writeln!(out, "Modules: none (Darshan recorded no I/O module)");
        return;
    }
    let mut rows = vec![header(["Module", "records", "shared", "read", "written"])];
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
}

/// A file system's type, `-` for the groups of names that have none.
fn fs_type_cell(fs_type: &str) -> String {
    if fs_type.is_empty() {
        "-".into()
    } else {
        fs_type.to_string()
    }
}

/// One row per file system the job used: bytes, files, I/O time.
fn file_systems_table(out: &mut String, r: &IoReport) {
    if r.file_systems.is_empty() {
        let _ = writeln!(out, "File systems: none (no POSIX or STDIO record)");
        return;
    }
    let mut rows = vec![header([
        "File system",
        "type",
        "read",
        "written",
        "files",
        "I/O time",
    ])];
    for fs in &r.file_systems {
        rows.push([
            fs.mount.clone(),
            fs_type_cell(&fs.fs_type),
            bytes(fs.bytes_read as f64),
            bytes(fs.bytes_written as f64),
            fs.files.to_string(),
            seconds(fs.io_time_s),
        ]);
    }
    columns(out, &rows);
}

/// The operation counts, and the MPI-IO calls when the job used MPI-IO.
fn operation_lines(out: &mut String, r: &IoReport) {
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
}

/// The access sizes: the non-empty buckets of reads and writes, and the most common sizes.
fn access_size_lines(out: &mut String, s: &AccessSizes) {
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
}

/// The I/O time, the files (with those that moved the most), the ranks and the metadata load.
fn time_and_file_lines(out: &mut String, r: &IoReport) {
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
    if !r.top_files.is_empty() {
        let _ = writeln!(out, "Files that moved the most:");
        for f in &r.top_files {
            let _ = writeln!(
                out,
                "  {}: {} read, {} written, {} of I/O{}",
                f.name,
                bytes(f.bytes_read as f64),
                bytes(f.bytes_written as f64),
                seconds(f.io_time_s),
                if f.shared { ", shared" } else { "" }
            );
        }
    }
    let _ = writeln!(
        out,
        "Metadata: {} operations, {}, {} per second of run",
        r.metadata.operations,
        seconds(r.metadata.time_s),
        sig3(r.metadata.per_second)
    );
}

/// When in the run the job read and wrote, and how periodically, when the log has a timeline.
fn timeline_lines(out: &mut String, r: &IoReport) {
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
}

/// The footprint of the job's I/O on the center: its share of each storage system and of the
/// nodes waiting on I/O, the file systems not costed, and how it was made.
fn footprint_lines(out: &mut String, r: &IoReport, f: &IoFootprint) {
    let _ = writeln!(out);
    let _ = writeln!(out, "Footprint of the I/O on {}:", f.center);
    let waiting = seconds(r.time.io_share * r.job.run_time);
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
        rows.push((format!("nodes waiting {waiting}"), &w.impacts));
    }
    footprint_grid(out, &rows, &f.impacts);
    for s in f.storage.iter().filter(|s| s.share.is_none()) {
        let _ = writeln!(out, "  {}: {}", s.mount, s.attributed_to);
    }
    if f.waiting.is_none() {
        let _ = writeln!(
            out,
            "  nodes waiting on I/O: {waiting} (give --partition and --nodes, --cores or --gpus for their footprint)"
        );
    }
    f.made_with.lines(out);
}

/// The parts of a footprint and their total, one row each.
pub(super) fn footprint_grid(
    out: &mut String,
    rows: &[(String, &OrderedMap<Estimate>)],
    total: &OrderedMap<Estimate>,
) {
    let rows = rows
        .iter()
        .map(|(label, im)| {
            (
                label.clone(),
                im.iter().map(|(_, e)| estimate_cell(e)).collect(),
            )
        })
        .collect();
    grid_with_total(out, rows, total);
}

pub(super) fn or_none(s: String) -> String {
    if s.is_empty() {
        "none".into()
    } else {
        s
    }
}

/// The header row of a table of [`columns`].
fn header<const N: usize>(names: [&str; N]) -> [String; N] {
    names.map(String::from)
}

/// Left-aligned first column, right-aligned others.
pub(super) fn columns<const N: usize>(out: &mut String, rows: &[[String; N]]) {
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

pub(super) fn share(n: usize, of: usize) -> String {
    if of == 0 {
        format!("{n}")
    } else {
        format!("{n} ({})", percent(n as f64 / of as f64))
    }
}

pub(super) fn summary_table(s: &Summary, fp: Option<&SummaryFootprint>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Darshan logs under {}: {} found, {} read, {} not read",
        s.folder,
        s.logs,
        s.read,
        s.failures.len()
    );
    let _ = writeln!(out);
    behaviour_lines(&mut out, s);
    // Quantiles and decades of nothing would print zeros that are not measurements.
    if s.read > 0 {
        let _ = writeln!(out);
        per_job_table(&mut out, s);
        let _ = writeln!(out);
        volume_decades_table(&mut out, s);
    }
    if !s.warnings.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Warnings (logs): {}", classes(&s.warnings));
    }
    if !s.file_systems.is_empty() {
        let _ = writeln!(out);
        summary_file_systems_table(&mut out, s);
    }
    if let Some(f) = fp {
        summary_footprint_lines(&mut out, s, f);
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

/// Counts by class (`class count, ...`), in the classes' order.
fn classes(m: &std::collections::BTreeMap<String, usize>) -> String {
    m.iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How the jobs behave: without I/O, periodic, end-only writers and start-only readers, shared
/// files, MPI-IO, when they read and write, and where their timelines come from.
fn behaviour_lines(out: &mut String, s: &Summary) {
    let n = s.read;
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
}

/// The quantiles of the jobs' volumes, run times and I/O shares (no total for the shares).
fn per_job_table(out: &mut String, s: &Summary) {
    let mut rows = vec![header([
        "Per job", "min", "p25", "median", "p75", "p90", "max", "total",
    ])];
    let cells =
        |name: &str, q: &Option<impacts_io::summary::Quantiles>, f: &dyn Fn(f64) -> String| {
            q.as_ref().map(|q| {
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
            })
        };
    rows.extend(cells("bytes read", &s.bytes_read.quantiles, &bytes));
    rows.extend(cells("bytes written", &s.bytes_written.quantiles, &bytes));
    rows.extend(cells("run time", &s.run_time, &seconds));
    if let Some(mut share_row) = cells("I/O share of run", &s.io_share, &percent) {
        share_row[7] = "-".into();
        rows.push(share_row);
    }
    columns(out, &rows);
}

/// The jobs by decade of the bytes they read and wrote.
fn volume_decades_table(out: &mut String, s: &Summary) {
    let [d0, d1, d2, d3, d4] = DECADES;
    let mut rows = vec![header(["Jobs by volume", d0, d1, d2, d3, d4])];
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
    columns(out, &rows);
}

/// One row per file system the jobs used, most bytes moved first: jobs, bytes read and written.
fn summary_file_systems_table(out: &mut String, s: &Summary) {
    let mut rows = vec![header(["File system", "type", "jobs", "read", "written"])];
    let mut fss: Vec<(&String, &impacts_io::summary::FileSystemTotal)> =
        s.file_systems.iter().collect();
    fss.sort_by(|a, b| {
        (b.1.bytes_read + b.1.bytes_written)
            .total_cmp(&(a.1.bytes_read + a.1.bytes_written))
            .then(a.0.cmp(b.0))
    });
    for (_, t) in fss {
        rows.push([
            t.mount.clone(),
            fs_type_cell(&t.fs_type),
            t.jobs.to_string(),
            bytes(t.bytes_read),
            bytes(t.bytes_written),
        ]);
    }
    columns(out, &rows);
}

/// The footprint of the jobs' I/O on the center: their share of each storage system and of the
/// nodes waiting on I/O, the storage not costed, how waiting was costed, how it was made, and
/// its warnings.
fn summary_footprint_lines(out: &mut String, s: &Summary, f: &SummaryFootprint) {
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
    footprint_grid(out, &rows, &f.impacts);
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
    f.made_with.lines(out);
    crate::render::warnings_block(out, false, crate::render::pairs(&f.warnings));
}
