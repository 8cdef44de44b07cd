#include "sim/config/workload_prep.h"

#include <cstdio>
#include <stdexcept>

#include "common/input_error.h"

namespace strata {
namespace {

DbbSpec dbb_key(const ResolvedConfig& c, const std::string& key) {
  try {
    return parse_dbb(c.get_string(key));
  } catch (const std::invalid_argument& e) {
    throw InputError(c.source + ": " + key + ": " + e.what());
  }
}

}  // namespace

std::string WorkloadPrep::describe() const {
  if (!enabled()) return "none";
  std::string s = scheme + " " + std::to_string(bits) + "-bit";
  if (weight_dbb.enabled()) s += ", W-DBB " + weight_dbb.str();
  if (activation_dbb_keep > 0) {
    char keep[32];
    std::snprintf(keep, sizeof keep, "%g", activation_dbb_keep);
    s += std::string(", A-DBB auto (keep ") + keep + ")";
  } else if (activation_dbb.enabled()) {
    s += ", A-DBB " + activation_dbb.str();
  }
  if (!layer_activation_dbb.empty()) {
    s += " with " + std::to_string(layer_activation_dbb.size()) + " per-layer A-DBB overrides";
  }
  return s;
}

WorkloadPrep workload_prep(const ResolvedConfig& c) {
  WorkloadPrep p;
  p.scheme = c.get_string("workload.scheme");
  p.bits = static_cast<int>(c.get_int("workload.bits"));
  p.seed = static_cast<uint64_t>(c.get_int("workload.seed"));
  p.weight_dbb = dbb_key(c, "workload.weight_dbb");
  const std::string adbb = c.get_string("workload.activation_dbb");
  if (adbb == "auto") {
    p.activation_dbb_keep = c.get_float("workload.activation_dbb_keep");
    p.activation_dbb = {p.weight_dbb.bz, p.weight_dbb.bz};
  } else {
    p.activation_dbb = dbb_key(c, "workload.activation_dbb");
  }
  if (p.activation_dbb.bz != p.weight_dbb.bz) {
    throw InputError(c.source + ": workload.activation_dbb: block size " +
                     std::to_string(p.activation_dbb.bz) + " must equal workload.weight_dbb's (" +
                     std::to_string(p.weight_dbb.bz) + ")");
  }
  // "name=N/BZ,name=N/BZ"
  const std::string layers = c.get_string("workload.activation_dbb_layers");
  size_t start = 0;
  while (start < layers.size()) {
    size_t comma = layers.find(',', start);
    if (comma == std::string::npos) comma = layers.size();
    const std::string item = layers.substr(start, comma - start);
    const size_t eq = item.rfind('=');
    const std::string where = c.source + ": workload.activation_dbb_layers: '" + item + "'";
    if (eq == std::string::npos || eq == 0) throw InputError(where + ": expected NAME=NNZ/BZ");
    try {
      p.layer_activation_dbb[item.substr(0, eq)] = parse_dbb(item.substr(eq + 1));
    } catch (const std::invalid_argument& e) {
      throw InputError(where + ": " + e.what());
    }
    start = comma + 1;
  }
  if (!p.enabled() && (p.weight_dbb.enabled() || adbb != "8/8" || !layers.empty())) {
    throw InputError(c.source +
                     ": workload: DBB settings need a quantization scheme (workload.scheme)");
  }
  return p;
}

}  // namespace strata
