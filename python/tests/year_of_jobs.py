"""A synthetic year of jobs on Jean Zay as a Parquet dataset in partitions, the command line's
summary of it, and the comparison of summaries: shared by the Dask and Spark tests."""

import json
import os
import subprocess

import numpy as np
import pytest

CI = os.environ.get("CI") == "true"
JOBS = int(os.environ.get("IMPACTS_DASK_JOBS", "1000000"))
PARTITIONS = 8
OPTIONS = dict(
    center="jean-zay",
    default_partition="cpu_p1",
    group_by=["user", "account", "partition", "state", "month"],
)
# Report options, free at merge time.
SAMPLES, SEED = 200, 11


def year_of_jobs(n, seed=2024):
    """`n` jobs of a synthetic year on Jean Zay: every partition (the default one for an unknown
    name), all states, pending jobs without a start, measured energy for one in ten, loads of
    any value, 500 users in 40 accounts."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    partitions = np.array(["cpu_p1", "gpu_p13", "gpu_p2", "gpu_p5", "gpu_p6", "prepost",
                           "visu", "retired_p0"])
    states = np.array(["COMPLETED", "FAILED", "TIMEOUT", "CANCELLED", "OUT_OF_MEMORY",
                       "NODE_FAIL", "PENDING"])
    part = partitions[rng.choice(len(partitions), n, p=[.5, .1, .05, .1, .1, .08, .02, .05])]
    state = states[rng.choice(len(states), n, p=[.7, .1, .08, .06, .02, .01, .03])]
    start = 1_704_067_200 + rng.integers(0, 366 * 86400, n)  # 2024 (UTC)
    hours = rng.exponential(3.0, n)
    gpus = np.where(np.char.startswith(part.astype(str), "gpu"), rng.integers(1, 9, n), 0)
    user = rng.integers(0, 500, n)
    energy = np.where(rng.random(n) < 0.1, rng.uniform(0.5, 40.0, n) * hours, np.nan)
    df = pd.DataFrame({
        "job_id": np.char.add("j", np.arange(n).astype(str)),
        "user": np.char.add("u", user.astype(str)),
        "account": np.char.add("acc", (user % 40).astype(str)),
        "partition": part,
        "state": state,
        "start": pd.to_datetime(np.where(state == "PENDING", 0, start), unit="s"),
        "hours": np.where(state == "PENDING", 0.0, hours),
        "nodes": rng.integers(1, 5, n),
        "cores": rng.integers(1, 160, n),
        "gpus": gpus,
        "cpu_load": np.round(rng.uniform(0, 100, n), 1),
        "energy_kwh": energy,
    })
    df.loc[df.state == "PENDING", "start"] = pd.NaT
    return df


def write_dataset(folder):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(year_of_jobs(JOBS), preserve_index=False)
    size = -(-JOBS // PARTITIONS)
    files = []
    for i in range(PARTITIONS):
        path = folder / f"part-{i:03d}.parquet"
        pq.write_table(table.slice(i * size, size), path)
        files.append(str(path))
    return folder, files


def cli_summary(files):
    binary = os.environ.get("IMPACTS_BIN")
    if not binary:
        assert not CI, "IMPACTS_BIN is required with CI=true"
        pytest.skip("IMPACTS_BIN is not set: no command line to compare with")
    out = subprocess.run(
        [binary, "accounting", *files, "--center", OPTIONS["center"],
         "--default-partition", OPTIONS["default_partition"],
         "--group-by", ",".join(OPTIONS["group_by"]),
         "--samples", str(SAMPLES), "--seed", str(SEED), "--format", "json", "--quiet"],
        capture_output=True, text=True, check=False,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def assert_same(merged, whole, path="", tol=1e-9):
    if isinstance(whole, bool) or whole is None or isinstance(whole, str):
        assert merged == whole, f"{path}: {merged!r} vs {whole!r}"
    elif isinstance(whole, (int, float)):
        scale = max(abs(merged), abs(whole))
        assert abs(merged - whole) <= tol * scale, f"{path}: merged {merged} vs one run {whole}"
    elif isinstance(whole, dict):
        assert sorted(merged) == sorted(whole), f"{path}: keys"
        for k in whole:
            assert_same(merged[k], whole[k], f"{path}.{k}", tol)
    else:
        assert len(merged) == len(whole), f"{path}: length"
        for i, (a, b) in enumerate(zip(merged, whole)):
            assert_same(a, b, f"{path}[{i}]", tol)


