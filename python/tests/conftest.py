"""Fixtures shared by the tests of the package."""

import pytest

from year_of_jobs import write_dataset


@pytest.fixture(scope="session")
def dataset(tmp_path_factory):
    """A million jobs (``IMPACTS_DASK_JOBS``) as Parquet partitions: (folder, files)."""
    return write_dataset(tmp_path_factory.mktemp("year"))
