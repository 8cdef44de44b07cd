// ANT per-tensor type selection (reference.md 1.3): for each candidate type, every output channel
// keeps its best clip alpha = x_max * i/100 (i = 75..149; 95..149 above 6 bits); the type with the
// lowest sum of per-channel best errors wins, ties to the earlier candidate (int, flint, pot,
// then float). Above 6 bits only int is tried.
#include <cmath>
#include <limits>

#include "workloads/quant/clip_search.h"
#include "workloads/quant/quantizers.h"

namespace strata {

std::vector<TypeKind> ant_candidates(const QuantSpec& spec) {
  if (spec.bits > 6) return {TypeKind::kInt};
  if (!spec.candidates.empty()) return spec.candidates;
  std::vector<TypeKind> c = {TypeKind::kInt, TypeKind::kFlint, TypeKind::kPot};
  if (spec.allow_float) c.push_back(TypeKind::kFloat);
  return c;
}

QuantizedWeights AntQuantizer::quantize(const WeightTensor& w, const QuantSpec& spec) const {
  check_shape(w);
  const int64_t n = w.per_channel();
  std::vector<SortedChannel> channels;
  channels.reserve(static_cast<size_t>(w.out_channels));
  for (int64_t o = 0; o < w.out_channels; ++o) channels.emplace_back(w.channel(o), n);
  const std::vector<double> ratios = ant_clip_ratios(spec.bits);

  double best_total = std::numeric_limits<double>::infinity();
  NumericType best_type;
  std::vector<double> best_alphas;
  for (TypeKind kind : ant_candidates(spec)) {
    const TypeCodec codec(make_type(kind, spec.bits, true));
    double total = 0;
    std::vector<double> alphas;
    for (const auto& ch : channels) {
      double best = std::numeric_limits<double>::infinity(), best_alpha = 0;
      for (double r : ratios) {
        const double alpha = ch.max_abs() * r;
        const double e = alpha > 0 ? ch.sse(codec, alpha) : 0.0;
        if (e < best) {
          best = e;
          best_alpha = alpha;
        }
      }
      total += best;
      alphas.push_back(best_alpha);
    }
    if (total < best_total) {
      best_total = total;
      best_type = codec.type();
      best_alphas = std::move(alphas);
    }
  }

  QuantizedWeights q;
  q.scheme = "ant";
  q.type = best_type;
  q.type_name = to_string(best_type.kind);
  q.codes.resize(w.data.size());
  q.values.resize(w.data.size());
  const TypeCodec codec(best_type);
  for (int64_t o = 0; o < w.out_channels; ++o) {
    const double scale = best_alphas[o] / codec.max_value();
    q.scales.push_back(scale);
    q.zero_points.push_back(0);
    quantize_span(codec, w.channel(o), n, scale, q.codes.data() + o * n, q.values.data() + o * n);
  }
  return q;
}

}  // namespace strata
