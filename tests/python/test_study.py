"""docs/python.md's worked study, executed: its python blocks run in order in one namespace (in a
scratch directory that sees the checkout's configs), each must print exactly the text block shown
under it, and its results are checked against the CLI."""
import contextlib
import io
import os
import re
import subprocess

import pytest

import strata

STRATA = os.environ.get("STRATA_BINARY", "strata")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def study_blocks():
    """[(code, expected output or None)] of the study section, in order."""
    text = open(os.path.join(ROOT, "docs", "python.md")).read()
    section = text.split("## A worked study", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(python|text)\n(.*?)```", section, re.S)
    out = []
    for kind, body in blocks:
        if kind == "python":
            out.append([body, None])
        else:
            assert out and out[-1][1] is None, "a text block must follow a python block"
            out[-1][1] = body
    return out


def test_the_worked_study_prints_what_the_docs_show(tmp_path, monkeypatch):
    if os.environ.get("CI") != "true":  # scripts/setup.sh installs python3-matplotlib
        pytest.importorskip("matplotlib")
    blocks = study_blocks()
    assert len(blocks) == 3
    os.symlink(os.path.join(ROOT, "configs"), tmp_path / "configs")
    monkeypatch.chdir(tmp_path)
    namespace = {}
    for number, (code, expected) in enumerate(blocks, 1):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "docs/python.md study block %d" % number, "exec"), namespace)
        assert printed.getvalue() == (expected or ""), "block %d" % number

    for name in ("pareto.png", "layers.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # The front is strata pareto's on the same table.
    (tmp_path / "results.csv").write_text(namespace["table"].attrs["csv"])
    cli = subprocess.run([STRATA, "pareto", "results.csv", "--x", "energy_per_inference_uj",
                          "--y", "latency_ms", "--format", "csv"], check=True,
                         capture_output=True, text=True).stdout
    cli_points = [line.split(",")[1] for line in cli.strip().splitlines()[1:]]
    assert list(namespace["front"]["point"]) == cli_points

    # The per-layer report is the swept point's.
    best, report = namespace["best"], namespace["report"]
    assert report.totals["energy_per_inference_uj"] == pytest.approx(
        best["energy_per_inference_uj"], rel=1e-9)
    assert report.totals["latency_ms"] == pytest.approx(best["latency_ms"], rel=1e-9)
    breakdown = namespace["breakdown"]
    assert list(breakdown.index) == list(report.layers["name"])
