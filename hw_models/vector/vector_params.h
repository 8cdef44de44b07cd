#pragma once
// Validated parameters of the vector unit (filled by sim/config; never parsed here).
#include <cstdint>

#include "hw_models/vector/vector_fusion.h"

namespace strata {

struct VectorUnitParams {
  bool enabled = true;        // false: vector work is not simulated (the array alone)
  int64_t lanes = 32;         // lane operations per cycle
  double freq_mhz = 1000.0;   // its clock (the config's default: the array's)
  bool fuse_epilogue = true;  // bias, activation and requantization ride the array's output
  VectorFusion fusion = VectorFusion::kNone;  // which vector layers run together
  int64_t element_bits = 8;                   // activation width it reads and writes
  int64_t accum_bits = 32;                    // partial-sum width an unfused epilogue reads
  // Its port into the output buffer (bytes per array-clock cycle), and how much of that buffer an
  // operation may keep on chip: inputs and outputs larger than this stream through DRAM.
  int64_t port_bytes_per_cycle = 64;
  int64_t buffer_bytes = 0;
};

}  // namespace strata
