//! `impacts accounting --grid-series`: real jobs (Hábrók's sacct sample of 2023, estimated on
//! Jean Zay's cpu_p1 so that their electricity is France's) against France's real hourly
//! intensity of 2023; each job's use phase checked by hand against the series integrated row by
//! row (impacts_grid's `Series::window`, not the accountant's running sums).

use std::path::PathBuf;
use std::process::Command;

use impacts::impacts_grid::{Options, Series};
use serde_json::Value;

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    if p.exists() {
        return Some(p);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("../shared/data is absent, and CI=true requires it");
    }
    eprintln!("notice: ../shared/data is absent; skipping");
    None
}

/// hb-jobinfo's `--format` (its test/data/README.md).
const HB_JOBINFO: &str = "JobID,JobName,User,Partition,NodeList,NNodes,NCPUs,NTasks,State,Submit,Start,End,Timelimit,Elapsed,TotalCPU,CPUTime,UserCPU,SystemCPU,ReqMem,MaxRSS,MaxVMSize,ReqTRES,AllocTRES,TRESUsageInMax,TRESUsageInTot,TRESUsageOutTot,MaxDiskRead,MaxDiskWrite,MaxRSSNode,MaxRSSTask,MaxVMSizeNode,MaxVMSizeTask,MaxDiskReadNode,MaxDiskReadTask,MaxDiskWriteNode,MaxDiskWriteTask,Comment";

fn account(sacct: &str, extra: &[&str], jobs: &str) -> Value {
    let mut args = vec![
        "accounting",
        sacct,
        "--fields",
        HB_JOBINFO,
        "--center",
        "jean-zay",
        "--default-partition",
        "cpu_p1",
        "--time-zone",
        "Europe/Amsterdam",
        "--format",
        "json",
        "--jobs",
        jobs,
    ];
    args.extend(extra);
    let out = Command::new(env!("CARGO_BIN_EXE_impacts"))
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn rows(path: &str) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn real_jobs_meet_the_real_hours_of_the_grid() {
    let (Some(sacct), Some(series)) = (
        shared("sacct/rug-cit-hpc_hb-jobinfo/sacct.txt"),
        shared("carbon-intensity/satrai-lab_cozybench/FR_2023_hourly.csv"),
    ) else {
        return;
    };
    let (sacct, series_path) = (sacct.to_string_lossy(), series.to_string_lossy());
    let dir = std::env::temp_dir().join(format!("impacts-grid-acc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b) = (dir.join("annual.jsonl"), dir.join("series.jsonl"));
    let (a, b) = (a.to_string_lossy(), b.to_string_lossy());
    let annual = account(&sacct, &[], &a);
    let hourly = account(&sacct, &["--grid-series", &series_path], &b);
    let s = Series::read(&series_path, &Options::default()).unwrap();
    let (before, after) = (rows(&a), rows(&b));
    let f = |r: &Value, k: &str| r[k].as_f64().unwrap_or(0.0);
    let factor = 44.18; // France's annual factor of the bundle (Ember 2024, data/electricity_2024.csv)
    let (mut covered, mut outside, mut partial) = (0, 0, 0);
    for (x, y) in before.iter().zip(&after) {
        assert_eq!(x["job_id"], y["job_id"]);
        let (Some(start), true) = (y["start"].as_str(), f(y, "hours") > 0.0) else {
            continue;
        };
        let t0 = start.parse::<jiff::Timestamp>().unwrap().as_second();
        let secs = (f(y, "hours") * 3600.0).round() as i64;
        let w = s.window(t0, t0 + secs);
        let share = w.covered_s as f64 / secs as f64;
        let mean = w.mean().unwrap_or(0.0);
        let e = f(y, "energy_with_overhead_kwh");
        let want = e * (share * mean + (1.0 - share) * factor);
        let got = f(y, "use_gwp");
        assert!(
            (got - want).abs() <= 2e-5 * want.max(1e-9),
            "job {}: {got} vs {want}",
            y["job_id"]
        );
        assert!(
            (f(x, "use_gwp") - e * factor).abs() <= 2e-5 * e * factor,
            "{x}"
        );
        match w.covered_s {
            0 => outside += 1,
            c if c < secs => partial += 1,
            _ => covered += 1,
        }
    }
    // The sample holds 2023 jobs (covered) and later ones (outside the series).
    assert!(
        covered >= 20 && outside >= 20,
        "{covered} covered, {outside} outside, {partial} in part"
    );
    let count = |code: &str| {
        hourly["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["code"] == code)
            .map_or(0, |w| w["count"].as_u64().unwrap())
    };
    assert_eq!(count("accounting.grid-outside"), outside);
    assert_eq!(count("accounting.grid-partial"), partial);
    // The totals are the jobs' sums; what changes is climate change only.
    let total: f64 = after.iter().map(|r| f(r, "gwp")).sum();
    let g = hourly["impacts"]["gwp"]["value"].as_f64().unwrap();
    assert!((g - total).abs() <= 1e-5 * total, "{g} vs {total}");
    assert_eq!(hourly["impacts"]["pe"], annual["impacts"]["pe"]);
    assert_ne!(hourly["impacts"]["gwp"], annual["impacts"]["gwp"]);
    let _ = std::fs::remove_dir_all(&dir);
}
