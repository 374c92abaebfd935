"""The tracker: the allocation read from Slurm's environment (a real job of the live Slurm when
ci/test runs one; its variables as Slurm documents them otherwise), the estimate of the block, RAPL
counters read with their wrap-around (a powercap tree written by the test: this machine has none)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import impacts

TRACK = sys.modules["impacts._track"]

JOB_ENV = {
    "SLURM_JOB_ID": "4242",
    "SLURM_JOB_PARTITION": "gpu_p6",
    "SLURM_JOB_NUM_NODES": "2",
    "SLURM_JOB_CPUS_PER_NODE": "96(x2)",
    "SLURM_GPUS_ON_NODE": "4",
    "SLURM_MEM_PER_NODE": "512000",
}


def test_the_allocation_as_slurm_describes_it():
    a = impacts.allocation(JOB_ENV)
    assert a == {"job_id": "4242", "partition": "gpu_p6", "nodes": 2, "cores": 192, "gpus": 8,
                 "memory_gb": 1000.0}
    mixed = dict(JOB_ENV, SLURM_JOB_NUM_NODES="3", SLURM_JOB_CPUS_PER_NODE="40(x2),20")
    mixed.pop("SLURM_GPUS_ON_NODE")
    a = impacts.allocation(dict(mixed, SLURM_JOB_GPUS="0,1"))
    assert (a["cores"], a["gpus"]) == (100, 6)
    assert impacts.allocation({"HOME": "/root"}) == {}, "outside Slurm: nothing"


def test_a_block_is_estimated_for_its_allocation_and_time(monkeypatch):
    for k, v in JOB_ENV.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(TRACK, "POWERCAP", "/nonexistent")
    engine = impacts.Engine()
    with impacts.track(center="jean-zay", load=50, samples=0, quiet=True, engine=engine) as t:
        time.sleep(0.05)
    assert t.hours >= 0.05 / 3600
    expected = engine.job(center="jean-zay", partition="gpu_p6", nodes=2, cores=192, gpus=8,
                          memory_gb=1000.0, load=50, hours=t.hours, samples=0)
    assert t.report.to_dict() == expected.to_dict()
    assert t.sources["partition"] == "Slurm environment"
    assert t.sources["energy"] == "model"
    assert t.rapl_kwh is None
    # An argument wins over the environment.
    with impacts.track(center="jean-zay", nodes=1, cores=96, gpus=4, memory_gb=500, samples=0,
                       quiet=True, engine=engine) as t1:
        pass
    assert t1.report.to_dict()["inputs"]["nodes"] == 1
    assert t1.sources["nodes"] == "argument"


def test_outside_slurm_the_partition_must_be_given(monkeypatch):
    monkeypatch.delenv("SLURM_JOB_ID", raising=False)
    with pytest.raises(impacts.InputError) as e:
        with impacts.track(center="jean-zay", quiet=True):
            pass
    assert e.value.field == "partition"
    with pytest.raises(impacts.InputError) as e:
        impacts.track(center="jean-zay", energy="solar")
    assert e.value.field == "energy"


def test_rapl_counters_with_their_wrap_around(monkeypatch, tmp_path):
    for k, v in JOB_ENV.items():
        monkeypatch.setenv(k, v)
    pkg = tmp_path / "intel-rapl:0"
    sub = tmp_path / "intel-rapl:0:0"  # a subdomain: counted within its package, not again
    for d in (pkg, sub):
        d.mkdir()
        (d / "max_energy_range_uj").write_text("262143328850\n")
    (pkg / "energy_uj").write_text("262143000000\n")
    (sub / "energy_uj").write_text("5\n")
    monkeypatch.setattr(TRACK, "POWERCAP", str(tmp_path))
    with impacts.track(center="jean-zay", energy="rapl", samples=0, quiet=True) as t:
        # 328,850 µJ to the top of the range, then 3,599,671,150 µJ from zero: 3,600 J.
        (pkg / "energy_uj").write_text("3599671150\n")
    assert t.rapl_kwh == pytest.approx(3600 / 3.6e6, rel=1e-12)
    measured = t.report.to_dict()["inputs"]["measured_kwh"]
    assert measured == pytest.approx(2 * t.rapl_kwh, rel=1e-12), "this node's energy × 2 nodes"
    assert t.sources["energy"].startswith("RAPL")


CENTER = Path(__file__).resolve().parents[2] / "ci" / "slurm" / "center.toml"


def test_a_real_slurm_job_is_tracked(tmp_path):
    """srun on the live cluster of ci/test: the allocation comes from the job's own environment."""
    if not os.environ.get("IMPACTS_LIVE_SLURM") or not os.environ.get("SLURM_CONF"):
        assert os.environ.get("CI") != "true", "ci/test runs a live Slurm with CI=true"
        pytest.skip("no live Slurm (ci/slurm/live.sh)")
    center = CENTER
    out = tmp_path / "tracked.json"
    script = (
        "import impacts, time\n"
        f"with impacts.track(center={str(center)!r}, output={str(out)!r}, samples=0, quiet=True):\n"
        "    time.sleep(1)\n"
    )
    run = subprocess.run(["srun", "-N", "1", "-n", "1", "-c", "1", sys.executable, "-c", script],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False)
    assert run.returncode == 0, run.stderr
    tracked = json.loads(out.read_text())
    assert tracked["sources"]["partition"] == "Slurm environment"
    assert tracked["report"]["inputs"]["partition"] == "debug"
    assert tracked["hours"] >= 1 / 3600
    assert tracked["report"]["impacts"]["gwp"]["value"] > 0
