//! `impacts workflow` and the what-if comparisons.

use std::fmt::Write as _;

use impacts::impacts_model::report::Estimate;
use impacts::{Engine, OrderedMap};
use impacts_workflow::{compare, Scenario, ScenarioResult, Workflow, WorkflowReport};

use super::{json, options, render_report};
use crate::args::{Format, WorkflowArgs};
use crate::error::{CliError, Flags};
use crate::render::{
    bounds_line, criterion_title, estimate_cell, grid_with_total, impact_grid, pad, provenance,
    sig3, title_case,
};

/// The flags of `impacts workflow`, by the library's name of what they give (the stages' own
/// inputs are keys of the file, named as written).
pub const FLAGS: Flags = &[("what_if", "--what-if")];

/// Reads the workflow, evaluates it (or one stage), and renders.
pub fn run(engine: &Engine, a: &WorkflowArgs, explain: bool) -> Result<String, CliError> {
    if a.file == "-" {
        return Err(CliError::usage(
            "invalid FILE '-': a workflow is read from a file; standard input (-) is read by impacts accounting only",
        ));
    }
    let w = Workflow::read(&a.file)?;
    let opts = options(&a.common, explain)?;
    if let Some(name) = &a.stage {
        return stage(engine, &w, name, a, &opts, explain);
    }
    if explain {
        return Err(CliError::usage(
            "explain workflow needs --stage NAME (a stage's derivation)",
        ));
    }
    let report = w.evaluate(engine, &opts)?;
    if a.what_if.is_empty() {
        return render(&report, a.common.format);
    }
    let mut rows = vec![("baseline".to_string(), report.impacts.clone())];
    for s in &a.what_if {
        let sc = Scenario::parse(s)?;
        let r = sc.apply(&w)?.evaluate(engine, &opts)?;
        rows.push((sc.label.clone(), r.impacts));
    }
    render_scenarios(
        &format!("workflow {}", w.name),
        &compare(rows),
        a.common.format,
    )
}

/// One stage: its report, or its what-if comparison.
fn stage(
    engine: &Engine,
    w: &Workflow,
    name: &str,
    a: &WorkflowArgs,
    opts: &impacts::Options,
    explain: bool,
) -> Result<String, CliError> {
    let find = |w: &Workflow| {
        w.stages.iter().position(|s| s.name == name).ok_or_else(|| {
            let names: Vec<&str> = w.stages.iter().map(|s| s.name.as_str()).collect();
            CliError::usage(format!(
                "unknown --stage '{name}': expected one of {}",
                names.join(", ")
            ))
        })
    };
    let s = &w.stages[find(w)?];
    if a.what_if.is_empty() || explain {
        let r = w.evaluate_stage(engine, s, opts)?;
        return render_report(&r, &a.common, explain);
    }
    let mut rows = vec![(
        "baseline".to_string(),
        w.evaluate_stage(engine, s, opts)?.impacts,
    )];
    for spec in &a.what_if {
        let sc = Scenario::parse(spec)?;
        let w2 = sc.apply(w)?;
        let s2 = &w2.stages[find(&w2)?];
        rows.push((
            sc.label.clone(),
            w2.evaluate_stage(engine, s2, opts)?.impacts,
        ));
    }
    render_scenarios(
        &format!("stage {name} of workflow {}", w.name),
        &compare(rows),
        a.common.format,
    )
}

fn render(r: &WorkflowReport, format: Format) -> Result<String, CliError> {
    match format {
        Format::Json => json(r),
        Format::Table => Ok(table(r)),
        Format::Csv => csv(r).map_err(|e| CliError::cannot_write("CSV", e)),
    }
}

/// A bar of `share` (0–1) in eighths of a character, `width` characters for 100 %.
fn bar(share: f64, width: usize) -> String {
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let eighths = (share.clamp(0.0, 1.0) * width as f64 * 8.0).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    s.push_str(PARTS[eighths % 8]);
    s
}

fn table(r: &WorkflowReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Workflow {} ({}): {} stage(s)",
        r.name,
        r.file,
        r.stages.len()
    );
    let _ = writeln!(out);
    // Stages are shown on the headline criterion (the bundle's first: climate change).
    let key = r.impacts.iter().next().map_or("", |(k, _)| k.as_str());
    let title = criterion_title(key).to_lowercase();
    let headers = ["stage", "kind", "after", title.as_str(), "share"];
    let rows: Vec<[String; 5]> = r
        .stages
        .iter()
        .map(|s| {
            [
                s.name.clone(),
                s.kind.clone(),
                if s.after.is_empty() {
                    "—".into()
                } else {
                    s.after.join(", ")
                },
                s.impacts.get(key).map(estimate_cell).unwrap_or_default(),
                format!("{:.1} %", 100.0 * s.share.get(key).copied().unwrap_or(0.0)),
            ]
        })
        .collect();
    let total = [
        "Total".to_string(),
        String::new(),
        String::new(),
        r.impacts.get(key).map(estimate_cell).unwrap_or_default(),
        "100 %".into(),
    ];
    let widths: Vec<usize> = (0..5)
        .map(|i| {
            rows.iter()
                .chain(std::iter::once(&total))
                .map(|row| row[i].chars().count())
                .chain(std::iter::once(headers[i].len()))
                .max()
                .unwrap_or(4)
                + 2
        })
        .collect();
    let line = |cells: &[String]| -> String {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate() {
            l.push_str(&pad(c, widths[i]));
        }
        l.trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(&headers.map(String::from)));
    for (row, s) in rows.iter().zip(&r.stages) {
        let mut l = line(row);
        let share = s.share.get(key).copied().unwrap_or(0.0);
        l = format!("{}  {}", pad(&l, widths.iter().sum()), bar(share, 30));
        let _ = writeln!(out, "{}", l.trim_end());
    }
    let _ = writeln!(out, "{}", line(&total));
    let _ = writeln!(out);
    // Totals by criterion and phase.
    let crits: Vec<&String> = r.impacts.iter().map(|(k, _)| k).collect();
    let mut grid: Vec<(String, Vec<String>)> = Vec::new();
    for (ph, m) in r.phases.iter() {
        grid.push((
            title_case(ph),
            crits
                .iter()
                .map(|c| {
                    let unit = r.impacts.get(c).map(|e| e.unit.clone()).unwrap_or_default();
                    let v = m.get(c).copied().unwrap_or(0.0);
                    estimate_cell(&Estimate {
                        value: v,
                        low: v,
                        high: v,
                        unit,
                    })
                })
                .collect(),
        ));
    }
    grid_with_total(&mut out, grid, &r.impacts);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}",
        bounds_line(
            &r.uncertainty,
            "; the total sums the stages' samples, inputs they share drawn once"
        )
    );
    let _ = writeln!(
        out,
        "{}",
        provenance(&r.method, &r.data_bundle, "", &r.impacts_version).replace(" ()", "")
    );
    crate::render::warnings_block(&mut out, true, crate::render::pairs(&r.warnings));
    let _ = writeln!(out);
    let _ = writeln!(out, "A stage's details: impacts workflow {} --stage NAME (or impacts explain workflow {} --stage NAME)", r.file, r.file);
    out
}

fn csv(r: &WorkflowReport) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let crits: Vec<String> = r.impacts.iter().map(|(k, _)| k.clone()).collect();
    let mut h = vec!["stage".to_string(), "kind".into(), "after".into()];
    for c in &crits {
        h.extend([
            c.clone(),
            format!("{c}_low"),
            format!("{c}_high"),
            format!("{c}_share"),
        ]);
    }
    w.write_record(&h)?;
    let cells = |m: &OrderedMap<Estimate>, share: Option<&OrderedMap<f64>>| -> Vec<String> {
        let mut v = Vec::new();
        for c in &crits {
            let e = m.get(c);
            v.push(e.map(|e| e.value.to_string()).unwrap_or_default());
            v.push(e.map(|e| e.low.to_string()).unwrap_or_default());
            v.push(e.map(|e| e.high.to_string()).unwrap_or_default());
            v.push(
                share
                    .and_then(|s| s.get(c))
                    .map(|x| x.to_string())
                    .unwrap_or_else(|| "1".into()),
            );
        }
        v
    };
    for s in &r.stages {
        let mut row = vec![s.name.clone(), s.kind.clone(), s.after.join(";")];
        row.extend(cells(&s.impacts, Some(&s.share)));
        w.write_record(&row)?;
    }
    let mut row = vec!["total".to_string(), "workflow".into(), String::new()];
    row.extend(cells(&r.impacts, None));
    w.write_record(&row)?;
    crate::render::csv_string(w)
}

/// Scenarios side by side: totals with bounds and the change from the baseline.
pub fn render_scenarios(
    subject: &str,
    rows: &[ScenarioResult],
    format: Format,
) -> Result<String, CliError> {
    match format {
        Format::Json => json(&rows),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let crits: Vec<String> = rows
                .first()
                .map(|r| r.impacts.iter().map(|(k, _)| k.clone()).collect())
                .unwrap_or_default();
            let mut h = vec!["scenario".to_string()];
            for c in &crits {
                h.extend([
                    c.clone(),
                    format!("{c}_low"),
                    format!("{c}_high"),
                    format!("{c}_change_percent"),
                ]);
            }
            w.write_record(&h)
                .map_err(|e| CliError::cannot_write("CSV", e))?;
            for r in rows {
                let mut row = vec![r.label.clone()];
                for c in &crits {
                    let e = r.impacts.get(c);
                    row.push(e.map(|e| e.value.to_string()).unwrap_or_default());
                    row.push(e.map(|e| e.low.to_string()).unwrap_or_default());
                    row.push(e.map(|e| e.high.to_string()).unwrap_or_default());
                    row.push(
                        r.change_percent
                            .get(c)
                            .map(|x| x.to_string())
                            .unwrap_or_default(),
                    );
                }
                w.write_record(&row)
                    .map_err(|e| CliError::cannot_write("CSV", e))?;
            }
            crate::render::csv_string(w).map_err(|e| CliError::cannot_write("CSV", e))
        }
        Format::Table => {
            let mut out = String::new();
            let _ = writeln!(out, "What-if: {subject}");
            let _ = writeln!(out);
            let crits: Vec<String> = rows
                .first()
                .map(|r| r.impacts.iter().map(|(k, _)| k.clone()).collect())
                .unwrap_or_default();
            let cell = |r: &ScenarioResult, c: &str| -> String {
                let e = r.impacts.get(c).map(estimate_cell).unwrap_or_default();
                let ch = r.change_percent.get(c).copied().unwrap_or(0.0);
                if r.label == "baseline" {
                    e
                } else {
                    format!("{e} ({}{} %)", if ch >= 0.0 { "+" } else { "" }, sig3(ch))
                }
            };
            let columns: Vec<(&str, &str)> = rows
                .first()
                .map(|r| {
                    r.impacts
                        .iter()
                        .map(|(k, e)| (k.as_str(), e.unit.as_str()))
                        .collect()
                })
                .unwrap_or_default();
            let grid: Vec<(String, Vec<String>)> = rows
                .iter()
                .map(|r| (r.label.clone(), crits.iter().map(|c| cell(r, c)).collect()))
                .collect();
            impact_grid(&mut out, &columns, &grid);
            Ok(out)
        }
    }
}
