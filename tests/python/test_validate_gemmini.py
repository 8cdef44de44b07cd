"""scripts/validate_gemmini.py on a few rows of the Gemmini measurements: its predictions are
strata's own cycles for those rows, it scores them, a row strata rejects is named and left out,
and bad files are one-line errors (exit 2)."""
import csv
import os
import subprocess
import sys

STRATA = os.environ.get("STRATA_BINARY", "strata")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "validate_gemmini.py")
DEV = os.path.join(ROOT, "tests", "data", "gemmini", "firesim_16x16_dev.csv")


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args, "--strata", STRATA, "--no-plot"],
                          capture_output=True, text=True)


def write_rows(path, rows, drop=()):
    with open(DEV, newline="") as f:
        reader = csv.DictReader(f)
        header = [c for c in reader.fieldnames if c not in drop]
        data = list(reader)
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, header, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for i in rows:
            w.writerow(data[i])
    return data


def test_predicts_every_row_and_scores_it(tmp_path):
    src = tmp_path / "rows.csv"
    data = write_rows(src, [0, 1, 10, 34])
    r = run(str(src), "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    with open(tmp_path / "out" / "predictions.csv") as f:
        pred = list(csv.DictReader(f))
    assert [p["row"] for p in pred] == ["0", "1", "2", "3"]
    assert all(int(p["predicted_cycles"]) > 0 for p in pred)
    assert "MAPE" in r.stdout and "Timeloop" in r.stdout
    # The same layer and mapping through strata run directly gives the same cycles: row 0 is the
    # 128 x 768 x 768 matrix product on a 108 KiB scratchpad and a 16 KiB accumulator.
    layers = tmp_path / "l.json"
    layers.write_text('{"layers": [{"name": "r", "type": "gemm", "m": 128, "k": 768, "n": 768, '
                      '"mapping": "%s"}]}' % data[0]["mapping.mapping"])
    out = tmp_path / "direct"
    subprocess.run([STRATA, "run", "-q", "-c", os.path.join(ROOT, "configs", "gemmini_16x16.json"),
                    "-w", str(layers), "--set", "memory.scratchpad.size_kib=108", "--set",
                    "memory.accumulator.size_kib=16", "--out", str(out)], check=True)
    with open(out / "layers.csv") as f:
        assert next(csv.DictReader(f))["cycles"] == pred[0]["predicted_cycles"]


def test_without_measurements_it_only_predicts(tmp_path):
    src = tmp_path / "rows.csv"
    write_rows(src, [2, 3], drop=("target.gemmini_cycle", "target.cycle",
                                  "target.gemmini_auto_cycle"))
    r = run(str(src), "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    assert "2 rows predicted" in r.stdout
    assert (tmp_path / "out" / "predictions.csv").exists()


def test_bad_files_are_one_line_errors(tmp_path):
    src = tmp_path / "nomap.csv"
    write_rows(src, [0], drop=("mapping.mapping",))
    r = run(str(src), "--out", str(tmp_path / "out"))
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0
    assert "no column mapping.mapping" in r.stderr
    # A row strata rejects is named and left out; the others are predicted and scored.
    bad = tmp_path / "bad.csv"
    write_rows(bad, [0, 1])
    text = bad.read_text().replace("L3[WIO] K48", "L3[WIO] K47", 1)
    bad.write_text(text)
    r = run(str(bad), "--out", str(tmp_path / "out2"))
    assert r.returncode == 0, r.stderr
    assert "row 0 not predicted" in r.stderr and "K's factors multiply to 752" in r.stderr
    assert "(1 rows strata rejected left out)" in r.stdout
    with open(tmp_path / "out2" / "predictions.csv") as f:
        pred = list(csv.DictReader(f))
    assert pred[0]["predicted_cycles"] == "" and int(pred[1]["predicted_cycles"]) > 0
    only_bad = tmp_path / "only_bad.csv"
    write_rows(only_bad, [0])
    only_bad.write_text(only_bad.read_text().replace("L3[WIO] K48", "L3[WIO] K47", 1))
    r = run(str(only_bad), "--out", str(tmp_path / "out3"))
    assert r.returncode == 2 and "strata predicted no row" in r.stderr
    r = run(str(tmp_path / "missing.csv"), "--out", str(tmp_path / "out4"))
    assert r.returncode == 2 and "missing.csv" in r.stderr
    assert not (tmp_path / "out4" / "predictions.csv").exists()

