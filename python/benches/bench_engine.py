"""Time of one estimate from Python (docs/benchmarks.md, "The Python package").

    maturin build --release -o target/wheels && pip install target/wheels/impacts-*.whl
    python python/benches/bench_engine.py
"""

import time

import impacts

JOB = dict(center="jean-zay", partition="gpu_p6", nodes=4, hours=12, load=80)


def per_call(f, seconds=2.0):
    f()  # the engine compiles the partition's model once
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        f()
        n += 1
    return (time.perf_counter() - start) / n


engine = impacts.Engine()
for samples in (0, 1000):
    t = per_call(lambda: engine.job(**JOB, samples=samples))
    print(f"engine.job(..., samples={samples}): {t * 1e6:.1f} µs per call")
# The call makes the totals' bounds; the phases' bounds and the sensitivity ranking are made
# when first read (to_dict, phases): the call and its first dict together.
t = per_call(lambda: engine.job(**JOB, samples=1000).to_dict())
print(f"engine.job(..., samples=1000).to_dict(): {t * 1e6:.1f} µs per call")
r = engine.job(**JOB, samples=1000)
print(f"report.to_dict() again: {per_call(r.to_dict) * 1e6:.1f} µs; "
      f"report.impacts: {per_call(lambda: r.impacts) * 1e6:.1f} µs")

# Accounting of a large sacct file, when given (the accounting benchmark's phillips file:
# `cargo bench -p impacts-accounting --bench accounting -- sacct` writes it), beside the command.
import os
import subprocess
import sys

if len(sys.argv) > 1:
    path = sys.argv[1]
    fields = ("jobid,jobidraw,cluster,partition,qos,account,group,gid,user,uid,submit,eligible,"
              "start,end,elapsed,exitcode,state,nnodes,ncpus,reqcpus,reqmem,reqtres,alloctres,"
              "timelimit,nodelist,jobname")
    opts = dict(center="jean-zay", default_partition="cpu_p1", fields=fields)
    for keep in (False, True):
        start = time.perf_counter()
        a = impacts.accounting(path, jobs=keep, **opts)
        rows = f", {a.to_arrow().num_rows} rows in pyarrow" if keep else ""
        print(f"impacts.accounting(jobs={keep}): {time.perf_counter() - start:.2f} s "
              f"({a.summary['jobs']} jobs{rows})")
    binary = os.environ.get("IMPACTS_BIN", "impacts")
    for extra in ([], ["--jobs", "/tmp/impacts-bench-jobs.arrows"]):
        start = time.perf_counter()
        subprocess.run([binary, "accounting", path, "--center", "jean-zay", "--default-partition",
                        "cpu_p1", "--fields", fields, "--quiet", "--format", "json", *extra],
                       check=True, stdout=subprocess.DEVNULL)
        print(f"impacts accounting {' '.join(extra)}: {time.perf_counter() - start:.2f} s")

# A table of a million jobs (pandas), accounted by engine.jobs.
import numpy as np
import pandas as pd

rng = np.random.default_rng(0)
n = 1_000_000
table = pd.DataFrame({
    "partition": rng.choice(["cpu_p1", "gpu_p6", "gpu_p5", "prepost"], n),
    "hours": rng.exponential(2.0, n) + 0.01,
    "nodes": rng.choice([1, 1, 2, 4], n),
    "load": rng.uniform(5, 100, n),
})
# Five runs each, the median: this machine's timings vary by a fifth from run to run. numpy's
# OpenBLAS threads spin for a while after the table is made and take a core of two: run with
# OPENBLAS_NUM_THREADS=1 to measure the engine alone (docs/benchmarks.md gives both).
import statistics

for keep in (False, True):
    times = []
    for _ in range(5):
        start = time.perf_counter()
        a = engine.jobs(table, center="jean-zay", keep_rows=keep)
        times.append(time.perf_counter() - start)
        del a
    s = statistics.median(times)
    print(f"engine.jobs(1,000,000 rows, keep_rows={keep}): median {s:.2f} s, {n / s:,.0f} jobs/s "
          f"(best {n / min(times):,.0f})")
