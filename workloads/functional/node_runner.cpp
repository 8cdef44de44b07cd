#include "workloads/functional/node_runner.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <stdexcept>

#include "common/input_error.h"
#include "workloads/onnx/onnx_attributes.h"

namespace strata {

int64_t shape_product(const std::vector<int64_t>& shape, size_t from, size_t to) {
  const auto end = shape.begin() + static_cast<std::ptrdiff_t>(std::min(to, shape.size()));
  const auto begin =
      shape.begin() + static_cast<std::ptrdiff_t>(std::min(from, std::min(to, shape.size())));
  return std::accumulate(begin, end, int64_t{1}, std::multiplies<>());
}

FloatTensor zero_tensor(std::vector<int64_t> shape) {
  FloatTensor t;
  t.shape = std::move(shape);
  t.data.assign(static_cast<size_t>(shape_product(t.shape)), 0.0f);
  return t;
}

std::vector<int64_t> broadcast_strides(const std::vector<int64_t>& shape,
                                       const std::vector<int64_t>& out) {
  if (shape.size() > out.size()) {
    throw std::logic_error("broadcast_strides: " + shape_text(shape) + " does not broadcast to " +
                           shape_text(out));
  }
  std::vector<int64_t> strides(out.size(), 0);
  int64_t stride = 1;
  for (size_t k = 0; k < shape.size(); ++k) {
    const size_t i = shape.size() - 1 - k, o = out.size() - 1 - k;
    strides[o] = shape[i] == 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}

void NodeRunner::node(const OnnxNode& n) {
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
  if (op == "Pad") return pad(n);
  static const std::set<std::string> views = {"Reshape",  "Flatten", "Squeeze", "Unsqueeze",
                                              "Identity", "Dropout", "Cast"};
  if (views.count(op)) {
    FloatTensor t = in(n, 0);
    t.shape = g_.value(n.outputs[0]).shape;
    if (op == "Cast") {
      const int64_t to = onnx_attr_int(n, "to", onnx::TensorProto::FLOAT);
      if (to == onnx::TensorProto::BOOL) {
        for (float& x : t.data) x = x != 0 ? 1.0f : 0.0f;
      } else if (to != onnx::TensorProto::FLOAT && to != onnx::TensorProto::DOUBLE &&
                 to != onnx::TensorProto::FLOAT16 && to != onnx::TensorProto::BFLOAT16) {
        for (float& x : t.data) x = std::trunc(x);  // an integer type: the fraction goes
      }
    }
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

std::function<float(float)> NodeRunner::unary(const OnnxNode& n) const {
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

std::function<float(float, float)> NodeRunner::binary(const std::string& op) {
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
void NodeRunner::elementwise(const OnnxNode& n, const std::function<float(float, float)>& f) {
  const std::vector<int64_t>& shape = g_.value(n.outputs[0]).shape;
  FloatTensor acc = zero_tensor(shape);
  const int64_t total = shape_product(shape);
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

void NodeRunner::batch_norm(const OnnxNode& n) {
  FloatTensor y = in(n, 0);
  const FloatTensor &scale = in(n, 1), &bias = in(n, 2), &mean = in(n, 3), &var = in(n, 4);
  const float eps = static_cast<float>(onnx_attr_float(n, "epsilon", 1e-5));
  const int64_t c = y.shape.size() > 1 ? y.shape[1] : 1;
  const int64_t inner = shape_product(y.shape, 2);
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

void NodeRunner::pool(const OnnxNode& n, bool max) {
  const FloatTensor& x = in(n, 0);
  const std::vector<int64_t>& y_shape = g_.value(n.outputs[0]).shape;
  const std::vector<int64_t> kernel = onnx_attr_ints(n, "kernel_shape");
  std::vector<int64_t> strides = onnx_attr_ints(n, "strides"), pads = onnx_attr_ints(n, "pads"),
                       dil = onnx_attr_ints(n, "dilations");
  if (dil.empty()) dil = {1, 1};
  if (kernel.size() != 2 || x.shape.size() != 4) {
    throw InputError(g_.file + ": node '" + n.name + "' (" + n.op +
                     "): functional execution runs 2-D pooling only");
  }
  if (strides.empty()) strides = {1, 1};
  if (pads.empty()) pads = {0, 0, 0, 0};
  const std::string auto_pad = onnx_attr_string(n, "auto_pad", "NOTSET");
  const int64_t h = x.shape[2], w = x.shape[3], oh = y_shape[2], ow = y_shape[3];
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    const int64_t th =
        std::max<int64_t>(0, (oh - 1) * strides[0] + (kernel[0] - 1) * dil[0] + 1 - h);
    const int64_t tw =
        std::max<int64_t>(0, (ow - 1) * strides[1] + (kernel[1] - 1) * dil[1] + 1 - w);
    const bool upper = auto_pad == "SAME_UPPER";
    pads = {upper ? th / 2 : th - th / 2, upper ? tw / 2 : tw - tw / 2, 0, 0};
  }
  const bool count_pad = onnx_attr_int(n, "count_include_pad", 0) != 0;
  FloatTensor y = zero_tensor(y_shape);
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
            const int64_t iy = oy * strides[0] - pads[0] + r * dil[0];
            const int64_t ix = ox * strides[1] - pads[1] + s * dil[1];
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

void NodeRunner::global_pool(const OnnxNode& n, bool max) {
  const FloatTensor& x = in(n, 0);
  FloatTensor y = zero_tensor(g_.value(n.outputs[0]).shape);
  const int64_t planes = x.shape[0] * x.shape[1], inner = shape_product(x.shape, 2);
  for (int64_t pl = 0; pl < planes; ++pl) {
    const float* src = x.data.data() + pl * inner;
    float acc = max ? -std::numeric_limits<float>::infinity() : 0.0f;
    for (int64_t i = 0; i < inner; ++i) acc = max ? std::max(acc, src[i]) : acc + src[i];
    y.data[static_cast<size_t>(pl)] = max ? acc : acc / static_cast<float>(inner);
  }
  out(n, std::move(y));
}

void NodeRunner::softmax(const OnnxNode& n) {
  FloatTensor y = in(n, 0);
  const int64_t rank = static_cast<int64_t>(y.shape.size());
  int64_t axis = onnx_attr_int(n, "axis", g_.opset < 13 ? 1 : -1);
  if (axis < 0) axis += rank;
  // Before opset 13 the input is flattened at `axis`; from 13 the softmax runs along it.
  const int64_t inner = g_.opset < 13 ? 1 : shape_product(y.shape, static_cast<size_t>(axis) + 1);
  const int64_t len = g_.opset < 13 ? shape_product(y.shape, static_cast<size_t>(axis))
                                    : y.shape[static_cast<size_t>(axis)];
  const int64_t outer = shape_product(y.shape) / (len * inner);
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

void NodeRunner::transpose(const OnnxNode& n) {
  const FloatTensor& x = in(n, 0);
  std::vector<int64_t> perm = onnx_attr_ints(n, "perm");
  const size_t rank = x.shape.size();
  if (perm.empty()) {
    for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
  }
  if (rank <= 1) {  // a scalar or a vector: nothing moves
    FloatTensor y = x;
    y.shape = g_.value(n.outputs[0]).shape;
    return out(n, std::move(y));
  }
  FloatTensor y = zero_tensor(g_.value(n.outputs[0]).shape);
  std::vector<int64_t> in_strides(rank, 1);
  for (size_t d = rank - 1; d-- > 0;) in_strides[d] = in_strides[d + 1] * x.shape[d + 1];
  std::vector<int64_t> index(rank, 0);
  for (size_t i = 0; i < y.data.size(); ++i) {
    int64_t offset = 0;
    for (size_t d = 0; d < rank; ++d) offset += index[d] * in_strides[static_cast<size_t>(perm[d])];
    y.data[i] = x.data[static_cast<size_t>(offset)];
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < y.shape[d]) break;
      index[d] = 0;
    }
  }
  out(n, std::move(y));
}

void NodeRunner::concat(const OnnxNode& n) {
  const std::vector<int64_t>& y_shape = g_.value(n.outputs[0]).shape;
  int64_t axis = onnx_attr_int(n, "axis", 0);
  if (axis < 0) axis += static_cast<int64_t>(y_shape.size());
  const int64_t outer = shape_product(y_shape, 0, static_cast<size_t>(axis));
  FloatTensor y = zero_tensor(y_shape);
  int64_t at = 0;
  const int64_t row = shape_product(y_shape, static_cast<size_t>(axis));
  for (size_t k = 0; k < n.inputs.size(); ++k) {
    const FloatTensor& x = in(n, k);
    const int64_t part = shape_product(x.shape, static_cast<size_t>(axis));
    for (int64_t o = 0; o < outer; ++o) {
      std::copy_n(x.data.begin() + o * part, part, y.data.begin() + o * row + at);
    }
    at += part;
  }
  out(n, std::move(y));
}

// Constant-mode padding with non-negative pads (the importer inferred the output shape).
void NodeRunner::pad(const OnnxNode& n) {
  const FloatTensor& x = in(n, 0);
  const std::vector<int64_t>& y_shape = g_.value(n.outputs[0]).shape;
  const std::string mode = onnx_attr_string(n, "mode", "constant");
  std::vector<int64_t> pads;
  float fill = 0;
  if (g_.opset >= 11) {
    for (float v : in(n, 1).data) pads.push_back(static_cast<int64_t>(v));
    if (has(n, 2)) fill = in(n, 2).data.at(0);
  } else {
    pads = onnx_attr_ints(n, "pads");
    fill = static_cast<float>(onnx_attr_float(n, "value", 0.0));
  }
  const size_t rank = x.shape.size();
  if (mode != "constant" || pads.size() != 2 * rank ||
      std::any_of(pads.begin(), pads.end(), [](int64_t p) { return p < 0; })) {
    throw InputError(g_.file + ": node '" + n.name +
                     "' (Pad): functional execution supports constant-mode padding with "
                     "non-negative pads only");
  }
  FloatTensor y{y_shape, std::vector<float>(static_cast<size_t>(shape_product(y_shape)), fill)};
  const std::vector<int64_t> in_strides = broadcast_strides(x.shape, x.shape);
  const std::vector<int64_t> out_strides = broadcast_strides(y_shape, y_shape);
  for (int64_t i = 0; i < static_cast<int64_t>(x.data.size()); ++i) {
    int64_t at = 0, rest = i;
    for (size_t d = 0; d < rank; ++d) {
      const int64_t coord = in_strides[d] > 0 ? rest / in_strides[d] : 0;
      rest -= coord * in_strides[d];
      at += (coord + pads[d]) * out_strides[d];
    }
    y.data[static_cast<size_t>(at)] = x.data[static_cast<size_t>(i)];
  }
  out(n, std::move(y));
}

}  // namespace strata
