#pragma once
// Fast clip search for one channel: its values are sorted once (radix sort for long channels),
// and the squared error of every candidate clip is updated incrementally (clip_search.cpp).
#include <cstdint>
#include <utility>
#include <vector>

#include "workloads/quant/numeric_type.h"

namespace strata {

// Sorted values between -inf and +inf sentinels, with prefix sums.
struct SortedValues {
  std::vector<float> guarded;  // [-inf, v0 <= v1 <= ... <= v(n-1), +inf]
  std::vector<double> prefix;  // prefix[i] = v0 + ... + v(i-1)
  size_t size() const { return prefix.empty() ? 0 : prefix.size() - 1; }
  const float* values() const { return guarded.data() + 1; }
};

class SortedChannel {
 public:
  SortedChannel() = default;
  SortedChannel(const float* values, int64_t n) { assign(values, n); }
  // Re-sorts for another channel, reusing the buffers (quantizers keep one per tensor).
  void assign(const float* values, int64_t n);
  // The clip among alpha = x_max * ratios[i] (ratios ascending) with the lowest error, and that
  // error. Cell boundaries move monotonically with alpha, so they are walked, not searched; grids
  // symmetric about zero (sign-magnitude types) are searched on the magnitudes, with half the
  // boundaries (a tie has the same error on either side, so the error is unchanged).
  std::pair<double, double> best_clip(const TypeCodec& codec, const std::vector<double>& ratios,
                                      double x_max) const;
  double max_abs() const { return max_abs_; }
  double min() const { return signed_.size() ? signed_.values()[0] : 0; }
  double max() const { return signed_.size() ? signed_.values()[signed_.size() - 1] : 0; }

 private:
  SortedValues signed_, magnitudes_;
  double sum_sq_total_ = 0;
  double max_abs_ = 0;
};

// Clip ratios of ANT's search (reference.md 1.3): alpha = x_max * i / 100, i = first..149.
std::vector<double> ant_clip_ratios(int bits);

// Quantizes `n` values with one scale onto `codec`: writes codes and dequantized values.
void quantize_span(const TypeCodec& codec, const float* in, int64_t n, double scale, uint8_t* codes,
                   float* out);

}  // namespace strata
