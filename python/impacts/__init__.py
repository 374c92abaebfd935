"""The environmental footprint of scientific computing, from Python.

    >>> import impacts
    >>> engine = impacts.Engine()
    >>> r = engine.job(center="jean-zay", partition="gpu_p6", nodes=4, hours=12, load=80)
    >>> r.impacts["gwp"].value, r.impacts["gwp"].unit

The engine is the one of the ``impacts`` command and service (a Rust library): the same data
bundle, the same reports (``report.to_dict()`` is what ``impacts job … --format json`` prints for
the same request and seed), the same errors (``impacts.InputError`` names the input at fault).
"""

import json
import os
import tempfile
from typing import Any, Dict, Optional, Sequence, Union

from ._impacts import Engine as _Engine
from ._impacts import (
    Estimate,
    ImpactsError,
    InputError,
    Report,
    Warning,
    __version__,
    io,
    io_summary,
)

from ._track import Tracker, allocation, track

__all__ = [
    "Accounting",
    "Summary",
    "Engine",
    "Estimate",
    "ImpactsError",
    "InputError",
    "Report",
    "Tracker",
    "Warning",
    "__version__",
    "accounting",
    "allocation",
    "SUMMARY_SCHEMA",
    "footprint_batches",
    "footprint_schema",
    "footprints",
    "summarize",
    "summary_batches",
    "io",
    "io_summary",
    "track",
]

class Engine(_Engine):
    """The engine over the embedded data bundle (see ``_impacts.Engine`` for its estimates):
    ``job``, ``server``, ``component``, ``energy``, ``storage``, ``transfer``, ``workflow``,
    ``accounting``, and ``jobs`` for a table of jobs."""

    def jobs(self, table: Any, *, center: str, keep_rows: bool = True,
             **options: Any) -> "Accounting":
        """The footprint of every row of a table of jobs (a pandas DataFrame or a pyarrow
        Table), accounted as ``impacts accounting`` accounts records.

        Columns (by name; ``partition`` and ``hours`` — or ``start`` and ``end`` — required):
        ``job_id``, ``cluster``, ``user``, ``account``, ``partition``, ``state`` (COMPLETED when
        absent), ``start``, ``end`` (timestamps, or UTC seconds), ``hours``, ``nodes``,
        ``cores``, ``gpus``, ``memory_gb``, ``load`` (or ``cpu_load`` and ``gpu_load``, %: they
        win over the ``load`` option), ``energy_kwh`` (measured). Options as
        :func:`impacts.accounting`. An unknown column is an error naming it; a bad value names its
        column and row (``file`` is ``"table"``, ``line`` the row counted from 1).
        """
        summary, rows = self._account(table, center, keep_rows, False, options)
        return Accounting(summary, rows)

    def summarize(self, table: Any, *, center: str, **options: Any) -> "Summary":
        """The sums of a table of jobs (columns as :meth:`jobs`) as a :class:`Summary` that
        merges with others: a partition of a Dask or Spark dataset accounted on its worker,
        merged with the others' into the summary of all the jobs."""
        data, _ = self._account(table, center, False, True, options)
        return Summary(data, dict(options, center=center))

    def _account(self, table: Any, center: str, keep_rows: bool, partial: bool,
                 options: Dict[str, Any]) -> Any:
        out, rows = self._jobs_stream(_arrow_stream(table), keep_rows, partial,
                                      center=center, **options)
        return out, _table_of(rows)


def _table_of(capsule: Any) -> Any:
    """The per-job rows handed over by the engine (an Arrow C stream capsule) as a pyarrow
    Table, without copying them; None stays None."""
    if capsule is None:
        return None
    import pyarrow as pa

    return pa.RecordBatchReader._import_from_c_capsule(capsule).read_all()


def _arrow_stream(table: Any) -> Any:
    """A pandas DataFrame, pyarrow Table or RecordBatch as an Arrow C stream capsule: the
    engine reads the table's buffers where pyarrow keeps them."""
    import pyarrow as pa

    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    elif not isinstance(table, pa.Table):
        table = pa.Table.from_pandas(table, preserve_index=False)
    return table.__arrow_c_stream__()


# The options that only shape the final report: free to differ between the summaries merged.
_REPORT_OPTIONS = ("samples", "seed", "percentiles", "top")


class Summary:
    """The sums of accounted jobs before their report: summaries of disjoint sets of jobs merge
    (``Summary.merge``, or ``a + b``) into the summary of all of them, bounds included — each
    keeps, per Monte Carlo bucket, the sums its samples are weighted by, so the merged bounds
    are those one run over all the jobs gives (not a combination of per-part bounds).

    Made by :meth:`Engine.summarize` / :func:`impacts.summarize`; picklable (it is bytes and a
    dict), so Dask and Spark move it between processes. ``to_dict()`` is what ``impacts
    accounting --format json`` prints for the same jobs; the samples, seed, percentiles and top
    groups can be chosen then."""

    def __init__(self, data: bytes, options: Dict[str, Any]) -> None:
        self._data = data
        self._options = options

    @staticmethod
    def merge(*summaries: Any) -> "Summary":
        """The summary of all the jobs of ``summaries`` (summaries, or iterables of them),
        merged in order; they must come from runs with the same center, data and options (an
        ``InputError`` names the first that differs, as ``summaries[i]``). The merged summary
        keeps the first one's options for its report. Records are not deduplicated across
        summaries: each job must be in one partition only."""
        flat: list = []
        for s in summaries:
            if isinstance(s, Summary):
                flat.append(s)
            else:
                flat.extend(s)
        if not flat:
            raise InputError("Summary.merge: at least one summary to merge")
        for s in flat:
            if not isinstance(s, Summary):
                raise TypeError(f"Summary.merge: not a Summary: {type(s).__name__}")
        if len(flat) == 1:
            return flat[0]
        data = _Engine._merge_partials([s._data for s in flat])
        return Summary(data, flat[0]._options)

    def to_bytes(self) -> bytes:
        """The summary as bytes (its options as a JSON line, then its sums), for a column of a
        distributed engine's rows: :func:`summary_batches` makes them, ``from_bytes`` reads
        them back."""
        return json.dumps(self._options, sort_keys=True).encode() + b"\n" + self._data

    @staticmethod
    def from_bytes(data: bytes) -> "Summary":
        """A summary from :meth:`to_bytes`."""
        head, sep, sums = bytes(data).partition(b"\n")
        try:
            options = json.loads(head) if sep else None
        except ValueError:
            options = None
        if not isinstance(options, dict):
            raise InputError("Summary.from_bytes: not the bytes of a summary")
        return Summary(sums, options)

    def __add__(self, other: "Summary") -> "Summary":
        if not isinstance(other, Summary):
            return NotImplemented
        return Summary.merge(self, other)

    def __radd__(self, other: Any) -> "Summary":
        # sum(summaries) starts from 0.
        if isinstance(other, int) and other == 0:
            return self
        return NotImplemented

    def to_dict(self, *, engine: Optional[Engine] = None, **report_options: Any) -> Dict[str, Any]:
        """The summary, as ``impacts accounting --format json`` prints it. ``report_options``:
        ``samples``, ``seed``, ``percentiles``, ``top`` (others are the runs' own)."""
        for k in report_options:
            if k not in _REPORT_OPTIONS:
                raise InputError(
                    f"{k}: not an option of a summary's report (it is the runs'); "
                    f"expected one of {', '.join(_REPORT_OPTIONS)}"
                )
        options = dict(self._options, **report_options)
        return (engine or _default_engine())._report_partials([self._data], **options)

    def __repr__(self) -> str:
        return f"Summary(center={self._options.get('center')!r}, {len(self._data)} bytes)"


_ENGINE: Optional[Engine] = None


def _default_engine() -> Engine:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
    return _ENGINE


class Accounting:
    """The footprint of scheduler records: ``summary`` (a dict, what ``impacts accounting
    --format json`` prints) and the per-job rows (``jobs``: a pandas DataFrame; ``to_arrow()``:
    a pyarrow Table), the columns of ``impacts accounting --jobs``."""

    def __init__(self, summary: Dict[str, Any], table: Any) -> None:
        self.summary = summary
        self._table = table

    def to_arrow(self) -> Any:
        """The per-job rows as a pyarrow Table."""
        if self._table is None:
            raise ImpactsError(
                "the per-job rows were not kept: accounting(..., jobs=True) or "
                "engine.jobs(..., keep_rows=True) keeps them"
            )
        return self._table

    @property
    def jobs(self) -> Any:
        """The per-job rows as a pandas DataFrame (pandas needed)."""
        return self.to_arrow().to_pandas()

    def __repr__(self) -> str:
        gwp = self.summary.get("impacts", {}).get("gwp", {})
        return (
            f"Accounting({self.summary.get('jobs')} jobs, "
            f"gwp {gwp.get('value')} {gwp.get('unit', '')})"
        )


def _inputs(source: Union[str, "os.PathLike[str]", Sequence[Any]], folder: str) -> list:
    """Paths of the records: a path, several, or the text of records (written to `folder`)."""
    if isinstance(source, (list, tuple)):
        return [os.fspath(p) for p in source]
    if isinstance(source, os.PathLike):
        return [os.fspath(source)]
    if isinstance(source, str):
        if "\n" in source or not os.path.exists(source):
            if "\n" not in source:
                raise InputError(f"no such file: '{source}' (give a path, or the records' text)")
            path = os.path.join(folder, "records.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(source)
            return [path]
        return [source]
    raise TypeError("source: a path, a list of paths, or the records' text")


def accounting(
    source: Union[str, "os.PathLike[str]", Sequence[Any]],
    *,
    center: str,
    jobs: bool = True,
    engine: Optional[Engine] = None,
    **options: Any,
) -> Accounting:
    """The footprint of every job in scheduler records, as ``impacts accounting``.

    ``source``: a path (sacct ``-P`` text, sacct ``--json``, SWF; compressed or not), a list of
    paths, or the records' text. ``center``: a bundled center or a center file's path. Options,
    named as the command's flags: ``fields``, ``delimiter``, ``input_format``,
    ``default_partition``, ``load`` (a percentage or ``"from-cputime"``), ``zone``, ``method``,
    ``group_by`` (default user, account, partition, state, month), ``top``, ``samples``,
    ``seed``, ``percentiles``, ``job_samples``, ``skip_bad_lines``, ``dedup_window``,
    ``time_zone``. ``jobs=False`` keeps the summary only (pyarrow is then not needed).
    """
    engine = engine or _default_engine()
    with tempfile.TemporaryDirectory(prefix="impacts-") as folder:
        paths = _inputs(source, folder)
        try:
            summary, rows = engine.accounting(paths, jobs, center=center, **options)
        except InputError as e:
            # Records given as text are named so, not by the temporary file they went through.
            if e.file is not None and e.file.startswith(folder):
                named = InputError(str(e).replace(e.file, "<text>"))
                for attr in ("field", "value", "expected", "kind", "line", "column"):
                    setattr(named, attr, getattr(e, attr))
                named.file = "<text>"
                raise named from None
            raise
        for given in summary.get("inputs", []):
            if given.get("file", "").startswith(folder):
                given["file"] = "<text>"
    return Accounting(summary, _table_of(rows))


def footprints(table: Any, *, center: str, engine: Optional[Engine] = None,
               **options: Any) -> Any:
    """The per-job footprints of a table of jobs (columns as :meth:`Engine.jobs`), as the same
    kind of table: a pandas DataFrame for a DataFrame (what Dask's ``map_partitions`` calls),
    a pyarrow Table for a Table or RecordBatch. The columns are ``impacts accounting --jobs``'s."""
    import pyarrow as pa

    # The summary that comes with the rows is not returned: no Monte Carlo for it.
    options.setdefault("samples", 0)
    rows = (engine or _default_engine()).jobs(table, center=center, **options).to_arrow()
    if isinstance(table, (pa.Table, pa.RecordBatch)):
        return rows
    return rows.to_pandas()


def footprint_batches(batches: Any, *, center: str, engine: Optional[Engine] = None,
                      **options: Any) -> Any:
    """Per-job footprints of an iterator of pyarrow RecordBatches, as RecordBatches: the
    function Spark's ``mapInArrow`` calls, with :func:`footprint_schema` (times in
    microseconds and categories as plain strings, the Arrow types Spark takes)."""
    for batch in batches:
        rows = footprints(batch, center=center, engine=engine, **options)
        yield from _plain(rows).to_batches()


def footprint_schema(*, center: str, engine: Optional[Engine] = None, **options: Any) -> Any:
    """The pyarrow schema of :func:`footprint_batches`' rows (Spark:
    ``pyspark.sql.pandas.types.from_arrow_schema(impacts.footprint_schema(center=…))``)."""
    import pyarrow as pa

    empty = pa.table({"partition": pa.array([], pa.string()),
                      "hours": pa.array([], pa.float64())})
    return _plain(footprints(empty, center=center, engine=engine, **options)).schema


def _plain(table: Any) -> Any:
    """A table with dictionary columns decoded and millisecond times in microseconds."""
    import pyarrow as pa

    fields = []
    for f in table.schema:
        t = f.type
        if pa.types.is_dictionary(t):
            t = t.value_type
        if pa.types.is_timestamp(t) and t.unit != "us":
            t = pa.timestamp("us", tz=t.tz)
        fields.append(pa.field(f.name, t, f.nullable))
    schema = pa.schema(fields)
    return table if schema == table.schema else table.cast(schema)


def summarize(table: Any, *, center: str, engine: Optional[Engine] = None,
              **options: Any) -> Summary:
    """:meth:`Engine.summarize` with the default engine: the mergeable :class:`Summary` of a
    table of jobs (a partition of a Dask or Spark dataset)."""
    return (engine or _default_engine()).summarize(table, center=center, **options)


#: The schema of :func:`summary_batches`' rows, as Spark's ``mapInArrow`` wants it.
SUMMARY_SCHEMA = "summary binary"


def summary_batches(batches: Any, *, center: str, engine: Optional[Engine] = None,
                    **options: Any) -> Any:
    """The :class:`Summary` of an iterator of pyarrow RecordBatches (a partition), as one
    RecordBatch of one row and one column ``summary`` (:meth:`Summary.to_bytes`): the function
    Spark's ``mapInArrow`` calls with :data:`SUMMARY_SCHEMA`; the driver merges the rows with
    ``Summary.merge(Summary.from_bytes(r.summary) for r in rows)``. The partition's batches are
    accounted as one table; a partition without rows gives no row."""
    import pyarrow as pa

    # The partition's batches as one table (no copy): one run, one summary.
    batches = [b for b in batches if b.num_rows > 0]
    if batches:
        summary = summarize(pa.Table.from_batches(batches), center=center, engine=engine,
                            **options)
        yield pa.RecordBatch.from_pydict({"summary": [summary.to_bytes()]},
                                         schema=pa.schema([("summary", pa.binary())]))
