//! Every file of `../shared/data/benchmarks` (real ReFrame outputs of CSD3, ARCHER2 and Exa-MA's
//! feelpp), read with counts checked against the files: a ReFrame 3 perflog line is one
//! performance value, a ReFrame 4 perflog line after the header one run, a report's test case one
//! run.

use std::path::PathBuf;

use impacts_bench::{read_file, read_paths, Warnings};

fn data() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/benchmarks");
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "../shared/data is absent, and CI=true requires it"
    );
    eprintln!("notice: ../shared/data is absent; skipping");
    None
}

fn non_empty_lines(p: &std::path::Path) -> usize {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count()
}

#[test]
fn every_reframe_3_perflog_line_is_one_value() {
    let Some(dir) = data() else { return };
    let root = dir.join("reframe-perflogs-3.x");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    assert_eq!(files.len(), 174, "the data's README says 174 perflogs");
    let lines: usize = files.iter().map(|f| non_empty_lines(f)).sum();
    let mut w = Warnings::default();
    let runs = read_paths(&[root], &mut w).unwrap();
    let values: usize = runs.iter().map(|r| r.perf.len()).sum();
    assert_eq!(values, lines);
    // Read by several threads, the runs stay in the files' name order.
    let file_of = |r: &impacts_bench::Run| r.source.rsplit_once(':').unwrap().0.to_string();
    assert!(runs.windows(2).all(|w| file_of(&w[0]) <= file_of(&w[1])));
    assert_eq!(
        runs.iter()
            .map(file_of)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        files.len()
    );
    // Each file is one test: its runs share the test, the machine and the environment, and every
    // run has a job id and a time.
    for f in &files {
        let runs = read_file(f, &mut w).unwrap();
        let name = f.file_stem().unwrap().to_str().unwrap();
        assert!(
            runs.iter()
                .all(|r| r.test == name && r.jobid.is_some() && r.time.is_some()),
            "{}",
            f.display()
        );
    }
    assert_eq!(
        w.count("bench.time-without-zone"),
        0,
        "ReFrame 3 writes offsets"
    );
    // The first line of a GROMACS file, by hand: 61k atoms on 448 processes of 8 nodes,
    // 273.916 ns/day, job 29509521.
    let g = dir.join("reframe-perflogs-3.x/csd3/cclake-ib-gcc9-ompi3-ucx/gromacs/Gromacs_HECBioSim_61k_atoms_csd3_cclake_ib_gcc9_ompi3_ucx_448_56/Gromacs_HECBioSim_61k_atoms_csd3_cclake_ib_gcc9_ompi3_ucx_448_56.log");
    let runs = read_file(&g, &mut w).unwrap();
    let first = runs
        .iter()
        .find(|r| r.jobid.as_deref() == Some("29509521"))
        .unwrap();
    assert_eq!(
        (
            first.system.as_str(),
            first.partition.as_str(),
            first.environ.as_str()
        ),
        ("csd3", "cclake-ib-gcc9-ompi3-ucx", "gromacs")
    );
    let ns = first.perf.iter().find(|p| p.name == "ns_per_day").unwrap();
    assert_eq!((ns.value, ns.unit.as_str()), (273.916, "ns/day"));
    assert_eq!(first.nodes(), Some(8));
    assert_eq!(
        first.params.get("num_procs").map(String::as_str),
        Some("448")
    );
    assert_eq!(first.tags, ["61k-atoms"]);
    // 2020-09-30T15:23:17+01:00 is 1601475797 s.
    assert_eq!(first.time, Some(1_601_475_797));
}

#[test]
fn the_archer2_reframe_4_perflog() {
    let Some(dir) = data() else { return };
    let f = dir.join("archer2-SombreroBenchmark-reframe-4.3.2.log");
    let mut w = Warnings::default();
    let runs = read_file(&f, &mut w).unwrap();
    assert_eq!(
        runs.len(),
        non_empty_lines(&f) - 1,
        "one run per line after the header"
    );
    let first = &runs[0];
    assert_eq!(first.test, "SombreroBenchmark");
    assert_eq!(
        (first.system.as_str(), first.partition.as_str()),
        ("archer2", "compute-node")
    );
    assert_eq!(first.jobid.as_deref(), Some("4309427"));
    assert_eq!(first.params.get("tasks").map(String::as_str), Some("1"));
    assert_eq!(
        first.params.get("spack_spec").map(String::as_str),
        Some("sombrero@2021-08-16"),
        "a site's column kept"
    );
    let flops = &first.perf[0];
    assert_eq!(
        (flops.name.as_str(), flops.value, flops.unit.as_str()),
        ("flops", 0.67, "Gflops/seconds")
    );
    assert_eq!(
        (flops.reference, flops.lower, flops.upper),
        (Some(1.2), Some(-0.2), None)
    );
    // Its completion times have no zone: read as UTC, and said.
    assert_eq!(w.count("bench.time-without-zone"), runs.len() as u64);
}

#[test]
fn the_feelpp_run_report() {
    let Some(dir) = data() else { return };
    let f = dir.join("feelpp-parallelSum-reframe-4.6.3-report.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
    let cases: usize = v["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["testcases"].as_array().unwrap().len())
        .sum();
    let vars: usize = v["runs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["testcases"].as_array().unwrap())
        .map(|c| c["perfvars"].as_array().unwrap().len())
        .sum();
    let mut w = Warnings::default();
    let runs = read_file(&f, &mut w).unwrap();
    assert_eq!(runs.len(), cases);
    assert_eq!(runs.iter().map(|r| r.perf.len()).sum::<usize>(), vars);
    let first = &runs[0];
    assert_eq!(
        (
            first.test.as_str(),
            first.system.as_str(),
            first.partition.as_str()
        ),
        ("RegressionTest", "local", "default")
    );
    assert_eq!(
        (first.jobid.as_deref(), first.result.as_deref()),
        (Some("99178"), Some("pass"))
    );
    assert_eq!(first.nodelist, ["irma-dhcp-2.math.unistra.fr"]);
    assert_eq!(
        first.params.get("elements").map(String::as_str),
        Some("1000000000.0")
    );
    assert_eq!(first.perf[0].name, "computation_time");
    assert_eq!(first.perf[0].value, 5.32933);
    // No time per test case in data version 3: the session's end, 2024-12-02T14:46:40+0100
    // (1733147200 s).
    assert_eq!(first.time, Some(1_733_147_200));
}
