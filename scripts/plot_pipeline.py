#!/usr/bin/python3
"""Draws a strata pipeline output directory's Gantt chart (docs/pipeline.md): one row per engine
and host core, a bar per job coloured by node, over the first few frames of the sink's sensor
(or a window given in seconds), with dropped jobs and missed deadlines marked. Writes gantt.png
next to the data; prints its path. Called by `strata pipeline` unless --no-plots.

usage: plot_pipeline.py <strata pipeline output dir> [window_s]
"""
import csv
import json
import os
import sys

from plot_common import plt, save


def fail(message):
    print("plot_pipeline: error: " + message, file=sys.stderr)
    sys.exit(2)


def main():
    if len(sys.argv) not in (2, 3):
        fail("usage: plot_pipeline.py <output dir> [window_s]")
    out = sys.argv[1]
    try:
        with open(os.path.join(out, "pipeline_report.json")) as f:
            report = json.load(f)
        with open(os.path.join(out, "frames.csv"), newline="") as f:
            jobs = list(csv.DictReader(f))
    except (OSError, ValueError) as e:
        fail(f"{out}: {e}")
    rows = []  # (resource, unit) in report order
    for r in report["resources"]:
        if r.get("kind") == "sensors":
            continue
        for u in range(r.get("units", 1)):
            rows.append((r["name"], str(u)))
    # The window: a few sink frames, from the first sink job's sensor event.
    sink = [j for j in jobs if j["node"] == report["sink"] and j["state"] == "done"]
    if len(sys.argv) == 3:
        window = float(sys.argv[2])
    elif sink:
        window = 4 * (float(sink[-1]["end_s"]) - float(sink[0]["end_s"])) / max(1, len(sink) - 1)
        window = max(window, 1.2 * max(float(j["end_s"]) - float(j["event_s"]) for j in sink[:4]))
    else:
        window = min(0.2, report["duration_s"])
    t0 = float(sink[0]["event_s"]) if sink else 0.0
    t1 = t0 + window
    node_index = {n["name"]: i for i, n in enumerate(report["nodes"])}
    colours = plt.get_cmap("tab10")
    fig, ax = plt.subplots(figsize=(11, 0.5 * len(rows) + 1.6))
    index = {row: i for i, row in enumerate(rows)}
    # One bar collection per (row, node, deadline missed): graphs of thousands of jobs in the
    # window draw in one call each, not a call per job.
    bars = {}
    for j in jobs:
        if j["state"] != "done":
            continue
        start, end = float(j["start_s"]), float(j["end_s"])
        if end < t0 or start > t1:
            continue
        y = index[(j["resource"], j["unit"] if j["resource"] == "host" else "0")]
        key = (y, j["node"], j["deadline_missed"] == "1")
        bars.setdefault(key, []).append(((start - t0) * 1e3, (end - start) * 1e3))
    labelled = set()
    max_labels = 20  # a legend of more nodes is unreadable; the rest are counted in it
    for (y, node, missed), spans in sorted(bars.items(), key=lambda kv: node_index[kv[0][1]]):
        c = colours(node_index[node] % 10)
        label = None
        if node not in labelled and len(labelled) < max_labels:
            label = node
            labelled.add(node)
        ax.broken_barh(spans, (y - 0.35, 0.7), facecolors=c,
                       edgecolors="black" if missed else c, linewidth=1.5, label=label)
    unlabelled = len({k[1] for k in bars}) - len(labelled)
    if unlabelled > 0:
        ax.plot([], [], " ", label=f"... {unlabelled} more nodes")
    for j in jobs:
        if j["state"] == "dropped" and t0 <= float(j["release_s"]) <= t1:
            y = index[(j["resource"], "0")]
            ax.plot((float(j["release_s"]) - t0) * 1e3, y, "rx")
    for j in sink:
        if t0 <= float(j["event_s"]) <= t1:
            ax.axvline((float(j["event_s"]) - t0) * 1e3, color="grey", lw=0.5, ls=":")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r if r != "host" else f"host core {u}" for r, u in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, window * 1e3)
    ax.set_xlabel(f"ms from {report['sink_sensor']} event at t = {t0:.4f} s "
                  "(dotted: sensor events; x: dropped; black edge: deadline missed)")
    lat = report["latency_ms"]
    ax.set_title(f"{report['name']}: sensor-to-actuation p99 {lat['p99']:.2f} ms, "
                 f"{report['frames']['actuated']} of {report['frames']['sampled']} frames actuated")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    save(fig, os.path.join(out, "gantt.png"))


if __name__ == "__main__":
    main()
