#include "workloads/quant/squant.h"

#include <algorithm>
#include <cmath>

#include "workloads/quant/clip_search.h"
#include "workloads/quant/quantizers.h"

namespace strata {
namespace {

// Round half to even, as std::nearbyint in the default rounding mode, for |x| < 2^51: adding and
// removing 1.5 * 2^52 leaves no fraction bits. Inline, where nearbyint is a library call without
// SSE4.1.
inline double round_half_even(double x) {
  constexpr double kMagic = 6755399441055744.0;
  return (x + kMagic) - kMagic;  // not folded: IEEE arithmetic forbids it without -ffast-math
}

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

// Stage K for one kernel wanting at most one flip (nearly all of them): the two best candidates
// are tracked in one pass, ties to the lower index as in flip(), with no list built or sorted.
// Returns false, changing nothing, when more flips are wanted.
bool kernel_stage_single(const double* x, int64_t* q, int64_t begin, int64_t end, double sum,
                         int64_t t_min, int64_t t_max, std::vector<Candidate>& handed) {
  const double magnitude = std::fabs(sum);
  const int64_t wanted = static_cast<int64_t>(round_half_even(magnitude));
  if (wanted > 1) return false;
  const int direction = sum < 0 ? +1 : -1;
  double p1 = -1, p2 = -1;
  int64_t i1 = -1, i2 = -1;
  for (int64_t i = begin; i < end; ++i) {
    const double e = static_cast<double>(q[i]) - x[i];
    const bool allowed = direction > 0 ? (e < 0 && x[i] < t_max && q[i] < t_max)
                                       : (e > 0 && x[i] > t_min && q[i] > t_min);
    const double p = allowed ? std::fabs(e) : -1.0;
    if (p > p1) {
      p2 = p1;
      i2 = i1;
      p1 = p;
      i1 = i;
    } else if (p > p2) {
      p2 = p;
      i2 = i;
    }
  }
  if (wanted == 0) {
    // Under-flipped: the best candidate stays available.
    if (i1 >= 0) handed.push_back({i1, direction, p1});
  } else if (i1 >= 0) {
    q[i1] += direction;
    if (1.0 >= magnitude) {
      // Over-flipped: the flipped element may be flipped back.
      handed.push_back({i1, -direction, std::fabs(static_cast<double>(q[i1]) - x[i1])});
    } else if (i2 >= 0) {
      handed.push_back({i2, direction, p2});
    }
  }
  return true;
}

// One output channel: `x` has kernels * kernel_size continuous grid values; writes q.
void squant_channel(const double* x, int64_t kernels, int64_t kernel_size, int64_t t_min,
                    int64_t t_max, bool channel_stage, int64_t* q) {
  const int64_t n = kernels * kernel_size;
  thread_local std::vector<Candidate> cands, handed;
  handed.clear();
  const bool kernel_stage = kernel_size > 1;
  if (!kernel_stage) {
    for (int64_t i = 0; i < n; ++i)
      q[i] = std::clamp(static_cast<int64_t>(round_half_even(x[i])), t_min, t_max);
  } else {
    for (int64_t k = 0; k < kernels; ++k) {
      const int64_t begin = k * kernel_size, end = begin + kernel_size;
      double sum = 0;
      for (int64_t i = begin; i < end; ++i) {
        q[i] = std::clamp(static_cast<int64_t>(round_half_even(x[i])), t_min, t_max);
        sum += static_cast<double>(q[i]) - x[i];
      }
      if (sum == 0) continue;
      if (kernel_stage_single(x, q, begin, end, sum, t_min, t_max, handed)) continue;
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
    flip(cands, sum, q);
    return;
  }
  // Without stage K every element is a candidate: keep only the best wanted ones (a bounded heap
  // whose top is the worst kept), the same set flip() would pick from the full list.
  const int64_t wanted = static_cast<int64_t>(std::nearbyint(std::fabs(sum)));
  const size_t keep = static_cast<size_t>(std::max<int64_t>(wanted, 0));
  if (keep == 0) return;
  auto worse = [](const Candidate& a, const Candidate& b) { return before(a, b); };
  Candidate cand{};
  for (int64_t i = 0; i < n; ++i) {
    if (!natural_candidate(i, direction, x, q, t_min, t_max, &cand)) continue;
    if (cands.size() < keep) {
      cands.push_back(cand);
      std::push_heap(cands.begin(), cands.end(), worse);
    } else if (before(cand, cands.front())) {
      std::pop_heap(cands.begin(), cands.end(), worse);
      cands.back() = cand;
      std::push_heap(cands.begin(), cands.end(), worse);
    }
  }
  for (const Candidate& c : cands) q[c.index] += c.direction;
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

// One channel's asymmetric grid: x = scale_inv * w - zp (docs/references.md §2).
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
  std::vector<float> value_of(static_cast<size_t>(t_max - t_min + 1));  // per channel, per code
  for (int64_t o = 0; o < w.out_channels; ++o) {
    const float* ch = w.channel(o);
    const auto [scale_inv, zp] = channel_grid(ch, n, b);
    for (int64_t i = 0; i < n; ++i) x[i] = scale_inv * ch[i] - zp;
    squant_channel(x.data(), w.in_channels, w.kernel_size(), t_min, t_max, true, qi.data());
    // value = (q + zp) / scale_inv = (q - zero_point) * scale with zero_point = -zp.
    q.scales.push_back(1.0 / scale_inv);
    q.zero_points.push_back(-zp);
    for (int64_t v = t_min; v <= t_max; ++v)
      value_of[static_cast<size_t>(v - t_min)] =
          static_cast<float>((static_cast<double>(v) + zp) / scale_inv);
    for (int64_t i = 0; i < n; ++i) {
      q.codes[o * n + i] =
          static_cast<uint8_t>(static_cast<uint32_t>(qi[i]) & mask);  // two's complement
      q.values[o * n + i] = value_of[static_cast<size_t>(qi[i] - t_min)];
    }
  }
  return q;
}

}  // namespace strata
