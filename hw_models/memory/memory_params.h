#pragma once
// Validated parameters of the memory components (filled by sim/config; never parsed here).
#include <cstdint>
#include <string>

#include "hw_models/memory/banked_dram_params.h"

namespace strata {

struct SramParams {
  int64_t size_bytes = 0;
  int64_t banks = 1;
  int64_t word_bits = 64;
  bool double_buffered = true;
  int64_t word_bytes() const { return word_bits / 8; }
  // Bytes that may stay resident across folds: the other half takes the prefetch.
  int64_t resident_capacity_bytes() const { return double_buffered ? size_bytes / 2 : size_bytes; }
};

enum class DramModel { kSimple, kBanked };

struct DramParams {
  DramModel model = DramModel::kSimple;
  // The energy table's pJ/bit entry: simple DRAM's energy, and a banked part's without datasheet
  // currents.
  std::string type = "lpddr4";
  // Simple: a bandwidth, a latency and bursts.
  double bandwidth_gbps = 25.6;  // GB/s
  double latency_ns = 100.0;     // first data after a request
  int64_t burst_bytes = 64;      // transfers are rounded up to whole bursts
  // Banked: the preset with the config's overrides applied (validated).
  DramPreset banked;
  bool is_banked() const { return model == DramModel::kBanked; }
  // Peak bandwidth in GB/s, either model.
  double peak_gbps() const { return is_banked() ? banked.params.peak_gbps() : bandwidth_gbps; }
};

}  // namespace strata
