#include "workloads/quant/olive.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "workloads/quant/quantizers.h"

namespace strata {
namespace {

constexpr double kNormalMax = 7.0;
constexpr double kOutlierMagnitudes[8] = {0, 1.5, 2, 3,
                                          4, 6,   8, 12};  // x normal max; code 0 unused
constexpr double kOutlierThreshold = 1.25;                 // x normal max

uint8_t normal_code(double x, double scale, double* value) {
  const double q = std::clamp(std::floor(x / scale + 0.5), -kNormalMax, kNormalMax);  // ties up
  *value = q * scale;
  return static_cast<uint8_t>(static_cast<int>(q) & 0xF);
}

uint8_t outlier_code(double x, double scale, double* value) {
  const double magnitude = std::fabs(x) / (kNormalMax * scale);
  size_t best = 1;
  for (size_t c = 2; c < 8; ++c) {
    if (std::fabs(kOutlierMagnitudes[c] - magnitude) <=
        std::fabs(kOutlierMagnitudes[best] - magnitude))
      best = c;
  }
  const double v = kOutlierMagnitudes[best] * kNormalMax * scale;
  *value = x < 0 ? -v : v;
  return static_cast<uint8_t>((x < 0 ? 0x8 : 0) | best);
}

}  // namespace

double olive_decode(uint8_t self, uint8_t partner, double scale) {
  if (self == kOliveVictimCode) return 0;
  if (partner == kOliveVictimCode) {
    const double v = kOutlierMagnitudes[self & 0x7] * kNormalMax * scale;
    return (self & 0x8) ? -v : v;
  }
  const int q = (self & 0x8) ? static_cast<int>(self) - 16 : self;  // two's complement
  return q * scale;
}

double olive_quantize_span(const float* in, int64_t n, double scale, uint8_t* codes, float* out) {
  double sse = 0;
  const double threshold = kOutlierThreshold * kNormalMax * scale;
  for (int64_t i = 0; i < n; i += 2) {
    const bool pair = i + 1 < n;
    const double a = in[i], b = pair ? in[i + 1] : 0.0;
    double va = 0, vb = 0;
    if (pair && std::max(std::fabs(a), std::fabs(b)) > threshold) {
      const bool a_outlier = std::fabs(a) >= std::fabs(b);
      if (a_outlier) {
        codes[i] = outlier_code(a, scale, &va);
        codes[i + 1] = kOliveVictimCode;
      } else {
        codes[i] = kOliveVictimCode;
        codes[i + 1] = outlier_code(b, scale, &vb);
      }
    } else {
      codes[i] = normal_code(a, scale, &va);
      if (pair) codes[i + 1] = normal_code(b, scale, &vb);
    }
    out[i] = static_cast<float>(va);
    sse += (a - va) * (a - va);
    if (pair) {
      out[i + 1] = static_cast<float>(vb);
      sse += (b - vb) * (b - vb);
    }
  }
  return sse;
}

// Per output channel, the normal maximum is searched over 24 geometric steps from x_max / 12
// (everything large is an outlier) to x_max (no outliers needed).
QuantizedWeights OliveQuantizer::quantize(const WeightTensor& w, const QuantSpec& spec) const {
  check_shape(w);
  if (spec.bits != 4)
    throw std::invalid_argument("olive is a 4-bit type; got " + std::to_string(spec.bits) +
                                " bits");
  QuantizedWeights q;
  q.scheme = "olive";
  q.type_name = "olive";
  q.type = make_type(TypeKind::kInt, 4, true);
  q.codes.resize(w.data.size());
  q.values.resize(w.data.size());
  const int64_t n = w.per_channel();
  std::vector<uint8_t> codes(static_cast<size_t>(n));
  std::vector<float> values(static_cast<size_t>(n));
  constexpr int kSteps = 24;
  for (int64_t o = 0; o < w.out_channels; ++o) {
    const float* ch = w.channel(o);
    double x_max = 0;
    for (int64_t i = 0; i < n; ++i) x_max = std::max(x_max, std::fabs(static_cast<double>(ch[i])));
    double best_sse = std::numeric_limits<double>::infinity(),
           best_scale = x_max > 0 ? x_max / kNormalMax : 1.0;
    for (int s = 0; s < kSteps && x_max > 0; ++s) {
      const double normal_max = x_max / 12.0 * std::pow(12.0, s / double(kSteps - 1));
      const double scale = normal_max / kNormalMax;
      const double sse = olive_quantize_span(ch, n, scale, codes.data(), values.data());
      if (sse < best_sse) {
        best_sse = sse;
        best_scale = scale;
      }
    }
    olive_quantize_span(ch, n, best_scale, q.codes.data() + o * n, q.values.data() + o * n);
    q.scales.push_back(best_scale);
    q.zero_points.push_back(0);
  }
  return q;
}

}  // namespace strata
