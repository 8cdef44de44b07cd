#!/usr/bin/python3
"""Plots a strata sync output directory (docs/timesync.md): the sync unit's time error against
time with GPS outages shaded (time_error.png), and the distribution of the sensor-pair timestamp
skews, hardware against software stamping (skew.png). Writes PNGs next to the data; prints their
paths. Called by `strata sync` unless --no-plots.

usage: plot_sync.py <strata sync output dir>
"""
import csv
import json
import os
import sys

from plot_common import plt, save


def fail(message):
    print("plot_sync: error: " + message, file=sys.stderr)
    sys.exit(2)


def read_csv(path):
    try:
        with open(path, newline="") as f:
            return list(csv.DictReader(f))
    except OSError as e:
        fail(f"{path}: {e.strerror}")


def outages(report):
    text = report.get("gnss", {}).get("outages_s", "")
    windows = []
    for part in filter(None, text.split(",")):
        start, end = part.split("-")
        windows.append((float(start), float(end)))
    return windows


def plot_time_error(out_dir, report):
    rows = read_csv(os.path.join(out_dir, "time_error.csv"))
    if not rows:
        return
    t = [float(r["t_s"]) for r in rows]
    err_us = [float(r["time_error_ns"]) / 1000 for r in rows]
    fig, ax = plt.subplots(figsize=(9, 4))
    for i, (start, end) in enumerate(outages(report)):
        ax.axvspan(start, min(end, t[-1]), color="tab:red", alpha=0.15,
                   label="GPS outage" if i == 0 else None)
    if not report.get("gnss", {}).get("present", True):
        ax.axvspan(t[0], t[-1], color="tab:gray", alpha=0.1, label="no GPS (free-running)")
    ax.plot(t, err_us, lw=1, color="tab:blue", label="counter - GPS time")
    ax.axhline(0, color="black", lw=0.5)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("time error (us)")
    osc = report.get("oscillator", {})
    ax.set_title(f"sync unit time error: {osc.get('preset', '?').upper()} oscillator, "
                 f"{report.get('config', '')}")
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    save(fig, os.path.join(out_dir, "time_error.png"))


def plot_skews(out_dir, report):
    rows = read_csv(os.path.join(out_dir, "skew_histogram.csv"))
    pairs = sorted({r["pair"] for r in rows})
    if not pairs:
        return
    fig, axes = plt.subplots(len(pairs), 1, figsize=(9, 2.6 * len(pairs)), squeeze=False)
    colors = {"hardware": "tab:green", "software": "tab:orange"}
    for ax, pair in zip(axes[:, 0], pairs):
        for method in ("hardware", "software"):
            sel = [r for r in rows if r["pair"] == pair and r["method"] == method]
            if not sel:
                continue
            total = sum(int(r["count"]) for r in sel)
            lows = [max(float(r["bin_low_ns"]), 0.05) for r in sel]
            highs = [float(r["bin_high_ns"]) for r in sel]
            shares = [int(r["count"]) / total for r in sel]
            ax.bar(lows, shares, width=[h - lo for lo, h in zip(lows, highs)], align="edge",
                   color=colors[method], alpha=0.7, label=f"{method} stamps ({total} samples)")
        ax.set_xscale("log")
        ax.set_xlabel("|timestamp skew| (ns)")
        ax.set_ylabel("share")
        speed = report.get("vehicle_speed_mps", 0)
        ax.set_title(f"{pair} timestamp skew; at {speed:g} m/s, 1 us of skew moves a point "
                     f"{speed * 1e3:g} mm, 1 ms {speed * 1e2:g} cm", fontsize=9)
        ax.legend(loc="upper center", fontsize=8)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    save(fig, os.path.join(out_dir, "skew.png"))


def main():
    if len(sys.argv) != 2:
        fail("usage: plot_sync.py <strata sync output dir>")
    out_dir = sys.argv[1]
    path = os.path.join(out_dir, "sync_report.json")
    try:
        with open(path) as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: {e}")
    if os.path.exists(os.path.join(out_dir, "time_error.csv")):
        plot_time_error(out_dir, report)
    plot_skews(out_dir, report)


if __name__ == "__main__":
    main()
