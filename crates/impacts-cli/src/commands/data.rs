//! `impacts data`: what the bundle holds.

use std::fmt::Write as _;

use impacts::impacts_data::bundle::{CpuRow, GpuRow};
use impacts::impacts_data::matching::Matcher;
use impacts::impacts_data::Bundle;
use impacts::impacts_model::quantity::{fmt_num, Dist};
use impacts::{CenterSource, Engine};

use crate::args::{DataCmd, DataFormat, Kind, ShowKind};
use crate::error::CliError;
use serde_json::json;

fn csv_rows(header: &[&str], rows: &[Vec<String>]) -> Result<String, CliError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let e = |e: csv::Error| CliError::cannot_write("CSV", e);
    w.write_record(header).map_err(e)?;
    for r in rows {
        w.write_record(r).map_err(e)?;
    }
    crate::render::csv_string(w).map_err(|e| CliError::cannot_write("CSV", e))
}

/// Flattens a JSON value into (path, value) rows.
fn flatten(prefix: &str, v: &serde_json::Value, out: &mut Vec<Vec<String>>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&p, x, out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), x, out);
            }
        }
        serde_json::Value::String(s) => out.push(vec![prefix.to_string(), s.clone()]),
        other => out.push(vec![prefix.to_string(), other.to_string()]),
    }
}

fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

pub fn run(engine: &Engine, cmd: &DataCmd) -> Result<String, CliError> {
    let b = engine.bundle();
    match cmd {
        DataCmd::Info { format } => info(b, *format),
        DataCmd::Search {
            query,
            kind,
            limit,
            format,
        } => {
            let results = search(b, query, *kind, *limit);
            match format {
                DataFormat::Json => Ok(pretty(&json!(results))),
                DataFormat::Csv => search_csv(&results),
                DataFormat::Table => Ok(search_table(query, &results)),
            }
        }
        DataCmd::Centers { format } => centers(engine, *format),
        DataCmd::Show { kind, name, format } => {
            let v = show(engine, *kind, name)?;
            if *format == DataFormat::Csv {
                let mut rows = Vec::new();
                flatten("", &v, &mut rows);
                return csv_rows(&["field", "value"], &rows);
            }
            Ok(pretty(&v))
        }
    }
}

/// `impacts data centers`: each bundled center as `--center` takes it, in `format`.
fn centers(engine: &Engine, format: DataFormat) -> Result<String, CliError> {
    let list = engine
        .bundle()
        .center_names()
        .into_iter()
        .map(|id| center_json(engine, id))
        .collect::<Result<Vec<_>, _>>()?;
    let partitions = |c: &serde_json::Value| -> Vec<String> {
        c["partitions"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| format!("{} ({})", p["name"].as_str().unwrap_or(""), p["nodes"]))
            .collect()
    };
    let pue = |c: &serde_json::Value| match c["pue"]["default"].as_bool() {
        Some(true) => format!("{} (default)", c["pue"]["value"]),
        _ => c["pue"]["value"].to_string(),
    };
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    match format {
        DataFormat::Json => Ok(pretty(&json!({ "centers": list }))),
        DataFormat::Csv => {
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|c| {
                    vec![
                        text(&c["id"]),
                        text(&c["name"]),
                        text(&c["operator"]),
                        text(&c["zone"]),
                        text(&c["time_zone"]),
                        pue(c),
                        partitions(c).join("; "),
                    ]
                })
                .collect();
            csv_rows(
                &[
                    "id",
                    "name",
                    "operator",
                    "zone",
                    "time_zone",
                    "pue",
                    "partitions",
                ],
                &rows,
            )
        }
        DataFormat::Table => {
            let mut out = String::new();
            for c in &list {
                let heat = &c["heat_reuse"];
                let heat = match heat["reused"].as_bool() {
                    None => "not published".to_string(),
                    Some(r) => format!(
                        "{}{} (reported, not credited)",
                        if r { "yes" } else { "no" },
                        heat["note"]
                            .as_str()
                            .map_or(String::new(), |n| format!(": {n}"))
                    ),
                };
                let _ = writeln!(
                    out,
                    "{} — {} ({}); zone {}, {}; PUE {}\n  partitions (nodes): {}\n  heat reuse: {heat}\n  sources: {}",
                    text(&c["id"]),
                    text(&c["name"]),
                    text(&c["operator"]),
                    text(&c["zone"]),
                    text(&c["time_zone"]),
                    pue(c),
                    partitions(c).join(", "),
                    c["sources"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|s| text(&s["key"]))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            Ok(out)
        }
    }
}

/// A bundled center as JSON: what identifies it, its zone and clock, its PUE (and whether it
/// is the method's default), its partitions, and the bibliography entries its file cites.
fn center_json(engine: &Engine, id: &str) -> Result<serde_json::Value, CliError> {
    let b = engine.bundle();
    let c = engine.center(&CenterSource::Bundled(id.to_string()), "default", None)?;
    let text = b.center_file(id).map_or("", |(_, t)| t);
    let mut keys = std::collections::BTreeSet::new();
    if let Ok(v) = text.parse::<toml::Table>() {
        cited(&toml::Value::Table(v), &mut keys);
    }
    let sources: Vec<serde_json::Value> = keys
        .iter()
        .filter_map(|k| {
            let e = b.bibliography.get(k)?;
            Some(json!({"key": k, "title": e.title, "year": e.year, "url": e.url}))
        })
        .collect();
    let partitions: Vec<serde_json::Value> = c
        .partitions
        .iter()
        .map(|p| {
            json!({
                "name": p.name, "aliases": p.aliases, "nodes": p.nodes,
                "node_types": p.groups.iter().map(|g| &g.node_type).collect::<Vec<_>>(),
                "cores_per_node": p.cores_per_node, "gpus_per_node": p.gpus_per_node,
                "memory_gb_per_node": p.memory_gb_per_node, "note": p.note,
            })
        })
        .collect();
    let pue = &c.pue.quantity;
    let (low, high) = match pue.dist {
        Dist::Uniform { low, high } | Dist::Triangular { low, high } => (Some(low), Some(high)),
        _ => (None, None),
    };
    Ok(json!({
        "id": id,
        "name": c.name,
        "operator": c.operator,
        "zone": c.spec.zone.code,
        "time_zone": c.time_zone,
        "pue": {"value": pue.value, "low": low, "high": high, "source": pue.provenance.source,
                "default": c.warnings.iter().any(|w| w.code == "center.pue-default")},
        "heat_reuse": c.heat_reuse,
        "partitions": partitions,
        "sources": sources,
    }))
}

/// Every `source = "key"` of a center file, at any depth.
fn cited(v: &toml::Value, keys: &mut std::collections::BTreeSet<String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                match (k.as_str(), x) {
                    ("source", toml::Value::String(s)) if s != "user" => {
                        keys.insert(s.clone());
                    }
                    _ => cited(x, keys),
                }
            }
        }
        toml::Value::Array(a) => a.iter().for_each(|x| cited(x, keys)),
        _ => {}
    }
}

/// `impacts data info`: the bundle's identity, its tables' sizes and its files, in `format`.
fn info(b: &Bundle, format: DataFormat) -> Result<String, CliError> {
    match format {
        DataFormat::Json => Ok(pretty(&info_json(b))),
        DataFormat::Csv => {
            let rows: Vec<Vec<String>> = b
                .files()
                .iter()
                .map(|(n, t)| {
                    vec![
                        n.clone(),
                        t.len().to_string(),
                        t.lines().count().to_string(),
                        b.hash.clone(),
                    ]
                })
                .collect();
            csv_rows(&["file", "bytes", "lines", "bundle_hash"], &rows)
        }
        DataFormat::Table => Ok(info_table(b)),
    }
}

/// The bundle's identity as JSON: name, version, hash, criteria, methods, table sizes, centers,
/// files.
fn info_json(b: &Bundle) -> serde_json::Value {
    let files: Vec<serde_json::Value> = b
        .files()
        .iter()
        .map(|(n, t)| json!({"file": n, "bytes": t.len(), "lines": t.lines().count()}))
        .collect();
    json!({
        "name": b.meta.name,
        "version": b.meta.version,
        "hash": b.hash,
        "reference_date": b.meta.reference_date,
        "criteria": b.criteria.iter().map(|c| json!({"key": c.key, "name": c.name, "unit": c.unit})).collect::<Vec<_>>(),
        "methods": b.methods.iter().map(|m| json!({"name": m.name, "description": m.description})).collect::<Vec<_>>(),
        "cpus": b.cpus.len(),
        "cpus_with_die_area": b.cpus.iter().filter(|c| c.die_area_mm2.is_some()).count(),
        "gpus": b.gpus.len(),
        "zones": b.zones.len(),
        "electricity_cells": b.electricity.len(),
        "sources": b.bibliography.len(),
        "centers": b.center_names(),
        "files": files,
    })
}

/// The bundle's identity for humans, one line per fact and one per file.
fn info_table(b: &Bundle) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", b.meta.name, b.meta.version);
    let _ = writeln!(out, "content hash (sha256): {}", b.hash);
    let _ = writeln!(
        out,
        "reference date for 'recent' averages: {}",
        b.meta.reference_date
    );
    let _ = writeln!(
        out,
        "criteria: {}",
        b.criteria
            .iter()
            .map(|c| format!("{} ({})", c.key, c.unit))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let methods: Vec<&str> = b.methods.iter().map(|m| m.name.as_str()).collect();
    let _ = writeln!(out, "methods: {}", methods.join(", "));
    let _ = writeln!(
        out,
        "CPU models: {} ({} with a die area) · GPU models: {} · electricity zones: {} ({} factor cells) · sources: {}",
        b.cpus.len(),
        b.cpus.iter().filter(|c| c.die_area_mm2.is_some()).count(),
        b.gpus.len(),
        b.zones.len(),
        b.electricity.len(),
        b.bibliography.len()
    );
    let _ = writeln!(out, "centers: {}", b.center_names().join(", "));
    let _ = writeln!(out, "files:");
    for (n, t) in b.files() {
        let _ = writeln!(
            out,
            "  {n:<28} {:>8} bytes {:>6} lines",
            t.len(),
            t.lines().count()
        );
    }
    out
}

/// `impacts data search`: the `limit` best matches of `query` in each table `kind` names, as
/// JSON objects (table, name, score, details), CPUs, GPUs, zones then centers.
fn search(b: &Bundle, query: &str, kind: Kind, limit: usize) -> Vec<serde_json::Value> {
    let mut results: Vec<serde_json::Value> = Vec::new();
    let mut add = |table: &str, m: &Matcher, describe: &dyn Fn(usize) -> String| {
        for c in m.ranked(query).into_iter().take(limit) {
            results.push(json!({"table": table, "name": c.name, "score": (c.score * 10.0).round() / 10.0, "details": describe(c.index)}));
        }
    };
    if matches!(kind, Kind::All | Kind::Cpu) {
        add("cpu", b.cpu_matcher(), &|i| cpu_details(&b.cpus[i]));
    }
    if matches!(kind, Kind::All | Kind::Gpu) {
        add("gpu", b.gpu_matcher(), &|i| gpu_details(&b.gpus[i]));
    }
    if matches!(kind, Kind::All | Kind::Zone) {
        let names: Vec<String> = b
            .zones
            .iter()
            .map(|z| {
                format!(
                    "{} {} {} {}",
                    z.code3,
                    z.code2,
                    z.name,
                    z.aliases.replace(';', " ")
                )
            })
            .collect();
        let m = Matcher::new(names.iter().map(String::as_str));
        add("zone", &m, &|i| {
            format!(
                "{} ({}, {})",
                b.zones[i].name, b.zones[i].code3, b.zones[i].kind
            )
        });
    }
    if matches!(kind, Kind::All | Kind::Center) {
        let names = b.center_names();
        let m = Matcher::new(names.iter().copied());
        add("center", &m, &|i| {
            format!("bundled center file centers/{}.toml", names[i])
        });
    }
    results
}

/// A value with its unit (`250 W`), or `?` when the bundle does not know it.
fn with_unit(v: Option<f64>, unit: &str) -> String {
    v.map(|x| format!("{} {unit}", fmt_num(x)))
        .unwrap_or_else(|| "?".into())
}

/// What a search shows of a CPU model: family, cores, TDP, die area and its basis.
fn cpu_details(c: &CpuRow) -> String {
    format!(
        "{} · {} cores · TDP {} · die {}",
        if c.family.is_empty() {
            "family ?"
        } else {
            &c.family
        },
        c.cores.map(fmt_num).unwrap_or_else(|| "?".into()),
        with_unit(c.tdp_w, "W"),
        c.die_area_mm2
            .map(|d| format!("{} mm² ({})", fmt_num(d), c.die_area_basis))
            .unwrap_or_else(|| "?".into())
    )
}

/// What a search shows of a GPU model: architecture, TDP, die area, memory.
fn gpu_details(g: &GpuRow) -> String {
    format!(
        "{} · TDP {} · die {} · memory {}",
        g.architecture,
        with_unit(g.tdp_w, "W"),
        with_unit(g.die_area_mm2, "mm²"),
        with_unit(g.memory_gb, "GB")
    )
}

/// The search's results as CSV: table, name, score, details.
fn search_csv(results: &[serde_json::Value]) -> Result<String, CliError> {
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            vec![
                r["table"].as_str().unwrap_or("").to_string(),
                r["name"].as_str().unwrap_or("").to_string(),
                r["score"].to_string(),
                r["details"].as_str().unwrap_or("").to_string(),
            ]
        })
        .collect();
    csv_rows(&["table", "name", "score", "details"], &rows)
}

/// The search's results for humans, one aligned line each (or that nothing matched `query`).
fn search_table(query: &str, results: &[serde_json::Value]) -> String {
    let mut out = String::new();
    if results.is_empty() {
        let _ = writeln!(out, "no match for '{query}'");
    }
    for r in results {
        let _ = writeln!(
            out,
            "{:<6} {:>5}  {:<40} {}",
            r["table"].as_str().unwrap_or(""),
            r["score"],
            r["name"].as_str().unwrap_or(""),
            r["details"].as_str().unwrap_or("")
        );
    }
    out
}

/// `impacts data show`: the row `name` of the table `kind`, as JSON.
fn show(engine: &Engine, kind: ShowKind, name: &str) -> Result<serde_json::Value, CliError> {
    let b = engine.bundle();
    match kind {
        ShowKind::Cpu => exact_rows("CPU", b.cpu_matcher(), name, &b.cpus),
        ShowKind::Gpu => exact_rows("GPU", b.gpu_matcher(), name, &b.gpus),
        ShowKind::Zone => {
            let z = b.zone(name)?;
            let cells: Vec<_> = b
                .electricity
                .iter()
                .filter(|e| e.zone == z.spec.code)
                .collect();
            Ok(json!({"zone": z.spec, "cells": cells, "warnings": z.warnings}))
        }
        ShowKind::Center => {
            let c = engine.center(&CenterSource::Bundled(name.to_string()), "default", None)?;
            Ok(json!({
                "name": c.name,
                "operator": c.operator,
                "file": c.file,
                "zone": c.spec.zone.code,
                "partitions": c.partitions,
                "warnings": c.warnings,
                "node_type_warnings": c.node_type_warnings,
            }))
        }
        ShowKind::Source => show_source(b, name),
        ShowKind::Constant => show_constant(b, name),
    }
}

/// The rows of `table` (of `what`: CPU, GPU) whose name is `name`, spelled as the matcher
/// compares names; an error naming the closest ones when there is none.
fn exact_rows<T: serde::Serialize>(
    what: &str,
    m: &Matcher,
    name: &str,
    table: &[T],
) -> Result<serde_json::Value, CliError> {
    let rows = m.exact_rows(name);
    if rows.is_empty() {
        return Err(not_found(what, name, m));
    }
    Ok(json!(rows.iter().map(|i| &table[*i]).collect::<Vec<_>>()))
}

/// The bibliography's entry `name`; an error listing the keys when there is none.
fn show_source(b: &Bundle, name: &str) -> Result<serde_json::Value, CliError> {
    let s = b.bibliography.get(name).ok_or_else(|| {
        CliError::usage(format!(
            "unknown source '{name}': expected a key of the bibliography ({})",
            b.bibliography
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    Ok(json!({"key": name, "entry": s}))
}

/// The constant `name` of the default method, with its variants (`name:variant`); an error
/// listing the constants when there is none.
fn show_constant(b: &Bundle, name: &str) -> Result<serde_json::Value, CliError> {
    let c = b.constants("default")?;
    let rows: Vec<_> = c
        .iter()
        .filter(|(k, _)| k.as_str() == name || k.starts_with(&format!("{name}:")))
        .collect();
    if rows.is_empty() {
        return Err(CliError::usage(format!(
            "unknown constant '{name}': expected one of {}",
            c.iter()
                .map(|(k, _)| k.split(':').next().unwrap_or("").to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(json!(rows
        .into_iter()
        .map(|(k, q)| json!({"key": k, "quantity": q}))
        .collect::<Vec<_>>()))
}

fn not_found(what: &str, name: &str, m: &Matcher) -> CliError {
    let close: Vec<String> = m.ranked(name).into_iter().take(5).map(|c| c.name).collect();
    CliError::usage(format!(
        "no {what} named '{name}' in the data bundle{}",
        if close.is_empty() {
            String::new()
        } else {
            format!("; closest: {}", close.join(", "))
        }
    ))
}
