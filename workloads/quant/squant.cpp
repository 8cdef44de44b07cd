#include "workloads/quant/squant.h"

#include <algorithm>
#include <cmath>

#include "workloads/quant/clip_search.h"
#include "workloads/quant/quantizers.h"

namespace strata {
namespace {

struct Candidate {
  int64_t index;
  int direction;  // +1 up, -1 down
  double priority;
};

// Highest priority first; equal priorities by position.
inline bool before(const Candidate& a, const Candidate& b) {
  return a.priority > b.priority || (a.priority == b.priority && a.index < b.index);
}

// An element's natural candidate in `direction`, if flipping it that way is allowed.
bool natural_candidate(int64_t i, int direction, const double* x, const int64_t* q, int64_t t_min,
                       int64_t t_max, Candidate* out) {
  const double e = static_cast<double>(q[i]) - x[i];
  if (direction > 0 && e < 0 && x[i] < t_max && q[i] < t_max) {
    *out = {i, +1, -e};
    return true;
  }
  if (direction < 0 && e > 0 && x[i] > t_min && q[i] > t_min) {
    *out = {i, -1, e};
    return true;
  }
  return false;
}

double error_sum(const double* x, const int64_t* q, int64_t begin, int64_t end) {
  double s = 0;
  for (int64_t i = begin; i < end; ++i) s += static_cast<double>(q[i]) - x[i];
  return s;
}

// Flips the round(|S|) best candidates towards cancelling S (only the best ones are ordered:
// the flipped ones and the next). Returns how many were flipped and how many were wanted.
std::pair<size_t, int64_t> flip(std::vector<Candidate>& cands, double sum, int64_t* q) {
  const int64_t wanted = static_cast<int64_t>(std::nearbyint(std::fabs(sum)));  // half to even
  const size_t n = std::min(cands.size(), static_cast<size_t>(std::max<int64_t>(wanted, 0)));
  const size_t ordered = std::min(cands.size(), n + 1);
  if (cands.size() <= 16) {
    // Kernels hold a handful of candidates and want one or two: select, do not sort.
    for (size_t t = 0; t < ordered; ++t) {
      size_t best = t;
      for (size_t u = t + 1; u < cands.size(); ++u) {
        if (before(cands[u], cands[best])) best = u;
      }
      std::swap(cands[t], cands[best]);
    }
  } else {
    std::partial_sort(cands.begin(), cands.begin() + static_cast<std::ptrdiff_t>(ordered),
                      cands.end(),
                      [](const Candidate& a, const Candidate& b) { return before(a, b); });
  }
  for (size_t j = 0; j < n; ++j) q[cands[j].index] += cands[j].direction;
  return {n, wanted};
}

// One output channel: `x` has kernels * kernel_size continuous grid values; writes q.
void squant_channel(const double* x, int64_t kernels, int64_t kernel_size, int64_t t_min,
                    int64_t t_max, bool channel_stage, int64_t* q) {
  const int64_t n = kernels * kernel_size;
  for (int64_t i = 0; i < n; ++i)
    q[i] = std::clamp(static_cast<int64_t>(std::nearbyint(x[i])), t_min, t_max);
  thread_local std::vector<Candidate> cands, handed;
  handed.clear();
  const bool kernel_stage = kernel_size > 1;
  if (kernel_stage) {
    for (int64_t k = 0; k < kernels; ++k) {
      const int64_t begin = k * kernel_size, end = begin + kernel_size;
      const double sum = error_sum(x, q, begin, end);
      if (sum == 0) continue;
      const int direction = sum < 0 ? +1 : -1;
      cands.clear();
      Candidate cand{};
      for (int64_t i = begin; i < end; ++i) {
        if (natural_candidate(i, direction, x, q, t_min, t_max, &cand)) cands.push_back(cand);
      }
      const auto [flipped, wanted] = flip(cands, sum, q);
      if (flipped > 0 && static_cast<double>(wanted) >= std::fabs(sum)) {
        // Over-flipped: the last flipped element may be flipped back.
        const Candidate& last = cands[flipped - 1];
        handed.push_back({last.index, -direction,
                          std::fabs(static_cast<double>(q[last.index]) - x[last.index])});
      } else if (flipped < cands.size() && static_cast<double>(wanted) < std::fabs(sum)) {
        // Under-flipped: the next candidate stays available in the same direction.
        handed.push_back(cands[flipped]);
      }
    }
  }
  if (!channel_stage) return;
  const double sum = error_sum(x, q, 0, n);
  if (sum == 0) return;
  const int direction = sum < 0 ? +1 : -1;
  cands.clear();
  if (kernel_stage) {
    for (const auto& h : handed) {
      if (h.direction == direction) cands.push_back(h);
    }
  } else {
    Candidate cand{};
    for (int64_t i = 0; i < n; ++i) {
      if (natural_candidate(i, direction, x, q, t_min, t_max, &cand)) cands.push_back(cand);
    }
  }
  flip(cands, sum, q);
}

}  // namespace

std::vector<int64_t> squant_round(const std::vector<double>& x, const SquantShape& shape,
                                  int64_t t_min, int64_t t_max, bool channel_stage) {
  std::vector<int64_t> q(x.size());
  const int64_t per_channel = shape.kernels_per_channel * shape.kernel_size;
  for (int64_t c = 0; c < shape.channels; ++c) {
    squant_channel(x.data() + c * per_channel, shape.kernels_per_channel, shape.kernel_size, t_min,
                   t_max, channel_stage, q.data() + c * per_channel);
  }
  return q;
}

namespace {

// One channel's asymmetric grid: x = scale_inv * w - zp (reference.md 2).
struct ChannelGrid {
  double scale_inv, zp;
};

ChannelGrid channel_grid(const float* ch, int64_t n, int bits) {
  const auto [lo, hi] = std::minmax_element(ch, ch + n);
  const double range = static_cast<double>(*hi) - static_cast<double>(*lo);
  const double scale_inv = range > 0 ? ((int64_t{1} << bits) - 1) / range : 1.0;
  return {scale_inv,
          std::nearbyint(scale_inv * *lo) + static_cast<double>(int64_t{1} << (bits - 1))};
}

}  // namespace

SquantGrid squant_grid(const WeightTensor& w, int bits) {
  check_shape(w);
  SquantGrid g;
  g.t_min = -(int64_t{1} << (bits - 1));
  g.t_max = (int64_t{1} << (bits - 1)) - 1;
  const int64_t n = w.per_channel();
  g.x.resize(w.data.size());
  for (int64_t o = 0; o < w.out_channels; ++o) {
    const auto [scale_inv, zp] = channel_grid(w.channel(o), n, bits);
    g.scale_inv.push_back(scale_inv);
    g.zp.push_back(zp);
    for (int64_t i = 0; i < n; ++i) g.x[o * n + i] = scale_inv * w.data[o * n + i] - zp;
  }
  return g;
}

QuantizedWeights SquantQuantizer::quantize(const WeightTensor& w, const QuantSpec& spec) const {
  check_shape(w);
  const int b = spec.bits;
  const int64_t t_min = -(int64_t{1} << (b - 1)), t_max = (int64_t{1} << (b - 1)) - 1;
  const int64_t n = w.per_channel();
  QuantizedWeights q;
  q.scheme = "squant";
  q.type_name = "int";
  q.type = make_type(TypeKind::kInt, b, true);
  q.codes.resize(w.data.size());
  q.values.resize(w.data.size());
  std::vector<double> x(static_cast<size_t>(n));
  std::vector<int64_t> qi(static_cast<size_t>(n));
  const uint32_t mask = (1u << b) - 1u;
  for (int64_t o = 0; o < w.out_channels; ++o) {
    const float* ch = w.channel(o);
    const auto [scale_inv, zp] = channel_grid(ch, n, b);
    for (int64_t i = 0; i < n; ++i) x[i] = scale_inv * ch[i] - zp;
    squant_channel(x.data(), w.in_channels, w.kernel_size(), t_min, t_max, true, qi.data());
    // value = (q + zp) / scale_inv = (q - zero_point) * scale with zero_point = -zp.
    q.scales.push_back(1.0 / scale_inv);
    q.zero_points.push_back(-zp);
    for (int64_t i = 0; i < n; ++i) {
      q.codes[o * n + i] =
          static_cast<uint8_t>(static_cast<uint32_t>(qi[i]) & mask);  // two's complement
      q.values[o * n + i] = static_cast<float>((static_cast<double>(qi[i]) + zp) / scale_inv);
    }
  }
  return q;
}

}  // namespace strata
