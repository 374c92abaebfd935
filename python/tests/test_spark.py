"""The same million jobs on Spark (`local[2]`, Debian's OpenJDK): `mapInArrow` with
`impacts.summary_batches` per partition and `Summary.merge` on the driver, against one process
of `impacts accounting` on the same Parquet files (expected numbers: the command line's, to 1e-9
relative, as in test_distributed.py); `mapInArrow` with `impacts.footprint_batches` gives per-job
rows that sum to the same total."""

import os
import shutil

import pytest

import impacts

from year_of_jobs import JOBS, OPTIONS, SAMPLES, SEED, assert_same, cli_summary

CI = os.environ.get("CI") == "true"


def spark_or_skip():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        if CI and os.environ.get("IMPACTS_SKIP_SPARK") != "1":
            pytest.fail("pyspark is required with CI=true (ci/test installs it)")
        pytest.skip("pyspark is not installed")
    if shutil.which("java") is None:
        assert not CI, "java is required with CI=true (Debian's openjdk-17-jre-headless)"
        pytest.skip("no java for Spark")


@pytest.fixture(scope="module")
def spark():
    spark_or_skip()
    import sys

    from pyspark.sql import SparkSession

    # The workers run this interpreter, where the package is installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    s = (SparkSession.builder.master("local[2]").appName("impacts-test")
         .config("spark.ui.enabled", "false")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.driver.memory", "2g")
         .getOrCreate())
    yield s
    s.stop()


def test_a_million_jobs_on_spark_equal_one_run(spark, dataset):
    from pyspark.sql.pandas.types import from_arrow_schema

    folder, files = dataset
    whole = cli_summary(files)
    df = spark.read.parquet(str(folder))
    assert df.rdd.getNumPartitions() >= 2

    def summaries(batches):
        return impacts.summary_batches(batches, **OPTIONS)

    rows = df.mapInArrow(summaries, impacts.SUMMARY_SCHEMA).collect()
    merged = impacts.Summary.merge(impacts.Summary.from_bytes(r.summary) for r in rows)
    summary = merged.to_dict(samples=SAMPLES, seed=SEED)
    assert summary["jobs"] == whole["jobs"] == JOBS
    assert {w["code"]: w["count"] for w in summary["warnings"]} == \
        {w["code"]: w["count"] for w in whole["warnings"]}
    for s in (summary, whole):
        del s["warnings"], s["inputs"]
    assert_same(summary, whole)

    # Per-job rows, with the schema of impacts.footprint_schema.
    schema = from_arrow_schema(impacts.footprint_schema(**OPTIONS))

    def footprints(batches):
        return impacts.footprint_batches(batches, **OPTIONS)

    total = df.mapInArrow(footprints, schema).agg({"gwp": "sum"}).collect()[0][0]
    gwp = whole["impacts"]["gwp"]["value"]
    assert abs(total - gwp) <= 1e-9 * gwp, (total, gwp)
