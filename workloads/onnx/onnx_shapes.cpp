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

namespace {

class Inference {
 public:
  Inference(OnnxGraph& g) : g_(g) {}

  // Outputs an op does not define here (training-only outputs, an extra output name) get no
  // shape; a node that reads one fails naming it (in()).
  void run() {
    for (const auto& n : g_.nodes) infer(n);
  }

 private:
  OnnxGraph& g_;

  [[noreturn]] void fail(const OnnxNode& n, const std::string& what) const {
    throw InputError(g_.file + ": node '" + n.name + "' (" + n.op + "): " + what);
  }

  // Integer attributes that size windows and outputs: each within [lo, 2^31], so the shape
  // arithmetic on them cannot overflow.
  std::vector<int64_t> sized_ints(const OnnxNode& n, const char* name, int64_t lo) const {
    std::vector<int64_t> v = onnx_attr_ints(n, name);
    for (int64_t x : v) {
      if (x < lo || x > kMaxDim) {
        fail(n, std::string(name) + " value " + std::to_string(x) + " is outside [" +
                    std::to_string(lo) + ", 2^31]");
      }
    }
    return v;
  }
  std::vector<double> attr_floats(const OnnxNode& n, const char* name) const {
    const auto* a = onnx_attr(n, name);
    if (!a) return {};
    return std::vector<double>(a->floats().begin(), a->floats().end());
  }

  bool has_input(const OnnxNode& n, size_t i) const {
    return i < n.inputs.size() && !n.inputs[i].empty();
  }
  const OnnxValue& in(const OnnxNode& n, size_t i) const {
    if (!has_input(n, i)) fail(n, "input " + std::to_string(i) + " is missing");
    const auto it = g_.values.find(n.inputs[i]);
    if (it == g_.values.end()) {
      fail(n, "input '" + n.inputs[i] + "' is an output strata's shape inference does not produce");
    }
    return it->second;
  }
  const std::vector<int64_t>& shape_of(const OnnxNode& n, size_t i) const { return in(n, i).shape; }
  // The known values of input i (a constant or a folded sub-graph), as integers.
  std::vector<int64_t> ints_of(const OnnxNode& n, size_t i, const char* what) const {
    const OnnxValue& v = in(n, i);
    if (!v.has_data) {
      fail(n, std::string(what) + " (input '" + n.inputs[i] +
                  "') is computed at run time; strata needs it constant to know the shapes");
    }
    std::vector<int64_t> out;
    for (double d : v.data) out.push_back(to_int(d));
    return out;
  }
  std::vector<double> reals_of(const OnnxNode& n, size_t i, const char* what) const {
    const OnnxValue& v = in(n, i);
    if (!v.has_data) {
      fail(n, std::string(what) + " (input '" + n.inputs[i] +
                  "') is computed at run time; strata needs it constant to know the shapes");
    }
    return v.data;
  }
  double scalar_of(const OnnxNode& n, size_t i, const char* what) const {
    const std::vector<double> v = reals_of(n, i, what);
    if (v.size() != 1) fail(n, std::string(what) + " must hold one value");
    return v[0];
  }
  static int64_t to_int(double d) {
    if (d >= 9.2e18) return std::numeric_limits<int64_t>::max();
    if (d <= -9.2e18) return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(std::llround(d));
  }

  OnnxValue& out(const OnnxNode& n, size_t i, std::vector<int64_t> shape, int32_t dtype) {
    if (i >= n.outputs.size() || n.outputs[i].empty()) {
      static OnnxValue sink;
      sink = OnnxValue();
      return sink;
    }
    for (int64_t d : shape) {
      if (d < 0 || d > kMaxDim) {
        fail(n, "output '" + n.outputs[i] + "' would have shape " + shape_text(shape) +
                    " (each dim must be 0..2^31)");
      }
    }
    if (saturating_product(shape) > kMaxTensorElements) {
      fail(n, "output '" + n.outputs[i] + "' would have shape " + shape_text(shape) +
                  ", more than 2^48 elements");
    }
    OnnxValue& v = g_.values[n.outputs[i]];
    v.shape = std::move(shape);
    v.dtype = dtype;
    return v;
  }
  void out_data(const OnnxNode& n, size_t i, std::vector<int64_t> shape, int32_t dtype,
                std::vector<double> data) {
    OnnxValue& v = out(n, i, std::move(shape), dtype);
    if (static_cast<int64_t>(data.size()) == v.elements() &&
        static_cast<int64_t>(data.size()) <= kMaxFoldedElements) {
      v.has_data = true;
      v.data = std::move(data);
    }
  }

  static int64_t axis_of(int64_t axis, size_t rank) {
    return axis < 0 ? axis + static_cast<int64_t>(rank) : axis;
  }
  int64_t checked_axis(const OnnxNode& n, int64_t axis, size_t rank) const {
    const int64_t a = axis_of(axis, rank);
    if (a < 0 || a >= static_cast<int64_t>(rank)) {
      fail(n, "axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
    }
    return a;
  }

  std::vector<int64_t> broadcast(const OnnxNode& n, std::vector<int64_t> a,
                                 std::vector<int64_t> b) const {
    if (a.size() < b.size()) std::swap(a, b);
    b.insert(b.begin(), a.size() - b.size(), 1);
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i] == b[i] || b[i] == 1) continue;
      if (a[i] == 1) {
        a[i] = b[i];
        continue;
      }
      fail(n, "shapes " + shape_text(a) + " and " + shape_text(b) + " do not broadcast");
    }
    return a;
  }

  // Output size of one spatial dim of Conv / pooling with ONNX's padding rules.
  int64_t window_out(const OnnxNode& n, int64_t in, int64_t kernel, int64_t stride,
                     int64_t dilation, int64_t pad_begin, int64_t pad_end, const std::string& pad,
                     bool ceil_mode) const {
    const int64_t eff = (kernel - 1) * dilation + 1;
    if (pad == "SAME_UPPER" || pad == "SAME_LOWER") return (in + stride - 1) / stride;
    int64_t span = in + pad_begin + pad_end - eff;
    if (pad == "VALID") span = in - eff;
    if (span < 0) {
      fail(n, "the window (" + std::to_string(eff) + ") is larger than the padded input (" +
                  std::to_string(in + pad_begin + pad_end) + ")");
    }
    return (ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
  }

  void infer_window(const OnnxNode& n, const std::vector<int64_t>& x, int64_t channels,
                    const std::vector<int64_t>& kernel) {
    const size_t spatial = kernel.size();
    if (x.size() != spatial + 2) {
      fail(n,
           "input " + shape_text(x) + " does not match a " + std::to_string(spatial) + "-D kernel");
    }
    std::vector<int64_t> strides = sized_ints(n, "strides", 1), dil = sized_ints(n, "dilations", 1),
                         pads = sized_ints(n, "pads", 0);
    strides.resize(spatial, 1);
    dil.resize(spatial, 1);
    pads.resize(2 * spatial, 0);
    const std::string auto_pad = onnx_attr_string(n, "auto_pad", "NOTSET");
    const bool ceil_mode = onnx_attr_int(n, "ceil_mode", 0) != 0;
    std::vector<int64_t> shape = {x[0], channels};
    for (size_t d = 0; d < spatial; ++d) {
      if (kernel[d] < 1 || strides[d] < 1 || dil[d] < 1)
        fail(n, "kernel, strides and dilations must be >= 1");
      shape.push_back(window_out(n, x[2 + d], kernel[d], strides[d], dil[d], pads[d],
                                 pads[spatial + d], auto_pad, ceil_mode));
    }
    out(n, 0, shape, in(n, 0).dtype);
  }

  void infer(const OnnxNode& n) {
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
      return;
    }
    static const std::set<std::string> binary = {
        "Add", "Sub",  "Mul",   "Div",  "Pow",     "Max",         "Min",
        "Sum", "Mean", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual",
        "And", "Or",   "Xor",   "Mod",  "BitShift"};
    if (binary.count(op)) {
      std::vector<int64_t> shape = shape_of(n, 0);
      for (size_t i = 1; i < n.inputs.size(); ++i) shape = broadcast(n, shape, shape_of(n, i));
      const bool logical = op == "Equal" || op == "Less" || op == "Greater" ||
                           op == "LessOrEqual" || op == "GreaterOrEqual" || op == "And" ||
                           op == "Or" || op == "Xor";
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
    if (op == "Conv" || op == "ConvInteger") {
      const auto& x = shape_of(n, 0);
      const auto& w = shape_of(n, 1);
      if (w.size() < 3) fail(n, "weights " + shape_text(w) + " are not [M, C/group, k...]");
      const int64_t group = onnx_attr_int(n, "group", 1);
      if (group < 1 || group > kMaxDim || x.size() != w.size() || x[1] != w[1] * group) {
        fail(n, "input " + shape_text(x) + ", weights " + shape_text(w) + " and group " +
                    std::to_string(group) + " do not match");
      }
      std::vector<int64_t> kernel(w.begin() + 2, w.end());
      infer_window(n, x, w[0], kernel);
      return;
    }
    if (op == "ConvTranspose") {
      const auto& x = shape_of(n, 0);
      const auto& w = shape_of(n, 1);
      const int64_t group = onnx_attr_int(n, "group", 1);
      if (w.size() < 3 || x.size() != w.size() || x[1] != w[0] || group < 1 || group > kMaxDim) {
        fail(n, "input " + shape_text(x) + " and weights " + shape_text(w) +
                    " ([C, M/group, k...]) do not match");
      }
      const size_t spatial = w.size() - 2;
      std::vector<int64_t> strides = sized_ints(n, "strides", 1),
                           dil = sized_ints(n, "dilations", 1), pads = sized_ints(n, "pads", 0),
                           extra = sized_ints(n, "output_padding", 0),
                           shape_attr = sized_ints(n, "output_shape", 1);
      strides.resize(spatial, 1);
      dil.resize(spatial, 1);
      pads.resize(2 * spatial, 0);
      extra.resize(spatial, 0);
      const std::string auto_pad = onnx_attr_string(n, "auto_pad", "NOTSET");
      std::vector<int64_t> shape = {x[0], w[1] * group};
      for (size_t d = 0; d < spatial; ++d) {
        int64_t o = 0;
        if (shape_attr.size() >= spatial) {
          o = shape_attr[shape_attr.size() - spatial + d];
        } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
          o = x[2 + d] * strides[d];
        } else {
          o = strides[d] * (x[2 + d] - 1) + extra[d] + (w[2 + d] - 1) * dil[d] + 1 -
              (auto_pad == "VALID" ? 0 : pads[d] + pads[spatial + d]);
        }
        if (o < 1) fail(n, "output size " + std::to_string(o) + " is not positive");
        shape.push_back(o);
      }
      out(n, 0, shape, dtype0);
      return;
    }
    if (op == "MaxPool" || op == "AveragePool" || op == "LpPool") {
      const auto& x = shape_of(n, 0);
      infer_window(n, x, x.size() > 1 ? x[1] : 0, sized_ints(n, "kernel_shape", 1));
      if (op == "MaxPool") out(n, 1, g_.values[n.outputs[0]].shape, TensorProto::INT64);
      return;
    }
    if (op == "GlobalAveragePool" || op == "GlobalMaxPool" || op == "GlobalLpPool") {
      std::vector<int64_t> shape = shape_of(n, 0);
      for (size_t d = 2; d < shape.size(); ++d) shape[d] = 1;
      out(n, 0, shape, dtype0);
      return;
    }
    if (op == "Gemm") {
      const auto& a = shape_of(n, 0);
      const auto& b = shape_of(n, 1);
      if (a.size() != 2 || b.size() != 2) fail(n, "operands must be 2-D");
      const bool ta = onnx_attr_int(n, "transA", 0) != 0, tb = onnx_attr_int(n, "transB", 0) != 0;
      const int64_t m = ta ? a[1] : a[0], k = ta ? a[0] : a[1];
      const int64_t kb = tb ? b[1] : b[0], nn = tb ? b[0] : b[1];
      if (k != kb) fail(n, "A " + shape_text(a) + " and B " + shape_text(b) + " do not multiply");
      out(n, 0, {m, nn}, dtype0);
      return;
    }
    if (op == "MatMul" || op == "MatMulInteger") {
      std::vector<int64_t> a = shape_of(n, 0), b = shape_of(n, 1);
      if (a.empty() || b.empty()) fail(n, "operands must have rank >= 1");
      const bool a_vec = a.size() == 1, b_vec = b.size() == 1;
      if (a_vec) a.insert(a.begin(), 1);
      if (b_vec) b.push_back(1);
      if (a.back() != b[b.size() - 2]) {
        fail(n, "A " + shape_text(shape_of(n, 0)) + " and B " + shape_text(shape_of(n, 1)) +
                    " do not multiply");
      }
      std::vector<int64_t> batch = broadcast(n, std::vector<int64_t>(a.begin(), a.end() - 2),
                                             std::vector<int64_t>(b.begin(), b.end() - 2));
      if (!a_vec) batch.push_back(a[a.size() - 2]);
      if (!b_vec) batch.push_back(b.back());
      out(n, 0, batch, op == "MatMulInteger" ? TensorProto::INT32 : dtype0);
      return;
    }
    if (op == "Reshape") {
      const auto& x = shape_of(n, 0);
      const std::vector<int64_t> spec =
          g_.opset >= 5 ? ints_of(n, 1, "the target shape") : onnx_attr_ints(n, "shape");
      const bool allow_zero = onnx_attr_int(n, "allowzero", 0) != 0;
      std::vector<int64_t> shape;
      int64_t known = 1, infer_at = -1;
      for (size_t i = 0; i < spec.size(); ++i) {
        int64_t d = spec[i];
        if (d == 0 && !allow_zero) {
          if (i >= x.size()) fail(n, "0 in the target shape copies a dim the input lacks");
          d = x[i];
        }
        if (d == -1) {
          if (infer_at >= 0) fail(n, "the target shape has two -1 dims");
          infer_at = static_cast<int64_t>(i);
          shape.push_back(1);
          continue;
        }
        if (d < 0) fail(n, "target dim " + std::to_string(d) + " is negative");
        shape.push_back(d);
        known = saturating_product({known, d});
      }
      const int64_t total = in(n, 0).elements();
      if (infer_at >= 0) {
        if (known == 0 || total % known != 0) {
          fail(n, "cannot reshape " + shape_text(x) + " to " + shape_text(spec));
        }
        shape[static_cast<size_t>(infer_at)] = total / known;
      } else if (known != total) {
        fail(n, "cannot reshape " + shape_text(x) + " (" + std::to_string(total) +
                    " elements) to " + shape_text(shape));
      }
      pass_data(n, shape);
      return;
    }
    if (op == "Flatten") {
      const auto& x = shape_of(n, 0);
      const int64_t axis = axis_of(onnx_attr_int(n, "axis", 1), x.size());
      if (axis < 0 || axis > static_cast<int64_t>(x.size())) fail(n, "axis out of range");
      int64_t outer = 1, inner = 1;
      for (size_t d = 0; d < x.size(); ++d) {
        int64_t& part = static_cast<int64_t>(d) < axis ? outer : inner;
        part = saturating_product({part, x[d]});
      }
      pass_data(n, {outer, inner});
      return;
    }
    if (op == "Squeeze" || op == "Unsqueeze") {
      const auto& x = shape_of(n, 0);
      std::vector<int64_t> axes =
          g_.opset >= 13 && has_input(n, 1) ? ints_of(n, 1, "the axes") : onnx_attr_ints(n, "axes");
      std::vector<int64_t> shape;
      if (op == "Squeeze") {
        std::set<int64_t> drop;
        for (int64_t a : axes) drop.insert(checked_axis(n, a, x.size()));
        for (size_t d = 0; d < x.size(); ++d) {
          const bool squeeze = axes.empty() ? x[d] == 1 : drop.count(static_cast<int64_t>(d)) > 0;
          if (squeeze && x[d] != 1)
            fail(n, "cannot squeeze dim " + std::to_string(d) + " of " + shape_text(x));
          if (!squeeze) shape.push_back(x[d]);
        }
      } else {
        const size_t rank = x.size() + axes.size();
        std::set<int64_t> add;
        for (int64_t a : axes) add.insert(checked_axis(n, a, rank));
        size_t next = 0;
        for (size_t d = 0; d < rank; ++d)
          shape.push_back(add.count(static_cast<int64_t>(d)) ? 1 : x[next++]);
      }
      pass_data(n, shape);
      return;
    }
    if (op == "Transpose") {
      const OnnxValue& x = in(n, 0);
      std::vector<int64_t> perm = onnx_attr_ints(n, "perm");
      if (perm.empty()) {
        for (size_t d = x.shape.size(); d-- > 0;) perm.push_back(static_cast<int64_t>(d));
      }
      if (perm.size() != x.shape.size()) fail(n, "perm does not match the input's rank");
      std::vector<int64_t> shape;
      for (int64_t p : perm)
        shape.push_back(x.shape[static_cast<size_t>(checked_axis(n, p, x.shape.size()))]);
      out(n, 0, shape, x.dtype).is_initializer = x.is_initializer;
      return;
    }
    if (op == "Concat") {
      std::vector<int64_t> shape = shape_of(n, 0);
      const int64_t axis = checked_axis(n, onnx_attr_int(n, "axis", 0), shape.size());
      bool all_data = true;
      std::vector<double> data;
      for (size_t i = 0; i < n.inputs.size(); ++i) {
        const OnnxValue& v = in(n, i);
        if (i > 0) {
          if (v.shape.size() != shape.size()) fail(n, "inputs differ in rank");
          for (size_t d = 0; d < shape.size(); ++d) {
            if (static_cast<int64_t>(d) != axis && v.shape[d] != shape[d]) {
              fail(n, "inputs " + shape_text(shape) + " and " + shape_text(v.shape) +
                          " differ outside axis " + std::to_string(axis));
            }
          }
          shape[static_cast<size_t>(axis)] += v.shape[static_cast<size_t>(axis)];
        }
        all_data = all_data && v.has_data && v.shape.size() == 1;
        data.insert(data.end(), v.data.begin(), v.data.end());
      }
      if (all_data) {
        out_data(n, 0, shape, dtype0, data);
      } else {
        out(n, 0, shape, dtype0);
      }
      return;
    }
    if (op == "Split") {
      const auto& x = shape_of(n, 0);
      const int64_t axis = checked_axis(n, onnx_attr_int(n, "axis", 0), x.size());
      std::vector<int64_t> parts = g_.opset >= 13 && has_input(n, 1) ? ints_of(n, 1, "the split")
                                                                     : onnx_attr_ints(n, "split");
      const int64_t count = static_cast<int64_t>(n.outputs.size());
      const int64_t dim = x[static_cast<size_t>(axis)];
      if (parts.empty()) {
        for (int64_t i = 0; i < count; ++i)
          parts.push_back(dim / count + (i < dim % count ? 1 : 0));
      }
      if (static_cast<int64_t>(parts.size()) != count)
        fail(n, "split sizes do not match the outputs");
      int64_t sum = 0;
      for (size_t i = 0; i < parts.size(); ++i) {
        if (parts[i] < 0 || parts[i] > dim)
          fail(n, "a split size is outside [0, " + std::to_string(dim) + "]");
        std::vector<int64_t> shape = x;
        shape[static_cast<size_t>(axis)] = parts[i];
        sum += parts[i];
        out(n, i, shape, dtype0);
      }
      if (sum != dim)
        fail(n, "split sizes add up to " + std::to_string(sum) + ", not " + std::to_string(dim));
      return;
    }
    if (op == "Shape") {
      const auto& x = shape_of(n, 0);
      int64_t start = onnx_attr_int(n, "start", 0),
              end = onnx_attr_int(n, "end", static_cast<int64_t>(x.size()));
      const int64_t rank = static_cast<int64_t>(x.size());
      start = std::clamp(start < 0 ? start + rank : start, int64_t{0}, rank);
      end = std::clamp(end < 0 ? end + rank : end, int64_t{0}, rank);
      std::vector<double> data;
      for (int64_t d = start; d < end; ++d)
        data.push_back(static_cast<double>(x[static_cast<size_t>(d)]));
      out_data(n, 0, {static_cast<int64_t>(data.size())}, TensorProto::INT64, data);
      return;
    }
    if (op == "Size") {
      out_data(n, 0, {}, TensorProto::INT64, {static_cast<double>(in(n, 0).elements())});
      return;
    }
    if (op == "Gather") {
      const OnnxValue& x = in(n, 0);
      const OnnxValue& idx = in(n, 1);
      const int64_t axis = checked_axis(n, onnx_attr_int(n, "axis", 0), x.shape.size());
      std::vector<int64_t> shape(x.shape.begin(), x.shape.begin() + axis);
      shape.insert(shape.end(), idx.shape.begin(), idx.shape.end());
      shape.insert(shape.end(), x.shape.begin() + axis + 1, x.shape.end());
      if (x.has_data && idx.has_data && x.shape.size() == 1) {
        std::vector<double> data;
        for (double i : idx.data) {
          int64_t k = to_int(i);
          if (k < 0) k += x.shape[0];
          if (k < 0 || k >= x.shape[0])
            fail(n, "index " + std::to_string(to_int(i)) + " out of range");
          data.push_back(x.data[static_cast<size_t>(k)]);
        }
        out_data(n, 0, shape, x.dtype, data);
      } else {
        out(n, 0, shape, x.dtype);
      }
      return;
    }
    if (op == "Slice") {
      infer_slice(n);
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
    if (op == "Expand") {
      out(n, 0, broadcast(n, shape_of(n, 0), ints_of(n, 1, "the shape")), dtype0);
      return;
    }
    if (op == "Tile") {
      std::vector<int64_t> shape = shape_of(n, 0);
      const std::vector<int64_t> reps = ints_of(n, 1, "the repeats");
      if (reps.size() != shape.size()) fail(n, "repeats do not match the rank");
      for (size_t d = 0; d < shape.size(); ++d) shape[d] = saturating_product({shape[d], reps[d]});
      out(n, 0, shape, dtype0);
      return;
    }
    if (op == "Pad") {
      std::vector<int64_t> shape = shape_of(n, 0);
      const std::vector<int64_t> pads =
          g_.opset >= 11 ? ints_of(n, 1, "the pads") : onnx_attr_ints(n, "pads");
      if (pads.size() != 2 * shape.size()) fail(n, "pads do not match the rank");
      for (size_t d = 0; d < shape.size(); ++d) {
        int64_t grown = 0;
        if (__builtin_add_overflow(shape[d], pads[d], &grown) ||
            __builtin_add_overflow(grown, pads[shape.size() + d], &grown) || grown < 0) {
          fail(n, "pads make dim " + std::to_string(d) + " negative or too large");
        }
        shape[d] = grown;
      }
      out(n, 0, shape, dtype0);
      return;
    }
    if (op == "Resize" || op == "Upsample") {
      infer_resize(n);
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
    if (op == "DepthToSpace" || op == "SpaceToDepth") {
      std::vector<int64_t> shape = shape_of(n, 0);
      const int64_t b = onnx_attr_int(n, "blocksize", 1);
      if (shape.size() != 4 || b < 1 || b > 65536) {
        fail(n, "expects a 4-D input and blocksize in [1, 65536]");
      }
      if (op == "DepthToSpace") {
        shape = {shape[0], shape[1] / (b * b), shape[2] * b, shape[3] * b};
      } else {
        shape = {shape[0], shape[1] * b * b, shape[2] / b, shape[3] / b};
      }
      out(n, 0, shape, dtype0);
      return;
    }
    fail(n, "operator '" + op + "' (opset " + std::to_string(g_.opset) +
                ") is not supported by strata's ONNX importer (docs/workloads.md lists the "
                "supported ones)");
  }

  // Elementwise arithmetic on known small integer tensors (shape computations) folds.
  void fold_elementwise(const OnnxNode& n, const std::vector<int64_t>& shape, int32_t dtype) {
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

  // Reshape-like ops keep a constant's values (flat order is unchanged).
  void pass_data(const OnnxNode& n, const std::vector<int64_t>& shape) {
    const OnnxValue& x = in(n, 0);
    if (x.has_data) {
      out_data(n, 0, shape, x.dtype, x.data);
    } else {
      OnnxValue& v = out(n, 0, shape, x.dtype);
      v.is_initializer = x.is_initializer;
      v.tensor = x.tensor;
    }
  }

  void infer_slice(const OnnxNode& n) {
    const OnnxValue& x = in(n, 0);
    std::vector<int64_t> starts, ends, axes, steps;
    if (g_.opset >= 10) {
      starts = ints_of(n, 1, "starts");
      ends = ints_of(n, 2, "ends");
      if (has_input(n, 3)) axes = ints_of(n, 3, "axes");
      if (has_input(n, 4)) steps = ints_of(n, 4, "steps");
    } else {
      starts = onnx_attr_ints(n, "starts");
      ends = onnx_attr_ints(n, "ends");
      axes = onnx_attr_ints(n, "axes");
    }
    if (axes.empty()) {
      for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
    }
    steps.resize(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size()) {
      fail(n, "starts, ends and axes differ in length");
    }
    std::vector<int64_t> shape = x.shape;
    std::vector<int64_t> begin(shape.size(), 0), step(shape.size(), 1);
    for (size_t i = 0; i < starts.size(); ++i) {
      const size_t a = static_cast<size_t>(checked_axis(n, axes[i], shape.size()));
      const int64_t dim = shape[a], s = std::clamp(steps[i], -kMaxDim, kMaxDim);
      if (s == 0) fail(n, "a step is 0");
      auto clampi = [&](int64_t v, bool is_end) {
        if (v < 0) v = v <= std::numeric_limits<int64_t>::min() / 2 ? -1 : v + dim;
        if (s > 0) return std::clamp(v, int64_t{0}, dim);
        return std::clamp(v, int64_t{-1}, dim - 1) + (is_end ? 0 : 0);
      };
      const int64_t b = clampi(starts[i], false), e = clampi(ends[i], true);
      const int64_t len =
          s > 0 ? (e > b ? (e - b + s - 1) / s : 0) : (b > e ? (b - e - s - 1) / -s : 0);
      shape[a] = len;
      begin[a] = b;
      step[a] = s;
    }
    if (x.has_data && x.shape.size() == 1) {
      std::vector<double> data;
      for (int64_t i = 0; i < shape[0]; ++i)
        data.push_back(x.data[static_cast<size_t>(begin[0] + i * step[0])]);
      out_data(n, 0, shape, x.dtype, data);
    } else {
      out(n, 0, shape, x.dtype).is_initializer = x.is_initializer;
    }
  }

  void infer_resize(const OnnxNode& n) {
    const auto& x = shape_of(n, 0);
    std::vector<double> scales;
    std::vector<int64_t> sizes;
    if (n.op == "Upsample" && g_.opset < 9) {
      scales = attr_floats(n, "scales");
    } else if (n.op == "Upsample" || g_.opset == 10) {
      scales = reals_of(n, 1, "the scales");
    } else {
      if (has_input(n, 3) && in(n, 3).elements() > 0) {
        sizes = ints_of(n, 3, "the sizes");
      } else if (has_input(n, 2) && in(n, 2).elements() > 0) {
        scales = reals_of(n, 2, "the scales");
      }
    }
    std::vector<int64_t> shape = x;
    if (!sizes.empty()) {
      const std::vector<int64_t> axes = onnx_attr_ints(n, "axes");
      if (axes.empty()) {
        if (sizes.size() != x.size()) fail(n, "sizes do not match the rank");
        shape = sizes;
      } else {
        for (size_t i = 0; i < axes.size() && i < sizes.size(); ++i)
          shape[static_cast<size_t>(checked_axis(n, axes[i], x.size()))] = sizes[i];
      }
    } else {
      if (scales.size() != x.size()) fail(n, "needs one scale per dim (or sizes)");
      for (size_t d = 0; d < x.size(); ++d) {
        const double size = std::floor(static_cast<double>(x[d]) * scales[d] + 1e-9);
        if (!(size >= 0 && size <= static_cast<double>(kMaxDim))) {
          fail(n, "scale " + std::to_string(scales[d]) + " gives dim " + std::to_string(d) +
                      " outside [0, 2^31]");
        }
        shape[d] = static_cast<int64_t>(size);
      }
    }
    out(n, 0, shape, x.empty() ? TensorProto::FLOAT : in(n, 0).dtype);
  }

  void infer_constant(const OnnxNode& n) {
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

  std::vector<int64_t> tensor_dims(const OnnxNode& n, const TensorProto& t) const {
    std::vector<int64_t> dims;
    for (int64_t d : t.dims()) {
      if (d < 0 || d > kMaxDim) fail(n, "a tensor dim is " + std::to_string(d));
      dims.push_back(d);
    }
    return dims;
  }
};

}  // namespace

void infer_onnx_shapes(OnnxGraph& g) { Inference(g).run(); }

}  // namespace strata
