//! The HTTP API of the center service (docs/service.md).
//!
//! [`router`] gives the axum application over a [`Service`] (a store, the engine, the accounting
//! options its summaries use, the access rules); [`serve`] runs it until SIGTERM or SIGINT. Store
//! queries and Monte Carlo run on tokio's blocking pool: the store is synchronous.

#![warn(missing_docs)]

pub mod bench;
pub mod csv_out;
pub mod error;
pub mod estimate;
pub mod explain;
pub mod identity;
pub mod log;
pub mod metrics;
pub mod openapi;
pub mod push;
pub mod query;
pub mod signin;
pub mod web;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use impacts::Engine;
use impacts_accounting::accountant::{Accountant, Options, SampleCache};
use impacts_store::{JobQuery, Scope, Store};
use serde_json::{json, Value as Json_};

use crate::error::ApiError;
use crate::identity::{Access, Caller};
use crate::query::Params;

/// Request bodies larger than this are refused (413).
pub const MAX_BODY: usize = 1 << 20;
/// Requests that take longer are answered 503.
pub const TIMEOUT: Duration = Duration::from_secs(30);
/// Query strings longer than this are refused (414).
pub const MAX_QUERY: usize = 8 << 10;

/// What the service serves.
pub struct Service {
    /// The store.
    pub store: Arc<dyn Store>,
    /// The engine (the embedded data bundle), for the life of the process.
    pub engine: &'static Engine,
    /// The accounting options (center, method, zone, samples, seed, percentiles) of summaries.
    pub options: Options,
    /// Who may see what.
    pub access: Access,
    /// True when the store's per-job bounds come from sampling (else they are not given).
    pub job_bounds: bool,
    /// The accountant of summaries and the samples of each bucket, kept between requests (a
    /// bucket's model is evaluated once in the life of the service).
    pub summarizer: Mutex<(Accountant<'static>, SampleCache)>,
    /// Estimates answer anyone (else only identified callers).
    pub open_estimates: bool,
    /// Estimates computed at once: as many as there are cores (a request of 100,000 samples
    /// waits for a core rather than starving the others).
    pub estimating: Arc<tokio::sync::Semaphore>,
    /// Store queries and summaries running at once (each holds a reader connection).
    pub querying: Arc<tokio::sync::Semaphore>,
}

impl Service {
    /// A service over a store, for the accounting options its store was filled with.
    pub fn new(
        store: Arc<dyn Store>,
        engine: &'static Engine,
        options: Options,
        access: Access,
        job_bounds: bool,
    ) -> Result<Service, impacts_accounting::accountant::AccountingError> {
        let accountant = Accountant::new(engine, options.clone())?;
        Ok(Service {
            store,
            engine,
            options,
            access,
            job_bounds,
            summarizer: Mutex::new((accountant, SampleCache::default())),
            open_estimates: false,
            estimating: Arc::new(tokio::sync::Semaphore::new(cores())),
            querying: Arc::new(tokio::sync::Semaphore::new(4 * cores())),
        })
    }
}

type Shared = Arc<Service>;

/// The application: every route, with limits, timeouts, a caught panic answered 500, and a log
/// line per request.
pub fn router(service: Service) -> Router {
    let state: Shared = Arc::new(service);
    Router::new()
        .route("/", get(web::home))
        .route("/estimate", get(web::estimate))
        .route("/center", get(web::center))
        .route("/bench", get(web::bench))
        .route("/method", get(web::method))
        .route("/jobs/{job_id}", get(web::job))
        .route("/jobs/{cluster}/{job_id}", get(web::job_of_cluster))
        .route("/login", get(signin::login_form).post(signin::login))
        .route("/logout", post(signin::logout))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_handler))
        .route("/api/v1/jobs", get(jobs).post(push_handler))
        .route("/api/v1/jobs/{job_id}", get(job))
        .route("/api/v1/jobs/{cluster}/{job_id}", get(job_of_cluster))
        .route("/api/v1/summary", get(summary))
        .route("/api/v1/bench/runs", get(bench::runs))
        .route("/api/v1/estimate/{kind}", post(estimate_handler))
        .route("/api/v1/openapi.json", get(openapi_handler))
        .fallback(|| async { ApiError::not_found("no such endpoint") })
        .layer(axum::middleware::from_fn(signin::cookie_identity))
        .layer(axum::middleware::from_fn(guard))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            TIMEOUT,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .with_state(state)
}

/// Serves on `listener` until SIGTERM or SIGINT; requests in flight are completed.
pub async fn serve(listener: tokio::net::TcpListener, service: Service) -> std::io::Result<()> {
    let app = router(service).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
}

async fn shutdown() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        _ = term => {},
    }
    log::line(&[("event", "shutdown")]);
}

fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("a handler panicked").into_response()
}

/// Refuses long query strings and logs every request (method, path, status, time; never the
/// query, which may carry names).
async fn guard(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let response = if req.uri().query().is_some_and(|q| q.len() > MAX_QUERY) {
        ApiError {
            status: StatusCode::URI_TOO_LONG,
            code: "query_too_long",
            message: format!("the query string is longer than {MAX_QUERY} bytes"),
            field: None,
        }
        .into_response()
    } else {
        next.run(req).await
    };
    let ms = format!("{:.3}", started.elapsed().as_secs_f64() * 1e3);
    let status = response.status().as_u16().to_string();
    log::line(&[
        ("method", &method),
        ("path", &path),
        ("status", &status),
        ("ms", &ms),
    ]);
    response
}

/// The machine's cores.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs blocking work (the store, Monte Carlo) on the blocking pool, once `limit` gives it a
/// permit; the permit goes with the work, so a request that times out or whose client leaves does
/// not free a place while its work still runs.
async fn limited<T: Send + 'static>(
    limit: &Arc<tokio::sync::Semaphore>,
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let permit = limit
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| ApiError::internal(format!("the work queue is closed: {e}")))?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        f()
    })
    .await
    .map_err(|e| ApiError::internal(format!("a blocking task failed: {e}")))?
}

/// [`limited`] by the store's query limit.
async fn blocking<T: Send + 'static>(
    s: &Shared,
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    limited(&s.querying, f).await
}

/// The caller of a request: a bearer token's user and role when the request carries one (an
/// unknown or expired token is 401, not anonymous), else the user a trusted proxy names.
async fn caller(s: &Shared, peer: &SocketAddr, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let Some(token) = identity::bearer(headers)? else {
        return s.access.caller(peer, headers);
    };
    let (store, hash) = (s.store.clone(), impacts_store::token::hash(&token));
    let now = jiff::Timestamp::now().as_second();
    match blocking(s, move || Ok(store.token(&hash, now)?)).await? {
        Some(t) => Ok(s.access.for_user(&t.user, t.role == "admin")),
        None => Err(ApiError {
            field: Some("Authorization".into()),
            ..ApiError::unauthenticated()
        }),
    }
}

async fn healthz(State(s): State<Shared>) -> Result<Json<Json_>, ApiError> {
    let store = s.store.clone();
    let n = blocking(&s, move || Ok(store.count()?)).await?;
    Ok(Json(json!({"status": "ok", "jobs": n})))
}

async fn jobs(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let who = caller(&s, &peer, &headers).await?;
    let p = Params::parse(q.as_deref(), &query::JOBS)?;
    let query = JobQuery {
        scope: who.scope,
        filter: p.filter()?,
        limit: p.limit()?,
        cursor: p.cursor()?,
        order: p.order()?,
    };
    let v = jobs_json(&s, query).await?;
    Ok(json_or_csv(v, p.csv()?, csv_out::jobs, "jobs"))
}

/// An answer as JSON, or as CSV made by `to_csv` (an attachment named `{name}.csv`).
fn json_or_csv(v: Json_, csv: bool, to_csv: fn(&Json_) -> String, name: &str) -> Response {
    if !csv {
        return Json(v).into_response();
    }
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.csv\""),
        ),
    ];
    (headers, to_csv(&v)).into_response()
}

async fn job(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(job_id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<Json_>, ApiError> {
    one_job(s, peer, headers, None, job_id, q).await
}

async fn job_of_cluster(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((cluster, job_id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Result<Json<Json_>, ApiError> {
    one_job(s, peer, headers, Some(cluster), job_id, q).await
}

async fn one_job(
    s: Shared,
    peer: SocketAddr,
    headers: HeaderMap,
    cluster: Option<String>,
    job_id: String,
    q: Option<String>,
) -> Result<Json<Json_>, ApiError> {
    let who = caller(&s, &peer, &headers).await?;
    let explain = Params::parse(q.as_deref(), &["explain"])?.flag("explain")?;
    Ok(Json(job_json(&s, &who, cluster, job_id, explain).await?))
}

/// A job as `GET /api/v1/jobs/{id}` answers it (the dashboard's job page uses the same): 404
/// when unknown or outside the caller's scope.
pub(crate) async fn job_json(
    s: &Shared,
    who: &Caller,
    cluster: Option<String>,
    job_id: String,
    explain: bool,
) -> Result<Json_, ApiError> {
    if job_id.len() > query::MAX_VALUE_LEN
        || cluster
            .as_ref()
            .is_some_and(|c| c.len() > query::MAX_VALUE_LEN)
    {
        return Err(ApiError::not_found("no such job"));
    }
    let (s2, scope) = (s.clone(), who.scope.clone());
    let found = blocking(s, move || {
        Ok(s2.store.job(&scope, cluster.as_deref(), &job_id)?)
    })
    .await?;
    let Some(j) = found else {
        return Err(ApiError::not_found("no such job"));
    };
    let mut v = impacts_store::json::job(s.store.schema(), &j, s.job_bounds);
    if explain {
        let s2 = s.clone();
        v["explanation"] = limited(&s.estimating, move || explain::job(&s2, &j)).await?;
    }
    Ok(v)
}

/// A page of jobs as `GET /api/v1/jobs` answers it (newest first).
pub(crate) async fn jobs_json(s: &Shared, query: JobQuery) -> Result<Json_, ApiError> {
    let (s2, limit) = (s.clone(), query.limit);
    let page = blocking(s, move || Ok(s2.store.jobs(&query)?)).await?;
    let next = (page.len() == limit)
        .then(|| page.last().map(|j| j.id.to_string()))
        .flatten();
    let schema = s.store.schema();
    let list: Vec<Json_> = page
        .iter()
        .map(|j| impacts_store::json::job(schema, j, s.job_bounds))
        .collect();
    Ok(json!({"jobs": list, "next_cursor": next}))
}

async fn summary(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let who = caller(&s, &peer, &headers).await?;
    let p = Params::parse(q.as_deref(), &query::SUMMARY)?;
    let filter = p.filter()?;
    let group_by = p.group_by()?;
    let top = p.top()?;
    let csv = p.csv()?;
    let s2 = s.clone();
    let body = blocking(&s, move || {
        summary_json(&s2, &who.scope, &filter, group_by, top, usize::MAX)
    })
    .await?;
    Ok(json_or_csv(body, csv, csv_out::summary, "summary"))
}

/// The summary `GET /api/v1/summary` answers (the dashboard's pages use the same), its first
/// `keep` groups (all of them for the API: a page showing the largest few renders only those).
pub(crate) fn summary_json(
    s: &Service,
    scope: &Scope,
    filter: &impacts_store::Filter,
    group_by: Option<impacts_accounting::summary::GroupBy>,
    top: usize,
    keep: usize,
) -> Result<Json_, ApiError> {
    let rows = s.store.bucket_sums(scope, filter, group_by)?;
    let mut guard = s.summarizer.lock().unwrap_or_else(|p| p.into_inner());
    let (acct, cache) = &mut *guard;
    let (total, groups) = impacts_store::summary::summarize(acct, cache, &rows, top)?;
    drop(guard);
    let kept = &groups[..keep.min(groups.len())];
    let mut v = impacts_store::summary::summary_json(s.store.schema(), group_by, &total, kept);
    v["scope"] = match scope {
        Scope::All => json!("all"),
        Scope::Own { user, accounts } => json!({"user": user, "accounts": accounts}),
    };
    v["method"] = json!(s.options.method);
    v["data_bundle"] = json!(s.engine.bundle().hash);
    Ok(v)
}

async fn metrics_handler(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // Scrapers connect directly from a trusted address without a user; people need to be admins.
    let identified =
        identity::bearer(&headers)?.is_some() || s.access.user(&peer, &headers)?.is_some();
    let allowed = if identified {
        caller(&s, &peer, &headers).await?.is_admin()
    } else {
        s.access.trusts(&peer, &headers)
    };
    if !allowed {
        return Err(ApiError::forbidden(
            "metrics are for the monitoring system (a trusted address) and administrators",
        ));
    }
    let s2 = s.clone();
    let text = blocking(&s, move || {
        let sums = s2.store.metric_sums()?;
        let meta = |k: &str| -> Result<Option<i64>, ApiError> {
            Ok(s2.store.meta(k)?.and_then(|v| v.parse().ok()))
        };
        let (last, watermark) = (meta("last_ingest")?, meta("sacct_watermark")?);
        Ok(metrics::render(s2.store.schema(), &sums, last, watermark))
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, metrics::CONTENT_TYPE)], text).into_response())
}

async fn estimate_handler(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(kind): Path<String>,
    RawQuery(q): RawQuery,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    if !s.open_estimates {
        caller(&s, &peer, &headers).await?;
    }
    Params::parse(q.as_deref(), &[])?;
    let prepared = estimate::Estimate::from_json(&kind, &body).map_err(estimate::api_error)?;
    let engine = s.engine;
    let text = if prepared.is_quick() {
        estimate::run(prepared, engine)?
    } else {
        limited(&s.estimating, move || estimate::run(prepared, engine)).await?
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], text).into_response())
}

async fn push_handler(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: axum::body::Bytes,
) -> Result<Json<Json_>, ApiError> {
    let who = caller(&s, &peer, &headers).await?;
    if !who.is_admin() {
        return Err(ApiError::forbidden(
            "pushing records needs an administrator (a token of role admin, or a user the service names administrator)",
        ));
    }
    Params::parse(q.as_deref(), &[])?;
    if body.is_empty() {
        return Err(ApiError::invalid(
            "body",
            "the records: what sacct -P (with its header) or sacct --json prints",
        ));
    }
    let s2 = s.clone();
    let v = blocking(&s, move || {
        push::ingest(s2.engine, &s2.options, &s2.store, &body)
    })
    .await?;
    Ok(Json(v))
}

async fn openapi_handler() -> Json<Json_> {
    Json(openapi::document())
}
