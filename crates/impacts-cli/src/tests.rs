//! Tests that run the commands in-process with a data bundle of their own.

use std::path::PathBuf;

use clap::Parser;
use impacts::impacts_data::Bundle;
use impacts::Engine;

use crate::args::Cli;
use crate::commands;

/// The embedded bundle with a fourth criterion, water (`wat`, L), that no factor covers yet.
fn engine_with_water() -> Engine {
    let embedded = Bundle::embedded().expect("bundle");
    let files = embedded
        .files()
        .iter()
        .map(|(name, text)| {
            let text = if name == "criteria.toml" {
                format!("{text}\n[[criterion]]\nkey = \"wat\"\nname = \"Water consumption\"\nunit = \"L\"\n")
            } else {
                text.clone()
            };
            (name.clone(), text)
        })
        .collect();
    Engine::with_bundle(Bundle::from_files(files).expect("bundle with water"))
}

fn run(engine: &Engine, args: &[&str]) -> String {
    let cli = Cli::try_parse_from(std::iter::once("impacts").chain(args.iter().copied()))
        .expect("arguments");
    commands::run(engine, &cli.cmd).unwrap_or_else(|e| panic!("{args:?}: {}", e.message(&[])))
}

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let d =
            std::env::temp_dir().join(format!("impacts-cli-unit-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("temporary folder");
        Dir(d)
    }
    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const SACCT: &str = "JobID|User|Account|Partition|State|Start|End|Elapsed|NNodes|NCPUS|AllocTRES\n\
1|ann|p1|cpu_p1|COMPLETED|2024-01-10T10:00:00|2024-01-10T13:00:00|03:00:00|2|80|cpu=80,node=2\n\
2|bob|p2|gpu_p6|FAILED|2024-01-11T08:00:00|2024-01-11T08:30:00|00:30:00|1|24|cpu=24,gres/gpu=1,node=1\n";

/// A criterion added to the data (water) reaches every output: the job's table, JSON and CSV;
/// the accounting summary's table, JSON and CSV; the per-job CSV, JSON Lines and Parquet
/// columns; the workflow's tables. Nothing lists the criteria by hand.
#[test]
fn an_extra_criterion_appears_in_every_output() {
    let engine = engine_with_water();
    let job = [
        "job",
        "--center",
        "jean-zay",
        "--partition",
        "cpu_p1",
        "--nodes",
        "1",
        "--hours",
        "2",
        "--samples",
        "50",
    ];
    let table = run(&engine, &job);
    assert!(table.contains("(wat, L)"), "{table}");
    let json = run(&engine, &[&job[..], &["--format", "json"]].concat());
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert!(v["impacts"]["wat"]["value"].is_number(), "{json}");
    for ph in ["manufacturing", "use", "idle", "facility"] {
        assert!(v["phases"][ph]["wat"].is_object(), "phase {ph}");
    }
    let csv = run(&engine, &[&job[..], &["--format", "csv"]].concat());
    assert!(csv.lines().any(|l| l.contains("wat")), "{csv}");

    let d = Dir::new("water");
    let input = d.path("sacct.txt");
    std::fs::write(&input, SACCT).expect("input");
    for (ext, format) in [("csv", "table"), ("jsonl", "json"), ("parquet", "csv")] {
        let jobs = d.path(&format!("jobs.{ext}"));
        let summary = d.path(&format!("summary.{format}"));
        run(
            &engine,
            &[
                "accounting",
                &input,
                "--center",
                "jean-zay",
                "--samples",
                "20",
                "--format",
                format,
                "--jobs",
                &jobs,
                "--summary",
                &summary,
            ],
        );
        let s = std::fs::read_to_string(&summary).expect("summary");
        let wanted = match format {
            "table" => "(wat, L)",
            "json" => "\"wat\"",
            _ => "wat_L",
        };
        assert!(s.contains(wanted), "{format} summary lacks {wanted}:\n{s}");
        let bytes = std::fs::read(&jobs).expect("per-job file");
        let text = String::from_utf8_lossy(&bytes);
        for col in [
            "wat",
            "wat_low",
            "wat_high",
            "manufacturing_wat",
            "use_wat",
            "idle_wat",
            "facility_wat",
        ] {
            // CSV and JSON Lines name their columns in the text; Parquet in its schema (footer).
            assert!(text.contains(col), "{ext} lacks the column {col}");
        }
    }

    let wf = run(
        &engine,
        &[
            "workflow",
            "../../docs/examples/workflow.toml",
            "--samples",
            "20",
        ],
    );
    assert!(wf.contains("(wat, L)"), "{wf}");
}

#[test]
fn the_arguments_are_consistent() {
    use clap::CommandFactory;
    Cli::command().debug_assert();
}

/// Every long flag of the command line (`--hours`), from its definition.
fn long_flags() -> std::collections::BTreeSet<String> {
    fn walk(c: &clap::Command, out: &mut std::collections::BTreeSet<String>) {
        for a in c.get_arguments() {
            if let Some(l) = a.get_long() {
                out.insert(format!("--{l}"));
            }
        }
        for s in c.get_subcommands() {
            walk(s, out);
        }
    }
    use clap::CommandFactory;
    let mut out = std::collections::BTreeSet::new();
    walk(&Cli::command(), &mut out);
    out.remove("--help");
    out.remove("--version");
    out
}

/// The string literals of a Rust file outside its tests and comments.
fn literals(text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = Vec::new();
    for line in code.lines() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '"' {
                continue;
            }
            let mut lit = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => break,
                    c => lit.push(c),
                }
            }
            out.push(lit);
        }
    }
    out
}

/// No message of the libraries names a flag of the command line: they name inputs as the
/// requests do (`hours`), and each shell names them its own way. sacct's own flags, in messages
/// about sacct's outputs, are not ours.
#[test]
fn no_library_message_names_a_flag() {
    let flags = long_flags();
    assert!(
        flags.contains("--hours") && flags.contains("--jobs"),
        "{flags:?}"
    );
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = Vec::new();
    let mut files = 0;
    for c in std::fs::read_dir(&root).expect("crates") {
        let dir = c.expect("crate").path();
        if dir.ends_with("impacts-cli") {
            continue;
        }
        let mut stack = vec![dir.join("src")];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries {
                let p = e.expect("entry").path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    files += 1;
                    let text = std::fs::read_to_string(&p).expect("source");
                    for lit in literals(&text) {
                        let named = flags.iter().any(|f| {
                            lit.match_indices(f.as_str()).any(|(i, _)| {
                                !lit[i + f.len()..]
                                    .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
                            })
                        });
                        if named && !lit.contains("sacct") {
                            found.push(format!("{}: {lit}", p.display()));
                        }
                    }
                }
            }
        }
    }
    assert!(
        files > 50,
        "the libraries' sources were read ({files} files)"
    );
    assert!(
        found.is_empty(),
        "library messages that name flags:\n{}",
        found.join("\n")
    );
}
