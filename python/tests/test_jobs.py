"""`Engine.jobs`: a table of jobs accounted as the same jobs read from sacct records are."""

import pandas as pd
import pyarrow as pa
import pytest

import impacts

# The same three jobs as sacct -P text and as a table. Times in the middle of a month: sacct's
# are the cluster's clock (Europe/Paris for Jean Zay), the table's UTC; the months agree.
SACCT = """JobID|JobIDRaw|Cluster|User|Account|Partition|State|Submit|Start|End|Elapsed|NNodes|NCPUS|AllocTRES
7001|7001|jz|alice|p1|cpu_p1|COMPLETED|2026-03-10T10:00:00|2026-03-10T10:00:00|2026-03-10T22:00:00|12:00:00|1|40|cpu=40,node=1
7002|7002|jz|bob|p2|gpu_p6|FAILED|2026-03-11T08:00:00|2026-03-11T08:00:00|2026-03-11T09:30:00|01:30:00|2|192|cpu=192,gres/gpu=8,node=2
7003|7003|jz|alice|p1|cpu_p1|TIMEOUT|2026-03-12T00:00:00|2026-03-12T00:00:00|2026-03-14T00:00:00|2-00:00:00|4|160|cpu=160,node=4
"""

TABLE = pd.DataFrame({
    "job_id": ["7001", "7002", "7003"],
    "cluster": ["jz", "jz", "jz"],
    "user": ["alice", "bob", "alice"],
    "account": ["p1", "p2", "p1"],
    "partition": ["cpu_p1", "gpu_p6", "cpu_p1"],
    "state": ["COMPLETED", "FAILED", "TIMEOUT"],
    "hours": [12.0, 1.5, 48.0],
    "nodes": [1, 2, 4],
    "cores": [40, 192, 160],
    "gpus": [0, 8, 0],
})

OPTIONS = dict(center="jean-zay", load=50, samples=200, seed=3, group_by=["user", "state"])


@pytest.fixture(scope="module")
def engine():
    return impacts.Engine()


def test_a_table_is_accounted_as_its_records(engine):
    from_text = impacts.accounting(SACCT, **OPTIONS)
    from_table = engine.jobs(TABLE, **OPTIONS)
    assert from_table.summary["jobs"] == 3
    assert from_table.summary["impacts"] == from_text.summary["impacts"]
    assert from_table.summary["groups"] == from_text.summary["groups"]
    assert from_table.summary["inputs"] == [
        {"file": "table", "format": "table", "compression": None, "jobs": 3}
    ]
    a, b = from_table.jobs, from_text.jobs
    for column in ("job_id", "partition", "state", "node_equivalents", "gwp", "adpe", "pe"):
        assert list(a[column]) == list(b[column]), column
    # Categories (pandas' keys are int8 for a few of them) read as their texts.
    categories = TABLE.astype({"partition": "category", "state": "category"})
    assert engine.jobs(categories, **OPTIONS).summary == from_table.summary
    # A pyarrow Table gives the same.
    same = engine.jobs(pa.Table.from_pandas(TABLE, preserve_index=False), **OPTIONS)
    assert same.summary == from_table.summary


def test_loads_of_the_rows_win_over_the_option(engine):
    per_row = TABLE.assign(load=[50.0, 50.0, 50.0])
    options = {**OPTIONS, "load": 90}
    assert (engine.jobs(per_row, **options).summary["impacts"]
            == engine.jobs(TABLE, **OPTIONS).summary["impacts"])
    split = TABLE.assign(cpu_load=[20.0, 20.0, 20.0], gpu_load=[80.0, 80.0, 80.0])
    assert (engine.jobs(split, **OPTIONS).summary["impacts"]
            != engine.jobs(TABLE, **OPTIONS).summary["impacts"])


def test_bad_tables_are_named_by_column_and_row(engine):
    with pytest.raises(impacts.InputError) as e:
        engine.jobs(TABLE.assign(colour="red"), **OPTIONS)
    assert e.value.field == "colour"
    with pytest.raises(impacts.InputError) as e:
        engine.jobs(TABLE.assign(load=[50.0, 150.0, 50.0]), **OPTIONS)
    assert (e.value.field, e.value.file, e.value.line) == ("load", "table", 2)
    with pytest.raises(impacts.InputError) as e:
        engine.jobs(TABLE.drop(columns=["partition"]), **OPTIONS)
    assert e.value.field == "partition"
    with pytest.raises(impacts.InputError) as e:
        engine.jobs(TABLE.drop(columns=["hours"]), **OPTIONS)
    assert e.value.field == "hours"
    with pytest.raises(impacts.InputError) as e:
        engine.jobs(TABLE.assign(partition=["cpu_p1", "gpu_p99", "cpu_p1"]), **OPTIONS)
    assert e.value.line == 2
