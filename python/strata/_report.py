"""strata.run: one simulation and its Report."""
import contextlib
import json
import os
import tempfile
from typing import Any, Dict, Optional, Union

from . import _strata
from ._config import Config, Overrides, config_file, override_strings


def layer_units() -> Dict[str, str]:
    """The unit of every per-layer report column (docs/reports.md), by column name."""
    return {name: unit for name, unit, _ in _strata.layer_columns()}


def totals_units() -> Dict[str, str]:
    """The unit of every totals column (docs/reports.md), by column name."""
    return {name: unit for name, unit, _ in _strata.totals_columns()}


class Report:
    """One run's report: the same content as report.json (docs/reports.md).

    Attributes:
        totals: dict of the whole inference's figures (``latency_ms``, ``energy_per_inference_uj``,
            ...); ``units`` gives their units.
        layers: pandas.DataFrame, one row per array layer, the report's layer columns in order;
            ``layers.attrs["units"]`` maps each column to its unit.
        vector_layers: pandas.DataFrame of the vector unit's work (may be empty).
        data: the whole report as a dict (config, hardware, sensor, functional, ...).
    """

    def __init__(self, data: Dict[str, Any]):
        import pandas as pd
        self.data = data
        self.totals: Dict[str, Any] = dict(data["totals"])
        self.units: Dict[str, str] = totals_units()
        columns = [name for name, _, _ in _strata.layer_columns()]
        self.layers = pd.DataFrame(data["layers"], columns=columns)
        self.layers.attrs["units"] = layer_units()
        self.vector_layers = pd.DataFrame(data.get("vector_layers", []))

    def __repr__(self) -> str:
        t = self.totals
        return ("<strata.Report %s on %s: %.4g ms, %.4g uJ per inference, %d layers>" %
                (self.data["workload"]["name"], self.data["config"]["name"], t["latency_ms"],
                 t["energy_per_inference_uj"], len(self.layers)))


def run(config: Optional[Config] = None, workload: Union[str, os.PathLike] = "resnet18",
        set: Overrides = None, inputs: Optional[str] = None,
        cache_dir: Optional[str] = None,
        mappings: Optional[Union[str, os.PathLike, dict]] = None) -> Report:
    """Simulates one workload on one accelerator config, as `strata run` does.

    Args:
        config: a config file (JSON, docs/config.md) or a dict of the same content; relative
            ``include`` and ``energy.tech_table`` paths in a dict are taken from the working
            directory. None: strata's default config (configs/default.json).
        workload: a zoo name (``strata list``), a layer list (.json), a SCALE-Sim topology (.csv),
            an ONNX model (.onnx), a trace file or a ``strata.Trace`` from ``strata.quantize``.
        set: config overrides, as ``--set``: a dict ``{"array.rows": 64}`` or strings
            ``["array.rows=64"]``.
        inputs: a directory of images or .npy tensors for functional mode
            (``set={"sim.mode": "functional"}``; docs/functional.md).
        cache_dir: where prepared workloads are cached (default: as the CLI, $STRATA_CACHE_DIR or
            ~/.cache/strata/workloads); "" caches nothing.
        mappings: explicit mappings pinned on layers by name, as ``--mappings``: a mappings file
            (docs/mapping.md) or a dict ``{"fc": "L3[WIO] K48 - L2[WI] K16X - ..."}``; a run's
            ``layers["mapping"]`` column feeds back as is.

    Returns:
        Report: totals (dict), layers (DataFrame with units), the whole report.

    Raises:
        InputError: bad config, key, value, workload or file, with the CLI's one-line message.
    """
    cache = _strata.default_workload_cache_dir() if cache_dir is None else cache_dir
    with config_file(config, default="default.json") as (path, label), \
            mappings_file(mappings) as mappings_path:
        text = _strata.run_report(path, label, os.fspath(workload), override_strings(set),
                                  cache, inputs or "", mappings_path)
    return Report(json.loads(text))


@contextlib.contextmanager
def mappings_file(mappings):
    """The path of a mappings file: the one given, or a scratch file holding a dict's mappings."""
    if mappings is None:
        yield ""
    elif isinstance(mappings, dict):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "mappings.json")
            with open(path, "w") as f:
                # Either {"layer": mapping, ...} or a mappings file's own {"mappings": {...}}.
                whole = "mappings" in mappings and isinstance(mappings["mappings"], dict)
                json.dump(mappings if whole else {"mappings": mappings}, f)
            yield path
    else:
        yield os.fspath(mappings)
