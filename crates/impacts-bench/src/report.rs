//! ReFrame's JSON run reports: `data_version` 1.x–3.x (`perfvars` lists, `system` as
//! `system:partition`) and 4.x (`perfvalues` maps keyed `system:partition:variable`).

use serde_json::Value;

use impacts_error::{InputError, Location};

use crate::model::{PerfValue, Run};
use crate::perflog::{name_and_params, node_list};
use crate::{time, Warnings};

/// True when a JSON document is a run report.
pub fn is_report(v: &Value) -> bool {
    v.get("session_info").is_some() && v.get("runs").is_some()
}

/// The runs of a report (`file` names it in errors and sources): every test case of every run
/// (ReFrame's retries are runs of their own).
pub fn read(file: &str, v: &Value, warnings: &mut Warnings) -> Result<Vec<Run>, InputError> {
    let session = &v["session_info"];
    let version = session["data_version"].as_str().unwrap_or("");
    let major: u32 = version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if !(1..=4).contains(&major) {
        return Err(InputError::invalid(
            "session_info.data_version",
            version,
            "a run report of data version 1 to 4 (ReFrame 3.1 to 4.10)",
        )
        .at(Location::file(file)));
    }
    let session_end = session["time_end"]
        .as_str()
        .and_then(time::parse)
        .map(|t| t.0);
    let mut out = Vec::new();
    let runs = v["runs"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    for (r, run) in runs.iter().enumerate() {
        let cases = run["testcases"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for (c, case) in cases.iter().enumerate() {
            let source = format!("{file}#runs[{r}].testcases[{c}]");
            let mut run = testcase(case, major, warnings)
                .map_err(|e| e.at(Location::region(file, format!("runs[{r}].testcases[{c}]"))))?;
            run.time = run.time.or(session_end);
            run.source = source;
            out.push(run);
        }
    }
    Ok(out)
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn testcase(case: &Value, major: u32, warnings: &mut Warnings) -> Result<Run, InputError> {
    let mut run = Run::default();
    let name = case["name"]
        .as_str()
        .or(case["display_name"].as_str())
        .unwrap_or("");
    name_and_params(name, &mut run);
    if let Some(d) = case["display_name"].as_str() {
        run.display_name = d.to_string();
    }
    let system = case["system"].as_str().unwrap_or("");
    let (sys, part) = system.split_once(':').unwrap_or((system, ""));
    run.system = sys.to_string();
    run.partition = case["partition"].as_str().unwrap_or(part).to_string();
    run.environ = case["environ"]
        .as_str()
        .or(case["environment"].as_str())
        .unwrap_or("")
        .to_string();
    run.jobid = text(&case["jobid"]);
    let nodes = if case["job_nodelist"].is_null() {
        &case["nodelist"]
    } else {
        &case["job_nodelist"]
    };
    run.nodelist = match nodes {
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect(),
        Value::String(s) => node_list(s),
        _ => Vec::new(),
    };
    run.result = case["result"].as_str().map(|r| match r {
        "success" => "pass".to_string(),
        "failure" => "fail".to_string(),
        other => other.to_string(),
    });
    run.num_tasks = case["num_tasks"]
        .as_u64()
        .or(case["check_vars"]["num_tasks"].as_u64());
    run.tags = case["tags"]
        .as_array()
        .map(|t| {
            t.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    run.run_seconds = case["time_run"]
        .as_f64()
        .filter(|t| t.is_finite() && *t > 0.0);
    run.time = case["job_completion_time_unix"]
        .as_f64()
        .map(|t| t.floor() as i64);
    if run.time.is_none() {
        if let Some((t, naive)) = case["job_completion_time"].as_str().and_then(time::parse) {
            if naive {
                warnings.add("bench.time-without-zone", name);
            }
            run.time = Some(t);
        }
    }
    run.perf = if major >= 4 {
        perfvalues(&case["perfvalues"])?
    } else {
        perfvars(&case["perfvars"])?
    };
    Ok(run)
}

/// Data version 1–3: `[{name, value, unit, reference, thres_lower, thres_upper}]`; a value that
/// is null (a failed run) is no value.
fn perfvars(v: &Value) -> Result<Vec<PerfValue>, InputError> {
    let list = v.as_array().map(Vec::as_slice).unwrap_or(&[]);
    let mut out = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let Some(value) = p["value"].as_f64() else {
            if p["value"].is_null() {
                continue;
            }
            return Err(InputError::invalid(
                format!("perfvars[{i}].value"),
                p["value"].to_string(),
                "a number",
            ));
        };
        out.push(PerfValue {
            name: p["name"].as_str().unwrap_or("").to_string(),
            value,
            unit: p["unit"].as_str().unwrap_or("").to_string(),
            reference: p["reference"].as_f64(),
            lower: p["thres_lower"].as_f64(),
            upper: p["thres_upper"].as_f64(),
            result: None,
        });
    }
    Ok(out)
}

/// Data version 4: `{"system:partition:var": [value, reference, lower, upper, unit, result]}`.
fn perfvalues(v: &Value) -> Result<Vec<PerfValue>, InputError> {
    let Some(map) = v.as_object() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (key, p) in map {
        let name = key.splitn(3, ':').nth(2).unwrap_or(key);
        let item = |i: usize| p.get(i).unwrap_or(&Value::Null);
        let Some(value) = item(0).as_f64() else {
            if item(0).is_null() {
                continue;
            }
            return Err(InputError::invalid(
                format!("perfvalues.{key}"),
                p.to_string(),
                "[value, reference, lower, upper, unit, result]",
            ));
        };
        out.push(PerfValue {
            name: name.to_string(),
            value,
            reference: item(1).as_f64(),
            lower: item(2).as_f64(),
            upper: item(3).as_f64(),
            unit: item(4).as_str().unwrap_or("").to_string(),
            result: item(5).as_str().map(String::from),
        });
    }
    Ok(out)
}
