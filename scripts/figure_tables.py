#!/usr/bin/python3
"""Markdown tables for the docs' figures, from strata's own reports (scripts/refresh_docs_figures.py
runs these; `strata` must be on PATH).

usage: figure_tables.py folds <workload>...
       figure_tables.py energy-breakdown <config> <workload> [key=value...]
       figure_tables.py weight-sqnr <zoo model>
       figure_tables.py sync-summary <time-sync config>...
       figure_tables.py vector-breakdown <config> <workload>...
       figure_tables.py skim-speedup <config> <bert workload> <keep schedule>
       figure_tables.py measured-ratios <zoo model with real weights>...
       figure_tables.py measured-statistics <config> <zoo model with real weights>...
       figure_tables.py scheme-accuracy <baseline config> <config>... -- <workload>...
       figure_tables.py pipeline-summary <pipeline config>...
       figure_tables.py defense-cost <defended workload> <recognizer workload> <config>...
       figure_tables.py where-it-goes <config> <workload>
       figure_tables.py optics-energy <config> <workload>...
       figure_tables.py optics-illumination <sweep spec>
       figure_tables.py buffer-scaling <config> <workload> <KiB>...
       figure_tables.py fusion <config> <workload>

The measured-* tables run functional mode (docs/functional.md) on the eight photographs of
python3-skimage listed in PHOTOS.
"""
import math
import json
import os
import shutil
import subprocess
import sys
import tempfile


PHOTO_DIR = "/usr/lib/python3/dist-packages/skimage/data"
PHOTOS = ["astronaut.png", "camera.png", "chelsea.png", "coffee.png", "hubble_deep_field.jpg",
          "motorcycle_left.png", "retina.jpg", "rocket.jpg"]


def report(config, workload, sets=(), inputs=None):
    with tempfile.TemporaryDirectory() as out:
        args = ["strata", "run", "--config", config, "--workload", workload, "--out", out, "-q"]
        for s in sets:
            args += ["--set", s]
        if inputs:
            args += ["--inputs", inputs, "--set", "sim.mode=functional"]
        subprocess.run(args, check=True)
        with open(os.path.join(out, "report.json")) as f:
            return json.load(f)


def with_photos(f):
    """Calls f(directory) with the photographs copied into a scratch directory."""
    with tempfile.TemporaryDirectory() as d:
        for p in PHOTOS:
            shutil.copy(os.path.join(PHOTO_DIR, p), d)
        return f(d)


def folds(workloads):
    print("| workload (configs/default.json, 32x32 OS) | layers | folds | MACs |")
    print("|---|---|---|---|")
    for w in workloads:
        r = report("configs/default.json", w)
        print("| %s | %d | %s | %s |" % (w, len(r["layers"]), format(r["totals"]["folds"], ","),
                                         format(r["totals"]["macs"], ",")))


def energy_breakdown(config, workload, sets=()):
    t = report(config, workload, sets)["totals"]
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
    if t["energy_vector_lanes_pj"] > 0:
        rows.insert(3, ("vector unit lanes", uj("energy_vector_lanes_pj")))
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


# Vector-unit operations grouped as the breakdown's columns (the rest: adds, embeddings, pooling).
VECTOR_CLASSES = [("softmax", {"softmax"}), ("LayerNorm", {"layer_norm"}), ("GELU", {"gelu"})]


def vector_breakdown(config, workloads):
    """Where time and energy go: the array's layers against each class of vector work. A vector
    layer's time is its span on the vector unit; in these workloads every one is waited for, so
    the array's time and the spans add up to the latency (checked)."""
    print("| workload | latency ms | array (GEMM) | softmax | LayerNorm | GELU | other vector | "
          "vector energy share |")
    print("|---|---|---|---|---|---|---|---|")
    for w in workloads:
        r = report(config, w)
        t = r["totals"]
        spans = {name: 0 for name, _ in VECTOR_CLASSES}
        spans["other"] = 0
        for v in r["vector_layers"]:
            name = next((n for n, ops in VECTOR_CLASSES if v["vector_op"] in ops), "other")
            spans[name] += v["end_cycle"] - v["start_cycle"]
        array = t["cycles"] - t["vector_stall_cycles"]
        if array + sum(spans.values()) != t["cycles"]:
            sys.exit("%s: vector work overlaps the array; the breakdown would double count" % w)
        share = lambda c: "%.1f %%" % (100.0 * c / t["cycles"])
        print("| %s | %.3f | %s | %s | %s | %s | %s | %.1f %% |" % (
            w, t["latency_ms"], share(array), share(spans["softmax"]), share(spans["LayerNorm"]),
            share(spans["GELU"]), share(spans["other"]), 100.0 * t["vector_work_energy_share"]))


def skim_speedup(config, workload, schedule):
    """Block-Skim's speedup over the full model: MACs, the array alone, and with the vector work."""
    skimmed = workload + ",skim=" + schedule
    rows = []
    for label, sets in (("array only (vector.enabled = false)", ["vector.enabled=false"]),
                        ("with the vector unit", [])):
        full, skim = report(config, workload, sets)["totals"], report(config, skimmed, sets)["totals"]
        rows.append((label, full, skim))
    print("| %s vs %s | MACs | cycles | energy uJ |" % (workload, "skim=" + schedule))
    print("|---|---|---|---|")
    for label, full, skim in rows:
        print("| %s | %.2fx | %.2fx | %.2fx |" % (
            label, full["macs"] / skim["macs"], full["cycles"] / skim["cycles"],
            full["energy_per_inference_uj"] / skim["energy_per_inference_uj"]))


PAPER_PAIRS = [("S2TA-AW vs SA-ZVCG", "configs/sa_zvcg_16nm.json", "configs/s2ta_aw_16nm.json"),
               ("ANT-OS vs BitFusion", "configs/bitfusion_28nm.json", "configs/ant_os_28nm.json")]


def measured_ratios(models):
    """The papers' comparisons on the real networks, with the activation statistics the front end
    declares and with those measured on the photographs (the same graphs, the same accuracy)."""
    def table(photos):
        print("| comparison | model | speedup declared | speedup measured | energy red. declared |"
              " energy red. measured | baseline vs float | design vs float |")
        print("|---|---|---|---|---|---|---|---|")
        for name, base, design in PAPER_PAIRS:
            for m in models:
                t = {}
                for config in (base, design):
                    for a in ("declared", "measured"):
                        t[config, a] = report(config, m, ["workload.activations=" + a],
                                              photos)["totals"]
                ratio = lambda key, a: t[base, a][key] / t[design, a][key]
                acc = lambda c: ("cos %.3f" % t[c, "measured"]["vs_float_cosine_similarity"]
                                 if m == "resnet34_face" else
                                 "%.1f dB" % t[c, "measured"]["vs_float_output_sqnr_db"])
                print("| %s | %s | %.2fx | %.2fx | %.2fx | %.2fx | %s | %s |" % (
                    name, m, ratio("cycles", "declared"), ratio("cycles", "measured"),
                    ratio("energy_pj", "declared"), ratio("energy_pj", "measured"), acc(base),
                    acc(design)))
    with_photos(table)


def measured_statistics(config, models):
    """Per model, MAC-weighted over its array layers: what the array sees, declared and measured."""
    def table(photos):
        print("| model | float zeros | input density declared | measured | A-DBB NNZ/8 declared |"
              " measured | non-zero products declared | measured | 4-of-8 kept |")
        print("|---|---|---|---|---|---|---|---|---|")
        for m in models:
            r = report(config, m, [], photos)
            layers = r["layers"][1:]  # the image input stays dense and 8-bit
            macs = sum(l["macs"] for l in layers)
            mean = lambda key: sum(l[key] * l["macs"] for l in layers) / macs
            print("| %s | %.3f | %.3f | %.3f | %.2f | %.2f | %.3f | %.3f | %.3f |" % (
                m, mean("activation_zero_fraction"), mean("input_density_declared"),
                mean("input_density_measured"), mean("adbb_nnz_declared"),
                mean("adbb_nnz_measured"), mean("product_density_declared"),
                mean("product_density_measured"), mean("adbb_density_4of8")))
    with_photos(table)


def scheme_accuracy(configs, workloads):
    """strata compare --inputs on the photographs: the designs' accuracy table alone."""
    def table(photos):
        args = ["strata", "compare", "-b", configs[0], "-w", ",".join(workloads), "--inputs",
                photos, "-q"]
        for c in configs[1:]:
            args += ["-c", c]
        out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
        print(out[out.index("| design | " + workloads[0] + " output SQNR vs float dB"):], end="")
    with_photos(table)


def pipeline_summary(configs):
    """strata pipeline's headline figures per config (docs/pipeline.md)."""
    print("| pipeline | timestamps | frames actuated | latency p50 / p99 / max (ms) |"
          " energy per frame (mJ) | by resource (mJ) | utilization | fusion stamp error p99 |")
    print("|---|---|---|---|---|---|---|---|")
    for c in configs:
        with tempfile.TemporaryDirectory() as out:
            subprocess.run(["strata", "pipeline", c, "--out", out, "--no-plots", "-q"], check=True,
                           stdout=subprocess.DEVNULL)
            with open(os.path.join(out, "pipeline_report.json")) as f:
                r = json.load(f)
        lat = r["latency_ms"]
        by = []
        use = []
        for res in r["resources"]:
            uj = sum(v for v in res["energy_per_frame_uj"].values() if v is not None)
            by.append("%s %.2f" % (res["name"], uj / 1e3))
            if "utilization" in res:
                use.append("%s %.1f %%" % (res["name"], 100 * res["utilization"]))
        fusion = []
        for fu in r["fusion"]:
            text = "%s: %s (%s)" % (fu["node"], fmt_us(fu["stamp_error_us"]["p99"]),
                                     fmt_m(fu["spatial_error_m"]["p99"]))
            if "motion_error_px" in fu:
                text = text[:-1] + ", %.3g px)" % fu["motion_error_px"]["p99"]
            fusion.append(text)
        print("| %s | %s | %d / %d | %.2f / %.2f / %.2f | %.2f | %s | %s | %s |" % (
            r["name"], r["timestamps"], r["frames"]["actuated"], r["frames"]["sampled"],
            lat["p50"], lat["p99"], lat["max"], r["energy"]["per_frame_mj"], ", ".join(by),
            ", ".join(use), "; ".join(fusion) or "-"))


def defense_cost(defended, recognizer, configs):
    """Per config: the recognizer alone against the defense in front of it (docs/seeds.md)."""
    print("| config (workload preparation) | recognizer ms | with defense ms | x | recognizer uJ |"
          " with defense uJ | x | DRAM MB alone | with defense | eigenface projection's share"
          " of the time |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for c in configs:
        alone = report(c, recognizer)
        both = report(c, defended)
        ta, tb = alone["totals"], both["totals"]
        mb = lambda t: (t["dram_read_bytes"] + t["dram_write_bytes"]) / 1e6
        eig = sum(l["latency_ms"] for l in both["layers"] if l["name"].startswith("recon."))
        prep = both["workload"].get("preparation") or {}
        prep = prep.get("settings", "") if isinstance(prep, dict) else prep
        print("| %s (%s) | %.3f | %.3f | %.1f | %.1f | %.1f | %.1f | %.2f | %.1f | %.0f %% |" % (
            os.path.basename(c), prep or "as listed", ta["latency_ms"], tb["latency_ms"],
            tb["latency_ms"] / ta["latency_ms"], ta["energy_per_inference_uj"],
            tb["energy_per_inference_uj"],
            tb["energy_per_inference_uj"] / ta["energy_per_inference_uj"], mb(ta), mb(tb),
            100 * eig / tb["latency_ms"]))


REWRITE = (".modulate", ".demod_sumsq", ".demod_rsqrt", ".demod_inverse", ".demodulate")


def where_it_goes(config, workload):
    """Time, energy and DRAM traffic by part of a network (docs/seeds.md)."""
    r = report(config, workload)
    freq = r["hardware"]["freq_mhz"] * 1e3  # cycles per ms
    groups = {}
    order = []

    def add(name, key, value):
        if name not in groups:
            groups[name] = {"macs": 0, "ms": 0.0, "mj": 0.0, "mb": 0.0}
            order.append(name)
        groups[name][key] += value

    for l in r["layers"]:
        g = l["name"].split(".")[0] + " (array)"
        add(g, "macs", l["macs"])
        add(g, "ms", (l["cycles"] - l["vector_stall_cycles"]) / freq)
        add(g, "mj", (l["energy_pj"] - l["vector_work_energy_pj"]) * 1e-9)
    vector_mb = 0.0
    for v in r["vector_layers"]:
        g = "weight rewrite (vector)" if v["name"].endswith(REWRITE) else "other vector work"
        mb = (v["dram_read_bytes"] + v["dram_write_bytes"]) / 1e6
        vector_mb += mb
        add(g, "ms", v["cycles"] / freq)
        add(g, "mj", v["energy_pj"] * 1e-9)
        add(g, "mb", mb)
    t = r["totals"]
    total_mb = (t["dram_read_bytes"] + t["dram_write_bytes"]) / 1e6
    array_mb = total_mb - vector_mb
    array_macs = sum(groups[g]["macs"] for g in order)
    for g in order:
        if g.endswith("(array)"):
            groups[g]["mb"] = array_mb * groups[g]["macs"] / array_macs if array_macs else 0
    print("| part | GMAC | busy ms | energy mJ | DRAM MB |")
    print("|---|---|---|---|---|")
    for g in order:
        x = groups[g]
        print("| %s | %s | %.2f | %.2f | %s |" % (
            g, "%.2f" % (x["macs"] / 1e9) if x["macs"] else "-", x["ms"], x["mj"],
            "%.0f" % x["mb"] if not g.endswith("(array)") else "(%.0f)" % x["mb"]))
    print()
    print("Total %.2f ms, %.1f mJ, %.0f MB of DRAM traffic; the array computes %.2f ms, waits %.2f"
          " ms for DRAM and %.2f ms for vector work. Array parts' DRAM in parentheses: their"
          " share of the array's traffic by MACs, an estimate." % (
              t["latency_ms"], t["energy_per_inference_uj"] / 1e3, total_mb,
              t["compute_cycles"] / freq, t["dram_stall_cycles"] / freq,
              t["vector_stall_cycles"] / freq))


def buffer_scaling(config, workload, sizes):
    """The three buffers at each size: where the network stops being DRAM-bound."""
    print("| buffers (each) | latency ms | DRAM stall share | vector-wait share | DRAM MB |"
          " energy mJ | DRAM energy share |")
    print("|---|---|---|---|---|---|---|")
    for kib in sizes:
        sets = ["buffers.%s.size_kib=%s" % (b, kib) for b in ("input", "weight", "output")]
        t = report(config, workload, sets)["totals"]
        print("| %s KiB | %.2f | %.1f %% | %.1f %% | %.0f | %.1f | %.1f %% |" % (
            kib, t["latency_ms"], 100 * t["dram_stall_cycles"] / t["cycles"],
            100 * t["vector_stall_cycles"] / t["cycles"],
            (t["dram_read_bytes"] + t["dram_write_bytes"]) / 1e6,
            t["energy_per_inference_uj"] / 1e3, 100 * t["energy_dram_pj"] / t["energy_pj"]))


def optics_energy(config, workloads):
    """The first layer digital (after an RGB readout) against optical (after reading its output)."""
    print("| workload | first layer | sensor values digital / optical | sensor uJ digital / optical |"
          " accelerator uJ digital / optical | total uJ digital / optical | digital / optical |")
    print("|---|---|---|---|---|---|---|")
    for w in workloads:
        d = report(config, w, ["sensor.enabled=true"])
        o = report(config, w, ["sensor.enabled=true", "optics.enabled=true"])
        layer = o["sensor"]["optical_first_layer"]
        td, to = d["totals"], o["totals"]
        print("| %s | %s: %dx%d, %d channels, %.0f MMAC | %s / %s | %.1f / %.1f | %.1f / %.1f |"
              " %.1f / %.1f | %.2fx |" % (
                  w, layer["name"], layer["kernel"], layer["kernel"], layer["out_channels"],
                  layer["macs"] / 1e6, format(td["sensor_values"], ","),
                  format(to["sensor_values"], ","), td["energy_sensor_uj"],
                  to["energy_sensor_uj"], td["energy_per_inference_uj"],
                  to["energy_per_inference_uj"], td["energy_with_sensor_uj"],
                  to["energy_with_sensor_uj"],
                  td["energy_with_sensor_uj"] / to["energy_with_sensor_uj"]))


def optics_illumination(spec):
    """The sweep over illumination with the first layer digital and optical, on the photographs."""
    def table(photos):
        with tempfile.TemporaryDirectory() as out:
            subprocess.run(["strata", "sweep", spec, "--out", out, "--inputs", photos, "-q"],
                           check=True)
            with open(os.path.join(out, "results.jsonl")) as f:
                rows = [json.loads(line) for line in f if line.strip()]
        bad = [r for r in rows if r["status"] != "ok"]
        if bad:
            sys.exit("optics-illumination: %d rows failed: %s" % (len(bad), bad[0]["error"]))
        cell = {}
        for r in rows:
            a = r["axes"]
            cell[(r["workload"], a["sensor.white_electrons"], a["optics.enabled"])] = r
        workloads = sorted({k[0] for k in cell})
        whites = sorted({k[1] for k in cell})
        print("| workload | white pixel e- | e- per pixel read, camera / optics |"
              " sensor SQNR dB, camera / optics | output SQNR dB, camera / optics |"
              " output cosine, camera / optics |")
        print("|---|---|---|---|---|---|")
        for w in workloads:
            for e in whites:
                c, o = cell[(w, e, False)], cell[(w, e, True)]
                print("| %s | %s | %.1f / %.2f | %.1f / %.1f | %.1f / %.1f | %.4f / %.4f |" % (
                    w, format(e, ","), c["sensor_electrons_per_pixel"],
                    o["sensor_electrons_per_pixel"], c["sensor_sqnr_db"], o["sensor_sqnr_db"],
                    c["vs_float_output_sqnr_db"], o["vs_float_output_sqnr_db"],
                    c["vs_float_cosine_similarity"], o["vs_float_cosine_similarity"]))
        with open(spec) as f:
            base = os.path.join(os.path.dirname(spec), json.load(f)["base"])
        print()
        exact = []
        for w in workloads:
            c = report(base, w, ["sensor.noise=false"], photos)["totals"]
            o = report(base, w, ["sensor.noise=false", "optics.enabled=true"], photos)["totals"]
            exact.append("%s %.1f / %.1f dB, cosine %.4f / %.4f" % (
                w, c["vs_float_output_sqnr_db"], o["vs_float_output_sqnr_db"],
                c["vs_float_cosine_similarity"], o["vs_float_cosine_similarity"]))
        print("Without sensor noise (sensor.noise = false), output SQNR camera / optics: " +
              "; ".join(exact) + ".")
    with_photos(table)


def fusion(config, workload):
    """One workload at each vector.fusion level (docs/vector.md)."""
    print("| vector.fusion | latency ms | energy uJ | vector work's share | DRAM MB | of it vector"
          " layers' | passes on the unit | layers in output stages |")
    print("|---|---|---|---|---|---|---|---|")
    for level in ("none", "elementwise", "epilogue"):
        r = report(config, workload, ["vector.fusion=" + level])
        t = r["totals"]
        v = r["vector_layers"]
        mb = lambda rows: sum(x["dram_read_bytes"] + x["dram_write_bytes"] for x in rows) / 1e6
        unit = sum(1 for x in v if x["fused_into"] == "" and x["runs_in"] == "vector unit")
        stage = sum(1 for x in v if x["runs_in"].startswith("output stage"))
        print("| %s | %.2f | %.0f | %.0f %% | %.1f | %.1f | %d of %d | %d |" % (
            level, t["latency_ms"], t["energy_per_inference_uj"],
            100 * t["vector_work_energy_share"], mb([t]), mb(v), unit, len(v), stage))


def fmt_us(us):
    return "%.3g ns" % (us * 1e3) if us < 1 else "%.3g us" % us if us < 1000 else "%.3g ms" % (us / 1e3)


def fmt_m(m):
    return "%.3g um" % (m * 1e6) if m < 1e-3 else "%.3g mm" % (m * 1e3) if m < 0.01 else "%.3g cm" % (m * 100)


def main(argv):
    if len(argv) >= 2 and argv[0] == "folds":
        folds(argv[1:])
    elif len(argv) >= 3 and argv[0] == "energy-breakdown":
        energy_breakdown(argv[1], argv[2], argv[3:])
    elif len(argv) >= 2 and argv[0] == "sync-summary":
        sync_summary(argv[1:])
    elif len(argv) == 2 and argv[0] == "weight-sqnr":
        weight_sqnr(argv[1])
    elif len(argv) >= 3 and argv[0] == "vector-breakdown":
        vector_breakdown(argv[1], argv[2:])
    elif len(argv) == 4 and argv[0] == "skim-speedup":
        skim_speedup(argv[1], argv[2], argv[3])
    elif len(argv) >= 2 and argv[0] == "measured-ratios":
        measured_ratios(argv[1:])
    elif len(argv) >= 5 and argv[0] == "scheme-accuracy" and "--" in argv:
        split = argv.index("--")
        scheme_accuracy(argv[1:split], argv[split + 1:])
    elif len(argv) >= 4 and argv[0] == "defense-cost":
        defense_cost(argv[1], argv[2], argv[3:])
    elif len(argv) >= 3 and argv[0] == "optics-energy":
        optics_energy(argv[1], argv[2:])
    elif len(argv) == 2 and argv[0] == "optics-illumination":
        optics_illumination(argv[1])
    elif len(argv) == 3 and argv[0] == "where-it-goes":
        where_it_goes(argv[1], argv[2])
    elif len(argv) >= 4 and argv[0] == "buffer-scaling":
        buffer_scaling(argv[1], argv[2], argv[3:])
    elif len(argv) >= 2 and argv[0] == "pipeline-summary":
        pipeline_summary(argv[1:])
    elif len(argv) == 3 and argv[0] == "fusion":
        fusion(argv[1], argv[2])
    elif len(argv) >= 3 and argv[0] == "measured-statistics":
        measured_statistics(argv[1], argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
