//! `/metrics`: OpenMetrics text, base units, counters per (partition, account).
//!
//! No per-job or per-user label: their number grows without bound (Prometheus' advice on
//! cardinality); a user's own numbers are in the API.

use std::fmt::Write as _;

use impacts_store::{MetricSum, Schema};

/// The content type of OpenMetrics text.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// A counter family: its name, help, the column summed, and the factor to base units.
struct Family {
    name: &'static str,
    help: &'static str,
    unit: &'static str,
    column: &'static str,
    factor: f64,
}

/// The counters: jobs, IT energy (J), and each criterion in base units (g, J).
const FAMILIES: [Family; 4] = [
    Family {
        name: "impacts_energy_joules",
        help: "Electricity drawn by the jobs' nodes (IT, without the facility's overhead)",
        unit: "joules",
        column: "energy_kwh",
        factor: 3.6e6,
    },
    Family {
        name: "impacts_gwp_grams",
        help: "Climate change of the jobs, manufacturing and use (gCO2eq)",
        unit: "grams",
        column: "gwp",
        factor: 1.0,
    },
    Family {
        name: "impacts_adpe_grams",
        help: "Abiotic resource depletion, minerals and metals, of the jobs (gSbeq)",
        unit: "grams",
        column: "adpe",
        factor: 1.0,
    },
    Family {
        name: "impacts_pe_joules",
        help: "Primary energy of the jobs, manufacturing and use",
        unit: "joules",
        column: "pe",
        factor: 1e6,
    },
];

/// Escapes a label value: backslash, double quote and line feed.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Writes a number as OpenMetrics reads it (finite numbers only reach here).
fn number(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:e}")
    }
}

/// The OpenMetrics text for the store's sums, its last ingestion time and the watermark of
/// continuous ingestion (UTC seconds).
pub fn render(
    schema: &Schema,
    sums: &[MetricSum],
    last_ingest: Option<i64>,
    watermark: Option<i64>,
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# TYPE impacts_jobs counter");
    let _ = writeln!(s, "# HELP impacts_jobs Jobs accounted");
    for m in sums {
        let _ = writeln!(
            s,
            "impacts_jobs_total{{partition=\"{}\",account=\"{}\"}} {}",
            label(&m.partition),
            label(&m.account),
            m.jobs
        );
    }
    let extensive = schema.job_columns().extensive_names();
    for f in &FAMILIES {
        let Some(i) = extensive.iter().position(|n| n == f.column) else {
            continue;
        };
        let _ = writeln!(s, "# TYPE {} counter", f.name);
        let _ = writeln!(s, "# UNIT {} {}", f.name, f.unit);
        let _ = writeln!(s, "# HELP {} {}", f.name, f.help);
        for m in sums {
            let v = m.sums.get(i).copied().unwrap_or(0.0) * f.factor;
            let _ = writeln!(
                s,
                "{}_total{{partition=\"{}\",account=\"{}\"}} {}",
                f.name,
                label(&m.partition),
                label(&m.account),
                number(v)
            );
        }
    }
    let gauges = [
        (
            "impacts_last_ingest_timestamp_seconds",
            "When jobs were last written to the store",
            last_ingest,
        ),
        (
            "impacts_sacct_watermark_timestamp_seconds",
            "Until when continuous ingestion has read sacct (the lag is time() minus this)",
            watermark,
        ),
    ];
    for (name, help, value) in gauges {
        if let Some(t) = value {
            let _ = writeln!(s, "# TYPE {name} gauge");
            let _ = writeln!(s, "# UNIT {name} seconds");
            let _ = writeln!(s, "# HELP {name} {help}");
            let _ = writeln!(s, "{name} {t}");
        }
    }
    s.push_str("# EOF\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }

    #[test]
    fn numbers_are_integers_or_exponents() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(1.5e6), "1500000");
        assert_eq!(number(0.25), "2.5e-1");
    }
}
