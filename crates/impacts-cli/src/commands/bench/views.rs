//! The views of `impacts bench report --view`: the latest run of every use case, scaling series,
//! and the two trees of the benchmarking sites (machines → applications → use cases, and
//! applications → use cases → machines).

use impacts::impacts_model::readable::value_unit;
use impacts_bench::footprint::Footprint;
use impacts_bench::scaling::{self, Better};
use impacts_bench::tree::{self, Order};
use serde_json::{json, Value};

use super::{columns, date_of, perf_text, time_json, Loaded};

pub(super) fn latest_table(l: &Loaded) -> String {
    let mut rows = vec![[
        "use case".to_string(),
        "machine".into(),
        "date".into(),
        "result".into(),
        "value".into(),
        "energy".into(),
        "climate change".into(),
    ]];
    for i in impacts_bench::latest(&l.runs) {
        let (r, f) = (&l.runs[i], &l.footprints[i]);
        rows.push([
            r.display_name.clone(),
            format!("{}+{}", r.machine(), r.environ),
            date_of(r.time),
            r.result.clone().unwrap_or_else(|| "–".into()),
            r.perf.first().map_or(String::new(), perf_text),
            f.as_ref()
                .map_or("–".into(), |f| value_unit(f.energy_kwh, "kWh")),
            f.as_ref()
                .and_then(Footprint::gwp)
                .map_or("–".into(), |g| value_unit(g.value, &g.unit)),
        ]);
    }
    columns(&rows)
}

/// Each series: its points with speed-up, efficiency, and the footprint of each point and what it
/// added over the previous one.
pub(super) fn scaling_table(l: &Loaded, variable: Option<&str>, better: Option<Better>) -> String {
    let mut out = String::new();
    for s in scaling::series(&l.runs, variable, better) {
        out.push_str(&s.title());
        out.push('\n');
        let mut rows = vec![scaling::COLUMNS.map(String::from)];
        rows.extend(s.rows(|i| {
            let f = l.footprints[i].as_ref()?;
            Some(scaling::PointFootprint {
                energy_kwh: Some(f.energy_kwh),
                gwp: f.gwp().map(|g| g.value),
                hours: f.hours,
            })
        }));
        out.push_str(&columns(&rows));
        out.push('\n');
    }
    if out.is_empty() {
        out.push_str("no series: no use case ran at two node counts or more\n");
    }
    out
}

pub(super) fn scaling_json(l: &Loaded, variable: Option<&str>, better: Option<Better>) -> Value {
    let series: Vec<Value> = scaling::series(&l.runs, variable, better)
        .into_iter()
        .map(|s| {
            let points: Vec<Value> = s
                .points
                .iter()
                .map(|p| {
                    let f = &l.footprints[p.run];
                    json!({
                        "nodes": p.nodes, "value": p.value, "speedup": p.speedup,
                        "efficiency": p.efficiency, "jobid": l.runs[p.run].jobid,
                        "time": time_json(l.runs[p.run].time),
                        "energy_kwh": f.as_ref().map(|f| f.energy_kwh),
                        "gwp": f.as_ref().and_then(Footprint::gwp).map(|g| g.value),
                    })
                })
                .collect();
            json!({"key": s.key, "variable": s.variable, "unit": s.unit, "better": s.better,
                   "points": points})
        })
        .collect();
    json!({"series": series, "warnings": super::warnings_json(&l.warnings)})
}

/// The runs as a tree: machines → applications → use cases (`machines_first`), or applications
/// → use cases → machines; each leaf with its runs and the date of the latest.
pub(super) fn tree(l: &Loaded, machines_first: bool) -> String {
    let order = if machines_first {
        Order::Machines
    } else {
        Order::Applications
    };
    let mut out = String::new();
    for (a, bs) in &impacts_bench::tree::tree(&l.runs, order) {
        out.push_str(&format!("{a}\n"));
        for (b, cs) in bs {
            out.push_str(&format!("  {b}\n"));
            for (c, leaf) in cs {
                let latest = tree::latest_of(&l.runs, leaf).and_then(|i| l.runs[i].time);
                out.push_str(&format!(
                    "    {c}: {} run(s), latest {}\n",
                    leaf.len(),
                    date_of(latest)
                ));
            }
        }
    }
    out
}
