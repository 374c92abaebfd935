//! *Benchmarks* (`/bench`): the stored benchmark runs the caller may see (the API's
//! `GET /api/v1/bench/runs`), the latest run of each use case and the scaling series, each run
//! with its job's energy and climate change.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::Response;
use impacts::impacts_model::readable::{sig3, value_unit};
use impacts_bench::scaling;
use impacts_bench::Run;
use std::collections::BTreeMap;

use impacts_bench::tree::{self, Order};
use impacts_web::chart::{bars, bars_in_band, Band, Bar};
use impacts_web::{
    BenchLine, BenchPage, BenchTree, History, SeriesTable, TreeBranch, TreeLeaf, TreeTwig,
};
use serde_json::Value;

use crate::error::ApiError;
use crate::{blocking, caller, Shared};

use super::read::number;
use super::{chrome, page};

/// The runs a page reads, at most.
const RUNS: usize = 1000;

/// `GET /bench`: *Benchmarks*.
pub async fn bench(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    page(bench_page(s, peer, headers).await)
}

async fn bench_page(s: Shared, peer: SocketAddr, headers: HeaderMap) -> Result<String, ApiError> {
    let who = caller(&s, &peer, &headers).await?;
    let (s2, scope) = (s.clone(), who.scope.clone());
    let values = blocking(&s, move || crate::bench::runs_json(&s2, &scope, RUNS)).await?;
    // Each run read back from the API's JSON, its footprint set apart.
    let mut runs = Vec::with_capacity(values.len());
    let mut owned = Vec::with_capacity(values.len());
    for mut v in values {
        owned.push(v["footprint"].take());
        runs.push(serde_json::from_value::<Run>(v).map_err(ApiError::internal)?);
    }
    let footprints: Vec<&Value> = owned.iter().collect();
    let page = BenchPage {
        chrome: chrome(&s, &who),
        latest: impacts_bench::latest(&runs)
            .into_iter()
            .map(|i| line(&runs[i], footprints[i]))
            .collect(),
        series: scaling::series(&runs, None, None)
            .iter()
            .map(|sr| series_table(sr, &footprints))
            .collect(),
        histories: histories(&runs, &footprints),
        trees: vec![
            tree_of(&runs, &footprints, Order::Machines),
            tree_of(&runs, &footprints, Order::Applications),
        ],
    };
    Ok(page.html())
}

/// Use cases charted over time, at most.
const CHARTS: usize = 10;

/// Runs a chart shows, the last ones.
const CHART_RUNS: usize = 30;

/// Each use case run twice or more (the most recently run first): its first variable and its
/// runs' climate change over its last runs, as bars.
fn histories(runs: &[Run], footprints: &[&Value]) -> Vec<History> {
    let mut cases: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in runs.iter().enumerate() {
        cases.entry(r.case_key()).or_default().push(i);
    }
    let mut cases: Vec<Vec<usize>> = cases.into_values().filter(|c| c.len() >= 2).collect();
    for c in &mut cases {
        c.sort_by_key(|&i| (runs[i].time, i));
        let skip = c.len().saturating_sub(CHART_RUNS);
        c.drain(..skip);
    }
    cases.sort_by_key(|c| std::cmp::Reverse(c.last().and_then(|&i| runs[i].time)));
    cases
        .iter()
        .take(CHARTS)
        .map(|c| {
            let first = &runs[c[c.len() - 1]];
            let (name, unit) = first
                .perf
                .first()
                .map_or((String::new(), String::new()), |p| {
                    (p.name.clone(), p.unit.clone())
                });
            let bar = |i: usize, value: f64| Bar {
                label: date(runs[i].time),
                value,
                low: value,
                high: value,
                parts: Vec::new(),
            };
            let values: Vec<Bar> = c
                .iter()
                .filter_map(|&i| {
                    let v = runs[i].perf.iter().find(|p| p.name == name)?.value;
                    Some(bar(i, v))
                })
                .collect();
            let gwps: Vec<Bar> = c
                .iter()
                .filter_map(|&i| Some(bar(i, footprints[i]["impacts"]["gwp"]["value"].as_f64()?)))
                .collect();
            let title = format!(
                "{} @{}+{}",
                first.display_name,
                first.machine(),
                first.environ
            );
            let chart_title = format!("{title}: {name}");
            let band = first
                .perf
                .first()
                .map(|p| p.band())
                .filter(|b| b.0.is_some() || b.1.is_some());
            History {
                values: match band {
                    Some((low, high)) => {
                        let label = "ReFrame's reference band of the latest run".to_string();
                        bars_in_band(&chart_title, &values, &unit, &Band { low, high, label })
                    }
                    None => bars(&chart_title, &values, &unit, &[]),
                },
                gwp: (!gwps.is_empty())
                    .then(|| bars(&format!("{title}: climate change"), &gwps, "gCO2eq", &[])),
                title,
            }
        })
        .collect()
}

/// The runs as a tree in `order`, each leaf with its latest run's line.
fn tree_of(runs: &[Run], footprints: &[&Value], order: Order) -> BenchTree {
    let (title, id) = match order {
        Order::Machines => (
            "By machine: machines → applications → use cases",
            "bench-by-machine",
        ),
        Order::Applications => (
            "By application: applications → use cases → machines",
            "bench-by-application",
        ),
    };
    let branches = tree::tree(runs, order)
        .into_iter()
        .map(|(name, twigs)| TreeBranch {
            name,
            children: twigs
                .into_iter()
                .map(|(name, leaves)| TreeTwig {
                    name,
                    leaves: leaves
                        .into_iter()
                        .filter_map(|(name, leaf)| {
                            let i = tree::latest_of(runs, &leaf)?;
                            Some(TreeLeaf {
                                name,
                                runs: leaf.len(),
                                latest: line(&runs[i], footprints[i]),
                            })
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    BenchTree {
        title: title.into(),
        id: id.into(),
        branches,
    }
}

/// A run's line: its use case, machine, date, result, first value and its job's footprint.
fn line(r: &Run, f: &Value) -> BenchLine {
    let gwp = &f["impacts"]["gwp"];
    BenchLine {
        key: r.jobid.clone().unwrap_or_else(|| r.display_name.clone()),
        use_case: r.display_name.clone(),
        machine: format!("{}+{}", r.machine(), r.environ),
        date: date(r.time),
        result: r.result.clone().unwrap_or_else(|| "–".into()),
        value: r.perf.first().map_or(String::new(), |p| {
            format!("{} = {} {}", p.name, sig3(p.value), p.unit)
        }),
        energy: kwh(f),
        gwp: if gwp.is_null() {
            "–".into()
        } else {
            value_unit(
                number(&gwp["value"]),
                gwp["unit"].as_str().unwrap_or("gCO2eq"),
            )
        },
        raw_gwp: gwp["value"].as_f64(),
    }
}

fn date(t: Option<i64>) -> String {
    t.and_then(|t| jiff::Timestamp::from_second(t).ok())
        .map_or("–".into(), |t| t.strftime("%Y-%m-%d").to_string())
}

fn kwh(f: &Value) -> String {
    f["energy"]["energy_kwh"]
        .as_f64()
        .map_or("–".into(), |e| value_unit(e, "kWh"))
}

/// A scaling series as a table, a row per node count.
fn series_table(sr: &scaling::Series, footprints: &[&Value]) -> SeriesTable {
    SeriesTable {
        title: sr.title(),
        rows: sr
            .rows(|i| {
                let f = footprints[i];
                (!f.is_null()).then(|| scaling::PointFootprint {
                    energy_kwh: f["energy"]["energy_kwh"].as_f64(),
                    gwp: f["impacts"]["gwp"]["value"].as_f64(),
                    hours: f["hours"].as_f64().unwrap_or(0.0),
                })
            })
            .into_iter()
            .map(Vec::from)
            .collect(),
    }
}
