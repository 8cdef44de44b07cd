"""strata.sweep: a sweep spec's points run here, in local processes or as Dask tasks; the plan,
rows and table come from the C++ sweep, so the table is strata sweep's results.csv."""
import io
import json
import os
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, Union

from . import _strata
from ._config import InputError

if TYPE_CHECKING:
    import pandas


def _run_point(base: str, point: Dict[str, Any], workload: str, inputs: str,
               cache: str) -> Dict[str, Any]:
    """One sweep row, as a `strata sweep` worker gives it (a failed point is an error row)."""
    try:
        return json.loads(_strata.point_row(base, json.dumps(point), workload, cache, inputs))
    except InputError as e:
        return json.loads(_strata.sweep_error_row(json.dumps(point), workload, str(e)))


def _run_points(tasks: List[Tuple[str, Dict[str, Any], str, str, str]]) -> List[Dict[str, Any]]:
    return [_run_point(*t) for t in tasks]


def sweep(spec: Union[str, os.PathLike], jobs: int = 1, client: Any = None,
          inputs: Optional[str] = None, cache_dir: Optional[str] = None) -> "pandas.DataFrame":
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
        jobs = min(jobs, len(tasks))  # no more processes than rows, as the CLI starts them
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
