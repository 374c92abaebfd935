//! `impacts ingest` and `impacts serve`: the center service (docs/service.md).

use std::net::IpAddr;
use std::sync::Arc;

use impacts::Engine;
use impacts_accounting::accountant::{Accountant, Options};
use impacts_server::identity::Access;
use impacts_store::{Schema, Store, StoreError, StoreSink};

use super::{accounting, center_source, options};
use crate::args::{Common, Format, IngestArgs, ServeArgs};
use crate::error::{CliError, Flags};

/// The flags of `impacts ingest` and `impacts serve`, by the library's name of what they give.
pub const FLAGS: Flags = &[
    ("center", "--center"),
    ("zone", "--zone"),
    ("default_partition", "--default-partition"),
    ("load", "--load"),
    ("fields", "--fields"),
    ("delimiter", "--delimiter"),
    ("job_samples", "--job-samples"),
    ("input_format", "--input-format"),
    ("time_zone", "--time-zone"),
    ("group_by", "--group-by"),
    ("db", "--db"),
];

fn store_error(e: StoreError) -> CliError {
    match e {
        StoreError::Input(i) => CliError::Input(i),
        StoreError::Mismatch { .. } | StoreError::TooNew { .. } => CliError::usage(e.to_string()),
        e => CliError::failure(e.to_string()),
    }
}

/// Opens the store for an accountant's columns and records (or checks) what fills it.
fn open_store(
    url: &str,
    engine: &Engine,
    acc: &Accountant<'_>,
    method: &str,
) -> Result<Box<dyn Store>, CliError> {
    let schema = Schema::new(acc.columns(), acc.criteria_units().to_vec());
    let store = impacts_store::open(url, schema).map_err(store_error)?;
    let facts = [
        ("center", acc.center().name.as_str()),
        ("zone", acc.center().spec.zone.code.as_str()),
        ("method", method),
        ("data_bundle", engine.bundle().hash.as_str()),
    ];
    impacts_store::bind(store.as_ref(), &facts).map_err(store_error)?;
    Ok(store)
}

/// `impacts ingest`: `impacts accounting` whose rows go to the database.
pub fn ingest(engine: &Engine, a: &IngestArgs) -> Result<(), CliError> {
    let acc_args = &a.accounting;
    if acc_args.jobs.is_some() {
        return Err(CliError::usage(
            "--jobs: impacts ingest writes its rows to --db (use impacts accounting for a file)",
        ));
    }
    if a.batch == 0 || a.batch > 1_000_000 {
        return Err(CliError::usage(format!(
            "invalid --batch {}: expected 1 to 1000000 jobs per transaction",
            a.batch
        )));
    }
    let opts = accounting::run_options(acc_args)?;
    let method = opts.method.clone();
    let job_samples = opts.job_samples.to_string();
    let mut acc = Accountant::new(engine, opts)?;
    let store: Arc<dyn Store> = Arc::from(open_store(&a.db, engine, &acc, &method)?);
    impacts_store::bind(store.as_ref(), &[("job_samples", job_samples.as_str())])
        .map_err(store_error)?;
    let mut sink = StoreSink::new(store.clone(), a.batch);
    let result = accounting::account(acc_args, &mut acc, &mut sink);
    let now = jiff::Timestamp::now().as_second().to_string();
    if sink.written() > 0 {
        store.set_meta("last_ingest", &now).map_err(store_error)?;
    }
    eprintln!("{} jobs stored in {}", sink.written(), store.describe());
    result
}

/// The accounting options of the service's summaries.
fn serve_options(a: &ServeArgs) -> Result<Options, CliError> {
    let common = options(
        &Common {
            format: Format::Json,
            samples: a.samples,
            seed: a.seed,
            method: a.method.clone(),
            percentiles: a.percentiles.clone(),
        },
        false,
    )?;
    Ok(Options {
        center: center_source(&a.center)?,
        zone: a.zone.clone(),
        method: common.method,
        samples: common.samples,
        seed: common.seed,
        percentiles: common.percentiles,
        ..Options::default()
    })
}

fn access(a: &ServeArgs) -> Result<Access, CliError> {
    let mut access = Access::default();
    if let Some(h) = &a.trusted_user_header {
        access.user_header = Some(h.parse().map_err(|_| {
            CliError::usage(format!(
                "invalid --trusted-user-header '{h}': expected an HTTP header name such as X-Remote-User"
            ))
        })?);
    }
    if !a.trusted_proxy.is_empty() {
        access.trusted_proxies = a
            .trusted_proxy
            .iter()
            .map(|p| {
                p.parse::<IpAddr>().map_err(|_| {
                    CliError::usage(format!(
                        "invalid --trusted-proxy '{p}': expected an IP address such as 127.0.0.1"
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
    }
    access.admins = a.admin.iter().cloned().collect();
    Ok(access)
}

/// `impacts serve`: the HTTP API over the database, until SIGTERM or SIGINT.
pub fn serve(a: &ServeArgs) -> Result<(), CliError> {
    // The engine lives as long as the process: the service's accountant borrows it.
    let engine: &'static Engine = Box::leak(Box::new(Engine::new()?));
    let opts = serve_options(a)?;
    let access = access(a)?;
    let (store, job_bounds) = {
        let acc = Accountant::new(engine, opts.clone())?;
        let store = open_store(&a.db, engine, &acc, &opts.method)?;
        let samples = store.meta("job_samples").map_err(store_error)?;
        let bounded = samples.as_deref().is_some_and(|s| s != "0");
        (store, bounded)
    };
    let service = impacts_server::Service::new(Arc::from(store), engine, opts, access, job_bounds)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failure(format!("cannot start the runtime: {e}")))?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(&a.listen)
            .await
            .map_err(|e| {
                CliError::failure(format!("cannot listen on --listen '{}': {e}", a.listen))
            })?;
        let addr = listener
            .local_addr()
            .map_or_else(|_| a.listen.clone(), |x| x.to_string());
        impacts_server::log::line(&[
            ("event", "listening"),
            ("url", &format!("http://{addr}/")),
            ("db", &a.db),
        ]);
        impacts_server::serve(listener, service)
            .await
            .map_err(|e| CliError::failure(format!("the service stopped: {e}")))
    })
}
