#include "workloads/quant/clip_histogram.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "common/unchecked_kernel.h"

// With levels l = grid / max(grid) and quantized values q = l * alpha, a channel's squared error
// at clip alpha is  SSE = sum x^2 - 2 alpha A + alpha^2 B,  A = sum l(x) x,  B = sum l(x)^2.
// Seen from zero outwards, a value's cell on its side is the number of that side's boundaries
// m_k * alpha that |x| reaches (ties outwards). With weights w_k = sign * l_k of the cells
// k = 0..K outwards, A_side = sum_{k<K} (w_k - w_{k+1}) M(k) + w_K M_total, where M(k) is the sum
// of |x| over the values inside boundary k; B likewise with l_k^2 and counts. Boundary k at clip
// r is the threshold |x| / x_max < |m_k| * ratio_r: every (type, boundary, clip) threshold is
// sorted once, values are binned between them, and M(k) at clip r is a prefix sum over the bins.
//
// Sign-magnitude grids (symmetric about zero) have one side holding both signs; other grids
// (two's complement int, unsigned types) have a positive and a negative side.

namespace strata {

namespace {

// The lookup table covers u = |x| / x_max in [2^-20, 2) by its double's exponent and top
// mantissa bits: cells are ~0.1 % wide relative to u, as fine near zero as near x_max.
constexpr int kMantissaBits = 10;
constexpr int kShift = 52 - kMantissaBits;
constexpr int kLowestExponent = -20, kHighestExponent = 1;
constexpr uint32_t kLookupCells = (kHighestExponent - kLowestExponent) << kMantissaBits;

inline uint64_t bits_of(double d) {
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}

inline double double_of(uint64_t b) {
  double d;
  std::memcpy(&d, &b, 8);
  return d;
}

const uint64_t kLookupBase = bits_of(std::ldexp(1.0, kLowestExponent)) >> kShift;

// The smallest u that lands in `cell`.
inline double lookup_cell_low(uint32_t cell) {
  return cell == 0 ? 0.0 : double_of((kLookupBase + cell) << kShift);
}

struct Threshold {
  double u;
  uint32_t type, boundary, clip;
};

}  // namespace

ClipHistogram::ClipHistogram(const std::vector<TypeCodec>& codecs,
                             const std::vector<double>& ratios)
    : ratios_(ratios) {
  std::vector<Threshold> all;
  std::vector<std::vector<double>> magnitudes(codecs.size());  // |m_k| per boundary
  for (size_t t = 0; t < codecs.size(); ++t) {
    const auto& grid = codecs[t].grid();
    std::vector<double> level;
    for (double g : grid) level.push_back(g / codecs[t].max_value());
    TypeTerms terms;
    // One side's cells from zero outwards, given by their levels; sign = -1 on the negative side.
    auto add_side = [&](Side side, const std::vector<double>& outward_levels, double sign) {
      for (size_t k = 0; k + 1 < outward_levels.size(); ++k) {
        const double w = sign * outward_levels[k], w_next = sign * outward_levels[k + 1];
        const double l2 = outward_levels[k] * outward_levels[k],
                     l2_next = outward_levels[k + 1] * outward_levels[k + 1];
        terms.boundaries.push_back({side, w - w_next, l2 - l2_next});
        magnitudes[t].push_back(std::fabs(0.5 * (outward_levels[k] + outward_levels[k + 1])));
      }
      terms.outer_weight[side] = sign * outward_levels.back();
      terms.outer_square[side] = outward_levels.back() * outward_levels.back();
    };
    if (codecs[t].symmetric()) {
      std::vector<double> outward;
      for (double l : level) {
        if (l >= 0) outward.push_back(l);
      }
      add_side(kBoth, outward, 1.0);
    } else {
      // The zero cell is the first whose upper boundary is positive; negative values below
      // boundaries at or under zero move down.
      size_t zero = 0;
      while (zero + 1 < level.size() && 0.5 * (level[zero] + level[zero + 1]) <= 0) ++zero;
      add_side(kPositive, std::vector<double>(level.begin() + zero, level.end()), 1.0);
      std::vector<double> down(level.begin(), level.begin() + zero + 1);
      std::reverse(down.begin(), down.end());
      add_side(kNegative, down, -1.0);
    }
    for (size_t b = 0; b < terms.boundaries.size(); ++b) {
      for (size_t r = 0; r < ratios.size(); ++r) {
        all.push_back({magnitudes[t][b] * ratios[r], static_cast<uint32_t>(t),
                       static_cast<uint32_t>(b), static_cast<uint32_t>(r)});
      }
    }
    terms.ranks.resize(terms.boundaries.size() * ratios.size());
    types_.push_back(std::move(terms));
  }
  if (all.size() + 2 >= std::numeric_limits<uint16_t>::max())
    throw std::invalid_argument("clip search: too many thresholds for the lookup table");
  std::sort(all.begin(), all.end(), [](const Threshold& a, const Threshold& b) {
    if (a.u != b.u) return a.u < b.u;
    if (a.type != b.type) return a.type < b.type;
    if (a.boundary != b.boundary) return a.boundary < b.boundary;
    return a.clip < b.clip;
  });
  thresholds_.resize(all.size() + 2, std::numeric_limits<double>::infinity());
  for (size_t i = 0; i < all.size(); ++i) {
    thresholds_[i] = all[i].u;
    types_[all[i].type].ranks[all[i].boundary * ratios.size() + all[i].clip] =
        static_cast<uint32_t>(i);
  }
  first_bin_.resize(kLookupCells);
  for (uint32_t c = 0; c < kLookupCells; ++c) {
    // Thresholds strictly below the cell's smallest u are below every value in the cell.
    first_bin_[c] = static_cast<uint16_t>(std::lower_bound(thresholds_.begin(),
                                                           thresholds_.begin() + all.size(),
                                                           lookup_cell_low(c)) -
                                          thresholds_.begin());
  }
  bins_.assign(all.size() + 1, Bin{});
  prefix_.resize(all.size() + 1);
}

// Every value into its bin (the number of thresholds at or below u = |x| / x_max), with its
// magnitude and sign. An unchecked kernel: the lookup and the thresholds are the constructor's,
// sized for every u in [0, 2] with +inf sentinels, and search checked `values`. It spells out the
// lookup and what the standard functions do, as they would be calls here.
STRATA_UNCHECKED_KERNEL void ClipHistogram::bin_values(const float* values, int64_t n, double inv,
                                                       const uint16_t* first_bin,
                                                       const double* thresholds, Bin* bins) {
  for (int64_t i = 0; i < n; ++i) {
    const double x = values[i];
    const double m = __builtin_fabs(x);
    // Clamped, so a value above x_max (or a NaN) cannot run past the sentinel (std::min's
    // answer: the first argument unless the second is smaller).
    const double scaled = m * inv;
    const double u = 2.0 < scaled ? 2.0 : scaled;
    uint64_t key;
    __builtin_memcpy(&key, &u, sizeof key);
    key >>= kShift;
    const uint64_t cell = key < kLookupBase                      ? 0
                          : key - kLookupBase < kLookupCells - 1 ? key - kLookupBase
                                                                 : kLookupCells - 1;
    uint32_t b = first_bin[cell];
    b += u >= thresholds[b];
    b += u >= thresholds[b];
    while (u >= thresholds[b]) ++b;
    Bin& bin = bins[b];
    const int side = __builtin_signbit(x) ? 1 : 0;
    bin.count[side] += 1;
    bin.magnitude[side] += m;
  }
}

void ClipHistogram::search(const float* values, int64_t n, double x_max,
                           std::vector<ClipChoice>* out) {
  out->assign(types_.size(), ClipChoice{});
  if (n > 0) require_addressable(values, static_cast<size_t>(n) * sizeof(float), "clip search");
  // Four partial sums keep the adds independent (and the result the same on every machine); the
  // largest magnitude comes from the same pass when the caller has none.
  double sq[4] = {0, 0, 0, 0};
  float largest = 0;
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    for (int k = 0; k < 4; ++k) {
      sq[k] += static_cast<double>(values[i + k]) * values[i + k];
      largest = std::max(largest, std::fabs(values[i + k]));
    }
  }
  for (; i < n; ++i) {
    sq[0] += static_cast<double>(values[i]) * values[i];
    largest = std::max(largest, std::fabs(values[i]));
  }
  if (x_max < 0) x_max = largest;
  if (!(x_max > 0) || !std::isfinite(x_max)) return;
  const double total_sq = (sq[0] + sq[1]) + (sq[2] + sq[3]);
  bin_values(values, n, 1.0 / x_max, first_bin_.data(), thresholds_.data(), bins_.data());
  const size_t k_bins = bins_.size();
  Bin run;
  for (size_t b = 0; b < k_bins; ++b) {
    add(run, bins_[b]);
    prefix_[b] = run;
    bins_[b] = Bin{};
  }
  const Bin& total = prefix_[k_bins - 1];
  const double total_count[3] = {total.count[0], total.count[1], total.count[0] + total.count[1]};
  const double total_mag[3] = {total.magnitude[0], total.magnitude[1],
                               total.magnitude[0] + total.magnitude[1]};
  const size_t clips = ratios_.size();
  for (size_t t = 0; t < types_.size(); ++t) {
    const TypeTerms& terms = types_[t];
    double a0 = 0, b0 = 0;
    for (int s = 0; s < 3; ++s) {
      a0 += terms.outer_weight[s] * total_mag[s];
      b0 += terms.outer_square[s] * total_count[s];
    }
    // Boundary by boundary over all clips: each clip's sums still add in boundary order, and
    // the clips do not wait on each other.
    a_.assign(clips, a0);
    b_.assign(clips, b0);
    for (size_t k = 0; k < terms.boundaries.size(); ++k) {
      const Boundary& bd = terms.boundaries[k];
      const uint32_t* rank = terms.ranks.data() + k * clips;
      if (bd.side == kBoth) {
        for (size_t r = 0; r < clips; ++r) {
          const Bin& p = prefix_[rank[r]];
          a_[r] += bd.weight_step * (p.magnitude[0] + p.magnitude[1]);
          b_[r] += bd.square_step * (p.count[0] + p.count[1]);
        }
      } else {
        for (size_t r = 0; r < clips; ++r) {
          const Bin& p = prefix_[rank[r]];
          a_[r] += bd.weight_step * p.magnitude[bd.side];
          b_[r] += bd.square_step * p.count[bd.side];
        }
      }
    }
    ClipChoice best{-1, 0};
    for (size_t r = 0; r < clips; ++r) {
      const double alpha = x_max * ratios_[r];
      const double e = std::max(total_sq - 2 * alpha * a_[r] + alpha * alpha * b_[r], 0.0);
      if (best.error < 0 || e < best.error) best = {e, alpha};
    }
    (*out)[t] = best;
  }
}

}  // namespace strata
