"""The environmental footprint of scientific computing, from Python.

    >>> import impacts
    >>> engine = impacts.Engine()
    >>> r = engine.job(center="jean-zay", partition="gpu_p6", nodes=4, hours=12, load=80)
    >>> r.impacts["gwp"].value, r.impacts["gwp"].unit

The engine is the one of the ``impacts`` command and service (a Rust library): the same data
bundle, the same reports (``report.to_dict()`` is what ``impacts job … --format json`` prints for
the same request and seed), the same errors (``impacts.InputError`` names the input at fault).
"""

from ._impacts import (
    Engine,
    Estimate,
    ImpactsError,
    InputError,
    Report,
    Warning,
    __version__,
)

__all__ = [
    "Engine",
    "Estimate",
    "ImpactsError",
    "InputError",
    "Report",
    "Warning",
    "__version__",
]
