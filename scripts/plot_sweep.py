#!/usr/bin/python3
"""Plots a strata sweep's results.csv (docs/sweeps.md): the scatter of two metrics with the Pareto
front highlighted (the front comes from `strata pareto --format csv`), and one panel per axis with
the y metric's best and median value at each axis value. Writes PNGs; prints their paths.

usage: plot_sweep.py <results.csv> --x METRIC --y METRIC [--maximize-x] [--maximize-y]
                     [--workload W] [--title TEXT] --out DIR [--strata build/sim/strata]

The title names the sweep by its spec file (read from sweep.json beside results.csv), unless
--title gives one.
"""
import json
import argparse
import csv
import os
import statistics
import subprocess
import sys

from plot_common import plt, save


def fail(message):
    print("plot_sweep: error: " + message, file=sys.stderr)
    sys.exit(2)


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def sweep_name(results_csv):
    """The spec file's name, from the sweep.json a sweep (or a merge) writes beside its results."""
    try:
        with open(os.path.join(os.path.dirname(os.path.abspath(results_csv)), "sweep.json")) as f:
            spec = json.load(f).get("spec")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(spec, str) or not spec:
        return None
    return os.path.splitext(os.path.basename(spec))[0]


def axis_label(metric, maximize):
    return metric + (" (higher is better)" if maximize else " (lower is better)")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("csv")
    p.add_argument("--x", required=True)
    p.add_argument("--y", required=True)
    p.add_argument("--maximize-x", action="store_true")
    p.add_argument("--maximize-y", action="store_true")
    p.add_argument("--workload", default="")
    p.add_argument("--title", default="")
    p.add_argument("--out", required=True)
    p.add_argument("--strata", default=os.path.join(os.path.dirname(__file__), "..", "build", "sim", "strata"))
    a = p.parse_args()

    with open(a.csv, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        fail(a.csv + ": no rows")
    header = list(rows[0].keys())
    for metric in (a.x, a.y):
        if metric not in header:
            fail(a.csv + ": no column '" + metric + "'")
    axes = header[header.index("status") + 1: header.index("macs")]
    ok = [r for r in rows if r["status"] == "ok" and (not a.workload or r["workload"] == a.workload)]
    if not ok:
        fail(a.csv + ": no successful rows" + (" for " + a.workload if a.workload else ""))

    cmd = [a.strata, "pareto", a.csv, "--x", a.x, "--y", a.y, "--format", "csv"]
    if a.maximize_x:
        cmd.append("--maximize-x")
    if a.maximize_y:
        cmd.append("--maximize-y")
    if a.workload:
        cmd += ["--workload", a.workload]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        fail(r.stderr.strip() or "strata pareto failed")
    front = {(f["workload"], f["point"]) for f in csv.DictReader(r.stdout.splitlines())}

    os.makedirs(a.out, exist_ok=True)
    workloads = sorted({w["workload"] for w in ok})
    fig, ax = plt.subplots(figsize=(7, 5))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, w in enumerate(workloads):
        pts = [(number(r[a.x]), number(r[a.y]), r["point"]) for r in ok if r["workload"] == w]
        c = colors[i % len(colors)]
        ax.scatter([x for x, _, _ in pts], [y for _, y, _ in pts], s=14, alpha=0.45, color=c,
                   label=w + " (all points)")
        fr = sorted((x, y) for x, y, pid in pts if (w, pid) in front)
        ax.plot([x for x, _ in fr], [y for _, y in fr], "-o", color=c, markersize=6,
                markeredgecolor="black", label=w + " Pareto front")
    ax.set_xlabel(axis_label(a.x, a.maximize_x))
    ax.set_ylabel(axis_label(a.y, a.maximize_y))
    name = a.title or sweep_name(a.csv) or "sweep"
    title = "%s: %d design points (%s)" % (name, len({r["point"] for r in ok}), ", ".join(workloads))
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    save(fig, os.path.join(a.out, "pareto.png"), title)

    # Per-axis trends: the best and the median y at each value of each axis.
    if axes:
        fig, panels = plt.subplots(1, len(axes), figsize=(4 * len(axes), 3.6), squeeze=False)
        best = max if a.maximize_y else min
        for k, axis in enumerate(axes):
            ax = panels[0][k]
            for i, w in enumerate(workloads):
                values = {}
                for r in ok:
                    if r["workload"] == w:
                        values.setdefault(r[axis], []).append(number(r[a.y]))
                keys = list(values)
                numeric = all(number(v) is not None for v in keys)
                keys.sort(key=lambda v: number(v) if numeric else v)
                xs = [number(v) for v in keys] if numeric else list(range(len(keys)))
                c = colors[i % len(colors)]
                ax.plot(xs, [best(values[v]) for v in keys], "-o", color=c, label=w + " best")
                ax.plot(xs, [statistics.median(values[v]) for v in keys], "--", color=c,
                        alpha=0.6, label=w + " median")
                if not numeric:
                    ax.set_xticks(xs)
                    ax.set_xticklabels(keys)
            ax.set_xlabel(axis)
            ax.set_ylabel(axis_label(a.y, a.maximize_y))
            ax.grid(alpha=0.3)
        panels[0][0].legend(fontsize=7)
        trends = "%s: best and median %s along each axis" % (name, a.y)
        fig.suptitle(trends)
        save(fig, os.path.join(a.out, "trends.png"), trends)


if __name__ == "__main__":
    main()
