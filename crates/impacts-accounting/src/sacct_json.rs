//! `sacct --json` (Slurm 21.08 dbv0.0.37, 22.05 dbv0.0.38, data parsers v0.0.39 to v0.0.44) and
//! slurmrestd's job lists (`/slurmdb/.../jobs` and `/slurm/.../jobs`).
//!
//! The document is cut into jobs by a scanner that follows only the outer structure (the
//! top-level object and its `jobs` array, strings and brackets), then each job's bytes are
//! deserialized into a typed record that keeps only the fields used (everything else is skipped
//! without being built). Memory holds one job at a time, whatever the size of the document; JSON
//! parsing from a slice is several times faster than from a stream.

use std::collections::VecDeque;
use std::fmt;
use std::io::BufRead;
use std::ops::ControlFlow;

use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::record::{parse_tres, Clock, JobRecord, JobState, Timestamp};
use crate::{Issues, ReadError, RecordReader};

// ---------------------------------------------------------------------------------------------
// Typed jobs: every field optional and lenient about its type, as the schemas differ by version.

/// A number as every data parser writes it: plain, `{set, infinite, number}` (v0.0.39+), a
/// numeric string; `null`, unset or infinite numbers are absent.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Num(Option<f64>);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_u64<E>(self, v: u64) -> Result<Num, E> {
                Ok(Num(Some(v as f64)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Num, E> {
                Ok(Num(Some(v as f64)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Num, E> {
                Ok(Num(Some(v).filter(|x| x.is_finite())))
            }
            fn visit_str<E>(self, v: &str) -> Result<Num, E> {
                Ok(Num(v.trim().parse().ok()))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Num, E> {
                Ok(Num(None))
            }
            fn visit_unit<E>(self) -> Result<Num, E> {
                Ok(Num(None))
            }
            fn visit_none<E>(self) -> Result<Num, E> {
                Ok(Num(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Num, D::Error> {
                Num::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Num, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Num(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Num, A::Error> {
                let (mut set, mut infinite, mut number) = (true, false, None);
                while let Some(k) = a.next_key::<Key>()? {
                    match k.0.as_str() {
                        "set" => set = a.next_value::<Flag>()?.0,
                        "infinite" => infinite = a.next_value::<Flag>()?.0,
                        "number" => number = a.next_value::<Num>()?.0,
                        _ => {
                            a.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Num(number.filter(|_| set && !infinite)))
            }
        }
        d.deserialize_any(V)
    }
}

/// A boolean, false unless `true`.
struct Flag(bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Flag, D::Error> {
        let v = Loose::deserialize(d)?;
        Ok(Flag(v.0 == "true"))
    }
}

/// A map key.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        String::deserialize(d).map(Key)
    }
}

/// Text, whatever was there: strings as they are, numbers and booleans written out, lists of
/// strings joined by spaces (states of v0.0.39+), anything else empty.
#[derive(Clone, Debug, Default, PartialEq)]
struct Loose(String);

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Loose, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Loose;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E>(self, v: &str) -> Result<Loose, E> {
                Ok(Loose(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Loose, E> {
                Ok(Loose(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Loose, E> {
                Ok(Loose(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Loose, E> {
                Ok(Loose(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Loose, E> {
                Ok(Loose(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Loose, E> {
                Ok(Loose(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Loose, E> {
                Ok(Loose::default())
            }
            fn visit_none<E>(self) -> Result<Loose, E> {
                Ok(Loose::default())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
                Loose::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Loose, A::Error> {
                let mut s = String::new();
                while let Some(x) = a.next_element::<Loose>()? {
                    if !x.0.is_empty() {
                        if !s.is_empty() {
                            s.push(' ');
                        }
                        s.push_str(&x.0);
                    }
                }
                Ok(Loose(s))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Loose, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Loose::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// `state` of slurmdbd jobs: `{current, reason}` (or a bare string).
#[derive(Default)]
struct State(String);

impl<'de> Deserialize<'de> for State {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<State, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = State;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a job state")
            }
            fn visit_str<E>(self, v: &str) -> Result<State, E> {
                Ok(State(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<State, E> {
                Ok(State::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, a: A) -> Result<State, A::Error> {
                Loose::deserialize(de::value::SeqAccessDeserializer::new(a)).map(|l| State(l.0))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<State, A::Error> {
                let mut s = String::new();
                while let Some(k) = a.next_key::<Key>()? {
                    if k.0 == "current" {
                        s = a.next_value::<Loose>()?.0;
                    } else {
                        a.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(State(s))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CpuTime {
    seconds: Num,
    microseconds: Num,
}

impl CpuTime {
    fn seconds(&self) -> f64 {
        self.seconds.0.unwrap_or(0.0) + self.microseconds.0.unwrap_or(0.0) / 1e6
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Time {
    elapsed: Num,
    start: Num,
    end: Num,
    submission: Num,
    total: Option<CpuTime>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Tres {
    #[serde(rename = "type")]
    kind: Loose,
    name: Loose,
    count: Num,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TresBlock {
    allocated: Option<Vec<Tres>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Array {
    job_id: Num,
    task_id: Num,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Het {
    job_id: Num,
    job_offset: Num,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StepTime {
    total: Option<CpuTime>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Energy {
    consumed: Num,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Statistics {
    energy: Option<Energy>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Consumed {
    total: Option<Vec<Tres>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StepTres {
    consumed: Option<Consumed>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Step {
    time: Option<StepTime>,
    statistics: Option<Statistics>,
    tres: Option<StepTres>,
}

/// One job of any supported schema: slurmdbd's (`state`, `time`, `tres`, `steps`, `array`, `het`)
/// or slurmctld's (`job_state`, `*_time`, `tres_alloc_str`, `array_*`, `het_*`).
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawJob {
    job_id: Num,
    name: Loose,
    cluster: Loose,
    partition: Loose,
    account: Loose,
    user: Loose,
    nodes: Loose,
    state: Option<State>,
    time: Option<Time>,
    tres: Option<TresBlock>,
    steps: Option<Vec<Step>>,
    array: Option<Array>,
    het: Option<Het>,
    allocation_nodes: Num,
    // slurmctld
    job_state: Option<Loose>,
    user_name: Loose,
    submit_time: Num,
    start_time: Num,
    end_time: Num,
    tres_alloc_str: Loose,
    node_count: Num,
    cpus: Num,
    array_job_id: Num,
    array_task_id: Num,
    het_job_id: Num,
    het_job_offset: Num,
}

fn time_of(n: Num) -> Option<Timestamp> {
    n.0.filter(|t| *t > 0.0).map(|t| Timestamp(t as i64))
}

/// The count of a kind in a TRES list; for `gpu`, `gres/gpu` if listed, else the sum of the typed
/// `gres/gpu:TYPE`. Entries without a count (`"count": null`) are skipped.
fn tres_count(list: &[Tres], kind: &str) -> Option<f64> {
    let mut untyped = None;
    let mut typed: Option<f64> = None;
    for t in list {
        let Some(count) = t.count.0 else { continue };
        if kind == "gpu" {
            if t.kind.0 == "gres" && (t.name.0 == "gpu" || t.name.0.starts_with("gpu:")) {
                if t.name.0 == "gpu" {
                    untyped = Some(count);
                } else {
                    *typed.get_or_insert(0.0) += count;
                }
            }
        } else if t.kind.0 == kind && count >= 0.0 {
            return Some(count);
        }
    }
    untyped.or(typed)
}

impl RawJob {
    /// True for a running (or suspended) job of a slurmctld list: how long it ran is known only
    /// from the list's `last_update`.
    #[inline]
    fn is_running(&self) -> bool {
        self.job_state.as_ref().is_some_and(|s| {
            matches!(
                JobState::parse(&s.0),
                JobState::Running | JobState::Suspended
            )
        })
    }

    /// The record of this job, or what was expected of it; `snapshot` as for [`RawJob::fill`].
    /// Always inlined: a call would copy the record once more.
    #[inline(always)]
    fn into_record(self, snapshot: Option<Timestamp>) -> Result<JobRecord, String> {
        let mut rec = JobRecord::default();
        self.fill(&mut rec, snapshot).map(|()| rec)
    }

    /// Fills `rec`; `snapshot` is the `last_update` of a slurmctld list, for its running jobs.
    fn fill(self, rec: &mut JobRecord, snapshot: Option<Timestamp>) -> Result<(), String> {
        rec.clear();
        let controller = self.job_state.is_some();
        let id = self.job_id.0.ok_or("a job_id")? as u64;
        let (array_job, array_task, het_job, het_off) = if controller {
            (
                self.array_job_id.0,
                self.array_task_id.0,
                self.het_job_id.0,
                self.het_job_offset.0,
            )
        } else {
            let a = self.array.unwrap_or_default();
            let h = self.het.unwrap_or_default();
            (a.job_id.0, a.task_id.0, h.job_id.0, h.job_offset.0)
        };
        rec.job_id = match (array_job, array_task, het_job, het_off) {
            (Some(a), Some(t), _, _) if a > 0.0 => format!("{}_{}", a as u64, t as u64),
            (_, _, Some(h), Some(o)) if h > 0.0 => format!("{}+{}", h as u64, o as u64),
            _ => id.to_string(),
        };
        rec.job_id_raw = id.to_string();
        rec.name = self.name.0;
        rec.cluster = self.cluster.0;
        rec.partition = self.partition.0;
        rec.account = self.account.0;
        rec.node_list = self.nodes.0;
        let state = if controller {
            rec.user = self.user_name.0;
            self.job_state.map(|s| s.0).unwrap_or_default()
        } else {
            rec.user = self.user.0;
            self.state.map(|s| s.0).unwrap_or_default()
        };
        rec.state = (!state.is_empty()).then(|| JobState::parse(&state));
        rec.state_raw = state;
        if controller {
            rec.submit = time_of(self.submit_time);
            rec.start = time_of(self.start_time);
            rec.end = time_of(self.end_time);
            match rec.state {
                // slurmctld writes the expected start and end of pending jobs, and the expected
                // end (start + time limit) of running ones: neither happened.
                Some(JobState::Pending) => {
                    rec.start = None;
                    rec.end = None;
                }
                Some(JobState::Running | JobState::Suspended) => {
                    rec.end = None;
                    rec.elapsed_s = match (rec.start, snapshot) {
                        (Some(s), Some(now)) if now.0 >= s.0 => Some((now.0 - s.0) as f64),
                        _ => None,
                    };
                }
                _ => {
                    rec.elapsed_s = match (rec.start, rec.end) {
                        (Some(s), Some(e)) if e.0 >= s.0 => Some((e.0 - s.0) as f64),
                        _ => None,
                    };
                }
            }
            let t =
                parse_tres(&self.tres_alloc_str.0).map_err(|e| format!("tres_alloc_str: {e}"))?;
            rec.cpus = t.cpus.or(self.cpus.0);
            rec.nodes = t.nodes.or(self.node_count.0);
            rec.gpus = t.gpus;
            rec.mem_gb = t.mem_gb;
            rec.billing = t.billing;
            return Ok(());
        }
        let time = self.time.unwrap_or_default();
        rec.submit = time_of(time.submission);
        rec.start = time_of(time.start);
        rec.end = time_of(time.end);
        rec.elapsed_s = time.elapsed.0;
        rec.total_cpu_s = time.total.as_ref().map(CpuTime::seconds);
        let alloc = self.tres.and_then(|t| t.allocated).unwrap_or_default();
        rec.cpus = tres_count(&alloc, "cpu");
        rec.nodes = tres_count(&alloc, "node").or(self.allocation_nodes.0);
        rec.gpus = tres_count(&alloc, "gpu");
        rec.mem_gb = tres_count(&alloc, "mem").map(|mb| mb / 1024.0);
        rec.billing = tres_count(&alloc, "billing");
        rec.energy_j = tres_count(&alloc, "energy").filter(|e| *e > 0.0);
        if let Some(steps) = self.steps {
            rec.steps = steps.len() as u32;
            // The job's own `time.total` is 0 in these documents: sacct's TotalCPU of a job is the
            // sum over its steps, as here.
            let step_cpu: f64 = steps
                .iter()
                .filter_map(|s| {
                    s.time
                        .as_ref()
                        .and_then(|t| t.total.as_ref())
                        .map(CpuTime::seconds)
                })
                .sum();
            if step_cpu > rec.total_cpu_s.unwrap_or(0.0) {
                rec.total_cpu_s = Some(step_cpu);
            }
            let mut step_energy: Option<f64> = None;
            for s in &steps {
                let e = s
                    .statistics
                    .as_ref()
                    .and_then(|x| x.energy.as_ref())
                    .and_then(|x| x.consumed.0)
                    .or_else(|| {
                        s.tres
                            .as_ref()
                            .and_then(|t| t.consumed.as_ref())
                            .and_then(|c| c.total.as_deref())
                            .and_then(|t| tres_count(t, "energy"))
                    });
                if let Some(e) = e.filter(|e| *e > 0.0) {
                    step_energy = Some(step_energy.map_or(e, |x| x.max(e)));
                }
            }
            rec.step_energy_j = step_energy;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// The scanner: the outer structure of the document, one value at a time.

/// Where the reader is in the document.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Place {
    Start,
    Keys,
    Jobs,
    Done,
}

/// Reads a sacct JSON document.
pub struct SacctJson<R: BufRead> {
    src: R,
    file: String,
    index: usize,
    buf: Vec<u8>,
    pos: usize,
    /// Line number (1-based) of `buf[0]`.
    base_line: u64,
    eof: bool,
    place: Place,
    saw_jobs: bool,
    count: u64,
    meta: Option<String>,
    /// Running jobs of a slurmctld list, waiting for the list's `last_update` (which comes after
    /// `jobs`): how long they ran is known only then. Such lists hold the jobs slurmctld has in
    /// memory (bounded by its MaxJobCount), not a center's history.
    deferred: Vec<RawJob>,
    ready: VecDeque<Result<JobRecord, String>>,
    last_update: Option<Timestamp>,
}

impl<R: BufRead> SacctJson<R> {
    /// A reader over `src`, named `file` in errors, the `index`-th input.
    pub fn new(src: R, file: &str, index: usize) -> SacctJson<R> {
        SacctJson {
            src,
            file: file.to_string(),
            index,
            buf: Vec::with_capacity(1 << 16),
            pos: 0,
            base_line: 1,
            eof: false,
            place: Place::Start,
            saw_jobs: false,
            count: 0,
            meta: None,
            deferred: Vec::new(),
            ready: VecDeque::new(),
            last_update: None,
        }
    }

    /// The data parser or plugin named in the document's `meta` (`openapi/dbv0.0.38`,
    /// `v0.0.42`), once read.
    pub fn data_parser(&self) -> Option<&str> {
        self.meta.as_deref()
    }

    /// Line and column of byte `at` of the buffer.
    fn line_col(&self, at: usize) -> (u64, u64) {
        let before = &self.buf[..at.min(self.buf.len())];
        let lines = memchr::memchr_iter(b'\n', before).count() as u64;
        let col = match memchr::memrchr(b'\n', before) {
            Some(i) => (before.len() - i) as u64,
            None => before.len() as u64 + 1,
        };
        (self.base_line + lines, col)
    }

    fn fatal_at(&self, at: usize, message: String) -> ReadError {
        let (line, col) = self.line_col(at);
        ReadError::malformed(
            &self.file,
            line,
            Some(col),
            None,
            format!("not a sacct --json document: {message}"),
            true,
        )
    }

    /// Reads more of the input into the buffer; false at its end.
    fn fill(&mut self) -> Result<bool, ReadError> {
        if self.eof {
            return Ok(false);
        }
        loop {
            let got = match self.src.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ReadError::unreadable(&self.file, e)),
            };
            if got.is_empty() {
                self.eof = true;
                return Ok(false);
            }
            let n = got.len();
            self.buf.extend_from_slice(got);
            self.src.consume(n);
            return Ok(true);
        }
    }

    /// Drops what was read, keeping line numbers right.
    fn compact(&mut self) {
        if self.pos > (1 << 16) && self.pos * 2 > self.buf.len() {
            self.base_line += memchr::memchr_iter(b'\n', &self.buf[..self.pos]).count() as u64;
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
    }

    /// The next byte that is not blank (without consuming it); None at the end of the input.
    fn peek(&mut self) -> Result<Option<u8>, ReadError> {
        loop {
            while self.pos < self.buf.len() {
                let c = self.buf[self.pos];
                if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
                    self.pos += 1;
                } else if self.pos == 0
                    && self.base_line == 1
                    && self.buf.starts_with(&[0xef, 0xbb, 0xbf])
                {
                    self.pos = 3; // byte-order mark
                } else {
                    return Ok(Some(c));
                }
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// The extent of the value that starts at `pos` (after blanks), reading more as needed;
    /// `pos` moves past it.
    fn value(&mut self) -> Result<(usize, usize), ReadError> {
        self.compact();
        let Some(first) = self.peek()? else {
            return Err(self.fatal_at(self.pos, "the document ends in the middle".into()));
        };
        let start = self.pos;
        let mut i = start;
        let mut depth = 0usize;
        let mut in_string = false;
        loop {
            while i < self.buf.len() {
                let c = self.buf[i];
                if in_string {
                    match memchr::memchr2(b'"', b'\\', &self.buf[i..]) {
                        Some(k) => {
                            i += k;
                            if self.buf[i] == b'\\' {
                                if i + 1 >= self.buf.len() {
                                    break; // need the escaped byte
                                }
                                i += 2;
                            } else {
                                in_string = false;
                                i += 1;
                                if depth == 0 {
                                    self.pos = i;
                                    return Ok((start, i));
                                }
                            }
                            continue;
                        }
                        None => {
                            i = self.buf.len();
                            break;
                        }
                    }
                }
                match c {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        if depth == 0 {
                            // The end of the enclosing container: a scalar ended just before.
                            self.pos = i;
                            return Ok((start, i));
                        }
                        depth -= 1;
                        if depth == 0 {
                            self.pos = i + 1;
                            return Ok((start, i + 1));
                        }
                    }
                    b',' | b' ' | b'\t' | b'\r' | b'\n' | b':' if depth == 0 && first != b'"' => {
                        self.pos = i;
                        return Ok((start, i));
                    }
                    _ => {}
                }
                i += 1;
            }
            if !self.fill()? {
                if depth == 0 && !in_string && i > start {
                    self.pos = i;
                    return Ok((start, i)); // a scalar at the very end
                }
                return Err(
                    self.fatal_at(start, "the document ends in the middle of a value".into())
                );
            }
        }
    }

    fn expect(&mut self, want: u8, what: &str) -> Result<(), ReadError> {
        match self.peek()? {
            Some(c) if c == want => {
                self.pos += 1;
                Ok(())
            }
            Some(c) => {
                Err(self.fatal_at(self.pos, format!("expected {what}, found '{}'", c as char)))
            }
            None => Err(self.fatal_at(
                self.pos,
                format!("expected {what}, found the end of the document"),
            )),
        }
    }

    fn parse_slice<'a, T: Deserialize<'a>>(
        &self,
        buf: &'a [u8],
        start: usize,
    ) -> Result<T, ReadError> {
        serde_json::from_slice(buf).map_err(|e| {
            let (line, col) = self.line_col(start);
            let m = e.to_string();
            let m = match m.find(" at line ") {
                Some(i) => m[..i].to_string(),
                None => m,
            };
            let column = if e.line() <= 1 {
                col + e.column() as u64 - 1
            } else {
                e.column() as u64
            };
            ReadError::malformed(
                &self.file,
                line + e.line() as u64 - 1,
                Some(column),
                None,
                format!("not a sacct --json document: {m}"),
                true,
            )
        })
    }

    /// Parses the value that starts at `pos` (after blanks), straight from the buffer; `pos`
    /// moves past it.
    fn parse_value<T: DeserializeOwned>(&mut self) -> Result<T, ReadError> {
        let (a, b) = self.value()?;
        self.parse_slice(&self.buf[a..b], a)
    }

    /// Advances to the next job (or to the end), filling `ready`.
    fn advance(&mut self) -> Result<(), ReadError> {
        loop {
            let step = match self.place {
                Place::Done => return Ok(()),
                Place::Start => {
                    self.open_document()?;
                    ControlFlow::Continue(())
                }
                Place::Keys => self.step_in_keys()?,
                Place::Jobs => self.step_in_jobs()?,
            };
            if step.is_break() {
                return Ok(());
            }
        }
    }

    /// Enters the document's top-level object.
    fn open_document(&mut self) -> Result<(), ReadError> {
        match self.peek()? {
            Some(b'{') => {
                self.pos += 1;
                self.place = Place::Keys;
                Ok(())
            }
            Some(c) => Err(self.fatal_at(
                self.pos,
                format!(
                    "expected a sacct --json document (an object with `jobs`), found '{}'",
                    c as char
                ),
            )),
            None => Err(self.fatal_at(
                self.pos,
                "expected a sacct --json document (an object with `jobs`), found nothing".into(),
            )),
        }
    }

    /// One step among the top-level keys: a comma, a key and its value, or the end of the
    /// document (`Break`: the jobs are all queued).
    fn step_in_keys(&mut self) -> Result<ControlFlow<()>, ReadError> {
        match self.peek()? {
            Some(b'}') => {
                self.close_document()?;
                return Ok(ControlFlow::Break(()));
            }
            Some(b',') => self.pos += 1,
            Some(_) => self.top_level_entry()?,
            None => {
                return Err(
                    self.fatal_at(self.pos, "the document ends before its closing '}'".into())
                )
            }
        }
        Ok(ControlFlow::Continue(()))
    }

    /// Reads a top-level key and its value: enters the list of `jobs`, keeps the data parser of
    /// `meta` and the `last_update` of a slurmctld list, skips anything else.
    fn top_level_entry(&mut self) -> Result<(), ReadError> {
        let key: String = self.parse_value()?;
        self.expect(b':', "':' after a key")?;
        match key.as_str() {
            "jobs" => {
                self.saw_jobs = true;
                self.expect(b'[', "the list of jobs")?;
                self.place = Place::Jobs;
            }
            "meta" => {
                let meta: serde_json::Value = self.parse_value()?;
                self.meta = Some(data_parser_of(&meta));
            }
            "last_update" => {
                let n: Num = self.parse_value()?;
                self.last_update = time_of(n);
            }
            _ => {
                self.value()?;
            }
        }
        Ok(())
    }

    /// Past the document's closing `}`: checks that it listed `jobs` and that nothing follows,
    /// then queues the running jobs deferred until the list's `last_update` was known.
    fn close_document(&mut self) -> Result<(), ReadError> {
        self.pos += 1;
        if !self.saw_jobs {
            return Err(self.fatal_at(self.pos, "missing field `jobs`".into()));
        }
        if self.peek()?.is_some() {
            return Err(self.fatal_at(self.pos, "trailing characters after the document".into()));
        }
        self.place = Place::Done;
        let snapshot = self.last_update;
        for job in std::mem::take(&mut self.deferred) {
            self.ready.push_back(job.into_record(snapshot));
        }
        Ok(())
    }

    /// One step in the list of jobs: a comma, the list's end, or a job (`Break` once a job, or
    /// its error, is queued).
    #[inline]
    fn step_in_jobs(&mut self) -> Result<ControlFlow<()>, ReadError> {
        match self.peek()? {
            Some(b']') => {
                self.pos += 1;
                self.place = Place::Keys;
            }
            Some(b',') => self.pos += 1,
            Some(_) => return self.parse_job(),
            None => {
                return Err(self.fatal_at(self.pos, "the document ends in the list of jobs".into()))
            }
        }
        Ok(ControlFlow::Continue(()))
    }

    /// Parses the job at `pos` straight from the buffer and queues it (see [`Self::queue`]); if
    /// the buffer ends inside it, reads more and parses again (rare: once per buffer's worth of
    /// jobs). A job of an unexpected shape is skipped, its error queued instead (`Break`).
    #[inline]
    fn parse_job(&mut self) -> Result<ControlFlow<()>, ReadError> {
        self.compact();
        let start = self.pos;
        loop {
            let mut stream =
                serde_json::Deserializer::from_slice(&self.buf[start..]).into_iter::<RawJob>();
            let got = stream.next();
            let used = stream.byte_offset();
            match got.unwrap_or_else(|| Err(de::Error::custom("no job"))) {
                Ok(job) => {
                    self.pos = start + used;
                    return Ok(self.queue(job));
                }
                Err(e) if e.is_eof() && !self.eof => self.read_more_of_job(start)?,
                Err(e) if e.is_data() => {
                    self.skip_job(start, e)?;
                    return Ok(ControlFlow::Break(()));
                }
                Err(e) if e.is_eof() => {
                    return Err(
                        self.fatal_at(start, "the document ends in the middle of a job".into())
                    );
                }
                Err(_) => return Err(self.invalid_job(start)),
            }
        }
    }

    /// Reads more of a job that starts at `start` and goes past the buffer: doubles what is
    /// buffered of it, so that a very large job is parsed again only a logarithmic number of times.
    #[cold]
    fn read_more_of_job(&mut self, start: usize) -> Result<(), ReadError> {
        let target = self.buf.len() + (self.buf.len() - start).max(1 << 16);
        while self.buf.len() < target && self.fill()? {}
        Ok(())
    }

    /// Skips a job of an unexpected shape that starts at `start`, queueing `e` in its place.
    #[cold]
    fn skip_job(&mut self, start: usize, e: serde_json::Error) -> Result<(), ReadError> {
        self.pos = start;
        self.value()?;
        self.ready.push_back(Err(e.to_string()));
        Ok(())
    }

    /// The error of a job that starts at `start` and is not valid JSON, where JSON says it is wrong.
    #[cold]
    fn invalid_job(&self, start: usize) -> ReadError {
        self.parse_slice::<IgnoredAny>(&self.buf[start..], start)
            .err()
            .unwrap_or_else(|| self.fatal_at(start, "a job that is not valid JSON".into()))
    }

    /// Queues a parsed job (`Break`), or defers a running job of a slurmctld list until the
    /// list's `last_update` is read (`Continue`).
    #[inline]
    fn queue(&mut self, job: RawJob) -> ControlFlow<()> {
        if job.is_running() {
            self.deferred.push(job);
            return ControlFlow::Continue(());
        }
        self.ready.push_back(job.into_record(None));
        ControlFlow::Break(())
    }
}

/// The data parser named in a document's `meta`: `plugin.data_parser`, else `plugin.type`.
fn data_parser_of(meta: &serde_json::Value) -> String {
    meta.pointer("/plugin/data_parser")
        .and_then(serde_json::Value::as_str)
        .filter(|s| !s.is_empty())
        .or_else(|| {
            meta.pointer("/plugin/type")
                .and_then(serde_json::Value::as_str)
        })
        .unwrap_or("")
        .to_string()
}

impl<R: BufRead> RecordReader for SacctJson<R> {
    fn next_job(&mut self, out: &mut JobRecord, _issues: &mut Issues) -> Result<bool, ReadError> {
        if self.ready.is_empty() {
            self.advance()?;
        }
        let Some(r) = self.ready.pop_front() else {
            return Ok(false);
        };
        self.count += 1;
        match r {
            Ok(rec) => {
                *out = rec;
                out.source = self.index;
                out.clock = Clock::Utc;
                out.line = self.count;
                Ok(true)
            }
            Err(m) => Err(ReadError::malformed(
                &self.file,
                0,
                None,
                None,
                format!("job #{} of the document: expected {m}", self.count),
                false,
            )),
        }
    }
}
