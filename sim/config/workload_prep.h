#pragma once
// The workload preparation a config asks for (`workload.*` keys, docs/configs.md): the
// quantization and sparsity its hardware expects. Given a zoo name, `strata run` runs the front
// end with these settings and simulates the resulting trace.
#include <cstdint>
#include <map>
#include <string>

#include "sim/config/param_specs.h"
#include "workloads/quant/dbb.h"

namespace strata {

struct WorkloadPrep {
  std::string scheme = "none";  // "none": zoo shapes at precision.*; else a front-end scheme
  int bits = 8;
  DbbSpec weight_dbb;
  DbbSpec activation_dbb;          // uniform NNZ_a (every layer but the image input)
  double activation_dbb_keep = 0;  // > 0: per-layer NNZ_a by the keep rule ("auto")
  std::map<std::string, DbbSpec> layer_activation_dbb;
  uint64_t seed = 1;
  bool enabled() const { return scheme != "none"; }
  std::string describe() const;  // "ant4-8 4-bit, W-DBB 4/8, A-DBB auto (keep 0.99)"
};

// Throws InputError naming the config file and key for a malformed value.
WorkloadPrep workload_prep(const ResolvedConfig& c);

}  // namespace strata
