"""Types of the extension module (the engine is written in Rust; see docs/python.md)."""

from typing import Any, Dict, List, Literal, Mapping, Optional, Sequence, Tuple, Union, overload

__version__: str

class ImpactsError(Exception):
    """A failure that is not the input's (the data bundle, an unexpected state)."""

class InputError(ValueError):
    """An input that cannot be used as given.

    ``field`` names it as the library does (``partition``, ``samples``,
    ``workflow.stages.run.hours``); ``value`` is what was given, ``expected`` what was expected;
    ``kind`` is one of ``invalid``, ``unknown``, ``missing``, ``malformed``, ``unreadable``;
    ``file``, ``line`` and ``column`` say where, when the input came from a file.
    """

    field: Optional[str]
    value: Optional[str]
    expected: str
    kind: Optional[str]
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]

class Estimate:
    """One criterion: the central value, the bounds (percentiles of the Monte Carlo samples;
    equal to the value with ``samples=0``) and the unit."""

    @property
    def value(self) -> float: ...
    @property
    def low(self) -> float: ...
    @property
    def high(self) -> float: ...
    @property
    def unit(self) -> str: ...

class Warning:
    """A warning: a stable code (docs/warnings.md) and its message."""

    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...

class Report:
    """The answer of an estimate; its parts are converted when asked."""

    @property
    def kind(self) -> str:
        """``job``, ``server``, ``component``, ``energy``, ``storage``, ``transfer`` or ``workflow``."""
    @property
    def subject(self) -> str:
        """What was estimated, in words."""
    @property
    def impacts(self) -> Dict[str, Estimate]:
        """The totals by criterion: ``gwp`` (gCO2eq), ``adpe`` (gSbeq), ``pe`` (MJ)."""
    @property
    def phases(self) -> Dict[str, Dict[str, Any]]:
        """By phase (``manufacturing``, ``use``, ``idle``, ``facility``…), then by criterion."""
    @property
    def warnings(self) -> List[Warning]:
        """Defaults taken, names matched loosely, inputs outside the data."""
    def to_dict(self) -> Dict[str, Any]:
        """What ``impacts … --format json`` prints for the same request and seed."""
    def to_json(self) -> str:
        """The same as JSON text, byte for byte the command line's."""
    @overload
    def explain(self, format: Literal["text"] = "text") -> str: ...
    @overload
    def explain(self, format: Literal["dict"]) -> Dict[str, Any]: ...
    def _repr_html_(self) -> str: ...

def io(path: str) -> Dict[str, Any]:
    """A Darshan log's characterization: what ``impacts io LOG --format json`` prints."""

def io_summary(folder: str, threads: Optional[int] = None) -> Dict[str, Any]:
    """Every Darshan log under a folder, summarized: ``impacts io --summary DIR --format json``."""

class Engine:
    """The engine over the embedded data bundle.

    ``center_files``: paths of center files, then named by their stem (``center="my-center"``
    for ``my-center.toml``). A ``center`` ending in ``.toml`` or holding a ``/`` is read as a file.

    Every estimate takes the evaluation's options as keyword arguments: ``samples`` (Monte Carlo
    samples for the bounds, 1000; 0 for none), ``seed`` (0), ``method`` (``default`` or
    ``impacts-hpc``), ``percentiles`` (``[2.5, 97.5]``), ``explain`` (False).
    """

    def __init__(self, center_files: Optional[Sequence[str]] = None) -> None: ...
    @property
    def data_bundle(self) -> Tuple[str, str]:
        """The data bundle's hash and version."""
    def job(self, **kwargs: Any) -> Report:
        """A job: ``center``, ``partition``, ``nodes`` (or ``cores``, ``gpus``, ``memory_gb``),
        ``hours``, ``load`` (or ``cpu_load``/``gpu_load``), ``node_type``, ``zone``, ``pue``,
        ``measured_energy_kwh``, as ``impacts job``."""
    def server(self, **kwargs: Any) -> Report:
        """A server: ``cpus`` (``[[{"name": "Intel Xeon Gold 6248"}, 2]]``), ``gpus``, ``ram``
        (``[{"size_gb": 192}]``), ``ssds``, ``hdds``, ``zone``…, as ``impacts server``."""
    def component(self, component: str, name: Optional[str] = None, **kwargs: Any) -> Report:
        """A component's manufacturing: ``component("cpu", "AMD EPYC 7543")``; ``gpu``,
        ``ram``, ``ssd``, ``power-supply`` with their fields."""
    def energy(
        self, energy: Union[str, float], zone: Optional[str] = None, **kwargs: Any
    ) -> Report:
        """Electricity: ``energy("1000kWh", zone="FR")`` or a number of kWh."""
    def storage(self, **kwargs: Any) -> Report:
        """Stored data: ``volume``, ``years``, ``center``, ``tier``…, as ``impacts storage``."""
    def transfer(self, **kwargs: Any) -> Report:
        """Moved data: ``volume``, ``from`` (or ``from_``), ``to``…, as ``impacts transfer``."""
    def workflow(self, workflow: Union[str, Mapping[str, Any]], **kwargs: Any) -> Report:
        """A workflow file's path, or the same as a dict (bundled centers only)."""
    def _jobs_stream(
        self, stream: Any, rows: bool = False, partial: bool = False, **kwargs: Any
    ) -> Tuple[Any, Any]:
        """A table of jobs as an Arrow C stream capsule (``impacts.Engine.jobs`` makes it): (the
        summary — a dict —, or with ``partial`` its partial sums — bytes —; the per-job rows as
        an Arrow C stream capsule when ``rows``, else None)."""
    @staticmethod
    def _merge_partials(partials: Sequence[bytes]) -> bytes:
        """Partial sums merged into one, in order."""
    def _report_partials(self, partials: Sequence[bytes], **kwargs: Any) -> Dict[str, Any]:
        """The summary of partial sums merged (the options of the runs that made them)."""
    def accounting(
        self, inputs: Sequence[str], rows: bool = False, **kwargs: Any
    ) -> Tuple[Dict[str, Any], Any]:
        """Records accounted as ``impacts accounting``: (the summary as its JSON, the per-job
        rows as an Arrow C stream capsule when ``rows``). ``impacts.accounting`` wraps it."""
