//! The dashboard's pages (docs/dashboard.md), served beside the API with its access rules: a page
//! is made of the API's own answers for the same caller (the same functions, the same numbers),
//! drawn by `impacts-web`.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use impacts::impacts_model::quantity::fmt_num;
use impacts::impacts_model::readable::{criterion_title, scale, sig3, value_unit};
use impacts_accounting::record::JobState;
use impacts_accounting::summary::GroupBy;
use impacts_store::{Filter, JobOrder, JobQuery, Scope};
use impacts_web::chart::{bars, Bar};
use impacts_web::{
    escape, tree, CenterPage, Chrome, CompareLine, Comparison, EstimatePage, EstimateResult,
    Figure, GroupLine, GroupTable, Home, JobLine, JobPage, JobTable, Link, MeasuredLine,
    MethodPage, PhaseRow, ServerForm, Share, WarningLine, WhatIf, PHASES,
};
use serde_json::Value;

use crate::error::ApiError;
use crate::identity::Caller;
use crate::{blocking, caller, job_json, jobs_json, summary_json, Shared};

/// The parameters of `/`: a period of months (`YYYY-MM`) or dates.
const HOME: [&str; 2] = ["from", "to"];

/// An error as a page: the API's status and message, in HTML.
fn page_error(e: ApiError) -> Response {
    let link = if e.status == StatusCode::UNAUTHORIZED {
        "<a href=\"/login\">Sign in with a token</a>"
    } else {
        "<a href=\"/\">My footprint</a>"
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{status} — impacts</title></head><body><main><h1>{status}</h1><p>{msg}</p><p>{link}</p></main></body></html>",
        status = e.status,
        msg = escape(&match &e.field {
            Some(f) => format!("{f}: {}", e.message),
            None => e.message.clone(),
        }),
    );
    (e.status, [(header::CACHE_CONTROL, "no-store")], Html(body)).into_response()
}

/// `GET /`: *My footprint*.
pub async fn home(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    page(home_page(s, peer, headers, q).await)
}

/// The period asked: the form's months (or dates), as the API's instants.
struct Period {
    from: Option<String>,
    to: Option<String>,
    api_from: Option<String>,
    api_to: Option<String>,
}

impl Period {
    fn parse(q: Option<&str>) -> Result<Period, ApiError> {
        let p = crate::query::Params::parse(q, &HOME)?;
        let given = |n: &str| {
            p.get(n)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(String::from)
        };
        let (from, to) = (given("from"), given("to"));
        let api_from = from
            .as_deref()
            .map(|v| month_start("from", v))
            .transpose()?;
        let api_to = to.as_deref().map(|v| month_end("to", v)).transpose()?;
        Ok(Period {
            from,
            to,
            api_from,
            api_to,
        })
    }

    fn filter(&self) -> Result<Filter, ApiError> {
        let at = |field: &str, v: &Option<String>| {
            v.as_deref()
                .map(|v| crate::query::instant(field, v))
                .transpose()
        };
        let (from, to) = (at("from", &self.api_from)?, at("to", &self.api_to)?);
        if let (Some(a), Some(b)) = (from, to) {
            if a > b {
                return Err(ApiError::invalid("to", "`to` is before `from`"));
            }
        }
        Ok(Filter {
            from,
            to,
            ..Filter::default()
        })
    }

    fn words(&self) -> String {
        match (&self.from, &self.to) {
            (None, None) => "everything the service holds".into(),
            (Some(f), None) => format!("from {f}"),
            (None, Some(t)) => format!("until {t}"),
            (Some(f), Some(t)) => format!("{f} to {t}"),
        }
    }

    /// The period as the parameters of `/api/v1/jobs` (`&from=…&to=…`, empty for all time).
    fn jobs_query(&self) -> String {
        let mut q = String::new();
        if let Some(f) = &self.api_from {
            q.push_str(&format!("&from={f}"));
        }
        if let Some(t) = &self.api_to {
            q.push_str(&format!("&to={t}"));
        }
        q
    }

    /// The query of the API's summary for this period.
    fn api_query(&self, group_by: Option<&str>) -> String {
        let mut q = Vec::new();
        if let Some(g) = group_by {
            q.push(format!("group_by={g}"));
        }
        if let Some(f) = &self.api_from {
            q.push(format!("from={f}"));
        }
        if let Some(t) = &self.api_to {
            q.push(format!("to={t}"));
        }
        if group_by.is_some() {
            q.push(format!("top={}", impacts_store::summary::MAX_TOP));
        }
        format!("/api/v1/summary?{}", q.join("&"))
    }
}

/// The error of a period's bound that is neither a month nor an instant.
fn not_a_month(field: &str, v: &str) -> ApiError {
    ApiError::invalid(
        field,
        format!("a month such as 2024-03, or a date such as 2024-03-15, not '{v}'"),
    )
}

/// A month (`2024-03`) or a date, as the API's instant of its start.
fn month_start(field: &str, v: &str) -> Result<String, ApiError> {
    if let Ok(d) = format!("{v}-01").parse::<jiff::civil::Date>() {
        return Ok(d.to_string());
    }
    crate::query::instant(field, v).map_err(|_| not_a_month(field, v))?;
    Ok(v.to_string())
}

/// A month or a date, as the API's end of a period (exclusive): the first of the next month, or
/// the next day, at midnight UTC; an instant as it is. The end of a month is on the first of a
/// month, where the store's sums per month answer.
fn month_end(field: &str, v: &str) -> Result<String, ApiError> {
    if let Ok(d) = format!("{v}-01").parse::<jiff::civil::Date>() {
        let next = d.last_of_month().tomorrow();
        return next
            .map(|d| d.to_string())
            .map_err(|_| not_a_month(field, v));
    }
    if let Ok(d) = v.parse::<jiff::civil::Date>() {
        return d
            .tomorrow()
            .map(|d| d.to_string())
            .map_err(|_| not_a_month(field, v));
    }
    crate::query::instant(field, v).map_err(|_| not_a_month(field, v))?;
    Ok(v.to_string())
}

async fn home_page(
    s: Shared,
    peer: SocketAddr,
    headers: HeaderMap,
    q: Option<String>,
) -> Result<String, ApiError> {
    let who = caller(&s, &peer, &headers).await?;
    let period = Period::parse(q.as_deref())?;
    let filter = period.filter()?;
    let [months, partitions, accounts, states] = summaries(
        &s,
        &who.scope,
        &filter,
        [
            GroupBy::Month,
            GroupBy::Partition,
            GroupBy::Account,
            GroupBy::State,
        ],
    )
    .await?;
    let total = &months["total"];
    let gwp_total = number(&total["impacts"]["gwp"]["value"]);
    let table = |v: &Value, name: &str, heading: &str, title: &str| GroupTable {
        name: name.into(),
        heading: heading.into(),
        title: title.into(),
        caption: String::new(),
        rows: lines(&v["groups"], gwp_total),
        json: period.api_query(Some(name)),
        csv: format!("{}&format=csv", period.api_query(Some(name))),
    };
    let mut tables = vec![
        table(&months, "month", "By month", "Month"),
        table(&partitions, "partition", "By partition", "Partition"),
        table(&accounts, "account", "By account", "Account"),
    ];
    tables[0].caption = "By month of the jobs' start (bounds for the largest months).".into();
    tables[0].rows.sort_by(|a, b| a.key.cmp(&b.key));
    let jobs_tables = vec![
        job_table(
            &s,
            &who.scope,
            &filter,
            JobOrder::Largest,
            &period.jobs_query(),
        )
        .await?,
        job_table(
            &s,
            &who.scope,
            &filter,
            JobOrder::Newest,
            &period.jobs_query(),
        )
        .await?,
    ];
    let page = Home {
        chrome: chrome(&s, &who),
        period: period.words(),
        from: period.from.clone().unwrap_or_default(),
        to: period.to.clone().unwrap_or_default(),
        periods: shortcuts(),
        jobs: total["jobs"].as_u64().unwrap_or(0),
        jobs_estimated: total["jobs_estimated"].as_u64().unwrap_or(0),
        energy: value_unit(number(&total["energy"]["energy_with_overhead_kwh"]), "kWh"),
        totals: figures(&total["impacts"], &s.engine.bundle().criteria.key_units()),
        months_chart: months_chart(&months["groups"]),
        tables,
        unsuccessful: unsuccessful(&states["groups"], gwp_total),
        measured: measured_lines(&partitions["groups"]),
        jobs_tables,
    };
    Ok(page.html())
}

/// The bars of climate change by month, stacked by phase.
fn months_chart(groups: &Value) -> String {
    bars(
        "Climate change by month",
        &month_bars(groups),
        "gCO2eq",
        &PHASES,
    )
}

/// A table of jobs: the largest of the period, or the latest, with the API call that lists them.
async fn job_table(
    s: &Shared,
    scope: &Scope,
    filter: &Filter,
    order: JobOrder,
    query: &str,
) -> Result<JobTable, ApiError> {
    let limit = match order {
        JobOrder::Largest => LARGEST,
        JobOrder::Newest => LATEST,
    };
    let found = jobs_json(
        s,
        JobQuery {
            scope: scope.clone(),
            filter: filter.clone(),
            limit,
            cursor: None,
            order,
        },
    )
    .await?;
    let (name, heading, caption, order_param) = match order {
        JobOrder::Largest => (
            "largest",
            "The largest jobs",
            "Largest climate change first.",
            "&order=largest",
        ),
        JobOrder::Newest => ("latest", "Latest jobs", "Stored last first.", ""),
    };
    let json = format!("/api/v1/jobs?limit={limit}{order_param}{query}");
    Ok(JobTable {
        name: name.into(),
        heading: heading.into(),
        caption: caption.into(),
        rows: job_lines(&found["jobs"]),
        csv: format!("{json}&format=csv"),
        json,
    })
}

/// The largest jobs listed on `/` and `/center`.
const LARGEST: usize = 10;

/// The jobs listed on `/`.
const LATEST: usize = 20;

/// Who looks, what they see, the method.
fn chrome(s: &Shared, who: &Caller) -> Chrome {
    let viewer = if who.is_admin() {
        format!("{} (administrator)", who.user)
    } else {
        who.user.clone()
    };
    let scope = match &who.scope {
        Scope::All => "every job".to_string(),
        Scope::Own { accounts, .. } if accounts.is_empty() => "your jobs".to_string(),
        Scope::Own { accounts, .. } => {
            format!("your jobs and those of accounts {}", accounts.join(", "))
        }
    };
    let (low, high) = (s.options.percentiles.low, s.options.percentiles.high);
    Chrome {
        viewer,
        scope,
        method: s.options.method.clone(),
        data_bundle: s.engine.bundle().hash.clone(),
        interval: format!("{} %", fmt_num(high - low)),
        admin: who.is_admin(),
    }
}

/// The path of a job's page (the cluster's too when the record has one).
fn job_href(j: &Value) -> String {
    let id = percent_encode(j["job_id"].as_str().unwrap_or(""));
    match j["cluster"].as_str().filter(|c| !c.is_empty()) {
        Some(c) => format!("/jobs/{}/{id}", percent_encode(c)),
        None => format!("/jobs/{id}"),
    }
}

/// Escapes what is not a letter, a digit or `-._~` in a path segment.
fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Jobs of an API page as lines of a table.
fn job_lines(jobs: &Value) -> Vec<JobLine> {
    jobs.as_array()
        .map(|list| {
            list.iter()
                .map(|j| JobLine {
                    id: j["job_id"].as_str().unwrap_or("").to_string(),
                    href: job_href(j),
                    partition: j["partition"].as_str().unwrap_or("").to_string(),
                    state: j["state"].as_str().unwrap_or("").to_string(),
                    start: j["start"]
                        .as_str()
                        .map(|t| t.get(..16).unwrap_or(t).replace('T', " "))
                        .unwrap_or_default(),
                    gwp: gwp_cell(&j["impacts"]["gwp"]),
                    raw: number(&j["impacts"]["gwp"]["value"]),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `GET /jobs/{job_id}`: *A job*.
pub async fn job(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(job_id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    page(job_page(s, peer, headers, None, job_id, q).await)
}

/// `GET /jobs/{cluster}/{job_id}`: *A job* of a cluster.
pub async fn job_of_cluster(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((cluster, job_id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    page(job_page(s, peer, headers, Some(cluster), job_id, q).await)
}

/// A page, or its error as a page.
fn page(html: Result<String, ApiError>) -> Response {
    match html {
        Ok(html) => (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "private, no-store")],
            Html(html),
        )
            .into_response(),
        Err(e) => page_error(e),
    }
}

async fn job_page(
    s: Shared,
    peer: SocketAddr,
    headers: HeaderMap,
    cluster: Option<String>,
    job_id: String,
    q: Option<String>,
) -> Result<String, ApiError> {
    let who = caller(&s, &peer, &headers).await?;
    let asked = crate::query::Params::parse(q.as_deref(), &WHAT_IF)?;
    let api = match &cluster {
        Some(c) => format!(
            "/api/v1/jobs/{}/{}?explain=true",
            percent_encode(c),
            percent_encode(&job_id)
        ),
        None => format!("/api/v1/jobs/{}?explain=true", percent_encode(&job_id)),
    };
    let j = job_json(&s, &who, cluster, job_id, true).await?;
    let order = s.engine.bundle().criteria.key_units();
    let title = match j["cluster"].as_str().filter(|c| !c.is_empty()) {
        Some(c) => format!("Job {} on {c}", j["job_id"].as_str().unwrap_or("")),
        None => format!("Job {}", j["job_id"].as_str().unwrap_or("")),
    };
    let text = |k: &str| match &j[k] {
        Value::String(t) => t.clone(),
        Value::Null => "–".into(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), fmt_num),
        other => other.to_string(),
    };
    let facts = [
        ("User", "user"),
        ("Account", "account"),
        ("Partition", "partition"),
        ("State", "state"),
        ("Start", "start"),
        ("End", "end"),
        ("Hours", "hours"),
        ("Nodes", "nodes"),
        ("Cores", "cores"),
        ("GPUs", "gpus"),
        ("Node-equivalents charged", "node_equivalents"),
        ("CPU load (%)", "cpu_load"),
        ("GPU load (%)", "gpu_load"),
        ("Electricity", "energy_source"),
    ]
    .into_iter()
    .map(|(label, key)| (label.to_string(), text(key)))
    .collect();
    let phases = phase_rows(&j["phases"], &order, number);
    let energy = [
        ("Electricity of the nodes", "energy_kwh"),
        ("With the facility's overhead", "energy_with_overhead_kwh"),
        ("Of which idle", "idle_energy_kwh"),
    ]
    .into_iter()
    .filter(|(_, k)| !j["energy"][k].is_null())
    .map(|(label, k)| {
        (
            label.to_string(),
            value_unit(number(&j["energy"][k]), "kWh"),
        )
    })
    .collect();
    let warnings = j["warnings"]
        .as_array()
        .map(|codes| {
            codes
                .iter()
                .filter_map(Value::as_str)
                .map(|code| warning_line(code, None))
                .collect()
        })
        .unwrap_or_default();
    let explanation = &j["explanation"]["report"]["explanation"];
    let derivations = order
        .iter()
        .filter_map(|(k, _)| {
            let root = explanation.get(k)?;
            Some((criterion_title(k).to_string(), tree::html(&node(root))))
        })
        .collect();
    let page = JobPage {
        chrome: chrome(&s, &who),
        title,
        facts,
        totals: figures(&j["impacts"], &order),
        criteria: order
            .iter()
            .map(|(k, _)| criterion_title(k).to_string())
            .collect(),
        phases,
        energy,
        warnings,
        derivations,
        api,
        what_if: what_if(&s, &j, &asked).await?,
    };
    Ok(page.html())
}

/// The parameters of a job's page: its what-if panel.
const WHAT_IF: [&str; 5] = ["partition", "zone", "load", "pue", "hours"];

/// The what-if panel of job `j`: its form, filled with the job's values or those asked, and when
/// something was asked the job as recorded beside the job changed, both estimated by the API.
async fn what_if(
    s: &Shared,
    j: &Value,
    asked: &crate::query::Params<'_>,
) -> Result<WhatIf, ApiError> {
    let center = service_center(s)?;
    let bundle = s.engine.bundle();
    let mut zones: Vec<(String, String)> = bundle
        .zones
        .iter()
        .map(|z| (z.code3.clone(), z.name.clone()))
        .collect();
    zones.sort_by(|a, b| a.1.cmp(&b.1));
    // The job's own values in full (shortest round trip): unchanged, they ask the same job.
    let own = |k: &str| j[k].as_f64().map(|x| x.to_string()).unwrap_or_default();
    let given = |n: &str| asked.get(n).map(str::trim).map(String::from);
    let mut panel = WhatIf {
        partitions: center
            .partition_names()
            .iter()
            .map(|n| n.to_string())
            .collect(),
        zones,
        partition: given("partition")
            .unwrap_or_else(|| j["partition"].as_str().unwrap_or("").to_string()),
        zone: given("zone").unwrap_or_default(),
        load: given("load").unwrap_or_else(|| own("cpu_load")),
        pue: given("pue").unwrap_or_default(),
        hours: given("hours").unwrap_or_else(|| own("hours")),
        result: None,
    };
    if WHAT_IF.iter().all(|n| asked.get(n).is_none()) || j["impacts"].is_null() {
        return Ok(panel);
    }
    let base = recorded_request(j);
    let changed = changed_request(&base, &panel)?;
    let order = bundle.criteria.key_units();
    let before = report_of(s, "job", base).await?;
    let (after, api) = (
        report_of(s, "job", changed.clone()).await?,
        api_hint(s, "job", &changed),
    );
    let rows = order
        .iter()
        .map(|(k, unit)| {
            let (a, b) = (
                number(&before["impacts"][k]["value"]),
                number(&after["impacts"][k]["value"]),
            );
            CompareLine {
                key: k.clone(),
                title: criterion_title(k).to_string(),
                base: value_unit(a, unit),
                changed: value_unit(b, unit),
                change: change(a, b),
                raw_base: a,
                raw_changed: b,
            }
        })
        .collect();
    panel.result = Some(Comparison {
        rows,
        warnings: report_warnings(&after),
        api,
    });
    Ok(panel)
}

/// From `a` to `b` in percent, signed (`+12.3 %`, `−4.56 %`), `–` from zero.
fn change(a: f64, b: f64) -> String {
    if a == 0.0 {
        return "–".into();
    }
    let x = 100.0 * (b - a) / a;
    let sign = if x < 0.0 { "−" } else { "+" };
    format!("{sign}{} %", sig3(x.abs()))
}

/// The estimate request of a stored job as it was recorded: its partition, nodes, cores, GPUs,
/// hours and loads, and its measured energy when the scheduler measured it.
fn recorded_request(j: &Value) -> serde_json::Map<String, Value> {
    let mut body = serde_json::Map::new();
    body.insert("partition".into(), j["partition"].clone());
    for k in ["nodes", "cores", "gpus"] {
        if j[k].as_f64().is_some_and(|x| x > 0.0) {
            body.insert(k.into(), j[k].clone());
        }
    }
    body.insert("hours".into(), j["hours"].clone());
    for k in ["cpu_load", "gpu_load"] {
        if !j[k].is_null() {
            body.insert(k.into(), j[k].clone());
        }
    }
    if j["energy_source"] == "measured" {
        body.insert(
            "measured_energy_kwh".into(),
            j["energy"]["energy_kwh"].clone(),
        );
    }
    body
}

/// The recorded request changed by the panel's values. Another partition keeps the node count
/// (cores and GPUs are the old partition's); another partition or duration drops the measured
/// energy, which was the recorded job's.
fn changed_request(
    base: &serde_json::Map<String, Value>,
    panel: &WhatIf,
) -> Result<serde_json::Map<String, Value>, ApiError> {
    let mut body = base.clone();
    if Some(panel.partition.as_str()) != base["partition"].as_str() {
        body.insert("partition".into(), Value::from(panel.partition.as_str()));
        body.remove("cores");
        body.remove("gpus");
        body.remove("measured_energy_kwh");
        body.entry("nodes").or_insert(Value::from(1));
    }
    if !panel.hours.is_empty() {
        let hours = field_number("hours", &panel.hours)?;
        if hours.as_f64() != base["hours"].as_f64() {
            body.remove("measured_energy_kwh");
        }
        body.insert("hours".into(), hours);
    }
    if !panel.load.is_empty() {
        body.remove("cpu_load");
        body.remove("gpu_load");
        body.insert("load".into(), field_number("load", &panel.load)?);
    }
    if !panel.zone.is_empty() {
        body.insert("zone".into(), Value::from(panel.zone.as_str()));
    }
    if !panel.pue.is_empty() {
        body.insert("pue".into(), field_number("pue", &panel.pue)?);
    }
    Ok(body)
}

/// A derivation node of the API's explanation.
fn node(v: &Value) -> tree::Node {
    let source = &v["source"];
    let source = match (source["title"].as_str(), source["year"].as_u64()) {
        (Some(t), Some(y)) => format!("{t}, {y}"),
        (Some(t), None) => t.to_string(),
        _ => String::new(),
    };
    tree::Node {
        name: v["name"].as_str().unwrap_or("").to_string(),
        value: number(&v["value"]),
        unit: v["unit"].as_str().unwrap_or("").to_string(),
        op: v["formula"].as_str().unwrap_or("").to_string(),
        source,
        note: v["note"].as_str().unwrap_or("").to_string(),
        children: v["children"]
            .as_array()
            .map(|c| c.iter().map(node).collect())
            .unwrap_or_default(),
    }
}

fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or(0.0)
}

/// Everything, this year, the last twelve months.
fn shortcuts() -> Vec<Link> {
    let today = jiff::tz::TimeZone::UTC
        .to_datetime(jiff::Timestamp::now())
        .date();
    let month = |d: jiff::civil::Date| format!("{:04}-{:02}", d.year(), d.month());
    let year_ago = today
        .checked_sub(jiff::Span::new().months(11))
        .unwrap_or(today);
    vec![
        Link {
            text: "Everything".into(),
            href: "/".into(),
        },
        Link {
            text: "This month".into(),
            href: format!("/?from={m}&to={m}", m = month(today)),
        },
        Link {
            text: "Last 12 months".into(),
            href: format!("/?from={}&to={}", month(year_ago), month(today)),
        },
    ]
}

/// The criteria's totals in the data bundle's order, scaled for reading.
fn figures(impacts: &Value, order: &[(String, String)]) -> Vec<Figure> {
    order
        .iter()
        .filter_map(|(key, _)| Some((key, impacts.get(key)?)))
        .map(|(key, e)| {
            let unit = e["unit"].as_str().unwrap_or("");
            let (value, low, high) = (number(&e["value"]), &e["low"], &e["high"]);
            let (x, u) = scale(value, unit);
            let f = if value != 0.0 { x / value } else { 1.0 };
            let bounds = match (low.as_f64(), high.as_f64()) {
                (Some(l), Some(h)) if l != h => {
                    format!("{} and {} {u}", sig3(l * f), sig3(h * f))
                }
                _ => String::new(),
            };
            Figure {
                key: key.clone(),
                title: criterion_title(key).to_string(),
                value: format!("{} {u}", sig3(x)),
                bounds,
                raw: value,
            }
        })
        .collect()
}

/// A group's climate change with its bounds where the API computed them.
fn gwp_cell(e: &Value) -> String {
    let value = number(&e["value"]);
    let unit = e["unit"].as_str().unwrap_or("gCO2eq");
    let (x, u) = scale(value, unit);
    let f = if value != 0.0 { x / value } else { 1.0 };
    match (e["low"].as_f64(), e["high"].as_f64()) {
        (Some(l), Some(h)) if l != h => {
            format!("{} {u} [{} – {}]", sig3(x), sig3(l * f), sig3(h * f))
        }
        _ => format!("{} {u}", sig3(x)),
    }
}

fn percent(part: f64, total: f64) -> String {
    if total > 0.0 {
        format!("{} %", sig3(100.0 * part / total))
    } else {
        "–".into()
    }
}

/// A group table's rows, as the API gives them (largest first).
fn lines(groups: &Value, total: f64) -> Vec<GroupLine> {
    groups
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|g| {
                    let raw = number(&g["impacts"]["gwp"]["value"]);
                    GroupLine {
                        key: g["key"].as_str().unwrap_or("").to_string(),
                        jobs: g["jobs"].as_u64().unwrap_or(0),
                        gwp: gwp_cell(&g["impacts"]["gwp"]),
                        raw,
                        share: percent(raw, total),
                        phases: PHASES
                            .iter()
                            .map(|p| percent(number(&g["phases"][p]["gwp"]["value"]), raw))
                            .collect(),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The months in calendar order, as bars with their bounds (the value where not computed).
fn month_bars(groups: &Value) -> Vec<Bar> {
    let mut out: Vec<Bar> = groups
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|g| {
                    let e = &g["impacts"]["gwp"];
                    let value = number(&e["value"]);
                    Bar {
                        label: g["key"].as_str().unwrap_or("").to_string(),
                        value,
                        low: e["low"].as_f64().unwrap_or(value),
                        high: e["high"].as_f64().unwrap_or(value),
                        parts: PHASES
                            .iter()
                            .map(|p| number(&g["phases"][p]["gwp"]["value"]))
                            .collect(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out
}

/// Per partition where the scheduler measured energy: the measured jobs' mean power per node
/// beside the modelled jobs' (the API's sums, divided here: node-hours and kWh).
fn measured_lines(partitions: &Value) -> Vec<MeasuredLine> {
    let raw_watts = |e: &Value| {
        let h = number(&e["node_hours"]);
        (h > 0.0).then(|| 1000.0 * number(&e["energy_kwh"]) / h)
    };
    let watts = |e: &Value| raw_watts(e).map_or_else(|| "–".into(), |w| format!("{} W", sig3(w)));
    let rows = partitions.as_array().map(Vec::as_slice).unwrap_or(&[]);
    rows.iter()
        .filter(|g| {
            g["energy_sources"]["measured"]["jobs"]
                .as_u64()
                .unwrap_or(0)
                > 0
        })
        .map(|g| {
            let m = &g["energy_sources"]["measured"];
            MeasuredLine {
                partition: g["key"].as_str().unwrap_or("").to_string(),
                jobs: m["jobs"].as_u64().unwrap_or(0),
                energy: value_unit(number(&m["energy_kwh"]), "kWh"),
                measured_w: watts(m),
                modelled_w: watts(&g["energy_sources"]["modelled"]),
                raw_measured_w: raw_watts(m).unwrap_or(0.0),
            }
        })
        .collect()
}

/// What went into jobs that failed, were cancelled or timed out.
fn unsuccessful(states: &Value, total: f64) -> Option<Share> {
    let rows = states.as_array()?;
    let (mut jobs, mut gwp) = (0, 0.0);
    for g in rows {
        // The accounting summary's rule: failed, cancelled, timed out, out of memory…
        if JobState::parse(g["key"].as_str().unwrap_or("")).is_unsuccessful() {
            jobs += g["jobs"].as_u64().unwrap_or(0);
            gwp += number(&g["impacts"]["gwp"]["value"]);
        }
    }
    (jobs > 0).then(|| Share {
        jobs,
        gwp: value_unit(gwp, "gCO2eq"),
        percent: percent(gwp, total),
    })
}

/// The parameters of `/estimate`: the job form's, then the server form's.
const ESTIMATE: [&str; 12] = [
    "partition",
    "nodes",
    "hours",
    "load",
    "form",
    "cpu",
    "cpus",
    "gpu",
    "gpus",
    "ram_gb",
    "ssds",
    "ssd_gb",
];

/// `GET /estimate`: a job of the service's center, and a server, as forms; with a form's fields,
/// the estimate the API gives for the same request (`POST /api/v1/estimate/job` or `/server`,
/// the same reading and defaults).
pub async fn estimate(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    page(estimate_page(s, peer, headers, q).await)
}

async fn estimate_page(
    s: Shared,
    peer: SocketAddr,
    headers: HeaderMap,
    q: Option<String>,
) -> Result<String, ApiError> {
    let who = caller(&s, &peer, &headers).await?;
    let p = crate::query::Params::parse(q.as_deref(), &ESTIMATE)?;
    let given = |n: &str| p.get(n).map(str::trim).unwrap_or("").to_string();
    let center = service_center(&s)?;
    let partitions: Vec<String> = center
        .partition_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let (partition, nodes, hours, load) = (
        given("partition"),
        given("nodes"),
        given("hours"),
        given("load"),
    );
    let result = if partition.is_empty() && nodes.is_empty() && hours.is_empty() {
        None
    } else {
        let body = job_request(&partition, &nodes, &hours, &load)?;
        Some(estimate_result(&s, "job", body).await?)
    };
    let bundle = s.engine.bundle();
    let mut server = ServerForm {
        cpu: given("cpu"),
        cpus: given("cpus"),
        gpu: given("gpu"),
        gpus: given("gpus"),
        ram_gb: given("ram_gb"),
        ssds: given("ssds"),
        ssd_gb: given("ssd_gb"),
        cpu_names: bundle.cpus.iter().map(|c| c.name.clone()).collect(),
        gpu_names: bundle.gpus.iter().map(|g| g.name.clone()).collect(),
        result: None,
    };
    if p.get("form") == Some("server") {
        let body = server_request(&server)?;
        server.result = Some(estimate_result(&s, "server", body).await?);
    }
    let page = EstimatePage {
        chrome: chrome(&s, &who),
        center: center.name.clone(),
        partition: if partition.is_empty() {
            partitions.first().cloned().unwrap_or_default()
        } else {
            partition
        },
        partitions,
        server,
        nodes,
        hours,
        load,
        result,
    };
    Ok(page.html())
}

/// A form's field as a number, or the API's 422 naming it.
fn field_number(field: &str, v: &str) -> Result<Value, ApiError> {
    let x: f64 = v
        .parse()
        .ok()
        .filter(|x: &f64| x.is_finite())
        .ok_or_else(|| invalid_field(field, format!("invalid {field} '{v}': expected a number")))?;
    Ok(serde_json::json!(x))
}

/// A form's count (1 when empty), or the API's 422 naming it.
fn field_count(field: &str, v: &str) -> Result<Value, ApiError> {
    if v.is_empty() {
        return Ok(Value::from(1));
    }
    let n: u32 = v.parse().map_err(|_| {
        invalid_field(
            field,
            format!("invalid {field} '{v}': expected a whole number"),
        )
    })?;
    Ok(Value::from(n))
}

fn invalid_field(field: &str, message: String) -> ApiError {
    ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_request",
        message,
        field: Some(field.to_string()),
    }
}

/// The job form as the API's request.
fn job_request(
    partition: &str,
    nodes: &str,
    hours: &str,
    load: &str,
) -> Result<serde_json::Map<String, Value>, ApiError> {
    let mut body = serde_json::Map::new();
    body.insert("partition".into(), Value::from(partition));
    body.insert("nodes".into(), field_number("nodes", nodes)?);
    body.insert("hours".into(), field_number("hours", hours)?);
    if !load.is_empty() {
        body.insert("load".into(), field_number("load", load)?);
    }
    Ok(body)
}

/// The server form as the API's request (`POST /api/v1/estimate/server`): the components given.
fn server_request(f: &ServerForm) -> Result<serde_json::Map<String, Value>, ApiError> {
    let mut body = serde_json::Map::new();
    if !f.cpu.is_empty() {
        let n = field_count("cpus", &f.cpus)?;
        body.insert("cpus".into(), serde_json::json!([[{"name": f.cpu}, n]]));
    }
    if !f.gpu.is_empty() {
        let n = field_count("gpus", &f.gpus)?;
        body.insert("gpus".into(), serde_json::json!([[{"name": f.gpu}, n]]));
    }
    if !f.ram_gb.is_empty() {
        let gb = field_number("ram_gb", &f.ram_gb)?;
        body.insert("ram".into(), serde_json::json!([{"size_gb": gb}]));
    }
    if !f.ssds.is_empty() && f.ssds != "0" {
        let n = field_count("ssds", &f.ssds)?;
        let gb = field_number("ssd_gb", &f.ssd_gb)?;
        body.insert("ssds".into(), serde_json::json!([[{"size_gb": gb}, n]]));
    }
    Ok(body)
}

/// The `curl` line of a request to the estimate API (the service's center named when bundled).
fn api_hint(s: &Shared, kind: &str, body: &serde_json::Map<String, Value>) -> String {
    let mut shown = body.clone();
    if let (impacts::CenterSource::Bundled(name), "job") = (&s.options.center, kind) {
        shown.insert("center".into(), Value::from(name.as_str()));
    }
    format!(
        "curl -X POST -d '{}' …/api/v1/estimate/{kind}",
        Value::Object(shown)
    )
}

/// The report the estimate API answers for a request of `kind` (the service's center for jobs).
async fn report_of(
    s: &Shared,
    kind: &str,
    body: serde_json::Map<String, Value>,
) -> Result<Value, ApiError> {
    let mut request =
        crate::estimate::Estimate::new(kind, body).map_err(crate::estimate::api_error)?;
    if kind == "job" {
        request = request
            .with_center(s.options.center.clone())
            .map_err(crate::estimate::api_error)?;
    }
    let engine = s.engine;
    let text = crate::limited(&s.estimating, move || crate::estimate::run(request, engine)).await?;
    serde_json::from_str(&text).map_err(ApiError::internal)
}

/// A report's warnings, explained.
fn report_warnings(report: &Value) -> Vec<WarningLine> {
    report["warnings"]
        .as_array()
        .map(|ws| {
            ws.iter()
                .map(|w| warning_line(w["code"].as_str().unwrap_or(""), w["message"].as_str()))
                .collect()
        })
        .unwrap_or_default()
}

/// An estimate of the API, read for a page.
async fn estimate_result(
    s: &Shared,
    kind: &str,
    body: serde_json::Map<String, Value>,
) -> Result<EstimateResult, ApiError> {
    let api = api_hint(s, kind, &body);
    let report = report_of(s, kind, body).await?;
    let order = s.engine.bundle().criteria.key_units();
    Ok(EstimateResult {
        subject: report["subject"].as_str().unwrap_or("").to_string(),
        totals: figures(&report["impacts"], &order),
        criteria: order
            .iter()
            .map(|(k, _)| criterion_title(k).to_string())
            .collect(),
        phases: phase_rows(&report["phases"], &order, |e| number(&e["value"])),
        warnings: report_warnings(&report),
        api,
    })
}

/// The phases of a job or report as table rows, each criterion's value (`value_of` a cell: a
/// number in a stored job, an estimate object in a report) scaled for reading.
fn phase_rows(
    phases: &Value,
    order: &[(String, String)],
    value_of: impl Fn(&Value) -> f64,
) -> Vec<PhaseRow> {
    phases
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(phase, by)| PhaseRow {
                    phase: phase.clone(),
                    cells: order
                        .iter()
                        .map(|(k, unit)| value_unit(value_of(&by[k]), unit))
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A warning in words: the report's own message when it has one (it speaks of this job), else
/// what the documentation says the code means; what to do, from the documentation.
fn warning_line(code: &str, message: Option<&str>) -> WarningLine {
    let (meaning, action) = impacts_web::warnings::explain(code).unwrap_or_default();
    WarningLine {
        code: code.to_string(),
        meaning: message.map_or(meaning, str::to_string),
        action,
    }
}

/// `GET /center`: *The center*, for administrators.
pub async fn center(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    page(center_page(s, peer, headers).await)
}

async fn center_page(s: Shared, peer: SocketAddr, headers: HeaderMap) -> Result<String, ApiError> {
    let who = caller(&s, &peer, &headers).await?;
    if !who.is_admin() {
        return Err(ApiError::forbidden(
            "the center's page is for administrators: your own jobs are on My footprint",
        ));
    }
    let [months, partitions, accounts, users] = summaries(
        &s,
        &Scope::All,
        &Filter::default(),
        [
            GroupBy::Month,
            GroupBy::Partition,
            GroupBy::Account,
            GroupBy::User,
        ],
    )
    .await?;
    let s2 = s.clone();
    let (count, last, watermark) = blocking(&s, move || {
        let meta = |k: &str| -> Result<Option<i64>, ApiError> {
            Ok(s2.store.meta(k)?.and_then(|v| v.parse().ok()))
        };
        Ok((
            s2.store.count()?,
            meta("last_ingest")?,
            meta("sacct_watermark")?,
        ))
    })
    .await?;
    let total = &months["total"];
    let gwp_total = number(&total["impacts"]["gwp"]["value"]);
    let now = jiff::Timestamp::now().as_second();
    let when = |t: Option<i64>| match t.and_then(|t| jiff::Timestamp::from_second(t).ok()) {
        Some(ts) => format!(
            "{} ({} ago)",
            ts.strftime("%Y-%m-%d %H:%M:%S UTC"),
            ago(now - ts.as_second())
        ),
        None => "never".to_string(),
    };
    let center = service_center(&s)?;
    let table = |v: &Value, name: &str, heading: &str, title: &str| GroupTable {
        name: name.into(),
        heading: heading.into(),
        title: title.into(),
        caption: String::new(),
        rows: lines(&v["groups"], gwp_total),
        json: format!(
            "/api/v1/summary?group_by={name}&top={}",
            impacts_store::summary::MAX_TOP
        ),
        csv: format!(
            "/api/v1/summary?group_by={name}&top={}&format=csv",
            impacts_store::summary::MAX_TOP
        ),
    };
    let mut users = table(&users, "user", "The largest users", "User");
    users.caption = format!("The {TOP_USERS} largest; every user in the downloads.");
    let page = CenterPage {
        chrome: chrome(&s, &who),
        center: center.name.clone(),
        jobs: count,
        totals: figures(&total["impacts"], &s.engine.bundle().criteria.key_units()),
        months_chart: months_chart(&months["groups"]),
        tables: vec![
            table(&partitions, "partition", "By partition", "Partition"),
            table(&accounts, "account", "By account", "Account"),
            users,
        ],
        measured: measured_lines(&partitions["groups"]),
        jobs_tables: vec![
            job_table(&s, &Scope::All, &Filter::default(), JobOrder::Largest, "").await?,
        ],
        ingestion: vec![
            ("Last ingestion".into(), when(last)),
            (
                "Scheduler records read up to".into(),
                match watermark {
                    Some(_) => when(watermark),
                    None => "— (no continuous ingestion from sacct)".into(),
                },
            ),
            ("Jobs stored".into(), count.to_string()),
        ],
    };
    Ok(page.html())
}

/// The users listed on `/center`.
const TOP_USERS: usize = 20;

/// A duration in words (`3 min`, `2 h`, `5 days`).
fn ago(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..=119 => format!("{s} s"),
        120..=7199 => format!("{} min", s / 60),
        7200..=172_799 => format!("{} h", s / 3600),
        _ => format!("{} days", s / 86_400),
    }
}

/// `GET /method`: *How the numbers are made*.
pub async fn method(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    page(method_page(s, peer, headers).await)
}

async fn method_page(s: Shared, peer: SocketAddr, headers: HeaderMap) -> Result<String, ApiError> {
    let who = caller(&s, &peer, &headers).await?;
    let center = service_center(&s)?;
    let bundle = s.engine.bundle();
    let page = MethodPage {
        chrome: chrome(&s, &who),
        center: format!("{} (electricity of {})", center.name, center.spec.zone.code),
        bundle_version: bundle.meta.version.clone(),
        criteria: bundle
            .criteria
            .key_units()
            .into_iter()
            .map(|(k, u)| (criterion_title(&k).to_string(), k, u))
            .collect(),
        samples: s.options.samples,
        seed: s.options.seed,
        percentiles: format!(
            "{} and {}",
            fmt_num(s.options.percentiles.low),
            fmt_num(s.options.percentiles.high)
        ),
    };
    Ok(page.html())
}

/// The API's summaries of `scope` and `filter` by each of `dims` (with bounds for the
/// largest groups), in one task of the querying pool; of the users, the largest
/// [`TOP_USERS`] only (what a page shows of them).
async fn summaries(
    s: &Shared,
    scope: &Scope,
    filter: &Filter,
    dims: [GroupBy; 4],
) -> Result<[Value; 4], ApiError> {
    let (s2, scope, filter) = (s.clone(), scope.clone(), filter.clone());
    let top = impacts_store::summary::MAX_TOP;
    let out = blocking(s, move || {
        dims.iter()
            .map(|g| {
                let keep = if *g == GroupBy::User {
                    TOP_USERS
                } else {
                    usize::MAX
                };
                summary_json(&s2, &scope, &filter, Some(*g), top, keep)
            })
            .collect::<Result<Vec<Value>, ApiError>>()
    })
    .await?;
    <[Value; 4]>::try_from(out).map_err(|_| ApiError::internal("a summary per dimension"))
}

/// The center the service accounts (its file resolved for the service's method and zone).
fn service_center(s: &Shared) -> Result<impacts::impacts_center::Center, ApiError> {
    s.engine
        .center(
            &s.options.center,
            &s.options.method,
            s.options.zone.as_deref(),
        )
        .map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_are_signed_percentages() {
        assert_eq!(change(200.0, 250.0), "+25.0 %");
        assert_eq!(change(200.0, 150.0), "−25.0 %");
        assert_eq!(change(0.0, 1.0), "–");
    }

    /// A month's period ends on the next month's first (exclusive), where the store's sums per
    /// month answer; a date on the next day; December on the next January.
    #[test]
    fn a_period_ends_where_the_next_begins() {
        assert_eq!(month_end("to", "2024-02").unwrap(), "2024-03-01");
        assert_eq!(month_end("to", "2024-12").unwrap(), "2025-01-01");
        assert_eq!(month_end("to", "2024-02-29").unwrap(), "2024-03-01");
        assert_eq!(month_start("from", "2024-02").unwrap(), "2024-02-01");
        assert!(month_end("to", "someday").is_err());
    }

    /// The recorded job keeps its cores, GPUs, loads and measured energy; another partition keeps
    /// only the node count, another duration drops the measured energy, a load replaces both.
    #[test]
    fn a_what_if_changes_only_what_it_names() {
        let job = json!({"partition": "gpu_p5", "nodes": 2, "cores": 128, "gpus": 16,
                         "hours": 3.0, "cpu_load": 40.0, "gpu_load": 90.0,
                         "energy_source": "measured", "energy": {"energy_kwh": 12.5}});
        let base = recorded_request(&job);
        assert_eq!(
            Value::Object(base.clone()),
            json!({"partition": "gpu_p5", "nodes": 2, "cores": 128, "gpus": 16, "hours": 3.0,
                   "cpu_load": 40.0, "gpu_load": 90.0, "measured_energy_kwh": 12.5})
        );
        let panel = |partition: &str, load: &str, hours: &str| WhatIf {
            partitions: vec![],
            zones: vec![],
            partition: partition.into(),
            zone: "SWE".into(),
            load: load.into(),
            pue: String::new(),
            hours: hours.into(),
            result: None,
        };
        let same = changed_request(&base, &panel("gpu_p5", "", "3")).unwrap();
        assert_eq!(same["measured_energy_kwh"], 12.5);
        assert_eq!(same["zone"], "SWE");
        let moved = changed_request(&base, &panel("cpu_p1", "60", "3")).unwrap();
        assert_eq!(
            Value::Object(moved),
            json!({"partition": "cpu_p1", "nodes": 2, "hours": 3.0, "load": 60.0, "zone": "SWE"})
        );
        let longer = changed_request(&base, &panel("gpu_p5", "", "6")).unwrap();
        assert!(longer.get("measured_energy_kwh").is_none());
        assert!(changed_request(&base, &panel("gpu_p5", "a lot", "3")).is_err());
    }
}
