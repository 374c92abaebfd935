"""Real ReFrame (PyPI reframe-hpc, installed by ci/test) runs a small parameterised benchmark with
its local scheduler; `impacts bench report` reads the run report and the perflog it wrote, and
gives back every test case and value ReFrame recorded; `impacts bench check` flags the case that
missed its reference, as ReFrame did."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CI = os.environ.get("CI") == "true"

CHECK = '''
import reframe as rfm
import reframe.utility.sanity as sn
from reframe.core.builtins import parameter, performance_function, run_after, sanity_function


@rfm.simple_test
class EchoBench(rfm.RunOnlyRegressionTest):
    valid_systems = ["*"]
    valid_prog_environs = ["*"]
    size = parameter([1, 2, 3])
    # Two seconds of work: a job with no duration has no footprint to join.
    executable = "sleep 2 && echo"
    reference = {"*": {"rate": (100.0, -0.1, 0.1, "ops/s")}}

    @run_after("init")
    def set_opts(self):
        self.executable_opts = [f"rate: {100 * self.size} elapsed: {0.5 * self.size}"]

    @sanity_function
    def ok(self):
        return sn.assert_found(r"rate", self.stdout)

    @performance_function("ops/s")
    def rate(self):
        return sn.extractsingle(r"rate: (\\S+)", self.stdout, 1, float)

    @performance_function("s")
    def elapsed(self):
        return sn.extractsingle(r"elapsed: (\\S+)", self.stdout, 1, float)
'''


def reframe():
    exe = shutil.which("reframe") or str(Path(sys.executable).parent / "reframe")
    if not Path(exe).exists():
        assert not CI, "reframe is required with CI=true (ci/test installs reframe-hpc)"
        pytest.skip("reframe is absent")
    return exe


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    binary = os.environ.get("IMPACTS_BIN")
    if not binary:
        assert not CI, "IMPACTS_BIN is required with CI=true"
        pytest.skip("IMPACTS_BIN is absent")
    work = tmp_path_factory.mktemp("reframe")
    (work / "echobench.py").write_text(CHECK)
    run = subprocess.run(
        [reframe(), "-c", str(work / "echobench.py"), "-r", "--prefix", str(work / "out"),
         "--report-file", str(work / "report.json"), "--perflogdir", str(work / "perflogs")],
        cwd=work, capture_output=True, text=True, check=False)
    # Sizes 2 and 3 miss the reference (100 ops/s ± 10 %): ReFrame fails them, exit 1.
    assert run.returncode in (0, 1), run.stdout + run.stderr
    assert (work / "report.json").exists(), run.stdout + run.stderr
    return binary, work


def bench(binary, *args):
    return subprocess.run([binary, "bench", *args], capture_output=True, text=True, check=False)


def test_the_run_report_is_read_whole(outputs):
    binary, work = outputs
    report = json.loads((work / "report.json").read_text())
    cases = [c for r in report["runs"] for c in r["testcases"]]
    out = bench(binary, "report", str(work / "report.json"), "--format", "json")
    assert out.returncode == 0, out.stderr
    runs = json.loads(out.stdout)["runs"]
    assert len(runs) == len(cases) == 3
    for run, case in zip(runs, cases):
        assert run["jobid"] == str(case["jobid"])
        assert run["system"] == case["system"] and run["partition"] == case["partition"]
        assert run["result"] == case["result"]
        assert run["params"]["size"] == str(case["size"])
        want = {k.split(":", 2)[2]: v[0] for k, v in case["perfvalues"].items()}
        assert {p["name"]: p["value"] for p in run["perf"]} == want


def test_the_perflog_is_the_same_runs(outputs):
    binary, work = outputs
    logs = list((work / "perflogs").rglob("*.log"))
    assert logs, "ReFrame wrote a perflog"
    lines = sum(len(l.read_text().splitlines()) - 1 for l in logs)
    out = bench(binary, "report", str(work / "perflogs"), "--format", "json")
    assert out.returncode == 0, out.stderr
    runs = json.loads(out.stdout)["runs"]
    assert len(runs) == lines == 3
    from_report = json.loads(bench(binary, "report", str(work / "report.json"), "--format",
                                   "json").stdout)["runs"]
    key = lambda r: r["jobid"]
    for a, b in zip(sorted(runs, key=key), sorted(from_report, key=key)):
        assert {p["name"]: p["value"] for p in a["perf"]} == {p["name"]: p["value"] for p in b["perf"]}
        assert a["time"] == b["time"]


def test_check_flags_what_reframe_failed(outputs):
    binary, work = outputs
    out = bench(binary, "check", str(work / "report.json"), "--format", "json")
    assert out.returncode == 1, out.stdout + out.stderr
    flags = json.loads(out.stdout)["flags"]
    report = json.loads((work / "report.json").read_text())
    failed = {str(c["jobid"]) for r in report["runs"] for c in r["testcases"]
              if c["result"] == "fail"}
    assert {f["jobid"] for f in flags} == failed and failed
    assert all(f["variable"] == "rate" and f["against"] == "reference" for f in flags)


SLURM_CONFIG = '''
site_configuration = {
    "systems": [{
        "name": "impactsci",
        "descr": "the live one-node Slurm of ci/slurm/live.sh",
        "hostnames": [".*"],
        "partitions": [{
            "name": "debug",
            "scheduler": "slurm",
            "launcher": "local",
            "access": ["--partition=debug"],
            "environs": ["builtin"],
        }],
    }],
    "environments": [{"name": "builtin", "cc": "cc", "cxx": "", "ftn": ""}],
}
'''

SACCT_FIELDS = ("JobID,JobIDRaw,Cluster,User,Account,Partition,State,Submit,Start,End,Elapsed,"
                "NNodes,NCPUS,AllocTRES,TotalCPU,ConsumedEnergyRaw")


def test_runs_on_the_live_slurm_are_joined_to_their_sacct_records(tmp_path):
    """ReFrame's Slurm scheduler submits the benchmark to the live cluster of ci/test; the jobs'
    real sacct records give each run its footprint, joined by job id."""
    binary = os.environ.get("IMPACTS_BIN")
    live = os.environ.get("IMPACTS_LIVE_SLURM")
    if not (binary and live and os.environ.get("SLURM_CONF")):
        assert not CI, "the live Slurm (IMPACTS_LIVE_SLURM, SLURM_CONF) is required with CI=true"
        pytest.skip("no live Slurm")
    (tmp_path / "echobench.py").write_text(CHECK)
    (tmp_path / "config.py").write_text(SLURM_CONFIG)
    run = subprocess.run(
        [reframe(), "-C", str(tmp_path / "config.py"), "-c", str(tmp_path / "echobench.py"), "-r",
         "--system", "impactsci:debug", "--prefix", str(tmp_path / "out"),
         "--report-file", str(tmp_path / "report.json"),
         "--perflogdir", str(tmp_path / "perflogs")],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300)
    assert run.returncode in (0, 1), run.stdout + run.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    cases = [c for r in report["runs"] for c in r["testcases"]]
    ids = [str(c["jobid"]) for c in cases]
    assert len(ids) == 3 and all(i.isdigit() for i in ids), ids
    sacct = subprocess.run(
        ["sacct", "-P", "-X", "--format", SACCT_FIELDS, "-j", ",".join(ids)],
        capture_output=True, text=True, check=True)
    records = tmp_path / "sacct.txt"
    records.write_text(sacct.stdout)
    center = Path(__file__).resolve().parents[2] / "ci" / "slurm" / "center.toml"
    out = bench(binary, "report", str(tmp_path / "report.json"), "--accounting", str(records),
                "--center", str(center), "--format", "json")
    assert out.returncode == 0, out.stderr
    runs = json.loads(out.stdout)["runs"]
    assert sorted(r["jobid"] for r in runs) == sorted(ids)
    for r in runs:
        f = r["footprint"]
        assert f is not None, (r, out.stdout)
        assert f["cluster"] == "impactsci" and f["state"] == "COMPLETED"
        assert f["energy_source"] in ("model", "measured")
        assert f["energy_kwh"] > 0 and f["impacts"]["gwp"]["value"] > 0
        assert f["impacts"]["gwp"]["low"] < f["impacts"]["gwp"]["value"] < f["impacts"]["gwp"]["high"]
    # The table says so in words.
    table = bench(binary, "report", str(tmp_path / "report.json"), "--accounting", str(records),
                  "--center", str(center))
    assert "3 runs; 3 joined to their job" in table.stdout, table.stdout
