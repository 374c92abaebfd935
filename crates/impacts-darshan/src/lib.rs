//! A reader of Darshan logs (format versions 3.00 to 3.41, both byte orders, zlib and bzip2),
//! written from the format's description in docs/darshan.md. Pure Rust.
//!
//! [`Log::read`] parses the header, the job record with its command line and mount table, the
//! name records, and keeps each module's region decompressed; [`Log::records`] walks a module's
//! records, up-converted to the module's current layout: counters (named in [`counters`]), DXT
//! segments, heatmap bins, Lustre layouts.

#![warn(missing_docs)]

use std::collections::BTreeMap;

use std::io::Read;

use serde::Serialize;

pub mod counters;
mod records;

pub use impacts_error::{InputError, Location};
pub use records::{Bins, LustreComponent, Record, Segment};

/// An error reading a log: what is wrong, and where (the log's file and its region: `header`,
/// `POSIX region`, ...).
pub type DarshanError = InputError;

fn located(file: &str, place: &str, message: String) -> DarshanError {
    InputError::malformed(message).at(Location::region(file, place))
}

/// The magic number of a log (in the byte order of the machine that wrote it).
pub const MAGIC: i64 = 6_567_223;

/// Module names by id, in the current numbering.
pub const MODULES: [&str; 18] = [
    "NULL",
    "POSIX",
    "MPI-IO",
    "H5F",
    "H5D",
    "PNETCDF_FILE",
    "PNETCDF_VAR",
    "BG/Q",
    "LUSTRE",
    "STDIO",
    "DXT_POSIX",
    "DXT_MPIIO",
    "MDHIM",
    "APXC",
    "APMPI",
    "HEATMAP",
    "DFS",
    "DAOS",
];

/// Module ids used here.
pub mod id {
    /// POSIX.
    pub const POSIX: usize = 1;
    /// MPI-IO.
    pub const MPIIO: usize = 2;
    /// H5F.
    pub const H5F: usize = 3;
    /// H5D (absent before format 3.20).
    pub const H5D: usize = 4;
    /// PNETCDF_FILE.
    pub const PNETCDF_FILE: usize = 5;
    /// PNETCDF_VAR (absent before format 3.41).
    pub const PNETCDF_VAR: usize = 6;
    /// BG/Q.
    pub const BGQ: usize = 7;
    /// LUSTRE.
    pub const LUSTRE: usize = 8;
    /// STDIO.
    pub const STDIO: usize = 9;
    /// DXT_POSIX.
    pub const DXT_POSIX: usize = 10;
    /// DXT_MPIIO.
    pub const DXT_MPIIO: usize = 11;
    /// HEATMAP.
    pub const HEATMAP: usize = 15;
}

/// Compression of the regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    /// zlib (type 0).
    Zlib,
    /// bzip2 (type 1).
    Bzip2,
    /// None (type 2).
    None,
}

/// The job record.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Job {
    /// User id.
    pub uid: i64,
    /// Start (s since 1970).
    pub start_time_sec: i64,
    /// Nanoseconds of the start (format 3.41; 0 before).
    pub start_time_nsec: i64,
    /// End (s).
    pub end_time_sec: i64,
    /// Nanoseconds of the end.
    pub end_time_nsec: i64,
    /// Processes.
    pub nprocs: i64,
    /// Scheduler's job id.
    pub jobid: i64,
    /// Run time (s): with nanoseconds from 3.41, end − start + 1 before (as Darshan's tools count it).
    pub run_time: f64,
    /// `key=value` metadata.
    pub metadata: BTreeMap<String, String>,
}

/// A mount of the job's nodes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mount {
    /// File system type (`lustre`, `gpfs`, `nfs`, ...).
    pub fs_type: String,
    /// Mount point.
    pub path: String,
}

/// A module's region.
#[derive(Clone, Debug)]
pub struct Module {
    /// Id (current numbering).
    pub id: usize,
    /// Record layout version.
    pub version: u32,
    /// True when the runtime ran out of memory for this module: some records are missing.
    pub partial: bool,
    /// The region, decompressed.
    pub data: Vec<u8>,
}

impl Module {
    /// The module's name.
    pub fn name(&self) -> &'static str {
        MODULES.get(self.id).copied().unwrap_or("UNKNOWN")
    }
}

/// A log.
#[derive(Clone, Debug)]
pub struct Log {
    /// File name.
    pub file: String,
    /// Size in bytes.
    pub size: u64,
    /// Format version (`3.41`).
    pub version: String,
    /// Written on a big-endian machine.
    pub big_endian: bool,
    /// Compression.
    pub compression: Compression,
    /// The job.
    pub job: Job,
    /// The command line.
    pub exe: String,
    /// The mount table.
    pub mounts: Vec<Mount>,
    /// Names of the records (files, datasets, heatmaps), by record id.
    pub names: BTreeMap<u64, String>,
    /// Modules present, by id.
    pub modules: Vec<Module>,
}

struct Bytes<'a> {
    data: &'a [u8],
    big: bool,
}

impl Bytes<'_> {
    fn u64_at(&self, at: usize) -> Option<u64> {
        let b: [u8; 8] = self.data.get(at..at + 8)?.try_into().ok()?;
        Some(if self.big {
            u64::from_be_bytes(b)
        } else {
            u64::from_le_bytes(b)
        })
    }
    fn i64_at(&self, at: usize) -> Option<i64> {
        self.u64_at(at).map(|v| v as i64)
    }
    fn u32_at(&self, at: usize) -> Option<u32> {
        let b: [u8; 4] = self.data.get(at..at + 4)?.try_into().ok()?;
        Some(if self.big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }
    fn f64_at(&self, at: usize) -> Option<f64> {
        self.u64_at(at).map(f64::from_bits)
    }
}

/// Inserts an empty module slot at `at` (a module added to the format later), shifting the slots
/// and the partial flags above it.
fn insert_slot(maps: &mut [(u64, u64)], vers: &mut [u32], partial: &mut u64, at: usize) {
    let n = maps.len();
    maps.copy_within(at..n - 1, at + 1);
    vers.copy_within(at..n - 1, at + 1);
    maps[at] = (0, 0);
    vers[at] = 0;
    let low = *partial & ((1u64 << at) - 1);
    let high = (*partial << 1) & !((1u64 << (at + 1)) - 1);
    *partial = low | high;
}

impl Log {
    /// Reads a log file.
    pub fn read(path: &str) -> Result<Log, DarshanError> {
        let data = std::fs::read(path).map_err(|e| {
            InputError::unreadable(format!("cannot read: {e}")).at(Location::file(path))
        })?;
        Log::parse(path, &data)
    }

    /// Parses a log's bytes, named `file` in errors.
    pub fn parse(file: &str, data: &[u8]) -> Result<Log, DarshanError> {
        let (version, minor) = format_version(file, data)?;
        let big = byte_order(file, data)?;
        let header = Header::read(file, data, &version, minor, big)?;
        let regions = Regions {
            file,
            data,
            compression: header.compression,
        };
        let job_data = job_region(file, &regions, &header)?;
        let (job, exe, mounts) = job_record(file, &job_data, big, minor >= 41)?;
        let names = names(file, &regions, header.name_map, big, minor)?;
        let modules = modules(&regions, &header)?;
        Ok(Log {
            file: file.to_string(),
            size: data.len() as u64,
            version,
            big_endian: big,
            compression: header.compression,
            job,
            exe,
            mounts,
            names,
            modules,
        })
    }

    /// A module by id.
    pub fn module(&self, id: usize) -> Option<&Module> {
        self.modules.iter().find(|m| m.id == id)
    }
}

pub(crate) fn c_string(b: &[u8]) -> String {
    let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// The format version of a log (`3.41`) and its minor number, from the first 8 bytes; an error
/// for a file too short for a header, one that is not a log, or a format this reader does not
/// support.
fn format_version(file: &str, data: &[u8]) -> Result<(String, u32), DarshanError> {
    if data.len() < 16 {
        return Err(located(
            file,
            "header",
            format!("{} bytes: too short for a Darshan log", data.len()),
        ));
    }
    let version: String = data[..8]
        .iter()
        .take_while(|b| **b != 0)
        .map(|b| *b as char)
        .collect();
    let (major, minor) = match version
        .split_once('.')
        .map(|(a, b)| (a.parse::<u32>(), b.parse::<u32>()))
    {
        Some((Ok(a), Ok(b))) => (a, b),
        _ => {
            return Err(located(
                file,
                "header",
                format!("not a Darshan log: version '{}'", version.escape_default()),
            ))
        }
    };
    if !(major == 3 && matches!(minor, 0 | 10 | 20 | 21 | 41)) {
        return Err(located(
            file,
            "header",
            format!("format {version} is not supported: expected 3.00, 3.10, 3.20, 3.21 or 3.41"),
        ));
    }
    Ok((version, minor))
}

/// Whether the log was written on a big-endian machine: the byte order in which its magic
/// number (bytes 8 to 16, at least 16 bytes given) reads right.
fn byte_order(file: &str, data: &[u8]) -> Result<bool, DarshanError> {
    let le = i64::from_le_bytes(data[8..16].try_into().unwrap_or([0; 8]));
    let be = i64::from_be_bytes(data[8..16].try_into().unwrap_or([0; 8]));
    if le == MAGIC {
        Ok(false)
    } else if be == MAGIC {
        Ok(true)
    } else {
        Err(located(
            file,
            "header",
            "bad magic number: not a Darshan log, or a damaged one".into(),
        ))
    }
}

/// What the header says: where the regions lie, how they are compressed, and the modules' layout
/// versions and partial flags, in the current numbering of the modules.
struct Header {
    /// Its length: the job region starts there.
    len: usize,
    /// Compression of the regions.
    compression: Compression,
    /// Partial flags, one bit per module id.
    partial: u64,
    /// The name region: offset and length.
    name_map: (u64, u64),
    /// The modules' regions by id: offset and length (0 for a module absent).
    maps: Vec<(u64, u64)>,
    /// The modules' record layout versions by id.
    vers: Vec<u32>,
}

impl Header {
    /// Reads the header of a log of format `version` (3.`minor`), in the byte order `big`;
    /// module slots added to the format after it are inserted, empty.
    fn read(
        file: &str,
        data: &[u8],
        version: &str,
        minor: u32,
        big: bool,
    ) -> Result<Header, DarshanError> {
        let b = Bytes { data, big };
        let (len, n_mods, partial, name_at, maps_at, vers_at) = if minor >= 41 {
            (
                1328usize,
                64usize,
                b.u64_at(24),
                32usize,
                48usize,
                1072usize,
            )
        } else {
            (360, 16, b.u32_at(20).map(u64::from), 24, 40, 296)
        };
        if data.len() < len {
            return Err(located(
                file,
                "header",
                format!(
                    "{} bytes: shorter than the {len}-byte header of format {version}",
                    data.len()
                ),
            ));
        }
        let compression = match data[16] {
            0 => Compression::Zlib,
            1 => Compression::Bzip2,
            2 => Compression::None,
            c => {
                return Err(located(
                    file,
                    "header",
                    format!("unknown compression type {c}"),
                ))
            }
        };
        let mut partial = partial.unwrap_or(0);
        let name_map = (
            b.u64_at(name_at).unwrap_or(0),
            b.u64_at(name_at + 8).unwrap_or(0),
        );
        let mut maps = vec![(0u64, 0u64); 64];
        let mut vers = vec![0u32; 64];
        for i in 0..n_mods {
            maps[i] = (
                b.u64_at(maps_at + 16 * i).unwrap_or(0),
                b.u64_at(maps_at + 16 * i + 8).unwrap_or(0),
            );
            vers[i] = b.u32_at(vers_at + 4 * i).unwrap_or(0);
        }
        if minor < 20 {
            insert_slot(&mut maps, &mut vers, &mut partial, id::H5D);
        }
        if minor < 41 {
            insert_slot(&mut maps, &mut vers, &mut partial, id::PNETCDF_VAR);
        }
        Ok(Header {
            len,
            compression,
            partial,
            name_map,
            maps,
            vers,
        })
    }
}

/// A log's bytes, to take its regions from.
struct Regions<'a> {
    /// The log's name, for errors.
    file: &'a str,
    /// Its bytes.
    data: &'a [u8],
    /// The compression of its regions.
    compression: Compression,
}

impl Regions<'_> {
    /// The region of `len` bytes at `off`, decompressed; `name` (`job region`, ...) places errors.
    fn read(&self, name: &str, off: u64, len: u64) -> Result<Vec<u8>, DarshanError> {
        let size = self.data.len() as u64;
        let end = off.checked_add(len).filter(|e| *e <= size).ok_or_else(|| {
            located(self.file, name, format!("the region ({len} bytes at {off}) runs past the end of the file ({size} bytes): truncated log"))
        })?;
        decompress(&self.data[off as usize..end as usize], self.compression)
            .map_err(|m| located(self.file, name, m))
    }
}

/// The job region, decompressed: from the end of the header to where the next region starts.
fn job_region(file: &str, regions: &Regions, header: &Header) -> Result<Vec<u8>, DarshanError> {
    let job_off = header.len as u64;
    let job_end = if header.name_map.0 != 0 {
        header.name_map.0
    } else {
        header
            .maps
            .iter()
            .map(|m| m.0)
            .find(|o| *o != 0)
            .unwrap_or(regions.data.len() as u64)
    };
    if job_end < job_off {
        return Err(located(
            file,
            "job",
            "the region map overlaps the header".into(),
        ));
    }
    regions.read("job region", job_off, job_end - job_off)
}

/// The job record of a job region (of format 3.41 when `new`), with the command line and the
/// mount table that follow it.
fn job_record(
    file: &str,
    job_data: &[u8],
    big: bool,
    new: bool,
) -> Result<(Job, String, Vec<Mount>), DarshanError> {
    let jb = Bytes {
        data: job_data,
        big,
    };
    let (fields, meta_at) = if new { (7usize, 56usize) } else { (5, 40) };
    if job_data.len() < meta_at + 1024 {
        return Err(located(
            file,
            "job region",
            format!("{} bytes: too short for the job record", job_data.len()),
        ));
    }
    let v: Vec<i64> = (0..fields).map(|i| jb.i64_at(8 * i).unwrap_or(0)).collect();
    let mut job = job_fields(&v, new);
    let meta = c_string(&job_data[meta_at..meta_at + 1024]);
    for line in meta.lines() {
        if let Some((k, v)) = line.split_once('=') {
            job.metadata.insert(k.to_string(), v.to_string());
        }
    }
    let trailing = c_string(&job_data[meta_at + 1024..]);
    let mut lines = trailing.split('\n');
    let exe = lines.next().unwrap_or("").to_string();
    let mounts = mount_table(file, lines)?;
    Ok((job, exe, mounts))
}

/// The job from the record's leading fields `v` (7 of format 3.41 when `new`, 5 before), with its
/// run time.
fn job_fields(v: &[i64], new: bool) -> Job {
    let mut job = if new {
        Job {
            uid: v[0],
            start_time_sec: v[1],
            start_time_nsec: v[2],
            end_time_sec: v[3],
            end_time_nsec: v[4],
            nprocs: v[5],
            jobid: v[6],
            ..Job::default()
        }
    } else {
        Job {
            uid: v[0],
            start_time_sec: v[1],
            end_time_sec: v[2],
            nprocs: v[3],
            jobid: v[4],
            ..Job::default()
        }
    };
    job.run_time = if new {
        (job.end_time_sec as f64 + job.end_time_nsec as f64 / 1e9)
            - (job.start_time_sec as f64 + job.start_time_nsec as f64 / 1e9)
    } else {
        job.end_time_sec as f64 - job.start_time_sec as f64 + 1.0
    };
    job
}

/// The mount table: one `type path` a line, blank lines skipped.
fn mount_table<'a>(
    file: &str,
    lines: impl Iterator<Item = &'a str>,
) -> Result<Vec<Mount>, DarshanError> {
    let mut mounts = Vec::new();
    for l in lines {
        let mut parts = l.split_whitespace();
        match (parts.next(), parts.next()) {
            (Some(t), Some(p)) => mounts.push(Mount {
                fs_type: t.to_string(),
                path: p.to_string(),
            }),
            (None, _) => {}
            (Some(_), None) => {
                return Err(located(
                    file,
                    "job region",
                    format!("malformed mount table line '{l}': expected a type and a path"),
                ))
            }
        }
    }
    Ok(mounts)
}

/// The names of the records, by record id, from the name region (`name_map`: offset and length):
/// length-prefixed in format 3.00, NUL-terminated after (the first non-empty name of an id kept).
fn names(
    file: &str,
    regions: &Regions,
    name_map: (u64, u64),
    big: bool,
    minor: u32,
) -> Result<BTreeMap<u64, String>, DarshanError> {
    let mut names = BTreeMap::new();
    if name_map.1 == 0 {
        return Ok(names);
    }
    let cut_short = || located(file, "name region", "a name record is cut short".into());
    let nd = regions.read("name region", name_map.0, name_map.1)?;
    let nb = Bytes { data: &nd, big };
    let mut at = 0usize;
    while at + 8 < nd.len() {
        let rid = nb.u64_at(at).unwrap_or(0);
        if minor == 0 {
            let len = nb.u32_at(at + 8).ok_or_else(cut_short)? as usize;
            let s = nd.get(at + 12..at + 12 + len).ok_or_else(cut_short)?;
            names.insert(rid, String::from_utf8_lossy(s).into_owned());
            at += 12 + len;
        } else {
            let rest = &nd[at + 8..];
            let end = rest
                .iter()
                .position(|c| *c == 0)
                .ok_or_else(|| located(file, "name region", "a name record has no end".into()))?;
            let name = String::from_utf8_lossy(&rest[..end]).into_owned();
            match names.get(&rid) {
                Some(old) if !old.is_empty() => {}
                _ => {
                    names.insert(rid, name);
                }
            }
            at += 8 + end + 1;
        }
    }
    Ok(names)
}

/// The modules present (a region of some length), their regions decompressed.
fn modules(regions: &Regions, header: &Header) -> Result<Vec<Module>, DarshanError> {
    let mut modules = Vec::new();
    for (i, (off, len)) in header.maps.iter().enumerate() {
        if *len == 0 {
            continue;
        }
        let name = MODULES.get(i).copied().unwrap_or("unknown module");
        let d = regions.read(&format!("{name} region"), *off, *len)?;
        modules.push(Module {
            id: i,
            version: header.vers[i],
            partial: header.partial & (1u64 << i) != 0,
            data: d,
        });
    }
    Ok(modules)
}

/// Decompresses a region: zlib streams laid end to end (each one restarted where the previous
/// ends), bzip2 streams likewise, or the bytes as they are.
pub fn decompress(input: &[u8], c: Compression) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match c {
        Compression::None => out.extend_from_slice(input),
        Compression::Zlib => {
            let mut rest = input;
            while !rest.is_empty() {
                let mut d = flate2::bufread::ZlibDecoder::new(rest);
                let mut chunk = [0u8; 1 << 16];
                loop {
                    match d.read(&mut chunk) {
                        Ok(0) => break,
                        Ok(k) => out.extend_from_slice(&chunk[..k]),
                        Err(e)
                            if e.kind() == std::io::ErrorKind::UnexpectedEof
                                && d.total_in() as usize >= rest.len() =>
                        {
                            // The region's bytes are used up without an end mark: some runtimes
                            // flush the stream without finishing it. Like the official reader,
                            // keep what the bytes decode to.
                            break;
                        }
                        Err(e) => return Err(format!("corrupt zlib data: {e}")),
                    }
                }
                let used = d.total_in() as usize;
                if used == 0 {
                    return Err("the zlib stream cannot be decoded: damaged region".into());
                }
                rest = &rest[used.min(rest.len())..];
            }
        }
        Compression::Bzip2 => {
            let mut d = bzip2::read::MultiBzDecoder::new(input);
            d.read_to_end(&mut out)
                .map_err(|e| format!("corrupt bzip2 data: {e}"))?;
        }
    }
    Ok(out)
}
