//! `GET /api/v1/openapi.json`: the API described as OpenAPI 3.0, built from the same constants
//! the handlers use (parameter lists, estimate kinds, limits), so that the document follows the
//! code. A test checks that every path it lists is routed, and validates it with an OpenAPI
//! validator.

use serde_json::{json, Map, Value};

use crate::estimate::KINDS;
use crate::query::{DESCRIPTIONS, JOBS, SUMMARY};

/// The `explain` parameter of a job.
fn explain() -> Value {
    json!({"name": "explain", "in": "query", "required": false, "schema": {"type": "boolean"},
           "description": "Add the job's derivation: estimated again as a request of the library, with its derivation tree"})
}

/// The query parameters of a list of names.
fn parameters(names: &[&str]) -> Value {
    let list: Vec<Value> = names
        .iter()
        .map(|n| {
            let (_, ty, text) = DESCRIPTIONS
                .iter()
                .find(|(name, _, _)| name == n)
                .copied()
                .unwrap_or((n, "string", ""));
            json!({"name": n, "in": "query", "required": false, "description": text, "schema": {"type": ty}})
        })
        .collect();
    Value::Array(list)
}

/// A reference to a schema of the document.
fn schema(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// A JSON response with a schema.
fn ok(description: &str, schema_name: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema(schema_name)}}})
}

/// The error responses of an endpoint.
fn errors(codes: &[(&str, &str)], responses: &mut Map<String, Value>) {
    for (code, text) in codes {
        responses.insert(
            code.to_string(),
            json!({"description": text, "content": {"application/json": {"schema": schema("Error")}}}),
        );
    }
}

fn operation(
    summary: &str,
    params: Value,
    mut responses: Map<String, Value>,
    secured: bool,
) -> Value {
    if secured {
        errors(
            &[(
                "401",
                "No identity (no trusted proxy's user, no valid token)",
            )],
            &mut responses,
        );
    }
    errors(
        &[("500", "A failure of the service (detail in its log)")],
        &mut responses,
    );
    let mut op = json!({"summary": summary, "parameters": params, "responses": responses});
    if !secured {
        op["security"] = json!([]);
    }
    op
}

fn responses(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// The document.
pub fn document() -> Value {
    let bad = ("400", "A malformed or unknown parameter, named in `field`");
    let mut paths = Map::new();
    let mut jobs_get = responses(&[("200", ok("A page of jobs, newest first", "JobPage"))]);
    errors(&[bad], &mut jobs_get);
    let mut push = responses(&[("200", ok("The records read and stored", "PushResult"))]);
    errors(
        &[
            ("400", "An empty body"),
            ("403", "The caller is not an administrator"),
            ("413", "A body over 1 MiB"),
            ("422", "Malformed records, the body's line named"),
        ],
        &mut push,
    );
    let mut push_op = operation("Store records pushed by a site's script (sacct -P text with its header, or sacct --json); administrators only", json!([]), push, true);
    push_op["requestBody"] = json!({"required": true, "content": {
        "text/plain": {"schema": {"type": "string"}},
        "application/json": {"schema": {"type": "object"}}}});
    paths.insert(
        "/api/v1/jobs".into(),
        json!({
            "get": operation("The caller's jobs (an administrator: every job), filtered, newest first", parameters(&JOBS), jobs_get, true),
            "post": push_op,
        }),
    );
    for (path, summary, params) in [
        (
            "/api/v1/jobs/{job_id}",
            "A job by its id (the most recent submission)",
            json!([{"name": "job_id", "in": "path", "required": true, "schema": {"type": "string"}}, explain()]),
        ),
        (
            "/api/v1/jobs/{cluster}/{job_id}",
            "A job of a cluster",
            json!([
            {"name": "cluster", "in": "path", "required": true, "schema": {"type": "string"}},
            {"name": "job_id", "in": "path", "required": true, "schema": {"type": "string"}}, explain()]),
        ),
    ] {
        let mut r = responses(&[("200", ok("The job", "Job"))]);
        errors(
            &[bad, ("404", "Unknown, or not visible to the caller")],
            &mut r,
        );
        paths.insert(
            path.into(),
            json!({"get": operation(summary, params, r, true)}),
        );
    }
    let mut summary = responses(&[("200", ok("Totals and groups with bounds", "Summary"))]);
    errors(&[bad], &mut summary);
    paths.insert(
        "/api/v1/summary".into(),
        json!({"get": operation("Totals of the caller's jobs, and groups, with bounds computed as impacts accounting computes them", parameters(&SUMMARY), summary, true)}),
    );
    let mut bench = responses(&[(
        "200",
        json!({"description": "Benchmark runs (impacts bench ingest), the latest first, each with its job's footprint (null when its job is not stored or not visible)",
               "content": {"application/json": {"schema": {"type": "object", "required": ["runs"],
                   "properties": {"runs": {"type": "array", "items": {"type": "object"}}}}}}}),
    )]);
    errors(&[bad], &mut bench);
    paths.insert(
        "/api/v1/bench/runs".into(),
        json!({"get": operation(
            "The stored benchmark runs the caller may see: an administrator every run, a user the runs of their jobs",
            json!([{"name": "limit", "in": "query", "required": false,
                    "description": "Runs, 1 to 10000 (1000)", "schema": {"type": "integer"}}]),
            bench,
            true,
        )}),
    );
    let mut estimate = responses(&[(
        "200",
        ok(
            "The report, as the command line prints it in JSON",
            "Report",
        ),
    )]);
    errors(
        &[
            ("400", "Malformed JSON"),
            ("404", "No estimate of that kind"),
            ("413", "A body over 1 MiB"),
            ("422", "An unknown field or a bad value, named in `field`"),
        ],
        &mut estimate,
    );
    let mut estimate_op = operation(
        "An estimate: the library's request as JSON, with samples, seed, method, percentiles and explain beside its fields",
        json!([{"name": "kind", "in": "path", "required": true, "schema": {"type": "string", "enum": KINDS}}]),
        estimate,
        true,
    );
    estimate_op["requestBody"] =
        json!({"required": true, "content": {"application/json": {"schema": {"type": "object"}}}});
    paths.insert(
        "/api/v1/estimate/{kind}".into(),
        json!({"post": estimate_op}),
    );
    let metrics = responses(&[(
        "200",
        json!({"description": "OpenMetrics text: counters per partition and account, in base units",
               "content": {"application/openmetrics-text": {"schema": {"type": "string"}}}}),
    )]);
    let mut metrics_op = operation(
        "Counters for Prometheus: a trusted address without a user, or an administrator",
        json!([]),
        metrics,
        true,
    );
    errors(
        &[("403", "Neither the monitoring system nor an administrator")],
        metrics_op["responses"].as_object_mut().expect("responses"),
    );
    paths.insert("/metrics".into(), json!({"get": metrics_op}));
    paths.insert(
        "/healthz".into(),
        json!({"get": operation("The service and its store answer", json!([]), responses(&[("200", ok("Healthy", "Health"))]), false)}),
    );
    paths.insert(
        "/api/v1/openapi.json".into(),
        json!({"get": operation("This document", json!([]), responses(&[("200", json!({"description": "OpenAPI 3.0", "content": {"application/json": {"schema": {"type": "object"}}}}))]), false)}),
    );
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "impacts",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The footprint of every job of a center (primary energy, climate change, mineral resources) over manufacturing and use, with bounds; docs/service.md."
        },
        "paths": paths,
        "components": {"schemas": schemas(), "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": "A token of impacts token create"},
            "proxy": {"type": "apiKey", "in": "header", "name": "X-Remote-User", "description": "The user, set by the site's authenticating proxy (the header's name is configured)"}
        }},
        "security": [{"bearer": []}, {"proxy": []}],
    })
}

/// The schemas of the answers.
fn schemas() -> Value {
    let number = json!({"type": "number"});
    let nullable = json!({"type": "number", "nullable": true});
    let estimate = json!({"type": "object", "required": ["value", "unit"], "properties": {
        "value": number, "low": nullable, "high": nullable, "unit": {"type": "string"}}});
    let impacts = json!({"type": "object", "additionalProperties": schema("Estimate")});
    json!({
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"], "properties": {
                "code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}}}}},
        "Estimate": estimate,
        "Impacts": impacts,
        "Job": {"type": "object", "required": ["job_id", "impacts"], "properties": {
            "job_id": {"type": "string"}, "cluster": {"type": "string"}, "user": {"type": "string"},
            "account": {"type": "string"}, "partition": {"type": "string"}, "state": {"type": "string"},
            "start": {"type": "string", "format": "date-time", "nullable": true},
            "end": {"type": "string", "format": "date-time", "nullable": true},
            "nodes": {"type": "integer", "nullable": true}, "cores": {"type": "integer", "nullable": true},
            "gpus": {"type": "integer", "nullable": true}, "node_equivalents": nullable, "hours": nullable,
            "cpu_load": nullable, "gpu_load": nullable, "energy_source": {"type": "string"},
            "energy": {"type": "object", "nullable": true, "additionalProperties": {"type": "number"}},
            "impacts": {"allOf": [schema("Impacts")], "nullable": true},
            "phases": {"type": "object", "nullable": true, "additionalProperties": {"type": "object", "additionalProperties": {"type": "number"}}},
            "warnings": {"type": "array", "items": {"type": "string"}}}},
        "JobPage": {"type": "object", "required": ["jobs"], "properties": {
            "jobs": {"type": "array", "items": schema("Job")},
            "next_cursor": {"type": "string", "nullable": true}}},
        "Group": {"type": "object", "required": ["jobs", "impacts"], "properties": {
            "key": {"type": "string"}, "jobs": {"type": "integer"}, "jobs_estimated": {"type": "integer"},
            "impacts": schema("Impacts"),
            "phases": {"type": "object", "additionalProperties": schema("Impacts")},
            "energy": {"type": "object", "additionalProperties": {"type": "number"}},
            "usage": {"type": "object", "additionalProperties": {"type": "number"}}}},
        "Summary": {"type": "object", "required": ["total", "groups"], "properties": {
            "group_by": {"type": "string", "nullable": true}, "total": schema("Group"),
            "groups": {"type": "array", "items": schema("Group")},
            "method": {"type": "string"}, "data_bundle": {"type": "string"}}},
        "PushResult": {"type": "object", "required": ["jobs", "stored"], "properties": {
            "jobs": {"type": "integer"}, "jobs_estimated": {"type": "integer"}, "stored": {"type": "integer"},
            "warnings": {"type": "array", "items": {"type": "object"}}}},
        "Report": {"type": "object", "required": ["impacts"], "properties": {"impacts": schema("Impacts")}},
        "Health": {"type": "object", "required": ["status"], "properties": {
            "status": {"type": "string"}, "jobs": {"type": "integer"}}},
    })
}
