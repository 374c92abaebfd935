//! Module records: their layouts by module and version, and the up-conversion of older layouts to
//! the current one (docs/darshan.md, "Module records").

use serde::Serialize;

use crate::{counters, id, Bytes, DarshanError, Log, Module};

/// A record of a module, up-converted to the module's current layout.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Record {
    /// Record id (its name is in [`Log::names`]).
    pub id: u64,
    /// Rank, −1 for a record shared by all ranks.
    pub rank: i64,
    /// Integer counters, named by the module's `COUNTERS` in [`crate::counters`] (empty for DXT,
    /// HEATMAP and LUSTRE). A counter the record's version did not have is −1, as Darshan's tools
    /// fill it.
    pub counters: Vec<i64>,
    /// Floating-point counters, named by the module's `F_COUNTERS`.
    pub fcounters: Vec<f64>,
    /// The file record a dataset or variable belongs to (H5D, PNETCDF_VAR; 0 when the record's
    /// version did not say).
    pub file_rec_id: Option<u64>,
    /// Bytes read (0 when the module does not count them, or did not in this version).
    pub bytes_read: i64,
    /// Bytes written.
    pub bytes_written: i64,
    /// DXT: the host that traced the operations.
    pub hostname: String,
    /// DXT segments, writes first, then reads (as stored).
    pub segments: Vec<Segment>,
    /// Heatmap bins.
    pub bins: Option<Bins>,
    /// LUSTRE: the file's layout components.
    pub lustre: Vec<LustreComponent>,
}

impl Record {
    /// An integer counter by index (see [`crate::counters`]); 0 when the record has none there.
    pub fn c(&self, i: usize) -> i64 {
        self.counters.get(i).copied().unwrap_or(0)
    }

    /// A floating-point counter by index; 0 when the record has none there.
    pub fn f(&self, i: usize) -> f64 {
        self.fcounters.get(i).copied().unwrap_or(0.0)
    }
}

/// One traced operation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Segment {
    /// A write (else a read).
    pub write: bool,
    /// Offset in the file (−1 when the format did not record it: DXT_MPIIO version 1).
    pub offset: i64,
    /// Bytes.
    pub length: i64,
    /// Start (s since the job's start).
    pub start: f64,
    /// End.
    pub end: f64,
    /// The thread that made it (0 before DXT_POSIX 2 and DXT_MPIIO 3).
    pub thread: u64,
}

/// A heatmap: bytes read and written per time bin.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bins {
    /// Bin width (s).
    pub width: f64,
    /// Bytes read per bin.
    pub read: Vec<i64>,
    /// Bytes written per bin.
    pub write: Vec<i64>,
}

/// A component of a Lustre file layout.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LustreComponent {
    /// Counters named by [`counters::lustre::COUNTERS`] (stripe size, stripe count, pattern,
    /// flags, extent start and end, mirror id).
    pub counters: Vec<i64>,
    /// OST pool.
    pub pool_name: String,
    /// The OSTs of its stripes.
    pub ost_ids: Vec<i64>,
}

/// The on-disk shape of a fixed-size record: after the base record (id, rank), `head` bytes
/// (a file record id, or padding), then `ints` i64 and `doubles` f64 counters.
#[derive(Clone, Copy)]
struct Fixed {
    head: usize,
    file_rec: bool,
    ints: usize,
    doubles: usize,
}

impl Fixed {
    const fn new(ints: usize, doubles: usize) -> Fixed {
        Fixed {
            head: 0,
            file_rec: false,
            ints,
            doubles,
        }
    }
    fn size(&self) -> usize {
        16 + self.head + 8 * (self.ints + self.doubles)
    }
}

/// The layout of a counter module's record at a version, or why it cannot be read; `None` for
/// modules that are not counter modules.
fn fixed_layout(module: usize, version: u32) -> Option<Result<Fixed, String>> {
    let current = |m: usize| -> u32 {
        match m {
            id::POSIX => 4,
            id::MPIIO => 3,
            id::STDIO => 2,
            id::H5F => 3,
            id::H5D => 2,
            id::PNETCDF_FILE => 3,
            id::PNETCDF_VAR => 1,
            id::BGQ => 2,
            _ => 0,
        }
    };
    let with_file = |f: Fixed| Fixed {
        head: 8,
        file_rec: true,
        ..f
    };
    let layout = match (module, version) {
        (id::POSIX, 1) => Fixed::new(68, 15),
        (id::POSIX, 2) => Fixed::new(64, 15),
        (id::POSIX, 3) => Fixed::new(64, 17),
        (id::POSIX, 4) => Fixed::new(69, 17),
        (id::MPIIO, 1 | 2) => Fixed::new(51, 15),
        (id::MPIIO, 3) => Fixed::new(51, 17),
        (id::STDIO, 1) => Fixed::new(13, 15),
        (id::STDIO, 2) => Fixed::new(14, 15),
        (id::H5F, 1) => Fixed::new(1, 2),
        (id::H5F, 2) => Fixed::new(1, 4),
        (id::H5F, 3) => Fixed::new(3, 5),
        (id::H5D, 1) => Fixed::new(94, 17),
        (id::H5D, 2) => with_file(Fixed::new(94, 17)),
        (id::PNETCDF_FILE, 1) => Fixed::new(2, 2),
        (id::PNETCDF_FILE, 2) => Fixed::new(2, 4),
        (id::PNETCDF_FILE, 3) => Fixed::new(9, 8),
        (id::PNETCDF_VAR, 1) => with_file(Fixed::new(120, 17)),
        // Version 1 kept an int and its padding before the counters.
        (id::BGQ, 1) => Fixed {
            head: 8,
            ..Fixed::new(11, 1)
        },
        (id::BGQ, 2) => Fixed::new(11, 1),
        (
            id::POSIX
            | id::MPIIO
            | id::STDIO
            | id::H5F
            | id::H5D
            | id::PNETCDF_FILE
            | id::PNETCDF_VAR
            | id::BGQ,
            v,
        ) => {
            return Some(Err(format!(
                "record version {v} is not one this reader knows (1 to {})",
                current(module)
            )))
        }
        _ => return None,
    };
    Some(Ok(layout))
}

/// Brings counters read in an older layout to the current one, as Darshan's tools do: counters
/// added since are inserted with −1 (0 for POSIX_RENAMED_FROM, an id), counters that moved are
/// moved, and PNETCDF_FILE's independent and collective opens become one count.
fn upconvert(module: usize, version: u32, ints: &mut Vec<i64>, doubles: &mut Vec<f64>) {
    match module {
        id::POSIX => {
            if version == 1 {
                // Four STDIO counters (fopens, freads, fwrites, fseeks) sat after MMAPS.
                ints.drain(6..10);
            }
            if version <= 2 {
                doubles.insert(3, -1.0); // F_CLOSE_START_TIMESTAMP
                doubles.insert(4, -1.0); // F_OPEN_END_TIMESTAMP
            }
            if version <= 3 {
                ints.insert(1, -1); // FILENOS
                ints.insert(2, -1); // DUPS
                ints.insert(10, -1); // RENAME_SOURCES
                ints.insert(11, -1); // RENAME_TARGETS
                ints.insert(12, 0); // RENAMED_FROM
            }
        }
        id::MPIIO if version <= 2 => {
            doubles.insert(3, -1.0);
            doubles.insert(4, -1.0);
        }
        id::STDIO if version == 1 => ints.insert(1, -1), // FDOPENS
        id::H5F => {
            if version == 1 {
                doubles.insert(1, -1.0);
                doubles.insert(2, -1.0);
            }
            if version <= 2 {
                ints.insert(1, -1); // FLUSHES
                ints.insert(2, -1); // USE_MPIIO
                doubles.push(-1.0); // F_META_TIME
            }
        }
        id::PNETCDF_FILE => {
            if version == 1 {
                doubles.insert(1, -1.0);
                doubles.insert(2, -1.0);
            }
            if version <= 2 {
                // Version 2: independent opens, collective opens; open start, close start, open
                // end, close end.
                let opens = ints[0].wrapping_add(ints[1]);
                *ints = vec![-1; counters::pnetcdf_file::COUNTERS.len()];
                ints[counters::pnetcdf_file::OPENS] = opens;
                let d = doubles.clone();
                *doubles = vec![-1.0; counters::pnetcdf_file::F_COUNTERS.len()];
                doubles[counters::pnetcdf_file::F_OPEN_START_TIMESTAMP] = d[0];
                doubles[counters::pnetcdf_file::F_CLOSE_START_TIMESTAMP] = d[1];
                doubles[counters::pnetcdf_file::F_OPEN_END_TIMESTAMP] = d[2];
                doubles[counters::pnetcdf_file::F_CLOSE_END_TIMESTAMP] = d[3];
            }
        }
        _ => {}
    }
}

/// Indexes of bytes read and written among a counter module's current counters.
fn byte_counters(module: usize) -> Option<(usize, usize)> {
    use counters::*;
    Some(match module {
        id::POSIX => (posix::BYTES_READ, posix::BYTES_WRITTEN),
        id::MPIIO => (mpiio::BYTES_READ, mpiio::BYTES_WRITTEN),
        id::STDIO => (stdio::BYTES_READ, stdio::BYTES_WRITTEN),
        id::H5D => (h5d::BYTES_READ, h5d::BYTES_WRITTEN),
        id::PNETCDF_FILE => (pnetcdf_file::BYTES_READ, pnetcdf_file::BYTES_WRITTEN),
        id::PNETCDF_VAR => (pnetcdf_var::BYTES_READ, pnetcdf_var::BYTES_WRITTEN),
        _ => return None,
    })
}

impl Log {
    /// The records of a module, up-converted to its current layout: the counter modules (POSIX,
    /// MPI-IO, STDIO, H5F, H5D, PNETCDF_FILE, PNETCDF_VAR, BG/Q), DXT_POSIX and DXT_MPIIO with
    /// their segments, HEATMAP with its bins, LUSTRE with its layout. Other modules give an error.
    pub fn records(&self, m: &Module) -> Result<Vec<Record>, DarshanError> {
        let err =
            |message: String| crate::located(&self.file, &format!("{} region", m.name()), message);
        let b = Bytes {
            data: &m.data,
            big: self.big_endian,
        };
        match fixed_layout(m.id, m.version) {
            Some(Ok(layout)) => return fixed_records(&b, m, layout).map_err(err),
            Some(Err(e)) => return Err(err(e)),
            None => {}
        }
        match m.id {
            id::DXT_POSIX | id::DXT_MPIIO => dxt_records(&b, m).map_err(err),
            id::HEATMAP => heatmap_records(&b, m).map_err(err),
            id::LUSTRE => lustre_records(&b, m).map_err(err),
            _ => Err(err("records of this module are not read".into())),
        }
    }
}

fn fixed_records(b: &Bytes, m: &Module, layout: Fixed) -> Result<Vec<Record>, String> {
    let size = layout.size();
    let n = b.data.len();
    if n % size != 0 {
        return Err(format!(
            "{n} bytes are not a whole number of {size}-byte records (version {})",
            m.version
        ));
    }
    let bytes = byte_counters(m.id);
    let mut out = Vec::with_capacity(n / size);
    for at in (0..n).step_by(size) {
        let first = at + 16 + layout.head;
        let mut ints: Vec<i64> = (0..layout.ints)
            .map(|i| b.i64_at(first + 8 * i).unwrap_or(0))
            .collect();
        // Version-1 POSIX records with STDIO data cannot be converted: the official reader
        // skips them, and so does this one, to agree with it.
        if m.id == id::POSIX && m.version == 1 && ints[6] > 0 {
            continue;
        }
        let dfirst = first + 8 * layout.ints;
        let mut doubles: Vec<f64> = (0..layout.doubles)
            .map(|i| b.f64_at(dfirst + 8 * i).unwrap_or(0.0))
            .collect();
        upconvert(m.id, m.version, &mut ints, &mut doubles);
        let (bytes_read, bytes_written) = bytes
            .map(|(r, w)| (ints[r].max(0), ints[w].max(0)))
            .unwrap_or((0, 0));
        out.push(Record {
            id: b.u64_at(at).unwrap_or(0),
            rank: b.i64_at(at + 8).unwrap_or(0),
            file_rec_id: match (m.id, layout.file_rec) {
                (_, true) => Some(b.u64_at(at + 16).unwrap_or(0)),
                (id::H5D | id::PNETCDF_VAR, false) => Some(0),
                _ => None,
            },
            counters: ints,
            fcounters: doubles,
            bytes_read,
            bytes_written,
            ..Record::default()
        });
    }
    Ok(out)
}

fn dxt_records(b: &Bytes, m: &Module) -> Result<Vec<Record>, String> {
    let known = if m.id == id::DXT_POSIX { 2 } else { 3 };
    if m.version == 0 || m.version > known {
        return Err(format!(
            "record version {} is not one this reader knows (1 to {known})",
            m.version
        ));
    }
    let wide = m.version == known; // segments carry a thread id
    let seg = if wide { 40 } else { 32 };
    let n = b.data.len();
    let mut out = Vec::new();
    let mut at = 0usize;
    while at + 104 <= n {
        let writes = b.i64_at(at + 88).unwrap_or(0);
        let reads = b.i64_at(at + 96).unwrap_or(0);
        if writes < 0 || reads < 0 {
            return Err(format!("a record at byte {at} has negative segment counts"));
        }
        let count = writes.checked_add(reads).map(|c| c as usize);
        let end = count
            .and_then(|c| c.checked_mul(seg))
            .and_then(|b| b.checked_add(at + 104));
        let (Some(count), Some(end)) = (count, end.filter(|e| *e <= n)) else {
            return Err(format!(
                "a record at byte {at} announces {writes} + {reads} segments beyond the region"
            ));
        };
        let mut segments = Vec::with_capacity(count);
        for k in 0..count {
            let s = at + 104 + k * seg;
            segments.push(Segment {
                write: (k as i64) < writes,
                offset: if m.id == id::DXT_MPIIO && m.version == 1 {
                    -1
                } else {
                    b.i64_at(s).unwrap_or(0)
                },
                length: b.i64_at(s + 8).unwrap_or(0),
                start: b.f64_at(s + 16).unwrap_or(0.0),
                end: b.f64_at(s + 24).unwrap_or(0.0),
                thread: if wide {
                    b.u64_at(s + 32).unwrap_or(0)
                } else {
                    0
                },
            });
        }
        out.push(Record {
            id: b.u64_at(at).unwrap_or(0),
            rank: b.i64_at(at + 8).unwrap_or(0),
            bytes_read: saturating_sum(segments.iter().filter(|s| !s.write).map(|s| s.length)),
            bytes_written: saturating_sum(segments.iter().filter(|s| s.write).map(|s| s.length)),
            hostname: crate::c_string(&b.data[at + 24..at + 88]),
            segments,
            ..Record::default()
        });
        at = end;
    }
    Ok(out)
}

fn heatmap_records(b: &Bytes, m: &Module) -> Result<Vec<Record>, String> {
    if m.version != 1 {
        return Err(format!(
            "record version {} is not one this reader knows (1)",
            m.version
        ));
    }
    let n = b.data.len();
    let mut out = Vec::new();
    let mut at = 0usize;
    while at + 48 <= n {
        let width = b.f64_at(at + 16).unwrap_or(0.0);
        let nbins = b.i64_at(at + 24).unwrap_or(0);
        if nbins < 0 {
            return Err(format!("a heatmap at byte {at} has {nbins} bins"));
        }
        let nb = nbins as usize;
        let Some(end) = nb
            .checked_mul(16)
            .and_then(|b| b.checked_add(at + 48))
            .filter(|e| *e <= n)
        else {
            return Err(format!(
                "a heatmap at byte {at} announces {nb} bins beyond the region"
            ));
        };
        let write: Vec<i64> = (0..nb)
            .map(|k| b.i64_at(at + 48 + 8 * k).unwrap_or(0))
            .collect();
        let read: Vec<i64> = (0..nb)
            .map(|k| b.i64_at(at + 48 + 8 * (nb + k)).unwrap_or(0))
            .collect();
        out.push(Record {
            id: b.u64_at(at).unwrap_or(0),
            rank: b.i64_at(at + 8).unwrap_or(0),
            bytes_read: saturating_sum(read.iter().copied()),
            bytes_written: saturating_sum(write.iter().copied()),
            bins: Some(Bins { width, read, write }),
            ..Record::default()
        });
        at = end;
    }
    Ok(out)
}

/// LUSTRE: version 1 holds one layout (stripe size and count after three other counters) and its
/// OSTs; version 2 a count of components and of stripes, the components (seven counters and a
/// 16-byte pool name each), then the OSTs. Components after the first unused one (stripe size
/// −1) are dropped, with their OSTs, as Darshan's tools do.
fn lustre_records(b: &Bytes, m: &Module) -> Result<Vec<Record>, String> {
    use counters::lustre as l;
    let n = b.data.len();
    let mut out = Vec::new();
    let mut at = 0usize;
    let count = |v: i64, what: &str, at: usize| -> Result<usize, String> {
        usize::try_from(v).map_err(|_| format!("a record at byte {at} has {v} {what}"))
    };
    let take = |from: usize, k: usize, at: usize| -> Result<usize, String> {
        k.checked_mul(8)
            .and_then(|s| s.checked_add(from))
            .filter(|e| *e <= n)
            .ok_or_else(|| format!("a record at byte {at} announces {k} OSTs beyond the region"))
    };
    match m.version {
        1 => {
            while at + 56 <= n {
                let stripe_size = b.i64_at(at + 40).unwrap_or(0);
                let stripes = count(b.i64_at(at + 48).unwrap_or(0), "stripes", at)?;
                let end = take(at + 56, stripes, at)?;
                let mut c = vec![-1; l::COUNTERS.len()];
                c[l::STRIPE_SIZE] = stripe_size;
                c[l::STRIPE_COUNT] = stripes as i64;
                c[l::EXT_START] = 0;
                out.push(Record {
                    id: b.u64_at(at).unwrap_or(0),
                    rank: b.i64_at(at + 8).unwrap_or(0),
                    lustre: vec![LustreComponent {
                        counters: c,
                        pool_name: String::new(),
                        ost_ids: (0..stripes)
                            .map(|k| b.i64_at(at + 56 + 8 * k).unwrap_or(0))
                            .collect(),
                    }],
                    ..Record::default()
                });
                at = end;
            }
        }
        2 => {
            const COMP: usize = 7 * 8 + 16;
            while at + 32 <= n {
                let comps = count(b.i64_at(at + 16).unwrap_or(0), "components", at)?;
                let stripes = count(b.i64_at(at + 24).unwrap_or(0), "stripes", at)?;
                let osts_at = comps
                    .checked_mul(COMP)
                    .and_then(|s| s.checked_add(at + 32))
                    .filter(|e| *e <= n)
                    .ok_or_else(|| {
                        format!(
                            "a record at byte {at} announces {comps} components beyond the region"
                        )
                    })?;
                let end = take(osts_at, stripes, at)?;
                let mut components = Vec::new();
                let mut next_ost = 0usize;
                for k in 0..comps {
                    let c0 = at + 32 + k * COMP;
                    let counters: Vec<i64> = (0..l::COUNTERS.len())
                        .map(|i| b.i64_at(c0 + 8 * i).unwrap_or(0))
                        .collect();
                    if counters[l::STRIPE_SIZE] == -1 {
                        break; // unused from here on
                    }
                    let count = usize::try_from(counters[l::STRIPE_COUNT])
                        .ok()
                        .filter(|c| next_ost + c <= stripes)
                        .ok_or_else(|| {
                            format!(
                                "a record at byte {at}: component {k} has {} stripes, more than the record's {stripes}",
                                counters[l::STRIPE_COUNT]
                            )
                        })?;
                    let ost_ids = (next_ost..next_ost + count)
                        .map(|s| b.i64_at(osts_at + 8 * s).unwrap_or(0))
                        .collect();
                    next_ost += count;
                    components.push(LustreComponent {
                        counters,
                        pool_name: crate::c_string(&b.data[c0 + 56..c0 + 72]),
                        ost_ids,
                    });
                }
                out.push(Record {
                    id: b.u64_at(at).unwrap_or(0),
                    rank: b.i64_at(at + 8).unwrap_or(0),
                    lustre: components,
                    ..Record::default()
                });
                at = end;
            }
        }
        v => {
            return Err(format!(
                "record version {v} is not one this reader knows (1 to 2)"
            ))
        }
    }
    if at != n {
        return Err(format!(
            "{} bytes after the last whole record at byte {at}",
            n - at
        ));
    }
    Ok(out)
}

/// A sum that stops at the bounds of i64 (damaged logs hold any value).
fn saturating_sum(values: impl Iterator<Item = i64>) -> i64 {
    values.fold(0i64, i64::saturating_add)
}
