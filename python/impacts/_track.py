"""The footprint of a block of code running in a Slurm job: ``with impacts.track(...) as t:``.

The allocation is read from the environment Slurm gives every job (``SLURM_JOB_ID``,
``SLURM_JOB_PARTITION``, ``SLURM_JOB_NUM_NODES``, ``SLURM_JOB_CPUS_PER_NODE``,
``SLURM_GPUS_ON_NODE``/``SLURM_JOB_GPUS``, ``SLURM_MEM_PER_NODE``); arguments given to ``track``
win over it. At the end of the block the engine estimates the allocation for the elapsed time.
Where the node exposes RAPL counters (``/sys/class/powercap/intel-rapl:*``, readable), the
energy of its CPU packages and memory over the block is read too and reported beside the estimate
(``t.rapl_kwh``); with ``energy="rapl"`` it replaces the modelled electricity, scaled to the
allocation's nodes — RAPL sees neither GPUs, fans nor power-supply losses, which a warning says.
Where NVIDIA's management library answers (``libnvidia-ml.so.1``; GPUs of Volta and later), the
energy of the job's GPUs on this node (``SLURM_JOB_GPUS``, matched to NVML's devices by minor
number, else every GPU it sees) is read the same way (``t.nvml_kwh``) — all of them or none: a
job's GPU that NVML does not show or that has no energy counter leaves ``t.nvml_kwh`` None;
``energy="rapl+nvml"`` replaces the modelled electricity with both.
"""

import contextlib
import ctypes
import json
import os
import sys
import time
from typing import Any, Dict, List, Optional, Tuple

from ._impacts import Engine, InputError, Report

#: Where the RAPL counters are (a test may point elsewhere).
POWERCAP = os.environ.get("IMPACTS_POWERCAP", "/sys/class/powercap")


def _cpus_per_node(text: str) -> List[int]:
    """Slurm's ``SLURM_JOB_CPUS_PER_NODE``: ``40``, ``40(x2)``, ``40(x2),20``."""
    out: List[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "(x" in part:
            count, times = part.split("(x")
            out.extend([int(count)] * int(times.rstrip(")")))
        else:
            out.append(int(part))
    return out


def _gpus(env: Dict[str, str], nodes: int) -> Optional[int]:
    """GPUs of the allocation: per node (``SLURM_GPUS_ON_NODE``) × nodes, else the ids of
    ``SLURM_JOB_GPUS``/``CUDA_VISIBLE_DEVICES`` on this node × nodes."""
    if env.get("SLURM_GPUS_ON_NODE", "").isdigit():
        return int(env["SLURM_GPUS_ON_NODE"]) * nodes
    ids = env.get("SLURM_JOB_GPUS", "")
    if ids and ids != "N/A":
        return len([i for i in ids.split(",") if i.strip()]) * nodes
    return None


def allocation(env: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    """What Slurm says of the job this process runs in (an empty dict outside Slurm)."""
    env = dict(os.environ if env is None else env)
    if "SLURM_JOB_ID" not in env:
        return {}
    found: Dict[str, Any] = {"job_id": env["SLURM_JOB_ID"]}
    if env.get("SLURM_CLUSTER_NAME"):
        found["cluster"] = env["SLURM_CLUSTER_NAME"]
    if env.get("SLURM_JOB_PARTITION"):
        found["partition"] = env["SLURM_JOB_PARTITION"].split(",")[0]
    nodes_text = env.get("SLURM_JOB_NUM_NODES") or env.get("SLURM_NNODES")
    nodes = int(nodes_text) if nodes_text and nodes_text.isdigit() else None
    if nodes is not None:
        found["nodes"] = nodes
    cpus = env.get("SLURM_JOB_CPUS_PER_NODE")
    if cpus:
        try:
            found["cores"] = sum(_cpus_per_node(cpus))
        except ValueError:
            pass
    gpus = _gpus(env, nodes or 1)
    if gpus:
        found["gpus"] = gpus
    mem = env.get("SLURM_MEM_PER_NODE", "")
    if mem.isdigit() and nodes:
        found["memory_gb"] = int(mem) * nodes / 1024.0
    return found


def _rapl_domains(root: str) -> List[Tuple[str, int]]:
    """Readable top-level RAPL domains (packages; their DRAM subdomains are counted by the
    package's own sum on most kernels, so only ``intel-rapl:N`` are read) and their ranges."""
    found = []
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return []
    for name in names:
        if not name.startswith("intel-rapl:") or name.count(":") != 1:
            continue
        path = os.path.join(root, name)
        try:
            with open(os.path.join(path, "max_energy_range_uj")) as f:
                top = int(f.read().strip())
            with open(os.path.join(path, "energy_uj")) as f:
                int(f.read().strip())
        except (OSError, ValueError):
            continue
        found.append((path, top))
    return found


def _rapl_read(domains: List[Tuple[str, int]]) -> List[int]:
    out = []
    for path, _ in domains:
        with open(os.path.join(path, "energy_uj")) as f:
            out.append(int(f.read().strip()))
    return out


class _Nvml:
    """NVIDIA's management library, through ctypes: the total energy counters (mJ since the
    driver was loaded) of the job's GPUs. None of it is needed to import the package."""

    SUCCESS = 0

    def __init__(self, lib: Any, handles: List[Any]) -> None:
        self.lib, self.handles = lib, handles

    @staticmethod
    def open(env: Dict[str, str]) -> Optional["_Nvml"]:
        """The library and the handles of the GPUs whose energy it reports, or None (no
        library, no GPU, or a library without these functions)."""
        try:
            return _Nvml._open(env)
        except (OSError, AttributeError):
            return None

    @staticmethod
    def _open(env: Dict[str, str]) -> Optional["_Nvml"]:
        lib = ctypes.CDLL(env.get("IMPACTS_NVML_LIBRARY", "libnvidia-ml.so.1"))
        lib.nvmlDeviceGetTotalEnergyConsumption.argtypes = [
            ctypes.c_void_p, ctypes.POINTER(ctypes.c_ulonglong)]
        lib.nvmlDeviceGetMinorNumber.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint)]
        if lib.nvmlInit_v2() != _Nvml.SUCCESS:
            return None
        count = ctypes.c_uint(0)
        if lib.nvmlDeviceGetCount_v2(ctypes.byref(count)) != _Nvml.SUCCESS:
            return None
        # Every GPU NVML sees, by its minor number (/dev/nvidiaN): Slurm's SLURM_JOB_GPUS names
        # the job's GPUs so (NVML's own order is the PCI bus's, and a cgroup renumbers it).
        by_minor = {}
        for i in range(count.value):
            handle, minor = ctypes.c_void_p(), ctypes.c_uint(0)
            if (lib.nvmlDeviceGetHandleByIndex_v2(ctypes.c_uint(i), ctypes.byref(handle))
                    == _Nvml.SUCCESS
                    and lib.nvmlDeviceGetMinorNumber(handle, ctypes.byref(minor)) == _Nvml.SUCCESS):
                by_minor[minor.value] = handle
        ids = env.get("SLURM_JOB_GPUS", "")
        wanted = [int(i) for i in ids.split(",") if i.strip().isdigit()] if ids else sorted(by_minor)
        if not wanted or any(w not in by_minor for w in wanted):
            return None  # a GPU of the job that NVML does not show: no partial sum
        nvml = _Nvml(lib, [by_minor[w] for w in wanted])
        # Every one must have an energy counter (Volta and later), else none is used.
        return nvml if nvml.read() is not None else None

    def read(self) -> Optional[List[int]]:
        """Each GPU's energy counter (mJ), or None when one cannot be read."""
        out = []
        for handle in self.handles:
            mj = ctypes.c_ulonglong(0)
            if self.lib.nvmlDeviceGetTotalEnergyConsumption(handle,
                                                            ctypes.byref(mj)) != _Nvml.SUCCESS:
                return None
            out.append(mj.value)
        return out


class Tracker(contextlib.ContextDecorator):
    """``with impacts.track(center="jean-zay") as t: …`` then ``t.report``; or
    ``@impacts.track(center=…)`` on a function. See the module's documentation."""

    def __init__(
        self,
        center: str,
        *,
        partition: Optional[str] = None,
        nodes: Optional[float] = None,
        cores: Optional[float] = None,
        gpus: Optional[float] = None,
        memory_gb: Optional[float] = None,
        load: Optional[float] = None,
        energy: str = "model",
        samples: int = 1000,
        seed: int = 0,
        engine: Optional[Engine] = None,
        output: Optional[str] = None,
        quiet: bool = False,
    ) -> None:
        if energy not in ("model", "rapl", "rapl+nvml"):
            err = InputError(f"invalid energy '{energy}': expected model, rapl or rapl+nvml")
            err.field, err.value, err.expected = "energy", energy, "model, rapl or rapl+nvml"
            raise err
        self.center = center
        self.given = {
            k: v
            for k, v in dict(partition=partition, nodes=nodes, cores=cores, gpus=gpus,
                             memory_gb=memory_gb).items()
            if v is not None
        }
        self.load, self.energy, self.samples, self.seed = load, energy, samples, seed
        self.engine = engine
        self.output, self.quiet = output, quiet
        self.report: Optional[Report] = None
        self.hours: Optional[float] = None
        self.rapl_kwh: Optional[float] = None
        self.nvml_kwh: Optional[float] = None
        self.sources: Dict[str, str] = {}
        self._nvml: Optional[_Nvml] = None
        self._nvml_start: Optional[List[int]] = None
        self._start = 0.0
        self._rapl: List[Tuple[str, int]] = []
        self._rapl_start: List[int] = []

    def request(self) -> Dict[str, Any]:
        """The job request the block is estimated with (without its hours)."""
        slurm = allocation()
        req: Dict[str, Any] = {"center": self.center}
        for key in ("partition", "nodes", "cores", "gpus", "memory_gb"):
            if key in self.given:
                req[key] = self.given[key]
                self.sources[key] = "argument"
            elif key in slurm:
                req[key] = slurm[key]
                self.sources[key] = "Slurm environment"
        if "partition" not in req:
            err = InputError(
                "missing partition: give track(partition=…) or run inside a Slurm job"
            )
            err.field, err.value, err.expected = "partition", None, "a partition of the center"
            raise err
        if self.load is not None:
            req["load"] = self.load
        return req

    def __enter__(self) -> "Tracker":
        self._request = self.request()
        self._rapl = _rapl_domains(POWERCAP)
        self._rapl_start = _rapl_read(self._rapl) if self._rapl else []
        self._nvml = _Nvml.open(dict(os.environ))
        self._nvml_start = self._nvml.read() if self._nvml else None
        self._start = time.monotonic()
        return self

    def _nvml_energy_kwh(self) -> Optional[float]:
        if self._nvml is None or self._nvml_start is None:
            return None
        after = self._nvml.read()
        if after is None:
            return None
        # The counters are 64-bit millijoules since the driver was loaded: they do not wrap.
        return sum(b - a for a, b in zip(self._nvml_start, after)) / 1e3 / 3.6e6

    def _rapl_energy_kwh(self) -> Optional[float]:
        if not self._rapl:
            return None
        joules = 0.0
        for (_, top), before, after in zip(self._rapl, self._rapl_start, _rapl_read(self._rapl)):
            delta = after - before
            if delta < 0:  # the counter wrapped around its range
                delta += top
            joules += delta / 1e6
        return joules / 3.6e6

    def __exit__(self, *exc: Any) -> bool:
        self.hours = (time.monotonic() - self._start) / 3600.0
        self.rapl_kwh = self._rapl_energy_kwh()
        self.nvml_kwh = self._nvml_energy_kwh()
        req = dict(self._request, hours=max(self.hours, 1e-9), samples=self.samples,
                   seed=self.seed)
        self.sources["energy"] = "model"
        nodes = float(req.get("nodes", 1))
        if self.energy == "rapl":
            if self.rapl_kwh is None:
                self.sources["energy"] = "model (no readable RAPL counters)"
            else:
                req["measured_energy_kwh"] = self.rapl_kwh * nodes
                self.sources["energy"] = "RAPL (CPU packages and memory of this node, × nodes)"
        elif self.energy == "rapl+nvml":
            missing = [n for n, v in (("RAPL counters", self.rapl_kwh),
                                      ("NVML energy counters", self.nvml_kwh)) if v is None]
            if missing:
                self.sources["energy"] = f"model (no readable {' nor '.join(missing)})"
            else:
                req["measured_energy_kwh"] = (self.rapl_kwh + self.nvml_kwh) * nodes
                self.sources["energy"] = (
                    "RAPL (CPU packages and memory) + NVML (the job's GPUs) of this node, × nodes"
                )
        if self.engine is None:
            from . import _default_engine

            self.engine = _default_engine()
        self.report = self.engine.job(**req)
        if self.output:
            with open(self.output, "w", encoding="utf-8") as f:
                json.dump({"report": self.report.to_dict(), "sources": self.sources,
                           "hours": self.hours, "rapl_kwh": self.rapl_kwh,
                           "nvml_kwh": self.nvml_kwh}, f, indent=2)
        if not self.quiet:
            gwp = self.report.impacts["gwp"]
            print(f"impacts: {self.report.subject}: {gwp.value:.4g} {gwp.unit} "
                  f"[{gwp.low:.4g} – {gwp.high:.4g}]; energy: {self.sources['energy']}",
                  file=sys.stderr)
        return False


def track(center: str, **kwargs: Any) -> Tracker:
    """The footprint of a block (``with``) or of a function (decorator) in a Slurm job.

    ``center``: a bundled center or a center file's path. ``partition``, ``nodes``, ``cores``,
    ``gpus``, ``memory_gb``: the allocation, read from Slurm's environment when not given.
    ``load``: percent (the engine's default, with a warning, when absent). ``energy``: ``"model"``
    (default), ``"rapl"`` or ``"rapl+nvml"`` (measured energy replacing the model's: CPU packages
    and memory, and the job's GPUs; the model when a counter cannot be read, saying so). ``samples``, ``seed``: the bounds' Monte Carlo. ``output``: a path
    where the report, the sources of the inputs and the elapsed hours are written as JSON.
    ``quiet``: no line on standard error at the end.
    """
    return Tracker(center, **kwargs)
