#pragma once
// SQuant's data-free rounding (docs/references.md §2): start from round-to-nearest, then flip
// elements up or down so that the rounding errors cancel, first per kernel (stage K), then per
// output channel (stage C) using one candidate handed over by each kernel.
#include <cstdint>
#include <vector>

#include "workloads/quant/weight_tensor.h"

namespace strata {

struct SquantShape {
  int64_t channels = 1;
  int64_t kernels_per_channel = 1;  // input channels (per group)
  int64_t kernel_size = 1;          // kh * kw; 1 (1x1, FC) skips stage K
};

// The continuous grid positions of SQuant's per-channel asymmetric grid (docs/references.md §2):
// x = scale_inv * w - zp with scale_inv = (2^b-1)/(max-min), zp = round(scale_inv*min) + 2^(b-1).
struct SquantGrid {
  std::vector<double> x;
  std::vector<double> scale_inv, zp;  // per output channel
  int64_t t_min = 0, t_max = 0;
};
SquantGrid squant_grid(const WeightTensor& w, int bits);

// `x` are continuous grid values (channel-major, kernels contiguous); returns the integer grid
// values in [t_min, t_max]. `channel_stage = false` stops after stage K (for tests).
std::vector<int64_t> squant_round(const std::vector<double>& x, const SquantShape& shape,
                                  int64_t t_min, int64_t t_max, bool channel_stage = true);

}  // namespace strata
