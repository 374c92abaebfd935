"""The Python package against the command line: the same reports for the same requests and seed,
errors naming their input, and what Python adds (dicts, text, HTML, threads).

The command line is the reference: ``IMPACTS_BIN`` names its binary (ci/test sets it); without
it the comparisons are skipped with a notice, and fail with ``CI=true``.
"""

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

import impacts

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


def cli(*args):
    """The command line's JSON for the same request (200 samples, seed 3)."""
    binary = os.environ.get("IMPACTS_BIN")
    if not binary:
        assert os.environ.get("CI") != "true", "IMPACTS_BIN is required with CI=true"
        pytest.skip("IMPACTS_BIN is not set: no command line to compare with")
    out = subprocess.run(
        [binary, *args, "--format", "json", "--samples", "200", "--seed", "3"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture(scope="module")
def engine():
    return impacts.Engine()


JOB = dict(center="jean-zay", partition="gpu_p6", nodes=4, hours=12, load=80)


def test_reports_are_the_command_line_s(engine):
    cases = [
        (
            engine.job(**JOB, samples=200, seed=3),
            ["job", "--center", "jean-zay", "--partition", "gpu_p6", "--nodes", "4",
             "--hours", "12", "--load", "80"],
        ),
        (
            engine.server(cpus=[[{"name": "Intel Xeon Gold 6248"}, 2]], ram=[{"size_gb": 192}],
                          samples=200, seed=3),
            ["server", "--cpu", "Intel Xeon Gold 6248", "--cpus", "2", "--ram", "192GB"],
        ),
        (engine.energy("1000kWh", zone="FR", samples=200, seed=3),
         ["energy", "1000kWh", "--zone", "FR"]),
        (engine.component("cpu", "AMD EPYC 7543", samples=200, seed=3),
         ["component", "cpu", "AMD EPYC 7543"]),
    ]
    for report, args in cases:
        expected = cli(*args)
        assert report.to_json() == expected, args
        assert report.to_dict() == json.loads(expected), args


def test_a_workflow_file_is_the_command_line_s(engine):
    path = str(EXAMPLES / "workflow.toml")
    report = engine.workflow(path, samples=200, seed=3)
    assert report.kind == "workflow"
    assert report.to_dict() == json.loads(cli("workflow", path))


def test_the_report_s_parts(engine):
    r = engine.job(**JOB, samples=200, seed=3)
    gwp = r.impacts["gwp"]
    assert gwp.unit == "gCO2eq"
    assert gwp.low < gwp.value < gwp.high, "bounds from 200 samples around the central value"
    d = r.to_dict()
    assert gwp.value == d["impacts"]["gwp"]["value"]
    assert set(r.phases) == set(d["phases"])
    assert r.phases["use"]["pe"].value == d["phases"]["use"]["pe"]["value"]
    # The call makes the totals' bounds; the phases' bounds and the sensitivity ranking are made
    # when first read (the same draws): the same numbers as the command's, never placeholders.
    for k in ("gwp", "pe", "adpe"):
        assert (r.impacts[k].low, r.impacts[k].high) == \
            (d["impacts"][k]["low"], d["impacts"][k]["high"])
    use = r.phases["use"]["gwp"]
    assert use.low < use.value < use.high
    assert (use.low, use.high) == (d["phases"]["use"]["gwp"]["low"], d["phases"]["use"]["gwp"]["high"])
    assert d["sensitivity"]["gwp"], "the sensitivity ranking is in the dict"
    fresh = engine.job(**JOB, samples=200, seed=3)
    assert fresh.phases["use"]["gwp"].low == use.low, "phases read first, before any dict"
    assert [(w.code, w.message) for w in r.warnings] == [
        (w["code"], w["message"]) for w in d["warnings"]
    ]
    # Without samples, the bounds are the value.
    point = engine.job(**JOB, samples=0).impacts["gwp"]
    assert point.low == point.value == point.high == gwp.value


def test_derivations_as_text_and_dict(engine):
    r = engine.job(**JOB, samples=0)
    tree = r.explain("dict")
    assert set(tree) == {"gwp", "adpe", "pe", "water"} == set(r.impacts)
    assert tree["gwp"]["value"] == r.impacts["gwp"].value
    text = r.explain()
    assert "── gwp ──" in text and "manufacturing" in text
    with pytest.raises(impacts.InputError):
        r.explain("yaml")


def test_jupyter_sees_a_table_with_text_escaped(engine):
    html = engine.job(**JOB, samples=0)._repr_html_()
    assert "<table>" in html and "gCO2eq" in html
    assert "<script" not in html


def test_errors_name_their_input(engine):
    with pytest.raises(impacts.InputError) as e:
        engine.job(**{**JOB, "partition": "gpu_p99"})
    assert (e.value.field, e.value.value, e.value.kind) == ("partition", "gpu_p99", "unknown")
    assert "gpu_p6" in e.value.expected
    with pytest.raises(impacts.InputError) as e:
        engine.job(**JOB, colour="red")
    assert e.value.field == "colour"
    with pytest.raises(impacts.InputError) as e:
        engine.job(**JOB, samples=-1)
    assert e.value.field == "samples"
    with pytest.raises(impacts.InputError) as e:
        engine.job(**{**JOB, "hours": -2})
    assert e.value.field == "hours"
    assert isinstance(e.value, ValueError), "an InputError is a ValueError"
    with pytest.raises(TypeError, match="nodes"):
        engine.job(**{**JOB, "nodes": {1, 2}})


def test_a_center_file_error_is_located(engine, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nzone = "FR"\npue = [\n')
    with pytest.raises(impacts.InputError) as e:
        engine.job(center=str(bad), partition="p", nodes=1, hours=1)
    assert e.value.file == str(bad)
    assert e.value.line is not None and e.value.line >= 3


def test_center_files_are_named_by_their_stem(tmp_path):
    path = EXAMPLES / "my-center.toml"
    named = impacts.Engine(center_files=[str(path)])
    by_name = named.job(center="my-center", partition="cpu", cores=16, hours=3, samples=0)
    by_path = named.job(center=str(path), partition="cpu", cores=16, hours=3, samples=0)
    assert by_name.to_dict() == by_path.to_dict()
    assert by_name.to_dict()["inputs"]["center_file"] == str(path)
    with pytest.raises(impacts.InputError) as e:
        impacts.Engine(center_files=[str(tmp_path / "absent.toml")])
    assert e.value.field == "center_files"
    # Two files of one name: which would `center="my-center"` be? Refused, both named.
    other = tmp_path / "my-center.toml"
    other.write_text(path.read_text())
    with pytest.raises(impacts.InputError) as e:
        impacts.Engine(center_files=[str(path), str(other)])
    assert e.value.field == "center_files" and str(path) in str(e.value)


def test_estimates_run_in_threads_with_the_same_answers(engine):
    expected = engine.job(**JOB, samples=100, seed=1).to_json()
    results = []

    def work():
        for _ in range(5):
            results.append(engine.job(**JOB, samples=100, seed=1).to_json())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 20
    assert all(r == expected for r in results)


def test_a_workflow_as_a_dict_names_no_file(engine):
    w = {
        "name": "simulate and ship",
        "stages": {
            "simulate": {"job": {"center": "jean-zay", "partition": "gpu_p6", "nodes": 16,
                                 "hours": 24, "load": 80}},
            "ship": {"after": ["simulate"],
                     "transfer": {"volume": "20TB", "from": "FR", "to": "DE"}},
        },
    }
    r = engine.workflow(w, samples=0)
    assert r.impacts["gwp"].value > engine.job(center="jean-zay", partition="gpu_p6", nodes=16,
                                               hours=24, load=80, samples=0).impacts["gwp"].value
    w["stages"]["simulate"]["job"]["center"] = "/etc/passwd.toml"
    with pytest.raises(impacts.InputError, match="cannot name"):
        engine.workflow(w, samples=0)
