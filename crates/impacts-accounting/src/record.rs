//! One job of a scheduler's accounting, and the parsers of sacct's field formats.

use impacts::impacts_model::calendar::{civil_from_seconds, seconds_from_civil};
use serde::Serialize;

/// The final (or current) state of a job.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JobState {
    /// Finished with exit code 0.
    Completed,
    /// Finished with a non-zero exit code.
    Failed,
    /// Killed at its time limit.
    Timeout,
    /// Cancelled by a user or an administrator.
    Cancelled,
    /// Ended by a node failure.
    NodeFail,
    /// Killed for exceeding its memory.
    OutOfMemory,
    /// Preempted.
    Preempted,
    /// Could not boot its nodes.
    BootFail,
    /// Missed its deadline.
    Deadline,
    /// Still running.
    Running,
    /// Not started.
    Pending,
    /// Suspended.
    Suspended,
    /// Requeued.
    Requeued,
    /// Changing size.
    Resizing,
    /// Revoked (federation).
    Revoked,
    /// Not recorded (SWF status -1, sacct `UNKNOWN`).
    Unknown,
    /// A state this version does not know (kept as written in `state_raw`).
    Other,
}

impl JobState {
    /// Parses a state as sacct, sacct --json or SWF write it (`CANCELLED by 1234` is CANCELLED).
    pub fn parse(s: &str) -> JobState {
        let word = s
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches('+');
        // sacct writes states in capitals: look them up as written, in capitals otherwise.
        match Self::parse_upper(word) {
            JobState::Other if word.bytes().any(|c| c.is_ascii_lowercase()) => {
                Self::parse_upper(&word.to_ascii_uppercase())
            }
            s => s,
        }
    }

    fn parse_upper(word: &str) -> JobState {
        match word {
            "COMPLETED" | "CD" => JobState::Completed,
            "FAILED" | "F" => JobState::Failed,
            "TIMEOUT" | "TO" => JobState::Timeout,
            "CANCELLED" | "CA" => JobState::Cancelled,
            "NODE_FAIL" | "NF" => JobState::NodeFail,
            "OUT_OF_MEMORY" | "OOM" => JobState::OutOfMemory,
            "PREEMPTED" | "PR" => JobState::Preempted,
            "BOOT_FAIL" | "BF" => JobState::BootFail,
            "DEADLINE" | "DL" => JobState::Deadline,
            "RUNNING" | "R" => JobState::Running,
            "PENDING" | "PD" => JobState::Pending,
            "SUSPENDED" | "S" => JobState::Suspended,
            "REQUEUED" | "RQ" => JobState::Requeued,
            "RESIZING" | "RS" => JobState::Resizing,
            "REVOKED" | "RV" => JobState::Revoked,
            "UNKNOWN" => JobState::Unknown,
            _ => JobState::Other,
        }
    }

    /// The name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Completed => "COMPLETED",
            JobState::Failed => "FAILED",
            JobState::Timeout => "TIMEOUT",
            JobState::Cancelled => "CANCELLED",
            JobState::NodeFail => "NODE_FAIL",
            JobState::OutOfMemory => "OUT_OF_MEMORY",
            JobState::Preempted => "PREEMPTED",
            JobState::BootFail => "BOOT_FAIL",
            JobState::Deadline => "DEADLINE",
            JobState::Running => "RUNNING",
            JobState::Pending => "PENDING",
            JobState::Suspended => "SUSPENDED",
            JobState::Requeued => "REQUEUED",
            JobState::Resizing => "RESIZING",
            JobState::Revoked => "REVOKED",
            JobState::Unknown => "UNKNOWN",
            JobState::Other => "OTHER",
        }
    }

    /// True for jobs that ended without producing their result: failed, timed out, cancelled,
    /// out of memory, node failure, boot failure, deadline, preempted.
    pub fn is_unsuccessful(self) -> bool {
        matches!(
            self,
            JobState::Failed
                | JobState::Timeout
                | JobState::Cancelled
                | JobState::NodeFail
                | JobState::OutOfMemory
                | JobState::BootFail
                | JobState::Deadline
                | JobState::Preempted
        )
    }
}

/// A date and time as the scheduler wrote it, as seconds since 1970-01-01T00:00:00 of the same
/// clock (sacct prints the cluster's local time; JSON and SWF give UNIX time, shown as UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// `YYYY-MM-DDTHH:MM:SS`.
    pub fn format(self) -> String {
        let mut s = String::with_capacity(19);
        self.write_to(&mut s);
        s
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS` to `buf`.
    pub fn write_to(self, buf: &mut String) {
        use std::fmt::Write as _;
        let (y, m, d, hh, mm, ss) = self.parts();
        let _ = write!(buf, "{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}");
    }

    /// `YYYY-MM-DD`.
    pub fn day(self) -> String {
        let mut s = String::with_capacity(10);
        self.write_day(&mut s);
        s
    }

    /// Appends `YYYY-MM-DD` to `buf`.
    pub fn write_day(self, buf: &mut String) {
        use std::fmt::Write as _;
        let (y, m, d, ..) = self.parts();
        let _ = write!(buf, "{y:04}-{m:02}-{d:02}");
    }

    /// `YYYY-MM`.
    pub fn month(self) -> String {
        let mut s = String::with_capacity(7);
        self.write_month(&mut s);
        s
    }

    /// Appends `YYYY-MM` to `buf`.
    pub fn write_month(self, buf: &mut String) {
        use std::fmt::Write as _;
        let (y, m, ..) = self.parts();
        let _ = write!(buf, "{y:04}-{m:02}");
    }

    fn parts(self) -> (i64, u32, u32, u32, u32, u32) {
        civil_from_seconds(self.0)
    }

    /// From a civil date and time.
    pub fn from_civil(y: i64, m: u32, d: u32, hh: u32, mm: u32, ss: u32) -> Option<Timestamp> {
        seconds_from_civil(y, m, d, hh, mm, ss).map(Timestamp)
    }
}

/// Parses a date-time as sacct writes it, whatever SLURM_TIME_FORMAT: `2016-12-22T07:15:12`,
/// `2024-03-15-20:24:16`, `2024/03/15-20:24:16`, `2016-12-22 07:15:12`, or UNIX seconds.
/// `Unknown`, `None`, `N/A` and the empty string are `Ok(None)`.
pub fn parse_time(s: &str) -> Result<Option<Timestamp>, String> {
    let s = s.trim_ascii();
    if s.is_empty() || matches!(s, "Unknown" | "None" | "N/A" | "0" | "None assigned") {
        return Ok(None);
    }
    let bad = || "a date and time such as 2024-03-15T20:24:16, Unknown or None".to_string();
    let b = s.as_bytes();
    if b.iter().all(u8::is_ascii_digit) {
        if b.len() >= 9 {
            return s
                .parse::<i64>()
                .map(|v| Some(Timestamp(v)))
                .map_err(|_| bad());
        }
        return Err(bad());
    }
    // Six groups of digits separated by anything else: year (4 digits), month, day, hours,
    // minutes, seconds.
    let mut n = [0u32; 6];
    let mut groups = 0usize;
    let mut digits = 0usize;
    let mut first_len = 0usize;
    for &c in b {
        if c.is_ascii_digit() {
            if digits == 0 {
                if groups == 6 {
                    return Err(bad());
                }
                groups += 1;
            }
            digits += 1;
            if digits > 4 {
                return Err(bad());
            }
            n[groups - 1] = n[groups - 1] * 10 + u32::from(c - b'0');
            if groups == 1 {
                first_len = digits;
            }
        } else {
            digits = 0;
        }
    }
    if groups == 6 && first_len == 4 {
        if let Some(t) = Timestamp::from_civil(i64::from(n[0]), n[1], n[2], n[3], n[4], n[5]) {
            return Ok(Some(t));
        }
    }
    Err(bad())
}

/// Parses a duration: `[D-]HH:MM:SS`, `MM:SS`, `MM:SS.mmm` or a number of seconds. `UNLIMITED`,
/// `Partition_Limit`, `INVALID` and the empty string are `Ok(None)`.
pub fn parse_duration(s: &str) -> Result<Option<f64>, String> {
    let s = s.trim_ascii();
    if s.is_empty()
        || s.eq_ignore_ascii_case("UNLIMITED")
        || s.eq_ignore_ascii_case("Partition_Limit")
        || s.eq_ignore_ascii_case("INVALID")
    {
        return Ok(None);
    }
    let bad =
        || "a duration such as 1-02:03:04, 02:03:04, 03:04.567 or a number of seconds".to_string();
    let (days, rest) = match s.split_once('-') {
        Some((d, r)) => (d.parse::<f64>().map_err(|_| bad())?, r),
        None => (0.0, s),
    };
    let num = |p: &str| -> Result<f64, String> {
        let v: f64 = p.parse().map_err(|_| bad())?;
        if v.is_finite() && v >= 0.0 {
            Ok(v)
        } else {
            Err(bad())
        }
    };
    let secs = match rest.split_once(':') {
        None => num(rest)?,
        Some((a, r)) => match r.split_once(':') {
            None => num(a)? * 60.0 + num(r)?,
            Some((b, c)) if !c.contains(':') => num(a)? * 3600.0 + num(b)? * 60.0 + num(c)?,
            Some(_) => return Err(bad()),
        },
    };
    Ok(Some(days * 86_400.0 + secs))
}

/// A memory size of Slurm (`31000M`, `62.50G`, `125G`, `1T`, `512K`, plain numbers in MB) in GB.
pub fn parse_mem_gb(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (num, unit) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, "M"),
    };
    let v: f64 = num.parse().ok()?;
    let gb = match unit.chars().next().map(|c| c.to_ascii_uppercase()) {
        Some('K') => v / (1024.0 * 1024.0),
        Some('M') => v / 1024.0,
        Some('G') => v,
        Some('T') => v * 1024.0,
        Some('P') => v * 1024.0 * 1024.0,
        _ => return None,
    };
    gb.is_finite().then_some(gb)
}

/// ReqMem of Slurm before 21.08: a size with `n` (per node) or `c` (per CPU), as GB for the job.
pub fn parse_req_mem_gb(s: &str, nodes: Option<f64>, cpus: Option<f64>) -> Option<f64> {
    let s = s.trim();
    let (body, per) = match s.chars().last() {
        Some('n') => (&s[..s.len() - 1], nodes),
        Some('c') => (&s[..s.len() - 1], cpus),
        _ => (s, Some(1.0)),
    };
    let gb = parse_mem_gb(body)? * per?;
    // Slurm writes sentinel values (2147486648Mn: 2^31 MB with flags) for "all the node's memory".
    (gb < 1e6).then_some(gb)
}

/// What a TRES string (`billing=24,cpu=8,gres/gpu:a100=2,mem=199G,node=1,energy=123`) holds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tres {
    /// CPUs.
    pub cpus: Option<f64>,
    /// Nodes.
    pub nodes: Option<f64>,
    /// GPUs: `gres/gpu` when present, else the sum of the typed `gres/gpu:TYPE`.
    pub gpus: Option<f64>,
    /// Memory (GB).
    pub mem_gb: Option<f64>,
    /// Billing units.
    pub billing: Option<f64>,
    /// Energy (J).
    pub energy_j: Option<f64>,
}

/// Parses a TRES string; unknown entries are ignored, malformed ones are an error.
pub fn parse_tres(s: &str) -> Result<Tres, String> {
    let mut t = Tres::default();
    let mut typed_gpus: Option<f64> = None;
    for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (k, v) = item
            .split_once('=')
            .ok_or_else(|| format!("TRES entries of the form name=value, found '{item}'"))?;
        let num = || -> Result<f64, String> {
            let b = v.as_bytes();
            if !b.is_empty() && b.len() <= 15 && b.iter().all(u8::is_ascii_digit) {
                return Ok(b.iter().fold(0u64, |a, c| a * 10 + u64::from(c - b'0')) as f64);
            }
            v.parse::<f64>()
                .map_err(|_| format!("a number for TRES {k}, found '{v}'"))
        };
        match k {
            "cpu" => t.cpus = Some(num()?),
            "node" => t.nodes = Some(num()?),
            "billing" => t.billing = Some(num()?),
            "energy" => t.energy_j = Some(num()?),
            "mem" => {
                t.mem_gb = Some(
                    parse_mem_gb(v)
                        .ok_or_else(|| format!("a memory size for TRES mem, found '{v}'"))?,
                )
            }
            "gres/gpu" => t.gpus = Some(num()?),
            _ if k.starts_with("gres/gpu:") => {
                *typed_gpus.get_or_insert(0.0) += num()?;
            }
            _ => {}
        }
    }
    if t.gpus.is_none() {
        t.gpus = typed_gpus;
    }
    Ok(t)
}

/// A job identifier split into its job and step parts: `123_4.batch` → ("123_4", Some("batch")).
pub fn split_job_id(id: &str) -> (&str, Option<&str>) {
    // A step suffix follows the last '.' after any array bracket.
    let bracket_end = id.rfind(']').map(|i| i + 1).unwrap_or(0);
    match id[bracket_end..].find('.') {
        Some(i) => (&id[..bracket_end + i], Some(&id[bracket_end + i + 1..])),
        None => (id, None),
    }
}

/// The first host of a Slurm host list (`cpn-f13-03-[01-02],cpn-f13-04-01` → `cpn-f13-03-01`).
pub fn first_host(list: &str) -> Option<String> {
    let list = list.trim();
    if list.is_empty() || list == "None assigned" || list == "(null)" {
        return None;
    }
    let first = match list.find(',') {
        Some(i) if !list[..i].contains('[') || list[..i].contains(']') => &list[..i],
        _ => list,
    };
    match (first.find('['), first.find(']')) {
        (Some(a), Some(b)) if a < b => {
            let inner = &first[a + 1..b];
            let head = inner.split([',', '-']).next().unwrap_or("");
            Some(format!("{}{}{}", &first[..a], head, &first[b + 1..]))
        }
        _ => Some(first.split(',').next().unwrap_or(first).to_string()),
    }
}

/// The clock of a record's times.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Clock {
    /// UNIX time, UTC (sacct's JSON).
    #[default]
    Utc,
    /// The cluster's local time, in a zone the source does not say (sacct's text).
    Local,
    /// Local time at a known offset from UTC, in seconds east (SWF's `TimeZone`).
    Offset(i64),
}

/// One job, as read from an accounting source.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobRecord {
    /// Job identifier as the scheduler shows it (`123`, `123_4`, `123_[1-3]`, `123+1`).
    pub job_id: String,
    /// The scheduler's unique numeric id when the source gives it (JobIDRaw, the JSON `job_id`,
    /// SWF's job number): what the job saw as `SLURM_JOB_ID`, and Darshan records.
    pub job_id_raw: String,
    /// Cluster.
    pub cluster: String,
    /// Partition (or SWF queue number).
    pub partition: String,
    /// User.
    pub user: String,
    /// Account.
    pub account: String,
    /// Job name.
    pub name: String,
    /// State.
    pub state: Option<JobState>,
    /// State as written.
    pub state_raw: String,
    /// The source gives no state at all (a table without a `state` column): COMPLETED is
    /// taken, and counted (`default.state`).
    pub state_assumed: bool,
    /// Submission time.
    pub submit: Option<Timestamp>,
    /// Start time.
    pub start: Option<Timestamp>,
    /// End time.
    pub end: Option<Timestamp>,
    /// Elapsed time (s).
    pub elapsed_s: Option<f64>,
    /// Allocated nodes.
    pub nodes: Option<f64>,
    /// Allocated CPUs (cores).
    pub cpus: Option<f64>,
    /// Allocated GPUs.
    pub gpus: Option<f64>,
    /// Allocated memory (GB).
    pub mem_gb: Option<f64>,
    /// Billing units.
    pub billing: Option<f64>,
    /// Measured energy of the allocation (J).
    pub energy_j: Option<f64>,
    /// Largest measured energy among the job's steps (J).
    pub step_energy_j: Option<f64>,
    /// CPU time used (s).
    pub total_cpu_s: Option<f64>,
    /// CPU load (%) given with the record (a table's column): it wins over the run's policy.
    pub cpu_load: Option<f64>,
    /// GPU load (%) given with the record: it wins over the run's policy.
    pub gpu_load: Option<f64>,
    /// Node list.
    pub node_list: String,
    /// Steps folded into the job.
    pub steps: u32,
    /// Index of the input the record comes from.
    pub source: usize,
    /// Line (text) or job number (JSON) of the allocation record.
    pub line: u64,
    /// The clock of its times.
    pub clock: Clock,
}

impl JobRecord {
    /// Empties the record for reuse (keeps the string buffers).
    pub fn clear(&mut self) {
        self.job_id.clear();
        self.job_id_raw.clear();
        self.cluster.clear();
        self.partition.clear();
        self.user.clear();
        self.account.clear();
        self.name.clear();
        self.state = None;
        self.state_raw.clear();
        self.state_assumed = false;
        self.submit = None;
        self.start = None;
        self.end = None;
        self.elapsed_s = None;
        self.nodes = None;
        self.cpus = None;
        self.gpus = None;
        self.mem_gb = None;
        self.billing = None;
        self.energy_j = None;
        self.step_energy_j = None;
        self.total_cpu_s = None;
        self.node_list.clear();
        self.steps = 0;
        self.source = 0;
        self.line = 0;
    }

    /// Duration in seconds: Elapsed, else end − start.
    pub fn duration_s(&self) -> Option<f64> {
        self.elapsed_s.or_else(|| match (self.start, self.end) {
            (Some(s), Some(e)) if e.0 >= s.0 => Some(e.0.abs_diff(s.0) as f64),
            _ => None,
        })
    }

    /// The measured energy of the job (J): the allocation's when positive, else the largest of its
    /// steps' (the `extern` step spans the allocation); `None` when nothing positive was recorded.
    pub fn measured_energy_j(&self) -> Option<f64> {
        self.energy_j.filter(|e| *e > 0.0).or(self.step_energy_j)
    }

    /// The date that places the job in a day or month: its start, else its submission, else its end.
    pub fn date(&self) -> Option<Timestamp> {
        self.start.or(self.submit).or(self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_of_every_sacct_form() {
        assert_eq!(
            parse_duration("10-13:27:06").unwrap(),
            Some(10.0 * 86400.0 + 13.0 * 3600.0 + 27.0 * 60.0 + 6.0)
        );
        assert_eq!(parse_duration("00:00:24").unwrap(), Some(24.0));
        assert_eq!(parse_duration("03:20.951").unwrap(), Some(200.951));
        assert_eq!(parse_duration("72").unwrap(), Some(72.0));
        assert_eq!(parse_duration("UNLIMITED").unwrap(), None);
        assert_eq!(parse_duration("Partition_Limit").unwrap(), None);
        assert!(parse_duration("12:xx:00").is_err());
        assert!(parse_duration("1:2:3:4").is_err());
    }

    #[test]
    fn times_of_every_format() {
        let t = parse_time("2016-12-22T07:15:12").unwrap().unwrap();
        assert_eq!(t.format(), "2016-12-22T07:15:12");
        // 2016-12-22T07:15:12Z is UNIX time 1482390912.
        assert_eq!(t.0, 1_482_390_912);
        assert_eq!(
            parse_time("2024-03-15-20:24:16").unwrap().unwrap().format(),
            "2024-03-15T20:24:16"
        );
        assert_eq!(
            parse_time("2024/03/15-20:24:16").unwrap().unwrap().format(),
            "2024-03-15T20:24:16"
        );
        assert_eq!(
            parse_time("1680193504").unwrap().unwrap().format(),
            "2023-03-30T16:25:04"
        );
        assert_eq!(parse_time("Unknown").unwrap(), None);
        assert_eq!(parse_time("None").unwrap(), None);
        assert!(parse_time("2024-02-30T00:00:00").is_err());
        assert!(parse_time("yesterday").is_err());
        assert_eq!(t.day(), "2016-12-22");
        assert_eq!(t.month(), "2016-12");
    }

    #[test]
    fn tres_and_gpus() {
        // Expectations of XDMoD's alloc-tres-gpu-count.json fixture (shared/data).
        for (s, gpus) in [
            ("", None),
            ("billing=1,cpu=1,mem=1000M,node=1", None),
            ("billing=10,cpu=10,gres/gpu=4,mem=374000M,node=2", Some(4.0)),
            ("billing=1,cpu=1,gres/gpu:p100=1,mem=125G,node=1", Some(1.0)),
            ("gres/gpu:volta=2,mem=125G,node=1", Some(2.0)),
            ("billing=1,cpu=1,gres/gpu:tesla=4", Some(4.0)),
            ("cpu=8,gres/gpu=2,gres/gpu:a100=2,node=1", Some(2.0)),
        ] {
            assert_eq!(parse_tres(s).unwrap().gpus, gpus, "{s}");
        }
        let t = parse_tres("billing=1152,cpu=1152,energy=20543125,mem=1840000M,node=4").unwrap();
        assert_eq!(t.cpus, Some(1152.0));
        assert_eq!(t.nodes, Some(4.0));
        assert_eq!(t.energy_j, Some(20_543_125.0));
        assert!((t.mem_gb.unwrap() - 1_840_000.0 / 1024.0).abs() < 1e-9);
        assert!(parse_tres("cpu=abc").is_err());
        assert!(parse_tres("cpu").is_err());
    }

    #[test]
    fn req_mem_suffixes() {
        assert_eq!(
            parse_req_mem_gb("100Gn", Some(2.0), Some(12.0)),
            Some(200.0)
        );
        assert_eq!(parse_req_mem_gb("512Mc", Some(1.0), Some(4.0)), Some(2.0));
        assert_eq!(parse_req_mem_gb("199G", Some(1.0), Some(8.0)), Some(199.0));
        assert_eq!(parse_req_mem_gb("2147486648Mn", Some(1.0), Some(8.0)), None);
    }

    #[test]
    fn job_ids_and_steps() {
        assert_eq!(split_job_id("123"), ("123", None));
        assert_eq!(split_job_id("123.batch"), ("123", Some("batch")));
        assert_eq!(split_job_id("123_4.0"), ("123_4", Some("0")));
        assert_eq!(split_job_id("4103947_[1-3]"), ("4103947_[1-3]", None));
        assert_eq!(
            split_job_id("4103947_[9-11,20].extern"),
            ("4103947_[9-11,20]", Some("extern"))
        );
        assert_eq!(split_job_id("555+1.0"), ("555+1", Some("0")));
    }

    #[test]
    fn host_lists() {
        assert_eq!(
            first_host("cpn-f13-03-[01-02],cpn-f13-04-[01-02]").as_deref(),
            Some("cpn-f13-03-01")
        );
        assert_eq!(
            first_host("nid[001002,001004]").as_deref(),
            Some("nid001002")
        );
        assert_eq!(
            first_host("k10n26s01,k13n36s01").as_deref(),
            Some("k10n26s01")
        );
        assert_eq!(first_host("None assigned"), None);
    }

    #[test]
    fn states() {
        assert_eq!(JobState::parse("CANCELLED by 380693"), JobState::Cancelled);
        assert_eq!(JobState::parse("COMPLETED"), JobState::Completed);
        assert_eq!(JobState::parse("FOO"), JobState::Other);
        assert!(JobState::Timeout.is_unsuccessful());
        assert!(!JobState::Completed.is_unsuccessful());
    }
}
