// ANT per-tensor type selection (docs/references.md §1.3): for each candidate type, every output
// channel keeps its best clip alpha = x_max * i/100 (i = 75..149; 95..149 above 6 bits); the type
// with the lowest sum of per-channel best errors wins, ties to the earlier candidate (int, flint,
// pot, then float). Above 6 bits only int is tried.
#include <cmath>

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
  const std::vector<double> ratios = ant_clip_ratios(spec.bits);
  std::vector<TypeCodec> codecs;
  for (TypeKind kind : ant_candidates(spec)) codecs.emplace_back(make_type(kind, spec.bits, true));
  // Channel by channel (one sorted buffer), every candidate type: its best clip and error.
  std::vector<double> totals(codecs.size(), 0.0);
  std::vector<std::vector<double>> alphas(codecs.size(),
                                          std::vector<double>(static_cast<size_t>(w.out_channels)));
  ClipSearch search(codecs, ratios);
  for (int64_t o = 0; o < w.out_channels; ++o) {
    const std::vector<ClipChoice>& best = search.search(w.channel(o), n);
    for (size_t t = 0; t < codecs.size(); ++t) {
      totals[t] += best[t].error;
      alphas[t][o] = best[t].alpha;
    }
  }
  // The lowest total wins; ties go to the earlier candidate.
  const size_t chosen = lowest_error_index(totals);
  const TypeCodec& codec = codecs[chosen];
  QuantizedWeights q;
  q.scheme = "ant";
  q.type = codec.type();
  q.type_name = to_string(q.type.kind);
  q.codes.resize(w.data.size());
  q.values.resize(w.data.size());
  for (int64_t o = 0; o < w.out_channels; ++o) {
    const double scale = alphas[chosen][o] / codec.max_value();
    q.scales.push_back(scale);
    q.zero_points.push_back(0);
    quantize_span(codec, w.channel(o), n, scale, q.codes.data() + o * n, q.values.data() + o * n);
  }
  return q;
}

}  // namespace strata
