//! A job's page (`/jobs/…`): its numbers, inputs, warnings, derivation, and the what-if panel.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use impacts::impacts_model::quantity::fmt_num;
use impacts::impacts_model::readable::{criterion_title, sig3, value_unit};
use impacts_web::{tree, CompareLine, Comparison, JobPage, WhatIf};
use serde_json::Value;

use crate::error::ApiError;
use crate::{caller, job_json, Shared};

use super::estimate::{api_hint, field_number, report_of, report_warnings};
use super::read::{figures, number, percent_encode, phase_rows, warning_line};
use super::{chrome, page, service_center};

/// `GET /jobs/{job_id}`: *A job*.
pub async fn job(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(job_id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    page(job_page(s, peer, headers, None, job_id, q).await)
}

/// `GET /jobs/{cluster}/{job_id}`: *A job* of a cluster.
pub async fn job_of_cluster(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((cluster, job_id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    page(job_page(s, peer, headers, Some(cluster), job_id, q).await)
}

pub(super) async fn job_page(
    s: Shared,
    peer: SocketAddr,
    headers: HeaderMap,
    cluster: Option<String>,
    job_id: String,
    q: Option<String>,
) -> Result<String, ApiError> {
    let who = caller(&s, &peer, &headers).await?;
    let asked = crate::query::Params::parse(q.as_deref(), &WHAT_IF)?;
    let api = match &cluster {
        Some(c) => format!(
            "/api/v1/jobs/{}/{}?explain=true",
            percent_encode(c),
            percent_encode(&job_id)
        ),
        None => format!("/api/v1/jobs/{}?explain=true", percent_encode(&job_id)),
    };
    let j = job_json(&s, &who, cluster, job_id, true).await?;
    let order = s.engine.bundle().criteria.key_units();
    let title = match j["cluster"].as_str().filter(|c| !c.is_empty()) {
        Some(c) => format!("Job {} on {c}", j["job_id"].as_str().unwrap_or("")),
        None => format!("Job {}", j["job_id"].as_str().unwrap_or("")),
    };
    let text = |k: &str| match &j[k] {
        Value::String(t) => t.clone(),
        Value::Null => "–".into(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), fmt_num),
        other => other.to_string(),
    };
    let facts = [
        ("User", "user"),
        ("Account", "account"),
        ("Partition", "partition"),
        ("State", "state"),
        ("Start", "start"),
        ("End", "end"),
        ("Hours", "hours"),
        ("Nodes", "nodes"),
        ("Cores", "cores"),
        ("GPUs", "gpus"),
        ("Node-equivalents charged", "node_equivalents"),
        ("CPU load (%)", "cpu_load"),
        ("GPU load (%)", "gpu_load"),
        ("Electricity", "energy_source"),
    ]
    .into_iter()
    .map(|(label, key)| (label.to_string(), text(key)))
    .collect();
    let phases = phase_rows(&j["phases"], &order, number);
    let energy = [
        ("Electricity of the nodes", "energy_kwh"),
        ("With the facility's overhead", "energy_with_overhead_kwh"),
        ("Of which idle", "idle_energy_kwh"),
    ]
    .into_iter()
    .filter(|(_, k)| !j["energy"][k].is_null())
    .map(|(label, k)| {
        (
            label.to_string(),
            value_unit(number(&j["energy"][k]), "kWh"),
        )
    })
    .collect();
    let warnings = j["warnings"]
        .as_array()
        .map(|codes| {
            codes
                .iter()
                .filter_map(Value::as_str)
                .map(|code| warning_line(code, None))
                .collect()
        })
        .unwrap_or_default();
    let explanation = &j["explanation"]["report"]["explanation"];
    let derivations = order
        .iter()
        .filter_map(|(k, _)| {
            let root = explanation.get(k)?;
            Some((criterion_title(k).to_string(), tree::html(&node(root))))
        })
        .collect();
    let page = JobPage {
        chrome: chrome(&s, &who),
        title,
        facts,
        totals: figures(&j["impacts"], &order),
        criteria: order
            .iter()
            .map(|(k, _)| criterion_title(k).to_string())
            .collect(),
        phases,
        energy,
        warnings,
        derivations,
        api,
        what_if: what_if(&s, &j, &asked).await?,
    };
    Ok(page.html())
}

/// The parameters of a job's page: its what-if panel.
pub(super) const WHAT_IF: [&str; 5] = ["partition", "zone", "load", "pue", "hours"];

/// The what-if panel of job `j`: its form, filled with the job's values or those asked, and when
/// something was asked the job as recorded beside the job changed, both estimated by the API.
pub(super) async fn what_if(
    s: &Shared,
    j: &Value,
    asked: &crate::query::Params<'_>,
) -> Result<WhatIf, ApiError> {
    let center = service_center(s)?;
    let bundle = s.engine.bundle();
    let mut zones: Vec<(String, String)> = bundle
        .zones
        .iter()
        .map(|z| (z.code3.clone(), z.name.clone()))
        .collect();
    zones.sort_by(|a, b| a.1.cmp(&b.1));
    // The job's own values in full (shortest round trip): unchanged, they ask the same job.
    let own = |k: &str| j[k].as_f64().map(|x| x.to_string()).unwrap_or_default();
    let given = |n: &str| asked.get(n).map(str::trim).map(String::from);
    let mut panel = WhatIf {
        partitions: center
            .partition_names()
            .iter()
            .map(|n| n.to_string())
            .collect(),
        zones,
        partition: given("partition")
            .unwrap_or_else(|| j["partition"].as_str().unwrap_or("").to_string()),
        zone: given("zone").unwrap_or_default(),
        load: given("load").unwrap_or_else(|| own("cpu_load")),
        pue: given("pue").unwrap_or_default(),
        hours: given("hours").unwrap_or_else(|| own("hours")),
        result: None,
    };
    if WHAT_IF.iter().all(|n| asked.get(n).is_none()) || j["impacts"].is_null() {
        return Ok(panel);
    }
    let base = recorded_request(j);
    let changed = changed_request(&base, &panel)?;
    let order = bundle.criteria.key_units();
    let before = report_of(s, "job", base).await?;
    let (after, api) = (
        report_of(s, "job", changed.clone()).await?,
        api_hint(s, "job", &changed),
    );
    let rows = order
        .iter()
        .map(|(k, unit)| {
            let (a, b) = (
                number(&before["impacts"][k]["value"]),
                number(&after["impacts"][k]["value"]),
            );
            CompareLine {
                key: k.clone(),
                title: criterion_title(k).to_string(),
                base: value_unit(a, unit),
                changed: value_unit(b, unit),
                change: change(a, b),
                raw_base: a,
                raw_changed: b,
            }
        })
        .collect();
    panel.result = Some(Comparison {
        rows,
        warnings: report_warnings(&after),
        api,
    });
    Ok(panel)
}

/// From `a` to `b` in percent, signed (`+12.3 %`, `−4.56 %`), `–` from zero.
pub(super) fn change(a: f64, b: f64) -> String {
    if a == 0.0 {
        return "–".into();
    }
    let x = 100.0 * (b - a) / a;
    let sign = if x < 0.0 { "−" } else { "+" };
    format!("{sign}{} %", sig3(x.abs()))
}

/// The estimate request of a stored job as it was recorded: its partition, nodes, cores, GPUs,
/// hours and loads, and its measured energy when the scheduler measured it.
pub(super) fn recorded_request(j: &Value) -> serde_json::Map<String, Value> {
    let mut body = serde_json::Map::new();
    body.insert("partition".into(), j["partition"].clone());
    for k in ["nodes", "cores", "gpus"] {
        if j[k].as_f64().is_some_and(|x| x > 0.0) {
            body.insert(k.into(), j[k].clone());
        }
    }
    body.insert("hours".into(), j["hours"].clone());
    for k in ["cpu_load", "gpu_load"] {
        if !j[k].is_null() {
            body.insert(k.into(), j[k].clone());
        }
    }
    if j["energy_source"] == "measured" {
        body.insert(
            "measured_energy_kwh".into(),
            j["energy"]["energy_kwh"].clone(),
        );
    }
    body
}

/// The recorded request changed by the panel's values. Another partition keeps the node count
/// (cores and GPUs are the old partition's); another partition or duration drops the measured
/// energy, which was the recorded job's.
pub(super) fn changed_request(
    base: &serde_json::Map<String, Value>,
    panel: &WhatIf,
) -> Result<serde_json::Map<String, Value>, ApiError> {
    let mut body = base.clone();
    if Some(panel.partition.as_str()) != base["partition"].as_str() {
        body.insert("partition".into(), Value::from(panel.partition.as_str()));
        body.remove("cores");
        body.remove("gpus");
        body.remove("measured_energy_kwh");
        body.entry("nodes").or_insert(Value::from(1));
    }
    if !panel.hours.is_empty() {
        let hours = field_number("hours", &panel.hours)?;
        if hours.as_f64() != base["hours"].as_f64() {
            body.remove("measured_energy_kwh");
        }
        body.insert("hours".into(), hours);
    }
    if !panel.load.is_empty() {
        body.remove("cpu_load");
        body.remove("gpu_load");
        body.insert("load".into(), field_number("load", &panel.load)?);
    }
    if !panel.zone.is_empty() {
        body.insert("zone".into(), Value::from(panel.zone.as_str()));
    }
    if !panel.pue.is_empty() {
        body.insert("pue".into(), field_number("pue", &panel.pue)?);
    }
    Ok(body)
}

/// A derivation node of the API's explanation.
pub(super) fn node(v: &Value) -> tree::Node {
    let source = &v["source"];
    let source = match (source["title"].as_str(), source["year"].as_u64()) {
        (Some(t), Some(y)) => format!("{t}, {y}"),
        (Some(t), None) => t.to_string(),
        _ => String::new(),
    };
    tree::Node {
        name: v["name"].as_str().unwrap_or("").to_string(),
        value: number(&v["value"]),
        unit: v["unit"].as_str().unwrap_or("").to_string(),
        op: v["formula"].as_str().unwrap_or("").to_string(),
        source,
        note: v["note"].as_str().unwrap_or("").to_string(),
        children: v["children"]
            .as_array()
            .map(|c| c.iter().map(node).collect())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use impacts_web::WhatIf;
    use serde_json::json;
    #[test]
    fn changes_are_signed_percentages() {
        assert_eq!(change(200.0, 250.0), "+25.0 %");
        assert_eq!(change(200.0, 150.0), "−25.0 %");
        assert_eq!(change(0.0, 1.0), "–");
    }

    /// A month's period ends on the next month's first (exclusive), where the store's sums per
    /// month answer; a date on the next day; December on the next January.
    /// The recorded job keeps its cores, GPUs, loads and measured energy; another partition keeps
    /// only the node count, another duration drops the measured energy, a load replaces both.
    #[test]
    fn a_what_if_changes_only_what_it_names() {
        let job = json!({"partition": "gpu_p5", "nodes": 2, "cores": 128, "gpus": 16,
                         "hours": 3.0, "cpu_load": 40.0, "gpu_load": 90.0,
                         "energy_source": "measured", "energy": {"energy_kwh": 12.5}});
        let base = recorded_request(&job);
        assert_eq!(
            Value::Object(base.clone()),
            json!({"partition": "gpu_p5", "nodes": 2, "cores": 128, "gpus": 16, "hours": 3.0,
                   "cpu_load": 40.0, "gpu_load": 90.0, "measured_energy_kwh": 12.5})
        );
        let panel = |partition: &str, load: &str, hours: &str| WhatIf {
            partitions: vec![],
            zones: vec![],
            partition: partition.into(),
            zone: "SWE".into(),
            load: load.into(),
            pue: String::new(),
            hours: hours.into(),
            result: None,
        };
        let same = changed_request(&base, &panel("gpu_p5", "", "3")).unwrap();
        assert_eq!(same["measured_energy_kwh"], 12.5);
        assert_eq!(same["zone"], "SWE");
        let moved = changed_request(&base, &panel("cpu_p1", "60", "3")).unwrap();
        assert_eq!(
            Value::Object(moved),
            json!({"partition": "cpu_p1", "nodes": 2, "hours": 3.0, "load": 60.0, "zone": "SWE"})
        );
        let longer = changed_request(&base, &panel("gpu_p5", "", "6")).unwrap();
        assert!(longer.get("measured_energy_kwh").is_none());
        assert!(changed_request(&base, &panel("gpu_p5", "a lot", "3")).is_err());
    }
}
