//! *My footprint* (`/`): a caller's totals over a period, by month, partition and account, the
//! largest and the latest jobs.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use impacts::impacts_model::readable::value_unit;
use impacts_accounting::summary::GroupBy;
use impacts_store::{Filter, JobOrder, JobQuery, Scope};
use impacts_web::chart::bars;
use impacts_web::{GroupTable, Home, JobTable, Link, PHASES};
use serde_json::Value;

use crate::error::ApiError;
use crate::{caller, jobs_json, Shared};

use super::read::{figures, job_lines, lines, measured_lines, month_bars, number, unsuccessful};
use super::{chrome, page, summaries};

/// The parameters of `/`: a period of months (`YYYY-MM`) or dates.
pub(super) const HOME: [&str; 2] = ["from", "to"];

/// `GET /`: *My footprint*.
pub async fn home(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    page(home_page(s, peer, headers, q).await)
}

/// The period asked: the form's months (or dates), as the API's instants; all time by default.
#[derive(Default)]
pub(super) struct Period {
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

    /// The table of a summary's groups (`[name, heading, title]`: the dimension, the section's
    /// heading, the first column's title), with the API calls that give them for this period.
    pub(super) fn table(&self, summary: &Value, words: [&str; 3], gwp_total: f64) -> GroupTable {
        let [name, heading, title] = words;
        let json = self.api_query(Some(name));
        GroupTable {
            name: name.into(),
            heading: heading.into(),
            title: title.into(),
            caption: String::new(),
            rows: lines(&summary["groups"], gwp_total),
            csv: format!("{json}&format=csv"),
            json,
        }
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
pub(super) fn not_a_month(field: &str, v: &str) -> ApiError {
    ApiError::invalid(
        field,
        format!("a month such as 2024-03, or a date such as 2024-03-15, not '{v}'"),
    )
}

/// A month (`2024-03`) or a date, as the API's instant of its start.
pub(super) fn month_start(field: &str, v: &str) -> Result<String, ApiError> {
    if let Ok(d) = format!("{v}-01").parse::<jiff::civil::Date>() {
        return Ok(d.to_string());
    }
    crate::query::instant(field, v).map_err(|_| not_a_month(field, v))?;
    Ok(v.to_string())
}

/// A month or a date, as the API's end of a period (exclusive): the first of the next month, or
/// the next day, at midnight UTC; an instant as it is. The end of a month is on the first of a
/// month, where the store's sums per month answer.
pub(super) fn month_end(field: &str, v: &str) -> Result<String, ApiError> {
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

pub(super) async fn home_page(
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
    let table = |v: &Value, name: &str, heading: &str, title: &str| {
        period.table(v, [name, heading, title], gwp_total)
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
pub(super) fn months_chart(groups: &Value) -> String {
    bars(
        "Climate change by month",
        &month_bars(groups),
        "gCO2eq",
        &PHASES,
    )
}

/// A table of jobs: the largest of the period, or the latest, with the API call that lists them.
pub(super) async fn job_table(
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
pub(super) const LARGEST: usize = 10;

/// The jobs listed on `/`.
pub(super) const LATEST: usize = 20;

/// Everything, this year, the last twelve months.
pub(super) fn shortcuts() -> Vec<Link> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_ends_where_the_next_begins() {
        assert_eq!(month_end("to", "2024-02").unwrap(), "2024-03-01");
        assert_eq!(month_end("to", "2024-12").unwrap(), "2025-01-01");
        assert_eq!(month_end("to", "2024-02-29").unwrap(), "2024-03-01");
        assert_eq!(month_start("from", "2024-02").unwrap(), "2024-02-01");
        assert!(month_end("to", "someday").is_err());
    }
}
