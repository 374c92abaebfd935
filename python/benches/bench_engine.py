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
r = engine.job(**JOB, samples=1000)
print(f"report.to_dict(): {per_call(r.to_dict) * 1e6:.1f} µs; "
      f"report.impacts: {per_call(lambda: r.impacts) * 1e6:.1f} µs")
