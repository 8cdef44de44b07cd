#!/usr/bin/python3
"""docs/dram.md's study: on-chip buffer size against DRAM energy, ResNet-50 and BERT-base, on the
simple DRAM model (LPDDR4's pJ/bit), banked LPDDR4-3200 (4 channels, 25.6 GB/s) and banked HBM2
(2 pseudo-channels, 32 GB/s). Prints a markdown table; --png also draws the figure.

usage: dram_study.py [--png FILE]   (`strata` on PATH; scripts/refresh_docs_figures.py sets it)
"""
import argparse
import json
import os
import subprocess
import tempfile

CONFIG = "configs/default.json"
WORKLOADS = [("resnet50", "ResNet-50"), ("bert_base:seq_len=384", "BERT-base (seq 384)")]
SIZES_KIB = [64, 128, 256, 512, 1024, 2048]
DRAMS = [
    ("simple LPDDR4 (8 pJ/bit)", []),
    ("banked LPDDR4-3200 x4", ["dram.model=banked", "dram.preset=lpddr4_3200", "dram.channels=4"]),
    ("banked HBM2 x2", ["dram.model=banked", "dram.preset=hbm2", "dram.channels=2"]),
]


def totals(workload, sets):
    with tempfile.TemporaryDirectory() as out:
        args = ["strata", "run", "--config", CONFIG, "--workload", workload, "--out", out, "-q"]
        for s in sets:
            args += ["--set", s]
        subprocess.run(args, check=True)
        with open(os.path.join(out, "report.json")) as f:
            return json.load(f)["totals"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--png", default="")
    args = parser.parse_args()
    rows = {}
    print("| workload | buffers (each) | DRAM MB | " +
          " | ".join("%s: DRAM mJ, latency ms" % name for name, _ in DRAMS) +
          " | banked LPDDR4: row hits, ACT / REF / standby share |")
    print("|---|---|---|" + "---|" * len(DRAMS) + "---|")
    for workload, label in WORKLOADS:
        for kib in SIZES_KIB:
            buffers = ["buffers.%s.size_kib=%d" % (b, kib) for b in ("input", "weight", "output")]
            cells, lp4 = [], None
            for name, sets in DRAMS:
                t = totals(workload, buffers + sets)
                rows.setdefault((workload, name), []).append(t["energy_dram_pj"] * 1e-9)
                cells.append("%.2f, %.2f" % (t["energy_dram_pj"] * 1e-9, t["latency_ms"]))
                if name.startswith("banked LPDDR4"):
                    lp4 = t
            mb = (lp4["dram_read_bytes"] + lp4["dram_write_bytes"]) / 1e6
            bursts = lp4["dram_row_hits"] + lp4["dram_row_misses"] + lp4["dram_row_conflicts"]
            e = lp4["energy_dram_pj"]
            standby = lp4["energy_dram_standby_pj"]
            print("| %s | %d KiB | %.0f | %s | %.1f %%, %.1f / %.1f / %.1f %% |" % (
                label, kib, mb, " | ".join(cells), 100.0 * lp4["dram_row_hits"] / bursts,
                100.0 * lp4["energy_dram_activate_pj"] / e, 100.0 * lp4["energy_dram_refresh_pj"] / e,
                100.0 * standby / e))
    if args.png:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, axes = plt.subplots(1, len(WORKLOADS), figsize=(11, 4))
        for ax, (workload, label) in zip(axes, WORKLOADS):
            for name, _ in DRAMS:
                ax.plot(SIZES_KIB, rows[(workload, name)], marker="o", label=name)
            ax.set_xscale("log", base=2)
            ax.set_xticks(SIZES_KIB)
            ax.set_xticklabels([str(k) for k in SIZES_KIB])
            ax.set_xlabel("each buffer (KiB)")
            ax.set_ylabel("DRAM energy per inference (mJ)")
            ax.set_title(label + ", 32x32 OS array")
            ax.grid(True, alpha=0.3)
        axes[0].legend()
        fig.tight_layout()
        fig.savefig(args.png, dpi=110, metadata={"Software": None})


if __name__ == "__main__":
    main()
