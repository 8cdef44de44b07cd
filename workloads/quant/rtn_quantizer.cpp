// Round-to-nearest: symmetric (signed int grid, scale = max|w| / max grid) or asymmetric
// (unsigned int grid with a zero point), per output channel or per tensor.
#include <algorithm>
#include <cmath>

#include "workloads/quant/clip_search.h"
#include "workloads/quant/quantizers.h"

namespace strata {

QuantizedWeights RtnQuantizer::quantize(const WeightTensor& w, const QuantSpec& spec) const {
  check_shape(w);
  QuantizedWeights q;
  q.scheme = "rtn";
  q.type_name = "int";
  q.type = make_type(TypeKind::kInt, spec.bits, spec.symmetric);
  const TypeCodec codec(q.type);
  q.codes.resize(w.data.size());
  q.values.resize(w.data.size());
  const int64_t n = w.per_channel();
  // Ranges per channel, or the tensor's range repeated.
  std::vector<std::pair<double, double>> ranges(static_cast<size_t>(w.out_channels));
  for (int64_t o = 0; o < w.out_channels; ++o) {
    const auto [lo, hi] = std::minmax_element(w.channel(o), w.channel(o) + n);
    ranges[o] = {std::min(0.0, double(*lo)), std::max(0.0, double(*hi))};
  }
  if (!spec.per_channel) {
    std::pair<double, double> all{0, 0};
    for (const auto& r : ranges)
      all = {std::min(all.first, r.first), std::max(all.second, r.second)};
    std::fill(ranges.begin(), ranges.end(), all);
  }
  for (int64_t o = 0; o < w.out_channels; ++o) {
    const auto [lo, hi] = ranges[o];
    double scale = 0, zero = 0;
    if (spec.symmetric) {
      scale = std::max(std::fabs(lo), std::fabs(hi)) / codec.max_value();
    } else {
      scale = (hi - lo) / codec.max_value();
      zero = scale > 0 ? std::nearbyint(-lo / scale) : 0;
    }
    q.scales.push_back(scale);
    q.zero_points.push_back(zero);
    const auto& grid = codec.grid();
    for (int64_t i = 0; i < n; ++i) {
      const int64_t k = o * n + i;
      const size_t g =
          scale > 0 ? codec.nearest_index(w.data[k] / scale + zero) : codec.nearest_index(zero);
      q.codes[k] = static_cast<uint8_t>(codec.code_at(g));
      q.values[k] = static_cast<float>((grid[g] - zero) * scale);
    }
  }
  return q;
}

}  // namespace strata
