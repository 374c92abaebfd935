//! The `impacts` command as users run it: output shapes, explanations, bad input.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_impacts"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(root())
        .output()
        .expect("run impacts")
}

fn ok_json(args: &[&str]) -> Value {
    let out = run(args);
    assert!(
        out.status.success(),
        "impacts {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// Runs a command that must succeed; its standard output.
fn ok_text(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "impacts {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Runs a command that must fail with exit code 2, a message containing every fragment, and no panic.
fn bad(args: &[&str], fragments: &[&str]) {
    let out = run(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "impacts {args:?}: exit {:?}, stderr {err}",
        out.status.code()
    );
    assert!(
        out.stdout.is_empty(),
        "nothing is printed on stdout on error: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!err.contains("panicked"), "{err}");
    for f in fragments {
        assert!(
            err.contains(f),
            "impacts {args:?}: stderr lacks {f:?}:\n{err}"
        );
    }
}

const JOB: &[&str] = &[
    "job",
    "--center",
    "jean-zay",
    "--partition",
    "gpu_p5",
    "--nodes",
    "2",
    "--hours",
    "5",
    "--zone",
    "FR",
    "--format",
    "json",
];

#[test]
fn the_job_report_has_the_documented_shape() {
    let r = ok_json(JOB);
    for (c, unit) in [("gwp", "gCO2eq"), ("adpe", "gSbeq"), ("pe", "MJ")] {
        let e = &r["impacts"][c];
        let (v, lo, hi) = (
            e["value"].as_f64().unwrap(),
            e["low"].as_f64().unwrap(),
            e["high"].as_f64().unwrap(),
        );
        assert_eq!(e["unit"], unit);
        assert!(v > 0.0 && lo <= v && v <= hi, "{c}: {lo} <= {v} <= {hi}");
        assert!(hi > lo, "{c}: sampled bounds have a spread");
        let mut sum = 0.0;
        for p in ["manufacturing", "use", "idle", "facility"] {
            let pe = &r["phases"][p][c];
            assert_eq!(pe["unit"], unit);
            sum += pe["value"].as_f64().unwrap();
        }
        assert!((sum - v).abs() <= 1e-9 * v, "{c}: phases sum to the total");
    }
    let warnings = r["warnings"].as_array().unwrap();
    assert!(warnings
        .iter()
        .all(|w| w["code"].is_string() && w["message"].is_string()));
    let codes: Vec<&str> = warnings
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"default.load"), "{codes:?}");
    assert!(codes.contains(&"center.pue-default"), "{codes:?}");
    assert!(codes.contains(&"scope.phases-not-modelled"), "{codes:?}");
    let info = ok_json(&["data", "info", "--format", "json"]);
    assert_eq!(r["data_bundle"], info["hash"]);
    assert_eq!(r["data_bundle"].as_str().unwrap().len(), 64);
}

#[test]
fn the_job_numbers_follow_the_hand_calculation() {
    let mut args = JOB.to_vec();
    args.extend(["--load", "100"]);
    let r = ok_json(&args);
    let q = |k: &str| r["quantities"][k]["value"].as_f64().unwrap();
    // Node of gpu_p5: 8 × A100 SXM4 80 GB (400 W), 2 × EPYC 7543 (TDP 225 W; the curve through
    // the BoaviztAPI anchors gives 1.0208926 × TDP at 100 %, as Impacts-HPC reports 80.6505 W for a
    // 79 W TDP), 512 GB of DDR4 (Milan) in 16 modules of 32 GB at full activity: 16 × 3 W +
    // 512 × 0.055 W/GB (BoaviztAPI 2.5.0), times 1 + 0.33 for the rest of the server.
    let ram = 16.0 * 3.0 + 512.0 * 0.055;
    let node = (8.0 * 400.0 + 2.0 * 225.0 * 80.6505129 / 79.0 + ram) * 1.33;
    assert!(
        (q("node_power") - node).abs() < 1e-3 * node,
        "{} vs {node}",
        q("node_power")
    );
    // 2 nodes × 5 h, PUE 1.2, France 44.18 gCO2eq/kWh (Ember 2024).
    let it = node * 2.0 * 5.0 / 1000.0;
    assert!((q("it_energy") - it).abs() < 1e-9 * it);
    let use_gwp = r["phases"]["use"]["gwp"]["value"].as_f64().unwrap();
    assert!((use_gwp - it * 1.2 * 44.18).abs() < 1e-6 * use_gwp);
}

fn walk(e: &Value, leaves: &mut usize, bib: &Value) {
    let children = e["children"].as_array().cloned().unwrap_or_default();
    if e["repeated"] == true {
        return;
    }
    if !children.is_empty() {
        assert!(
            e["formula"].is_string(),
            "node with inputs but no formula: {}",
            e["name"]
        );
    } else {
        // A leaf: an input, a default, a database value, or a number derived outside the graph
        // (a fitted curve, an interpolated factor): each names its source.
        *leaves += 1;
        let key = e["source"]["key"]
            .as_str()
            .unwrap_or_else(|| panic!("leaf without source: {}", e["name"]));
        assert!(
            key == "user" || bib.get(key).is_some(),
            "source {key} of {} is not in the bibliography",
            e["name"]
        );
        if key != "user" {
            assert!(
                e["source"]["title"].is_string() && e["source"]["year"].is_number(),
                "{}",
                e["name"]
            );
        }
        assert!(e["status"].is_string());
    }
    for c in &children {
        walk(c, leaves, bib);
    }
}

#[test]
fn explain_names_a_source_for_every_leaf() {
    let mut args = vec!["explain"];
    args.extend_from_slice(JOB);
    args.extend_from_slice(&["--samples", "200"]);
    let r = ok_json(&args);
    let bib: Value = {
        let text = std::fs::read_to_string(root().join("data/bibliography.toml")).unwrap();
        let t: toml::Value = toml::from_str(&text).unwrap();
        serde_json::to_value(t).unwrap()
    };
    let ex = &r["explanation"];
    let mut leaves = 0;
    for c in ["gwp", "adpe", "pe"] {
        let tree = &ex[c];
        assert_eq!(
            tree["value"], r["impacts"][c]["value"],
            "the tree explains the reported value"
        );
        walk(tree, &mut leaves, &bib);
    }
    assert!(leaves > 30, "a job depends on many inputs ({leaves})");
    // The text form shows formulas and sources too.
    let mut args = vec!["explain"];
    args.extend_from_slice(&JOB[..JOB.len() - 2]);
    let out = run(&args);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("source: ember-2024"), "{text}");
    assert!(
        text.contains("= electricity of the job's nodes × PUE"),
        "{text}"
    );
}

#[test]
fn the_same_seed_gives_the_same_output_bit_for_bit() {
    let mut a = JOB.to_vec();
    a.extend_from_slice(&["--seed", "7", "--samples", "500"]);
    let x = run(&a);
    let y = run(&a);
    assert!(x.status.success());
    assert_eq!(x.stdout, y.stdout);
    let mut b = JOB.to_vec();
    b.extend_from_slice(&["--seed", "8", "--samples", "500"]);
    let z = run(&b);
    assert_ne!(x.stdout, z.stdout, "another seed draws other samples");
}

#[test]
fn csv_and_json_agree() {
    let mut a = JOB.to_vec();
    let n = a.len();
    a[n - 1] = "csv";
    let out = run(&a);
    assert!(out.status.success());
    let j = ok_json(JOB);
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let mut seen = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        if &rec[0] == "impacts" {
            let v: f64 = rec[3].parse().unwrap();
            assert_eq!(v, j["impacts"][&rec[2]]["value"].as_f64().unwrap());
            seen += 1;
        }
    }
    // One row per criterion of the bundle (climate change, minerals, primary energy, water).
    assert_eq!(seen, 4);
    // Warnings go to stderr in CSV mode.
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning[default.load]"));
}

#[test]
fn a_partial_node_is_charged_by_the_partition_key() {
    let r = ok_json(&[
        "job",
        "--center",
        "docs/examples/my-center.toml",
        "--partition",
        "cpu",
        "--cores",
        "16",
        "--hours",
        "3",
        "--format",
        "json",
        "--samples",
        "0",
    ]);
    // 2 × EPYC 7763 = 128 cores per node: 16 cores are 1/8 of a node.
    assert_eq!(r["inputs"]["nodes"].as_f64().unwrap(), 0.125);
    let whole = ok_json(&[
        "job",
        "--center",
        "docs/examples/my-center.toml",
        "--partition",
        "cpu",
        "--nodes",
        "1",
        "--hours",
        "3",
        "--format",
        "json",
        "--samples",
        "0",
    ]);
    for c in ["gwp", "adpe", "pe"] {
        let part = r["impacts"][c]["value"].as_f64().unwrap();
        let full = whole["impacts"][c]["value"].as_f64().unwrap();
        assert!(
            (part * 8.0 - full).abs() < 1e-9 * full,
            "{c}: {part} × 8 vs {full}"
        );
    }
}

#[test]
fn an_unlisted_partition_uses_the_default_node_type_with_a_warning() {
    let r = ok_json(&[
        "job",
        "--center",
        "docs/examples/my-center.toml",
        "--partition",
        "debug",
        "--nodes",
        "1",
        "--hours",
        "1",
        "--format",
        "json",
        "--samples",
        "0",
    ]);
    let codes: Vec<&str> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"center.partition-default"), "{codes:?}");
}

#[test]
fn every_form_of_the_command_runs() {
    for args in [
        vec![
            "server",
            "--cpu",
            "Intel Xeon Gold 6248",
            "--cpus",
            "2",
            "--ram",
            "192GB",
            "--gpu",
            "NVIDIA H100 SXM5",
            "--gpus",
            "4",
            "--ssd",
            "3.84TB",
            "--ssds",
            "2",
        ],
        vec!["component", "cpu", "AMD EPYC 7543"],
        vec!["component", "gpu", "NVIDIA H100 SXM5"],
        vec!["component", "ram", "64GB"],
        vec!["component", "ssd", "3.84TB"],
        vec!["component", "hdd"],
        vec!["component", "motherboard"],
        vec!["component", "psu"],
        vec!["component", "case", "blade"],
        vec!["component", "assembly"],
        vec!["energy", "1000kWh", "--zone", "FR"],
        vec!["energy", "1000kWh", "--zone", "FRA"],
        vec!["energy", "1000kWh", "--zone", "France"],
        vec!["energy", "1000kWh", "--zone", "Europe"],
        vec!["energy", "1000kWh", "--zone", "World"],
        vec![
            "explain",
            "server",
            "--cpu",
            "AMD EPYC 7543",
            "--ram",
            "256GB",
        ],
        vec!["explain", "component", "gpu", "H200"],
        vec!["explain", "energy", "10kWh", "--zone", "DE"],
        vec!["data", "info"],
        vec!["data", "search", "H100"],
        vec!["data", "show", "cpu", "AMD EPYC 7543"],
        vec!["data", "show", "zone", "FR"],
        vec!["data", "show", "center", "jean-zay"],
        vec!["data", "show", "source", "boavizta-2024"],
        vec!["data", "show", "constant", "facility.pue"],
    ] {
        for fmt in ["table", "json", "csv"] {
            let mut a: Vec<&str> = args.clone();
            a.extend_from_slice(&["--format", fmt]);
            if a[0] != "data" {
                a.extend_from_slice(&["--samples", "100"]);
            }
            let out = run(&a);
            assert!(
                out.status.success(),
                "impacts {a:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(!out.stdout.is_empty(), "impacts {a:?} printed nothing");
            if fmt == "json" {
                let v: Value =
                    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{a:?}: {e}"));
                if a[0] != "data" {
                    assert!(v.get("impacts").is_some(), "{a:?}");
                }
            }
            if fmt == "csv" {
                let mut r = csv::Reader::from_reader(out.stdout.as_slice());
                assert!(r.records().count() > 0, "{a:?}: CSV rows");
            }
        }
    }
}

#[test]
fn energy_in_france_is_the_reference_factor() {
    let energy = |method: &str| {
        ok_json(&[
            "energy",
            "1000kWh",
            "--zone",
            "FR",
            "--format",
            "json",
            "--samples",
            "0",
            "--method",
            method,
        ])
    };
    let value = |r: &serde_json::Value, c: &str| r["impacts"][c]["value"].as_f64().unwrap();
    // Impacts-HPC 0.0.8 (shared/parity/reference-cases.json): 98000 g, 0.0485798 g, 11289 MJ.
    let r = energy("impacts-hpc");
    assert_eq!(value(&r, "gwp"), 98_000.0);
    assert!((value(&r, "adpe") - 0.0485798).abs() < 1e-12);
    assert!((value(&r, "pe") - 11_289.0).abs() < 1e-9);
    // The default method's climate factor is Ember's 2024 (44.18 g/kWh); ADPe and PE the same.
    let r = energy("default");
    assert_eq!(value(&r, "gwp"), 44_180.0);
    assert!((value(&r, "pe") - 11_289.0).abs() < 1e-9);
}

#[test]
fn bad_zone() {
    bad(
        &["energy", "1000kWh", "--zone", "FRX"],
        &[
            "unknown --zone 'FRX': expected an electricity zone",
            "closest: FRA (France)",
        ],
    );
    bad(
        &[
            "job",
            "--center",
            "jean-zay",
            "--partition",
            "gpu_p6",
            "--nodes",
            "1",
            "--hours",
            "1",
            "--zone",
            "Frnace",
        ],
        &["unknown --zone 'Frnace'", "FRA (France)"],
    );
}

#[test]
fn bad_partition() {
    bad(
        &[
            "job",
            "--center",
            "jean-zay",
            "--partition",
            "gpu_p7",
            "--nodes",
            "1",
            "--hours",
            "1",
        ],
        &[
            "unknown --partition 'gpu_p7'",
            "cpu_p1",
            "gpu_p13",
            "gpu_p2",
            "gpu_p5",
            "gpu_p6",
            "prepost",
        ],
    );
}

#[test]
fn bad_duration() {
    for h in ["-3", "0", "inf", "NaN", "-0"] {
        bad(
            &[
                "job",
                "--center",
                "jean-zay",
                "--partition",
                "gpu_p6",
                "--nodes",
                "1",
                "--hours",
                h,
            ],
            &[
                &format!("invalid --hours '{h}'"),
                "expected a positive, finite number of hours",
            ],
        );
    }
    bad(
        &[
            "job",
            "--center",
            "jean-zay",
            "--partition",
            "gpu_p6",
            "--nodes",
            "1",
            "--hours",
            "twelve",
        ],
        &["--hours", "twelve"],
    );
}

#[test]
fn bad_counts() {
    bad(
        &[
            "job",
            "--center",
            "jean-zay",
            "--partition",
            "gpu_p6",
            "--nodes",
            "400",
            "--hours",
            "1",
        ],
        &["invalid --nodes '400': expected at most 364: partition gpu_p6 has 364 nodes"],
    );
    bad(
        &[
            "job",
            "--center",
            "jean-zay",
            "--partition",
            "gpu_p6",
            "--cores",
            "50000",
            "--hours",
            "1",
        ],
        &["invalid --cores '50000': expected at most 34944: partition gpu_p6 has 364 nodes of 96 cores"],
    );
    bad(
        &[
            "job",
            "--center",
            "jean-zay",
            "--partition",
            "gpu_p6",
            "--nodes",
            "2",
            "--gpus",
            "9",
            "--hours",
            "1",
        ],
        &["invalid --gpus '9': expected at most 8 on 2 node(s) of partition gpu_p6, which hold 4 GPUs each"],
    );
    // GPUs asked of a partition without GPUs: charged without them, and said (one charging rule
    // for requests and records).
    let out = ok_text(&[
        "job",
        "--center",
        "jean-zay",
        "--partition",
        "cpu_p1",
        "--cores",
        "4",
        "--gpus",
        "1",
        "--hours",
        "1",
    ]);
    assert!(
        out.contains("[job.resource-absent] 1 GPUs asked of partition cpu_p1, whose nodes have none: charged without them"),
        "{out}"
    );
    bad(
        &[
            "job",
            "--center",
            "jean-zay",
            "--partition",
            "gpu_p6",
            "--nodes",
            "-2",
            "--hours",
            "1",
        ],
        &["invalid --nodes '-2'", "positive"],
    );
    bad(
        &[
            "job",
            "--center",
            "jean-zay",
            "--partition",
            "gpu_p6",
            "--hours",
            "1",
        ],
        &["missing --nodes: a job's size is whole nodes, or part of a node (cores, GPUs or memory)"],
    );
    bad(
        &[
            "job",
            "--center",
            "jean-zay",
            "--partition",
            "gpu_p6",
            "--nodes",
            "1",
            "--hours",
            "1",
            "--load",
            "120",
        ],
        &["invalid --load '120'", "between 0 and 100"],
    );
}

#[test]
fn bad_sizes() {
    bad(
        &["server", "--cpu", "AMD EPYC 7543", "--ram", "12QB"],
        &["invalid --ram '12QB'", "e.g. 192GB"],
    );
    bad(&["component", "ram", "12QB"], &["'12QB'", "e.g. 192GB"]);
    bad(&["component", "ssd", "-1TB"], &["'-1TB'", "positive size"]);
    bad(&["energy", "10 kW", "--zone", "FR"], &["'10 kW'", "kWh"]);
}

fn center_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("impacts-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const GOOD: &str = "name = \"Test\"\nzone = \"FR\"\npue = 1.3\n\n[node_types.cpu]\ncpus = [{ model = \"AMD EPYC 7543\", count = 2 }]\nram_gb = 256\n\n[partitions.cpu]\nnode_type = \"cpu\"\nnodes = 10\n";

#[test]
fn bad_center_files_name_file_line_and_column() {
    let p = center_file(
        "unknown-key.toml",
        &GOOD.replace("ram_gb = 256\n", "ram_gb = 256\ncolour = \"blue\"\n"),
    );
    let ps = p.to_str().unwrap();
    bad(
        &[
            "job",
            "--center",
            ps,
            "--partition",
            "cpu",
            "--nodes",
            "1",
            "--hours",
            "1",
        ],
        &[
            &format!("{ps}:8:1:"),
            "unknown field `colour`",
            "expected one of",
        ],
    );
    let p = center_file(
        "wrong-type.toml",
        &GOOD.replace("pue = 1.3", "pue = \"high\""),
    );
    let ps = p.to_str().unwrap();
    bad(
        &[
            "job",
            "--center",
            ps,
            "--partition",
            "cpu",
            "--nodes",
            "1",
            "--hours",
            "1",
        ],
        &[
            &format!("{ps}:3:7:"),
            "pue: invalid type",
            "invalid type",
            "expected a number",
        ],
    );
    let p = center_file("bad-nodes.toml", &GOOD.replace("nodes = 10", "nodes = -10"));
    let ps = p.to_str().unwrap();
    bad(
        &[
            "job",
            "--center",
            ps,
            "--partition",
            "cpu",
            "--nodes",
            "1",
            "--hours",
            "1",
        ],
        &[&format!("{ps}:11:9:"), "nodes must be a positive integer"],
    );
    let p = center_file(
        "bad-type-ref.toml",
        &GOOD.replace("node_type = \"cpu\"", "node_type = \"gpu\""),
    );
    let ps = p.to_str().unwrap();
    bad(
        &[
            "job",
            "--center",
            ps,
            "--partition",
            "cpu",
            "--nodes",
            "1",
            "--hours",
            "1",
        ],
        &[
            &format!("{ps}:10:13:"),
            "unknown node type `gpu`",
            "expected one of cpu",
        ],
    );
    let p = center_file("bad-syntax.toml", &GOOD.replace("pue = 1.3", "pue = = 1.3"));
    let ps = p.to_str().unwrap();
    bad(
        &[
            "job",
            "--center",
            ps,
            "--partition",
            "cpu",
            "--nodes",
            "1",
            "--hours",
            "1",
        ],
        &[&format!("{ps}:3:")],
    );
    bad(
        &[
            "job",
            "--center",
            "/nonexistent/center.toml",
            "--partition",
            "cpu",
            "--nodes",
            "1",
            "--hours",
            "1",
        ],
        &["cannot read center file '/nonexistent/center.toml'"],
    );
}

#[test]
fn job_with_a_grid_series() {
    let series =
        root().join("../shared/data/carbon-intensity/satrai-lab_cozybench/FR_2023_hourly.csv");
    if !series.exists() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("../shared/data is absent, and CI=true requires it");
        }
        eprintln!("notice: ../shared/data is absent; skipping");
        return;
    }
    let s = series.to_string_lossy().into_owned();
    let base = [
        "job",
        "--center",
        "jean-zay",
        "--partition",
        "gpu_p6",
        "--nodes",
        "4",
        "--hours",
        "2.5",
        "--load",
        "80",
        "--format",
        "json",
        "--samples",
        "0",
    ];
    let mut args: Vec<&str> = base.to_vec();
    args.extend(["--start", "2023-03-01T21:00:00+01:00", "--grid-series", &s]);
    let v = ok_json(&args);
    // 20:00–22:30 UTC: (122.79 + 126.15 + 0.5 × 133.47) / 2.5 (rows of the file).
    let g = v["inputs"]["grid"]["gwp_per_kwh"].as_f64().unwrap_or(0.0);
    assert!(
        (g - (122.79 + 126.15 + 0.5 * 133.47) / 2.5).abs() < 1e-9,
        "{g}"
    );
    let table = run(&[
        "job",
        "--center",
        "jean-zay",
        "--partition",
        "gpu_p6",
        "--nodes",
        "4",
        "--hours",
        "2.5",
        "--load",
        "80",
        "--start",
        "2023-03-01T20:00:00Z",
        "--grid-series",
        &s,
    ]);
    let t = String::from_utf8_lossy(&table.stdout);
    assert!(t.contains("Grid over the job: 126 gCO2eq/kWh"), "{t}");
    let mut a: Vec<&str> = base.to_vec();
    a.extend(["--grid-series", &s]);
    bad(&a, &["--grid-series needs --start"]);
    let mut a: Vec<&str> = base.to_vec();
    a.extend(["--start", "2023-03-01 20:00", "--grid-series", &s]);
    bad(&a, &["invalid --start '2023-03-01 20:00'", "with its zone"]);
    let mut a: Vec<&str> = base.to_vec();
    a.extend([
        "--start",
        "2023-03-01T20:00:00Z",
        "--grid-series",
        "/nonexistent.csv",
    ]);
    bad(&a, &["/nonexistent.csv", "cannot open"]);
}

#[test]
fn workflow_storage_transfer_and_what_if() {
    let v = ok_json(&[
        "workflow",
        "docs/examples/workflow.toml",
        "--format",
        "json",
        "--samples",
        "200",
    ]);
    assert_eq!(v["kind"], "workflow");
    let stages: Vec<&str> = v["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(stages, ["simulate", "ship", "keep"]);
    let total = v["impacts"]["gwp"]["value"].as_f64().unwrap_or(0.0);
    let sum: f64 = v["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| s["impacts"]["gwp"]["value"].as_f64().unwrap_or(0.0))
        .sum();
    assert!((total - sum).abs() < 1e-6 * total);
    assert_eq!(v["reports"]["keep"]["kind"], "storage");
    let s = ok_json(&[
        "workflow",
        "docs/examples/workflow.toml",
        "--stage",
        "ship",
        "--format",
        "json",
    ]);
    assert_eq!(s["kind"], "transfer");
    let out = run(&[
        "explain",
        "workflow",
        "docs/examples/workflow.toml",
        "--stage",
        "simulate",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("source:"));
    bad(
        &["explain", "workflow", "docs/examples/workflow.toml"],
        &["--stage NAME"],
    );
    bad(
        &["workflow", "docs/examples/workflow.toml", "--stage", "nope"],
        &["unknown --stage 'nope'", "simulate"],
    );
    bad(
        &[
            "workflow",
            "docs/examples/workflow.toml",
            "--what-if",
            "colour=blue",
        ],
        &["invalid --what-if 'colour=blue': expected a key among zone, pue, start and load"],
    );
    let table = run(&["workflow", "docs/examples/workflow.toml", "--samples", "0"]);
    let t = String::from_utf8_lossy(&table.stdout);
    assert!(
        t.contains("simulate") && t.contains("█") && t.contains("Total"),
        "{t}"
    );

    let w = ok_json(&[
        "job",
        "--center",
        "jean-zay",
        "--partition",
        "cpu_p1",
        "--nodes",
        "2",
        "--hours",
        "5",
        "--load",
        "50",
        "--what-if",
        "zone=DE",
        "--format",
        "json",
        "--samples",
        "0",
    ]);
    let rows = w.as_array().expect("scenarios");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["label"], "zone=DE");
    assert!(
        rows[1]["change_percent"]["gwp"].as_f64().unwrap_or(0.0) > 0.0,
        "German electricity emits more"
    );

    let st = ok_json(&[
        "storage",
        "20TB",
        "--years",
        "5",
        "--center",
        "docs/examples/my-center.toml",
        "--tier",
        "project",
        "--format",
        "json",
        "--samples",
        "0",
    ]);
    assert_eq!(st["kind"], "storage");
    assert_eq!(st["quantities"]["drives"]["value"], 1.25);
    let tr = ok_json(&[
        "transfer",
        "20TB",
        "--from",
        "FR",
        "--to",
        "DE",
        "--kwh-per-gb",
        "0.01",
        "--format",
        "json",
        "--samples",
        "0",
    ]);
    assert_eq!(tr["quantities"]["network_energy"]["value"], 200.0);
    bad(
        &["transfer", "20TB", "--from", "FR", "--to", "Atlantis"],
        &["unknown --to 'Atlantis': expected an electricity zone"],
    );
    bad(
        &["storage", "20TB", "--years", "-1", "--media", "hdd"],
        &["--years"],
    );
    bad(
        &["storage", "20TB", "--years", "5", "--media", "floppy"],
        &["--media 'floppy'"],
    );
}
