"""`impacts.io` and `impacts.io_summary` against `impacts io`, on real Darshan logs of
../shared/data (skipped with a notice when absent, failing with CI=true)."""

import json
import os
import subprocess
from pathlib import Path

import pytest

import impacts

LOGS = Path(__file__).resolve().parents[3] / "shared" / "data" / "darshan-logs"


def shared(path):
    if not path.exists():
        assert os.environ.get("CI") != "true", f"{path} is required with CI=true"
        pytest.skip(f"notice: {path} is absent")
    return path


def cli(*args):
    binary = os.environ.get("IMPACTS_BIN")
    if not binary:
        assert os.environ.get("CI") != "true", "IMPACTS_BIN is required with CI=true"
        pytest.skip("IMPACTS_BIN is not set: no command line to compare with")
    out = subprocess.run([binary, "io", *args, "--format", "json"], capture_output=True,
                         text=True, check=False)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_a_log_is_characterized_as_the_command_does():
    folder = shared(LOGS / "mpi_io_test_with_dxt")
    log = str(sorted(folder.glob("*.darshan"))[0])
    got = impacts.io(log)
    assert got == cli(log)
    assert got["job"]["nprocs"] > 0 and got["bytes_written"] > 0


def test_a_folder_is_summarized_as_the_command_does():
    folder = str(shared(LOGS / "mpi_io_test_with_dxt"))
    assert impacts.io_summary(folder, threads=2) == cli("--summary", folder)


def test_what_is_not_a_log_is_named(tmp_path):
    bad = tmp_path / "not.darshan"
    bad.write_bytes(b"this is not a darshan log")
    with pytest.raises(impacts.InputError) as e:
        impacts.io(str(bad))
    assert e.value.file == str(bad)
    with pytest.raises(impacts.InputError) as e:
        impacts.io_summary(str(tmp_path / "empty-folder-that-does-not-exist"))
    assert e.value.field == "folder"
