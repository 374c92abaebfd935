"""A center's year on a real Dask cluster: a Parquet dataset of a million jobs in partitions,
accounted on a `distributed.LocalCluster` of two worker processes (`impacts.summarize` per
partition, `Summary.merge` of the parts), against one process of `impacts accounting` reading
the same Parquet files. The expected numbers are the command line's (the definition of the
merge): job counts equal, every number of the summary — totals, bounds, phases, groups with
their bounds, shares — equal to 1e-9 relative (the order of floating-point additions differs
between one run and a sum of parts), warnings with the same counts. The per-job footprints
through `map_partitions` sum to the same total."""

import os

import pytest

import impacts
from year_of_jobs import CI, JOBS, OPTIONS, PARTITIONS, SAMPLES, SEED, assert_same, cli_summary



def dask_or_skip():
    try:
        import dask  # noqa: F401
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        assert not CI, "dask and distributed are required with CI=true (ci/test installs them)"
        pytest.skip("dask or distributed is not installed")


def test_a_million_jobs_on_a_dask_cluster_equal_one_run(dataset):
    dask_or_skip()
    import dask
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    folder, files = dataset
    whole = cli_summary(files)
    assert whole["jobs"] == JOBS
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        ddf = dd.read_parquet(str(folder))
        assert ddf.npartitions >= PARTITIONS
        parts = [dask.delayed(impacts.summarize)(p, **OPTIONS) for p in ddf.to_delayed()]
        merged = client.compute(dask.delayed(impacts.Summary.merge)(parts)).result()
        workers = {w for w in client.run(os.getpid).values()}
        assert len(workers) == 2 and os.getpid() not in workers

        # The per-job footprints through map_partitions add up to the same total.
        meta = impacts.footprints(ddf._meta, **OPTIONS)
        rows = ddf.map_partitions(impacts.footprints, **OPTIONS, meta=meta)
        gwp_of_rows, n_rows = client.compute([rows.gwp.sum(), rows.gwp.count()], sync=True)

    summary = merged.to_dict(samples=SAMPLES, seed=SEED)
    assert summary["jobs"] == whole["jobs"]
    # The bounds are drawn, and shared factors correlate them: not a copy of the value.
    gwp = whole["impacts"]["gwp"]
    assert gwp["low"] < gwp["value"] < gwp["high"]
    assert {w["code"]: w["count"] for w in summary["warnings"]} == \
        {w["code"]: w["count"] for w in whole["warnings"]}
    del summary["warnings"], whole["warnings"]
    # The inputs differ by construction: partitions of a table against files.
    assert sum(i["jobs"] for i in summary["inputs"]) == JOBS
    assert {i["format"] for i in whole["inputs"]} == {"parquet"}
    del summary["inputs"], whole["inputs"]
    assert_same(summary, whole)
    assert n_rows == whole["jobs_estimated"]
    assert abs(gwp_of_rows - gwp["value"]) <= 1e-9 * gwp["value"]


def test_summaries_of_other_options_are_refused(dataset):
    import pandas as pd

    df = pd.read_parquet(dataset[1][0]).head(100)
    a = impacts.summarize(df, **OPTIONS)
    b = impacts.summarize(df, **dict(OPTIONS, load=50))
    with pytest.raises(impacts.InputError) as e:
        impacts.Summary.merge(a, b)
    assert e.value.field == "summaries[1].load"
    assert "50" in str(e.value)
    with pytest.raises(impacts.InputError):
        a.to_dict(load=50)
    with pytest.raises(impacts.InputError) as e:
        impacts.Summary.merge([])
    # A summary merged with itself counts its jobs twice: merging adds, it does not union.
    assert (a + a).to_dict(samples=0)["jobs"] == 200
    assert sum([a, a, a]).to_dict(samples=0)["jobs"] == 300
    # Which of many summaries differs is named.
    with pytest.raises(impacts.InputError) as e:
        impacts.Summary.merge([a, a, b])
    assert e.value.field == "summaries[2].load"
