//! Stored jobs as JSON: the shape of the service's API.
//!
//! ```json
//! {"job_id": "123", "cluster": "jz", "user": "alice", "account": "proj", "partition": "cpu_p1",
//!  "state": "COMPLETED", "start": "2024-03-15T20:24:16Z", "end": "…", "nodes": 1, "cores": 40,
//!  "gpus": 0, "node_equivalents": 1, "hours": 2.5, "cpu_load": 100, "gpu_load": 0,
//!  "energy_source": "model",
//!  "energy": {"energy_kwh": …, "energy_with_overhead_kwh": …, "idle_energy_kwh": …},
//!  "impacts": {"gwp": {"value": …, "low": …, "high": …, "unit": "gCO2eq"}, …},
//!  "phases": {"manufacturing": {"gwp": …, "adpe": …, "pe": …}, …},
//!  "warnings": ["accounting.default-partition"]}
//! ```
//!
//! A job that was not estimated has `impacts`, `phases` and `energy` null.

use impacts_table::Kind;
use serde_json::{json, Map, Value as Json};

use crate::{Schema, StoredJob, Value};

/// The fields that describe a job, in the API's order (then its energy, impacts, phases and
/// warnings).
pub const DESCRIPTION: [&str; 16] = [
    "job_id",
    "cluster",
    "user",
    "account",
    "partition",
    "state",
    "start",
    "end",
    "nodes",
    "cores",
    "gpus",
    "node_equivalents",
    "hours",
    "cpu_load",
    "gpu_load",
    "energy_source",
];

/// An instant as RFC 3339 in UTC (`2024-03-15T20:24:16Z`).
pub fn instant(t: i64) -> Json {
    match jiff::Timestamp::from_second(t) {
        Ok(ts) => Json::String(ts.to_string()),
        Err(_) => Json::Null,
    }
}

fn scalar(v: &Value, kind: Option<Kind>) -> Json {
    match (v, kind) {
        (Value::Null, _) => Json::Null,
        (Value::Integer(t), Some(Kind::Timestamp)) => instant(*t),
        (Value::Integer(i), _) => json!(i),
        (Value::Real(x), _) => json!(x),
        (Value::Text(s), Some(Kind::Codes)) => Json::Array(
            s.split(';')
                .filter(|c| !c.is_empty())
                .map(|c| Json::String(c.into()))
                .collect(),
        ),
        (Value::Text(s), _) => Json::String(s.clone()),
    }
}

/// The JSON of a stored job; `bounds`: the store's per-job bounds come from sampling (else
/// `low` and `high` are null rather than equal to the value, which would claim certainty).
pub fn job(schema: &Schema, j: &StoredJob, bounds: bool) -> Json {
    let get = |name: &str| schema.position(name).and_then(|i| j.values.get(i));
    let mut out = Map::new();
    let jc = schema.job_columns();
    for &name in DESCRIPTION.iter().chain(&["warnings"]) {
        let sql = crate::sql_name(name);
        if let Some(i) = schema.position(sql) {
            out.insert(name.into(), scalar(&j.values[i], schema.kind(i)));
        }
    }
    let estimated = get(&schema.criteria()[0].0).is_some_and(|v| *v != Value::Null);
    if !estimated {
        for k in ["energy", "impacts", "phases"] {
            out.insert(k.into(), Json::Null);
        }
        return Json::Object(out);
    }
    let num = |name: &str| {
        get(name)
            .and_then(Value::as_f64)
            .map_or(Json::Null, |x| json!(x))
    };
    let mut energy = Map::new();
    for m in jc.layout().measures().iter().filter(|m| m.extensive) {
        energy.insert(m.column.into(), num(m.column));
    }
    out.insert("energy".into(), Json::Object(energy));
    let mut impacts = Map::new();
    for (k, unit) in schema.criteria() {
        impacts.insert(
            k.clone(),
            if bounds {
                json!({"value": num(k), "low": num(&format!("{k}_low")), "high": num(&format!("{k}_high")), "unit": unit})
            } else {
                json!({"value": num(k), "low": null, "high": null, "unit": unit})
            },
        );
    }
    out.insert("impacts".into(), Json::Object(impacts));
    let mut phases = Map::new();
    for ph in jc.layout().phases() {
        let mut m = Map::new();
        for (k, _) in schema.criteria() {
            m.insert(k.clone(), num(&format!("{}_{k}", ph.as_str())));
        }
        phases.insert(ph.as_str().into(), Json::Object(m));
    }
    out.insert("phases".into(), Json::Object(phases));
    Json::Object(out)
}
