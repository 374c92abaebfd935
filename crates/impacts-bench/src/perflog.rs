//! ReFrame's performance logs: ReFrame 3's fixed layout (one line per value, `key=value` fields)
//! and ReFrame 4's (a header line names the columns; one line per run, or per value in the
//! compatibility mode), any delimiter.

use std::collections::HashMap;

use impacts_error::{InputError, Location};

use crate::model::{PerfValue, Run};
use crate::{time, Warnings};

/// The runs of a perflog's text (`file` names it in errors and sources).
pub fn read(file: &str, text: &str, warnings: &mut Warnings) -> Result<Vec<Run>, InputError> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    match Header::sniff(first) {
        Some(header) => header.read(file, text, warnings),
        None => read_v3(file, text, warnings),
    }
}

/// True when a file's first line is a perflog's: a ReFrame 4 header, or a ReFrame 3 line.
pub(crate) fn is_perflog(first: &str) -> bool {
    Header::sniff(first).is_some()
        || (first.contains('|') && first.contains(" on ") && first.contains(" using "))
}

/// Lines of one run gathered, in the order the runs first appear.
#[derive(Default)]
struct Gather {
    runs: Vec<Run>,
    index: HashMap<String, usize>,
}

impl Gather {
    fn add(&mut self, key: String, run: Run, value: PerfValue) {
        match self.index.get(&key) {
            Some(&i) => self.runs[i].perf.push(value),
            None => {
                self.index.insert(key, self.runs.len());
                let mut run = run;
                run.perf.push(value);
                self.runs.push(run);
            }
        }
    }
}

fn at(file: &str, line: usize) -> Location {
    Location::at(file, line as u64, None)
}

/// ReFrame 3: `time|reframe version|test on system:partition using environ|jobid=N|var=value|unit|
/// ref=R (l=L, u=U)|extra`, fields before the value (`num_tasks=4`) and after the reference
/// (`k=v` and bare words, comma-separated) kept as parameters and tags.
fn read_v3(file: &str, text: &str, warnings: &mut Warnings) -> Result<Vec<Run>, InputError> {
    read_v3_by(file, text, crate::threads(), warnings)
}

/// [`read_v3`] by `threads` threads (one for a small file).
fn read_v3_by(
    file: &str,
    text: &str,
    threads: usize,
    warnings: &mut Warnings,
) -> Result<Vec<Run>, InputError> {
    let keyed = if threads <= 1 || text.len() < PARALLEL_MIN {
        v3_lines(file, text, 1, warnings)?
    } else {
        let parts = split_lines(text, 1, threads);
        crate::in_parallel(&parts, warnings, |&(part, first), w| {
            v3_lines(file, part, first, w)
        })?
    };
    // Parts are gathered in order: a run whose lines fall in two parts is made once, on its first
    // line, as when the file is read in one.
    let mut runs: Vec<Run> = Vec::new();
    let mut index: HashMap<V3Key, usize> = HashMap::with_capacity(keyed.len());
    for (key, run) in keyed {
        match index.get(&key) {
            Some(&i) => runs[i].perf.extend(run.perf),
            None => {
                index.insert(key, runs.len());
                runs.push(run);
            }
        }
    }
    Ok(runs)
}

/// What makes a ReFrame 3 run: its test and job, or its test and time without a job id (a time
/// alone would split a run whose lines were logged across a second).
type V3Key<'a> = (&'a str, &'a str, &'a str);

/// The runs of a part of a ReFrame 3 perflog (`first`: its first line's number in the file),
/// each with its key; the lines of a run are gathered within the part.
fn v3_lines<'a>(
    file: &str,
    text: &'a str,
    first: usize,
    warnings: &mut Warnings,
) -> Result<Vec<(V3Key<'a>, Run)>, InputError> {
    let mut runs: Vec<(V3Key<'a>, Run)> = Vec::new();
    // A run's lines share their time, test and job fields: the run is made on its first line,
    // later lines only add their value.
    let mut index: HashMap<V3Key<'a>, usize> = HashMap::new();
    let mut fields: Vec<&'a str> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let number = first + n;
        fields.clear();
        fields.extend(line.split('|'));
        let info = fields
            .iter()
            .position(|f| f.contains(" on ") && f.contains(" using "))
            .ok_or_else(|| InputError::malformed(V3_LAYOUT).at(at(file, number)))?;
        let (value, own) = v3_value(&fields, info).map_err(|e| e.at(at(file, number)))?;
        if value.is_none() {
            warnings.add("bench.value-not-a-number", &format!("{file}:{number}"));
        }
        let jobid = fields
            .iter()
            .find(|f| f.starts_with("jobid=") && !absent(&f[6..]))
            .copied();
        let key = (
            jobid.map_or(fields[0], |_| ""),
            fields[info],
            jobid.unwrap_or(""),
        );
        if let Some(&i) = index.get(&key) {
            runs[i].1.perf.extend(value);
            continue;
        }
        let mut run = v3_run(&fields, info, own, warnings).map_err(|e| e.at(at(file, number)))?;
        run.source = format!("{file}:{number}");
        run.perf.extend(value);
        index.insert(key, runs.len());
        runs.push((key, run));
    }
    Ok(runs)
}

/// The layout of a ReFrame 3 perflog line.
const V3_LAYOUT: &str = "a ReFrame 3 perflog line: `time|reframe version|test on system:partition using environ|jobid=N|var=value|unit|ref=R (l=L, u=U)|…`";

/// A line's value (None when it is not a number: `nan`, `None`), and the places of the fields
/// that make it (value, unit, reference). The value is the `name=value` field just before the
/// reference, or before the unit before it; with no unit before the reference, a bare field just
/// after it is the unit (ReFrame 3's own default layout, `…|bw=41.5|ref=40 (l=-0.1, u=0.1)|GB/s`);
/// without a reference, the last `name=number` after the test.
fn v3_value(
    fields: &[&str],
    info: usize,
) -> Result<(Option<PerfValue>, [Option<usize>; 3]), InputError> {
    let reference = fields
        .iter()
        .position(|f| f.trim_start().starts_with("ref="));
    let pair = |i: usize| key_value(fields.get(i).copied().unwrap_or(""));
    let bare = |i: usize| {
        fields
            .get(i)
            .is_some_and(|f| !f.trim().is_empty() && !f.contains('=') && !f.contains(','))
    };
    let (var_at, unit_at) = match reference {
        Some(r) if r > info + 1 && pair(r - 1).is_some() => (r - 1, bare(r + 1).then_some(r + 1)),
        Some(r) if r > info + 2 && pair(r - 2).is_some() => (r - 2, Some(r - 1)),
        _ => {
            let i = (info + 1..fields.len())
                .rev()
                .find(|&i| {
                    pair(i).is_some_and(|(_, v)| number(v).is_some())
                        && !fields[i].starts_with("jobid=")
                })
                .ok_or_else(|| InputError::malformed("a performance value `name=number`"))?;
            (i, bare(i + 1).then_some(i + 1))
        }
    };
    let (name, text) = pair(var_at).ok_or_else(|| InputError::malformed("name=value"))?;
    let own = [Some(var_at), unit_at, reference];
    let Some(value) = number(text) else {
        return Ok((None, own));
    };
    let mut perf = PerfValue {
        name: name.to_string(),
        value,
        unit: unit_at
            .map(|u| fields[u].trim().to_string())
            .unwrap_or_default(),
        ..PerfValue::default()
    };
    if let Some(r) = reference {
        v3_reference(fields[r], &mut perf)?;
    }
    Ok((Some(perf), own))
}

/// The run a line describes: its test, machine, time, job, and the fields that are not its
/// value (`own`: the value's, the unit's and the reference's places) as parameters and tags.
fn v3_run(
    fields: &[&str],
    info: usize,
    own: [Option<usize>; 3],
    warnings: &mut Warnings,
) -> Result<Run, InputError> {
    let mut run = Run::default();
    v3_info(fields[info], &mut run)?;
    run.time = match time::parse(fields[0]) {
        Some((t, naive)) => {
            if naive {
                warnings.add("bench.time-without-zone", fields[0]);
            }
            Some(t)
        }
        None => None,
    };
    let reference = own[2];
    for (i, f) in fields.iter().enumerate().skip(info + 1) {
        if own.contains(&Some(i)) {
            continue;
        }
        if let Some(id) = f.strip_prefix("jobid=") {
            run.jobid = (!absent(id)).then(|| id.trim().to_string());
        } else if reference.is_some_and(|r| i > r) {
            extra(f, &mut run);
        } else if let Some((k, v)) = f.split_once('=') {
            run.params
                .insert(k.trim().to_string(), v.trim().to_string());
        }
    }
    if let Some(n) = run.params.get("num_tasks").and_then(|n| n.parse().ok()) {
        run.num_tasks = Some(n);
    }
    Ok(run)
}

/// `Test %p=v on system:partition using environ`.
fn v3_info(info: &str, run: &mut Run) -> Result<(), InputError> {
    let (test, rest) = info
        .split_once(" on ")
        .ok_or_else(|| InputError::malformed("`test on system:partition using environ`"))?;
    let (machine, environ) = rest
        .split_once(" using ")
        .ok_or_else(|| InputError::malformed("`test on system:partition using environ`"))?;
    let (system, partition) = machine.split_once(':').unwrap_or((machine, ""));
    name_and_params(test.trim(), run);
    run.system = system.trim().to_string();
    run.partition = partition.trim().to_string();
    run.environ = environ.trim().to_string();
    Ok(())
}

/// `ref=R (l=L, u=U)`.
fn v3_reference(field: &str, perf: &mut PerfValue) -> Result<(), InputError> {
    let body = field.trim().trim_start_matches("ref=");
    let (r, rest) = body.split_once(' ').unwrap_or((body, ""));
    perf.reference = number(r);
    let inner = rest.trim().trim_start_matches('(').trim_end_matches(')');
    for part in inner.split(',') {
        match part.trim().split_once('=') {
            Some(("l", v)) => perf.lower = number(v),
            Some(("u", v)) => perf.upper = number(v),
            Some(_) | None if part.trim().is_empty() => {}
            _ => return Err(InputError::invalid("ref", field, "`ref=R (l=L, u=U)`")),
        }
    }
    Ok(())
}

/// ReFrame 3's extra field: `k=v` as parameters, bare words as tags.
fn extra(field: &str, run: &mut Run) {
    for token in field.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        match token.split_once('=') {
            Some((k, v)) => {
                run.params
                    .insert(k.trim().to_string(), v.trim().to_string());
            }
            None => run.tags.push(token.to_string()),
        }
    }
}

/// `name=value`, the name a word.
fn key_value(field: &str) -> Option<(&str, &str)> {
    let (k, v) = field.split_once('=')?;
    let k = k.trim();
    (!k.is_empty() && !k.contains(' ')).then_some((k, v.trim()))
}

/// A number, `None`/`null`/empty as absent.
fn number(v: &str) -> Option<f64> {
    let v = v.trim();
    if absent(v) {
        return None;
    }
    v.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn absent(v: &str) -> bool {
    matches!(v.trim(), "" | "None" | "null" | "none" | "NA")
}

/// A test's name and its `%p=v` parameters (`SleepBench %size=1`).
pub(crate) fn name_and_params(name: &str, run: &mut Run) {
    run.display_name = name.to_string();
    let mut parts = name.split(" %");
    run.test = parts.next().unwrap_or("").trim().to_string();
    for p in parts {
        if let Some((k, v)) = p.split_once('=') {
            run.params
                .insert(k.trim().to_string(), v.trim().to_string());
        }
    }
}

/// ReFrame's own columns that say nothing of the use case.
const IGNORED: [&str; 18] = [
    "version",
    "info",
    "descr",
    "env_vars",
    "extra_resources",
    "modules",
    "unique_name",
    "short_name",
    "job_exitcode",
    "job_submit_time",
    "hashcode",
    "uuid",
    "session_uuid",
    "run_index",
    "exclusive_access",
    "use_multithreading",
    "num_tasks_per_core",
    "num_tasks_per_socket",
];

/// A file smaller than this is read by one thread.
const PARALLEL_MIN: usize = 4 << 20;

/// The text after the header (the first non-empty line), and its first line's number.
fn after_header(text: &str) -> (&str, usize) {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        offset += line.len();
        if !line.trim().is_empty() {
            return (&text[offset..], i + 2);
        }
    }
    ("", 1)
}

/// Lines cut into about `n` parts of similar size, at line ends, each with its first line's
/// number.
fn split_lines(body: &str, first: usize, n: usize) -> Vec<(&str, usize)> {
    let mut parts = Vec::with_capacity(n);
    let (mut start, mut line) = (0, first);
    for k in 1..=n {
        let target = (body.len() * k / n).max(start);
        let end = if k == n {
            body.len()
        } else {
            // Bytes, not characters: `target` may fall inside a character; a newline never does.
            body.as_bytes()[target..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(body.len(), |i| target + i + 1)
        };
        let part = &body[start..end];
        parts.push((part, line));
        line += part.bytes().filter(|&b| b == b'\n').count();
        start = end;
        if start >= body.len() {
            break;
        }
    }
    parts
}

/// What a ReFrame 4 perflog column holds.
#[derive(Clone, Debug, PartialEq)]
enum Role {
    Name,
    DisplayName,
    System,
    Partition,
    Environ,
    JobId,
    Result,
    NumTasks,
    NodeList,
    Time,
    TimeUnix,
    Tags,
    /// ReFrame's own, saying nothing of the use case.
    Ignored,
    /// A field of a performance variable (its number among the header's variables).
    Perf(usize, PerfField),
    /// Anything else: a parameter, under the column's name.
    Param,
}

/// The fields of a performance variable's columns.
#[derive(Clone, Copy, Debug, PartialEq)]
enum PerfField {
    Var,
    Value,
    Unit,
    Ref,
    Lower,
    Upper,
}

const PERF_FIELDS: [(&str, PerfField); 6] = [
    ("_var", PerfField::Var),
    ("_value", PerfField::Value),
    ("_unit", PerfField::Unit),
    ("_ref", PerfField::Ref),
    ("_lower_thres", PerfField::Lower),
    ("_upper_thres", PerfField::Upper),
];

/// A ReFrame 4 perflog's header: its delimiter, columns (`check_` prefixes dropped) and what each
/// holds, decided once for the file.
struct Header {
    delimiter: char,
    columns: Vec<String>,
    /// The literal text before each column's value (`jobid=`), empty for most.
    prefixes: Vec<String>,
    /// Some column has such a text.
    literal: bool,
    roles: Vec<Role>,
    /// The performance variables' names (`perf` in the compatibility mode, named per line).
    variables: Vec<String>,
}

impl Header {
    /// The header, when the first line is one: it names `job_completion_time`, `jobid`,
    /// `perf_var` or `display_name`, and has no `key=value` field.
    fn sniff(line: &str) -> Option<Header> {
        let delimiter = ['|', ',', ';', '\t']
            .into_iter()
            .max_by_key(|d| line.split(*d).count())?;
        // A column may carry the format's literal text before its placeholder (`jobid=jobid`:
        // ReFrame ≥ 4.6 copies it into the header): its name is after the last `=`, and its
        // cells start with the same text.
        let (prefixes, columns): (Vec<String>, Vec<String>) = line
            .split(delimiter)
            .map(|c| {
                let c = c.trim();
                let (prefix, name) = c.rsplit_once('=').map_or(("", c), |(p, n)| (p, n));
                let prefix = if prefix.is_empty() {
                    String::new()
                } else {
                    format!("{prefix}=")
                };
                (prefix, name.trim_start_matches("check_").to_string())
            })
            .unzip();
        let known = columns.iter().any(|c| {
            matches!(
                c.as_str(),
                "job_completion_time" | "jobid" | "perf_var" | "display_name"
            )
        });
        // A ReFrame 3 line (`test on system:partition using environ`) is no header.
        if !known || (line.contains(" on ") && line.contains(" using ")) {
            return None;
        }
        // A variable: a prefix with both `_value` and `_unit` columns.
        let variables: Vec<String> = columns
            .iter()
            .filter_map(|c| c.strip_suffix("_value"))
            .filter(|v| columns.iter().any(|c| *c == format!("{v}_unit")))
            .map(String::from)
            .collect();
        let roles = columns.iter().map(|c| role(c, &variables)).collect();
        Some(Header {
            delimiter,
            columns,
            literal: prefixes.iter().any(|p| !p.is_empty()),
            prefixes,
            roles,
            variables,
        })
    }

    /// The runs of a file's text. A large file of one run per line is read by as many threads as
    /// the machine has cores, each a part of its lines (the compatibility mode gathers lines into
    /// runs, and is read in one).
    fn read(
        &self,
        file: &str,
        text: &str,
        warnings: &mut Warnings,
    ) -> Result<Vec<Run>, InputError> {
        let (body, first) = after_header(text);
        let compat = self.variables.iter().any(|v| v == "perf");
        let threads = crate::threads();
        if compat || threads == 1 || body.len() < PARALLEL_MIN {
            return self.rows(file, body, first, compat, warnings);
        }
        let parts = split_lines(body, first, threads);
        crate::in_parallel(&parts, warnings, |&(part, first), w| {
            self.rows(file, part, first, false, w)
        })
    }

    /// The runs of lines of the body (`first`: the first one's number in the file).
    fn rows(
        &self,
        file: &str,
        body: &str,
        first: usize,
        compat: bool,
        warnings: &mut Warnings,
    ) -> Result<Vec<Run>, InputError> {
        let mut out = Gather::default();
        let mut cells: Vec<&str> = Vec::with_capacity(self.columns.len());
        for (i, line) in body.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let n = first + i;
            cells.clear();
            cells.extend(line.split(self.delimiter).map(str::trim));
            if self.literal {
                for (c, p) in cells.iter_mut().zip(&self.prefixes) {
                    *c = c.strip_prefix(p.as_str()).unwrap_or(c);
                }
            }
            if cells.len() != self.columns.len() {
                return Err(InputError::malformed(format!(
                    "{} fields as the header names, not {}",
                    self.columns.len(),
                    cells.len()
                ))
                .at(at(file, n)));
            }
            let (mut run, perf) = self.row(&cells, warnings).map_err(|e| e.at(at(file, n)))?;
            run.source = format!("{file}:{n}");
            if compat {
                let key = format!(
                    "{}|{}|{}|{:?}|{:?}",
                    run.display_name,
                    run.machine(),
                    run.environ,
                    run.jobid,
                    run.time
                );
                for v in perf {
                    out.add(key.clone(), run.clone(), v);
                }
                continue;
            }
            run.perf = perf;
            out.runs.push(run);
        }
        Ok(out.runs)
    }

    /// A row's run and its values (a failed run's empty values left out).
    fn row(
        &self,
        cells: &[&str],
        warnings: &mut Warnings,
    ) -> Result<(Run, Vec<PerfValue>), InputError> {
        let mut run = Run::default();
        let mut perf: Vec<Option<PerfValue>> = vec![None; self.variables.len()];
        let (mut name, mut display, mut zoned) = ("", None, None);
        for ((role, column), &v) in self.roles.iter().zip(&self.columns).zip(cells) {
            if absent(v) {
                continue;
            }
            match role {
                Role::Name => name = v,
                Role::DisplayName => display = Some(v),
                Role::System => run.system = v.to_string(),
                Role::Partition => run.partition = v.to_string(),
                Role::Environ => run.environ = v.to_string(),
                Role::JobId => run.jobid = Some(v.to_string()),
                Role::Result => run.result = Some(v.to_string()),
                Role::NumTasks => run.num_tasks = v.parse().ok(),
                Role::NodeList => run.nodelist = node_list(v),
                Role::TimeUnix => run.time = time::unix(v).or(run.time),
                Role::Time => zoned = Some(v),
                Role::Tags => {
                    run.tags = v
                        .split([',', ' '])
                        .filter(|t| !t.is_empty())
                        .map(String::from)
                        .collect()
                }
                Role::Ignored => {}
                Role::Perf(i, field) => set_perf(&mut perf[*i], *field, v, column)?,
                Role::Param => {
                    run.params.insert(column.clone(), v.to_string());
                }
            }
        }
        let params = std::mem::take(&mut run.params);
        name_and_params(
            if name.is_empty() {
                display.unwrap_or("")
            } else {
                name
            },
            &mut run,
        );
        run.params.extend(params);
        if let Some(d) = display {
            run.display_name = d.to_string();
        }
        if run.time.is_none() {
            if let Some((t, naive)) = zoned.and_then(time::parse) {
                if naive {
                    warnings.add("bench.time-without-zone", zoned.unwrap_or(""));
                }
                run.time = Some(t);
            }
        }
        let perf = perf
            .into_iter()
            .zip(&self.variables)
            .filter_map(|(p, var)| {
                let mut p = p.filter(|p| !p.value.is_nan())?;
                if var != "perf" {
                    p.name = var.clone();
                }
                Some(p)
            })
            .collect();
        Ok((run, perf))
    }
}

/// What a column holds, from its name and the header's variables.
fn role(column: &str, variables: &[String]) -> Role {
    match column {
        "name" => return Role::Name,
        "display_name" => return Role::DisplayName,
        "system" => return Role::System,
        "partition" => return Role::Partition,
        "environ" => return Role::Environ,
        "jobid" => return Role::JobId,
        "result" => return Role::Result,
        "num_tasks" => return Role::NumTasks,
        "job_nodelist" => return Role::NodeList,
        "job_completion_time" => return Role::Time,
        "job_completion_time_unix" => return Role::TimeUnix,
        "tags" => return Role::Tags,
        _ if IGNORED.contains(&column) => return Role::Ignored,
        _ => {}
    }
    for (suffix, field) in PERF_FIELDS {
        if let Some(var) = column.strip_suffix(suffix) {
            if let Some(i) = variables.iter().position(|v| v == var) {
                return Role::Perf(i, field);
            }
        }
    }
    Role::Param
}

/// One field of a variable's columns into its value (`None` until its value is read).
fn set_perf(
    slot: &mut Option<PerfValue>,
    field: PerfField,
    v: &str,
    column: &str,
) -> Result<(), InputError> {
    let p = slot.get_or_insert_with(|| PerfValue {
        value: f64::NAN,
        ..PerfValue::default()
    });
    match field {
        PerfField::Var => p.name = v.to_string(),
        PerfField::Value => {
            p.value = number(v).ok_or_else(|| InputError::invalid(column, v, "a number"))?;
        }
        PerfField::Unit => p.unit = v.to_string(),
        PerfField::Ref => p.reference = number(v),
        PerfField::Lower => p.lower = number(v),
        PerfField::Upper => p.upper = number(v),
    }
    Ok(())
}

/// A node list as ReFrame writes it: `nid001,nid002`, or a Python list `['a', 'b']`.
pub(crate) fn node_list(text: &str) -> Vec<String> {
    text.trim_matches(|c| c == '[' || c == ']')
        .split([',', ' '])
        .map(|n| n.trim().trim_matches(|c| c == '\'' || c == '"'))
        .filter(|n| !n.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of the CSD3 perflogs, and a site's layout with `num_tasks` and no unit field.
    #[test]
    fn reframe_3_lines() {
        let text = "2020-09-30T15:23:17+01:00|reframe 3.2-dev1 (rev: 774134ee)|Gromacs_61k on csd3:cclake-ib using gromacs|jobid=29509521|ns_per_day=273.916|ns/day|ref=0 (l=None, u=None)|num_procs=448,61k-atoms,num_nodes=8
2020-09-30T15:23:17+01:00|reframe 3.2-dev1 (rev: 774134ee)|Gromacs_61k on csd3:cclake-ib using gromacs|jobid=29509521|hour_per_ns=0.088|hour/ns|ref=0.1 (l=-0.05, u=0.05)|num_procs=448,61k-atoms,num_nodes=8
2021-01-01T00:00:00+00:00|reframe 3.3|Stream on daint:gpu using PrgEnv-cray|jobid=7|num_tasks=4|triad=41.5|ref=40 (l=-0.1, u=None)|
";
        let mut w = Warnings::default();
        let runs = read("p.log", text, &mut w).unwrap();
        assert_eq!(runs.len(), 2);
        let g = &runs[0];
        assert_eq!(
            (g.test.as_str(), g.system.as_str(), g.partition.as_str()),
            ("Gromacs_61k", "csd3", "cclake-ib")
        );
        assert_eq!(g.jobid.as_deref(), Some("29509521"));
        assert_eq!(g.perf.len(), 2);
        assert_eq!(g.perf[1].name, "hour_per_ns");
        assert_eq!(
            (g.perf[1].reference, g.perf[1].lower, g.perf[1].upper),
            (Some(0.1), Some(-0.05), Some(0.05))
        );
        assert_eq!(g.params.get("num_nodes").map(String::as_str), Some("8"));
        assert_eq!(g.tags, ["61k-atoms"]);
        assert_eq!(g.nodes(), Some(8));
        let s = &runs[1];
        assert_eq!(
            (s.perf[0].name.as_str(), s.perf[0].unit.as_str()),
            ("triad", "")
        );
        assert_eq!((s.num_tasks, s.perf[0].upper), (Some(4), None));
        // ReFrame 3's own default layout puts the unit after the reference; a value that is not
        // a number is no value (said), and not the field before it.
        let stock = "2021-01-01T00:00:00+00:00|reframe 3.3|Stream on daint:gpu using PrgEnv-cray|jobid=8|num_tasks=4|bw=41.5|ref=40 (l=-0.1, u=0.1)|GB/s
2021-01-01T00:00:01+00:00|reframe 3.3|Stream on daint:gpu using PrgEnv-cray|jobid=8|num_tasks=4|lat=nan|ref=0 (l=None, u=None)|us
";
        let runs = read("s.log", stock, &mut w).unwrap();
        assert_eq!(runs.len(), 1, "one job, even across a second");
        assert_eq!(runs[0].perf.len(), 1);
        let bw = &runs[0].perf[0];
        assert_eq!((bw.name.as_str(), bw.unit.as_str()), ("bw", "GB/s"));
        assert!(runs[0].tags.is_empty(), "the unit is no tag");
        assert_eq!(w.count("bench.value-not-a-number"), 1);
    }

    #[test]
    fn reframe_4_header_and_compat_mode() {
        let text = "job_completion_time|jobid|name|system|partition|environ|result|job_nodelist|rate_value|rate_unit|rate_ref|rate_lower_thres|rate_upper_thres|site_col
2026-12-05T12:22:13|20558|SleepBench %size=1|generic|default|builtin|pass|['n1', 'n2']|100.0|ops/s|100.0|-0.1|0.1|x
";
        let mut w = Warnings::default();
        let runs = read("p.log", text, &mut w).unwrap();
        assert_eq!(runs.len(), 1);
        let r = &runs[0];
        assert_eq!(r.test, "SleepBench");
        assert_eq!(r.params.get("size").map(String::as_str), Some("1"));
        assert_eq!(
            r.params.get("site_col").map(String::as_str),
            Some("x"),
            "unknown columns kept"
        );
        assert_eq!(r.nodelist, ["n1", "n2"]);
        assert_eq!(r.perf[0].band(), (Some(90.0), Some(110.00000000000001)));
        assert_eq!(w.count("bench.time-without-zone"), 1);
        let compat = "check_job_completion_time,check_jobid,check_name,check_system,check_partition,check_environ,check_perf_var,check_perf_value,check_perf_unit,check_perf_ref,check_perf_lower_thres,check_perf_upper_thres
2024-01-01T00:00:00+00:00,5,T,s,p,e,a,1.5,s,0,None,None
2024-01-01T00:00:00+00:00,5,T,s,p,e,b,2.5,s,0,None,None
";
        let runs = read("c.log", compat, &mut w).unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!(
            runs[0]
                .perf
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
    }

    /// ReFrame ≥ 4.6 copies a format's literal text into the header: `jobid=jobid`, cells
    /// `jobid=123`.
    #[test]
    fn a_header_with_the_format_s_literal_text() {
        let text = "job_completion_time|jobid=jobid|name|system|partition|environ|x_value|x_unit
2024-01-01T00:00:00+00:00|jobid=123|T|s|p|e|1.5|s
";
        let runs = read("l.log", text, &mut Warnings::default()).unwrap();
        assert_eq!(runs[0].jobid.as_deref(), Some("123"));
        assert_eq!(runs[0].perf[0].value, 1.5);
    }

    #[test]
    fn errors_name_the_line() {
        let mut w = Warnings::default();
        let e = read("bad.log", "a|b|c\n", &mut w).unwrap_err();
        assert!(e.to_string().starts_with("bad.log:1:"), "{e}");
        let text = "jobid|name|x_value|x_unit\n1|T|1.0|s\n2|T|fast|s\n";
        let e = read("h.log", text, &mut w).unwrap_err();
        assert!(
            e.to_string().contains("h.log:3") && e.to_string().contains("x_value"),
            "{e}"
        );
        let e = read("h.log", "jobid|name|x_value|x_unit\n1|T|1.0\n", &mut w).unwrap_err();
        assert!(
            e.to_string().contains("h.log:2") && e.to_string().contains("4 fields"),
            "{e}"
        );
    }

    /// A file large enough to be read in parts gives the runs one part gives, with their line
    /// numbers; an error in a later part names its line.
    #[test]
    fn a_large_file_read_in_parts_is_the_same_runs() {
        let mut text = String::from("jobid|name|system|partition|environ|x_value|x_unit\n");
        let mut n = 0;
        while text.len() < PARALLEL_MIN + 1000 {
            n += 1;
            text.push_str(&format!("{n}|T %p={}|s|p|e|{n}.5|µs\n", n % 7));
        }
        let h = Header::sniff(text.lines().next().unwrap()).unwrap();
        let (body, first) = after_header(&text);
        assert_eq!(first, 2);
        let whole = h
            .rows("f", body, first, false, &mut Warnings::default())
            .unwrap();
        let parts = h.read("f", &text, &mut Warnings::default()).unwrap();
        assert_eq!(whole.len(), n);
        assert!(parts == whole);
        assert_eq!(parts[n - 1].source, format!("f:{}", n + 1));
        // A cut that falls inside a character moves to the line's end (byte 5 is inside the
        // third `µ`).
        let small = "µµµµ\nµµµ\n";
        let cut = split_lines(small, 1, 3);
        assert_eq!(cut, [("µµµµ\n", 1), ("µµµ\n", 2)]);
        let pieces = split_lines(body, first, 3);
        assert_eq!(pieces.iter().map(|p| p.0).collect::<String>(), body);
        assert_eq!(pieces[1].1, first + pieces[0].0.lines().count());
        let line = n * 3 / 4 + 1;
        let bad = text.replacen(&format!("|{}.5|", line - 1), "|fast|", 1);
        let e = h.read("f", &bad, &mut Warnings::default()).unwrap_err();
        assert!(e.to_string().starts_with(&format!("f:{line}:")), "{e}");
    }

    #[test]
    fn a_large_reframe_3_file_read_in_parts_gathers_runs_across_the_cut() {
        // Each run's first value is in the first half of the file and its second in the second:
        // every cut between threads separates the lines of runs.
        let line = |j: usize, var: &str| {
            format!("2024-01-01T00:00:00+00:00|reframe 3.12.0|T_{} on s:p using e|jobid={j}|{var}={j}.5|s|ref=0 (l=None, u=None)|num_nodes=1\n", j % 7)
        };
        let mut first_half = String::new();
        let mut n = 0;
        while first_half.len() < PARALLEL_MIN {
            n += 1;
            first_half.push_str(&line(n, "a"));
        }
        let second_half: String = (1..=n).map(|j| line(j, "b")).collect();
        let text = first_half + &second_half;
        let runs = read_v3_by("f", &text, 4, &mut Warnings::default()).unwrap();
        assert_eq!(runs.len(), n);
        for (j, run) in runs.iter().enumerate() {
            let names: Vec<&str> = run.perf.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(names, ["a", "b"], "run {j}");
            assert_eq!(run.perf[1].value, (j + 1) as f64 + 0.5);
            assert_eq!(run.source, format!("f:{}", j + 1));
        }
        // The same as one thread reading the whole file.
        let whole: Vec<Run> = {
            let mut w = Warnings::default();
            let keyed = v3_lines("f", &text, 1, &mut w).unwrap();
            keyed.into_iter().map(|(_, r)| r).collect()
        };
        assert!(whole == runs);
        // An error in the second half names its line in the file.
        let bad = text.replacen(&format!("|b={}.5|", n / 2), "|b=1.5|ref=oops (x)|", 1);
        let e = read_v3_by("f", &bad, 4, &mut Warnings::default()).unwrap_err();
        assert!(
            e.to_string().starts_with(&format!("f:{}:", n + n / 2)),
            "{e}"
        );
    }
}
