//! The store's logic in SQL, once for both databases: what a batch writes, what each query asks,
//! how rows become jobs and sums. A [`Backend`] (SQLite, PostgreSQL) only runs statements and
//! transactions; the few differences of dialect are in [`Dialect`].

use std::collections::HashMap;

use impacts_accounting::summary::{GridSums, GroupBy, JobBucket};

use crate::schema::{Migration, Schema};
use crate::sums::{self, SumsPlan};
use crate::token::Token;
use crate::{
    BenchRun, BucketSum, Filter, GridHour, JobOrder, JobQuery, MetricSum, Scope, Store, StoreError,
    StoredJob, Value, MAX_GRID_HOURS,
};

/// What differs between the databases' SQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The text of an instant (UTC seconds) as `%Y-%m-%d` or `%Y-%m`.
    fn date_text(self, expr: &str, day: bool) -> String {
        match (self, day) {
            (Dialect::Sqlite, true) => format!("strftime('%Y-%m-%d', {expr}, 'unixepoch')"),
            (Dialect::Sqlite, false) => format!("strftime('%Y-%m', {expr}, 'unixepoch')"),
            (Dialect::Postgres, true) => {
                format!("to_char(to_timestamp({expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')")
            }
            (Dialect::Postgres, false) => {
                format!("to_char(to_timestamp({expr}) AT TIME ZONE 'UTC', 'YYYY-MM')")
            }
        }
    }

    /// The names of a table's columns.
    fn columns_of(self, table: &str) -> String {
        match self {
            Dialect::Sqlite => format!("SELECT name FROM pragma_table_info('{table}')"),
            Dialect::Postgres => format!(
                "SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' AND table_schema = current_schema()"
            ),
        }
    }
}

/// A connection, in or out of a transaction. Statements take `?` placeholders.
pub(crate) trait Conn {
    /// The rows of a query.
    fn query(&mut self, sql: &str, params: &[&Value]) -> Result<Vec<Vec<Value>>, String>;
    /// Runs a statement; the rows it changed.
    fn execute(&mut self, sql: &str, params: &[&Value]) -> Result<u64, String>;
    /// Runs several statements without parameters.
    fn batch(&mut self, sql: &str) -> Result<(), String>;
    /// Inserts rows into `table`, their values in the order of `columns` (comma-separated), the
    /// fastest way the database has: one prepared statement per row on SQLite, `COPY` on
    /// PostgreSQL.
    fn insert(&mut self, table: &str, columns: &str, rows: &[&[Value]]) -> Result<(), String>;
}

/// `INSERT INTO table (columns) VALUES (?, …)`: one row.
pub(crate) fn insert_one(table: &str, columns: &str) -> String {
    let n = columns.split(',').count();
    format!(
        "INSERT INTO {table} ({columns}) VALUES ({})",
        vec!["?"; n].join(", ")
    )
}

/// A database: connections to read with, one writer at a time.
pub(crate) trait Backend: Send + Sync {
    fn dialect(&self) -> Dialect;
    /// Where it is (no credentials).
    fn describe(&self) -> String;
    /// Runs `f` on a connection that reads.
    fn read(&self, f: &mut dyn FnMut(&mut dyn Conn) -> Result<(), String>) -> Result<(), String>;
    /// Runs `f` in a transaction, the only writer while it runs; committed when `f` succeeds,
    /// rolled back otherwise.
    fn write(&self, f: &mut dyn FnMut(&mut dyn Conn) -> Result<(), String>) -> Result<(), String>;
}

/// The statements that write a batch: replace a job's values (`replaced`: the positions in a row
/// of the columns set, in the order of `update`), add to each table of sums (in the order of
/// [`SqlStore`]'s `sums`). (New jobs are inserted by [`Conn::insert`].)
struct Statements {
    update: String,
    replaced: Vec<usize>,
    sums: [String; 3],
}

/// A job's key: job id, cluster, submit time.
type Key<'r> = (&'r str, &'r str, i64);

/// The most benchmark runs one read gives.
pub const MAX_BENCH_RUNS: usize = 100_000;

/// Job ids looked up per statement.
const LOOKUP: usize = 500;

/// A store over a SQL database.
pub struct SqlStore {
    backend: Box<dyn Backend>,
    /// Position of the job id in a row (the cluster and submit time are the first two).
    job_id: usize,
    schema: Schema,
    statements: Statements,
    /// The tables of sums a batch adds to: per month and state, per month and user, per user.
    sums: [SumsPlan; 3],
    columns: String,
}

/// Applies the migrations the database lacks, each in its own write transaction.
pub(crate) fn migrate(backend: &dyn Backend, migrations: &[Migration]) -> Result<(), StoreError> {
    let db = backend.describe();
    let err = |e: String| StoreError::Database {
        db: db.clone(),
        message: format!("migrating: {e}"),
    };
    let known = migrations.last().map_or(0, |m| m.version);
    let mut too_new = None;
    backend
        .write(&mut |c| {
            c.batch("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)")
        })
        .map_err(err)?;
    for m in migrations {
        backend
            .write(&mut |c| {
                let rows = c.query(
                    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                    &[],
                )?;
                let current = rows
                    .first()
                    .and_then(|r| r.first())
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                if current > known {
                    too_new = Some(current);
                    return Ok(());
                }
                if current >= m.version {
                    return Ok(());
                }
                c.batch(m.sql)?;
                let now = Value::Integer(jiff::Timestamp::now().as_second());
                let (v, n) = (Value::Integer(m.version), Value::Text(m.name.into()));
                c.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    &[&v, &n, &now],
                )
                .map(|_| ())
            })
            .map_err(err)?;
        if let Some(found) = too_new {
            return Err(StoreError::TooNew { db, found, known });
        }
    }
    Ok(())
}

impl SqlStore {
    /// A store over a migrated database, once its jobs table is checked to have every column of
    /// `schema` (a criterion or phase added to the model without its migration fails here).
    pub(crate) fn new(backend: Box<dyn Backend>, schema: Schema) -> Result<SqlStore, StoreError> {
        let mut have = Vec::new();
        let sql = backend.dialect().columns_of("jobs");
        backend
            .read(&mut |c| {
                have = c.query(&sql, &[])?;
                Ok(())
            })
            .map_err(|e| StoreError::Database {
                db: backend.describe(),
                message: e,
            })?;
        let have: Vec<&str> = have.iter().filter_map(|r| r.first()?.as_str()).collect();
        if let Some(n) = schema.names().iter().find(|n| !have.contains(&n.as_str())) {
            return Err(StoreError::Database {
                db: backend.describe(),
                message: format!("the jobs table has no column {n}: a migration is missing"),
            });
        }
        let names = schema.names();
        let values: Vec<&String> = names
            .iter()
            .filter(|n| !matches!(n.as_str(), "cluster" | "job_id" | "submit_time"))
            .collect();
        let sets: Vec<String> = values.iter().map(|n| format!("{n} = ?")).collect();
        let sums = [sums::JOB_SUMS, sums::USER_SUMS, sums::USER_ALL_SUMS]
            .map(|t| SumsPlan::new(&schema, t));
        let statements = Statements {
            update: format!("UPDATE jobs SET {} WHERE id = ?", sets.join(", ")),
            replaced: values
                .iter()
                .map(|n| schema.position(n).unwrap_or(0))
                .collect(),
            sums: sums.each_ref().map(SumsPlan::upsert),
        };
        Ok(SqlStore {
            job_id: schema.position("job_id").unwrap_or(2),
            columns: names.join(", "),
            backend,
            schema,
            statements,
            sums,
        })
    }

    fn err(&self, message: String) -> StoreError {
        StoreError::Database {
            db: self.backend.describe(),
            message,
        }
    }

    /// The rows of a read query.
    fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, StoreError> {
        let refs: Vec<&Value> = params.iter().collect();
        let mut out = Vec::new();
        self.backend
            .read(&mut |c| {
                out = c.query(sql, &refs)?;
                Ok(())
            })
            .map_err(|e| self.err(e))?;
        Ok(out)
    }

    /// Runs one statement in its own write transaction; the rows changed.
    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let refs: Vec<&Value> = params.iter().collect();
        let mut n = 0;
        self.backend
            .write(&mut |c| {
                n = c.execute(sql, &refs)?;
                Ok(())
            })
            .map_err(|e| self.err(e))?;
        Ok(n)
    }

    /// A stored job from a row `id, columns…`.
    fn job_of(mut row: Vec<Value>) -> StoredJob {
        let id = row.first().and_then(Value::as_i64).unwrap_or(0);
        row.remove(0);
        StoredJob { id, values: row }
    }

    /// Writes rows in a transaction: a new job is inserted, a job whose values changed is
    /// replaced, a job stored with the same values is left alone (the same records ingested
    /// again write nothing); the sums per month take the differences. The stored jobs are looked
    /// up for the whole batch at once, and new jobs inserted several per statement where the
    /// database gains from it (a round trip per statement on PostgreSQL).
    fn write_in(&self, c: &mut dyn Conn, rows: &[Vec<Value>]) -> Result<(), String> {
        let st = &self.statements;
        let state = self.schema.position("state").unwrap_or(0);
        let stored = self.stored(c, rows)?;
        let current: HashMap<Key<'_>, usize> = stored
            .iter()
            .enumerate()
            .map(|(i, job)| (self.key(&job.values), i))
            .collect();
        // The row of the batch that replaced a stored job, by its place in `stored`.
        let mut replaced: HashMap<usize, usize> = HashMap::new();
        let mut inserts: Vec<usize> = Vec::new();
        let mut pending: HashMap<Key<'_>, usize> = HashMap::new();
        let mut deltas: [sums::Delta; 3] = Default::default();
        let mut add = |row: &[Value], sign: f64| {
            for (plan, delta) in self.sums.iter().zip(&mut deltas) {
                plan.add(delta, row, sign);
            }
        };
        for (i, row) in rows.iter().enumerate() {
            let key = self.key(row);
            let at = current.get(&key).copied();
            let old: Option<&[Value]> = match (at, pending.get(&key)) {
                (_, Some(&j)) => Some(&rows[inserts[j]]),
                (Some(k), None) => Some(match replaced.get(&k) {
                    Some(&r) => &rows[r],
                    None => &stored[k].values,
                }),
                (None, None) => None,
            };
            match old {
                None => {
                    pending.insert(key, inserts.len());
                    inserts.push(i);
                    add(row, 1.0);
                }
                Some(old) if same_row(old, row) => {}
                // A job that has ended is not replaced by an earlier view of it (an old extract
                // ingested again shows it running).
                Some(old) if !active(&old[state]) && active(&row[state]) => {}
                Some(old) => {
                    add(old, -1.0);
                    add(row, 1.0);
                    if let Some(&j) = pending.get(&key) {
                        // Twice in the batch: the later record is the one inserted.
                        inserts[j] = i;
                    } else if let Some(k) = at {
                        let id = Value::Integer(stored[k].id);
                        let params: Vec<&Value> =
                            st.replaced.iter().map(|&k| &row[k]).chain([&id]).collect();
                        c.execute(&st.update, &params)?;
                        replaced.insert(k, i);
                    }
                }
            }
        }
        let new: Vec<&[Value]> = inserts.iter().map(|&i| rows[i].as_slice()).collect();
        c.insert("jobs", &self.columns, &new)?;
        for (delta, upsert) in deltas.iter().zip(&st.sums) {
            for params in delta.params() {
                let refs: Vec<&Value> = params.iter().collect();
                c.execute(upsert, &refs)?;
            }
        }
        Ok(())
    }

    /// The key of a row: job id, cluster, submit time.
    fn key<'r>(&self, row: &'r [Value]) -> Key<'r> {
        let text = |i: usize| row[i].as_str().unwrap_or("");
        (text(self.job_id), text(0), row[1].as_i64().unwrap_or(-1))
    }

    /// The stored jobs that the rows' keys name, looked up by job id, a few hundred at a time.
    fn stored(&self, c: &mut dyn Conn, rows: &[Vec<Value>]) -> Result<Vec<StoredJob>, String> {
        let mut ids: Vec<&Value> = rows.iter().map(|r| &r[self.job_id]).collect();
        ids.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        ids.dedup();
        let mut found = Vec::new();
        for chunk in ids.chunks(LOOKUP) {
            let sql = format!(
                "SELECT id, {} FROM jobs WHERE job_id IN ({})",
                self.columns,
                vec!["?"; chunk.len()].join(", ")
            );
            found.extend(c.query(&sql, chunk)?.into_iter().map(SqlStore::job_of));
        }
        Ok(found)
    }

    /// `SUM(column)` of each extensive output, in layout order.
    fn extensive_sums(&self) -> String {
        let names = self.schema.names();
        let sums: Vec<String> = self
            .schema
            .extensive()
            .iter()
            .map(|&i| format!("SUM({})", names[i]))
            .collect();
        sums.join(", ")
    }

    /// The query of sums per group and bucket, from the table of sums `route` names.
    fn bucket_sums_sql(
        &self,
        scope: &Scope,
        f: &Filter,
        g: Option<GroupBy>,
        route: Route,
    ) -> (String, Where) {
        let d = self.backend.dialect();
        let mut w = Where::default();
        w.scope(scope);
        let ext = self.extensive_sums();
        let table = match route {
            Route::Sums(table) => table,
            Route::Jobs => {
                w.filter(f, JOB_DATE);
                let sql = format!(
                    "SELECT {} AS k, partition, node_group, measured, \
                     CASE WHEN per_load = 1 THEN bucket_cpu_load END, \
                     CASE WHEN per_load = 1 THEN bucket_gpu_load END, \
                     COUNT(*), COUNT(node_hours), SUM(node_hours), SUM(measured_kwh), SUM(core_hours), \
                     SUM(gpu_hours), SUM(cpu_load_hours), SUM(gpu_load_hours), {ext}, {GRID_SUMS} \
                     FROM jobs{} GROUP BY 1, 2, 3, 4, 5, 6",
                    group_expr(d, g, JOB_DATE),
                    w.sql()
                );
                return (sql, w);
            }
        };
        w.filter(f, "month");
        if f.from.is_some() || f.to.is_some() {
            // Jobs without a date (month -1) are outside any period, as in the jobs' path.
            w.clauses.push("month >= 0".into());
        }
        let sql = format!(
            "SELECT {} AS k, NULLIF(partition, ''), NULLIF(node_group, -1), NULLIF(measured, -1), \
             NULLIF(bucket_cpu_load, -1), NULLIF(bucket_gpu_load, -1), CAST(SUM(jobs) AS BIGINT), \
             CAST(SUM(estimated) AS BIGINT), SUM(node_hours), SUM(measured_kwh), SUM(core_hours), \
             SUM(gpu_hours), SUM(cpu_load_hours), SUM(gpu_load_hours), {ext}, {GRID_SUMS} \
             FROM {table}{} GROUP BY 1, 2, 3, 4, 5, 6 HAVING SUM(jobs) > 0",
            group_expr(d, g, "month"),
            w.sql()
        );
        (sql, w)
    }

    /// Sums per group and bucket read along `route`.
    fn bucket_sums_on(
        &self,
        scope: &Scope,
        filter: &Filter,
        group_by: Option<GroupBy>,
        route: Route,
    ) -> Result<Vec<BucketSum>, StoreError> {
        let n = self.schema.extensive().len();
        let (sql, w) = self.bucket_sums_sql(scope, filter, group_by, route);
        let rows = self.rows(&sql, &w.params)?;
        Ok(rows.iter().map(|r| bucket_sum(r, n)).collect())
    }
}

/// Two rows are the same job's same values (numbers compared as numbers: a database may give
/// back an integer where a whole real was written).
fn same_row(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Value::Real(_) | Value::Integer(_), Value::Real(_) | Value::Integer(_)) => {
                x.as_f64() == y.as_f64()
            }
            _ => x == y,
        })
}

/// True for the state of a job that may still change: running, pending, suspended, requeued,
/// resizing, or unknown.
fn active(state: &Value) -> bool {
    matches!(
        state.as_str().unwrap_or(""),
        "RUNNING" | "PENDING" | "SUSPENDED" | "REQUEUED" | "RESIZING" | "UNKNOWN" | ""
    )
}

/// The sums of what grid series covered, after the extensive sums of a row of sums.
const GRID_SUMS: &str = "SUM(grid_node_hours), SUM(grid_cpu_load_hours), \
    SUM(grid_gpu_load_hours), SUM(grid_measured_kwh), SUM(grid_weighted_node_hours), \
    SUM(grid_weighted_cpu_load_hours), SUM(grid_weighted_gpu_load_hours), \
    SUM(grid_weighted_measured_kwh)";

/// A row of sums: the group's key, the partition, the bucket, counts, usage, extensive sums,
/// what grid series covered.
fn bucket_sum(r: &[Value], n: usize) -> BucketSum {
    let real = |i: usize| r.get(i).and_then(Value::as_f64).unwrap_or(0.0);
    let int = |i: usize| r.get(i).and_then(Value::as_i64);
    let text = |i: usize| r.get(i).and_then(Value::as_str).map(str::to_string);
    let bucket = int(3).map(|m| JobBucket {
        node_group: int(2).map(|g| g as u32),
        measured: m != 0,
        per_load: int(4).is_some(),
        cpu_load: int(4).unwrap_or(0) as u16,
        gpu_load: int(5).unwrap_or(0) as u16,
        node_hours: real(8),
        measured_kwh: real(9),
        cpu_load_hours: real(12),
        gpu_load_hours: real(13),
        grid: GridSums {
            covered: std::array::from_fn(|k| real(14 + n + k)),
            weighted: std::array::from_fn(|k| real(18 + n + k)),
        },
    });
    BucketSum {
        key: text(0).unwrap_or_default(),
        partition: text(1),
        bucket,
        jobs: int(6).unwrap_or(0) as u64,
        estimated: int(7).unwrap_or(0) as u64,
        core_hours: real(10),
        gpu_hours: real(11),
        sums: (0..n).map(|i| real(14 + i)).collect(),
    }
}

fn token_of(r: &[Value]) -> Token {
    let text = |i: usize| r.get(i).and_then(Value::as_str).unwrap_or("").to_string();
    Token {
        id: r.first().and_then(Value::as_i64).unwrap_or(0),
        user: text(1),
        role: text(2),
        created: r.get(3).and_then(Value::as_i64).unwrap_or(0),
        expires: r.get(4).and_then(Value::as_i64),
        note: r.get(5).and_then(Value::as_str).map(str::to_string),
    }
}

/// A WHERE clause and its parameters.
#[derive(Default)]
struct Where {
    clauses: Vec<String>,
    params: Vec<Value>,
}

impl Where {
    fn push(&mut self, clause: &str, v: Value) {
        self.clauses.push(clause.to_string());
        self.params.push(v);
    }

    fn scope(&mut self, scope: &Scope) {
        if let Scope::Own { user, accounts } = scope {
            let mut c = String::from("(user_name = ?");
            self.params.push(Value::Text(user.clone()));
            for a in accounts {
                c.push_str(" OR account = ?");
                self.params.push(Value::Text(a.clone()));
            }
            c.push(')');
            self.clauses.push(c);
        }
    }

    /// The filters; `date` is the SQL of a job's date (its start, else its end).
    fn filter(&mut self, f: &Filter, date: &str) {
        let text = |s: &String| Value::Text(s.clone());
        if let Some(u) = &f.user {
            self.push("user_name = ?", text(u));
        }
        if let Some(a) = &f.account {
            self.push("account = ?", text(a));
        }
        if let Some(p) = &f.partition {
            self.push("partition = ?", text(p));
        }
        if let Some(s) = &f.state {
            self.push("state = ?", text(s));
        }
        if let Some(t) = f.from {
            self.push(&format!("{date} >= ?"), Value::Integer(t));
        }
        if let Some(t) = f.to {
            self.push(&format!("{date} < ?"), Value::Integer(t));
        }
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// The SQL of a job's date in the jobs table: its start, else its end (UTC seconds).
const JOB_DATE: &str = "COALESCE(start_time, end_time)";

/// The SQL of a group's key; `date` is the SQL of the date (NULL or -1 when there is none).
fn group_expr(d: Dialect, g: Option<GroupBy>, date: &str) -> String {
    let text = |c: &str| format!("COALESCE(NULLIF({c}, ''), '(none)')");
    let when = |day: bool| {
        format!(
            "CASE WHEN {date} IS NULL OR {date} < 0 THEN '(no date)' ELSE {} END",
            d.date_text(date, day)
        )
    };
    match g {
        None => "''".into(),
        Some(GroupBy::User) => text("user_name"),
        Some(GroupBy::Account) => text("account"),
        Some(GroupBy::Partition) => text("partition"),
        Some(GroupBy::State) => text("state"),
        Some(GroupBy::Day) => when(true),
        Some(GroupBy::Month) => when(false),
    }
}

/// Where a summary's sums are read: a table of sums (migrations 2, 4 and 5) that answers it
/// exactly, else the jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    Sums(&'static str),
    Jobs,
}

impl Route {
    /// The smallest table of sums that answers a query: bounds (if any) on the first of a month at
    /// midnight UTC and no group by day; then, for every job in scope (an administrator), with no
    /// filter on the user and no group by user, `job_sums_state` (no month) when there is no
    /// period and no group by month, `job_sums_month` (no state) when there is no filter or group
    /// by state, `job_sums`; else, with no filter or group by state, `job_sums_user_all` (no
    /// month) when there is no period and no group by month, `job_sums_user`; else the jobs. A
    /// user, account or text filter that is empty reads the jobs: the tables of sums keep an
    /// absent text as '', the jobs as NULL.
    fn of(scope: &Scope, f: &Filter, group_by: Option<GroupBy>) -> Route {
        let by_months = [f.from, f.to]
            .iter()
            .all(|t| t.is_none_or(|t| crate::sums::month_start(t) == t));
        let mut texts = [&f.user, &f.account, &f.partition, &f.state]
            .into_iter()
            .flatten();
        if !by_months || group_by == Some(GroupBy::Day) || texts.any(String::is_empty) {
            return Route::Jobs;
        }
        let month = f.from.is_some() || f.to.is_some() || group_by == Some(GroupBy::Month);
        let state = f.state.is_some() || group_by == Some(GroupBy::State);
        let by_user = f.user.is_some() || group_by == Some(GroupBy::User);
        match scope {
            Scope::All if !by_user => Route::Sums(match (month, state) {
                (false, _) => "job_sums_state",
                (true, false) => "job_sums_month",
                (true, true) => "job_sums",
            }),
            Scope::Own { user, accounts }
                if user.is_empty() || accounts.iter().any(String::is_empty) =>
            {
                Route::Jobs
            }
            _ if !state && !month => Route::Sums("job_sums_user_all"),
            _ if !state => Route::Sums("job_sums_user"),
            _ => Route::Jobs,
        }
    }
}

impl Store for SqlStore {
    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn write(&self, rows: &[Vec<Value>]) -> Result<(), StoreError> {
        self.backend
            .write(&mut |c| self.write_in(c, rows))
            .map_err(|e| self.err(e))
    }

    fn jobs(&self, q: &JobQuery) -> Result<Vec<StoredJob>, StoreError> {
        let mut w = Where::default();
        w.scope(&q.scope);
        w.filter(&q.filter, JOB_DATE);
        if let Some(c) = q.cursor {
            w.push("id < ?", Value::Integer(c));
        }
        let order = match q.order {
            JobOrder::Newest => "id DESC",
            JobOrder::Largest => {
                w.clauses.push("gwp IS NOT NULL".into());
                let few =
                    q.scope != Scope::All || q.filter.user.is_some() || q.filter.account.is_some();
                // A user's or an account's jobs are found by their index and sorted (`gwp + 0`
                // keeps the planner off the index on gwp, which would scan every job to find
                // theirs); every job's largest are read from the index on gwp (migration 5).
                if few {
                    "gwp + 0 DESC, id DESC"
                } else {
                    "gwp DESC, id DESC"
                }
            }
        };
        let sql = format!(
            "SELECT id, {} FROM jobs{} ORDER BY {order} LIMIT {}",
            self.columns,
            w.sql(),
            q.limit.min(crate::MAX_PAGE)
        );
        let rows = self.rows(&sql, &w.params)?;
        Ok(rows.into_iter().map(SqlStore::job_of).collect())
    }

    fn job(
        &self,
        scope: &Scope,
        cluster: Option<&str>,
        job_id: &str,
    ) -> Result<Option<StoredJob>, StoreError> {
        let mut w = Where::default();
        w.push("job_id = ?", Value::Text(job_id.to_string()));
        if let Some(c) = cluster {
            w.push("cluster = ?", Value::Text(c.to_string()));
        }
        w.scope(scope);
        let sql = format!(
            "SELECT id, {} FROM jobs{} ORDER BY submit_time DESC, id DESC LIMIT 1",
            self.columns,
            w.sql()
        );
        let rows = self.rows(&sql, &w.params)?;
        Ok(rows.into_iter().next().map(SqlStore::job_of))
    }

    fn bucket_sums(
        &self,
        scope: &Scope,
        filter: &Filter,
        group_by: Option<GroupBy>,
    ) -> Result<Vec<BucketSum>, StoreError> {
        let route = Route::of(scope, filter, group_by);
        self.bucket_sums_on(scope, filter, group_by, route)
    }

    fn bucket_sums_from_jobs(
        &self,
        scope: &Scope,
        filter: &Filter,
        group_by: Option<GroupBy>,
    ) -> Result<Vec<BucketSum>, StoreError> {
        self.bucket_sums_on(scope, filter, group_by, Route::Jobs)
    }

    fn write_bench_runs(&self, runs: &[BenchRun]) -> Result<u64, StoreError> {
        let sql =
            "INSERT INTO bench_runs (system, partition, environ, display_name, jobid, time, run) \
                   VALUES (?, ?, ?, ?, ?, ?, ?) \
                   ON CONFLICT (system, partition, environ, display_name, jobid, time) \
                   DO UPDATE SET run = excluded.run WHERE bench_runs.run <> excluded.run";
        let mut changed = 0;
        self.backend
            .write(&mut |c| {
                changed = 0;
                for r in runs {
                    let params = [
                        Value::Text(r.system.clone()),
                        Value::Text(r.partition.clone()),
                        Value::Text(r.environ.clone()),
                        Value::Text(r.display_name.clone()),
                        Value::Text(r.jobid.clone().unwrap_or_default()),
                        Value::Integer(r.time.unwrap_or(-1)),
                        Value::Text(r.json.clone()),
                    ];
                    let refs: Vec<&Value> = params.iter().collect();
                    changed += c.execute(sql, &refs)?;
                }
                Ok(())
            })
            .map_err(|e| self.err(e))?;
        Ok(changed)
    }

    fn bench_runs(&self, limit: usize) -> Result<Vec<BenchRun>, StoreError> {
        let sql = format!(
            "SELECT system, partition, environ, display_name, jobid, time, run FROM bench_runs \
             ORDER BY time DESC, id DESC LIMIT {}",
            limit.min(MAX_BENCH_RUNS)
        );
        let rows = self.rows(&sql, &[])?;
        let text =
            |r: &[Value], i: usize| r.get(i).and_then(Value::as_str).unwrap_or("").to_string();
        Ok(rows
            .iter()
            .map(|r| BenchRun {
                system: text(r, 0),
                partition: text(r, 1),
                environ: text(r, 2),
                display_name: text(r, 3),
                jobid: Some(text(r, 4)).filter(|j| !j.is_empty()),
                time: r.get(5).and_then(Value::as_i64).filter(|t| *t >= 0),
                json: text(r, 6),
            })
            .collect())
    }

    fn write_grid_hours(&self, hours: &[GridHour]) -> Result<u64, StoreError> {
        let sql = "INSERT INTO grid_hours (zone, t, step, gco2eq_per_kwh, kind, source, estimated, stored_at) \
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
                   ON CONFLICT (zone, t) DO UPDATE SET step = excluded.step, \
                   gco2eq_per_kwh = excluded.gco2eq_per_kwh, kind = excluded.kind, \
                   source = excluded.source, estimated = excluded.estimated, \
                   stored_at = excluded.stored_at";
        let now = jiff::Timestamp::now().as_second();
        let mut written = 0;
        self.backend
            .write(&mut |c| {
                written = 0;
                for h in hours {
                    let params = [
                        Value::Text(h.zone.clone()),
                        Value::Integer(h.t),
                        Value::Integer(h.step),
                        Value::Real(h.gco2eq_per_kwh),
                        Value::Text(h.kind.clone()),
                        Value::Text(h.source.clone()),
                        Value::Integer(h.estimated.into()),
                        Value::Integer(now),
                    ];
                    let refs: Vec<&Value> = params.iter().collect();
                    written += c.execute(sql, &refs)?;
                }
                Ok(())
            })
            .map_err(|e| self.err(e))?;
        Ok(written)
    }

    fn grid_hours(&self, zone: &str, from: i64, to: i64) -> Result<Vec<GridHour>, StoreError> {
        let sql = format!(
            "SELECT zone, t, step, gco2eq_per_kwh, kind, source, estimated FROM grid_hours \
             WHERE zone = ? AND t >= ? AND t < ? ORDER BY t DESC LIMIT {MAX_GRID_HOURS}"
        );
        let params = [
            Value::Text(zone.to_string()),
            Value::Integer(from),
            Value::Integer(to),
        ];
        let rows = self.rows(&sql, &params)?;
        let text =
            |r: &[Value], i: usize| r.get(i).and_then(Value::as_str).unwrap_or("").to_string();
        // The latest when there are more than the limit, given in time order.
        Ok(rows
            .iter()
            .rev()
            .map(|r| GridHour {
                zone: text(r, 0),
                t: r.get(1).and_then(Value::as_i64).unwrap_or(0),
                step: r.get(2).and_then(Value::as_i64).unwrap_or(3600),
                gco2eq_per_kwh: r.get(3).and_then(Value::as_f64).unwrap_or(0.0),
                kind: text(r, 4),
                source: text(r, 5),
                estimated: r.get(6).and_then(Value::as_i64) == Some(1),
            })
            .collect())
    }

    fn metric_sums(&self) -> Result<Vec<MetricSum>, StoreError> {
        let sql = format!(
            "SELECT partition, account, CAST(SUM(jobs) AS BIGINT), {} FROM job_sums_state GROUP BY 1, 2 HAVING SUM(jobs) > 0 ORDER BY 1, 2",
            self.extensive_sums()
        );
        let n = self.schema.extensive().len();
        let rows = self.rows(&sql, &[])?;
        Ok(rows
            .iter()
            .map(|r| MetricSum {
                partition: r[0].as_str().unwrap_or("").to_string(),
                account: r[1].as_str().unwrap_or("").to_string(),
                jobs: r[2].as_i64().unwrap_or(0) as u64,
                sums: (0..n)
                    .map(|i| r.get(3 + i).and_then(Value::as_f64).unwrap_or(0.0))
                    .collect(),
            })
            .collect())
    }

    fn count(&self) -> Result<u64, StoreError> {
        let rows = self.rows("SELECT COUNT(*) FROM jobs", &[])?;
        Ok(rows
            .first()
            .and_then(|r| r.first())
            .and_then(Value::as_i64)
            .unwrap_or(0) as u64)
    }

    fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let rows = self.rows(
            "SELECT value FROM meta WHERE key = ?",
            &[Value::Text(key.into())],
        )?;
        Ok(rows
            .first()
            .and_then(|r| r.first())
            .and_then(Value::as_str)
            .map(str::to_string))
    }

    fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[Value::Text(key.into()), Value::Text(value.into())],
        )
        .map(|_| ())
    }

    fn describe(&self) -> String {
        self.backend.describe()
    }

    fn add_token(
        &self,
        hash: &str,
        user: &str,
        role: &str,
        expires: Option<i64>,
        note: Option<&str>,
    ) -> Result<i64, StoreError> {
        let params = [
            Value::Text(hash.into()),
            Value::Text(user.into()),
            Value::Text(role.into()),
            Value::Integer(jiff::Timestamp::now().as_second()),
            expires.map_or(Value::Null, Value::Integer),
            note.map_or(Value::Null, |n| Value::Text(n.into())),
        ];
        let refs: Vec<&Value> = params.iter().collect();
        let mut id = 0;
        self.backend
            .write(&mut |c| {
                let rows = c.query(
                    "INSERT INTO tokens (hash, user_name, role, created, expires, note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    &refs,
                )?;
                id = rows
                    .first()
                    .and_then(|r| r.first())
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                Ok(())
            })
            .map_err(|e| self.err(e))?;
        Ok(id)
    }

    fn token(&self, hash: &str, now: i64) -> Result<Option<Token>, StoreError> {
        let rows = self.rows(
            "SELECT id, user_name, role, created, expires, note FROM tokens \
             WHERE hash = ? AND (expires IS NULL OR expires > ?)",
            &[Value::Text(hash.into()), Value::Integer(now)],
        )?;
        Ok(rows.first().map(|r| token_of(r)))
    }

    fn tokens(&self) -> Result<Vec<Token>, StoreError> {
        let rows = self.rows(
            "SELECT id, user_name, role, created, expires, note FROM tokens ORDER BY id",
            &[],
        )?;
        Ok(rows.iter().map(|r| token_of(r)).collect())
    }

    fn revoke_token(&self, id: i64) -> Result<bool, StoreError> {
        self.execute("DELETE FROM tokens WHERE id = ?", &[Value::Integer(id)])
            .map(|n| n > 0)
    }
}
