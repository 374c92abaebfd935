//! The embedded database: one SQLite file in WAL mode, one writer, a pool of readers.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params_from_iter, Connection, OpenFlags, ToSql, TransactionBehavior};

use crate::schema::{Schema, SQLITE_MIGRATIONS};
use crate::sql::{insert_one, migrate, Backend, Conn, Dialect, SqlStore};
use crate::{StoreError, Value};

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

/// Readers kept open between queries.
const READERS: usize = 8;

/// The SQLite store: [`SqliteStore::open`] gives a [`SqlStore`] over a SQLite file.
pub struct SqliteStore;

impl SqliteStore {
    /// Opens (creating it if absent) the store at `path`, applies its migrations, and checks
    /// that its table has the columns of `schema`.
    pub fn open(path: &Path, schema: Schema) -> Result<SqlStore, StoreError> {
        let db = format!("sqlite:{}", path.display());
        let conn = Connection::open(path).map_err(|e| StoreError::Database {
            db: db.clone(),
            message: e.to_string(),
        })?;
        // 16 KiB pages and a 64 MiB cache: ingestion writes rows of ~500 bytes in large batches
        // (docs/benchmarks.md); temporary structures in memory; the log copied into the database
        // every 128 MiB rather than 16 (pages a batch rewrites, such as the indexes' last, are
        // copied once per checkpoint: 5.8 → 5.5 s for a million jobs).
        conn.execute_batch(
            "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 8192;",
        )
        .map_err(|e| StoreError::Database {
            db: db.clone(),
            message: e.to_string(),
        })?;
        let backend = Sqlite {
            path: path.to_path_buf(),
            writer: Mutex::new(conn),
            readers: Mutex::new(Vec::new()),
        };
        migrate(&backend, SQLITE_MIGRATIONS)?;
        SqlStore::new(Box::new(backend), schema)
    }
}

struct Sqlite {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

/// A mutex's guard, even if a thread panicked while holding it (the data is a connection pool
/// or a connection whose transaction was rolled back: still usable).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A connection (or a transaction) seen as a [`Conn`], holding the last statement it executed:
/// a batch executes the same insertion for each row, and finding it in the statement cache by its
/// text (two kilobytes, hashed) each time was measurable.
struct Lite<'c> {
    conn: &'c Connection,
    last: Option<(String, rusqlite::CachedStatement<'c>)>,
}

impl<'c> Lite<'c> {
    fn new(conn: &'c Connection) -> Lite<'c> {
        Lite { conn, last: None }
    }
}

impl Conn for Lite<'_> {
    fn query(&mut self, sql: &str, params: &[&Value]) -> Result<Vec<Vec<Value>>, String> {
        let mut st = self.conn.prepare_cached(sql).map_err(|e| e.to_string())?;
        let n = st.column_count();
        let rows = st
            .query_map(params_from_iter(params.iter()), |r| {
                (0..n).map(|i| r.get_ref(i).map(value_of)).collect()
            })
            .map_err(|e| e.to_string())?;
        rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
    }

    fn execute(&mut self, sql: &str, params: &[&Value]) -> Result<u64, String> {
        // Comparing the text is a memcmp; hashing it for the cache was the cost.
        let same = self.last.as_ref().is_some_and(|(text, _)| text == sql);
        if !same {
            let st = self.conn.prepare_cached(sql).map_err(|e| e.to_string())?;
            self.last = Some((sql.to_string(), st));
        }
        let Some((_, st)) = self.last.as_mut() else {
            return Err("no statement".into());
        };
        st.execute(params_from_iter(params.iter()))
            .map(|n| n as u64)
            .map_err(|e| e.to_string())
    }

    fn batch(&mut self, sql: &str) -> Result<(), String> {
        self.last = None;
        self.conn.execute_batch(sql).map_err(|e| e.to_string())
    }

    fn insert(&mut self, table: &str, columns: &str, rows: &[&[Value]]) -> Result<(), String> {
        // One row per statement: several per statement were measured slower (1.90 s against
        // 1.73 s for 300,000 jobs).
        let sql = insert_one(table, columns);
        for row in rows {
            let params: Vec<&Value> = row.iter().collect();
            self.execute(&sql, &params)?;
        }
        Ok(())
    }
}

impl Backend for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn describe(&self) -> String {
        format!("sqlite:{}", self.path.display())
    }

    fn read(&self, f: &mut dyn FnMut(&mut dyn Conn) -> Result<(), String>) -> Result<(), String> {
        let conn = match lock(&self.readers).pop() {
            Some(c) => c,
            None => {
                let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let c =
                    Connection::open_with_flags(&self.path, flags).map_err(|e| e.to_string())?;
                c.busy_timeout(std::time::Duration::from_secs(10))
                    .map_err(|e| e.to_string())?;
                c
            }
        };
        let r = f(&mut Lite::new(&conn));
        let mut pool = lock(&self.readers);
        if pool.len() < READERS {
            pool.push(conn);
        }
        r
    }

    fn write(&self, f: &mut dyn FnMut(&mut dyn Conn) -> Result<(), String>) -> Result<(), String> {
        let mut conn = lock(&self.writer);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| e.to_string())?;
        let result = f(&mut Lite::new(&tx));
        result?;
        tx.commit().map_err(|e| e.to_string())
    }
}
