//! ReFrame's performance logs: ReFrame 3's fixed layout (one line per value, `key=value` fields)
//! and ReFrame 4's (a header line names the columns; one line per run, or per value in the
//! compatibility mode), any delimiter.

use std::collections::{BTreeMap, HashMap};

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
    let mut out = Gather::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let here = at(file, n + 1);
        let fields: Vec<&str> = line.split('|').collect();
        let (run, value) = v3_line(&fields, warnings).map_err(|e| e.at(here.clone()))?;
        let key = format!(
            "{}|{}|{}|{:?}|{}",
            run.display_name,
            run.machine(),
            run.environ,
            run.jobid,
            fields[0]
        );
        let mut run = run;
        run.source = format!("{file}:{}", n + 1);
        out.add(key, run, value);
    }
    Ok(out.runs)
}

fn v3_line(fields: &[&str], warnings: &mut Warnings) -> Result<(Run, PerfValue), InputError> {
    let info = fields
        .iter()
        .position(|f| f.contains(" on ") && f.contains(" using "))
        .ok_or_else(|| {
            InputError::malformed(
                "a ReFrame 3 perflog line: `time|reframe version|test on system:partition using environ|jobid=N|var=value|unit|ref=R (l=L, u=U)|…`",
            )
        })?;
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
    let reference = fields
        .iter()
        .position(|f| f.trim_start().starts_with("ref="));
    // The value: the `name=number` field just before the unit and the reference (or before the
    // reference when there is no unit field), else the last `name=number` after the job id.
    let numeric = |i: usize| key_number(fields.get(i).copied().unwrap_or(""));
    let (var_at, unit_at) = match reference {
        Some(r) if r >= 1 && numeric(r - 1).is_some() => (r - 1, None),
        Some(r) if r >= 2 && numeric(r - 2).is_some() => (r - 2, Some(r - 1)),
        _ => {
            let i = (info + 1..fields.len())
                .rev()
                .find(|&i| numeric(i).is_some() && !fields[i].starts_with("jobid="))
                .ok_or_else(|| InputError::malformed("a performance value `name=number`"))?;
            let unit = (i + 1 < fields.len() && !fields[i + 1].contains('=')).then_some(i + 1);
            (i, unit)
        }
    };
    let (name, value) = numeric(var_at).ok_or_else(|| InputError::malformed("name=value"))?;
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
    for (i, f) in fields.iter().enumerate().skip(info + 1) {
        if i == var_at || Some(i) == unit_at || Some(i) == reference {
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
    Ok((run, perf))
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

/// `name=number`.
fn key_number(field: &str) -> Option<(&str, f64)> {
    let (k, v) = field.split_once('=')?;
    let k = k.trim();
    (!k.is_empty() && !k.contains(' ')).then_some(())?;
    Some((k, v.trim().parse::<f64>().ok().filter(|x| x.is_finite())?))
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

/// A ReFrame 4 perflog's header: its delimiter and columns (`check_` prefixes dropped).
struct Header {
    delimiter: char,
    columns: Vec<String>,
}

impl Header {
    /// The header, when the first line is one: it names `job_completion_time`, `jobid` or
    /// `perf_var`, and has no `key=value` field.
    fn sniff(line: &str) -> Option<Header> {
        let delimiter = ['|', ',', ';', '\t']
            .into_iter()
            .max_by_key(|d| line.split(*d).count())?;
        let columns: Vec<String> = line
            .split(delimiter)
            .map(|c| c.trim().trim_start_matches("check_").to_string())
            .collect();
        let known = columns.iter().any(|c| {
            matches!(
                c.as_str(),
                "job_completion_time" | "jobid" | "perf_var" | "display_name"
            )
        });
        (known && !line.contains('=')).then_some(Header { delimiter, columns })
    }

    fn read(
        &self,
        file: &str,
        text: &str,
        warnings: &mut Warnings,
    ) -> Result<Vec<Run>, InputError> {
        let vars = self.variables();
        let compat = self.columns.iter().any(|c| c == "perf_var");
        let mut out = Gather::default();
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        lines.next(); // the header
        for (n, line) in lines {
            let here = at(file, n + 1);
            let cells: Vec<&str> = line.split(self.delimiter).collect();
            if cells.len() != self.columns.len() {
                return Err(InputError::malformed(format!(
                    "{} fields as the header names, not {}",
                    self.columns.len(),
                    cells.len()
                ))
                .at(here));
            }
            let row: BTreeMap<&str, &str> = self
                .columns
                .iter()
                .map(String::as_str)
                .zip(cells.iter().map(|c| c.trim()))
                .collect();
            let mut run = self.run(&row, warnings);
            run.source = format!("{file}:{}", n + 1);
            if compat {
                let value = perf_of(&row, "perf").map_err(|e| e.at(here.clone()))?;
                let key = format!(
                    "{}|{}|{}|{:?}|{:?}",
                    run.display_name,
                    run.machine(),
                    run.environ,
                    run.jobid,
                    run.time
                );
                if let Some(v) = value {
                    out.add(key, run, v);
                }
                continue;
            }
            for var in &vars {
                if let Some(v) = perf_of(&row, var).map_err(|e| e.at(here.clone()))? {
                    run.perf.push(v);
                }
            }
            out.runs.push(run);
        }
        Ok(out.runs)
    }

    /// The performance variables: a prefix with both `_value` and `_unit` columns.
    fn variables(&self) -> Vec<String> {
        self.columns
            .iter()
            .filter_map(|c| c.strip_suffix("_value"))
            .filter(|v| *v != "perf" && self.columns.iter().any(|c| *c == format!("{v}_unit")))
            .map(String::from)
            .collect()
    }

    /// What a row says of its run (not its values).
    fn run(&self, row: &BTreeMap<&str, &str>, warnings: &mut Warnings) -> Run {
        let get = |k: &str| row.get(k).copied().filter(|v| !absent(v));
        let mut run = Run::default();
        let name = get("name").or(get("display_name")).unwrap_or("");
        name_and_params(name, &mut run);
        if let Some(d) = get("display_name") {
            run.display_name = d.to_string();
        }
        run.system = get("system").unwrap_or("").to_string();
        run.partition = get("partition").unwrap_or("").to_string();
        run.environ = get("environ").unwrap_or("").to_string();
        run.jobid = get("jobid").map(String::from);
        run.result = get("result").map(String::from);
        run.num_tasks = get("num_tasks").and_then(|n| n.parse().ok());
        run.nodelist = get("job_nodelist").map(node_list).unwrap_or_default();
        run.time = get("job_completion_time_unix")
            .and_then(time::unix)
            .or_else(|| {
                let text = get("job_completion_time")?;
                let (t, naive) = time::parse(text)?;
                if naive {
                    warnings.add("bench.time-without-zone", text);
                }
                Some(t)
            });
        if let Some(tags) = get("tags") {
            run.tags = tags
                .split([',', ' '])
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect();
        }
        for (k, v) in row {
            let own = IGNORED.contains(k)
                || matches!(
                    *k,
                    "name"
                        | "display_name"
                        | "system"
                        | "partition"
                        | "environ"
                        | "jobid"
                        | "result"
                        | "num_tasks"
                        | "job_nodelist"
                        | "job_completion_time"
                        | "job_completion_time_unix"
                        | "tags"
                )
                || k.starts_with("perf_")
                || self.is_perf_column(k);
            if !own && !absent(v) {
                run.params
                    .entry(k.to_string())
                    .or_insert_with(|| v.to_string());
            }
        }
        run
    }

    fn is_perf_column(&self, column: &str) -> bool {
        ["_value", "_unit", "_ref", "_lower_thres", "_upper_thres"]
            .iter()
            .filter_map(|s| column.strip_suffix(s))
            .any(|v| self.columns.iter().any(|c| *c == format!("{v}_unit")))
    }
}

/// The value of variable `var` in a row (`var_value`, `var_unit`, …; `perf` in the compatibility
/// mode, whose name is in `perf_var`); None when it has no value (a failed run).
fn perf_of(row: &BTreeMap<&str, &str>, var: &str) -> Result<Option<PerfValue>, InputError> {
    let get = |s: &str| {
        row.get(format!("{var}_{s}").as_str())
            .copied()
            .unwrap_or("")
    };
    let text = get("value");
    if absent(text) {
        return Ok(None);
    }
    let value = number(text)
        .ok_or_else(|| InputError::invalid(format!("{var}_value"), text, "a number"))?;
    let name = if var == "perf" {
        row.get("perf_var").copied().unwrap_or("").to_string()
    } else {
        var.to_string()
    };
    Ok(Some(PerfValue {
        name,
        value,
        unit: get("unit").to_string(),
        reference: number(get("ref")),
        lower: number(get("lower_thres")),
        upper: number(get("upper_thres")),
        result: None,
    }))
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
}
