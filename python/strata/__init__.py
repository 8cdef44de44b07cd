"""strata from Python: simulations of quantized, structured-sparse DNN accelerators.

    >>> import strata
    >>> r = strata.run("configs/int8_sa_16nm.json", "resnet18", set={"array.rows": 64})
    >>> r.totals["latency_ms"], r.layers[["name", "cycles"]].head()

Every run is the same simulation as `strata run` (docs/python.md); many runs share one process.
Bad input raises strata.InputError with the CLI's one-line message.
"""
import io
import json
import os
import tempfile
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _strata

__all__ = ["run", "sweep", "Report", "InputError", "layer_units", "totals_units"]

InputError = _strata.InputError
InputError.__doc__ = ("Bad input (config, workload, key, file): the message names the file, key "
                      "or byte and what was expected, exactly as the CLI prints it.")

Config = Union[str, os.PathLike, Mapping[str, Any]]
Overrides = Union[None, Mapping[str, Any], Sequence[str]]


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


def _override_strings(overrides: Overrides) -> List[str]:
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        out = []
        for key, value in overrides.items():
            if isinstance(value, bool):
                text = "true" if value else "false"
            elif isinstance(value, str):
                text = value
            else:
                text = json.dumps(value)
            out.append("%s=%s" % (key, text))
        return out
    if isinstance(overrides, str):
        return [overrides]
    return [str(o) for o in overrides]


def _absolute_paths(config: Mapping[str, Any]) -> Dict[str, Any]:
    """A config dict's file references made absolute against the working directory (the dict is
    written to a scratch file before it is read)."""
    out = json.loads(json.dumps(config))
    if isinstance(out.get("include"), str):
        out["include"] = os.path.abspath(out["include"])
    energy = out.get("energy")
    if isinstance(energy, dict) and isinstance(energy.get("tech_table"), str):
        energy["tech_table"] = os.path.abspath(energy["tech_table"])
    return out


def run(config: Optional[Config] = None, workload: str = "resnet18", set: Overrides = None,
        inputs: Optional[str] = None, cache_dir: Optional[str] = None) -> Report:
    """Simulates one workload on one accelerator config, as `strata run` does.

    Args:
        config: a config file (JSON, docs/config.md) or a dict of the same content; relative
            ``include`` and ``energy.tech_table`` paths in a dict are taken from the working
            directory. None: strata's default config (configs/default.json).
        workload: a zoo name (``strata list``), a layer list (.json), a SCALE-Sim topology (.csv)
            or an ONNX model (.onnx).
        set: config overrides, as ``--set``: a dict ``{"array.rows": 64}`` or strings
            ``["array.rows=64"]``.
        inputs: a directory of images or .npy tensors for functional mode
            (``set={"sim.mode": "functional"}``; docs/functional.md).
        cache_dir: where prepared workloads are cached (default: as the CLI, $STRATA_CACHE_DIR or
            ~/.cache/strata/workloads); "" caches nothing.

    Returns:
        Report: totals (dict), layers (DataFrame with units), the whole report.

    Raises:
        InputError: bad config, key, value, workload or file, with the CLI's one-line message.
    """
    cache = _strata.default_workload_cache_dir() if cache_dir is None else cache_dir
    overrides = _override_strings(set)
    if config is None:
        path = os.path.join(_strata.builtin_config_dir(), "default.json")
        return Report(json.loads(_strata.run_report(path, "configs/default.json", str(workload),
                                                    overrides, cache, inputs or "")))
    if isinstance(config, Mapping):
        with tempfile.TemporaryDirectory(prefix="strata_config_") as d:
            path = os.path.join(d, "config.json")
            with open(path, "w") as f:
                json.dump(_absolute_paths(config), f)
            label = "<dict %s>" % config.get("name", "config")
            return Report(json.loads(_strata.run_report(path, label, str(workload), overrides,
                                                        cache, inputs or "")))
    path = os.fspath(config)
    return Report(json.loads(_strata.run_report(path, path, str(workload), overrides, cache,
                                                inputs or "")))


def _run_point(base: str, point: Dict[str, Any], workload: str, inputs: str,
               cache: str) -> Dict[str, Any]:
    """One sweep row, as a `strata sweep` worker gives it (a failed point is an error row)."""
    try:
        report = _strata.run_report(base, base, workload, point["overrides"], cache, inputs)
        return json.loads(_strata.sweep_row(json.dumps(point), workload, report))
    except InputError as e:
        return json.loads(_strata.sweep_error_row(json.dumps(point), workload, str(e)))


def _run_points(tasks):
    return [_run_point(*t) for t in tasks]


def sweep(spec: Union[str, os.PathLike], jobs: int = 1, client: Any = None,
          inputs: Optional[str] = None, cache_dir: Optional[str] = None):
    """Runs a sweep spec (docs/sweeps.md) and returns its table, as `strata sweep` writes it.

    Args:
        spec: a sweep spec file (JSON: base, workloads, axes, combine, constraints).
        jobs: processes to run points in at once on this machine (1: in this process).
        client: a dask.distributed Client: every (point, workload) runs as a Dask task on its
            workers (each needs the strata package importable); ``jobs`` is then ignored.
        inputs: a directory of inputs every row runs on (functional mode, as --inputs).
        cache_dir: where prepared workloads are cached (default: as the CLI).

    Returns:
        pandas.DataFrame with results.csv's columns (point, workload, status, the axes, the
        summary columns, error), sorted by point id and workload; ``df.attrs["csv"]`` holds the
        exact results.csv text, the same bytes `strata sweep` writes.

    Raises:
        InputError: a bad spec (every problem in one line, as the CLI reports it). A point that
            fails is an error row, not an exception.
    """
    import pandas as pd
    plan = json.loads(_strata.plan_sweep(os.fspath(spec)))
    cache = _strata.default_workload_cache_dir() if cache_dir is None else cache_dir
    tasks = [(plan["base"], p, w, inputs or "", cache)
             for p in plan["points"] for w in plan["workloads"]]
    if client is not None:
        futures = client.map(_run_point, *zip(*tasks), pure=False) if tasks else []
        rows = client.gather(futures)
    elif jobs > 1 and len(tasks) > 1:
        import concurrent.futures
        import multiprocessing
        chunks = [tasks[i::jobs] for i in range(jobs)]
        with concurrent.futures.ProcessPoolExecutor(
                max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            rows = [row for part in pool.map(_run_points, chunks) for row in part]
    else:
        rows = _run_points(tasks)
    csv = _strata.sweep_csv(json.dumps(rows), plan["axes"])
    frame = pd.read_csv(io.StringIO(csv))
    frame.attrs["csv"] = csv
    return frame
