"""The Python API (docs/python.md) against the CLI: same reports, same errors, many runs in one
interpreter. Run by ctest with PYTHONPATH=<build>/python and STRATA_BINARY set."""
import json
import os
import subprocess

import pandas as pd
import pytest

import strata

STRATA = os.environ.get("STRATA_BINARY", "strata")


def cli_report(tmp_path, config, workload, sets=()):
    out = tmp_path / "cli"
    args = [STRATA, "run", "-c", config, "-w", workload, "--out", str(out), "-q"]
    for s in sets:
        args += ["--set", s]
    subprocess.run(args, check=True)
    return json.loads((out / "report.json").read_text())


def test_a_run_is_the_clis_report(tmp_path):
    config = "configs/int8_sa_16nm.json"
    r = strata.run(config, "resnet18", set={"array.rows": 64, "array.dataflow": "ws"})
    assert r.data == cli_report(tmp_path, config, "resnet18",
                                ["array.rows=64", "array.dataflow=ws"])
    assert r.totals["cycles"] == r.data["totals"]["cycles"]
    assert "strata.Report resnet18" in repr(r)


def test_layers_are_a_dataframe_with_the_reports_columns_and_units():
    r = strata.run(workload="resnet18")
    assert isinstance(r.layers, pd.DataFrame)
    assert list(r.layers.columns) == list(strata.layer_units())
    assert len(r.layers) == len(r.data["layers"])
    assert r.layers.attrs["units"]["energy_pj"] == "pJ"
    assert r.layers["macs"].sum() == r.totals["macs"]
    assert r.units["latency_ms"] == "ms"


def test_a_dict_config_is_the_file_it_stands_for():
    from_dict = strata.run({"include": "configs/default.json", "array": {"rows": 16}}, "resnet18")
    from_file = strata.run("configs/default.json", "resnet18", set=["array.rows=16"])
    assert from_dict.totals == from_file.totals


def test_many_runs_in_one_interpreter_give_the_same_bytes():
    first = strata.run(workload="mobilenet_v1")
    strata.run(workload="resnet18", set={"array.cols": 8})
    again = strata.run(workload="mobilenet_v1")
    assert json.dumps(first.data, sort_keys=True) == json.dumps(again.data, sort_keys=True)


def test_bad_input_raises_input_error_with_the_clis_message(tmp_path):
    with pytest.raises(strata.InputError) as e:
        strata.run(set={"array.rowz": 3})
    cli = subprocess.run([STRATA, "run", "--set", "array.rowz=3", "-q"], capture_output=True,
                         text=True)
    assert cli.returncode == 2
    assert cli.stderr.strip() == "strata: error: " + str(e.value)
    with pytest.raises(strata.InputError, match="no_such.json"):
        strata.run("no_such.json")


def test_hostile_dict_configs_and_paths_raise_input_error(tmp_path, monkeypatch):
    deep = {}
    inner = deep
    for _ in range(10000):  # a RecursionError before, not strata's error
        inner["a"] = {}
        inner = inner["a"]
    with pytest.raises(strata.InputError, match="JSON nested deeper than 64 levels"):
        strata.run(deep)
    with pytest.raises(strata.InputError, match=r"<dict config>: array.rows: nan is not a JSON"):
        strata.run({"array": {"rows": float("nan")}})
    with pytest.raises(strata.InputError, match="a config path holds a NUL byte"):
        strata.run("configs/default.json\0trailing")  # ran configs/default.json before


def test_a_dict_configs_include_list_is_resolved_against_the_callers_directory(tmp_path,
                                                                               monkeypatch):
    source = os.getcwd()
    (tmp_path / "rows.json").write_text('{"array": {"rows": 16}}')
    monkeypatch.chdir(tmp_path)
    from_dict = strata.run({"include": [os.path.join(source, "configs/default.json"),
                                        "rows.json"]}, "resnet18")
    monkeypatch.chdir(source)
    from_file = strata.run("configs/default.json", "resnet18", set=["array.rows=16"])
    assert from_dict.totals == from_file.totals


def test_help_documents_the_api():
    doc = strata.run.__doc__
    for word in ("Args:", "Returns:", "Raises:", "InputError", "docs/config.md"):
        assert word in doc
    assert "Report" in str(strata.run.__annotations__["return"])


SPEC = {"base": "../configs/default.json", "workloads": ["resnet18", "mobilenet_v1"],
        "axes": {"array.rows": [16, 32, 64], "array.dataflow": ["os", "ws"],
                 "buffers.weight.size_kib": [64, 128]},
        "constraints": ["array.rows * buffers.weight.size_kib <= 4096"]}


def write_spec(tmp_path, spec=SPEC):
    # The spec's base is relative to the spec file: put it beside the source tree's configs.
    d = tmp_path / "spec"
    d.mkdir()
    s = dict(spec)
    s["base"] = os.path.abspath("configs/default.json")
    path = d / "sweep.json"
    path.write_text(json.dumps(s))
    return str(path)


def cli_sweep_csv(tmp_path, spec):
    out = tmp_path / "cli_sweep"
    subprocess.run([STRATA, "sweep", spec, "--out", str(out), "-q"], check=True)
    return (out / "results.csv").read_text()


def test_a_sweep_is_the_clis_table_byte_for_byte(tmp_path):
    spec = write_spec(tmp_path)
    table = strata.sweep(spec)
    assert table.attrs["csv"] == cli_sweep_csv(tmp_path, spec)
    assert list(table.columns[:3]) == ["point", "workload", "status"]
    assert (table["status"] == "ok").all()
    assert len(table) == 5 * 2 * 2  # 6 shapes x 2 buffers less the one constraint drops, x 2


def test_a_sweep_on_local_processes_gives_the_same_table(tmp_path, monkeypatch):
    spec = write_spec(tmp_path)
    import concurrent.futures
    started = []
    pool = concurrent.futures.ProcessPoolExecutor

    class Counted(pool):
        def __init__(self, max_workers=None, **kwargs):
            started.append(max_workers)
            super().__init__(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counted)
    assert strata.sweep(spec, jobs=2).attrs["csv"] == strata.sweep(spec).attrs["csv"]
    assert strata.sweep(spec, jobs=64).attrs["csv"] == strata.sweep(spec).attrs["csv"]
    assert started == [2, 20]  # 64 processes for 20 rows before: no more than the rows


def test_a_failing_point_is_an_error_row(tmp_path):
    spec = write_spec(tmp_path, dict(SPEC, workloads=["resnet18", "no_such_net"]))
    table = strata.sweep(spec)
    assert table.attrs["csv"] == cli_sweep_csv(tmp_path, spec)
    assert set(table[table["workload"] == "no_such_net"]["status"]) == {"error"}


def test_a_bad_spec_raises_input_error(tmp_path):
    spec = write_spec(tmp_path, dict(SPEC, axes={"array.rowz": [1]}))
    with pytest.raises(strata.InputError, match="array.rowz"):
        strata.sweep(spec)


def test_a_sweep_on_a_dask_cluster_gives_the_same_table(tmp_path):
    if os.environ.get("CI") == "true":  # scripts/setup.sh installs python3-distributed
        import distributed
    else:
        distributed = pytest.importorskip("distributed")
    spec = write_spec(tmp_path)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None,
                                  local_directory=str(tmp_path / "dask")) as cluster, \
            distributed.Client(cluster) as client:
        table = strata.sweep(spec, client=client)
        workers = len(client.scheduler_info()["workers"])
    assert workers == 2
    assert table.attrs["csv"] == strata.sweep(spec).attrs["csv"]


def test_the_python_api_runs_and_reports_mappings(tmp_path):
    import strata
    config = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "configs", "gemmini_16x16.json")
    layers = tmp_path / "l.json"
    layers.write_text('{"layers": [{"name": "fc", "type": "gemm", "m": 128, "k": 768, "n": 768}]}')
    own = strata.run(config, str(layers), cache_dir="")
    mapping = own.layers["mapping"][0]
    assert mapping.startswith("L3[WIO]")
    edited = "L3[WIO] K48 - L2[WI] N1 K16X - L1[O] C48 P16 C16X - L0[W] P8"
    again = strata.run(config, str(layers), cache_dir="", mappings={"fc": mapping})
    assert again.layers["cycles"][0] == own.layers["cycles"][0]
    other = strata.run(config, str(layers), cache_dir="", mappings={"fc": edited})
    assert other.layers["mapping"][0] == edited
    assert other.layers["cycles"][0] != own.layers["cycles"][0]
    try:
        strata.run(config, str(layers), cache_dir="", mappings={"fn": edited})
        assert False, "an unknown layer is an error"
    except strata.InputError as e:
        assert "no array layer 'fn'" in str(e)
