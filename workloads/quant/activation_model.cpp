#include "workloads/quant/activation_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

#include "workloads/quant/clip_search.h"
#include "workloads/quant/quantizer.h"
#include "workloads/quant/quantizers.h"
#include "common/seeded_random.h"

namespace strata {
namespace {

double normal(std::mt19937_64& g) {
  double a, b;
  normal_pair(g, &a, &b);
  return a;
}

double sigma_multiplier(int bits) { return bits <= 4 ? 12.0 : bits <= 6 ? 14.0 : 25.0; }

}  // namespace

std::string to_string(ActivationDistribution d) {
  switch (d) {
    case ActivationDistribution::kImage:
      return "image: uniform(0, 1)";
    case ActivationDistribution::kReluNormal:
      return "relu(normal(0, 1))";
    case ActivationDistribution::kNormal:
      return "normal(0, 1)";
    case ActivationDistribution::kGeluNormal:
      return "gelu(normal(0, 1))";
    case ActivationDistribution::kSoftmax:
      return "softmax(normal(0, 1)) rows";
  }
  return "?";
}

bool parse_distribution(const std::string& text, ActivationDistribution* d) {
  for (ActivationDistribution x :
       {ActivationDistribution::kImage, ActivationDistribution::kReluNormal,
        ActivationDistribution::kNormal, ActivationDistribution::kGeluNormal,
        ActivationDistribution::kSoftmax}) {
    if (to_string(x) == text) {
      *d = x;
      return true;
    }
  }
  return false;
}

bool is_signed(ActivationDistribution d) {
  return d == ActivationDistribution::kNormal || d == ActivationDistribution::kGeluNormal;
}

double nonzero_probability(ActivationDistribution d) {
  return d == ActivationDistribution::kReluNormal ? 0.5 : 1.0;
}

std::vector<float> sample_activations(ActivationDistribution d, int64_t count, uint64_t seed,
                                      int64_t length) {
  std::mt19937_64 g(seed);
  std::vector<float> s(static_cast<size_t>(count));
  if (d == ActivationDistribution::kSoftmax) {
    const int64_t n = std::max<int64_t>(1, length);
    for (int64_t i = 0; i < count; i += n) {
      std::vector<double> e(static_cast<size_t>(n));
      double sum = 0;
      for (auto& v : e) sum += (v = std::exp(normal(g)));
      for (int64_t j = 0; j < n && i + j < count; ++j) s[i + j] = static_cast<float>(e[j] / sum);
    }
    return s;
  }
  for (auto& v : s) {
    const double x = normal(g);
    switch (d) {
      case ActivationDistribution::kImage:
        v = static_cast<float>(uniform_open(g));
        break;
      case ActivationDistribution::kReluNormal:
        v = static_cast<float>(std::max(0.0, x));
        break;
      case ActivationDistribution::kNormal:
        v = static_cast<float>(x);
        break;
      case ActivationDistribution::kGeluNormal:
        v = static_cast<float>(0.5 * x * (1 + std::erf(x / std::sqrt(2.0))));
        break;
      default:
        break;
    }
  }
  return s;
}

ActivationQuant quantize_activations(ActivationDistribution d, int bits, const std::string& rule,
                                     uint64_t seed, int64_t softmax_length, bool allow_float) {
  constexpr int64_t kSamples = 16384;
  ActivationQuant a = quantize_activation_sample(
      sample_activations(d, kSamples, seed, softmax_length), is_signed(d), bits, rule, allow_float);
  a.distribution = to_string(d);
  return a;
}

ActivationQuant quantize_activation_sample(const std::vector<float>& x, bool sign, int bits,
                                           const std::string& rule, bool allow_float) {
  const int64_t count = static_cast<int64_t>(x.size());
  if (count == 0) throw std::invalid_argument("no activation values to calibrate on");
  double mean = 0, sq = 0;
  for (float v : x) mean += v;
  mean /= count;
  for (float v : x) sq += (v - mean) * (v - mean);
  ActivationQuant a;
  a.sigma = std::sqrt(sq / count);
  double x_max = 0;
  for (float v : x) x_max = std::max(x_max, sign ? std::fabs(double(v)) : double(v));
  if (rule == "ant") {
    QuantSpec spec;
    spec.bits = bits;
    spec.allow_float = allow_float;
    std::vector<TypeCodec> codecs;
    for (TypeKind k : ant_candidates(spec)) codecs.emplace_back(make_type(k, bits, sign));
    ClipSearch search(codecs, ant_clip_ratios(bits));
    const std::vector<ClipChoice>& best = search.search(x.data(), count, x_max);
    std::vector<double> errors;
    for (const ClipChoice& c : best) errors.push_back(c.error);
    const size_t chosen = lowest_error_index(errors);
    a.type = codecs[chosen].type();
    a.scale = best[chosen].alpha / codecs[chosen].max_value();
  } else if (rule == "sigma") {
    a.type = make_type(TypeKind::kInt, bits, sign);
    const TypeCodec codec(a.type);
    a.scale = sigma_multiplier(bits) * a.sigma / codec.max_value();
  } else {
    throw std::invalid_argument("activation rule must be ant or sigma, got '" + rule + "'");
  }
  if (!(a.scale > 0)) a.scale = 1;  // all zeros: any scale codes them exactly
  a.type_name = to_string(a.type.kind);
  const TypeCodec codec(a.type);
  std::vector<float> q(x.size());
  std::vector<uint8_t> codes(x.size());
  quantize_span(codec, x.data(), count, a.scale, codes.data(), q.data());
  a.sqnr_db = quant_error(x, q).sqnr_db;
  return a;
}

}  // namespace strata
