//! `GET /api/v1/bench/runs`: the benchmark runs of the store (`impacts bench ingest`), each with
//! its job's footprint as the store holds it, within the caller's scope: a user sees the runs of
//! the jobs they see; an administrator every run, joined or not.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::HeaderMap;
use axum::Json;
use impacts_store::{BenchRun, Scope, Store};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::query::Params;
use crate::{blocking, caller, Shared};

/// Runs listed by default, and at most.
const DEFAULT_RUNS: usize = 1000;
const MAX_RUNS: usize = 10_000;

pub(crate) async fn runs(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let who = caller(&s, &peer, &headers).await?;
    let p = Params::parse(q.as_deref(), &["limit"])?;
    let limit = match p.get("limit") {
        None => DEFAULT_RUNS,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_RUNS).contains(n))
            .ok_or_else(|| {
                ApiError::invalid("limit", format!("a whole number from 1 to {MAX_RUNS}"))
            })?,
    };
    let s2 = s.clone();
    let runs = blocking(&s, move || runs_json(&s2, &who.scope, limit)).await?;
    Ok(Json(json!({ "runs": runs })))
}

/// The stored runs the scope may see, each with `footprint` (its job: cluster, state, hours,
/// energy, impacts, phases) or null.
pub(crate) fn runs_json(
    s: &crate::Service,
    scope: &Scope,
    limit: usize,
) -> Result<Vec<Value>, ApiError> {
    let stored = s.store.bench_runs(limit)?;
    let mut out = Vec::with_capacity(stored.len());
    for r in stored {
        let job = job_of(s.store.as_ref(), scope, &r)?;
        if job.is_none() && *scope != Scope::All {
            continue;
        }
        let mut v: Value = serde_json::from_str(&r.json).map_err(ApiError::internal)?;
        v["footprint"] = job.map_or(Value::Null, |j| {
            json!({
                "job_id": j["job_id"], "cluster": j["cluster"], "state": j["state"],
                "hours": j["hours"], "energy_source": j["energy_source"],
                "energy": j["energy"], "impacts": j["impacts"],
            })
        });
        out.push(v);
    }
    Ok(out)
}

/// A run's job among those the scope sees: by id and cluster (the run's system), else by id
/// alone; only if the run completed while or shortly after the job ran.
fn job_of(store: &dyn Store, scope: &Scope, r: &BenchRun) -> Result<Option<Value>, ApiError> {
    let Some(id) = &r.jobid else {
        return Ok(None);
    };
    let found = match store.job(scope, Some(&r.system), id)? {
        Some(j) => Some(j),
        None => store.job(scope, None, id)?,
    };
    let Some(j) = found else {
        return Ok(None);
    };
    let v = impacts_store::json::job(store.schema(), &j, false);
    let at = |k: &str| {
        v[k].as_str()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .map(|t| t.as_second())
    };
    // As `impacts bench --accounting` joins them.
    let fits = impacts_bench::footprint::fits_in_time(r.time, at("start"), at("end"));
    Ok(fits.then_some(v))
}
