#include "workloads/quant/clip_search.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/unchecked_kernel.h"

namespace strata {

namespace {

void fill(SortedValues& s, const std::vector<float>& sorted) {
  const size_t n = sorted.size();
  s.guarded.resize(n + 2);
  s.guarded.front() = -std::numeric_limits<float>::infinity();
  s.guarded.back() = std::numeric_limits<float>::infinity();
  std::copy(sorted.begin(), sorted.end(), s.guarded.begin() + 1);
  s.prefix.assign(n + 1, 0.0);
  for (size_t i = 0; i < n; ++i) s.prefix[i + 1] = s.prefix[i] + sorted[i];
}

// The clip search for short channels (e.g. 9-tap depthwise kernels), event by event: each value
// starts in its cell at the first clip and crosses a boundary about twice over the whole search;
// the clip at which it crosses is found by bisection over the clips, and A and B (see best_clip)
// change there. Costs O(n x crossings x log(clips) + clips) instead of O(clips x cells).
std::pair<double, double> best_clip_by_events(const float* values, size_t n, const double* level,
                                              const double* mid, size_t cells,
                                              const std::vector<double>& ratios, double x_max,
                                              double total_sq) {
  const size_t R = ratios.size();
  thread_local std::vector<double> da, db, alpha;
  da.assign(R, 0.0);
  db.assign(R, 0.0);
  alpha.resize(R);
  for (size_t r = 0; r < R; ++r) alpha[r] = x_max * ratios[r];
  auto cell_at = [&](double v, size_t r) {  // ties go up, as in the walk
    size_t c = 0;
    for (size_t j = 0; j + 1 < cells; ++j) c += v >= mid[j] * alpha[r];
    return c;
  };
  for (size_t i = 0; i < n; ++i) {
    const double v = values[i];
    const size_t c0 = cell_at(v, 0), c1 = cell_at(v, R - 1);
    da[0] += level[c0] * v;
    db[0] += level[c0] * level[c0];
    // Moving towards zero as the grid widens: down through positive boundaries, up through
    // negative ones. Each crossing happens at the first clip where the value changes side.
    for (size_t j = std::min(c0, c1); j < std::max(c0, c1); ++j) {
      const bool down = c1 < c0;  // leaves cell j+1 for cell j
      size_t lo = 1, hi = R - 1;  // first r in [1, R-1] with the new side
      while (lo < hi) {
        const size_t m = (lo + hi) / 2;
        const bool crossed = down ? v < mid[j] * alpha[m] : v >= mid[j] * alpha[m];
        if (crossed)
          hi = m;
        else
          lo = m + 1;
      }
      const double from = down ? level[j + 1] : level[j], to = down ? level[j] : level[j + 1];
      da[lo] += (to - from) * v;
      db[lo] += to * to - from * from;
    }
  }
  double a = 0, b = 0, best = -1, best_alpha = 0;
  for (size_t r = 0; r < R; ++r) {
    a += da[r];
    b += db[r];
    const double e = std::max(total_sq - 2 * alpha[r] * a + alpha[r] * alpha[r] * b, 0.0);
    if (best < 0 || e < best) {
      best = e;
      best_alpha = alpha[r];
    }
  }
  return {best, best_alpha};
}

// The sorted walk for long channels: with levels l_j = grid_j / max(grid) and q_j = l_j * alpha,
//   SSE(alpha) = sum x^2 - 2 alpha A + alpha^2 B,  A = sum_j l_j S1_j,  B = sum_j l_j^2 N_j,
// S1_j and N_j being the sum and count of cell j. As alpha grows every cell boundary moves
// monotonically; A and B follow from the prefix sums of the values that crossed it.
std::pair<double, double> best_clip_by_walk(const SortedValues& s, const double* level,
                                            const double* mid, size_t cells,
                                            const std::vector<double>& ratios, double x_max,
                                            double total_sq) {
  constexpr size_t kMaxCells = 256;
  size_t bound[kMaxCells];
  const size_t n = s.size();
  size_t first_positive = 0;
  while (first_positive + 1 < cells && mid[first_positive] <= 0) ++first_positive;
  const float* v = s.values();  // v[-1] = -inf, v[n] = +inf
  const double* s1 = s.prefix.data();
  double a = 0, b = 0, best = -1, best_alpha = 0;
  for (size_t r = 0; r < ratios.size(); ++r) {
    const double alpha = x_max * ratios[r];
    if (r == 0) {
      size_t lo = 0;
      for (size_t j = 0; j < cells; ++j) {
        const size_t hi =
            j + 1 < cells ? static_cast<size_t>(std::lower_bound(v, v + n, mid[j] * alpha) - v) : n;
        if (j + 1 < cells) bound[j] = hi;
        const size_t h = std::max(hi, lo);
        a += level[j] * (s1[h] - s1[lo]);
        b += level[j] * level[j] * static_cast<double>(h - lo);
        lo = h;
      }
    } else {
      // Boundaries usually move by a few values per step: four branch-free steps, then a loop
      // for the rare longer moves.
      for (size_t j = 0; j < first_positive; ++j) {  // negative boundaries move left
        const double t = mid[j] * alpha;
        const size_t old = bound[j];
        size_t p = old;
        p -= v[static_cast<std::ptrdiff_t>(p) - 1] >= t;
        p -= v[static_cast<std::ptrdiff_t>(p) - 1] >= t;
        p -= v[static_cast<std::ptrdiff_t>(p) - 1] >= t;
        p -= v[static_cast<std::ptrdiff_t>(p) - 1] >= t;
        while (v[static_cast<std::ptrdiff_t>(p) - 1] >= t) --p;
        a += (level[j + 1] - level[j]) * (s1[old] - s1[p]);
        b += (level[j + 1] * level[j + 1] - level[j] * level[j]) * static_cast<double>(old - p);
        bound[j] = p;
      }
      for (size_t j = first_positive; j + 1 < cells; ++j) {  // the others move right
        const double t = mid[j] * alpha;
        const size_t old = bound[j];
        size_t p = old;
        p += v[p] < t;
        p += v[p] < t;
        p += v[p] < t;
        p += v[p] < t;
        while (v[p] < t) ++p;
        a += (level[j] - level[j + 1]) * (s1[p] - s1[old]);
        b += (level[j] * level[j] - level[j + 1] * level[j + 1]) * static_cast<double>(p - old);
        bound[j] = p;
      }
    }
    const double e = std::max(total_sq - 2 * alpha * a + alpha * alpha * b, 0.0);
    if (best < 0 || e < best) {
      best = e;
      best_alpha = alpha;
    }
  }
  return {best, best_alpha};
}

}  // namespace

void SortedChannel::assign(const float* values, int64_t n) {
  thread_local std::vector<float> sorted, mags;
  sorted.assign(values, values + n);
  std::sort(sorted.begin(), sorted.end());
  sum_sq_total_ = 0;
  for (float v : sorted) sum_sq_total_ += static_cast<double>(v) * v;
  max_abs_ = sorted.empty()
                 ? 0.0
                 : std::max(std::fabs(double(sorted.front())), std::fabs(double(sorted.back())));
  fill(signed_, sorted);
  // Magnitudes in order: merge the negatives (reversed) with the non-negatives.
  mags.resize(sorted.size());
  const size_t zero =
      static_cast<size_t>(std::lower_bound(sorted.begin(), sorted.end(), 0.0f) - sorted.begin());
  size_t neg = zero, pos = zero, k = 0;
  while (neg > 0 || pos < sorted.size()) {
    if (pos == sorted.size() || (neg > 0 && -sorted[neg - 1] <= sorted[pos])) {
      mags[k++] = -sorted[--neg];
    } else {
      mags[k++] = sorted[pos++];
    }
  }
  fill(magnitudes_, mags);
}

std::pair<double, double> SortedChannel::best_clip(const TypeCodec& codec,
                                                   const std::vector<double>& ratios,
                                                   double x_max) const {
  const auto& grid = codec.grid();
  constexpr size_t kMaxCells = 256;
  double level[kMaxCells], mid[kMaxCells];
  const bool magnitudes = codec.symmetric();
  size_t cells = 0;
  for (double g : grid) {
    if (!magnitudes || g >= 0) level[cells++] = g / codec.max_value();
  }
  for (size_t j = 0; j + 1 < cells; ++j) mid[j] = 0.5 * (level[j] + level[j + 1]);
  const SortedValues& s = magnitudes ? magnitudes_ : signed_;
  if (s.size() < 64 && cells <= 16 && ratios.size() > 1) {
    return best_clip_by_events(s.values(), s.size(), level, mid, cells, ratios, x_max,
                               sum_sq_total_);
  }
  return best_clip_by_walk(s, level, mid, cells, ratios, x_max, sum_sq_total_);
}

ClipSearch::ClipSearch(std::vector<TypeCodec> codecs, std::vector<double> ratios)
    : codecs_(std::move(codecs)), ratios_(std::move(ratios)), histogram_(codecs_, ratios_) {}

const std::vector<ClipChoice>& ClipSearch::search(const float* values, int64_t n, double x_max) {
  constexpr int64_t kShortChannel = 64;
  if (n >= kShortChannel) {
    histogram_.search(values, n, x_max, &best_);
    return best_;
  }
  sorted_.assign(values, n);
  if (x_max < 0) x_max = sorted_.max_abs();
  best_.resize(codecs_.size());
  for (size_t t = 0; t < codecs_.size(); ++t) {
    const auto [error, alpha] = sorted_.best_clip(codecs_[t], ratios_, x_max);
    best_[t] = {error, alpha};
  }
  return best_;
}

size_t lowest_error_index(const std::vector<double>& errors) {
  size_t best = 0;
  for (size_t i = 1; i < errors.size(); ++i) {
    if (errors[i] < errors[best] * (1 - 1e-9)) best = i;
  }
  return best;
}

std::vector<double> ant_clip_ratios(int bits) {
  std::vector<double> r;
  for (int i = bits > 6 ? 95 : 75; i <= 149; ++i) r.push_back(i / 100.0);
  return r;
}

namespace {

// Narrow grids: a value's cell is the number of thresholds it reaches, counted a block of values
// per threshold (the compare vectorizes across the values). An unchecked kernel: quantize_span
// checked `in`, `codes` and `out` for n values; a cell is at most `count`, and code_of and
// value_of hold count + 1.
STRATA_UNCHECKED_KERNEL void quantize_narrow_grid(const float* in, int64_t n,
                                                  const float* thresholds, int64_t count,
                                                  const uint8_t* code_of, const float* value_of,
                                                  uint8_t* codes, float* out) {
  constexpr int64_t kBlock = 256;
  int32_t cell[kBlock];
  for (int64_t begin = 0; begin < n; begin += kBlock) {
    const int64_t m = n - begin < kBlock ? n - begin : kBlock;
    const float* x = in + begin;
    for (int64_t i = 0; i < m; ++i) cell[i] = 0;
    for (int64_t j = 0; j < count; ++j) {
      const float t = thresholds[j];
      for (int64_t i = 0; i < m; ++i) cell[i] += x[i] >= t ? 1 : 0;
    }
    for (int64_t i = 0; i < m; ++i) {
      codes[begin + i] = code_of[cell[i]];
      out[begin + i] = value_of[cell[i]];
    }
  }
}

// Wide grids: a binary search per value for the first threshold above it (std::upper_bound's
// answer, NaN included: it reaches every threshold).
STRATA_UNCHECKED_KERNEL void quantize_wide_grid(const float* in, int64_t n, const float* thresholds,
                                                int64_t count, const uint8_t* code_of,
                                                const float* value_of, uint8_t* codes, float* out) {
  for (int64_t i = 0; i < n; ++i) {
    const float x = in[i];
    int64_t lo = 0, hi = count;
    while (lo < hi) {
      const int64_t mid = lo + (hi - lo) / 2;
      if (x < thresholds[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    codes[i] = code_of[lo];
    out[i] = value_of[lo];
  }
}

}  // namespace

void quantize_span(const TypeCodec& codec, const float* in, int64_t n, double scale, uint8_t* codes,
                   float* out) {
  if (n <= 0) return;
  const auto& grid = codec.grid();
  require_addressable(in, static_cast<size_t>(n) * sizeof(float), "quantize_span input");
  require_addressable(codes, static_cast<size_t>(n), "quantize_span codes");
  require_addressable(out, static_cast<size_t>(n) * sizeof(float), "quantize_span output");
  if (!(scale > 0)) {
    const size_t zero = codec.nearest_index(0.0);
    std::fill(codes, codes + n, static_cast<uint8_t>(codec.code_at(zero)));
    std::fill(out, out + n, 0.0f);
    return;
  }
  // Cell boundaries in the value domain (ties go up). For a float x, x >= t exactly when x is at
  // least the smallest float not below t, so the comparisons run on floats, many at a time.
  thread_local std::vector<float> thresholds;
  thread_local std::vector<uint8_t> code_of;
  thread_local std::vector<float> value_of;
  thresholds.resize(grid.size() - 1);
  code_of.resize(grid.size());
  value_of.resize(grid.size());
  for (size_t j = 0; j + 1 < grid.size(); ++j) {
    const double t = 0.5 * (grid[j] + grid[j + 1]) * scale;
    float f = static_cast<float>(t);
    if (static_cast<double>(f) < t) f = std::nextafter(f, std::numeric_limits<float>::infinity());
    thresholds[j] = f;
  }
  for (size_t j = 0; j < grid.size(); ++j) {
    code_of[j] = static_cast<uint8_t>(codec.code_at(j));
    value_of[j] = static_cast<float>(grid[j] * scale);
  }
  if (thresholds.size() > 32) {  // wide grids: a binary search per value
    quantize_wide_grid(in, n, thresholds.data(), static_cast<int64_t>(thresholds.size()),
                       code_of.data(), value_of.data(), codes, out);
    return;
  }
  quantize_narrow_grid(in, n, thresholds.data(), static_cast<int64_t>(thresholds.size()),
                       code_of.data(), value_of.data(), codes, out);
}

}  // namespace strata
