"""strata.quantize and strata.sync against the CLI: the same trace and tensors bytes, the same sync
outputs, the same errors. Run by ctest with PYTHONPATH=<build>/python and STRATA_BINARY set."""
import json
import os
import struct
import subprocess

import numpy as np
import pytest

import strata

STRATA = os.environ.get("STRATA_BINARY", "strata")


def read_safetensors(path):
    """An independent reader of the container (8-byte LE header length, JSON header, data)."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    dtypes = {"U8": np.uint8, "F64": np.float64}
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        out[name] = np.frombuffer(body[begin:end], dtype=dtypes[entry["dtype"]]).reshape(
            entry["shape"])
    return out


def test_a_trace_is_the_clis_with_codes_and_scales_as_arrays(tmp_path):
    (tmp_path / "py").mkdir()
    (tmp_path / "cli").mkdir()
    trace = strata.quantize("resnet18", "ant", bits=4, dbb="4/8", out=tmp_path / "py" / "t.json")
    subprocess.run([STRATA, "quantize", "--model", "resnet18", "--scheme", "ant", "--bits", "4",
                    "--dbb", "4/8", "--with-tensors", "-q", "--out",
                    str(tmp_path / "cli" / "t.json")], check=True)
    for name in ("t.json", "t.safetensors"):
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()
    cli = read_safetensors(tmp_path / "cli" / "t.safetensors")
    weighted = [layer["name"] for layer in trace.data["layers"] if layer.get("weight")]
    assert sorted(trace.codes) == sorted(weighted) == sorted(trace.scales)
    for name in weighted:
        assert trace.codes[name].dtype == np.uint8 and trace.scales[name].dtype == np.float64
        assert np.array_equal(trace.codes[name], cli[name + ".weight_codes"])
        assert np.array_equal(trace.scales[name], cli[name + ".weight_scales"])
        assert int(trace.codes[name].max()) < 2 ** 4
    conv1 = next(layer for layer in trace.data["layers"] if layer["name"] == "conv1")
    assert trace.codes["conv1"].shape == (conv1["out_c"], conv1["in_c"]) + tuple(conv1["kernel"])
    assert list(trace.scales["conv1"]) == conv1["weight"]["scales"]
    assert list(trace.layers["name"]) == [layer["name"] for layer in trace.data["layers"]]
    assert set(trace.layers["dbb.nnz"]) == {4}
    assert "strata.Trace resnet18 ant 4-bit" in repr(trace)


def test_a_trace_runs_as_its_file_does(tmp_path):
    trace = strata.quantize("mobilenet_v1", "ant", bits=4)
    assert os.path.exists(trace.path)
    config = "configs/ant_sa_16nm.json"
    from_trace = strata.run(config, trace)
    from_file = strata.run(config, trace.path)
    assert from_trace.data == from_file.data
    assert from_trace.data["workload"]["name"] == "mobilenet_v1 (ant)"
    scratch = os.path.dirname(trace.path)
    del trace, from_trace
    import gc
    gc.collect()
    assert not os.path.exists(scratch)


def test_bert_layers_without_weights_have_no_codes():
    trace = strata.quantize("bert_base", "rtn", bits=8, seq_len=32, skim=[1, 0.5])
    matmuls = trace.layers[trace.layers["op"] == "matmul"]["name"]
    assert len(matmuls) > 0 and not set(matmuls) & set(trace.codes)
    assert len(trace.codes) == len(trace.layers) - len(matmuls)


def test_bad_quantize_input_raises_input_error_with_the_clis_message(tmp_path):
    with pytest.raises(strata.InputError) as e:
        strata.quantize("resnet18", "ant", bits=9)
    cli = subprocess.run([STRATA, "quantize", "--model", "resnet18", "--scheme", "ant", "--bits",
                          "9", "--out", str(tmp_path / "t.json")], capture_output=True, text=True)
    assert cli.returncode == 2
    assert str(e.value) in cli.stderr
    assert not list(tmp_path.iterdir())


def test_sync_gives_the_clis_outputs(tmp_path):
    config = "configs/timesync/camera_pipeline_s2ta.json"
    result = strata.sync(config, duration_s=2, set={"gnss.pps_jitter_ns": 50})
    subprocess.run([STRATA, "sync", config, "--out", str(tmp_path), "--no-plots", "-q",
                    "--duration-s", "2", "--set", "gnss.pps_jitter_ns=50"], check=True,
                   capture_output=True)
    for name, content in result.files.items():
        assert content == (tmp_path / name).read_bytes(), name
    assert sorted(result.files) == sorted(p.name for p in tmp_path.iterdir())
    assert result.summary == json.loads((tmp_path / "sync_report.json").read_text())
    assert result.summary["duration_s"] == 2
    assert len(result.frames) == 61  # 30 Hz exposures from t = 0 to t = 2 s
    assert list(result.time_error.columns[:2]) == ["t_s", "state"]
    hardware = result.pairs[result.pairs["method"] == "hardware"]
    software = result.pairs[result.pairs["method"] == "software"]
    assert len(hardware) == len(software) == 3
    assert hardware["skew_ns.p99"].max() < software["skew_ns.p99"].min()


def test_sync_without_a_pipeline_has_no_frames():
    result = strata.sync("configs/timesync/xo_no_gps.json", duration_s=3)
    assert result.frames is None
    assert result.summary["gnss"]["present"] is False


def test_bad_sync_input_raises_input_error():
    with pytest.raises(strata.InputError, match=r"^<dict config>: timesync.duration_sx: unknown"):
        strata.sync({"timesync": {"duration_sx": 1}})
    with pytest.raises(strata.InputError, match=r"duration_s must be a number in \(0, 1000000\]"):
        strata.sync("configs/timesync/xo_no_gps.json", duration_s=0)


def test_help_documents_quantize_and_sync():
    for function, words in ((strata.quantize, ("scheme", "dbb", "Trace", "InputError")),
                            (strata.sync, ("duration_s", "SyncResult", "InputError"))):
        doc = function.__doc__
        assert all(w in doc for w in words)
        assert function.__annotations__["return"] in (strata.Trace, strata.SyncResult)
