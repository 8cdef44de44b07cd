#include "workloads/quant/clip_search.h"

#include <algorithm>
#include <cmath>

namespace strata {

SortedChannel::SortedChannel(const float* values, int64_t n) : sorted_(values, values + n) {
  std::sort(sorted_.begin(), sorted_.end());
  sum_.assign(sorted_.size() + 1, 0.0);
  sum_sq_.assign(sorted_.size() + 1, 0.0);
  for (size_t i = 0; i < sorted_.size(); ++i) {
    sum_[i + 1] = sum_[i] + sorted_[i];
    sum_sq_[i + 1] = sum_sq_[i] + sorted_[i] * sorted_[i];
    max_abs_ = std::max(max_abs_, std::fabs(sorted_[i]));
  }
}

double SortedChannel::sse(const TypeCodec& codec, double alpha) const {
  const auto& grid = codec.grid();
  const double scale = alpha / codec.max_value();
  double total = 0;
  size_t lo = 0;
  for (size_t j = 0; j < grid.size() && lo < sorted_.size(); ++j) {
    // Cell j holds values below the midpoint to the next grid value (ties go up).
    size_t hi = sorted_.size();
    if (j + 1 < grid.size()) {
      const double upper = 0.5 * (grid[j] + grid[j + 1]) * scale;
      hi = static_cast<size_t>(std::lower_bound(sorted_.begin() + lo, sorted_.end(), upper) -
                               sorted_.begin());
    }
    if (hi > lo) {
      const double q = grid[j] * scale;
      const double count = static_cast<double>(hi - lo);
      total += (sum_sq_[hi] - sum_sq_[lo]) - 2 * q * (sum_[hi] - sum_[lo]) + q * q * count;
    }
    lo = hi;
  }
  return std::max(total, 0.0);
}

std::vector<double> ant_clip_ratios(int bits) {
  std::vector<double> r;
  for (int i = bits > 6 ? 95 : 75; i <= 149; ++i) r.push_back(i / 100.0);
  return r;
}

void quantize_span(const TypeCodec& codec, const float* in, int64_t n, double scale, uint8_t* codes,
                   float* out) {
  const auto& grid = codec.grid();
  for (int64_t i = 0; i < n; ++i) {
    const size_t g = scale > 0 ? codec.nearest_index(in[i] / scale) : codec.nearest_index(0.0);
    codes[i] = static_cast<uint8_t>(codec.code_at(g));
    out[i] = static_cast<float>(grid[g] * scale);
  }
}

}  // namespace strata
