//! The center (`/center`, administrators) and how the numbers are made (`/method`).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::Response;
use impacts::impacts_model::quantity::fmt_num;
use impacts::impacts_model::readable::criterion_title;
use impacts_accounting::summary::GroupBy;
use impacts_store::{Filter, JobOrder, Scope};
use impacts_web::{CenterPage, MethodPage};
use serde_json::Value;

use crate::error::ApiError;
use crate::{blocking, caller, Shared};

use super::home::{job_table, months_chart, Period};
use super::read::{figures, measured_lines, number};
use super::{chrome, page, service_center, summaries, TOP_USERS};

/// `GET /center`: *The center*, for administrators.
pub async fn center(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    page(center_page(s, peer, headers).await)
}

pub(super) async fn center_page(
    s: Shared,
    peer: SocketAddr,
    headers: HeaderMap,
) -> Result<String, ApiError> {
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
    let all_time = Period::default();
    let table = |v: &Value, name: &str, heading: &str, title: &str| {
        all_time.table(v, [name, heading, title], gwp_total)
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

/// A duration in words (`3 min`, `2 h`, `5 days`).
pub(super) fn ago(secs: i64) -> String {
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

pub(super) async fn method_page(
    s: Shared,
    peer: SocketAddr,
    headers: HeaderMap,
) -> Result<String, ApiError> {
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
