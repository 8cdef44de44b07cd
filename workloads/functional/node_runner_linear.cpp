// The GEMM-based operators on Eigen: Conv as im2col and one GEMM per group, Gemm, and batched
// MatMul with broadcasting.
#include <algorithm>

#include "common/input_error.h"
#include "workloads/functional/node_runner.h"
#include "workloads/onnx/onnx_attributes.h"

namespace strata {

// NCHW convolution as im2col and one GEMM per group: [M/g, K] x [K, P].
void NodeRunner::conv(const OnnxNode& n) {
  const FloatTensor& x = in(n, 0);
  const FloatTensor& w = in(n, 1);
  const std::vector<int64_t>& y_shape = g_.value(n.outputs[0]).shape;
  if (x.shape.size() != 4) {
    throw InputError(g_.file + ": node '" + n.name +
                     "' (Conv): functional execution runs 2-D "
                     "convolutions only");
  }
  const int64_t batch = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3];
  const int64_t m = w.shape[0], cg = w.shape[1], kh = w.shape[2], kw = w.shape[3];
  const int64_t oh = y_shape[2], ow = y_shape[3];
  const int64_t groups = onnx_attr_int(n, "group", 1);
  std::vector<int64_t> strides = onnx_attr_ints(n, "strides"), dil = onnx_attr_ints(n, "dilations"),
                       pads = onnx_attr_ints(n, "pads");
  if (strides.empty()) strides = {1, 1};
  if (dil.empty()) dil = {1, 1};
  if (pads.empty()) pads = {0, 0, 0, 0};
  if (strides.size() != 2 || dil.size() != 2 || pads.size() != 4 || strides[0] < 1 ||
      strides[1] < 1) {
    throw InputError(g_.file + ": node '" + n.name +
                     "' (Conv): expected two strides of at least 1, two dilations and four pads");
  }
  const std::string auto_pad = onnx_attr_string(n, "auto_pad", "NOTSET");
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    // Total padding so the output is ceil(in / stride); the extra one goes last for UPPER.
    const int64_t th = std::max<int64_t>(0, (oh - 1) * strides[0] + (kh - 1) * dil[0] + 1 - h);
    const int64_t tw = std::max<int64_t>(0, (ow - 1) * strides[1] + (kw - 1) * dil[1] + 1 - wd);
    const bool upper = auto_pad == "SAME_UPPER";
    pads = {upper ? th / 2 : th - th / 2, upper ? tw / 2 : tw - tw / 2, 0, 0};
  }
  const int64_t mg = m / groups, k = cg * kh * kw, p = oh * ow;
  FloatTensor y = zero_tensor(y_shape);
  RowMatrix col(k, p);
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t gi = 0; gi < groups; ++gi) {
      for (int64_t ci = 0; ci < cg; ++ci) {
        const float* plane = x.data.data() + ((b * c + gi * cg + ci) * h) * wd;
        for (int64_t r = 0; r < kh; ++r) {
          for (int64_t s = 0; s < kw; ++s) {
            float* row = col.data() + ((ci * kh + r) * kw + s) * p;
            // Output column ox reads input column ix = ox * stride + offset; those inside the
            // input are [lo, hi), the rest read the padding's zero.
            const int64_t offset = s * dil[1] - pads[1], stride = strides[1];
            const int64_t lo = std::min(ow, offset >= 0 ? 0 : (-offset + stride - 1) / stride);
            const int64_t hi = std::max(
                lo,
                std::min(ow, wd - offset > 0 ? (wd - offset + stride - 1) / stride : int64_t{0}));
            for (int64_t oy = 0; oy < oh; ++oy) {
              const int64_t iy = oy * strides[0] - pads[0] + r * dil[0];
              float* dst = row + oy * ow;
              if (iy < 0 || iy >= h) {
                std::fill(dst, dst + ow, 0.0f);
                continue;
              }
              const float* src = plane + iy * wd;
              std::fill(dst, dst + lo, 0.0f);
              if (stride == 1 && hi > lo) {
                std::copy(src + lo + offset, src + hi + offset, dst + lo);
              } else {
                for (int64_t ox = lo; ox < hi; ++ox) dst[ox] = src[ox * stride + offset];
              }
              std::fill(dst + hi, dst + ow, 0.0f);
            }
          }
        }
      }
      const Eigen::Map<const RowMatrix> wm(w.data.data() + gi * mg * k, mg, k);
      Eigen::Map<RowMatrix> ym(y.data.data() + (b * m + gi * mg) * p, mg, p);
      ym.noalias() = wm * col;
    }
  }
  if (has(n, 2)) {
    const FloatTensor& bias = in(n, 2);
    for (int64_t b = 0; b < batch; ++b) {
      for (int64_t o = 0; o < m; ++o) {
        float* plane = y.data.data() + (b * m + o) * p;
        for (int64_t i = 0; i < p; ++i) plane[i] += bias.data[static_cast<size_t>(o)];
      }
    }
  }
  out(n, std::move(y));
}

void NodeRunner::gemm(const OnnxNode& n) {
  const FloatTensor &a = in(n, 0), &b = in(n, 1);
  const bool ta = onnx_attr_int(n, "transA", 0) != 0, tb = onnx_attr_int(n, "transB", 0) != 0;
  const float alpha = static_cast<float>(onnx_attr_float(n, "alpha", 1.0));
  const float beta = static_cast<float>(onnx_attr_float(n, "beta", 1.0));
  const Eigen::Map<const RowMatrix> am(a.data.data(), a.shape[0], a.shape[1]);
  const Eigen::Map<const RowMatrix> bm(b.data.data(), b.shape[0], b.shape[1]);
  const std::vector<int64_t>& y_shape = g_.value(n.outputs[0]).shape;
  FloatTensor y = zero_tensor(y_shape);
  Eigen::Map<RowMatrix> ym(y.data.data(), y_shape[0], y_shape[1]);
  if (ta && tb) {
    ym.noalias() = alpha * (am.transpose() * bm.transpose());
  } else if (ta) {
    ym.noalias() = alpha * (am.transpose() * bm);
  } else if (tb) {
    ym.noalias() = alpha * (am * bm.transpose());
  } else {
    ym.noalias() = alpha * (am * bm);
  }
  if (has(n, 2)) {
    const FloatTensor& cb = in(n, 2);
    const std::vector<int64_t> strides = broadcast_strides(cb.shape, y_shape);
    for (int64_t i = 0; i < y_shape[0]; ++i) {
      for (int64_t j = 0; j < y_shape[1]; ++j) {
        ym(i, j) += beta * cb.data[static_cast<size_t>(i * strides[0] + j * strides[1])];
      }
    }
  }
  out(n, std::move(y));
}

// Batched matrix products with NumPy broadcasting of the leading dims (1-D operands promoted).
void NodeRunner::matmul(const OnnxNode& n) {
  FloatTensor a = in(n, 0), b = in(n, 1);
  if (a.shape.size() == 1) a.shape.insert(a.shape.begin(), 1);
  if (b.shape.size() == 1) b.shape.push_back(1);
  const int64_t rows = a.shape[a.shape.size() - 2], depth = a.shape.back();
  const int64_t cols = b.shape.back();
  std::vector<int64_t> batch_a(a.shape.begin(), a.shape.end() - 2);
  std::vector<int64_t> batch_b(b.shape.begin(), b.shape.end() - 2);
  std::vector<int64_t> batch(std::max(batch_a.size(), batch_b.size()), 1);
  for (size_t k = 0; k < batch.size(); ++k) {
    const int64_t da = k < batch_a.size() ? batch_a[batch_a.size() - 1 - k] : 1;
    const int64_t db = k < batch_b.size() ? batch_b[batch_b.size() - 1 - k] : 1;
    batch[batch.size() - 1 - k] = std::max(da, db);
  }
  const std::vector<int64_t> sa = broadcast_strides(batch_a, batch);
  const std::vector<int64_t> sb = broadcast_strides(batch_b, batch);
  FloatTensor y = zero_tensor(g_.value(n.outputs[0]).shape);
  const int64_t count = shape_product(batch);
  std::vector<int64_t> index(batch.size(), 0);
  for (int64_t i = 0; i < count; ++i) {
    int64_t oa = 0, ob = 0;
    for (size_t d = 0; d < batch.size(); ++d) {
      oa += index[d] * sa[d];
      ob += index[d] * sb[d];
    }
    const Eigen::Map<const RowMatrix> am(a.data.data() + oa * rows * depth, rows, depth);
    const Eigen::Map<const RowMatrix> bm(b.data.data() + ob * depth * cols, depth, cols);
    Eigen::Map<RowMatrix> ym(y.data.data() + i * rows * cols, rows, cols);
    ym.noalias() = am * bm;
    for (size_t d = batch.size(); d-- > 0;) {
      if (++index[d] < batch[d]) break;
      index[d] = 0;
    }
  }
  out(n, std::move(y));
}

}  // namespace strata
