#include "workloads/onnx/onnx_weights.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>

#include "common/input_error.h"
#include "common/printable.h"
#include "workloads/onnx/onnx_attributes.h"
#include "workloads/onnx/onnx_tensor.h"

namespace strata {

OnnxWeightReader::OnnxWeightReader(const OnnxGraph& g,
                                   const std::map<std::string, const OnnxNode*>& producer,
                                   std::map<std::string, LayerWeights>* weights,
                                   std::map<std::string, std::vector<float>>* folded_scales)
    : g_(g), producer_(producer), weights_(weights), folded_scales_(folded_scales) {}

// The values of an initializer as floats (onnx_tensor_values), errors naming the node.
std::vector<float> OnnxWeightReader::decode(const OnnxNode& n, const onnx::TensorProto& t) const {
  std::vector<double> v;
  try {
    v = onnx_tensor_values(t, g_.file);
  } catch (const InputError& e) {
    throw_node_error(g_, n, e.what());
  }
  return std::vector<float>(v.begin(), v.end());
}

// The float weights behind a value: an initializer (or Constant), or an int8/uint8 initializer
// dequantized by a DequantizeLinear node (QDQ models): (q - zero_point) x scale, per tensor or
// per axis. Empty if the value is computed otherwise.
std::vector<float> OnnxWeightReader::floats(const OnnxNode& n, const std::string& name) const {
  if (const onnx::TensorProto* t = g_.value(name).tensor) {
    const int type = t->data_type();
    if (type == onnx::TensorProto::INT8 || type == onnx::TensorProto::UINT8 ||
        type == onnx::TensorProto::INT32) {
      return {};  // integer codes without their scale: not weights by themselves
    }
    return decode(n, *t);
  }
  const auto p = producer_.find(name);
  if (p == producer_.end() || p->second->op != "DequantizeLinear") return {};
  const OnnxNode& dq = *p->second;
  const onnx::TensorProto* q = dq.inputs.empty() ? nullptr : g_.value(dq.inputs[0]).tensor;
  const onnx::TensorProto* s = dq.inputs.size() > 1 ? g_.value(dq.inputs[1]).tensor : nullptr;
  if (!q || !s) return {};
  std::vector<float> v = decode(dq, *q);
  const std::vector<float> scale = decode(dq, *s);
  for (float x : scale) {
    if (!(std::isfinite(x) && x > 0)) {
      throw_node_error(g_, dq, "scale " + std::to_string(x) + " is not a positive finite number");
    }
  }
  std::vector<float> zero;
  if (dq.inputs.size() > 2 && !dq.inputs[2].empty()) {
    if (const onnx::TensorProto* z = g_.value(dq.inputs[2]).tensor) zero = decode(dq, *z);
  }
  const std::vector<int64_t>& shape = g_.value(dq.inputs[0]).shape;
  int64_t axis = onnx_attr_int(dq, "axis", 1);
  if (axis < 0) axis += static_cast<int64_t>(shape.size());
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(std::max<int64_t>(axis + 1, 0)); d < shape.size(); ++d)
    inner *= shape[d];
  const bool per_axis = scale.size() > 1;
  if (per_axis && (axis < 0 || axis >= static_cast<int64_t>(shape.size()) ||
                   static_cast<int64_t>(scale.size()) != shape[static_cast<size_t>(axis)])) {
    throw_node_error(
        g_, dq,
        "scale has " + std::to_string(scale.size()) + " values for axis " + std::to_string(axis));
  }
  if (scale.empty() || (!zero.empty() && zero.size() != scale.size())) {
    throw_node_error(g_, dq, "scale and zero point do not match");
  }
  for (size_t i = 0; i < v.size(); ++i) {
    const size_t c = per_axis ? static_cast<size_t>(static_cast<int64_t>(i) / inner %
                                                    static_cast<int64_t>(scale.size()))
                              : 0;
    v[i] = (v[i] - (zero.empty() ? 0.0f : zero[c])) * scale[c];
  }
  return v;
}

// One rule for every weight source (.npy, TF.js, ONNX): weights are finite numbers.
void OnnxWeightReader::require_finite_weights(const OnnxNode& n, const std::string& name,
                                              const std::vector<float>& v) const {
  for (size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      throw_node_error(g_, n,
                       "'" + printable(name) + "' element " + std::to_string(i) + " is " +
                           (std::isnan(v[i]) ? "NaN" : "infinite") +
                           "; weights must be finite numbers");
    }
  }
}

// [rows x cols] row-major -> [cols x rows].
std::vector<float> OnnxWeightReader::transposed(const std::vector<float>& v, int64_t rows,
                                                int64_t cols) {
  std::vector<float> t(v.size());
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      t[static_cast<size_t>(c * rows + r)] = v[static_cast<size_t>(r * cols + c)];
    }
  }
  return t;
}

void OnnxWeightReader::read_layer_weights(const OnnxNode& n, const Layer& l) {
  WeightTensor expected;
  if (!expected_weight_shape(l, &expected)) return;  // both operands are activations
  std::vector<float> v = floats(n, n.inputs[1]);
  if (v.empty()) return;
  if (static_cast<int64_t>(v.size()) != expected.size()) {
    throw_node_error(g_, n,
                     "weights '" + n.inputs[1] + "' hold " + std::to_string(v.size()) +
                         " values; the layer needs " + std::to_string(expected.size()));
  }
  require_finite_weights(n, n.inputs[1], v);
  if (n.op == "Gemm" && onnx_attr_int(n, "transB", 0) == 0) v = transposed(v, l.k, l.n);
  if (n.op == "MatMul") v = transposed(v, l.k, l.n);
  if (n.op == "ConvTranspose") v = transposed(v, l.k, l.n);
  expected.data = std::move(v);
  const auto p = producer_.find(n.inputs[1]);
  const bool qdq = p != producer_.end() && p->second->op == "DequantizeLinear";
  (*weights_)[l.name] = LayerWeights{
      std::move(expected),
      "real: " + (qdq ? p->second->inputs[0] + " (int8, dequantized by " + p->second->name + ")"
                      : n.inputs[1])};
}

// A BatchNormalization's constant parameters are finite and its variance above -epsilon
// (sqrt(var + eps) is real and not zero).
void OnnxWeightReader::check_batch_norm(const OnnxNode& n) const {
  const auto* eps_attr = onnx_attr(n, "epsilon");
  const double eps = eps_attr ? eps_attr->f() : 1e-5;
  for (size_t i = 1; i < 5 && i < n.inputs.size(); ++i) {
    const std::vector<float> v = floats(n, n.inputs[i]);
    require_finite_weights(n, n.inputs[i], v);
    for (size_t c = 0; i == 4 && c < v.size(); ++c) {
      if (!(v[c] + eps > 0)) {
        throw_node_error(g_, n,
                         "variance '" + printable(n.inputs[4]) + "' element " + std::to_string(c) +
                             " is " + std::to_string(v[c]) + " (epsilon " + std::to_string(eps) +
                             "); a variance must be above -epsilon");
      }
    }
  }
}

// y = scale (x - mean) / sqrt(var + eps) + bias after a layer: its weights absorb the scale.
void OnnxWeightReader::fold_batch_norm(const OnnxNode& n, const std::string& layer) {
  const auto it = weights_->find(layer);
  if (it == weights_->end() || n.inputs.size() < 5) return;
  WeightTensor& w = it->second.tensor;
  const std::vector<float> scale = floats(n, n.inputs[1]), var = floats(n, n.inputs[4]);
  if (static_cast<int64_t>(scale.size()) != w.out_channels ||
      static_cast<int64_t>(var.size()) != w.out_channels) {
    return;
  }
  const auto* eps_attr = onnx_attr(n, "epsilon");
  const double eps = eps_attr ? eps_attr->f() : 1e-5;
  std::vector<float>& folded = (*folded_scales_)[layer];
  folded.resize(static_cast<size_t>(w.out_channels), 1.0f);
  for (int64_t o = 0; o < w.out_channels; ++o) {
    const float k = static_cast<float>(scale[static_cast<size_t>(o)] /
                                       std::sqrt(var[static_cast<size_t>(o)] + eps));
    folded[static_cast<size_t>(o)] *= k;
    for (int64_t i = 0; i < w.per_channel(); ++i)
      w.data[static_cast<size_t>(o * w.per_channel() + i)] *= k;
  }
  it->second.source += " (BatchNormalization " + n.name + " folded)";
}

}  // namespace strata
