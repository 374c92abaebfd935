//! Rendering reports as tables, JSON and CSV.

use std::fmt::Write as _;

use impacts::impacts_model::explain::{to_text, Explanation};
pub use impacts::impacts_model::readable::{criterion_title, estimate_cell, sig3, value_unit};
use impacts::impacts_model::report::Estimate;
use impacts::{OrderedMap, Report, Uncertainty};

/// The text a CSV writer wrote.
pub fn csv_string(w: csv::Writer<Vec<u8>>) -> Result<String, csv::Error> {
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A phase or quantity key as a row label: `embodied_storage` → `Embodied storage`.
pub fn title_case(s: &str) -> String {
    let s = s.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Left-aligns `s` in `w` characters.
pub fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())))
}

/// The line that says how a result was made: method, data bundle, version.
pub fn provenance(method: &str, bundle: &str, bundle_version: &str, version: &str) -> String {
    format!(
        "Method: {method} · data bundle {} ({bundle_version}) · impacts {version}",
        &bundle[..12.min(bundle.len())]
    )
}

/// Writes a grid of impacts: a line of criterion titles, a line of `(key, unit)`, then one line
/// per row (a label and one cell per column). Columns are as wide as their widest cell.
pub fn impact_grid(out: &mut String, columns: &[(&str, &str)], rows: &[(String, Vec<String>)]) {
    let first_w = rows
        .iter()
        .map(|r| r.0.chars().count())
        .chain(std::iter::once(5))
        .max()
        .unwrap_or(5)
        + 2;
    let col_w: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, (key, _))| {
            rows.iter()
                .filter_map(|r| r.1.get(i))
                .map(|c| c.chars().count())
                .chain(std::iter::once(criterion_title(key).len()))
                .max()
                .unwrap_or(10)
                + 3
        })
        .collect();
    let mut header = pad("", first_w);
    let mut units = pad("", first_w);
    for (i, (key, unit)) in columns.iter().enumerate() {
        header.push_str(&pad(criterion_title(key), col_w[i]));
        units.push_str(&pad(&format!("({key}, {unit})"), col_w[i]));
    }
    let _ = writeln!(out, "{}", header.trim_end());
    let _ = writeln!(out, "{}", units.trim_end());
    for (label, cells) in rows {
        let mut l = pad(label, first_w);
        for (c, w) in cells.iter().zip(&col_w) {
            l.push_str(&pad(c, *w));
        }
        let _ = writeln!(out, "{}", l.trim_end());
    }
}

/// The `Warnings:` block (code and message per line), after a blank line when `gap`; nothing
/// when there is none.
pub fn warnings_block<'a>(
    out: &mut String,
    gap: bool,
    warnings: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    let mut ws = warnings.into_iter().peekable();
    if ws.peek().is_none() {
        return;
    }
    if gap {
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "Warnings:");
    for (code, message) in ws {
        let _ = writeln!(out, "  [{code}] {message}");
    }
}

/// The pairs of a report's warnings, for [`warnings_block`].
pub fn pairs(ws: &[impacts::impacts_model::report::Warning]) -> impl Iterator<Item = (&str, &str)> {
    ws.iter().map(|w| (w.code.as_str(), w.message.as_str()))
}

/// An impact grid of `rows` then a `Total` row, whose columns are the total's criteria.
pub fn grid_with_total(
    out: &mut String,
    mut rows: Vec<(String, Vec<String>)>,
    total: &OrderedMap<Estimate>,
) {
    rows.push((
        "Total".into(),
        total.iter().map(|(_, e)| estimate_cell(e)).collect(),
    ));
    let columns: Vec<(&str, &str)> = total
        .iter()
        .map(|(k, e)| (k.as_str(), e.unit.as_str()))
        .collect();
    impact_grid(out, &columns, &rows);
}

/// The `Bounds:` line: which percentiles of how many samples, `how` they were combined (appended
/// after the seed), and the results whose interval was widened to include the central value.
pub fn bounds_line(u: &Uncertainty, how: &str) -> String {
    if u.samples == 0 {
        return "Bounds: none (--samples 0)".into();
    }
    let widened = if u.widened.is_empty() {
        String::new()
    } else {
        format!(
            "; widened to include the central value for: {}",
            u.widened.join(", ")
        )
    };
    format!(
        "Bounds: {}th–{}th percentiles of {} Monte Carlo samples (seed {}){how}{widened}",
        u.percentiles[0], u.percentiles[1], u.samples, u.seed
    )
}

/// One row per phase (its title, then a cell per criterion), for [`impact_grid`].
pub fn phase_rows(
    phases: &OrderedMap<OrderedMap<Estimate>>,
    crits: &[&String],
) -> Vec<(String, Vec<String>)> {
    phases
        .iter()
        .map(|(phase, m)| {
            let cells = crits
                .iter()
                .map(|c| m.get(c).map(estimate_cell).unwrap_or_default())
                .collect();
            (title_case(phase), cells)
        })
        .collect()
}

/// The human table of a report.
pub fn table(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", capitalize(&r.subject));
    let _ = writeln!(out);
    let crits: Vec<&String> = r.impacts.iter().map(|(k, _)| k).collect();
    let rows = phase_rows(&r.phases, &crits);
    let total_row = (
        "Total".to_string(),
        crits
            .iter()
            .map(|c| r.impacts.get(c).map(estimate_cell).unwrap_or_default())
            .collect::<Vec<_>>(),
    );
    let show_total = matches!(r.kind.as_str(), "job" | "storage" | "transfer");
    let mut comp_rows: Vec<(String, Vec<String>)> = Vec::new();
    for (group, m) in r.components.iter() {
        comp_rows.push((
            format!("  {group}"),
            crits
                .iter()
                .map(|c| m.get(c).map(estimate_cell).unwrap_or_default())
                .collect(),
        ));
    }
    let mut shown: Vec<(String, Vec<String>)> = Vec::new();
    for row in rows {
        let manufacturing = row.0 == "Manufacturing";
        shown.push(row);
        if manufacturing {
            shown.append(&mut comp_rows);
        }
    }
    if show_total {
        shown.push(total_row);
    }
    let columns: Vec<(&str, &str)> = r
        .impacts
        .iter()
        .map(|(k, e)| (k.as_str(), e.unit.as_str()))
        .collect();
    impact_grid(&mut out, &columns, &shown);
    let _ = writeln!(out);
    let q = |k: &str| r.quantities.get(k);
    if let (Some(it), Some(all)) = (q("it_energy"), q("energy_with_overhead")) {
        let _ = writeln!(
            out,
            "Electricity: {} drawn by the job's nodes, {} with the facility overhead (PUE); idle share {}",
            value_unit(it.value, &it.unit),
            value_unit(all.value, &all.unit),
            q("idle_energy").map(|e| value_unit(e.value, &e.unit)).unwrap_or_default()
        );
    }
    if let Some(g) = r.inputs.get("grid") {
        let f = |k: &str| g[k].as_f64();
        if let (Some(x), Some(a)) = (f("gwp_per_kwh"), f("annual_gwp_per_kwh")) {
            let _ = writeln!(
                out,
                "Grid over the job: {} gCO2eq/kWh from {} (annual factor {}: {}{} %, {} on the use phase's climate change)",
                sig3(x),
                g["source"].as_str().unwrap_or(""),
                sig3(a),
                if x >= a { "+" } else { "" },
                sig3(f("difference_percent").unwrap_or(0.0)),
                value_unit(f("use_gwp_difference").unwrap_or(0.0), "gCO2eq")
            );
        }
    }
    if let Some(p) = q("node_power") {
        let _ = writeln!(out, "Node power at the job's load: {}", estimate_cell(p));
    }
    if r.kind != "job" {
        for (k, e) in r.quantities.iter() {
            let _ = writeln!(out, "{}: {}", title_case(k), estimate_cell(e));
        }
    }
    let _ = writeln!(out, "{}", bounds_line(&r.uncertainty, ""));
    for (crit, list) in r.sensitivity.iter() {
        if list.is_empty() {
            continue;
        }
        let items: Vec<String> = list
            .iter()
            .take(4)
            .map(|c| format!("{} ({:.0} %)", c.name, c.share * 100.0))
            .collect();
        let _ = writeln!(
            out,
            "Largest sources of uncertainty ({crit}): {}",
            items.join(", ")
        );
    }
    for m in &r.matches {
        if m.kind != "exact" {
            let _ = writeln!(
                out,
                "Name '{}': {} match → {} (score {:.0})",
                m.query,
                m.kind,
                if m.matched.is_empty() {
                    "nothing".into()
                } else {
                    m.matched.join(" | ")
                },
                m.score
            );
        }
    }
    let _ = writeln!(
        out,
        "{}",
        provenance(
            &r.method,
            &r.data_bundle,
            &r.data_bundle_version,
            &r.impacts_version
        )
    );
    warnings_block(&mut out, true, pairs(&r.warnings));
    out
}

/// The CSV rows of a report: section, name, criterion, value, low, high, unit.
pub fn csv(r: &Report) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "section",
        "name",
        "criterion",
        "value",
        "low",
        "high",
        "unit",
    ])?;
    let num = |v: f64| format!("{v}");
    for (c, e) in r.impacts.iter() {
        w.write_record([
            "impacts",
            "total",
            c,
            &num(e.value),
            &num(e.low),
            &num(e.high),
            &e.unit,
        ])?;
    }
    for (p, m) in r.phases.iter() {
        for (c, e) in m.iter() {
            w.write_record([
                "phase",
                p,
                c,
                &num(e.value),
                &num(e.low),
                &num(e.high),
                &e.unit,
            ])?;
        }
    }
    for (p, m) in r.components.iter() {
        for (c, e) in m.iter() {
            w.write_record([
                "component",
                p,
                c,
                &num(e.value),
                &num(e.low),
                &num(e.high),
                &e.unit,
            ])?;
        }
    }
    for (k, e) in r.quantities.iter() {
        w.write_record([
            "quantity",
            k,
            "",
            &num(e.value),
            &num(e.low),
            &num(e.high),
            &e.unit,
        ])?;
    }
    csv_string(w)
}

/// The derivation trees of a report as text.
pub fn explanation_text(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", capitalize(&r.subject));
    let fmt = |v: f64, u: &str| value_unit(v, u);
    if let Some(ex) = &r.explanation {
        for (crit, tree) in ex.iter() {
            let _ = writeln!(out);
            let _ = writeln!(out, "── {} ({crit}) ──", criterion_title(crit));
            out.push_str(&to_text(tree, &fmt));
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Every leaf names its source (a key of the bundle's bibliography: `impacts data show source KEY`). Data bundle {} ({}).",
        &r.data_bundle[..12.min(r.data_bundle.len())],
        r.data_bundle_version
    );
    warnings_block(&mut out, false, pairs(&r.warnings));
    out
}

/// The derivation trees as CSV: one row per node.
pub fn explanation_csv(r: &Report) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "criterion",
        "depth",
        "name",
        "value",
        "low",
        "high",
        "unit",
        "status",
        "formula",
        "source",
        "note",
    ])?;
    fn rec(
        w: &mut csv::Writer<Vec<u8>>,
        crit: &str,
        depth: usize,
        e: &Explanation,
    ) -> Result<(), csv::Error> {
        let opt = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_default();
        w.write_record([
            crit,
            &depth.to_string(),
            &e.name,
            &format!("{}", e.value),
            &opt(e.low),
            &opt(e.high),
            &e.unit,
            &e.status,
            e.formula.as_deref().unwrap_or(""),
            e.source.as_ref().map(|s| s.key.as_str()).unwrap_or(""),
            e.note.as_deref().unwrap_or(""),
        ])?;
        if !e.repeated {
            for c in &e.children {
                rec(w, crit, depth + 1, c)?;
            }
        }
        Ok(())
    }
    if let Some(ex) = &r.explanation {
        for (crit, tree) in ex.iter() {
            rec(&mut w, crit, 0, tree)?;
        }
    }
    csv_string(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_scale_to_readable_prefixes() {
        assert_eq!(value_unit(7107.3, "gCO2eq"), "7.11 kgCO2eq");
        assert_eq!(value_unit(0.0848, "gSbeq"), "84.8 mgSbeq");
        assert_eq!(value_unit(2.4e7, "gCO2eq"), "24.0 tCO2eq");
        assert_eq!(value_unit(0.615, "MJ"), "615 kJ");
        assert_eq!(value_unit(1500.0, "MJ"), "1.50 GJ");
        assert_eq!(value_unit(5060.4, "W"), "5.06 kW");
        assert_eq!(value_unit(50.6, "kWh"), "50.6 kWh");
    }

    #[test]
    fn three_significant_digits() {
        assert_eq!(sig3(98000.0), "98000");
        assert_eq!(sig3(1.23456), "1.23");
        assert_eq!(sig3(0.0123456), "0.0123");
        assert_eq!(sig3(123.456), "123");
    }
}
