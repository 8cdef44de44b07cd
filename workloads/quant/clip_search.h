#pragma once
// Fast squared error of quantizing one channel onto a scaled grid, for clip searches: the
// channel's values are sorted once with prefix sums, so each (grid, clip) pair costs one binary
// search per grid cell instead of a pass over the channel.
#include <cstdint>
#include <vector>

#include "workloads/quant/numeric_type.h"

namespace strata {

class SortedChannel {
 public:
  SortedChannel(const float* values, int64_t n);
  // Sum of squared errors when every value goes to its nearest grid value (ties up, clamped)
  // with scale = alpha / max(grid).
  double sse(const TypeCodec& codec, double alpha) const;
  double max_abs() const { return max_abs_; }
  double min() const { return sorted_.empty() ? 0 : sorted_.front(); }
  double max() const { return sorted_.empty() ? 0 : sorted_.back(); }

 private:
  std::vector<double> sorted_;
  std::vector<double> sum_, sum_sq_;  // prefix sums, size n+1
  double max_abs_ = 0;
};

// Clip ratios of ANT's search (reference.md 1.3): alpha = x_max * i / 100, i = first..149.
std::vector<double> ant_clip_ratios(int bits);

// Quantizes `n` values with one scale onto `codec`: writes codes and dequantized values.
void quantize_span(const TypeCodec& codec, const float* in, int64_t n, double scale, uint8_t* codes,
                   float* out);

}  // namespace strata
