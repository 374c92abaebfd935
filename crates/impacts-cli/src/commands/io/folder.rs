//! `impacts io --summary DIR`: the logs of a folder, streamed into a summary and a footprint.

use super::*;

#[derive(Serialize)]
pub(super) struct SummaryOutput<'a> {
    #[serde(flatten)]
    pub(super) summary: &'a Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) footprint: Option<&'a SummaryFootprint>,
}

/// `--summary DIR`.
pub(super) fn summary(engine: &Engine, a: &IoArgs, dir: &str) -> Result<String, CliError> {
    let path = Path::new(dir);
    if !path.is_dir() {
        return Err(CliError::usage(format!(
            "--summary '{dir}': expected a folder of Darshan logs"
        )));
    }
    if a.nodes.is_some() || a.cores.is_some() || a.gpus.is_some() {
        return Err(CliError::usage(
            "--nodes, --cores and --gpus describe one job: with --summary, each job's waiting on I/O is costed one core per process of its log",
        ));
    }
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 {
        return Err(CliError::usage("invalid --threads 0: expected at least 1"));
    }
    let opts = options(&a.common, false)?;
    let site = Site::of(engine, a, &opts)?;
    // The logs stream by: the summary, the footprint's aggregates and the --jobs rows are
    // folded as they come; nothing per log is kept but a job id and two numbers.
    let mut acc = impacts_io::summary::Accumulator::new(dir);
    let mut folder = FolderIo::default();
    let mut jobs = match &a.jobs {
        Some(file) => Some(JobsFile::create(file)?),
        None => None,
    };
    let mut failed: Option<CliError> = None;
    let walked = impacts_io::summary::for_each_log(path, threads, |r| match r {
        Ok(r) => {
            acc.add(&r);
            if let Some(site) = &site {
                folder.add(&site.center, &r);
            }
            if let (Some(j), None) = (jobs.as_mut(), &failed) {
                failed = j.row(&r).err();
            }
        }
        Err(e) => acc.fail(e),
    });
    let result = (|| {
        let found =
            walked.map_err(|e| CliError::usage(format!("cannot read the folder '{dir}': {e}")))?;
        if found == 0 {
            return Err(CliError::usage(format!(
                "--summary '{dir}': no *.darshan file in it or below it"
            )));
        }
        if let Some(e) = failed {
            return Err(e);
        }
        let s = acc.finish();
        let fp = match &site {
            Some(c) => {
                let records = accounting_records(a, folder.waits.iter().map(|w| w.0))?;
                Some(summary_footprint(engine, a, c, folder, &records, &opts)?)
            }
            None => None,
        };
        Ok(match a.common.format {
            Format::Json => {
                let mut s = serde_json::to_string_pretty(&SummaryOutput {
                    summary: &s,
                    footprint: fp.as_ref(),
                })
                .map_err(|e| CliError::cannot_write("JSON", e))?;
                s.push('\n');
                s
            }
            Format::Csv => {
                summary_csv(&s, fp.as_ref()).map_err(|e| CliError::cannot_write("CSV", e))?
            }
            Format::Table => summary_table(&s, fp.as_ref()),
        })
    })();
    match (result, jobs) {
        (Ok(out), Some(j)) => {
            j.finish()?;
            Ok(out)
        }
        (Ok(out), None) => Ok(out),
        (Err(e), j) => {
            if let Some(j) = j {
                j.abandon();
            }
            Err(e)
        }
    }
}
