"""strata from Python: simulations of quantized, structured-sparse DNN accelerators.

    >>> import strata
    >>> r = strata.run("configs/int8_sa_16nm.json", "resnet18", set={"array.rows": 64})
    >>> r.totals["latency_ms"], r.layers[["name", "cycles"]].head()
    >>> t = strata.quantize("resnet18", "ant", bits=4, dbb="4/8")
    >>> t.codes["conv1"].shape, strata.run("configs/ant_sa_16nm.json", t).totals["latency_ms"]
    >>> table = strata.sweep("configs/sweeps/array_shape_resnet18.json", jobs=2)
    >>> strata.sync("configs/timesync/camera_pipeline_s2ta.json", duration_s=2).pairs

Every call is the same simulation as the CLI command of the same name (docs/python.md); many
calls share one process. Bad input raises strata.InputError with the CLI's one-line message.
"""
from ._config import InputError
from ._quantize import Trace, quantize
from ._report import Report, layer_units, run, totals_units
from ._sweep import sweep
from ._sync import SyncResult, sync

__all__ = ["run", "quantize", "sweep", "sync", "Report", "Trace", "SyncResult", "InputError",
           "layer_units", "totals_units"]
