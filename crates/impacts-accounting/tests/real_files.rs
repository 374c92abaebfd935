//! Every file under `../shared/data/sacct` and `../shared/data/swf`, read as a user would.
//!
//! Expected job counts and states were obtained by reading the files with a few lines of Python
//! (`csv`/`json`/`zipfile`, independent of this crate: allocation lines are those whose JobID has
//! no `.`; a job listed twice counts once), and the jobs checked field by field were read by eye
//! from the files (the lines are quoted in the comments). Files that are not accounting records
//! (man pages, schemas, cluster descriptions) are listed too, with the error they must give.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use impacts_accounting::input::{self, InputFormat};
use impacts_accounting::record::{parse_tres, JobRecord, JobState, Timestamp};
use impacts_accounting::sacct_text::TextOptions;
use impacts_accounting::{Issues, ReadError};

fn data_dir() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let candidates = [
        std::env::var_os("IMPACTS_SHARED").map(PathBuf::from),
        Some(root.join("../shared")),
    ];
    for c in candidates.into_iter().flatten() {
        if c.join("data").is_dir() {
            return Some(c.join("data"));
        }
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("../shared/data is absent, and CI=true requires it");
    }
    eprintln!(
        "notice: ../shared/data is absent; skipping a test that reads the real accounting files"
    );
    None
}

/// The 26 fields of XDMoD's `sacct --parsable2 --noheader --allocations` (shared/data/README.md).
const XDMOD: &str = "jobid,jobidraw,cluster,partition,qos,account,group,gid,user,uid,submit,eligible,start,end,elapsed,exitcode,state,nnodes,ncpus,reqcpus,reqmem,reqtres,alloctres,timelimit,nodelist,jobname";
/// hb-jobinfo's `--format` (its test/data/README.md).
const HB_JOBINFO: &str = "JobID,JobName,User,Partition,NodeList,NNodes,NCPUs,NTasks,State,Submit,Start,End,Timelimit,Elapsed,TotalCPU,CPUTime,UserCPU,SystemCPU,ReqMem,MaxRSS,MaxVMSize,ReqTRES,AllocTRES,TRESUsageInMax,TRESUsageInTot,TRESUsageOutTot,MaxDiskRead,MaxDiskWrite,MaxRSSNode,MaxRSSTask,MaxVMSizeNode,MaxVMSizeTask,MaxDiskReadNode,MaxDiskReadTask,MaxDiskWriteNode,MaxDiskWriteTask,Comment";
/// slurm-jobinfo's `--format` (its test/data/README.md).
const SLURM_JOBINFO: &str = "JobID,JobName,User,Partition,NodeList,NNodes,ncpus,NTasks,State,Submit,start,end,timelimit,elapsed,TotalCPU,UserCPU,SystemCPU,ReqMem,MaxRSS,TRESUsageInTot,TRESUsageOutTot,MaxDiskWrite,MaxDiskRead,MaxRSSNode,MaxDiskWriteNode,MaxDiskReadNode,Comment";

struct Read {
    jobs: Vec<JobRecord>,
    issues: Issues,
    format: InputFormat,
    compression: Option<&'static str>,
}

fn read(path: &Path, fields: Option<&str>) -> Result<Read, ReadError> {
    let text = TextOptions {
        delimiter: None,
        fields: fields.map(|f| f.split(',').map(str::to_string).collect()),
    };
    let src = input::reader(&path.to_string_lossy(), 0, None, &text)?;
    let mut reader = src.reader;
    let mut issues = Issues::default();
    let mut jobs = Vec::new();
    let mut rec = JobRecord::default();
    while reader.next_job(&mut rec, &mut issues)? {
        jobs.push(rec.clone());
    }
    // Duplicates across distant lines are the accountant's business: count them here as it does.
    let mut seen = std::collections::HashSet::new();
    let mut unique = Vec::new();
    for j in jobs {
        if seen.insert((j.cluster.clone(), j.job_id.clone(), j.submit)) {
            unique.push(j);
        } else {
            let id = j.job_id.clone();
            issues.note("accounting.duplicate-job", || id);
        }
    }
    Ok(Read {
        jobs: unique,
        issues,
        format: src.format,
        compression: src.compression,
    })
}

fn states(jobs: &[JobRecord]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for j in jobs {
        *m.entry(j.state.map_or("NONE", JobState::as_str).to_string())
            .or_insert(0) += 1;
    }
    m
}

fn expect_states(file: &str, jobs: &[JobRecord], expected: &[(&str, usize)]) {
    let want: BTreeMap<String, usize> = expected.iter().map(|(s, n)| (s.to_string(), *n)).collect();
    assert_eq!(states(jobs), want, "states of {file}");
}

fn job<'a>(r: &'a Read, id: &str) -> &'a JobRecord {
    r.jobs
        .iter()
        .find(|j| j.job_id == id)
        .unwrap_or_else(|| panic!("job {id} not read"))
}

fn ts(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<Timestamp> {
    Timestamp::from_civil(y, mo, d, h, mi, s)
}

fn count(r: &Read, code: &str) -> u64 {
    r.issues.count(code)
}

/// Every file is listed in one of the tests below: a new file must be given its test.
#[test]
fn every_file_has_a_test() {
    let Some(d) = data_dir() else { return };
    let covered: &[&str] = &[
        // Accounting records, read in the tests below.
        "sacct/ubccr_xdmod/phillips.log",
        "sacct/ubccr_xdmod/robertson-filter-test.log",
        "sacct/ubccr_xdmod/unit/accounting-logs-with-job-arrays.log",
        "sacct/ubccr_xdmod/unit/accounting-logs.log",
        "sacct/ubccr_xdmod/unit/non-ended-job-state.log",
        "sacct/ubccr_xdmod/unit/unknown-job-state.log",
        "sacct/ubccr_xdmod/unit/utf8-multibyte-chars.log",
        "sacct/rug-cit-hpc_hb-jobinfo/sacct.txt",
        "sacct/rug-cit-hpc_slurm-jobinfo/sacct.txt",
        "sacct/GreenAlgorithms_GreenAlgorithms4HPC/example_sacctOutput_raw.txt",
        "sacct/GreenAlgorithms_GreenAlgorithms4HPC/example_sacctOutput_raw_asDF.tsv",
        "sacct/cscs_santis_readme_excerpt/santis_sacct_energy.md",
        "sacct/mila-iqia_clockwork/sacct_1.json",
        "swf/aleasimulator_alea/hpc2n.swf",
        "swf/cloudsimplus/NASA-iPSC-1993-3.1-cln.swf.zip",
        // TRES strings with their GPU counts: parser test vectors.
        "sacct/ubccr_xdmod/unit/alloc-tres-gpu-count.json",
    ];
    let mut missing = Vec::new();
    for top in ["sacct", "swf"] {
        let mut stack = vec![d.join(top)];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).expect("readable data folder") {
                let p = e.expect("entry").path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let rel = p
                    .strip_prefix(&d)
                    .expect("under data")
                    .to_string_lossy()
                    .replace('\\', "/");
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                let listed = covered.contains(&rel.as_str())
                    || NOT_ACCOUNTING.iter().any(|(f, _)| *f == rel)
                    || (rel.starts_with("sacct/rackslab_Slurm-web/")
                        && name.starts_with("slurm")
                        && name.contains("job"))
                    || ["COMMIT", "LICENSE"].contains(&name);
                if !listed {
                    missing.push(rel);
                }
            }
        }
    }
    assert!(missing.is_empty(), "files without a test: {missing:?}");
}

/// Files that are not accounting records, and what reading them must say.
const NOT_ACCOUNTING: &[(&str, &str)] = &[
    (
        "sacct/GreenAlgorithms_GreenAlgorithms4HPC/cluster_info.yaml",
        "no table of sacct output",
    ),
    (
        "sacct/GreenAlgorithms_GreenAlgorithms4HPC/fixed_parameters.yaml",
        "no table of sacct output",
    ),
    // Green Algorithms' own processed output, not sacct's: its columns are not sacct fields.
    (
        "sacct/GreenAlgorithms_GreenAlgorithms4HPC/example_output_workloadManager.tsv",
        "delimiter",
    ),
    ("sacct/SchedMD_slurm_docs/rest_api.shtml", "delimiter"),
    ("sacct/SchedMD_slurm_docs/sacct.1", "delimiter"),
    ("sacct/SchedMD_slurm_docs/sacct.1.txt", "delimiter"),
    ("sacct/cscs_santis_readme_excerpt/ORIGIN.txt", "delimiter"),
    (
        "sacct/mila-iqia_clockwork/gpu_information.json",
        "an object with `jobs`",
    ),
    (
        "sacct/ubccr_xdmod/unit/slurm_helper_sacct.json",
        "missing field `jobs`",
    ),
    (
        "sacct/rackslab_Slurm-web/23.11_0.0.40/slurm-nodes.json",
        "missing field `jobs`",
    ),
    (
        "sacct/rackslab_Slurm-web/23.11_0.0.40/slurm-partitions.json",
        "missing field `jobs`",
    ),
    (
        "sacct/rackslab_Slurm-web/24.05_0.0.41/slurm-nodes.json",
        "missing field `jobs`",
    ),
    (
        "sacct/rackslab_Slurm-web/24.05_0.0.41/slurm-partitions.json",
        "missing field `jobs`",
    ),
    (
        "sacct/rackslab_Slurm-web/24.11_0.0.42/slurm-nodes.json",
        "missing field `jobs`",
    ),
    (
        "sacct/rackslab_Slurm-web/24.11_0.0.42/slurm-partitions.json",
        "missing field `jobs`",
    ),
    (
        "sacct/rackslab_Slurm-web/openapi/slurmrestd-24.05-openapi-v3.json",
        "missing field `jobs`",
    ),
    (
        "sacct/rackslab_Slurm-web/openapi/slurmrestd-25.11-openapi-v3.json",
        "missing field `jobs`",
    ),
    (
        "sacct/rug-cit-hpc_hb-jobinfo/README.md",
        "no table of sacct output",
    ),
    (
        "sacct/rug-cit-hpc_slurm-jobinfo/README.md",
        "no table of sacct output",
    ),
    ("sacct/rug-cit-hpc_hb-jobinfo/scontrol.txt", "delimiter"),
    ("sacct/rug-cit-hpc_slurm-jobinfo/scontrol.txt", "delimiter"),
    // sstat output: no header, and its fields are not sacct's allocation fields.
    ("sacct/rug-cit-hpc_hb-jobinfo/sstat.txt", "no header row"),
    ("sacct/rug-cit-hpc_slurm-jobinfo/sstat.txt", "no header row"),
    ("swf/aleasimulator_alea/hpc2n.swf.machines", "delimiter"),
];

#[test]
fn files_that_are_not_accounting_give_a_clear_error() {
    let Some(d) = data_dir() else { return };
    for (f, what) in NOT_ACCOUNTING {
        let p = d.join(f);
        let e = match read(&p, None) {
            Ok(r) => panic!("{f}: read as {} jobs, expected an error", r.jobs.len()),
            Err(e) => e,
        };
        let msg = e.to_string();
        assert!(
            msg.starts_with(&p.to_string_lossy().into_owned()),
            "{f}: the error names the file: {msg}"
        );
        assert!(msg.contains(what), "{f}: expected '{what}' in: {msg}");
        assert!(
            e.fatal,
            "{f}: a document that is not accounting stops the reading"
        );
    }
}

#[test]
fn xdmod_phillips() {
    let Some(d) = data_dir() else { return };
    let r = read(&d.join("sacct/ubccr_xdmod/phillips.log"), Some(XDMOD)).expect("readable");
    assert_eq!(r.format, InputFormat::Sacct);
    assert_eq!(r.jobs.len(), 4285);
    expect_states(
        "phillips.log",
        &r.jobs,
        &[
            ("CANCELLED", 243),
            ("COMPLETED", 2324),
            ("FAILED", 1717),
            ("TIMEOUT", 1),
        ],
    );
    assert_eq!(count(&r, "accounting.duplicate-job"), 0);
    // Line 1: 163485|163485|phillips|focaccia|chestnut|chaff|chaff|45789|noror|380693|
    // 2016-12-22T07:15:12|2016-12-22T07:15:12|2016-12-22T07:15:13|2017-01-01T20:42:19|10-13:27:06|0:0|
    // CANCELLED by 380693|1|12|12|31000Mn|cpu=12,node=1|billing=12,cpu=12,gres/gpu=2,mem=31000M,node=1|...
    let j = job(&r, "163485");
    assert_eq!(j.partition, "focaccia");
    assert_eq!(j.user, "noror");
    assert_eq!(j.account, "chaff");
    assert_eq!(j.state, Some(JobState::Cancelled));
    assert_eq!(j.state_raw, "CANCELLED by 380693");
    assert_eq!(j.start, ts(2016, 12, 22, 7, 15, 13));
    assert_eq!(j.end, ts(2017, 1, 1, 20, 42, 19));
    assert_eq!(
        j.elapsed_s,
        Some((10 * 86400 + 13 * 3600 + 27 * 60 + 6) as f64)
    );
    assert_eq!(
        (j.nodes, j.cpus, j.gpus),
        (Some(1.0), Some(12.0), Some(2.0))
    );
    assert_eq!(j.mem_gb, Some(31000.0 / 1024.0));
    // Line 2: 165381|...|TIMEOUT|8|64|64|8000Mn|cpu=64,mem=62.50G,node=8|billing=64,cpu=64,mem=62.50G
    // (AllocTRES without node=: NNodes gives 8).
    let j = job(&r, "165381");
    assert_eq!(j.state, Some(JobState::Timeout));
    assert_eq!(j.elapsed_s, Some((5 * 86400 + 26) as f64));
    assert_eq!((j.nodes, j.cpus, j.gpus), (Some(8.0), Some(64.0), None));
    assert_eq!(j.mem_gb, Some(62.5));
    // ReqMem 2147486648Mn (an overflowed request) does not matter: AllocTRES mem=24000M is used.
    let j = job(&r, "167758");
    assert_eq!(j.mem_gb, Some(24000.0 / 1024.0));
    // Only two jobs of this cluster had GPUs.
    assert_eq!(
        r.jobs
            .iter()
            .filter(|j| j.gpus.unwrap_or(0.0) > 0.0)
            .count(),
        2
    );
}

#[test]
fn xdmod_unit_logs() {
    let Some(d) = data_dir() else { return };
    let u = d.join("sacct/ubccr_xdmod");
    let r = read(&u.join("robertson-filter-test.log"), Some(XDMOD)).expect("readable");
    expect_states("robertson", &r.jobs, &[("COMPLETED", 1)]);
    let j = job(&r, "6120900");
    assert_eq!((j.nodes, j.cpus), (Some(9.0), Some(108.0)));
    assert_eq!(j.elapsed_s, Some((15 * 60 + 38) as f64));
    assert_eq!(j.node_list.split(',').count(), 9);

    // Array ids kept as written: a task (_100) and pending ranges (_[1-3], _[9-11,20], ...).
    let r = read(
        &u.join("unit/accounting-logs-with-job-arrays.log"),
        Some(XDMOD),
    )
    .expect("readable");
    assert_eq!(r.jobs.len(), 6);
    expect_states("arrays", &r.jobs, &[("TIMEOUT", 6)]);
    let ids: Vec<&str> = r.jobs.iter().map(|j| j.job_id.as_str()).collect();
    assert!(
        ids.contains(&"4103947_100")
            && ids.contains(&"4103947_[1-3]")
            && ids.contains(&"4103947_[9-11,20]"),
        "{ids:?}"
    );
    // Empty ReqTRES and AllocTRES: NNodes, NCPUS and ReqMem (3000Mc: 3000 MB per CPU) remain.
    let j = job(&r, "4103947_100");
    assert_eq!((j.nodes, j.cpus, j.gpus), (Some(32.0), Some(256.0), None));
    assert_eq!(j.mem_gb, Some(3000.0 * 256.0 / 1024.0));

    let r = read(&u.join("unit/accounting-logs.log"), Some(XDMOD)).expect("readable");
    expect_states(
        "accounting-logs",
        &r.jobs,
        &[("CANCELLED", 1), ("COMPLETED", 2), ("TIMEOUT", 1)],
    );
    let j = job(&r, "4107166");
    assert_eq!(
        j.elapsed_s,
        Some((2 * 86400 + 22 * 3600 + 3 * 60 + 4) as f64)
    );
    assert_eq!((j.nodes, j.cpus), (Some(3.0), Some(36.0)));

    let r = read(&u.join("unit/non-ended-job-state.log"), Some(XDMOD)).expect("readable");
    expect_states("non-ended", &r.jobs, &[("PENDING", 1), ("RUNNING", 1)]);
    // Start=Unknown for the pending job.
    assert_eq!(job(&r, "3483276").start, None);

    let r = read(&u.join("unit/unknown-job-state.log"), Some(XDMOD)).expect("readable");
    expect_states("unknown", &r.jobs, &[("OTHER", 2)]);
    assert_eq!(job(&r, "3451067").state_raw, "FOO");

    let r = read(&u.join("unit/utf8-multibyte-chars.log"), Some(XDMOD)).expect("readable");
    expect_states("utf8", &r.jobs, &[("TIMEOUT", 1)]);
    assert_eq!(job(&r, "4103947").name, "aàb");
}

#[test]
fn xdmod_tres_gpu_counts() {
    let Some(d) = data_dir() else { return };
    let text = std::fs::read_to_string(d.join("sacct/ubccr_xdmod/unit/alloc-tres-gpu-count.json"))
        .expect("readable");
    let cases: Vec<(String, f64)> = serde_json::from_str(&text).expect("a list of [tres, gpus]");
    assert!(cases.len() >= 8);
    for (tres, gpus) in cases {
        let t = parse_tres(&tres).unwrap_or_else(|e| panic!("'{tres}': {e}"));
        assert_eq!(t.gpus.unwrap_or(0.0), gpus, "GPUs of '{tres}'");
    }
}

#[test]
fn rug_hb_jobinfo() {
    let Some(d) = data_dir() else { return };
    let r = read(
        &d.join("sacct/rug-cit-hpc_hb-jobinfo/sacct.txt"),
        Some(HB_JOBINFO),
    )
    .expect("readable");
    assert_eq!(r.jobs.len(), 100);
    expect_states(
        "hb-jobinfo",
        &r.jobs,
        &[
            ("CANCELLED", 8),
            ("COMPLETED", 66),
            ("FAILED", 8),
            ("NODE_FAIL", 1),
            ("PENDING", 7),
            ("RUNNING", 3),
            ("TIMEOUT", 7),
        ],
    );
    // 4034541☃…☃gpumedium☃a100gpu2☃1☃8☃☃CANCELLED by 10304007☃2023-08-31T12:29:47☃2023-09-01T05:51:10☃
    // 2023-09-01T09:25:23☃19:50:00☃03:34:13☃…☃199G☃☃☃billing=24,cpu=1,mem=199G,node=1☃billing=24,cpu=8,mem=199G,node=1☃…
    let j = job(&r, "4034541");
    assert_eq!(j.partition, "gpumedium");
    assert_eq!(j.state, Some(JobState::Cancelled));
    assert_eq!(j.elapsed_s, Some((3 * 3600 + 34 * 60 + 13) as f64));
    assert_eq!((j.nodes, j.cpus), (Some(1.0), Some(8.0)));
    assert_eq!(j.mem_gb, Some(199.0));
    // 4047445: Start=None, NodeList "None assigned": never started.
    let j = job(&r, "4047445");
    assert_eq!(j.start, None);
    assert_eq!(j.elapsed_s, Some(0.0));
    // gres/gpu:a100=2 and gres/gpu=2 are the same two GPUs.
    // 8150389☃…☃gpulong☃…☃1☃16☃…☃2-21:09:16☃…☃billing=16,cpu=16,gres/gpu:a100=2,gres/gpu=2,mem=32G,node=1
    let j = job(&r, "8150389");
    assert_eq!(j.gpus, Some(2.0));
    assert_eq!(
        j.elapsed_s,
        Some((2 * 86400 + 21 * 3600 + 9 * 60 + 16) as f64)
    );
    // An array task, with its steps folded in.
    let j = job(&r, "5908801_3");
    assert_eq!(j.state, Some(JobState::Completed));
    assert_eq!(j.elapsed_s, Some((86400 + 4 * 3600 + 37 * 60 + 26) as f64));
    assert!(r.jobs.iter().map(|j| j.steps).sum::<u32>() > 100);
}

#[test]
fn rug_slurm_jobinfo() {
    let Some(d) = data_dir() else { return };
    let r = read(
        &d.join("sacct/rug-cit-hpc_slurm-jobinfo/sacct.txt"),
        Some(SLURM_JOBINFO),
    )
    .expect("readable");
    // 37 allocation lines, of which 17 repeat jobs already listed (the file holds two dumps).
    assert_eq!(r.jobs.len(), 20);
    assert_eq!(count(&r, "accounting.duplicate-job"), 17);
    expect_states(
        "slurm-jobinfo",
        &r.jobs,
        &[
            ("COMPLETED", 9),
            ("FAILED", 1),
            ("PENDING", 3),
            ("RUNNING", 7),
        ],
    );
    // 20872560☃…☃regular☃mycluster2-node111☃1☃6☃☃COMPLETED☃2021-07-02T10:27:56☃2021-07-13T00:28:51☃
    // 2021-07-14T07:20:23☃8-00:00:00☃1-06:51:32☃7-17:10:15☃…☃100Gn (pre-21.08: 100 GB per node)
    let j = job(&r, "20872560");
    assert_eq!(j.elapsed_s, Some((86400 + 6 * 3600 + 51 * 60 + 32) as f64));
    assert_eq!(
        j.total_cpu_s,
        Some((7 * 86400 + 17 * 3600 + 10 * 60 + 15) as f64)
    );
    assert_eq!((j.nodes, j.cpus), (Some(1.0), Some(6.0)));
    assert_eq!(j.mem_gb, Some(100.0));
    assert_eq!(j.steps, 2);
}

#[test]
fn green_algorithms_examples() {
    let Some(d) = data_dir() else { return };
    let g = d.join("sacct/GreenAlgorithms_GreenAlgorithms4HPC");
    // With a header row, `|`.
    let r = read(&g.join("example_sacctOutput_raw.txt"), None).expect("readable");
    expect_states("raw", &r.jobs, &[("TIMEOUT", 2)]);
    // 552375|myJobName|2022-02-12T13:55:33|03:00:30|myPartition|1|32|00:00:00|4-00:16:00|250Gn||/job/path|
    // TIMEOUT|myAccount|billing=32,cpu=32,gres/gpu=1,mem=250G,node=1
    let j = job(&r, "552375");
    assert_eq!(j.elapsed_s, Some((3 * 3600 + 30) as f64));
    assert_eq!(
        (j.nodes, j.cpus, j.gpus, j.mem_gb),
        (Some(1.0), Some(32.0), Some(1.0), Some(250.0))
    );
    assert_eq!(j.submit, ts(2022, 2, 12, 13, 55, 33));
    // The same with tabs.
    let r = read(&g.join("example_sacctOutput_raw_asDF.tsv"), None).expect("readable");
    expect_states("asDF", &r.jobs, &[("COMPLETED", 1), ("TIMEOUT", 1)]);
    let j = job(&r, "552375");
    assert_eq!(j.elapsed_s, Some((39 * 60 + 16) as f64));
    assert_eq!(j.gpus, Some(1.0));
}

#[test]
fn santis_energy_in_markdown() {
    let Some(d) = data_dir() else { return };
    let r = read(
        &d.join("sacct/cscs_santis_readme_excerpt/santis_sacct_energy.md"),
        None,
    )
    .expect("readable");
    // |38113 |santis |20543125 |20.54M |billing=1152,cpu=1152,energy=20543125,mem=1840000M,node=4|2102 |00:35:02|
    // 2024-03-15-20:24:16|2024-03-15-20:59:18|piccinal|…|1152 |4 |4 |nid[001002,…]|4 | |normal |COMPLETED|
    // then the steps .batch and .extern, and a line "38113" without a partition (a step as this site prints it).
    assert_eq!(r.jobs.len(), 1);
    let j = &r.jobs[0];
    assert_eq!(j.job_id, "38113");
    assert_eq!(j.partition, "normal");
    assert_eq!(j.state, Some(JobState::Completed));
    assert_eq!(j.energy_j, Some(20_543_125.0));
    assert_eq!(j.measured_energy_j(), Some(20_543_125.0));
    assert_eq!(j.elapsed_s, Some(2102.0));
    assert_eq!((j.nodes, j.cpus), (Some(4.0), Some(1152.0)));
    assert_eq!(j.start, ts(2024, 3, 15, 20, 24, 16));
    assert_eq!(j.steps, 3);
}

#[test]
fn mila_dbv0037() {
    let Some(d) = data_dir() else { return };
    let r = read(&d.join("sacct/mila-iqia_clockwork/sacct_1.json"), None).expect("readable");
    assert_eq!(r.format, InputFormat::SacctJson);
    expect_states(
        "sacct_1.json",
        &r.jobs,
        &[("NODE_FAIL", 1), ("REQUEUED", 1)],
    );
    // job 10 is task 7 of array 1 (array.job_id 1, task_id 7), shown as sacct shows it: 1_7.
    // partition1, nobody, elapsed 20615, start 1680193504, TRES cpu 4, mem 40960 (MB), gres/gpu 1
    let j = job(&r, "1_7");
    assert_eq!(j.partition, "partition1");
    assert_eq!(j.user, "nobody");
    assert_eq!(j.elapsed_s, Some(20615.0));
    assert_eq!(j.start, Some(Timestamp(1_680_193_504)));
    assert_eq!(
        (j.cpus, j.gpus, j.mem_gb, j.nodes),
        (Some(4.0), Some(1.0), Some(40.0), Some(1.0))
    );
    assert_eq!(job(&r, "2_0").elapsed_s, Some(86307.0));
}

/// Per file: jobs and states (the slurmctld lists `slurm-jobs.json` and the slurmdbd answers).
/// Jobs per state.
type States = &'static [(&'static str, usize)];

const RACKSLAB: &[(&str, usize, States)] = &[
    (
        "23.11_0.0.40/slurm-jobs.json",
        14,
        &[
            ("COMPLETED", 5),
            ("FAILED", 1),
            ("PENDING", 2),
            ("RUNNING", 5),
            ("TIMEOUT", 1),
        ],
    ),
    (
        "23.11_0.0.40/slurmdb-job-archived.json",
        1,
        &[("CANCELLED", 1)],
    ),
    (
        "23.11_0.0.40/slurmdb-job-completed.json",
        1,
        &[("COMPLETED", 1)],
    ),
    ("23.11_0.0.40/slurmdb-job-failed.json", 1, &[("FAILED", 1)]),
    (
        "23.11_0.0.40/slurmdb-job-gpus-archived.json",
        1,
        &[("COMPLETED", 1)],
    ),
    (
        "23.11_0.0.40/slurmdb-job-gpus-completed.json",
        1,
        &[("COMPLETED", 1)],
    ),
    (
        "23.11_0.0.40/slurmdb-job-gpus-gres.json",
        1,
        &[("PENDING", 1)],
    ),
    (
        "23.11_0.0.40/slurmdb-job-gpus-multi-nodes.json",
        1,
        &[("PENDING", 1)],
    ),
    (
        "23.11_0.0.40/slurmdb-job-gpus-multi-types.json",
        1,
        &[("RUNNING", 1)],
    ),
    ("23.11_0.0.40/slurmdb-job-gpus-pending.json", 0, &[]),
    (
        "23.11_0.0.40/slurmdb-job-gpus-per-node.json",
        1,
        &[("RUNNING", 1)],
    ),
    (
        "23.11_0.0.40/slurmdb-job-gpus-per-socket.json",
        1,
        &[("PENDING", 1)],
    ),
    (
        "23.11_0.0.40/slurmdb-job-gpus-per-task.json",
        1,
        &[("PENDING", 1)],
    ),
    (
        "23.11_0.0.40/slurmdb-job-gpus-running.json",
        1,
        &[("RUNNING", 1)],
    ),
    (
        "23.11_0.0.40/slurmdb-job-gpus-type.json",
        1,
        &[("PENDING", 1)],
    ),
    (
        "23.11_0.0.40/slurmdb-job-pending.json",
        1,
        &[("PENDING", 1)],
    ),
    (
        "23.11_0.0.40/slurmdb-job-running.json",
        1,
        &[("RUNNING", 1)],
    ),
    (
        "23.11_0.0.40/slurmdb-job-timeout.json",
        1,
        &[("TIMEOUT", 1)],
    ),
    ("23.11_0.0.40/slurmdb-job-unfound.json", 0, &[]),
    (
        "24.05_0.0.41/slurm-jobs.json",
        14,
        &[
            ("COMPLETED", 8),
            ("FAILED", 1),
            ("PENDING", 1),
            ("RUNNING", 3),
            ("TIMEOUT", 1),
        ],
    ),
    (
        "24.05_0.0.41/slurmdb-job-archived.json",
        1,
        &[("CANCELLED", 1)],
    ),
    (
        "24.05_0.0.41/slurmdb-job-completed.json",
        1,
        &[("COMPLETED", 1)],
    ),
    ("24.05_0.0.41/slurmdb-job-failed.json", 1, &[("FAILED", 1)]),
    (
        "24.05_0.0.41/slurmdb-job-gpus-archived.json",
        1,
        &[("COMPLETED", 1)],
    ),
    (
        "24.05_0.0.41/slurmdb-job-gpus-completed.json",
        1,
        &[("COMPLETED", 1)],
    ),
    (
        "24.05_0.0.41/slurmdb-job-gpus-gres.json",
        1,
        &[("PENDING", 1)],
    ),
    (
        "24.05_0.0.41/slurmdb-job-gpus-multi-nodes.json",
        1,
        &[("PENDING", 1)],
    ),
    (
        "24.05_0.0.41/slurmdb-job-gpus-multi-types.json",
        1,
        &[("PENDING", 1)],
    ),
    ("24.05_0.0.41/slurmdb-job-gpus-pending.json", 0, &[]),
    (
        "24.05_0.0.41/slurmdb-job-gpus-per-node.json",
        1,
        &[("PENDING", 1)],
    ),
    (
        "24.05_0.0.41/slurmdb-job-gpus-per-socket.json",
        1,
        &[("RUNNING", 1)],
    ),
    (
        "24.05_0.0.41/slurmdb-job-gpus-per-task.json",
        1,
        &[("PENDING", 1)],
    ),
    (
        "24.05_0.0.41/slurmdb-job-gpus-running.json",
        1,
        &[("PENDING", 1)],
    ),
    (
        "24.05_0.0.41/slurmdb-job-gpus-type.json",
        1,
        &[("PENDING", 1)],
    ),
    (
        "24.05_0.0.41/slurmdb-job-pending.json",
        1,
        &[("PENDING", 1)],
    ),
    (
        "24.05_0.0.41/slurmdb-job-running.json",
        1,
        &[("RUNNING", 1)],
    ),
    (
        "24.05_0.0.41/slurmdb-job-timeout.json",
        1,
        &[("TIMEOUT", 1)],
    ),
    ("24.05_0.0.41/slurmdb-job-unfound.json", 0, &[]),
    (
        "24.11_0.0.42/slurm-jobs.json",
        16,
        &[
            ("CANCELLED", 2),
            ("COMPLETED", 3),
            ("FAILED", 1),
            ("PENDING", 2),
            ("RUNNING", 7),
            ("TIMEOUT", 1),
        ],
    ),
    (
        "24.11_0.0.42/slurmdb-job-archived.json",
        1,
        &[("COMPLETED", 1)],
    ),
    (
        "24.11_0.0.42/slurmdb-job-completed.json",
        1,
        &[("COMPLETED", 1)],
    ),
    ("24.11_0.0.42/slurmdb-job-failed.json", 1, &[("FAILED", 1)]),
    (
        "24.11_0.0.42/slurmdb-job-gpus-archived.json",
        1,
        &[("COMPLETED", 1)],
    ),
    (
        "24.11_0.0.42/slurmdb-job-gpus-completed.json",
        1,
        &[("COMPLETED", 1)],
    ),
    (
        "24.11_0.0.42/slurmdb-job-gpus-gres.json",
        1,
        &[("RUNNING", 1)],
    ),
    (
        "24.11_0.0.42/slurmdb-job-gpus-multi-nodes.json",
        1,
        &[("RUNNING", 1)],
    ),
    (
        "24.11_0.0.42/slurmdb-job-gpus-multi-types.json",
        1,
        &[("RUNNING", 1)],
    ),
    (
        "24.11_0.0.42/slurmdb-job-gpus-pending.json",
        1,
        &[("PENDING", 1)],
    ),
    (
        "24.11_0.0.42/slurmdb-job-gpus-per-node.json",
        1,
        &[("RUNNING", 1)],
    ),
    (
        "24.11_0.0.42/slurmdb-job-gpus-per-socket.json",
        1,
        &[("RUNNING", 1)],
    ),
    (
        "24.11_0.0.42/slurmdb-job-gpus-per-task.json",
        1,
        &[("RUNNING", 1)],
    ),
    (
        "24.11_0.0.42/slurmdb-job-gpus-running.json",
        1,
        &[("RUNNING", 1)],
    ),
    (
        "24.11_0.0.42/slurmdb-job-gpus-type.json",
        1,
        &[("RUNNING", 1)],
    ),
    (
        "24.11_0.0.42/slurmdb-job-pending.json",
        1,
        &[("PENDING", 1)],
    ),
    (
        "24.11_0.0.42/slurmdb-job-running.json",
        1,
        &[("RUNNING", 1)],
    ),
    (
        "24.11_0.0.42/slurmdb-job-timeout.json",
        1,
        &[("TIMEOUT", 1)],
    ),
    ("24.11_0.0.42/slurmdb-job-unfound.json", 0, &[]),
];

#[test]
fn rackslab_data_parsers_0040_to_0042() {
    let Some(d) = data_dir() else { return };
    let base = d.join("sacct/rackslab_Slurm-web");
    for (f, jobs, st) in RACKSLAB {
        let r = read(&base.join(f), None).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_eq!(r.format, InputFormat::SacctJson, "{f}");
        assert_eq!(r.jobs.len(), *jobs, "jobs of {f}");
        expect_states(f, &r.jobs, st);
    }
    // Every job file of the folder is in the table.
    for v in ["23.11_0.0.40", "24.05_0.0.41", "24.11_0.0.42"] {
        for e in std::fs::read_dir(base.join(v)).expect("folder") {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            if name.contains("job") {
                let rel = format!("{v}/{name}");
                assert!(
                    RACKSLAB.iter().any(|(f, _, _)| *f == rel),
                    "{rel} has no expectation"
                );
            }
        }
    }
    // v0.0.42 slurmdbd: job 6362, COMPLETED, standard, jbeck, elapsed 61 s from 1762788776 to
    // 1762788837, TRES cpu 32, mem 16384 (MB), node 1.
    let r = read(&base.join("24.11_0.0.42/slurmdb-job-completed.json"), None).expect("readable");
    let j = job(&r, "6362");
    assert_eq!(
        (j.partition.as_str(), j.user.as_str()),
        ("standard", "jbeck")
    );
    assert_eq!(j.elapsed_s, Some(61.0));
    assert_eq!(
        (j.start, j.end),
        (
            Some(Timestamp(1_762_788_776)),
            Some(Timestamp(1_762_788_837))
        )
    );
    assert_eq!(
        (j.cpus, j.mem_gb, j.nodes),
        (Some(32.0), Some(16.0), Some(1.0))
    );
    // v0.0.42 slurmctld list: pending jobs carry forecasts, not times; a running job ran from its
    // start to the list's last_update (1762788855): job 6365 started 1762788837 → 18 s, 3 nodes,
    // tres_alloc_str cpu=128,mem=64G,node=3.
    let r = read(&base.join("24.11_0.0.42/slurm-jobs.json"), None).expect("readable");
    let j = job(&r, "6365");
    assert_eq!(j.state, Some(JobState::Running));
    assert_eq!(j.elapsed_s, Some(18.0));
    assert_eq!(j.end, None);
    assert_eq!(
        (j.nodes, j.cpus, j.mem_gb),
        (Some(3.0), Some(128.0), Some(64.0))
    );
    let j = job(&r, "6369");
    assert_eq!(
        (j.state, j.start, j.elapsed_s),
        (Some(JobState::Pending), None, None)
    );
    // Completed: end − start (6362: 61 s, as slurmdbd says).
    assert_eq!(job(&r, "6362").elapsed_s, Some(61.0));
    // v0.0.40 slurmdbd: job 609 TIMEOUT, 79 s.
    let r = read(&base.join("23.11_0.0.40/slurmdb-job-timeout.json"), None).expect("readable");
    assert_eq!(job(&r, "609").elapsed_s, Some(79.0));
}

#[test]
fn swf_hpc2n() {
    let Some(d) = data_dir() else { return };
    let r = read(&d.join("swf/aleasimulator_alea/hpc2n.swf"), None).expect("readable");
    assert_eq!(r.format, InputFormat::Swf);
    // The data README says 3,171 jobs: the file has 3,171 non-comment lines, the last one blank.
    assert_eq!(r.jobs.len(), 3170);
    // Status 1 (completed) and −1 (not recorded).
    expect_states(
        "hpc2n.swf",
        &r.jobs,
        &[("COMPLETED", 3145), ("UNKNOWN", 25)],
    );
    assert_eq!(count(&r, "accounting.swf-no-start-time"), 0);
    // Job 1: submit 0, wait 308434, run 31405, 30 processors, average CPU time 31405, user 1,
    // queue −1, partition 1; UnixStartTime 1027839845, TimeZone 3600 (local time shown).
    let j = job(&r, "1");
    let origin = 1_027_839_845 + 3600;
    assert_eq!(j.submit, Some(Timestamp(origin)));
    assert_eq!(j.start, Some(Timestamp(origin + 308_434)));
    assert_eq!(j.elapsed_s, Some(31405.0));
    assert_eq!(j.end, Some(Timestamp(origin + 308_434 + 31_405)));
    assert_eq!(j.cpus, Some(30.0));
    assert_eq!(j.total_cpu_s, Some(31405.0 * 30.0));
    assert_eq!((j.user.as_str(), j.partition.as_str()), ("1", "1"));
    // Job 16: status −1, run time −1 (unknown).
    let j = job(&r, "16");
    assert_eq!(j.state, Some(JobState::Unknown));
    assert_eq!(j.elapsed_s, None);
}

#[test]
fn swf_nasa_zip() {
    let Some(d) = data_dir() else { return };
    let r = read(
        &d.join("swf/cloudsimplus/NASA-iPSC-1993-3.1-cln.swf.zip"),
        None,
    )
    .expect("readable");
    assert_eq!((r.format, r.compression), (InputFormat::Swf, Some("zip")));
    assert_eq!(r.jobs.len(), 18239);
    expect_states("NASA", &r.jobs, &[("UNKNOWN", 18239)]);
    // Job 2: submit 1460, wait −1 (unknown: no start), run 3726, 128 processors;
    // UnixStartTime 749458803, TimeZone −28800.
    let j = job(&r, "2");
    assert_eq!(j.submit, Some(Timestamp(749_458_803 - 28_800 + 1460)));
    assert_eq!(j.start, None);
    assert_eq!(j.elapsed_s, Some(3726.0));
    assert_eq!(j.cpus, Some(128.0));
}
