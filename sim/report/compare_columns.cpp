#include "sim/report/compare_columns.h"

#include <stdexcept>

#include "sim/report/columns.h"

namespace strata {
namespace {

using J = nlohmann::json;

// A figure of a report, read through the summary columns sweeps use.
double total(const J& r, const char* column) { return summary_value(r, column).get<double>(); }

// The compute cycles' time in ms, at the design's own clock.
double compute_ms(const J& r) { return total(r, "compute_cycles") / (total(r, "freq_mhz") * 1e3); }

double on_chip_energy(const J& r) { return total(r, "energy_pj") - total(r, "energy_dram_pj"); }

// The MAC-weighted mean of a per-layer column over the layers that have it (functional mode's
// measured figures); null when none does.
J mac_weighted_layer_mean(const J& r, const char* column) {
  double sum = 0, macs = 0;
  for (const auto& l : r.at("layers")) {
    if (!l.at(column).is_number()) continue;
    const double m = l.at("macs").get<double>();
    sum += m * l.at(column).get<double>();
    macs += m;
  }
  return macs > 0 ? J(sum / macs) : J(nullptr);
}

}  // namespace

const std::vector<CompareColumn>& compare_columns() {
  static const std::vector<CompareColumn> columns = {
      {"design", "-", "the config's file name without .json (distinct names: _2 on a repeat)",
       [](const CompareRow& r) { return J(r.design); }},
      {"config", "-", "the config as given", [](const CompareRow& r) { return J(r.config); }},
      {"workload", "-", "the workload as given", [](const CompareRow& r) { return J(r.workload); }},
      {"freq_mhz", "MHz", "the design's clock",
       [](const CompareRow& r) { return J(total(*r.report, "freq_mhz")); }},
      {"cycles", "cycles", "the inference's cycles at that clock",
       [](const CompareRow& r) { return summary_value(*r.report, "cycles"); }},
      {"latency_ms", "ms", "cycles / clock",
       [](const CompareRow& r) { return J(total(*r.report, "latency_ms")); }},
      {"compute_ms", "ms", "the compute cycles alone / clock",
       [](const CompareRow& r) { return J(compute_ms(*r.report)); }},
      {"energy_uj", "uJ", "energy per inference, DRAM included",
       [](const CompareRow& r) { return J(total(*r.report, "energy_pj") * 1e-6); }},
      {"on_chip_energy_uj", "uJ", "the same without DRAM",
       [](const CompareRow& r) { return J(on_chip_energy(*r.report) * 1e-6); }},
      {"speedup", "x", "baseline latency_ms / latency_ms (time, not cycles)",
       [](const CompareRow& r) {
         return J(total(*r.baseline, "latency_ms") / total(*r.report, "latency_ms"));
       }},
      {"compute_speedup", "x", "baseline compute_ms / compute_ms",
       [](const CompareRow& r) { return J(compute_ms(*r.baseline) / compute_ms(*r.report)); }},
      {"energy_reduction", "x", "baseline energy_uj / energy_uj",
       [](const CompareRow& r) {
         return J(total(*r.baseline, "energy_pj") / total(*r.report, "energy_pj"));
       }},
      {"on_chip_energy_reduction", "x", "baseline on_chip_energy_uj / on_chip_energy_uj",
       [](const CompareRow& r) {
         return J(on_chip_energy(*r.baseline) / on_chip_energy(*r.report));
       }},
      {"area_mm2", "mm^2", "area of the array and buffers",
       [](const CompareRow& r) { return J(total(*r.report, "area_mm2")); }},
      {"leakage_mw", "mW", "leakage power of that area",
       [](const CompareRow& r) { return J(total(*r.report, "leakage_mw")); }},
      {"weights", "-", "real, synthetic, mixed or none (report.json workload.weights)",
       [](const CompareRow& r) { return (*r.report)["workload"]["weights"]["provenance"]; }},
      {"weight_sqnr_db", "dB", "the prepared weights against their floats; null: not prepared",
       [](const CompareRow& r) {
         const J& w = (*r.report)["workload"];
         return w.contains("preparation") ? w["preparation"]["weight_sqnr_db"] : J(nullptr);
       },
       true},
      {"vs_float_output_sqnr_db", "dB",
       "--inputs: the primary output against the float network's (agreement, not accuracy)",
       [](const CompareRow& r) { return summary_value(*r.report, "vs_float_output_sqnr_db"); },
       true},
      {"vs_float_top1_agreement", "fraction", "--inputs: inputs whose argmax matches float's",
       [](const CompareRow& r) { return summary_value(*r.report, "vs_float_top1_agreement"); },
       true},
      {"vs_float_cosine_similarity", "-", "--inputs: mean cosine similarity to float's output",
       [](const CompareRow& r) { return summary_value(*r.report, "vs_float_cosine_similarity"); },
       true},
      {"input_density_measured", "fraction",
       "--inputs: non-zero input codes the array sees, MAC-weighted over the layers",
       [](const CompareRow& r) {
         return mac_weighted_layer_mean(*r.report, "input_density_measured");
       },
       true},
      {"product_density_measured", "fraction",
       "--inputs: MACs with both operands non-zero, MAC-weighted over the layers",
       [](const CompareRow& r) {
         return mac_weighted_layer_mean(*r.report, "product_density_measured");
       },
       true},
  };
  return columns;
}

J compare_value(const char* name, const CompareRow& row) {
  return column_named(compare_columns(), name).get(row);
}

}  // namespace strata
