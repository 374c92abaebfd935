//! `impacts data`: what the bundle holds.

use std::fmt::Write as _;

use impacts::impacts_data::matching::Matcher;
use impacts::impacts_model::quantity::fmt_num;
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
    let bytes = w
        .into_inner()
        .map_err(|e| CliError::cannot_write("CSV", e))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
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
        DataCmd::Info { format } => {
            let files: Vec<serde_json::Value> = b
                .files()
                .iter()
                .map(|(n, t)| json!({"file": n, "bytes": t.len(), "lines": t.lines().count()}))
                .collect();
            let v = json!({
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
            });
            match format {
                DataFormat::Json => return Ok(pretty(&v)),
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
                    return csv_rows(&["file", "bytes", "lines", "bundle_hash"], &rows);
                }
                DataFormat::Table => {}
            }
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
            let _ = writeln!(
                out,
                "methods: {}",
                b.methods
                    .iter()
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
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
            Ok(out)
        }
        DataCmd::Search {
            query,
            kind,
            limit,
            format,
        } => {
            let mut results: Vec<serde_json::Value> = Vec::new();
            let mut add = |table: &str, m: &Matcher, describe: &dyn Fn(usize) -> String| {
                for c in m.ranked(query).into_iter().take(*limit) {
                    results.push(json!({"table": table, "name": c.name, "score": (c.score * 10.0).round() / 10.0, "details": describe(c.index)}));
                }
            };
            if matches!(kind, Kind::All | Kind::Cpu) {
                let m = b.cpu_matcher();
                add("cpu", m, &|i| {
                    let c = &b.cpus[i];
                    format!(
                        "{} · {} cores · TDP {} · die {}",
                        if c.family.is_empty() {
                            "family ?"
                        } else {
                            &c.family
                        },
                        c.cores.map(fmt_num).unwrap_or_else(|| "?".into()),
                        c.tdp_w
                            .map(|t| format!("{} W", fmt_num(t)))
                            .unwrap_or_else(|| "?".into()),
                        c.die_area_mm2
                            .map(|d| format!("{} mm² ({})", fmt_num(d), c.die_area_basis))
                            .unwrap_or_else(|| "?".into())
                    )
                });
            }
            if matches!(kind, Kind::All | Kind::Gpu) {
                let m = b.gpu_matcher();
                add("gpu", m, &|i| {
                    let g = &b.gpus[i];
                    format!(
                        "{} · TDP {} · die {} · memory {}",
                        g.architecture,
                        g.tdp_w
                            .map(|t| format!("{} W", fmt_num(t)))
                            .unwrap_or_else(|| "?".into()),
                        g.die_area_mm2
                            .map(|d| format!("{} mm²", fmt_num(d)))
                            .unwrap_or_else(|| "?".into()),
                        g.memory_gb
                            .map(|d| format!("{} GB", fmt_num(d)))
                            .unwrap_or_else(|| "?".into())
                    )
                });
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
            match format {
                DataFormat::Json => return Ok(pretty(&json!(results))),
                DataFormat::Csv => {
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
                    return csv_rows(&["table", "name", "score", "details"], &rows);
                }
                DataFormat::Table => {}
            }
            let mut out = String::new();
            if results.is_empty() {
                let _ = writeln!(out, "no match for '{query}'");
            }
            for r in &results {
                let _ = writeln!(
                    out,
                    "{:<6} {:>5}  {:<40} {}",
                    r["table"].as_str().unwrap_or(""),
                    r["score"],
                    r["name"].as_str().unwrap_or(""),
                    r["details"].as_str().unwrap_or("")
                );
            }
            Ok(out)
        }
        DataCmd::Show { kind, name, format } => {
            let v = match kind {
                ShowKind::Cpu => {
                    let m = b.cpu_matcher();
                    let rows = m.exact_rows(name);
                    if rows.is_empty() {
                        return Err(not_found("CPU", name, m));
                    }
                    json!(rows.iter().map(|i| &b.cpus[*i]).collect::<Vec<_>>())
                }
                ShowKind::Gpu => {
                    let m = b.gpu_matcher();
                    let rows = m.exact_rows(name);
                    if rows.is_empty() {
                        return Err(not_found("GPU", name, m));
                    }
                    json!(rows.iter().map(|i| &b.gpus[*i]).collect::<Vec<_>>())
                }
                ShowKind::Zone => {
                    let z = b.zone(name)?;
                    let cells: Vec<_> = b
                        .electricity
                        .iter()
                        .filter(|e| e.zone == z.spec.code)
                        .collect();
                    json!({"zone": z.spec, "cells": cells, "warnings": z.warnings})
                }
                ShowKind::Center => {
                    let c = engine.center(&CenterSource::Bundled(name.clone()), "default", None)?;
                    json!({
                        "name": c.name,
                        "operator": c.operator,
                        "file": c.file,
                        "zone": c.spec.zone.code,
                        "partitions": c.partitions,
                        "warnings": c.warnings,
                        "node_type_warnings": c.node_type_warnings,
                    })
                }
                ShowKind::Source => {
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
                    json!({"key": name, "entry": s})
                }
                ShowKind::Constant => {
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
                    json!(rows
                        .into_iter()
                        .map(|(k, q)| json!({"key": k, "quantity": q}))
                        .collect::<Vec<_>>())
                }
            };
            if *format == DataFormat::Csv {
                let mut rows = Vec::new();
                flatten("", &v, &mut rows);
                return csv_rows(&["field", "value"], &rows);
            }
            Ok(pretty(&v))
        }
    }
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
