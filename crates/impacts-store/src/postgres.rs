//! The PostgreSQL database, for sites larger than a file: the same tables (PostgreSQL's types and
//! triggers), the same statements ([`crate::sql`]), through the synchronous `postgres` client.
//!
//! Writers take a transaction-scoped advisory lock, so that two ingestions (a push and the
//! poller, two `impacts ingest`) are serialized as SQLite serializes them, and a job is never
//! inserted twice by two writers that both found it absent.

use std::collections::HashMap;
use std::error::Error;
use std::sync::{Mutex, MutexGuard};

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};

use crate::schema::{Schema, POSTGRES_MIGRATIONS};
use crate::sql::{insert_one, migrate, Backend, Conn, Dialect, SqlStore};
use crate::{StoreError, Value};

/// The advisory lock of writers (any number: it only has to be the same for every writer).
const WRITERS_LOCK: i64 = 0x696d_7061_6374;

/// Connections kept open between queries.
const POOL: usize = 8;

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        // Numbers take the column's type: a whole real may go to a BIGINT column and an integer
        // to a DOUBLE PRECISION one (SQLite's affinities do the same).
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(i) if *ty == Type::FLOAT8 => (*i as f64).to_sql(ty, out),
            Value::Integer(i) if *ty == Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
            Value::Integer(i) => i.to_sql(ty, out),
            Value::Real(x) if *ty == Type::INT8 => (*x as i64).to_sql(ty, out),
            Value::Real(x) => x.to_sql(ty, out),
            Value::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// A column of a row as a [`Value`], by its type.
fn value_of(row: &postgres::Row, i: usize) -> Result<Value, String> {
    let ty = row.columns()[i].type_();
    let v = if *ty == Type::INT8 {
        row.try_get::<_, Option<i64>>(i)
            .map(|v| v.map(Value::Integer))
    } else if *ty == Type::INT4 {
        row.try_get::<_, Option<i32>>(i)
            .map(|v| v.map(|x| Value::Integer(x.into())))
    } else if *ty == Type::FLOAT8 {
        row.try_get::<_, Option<f64>>(i).map(|v| v.map(Value::Real))
    } else if *ty == Type::BOOL {
        row.try_get::<_, Option<bool>>(i)
            .map(|v| v.map(|b| Value::Integer(b.into())))
    } else {
        row.try_get::<_, Option<String>>(i)
            .map(|v| v.map(Value::Text))
    };
    v.map(|v| v.unwrap_or(Value::Null))
        .map_err(|e| format!("column {}: {e}", row.columns()[i].name()))
}

/// `?` placeholders as PostgreSQL's `$1, $2, …` (the statements have no `?` in literals).
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// A client and its prepared statements.
struct Pooled {
    client: Client,
    prepared: HashMap<String, Statement>,
}

/// A client in a transaction (or not), seen as a [`Conn`].
struct Pg<'c> {
    tx: postgres::Transaction<'c>,
    prepared: &'c mut HashMap<String, Statement>,
}

impl Pg<'_> {
    fn statement(&mut self, sql: &str) -> Result<Statement, String> {
        if let Some(s) = self.prepared.get(sql) {
            return Ok(s.clone());
        }
        let s = self.tx.prepare(&numbered(sql)).map_err(|e| e.to_string())?;
        self.prepared.insert(sql.to_string(), s.clone());
        Ok(s)
    }
}

fn params<'a>(params: &'a [&'a Value]) -> Vec<&'a (dyn ToSql + Sync)> {
    params.iter().map(|v| *v as &(dyn ToSql + Sync)).collect()
}

impl Conn for Pg<'_> {
    fn query(&mut self, sql: &str, p: &[&Value]) -> Result<Vec<Vec<Value>>, String> {
        let st = self.statement(sql)?;
        let rows = self.tx.query(&st, &params(p)).map_err(|e| e.to_string())?;
        rows.iter()
            .map(|r| (0..r.len()).map(|i| value_of(r, i)).collect())
            .collect()
    }

    fn execute(&mut self, sql: &str, p: &[&Value]) -> Result<u64, String> {
        let st = self.statement(sql)?;
        self.tx.execute(&st, &params(p)).map_err(|e| e.to_string())
    }

    fn batch(&mut self, sql: &str) -> Result<(), String> {
        self.tx.batch_execute(sql).map_err(|e| e.to_string())
    }

    fn insert(&mut self, table: &str, columns: &str, rows: &[&[Value]]) -> Result<(), String> {
        if rows.is_empty() {
            return Ok(());
        }
        // Binary COPY: no statement per row and no text to parse; each value written as its
        // column's type, which the one-row INSERT's parameters give.
        let types = self
            .statement(&insert_one(table, columns))?
            .params()
            .to_vec();
        let copy = format!("COPY {table} ({columns}) FROM STDIN (FORMAT binary)");
        let sink = self.tx.copy_in(&copy).map_err(|e| e.to_string())?;
        let mut writer = BinaryCopyInWriter::new(sink, &types);
        for row in rows {
            let values: Vec<&(dyn ToSql + Sync)> =
                row.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
            writer.write(&values).map_err(|e| e.to_string())?;
        }
        writer.finish().map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// The PostgreSQL store: [`PostgresStore::open`] gives a [`SqlStore`] over a database.
pub struct PostgresStore;

impl PostgresStore {
    /// Connects to the database of `url` (`postgres://user@host:port/db`), applies its
    /// migrations, and checks that its table has the columns of `schema`.
    pub fn open(url: &str, schema: Schema) -> Result<SqlStore, StoreError> {
        let config: postgres::Config = url.parse().map_err(|e| {
            StoreError::Input(impacts_error::InputError::invalid(
                "db",
                redact(url),
                format!("a PostgreSQL URL such as postgres://user@host:5432/impacts ({e})"),
            ))
        })?;
        let backend = Postgres {
            shown: redact(url),
            config,
            pool: Mutex::new(Vec::new()),
        };
        migrate(&backend, POSTGRES_MIGRATIONS)?;
        SqlStore::new(Box::new(backend), schema)
    }
}

/// A URL without its password.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let user = &url[s + 3..at];
            let user = user.split(':').next().unwrap_or("");
            format!("{}{user}{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

struct Postgres {
    shown: String,
    config: postgres::Config,
    pool: Mutex<Vec<Pooled>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Postgres {
    /// Runs `f` in a transaction on a pooled client (connected if none is free).
    fn with(
        &self,
        writer: bool,
        f: &mut dyn FnMut(&mut dyn Conn) -> Result<(), String>,
    ) -> Result<(), String> {
        let mut pooled = match lock(&self.pool).pop() {
            Some(p) => p,
            None => {
                let mut client = self.config.connect(NoTls).map_err(|e| e.to_string())?;
                // Each execution planned with its values: a generic plan made while the jobs
                // table was small scans it whole once it is large (270 ms a lookup, measured).
                client
                    .batch_execute("SET plan_cache_mode = force_custom_plan")
                    .map_err(|e| e.to_string())?;
                Pooled {
                    client,
                    prepared: HashMap::new(),
                }
            }
        };
        let result = (|| {
            let mut tx = pooled.client.transaction().map_err(|e| e.to_string())?;
            if writer {
                tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITERS_LOCK])
                    .map_err(|e| e.to_string())?;
            }
            let mut conn = Pg {
                tx,
                prepared: &mut pooled.prepared,
            };
            f(&mut conn)?;
            conn.tx.commit().map_err(|e| e.to_string())
        })();
        if !pooled.client.is_closed() {
            let mut pool = lock(&self.pool);
            if pool.len() < POOL {
                pool.push(pooled);
            }
        }
        result
    }
}

impl Backend for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn describe(&self) -> String {
        self.shown.clone()
    }

    fn read(&self, f: &mut dyn FnMut(&mut dyn Conn) -> Result<(), String>) -> Result<(), String> {
        self.with(false, f)
    }

    fn write(&self, f: &mut dyn FnMut(&mut dyn Conn) -> Result<(), String>) -> Result<(), String> {
        self.with(true, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_and_passwords_hidden() {
        assert_eq!(
            numbered("SELECT a FROM t WHERE b = ? AND c < ?"),
            "SELECT a FROM t WHERE b = $1 AND c < $2"
        );
        assert_eq!(
            redact("postgres://impacts:s3cret@db.example:5432/jobs"),
            "postgres://impacts@db.example:5432/jobs"
        );
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
    }
}
