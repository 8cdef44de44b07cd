#pragma once
// ANT's clip search (docs/references.md §1.3) for one channel and every candidate type. Long
// channels are binned (clip_histogram.h); short ones are sorted, and the squared error of every
// candidate clip is updated incrementally (clip_search.cpp).
#include <cstdint>
#include <utility>
#include <vector>

#include "workloads/quant/clip_histogram.h"
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
  // Re-sorts for another channel, reusing the buffers.
  void assign(const float* values, int64_t n);
  // The clip among alpha = x_max * ratios[i] (ratios ascending) with the lowest error, and that
  // error. Cell boundaries move monotonically with alpha, so they are walked, not searched; grids
  // symmetric about zero (sign-magnitude types) are searched on the magnitudes, with half the
  // boundaries (a tie has the same error on either side, so the error is unchanged).
  std::pair<double, double> best_clip(const TypeCodec& codec, const std::vector<double>& ratios,
                                      double x_max) const;
  double max_abs() const { return max_abs_; }

 private:
  SortedValues signed_, magnitudes_;
  double sum_sq_total_ = 0;
  double max_abs_ = 0;
};

// Every candidate type's best clip for one channel at a time, by the cheaper exact method for the
// channel's length: short channels (9-tap depthwise kernels) are sorted and searched by crossing
// events, longer ones binned between the tensor's thresholds (ClipHistogram).
class ClipSearch {
 public:
  ClipSearch(std::vector<TypeCodec> codecs, std::vector<double> ratios);
  // Clips alpha = x_max * ratio; x_max < 0 means the channel's largest magnitude.
  const std::vector<ClipChoice>& search(const float* values, int64_t n, double x_max = -1);

 private:
  std::vector<TypeCodec> codecs_;
  std::vector<double> ratios_;
  ClipHistogram histogram_;
  SortedChannel sorted_;
  std::vector<ClipChoice> best_;
};

// The index of the lowest error; errors within a relative 1e-9 of each other tie and go to the
// earlier index (types with equal errors in exact arithmetic, e.g. int2 and flint2 when no value
// reaches int2's extra level, differ only by rounding).
size_t lowest_error_index(const std::vector<double>& errors);

// Clip ratios of ANT's search (docs/references.md §1.3): alpha = x_max * i / 100, i = first..149.
std::vector<double> ant_clip_ratios(int bits);

// Quantizes `n` values with one scale onto `codec`: writes codes and dequantized values.
void quantize_span(const TypeCodec& codec, const float* in, int64_t n, double scale, uint8_t* codes,
                   float* out);

}  // namespace strata
