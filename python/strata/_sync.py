"""strata.sync: the time-synchronization unit, its sensors and the camera-to-inference pipeline
(docs/timesync.md), as `strata sync` runs them."""
import io
import json
from typing import Any, Dict, Mapping, Optional

from . import _strata
from ._config import Config, InputError, Overrides, config_file, override_strings


class SyncResult:
    """One time-sync run: the content of `strata sync`'s outputs (docs/timesync.md).

    Attributes:
        summary: sync_report.json as a dict (mode, oscillator, per-pair skew statistics,
            holdover, pipeline, ...).
        time_error: pandas.DataFrame of time_error.csv (one row per PPS second).
        skew_histogram: pandas.DataFrame of skew_histogram.csv.
        frames: pandas.DataFrame of frames.csv (one row per camera frame), or None when the
            config has no pipeline.
        files: {name: bytes} of every output `strata sync` writes (waveform.vcd,
            config.resolved.json, ...), plots aside.
        pairs: pandas.DataFrame, one row per (sensor pair, stamping method): the summary's skew
            and spatial-error statistics flattened.
    """

    def __init__(self, files: Mapping[str, bytes], config_label: str):
        import pandas as pd
        self.files = dict(files)
        self.summary: Dict[str, Any] = json.loads(files["sync_report.json"])
        self.summary["config"] = config_label

        def table(name):
            return pd.read_csv(io.BytesIO(files[name])) if name in files else None

        self.time_error = table("time_error.csv")
        self.skew_histogram = table("skew_histogram.csv")
        self.frames = table("frames.csv")
        rows = []
        for pair in self.summary.get("pairs", []):
            row = {"pair": "-".join(pair["sensors"]), "method": pair["method"]}
            row.update({"skew_ns." + k: v for k, v in pair.get("skew_ns", {}).items()})
            row.update({"spatial_error_m." + k: v
                        for k, v in pair.get("spatial_error_m", {}).items()})
            rows.append(row)
        self.pairs = pd.DataFrame(rows)

    def __repr__(self) -> str:
        return "<strata.SyncResult %s, %s mode, %.4g s, %d sensor pairs>" % (
            self.summary["config"], self.summary["mode"], self.summary["duration_s"],
            len(self.pairs))


def sync(config: Config, duration_s: Optional[float] = None, set: Overrides = None
         ) -> SyncResult:
    """Simulates a time-sync config (configs/timesync/, docs/timesync.md) as `strata sync` does.

    Args:
        config: a time-sync config file or a dict of the same content (a dict's relative
            ``include`` is taken from the working directory).
        duration_s: simulated seconds (None: the config's ``timesync.duration_s``).
        set: config overrides, as ``--set``: ``{"gnss.pps_jitter_ns": 100}``.

    Returns:
        SyncResult: the summary, time-error series, skew histogram, frames and per-pair table.

    Raises:
        InputError: bad config, key or value, with the CLI's one-line message.
    """
    if duration_s is not None and not 0 < duration_s <= 1e6:
        raise InputError("duration_s must be a number in (0, 1000000], got %r" % (duration_s,))
    with config_file(config) as (path, label):
        files = _strata.sync_files(path, override_strings(set), float(duration_s or 0))
    return SyncResult(files, label)
