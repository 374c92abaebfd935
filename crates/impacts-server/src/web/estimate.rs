//! `/estimate`: a job of the center and a server, as forms answered by the estimate API.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use impacts::impacts_model::readable::criterion_title;
use impacts_web::{EstimatePage, EstimateResult, ServerForm, WarningLine};
use serde_json::Value;

use crate::error::ApiError;
use crate::{caller, Shared};

use super::read::{figures, number, phase_rows, warning_line};
use super::{chrome, page, service_center};

/// The parameters of `/estimate`: the job form's, then the server form's.
pub(super) const ESTIMATE: [&str; 12] = [
    "partition",
    "nodes",
    "hours",
    "load",
    "form",
    "cpu",
    "cpus",
    "gpu",
    "gpus",
    "ram_gb",
    "ssds",
    "ssd_gb",
];

/// `GET /estimate`: a job of the service's center, and a server, as forms; with a form's fields,
/// the estimate the API gives for the same request (`POST /api/v1/estimate/job` or `/server`,
/// the same reading and defaults).
pub async fn estimate(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    page(estimate_page(s, peer, headers, q).await)
}

pub(super) async fn estimate_page(
    s: Shared,
    peer: SocketAddr,
    headers: HeaderMap,
    q: Option<String>,
) -> Result<String, ApiError> {
    let who = caller(&s, &peer, &headers).await?;
    let p = crate::query::Params::parse(q.as_deref(), &ESTIMATE)?;
    let given = |n: &str| p.get(n).map(str::trim).unwrap_or("").to_string();
    let center = service_center(&s)?;
    let partitions: Vec<String> = center
        .partition_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let (partition, nodes, hours, load) = (
        given("partition"),
        given("nodes"),
        given("hours"),
        given("load"),
    );
    let result = if partition.is_empty() && nodes.is_empty() && hours.is_empty() {
        None
    } else {
        let body = job_request(&partition, &nodes, &hours, &load)?;
        Some(estimate_result(&s, "job", body).await?)
    };
    let bundle = s.engine.bundle();
    let mut server = ServerForm {
        cpu: given("cpu"),
        cpus: given("cpus"),
        gpu: given("gpu"),
        gpus: given("gpus"),
        ram_gb: given("ram_gb"),
        ssds: given("ssds"),
        ssd_gb: given("ssd_gb"),
        cpu_names: bundle.cpus.iter().map(|c| c.name.clone()).collect(),
        gpu_names: bundle.gpus.iter().map(|g| g.name.clone()).collect(),
        result: None,
    };
    if p.get("form") == Some("server") {
        let body = server_request(&server)?;
        server.result = Some(estimate_result(&s, "server", body).await?);
    }
    let page = EstimatePage {
        chrome: chrome(&s, &who),
        center: center.name.clone(),
        partition: if partition.is_empty() {
            partitions.first().cloned().unwrap_or_default()
        } else {
            partition
        },
        partitions,
        server,
        nodes,
        hours,
        load,
        result,
    };
    Ok(page.html())
}

/// A form's field as a number, or the API's 422 naming it.
pub(super) fn field_number(field: &str, v: &str) -> Result<Value, ApiError> {
    let x: f64 = v
        .parse()
        .ok()
        .filter(|x: &f64| x.is_finite())
        .ok_or_else(|| invalid_field(field, format!("invalid {field} '{v}': expected a number")))?;
    Ok(serde_json::json!(x))
}

/// A form's count (1 when empty), or the API's 422 naming it.
pub(super) fn field_count(field: &str, v: &str) -> Result<Value, ApiError> {
    if v.is_empty() {
        return Ok(Value::from(1));
    }
    let n: u32 = v.parse().map_err(|_| {
        invalid_field(
            field,
            format!("invalid {field} '{v}': expected a whole number"),
        )
    })?;
    Ok(Value::from(n))
}

pub(super) fn invalid_field(field: &str, message: String) -> ApiError {
    ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_request",
        message,
        field: Some(field.to_string()),
    }
}

/// The job form as the API's request.
pub(super) fn job_request(
    partition: &str,
    nodes: &str,
    hours: &str,
    load: &str,
) -> Result<serde_json::Map<String, Value>, ApiError> {
    let mut body = serde_json::Map::new();
    body.insert("partition".into(), Value::from(partition));
    body.insert("nodes".into(), field_number("nodes", nodes)?);
    body.insert("hours".into(), field_number("hours", hours)?);
    if !load.is_empty() {
        body.insert("load".into(), field_number("load", load)?);
    }
    Ok(body)
}

/// The server form as the API's request (`POST /api/v1/estimate/server`): the components given.
pub(super) fn server_request(f: &ServerForm) -> Result<serde_json::Map<String, Value>, ApiError> {
    let mut body = serde_json::Map::new();
    if !f.cpu.is_empty() {
        let n = field_count("cpus", &f.cpus)?;
        body.insert("cpus".into(), serde_json::json!([[{"name": f.cpu}, n]]));
    }
    if !f.gpu.is_empty() {
        let n = field_count("gpus", &f.gpus)?;
        body.insert("gpus".into(), serde_json::json!([[{"name": f.gpu}, n]]));
    }
    if !f.ram_gb.is_empty() {
        let gb = field_number("ram_gb", &f.ram_gb)?;
        body.insert("ram".into(), serde_json::json!([{"size_gb": gb}]));
    }
    if !f.ssds.is_empty() && f.ssds != "0" {
        let n = field_count("ssds", &f.ssds)?;
        let gb = field_number("ssd_gb", &f.ssd_gb)?;
        body.insert("ssds".into(), serde_json::json!([[{"size_gb": gb}, n]]));
    }
    Ok(body)
}

/// The `curl` line of a request to the estimate API (the service's center named when bundled).
pub(super) fn api_hint(s: &Shared, kind: &str, body: &serde_json::Map<String, Value>) -> String {
    let mut shown = body.clone();
    if let (impacts::CenterSource::Bundled(name), "job") = (&s.options.center, kind) {
        shown.insert("center".into(), Value::from(name.as_str()));
    }
    format!(
        "curl -X POST -d '{}' …/api/v1/estimate/{kind}",
        Value::Object(shown)
    )
}

/// The report the estimate API answers for a request of `kind` (the service's center for jobs).
pub(super) async fn report_of(
    s: &Shared,
    kind: &str,
    body: serde_json::Map<String, Value>,
) -> Result<Value, ApiError> {
    let mut request =
        crate::estimate::Estimate::new(kind, body).map_err(crate::estimate::api_error)?;
    if kind == "job" {
        request = request
            .with_center(s.options.center.clone())
            .map_err(crate::estimate::api_error)?;
    }
    let engine = s.engine;
    let text = crate::limited(&s.estimating, move || crate::estimate::run(request, engine)).await?;
    serde_json::from_str(&text).map_err(ApiError::internal)
}

/// A report's warnings, explained.
pub(super) fn report_warnings(report: &Value) -> Vec<WarningLine> {
    report["warnings"]
        .as_array()
        .map(|ws| {
            ws.iter()
                .map(|w| warning_line(w["code"].as_str().unwrap_or(""), w["message"].as_str()))
                .collect()
        })
        .unwrap_or_default()
}

/// An estimate of the API, read for a page.
pub(super) async fn estimate_result(
    s: &Shared,
    kind: &str,
    body: serde_json::Map<String, Value>,
) -> Result<EstimateResult, ApiError> {
    let api = api_hint(s, kind, &body);
    let report = report_of(s, kind, body).await?;
    let order = s.engine.bundle().criteria.key_units();
    Ok(EstimateResult {
        subject: report["subject"].as_str().unwrap_or("").to_string(),
        totals: figures(&report["impacts"], &order),
        criteria: order
            .iter()
            .map(|(k, _)| criterion_title(k).to_string())
            .collect(),
        phases: phase_rows(&report["phases"], &order, |e| number(&e["value"])),
        warnings: report_warnings(&report),
        api,
    })
}
