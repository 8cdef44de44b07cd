#!/usr/bin/env python3
"""Runs strata on every row of a Gemmini measurement file (the DOSA/FireSim format of
tests/data/gemmini/) and compares its cycles with the measured ones (docs/validation.md, Against
Gemmini RTL).

  python3 scripts/validate_gemmini.py CSV --out DIR [--strata PATH] [--config JSON] [--no-plot]
                                     [--worst N]

Each row's hardware comes from its arch.* columns (array side, scratchpad and accumulator size),
its layer from prob.* and its mapping from mapping.mapping; the target.* columns are never read to
predict. Rows are grouped by hardware; each group is one `strata run` of a layer list holding one
layer per row with its mapping. Writes DIR/predictions.csv (row = 0-based data row,
predicted_cycles; empty for a row strata rejects, named on stderr with strata's reason) and,
where the file has target.gemmini_cycle, prints MAPE, the fraction of rows
within 15 %, Pearson r of log cycles and the median per-layer Spearman rank correlation (with
Timeloop's figures where target.cycle is Timeloop's prediction) and writes DIR/scatter.png
(--no-plot: not; it needs matplotlib); --worst N lists the N rows strata misses most.
strata is found on PATH, else in the build tree (build/sim/strata); --strata names another.
"""
import argparse
import collections
import csv
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def fail(msg):
    print("validate_gemmini: " + msg, file=sys.stderr)
    sys.exit(2)


def find_strata(given):
    if given:
        return given
    on_path = shutil.which("strata")
    if on_path:
        return on_path
    built = os.path.join(ROOT, "build", "sim", "strata")
    if os.path.exists(built):
        return built
    fail("strata is neither on PATH nor in build/sim/strata (build it, or pass --strata)")


def integer(row, key, where):
    try:
        v = float(row[key])
    except (KeyError, ValueError):
        fail(f"{where}: column {key}: expected a number, got {row.get(key)!r}")
    if v != int(v) or v < 0:
        fail(f"{where}: column {key}: expected a non-negative integer, got {row[key]!r}")
    return int(v)


def layer_of(row, name, where):
    d = {k: integer(row, "prob." + k, where) for k in ("N", "C", "K", "P", "Q", "R", "S")}
    hs, ws = integer(row, "prob.Hstride", where), integer(row, "prob.Wstride", where)
    hd = integer(row, "prob.Hdilation", where) if "prob.Hdilation" in row else 1
    wd = integer(row, "prob.Wdilation", where) if "prob.Wdilation" in row else 1
    layer = {"name": name, "mapping": row["mapping.mapping"]}
    if d["R"] == d["S"] == d["Q"] == d["N"] == 1 and hs == ws == 1:
        # A matrix product (Gemmini's tiled_matmul): P rows, C reduction, K columns.
        layer.update({"type": "gemm", "m": d["P"], "k": d["C"], "n": d["K"]})
        return layer
    layer.update({
        "type": "conv2d", "batch": d["N"], "in_c": d["C"], "out_c": d["K"],
        "in_h": (d["P"] - 1) * hs + (d["R"] - 1) * hd + 1,
        "in_w": (d["Q"] - 1) * ws + (d["S"] - 1) * wd + 1,
        "kernel": [d["R"], d["S"]], "stride": [hs, ws], "padding": 0, "dilation": [hd, wd]})
    return layer


def hardware_of(row, where):
    """The --set overrides of a row's arch.* columns."""
    dim = integer(row, "arch.meshX", where)
    spad_bytes = integer(row, "arch.mem2_depth", where) * integer(row, "arch.mem2_width", where) // 8
    acc_bytes = (integer(row, "arch.mem1_depth", where) * integer(row, "arch.mem1_instances", where)
                 * integer(row, "arch.mem1_word-bits", where) // 8)
    return (f"array.rows={dim}", f"array.cols={dim}",
            f"memory.scratchpad.size_kib={spad_bytes / 1024:g}",
            f"memory.accumulator.size_kib={acc_bytes / 1024:g}")


def run_group(strata, config, overrides, layers, tmp):
    """{layer name: cycles} of one strata run over `layers`; {name: error} for the layers strata
    rejects (each is dropped and the rest run again, so one bad row costs no other row)."""
    rejected = {}
    while True:
        live = [l for l in layers if l["name"] not in rejected]
        if not live:
            return {}, rejected
        path = os.path.join(tmp, "layers.json")
        with open(path, "w") as f:
            json.dump({"name": "gemmini_rows", "layers": live}, f)
        out = os.path.join(tmp, "out")
        cmd = [strata, "run", "-q", "-c", config, "-w", path, "--out", out]
        for o in overrides:
            cmd += ["--set", o]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode == 0:
            with open(os.path.join(out, "layers.csv")) as f:
                return {row["name"]: int(row["cycles"]) for row in csv.DictReader(f)}, rejected
        message = (r.stderr.strip() or r.stdout.strip()).splitlines()
        message = message[-1] if message else "strata run failed"
        # strata names the layer it rejects: "layer 'row12'" or "layers[3]" (the file's index).
        named = re.search(r"layer '(row\d+)'", message)
        indexed = re.search(r"layers\[(\d+)\]", message)
        if r.returncode == 2 and named:
            rejected[named.group(1)] = message
        elif r.returncode == 2 and indexed and int(indexed.group(1)) < len(live):
            rejected[live[int(indexed.group(1))]["name"]] = message
        else:
            fail("strata run failed: " + message)


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    r = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2.0
        i = j + 1
    return r


def pearson(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sx = math.sqrt(sum((a - mx) ** 2 for a in x))
    sy = math.sqrt(sum((b - my) ** 2 for b in y))
    if sx == 0 or sy == 0:
        return float("nan")
    return sum((a - mx) * (b - my) for a, b in zip(x, y)) / (sx * sy)


def figures(rows, measured, predicted):
    """MAPE, within 15 %, Pearson r of log cycles, median per-layer Spearman, best-in-top-3."""
    errors = [abs(p - m) / m for p, m in zip(predicted, measured)]
    layers = collections.defaultdict(list)
    for i, row in enumerate(rows):
        key = tuple(row.get("prob." + k) for k in ("N", "C", "K", "P", "Q", "R", "S", "Hstride")) + \
            tuple(row.get(k) for k in ("arch.meshX", "arch.mem1_depth", "arch.mem2_depth"))
        layers[key].append(i)
    spearman, top3, ranked = [], 0, 0
    for idx in layers.values():
        if len(idx) < 3:
            continue
        ranked += 1
        r = pearson(ranks([measured[i] for i in idx]), ranks([predicted[i] for i in idx]))
        if not math.isnan(r):
            spearman.append(r)
        best = min(idx, key=lambda i: measured[i])
        top3 += best in sorted(idx, key=lambda i: predicted[i])[:3]
    spearman.sort()
    median = spearman[len(spearman) // 2] if len(spearman) % 2 else \
        (sum(spearman[len(spearman) // 2 - 1:len(spearman) // 2 + 1]) / 2 if spearman else float("nan"))
    return {
        "rows": len(rows),
        "mape": sum(errors) / len(errors),
        "within_15": sum(e < 0.15 for e in errors) / len(errors),
        "pearson_log": pearson([math.log(m) for m in measured], [math.log(p) for p in predicted]),
        "layers_ranked": ranked,
        "spearman_median": median,
        "best_in_top3": top3 / ranked if ranked else float("nan"),
    }


def scatter(path, measured, predicted, timeloop, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(5.2, 5.0))
    if timeloop:
        ax.scatter(measured, timeloop, s=9, marker="x", color="#999999", label="Timeloop")
    ax.scatter(measured, predicted, s=9, color="#1f77b4", label="strata")
    lo = min(min(measured), min(predicted)) / 2
    hi = max(max(measured), max(predicted)) * 2
    ax.plot([lo, hi], [lo, hi], color="black", linewidth=0.8)
    ax.plot([lo, hi], [lo * 1.15, hi * 1.15], color="black", linewidth=0.5, linestyle=":")
    ax.plot([lo, hi], [lo / 1.15, hi / 1.15], color="black", linewidth=0.5, linestyle=":")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("measured cycles (Gemmini RTL, FireSim)")
    ax.set_ylabel("predicted cycles")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    tmp = path + ".tmp.png"
    fig.savefig(tmp, dpi=110, metadata={"Software": None})
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv")
    ap.add_argument("--out", required=True)
    ap.add_argument("--strata")
    ap.add_argument("--config", default=os.path.join(ROOT, "configs", "gemmini_16x16.json"))
    ap.add_argument("--no-plot", action="store_true")
    ap.add_argument("--worst", type=int, default=0)
    a = ap.parse_args()
    strata = find_strata(a.strata)
    try:
        with open(a.csv, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        fail(f"{a.csv}: {e.strerror}")
    except (csv.Error, UnicodeDecodeError) as e:
        fail(f"{a.csv}: not a CSV file ({e})")
    if not rows:
        fail(f"{a.csv}: no data rows")
    for col in ("mapping.mapping", "arch.meshX", "prob.C"):
        if col not in rows[0]:
            fail(f"{a.csv}: no column {col} (expected the DOSA/FireSim format, tests/data/gemmini)")
    groups = collections.defaultdict(list)
    layers = {}
    for i, row in enumerate(rows):
        where = f"{a.csv}: row {i}"
        groups[hardware_of(row, where)].append(i)
        layers[i] = layer_of(row, f"row{i}", where)
    predicted = [None] * len(rows)
    with tempfile.TemporaryDirectory() as tmp:
        for overrides, idx in sorted(groups.items()):
            cycles, rejected = run_group(strata, a.config, overrides, [layers[i] for i in idx], tmp)
            for i in idx:
                predicted[i] = cycles.get(f"row{i}")
            for name, message in sorted(rejected.items(), key=lambda kv: int(kv[0][3:])):
                print(f"validate_gemmini: row {name[3:]} not predicted: {message}", file=sys.stderr)
    os.makedirs(a.out, exist_ok=True)
    tmp_path = os.path.join(a.out, "predictions.csv.tmp")
    with open(tmp_path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["row", "predicted_cycles"])
        for i, p in enumerate(predicted):
            w.writerow([i, "" if p is None else p])
    os.replace(tmp_path, os.path.join(a.out, "predictions.csv"))
    if "target.gemmini_cycle" not in rows[0]:
        print(f"{len(rows)} rows predicted: {os.path.join(a.out, 'predictions.csv')}")
        return
    # Rows strata rejected (no prediction; listed on stderr) are left out of the figures.
    predicted_all = predicted
    kept = [i for i, p in enumerate(predicted) if p is not None]
    if not kept:
        fail(f"{a.csv}: strata predicted no row")
    rows = [rows[i] for i in kept]
    predicted = [predicted[i] for i in kept]
    measured = [float(r["target.gemmini_cycle"]) for r in rows]
    name = os.path.basename(a.csv)
    s = figures(rows, measured, predicted)
    # target.cycle is Timeloop's prediction where target.gemmini_cycle is a separate column that
    # differs from it (the training file repeats the measurement in target.cycle).
    timeloop = None
    if "target.cycle" in rows[0]:
        tl = [float(r["target.cycle"]) for r in rows]
        if any(abs(t - m) > 0.5 for t, m in zip(tl, measured)):
            timeloop = tl
    skipped = len(predicted_all) - len(kept)
    print(f"{name}: {s['rows']} rows, {s['layers_ranked']} layers with 3+ mappings"
          + (f" ({skipped} rows strata rejected left out)" if skipped else ""))
    print(f"{'':22}{'strata':>10}" + (f"{'Timeloop':>10}" if timeloop else ""))
    t = figures(rows, measured, timeloop) if timeloop else None
    for key, label, pct in (("mape", "MAPE", True), ("within_15", "rows within 15 %", True),
                            ("pearson_log", "Pearson r (log)", False),
                            ("spearman_median", "median Spearman", False),
                            ("best_in_top3", "best in top 3", True)):
        def fmt(v, pct=pct):
            if v is None or math.isnan(v):
                return f"{'-':>10}"  # no layer with 3+ mappings to rank
            return f"{100 * v:9.1f}%" if pct else f"{v:10.3f}"
        line = f"{label:22}{fmt(s[key])}"
        if t:
            line += fmt(t[key])
        print(line)
    if a.worst > 0:
        print(f"rows strata misses most (error = predicted / measured - 1):")
        print(f"{'row':>5} {'layer (N C K P Q R S stride)':30} {'measured':>11} {'strata':>11} "
              f"{'error':>7}  mapping")
        worst = sorted(range(len(rows)), key=lambda i: -abs(predicted[i] / measured[i] - 1))
        for i in worst[:a.worst]:
            r = rows[i]
            shape = " ".join(r["prob." + k] for k in ("N", "C", "K", "P", "Q", "R", "S", "Hstride"))
            print(f"{kept[i]:>5} {shape:30} {measured[i]:>11.0f} {predicted[i]:>11} "
                  f"{100 * (predicted[i] / measured[i] - 1):>+6.0f}%  {r['mapping.mapping']}")
    if not a.no_plot:
        scatter(os.path.join(a.out, "scatter.png"), measured, predicted, timeloop,
                f"{name}: strata vs Gemmini RTL")


if __name__ == "__main__":
    main()
