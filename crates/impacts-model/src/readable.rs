//! Numbers for people: values scaled to a readable unit prefix (`27.4 kgCO2eq`), three
//! significant digits, bounds beside the value, the criteria's titles. One set of rules for the
//! command's tables, the service's pages and the Python package's HTML.

use crate::report::Estimate;

/// Scales a value in a base unit to a readable prefix: (value, unit).
pub fn scale(v: f64, unit: &str) -> (f64, String) {
    let a = v.abs();
    // (threshold, factor, unit) from large to small.
    let table: &[(f64, f64, &str)] = match unit {
        "gCO2eq" => &[
            (1e9, 1e9, "ktCO2eq"),
            (1e6, 1e6, "tCO2eq"),
            (1e3, 1e3, "kgCO2eq"),
            (1.0, 1.0, "gCO2eq"),
            (0.0, 1e-3, "mgCO2eq"),
        ],
        "gSbeq" => &[
            (1e3, 1e3, "kgSbeq"),
            (1.0, 1.0, "gSbeq"),
            (1e-3, 1e-3, "mgSbeq"),
            (0.0, 1e-6, "µgSbeq"),
        ],
        "MJ" => &[
            (1e6, 1e6, "TJ"),
            (1e3, 1e3, "GJ"),
            (1.0, 1.0, "MJ"),
            (0.0, 1e-3, "kJ"),
        ],
        "kWh" => &[
            (1e6, 1e6, "GWh"),
            (1e3, 1e3, "MWh"),
            (1.0, 1.0, "kWh"),
            (0.0, 1e-3, "Wh"),
        ],
        "W" => &[(1e6, 1e6, "MW"), (1e3, 1e3, "kW"), (0.0, 1.0, "W")],
        "L" => &[
            (1e6, 1e6, "ML"),
            (1e3, 1e3, "m³"),
            (1.0, 1.0, "L"),
            (0.0, 1e-3, "mL"),
        ],
        _ => return (v, unit.to_string()),
    };
    for (threshold, factor, u) in table {
        if a >= *threshold {
            return (v / factor, u.to_string());
        }
    }
    let (_, f, u) = table[table.len() - 1];
    (v / f, u.to_string())
}

/// Three significant digits, without exponent for ordinary magnitudes.
pub fn sig3(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if !v.is_finite() {
        return format!("{v}");
    }
    let a = v.abs();
    if !(1e-3..1e6).contains(&a) {
        return format!("{v:.2e}");
    }
    let digits = (2 - a.log10().floor() as i32).max(0) as usize;
    format!("{v:.digits$}")
}

/// A value with its unit, scaled.
pub fn value_unit(v: f64, unit: &str) -> String {
    let (x, u) = scale(v, unit);
    if u == "1" || u.is_empty() {
        sig3(x)
    } else {
        format!("{} {u}", sig3(x))
    }
}

/// A value with bounds, in the unit of the value.
pub fn estimate_cell(e: &Estimate) -> String {
    let (x, u) = scale(e.value, &e.unit);
    let f = if e.value != 0.0 { x / e.value } else { 1.0 };
    if e.low == e.high {
        format!("{} {u}", sig3(x))
    } else {
        format!(
            "{} {u} [{} – {}]",
            sig3(x),
            sig3(e.low * f),
            sig3(e.high * f)
        )
    }
}

/// The title of a criterion in tables.
pub fn criterion_title(key: &str) -> &str {
    match key {
        "gwp" => "Climate change",
        "adpe" => "Mineral resources",
        "pe" => "Primary energy",
        "water" => "Water consumption",
        other => other,
    }
}
