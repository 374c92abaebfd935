"""The tracker: the allocation read from Slurm's environment (a real job of the live Slurm when
ci/test runs one; its variables as Slurm documents them otherwise), the estimate of the block, RAPL
counters read with their wrap-around (a powercap tree written by the test: this machine has none),
NVML's energy counters of the job's GPUs (a library with NVML's functions compiled by the test:
this machine has no GPU nor driver)."""

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


# NVML's C interface, as nvml.h declares it, answering from a file of counters (mJ, one line per
# GPU; "-" for a GPU without an energy counter: NVML_ERROR_NOT_SUPPORTED, 3).
FAKE_NVML = r"""
#include <stdio.h>
#include <stdlib.h>
static int counter(unsigned i, unsigned long long *out) {
    FILE *f = fopen(getenv("FAKE_NVML_COUNTERS"), "r");
    char line[64];
    int rc = 2;
    for (unsigned k = 0; f && fgets(line, sizeof line, f); k++)
        if (k == i) { rc = line[0] == '-' ? 3 : 0; *out = strtoull(line, 0, 10); break; }
    if (f) fclose(f);
    return rc;
}
int nvmlInit_v2(void) { return 0; }
int nvmlShutdown(void) { return 0; }
int nvmlDeviceGetCount_v2(unsigned *n) { *n = 3; return 0; }
int nvmlDeviceGetHandleByIndex_v2(unsigned i, void **h) { *h = (void *)(size_t)(i + 1); return 0; }
/* Minor numbers are not NVML's order: device i is /dev/nvidia((i + 1) % 3). */
int nvmlDeviceGetMinorNumber(void *h, unsigned *m) { *m = ((unsigned)(size_t)h) % 3; return 0; }
int nvmlDeviceGetTotalEnergyConsumption(void *h, unsigned long long *mj) {
    return counter((unsigned)(size_t)h - 1, mj);
}
"""


def fake_nvml(tmp_path):
    src, lib = tmp_path / "nvml.c", tmp_path / "libfakenvml.so"
    src.write_text(FAKE_NVML)
    out = subprocess.run(["cc", "-shared", "-fPIC", "-o", str(lib), str(src)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        assert os.environ.get("CI") != "true", f"no C compiler for the NVML stand-in: {out.stderr}"
        pytest.skip("no C compiler for the NVML stand-in")
    return lib


def test_nvml_counters_of_the_job_s_gpus(monkeypatch, tmp_path):
    for k, v in JOB_ENV.items():
        monkeypatch.setenv(k, v)
    lib = fake_nvml(tmp_path)
    counters = tmp_path / "counters"
    # Counters by NVML's index; the job's GPU is minor 2, which is NVML's device 1. Device 2
    # (minor 0) has no energy counter (older than Volta).
    counters.write_text("1000\n5000\n-\n")
    monkeypatch.setenv("IMPACTS_NVML_LIBRARY", str(lib))
    monkeypatch.setenv("FAKE_NVML_COUNTERS", str(counters))
    monkeypatch.setenv("SLURM_JOB_GPUS", "2")
    # RAPL: 1,800 J over the block.
    pkg = tmp_path / "rapl" / "intel-rapl:0"
    pkg.mkdir(parents=True)
    (pkg / "max_energy_range_uj").write_text("262143328850\n")
    (pkg / "energy_uj").write_text("1000000\n")
    monkeypatch.setattr(TRACK, "POWERCAP", str(tmp_path / "rapl"))
    with impacts.track(center="jean-zay", energy="rapl+nvml", samples=0, quiet=True) as t:
        counters.write_text("901000\n3605000\n-\n")  # device 1 (minor 2): 3,600 J
        (pkg / "energy_uj").write_text("1801000000\n")
    assert t.nvml_kwh == pytest.approx(3600 / 3.6e6, rel=1e-12), "the job's GPU only"
    assert t.rapl_kwh == pytest.approx(1800 / 3.6e6, rel=1e-12)
    measured = t.report.to_dict()["inputs"]["measured_kwh"]
    assert measured == pytest.approx(2 * (3600 + 1800) / 3.6e6, rel=1e-12), "× 2 nodes"
    assert "NVML" in t.sources["energy"] and "RAPL" in t.sources["energy"]

    # A GPU of the job without a counter (minor 0), or that NVML does not show (minor 7): no
    # partial sum of the others, the model, saying why.
    for gpus in ("2,0", "2,7"):
        monkeypatch.setenv("SLURM_JOB_GPUS", gpus)
        with impacts.track(center="jean-zay", energy="rapl+nvml", samples=0, quiet=True) as t:
            pass
        assert t.nvml_kwh is None, gpus
        assert t.sources["energy"] == "model (no readable NVML energy counters)"
        assert "measured_kwh" not in t.report.to_dict()["inputs"]

    # Without NVML at all, the same.
    monkeypatch.setenv("SLURM_JOB_GPUS", "2")
    monkeypatch.setenv("IMPACTS_NVML_LIBRARY", str(tmp_path / "absent.so"))
    with impacts.track(center="jean-zay", energy="rapl+nvml", samples=0, quiet=True) as t:
        pass
    assert t.nvml_kwh is None


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
