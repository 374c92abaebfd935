//! Opening inputs: files or standard input, gzip or zip, and the detection of their format.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use flate2::bufread::{DeflateDecoder, MultiGzDecoder};

use crate::sacct_json::SacctJson;
use crate::sacct_text::{SacctText, TextOptions};
use crate::swf::Swf;
use crate::table::{TableKind, TableReader};
use crate::{ReadError, RecordReader};

/// The format of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputFormat {
    /// sacct --parsable / --parsable2 text.
    Sacct,
    /// sacct --json, or a slurmrestd job list.
    SacctJson,
    /// Standard Workload Format.
    Swf,
    /// An Apache Parquet table of jobs (the columns of [`crate::table::COLUMNS`]).
    Parquet,
    /// An Arrow IPC table of jobs, file or stream (the same columns).
    Arrow,
    /// A table of jobs given to the library in memory (`Accountant::run_records`: the Python
    /// package's DataFrames and Arrow tables), never read from a file.
    Table,
}

impl InputFormat {
    /// Parses a `--input-format` value.
    pub fn parse(s: &str) -> Option<InputFormat> {
        match s {
            "sacct" | "sacct-text" | "text" => Some(InputFormat::Sacct),
            "sacct-json" | "json" => Some(InputFormat::SacctJson),
            "swf" => Some(InputFormat::Swf),
            "parquet" => Some(InputFormat::Parquet),
            "arrow" | "arrows" | "ipc" => Some(InputFormat::Arrow),
            _ => None,
        }
    }

    /// The format's name.
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Sacct => "sacct",
            InputFormat::SacctJson => "sacct-json",
            InputFormat::Swf => "swf",
            InputFormat::Parquet => "parquet",
            InputFormat::Arrow => "arrow",
            InputFormat::Table => "table",
        }
    }
}

/// A compressed member of a zip archive, read in sequence with the others.
struct ZipStream<R: BufRead> {
    src: Option<R>,
    member: Option<Member<R>>,
    name: String,
}

enum Member<R: BufRead> {
    Stored { src: R, left: u64 },
    Deflated(DeflateDecoder<R>),
}

fn read_u16(b: &[u8]) -> u16 {
    u16::from_le_bytes([b[0], b[1]])
}
fn read_u32(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

impl<R: BufRead> ZipStream<R> {
    /// Opens the next local file header; false when the central directory begins.
    fn next_member(&mut self) -> io::Result<bool> {
        let mut src = match self.src.take() {
            Some(s) => s,
            None => return Ok(false),
        };
        let mut head = [0u8; 30];
        let mut got = 0;
        while got < 4 {
            let n = src.read(&mut head[got..4])?;
            if n == 0 {
                return Ok(false);
            }
            got += n;
        }
        if read_u32(&head[..4]) != 0x0403_4b50 {
            return Ok(false); // central directory or end record
        }
        src.read_exact(&mut head[4..30])?;
        let flags = read_u16(&head[6..]);
        let method = read_u16(&head[8..]);
        let csize = read_u32(&head[18..]);
        let nlen = read_u16(&head[26..]) as usize;
        let xlen = read_u16(&head[28..]) as usize;
        let mut name = vec![0u8; nlen];
        src.read_exact(&mut name)?;
        io::copy(&mut (&mut src).take(xlen as u64), &mut io::sink())?;
        self.name = String::from_utf8_lossy(&name).into_owned();
        if flags & 1 != 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "encrypted zip members are not supported",
            ));
        }
        self.member = Some(match method {
            0 if flags & 8 == 0 => Member::Stored { src, left: u64::from(csize) },
            8 => Member::Deflated(DeflateDecoder::new(src)),
            m => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("zip member {} uses compression method {m}; only stored and deflate are supported", self.name),
                ))
            }
        });
        Ok(true)
    }
}

impl<R: BufRead> Read for ZipStream<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.member.is_none() && !self.next_member()? {
                return Ok(0);
            }
            let n = match self.member.as_mut().expect("open member") {
                Member::Stored { src, left } => {
                    if *left == 0 {
                        0
                    } else {
                        let want = buf.len().min(*left as usize);
                        let n = src.read(&mut buf[..want])?;
                        if n == 0 {
                            return Err(io::Error::new(
                                io::ErrorKind::UnexpectedEof,
                                "truncated zip member",
                            ));
                        }
                        *left -= n as u64;
                        n
                    }
                }
                Member::Deflated(d) => d.read(buf)?,
            };
            if n > 0 {
                return Ok(n);
            }
            // End of this member: skip an optional data descriptor, then look for the next one.
            let mut src = match self.member.take().expect("open member") {
                Member::Stored { src, .. } => src,
                Member::Deflated(d) => d.into_inner(),
            };
            let peek = src.fill_buf()?;
            if peek.len() >= 4 && read_u32(&peek[..4]) == 0x0807_4b50 {
                io::copy(&mut (&mut src).take(16), &mut io::sink())?;
            }
            self.src = Some(src);
        }
    }
}

/// Counts the bytes read from the underlying (compressed) input, for progress reports.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An input opened for reading, decompressed.
pub struct Opened {
    /// Name for messages.
    pub name: String,
    /// The decompressed stream.
    pub reader: Box<dyn BufRead + Send>,
    /// Compression found (`gzip`, `zip`) if any.
    pub compression: Option<&'static str>,
    /// Size of the file in bytes (for progress), if known.
    pub size: Option<u64>,
    /// Bytes of the file read so far (before decompression).
    pub consumed: Arc<AtomicU64>,
}

/// Opens a path (`-` for standard input) and undoes gzip or zip compression.
pub fn open(path: &str) -> Result<Opened, ReadError> {
    let err = |m: String| ReadError::malformed(path, 0, None, None, m, true);
    let consumed = Arc::new(AtomicU64::new(0));
    let (raw, size): (Box<dyn BufRead + Send>, Option<u64>) = if path == "-" {
        let c = Counting {
            inner: io::stdin(),
            count: consumed.clone(),
        };
        (Box::new(BufReader::with_capacity(1 << 16, c)), None)
    } else {
        let f = File::open(path).map_err(|e| err(format!("cannot open: {e}")))?;
        let meta = f.metadata().map_err(|e| err(format!("cannot read: {e}")))?;
        if meta.is_dir() {
            return Err(err(
                "is a directory: expected a file of sacct text, sacct JSON or SWF records".into(),
            ));
        }
        let c = Counting {
            inner: f,
            count: consumed.clone(),
        };
        (
            Box::new(BufReader::with_capacity(1 << 16, c)),
            Some(meta.len()),
        )
    };
    let mut raw = raw;
    let head = raw
        .fill_buf()
        .map_err(|e| err(format!("cannot read: {e}")))?
        .to_vec();
    if head.starts_with(&[0x1f, 0x8b]) {
        return Ok(Opened {
            name: path.to_string(),
            reader: Box::new(BufReader::with_capacity(1 << 16, MultiGzDecoder::new(raw))),
            compression: Some("gzip"),
            size,
            consumed,
        });
    }
    if head.starts_with(b"PK\x03\x04") {
        return Ok(Opened {
            name: path.to_string(),
            reader: Box::new(BufReader::with_capacity(
                1 << 16,
                ZipStream {
                    src: Some(raw),
                    member: None,
                    name: String::new(),
                },
            )),
            compression: Some("zip"),
            size,
            consumed,
        });
    }
    Ok(Opened {
        name: path.to_string(),
        reader: raw,
        compression: None,
        size,
        consumed,
    })
}

/// Detects the format from the first bytes of a decompressed stream.
pub fn detect(reader: &mut dyn BufRead) -> io::Result<Option<InputFormat>> {
    let head = reader.fill_buf()?;
    let text = String::from_utf8_lossy(&head[..head.len().min(8192)]);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.is_empty() {
        return Ok(None);
    }
    if t.starts_with('{') || t.starts_with('[') {
        return Ok(Some(InputFormat::SacctJson));
    }
    if t.starts_with(';') {
        return Ok(Some(InputFormat::Swf));
    }
    let first = t.lines().next().unwrap_or("");
    let toks: Vec<&str> = first.split_whitespace().collect();
    if toks.len() == 18 && toks.iter().all(|x| x.parse::<f64>().is_ok()) {
        return Ok(Some(InputFormat::Swf));
    }
    Ok(Some(InputFormat::Sacct))
}

/// An input ready to be read.
pub struct Source {
    /// Its records.
    pub reader: Box<dyn RecordReader + Send>,
    /// Its format.
    pub format: InputFormat,
    /// Its compression, if any.
    pub compression: Option<&'static str>,
    /// Its size in bytes, when known.
    pub size: Option<u64>,
    /// Bytes of it read so far.
    pub consumed: Arc<AtomicU64>,
}

/// Opens `path` and returns a reader of its records (the format detected or forced).
pub fn reader(
    path: &str,
    index: usize,
    forced: Option<InputFormat>,
    text: &TextOptions,
) -> Result<Source, ReadError> {
    let table = match forced {
        Some(InputFormat::Parquet) => Some(TableKind::Parquet),
        Some(InputFormat::Arrow) => Some(TableKind::Arrow),
        Some(_) => None,
        None => sniff_table(path),
    };
    if let Some(kind) = table {
        return table_source(path, kind);
    }
    let mut o = open(path)?;
    let format = match forced {
        Some(f) => f,
        None => match detect(&mut o.reader) {
            Ok(Some(f)) => f,
            Ok(None) => InputFormat::Sacct,
            Err(e) => return Err(ReadError::unreadable(path, e)),
        },
    };
    let name = o.name.clone();
    let reader: Box<dyn RecordReader + Send> = match format {
        InputFormat::Sacct => Box::new(SacctText::new(o.reader, &name, index, text.clone())),
        InputFormat::SacctJson => Box::new(SacctJson::new(o.reader, &name, index)),
        InputFormat::Swf => Box::new(Swf::new(o.reader, &name, index)),
        InputFormat::Parquet | InputFormat::Arrow | InputFormat::Table => {
            return Err(ReadError::unreadable(
                path,
                "a table of jobs is given in memory, not read from a file",
            ))
        }
    };
    Ok(Source {
        reader,
        format,
        compression: o.compression,
        size: o.size,
        consumed: o.consumed,
    })
}

/// The kind of table a file is, from its first bytes (None for text, compressed files, standard
/// input, pipes and what cannot be read: `open` reports those). Only a regular file is peeked
/// at: reading a pipe's first bytes here would take them from its reader.
fn sniff_table(path: &str) -> Option<TableKind> {
    if path == "-" || !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let mut head = [0u8; 8];
    let mut f = File::open(path).ok()?;
    let n = f.read(&mut head).ok()?;
    TableKind::sniff(&head[..n])
}

/// A table file as a source of records.
fn table_source(path: &str, kind: TableKind) -> Result<Source, ReadError> {
    if path == "-" {
        return Err(ReadError::unreadable(
            path,
            "a Parquet or Arrow table is read from a file, not from standard input",
        ));
    }
    let size = std::fs::metadata(path).ok().map(|m| m.len());
    let reader = TableReader::open(path, kind)?;
    Ok(Source {
        reader: Box::new(reader),
        format: match kind {
            TableKind::Parquet => InputFormat::Parquet,
            TableKind::Arrow => InputFormat::Arrow,
        },
        compression: None,
        size,
        // Progress by bytes is not followed inside a table (its batches are decoded whole).
        consumed: Arc::new(AtomicU64::new(0)),
    })
}
