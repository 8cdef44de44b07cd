#pragma once
// Shape inference's state and helpers (onnx_shapes.cpp), shared by its files: onnx_shapes.cpp
// (elementwise ops, constants, casts, reductions), onnx_shapes_compute.cpp (convolutions, pools,
// matrix products, padding, resizing) and onnx_shapes_layout.cpp (reshapes, slices, gathers,
// concatenation). Internal to the ONNX importer.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/input_error.h"
#include "workloads/onnx/onnx_attributes.h"
#include "workloads/onnx/onnx_graph.h"
#include "workloads/onnx/onnx_shapes.h"
#include "workloads/onnx/onnx_tensor.h"

namespace strata {
namespace onnx_shape_inference {

using onnx::TensorProto;

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
    throw_node_error(g_, n, what);
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
  // A per-spatial-dim attribute (strides, dilations, pads): absent, or exactly `count` values.
  std::vector<int64_t> spatial_ints(const OnnxNode& n, const char* name, int64_t lo,
                                    size_t count) const {
    std::vector<int64_t> v = sized_ints(n, name, lo);
    if (!v.empty() && v.size() != count) {
      fail(n, std::string(name) + " has " + std::to_string(v.size()) + " values; the input's " +
                  "spatial dims need " + std::to_string(count));
    }
    return v;
  }
  std::string auto_pad_of(const OnnxNode& n) const {
    const std::string p = onnx_attr_string(n, "auto_pad", "NOTSET");
    if (p != "NOTSET" && p != "VALID" && p != "SAME_UPPER" && p != "SAME_LOWER") {
      fail(n, "auto_pad must be NOTSET, VALID, SAME_UPPER or SAME_LOWER");
    }
    return p;
  }
  // Optional input i, if given: a 1-D tensor of `count` values (a bias, a normalization's
  // per-channel parameters).
  void check_channel_vector(const OnnxNode& n, size_t i, const char* what, int64_t count) const {
    if (!has_input(n, i)) return;
    const std::vector<int64_t>& s = shape_of(n, i);
    if (s.size() != 1 || s[0] != count) {
      fail(n, std::string(what) + " '" + n.inputs[i] + "' is " + shape_text(s) + "; expected [" +
                  std::to_string(count) + "] (one per channel)");
    }
  }
  // Input i broadcasts to `shape` without growing (Gemm's C, PRelu's slope).
  void check_unidirectional(const OnnxNode& n, size_t i, const char* what,
                            const std::vector<int64_t>& shape) const {
    const std::vector<int64_t>& s = shape_of(n, i);
    bool ok = s.size() <= shape.size();
    for (size_t k = 0; ok && k < s.size(); ++k) {
      const int64_t d = s[s.size() - 1 - k];
      ok = d == 1 || d == shape[shape.size() - 1 - k];
    }
    if (!ok) {
      fail(n,
           std::string(what) + " " + shape_text(s) + " does not broadcast to " + shape_text(shape));
    }
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
    if (saturating_product(shape) > kMaxOnnxTensorElements) {
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
                     bool ceil_mode) const;
  void infer_window(const OnnxNode& n, const std::vector<int64_t>& x, int64_t channels,
                    const std::vector<int64_t>& kernel);

  // One node: the op families below in turn, or an error naming an op none of them knows.
  void infer(const OnnxNode& n);
  // Convolutions, pools, matrix products, padding, resizing; false if n is none of them.
  bool infer_compute(const OnnxNode& n);
  // Reshapes, squeezes, transposes, concatenation, splits, shapes, gathers, slices, expansions;
  // false if n is none of them.
  bool infer_layout(const OnnxNode& n);
  // Checks of the shape-keeping ops' operands (axes, per-channel parameters, bounds).
  void check_same_shape_operands(const OnnxNode& n, const std::vector<int64_t>& x);
  // Elementwise arithmetic on known small integer tensors (shape computations) folds.
  void fold_elementwise(const OnnxNode& n, const std::vector<int64_t>& shape, int32_t dtype);
  // Reshape-like ops keep a constant's values (flat order is unchanged).
  void pass_data(const OnnxNode& n, const std::vector<int64_t>& shape);
  void infer_slice(const OnnxNode& n);
  void infer_resize(const OnnxNode& n);
  void infer_constant(const OnnxNode& n);
  std::vector<int64_t> tensor_dims(const OnnxNode& n, const TensorProto& t) const;
};

}  // namespace onnx_shape_inference
}  // namespace strata
