//! The service's scheduled pull of the grid's intensity (`impacts serve --grid-pull
//! SOURCE:ZONE`): every `--grid-interval`, the last `--grid-hours` hours fetched
//! (`impacts_grid::http`) and stored (`grid_hours`, migration 9); a failure is logged and the
//! next pull tries again, and ingestion keeps the annual factor for hours it lacks
//! (docs/grid.md).

use std::sync::Arc;
use std::time::Duration;

use impacts::impacts_grid::http::{self, Source};
use impacts::impacts_grid::Kind;
use impacts_store::{GridHour, Store};

use super::poll;
use crate::args::ServeArgs;
use crate::error::CliError;

/// What the pull needs.
#[derive(Clone, Debug)]
pub struct GridPull {
    /// The service.
    pub source: Source,
    /// The zone, as the service names it.
    pub zone: String,
    /// How often.
    pub every: Duration,
    /// How many hours back each pull asks for.
    pub hours: i64,
}

/// The pull `serve`'s flags ask for, if any, checked before the service starts: the source's
/// zone and token, and that the zone is the center's (`center_zone`, its alpha-3 code) — a zone
/// the bundle does not know (a service's sub-zone, `SE-SE3`) cannot be checked and is said.
pub fn of(
    a: &ServeArgs,
    engine: &impacts::Engine,
    center_zone: &str,
) -> Result<Option<GridPull>, CliError> {
    let Some(spec) = &a.grid_pull else {
        return Ok(None);
    };
    let bad = || {
        CliError::usage(format!(
            "invalid --grid-pull '{spec}': expected SOURCE:ZONE with SOURCE electricitymaps, entsoe or rte (electricitymaps:FR)"
        ))
    };
    let (source, zone) = spec.split_once(':').ok_or_else(bad)?;
    let source = Source::parse(source).ok_or_else(bad)?;
    let zone = zone.trim().to_uppercase();
    if zone.is_empty() {
        return Err(bad());
    }
    source
        .check(&zone, &|v| std::env::var(v).ok())
        .map_err(|e| CliError::usage(format!("--grid-pull '{spec}': {e}")))?;
    match engine.bundle().zone(&zone) {
        Ok(found) if found.spec.code != center_zone => {
            return Err(CliError::usage(format!(
                "--grid-pull '{spec}': {zone} is {} ({}), but the center's electricity is of {center_zone}",
                found.spec.name, found.spec.code
            )))
        }
        Ok(_) => {}
        Err(_) => impacts_server::log::line(&[
            ("event", "grid-zone-unchecked"),
            ("zone", &zone),
            ("center_zone", center_zone),
        ]),
    }
    let every = poll::seconds(&a.grid_interval)
        .filter(|s| *s >= 60)
        .ok_or_else(|| {
            CliError::usage(format!(
                "invalid --grid-interval '{}': expected a duration of at least 60s (5m, 1h)",
                a.grid_interval
            ))
        })?;
    if !(1..=24 * 366).contains(&a.grid_hours) {
        return Err(CliError::usage(format!(
            "invalid --grid-hours {}: expected 1 to 8784 hours",
            a.grid_hours
        )));
    }
    Ok(Some(GridPull {
        source,
        zone,
        every: Duration::from_secs(every as u64),
        hours: i64::from(a.grid_hours),
    }))
}

/// One pull: the last hours fetched and stored; the number of points stored.
pub fn once(store: &Arc<dyn Store>, p: &GridPull) -> Result<u64, String> {
    let now = jiff::Timestamp::now().as_second();
    let answer = http::fetch(p.source, &p.zone, now - p.hours * 3600, now, &|v| {
        std::env::var(v).ok()
    })
    .map_err(|e| e.to_string())?;
    let f = answer.series;
    let step = p.source.step();
    let kind = match f.kind {
        Kind::Direct => "direct",
        Kind::LifeCycle => "lifecycle",
        Kind::Unstated => "unstated",
    };
    let hours: Vec<GridHour> = f
        .points
        .iter()
        .map(|pt| GridHour {
            zone: p.zone.clone(),
            t: pt.t,
            step,
            gco2eq_per_kwh: pt.value,
            kind: kind.into(),
            source: f.source.clone(),
            estimated: pt.estimated,
        })
        .collect();
    store.write_grid_hours(&hours).map_err(|e| e.to_string())
}

/// Pulls every `p.every` (the first pull already made, before the first sacct run), logging
/// each pull; never stops.
pub async fn run(store: Arc<dyn Store>, p: GridPull) {
    loop {
        tokio::time::sleep(p.every).await;
        let (s, q) = (store.clone(), p.clone());
        if let Err(e) = tokio::task::spawn_blocking(move || logged(&s, &q)).await {
            log(&p, Err(e.to_string()));
        }
    }
}

/// One pull, logged (the service's first is made so, before ingestion starts).
pub fn logged(store: &Arc<dyn Store>, p: &GridPull) {
    log(p, once(store, p));
}

fn log(p: &GridPull, pulled: Result<u64, String>) {
    match pulled {
        Ok(n) => impacts_server::log::line(&[
            ("event", "grid-pull"),
            ("zone", &p.zone),
            ("points", &n.to_string()),
        ]),
        Err(e) => impacts_server::log::line(&[
            ("event", "grid-pull-failed"),
            ("zone", &p.zone),
            ("error", &e),
        ]),
    }
}
