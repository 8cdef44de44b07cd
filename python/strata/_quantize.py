"""strata.quantize: the C++ quantization front end (ANT, SQuant, OliVe, DBB, Block-Skim) giving a
Trace whose per-layer integer codes and scales are NumPy arrays."""
import json
import os
import tempfile
from typing import Any, Dict, Mapping, Optional, Sequence, Union

from . import _strata

_DTYPES = {"U8": "<u1", "I8": "<i1", "F32": "<f4", "F64": "<f8"}


class Trace:
    """A quantized workload (docs/trace-format.md) with its tensors.

    Attributes:
        data: the trace file's content as a dict (model, scheme, bits, layers, ...).
        layers: pandas.DataFrame, one row per layer: shapes, ``weight.type``, ``weight.bits``,
            ``weight.density``, ``weight.sqnr_db``, ``activation.*``, ``dbb.*`` (the per-channel
            scales are in ``scales``).
        codes: {layer name: numpy.uint8 array [out, in/groups, kh, kw]}, one code per weight in
            the type's bit-level encoding (docs/quantization.md).
        scales: {layer name: numpy.float64 array [out]}, per-channel scales.
        zero_points: {layer name: numpy.float64 array [out]}, for schemes that have them.
        path: the trace file; ``strata.run(config, trace)`` runs it. Files written by
            ``quantize(..., out=None)`` live as long as this object.
    """

    def __init__(self, path: str, scratch: Optional[tempfile.TemporaryDirectory] = None):
        import numpy as np
        import pandas as pd
        self.path = path
        self._scratch = scratch
        with open(path) as f:
            self.data: Dict[str, Any] = json.load(f)
        rows = []
        for layer in self.data["layers"]:
            row = json.loads(json.dumps(layer))
            if isinstance(row.get("weight"), dict):
                row["weight"].pop("scales", None)
                row["weight"].pop("zero_points", None)
            rows.append(row)
        self.layers = pd.json_normalize(rows)
        self.codes: Dict[str, Any] = {}
        self.scales: Dict[str, Any] = {}
        self.zero_points: Dict[str, Any] = {}
        kinds = {".weight_codes": self.codes, ".weight_scales": self.scales,
                 ".weight_zero_points": self.zero_points}
        for name, (dtype, shape, data) in _strata.trace_tensors(path).items():
            for suffix, table in kinds.items():
                if name.endswith(suffix):
                    array = np.frombuffer(data, dtype=_DTYPES[dtype]).reshape(shape)
                    table[name[:-len(suffix)]] = array
                    break

    def __fspath__(self) -> str:
        return self.path

    def __repr__(self) -> str:
        return "<strata.Trace %s %s %d-bit: %d layers, %d with codes>" % (
            self.data["model"], self.data["scheme"], self.data["bits"], len(self.layers),
            len(self.codes))


def quantize(model: Union[str, os.PathLike], scheme: str, bits: int = 4,
             dbb: Optional[str] = None, *, weights: Optional[str] = None,
             adbb: Optional[str] = None, layer_bits: Optional[Mapping[str, int]] = None,
             seq_len: Optional[int] = None, skim: Optional[Sequence[float]] = None,
             seed: int = 1, input_shapes: Optional[Mapping[str, str]] = None,
             out: Optional[Union[str, os.PathLike]] = None) -> Trace:
    """Quantizes a model as `strata quantize --with-tensors` does (docs/quantization.md).

    Args:
        model: a zoo model (``strata list``) or an ONNX model (.onnx; its initializers are the
            weights).
        scheme: ``rtn``, ``ant``, ``ant4-8``, ``int4-8``, ``squant`` or ``olive``.
        bits: weight (and activation) width, 2..8.
        dbb: weight density bound ``"NNZ/BZ"``, e.g. ``"4/8"`` (None: dense).
        weights: real weights (a TF.js model.json or a directory of <layer>.npy files).
        adbb: activation top-k per block ``"NNZ/BZ"``.
        layer_bits: per-layer widths ``{"conv1": 8}``.
        seq_len: BERT sequence length.
        skim: BERT Block-Skim keep fractions per layer.
        seed: seed of synthetic weights and activation samples.
        input_shapes: an ONNX model's dynamic inputs ``{"x": "1x3x224x224"}``.
        out: the trace file to write (its tensors beside it, ``<stem>.safetensors``); None: a
            scratch directory that lives as long as the returned Trace.

    Returns:
        Trace: the trace, its layer table, and every layer's codes and scales as NumPy arrays.

    Raises:
        InputError: bad model, scheme, width, bound or file, with the CLI's one-line message.
    """
    args = ["quantize", "--model", os.fspath(model), "--scheme", str(scheme), "--bits",
            str(bits), "--seed", str(seed), "--with-tensors", "--quiet"]
    if dbb is not None:
        args += ["--dbb", str(dbb)]
    if weights is not None:
        args += ["--weights", os.fspath(weights)]
    if adbb is not None:
        args += ["--adbb", str(adbb)]
    for name, width in (layer_bits or {}).items():
        args += ["--layer-bits", "%s=%d" % (name, width)]
    if seq_len is not None:
        args += ["--seq-len", str(seq_len)]
    if skim is not None:
        args += ["--skim", ",".join(repr(float(k)) for k in skim)]
    for name, dims in (input_shapes or {}).items():
        args += ["--input-shape", "%s=%s" % (name, dims)]
    scratch = None
    if out is None:
        scratch = tempfile.TemporaryDirectory(prefix="strata_trace_")
        path = os.path.join(scratch.name, "trace.json")
    else:
        path = os.fspath(out)
    status = _strata.command(args + ["--out", path])
    if status != 0:
        raise RuntimeError("strata quantize ended with status %d" % status)
    return Trace(path, scratch)
