#pragma once
// Validated parameters of the memory components (filled by sim/config; never parsed here).
#include <cstdint>
#include <string>

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

struct DramParams {
  std::string type = "lpddr4";
  double bandwidth_gbps = 25.6;  // GB/s
  double latency_ns = 100.0;     // first data after a request
  int64_t burst_bytes = 64;      // transfers are rounded up to whole bursts
};

}  // namespace strata
