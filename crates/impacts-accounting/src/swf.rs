//! The Standard Workload Format of the Parallel Workloads Archive (version 2.2): one job per line,
//! 18 whitespace-separated fields, `;` header comments.
//!
//! Fields: 1 job number, 2 submit time (s after UnixStartTime), 3 wait time, 4 run time,
//! 5 allocated processors, 6 average CPU time, 7 used memory (KB per processor), 8 requested
//! processors, 9 requested time, 10 requested memory, 11 status (1 completed, 0 failed, 5
//! cancelled, −1 unknown), 12 user, 13 group, 14 executable, 15 queue, 16 partition, 17 preceding
//! job, 18 think time. −1 means unknown.

use std::io::BufRead;

use crate::record::{Clock, JobRecord, JobState, Timestamp};
use crate::{Issues, ReadError, RecordReader};

/// Reads SWF.
pub struct Swf<R: BufRead> {
    src: R,
    file: String,
    index: usize,
    line_no: u64,
    buf: String,
    unix_start: Option<i64>,
    time_zone: i64,
}

impl<R: BufRead> Swf<R> {
    /// A reader over `src`, named `file` in errors, the `index`-th input.
    pub fn new(src: R, file: &str, index: usize) -> Swf<R> {
        Swf {
            src,
            file: file.to_string(),
            index,
            line_no: 0,
            buf: String::new(),
            unix_start: None,
            time_zone: 0,
        }
    }

    fn err(&self, field: Option<&str>, message: String, fatal: bool) -> ReadError {
        ReadError::malformed(&self.file, self.line_no, None, field, message, fatal)
    }
}

const NAMES: [&str; 18] = [
    "job number",
    "submit time",
    "wait time",
    "run time",
    "allocated processors",
    "average CPU time",
    "used memory",
    "requested processors",
    "requested time",
    "requested memory",
    "status",
    "user",
    "group",
    "executable",
    "queue",
    "partition",
    "preceding job",
    "think time",
];

impl<R: BufRead> RecordReader for Swf<R> {
    fn next_job(&mut self, out: &mut JobRecord, issues: &mut Issues) -> Result<bool, ReadError> {
        loop {
            self.buf.clear();
            let n = self
                .src
                .read_line(&mut self.buf)
                .map_err(|e| self.err(None, format!("cannot read: {e}"), true))?;
            if n == 0 {
                return Ok(false);
            }
            self.line_no += 1;
            let line = self.buf.trim();
            if line.is_empty() {
                continue;
            }
            if let Some(c) = line.strip_prefix(';') {
                let c = c.trim();
                if let Some(v) = c.strip_prefix("UnixStartTime:") {
                    let v = v.trim();
                    self.unix_start = Some(v.parse().map_err(|_| {
                        self.err(
                            Some("UnixStartTime"),
                            format!("expected a number of seconds since 1970, found '{v}'"),
                            true,
                        )
                    })?);
                } else if let Some(v) = c.strip_prefix("TimeZone:") {
                    // Seconds to add to UTC for the installation's local time (SWF 2.2): times are
                    // shown in local time, as sacct shows them.
                    let v = v.trim();
                    self.time_zone = v.parse().map_err(|_| {
                        self.err(
                            Some("TimeZone"),
                            format!("expected a number of seconds, found '{v}'"),
                            true,
                        )
                    })?;
                }
                continue;
            }
            let mut f = [0.0f64; 18];
            let mut count = 0;
            for (i, tok) in line.split_ascii_whitespace().enumerate() {
                if i >= 18 {
                    count = 19;
                    break;
                }
                f[i] = match tok.parse::<f64>() {
                    Ok(v) if v.is_finite() => v,
                    _ => {
                        return Err(self.err(
                            Some(NAMES[i]),
                            format!("expected a number, found '{tok}'"),
                            false,
                        ))
                    }
                };
                count = i + 1;
            }
            if count != 18 {
                return Err(self.err(
                    None,
                    format!("expected 18 fields of the Standard Workload Format, found {count}"),
                    false,
                ));
            }
            out.clear();
            out.source = self.index;
            out.clock = Clock::Offset(self.time_zone);
            out.line = self.line_no;
            out.job_id = format!("{}", f[0] as i64);
            out.job_id_raw.clone_from(&out.job_id);
            let known = |v: f64| (v >= 0.0).then_some(v);
            if self.unix_start.is_none() {
                issues.note(
                    "accounting.swf-no-start-time",
                    || format!("{}: no UnixStartTime in the SWF header: times count from 1970-01-01, so days and months are not calendar dates", self.file),
                );
            }
            // Times past the range of i64 seconds are the record's error, not an overflow.
            let after = |t: i64, s: i64, field: usize| {
                t.checked_add(s).map(Timestamp).ok_or_else(|| {
                    self.err(
                        Some(NAMES[field]),
                        "expected a time within ±292 billion years of 1970 (check UnixStartTime, TimeZone and the record's times)".into(),
                        false,
                    )
                })
            };
            let origin = after(self.unix_start.unwrap_or(0), self.time_zone, 1)?.0;
            let submit = known(f[1])
                .map(|s| after(origin, s as i64, 1))
                .transpose()?;
            out.submit = submit;
            out.start = match (submit, known(f[2])) {
                (Some(s), Some(w)) => Some(after(s.0, w as i64, 2)?),
                _ => None,
            };
            out.elapsed_s = known(f[3]);
            out.end = match (out.start, out.elapsed_s) {
                (Some(s), Some(r)) => Some(after(s.0, r as i64, 3)?),
                _ => None,
            };
            out.cpus = known(f[4]).or(known(f[7])).filter(|p| *p > 0.0);
            out.mem_gb = match (known(f[6]), out.cpus) {
                (Some(kb), Some(p)) => Some(kb * p / (1024.0 * 1024.0)),
                _ => None,
            };
            out.total_cpu_s = match (known(f[5]), out.cpus) {
                (Some(c), Some(p)) => Some(c * p),
                _ => None,
            };
            let status = f[10] as i64;
            out.state_raw = status.to_string();
            out.state = Some(match status {
                1 | 3 => JobState::Completed,
                0 | 4 => JobState::Failed,
                5 => JobState::Cancelled,
                -1 => JobState::Unknown,
                _ => JobState::Other,
            });
            out.user = known(f[11])
                .map(|u| format!("{}", u as i64))
                .unwrap_or_default();
            out.account = known(f[12])
                .map(|g| format!("{}", g as i64))
                .unwrap_or_default();
            // The queue number, else the partition number (both are numbers in SWF).
            out.partition = known(f[14])
                .or(known(f[15]))
                .map(|q| format!("{}", q as i64))
                .unwrap_or_default();
            return Ok(true);
        }
    }
}
