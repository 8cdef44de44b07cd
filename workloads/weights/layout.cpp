#include "workloads/weights/layout.h"

#include "common/input_error.h"

namespace strata {
namespace {

void require_rank(const NamedTensor& t, size_t rank, const std::string& what) {
  if (t.shape.size() != rank) {
    throw InputError(what + ": expected a rank-" + std::to_string(rank) + " tensor, got shape " +
                     t.shape_string());
  }
  // The layouts below index the data by the shape: they must agree.
  if (static_cast<int64_t>(t.data.size()) != checked_elements(t.shape, what)) {
    throw InputError(what + ": shape " + t.shape_string() + " does not match its " +
                     std::to_string(t.data.size()) + " values");
  }
}

}  // namespace

WeightTensor from_hwio(const NamedTensor& t, const std::string& what) {
  require_rank(t, 4, what);
  const int64_t kh = t.shape[0], kw = t.shape[1], ci = t.shape[2], co = t.shape[3];
  WeightTensor w{co, ci, kh, kw, std::vector<float>(static_cast<size_t>(t.elements()))};
  for (int64_t y = 0; y < kh; ++y)
    for (int64_t x = 0; x < kw; ++x)
      for (int64_t c = 0; c < ci; ++c)
        for (int64_t o = 0; o < co; ++o)
          w.data[((o * ci + c) * kh + y) * kw + x] = t.data[((y * kw + x) * ci + c) * co + o];
  return w;
}

WeightTensor from_depthwise_hwcm(const NamedTensor& t, const std::string& what) {
  require_rank(t, 4, what);
  const int64_t kh = t.shape[0], kw = t.shape[1], c = t.shape[2], mult = t.shape[3];
  // Output channel c*mult + m sees input channel c only.
  WeightTensor w{c * mult, 1, kh, kw, std::vector<float>(static_cast<size_t>(t.elements()))};
  for (int64_t y = 0; y < kh; ++y)
    for (int64_t x = 0; x < kw; ++x)
      for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t m = 0; m < mult; ++m)
          w.data[((ch * mult + m) * kh + y) * kw + x] = t.data[((y * kw + x) * c + ch) * mult + m];
  return w;
}

WeightTensor from_dense_io(const NamedTensor& t, const std::string& what) {
  require_rank(t, 2, what);
  const int64_t in = t.shape[0], out = t.shape[1];
  WeightTensor w{out, in, 1, 1, std::vector<float>(static_cast<size_t>(t.elements()))};
  for (int64_t i = 0; i < in; ++i)
    for (int64_t o = 0; o < out; ++o) w.data[o * in + i] = t.data[i * out + o];
  return w;
}

void scale_output_channels(WeightTensor& w, const NamedTensor& factors, const std::string& what) {
  if (factors.elements() != w.out_channels) {
    throw InputError(what + ": " + std::to_string(factors.elements()) +
                     " per-channel factors for " + std::to_string(w.out_channels) +
                     " output channels");
  }
  const int64_t n = w.per_channel();
  for (int64_t o = 0; o < w.out_channels; ++o)
    for (int64_t i = 0; i < n; ++i) w.data[o * n + i] *= factors.data[o];
}

}  // namespace strata
