//! The columns of the jobs table, and the migrations that create them.

use std::collections::HashMap;

use impacts_accounting::sink::JobColumns;
use impacts_table::Kind;

/// A numbered migration: applied once, in order, recorded in `schema_migrations`.
pub(crate) struct Migration {
    pub(crate) version: i64,
    pub(crate) name: &'static str,
    pub(crate) sql: &'static str,
}

/// The migrations of the SQLite store.
pub(crate) const SQLITE_MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "jobs",
        sql: include_str!("../migrations/sqlite/0001_jobs.sql"),
    },
    Migration {
        version: 2,
        name: "job_sums",
        sql: include_str!("../migrations/sqlite/0002_job_sums.sql"),
    },
    Migration {
        version: 3,
        name: "tokens",
        sql: include_str!("../migrations/sqlite/0003_tokens.sql"),
    },
    Migration {
        version: 4,
        name: "job_sums_rollups",
        sql: include_str!("../migrations/sqlite/0004_job_sums_rollups.sql"),
    },
    Migration {
        version: 5,
        name: "job_sums_user",
        sql: include_str!("../migrations/sqlite/0005_job_sums_user.sql"),
    },
    Migration {
        version: 6,
        name: "bench_runs",
        sql: include_str!("../migrations/sqlite/0006_bench_runs.sql"),
    },
    Migration {
        version: 7,
        name: "water",
        sql: include_str!("../migrations/sqlite/0007_water.sql"),
    },
    Migration {
        version: 8,
        name: "grid",
        sql: include_str!("../migrations/sqlite/0008_grid.sql"),
    },
    Migration {
        version: 9,
        name: "grid_hours",
        sql: include_str!("../migrations/sqlite/0009_grid_hours.sql"),
    },
];

/// The migrations of the PostgreSQL store (the same tables, PostgreSQL's types and triggers).
pub(crate) const POSTGRES_MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "jobs",
        sql: include_str!("../migrations/postgres/0001_jobs.sql"),
    },
    Migration {
        version: 2,
        name: "job_sums",
        sql: include_str!("../migrations/postgres/0002_job_sums.sql"),
    },
    Migration {
        version: 3,
        name: "tokens",
        sql: include_str!("../migrations/postgres/0003_tokens.sql"),
    },
    Migration {
        version: 4,
        name: "job_sums_rollups",
        sql: include_str!("../migrations/postgres/0004_job_sums_rollups.sql"),
    },
    Migration {
        version: 5,
        name: "job_sums_user",
        sql: include_str!("../migrations/postgres/0005_job_sums_user.sql"),
    },
    Migration {
        version: 6,
        name: "bench_runs",
        sql: include_str!("../migrations/postgres/0006_bench_runs.sql"),
    },
    Migration {
        version: 7,
        name: "water",
        sql: include_str!("../migrations/postgres/0007_water.sql"),
    },
    Migration {
        version: 8,
        name: "grid",
        sql: include_str!("../migrations/postgres/0008_grid.sql"),
    },
    Migration {
        version: 9,
        name: "grid_hours",
        sql: include_str!("../migrations/postgres/0009_grid_hours.sql"),
    },
];

/// The columns that key a job, before its per-job columns.
pub(crate) const KEY: [&str; 2] = ["cluster", "submit_time"];

/// The usage sums among [`BUCKET`]'s columns (what `job_sums` adds up besides the outputs).
pub(crate) const USAGE: &[&str] = BUCKET.split_at(5).1;

/// The bucket's columns and the usage sums, after the per-job columns.
pub(crate) const BUCKET: [&str; 19] = [
    "node_group",
    "measured",
    "bucket_cpu_load",
    "bucket_gpu_load",
    "per_load",
    "node_hours",
    "cpu_load_hours",
    "gpu_load_hours",
    "measured_kwh",
    "core_hours",
    "gpu_hours",
    // What a grid series covered of the four sums above (migration 8), and that × the mean
    // intensity over it (impacts_accounting::summary::GridSums).
    "grid_node_hours",
    "grid_cpu_load_hours",
    "grid_gpu_load_hours",
    "grid_measured_kwh",
    "grid_weighted_node_hours",
    "grid_weighted_cpu_load_hours",
    "grid_weighted_gpu_load_hours",
    "grid_weighted_measured_kwh",
];

/// The SQL name of a per-job column (`user`, `start` and `end` are keywords).
pub fn sql_name(column: &str) -> &str {
    match column {
        "user" => "user_name",
        "start" => "start_time",
        "end" => "end_time",
        c => c,
    }
}

/// The columns of the jobs table, in the order of a stored row: the key, the per-job columns of
/// `impacts accounting --jobs`, the bucket.
#[derive(Clone, Debug)]
pub struct Schema {
    pub(crate) job: JobColumns,
    pub(crate) criteria: Vec<(String, String)>,
    names: Vec<String>,
    kinds: Vec<Option<Kind>>,
    index: HashMap<String, usize>,
    extensive: Vec<usize>,
}

impl Schema {
    /// The schema of the per-job columns of an engine's job model (its bundle's criteria): the
    /// same as [`impacts_accounting::accountant::Accountant::columns`] gives.
    pub fn of_engine(engine: &impacts::Engine) -> Schema {
        let criteria = engine.bundle().criteria.key_units();
        let names: Vec<String> = criteria.iter().map(|c| c.0.clone()).collect();
        let layout = impacts::impacts_model::job::job_layout(criteria.len());
        Schema::new(JobColumns::new(&layout, &names), criteria)
    }

    /// The schema of the per-job columns `job`, for criteria (key, unit) in layout order.
    pub fn new(job: JobColumns, criteria: Vec<(String, String)>) -> Schema {
        let mut names: Vec<String> = KEY.iter().map(|s| s.to_string()).collect();
        let mut kinds: Vec<Option<Kind>> = vec![Some(Kind::Text), Some(Kind::Timestamp)];
        for c in job.columns() {
            names.push(sql_name(&c.name).to_string());
            kinds.push(Some(c.kind));
        }
        names.extend(BUCKET.iter().map(|s| s.to_string()));
        kinds.extend(BUCKET.iter().map(|_| None));
        let index: HashMap<String, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i))
            .collect();
        let extensive = job
            .extensive_names()
            .iter()
            .map(|n| index[n.as_str()])
            .collect();
        Schema {
            job,
            criteria,
            names,
            kinds,
            index,
            extensive,
        }
    }

    /// The SQL names of a row's columns, in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Position of a column (by SQL name) in a row.
    pub fn position(&self, sql_name: &str) -> Option<usize> {
        self.index.get(sql_name).copied()
    }

    /// The kind of a per-job column (None for the bucket's).
    pub(crate) fn kind(&self, i: usize) -> Option<Kind> {
        self.kinds.get(i).copied().flatten()
    }

    /// Positions in a row of the extensive outputs, in layout order (the order of
    /// [`impacts_accounting::summary::Acc`]'s sums).
    pub fn extensive(&self) -> &[usize] {
        &self.extensive
    }

    /// The per-job columns.
    pub fn job_columns(&self) -> &JobColumns {
        &self.job
    }

    /// The criteria (key, unit), in layout order.
    pub fn criteria(&self) -> &[(String, String)] {
        &self.criteria
    }
}
