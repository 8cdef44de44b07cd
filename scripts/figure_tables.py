#!/usr/bin/python3
"""Markdown tables for the docs' figures, from strata's own reports (scripts/refresh_docs_figures.py
runs these; `strata` must be on PATH).

usage: figure_tables.py folds <workload>...
       figure_tables.py energy-breakdown <config> <workload>
       figure_tables.py weight-sqnr <zoo model>
       figure_tables.py sync-summary <time-sync config>...
"""
import math
import json
import os
import subprocess
import sys
import tempfile


def report(config, workload):
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["strata", "run", "--config", config, "--workload", workload, "--out", out,
                        "-q"], check=True)
        with open(os.path.join(out, "report.json")) as f:
            return json.load(f)


def folds(workloads):
    print("| workload (configs/default.json, 32x32 OS) | layers | folds | MACs |")
    print("|---|---|---|---|")
    for w in workloads:
        r = report("configs/default.json", w)
        print("| %s | %d | %s | %s |" % (w, len(r["layers"]), format(r["totals"]["folds"], ","),
                                         format(r["totals"]["macs"], ",")))


def energy_breakdown(config, workload):
    t = report(config, workload)["totals"]
    uj = lambda key: t[key] * 1e-6
    on_chip = uj("energy_pj") - uj("energy_dram_pj")
    total = uj("energy_pj")
    buffers = [uj("energy_%s_buffer_pj" % b) for b in ("input", "weight", "output")]
    rows = [
        ("MAC", uj("energy_mac_pj")),
        ("PE registers", uj("energy_register_pj")),
        ("buffers (input %.1f, weight %.1f, output %.1f)" % tuple(buffers), sum(buffers)),
        ("leakage", uj("energy_leakage_pj")),
    ]
    print("| component | uJ | share of on-chip | share of total |")
    print("|---|---|---|---|")
    for name, value in rows:
        print("| %s | %s | %.0f %% | %.1f %% |" % (name, format(round(value, 1), ",.1f"),
                                                  100 * value / on_chip, 100 * value / total))
    dram = uj("energy_dram_pj")
    print("| DRAM | %s | | %.0f %% |" % (format(round(dram, 1), ",.1f"), 100 * dram / total))


# The quantization.md columns: (heading, strata quantize arguments).
SCHEMES = [
    ("int4 RTN", ["--scheme", "rtn", "--bits", "4"]),
    ("ANT4", ["--scheme", "ant", "--bits", "4"]),
    ("ANT4-8", ["--scheme", "ant4-8", "--bits", "4"]),
    ("SQuant4", ["--scheme", "squant", "--bits", "4"]),
    ("OliVe4", ["--scheme", "olive", "--bits", "4"]),
    ("int8 RTN", ["--scheme", "rtn", "--bits", "8"]),
    ("ANT4 + DBB 4/8", ["--scheme", "ant", "--bits", "4", "--dbb", "4/8"]),
    ("SQuant4 + DBB 4/8", ["--scheme", "squant", "--bits", "4", "--dbb", "4/8"]),
]


def trace(model, args):
    with tempfile.TemporaryDirectory() as out:
        path = os.path.join(out, "t.json")
        subprocess.run(["strata", "quantize", "--model", model, "--out", path, "-q"] + args,
                       check=True)
        with open(path) as f:
            return json.load(f)


def shape(layer):
    if layer["op"] == "gemm":
        return "fc %d->%d" % (layer["k"], layer["n"])
    kh, kw = layer["kernel"]
    return "%dx%d %d->%d%s" % (kh, kw, layer["in_c"], layer["out_c"],
                               " dw" if layer["groups"] > 1 else "")


def weight_elements(layer):
    if layer["op"] == "gemm":
        return layer["k"] * layer["n"]
    kh, kw = layer["kernel"]
    return kh * kw * layer["in_c"] // layer["groups"] * layer["out_c"]


def whole_model_sqnr(layers):
    # Over the real weights: signal and noise energies summed over layers.
    signal = noise = 0.0
    for l in layers:
        w = l["weight"]
        if w["synthetic"] or w["mse"] == 0:
            continue
        n = weight_elements(l)
        noise += w["mse"] * n
        signal += w["mse"] * n * 10 ** (w["sqnr_db"] / 10)
    return 10 * math.log10(signal / noise)


def weight_sqnr(model):
    traces = [trace(model, args) for _, args in SCHEMES]
    ant = traces[1]["layers"]
    print("| layer | shape | ANT type | " + " | ".join(h for h, _ in SCHEMES) + " |")
    print("|---" * (3 + len(SCHEMES)) + "|")
    for i, layer in enumerate(ant):
        if "weight" not in layer:
            continue
        name = layer["name"] + (" (synthetic)" if layer["weight"]["synthetic"] else "")
        cells = ["%.2f" % t["layers"][i]["weight"]["sqnr_db"] for t in traces]
        print("| %s | %s | %s | %s |" % (name, shape(layer), layer["weight"]["type"],
                                         " | ".join(cells)))
    totals = ["**%.2f**" % whole_model_sqnr([l for l in t["layers"] if "weight" in l])
              for t in traces]
    print("| **whole model (real weights)** | | | " + " | ".join(totals) + " |")
    picked = {}
    for layer in ant:
        if "weight" in layer and not layer["weight"]["synthetic"]:
            picked[layer["weight"]["type"]] = picked.get(layer["weight"]["type"], 0) + 1
    print("\nANT4 picked: " + ", ".join("%d x %s" % (n, t) for t, n in sorted(picked.items())))


def sync_summary(configs):
    print("```text")
    for config in configs:
        with tempfile.TemporaryDirectory() as out:
            text = subprocess.run(["strata", "sync", config, "--out", out, "--no-plots", "-q"],
                                  check=True, capture_output=True, text=True).stdout
        print("$ strata sync " + config)
        print("".join(l + "\n" for l in text.splitlines() if not l.startswith("outputs written")),
              end="")
    print("```")


def main(argv):
    if len(argv) >= 2 and argv[0] == "folds":
        folds(argv[1:])
    elif len(argv) == 3 and argv[0] == "energy-breakdown":
        energy_breakdown(argv[1], argv[2])
    elif len(argv) >= 2 and argv[0] == "sync-summary":
        sync_summary(argv[1:])
    elif len(argv) == 2 and argv[0] == "weight-sqnr":
        weight_sqnr(argv[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
