//! `POST /api/v1/jobs`: records pushed by a site's script (a Slurm job-completion script, a cron
//! job), accounted and stored as `impacts ingest` does.
//!
//! The body is what `sacct -P` (with its header) or `sacct --json` prints, at most 1 MiB; the
//! caller must be an administrator. The records go through the readers and options of the
//! service (center, method, load, default partition), in one transaction per 10,000 jobs;
//! records of jobs already stored change nothing.

use std::sync::Arc;

use impacts::Engine;
use impacts_accounting::accountant::{Accountant, AccountingError, Options};
use impacts_store::{Store, StoreSink};
use serde_json::{json, Value};

use crate::error::ApiError;

/// Accounts a body of records into the store: the number of jobs read and stored.
pub fn ingest(
    engine: &'static Engine,
    options: &Options,
    store: &Arc<dyn Store>,
    body: &[u8],
) -> Result<Value, ApiError> {
    let dir =
        std::env::temp_dir().join(format!("impacts-push-{}-{}", std::process::id(), unique()));
    {
        // A folder only the service's user can read (the records are every user's), made anew.
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .map_err(ApiError::internal)?;
    }
    let path = dir.join("body");
    let result = (|| {
        std::fs::write(&path, body).map_err(ApiError::internal)?;
        let mut acc = Accountant::new(engine, options.clone()).map_err(ApiError::internal)?;
        let mut sink = StoreSink::new(store.clone(), 10_000);
        let inputs = [path.to_string_lossy().into_owned()];
        let report = acc
            .run(&inputs, &mut sink, &mut |_| {})
            .map_err(|e| refused(e, &path.to_string_lossy()))?;
        let now = jiff::Timestamp::now().as_second().to_string();
        store
            .set_meta("last_ingest", &now)
            .map_err(ApiError::from)?;
        Ok(json!({
            "jobs": report.jobs,
            "jobs_estimated": report.jobs_estimated,
            "stored": sink.written(),
            "warnings": report.warnings.iter().map(|w| json!({"code": w.code, "count": w.count})).collect::<Vec<_>>(),
        }))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// A reading error as a 422 naming the body's line (never the server's temporary path); other
/// failures are the service's.
fn refused(e: AccountingError, path: &str) -> ApiError {
    match e {
        AccountingError::Read(r) => ApiError {
            status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_records",
            message: r.to_string().replace(path, "body"),
            field: Some("body".into()),
        },
        AccountingError::Engine(impacts::Error::Input(i)) => ApiError {
            status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_records",
            message: i.to_string().replace(path, "body"),
            field: i.field.clone(),
        },
        e => ApiError::internal(e.to_string().replace(path, "body")),
    }
}

/// A number distinct for each call in this process.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
