//! `POST /api/v1/jobs`: records pushed by a site's script (a Slurm job-completion script, a cron
//! job), accounted and stored as `impacts ingest` does.
//!
//! The body is what `sacct -P` (with its header) or `sacct --json` prints, at most 1 MiB; the
//! caller must be an administrator. The records go through the readers and options of the
//! service (center, method, load, default partition), in one transaction per 10,000 jobs;
//! records of jobs already stored change nothing.

use std::sync::Arc;

use impacts::Engine;
use impacts_accounting::accountant::{AccountingError, Options};
use impacts_store::Store;
use serde_json::{json, Value};

use crate::error::ApiError;

/// Accounts a body of records into the store: the number of jobs read and stored.
pub fn ingest(
    engine: &'static Engine,
    options: &Options,
    store: &Arc<dyn Store>,
    body: &[u8],
) -> Result<Value, ApiError> {
    if impacts_accounting::table::TableKind::sniff(body).is_some() {
        // Tables (Parquet, Arrow) are files of `impacts ingest`, not bodies of this endpoint.
        return Err(ApiError {
            status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_records",
            message: "the body is a Parquet or Arrow table: this endpoint takes what sacct -P or sacct --json prints".into(),
            field: Some("body".into()),
        });
    }
    let name = format!("impacts-push-{}-{}", std::process::id(), unique());
    let dir = impacts_store::ingest::private_folder(&std::env::temp_dir(), &name)
        .map_err(ApiError::internal)?;
    let path = dir.join("body");
    let result = (|| {
        std::fs::write(&path, body).map_err(ApiError::internal)?;
        let inputs = [path.to_string_lossy().into_owned()];
        let (report, stored) =
            impacts_store::ingest::ingest(engine, options.clone(), store, &inputs)
                .map_err(|e| refused(e, &inputs[0]))?;
        Ok(json!({
            "jobs": report.jobs,
            "jobs_estimated": report.jobs_estimated,
            "stored": stored,
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
