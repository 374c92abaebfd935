"""Impacts-HPC 0.0.8 (`Park.job_impact`) and `impacts` (`engine.job`) side by side, on the same
machine, in the same process, on the same jobs: the park of ../shared/parity/reference-cases.json
(100 nodes of 2 × Intel Xeon Gold 6248 and 192 GB, PUE 1.2, France), jobs of 1 to 16 nodes for 1 to
48 hours. docs/benchmarks.md, "The Python package", has the figures and the set-up:

    python3.12 -m venv /tmp/ihpc && /tmp/ihpc/bin/pip install impacts-hpc==0.0.8 pint==0.25.2
    /tmp/ihpc/bin/pip install target/wheels/impacts-*.whl      # the release wheel (maturin)
    /tmp/ihpc/bin/python python/benches/bench_vs_impacts_hpc.py

Impacts-HPC needs Python >= 3.12 and Pint 0.25 (with Pint 0.26 it does not import). Its numbers
carry a Monte Carlo of its own (its default); ours are timed without samples and with 1,000.
"""

import os
import tempfile
import time
import warnings

warnings.simplefilter("ignore")

import impactshpc as ih  # noqa: E402

import impacts  # noqa: E402

JOBS = [(nodes, hours) for nodes in (1, 2, 4, 8, 16) for hours in (1, 6, 12, 24, 48)]

PARK = """
name = "reference park"
zone = "FRA"
pue = 1.2
lifetime_years = 6
usage_rate = 0.9
[node_types.cpu]
cpus = [{ model = "Intel 6248", count = 2 }]
ram_gb = 192
[partitions.cluster]
node_type = "cpu"
nodes = 100
"""


def reference_park():
    server = ih.Server(components=[
        (ih.CPU(name=ih.ExactName("Intel Xeon Gold 6248")), 2),
        (ih.RAM(size="192 GB"), 1),
    ])
    return ih.Park(clusters={"cluster": ih.Cluster(server, 100, PUE=ih.SourcedValue.from_argument("PUE", 1.2))},
                   energy_intensity=ih.EnergyIntensity.at_location("FRA"))


def timed(f, jobs, rounds):
    f(*jobs[0])  # first call: data loaded, models compiled
    start = time.perf_counter()
    for _ in range(rounds):
        for j in jobs:
            f(*j)
    return (time.perf_counter() - start) / (rounds * len(jobs))


def main():
    park = reference_park()

    def reference(nodes, hours):
        return park.job_impact(ih.Job("cluster", nodes, f"{hours} h", cpu_workload=100))

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "park.toml")
        with open(path, "w") as f:
            f.write(PARK)
        engine = impacts.Engine(center_files=[path])

        def ours(samples):
            return lambda nodes, hours: engine.job(
                center="park", partition="cluster", nodes=nodes, hours=hours, load=100,
                method="impacts-hpc", samples=samples)

        t_ref = timed(reference, JOBS, 1)
        t0 = timed(ours(0), JOBS, 200)
        t1000 = timed(ours(1000), JOBS, 20)
        r = ours(0)(4, 12)
        ref = reference(4, 12)["gwp"].value.to("gCO2eq").magnitude
    print(f"Impacts-HPC 0.0.8 Park.job_impact: {t_ref * 1e3:.1f} ms per job ({1 / t_ref:,.0f} jobs/s)")
    print(f"impacts engine.job, method impacts-hpc, samples=0: {t0 * 1e6:.1f} µs per job "
          f"({1 / t0:,.0f} jobs/s, {t_ref / t0:,.0f}× faster)")
    print(f"impacts engine.job, samples=1000: {t1000 * 1e6:.1f} µs per job ({t_ref / t1000:,.0f}× faster)")
    print(f"(a job of 4 nodes × 12 h: Impacts-HPC {ref:.1f} gCO2eq, impacts "
          f"{r.impacts['gwp'].value:.1f} {r.impacts['gwp'].unit})")


if __name__ == "__main__":
    main()
