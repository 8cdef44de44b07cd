#include "sim/energy/area_model.h"

#include <algorithm>
#include <cmath>

namespace strata {
namespace {

constexpr double kUm2PerMm2 = 1e6;
const char* kBufferNames[] = {"input_buffer", "weight_buffer", "output_buffer"};

bool is_buffer(const std::string& c) {
  for (const char* b : kBufferNames) {
    if (c == b) return true;
  }
  return false;
}

}  // namespace

const std::vector<std::string>& area_components() {
  static const std::vector<std::string> c = {"mac",           "decoder",       "mux",
                                             "topk",          "register",      "input_buffer",
                                             "weight_buffer", "output_buffer", "vector"};
  return c;
}

AreaBreakdown area_breakdown(const SocParams& soc, const TechTable& t) {
  const ArrayParams& arr = soc.array;
  const SparsityParams& sp = arr.sparsity;
  const TpeShape& tpe = sp.tpe;
  const double units = static_cast<double>(arr.geometry.rows) * arr.geometry.cols;
  const double tpes = units / (tpe.a * tpe.c);
  const double slots = units * tpe.b;  // multipliers (or fusible PEs)
  const bool fused = arr.pe.kind != PeKind::kInt;
  const int operand_bits = fused ? 8 : arr.pe.int_bits;
  AreaBreakdown a;
  for (const auto& c : area_components()) a[c] = 0;
  const double mac_um2 = fused ? t.fusible_pe_area_um2
                               : t.int_mac_8b_area_um2 * (arr.pe.int_bits * arr.pe.int_bits) / 64.0;
  a["mac"] = slots * mac_um2 / kUm2PerMm2;
  // A tensor PE takes A x B activations and B x C weights per cycle, each decoded (ANT) and
  // registered once, and keeps A x C accumulators.
  const double operands_in = tpes * (tpe.a * tpe.b + tpe.b * tpe.c);
  if (arr.pe.kind == PeKind::kAnt) a["decoder"] = operands_in * t.ant_decoder_area_um2 / kUm2PerMm2;
  const bool dbb = sp.kind == SparsityKind::kDbb;
  if (dbb && (sp.weight_nnz < sp.bz || sp.activation_dbb)) {
    a["mux"] = slots * t.mux_8to1_8b_area_um2 / kUm2PerMm2;
  }
  if (dbb && sp.activation_dbb) {
    // One top-k unit per block of activations entering the array per cycle.
    const double lanes = static_cast<double>(arr.geometry.rows) * tpe.b;
    const double units_topk = std::max(1.0, std::ceil(lanes / sp.bz));
    a["topk"] = units_topk * t.topk_8_area_um2 / kUm2PerMm2;
  }
  const double register_bits =
      tpes * ((tpe.a * tpe.b + tpe.b * tpe.c) * operand_bits +
              static_cast<double>(tpe.a) * tpe.c * soc.controller.tiling.bits.accum);
  a["register"] = register_bits * t.register_bit_area_um2 / kUm2PerMm2;
  const SramParams* buffers[3] = {&soc.input_buffer, &soc.weight_buffer, &soc.output_buffer};
  for (int i = 0; i < 3; ++i) {
    const double bank_bytes = static_cast<double>(buffers[i]->size_bytes) / buffers[i]->banks;
    a[kBufferNames[i]] =
        buffers[i]->banks * t.sram_bank_area_mm2(bank_bytes, buffers[i]->word_bits);
  }
  const VectorUnitParams& v = soc.controller.vector;
  if (v.enabled) a["vector"] = static_cast<double>(v.lanes) * t.vector_lane_area_um2 / kUm2PerMm2;
  return a;
}

double total_area_mm2(const AreaBreakdown& a) {
  double total = 0;
  for (const auto& [c, mm2] : a) total += mm2;
  return total;
}

double leakage_power_mw(const AreaBreakdown& a, const TechTable& t) {
  // nW per um^2 is mW per mm^2.
  double mw = 0;
  for (const auto& [c, mm2] : a) {
    mw += mm2 * (is_buffer(c) ? t.sram_leakage_nw_per_um2 : t.logic_leakage_nw_per_um2);
  }
  return mw;
}

}  // namespace strata
