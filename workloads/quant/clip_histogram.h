#pragma once
// ANT's clip search for long channels without sorting: every candidate cell boundary at every
// candidate clip is a threshold on u = |x| / x_max that does not depend on the channel, so the
// thresholds are sorted once per tensor. A channel's values are then only binned between
// consecutive thresholds (one table lookup and a compare or two each), and each type's squared
// error at each clip follows from prefix sums over the bins (clip_histogram.cpp).
#include <cstdint>
#include <vector>

#include "workloads/quant/numeric_type.h"

namespace strata {

struct ClipChoice {
  double error = 0;  // squared error summed over the channel
  double alpha = 0;  // the clip: the grid's largest value maps to alpha
};

class ClipHistogram {
 public:
  // `ratios` ascending and positive; the clips tried are alpha = x_max * ratio.
  ClipHistogram(const std::vector<TypeCodec>& codecs, const std::vector<double>& ratios);
  // One channel: each codec's lowest-error clip (the first one on ties) into `out`; x_max < 0
  // means the channel's largest magnitude.
  void search(const float* values, int64_t n, double x_max, std::vector<ClipChoice>* out);

 private:
  // A channel's values split by sign; magnitudes summed per bin.
  struct Bin {
    double count[2] = {0, 0};
    double magnitude[2] = {0, 0};
  };
  static void add(Bin& to, const Bin& from) {
    for (int s = 0; s < 2; ++s) {
      to.count[s] += from.count[s];
      to.magnitude[s] += from.magnitude[s];
    }
  }
  enum Side : uint8_t { kPositive = 0, kNegative = 1, kBoth = 2 };
  // One cell boundary of one type on one side of zero: moving a value outwards across it changes
  // its contribution to A = sum level * x by weight_step * |x| and to B = sum level^2 by
  // square_step (clip_histogram.cpp).
  struct Boundary {
    Side side;
    double weight_step, square_step;
  };
  struct TypeTerms {
    std::vector<Boundary> boundaries;
    std::vector<uint32_t> ranks;  // [boundary * clips + clip]: the threshold's sorted position
    double outer_weight[3] = {0, 0, 0}, outer_square[3] = {0, 0, 0};  // per side, outermost cell
  };

  static void bin_values(const float* values, int64_t n, double inv, const uint16_t* first_bin,
                         const double* thresholds, Bin* bins);

  std::vector<double> ratios_;
  std::vector<TypeTerms> types_;
  std::vector<double> thresholds_;   // sorted, then +inf sentinels
  std::vector<uint16_t> first_bin_;  // per lookup cell: a bin no higher than any value's in it
  std::vector<Bin> bins_, prefix_;
  std::vector<double> a_, b_;  // per clip
};

}  // namespace strata
