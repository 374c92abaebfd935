//! `sacct --parsable2` (`-P`) and `--parsable` (`-p`) text, any delimiter, with or without header.

use std::io::BufRead;

use impacts::{InputError, Location};

use crate::record::{
    parse_duration, parse_req_mem_gb, parse_time, parse_tres, split_job_id, Clock, JobRecord,
    JobState,
};
use crate::{Issues, ReadError, RecordReader};

/// The sacct fields this reader uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// JobID
    JobId,
    /// JobIDRaw
    JobIdRaw,
    /// JobName
    JobName,
    /// Cluster
    Cluster,
    /// Partition
    Partition,
    /// User
    User,
    /// Account
    Account,
    /// State
    State,
    /// Submit
    Submit,
    /// Start
    Start,
    /// End
    End,
    /// Elapsed
    Elapsed,
    /// ElapsedRaw
    ElapsedRaw,
    /// NNodes, AllocNodes
    Nodes,
    /// ReqNodes
    ReqNodes,
    /// NCPUS, AllocCPUS
    Cpus,
    /// ReqCPUS
    ReqCpus,
    /// AllocTRES
    AllocTres,
    /// ReqTRES
    ReqTres,
    /// ReqMem
    ReqMem,
    /// ConsumedEnergyRaw
    EnergyRaw,
    /// ConsumedEnergy (with K, M, G suffixes)
    Energy,
    /// NodeList
    NodeList,
    /// TotalCPU
    TotalCpu,
}

/// Every field name of sacct 22.05–24.11 (`sacct --helpformat`), to recognise header rows.
const KNOWN: &[&str] = &[
    "account",
    "admincomment",
    "alloccpus",
    "allocnodes",
    "alloctres",
    "associd",
    "avecpu",
    "avecpufreq",
    "avediskread",
    "avediskwrite",
    "avepages",
    "averss",
    "avevmsize",
    "blockid",
    "cluster",
    "comment",
    "constraints",
    "consumedenergy",
    "consumedenergyraw",
    "container",
    "cputime",
    "cputimeraw",
    "dbindex",
    "derivedexitcode",
    "elapsed",
    "elapsedraw",
    "eligible",
    "end",
    "exclusive",
    "exitcode",
    "extra",
    "failednode",
    "flags",
    "gid",
    "group",
    "jobid",
    "jobidraw",
    "jobname",
    "layout",
    "licenses",
    "maxdiskread",
    "maxdiskreadnode",
    "maxdiskreadtask",
    "maxdiskwrite",
    "maxdiskwritenode",
    "maxdiskwritetask",
    "maxpages",
    "maxpagesnode",
    "maxpagestask",
    "maxrss",
    "maxrssnode",
    "maxrsstask",
    "maxvmsize",
    "maxvmsizenode",
    "maxvmsizetask",
    "mcslabel",
    "mincpu",
    "mincpunode",
    "mincputask",
    "ncpus",
    "nnodes",
    "nodelist",
    "ntasks",
    "originalsluid",
    "oversubscribe",
    "partition",
    "planned",
    "plannedcpu",
    "plannedcpuraw",
    "priority",
    "qos",
    "qosraw",
    "qosreq",
    "reason",
    "reqcpufreq",
    "reqcpufreqgov",
    "reqcpufreqmax",
    "reqcpufreqmin",
    "reqcpus",
    "reqmem",
    "reqnodes",
    "reqtres",
    "reservation",
    "reservationid",
    "reserved",
    "restarts",
    "segmentsize",
    "sluid",
    "start",
    "state",
    "stderr",
    "stdin",
    "stdout",
    "submit",
    "submitline",
    "suspended",
    "systemcomment",
    "systemcpu",
    "timelimit",
    "timelimitraw",
    "totalcpu",
    "tresusageinave",
    "tresusageinmax",
    "tresusageinmaxnode",
    "tresusageinmaxtask",
    "tresusageinmin",
    "tresusageinminnode",
    "tresusageinmintask",
    "tresusageintot",
    "tresusageoutave",
    "tresusageoutmax",
    "tresusageoutmaxnode",
    "tresusageoutmaxtask",
    "tresusageoutmin",
    "tresusageoutminnode",
    "tresusageoutmintask",
    "tresusageouttot",
    "uid",
    "user",
    "usercpu",
    "wckey",
    "wckeyid",
    "workdir",
];

impl Field {
    /// The field of a sacct name (case-insensitive, `%width` suffixes ignored); `None` for fields
    /// this reader does not use.
    pub fn from_name(name: &str) -> Option<Field> {
        let n = name
            .split('%')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        Some(match n.as_str() {
            "jobid" => Field::JobId,
            "jobidraw" => Field::JobIdRaw,
            "jobname" => Field::JobName,
            "cluster" => Field::Cluster,
            "partition" => Field::Partition,
            "user" => Field::User,
            "account" => Field::Account,
            "state" => Field::State,
            "submit" => Field::Submit,
            "start" => Field::Start,
            "end" => Field::End,
            "elapsed" => Field::Elapsed,
            "elapsedraw" => Field::ElapsedRaw,
            "nnodes" | "allocnodes" => Field::Nodes,
            "reqnodes" => Field::ReqNodes,
            "ncpus" | "alloccpus" => Field::Cpus,
            "reqcpus" => Field::ReqCpus,
            "alloctres" => Field::AllocTres,
            "reqtres" => Field::ReqTres,
            "reqmem" => Field::ReqMem,
            "consumedenergyraw" => Field::EnergyRaw,
            "consumedenergy" => Field::Energy,
            "nodelist" => Field::NodeList,
            "totalcpu" => Field::TotalCpu,
            _ => return None,
        })
    }

    /// True for a name sacct knows.
    pub fn is_known(name: &str) -> bool {
        let n = name
            .split('%')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        KNOWN.contains(&n.as_str())
    }
}

/// Options of the sacct text reader.
#[derive(Clone, Debug, Default)]
pub struct TextOptions {
    /// Delimiter (`--delimiter`); found in the header or guessed among `|` and `☃` otherwise.
    pub delimiter: Option<String>,
    /// Field names in order (`--fields`, sacct's `--format` names), for files without a header.
    pub fields: Option<Vec<String>>,
}

/// Reads sacct parsable text.
pub struct SacctText<R: BufRead> {
    src: R,
    file: String,
    index: usize,
    line_no: u64,
    buf: Vec<u8>,
    delim: Vec<u8>,
    cols: Vec<Option<Field>>,
    has: Vec<Field>,
    leading: bool,
    pending: Option<JobRecord>,
    spare: JobRecord,
    started: bool,
    opts: TextOptions,
    bounds: Vec<(usize, usize)>,
    markdown: bool,
}

fn known_header(tokens: &[&str]) -> bool {
    !tokens.is_empty()
        && tokens
            .iter()
            .filter(|t| !t.trim().is_empty())
            .all(|t| Field::is_known(t))
}

impl<R: BufRead> SacctText<R> {
    /// A reader over `src`, named `file` in errors, the `index`-th input.
    pub fn new(src: R, file: &str, index: usize, opts: TextOptions) -> SacctText<R> {
        SacctText {
            src,
            file: file.to_string(),
            index,
            line_no: 0,
            buf: Vec::with_capacity(1024),
            delim: Vec::new(),
            cols: Vec::new(),
            has: Vec::new(),
            leading: false,
            pending: None,
            spare: JobRecord::default(),
            started: false,
            opts,
            bounds: Vec::with_capacity(64),
            markdown: false,
        }
    }

    fn err(&self, field: Option<&str>, message: String, fatal: bool) -> ReadError {
        ReadError::malformed(&self.file, self.line_no, None, field, message, fatal)
    }

    /// An error that stops reading, at the current line.
    fn fatal(&self, e: InputError) -> ReadError {
        ReadError::fatal(e.at(Location::at(&self.file, self.line_no, None)))
    }

    /// Reads the next non-empty line into `buf` (without its end of line); false at the end.
    fn read_line(&mut self) -> Result<bool, ReadError> {
        loop {
            self.buf.clear();
            // read_until, with the memchr crate's search (several times faster on long lines).
            loop {
                let avail = match self.src.fill_buf() {
                    Ok(a) => a,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(self.err(None, format!("cannot read: {e}"), true)),
                };
                if avail.is_empty() {
                    break;
                }
                match memchr::memchr(b'\n', avail) {
                    Some(i) => {
                        self.buf.extend_from_slice(&avail[..=i]);
                        self.src.consume(i + 1);
                        break;
                    }
                    None => {
                        let n = avail.len();
                        self.buf.extend_from_slice(avail);
                        self.src.consume(n);
                    }
                }
            }
            if self.buf.is_empty() {
                return Ok(false);
            }
            self.line_no += 1;
            while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
                self.buf.pop();
            }
            let t = trim_bytes(&self.buf);
            if t.is_empty() {
                continue;
            }
            // In a Markdown document, only the table's rows are records.
            if self.markdown && t[0] != b'|' {
                continue;
            }
            // Separator rows of a table pasted as markdown (|---|---|).
            if t.iter()
                .all(|b| matches!(b, b'-' | b'|' | b':' | b' ' | b'+'))
            {
                continue;
            }
            return Ok(true);
        }
    }

    fn set_columns(&mut self, names: &[String]) -> Result<(), ReadError> {
        self.cols = names.iter().map(|n| Field::from_name(n)).collect();
        self.has = self.cols.iter().flatten().copied().collect();
        if !self.has.contains(&Field::JobId) && !self.has.contains(&Field::JobIdRaw) {
            return Err(self.err(
                None,
                "the fields must include JobID (or JobIDRaw)".into(),
                true,
            ));
        }
        let has = |f: Field| self.has.contains(&f);
        let duration_known =
            has(Field::Elapsed) || has(Field::ElapsedRaw) || (has(Field::Start) && has(Field::End));
        if !duration_known {
            return Err(self.err(None, "the fields must include Elapsed (or ElapsedRaw, or Start and End) to know how long jobs ran".into(), true));
        }
        Ok(())
    }

    /// Reads the header (or applies --fields) from the first line, which stays in `buf` when it is data.
    fn start(&mut self) -> Result<bool, ReadError> {
        self.started = true;
        if !self.read_line()? {
            return Ok(false);
        }
        // sacct output pasted in a Markdown document (a README, an issue): read its table.
        let head = trim_bytes(&self.buf);
        if self.opts.delimiter.is_none() && (head.starts_with(b"#") || head.starts_with(b"```")) {
            self.markdown = true;
            if !trim_bytes(&self.buf).starts_with(b"|") && !self.read_line()? {
                return Err(self.err(
                    None,
                    "no sacct output: the first line is not a sacct header, and the document (Markdown, or text with # comments) holds no table of sacct output (rows starting with |)".into(),
                    true,
                ));
            }
        }
        let line = String::from_utf8_lossy(&self.buf).into_owned();
        let mut text = line.trim();
        if let Some(d) = &self.opts.delimiter {
            self.delim = d.as_bytes().to_vec();
        } else {
            // The delimiter is what follows the first name of a header row, else | or ☃.
            let lead = text.chars().next().filter(|c| !c.is_alphanumeric());
            let body = match lead {
                Some(c) if text.matches(c).count() > 2 => &text[c.len_utf8()..],
                _ => text,
            };
            let first: String = body
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let after = body.trim_start()[first.len()..].to_string();
            let sep: String = after
                .chars()
                .take_while(|c| !c.is_alphanumeric() && *c != '_')
                .collect();
            // Tabs (sacct --delimiter=$'\t', or a spreadsheet's export) are the one blank delimiter.
            let sep = if sep.trim().is_empty() && sep.starts_with('\t') {
                "\t".to_string()
            } else {
                sep.trim().to_string()
            };
            if Field::is_known(&first) && !sep.is_empty() {
                self.delim = sep.into_bytes();
            } else if text.contains('|') {
                self.delim = b"|".to_vec();
            } else if text.contains('☃') {
                self.delim = "☃".as_bytes().to_vec();
            } else {
                return Err(self.fatal(InputError::missing(
                    "delimiter",
                    "cannot find the field delimiter: expected sacct --parsable2 (-P) or --parsable (-p) output, or the delimiter named",
                )));
            }
        }
        let d = String::from_utf8_lossy(&self.delim).into_owned();
        if text.starts_with(&d) && text.matches(&d).count() > 1 {
            self.leading = true;
            text = &text[d.len()..];
        }
        let tokens: Vec<&str> = text.split(&d).map(str::trim).collect();
        let tokens: Vec<&str> = match tokens.last() {
            Some(&"") => tokens[..tokens.len() - 1].to_vec(),
            _ => tokens,
        };
        if known_header(&tokens) {
            let names: Vec<String> = tokens.iter().map(|s| s.to_string()).collect();
            if let Some(f) = &self.opts.fields {
                if f.len() != names.len()
                    || f.iter()
                        .zip(&names)
                        .any(|(a, b)| !a.eq_ignore_ascii_case(b))
                {
                    return Err(self.fatal(InputError::invalid(
                        "fields",
                        f.join(","),
                        format!("the fields of the header row ({})", names.join(",")),
                    )));
                }
            }
            self.set_columns(&names)?;
            self.buf.clear();
            return Ok(true);
        }
        match &self.opts.fields {
            Some(f) => {
                let f = f.clone();
                for name in &f {
                    if !Field::is_known(name) {
                        return Err(self.fatal(InputError::unknown(
                            "fields",
                            name,
                            "sacct --format names (JobID, User, Partition, State, Elapsed, NNodes, NCPUS, AllocTRES, ...)",
                        )));
                    }
                }
                self.set_columns(&f)?;
                Ok(true)
            }
            None => Err(self.fatal(InputError::missing(
                "fields",
                "no header row: give the field order (the --format list of the sacct command), e.g. JobID,User,Account,Partition,State,Start,End,Elapsed,NNodes,NCPUS,AllocTRES",
            ))),
        }
    }

    /// Parses `buf` into `rec`: a job or one of its steps, as its JobID says.
    fn parse_line(&mut self, rec: &mut JobRecord) -> Result<(), ReadError> {
        rec.clear();
        rec.source = self.index;
        rec.clock = Clock::Local;
        rec.line = self.line_no;
        let mut line: &[u8] = trim_bytes(&self.buf);
        if self.leading && line.starts_with(&self.delim) {
            line = &line[self.delim.len()..];
        }
        cut_fields(line, &self.delim, &mut self.bounds);
        let n = self.cols.len();
        if self.bounds.len() == n + 1 && self.bounds[n].0 == self.bounds[n].1 {
            self.bounds.pop(); // trailing delimiter of --parsable
        }
        if self.bounds.len() != n {
            return Err(self.err(
                None,
                format!("expected {n} fields, found {}", self.bounds.len()),
                false,
            ));
        }
        let resources = self.read_fields(line, rec)?;
        self.check_job_id(rec)?;
        self.apply_resources(rec, &resources)
    }

    /// Reads the fields of `line` (cut at `bounds`) that go straight into `rec`; returns those
    /// that are combined once the whole line is read.
    #[inline]
    fn read_fields<'l>(
        &self,
        line: &'l [u8],
        rec: &mut JobRecord,
    ) -> Result<Resources<'l>, ReadError> {
        let mut res = Resources::default();
        // One UTF-8 check for the line; field by field only to name a field at fault.
        let whole = std::str::from_utf8(line).ok();
        for (c, (a, b)) in self.bounds.iter().enumerate() {
            let Some(f) = self.cols[c] else { continue };
            let v = match whole.and_then(|t| t.get(*a..*b)) {
                Some(v) => v,
                None => std::str::from_utf8(&line[*a..*b])
                    .map_err(|_| self.err(Some(field_name(f)), "valid UTF-8".into(), false))?,
            }
            .trim_ascii();
            self.read_field(f, v, rec, &mut res)?;
        }
        Ok(res)
    }

    /// Reads the value `v` of field `f` into `rec`, or into `res` for what is combined later.
    #[inline]
    fn read_field<'l>(
        &self,
        f: Field,
        v: &'l str,
        rec: &mut JobRecord,
        res: &mut Resources<'l>,
    ) -> Result<(), ReadError> {
        let bad = |what: &str| {
            self.err(
                Some(field_name(f)),
                format!("expected {what}, found '{v}'"),
                false,
            )
        };
        match f {
            Field::JobId => {
                rec.job_id.clear();
                rec.job_id.push_str(v);
            }
            Field::JobIdRaw => {
                if rec.job_id.is_empty() {
                    rec.job_id.push_str(v);
                }
                rec.job_id_raw.clear();
                rec.job_id_raw.push_str(v);
            }
            Field::JobName => rec.name.push_str(v),
            Field::Cluster => rec.cluster.push_str(v),
            Field::Partition => rec.partition.push_str(v),
            Field::User => rec.user.push_str(v),
            Field::Account => rec.account.push_str(v),
            Field::State => {
                rec.state_raw.push_str(v);
                rec.state = (!v.is_empty()).then(|| JobState::parse(v));
            }
            Field::Submit => rec.submit = parse_time(v).map_err(|e| bad(&e))?,
            Field::Start => rec.start = parse_time(v).map_err(|e| bad(&e))?,
            Field::End => rec.end = parse_time(v).map_err(|e| bad(&e))?,
            Field::Elapsed => {
                if rec.elapsed_s.is_none() {
                    rec.elapsed_s = parse_duration(v).map_err(|e| bad(&e))?;
                }
            }
            Field::ElapsedRaw => {
                if !v.is_empty() {
                    rec.elapsed_s = Some(number(v).ok_or_else(|| bad("a number of seconds"))?);
                }
            }
            Field::Nodes => rec.nodes = opt_number(v).map_err(|_| bad("a number of nodes"))?,
            Field::ReqNodes => res.req_nodes = opt_number(v).ok().flatten(),
            Field::Cpus => rec.cpus = opt_number(v).map_err(|_| bad("a number of CPUs"))?,
            Field::ReqCpus => res.req_cpus = opt_number(v).ok().flatten(),
            Field::AllocTres => res.tres_alloc = Some(v),
            Field::ReqTres => res.tres_req = Some(v),
            Field::ReqMem => res.req_mem = Some(v),
            Field::EnergyRaw => {
                rec.energy_j = match v {
                    "" => None,
                    _ => Some(number(v).ok_or_else(|| bad("a number of joules"))?),
                }
            }
            Field::Energy => res.energy_scaled = Some(v),
            Field::NodeList => rec.node_list.push_str(v),
            Field::TotalCpu => rec.total_cpu_s = parse_duration(v).map_err(|e| bad(&e))?,
        }
        Ok(())
    }

    /// Checks that the line has a job id that starts with a digit.
    #[inline]
    fn check_job_id(&self, rec: &JobRecord) -> Result<(), ReadError> {
        if rec.job_id.is_empty() {
            return Err(self.err(Some("JobID"), "expected a job id, found ''".into(), false));
        }
        if !rec.job_id.as_bytes()[0].is_ascii_digit() {
            return Err(self.err(
                Some("JobID"),
                format!(
                    "expected a job id such as 1234, 1234_5 or 1234.batch, found '{}'",
                    rec.job_id
                ),
                false,
            ));
        }
        Ok(())
    }

    /// Completes `rec` with the resources of the line: GPUs, billing and memory of the TRES
    /// (allocated, else requested), nodes, CPUs and memory requested where nothing was
    /// allocated, and the energy.
    #[inline]
    fn apply_resources(&self, rec: &mut JobRecord, res: &Resources<'_>) -> Result<(), ReadError> {
        let tres = match res.tres_alloc.filter(|t| !t.is_empty()).or(res.tres_req) {
            Some(t) => parse_tres(t).map_err(|e| {
                self.err(
                    Some(if res.tres_alloc.is_some() {
                        "AllocTRES"
                    } else {
                        "ReqTRES"
                    }),
                    format!("expected {e}"),
                    false,
                )
            })?,
            None => Default::default(),
        };
        rec.gpus = tres.gpus;
        rec.billing = tres.billing;
        rec.mem_gb = tres.mem_gb;
        if rec.nodes.is_none() {
            rec.nodes = tres.nodes.or(res.req_nodes);
        }
        if rec.cpus.is_none() {
            rec.cpus = tres.cpus.or(res.req_cpus);
        }
        if rec.mem_gb.is_none() {
            if let Some(m) = res.req_mem {
                rec.mem_gb = parse_req_mem_gb(m, rec.nodes, rec.cpus);
            }
        }
        if rec.energy_j.is_none() {
            rec.energy_j = self.scaled_energy(res.energy_scaled)?.or(tres.energy_j);
        }
        Ok(())
    }

    /// The energy of ConsumedEnergy (`20.54M`), if given.
    #[inline]
    fn scaled_energy(&self, energy: Option<&str>) -> Result<Option<f64>, ReadError> {
        match energy.filter(|e| !e.is_empty()) {
            Some(e) => scaled_number(e).map(Some).ok_or_else(|| {
                self.err(
                    Some("ConsumedEnergy"),
                    format!("expected an energy such as 20.54M, found '{e}'"),
                    false,
                )
            }),
            None => Ok(None),
        }
    }
}

/// The fields of a line that are combined once the whole line is read: the TRES lists, the
/// requested resources, the energy with its unit.
#[derive(Default)]
struct Resources<'l> {
    tres_alloc: Option<&'l str>,
    tres_req: Option<&'l str>,
    req_mem: Option<&'l str>,
    req_nodes: Option<f64>,
    req_cpus: Option<f64>,
    energy_scaled: Option<&'l str>,
}

/// Cuts `line` at each `delim` into `bounds` (start and end of each field).
#[inline]
fn cut_fields(line: &[u8], delim: &[u8], bounds: &mut Vec<(usize, usize)>) {
    bounds.clear();
    let mut start = 0;
    if delim.len() == 1 {
        for i in memchr::memchr_iter(delim[0], line) {
            bounds.push((start, i));
            start = i + 1;
        }
    } else {
        for i in memchr::memmem::find_iter(line, delim) {
            bounds.push((start, i));
            start = i + delim.len();
        }
    }
    bounds.push((start, line.len()));
}

fn field_name(f: Field) -> &'static str {
    match f {
        Field::JobId => "JobID",
        Field::JobIdRaw => "JobIDRaw",
        Field::JobName => "JobName",
        Field::Cluster => "Cluster",
        Field::Partition => "Partition",
        Field::User => "User",
        Field::Account => "Account",
        Field::State => "State",
        Field::Submit => "Submit",
        Field::Start => "Start",
        Field::End => "End",
        Field::Elapsed => "Elapsed",
        Field::ElapsedRaw => "ElapsedRaw",
        Field::Nodes => "NNodes",
        Field::ReqNodes => "ReqNodes",
        Field::Cpus => "NCPUS",
        Field::ReqCpus => "ReqCPUS",
        Field::AllocTres => "AllocTRES",
        Field::ReqTres => "ReqTRES",
        Field::ReqMem => "ReqMem",
        Field::EnergyRaw => "ConsumedEnergyRaw",
        Field::Energy => "ConsumedEnergy",
        Field::NodeList => "NodeList",
        Field::TotalCpu => "TotalCPU",
    }
}

fn trim_bytes(b: &[u8]) -> &[u8] {
    let s = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let e = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map(|i| i + 1)
        .unwrap_or(s);
    &b[s..e.max(s)]
}

fn number(v: &str) -> Option<f64> {
    // Counts are small integers: read them without the general float parser.
    let b = v.as_bytes();
    if !b.is_empty() && b.len() <= 15 && b.iter().all(u8::is_ascii_digit) {
        return Some(b.iter().fold(0u64, |a, c| a * 10 + u64::from(c - b'0')) as f64);
    }
    v.parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0)
}

fn opt_number(v: &str) -> Result<Option<f64>, ()> {
    if v.is_empty() {
        return Ok(None);
    }
    number(v).map(Some).ok_or(())
}

/// `20.54M` → 20 540 000; plain numbers as is.
fn scaled_number(v: &str) -> Option<f64> {
    let (num, k) = match v.chars().last()? {
        'K' => (&v[..v.len() - 1], 1e3),
        'M' => (&v[..v.len() - 1], 1e6),
        'G' => (&v[..v.len() - 1], 1e9),
        'T' => (&v[..v.len() - 1], 1e12),
        _ => (v, 1.0),
    };
    number(num).map(|x| x * k)
}

impl<R: BufRead> RecordReader for SacctText<R> {
    fn next_job(&mut self, out: &mut JobRecord, issues: &mut Issues) -> Result<bool, ReadError> {
        if !self.started {
            if !self.start()? {
                return Ok(false);
            }
            if !self.buf.is_empty() {
                // The first line was data: parse it now.
                let mut rec = std::mem::take(&mut self.spare);
                let r = self.parse_line(&mut rec);
                match r {
                    Ok(()) => {
                        if let Some(done) = self.fold(rec, issues) {
                            self.spare = std::mem::replace(out, done);
                            return Ok(true);
                        }
                    }
                    Err(e) => {
                        self.spare = rec;
                        return Err(e);
                    }
                }
            }
        }
        loop {
            if !self.read_line()? {
                return match self.pending.take() {
                    Some(p) => {
                        *out = p;
                        Ok(true)
                    }
                    None => Ok(false),
                };
            }
            let mut rec = std::mem::take(&mut self.spare);
            if let Err(e) = self.parse_line(&mut rec) {
                self.spare = rec;
                return Err(e);
            }
            if let Some(done) = self.fold(rec, issues) {
                // The caller's previous record becomes the spare: its strings are reused.
                self.spare = std::mem::replace(out, done);
                return Ok(true);
            }
        }
    }
}

impl<R: BufRead> SacctText<R> {
    /// Folds a parsed line: a step goes into the pending job; a new job replaces it and the
    /// finished one is returned.
    fn fold(&mut self, rec: JobRecord, issues: &mut Issues) -> Option<JobRecord> {
        let (base, step) = split_job_id(&rec.job_id);
        let same_as_pending = self.pending.as_ref().is_some_and(|p| p.job_id == base);
        // A step line, or a second line with the job's id but no partition (how some sites print
        // steps): measured data only.
        if step.is_some() || (same_as_pending && rec.partition.is_empty()) {
            match &mut self.pending {
                Some(p) if p.job_id == base => {
                    p.steps += 1;
                    if let Some(e) = rec.energy_j.filter(|e| *e > 0.0) {
                        p.step_energy_j = Some(p.step_energy_j.map_or(e, |x| x.max(e)));
                    }
                }
                _ => issues.note("accounting.orphan-step", || {
                    format!(
                        "{}:{}: step {} without its job line (ignored)",
                        self.file, rec.line, rec.job_id
                    )
                }),
            }
            self.spare = rec;
            return None;
        }
        if same_as_pending {
            issues.note("accounting.duplicate-job", || {
                format!(
                    "{}:{}: job {} appears twice; the first line is kept",
                    self.file, rec.line, rec.job_id
                )
            });
            self.spare = rec;
            return None;
        }
        let finished = self.pending.replace(rec);
        if let Some(f) = finished {
            return Some(f);
        }
        None
    }
}
