//! Continuous ingestion: `sacct` run every `--sacct-interval`, from a watermark kept in the
//! database, its records accounted into the store.
//!
//! Each run asks sacct for the jobs of the window [watermark − overlap, now] (`-S now-N`: no
//! time zone to get wrong), accounts them with the readers and options of `impacts accounting`,
//! writes them in batches (upserts: jobs seen again change nothing, a job seen running then
//! completed is updated), and only then moves the watermark to the run's start. A service killed
//! during a run reads the same window again when it restarts: nothing lost, nothing doubled.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use impacts::Engine;
use impacts_accounting::accountant::Options;
use impacts_store::Store;

/// The fields asked of sacct (those the accountant reads; `-P` prints them as a header). No
/// free text a user chooses (JobName, Comment): sacct -P does not escape its delimiter, and a job
/// named `a|b` would make its line unreadable.
pub const FIELDS: &str = "JobID,JobIDRaw,Cluster,User,Account,Partition,State,ExitCode,Submit,Start,End,Elapsed,NNodes,NCPUS,AllocTRES,ReqMem,ConsumedEnergyRaw,NodeList,TotalCPU,Timelimit";

/// The metadata key of the watermark (UTC seconds).
pub const WATERMARK: &str = "sacct_watermark";

/// What continuous ingestion needs.
#[derive(Clone, Debug)]
pub struct Poll {
    /// The sacct command.
    pub command: String,
    /// How often.
    pub interval: Duration,
    /// How far before the watermark each window starts (s).
    pub overlap: i64,
    /// How far back the first window starts (s).
    pub since: i64,
    /// The accounting options (malformed records are counted and skipped: one bad line must not
    /// stop ingestion for good, since the window would be read again at every run).
    pub options: Options,
    /// A private folder (0700) for sacct's output, which holds every user's records.
    pub scratch: PathBuf,
    /// The zone whose hours the service pulls (`--grid-pull`): each run accounts its jobs with
    /// the stored hours of the last `GRID_DAYS` days.
    pub grid_zone: Option<String>,
}

/// How long before its window a run reads the stored grid hours (its jobs may have started
/// that long before).
const GRID_DAYS: i64 = 60;

/// A duration such as `90s`, `5m`, `1h`, `2d` (a bare number is seconds), in seconds.
pub fn seconds(text: &str) -> Option<i64> {
    let t = text.trim();
    let (n, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t, "s"),
    };
    let n: i64 = n.parse().ok()?;
    let k = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    n.checked_mul(k)
}

/// One run: sacct over the window, accounted into the store, the watermark moved. The number of
/// jobs written.
pub fn once(engine: &'static Engine, store: &Arc<dyn Store>, p: &Poll) -> Result<u64, String> {
    let now = jiff::Timestamp::now().as_second();
    let watermark = store
        .meta(WATERMARK)
        .map_err(|e| e.to_string())?
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(now - p.since);
    let back = (now - watermark + p.overlap).max(0);
    let path = p.scratch.join("sacct.txt");
    let file = private_file(&path)?;
    let out = Command::new(&p.command)
        .args([
            "-P",
            "-a",
            "-S",
            &format!("now-{back}"),
            "-E",
            "now",
            "--format",
            FIELDS,
        ])
        .stdout(file)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", p.command))?;
    let result = (|| {
        if !out.status.success() {
            return Err(format!(
                "{} failed ({}): {}",
                p.command,
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        // The stored hours: a failure to read them, or a series the run cannot use, keeps the
        // annual factor, logged — it never stops ingestion.
        let grid = match &p.grid_zone {
            Some(zone) => grid_series(store, zone, now - back).unwrap_or_else(|e| {
                impacts_server::log::line(&[("event", "grid-unusable"), ("error", &e)]);
                None
            }),
            None => None,
        };
        let with_grid = grid.is_some();
        let options = Options {
            skip_bad_lines: true,
            grid,
            ..p.options.clone()
        };
        let inputs = [path.to_string_lossy().into_owned()];
        let ingested = impacts_store::ingest::ingest(engine, options.clone(), store, &inputs);
        let (report, stored) = match ingested {
            Err(e) if with_grid => {
                impacts_server::log::line(&[("event", "grid-unusable"), ("error", &e.to_string())]);
                let annual = Options {
                    grid: None,
                    ..options
                };
                impacts_store::ingest::ingest(engine, annual, store, &inputs)
                    .map_err(|e| e.to_string())?
            }
            r => r.map_err(|e| e.to_string())?,
        };
        // What the series did to the run: covered in part, outside, direct intensities…
        for w in report.warnings.iter().filter(|w| {
            w.code.starts_with("accounting.grid") || w.code.starts_with("electricity.series")
        }) {
            impacts_server::log::line(&[
                ("event", "grid-warning"),
                ("code", &w.code),
                ("jobs", &w.count.to_string()),
            ]);
        }
        if report.skipped.count > 0 {
            impacts_server::log::line(&[
                ("event", "sacct-skipped"),
                ("records", &report.skipped.count.to_string()),
                (
                    "first",
                    report.skipped.examples.first().map_or("", |e| e.as_str()),
                ),
            ]);
        }
        store
            .set_meta(WATERMARK, &now.to_string())
            .map_err(|e| e.to_string())?;
        Ok(stored)
    })();
    let _ = std::fs::remove_file(&path);
    result
}

/// The stored hours of `zone` from `GRID_DAYS` days before `since` as a series (`None` when none is
/// stored yet: the run keeps the annual factor, and says so in its log).
fn grid_series(
    store: &Arc<dyn Store>,
    zone: &str,
    since: i64,
) -> Result<Option<Arc<impacts::impacts_grid::Integral>>, String> {
    let hours = store
        .grid_hours(zone, since - GRID_DAYS * 86_400, i64::MAX)
        .map_err(|e| e.to_string())?;
    let Some(series) = impacts_store::series_of_hours(&hours) else {
        impacts_server::log::line(&[("event", "grid-none"), ("zone", zone)]);
        return Ok(None);
    };
    Ok(Some(Arc::new(impacts::impacts_grid::Integral::new(series))))
}

/// Creates (replacing a previous run's) a file only the service's user can read, without
/// following a link someone else put there.
fn private_file(path: &std::path::Path) -> Result<std::fs::File, String> {
    use std::os::unix::fs::OpenOptionsExt;
    let _ = std::fs::remove_file(path);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// A private folder (0700, created anew) for the service's scratch files, beside `near` (the
/// database's folder, which the service may write under systemd's ProtectSystem) or in the
/// temporary folder.
pub fn private_folder(near: Option<&std::path::Path>) -> std::io::Result<PathBuf> {
    let base = near.map_or_else(std::env::temp_dir, std::path::Path::to_path_buf);
    impacts_store::ingest::private_folder(
        &base,
        &format!(".impacts-scratch-{}", std::process::id()),
    )
}

/// Runs [`once`] every interval, forever, logging each run.
pub async fn run(engine: &'static Engine, store: Arc<dyn Store>, p: Poll) {
    loop {
        let (s, q) = (store.clone(), p.clone());
        let started = std::time::Instant::now();
        let r = tokio::task::spawn_blocking(move || once(engine, &s, &q)).await;
        let ms = format!("{:.0}", started.elapsed().as_secs_f64() * 1e3);
        match r {
            Ok(Ok(n)) => impacts_server::log::line(&[
                ("event", "sacct"),
                ("jobs", &n.to_string()),
                ("ms", &ms),
            ]),
            Ok(Err(e)) => impacts_server::log::line(&[("event", "sacct-failed"), ("error", &e)]),
            Err(e) => {
                impacts_server::log::line(&[("event", "sacct-failed"), ("error", &e.to_string())])
            }
        }
        tokio::time::sleep(p.interval).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_seconds() {
        assert_eq!(seconds("90"), Some(90));
        assert_eq!(seconds("90s"), Some(90));
        assert_eq!(seconds("5m"), Some(300));
        assert_eq!(seconds("1h"), Some(3600));
        assert_eq!(seconds("2d"), Some(172_800));
        assert_eq!(seconds("1w"), None);
        assert_eq!(seconds("m"), None);
        assert_eq!(seconds("99999999999999999d"), None);
    }
}
