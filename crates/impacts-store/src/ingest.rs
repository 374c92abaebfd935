//! Accounting files into a store, as the service's continuous ingestion and pushed records do:
//! the accountant's readers and options, rows written through [`StoreSink`], the store's
//! `last_ingest` moved; and the private folders their scratch files go to (the records are every
//! user's).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use impacts::Engine;
use impacts_accounting::accountant::{Accountant, AccountingError, AccountingReport, Options};

use crate::{Store, StoreSink};

/// Jobs per transaction.
const BATCH: usize = 10_000;

/// Accounts `inputs` into `store`: the run's report and the rows stored.
pub fn ingest(
    engine: &Engine,
    options: Options,
    store: &Arc<dyn Store>,
    inputs: &[String],
) -> Result<(AccountingReport, u64), AccountingError> {
    let mut acc = Accountant::new(engine, options)?;
    let mut sink = StoreSink::new(store.clone(), BATCH);
    let report = acc.run(inputs, &mut sink, &mut |_| {})?;
    let now = jiff::Timestamp::now().as_second().to_string();
    store
        .set_meta("last_ingest", &now)
        .map_err(|e| AccountingError::Write(crate::sink::to_table(store.as_ref(), e)))?;
    Ok((report, sink.written()))
}

/// A folder only this user can read (0700), `base/name`, made anew (a stale one removed).
pub fn private_folder(base: &Path, name: &str) -> std::io::Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    let dir = base.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::DirBuilder::new().mode(0o700).create(&dir)?;
    Ok(dir)
}
