#include "sim/report/report.h"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "common/printable.h"
#include "sim/report/columns.h"

namespace strata {
namespace {

using J = nlohmann::json;

// One interval's object, every column by name; a null only where the column allows it.
J interval_object(const std::vector<Column>& columns, const RowContext& row) {
  return row_object(columns, row, row.interval.name);
}

std::string tpe_name(const TpeShape& t) {
  return std::to_string(t.a) + "x" + std::to_string(t.b) + "x" + std::to_string(t.c);
}

}  // namespace

// Functional mode's run: what ran on what, and how closely every network output follows float.
nlohmann::json functional_json(const PreparedRun& run) {
  const FunctionalResult& f = *run.functional;
  nlohmann::json files = nlohmann::json::array();
  for (const auto& file : f.input_files) {
    const size_t slash = file.find_last_of('/');
    // File names are bytes, not always UTF-8: escaped (JSON holds UTF-8 only).
    files.push_back(printable(slash == std::string::npos ? file : file.substr(slash + 1)));
  }
  nlohmann::json outputs = nlohmann::json::array();
  for (const auto& o : f.outputs) {
    auto finite = [](double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(); };
    outputs.push_back({{"name", o.name},
                       {"elements", o.elements},
                       {"sqnr_db", finite(o.sqnr_db())},
                       {"top1_agreement", finite(o.top1_agreement())},
                       {"mean_cosine_similarity", finite(o.mean_cosine())}});
  }
  return {
      {"inputs", files},
      {"input_count", f.input_files.size()},
      {"preprocessing", f.preprocessing},
      {"activation_calibration", f.activation_rule},
      {"activations_used", run.params.functional->measured_activations ? "measured" : "declared"},
      {"primary_output", f.outputs.at(f.primary).name},
      {"outputs", outputs}};
}

J report_json(const PreparedRun& run, const RunResult& result) {
  J report;
  report["strata_version"] = STRATA_VERSION;
  report["config"] = {{"name", run.params.name}, {"source", run.config.source}};
  report["workload"] = {{"name", run.workload.name},
                        {"source", run.workload.source},
                        {"layers", run.workload.layers.size()}};
  report["workload"]["names_vector_layers"] = run.workload.names_vector_layers;
  report["workload"]["vector_layers"] = run.workload.vector_layers.size();
  const WeightProvenance& weights = run.workload.weights;
  J weight_files = J::array();
  for (const auto& f : weights.files) {
    weight_files.push_back({{"name", f.name}, {"sha256", f.sha256}});
  }
  report["workload"]["weights"] = {
      {"provenance", weights.kind()},
      {"real_layers", weights.real_layers},
      {"synthetic_layers", weights.synthetic_layers},
      {"files", weight_files},
      {"synthetic", weights.synthetic.empty() ? J(nullptr) : J(weights.synthetic)},
      {"summary", weights.describe()}};
  const bool costed = run.soc.controller.vector.enabled;
  if (costed && result.vector_layers.size() != run.workload.vector_layers.size()) {
    throw std::logic_error("the run has " + std::to_string(result.vector_layers.size()) +
                           " vector-layer results for " +
                           std::to_string(run.workload.vector_layers.size()) + " vector layers");
  }
  J vector = J::array();
  for (size_t i = 0; i < run.workload.vector_layers.size(); ++i) {
    const VectorLayer& v = run.workload.vector_layers[i];
    vector.push_back(row_object(vector_layer_columns(),
                                {run, v, costed ? &result.vector_layers[i] : nullptr}, v.name));
  }
  report["vector_layers"] = vector;
  report["vector_unit"] = {{"enabled", costed},
                           {"lanes", run.soc.controller.vector.lanes},
                           {"freq_mhz", run.soc.controller.vector.freq_mhz},
                           {"fuse_epilogue", run.soc.controller.vector.fuse_epilogue},
                           {"fusion", to_string(run.soc.controller.vector.fusion)}};
  if (run.front_end_ran) {
    report["workload"]["preparation"] = {{"by", "config (workload.*)"},
                                         {"settings", run.params.prep.describe()},
                                         {"weight_sqnr_db", run.quant.weight_sqnr_db},
                                         {"weight_density", run.quant.weight_density},
                                         {"low_bit_mac_share", run.quant.low_bit_mac_share}};
  }
  if (run.functional) report["functional"] = functional_json(run);
  report["hardware"] = {{"array_rows", run.soc.array.geometry.rows},
                        {"array_cols", run.soc.array.geometry.cols},
                        {"dataflow", to_string(run.soc.array.dataflow)},
                        {"freq_mhz", run.soc.freq_mhz},
                        {"timing_convention", to_string(run.soc.controller.tiling.convention)},
                        {"tech_node_nm", run.tech.node_nm},
                        {"pe", to_string(run.soc.array.pe.kind)},
                        {"sparsity", to_string(run.soc.array.sparsity.kind)},
                        {"tpe", tpe_name(run.soc.array.sparsity.tpe)},
                        {"leakage_mw", result.leakage_mw}};
  J area = J::object();
  for (const auto& c : area_components()) area[c] = result.area_mm2.at(c);
  report["hardware"]["area_mm2"] = total_area_mm2(result.area_mm2);
  if (run.sensor_readout) {
    const SensorReadout& s = *run.sensor_readout;
    J sensor = {{"values", s.values},
                {"readout_energy_uj", s.readout_pj * 1e-6},
                {"link_energy_uj", s.link_pj * 1e-6},
                {"frame_time_ms", s.frame_time_us * 1e-3},
                {"optical_first_layer", nullptr},
                {"noise", nullptr}};
    if (run.functional && run.functional->sensed) {
      const FunctionalResult& f = *run.functional;
      const SensorNoiseParams& n = run.params.sensor->noise_model;
      sensor["noise"] = {
          {"white_electrons", n.white_electrons},
          {"full_well_electrons", n.full_well_electrons},
          {"read_noise_electrons", n.read_noise_electrons},
          {"electrons_per_pixel", f.sensor_mean_electrons()},
          {"sqnr_db", std::isfinite(f.sensor_sqnr_db()) ? J(f.sensor_sqnr_db()) : J()}};
    }
    if (run.optical_layer) {
      const Layer& l = *run.optical_layer;
      sensor["optical_first_layer"] = {{"name", l.name},       {"macs", l.macs()},
                                       {"kernel", l.kernel_h}, {"out_channels", l.out_c},
                                       {"out_h", l.out_h()},   {"out_w", l.out_w()}};
    }
    report["sensor"] = sensor;
  } else {
    report["sensor"] = nullptr;
  }
  report["hardware"]["area_breakdown_mm2"] = area;
  report["totals"] = interval_object(totals_columns(), {run, result, result.totals, nullptr, 0});
  J layers = J::array();
  for (size_t i = 0; i < result.layers.size(); ++i) {
    layers.push_back(interval_object(layer_columns(),
                                     {run, result, result.layers[i], &run.workload.layers[i], i}));
  }
  report["layers"] = layers;
  J stats = J::array();
  for (const auto& s : result.stat_info) {
    stats.push_back({{"path", s.path},
                     {"unit", s.unit},
                     {"description", s.description},
                     {"value", result.totals.counts.at(s.path)}});
  }
  report["stats"] = stats;
  return report;
}

std::string layers_csv(const J& report) {
  return rows_csv(column_names(layer_columns()), report.at("layers"));
}

std::string vector_layers_csv(const J& report) {
  return rows_csv(column_names(vector_layer_columns()), report.at("vector_layers"));
}

std::string report_table(const J& r) {
  std::ostringstream s;
  char line[512];
  const auto& hw = r["hardware"];
  s << "strata " << r["strata_version"].get<std::string>() << ": "
    << r["workload"]["name"].get<std::string>() << " on " << hw["array_rows"] << "x"
    << hw["array_cols"] << " " << hw["dataflow"].get<std::string>() << " array @ " << hw["freq_mhz"]
    << " MHz (" << hw["timing_convention"].get<std::string>() << " timing, " << hw["tech_node_nm"]
    << " nm energy)\n";
  s << "PE " << hw["pe"].get<std::string>() << ", sparsity " << hw["sparsity"].get<std::string>()
    << ", tensor PE " << hw["tpe"].get<std::string>() << "\n";
  s << "weights " << r["workload"]["weights"]["summary"].get<std::string>() << "\n";
  const auto& vu = r["vector_unit"];
  if (!vu["enabled"].get<bool>()) {
    s << "vector unit off (vector.enabled = false): the work between the array layers costs "
         "nothing\n";
  } else if (!r["workload"]["names_vector_layers"].get<bool>()) {
    s << "the workload lists array layers only (a trace or topology): no vector work between "
         "them\n";
  }
  if (r["workload"].contains("preparation")) {
    const auto& p = r["workload"]["preparation"];
    std::snprintf(line, sizeof line,
                  "workload prepared by the config: %s; weight SQNR %.2f dB, weight density "
                  "%.1f%%, %.1f%% of weight-layer MACs below 8 bits\n",
                  p["settings"].get<std::string>().c_str(), p["weight_sqnr_db"].get<double>(),
                  100 * p["weight_density"].get<double>(),
                  100 * p["low_bit_mac_share"].get<double>());
    s << line;
  }
  s << "\n";
  std::snprintf(line, sizeof line, "%-24s %14s %12s %12s %7s %12s %12s %12s\n", "layer", "MACs",
                "cycles", "stall", "util%", "DRAM rd kB", "DRAM wr kB", "energy uJ");
  s << line;
  auto row = [&](const std::string& name, const J& l) {
    std::snprintf(line, sizeof line, "%-24s %14lld %12lld %12lld %7.1f %12.1f %12.1f %12.3f\n",
                  name.substr(0, 24).c_str(), static_cast<long long>(l["macs"].get<int64_t>()),
                  static_cast<long long>(l["cycles"].get<int64_t>()),
                  static_cast<long long>(l["stall_cycles"].get<int64_t>()),
                  100.0 * l["utilization"].get<double>(), l["dram_read_bytes"].get<double>() / 1e3,
                  l["dram_write_bytes"].get<double>() / 1e3, l["energy_pj"].get<double>() * 1e-6);
    s << line;
  };
  for (const auto& l : r["layers"]) row(l["name"].get<std::string>(), l);
  const auto& t = r["totals"];
  s << std::string(113, '-') << "\n";
  row("total", t);
  s << "\n";
  std::snprintf(line, sizeof line,
                "latency %.4f ms | %.1f inferences/s | energy %.3f uJ/inference | %.3f TOPS/W | "
                "utilization %.1f%%",
                t["latency_ms"].get<double>(), t["inferences_per_s"].get<double>(),
                t["energy_per_inference_uj"].get<double>(), t["tops_per_w"].get<double>(),
                100.0 * t["utilization"].get<double>());
  s << line;
  // A sparse array's peak counts the zeros it skips: say what the multipliers themselves did.
  const double physical = t["physical_utilization"].get<double>();
  if (std::fabs(physical - t["utilization"].get<double>()) > 5e-4) {
    std::snprintf(line, sizeof line,
                  " of the dense-equivalent peak (%.1f%% of the multipliers' physical peak)",
                  100.0 * physical);
    s << line;
  }
  if (vu["enabled"].get<bool>()) {
    std::snprintf(
        line, sizeof line,
        "\nvector unit (%lld lanes @ %g MHz, epilogue %s): %zu operations, busy %.1f%% "
        "of the inference, array waiting on it %.1f%%; its work (lanes, buffer and DRAM "
        "traffic) %.1f%% of the energy, its lanes alone %.2f%%",
        static_cast<long long>(vu["lanes"].get<int64_t>()), vu["freq_mhz"].get<double>(),
        vu["fuse_epilogue"].get<bool>() ? "fused" : "on the vector unit", r["vector_layers"].size(),
        100.0 * t["vector_cycle_share"].get<double>(),
        t["cycles"].get<double>() > 0
            ? 100.0 * t["vector_stall_cycles"].get<double>() / t["cycles"].get<double>()
            : 0.0,
        100.0 * t["vector_work_energy_share"].get<double>(),
        t["energy_pj"].get<double>() > 0
            ? 100.0 * t["energy_vector_lanes_pj"].get<double>() / t["energy_pj"].get<double>()
            : 0.0);
    s << line;
  }
  if (r.contains("functional")) {
    // What the quantized network does on the inputs, and which statistics timing used.
    const auto& f = r["functional"];
    const std::string primary = f["primary_output"].get<std::string>();
    auto figure = [&](const char* column, const char* format) {
      const auto& v = t[column];
      if (!v.is_number()) return std::string("-");
      char b[32];
      std::snprintf(b, sizeof b, format, v.get<double>());
      return std::string(b);
    };
    s << "\nfunctional: " << f["input_count"].get<size_t>() << " inputs, " << primary
      << " on the quantized path against the float network (agreement, not accuracy against "
         "labels): SQNR "
      << figure("vs_float_output_sqnr_db", "%.2f") << " dB, argmax agreement "
      << figure("vs_float_top1_agreement", "%.3f") << ", cosine "
      << figure("vs_float_cosine_similarity", "%.4f") << "; timing and energy use the "
      << f["activations_used"].get<std::string>() << " activation statistics";
  }
  if (r["sensor"].is_object()) {
    const auto& sn = r["sensor"];
    std::snprintf(line, sizeof line, "\nsensor: %lld values per inference, %.1f uJ, frame %.3f ms",
                  static_cast<long long>(sn["values"].get<int64_t>()),
                  t["energy_sensor_uj"].get<double>(), sn["frame_time_ms"].get<double>());
    s << line;
    if (sn["optical_first_layer"].is_object()) {
      s << "; first layer '" << sn["optical_first_layer"]["name"].get<std::string>()
        << "' in optics";
    }
    if (sn["noise"].is_object() && sn["noise"]["sqnr_db"].is_number()) {
      std::snprintf(line, sizeof line, "; noise: SQNR %.2f dB at %.0f e- per pixel",
                    sn["noise"]["sqnr_db"].get<double>(),
                    sn["noise"]["electrons_per_pixel"].get<double>());
      s << line;
    }
  }
  s << "\nenergy by component (uJ):";
  for (const auto& c : EnergyModel::components()) {
    std::snprintf(line, sizeof line, " %s %.3f", c.c_str(),
                  t["energy_" + c + "_pj"].get<double>() * 1e-6);
    s << line;
  }
  s << "\n";
  std::snprintf(line, sizeof line, "area %.3f mm2 (leakage %.2f mW):", hw["area_mm2"].get<double>(),
                hw["leakage_mw"].get<double>());
  s << line;
  for (const auto& c : area_components()) {
    std::snprintf(line, sizeof line, " %s %.3f", c.c_str(),
                  hw["area_breakdown_mm2"][c].get<double>());
    s << line;
  }
  s << "\n";
  return s.str();
}

}  // namespace strata
