// Static shape inference over an ONNX graph, op by op, folding small integer sub-graphs to
// constants (docs/workloads.md lists the operators).
#include "workloads/onnx/onnx_shapes.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "common/input_error.h"
#include "workloads/onnx/onnx_attributes.h"
#include "workloads/onnx/onnx_shape_inference.h"
#include "workloads/onnx/onnx_tensor.h"

namespace strata {

using onnx::TensorProto;

// The values of a constant small enough for shape inference to fold; none if it cannot be read
// (its consumers then see a run-time value).
std::vector<double> folded_constant_values(const TensorProto& t, const std::string& model_file) {
  try {
    return onnx_tensor_values(t, model_file, kMaxFoldedElements);
  } catch (const InputError&) {
    return {};
  }
}

// The product of non-negative factors, saturating at INT64_MAX.
int64_t saturating_product(const std::vector<int64_t>& factors) {
  int64_t p = 1;
  for (int64_t f : factors) {
    if (f < 0 || __builtin_mul_overflow(p, f, &p)) return INT64_MAX;
  }
  return p;
}

namespace onnx_shape_inference {

void Inference::infer(const OnnxNode& n) {
  const std::string& op = n.op;
  const int32_t dtype0 = has_input(n, 0) ? in(n, 0).dtype : TensorProto::FLOAT;
  static const std::set<std::string> same_shape = {"Relu",
                                                   "LeakyRelu",
                                                   "PRelu",
                                                   "Sigmoid",
                                                   "HardSigmoid",
                                                   "HardSwish",
                                                   "Tanh",
                                                   "Clip",
                                                   "Elu",
                                                   "Selu",
                                                   "Softplus",
                                                   "Softsign",
                                                   "Exp",
                                                   "Log",
                                                   "Sqrt",
                                                   "Neg",
                                                   "Abs",
                                                   "Reciprocal",
                                                   "Floor",
                                                   "Ceil",
                                                   "Round",
                                                   "Sign",
                                                   "Erf",
                                                   "Gelu",
                                                   "Softmax",
                                                   "LogSoftmax",
                                                   "Identity",
                                                   "Dropout",
                                                   "BatchNormalization",
                                                   "InstanceNormalization",
                                                   "LayerNormalization",
                                                   "LpNormalization",
                                                   "Not",
                                                   "QuantizeLinear",
                                                   "DequantizeLinear",
                                                   "Mish",
                                                   "Sin",
                                                   "Cos",
                                                   "IsNaN",
                                                   "Hardmax",
                                                   "CumSum"};
  if (same_shape.count(op)) {
    const OnnxValue& x = in(n, 0);
    int32_t dtype = x.dtype;
    if (op == "QuantizeLinear") dtype = TensorProto::UINT8;
    if (op == "DequantizeLinear") dtype = TensorProto::FLOAT;
    OnnxValue& v = out(n, 0, x.shape, dtype);
    // Identity and a weights' DequantizeLinear keep constness (weights stay weights).
    if (op == "Identity" || op == "Dropout") {
      v.has_data = x.has_data;
      v.data = x.data;
      v.is_initializer = x.is_initializer;
      v.tensor = x.tensor;
    }
    if (op == "DequantizeLinear" || op == "QuantizeLinear") v.is_initializer = x.is_initializer;
    if (op == "LayerNormalization") {
      const int64_t axis = checked_axis(n, onnx_attr_int(n, "axis", -1), x.shape.size());
      std::vector<int64_t> stat = x.shape;
      for (size_t d = static_cast<size_t>(axis); d < stat.size(); ++d) stat[d] = 1;
      out(n, 1, stat, TensorProto::FLOAT);
      out(n, 2, stat, TensorProto::FLOAT);
    }
    if (op == "Dropout") out(n, 1, x.shape, TensorProto::BOOL);
    check_same_shape_operands(n, x.shape);
    return;
  }
  static const std::set<std::string> binary = {
      "Add", "Sub",  "Mul",   "Div",  "Pow",     "Max",         "Min",
      "Sum", "Mean", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual",
      "And", "Or",   "Xor",   "Mod",  "BitShift"};
  if (binary.count(op)) {
    std::vector<int64_t> shape = shape_of(n, 0);
    for (size_t i = 1; i < n.inputs.size(); ++i) shape = broadcast(n, shape, shape_of(n, i));
    const bool logical = op == "Equal" || op == "Less" || op == "Greater" || op == "LessOrEqual" ||
                         op == "GreaterOrEqual" || op == "And" || op == "Or" || op == "Xor";
    const int32_t dtype = logical ? TensorProto::BOOL : dtype0;
    fold_elementwise(n, shape, dtype);
    return;
  }
  if (op == "Where") {
    std::vector<int64_t> shape = broadcast(n, shape_of(n, 0), shape_of(n, 1));
    shape = broadcast(n, shape, shape_of(n, 2));
    fold_elementwise(n, shape, in(n, 1).dtype);
    return;
  }
  if (op == "Constant") {
    infer_constant(n);
    return;
  }
  if (op == "Cast") {
    const OnnxValue& x = in(n, 0);
    const int32_t to = static_cast<int32_t>(onnx_attr_int(n, "to", TensorProto::FLOAT));
    if (x.has_data) {
      std::vector<double> data = x.data;
      const bool integral = to != TensorProto::FLOAT && to != TensorProto::DOUBLE &&
                            to != TensorProto::FLOAT16 && to != TensorProto::BFLOAT16;
      if (integral) {
        for (double& d : data) d = std::trunc(d);
      }
      out_data(n, 0, x.shape, to, data);
    } else {
      out(n, 0, x.shape, to).is_initializer = x.is_initializer;
    }
    return;
  }
  if (op == "Range") {
    const double start = scalar_of(n, 0, "start"), limit = scalar_of(n, 1, "limit"),
                 delta = scalar_of(n, 2, "delta");
    if (delta == 0) fail(n, "delta is 0");
    const double count = std::max(0.0, std::ceil((limit - start) / delta));
    if (count > kMaxDim) fail(n, "the range has too many elements");
    std::vector<double> data;
    for (int64_t i = 0; i < static_cast<int64_t>(count) && i <= kMaxFoldedElements; ++i) {
      data.push_back(start + static_cast<double>(i) * delta);
    }
    out_data(n, 0, {static_cast<int64_t>(count)}, dtype0, data);
    return;
  }
  if (op == "ConstantOfShape") {
    const std::vector<int64_t> shape = ints_of(n, 0, "the shape");
    double fill = 0;
    int32_t dtype = TensorProto::FLOAT;
    if (const auto* a = onnx_attr(n, "value")) {
      dtype = a->t().data_type();
      const std::vector<double> v = folded_constant_values(a->t(), g_.file);
      if (!v.empty()) fill = v[0];
    }
    int64_t count = 1;
    count = saturating_product(shape);
    if (count <= kMaxFoldedElements) {
      out_data(n, 0, shape, dtype, std::vector<double>(static_cast<size_t>(count), fill));
    } else {
      out(n, 0, shape, dtype);
    }
    return;
  }
  static const std::set<std::string> reduce = {
      "ReduceMean", "ReduceSum",       "ReduceMax",       "ReduceMin", "ReduceProd", "ReduceL2",
      "ReduceL1",   "ReduceSumSquare", "ReduceLogSumExp", "ArgMax",    "ArgMin"};
  if (reduce.count(op)) {
    const OnnxValue& x = in(n, 0);
    const bool arg = op == "ArgMax" || op == "ArgMin";
    std::vector<int64_t> axes;
    if (arg) {
      axes = {onnx_attr_int(n, "axis", 0)};
    } else if (has_input(n, 1)) {
      axes = ints_of(n, 1, "the axes");
    } else {
      axes = onnx_attr_ints(n, "axes");
    }
    const bool keep = onnx_attr_int(n, "keepdims", 1) != 0;
    const bool noop = onnx_attr_int(n, "noop_with_empty_axes", 0) != 0;
    std::set<int64_t> set;
    for (int64_t a : axes) set.insert(checked_axis(n, a, x.shape.size()));
    std::vector<int64_t> shape;
    for (size_t d = 0; d < x.shape.size(); ++d) {
      const bool reduced = axes.empty() ? !noop : set.count(static_cast<int64_t>(d)) > 0;
      if (!reduced) {
        shape.push_back(x.shape[d]);
      } else if (keep) {
        shape.push_back(1);
      }
    }
    if (op == "ReduceProd" && x.has_data && shape.empty()) {
      double p = 1;
      for (double v : x.data) p *= v;
      out_data(n, 0, shape, x.dtype, {p});
      return;
    }
    out(n, 0, shape, arg ? TensorProto::INT64 : x.dtype);
    return;
  }
  if (op == "TopK") {
    std::vector<int64_t> shape = shape_of(n, 0);
    const int64_t axis = checked_axis(n, onnx_attr_int(n, "axis", -1), shape.size());
    shape[static_cast<size_t>(axis)] =
        g_.opset >= 10 ? to_int(scalar_of(n, 1, "K")) : onnx_attr_int(n, "k", 1);
    out(n, 0, shape, dtype0);
    out(n, 1, shape, TensorProto::INT64);
    return;
  }
  if (infer_compute(n) || infer_layout(n)) return;
  fail(n, "operator '" + op + "' (opset " + std::to_string(g_.opset) +
              ") is not supported by strata's ONNX importer (docs/workloads.md lists the "
              "supported ones)");
}

// The operands and attributes of the shape-keeping ops the executors index by: axes in range,
// per-channel parameters one per channel, scalar bounds.
void Inference::check_same_shape_operands(const OnnxNode& n, const std::vector<int64_t>& x) {
  const std::string& op = n.op;
  if (op == "Softmax" || op == "LogSoftmax" || op == "Hardmax") {
    checked_axis(n, onnx_attr_int(n, "axis", g_.opset < 13 ? 1 : -1), x.size());
  } else if (op == "LpNormalization") {
    checked_axis(n, onnx_attr_int(n, "axis", -1), x.size());
  } else if (op == "BatchNormalization" || op == "InstanceNormalization") {
    if (x.size() < 2) fail(n, "input " + shape_text(x) + " has no channel dim");
    const size_t params = op == "BatchNormalization" ? 5 : 3;
    static const char* const kNames[] = {"", "scale", "bias", "mean", "var"};
    if (n.inputs.size() < params) {
      fail(n,
           "needs " + std::to_string(params) + " inputs, got " + std::to_string(n.inputs.size()));
    }
    for (size_t i = 1; i < params; ++i) {
      if (!has_input(n, i))
        fail(n, std::string(kNames[i]) + " (input " + std::to_string(i) + ") is missing");
      check_channel_vector(n, i, kNames[i], x[1]);
    }
  } else if (op == "Clip" && g_.opset >= 11) {
    for (size_t i = 1; i <= 2; ++i) {
      if (has_input(n, i) && in(n, i).elements() != 1) {
        fail(n, std::string(i == 1 ? "min" : "max") + " must hold one value, got shape " +
                    shape_text(shape_of(n, i)));
      }
    }
  } else if (op == "PRelu") {
    check_unidirectional(n, 1, "slope", x);
  } else if (op == "CumSum") {
    checked_axis(n, to_int(scalar_of(n, 1, "the axis")), x.size());
  }
}

// Elementwise arithmetic on known small integer tensors (shape computations) folds.
void Inference::fold_elementwise(const OnnxNode& n, const std::vector<int64_t>& shape,
                                 int32_t dtype) {
  bool all = true;
  for (size_t i = 0; i < n.inputs.size(); ++i) all = all && has_input(n, i) && in(n, i).has_data;
  const int64_t count = saturating_product(shape);
  if (!all || count > kMaxFoldedElements) {
    out(n, 0, shape, dtype);
    return;
  }
  std::vector<double> data(static_cast<size_t>(count));
  for (int64_t e = 0; e < count; ++e) {
    auto at = [&](size_t i) {
      const OnnxValue& v = in(n, i);
      // Broadcast index: the element's coordinates, clamped to v's size-1 dims.
      int64_t rem = e, index = 0, stride = 1;
      const size_t offset = shape.size() - v.shape.size();
      std::vector<int64_t> coord(shape.size());
      for (size_t d = shape.size(); d-- > 0;) {
        coord[d] = rem % shape[d];
        rem /= shape[d];
      }
      for (size_t d = v.shape.size(); d-- > 0;) {
        const int64_t c = v.shape[d] == 1 ? 0 : coord[d + offset];
        index += c * stride;
        stride *= v.shape[d];
      }
      return v.data[static_cast<size_t>(index)];
    };
    const double a = at(0), b = n.inputs.size() > 1 ? at(1) : 0;
    const std::string& op = n.op;
    double r = 0;
    const bool integral = dtype != TensorProto::FLOAT && dtype != TensorProto::DOUBLE &&
                          dtype != TensorProto::FLOAT16;
    if (op == "Add" || op == "Sum") {
      r = a + b;
    } else if (op == "Sub") {
      r = a - b;
    } else if (op == "Mul") {
      r = a * b;
    } else if (op == "Div") {
      if (b == 0) fail(n, "division by zero in a constant shape computation");
      r = integral ? std::trunc(a / b) : a / b;
    } else if (op == "Max") {
      r = std::max(a, b);
    } else if (op == "Min") {
      r = std::min(a, b);
    } else if (op == "Equal") {
      r = a == b;
    } else if (op == "Less") {
      r = a < b;
    } else if (op == "Greater") {
      r = a > b;
    } else if (op == "Where") {
      r = a != 0 ? b : at(2);
    } else if (op == "Mod") {
      if (b == 0) fail(n, "modulo by zero in a constant shape computation");
      r = std::fmod(a, b);
    } else {
      out(n, 0, shape, dtype);
      return;
    }
    data[static_cast<size_t>(e)] = r;
  }
  out_data(n, 0, shape, dtype, data);
}

void Inference::infer_constant(const OnnxNode& n) {
  const auto& a = n.proto->attribute();
  if (a.size() != 1) fail(n, "expects exactly one value attribute");
  const auto& v = a[0];
  if (v.name() == "value") {
    OnnxValue& o = out(n, 0, tensor_dims(n, v.t()), v.t().data_type());
    o.is_initializer = true;
    o.tensor = &v.t();
    if (o.elements() <= kMaxFoldedElements) {
      o.data = folded_constant_values(v.t(), g_.file);
      o.has_data = static_cast<int64_t>(o.data.size()) == o.elements();
    }
  } else if (v.name() == "value_int") {
    out_data(n, 0, {}, TensorProto::INT64, {static_cast<double>(v.i())});
  } else if (v.name() == "value_ints") {
    std::vector<double> d(v.ints().begin(), v.ints().end());
    out_data(n, 0, {static_cast<int64_t>(d.size())}, TensorProto::INT64, d);
  } else if (v.name() == "value_float") {
    out_data(n, 0, {}, TensorProto::FLOAT, {v.f()});
  } else if (v.name() == "value_floats") {
    std::vector<double> d(v.floats().begin(), v.floats().end());
    out_data(n, 0, {static_cast<int64_t>(d.size())}, TensorProto::FLOAT, d);
  } else {
    fail(n, "value attribute '" + v.name() + "' is not supported");
  }
}

std::vector<int64_t> Inference::tensor_dims(const OnnxNode& n, const TensorProto& t) const {
  std::vector<int64_t> dims;
  for (int64_t d : t.dims()) {
    if (d < 0 || d > kMaxDim) fail(n, "a tensor dim is " + std::to_string(d));
    dims.push_back(d);
  }
  return dims;
}

}  // namespace onnx_shape_inference

void infer_onnx_shapes(OnnxGraph& g) { onnx_shape_inference::Inference(g).run(); }

}  // namespace strata
