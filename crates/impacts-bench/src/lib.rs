//! Benchmark results with their footprint (docs/bench.md): ReFrame's perflogs (ReFrame 3 and 4)
//! and JSON run reports read into [`Run`]s, checked against ReFrame's references and their own
//! history ([`check`]); the footprint of each run comes from the scheduler's record of its job
//! (`impacts bench report --accounting`).

#![warn(missing_docs)]

pub mod check;
pub mod footprint;
pub mod model;
pub mod perflog;
pub mod report;
pub mod scaling;
mod time;
pub mod tree;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use impacts_error::{InputError, Location};

pub use model::{PerfValue, Run};

/// Things read that were tolerated, counted by stable code, with an example each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Warnings(BTreeMap<&'static str, (u64, String)>);

impl Warnings {
    /// Counts one of `code`, keeping the first example.
    pub fn add(&mut self, code: &'static str, example: &str) {
        let e = self
            .0
            .entry(code)
            .or_insert_with(|| (0, example.to_string()));
        e.0 += 1;
    }

    /// Adds another's counts (the first example kept).
    pub fn merge(&mut self, other: Warnings) {
        for (code, (n, example)) in other.0 {
            let e = self.0.entry(code).or_insert((0, example));
            e.0 += n;
        }
    }

    /// How many of `code`.
    pub fn count(&self, code: &str) -> u64 {
        self.0.get(code).map_or(0, |e| e.0)
    }

    /// Each code, its count and first example.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u64, &str)> + '_ {
        self.0.iter().map(|(c, (n, e))| (*c, *n, e.as_str()))
    }
}

/// The latest run of each use case (test, machine, environment, parameters): their indices,
/// in the order of the use cases' keys; runs of equal times, the later read.
pub fn latest(runs: &[Run]) -> Vec<usize> {
    let mut by_case: BTreeMap<String, usize> = BTreeMap::new();
    for (i, r) in runs.iter().enumerate() {
        let e = by_case.entry(r.case_key()).or_insert(i);
        if runs[*e].time <= r.time {
            *e = i;
        }
    }
    by_case.into_values().collect()
}

/// The runs of files and folders (read recursively: `*.log`, `*.log.h<N>` and `*.json`, in
/// name order; links to folders are not followed), each file sniffed: a JSON run report, a
/// ReFrame 4 perflog (a header line), or a ReFrame 3 perflog. A file found in a folder that is
/// none of them (ReFrame's own `reframe.log`, another program's JSON) is skipped and said
/// (`bench.file-skipped`); a file named on the command line must be one.
pub fn read_paths(paths: &[PathBuf], warnings: &mut Warnings) -> Result<Vec<Run>, InputError> {
    let mut files = Vec::new();
    for p in paths {
        collect(p, true, &mut files)?;
    }
    let threads = threads();
    let per = if files.len() < 2 * threads {
        files.len().max(1)
    } else {
        files.len().div_ceil(threads)
    };
    let parts: Vec<&[(PathBuf, bool)]> = files.chunks(per).collect();
    in_parallel(&parts, warnings, |chunk, w| {
        let mut runs = Vec::new();
        for (f, named) in chunk.iter() {
            runs.extend(read_one(f, *named, w)?);
        }
        Ok(runs)
    })
}

/// Each run's application from its first tag that starts with `prefix` (`app:` and the tag
/// `app:gromacs` make `gromacs`), as benchmarking sites tag their tests; a run without such a tag
/// keeps the application derived from its test, counted (`bench.application-untagged`).
pub fn tag_applications(runs: &mut [Run], prefix: &str, warnings: &mut Warnings) {
    for r in runs {
        let named = r
            .tags
            .iter()
            .filter_map(|t| t.strip_prefix(prefix))
            .map(str::trim)
            .find(|a| !a.is_empty());
        match named {
            Some(a) => r.application = Some(a.to_string()),
            None => warnings.add(
                "bench.application-untagged",
                &format!("{} ({})", r.source, r.display_name),
            ),
        }
    }
}

/// The threads a reading uses: the machine's cores, at most 8.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// `read` of each part, on a thread of its own when there are several, the results in the parts'
/// order, the first error (in that order) returned, the warnings added to `warnings`.
pub(crate) fn in_parallel<P: Sync, T: Send>(
    parts: &[P],
    warnings: &mut Warnings,
    read: impl Fn(&P, &mut Warnings) -> Result<Vec<T>, InputError> + Sync,
) -> Result<Vec<T>, InputError> {
    if parts.len() <= 1 {
        return Ok(match parts.first() {
            Some(p) => read(p, warnings)?,
            None => Vec::new(),
        });
    }
    let results: Vec<Result<(Vec<T>, Warnings), InputError>> = std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .iter()
            .map(|p| {
                let read = &read;
                s.spawn(move || {
                    let mut w = Warnings::default();
                    read(p, &mut w).map(|r| (r, w))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(InputError::malformed("a reader thread failed")))
            })
            .collect()
    });
    let mut out = Vec::new();
    for r in results {
        let (part, w) = r?;
        out.extend(part);
        warnings.merge(w);
    }
    Ok(out)
}

/// The runs of one file (`named`: given on the command line, else found in a folder).
fn read_one(path: &Path, named: bool, warnings: &mut Warnings) -> Result<Vec<Run>, InputError> {
    let name = path.display().to_string();
    let text = read_lossy(path, &name)?;
    if !named && !looks_like_results(&text) {
        warnings.add("bench.file-skipped", &name);
        return Ok(Vec::new());
    }
    read_text(&name, &text, warnings)
}

/// The runs of one file.
pub fn read_file(path: &Path, warnings: &mut Warnings) -> Result<Vec<Run>, InputError> {
    read_one(path, true, warnings)
}

/// A file's text, bytes that are not UTF-8 replaced (a site's Latin-1 names).
fn read_lossy(path: &Path, name: &str) -> Result<String, InputError> {
    let bytes = std::fs::read(path)
        .map_err(|e| InputError::unreadable(e.to_string()).at(Location::file(name)))?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// True when a text is ReFrame's: a run report, or a perflog of either generation.
fn looks_like_results(text: &str) -> bool {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str::<serde_json::Value>(text)
            .is_ok_and(|v| report::is_report(&v));
    }
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    perflog::is_perflog(first)
}

/// The runs of a file's text (`name` in errors and sources).
pub fn read_text(name: &str, text: &str, warnings: &mut Warnings) -> Result<Vec<Run>, InputError> {
    if text.trim_start().starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            InputError::malformed(format!("a ReFrame run report (JSON): {e}")).at(Location::at(
                name,
                e.line() as u64,
                Some(e.column() as u64),
            ))
        })?;
        if !report::is_report(&v) {
            return Err(InputError::malformed(
                "a ReFrame run report: a JSON object with `session_info` and `runs`",
            )
            .at(Location::file(name)));
        }
        return report::read(name, &v, warnings);
    }
    perflog::read(name, text, warnings)
}

/// A file, or the readable files of a folder, recursively, in name order (`named`: given on the
/// command line); a link to a folder is not followed (a loop would never end).
fn collect(path: &Path, named: bool, out: &mut Vec<(PathBuf, bool)>) -> Result<(), InputError> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path)
        .map_err(|e| InputError::unreadable(e.to_string()).at(Location::file(&name)))?;
    if !meta.is_dir() {
        out.push((path.to_path_buf(), named));
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| InputError::unreadable(e.to_string()).at(Location::file(&name)))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for e in entries {
        let link = std::fs::symlink_metadata(&e).is_ok_and(|m| m.file_type().is_symlink());
        if e.is_dir() {
            if !link {
                collect(&e, false, out)?;
            }
        } else if is_result_file(&e) {
            out.push((e, false));
        }
    }
    Ok(())
}

/// `*.log`, `*.log.h<N>` (ReFrame 4 renames a perflog whose header changed) or `*.json`.
fn is_result_file(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.ends_with(".log") || name.ends_with(".json") {
        return true;
    }
    match name.rsplit_once(".log.h") {
        Some((_, n)) => !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_files_by_name() {
        for (n, yes) in [
            ("a.log", true),
            ("a.log.h0", true),
            ("a.log.h12", true),
            ("r.json", true),
            ("a.log.hx", false),
            ("a.txt", false),
        ] {
            assert_eq!(is_result_file(Path::new(n)), yes, "{n}");
        }
    }
}
