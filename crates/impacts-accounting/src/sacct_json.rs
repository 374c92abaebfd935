//! `sacct --json` (Slurm 21.08 dbv0.0.37, 22.05 dbv0.0.38, data parsers v0.0.39 to v0.0.44) and
//! slurmrestd's job lists (`/slurmdb/.../jobs` and `/slurm/.../jobs`).
//!
//! The document is read with a streaming deserializer on a thread of its own that hands the jobs
//! over one by one through a bounded channel: memory does not grow with the number of jobs.

use std::fmt;
use std::io::Read;
use std::sync::mpsc::{sync_channel, Receiver};
use std::thread::JoinHandle;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::record::{parse_tres, JobRecord, JobState, Timestamp};
use crate::{Issues, ReadError, RecordReader};

enum Msg {
    Meta(String),
    /// A job, converted where it was parsed (its many small allocations are freed there too).
    Job(Box<Result<JobRecord, String>>),
    Error(String, u64, u64),
}

/// Reads a sacct JSON document.
pub struct SacctJson {
    rx: Receiver<Msg>,
    handle: Option<JoinHandle<()>>,
    file: String,
    index: usize,
    count: u64,
    meta: Option<String>,
}

struct Top<'a> {
    tx: &'a std::sync::mpsc::SyncSender<Msg>,
}

/// The field added to the running jobs of a slurmctld job list: the list's `last_update`, the
/// time up to which they ran.
const SNAPSHOT_TIME: &str = "_impacts_snapshot_time";

fn is_controller_running(job: &Value) -> bool {
    job.get("job_state").is_some_and(|s| {
        let s = state_of(s);
        matches!(JobState::parse(&s), JobState::Running | JobState::Suspended)
    })
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sacct --json document (an object with `jobs`)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut saw_jobs = false;
        // Running jobs of a slurmctld job list wait for `last_update`, which comes after `jobs`:
        // how long they ran is known only then. Such lists hold the jobs slurmctld has in memory
        // (bounded by its MaxJobCount), not a center's history.
        let mut deferred = Vec::new();
        let mut last_update = None;
        while let Some(k) = map.next_key::<String>()? {
            match k.as_str() {
                "jobs" => {
                    saw_jobs = true;
                    map.next_value_seed(Jobs {
                        tx: self.tx,
                        deferred: &mut deferred,
                    })?;
                }
                "last_update" => {
                    let v: Value = map.next_value()?;
                    last_update = num(&v);
                }
                "meta" => {
                    let v: Value = map.next_value()?;
                    let plugin = v
                        .pointer("/plugin/data_parser")
                        .and_then(Value::as_str)
                        .or_else(|| v.pointer("/plugin/type").and_then(Value::as_str))
                        .unwrap_or("")
                        .to_string();
                    let _ = self.tx.send(Msg::Meta(plugin));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !saw_jobs {
            return Err(serde::de::Error::missing_field("jobs"));
        }
        for mut job in deferred {
            if let (Some(t), Value::Object(m)) = (last_update, &mut job) {
                m.insert(SNAPSHOT_TIME.into(), Value::from(t));
            }
            if self.tx.send(convert(&job)).is_err() {
                break;
            }
        }
        Ok(())
    }
}

struct Jobs<'a> {
    tx: &'a std::sync::mpsc::SyncSender<Msg>,
    deferred: &'a mut Vec<Value>,
}

impl<'de> DeserializeSeed<'de> for Jobs<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Jobs<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of jobs")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(job) = seq.next_element::<Value>()? {
            if is_controller_running(&job) {
                self.deferred.push(job);
                continue;
            }
            if self.tx.send(convert(&job)).is_err() {
                break; // the reader was dropped
            }
        }
        Ok(())
    }
}

impl SacctJson {
    /// A reader over `src`, named `file` in errors, the `index`-th input.
    pub fn new<R: Read + Send + 'static>(src: R, file: &str, index: usize) -> SacctJson {
        let (tx, rx) = sync_channel(256);
        let handle = std::thread::spawn(move || {
            let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(
                1 << 16,
                src,
            ));
            let r = de.deserialize_map(Top { tx: &tx }).and_then(|_| de.end());
            if let Err(e) = r {
                let m = e.to_string();
                let m = match m.find(" at line ") {
                    Some(i) => m[..i].to_string(),
                    None => m,
                };
                let _ = tx.send(Msg::Error(m, e.line() as u64, e.column() as u64));
            }
        });
        SacctJson {
            rx,
            handle: Some(handle),
            file: file.to_string(),
            index,
            count: 0,
            meta: None,
        }
    }

    /// The data parser or plugin named in the document's `meta` (`openapi/dbv0.0.38`, `data_parser/v0.0.42`).
    pub fn data_parser(&self) -> Option<&str> {
        self.meta.as_deref()
    }
}

impl Drop for SacctJson {
    fn drop(&mut self) {
        // Unblock the parser thread (it stops when the channel closes) and wait for it.
        let (_tx, rx) = sync_channel(0);
        let old = std::mem::replace(&mut self.rx, rx);
        drop(old);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn convert(job: &Value) -> Msg {
    let mut rec = JobRecord::default();
    Msg::Job(Box::new(job_from_value(job, &mut rec).map(|()| rec)))
}

/// A number as every data parser writes it: a plain number, or `{set, infinite, number}`.
fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::Object(m) => {
            if m.get("set").and_then(Value::as_bool) == Some(false)
                || m.get("infinite").and_then(Value::as_bool) == Some(true)
            {
                return None;
            }
            m.get("number").and_then(Value::as_f64)
        }
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// The state: a string (dbv0.0.37, 0.0.38) or a list of flags (v0.0.39+).
fn state_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

fn time_of(v: Option<&Value>) -> Option<Timestamp> {
    let t = num(v?)?;
    (t > 0.0).then_some(Timestamp(t as i64))
}

fn tres_list(v: &Value, kind: &str) -> Option<f64> {
    let mut untyped = None;
    let mut typed: Option<f64> = None;
    for t in v.as_array()? {
        let ty = text(&t["type"]);
        let name = t["name"].as_str().unwrap_or("");
        // An entry without a count (`"count": null`, e.g. energy on a cluster without an energy
        // plugin) says nothing: skip it, not the list.
        let Some(count) = num(&t["count"]) else {
            continue;
        };
        if kind == "gpu" {
            if ty == "gres" && (name == "gpu" || name.starts_with("gpu:")) {
                if name == "gpu" {
                    untyped = Some(count);
                } else {
                    *typed.get_or_insert(0.0) += count;
                }
            }
        } else if ty == kind && count >= 0.0 {
            return Some(count);
        }
    }
    untyped.or(typed)
}

/// Fills `rec` from one job of any supported schema.
pub fn job_from_value(j: &Value, rec: &mut JobRecord) -> Result<(), String> {
    rec.clear();
    // slurmdbd jobs have `state.current`; slurmctld jobs have `job_state`.
    let controller = j.get("job_state").is_some();
    let id = num(&j["job_id"]).ok_or("a job_id")? as u64;
    let array_task = if controller {
        num(&j["array_task_id"])
    } else {
        num(&j["array"]["task_id"])
    };
    let array_job = if controller {
        num(&j["array_job_id"])
    } else {
        num(&j["array"]["job_id"])
    };
    let het_job = if controller {
        num(&j["het_job_id"])
    } else {
        num(&j["het"]["job_id"])
    };
    let het_off = if controller {
        num(&j["het_job_offset"])
    } else {
        num(&j["het"]["job_offset"])
    };
    rec.job_id = match (array_job, array_task, het_job, het_off) {
        (Some(a), Some(t), _, _) if a > 0.0 => format!("{}_{}", a as u64, t as u64),
        (_, _, Some(h), Some(o)) if h > 0.0 => format!("{}+{}", h as u64, o as u64),
        _ => id.to_string(),
    };
    rec.name = text(&j["name"]).to_string();
    rec.cluster = text(&j["cluster"]).to_string();
    rec.partition = text(&j["partition"]).to_string();
    rec.account = text(&j["account"]).to_string();
    let (state, times, tres_alloc) = if controller {
        rec.user = text(&j["user_name"]).to_string();
        (state_of(&j["job_state"]), None, None)
    } else {
        rec.user = text(&j["user"]).to_string();
        (
            state_of(&j["state"]["current"]),
            Some(&j["time"]),
            Some(&j["tres"]["allocated"]),
        )
    };
    rec.state_raw = state.clone();
    rec.state = (!state.is_empty()).then(|| JobState::parse(&state));
    if let Some(t) = times {
        rec.submit = time_of(t.get("submission"));
        rec.start = time_of(t.get("start"));
        rec.end = time_of(t.get("end"));
        rec.elapsed_s = t.get("elapsed").and_then(num);
        let total = t.get("total").map(|x| {
            num(&x["seconds"]).unwrap_or(0.0) + num(&x["microseconds"]).unwrap_or(0.0) / 1e6
        });
        rec.total_cpu_s = total;
    } else {
        rec.submit = time_of(j.get("submit_time"));
        rec.start = time_of(j.get("start_time"));
        rec.end = time_of(j.get("end_time"));
        match rec.state {
            // slurmctld writes the expected start and end of pending jobs, and the expected end
            // (start + time limit) of running ones: neither happened.
            Some(JobState::Pending) => {
                rec.start = None;
                rec.end = None;
            }
            Some(JobState::Running | JobState::Suspended) => {
                rec.end = None;
                rec.elapsed_s = match (rec.start, time_of(j.get(SNAPSHOT_TIME))) {
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
    }
    if let Some(alloc) = tres_alloc {
        rec.cpus = tres_list(alloc, "cpu");
        rec.nodes = tres_list(alloc, "node").or_else(|| num(&j["allocation_nodes"]));
        rec.gpus = tres_list(alloc, "gpu");
        rec.mem_gb = tres_list(alloc, "mem").map(|mb| mb / 1024.0);
        rec.billing = tres_list(alloc, "billing");
        rec.energy_j = tres_list(alloc, "energy").filter(|e| *e > 0.0);
        let mut step_energy: Option<f64> = None;
        if let Some(steps) = j["steps"].as_array() {
            rec.steps = steps.len() as u32;
            // The job's own `time.total` is 0 in these documents: sacct's TotalCPU of a job is
            // the sum over its steps, as here.
            let step_cpu: f64 = steps
                .iter()
                .filter_map(|s| {
                    s.pointer("/time/total").map(|x| {
                        num(&x["seconds"]).unwrap_or(0.0)
                            + num(&x["microseconds"]).unwrap_or(0.0) / 1e6
                    })
                })
                .sum();
            if step_cpu > rec.total_cpu_s.unwrap_or(0.0) {
                rec.total_cpu_s = Some(step_cpu);
            }
            for s in steps {
                let e = s
                    .pointer("/statistics/energy/consumed")
                    .and_then(num)
                    .or_else(|| {
                        s.pointer("/tres/consumed/total")
                            .and_then(|t| tres_list(t, "energy"))
                    });
                if let Some(e) = e.filter(|e| *e > 0.0) {
                    step_energy = Some(step_energy.map_or(e, |x: f64| x.max(e)));
                }
            }
        }
        rec.step_energy_j = step_energy;
    } else {
        let t =
            parse_tres(text(&j["tres_alloc_str"])).map_err(|e| format!("tres_alloc_str: {e}"))?;
        rec.cpus = t.cpus.or_else(|| num(&j["cpus"]));
        rec.nodes = t.nodes.or_else(|| num(&j["node_count"]));
        rec.gpus = t.gpus;
        rec.mem_gb = t.mem_gb;
        rec.billing = t.billing;
    }
    rec.node_list = text(&j["nodes"]).to_string();
    Ok(())
}

impl RecordReader for SacctJson {
    fn next_job(&mut self, out: &mut JobRecord, _issues: &mut Issues) -> Result<bool, ReadError> {
        loop {
            match self.rx.recv() {
                Ok(Msg::Meta(m)) => self.meta = Some(m),
                Ok(Msg::Job(r)) => {
                    self.count += 1;
                    return match *r {
                        Ok(rec) => {
                            *out = rec;
                            out.source = self.index;
                            out.line = self.count;
                            Ok(true)
                        }
                        Err(m) => Err(ReadError {
                            file: self.file.clone(),
                            line: 0,
                            column: None,
                            field: None,
                            message: format!("job #{} of the document: expected {m}", self.count),
                            fatal: false,
                        }),
                    };
                }
                Ok(Msg::Error(m, line, col)) => {
                    return Err(ReadError {
                        file: self.file.clone(),
                        line,
                        column: Some(col),
                        field: None,
                        message: format!("not a sacct --json document: {m}"),
                        fatal: true,
                    })
                }
                Err(_) => return Ok(false),
            }
        }
    }
}
