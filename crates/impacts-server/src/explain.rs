//! `GET /api/v1/jobs/{id}?explain=true`: a stored job's derivation.
//!
//! The job is estimated again as a request of the library (`impacts::JobRequest`): its partition
//! and node type, its node-equivalents as nodes (the charge the accountant decided), its hours,
//! loads and measured energy, with the service's center, zone and method; the report carries the
//! derivation tree (every formula, value, unit and source). `matches_stored` says whether the
//! central value found again is the stored one (it is, unless the store was filled with another
//! version of the data or the model).

use impacts::{JobRequest, Options};
use serde_json::{json, Value as Json};

use crate::error::ApiError;
use crate::Service;

/// The derivation of a stored job, or null for a job that was not estimated.
pub fn job(s: &Service, j: &impacts_store::StoredJob) -> Result<Json, ApiError> {
    let schema = s.store.schema();
    let get = |name: &str| schema.position(name).and_then(|i| j.values.get(i));
    let num = |name: &str| get(name).and_then(impacts_store::Value::as_f64);
    let Some(stored) = num("gwp") else {
        return Ok(Json::Null);
    };
    let partition = get("partition")
        .and_then(impacts_store::Value::as_str)
        .unwrap_or("")
        .to_string();
    let node_type = match num("node_group") {
        Some(g) => node_type(s, &partition, g as usize),
        None => None,
    };
    let measured = num("measured").is_some_and(|m| m != 0.0);
    let req = JobRequest {
        center: s.options.center.clone(),
        partition,
        node_type,
        nodes: num("node_equivalents"),
        hours: num("hours").unwrap_or(0.0),
        cpu_load: num("cpu_load"),
        gpu_load: num("gpu_load"),
        zone: s.options.zone.clone(),
        measured_energy_kwh: if measured { num("measured_kwh") } else { None },
        ..JobRequest::default()
    };
    let opts = Options {
        method: s.options.method.clone(),
        samples: 0,
        seed: s.options.seed,
        percentiles: s.options.percentiles,
        explain: true,
        sensitivity: false,
        detailed_bounds: true,
    };
    let report = s.engine.job(&req, &opts).map_err(ApiError::internal)?;
    let again = report.impacts.get("gwp").map_or(f64::NAN, |e| e.value);
    Ok(json!({
        "request": req,
        "matches_stored": (again - stored).abs() <= 1e-9 * stored.abs(),
        "report": report,
    }))
}

/// The name of a partition's node group.
fn node_type(s: &Service, partition: &str, group: usize) -> Option<String> {
    let guard = s.summarizer.lock().unwrap_or_else(|p| p.into_inner());
    let center = guard.0.center();
    center
        .partitions
        .iter()
        .find(|p| p.name == partition)
        .and_then(|p| p.groups.get(group))
        .map(|g| g.node_type.clone())
}
