//! `impacts ingest` and `impacts serve`: the center service (docs/service.md).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use impacts::Engine;
use impacts_accounting::accountant::{Accountant, Options};
use impacts_server::identity::{Access, Managers};
use impacts_store::{Schema, Store, StoreError, StoreSink};

use super::{accounting, center_source, coordinators, grid_pull, options, poll};
use crate::args::{Common, Format, IngestArgs, ServeArgs, TokenCmd};
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

pub(super) fn store_error(e: StoreError) -> CliError {
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
    opts: &Options,
) -> Result<Box<dyn Store>, CliError> {
    let store = impacts_store::open(url, Schema::of_engine(engine)).map_err(store_error)?;
    // The center by its content, not its name: an edited center file is another model.
    let source = match &opts.center {
        impacts::CenterSource::Bundled(name) => format!("bundled {name}"),
        impacts::CenterSource::Text { text, .. } => {
            format!("file sha256 {}", impacts_store::token::hash(text))
        }
    };
    let facts = [
        ("center", acc.center().name.as_str()),
        ("center_source", source.as_str()),
        ("zone", acc.center().spec.zone.code.as_str()),
        ("method", opts.method.as_str()),
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
    let job_samples = opts.job_samples.to_string();
    let mut acc = Accountant::new(engine, opts.clone())?;
    let store: Arc<dyn Store> = Arc::from(open_store(&a.db, engine, &acc, &opts)?);
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
        center: center_source(a.center.as_deref().unwrap_or(""))?,
        zone: a.zone.clone(),
        method: common.method,
        samples: common.samples,
        seed: common.seed,
        percentiles: common.percentiles,
        default_partition: a.default_partition.clone(),
        load: accounting::load_policy(a.load.as_deref())?,
        ..Options::default()
    })
}

/// Continuous ingestion's settings, if `--sacct-interval` asks for it.
fn poll_of(a: &ServeArgs, options: &Options) -> Result<Option<poll::Poll>, CliError> {
    let Some(interval) = &a.sacct_interval else {
        return Ok(None);
    };
    let duration = |flag: &str, v: &str| {
        poll::seconds(v).ok_or_else(|| {
            CliError::usage(format!(
                "invalid {flag} '{v}': expected a duration such as 90s, 5m, 1h or 2d"
            ))
        })
    };
    let every = duration("--sacct-interval", interval)?;
    if every < 1 {
        return Err(CliError::usage(
            "invalid --sacct-interval: at least 1s between runs of sacct",
        ));
    }
    let db_folder =
        a.db.strip_prefix("sqlite:")
            .or((!a.db.contains("://")).then_some(a.db.as_str()))
            .and_then(|p| std::path::Path::new(p).parent())
            .filter(|p| !p.as_os_str().is_empty());
    let scratch = poll::private_folder(db_folder).map_err(|e| {
        CliError::failure(format!(
            "cannot make a private folder for sacct's output: {e}"
        ))
    })?;
    Ok(Some(poll::Poll {
        command: a.sacct_command.clone(),
        interval: std::time::Duration::from_secs(every as u64),
        overlap: duration("--sacct-overlap", &a.sacct_overlap)?,
        since: duration("--sacct-since", &a.sacct_since)?,
        options: options.clone(),
        scratch,
        grid_zone: None,
    }))
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
    if let Some(path) = &a.trusted_proxy_secret_file {
        let secret = std::fs::read_to_string(path).map_err(|e| {
            CliError::usage(format!(
                "cannot read --trusted-proxy-secret-file '{path}': {e}"
            ))
        })?;
        let secret = secret.trim();
        if secret.len() < 16 {
            return Err(CliError::usage(format!(
                "invalid --trusted-proxy-secret-file '{path}': the secret must be at least 16 characters"
            )));
        }
        access.proxy_secret = Some(secret.to_string());
    }
    Ok(access)
}

/// The managers of `--managers FILE` and, with `--slurm-coordinators`, of Slurm: the file's (to
/// merge again at each refresh), and the refresh's interval.
fn managers_of(
    a: &ServeArgs,
    access: &mut Access,
) -> Result<(coordinators::Accounts, Option<std::time::Duration>), CliError> {
    let file = match &a.managers {
        Some(path) => managers(path)?,
        None => HashMap::new(),
    };
    if !a.slurm_coordinators {
        access.managers = Managers::new(file.clone());
        return Ok((file, None));
    }
    let every = poll::seconds(&a.coordinators_interval)
        .filter(|s| *s > 0)
        .ok_or_else(|| {
            CliError::usage(format!(
                "invalid --coordinators-interval '{}': expected a duration such as 300s, 5m or 1h",
                a.coordinators_interval
            ))
        })?;
    let slurm = coordinators::read(&a.sacctmgr_command).map_err(|e| {
        CliError::failure(format!(
            "--slurm-coordinators: cannot read Slurm's coordinators: {e}"
        ))
    })?;
    access.managers = Managers::new(coordinators::merged(&file, slurm));
    Ok((file, Some(std::time::Duration::from_secs(every as u64))))
}

/// The accounts each manager sees, from a TOML file: `[managers]`, `alice = ["proj1"]`.
fn managers(path: &str) -> Result<coordinators::Accounts, CliError> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        managers: coordinators::Accounts,
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::usage(format!("cannot read --managers '{path}': {e}")))?;
    let f: File = toml::from_str(&text)
        .map_err(|e| CliError::usage(format!("invalid --managers '{path}': {e}")))?;
    Ok(f.managers)
}

/// `impacts token create|list|revoke`.
pub fn token(engine: &Engine, what: &TokenCmd) -> Result<String, CliError> {
    let open = |db: &str| impacts_store::open(db, Schema::of_engine(engine)).map_err(store_error);
    match what {
        TokenCmd::Create {
            db,
            user,
            role,
            expires_in_days,
            note,
        } => {
            if !matches!(role.as_str(), "user" | "admin") {
                return Err(CliError::usage(format!(
                    "invalid --role '{role}': expected user or admin"
                )));
            }
            if user.trim().is_empty() || user.len() > impacts_server::identity::MAX_USER_LEN {
                return Err(CliError::usage("invalid --user: expected a user name"));
            }
            let store = open(db)?;
            let token = impacts_store::token::generate()
                .map_err(|e| CliError::failure(format!("cannot read random bytes: {e}")))?;
            let expires =
                expires_in_days.map(|d| jiff::Timestamp::now().as_second() + i64::from(d) * 86_400);
            let id = store
                .add_token(
                    &impacts_store::token::hash(&token),
                    user,
                    role,
                    expires,
                    note.as_deref(),
                )
                .map_err(store_error)?;
            eprintln!("token {id} for {user} ({role}); it is shown once:");
            Ok(format!("{token}\n"))
        }
        TokenCmd::List { db } => {
            let mut out = String::from("id\tuser\trole\tcreated\texpires\tnote\n");
            for t in open(db)?.tokens().map_err(store_error)? {
                let when = |s: i64| {
                    jiff::Timestamp::from_second(s).map_or(s.to_string(), |t| t.to_string())
                };
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    t.id,
                    t.user,
                    t.role,
                    when(t.created),
                    t.expires.map_or("never".into(), when),
                    t.note.unwrap_or_default()
                ));
            }
            Ok(out)
        }
        TokenCmd::Revoke { db, id } => {
            if open(db)?.revoke_token(*id).map_err(store_error)? {
                Ok(format!("token {id} revoked\n"))
            } else {
                Err(CliError::usage(format!(
                    "no token {id}: see impacts token list"
                )))
            }
        }
    }
}

/// The settings of a `--config` file: the flags' names with underscores.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ServeConfig {
    db: Option<String>,
    center: Option<String>,
    zone: Option<String>,
    listen: Option<String>,
    trusted_user_header: Option<String>,
    #[serde(default)]
    trusted_proxy: Vec<String>,
    trusted_proxy_secret_file: Option<String>,
    #[serde(default)]
    admin: Vec<String>,
    managers: Option<String>,
    slurm_coordinators: Option<bool>,
    coordinators_interval: Option<String>,
    sacctmgr_command: Option<String>,
    open_estimates: Option<bool>,
    sacct_interval: Option<String>,
    grid_pull: Option<String>,
    grid_interval: Option<String>,
    grid_hours: Option<u32>,
    sacct_command: Option<String>,
    sacct_overlap: Option<String>,
    sacct_since: Option<String>,
    default_partition: Option<String>,
    load: Option<String>,
    samples: Option<usize>,
    seed: Option<u64>,
    method: Option<String>,
    percentiles: Option<String>,
}

/// The flags with the `--config` file's settings under them: a flag given (a value other than
/// its default) wins over the file.
fn with_config(a: &ServeArgs) -> Result<ServeArgs, CliError> {
    let mut m = a.clone();
    let Some(path) = &a.config else {
        return Ok(m);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::usage(format!("cannot read --config '{path}': {e}")))?;
    let c: ServeConfig = toml::from_str(&text)
        .map_err(|e| CliError::usage(format!("invalid --config '{path}': {e}")))?;
    let text_or = |flag: &mut String, default: &str, v: Option<String>| {
        if flag == default {
            if let Some(v) = v {
                *flag = v;
            }
        }
    };
    text_or(&mut m.db, "impacts.db", c.db);
    text_or(&mut m.listen, "127.0.0.1:8080", c.listen);
    text_or(&mut m.sacct_command, "sacct", c.sacct_command);
    text_or(&mut m.sacctmgr_command, "sacctmgr", c.sacctmgr_command);
    text_or(&mut m.coordinators_interval, "5m", c.coordinators_interval);
    text_or(&mut m.sacct_overlap, "1h", c.sacct_overlap);
    text_or(&mut m.sacct_since, "1d", c.sacct_since);
    text_or(&mut m.grid_interval, "1h", c.grid_interval);
    text_or(&mut m.method, "default", c.method);
    text_or(&mut m.percentiles, "2.5,97.5", c.percentiles);
    for (flag, v) in [
        (&mut m.center, c.center),
        (&mut m.zone, c.zone),
        (&mut m.trusted_user_header, c.trusted_user_header),
        (
            &mut m.trusted_proxy_secret_file,
            c.trusted_proxy_secret_file,
        ),
        (&mut m.managers, c.managers),
        (&mut m.sacct_interval, c.sacct_interval),
        (&mut m.grid_pull, c.grid_pull),
        (&mut m.default_partition, c.default_partition),
        (&mut m.load, c.load),
    ] {
        if flag.is_none() {
            *flag = v;
        }
    }
    if m.trusted_proxy.is_empty() {
        m.trusted_proxy = c.trusted_proxy;
    }
    if m.admin.is_empty() {
        m.admin = c.admin;
    }
    m.open_estimates |= c.open_estimates.unwrap_or(false);
    m.slurm_coordinators |= c.slurm_coordinators.unwrap_or(false);
    if m.samples == 1000 {
        m.samples = c.samples.unwrap_or(1000);
    }
    if m.seed == 0 {
        m.seed = c.seed.unwrap_or(0);
    }
    if m.grid_hours == 48 {
        m.grid_hours = c.grid_hours.unwrap_or(48);
    }
    if m.center.is_none() {
        return Err(CliError::usage(format!(
            "--center: give it, or `center = \"…\"` in --config '{path}'"
        )));
    }
    Ok(m)
}

/// `impacts serve`: the HTTP API over the database, until SIGTERM or SIGINT.
pub fn serve(a: &ServeArgs) -> Result<(), CliError> {
    let a = &with_config(a)?;
    // The engine lives as long as the process: the service's accountant borrows it.
    let engine: &'static Engine = Box::leak(Box::new(Engine::new()?));
    let opts = serve_options(a)?;
    let mut access = access(a)?;
    let (file_managers, coordinators_every) = managers_of(a, &mut access)?;
    let managers = access.managers.clone();
    let (store, job_bounds, center_zone) = {
        let acc = Accountant::new(engine, opts.clone())?;
        let store = open_store(&a.db, engine, &acc, &opts)?;
        let samples = store.meta("job_samples").map_err(store_error)?;
        let samples: usize = samples.and_then(|s| s.parse().ok()).unwrap_or(0);
        (store, samples, acc.center().spec.zone.code.clone())
    };
    // Records pushed or polled are sampled per job as the store's first ingestion was.
    let opts = Options {
        job_samples: job_bounds,
        ..opts
    };
    let job_bounds = job_bounds > 0;
    let pulling = grid_pull::of(a, engine, &center_zone)?;
    let mut polling = poll_of(a, &opts)?;
    if let (Some(p), Some(g)) = (&mut polling, &pulling) {
        p.grid_zone = Some(g.zone.clone());
    }
    let store: Arc<dyn Store> = Arc::from(store);
    let mut service =
        impacts_server::Service::new(store.clone(), engine, opts, access, job_bounds)?;
    service.open_estimates = a.open_estimates;
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
        if let Some(g) = pulling {
            // The first pull before the first sacct run, so that it finds the hours.
            let (s, q) = (store.clone(), g.clone());
            let _ = tokio::task::spawn_blocking(move || grid_pull::logged(&s, &q)).await;
            tokio::spawn(grid_pull::run(store.clone(), g));
        }
        if let Some(p) = polling {
            tokio::spawn(poll::run(engine, store, p));
        }
        if let Some(every) = coordinators_every {
            let command = a.sacctmgr_command.clone();
            tokio::spawn(coordinators::run(command, every, file_managers, managers));
        }
        impacts_server::serve(listener, service)
            .await
            .map_err(|e| CliError::failure(format!("the service stopped: {e}")))
    })
}
