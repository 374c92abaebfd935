//! The embedded store: one SQLite file in WAL mode, one writer, a pool of readers.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use impacts_accounting::summary::{GroupBy, JobBucket};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params_from_iter, Connection, OpenFlags, ToSql, TransactionBehavior};

use crate::schema::{Migration, Schema, SQLITE_MIGRATIONS};
use crate::sums::{self, SumsPlan};
use crate::token::Token;
use crate::{BucketSum, Filter, JobQuery, MetricSum, Scope, Store, StoreError, StoredJob, Value};

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(x) => ValueRef::Real(*x),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

fn value_of(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(x) => Value::Real(x),
        ValueRef::Text(t) | ValueRef::Blob(t) => Value::Text(String::from_utf8_lossy(t).into()),
    }
}

/// The statements that write a batch: find a job by its key, insert it, or replace its values
/// (`replaced`: the positions in a row of the columns set, in the order of `update`).
struct Statements {
    find: String,
    insert: String,
    update: String,
    replaced: Vec<usize>,
}

/// Readers kept open between queries.
const READERS: usize = 8;

/// A SQLite store.
pub struct SqliteStore {
    path: PathBuf,
    schema: Schema,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    statements: Statements,
    sums: SumsPlan,
    columns: String,
}

impl SqliteStore {
    /// Opens (creating it if absent) the store at `path`, applies its migrations, and checks
    /// that its table has the columns of `schema`.
    pub fn open(path: &Path, schema: Schema) -> Result<SqliteStore, StoreError> {
        let db = format!("sqlite:{}", path.display());
        let err = |e: rusqlite::Error| StoreError::Database {
            db: db.clone(),
            message: e.to_string(),
        };
        let mut conn = Connection::open(path).map_err(err)?;
        conn.execute_batch(
            "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;",
        )
        .map_err(err)?;
        migrate(&mut conn, SQLITE_MIGRATIONS, &db)?;
        check_columns(&conn, &schema, &db)?;
        let names = schema.names();
        let placeholders = vec!["?"; names.len()].join(", ");
        let values: Vec<&String> = names
            .iter()
            .filter(|n| !matches!(n.as_str(), "cluster" | "job_id" | "submit_time"))
            .collect();
        let sets: Vec<String> = values.iter().map(|n| format!("{n} = ?")).collect();
        let statements = Statements {
            find: format!(
                "SELECT id, {} FROM jobs WHERE job_id = ? AND cluster = ? AND submit_time = ?",
                names.join(", ")
            ),
            insert: format!(
                "INSERT INTO jobs ({}) VALUES ({placeholders})",
                names.join(", ")
            ),
            update: format!("UPDATE jobs SET {} WHERE id = ?", sets.join(", ")),
            replaced: values
                .iter()
                .map(|n| schema.position(n).unwrap_or(0))
                .collect(),
        };
        let sums = SumsPlan::new(&schema);
        Ok(SqliteStore {
            sums,
            path: path.to_path_buf(),
            columns: names.join(", "),
            schema,
            writer: Mutex::new(conn),
            readers: Mutex::new(Vec::new()),
            statements,
        })
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        StoreError::Database {
            db: self.describe(),
            message: e.to_string(),
        }
    }

    /// Runs `f` on a reader connection (opened if none is free), then returns it to the pool.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        let conn = match lock(&self.readers).pop() {
            Some(c) => c,
            None => {
                let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let c = Connection::open_with_flags(&self.path, flags).map_err(|e| self.err(e))?;
                c.busy_timeout(std::time::Duration::from_secs(10))
                    .map_err(|e| self.err(e))?;
                c
            }
        };
        let r = f(&conn).map_err(|e| self.err(e));
        let mut pool = lock(&self.readers);
        if pool.len() < READERS {
            pool.push(conn);
        }
        r
    }

    /// Writes rows in a transaction: a new job is inserted, a job whose values changed is
    /// replaced, a job stored with the same values is left alone (the same records ingested
    /// again write nothing); the sums per month take the differences.
    fn write_in(&self, tx: &Connection, rows: &[Vec<Value>]) -> rusqlite::Result<()> {
        let st = &self.statements;
        let mut find = tx.prepare_cached(&st.find)?;
        let mut insert = tx.prepare_cached(&st.insert)?;
        let mut update = tx.prepare_cached(&st.update)?;
        let key = [
            self.schema.position("job_id").unwrap_or(2),
            0, // cluster
            1, // submit_time
        ];
        let state = self.schema.position("state").unwrap_or(0);
        let mut delta = std::collections::HashMap::new();
        for row in rows {
            let stored = find
                .query_map(params_from_iter(key.iter().map(|&i| &row[i])), |r| {
                    self.row(r)
                })?
                .next()
                .transpose()?;
            match stored {
                None => {
                    insert.execute(params_from_iter(row.iter()))?;
                    self.sums.add(&mut delta, row, 1.0);
                }
                Some(old) if old.values == *row => {}
                // A job that has ended is not replaced by an earlier view of it (an old extract
                // ingested again shows it running).
                Some(old) if !active(&old.values[state]) && active(&row[state]) => {}
                Some(old) => {
                    let id = Value::Integer(old.id);
                    let params = st.replaced.iter().map(|&i| &row[i]).chain([&id]);
                    update.execute(params_from_iter(params))?;
                    self.sums.add(&mut delta, &old.values, -1.0);
                    self.sums.add(&mut delta, row, 1.0);
                }
            }
        }
        let mut up = tx.prepare_cached(&self.sums.upsert())?;
        for (k, s) in &delta {
            up.execute(params_from_iter(sums::params(k, s).iter()))?;
        }
        Ok(())
    }

    /// `SUM(column)` of each extensive output, in layout order.
    fn extensive_sums(&self) -> Vec<String> {
        let names = self.schema.names();
        self.schema
            .extensive()
            .iter()
            .map(|&i| format!("SUM({})", names[i]))
            .collect()
    }

    fn row(&self, r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredJob> {
        let n = self.schema.names().len();
        let mut values = Vec::with_capacity(n);
        for i in 0..n {
            values.push(value_of(r.get_ref(i + 1)?));
        }
        Ok(StoredJob {
            id: r.get(0)?,
            values,
        })
    }
}

/// True for the state of a job that may still change: running, pending, suspended, requeued,
/// resizing, or unknown.
fn active(state: &Value) -> bool {
    matches!(
        state.as_str().unwrap_or(""),
        "RUNNING" | "PENDING" | "SUSPENDED" | "REQUEUED" | "RESIZING" | "UNKNOWN" | ""
    )
}

/// A row of sums: the group's key, the partition, the bucket, counts, usage, extensive sums.
fn bucket_sum(r: &rusqlite::Row<'_>, n: usize) -> rusqlite::Result<BucketSum> {
    let measured: Option<i64> = r.get(3)?;
    let real =
        |i: usize| -> rusqlite::Result<f64> { Ok(r.get::<_, Option<f64>>(i)?.unwrap_or(0.0)) };
    let bucket = match measured {
        Some(m) => {
            let cpu_load: Option<i64> = r.get(4)?;
            Some(JobBucket {
                node_group: r.get::<_, Option<i64>>(2)?.map(|g| g as u32),
                measured: m != 0,
                per_load: cpu_load.is_some(),
                cpu_load: cpu_load.unwrap_or(0) as u16,
                gpu_load: r.get::<_, Option<i64>>(5)?.unwrap_or(0) as u16,
                node_hours: real(8)?,
                measured_kwh: real(9)?,
                cpu_load_hours: real(12)?,
                gpu_load_hours: real(13)?,
            })
        }
        None => None,
    };
    let mut sums = Vec::with_capacity(n);
    for i in 0..n {
        sums.push(real(14 + i)?);
    }
    Ok(BucketSum {
        key: r.get(0)?,
        partition: r.get(1)?,
        bucket,
        jobs: r.get::<_, i64>(6)? as u64,
        estimated: r.get::<_, i64>(7)? as u64,
        core_hours: r.get::<_, Option<f64>>(10)?.unwrap_or(0.0),
        gpu_hours: r.get::<_, Option<f64>>(11)?.unwrap_or(0.0),
        sums,
    })
}

/// A mutex's guard, even if a thread panicked while holding it (the data is a connection pool
/// or a connection whose transaction was rolled back: still usable).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Applies the migrations the database lacks, each in its own transaction.
fn migrate(conn: &mut Connection, migrations: &[Migration], db: &str) -> Result<(), StoreError> {
    let err = |e: rusqlite::Error| StoreError::Database {
        db: db.to_string(),
        message: format!("migrating: {e}"),
    };
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .map_err(err)?;
    let known = migrations.last().map_or(0, |m| m.version);
    for m in migrations {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let current: i64 = tx
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )
            .map_err(err)?;
        if current > known {
            return Err(StoreError::TooNew {
                db: db.to_string(),
                found: current,
                known,
            });
        }
        if current >= m.version {
            continue;
        }
        tx.execute_batch(m.sql).map_err(err)?;
        let now = jiff::Timestamp::now().as_second();
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            rusqlite::params![m.version, m.name, now],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
    }
    Ok(())
}

/// Fails, naming the first missing column, when the table lacks a column of the schema (a
/// criterion or phase added to the model without its migration).
fn check_columns(conn: &Connection, schema: &Schema, db: &str) -> Result<(), StoreError> {
    let err = |e: rusqlite::Error| StoreError::Database {
        db: db.to_string(),
        message: e.to_string(),
    };
    let mut st = conn
        .prepare("SELECT name FROM pragma_table_info('jobs')")
        .map_err(err)?;
    let have: Vec<String> = st
        .query_map([], |r| r.get(0))
        .map_err(err)?
        .collect::<Result<_, _>>()
        .map_err(err)?;
    match schema.names().iter().find(|n| !have.contains(n)) {
        Some(n) => Err(StoreError::Database {
            db: db.to_string(),
            message: format!("the jobs table has no column {n}: a migration is missing"),
        }),
        None => Ok(()),
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
fn group_expr(g: Option<GroupBy>, date: &str) -> String {
    let text = |c: &str| format!("COALESCE(NULLIF({c}, ''), '(none)')");
    let when = |f: &str| {
        format!("CASE WHEN {date} IS NULL OR {date} < 0 THEN '(no date)' ELSE strftime('{f}', {date}, 'unixepoch') END")
    };
    match g {
        None => "''".into(),
        Some(GroupBy::User) => text("user_name"),
        Some(GroupBy::Account) => text("account"),
        Some(GroupBy::Partition) => text("partition"),
        Some(GroupBy::State) => text("state"),
        Some(GroupBy::Day) => when("%Y-%m-%d"),
        Some(GroupBy::Month) => when("%Y-%m"),
    }
}

/// True when the sums per month answer a query exactly: every job in scope (an administrator),
/// no filter on the user, bounds (if any) on the first of a month at midnight UTC, and groups that
/// are not users or days.
fn by_months(scope: &Scope, f: &Filter, group_by: Option<GroupBy>) -> bool {
    *scope == Scope::All
        && f.user.is_none()
        && !matches!(group_by, Some(GroupBy::User) | Some(GroupBy::Day))
        && [f.from, f.to]
            .iter()
            .all(|t| t.is_none_or(|t| crate::sums::month_start(t) == t))
}

impl Store for SqliteStore {
    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn write(&self, rows: &[Vec<Value>]) -> Result<(), StoreError> {
        let mut conn = lock(&self.writer);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        self.write_in(&tx, rows).map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    fn jobs(&self, q: &JobQuery) -> Result<Vec<StoredJob>, StoreError> {
        let mut w = Where::default();
        w.scope(&q.scope);
        w.filter(&q.filter, JOB_DATE);
        if let Some(c) = q.cursor {
            w.push("id < ?", Value::Integer(c));
        }
        let sql = format!(
            "SELECT id, {} FROM jobs{} ORDER BY id DESC LIMIT {}",
            self.columns,
            w.sql(),
            q.limit.min(crate::MAX_PAGE)
        );
        self.read(|c| {
            let mut st = c.prepare_cached(&sql)?;
            let rows = st.query_map(params_from_iter(w.params.iter()), |r| self.row(r))?;
            rows.collect()
        })
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
        self.read(|c| {
            let mut st = c.prepare_cached(&sql)?;
            let mut rows = st.query_map(params_from_iter(w.params.iter()), |r| self.row(r))?;
            rows.next().transpose()
        })
    }

    fn bucket_sums(
        &self,
        scope: &Scope,
        filter: &Filter,
        group_by: Option<GroupBy>,
    ) -> Result<Vec<BucketSum>, StoreError> {
        let mut w = Where::default();
        w.scope(scope);
        let ext = self.extensive_sums().join(", ");
        // The sums per month when they answer the query (see `by_months`), else the jobs
        // themselves; the same columns either way.
        let sql = if by_months(scope, filter, group_by) {
            w.filter(filter, "month");
            if filter.from.is_some() || filter.to.is_some() {
                // Jobs without a date (month -1) are outside any period, as in the jobs' path.
                w.clauses.push("month >= 0".into());
            }
            format!(
                "SELECT {} AS k, NULLIF(partition, ''), NULLIF(node_group, -1), NULLIF(measured, -1), \
                 NULLIF(bucket_cpu_load, -1), NULLIF(bucket_gpu_load, -1), SUM(jobs), SUM(estimated), \
                 SUM(node_hours), SUM(measured_kwh), SUM(core_hours), SUM(gpu_hours), \
                 SUM(cpu_load_hours), SUM(gpu_load_hours), {ext} \
                 FROM job_sums{} GROUP BY 1, 2, 3, 4, 5, 6 HAVING SUM(jobs) > 0",
                group_expr(group_by, "month"),
                w.sql()
            )
        } else {
            w.filter(filter, JOB_DATE);
            format!(
                "SELECT {} AS k, partition, node_group, measured, \
                 CASE WHEN per_load = 1 THEN bucket_cpu_load END, \
                 CASE WHEN per_load = 1 THEN bucket_gpu_load END, \
                 COUNT(*), COUNT(node_hours), SUM(node_hours), SUM(measured_kwh), SUM(core_hours), \
                 SUM(gpu_hours), SUM(cpu_load_hours), SUM(gpu_load_hours), {ext} \
                 FROM jobs{} GROUP BY 1, 2, 3, 4, 5, 6",
                group_expr(group_by, JOB_DATE),
                w.sql()
            )
        };
        let n = self.schema.extensive().len();
        self.read(|c| {
            let mut st = c.prepare_cached(&sql)?;
            let rows = st.query_map(params_from_iter(w.params.iter()), |r| bucket_sum(r, n))?;
            rows.collect()
        })
    }

    fn metric_sums(&self) -> Result<Vec<MetricSum>, StoreError> {
        let ext = self.extensive_sums();
        let sql = format!(
            "SELECT partition, account, SUM(jobs), {} FROM job_sums GROUP BY 1, 2 HAVING SUM(jobs) > 0 ORDER BY 1, 2",
            ext.join(", ")
        );
        let n = ext.len();
        self.read(|c| {
            let mut st = c.prepare_cached(&sql)?;
            let rows = st.query_map([], |r| {
                let mut sums = Vec::with_capacity(n);
                for i in 0..n {
                    sums.push(r.get::<_, Option<f64>>(3 + i)?.unwrap_or(0.0));
                }
                Ok(MetricSum {
                    partition: r.get(0)?,
                    account: r.get(1)?,
                    jobs: r.get::<_, i64>(2)? as u64,
                    sums,
                })
            })?;
            rows.collect()
        })
    }

    fn count(&self) -> Result<u64, StoreError> {
        self.read(|c| c.query_row("SELECT COUNT(*) FROM jobs", [], |r| r.get::<_, i64>(0)))
            .map(|n| n as u64)
    }

    fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let conn = lock(&self.writer);
        let mut st = conn
            .prepare_cached("SELECT value FROM meta WHERE key = ?")
            .map_err(|e| self.err(e))?;
        let mut rows = st
            .query_map([key], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?;
        rows.next().transpose().map_err(|e| self.err(e))
    }

    fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let conn = lock(&self.writer);
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    fn describe(&self) -> String {
        format!("sqlite:{}", self.path.display())
    }

    fn add_token(
        &self,
        hash: &str,
        user: &str,
        role: &str,
        expires: Option<i64>,
        note: Option<&str>,
    ) -> Result<i64, StoreError> {
        let conn = lock(&self.writer);
        conn.execute(
            "INSERT INTO tokens (hash, user_name, role, created, expires, note) VALUES (?, ?, ?, ?, ?, ?)",
            rusqlite::params![hash, user, role, jiff::Timestamp::now().as_second(), expires, note],
        )
        .map_err(|e| self.err(e))?;
        Ok(conn.last_insert_rowid())
    }

    fn token(&self, hash: &str, now: i64) -> Result<Option<Token>, StoreError> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT id, user_name, role, created, expires, note FROM tokens \
                 WHERE hash = ? AND (expires IS NULL OR expires > ?)",
            )?;
            let mut rows = st.query_map(rusqlite::params![hash, now], token_of)?;
            rows.next().transpose()
        })
    }

    fn tokens(&self) -> Result<Vec<Token>, StoreError> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT id, user_name, role, created, expires, note FROM tokens ORDER BY id",
            )?;
            let rows = st.query_map([], token_of)?;
            rows.collect()
        })
    }

    fn revoke_token(&self, id: i64) -> Result<bool, StoreError> {
        let conn = lock(&self.writer);
        conn.execute("DELETE FROM tokens WHERE id = ?", [id])
            .map(|n| n > 0)
            .map_err(|e| self.err(e))
    }
}

fn token_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Token> {
    Ok(Token {
        id: r.get(0)?,
        user: r.get(1)?,
        role: r.get(2)?,
        created: r.get(3)?,
        expires: r.get(4)?,
        note: r.get(5)?,
    })
}
