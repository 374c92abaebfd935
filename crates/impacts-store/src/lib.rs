//! The store of the center service: every job's footprint, kept.
//!
//! A [`Store`] holds one row per job, keyed by (cluster, job id, submit time), with the per-job
//! columns of `impacts accounting --jobs` and the job's *bucket*, from which the bounds of any sum
//! of jobs are computed as `impacts accounting` computes them ([`summary`]). Ingestion goes
//! through [`StoreSink`], the accountant's sink: batches are written in one transaction each, each
//! job looked up by its key, so ingesting the same records twice changes nothing and a job seen
//! running then completed is updated, not doubled.
//!
//! One implementation, [`SqlStore`], holds the logic in SQL over two databases: SQLite
//! ([`SqliteStore::open`], the embedded default) and PostgreSQL ([`PostgresStore::open`]);
//! [`open`] picks one from a URL. The interface is synchronous: SQLite is a synchronous library,
//! ingestion runs on the accountant's threads, and the service calls the store on its blocking
//! pool (docs/service.md).

#![warn(missing_docs)]

pub mod ingest;
pub mod json;
mod postgres;
mod schema;
mod sink;
mod sql;
mod sqlite;
pub mod summary;
mod sums;
pub mod token;
mod value;

use impacts_accounting::summary::GroupBy;
use impacts_error::InputError;

pub use postgres::PostgresStore;
pub use schema::{sql_name, Schema};
pub use sink::StoreSink;
pub use sql::SqlStore;
pub use sqlite::SqliteStore;
pub use value::Value;

/// Errors of a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL or a query parameter is not acceptable.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The database failed.
    #[error("database {db}: {message}")]
    Database {
        /// The database (its URL, without credentials).
        db: String,
        /// What failed.
        message: String,
    },
    /// The database was filled by another center, method or data bundle.
    #[error("database {db} holds results of {key} {stored}, not {wanted}: use another database, or the same {key}")]
    Mismatch {
        /// The database.
        db: String,
        /// What differs (center, method, data_bundle).
        key: String,
        /// What it holds.
        stored: String,
        /// What this run has.
        wanted: String,
    },
    /// The database was migrated by a newer version of impacts.
    #[error("database {db} has schema version {found}; this impacts knows up to {known}: upgrade impacts")]
    TooNew {
        /// The database.
        db: String,
        /// Its version.
        found: i64,
        /// The newest this binary knows.
        known: i64,
    },
}

/// Whose jobs a caller may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every job (an administrator).
    All,
    /// The jobs of a user, and those of the accounts they manage.
    Own {
        /// The user.
        user: String,
        /// Accounts whose jobs they see too.
        accounts: Vec<String>,
    },
}

/// Filters of jobs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// User.
    pub user: Option<String>,
    /// Account.
    pub account: Option<String>,
    /// Partition.
    pub partition: Option<String>,
    /// State (`COMPLETED`, `FAILED`…).
    pub state: Option<String>,
    /// Jobs dated (their start, else their end) at or after this instant (UTC seconds).
    pub from: Option<i64>,
    /// Jobs dated before this instant (UTC seconds).
    pub to: Option<i64>,
}

/// A page of jobs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobQuery {
    /// Whose jobs.
    pub scope: Scope,
    /// Which.
    pub filter: Filter,
    /// At most this many.
    pub limit: usize,
    /// Jobs stored before this one (the previous page's last `id`; newest first only).
    pub cursor: Option<i64>,
    /// In which order.
    pub order: JobOrder,
}

/// The order of a list of jobs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum JobOrder {
    /// The last stored first (pages follow a cursor).
    #[default]
    Newest,
    /// The largest climate change first, jobs without an estimate left out (one page: the
    /// largest jobs).
    Largest,
}

/// A benchmark run as the store keeps it: what identifies it, and the run as JSON
/// (`impacts_bench::Run`).
#[derive(Clone, Debug, PartialEq)]
pub struct BenchRun {
    /// The ReFrame system.
    pub system: String,
    /// Its partition.
    pub partition: String,
    /// The programming environment.
    pub environ: String,
    /// The test with its parameters.
    pub display_name: String,
    /// The job id, when it ran as a job.
    pub jobid: Option<String>,
    /// Completion time, UTC seconds.
    pub time: Option<i64>,
    /// The run, as JSON.
    pub json: String,
}

/// A point of an intensity series the service pulled.
#[derive(Clone, Debug, PartialEq)]
pub struct GridHour {
    /// The zone (`FR`).
    pub zone: String,
    /// Start of its step, UTC seconds.
    pub t: i64,
    /// Its step (s).
    pub step: i64,
    /// Intensity, gCO2eq/kWh.
    pub gco2eq_per_kwh: f64,
    /// `lifecycle` or `direct`.
    pub kind: String,
    /// The service (`electricitymaps`, `entsoe`, `rte`).
    pub source: String,
    /// The service estimated it.
    pub estimated: bool,
}

/// The most points of a series read at once (ten years of hours).
pub const MAX_GRID_HOURS: usize = 87_660;

/// The most jobs a page holds.
pub const MAX_PAGE: usize = 1000;

/// A stored job: its internal id and its row, in [`Schema::names`] order.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredJob {
    /// Internal id: the order of first ingestion, the cursor of pages.
    pub id: i64,
    /// The row.
    pub values: Vec<Value>,
}

/// The sums of the jobs of one group in one bucket.
#[derive(Clone, Debug, PartialEq)]
pub struct BucketSum {
    /// The group's key (empty without grouping).
    pub key: String,
    /// The partition estimated on (None: jobs not estimated).
    pub partition: Option<String>,
    /// The bucket (node-hours and measured kWh summed).
    pub bucket: Option<impacts_accounting::summary::JobBucket>,
    /// Jobs.
    pub jobs: u64,
    /// Jobs with an estimate.
    pub estimated: u64,
    /// Core-hours.
    pub core_hours: f64,
    /// GPU-hours.
    pub gpu_hours: f64,
    /// Sums of the extensive outputs, in layout order.
    pub sums: Vec<f64>,
}

/// The sums of one (partition, account) for metrics.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricSum {
    /// Partition.
    pub partition: String,
    /// Account.
    pub account: String,
    /// Jobs.
    pub jobs: u64,
    /// Sums of the extensive outputs, in layout order.
    pub sums: Vec<f64>,
}

/// A store of jobs.
pub trait Store: Send + Sync {
    /// The columns of its rows.
    fn schema(&self) -> &Schema;
    /// Writes rows (in [`Schema::names`] order) in one transaction: all or none. A row whose key
    /// is stored replaces it.
    fn write(&self, rows: &[Vec<Value>]) -> Result<(), StoreError>;
    /// A page of jobs, newest first.
    fn jobs(&self, q: &JobQuery) -> Result<Vec<StoredJob>, StoreError>;
    /// A job by id (and cluster), the most recent submission when several; None when unknown or
    /// outside `scope`.
    fn job(
        &self,
        scope: &Scope,
        cluster: Option<&str>,
        job_id: &str,
    ) -> Result<Option<StoredJob>, StoreError>;
    /// Sums per group and bucket of the jobs in `scope` that pass `filter`.
    fn bucket_sums(
        &self,
        scope: &Scope,
        filter: &Filter,
        group_by: Option<GroupBy>,
    ) -> Result<Vec<BucketSum>, StoreError>;
    /// The sums of [`Store::bucket_sums`] read from the jobs themselves, never from the tables
    /// of sums kept beside them: slower, the reference those tables are checked against.
    fn bucket_sums_from_jobs(
        &self,
        scope: &Scope,
        filter: &Filter,
        group_by: Option<GroupBy>,
    ) -> Result<Vec<BucketSum>, StoreError>;
    /// Stores benchmark runs: a run already stored with the same identity is replaced when its
    /// JSON differs; the number of runs new or changed.
    fn write_bench_runs(&self, runs: &[BenchRun]) -> Result<u64, StoreError>;
    /// The benchmark runs stored, the latest first (by completion time, then as stored), at
    /// most `limit`.
    fn bench_runs(&self, limit: usize) -> Result<Vec<BenchRun>, StoreError>;
    /// Stores the points of a pulled series (a point of the same zone and instant is
    /// replaced); how many were written.
    fn write_grid_hours(&self, hours: &[GridHour]) -> Result<u64, StoreError>;
    /// The stored points of a zone from `from` (included) to `to` (excluded), in time order.
    fn grid_hours(&self, zone: &str, from: i64, to: i64) -> Result<Vec<GridHour>, StoreError>;
    /// Sums per (partition, account) of every job.
    fn metric_sums(&self) -> Result<Vec<MetricSum>, StoreError>;
    /// Jobs stored.
    fn count(&self) -> Result<u64, StoreError>;
    /// A value of the store's metadata.
    fn meta(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Sets a value of the store's metadata.
    fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError>;
    /// Where it is (a URL without credentials), for messages.
    fn describe(&self) -> String;
    /// Keeps a token's hash for a user and role; its number.
    fn add_token(
        &self,
        hash: &str,
        user: &str,
        role: &str,
        expires: Option<i64>,
        note: Option<&str>,
    ) -> Result<i64, StoreError>;
    /// The token of a hash, if it is known and has not expired at `now` (UTC seconds).
    fn token(&self, hash: &str, now: i64) -> Result<Option<token::Token>, StoreError>;
    /// Every token.
    fn tokens(&self) -> Result<Vec<token::Token>, StoreError>;
    /// Revokes a token by its number; false if there is none.
    fn revoke_token(&self, id: i64) -> Result<bool, StoreError>;
}

/// Records what produced the store's numbers (center, method, data bundle) on first use, and
/// refuses to mix: a store filled with another model's numbers is an error naming both.
pub fn bind(store: &dyn Store, facts: &[(&str, &str)]) -> Result<(), StoreError> {
    for (key, wanted) in facts {
        match store.meta(key)? {
            Some(stored) if stored != *wanted => {
                return Err(StoreError::Mismatch {
                    db: store.describe(),
                    key: key.to_string(),
                    stored,
                    wanted: wanted.to_string(),
                })
            }
            Some(_) => {}
            None => store.set_meta(key, wanted)?,
        }
    }
    Ok(())
}

/// Opens the store a URL names: `sqlite:PATH` (created if absent), a plain path, or
/// `postgres://user@host:port/database`.
pub fn open(url: &str, schema: Schema) -> Result<Box<dyn Store>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Box::new(PostgresStore::open(url, schema)?));
    }
    let path = url.strip_prefix("sqlite:").unwrap_or(url);
    let path = path.strip_prefix("//").unwrap_or(path);
    if path.is_empty() {
        return Err(InputError::invalid("db", url, "sqlite:PATH or postgres://…").into());
    }
    Ok(Box::new(SqliteStore::open(
        std::path::Path::new(path),
        schema,
    )?))
}

/// A series of the points a store keeps for a zone (in time order), as ingestion reads it
/// (`None` without points): the points of the service, kind and step of the latest one (a
/// zone pulled from another service before keeps only what the current one pulled), none
/// overlapping the one before it.
pub fn series_of_hours(hours: &[GridHour]) -> Option<impacts::impacts_grid::Series> {
    use impacts::impacts_grid::{Format, Kind, Series};
    let first = hours.last()?;
    let mut kept: Vec<&GridHour> = Vec::with_capacity(hours.len());
    for h in hours {
        let same = h.source == first.source && h.kind == first.kind && h.step == first.step;
        let after = kept.last().is_none_or(|k| h.t >= k.t + k.step);
        if same && after {
            kept.push(h);
        }
    }
    Some(Series {
        name: format!("the service's {} hours of {}", first.source, first.zone),
        format: Format::Plain,
        kind: match first.kind.as_str() {
            "direct" => Kind::Direct,
            "lifecycle" => Kind::LifeCycle,
            _ => Kind::Unstated,
        },
        column: format!("{} ({})", first.source, first.kind),
        zone: Some(first.zone.clone()),
        step_s: first.step,
        times: kept.iter().map(|h| h.t).collect(),
        values: kept.iter().map(|h| h.gco2eq_per_kwh).collect(),
        estimated_rows: kept.iter().filter(|h| h.estimated).count(),
        empty_rows: 0,
        notes: Vec::new(),
    })
}
