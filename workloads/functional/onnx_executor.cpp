#include "workloads/functional/onnx_executor.h"

#include <onnx/onnx_pb.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <set>

#include "common/input_error.h"
#include "workloads/onnx/onnx_attributes.h"
#include "workloads/onnx/onnx_tensor.h"

namespace strata {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Tensors = std::map<std::string, FloatTensor>;

// The product of shape[from, to), clamped to the shape.
int64_t product(const std::vector<int64_t>& shape, size_t from = 0, size_t to = SIZE_MAX) {
  const auto end = shape.begin() + static_cast<std::ptrdiff_t>(std::min(to, shape.size()));
  const auto begin =
      shape.begin() + static_cast<std::ptrdiff_t>(std::min(from, std::min(to, shape.size())));
  return std::accumulate(begin, end, int64_t{1}, std::multiplies<>());
}

FloatTensor make(std::vector<int64_t> shape) {
  FloatTensor t;
  t.shape = std::move(shape);
  t.data.assign(static_cast<size_t>(product(t.shape)), 0.0f);
  return t;
}

// Row-major strides of `shape`, aligned right to `rank` dims; 0 where the dim broadcasts.
std::vector<int64_t> broadcast_strides(const std::vector<int64_t>& shape,
                                       const std::vector<int64_t>& out) {
  std::vector<int64_t> strides(out.size(), 0);
  int64_t stride = 1;
  for (size_t k = 0; k < shape.size(); ++k) {
    const size_t i = shape.size() - 1 - k, o = out.size() - 1 - k;
    strides[o] = shape[i] == 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}

class Runner {
 public:
  // Reads inputs from `values` (computed, and the graph's inputs) or `constants`; writes `values`.
  Runner(const OnnxGraph& g, const Tensors& constants, Tensors& values)
      : g_(g), constants_(constants), v_(values) {}

  void node(const OnnxNode& n) {
    const std::string& op = n.op;
    if (op == "Conv") return conv(n);
    if (op == "Gemm") return gemm(n);
    if (op == "MatMul") return matmul(n);
    if (op == "BatchNormalization") return batch_norm(n);
    if (op == "MaxPool" || op == "AveragePool") return pool(n, op == "MaxPool");
    if (op == "GlobalAveragePool" || op == "GlobalMaxPool") {
      return global_pool(n, op == "GlobalMaxPool");
    }
    if (op == "Softmax") return softmax(n);
    if (op == "Transpose") return transpose(n);
    if (op == "Concat") return concat(n);
    static const std::set<std::string> views = {"Reshape",  "Flatten", "Squeeze", "Unsqueeze",
                                                "Identity", "Dropout", "Cast"};
    if (views.count(op)) {
      FloatTensor t = in(n, 0);
      t.shape = g_.value(n.outputs[0]).shape;
      return out(n, std::move(t));
    }
    if (auto f = unary(n)) {
      FloatTensor t = in(n, 0);
      for (float& x : t.data) x = f(x);
      return out(n, std::move(t));
    }
    if (auto f = binary(op)) return elementwise(n, f);
    throw InputError(g_.file + ": node '" + n.name + "' (" + op +
                     "): functional execution does not support this operator yet");
  }

 private:
  const OnnxGraph& g_;
  const Tensors& constants_;
  Tensors& v_;

  const FloatTensor& in(const OnnxNode& n, size_t i) const {
    const std::string& name = n.inputs.at(i);
    const auto it = v_.find(name);
    return it != v_.end() ? it->second : constants_.at(name);
  }
  bool has(const OnnxNode& n, size_t i) const {
    return i < n.inputs.size() && !n.inputs[i].empty();
  }
  void out(const OnnxNode& n, FloatTensor t) { v_[n.outputs[0]] = std::move(t); }

  std::function<float(float)> unary(const OnnxNode& n) const {
    const std::string& op = n.op;
    if (op == "Relu") return [](float x) { return std::max(x, 0.0f); };
    if (op == "LeakyRelu") {
      const float a = static_cast<float>(onnx_attr_float(n, "alpha", 0.01));
      return [a](float x) { return x >= 0 ? x : a * x; };
    }
    if (op == "Sigmoid") return [](float x) { return 1.0f / (1.0f + std::exp(-x)); };
    if (op == "Tanh") return [](float x) { return std::tanh(x); };
    if (op == "HardSigmoid") {
      const float a = static_cast<float>(onnx_attr_float(n, "alpha", 0.2));
      const float b = static_cast<float>(onnx_attr_float(n, "beta", 0.5));
      return [a, b](float x) { return std::clamp(a * x + b, 0.0f, 1.0f); };
    }
    if (op == "HardSwish") {
      return [](float x) { return x * std::clamp(x / 6.0f + 0.5f, 0.0f, 1.0f); };
    }
    if (op == "Clip") {
      // Bounds are attributes before opset 11, optional inputs after.
      float lo = -std::numeric_limits<float>::infinity(), hi = -lo;
      if (g_.opset < 11) {
        lo = static_cast<float>(onnx_attr_float(n, "min", lo));
        hi = static_cast<float>(onnx_attr_float(n, "max", hi));
      } else {
        if (has(n, 1)) lo = in(n, 1).data.at(0);
        if (has(n, 2)) hi = in(n, 2).data.at(0);
      }
      return [lo, hi](float x) { return std::min(std::max(x, lo), hi); };
    }
    if (op == "Exp") return [](float x) { return std::exp(x); };
    if (op == "Erf") return [](float x) { return std::erf(x); };
    if (op == "Sqrt") return [](float x) { return std::sqrt(x); };
    if (op == "Neg") return [](float x) { return -x; };
    if (op == "Abs") return [](float x) { return std::fabs(x); };
    return nullptr;
  }

  static std::function<float(float, float)> binary(const std::string& op) {
    if (op == "Add" || op == "Sum") return [](float a, float b) { return a + b; };
    if (op == "Sub") return [](float a, float b) { return a - b; };
    if (op == "Mul") return [](float a, float b) { return a * b; };
    if (op == "Div") return [](float a, float b) { return a / b; };
    if (op == "Max") return [](float a, float b) { return std::max(a, b); };
    if (op == "Min") return [](float a, float b) { return std::min(a, b); };
    if (op == "Pow") return [](float a, float b) { return std::pow(a, b); };
    return nullptr;
  }

  // NumPy broadcasting over every input (Sum, Max and Min take any number).
  void elementwise(const OnnxNode& n, const std::function<float(float, float)>& f) {
    const std::vector<int64_t>& shape = g_.value(n.outputs[0]).shape;
    FloatTensor acc = make(shape);
    const int64_t total = product(shape);
    std::vector<int64_t> index(shape.size());
    bool first = true;
    for (size_t k = 0; k < n.inputs.size(); ++k) {
      if (n.inputs[k].empty()) continue;
      const FloatTensor& x = in(n, k);
      const std::vector<int64_t> strides = broadcast_strides(x.shape, shape);
      std::fill(index.begin(), index.end(), 0);
      int64_t offset = 0;
      for (int64_t i = 0; i < total; ++i) {
        const float value = x.data[static_cast<size_t>(offset)];
        float& a = acc.data[static_cast<size_t>(i)];
        a = first ? value : f(a, value);
        for (size_t d = shape.size(); d-- > 0;) {  // odometer
          offset += strides[d];
          if (++index[d] < shape[d]) break;
          offset -= strides[d] * shape[d];
          index[d] = 0;
        }
      }
      first = false;
    }
    out(n, std::move(acc));
  }

  // NCHW convolution as im2col and one GEMM per group: [M/g, K] x [K, P].
  void conv(const OnnxNode& n) {
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
    std::vector<int64_t> strides = onnx_attr_ints(n, "strides"),
                         dil = onnx_attr_ints(n, "dilations"), pads = onnx_attr_ints(n, "pads");
    if (strides.empty()) strides = {1, 1};
    if (dil.empty()) dil = {1, 1};
    if (pads.empty()) pads = {0, 0, 0, 0};
    const std::string auto_pad = onnx_attr_string(n, "auto_pad", "NOTSET");
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      // Total padding so the output is ceil(in / stride); the extra one goes last for UPPER.
      const int64_t th = std::max<int64_t>(0, (oh - 1) * strides[0] + (kh - 1) * dil[0] + 1 - h);
      const int64_t tw = std::max<int64_t>(0, (ow - 1) * strides[1] + (kw - 1) * dil[1] + 1 - wd);
      const bool upper = auto_pad == "SAME_UPPER";
      pads = {upper ? th / 2 : th - th / 2, upper ? tw / 2 : tw - tw / 2, 0, 0};
    }
    const int64_t mg = m / groups, k = cg * kh * kw, p = oh * ow;
    FloatTensor y = make(y_shape);
    RowMatrix col(k, p);
    for (int64_t b = 0; b < batch; ++b) {
      for (int64_t gi = 0; gi < groups; ++gi) {
        for (int64_t ci = 0; ci < cg; ++ci) {
          const float* plane = x.data.data() + ((b * c + gi * cg + ci) * h) * wd;
          for (int64_t r = 0; r < kh; ++r) {
            for (int64_t s = 0; s < kw; ++s) {
              float* row = col.data() + ((ci * kh + r) * kw + s) * p;
              for (int64_t oy = 0; oy < oh; ++oy) {
                const int64_t iy = oy * strides[0] - pads[0] + r * dil[0];
                for (int64_t ox = 0; ox < ow; ++ox) {
                  const int64_t ix = ox * strides[1] - pads[1] + s * dil[1];
                  row[oy * ow + ox] =
                      iy >= 0 && iy < h && ix >= 0 && ix < wd ? plane[iy * wd + ix] : 0.0f;
                }
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

  void gemm(const OnnxNode& n) {
    const FloatTensor &a = in(n, 0), &b = in(n, 1);
    const bool ta = onnx_attr_int(n, "transA", 0) != 0, tb = onnx_attr_int(n, "transB", 0) != 0;
    const float alpha = static_cast<float>(onnx_attr_float(n, "alpha", 1.0));
    const float beta = static_cast<float>(onnx_attr_float(n, "beta", 1.0));
    const Eigen::Map<const RowMatrix> am(a.data.data(), a.shape[0], a.shape[1]);
    const Eigen::Map<const RowMatrix> bm(b.data.data(), b.shape[0], b.shape[1]);
    const std::vector<int64_t>& y_shape = g_.value(n.outputs[0]).shape;
    FloatTensor y = make(y_shape);
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
  void matmul(const OnnxNode& n) {
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
    FloatTensor y = make(g_.value(n.outputs[0]).shape);
    const int64_t count = product(batch);
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

  void batch_norm(const OnnxNode& n) {
    FloatTensor y = in(n, 0);
    const FloatTensor &scale = in(n, 1), &bias = in(n, 2), &mean = in(n, 3), &var = in(n, 4);
    const float eps = static_cast<float>(onnx_attr_float(n, "epsilon", 1e-5));
    const int64_t c = y.shape.size() > 1 ? y.shape[1] : 1;
    const int64_t inner = product(y.shape, 2);
    const int64_t outer = y.shape.empty() ? 1 : y.shape[0];
    for (int64_t b = 0; b < outer; ++b) {
      for (int64_t ch = 0; ch < c; ++ch) {
        const size_t k = static_cast<size_t>(ch);
        const float s = scale.data[k] / std::sqrt(var.data[k] + eps);
        const float t = bias.data[k] - mean.data[k] * s;
        float* plane = y.data.data() + (b * c + ch) * inner;
        for (int64_t i = 0; i < inner; ++i) plane[i] = plane[i] * s + t;
      }
    }
    out(n, std::move(y));
  }

  void pool(const OnnxNode& n, bool max) {
    const FloatTensor& x = in(n, 0);
    const std::vector<int64_t>& y_shape = g_.value(n.outputs[0]).shape;
    const std::vector<int64_t> kernel = onnx_attr_ints(n, "kernel_shape");
    std::vector<int64_t> strides = onnx_attr_ints(n, "strides"), pads = onnx_attr_ints(n, "pads");
    if (kernel.size() != 2 || x.shape.size() != 4) {
      throw InputError(g_.file + ": node '" + n.name + "' (" + n.op +
                       "): functional execution runs 2-D pooling only");
    }
    if (strides.empty()) strides = {1, 1};
    if (pads.empty()) pads = {0, 0, 0, 0};
    const std::string auto_pad = onnx_attr_string(n, "auto_pad", "NOTSET");
    const int64_t h = x.shape[2], w = x.shape[3], oh = y_shape[2], ow = y_shape[3];
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      const int64_t th = std::max<int64_t>(0, (oh - 1) * strides[0] + kernel[0] - h);
      const int64_t tw = std::max<int64_t>(0, (ow - 1) * strides[1] + kernel[1] - w);
      const bool upper = auto_pad == "SAME_UPPER";
      pads = {upper ? th / 2 : th - th / 2, upper ? tw / 2 : tw - tw / 2, 0, 0};
    }
    const bool count_pad = onnx_attr_int(n, "count_include_pad", 0) != 0;
    FloatTensor y = make(y_shape);
    const int64_t planes = x.shape[0] * x.shape[1];
    for (int64_t pl = 0; pl < planes; ++pl) {
      const float* src = x.data.data() + pl * h * w;
      float* dst = y.data.data() + pl * oh * ow;
      for (int64_t oy = 0; oy < oh; ++oy) {
        for (int64_t ox = 0; ox < ow; ++ox) {
          float acc = max ? -std::numeric_limits<float>::infinity() : 0.0f;
          int64_t counted = 0;
          for (int64_t r = 0; r < kernel[0]; ++r) {
            for (int64_t s = 0; s < kernel[1]; ++s) {
              const int64_t iy = oy * strides[0] - pads[0] + r, ix = ox * strides[1] - pads[1] + s;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              const float v = src[iy * w + ix];
              acc = max ? std::max(acc, v) : acc + v;
              ++counted;
            }
          }
          const int64_t divisor = count_pad ? kernel[0] * kernel[1] : std::max<int64_t>(counted, 1);
          dst[oy * ow + ox] = max ? acc : acc / static_cast<float>(divisor);
        }
      }
    }
    out(n, std::move(y));
  }

  void global_pool(const OnnxNode& n, bool max) {
    const FloatTensor& x = in(n, 0);
    FloatTensor y = make(g_.value(n.outputs[0]).shape);
    const int64_t planes = x.shape[0] * x.shape[1], inner = product(x.shape, 2);
    for (int64_t pl = 0; pl < planes; ++pl) {
      const float* src = x.data.data() + pl * inner;
      float acc = max ? -std::numeric_limits<float>::infinity() : 0.0f;
      for (int64_t i = 0; i < inner; ++i) acc = max ? std::max(acc, src[i]) : acc + src[i];
      y.data[static_cast<size_t>(pl)] = max ? acc : acc / static_cast<float>(inner);
    }
    out(n, std::move(y));
  }

  void softmax(const OnnxNode& n) {
    FloatTensor y = in(n, 0);
    const int64_t rank = static_cast<int64_t>(y.shape.size());
    int64_t axis = onnx_attr_int(n, "axis", g_.opset < 13 ? 1 : -1);
    if (axis < 0) axis += rank;
    // Before opset 13 the input is flattened at `axis`; from 13 the softmax runs along it.
    const int64_t inner = g_.opset < 13 ? 1 : product(y.shape, static_cast<size_t>(axis) + 1);
    const int64_t len = g_.opset < 13 ? product(y.shape, static_cast<size_t>(axis))
                                      : y.shape[static_cast<size_t>(axis)];
    const int64_t outer = product(y.shape) / (len * inner);
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        float* base = y.data.data() + o * len * inner + i;
        float mx = -std::numeric_limits<float>::infinity();
        for (int64_t k = 0; k < len; ++k) mx = std::max(mx, base[k * inner]);
        float sum = 0;
        for (int64_t k = 0; k < len; ++k) sum += base[k * inner] = std::exp(base[k * inner] - mx);
        for (int64_t k = 0; k < len; ++k) base[k * inner] /= sum;
      }
    }
    out(n, std::move(y));
  }

  void transpose(const OnnxNode& n) {
    const FloatTensor& x = in(n, 0);
    std::vector<int64_t> perm = onnx_attr_ints(n, "perm");
    const size_t rank = x.shape.size();
    if (perm.empty()) {
      for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
    }
    FloatTensor y = make(g_.value(n.outputs[0]).shape);
    std::vector<int64_t> in_strides(rank, 1);
    for (size_t d = rank - 1; d-- > 0;) in_strides[d] = in_strides[d + 1] * x.shape[d + 1];
    std::vector<int64_t> index(rank, 0);
    for (size_t i = 0; i < y.data.size(); ++i) {
      int64_t offset = 0;
      for (size_t d = 0; d < rank; ++d)
        offset += index[d] * in_strides[static_cast<size_t>(perm[d])];
      y.data[i] = x.data[static_cast<size_t>(offset)];
      for (size_t d = rank; d-- > 0;) {
        if (++index[d] < y.shape[d]) break;
        index[d] = 0;
      }
    }
    out(n, std::move(y));
  }

  void concat(const OnnxNode& n) {
    const std::vector<int64_t>& y_shape = g_.value(n.outputs[0]).shape;
    int64_t axis = onnx_attr_int(n, "axis", 0);
    if (axis < 0) axis += static_cast<int64_t>(y_shape.size());
    const int64_t outer = product(y_shape, 0, static_cast<size_t>(axis));
    FloatTensor y = make(y_shape);
    int64_t at = 0;
    const int64_t row = product(y_shape, static_cast<size_t>(axis));
    for (size_t k = 0; k < n.inputs.size(); ++k) {
      const FloatTensor& x = in(n, k);
      const int64_t part = product(x.shape, static_cast<size_t>(axis));
      for (int64_t o = 0; o < outer; ++o) {
        std::copy_n(x.data.begin() + o * part, part, y.data.begin() + o * row + at);
      }
      at += part;
    }
    out(n, std::move(y));
  }
};

const std::set<std::string>& executed_ops() {
  static const std::set<std::string> ops = [] {
    std::set<std::string> s;
    for (const auto& op : OnnxFloatExecutor::supported_ops()) s.insert(op);
    return s;
  }();
  return ops;
}

}  // namespace

const std::vector<std::string>& OnnxFloatExecutor::supported_ops() {
  static const std::vector<std::string> ops = {"Abs",
                                               "Add",
                                               "AveragePool",
                                               "BatchNormalization",
                                               "Cast",
                                               "Clip",
                                               "Concat",
                                               "Conv",
                                               "Div",
                                               "Dropout",
                                               "Erf",
                                               "Exp",
                                               "Flatten",
                                               "Gemm",
                                               "GlobalAveragePool",
                                               "GlobalMaxPool",
                                               "HardSigmoid",
                                               "HardSwish",
                                               "Identity",
                                               "LeakyRelu",
                                               "MatMul",
                                               "Max",
                                               "MaxPool",
                                               "Min",
                                               "Mul",
                                               "Neg",
                                               "Pow",
                                               "Relu",
                                               "Reshape",
                                               "Sigmoid",
                                               "Softmax",
                                               "Sqrt",
                                               "Squeeze",
                                               "Sub",
                                               "Sum",
                                               "Tanh",
                                               "Transpose",
                                               "Unsqueeze"};
  return ops;
}

OnnxFloatExecutor::OnnxFloatExecutor(const OnnxGraph& graph) : graph_(graph) {
  for (const auto& [name, v] : graph_.values) {
    if (!v.has_data && !v.tensor) continue;
    FloatTensor t;
    t.shape = v.shape;
    if (v.has_data) {
      t.data.assign(v.data.begin(), v.data.end());
    } else {
      const std::vector<double> d = onnx_tensor_values(*v.tensor, graph_.file);
      t.data.assign(d.begin(), d.end());
    }
    constants_[name] = std::move(t);
  }
  // A node runs unless the importer folded every output to a constant.
  for (const auto& n : graph_.nodes) {
    const bool folded = std::all_of(n.outputs.begin(), n.outputs.end(), [&](const std::string& o) {
      return o.empty() || constants_.count(o);
    });
    if (folded) continue;
    if (!executed_ops().count(n.op)) {
      throw InputError(graph_.file + ": node '" + n.name + "' (" + n.op +
                       "): functional execution does not support this operator yet");
    }
    to_run_.push_back(&n);
  }
}

std::map<std::string, FloatTensor> OnnxFloatExecutor::run(
    const std::map<std::string, FloatTensor>& inputs, bool keep_all) const {
  Tensors values;  // the constants stay where they are: nothing is copied per run
  for (const auto& name : graph_.inputs) {
    const auto it = inputs.find(name);
    if (it == inputs.end()) {
      throw InputError(graph_.file + ": input '" + name + "' not given");
    }
    const std::vector<int64_t>& expected = graph_.value(name).shape;
    if (it->second.shape != expected ||
        static_cast<int64_t>(it->second.data.size()) != product(expected)) {
      throw InputError(graph_.file + ": input '" + name + "' has shape " +
                       shape_text(it->second.shape) + ", the model was read with " +
                       shape_text(expected));
    }
    values[name] = it->second;
  }
  Runner runner(graph_, constants_, values);
  for (const OnnxNode* n : to_run_) runner.node(*n);
  if (keep_all) return values;
  Tensors outputs;
  for (const auto& name : graph_.outputs) {
    const auto it = values.find(name);
    outputs[name] = it != values.end() ? it->second : constants_.at(name);
  }
  return outputs;
}

}  // namespace strata
