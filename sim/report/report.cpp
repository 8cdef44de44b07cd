#include "sim/report/report.h"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace strata {
namespace {

using J = nlohmann::json;

const char* kBuffers[] = {"input_buffer", "weight_buffer", "output_buffer"};

std::string layer_shape(const Layer& l) {
  std::ostringstream s;
  if (l.type == LayerType::kGemm) {
    s << "gemm " << (l.batch > 1 ? std::to_string(l.batch) + "x" : "") << l.m << "x" << l.k << "x"
      << l.n;
  } else {
    s << "conv " << l.kernel_h << "x" << l.kernel_w << "/" << l.stride_h << " " << l.in_h << "x"
      << l.in_w << "x" << l.in_c << "->" << l.out_c;
    if (l.groups > 1) s << " g" << l.groups;
    if (l.batch > 1) s << " n" << l.batch;
  }
  return s.str();
}

J interval_json(const IntervalResult& r, double freq_mhz, int64_t pes) {
  auto count = [&](const std::string& p) -> int64_t {
    auto it = r.counts.find(p);
    return it == r.counts.end() ? 0 : it->second;
  };
  J j;
  j["name"] = r.name;
  j["macs"] = r.macs;
  j["cycles"] = r.timing.cycles;
  j["compute_cycles"] = r.timing.compute_cycles;
  j["stall_cycles"] = r.timing.stall_cycles;
  // The array busy beyond its compute cycles waited on a buffer port; the rest of the stall is
  // waiting for the DMA (DRAM).
  const int64_t port_stall = count("soc.array.busy_cycles") - count("soc.array.compute_cycles");
  j["buffer_port_stall_cycles"] = port_stall;
  j["dram_stall_cycles"] = r.timing.stall_cycles - port_stall;
  j["folds"] = r.timing.folds;
  j["latency_ms"] = static_cast<double>(r.timing.cycles) / (freq_mhz * 1e3);
  // A fused PE's peak is several MACs per cycle at narrow widths: the interval's average peak
  // per PE-cycle (1 for an int PE).
  const double pe_cycles = count("soc.array.pe_cycles");
  const double per_pe_cycle = pe_cycles > 0 ? count("soc.array.peak_macs") / pe_cycles : 1.0;
  j["utilization"] = r.timing.cycles > 0
                         ? static_cast<double>(r.macs) /
                               (static_cast<double>(r.timing.cycles) * pes * per_pe_cycle)
                         : 0.0;
  j["dram_read_bytes"] = count("soc.dram.read_bytes");
  j["dram_write_bytes"] = count("soc.dram.write_bytes");
  J sram = J::object();
  for (const char* b : kBuffers) {
    sram[b] = {{"read_bytes", count(std::string("soc.") + b + ".read_bytes")},
               {"write_bytes", count(std::string("soc.") + b + ".write_bytes")}};
  }
  j["sram"] = sram;
  j["energy_pj"] = r.energy_total_pj();
  J e = J::object();
  for (const auto& c : EnergyModel::components()) e[c] = r.energy_pj.at(c);
  j["energy_breakdown_pj"] = e;
  return j;
}

std::string tpe_name(const TpeShape& t) {
  return std::to_string(t.a) + "x" + std::to_string(t.b) + "x" + std::to_string(t.c);
}

std::string loop_order_name(LoopOrder o) {
  return o == LoopOrder::kColsOuter ? "cols_outer" : "rows_outer";
}

}  // namespace

J report_json(const PreparedRun& run, const RunResult& result) {
  J report;
  report["strata_version"] = STRATA_VERSION;
  report["config"] = {{"name", run.config.get_string("name")}, {"source", run.config.source}};
  report["workload"] = {{"name", run.workload.name},
                        {"source", run.workload.source},
                        {"layers", run.workload.layers.size()}};
  if (run.front_end_ran) {
    report["workload"]["preparation"] = {{"by", "config (workload.*)"},
                                         {"settings", run.prep.describe()},
                                         {"weight_sqnr_db", run.quant.weight_sqnr_db},
                                         {"weight_density", run.quant.weight_density},
                                         {"low_bit_mac_share", run.quant.low_bit_mac_share}};
  }
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
  report["hardware"]["area_breakdown_mm2"] = area;
  J totals = interval_json(result.totals, result.freq_mhz, result.array_pes);
  totals.erase("name");
  const double latency_ms = totals["latency_ms"].get<double>();
  const double energy_pj = totals["energy_pj"].get<double>();
  totals["inferences_per_s"] = latency_ms > 0 ? 1000.0 / latency_ms : 0.0;
  totals["energy_per_inference_uj"] = energy_pj * 1e-6;
  totals["tops_per_w"] =
      energy_pj > 0 ? 2.0 * static_cast<double>(result.totals.macs) / energy_pj : 0.0;
  totals["effective_tops"] =
      latency_ms > 0 ? 2.0 * static_cast<double>(result.totals.macs) / (latency_ms * 1e9) : 0.0;
  report["totals"] = totals;
  J layers = J::array();
  for (size_t i = 0; i < result.layers.size(); ++i) {
    const Layer& l = run.workload.layers[i];
    J j = interval_json(result.layers[i], result.freq_mhz, result.array_pes);
    j["shape"] = layer_shape(l);
    j["loop_order"] = loop_order_name(result.layers[i].timing.loop_order);
    j["stream_block"] = result.layers[i].timing.stream_block;
    j["prefetch_depth"] = result.layers[i].timing.prefetch_depth;
    const OperandBits bits = layer_operand_bits(run.soc.controller.tiling.bits, run.workload, i);
    j["input_bits"] = bits.input;
    j["weight_bits"] = bits.weight;
    if (result.layers[i].bittrue) {
      const BitTrueLayerResult& b = result.layers[i].bittrue_result;
      j["output_sqnr_db"] = std::isfinite(b.output_sqnr_db) ? J(b.output_sqnr_db) : J(nullptr);
      j["requantized_output_sqnr_db"] =
          std::isfinite(b.requantized_sqnr_db) ? J(b.requantized_sqnr_db) : J(nullptr);
      j["output_sqnr_reference"] = b.reference;
    }
    layers.push_back(j);
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
  std::ostringstream s;
  s << "name,shape,macs,cycles,compute_cycles,stall_cycles,dram_stall_cycles,buffer_port_stall_"
       "cycles,folds,"
       "utilization,latency_ms,"
       "dram_read_bytes,dram_write_bytes";
  for (const char* b : kBuffers) s << "," << b << "_read_bytes," << b << "_write_bytes";
  s << ",energy_pj";
  for (const auto& c : EnergyModel::components()) s << ",energy_" << c << "_pj";
  s << "\n";
  for (const auto& l : report["layers"]) {
    s << l["name"].get<std::string>() << "," << l["shape"].get<std::string>() << "," << l["macs"]
      << "," << l["cycles"] << "," << l["compute_cycles"] << "," << l["stall_cycles"] << ","
      << l["folds"] << "," << l["utilization"] << "," << l["latency_ms"] << ","
      << l["dram_read_bytes"] << "," << l["dram_write_bytes"];
    for (const char* b : kBuffers)
      s << "," << l["sram"][b]["read_bytes"] << "," << l["sram"][b]["write_bytes"];
    s << "," << l["energy_pj"];
    for (const auto& c : EnergyModel::components()) s << "," << l["energy_breakdown_pj"][c];
    s << "\n";
  }
  return s.str();
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
                "utilization %.1f%%\n",
                t["latency_ms"].get<double>(), t["inferences_per_s"].get<double>(),
                t["energy_per_inference_uj"].get<double>(), t["tops_per_w"].get<double>(),
                100.0 * t["utilization"].get<double>());
  s << line << "energy by component (uJ):";
  for (const auto& c : EnergyModel::components()) {
    std::snprintf(line, sizeof line, " %s %.3f", c.c_str(),
                  t["energy_breakdown_pj"][c].get<double>() * 1e-6);
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
