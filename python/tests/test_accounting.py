"""`impacts.accounting` against `impacts accounting`: the same summary (its JSON) and the same
per-job rows (its `--jobs` Parquet read with pyarrow), from a file or from text, and errors that
name the record at fault."""

import json
import os
import subprocess
from pathlib import Path

import pyarrow.parquet
import pytest

import impacts

ROOT = Path(__file__).resolve().parents[2]
RECORDS = ROOT / "docs" / "examples" / "sacct-jean-zay.txt"


def cli_accounting(tmp_path, *args):
    binary = os.environ.get("IMPACTS_BIN")
    if not binary:
        assert os.environ.get("CI") != "true", "IMPACTS_BIN is required with CI=true"
        pytest.skip("IMPACTS_BIN is not set: no command line to compare with")
    rows = tmp_path / "cli-jobs.parquet"
    out = subprocess.run(
        [binary, "accounting", *args, "--format", "json", "--samples", "200", "--seed", "3",
         "--jobs", str(rows), "--quiet"],
        capture_output=True, text=True, check=False,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout), pyarrow.parquet.read_table(rows)


def test_summary_and_rows_are_the_command_line_s(tmp_path):
    summary, rows = cli_accounting(tmp_path, str(RECORDS), "--center", "jean-zay")
    a = impacts.accounting(RECORDS, center="jean-zay", samples=200, seed=3)
    assert a.summary == summary
    table = a.to_arrow()
    assert table.column_names == rows.column_names
    assert table.num_rows == rows.num_rows == summary["jobs"]
    assert table.to_pylist() == rows.to_pylist()
    df = a.jobs
    assert list(df.columns) == rows.column_names
    assert abs(df["gwp"].sum() - summary["impacts"]["gwp"]["value"]) <= 1e-9 * abs(
        summary["impacts"]["gwp"]["value"]
    )


def test_text_and_options_as_the_command_s(tmp_path):
    summary, _ = cli_accounting(tmp_path, str(RECORDS), "--center", "jean-zay",
                                "--load", "50", "--group-by", "account")
    text = RECORDS.read_text()
    a = impacts.accounting(text, center="jean-zay", samples=200, seed=3, load=50,
                           group_by=["account"], jobs=False)
    # Records given as text are named so, not by the temporary file they went through.
    assert [i["file"] for i in a.summary["inputs"]] == ["<text>"]
    for i in summary["inputs"]:
        i["file"] = "<text>"
    assert a.summary == summary
    with pytest.raises(impacts.ImpactsError):
        a.to_arrow()


def test_a_bad_record_is_named_with_its_line(tmp_path):
    lines = RECORDS.read_text().splitlines()
    lines[3] = lines[3].replace("|2026-11-04T08:49:20|", "|yesterday|")
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(impacts.InputError) as e:
        impacts.accounting(bad, center="jean-zay", jobs=False)
    assert e.value.file == str(bad)
    assert e.value.line == 4
    with pytest.raises(impacts.InputError) as e:
        impacts.accounting(bad.read_text(), center="jean-zay", jobs=False)
    assert (e.value.file, e.value.line) == ("<text>", 4)
    assert str(e.value).startswith("<text>:4")
    with pytest.raises(impacts.InputError) as e:
        impacts.accounting(RECORDS, center="jean-zay", load="lots", jobs=False)
    assert e.value.field == "load"
    with pytest.raises(impacts.InputError) as e:
        impacts.accounting(RECORDS, center="jean-zay", colour="red", jobs=False)
    assert e.value.field == "colour"
    with pytest.raises(impacts.InputError):
        impacts.accounting(str(tmp_path / "absent.txt"), center="jean-zay")
