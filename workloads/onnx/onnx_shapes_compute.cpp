// ONNX shape inference for convolutions, pools, matrix products, padding and resizing
// (onnx_shape_inference.h).
#include <algorithm>
#include <cmath>
#include <set>

#include "workloads/onnx/onnx_shape_inference.h"

namespace strata {
namespace onnx_shape_inference {

using onnx::TensorProto;

// Output size of one spatial dim of Conv / pooling with ONNX's padding rules.
int64_t Inference::window_out(const OnnxNode& n, int64_t in, int64_t kernel, int64_t stride,
                              int64_t dilation, int64_t pad_begin, int64_t pad_end,
                              const std::string& pad, bool ceil_mode) const {
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

void Inference::infer_window(const OnnxNode& n, const std::vector<int64_t>& x, int64_t channels,
                             const std::vector<int64_t>& kernel) {
  const size_t spatial = kernel.size();
  if (x.size() != spatial + 2) {
    fail(n,
         "input " + shape_text(x) + " does not match a " + std::to_string(spatial) + "-D kernel");
  }
  std::vector<int64_t> strides = spatial_ints(n, "strides", 1, spatial),
                       dil = spatial_ints(n, "dilations", 1, spatial),
                       pads = spatial_ints(n, "pads", 0, 2 * spatial);
  strides.resize(spatial, 1);
  dil.resize(spatial, 1);
  pads.resize(2 * spatial, 0);
  const std::string auto_pad = auto_pad_of(n);
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

// Convolutions, pools, matrix products, padding, resizing.
bool Inference::infer_compute(const OnnxNode& n) {
  const std::string& op = n.op;
  const int32_t dtype0 = has_input(n, 0) ? in(n, 0).dtype : TensorProto::FLOAT;
  if (op == "Conv" || op == "ConvInteger") {
    const auto& x = shape_of(n, 0);
    const auto& w = shape_of(n, 1);
    if (w.size() < 3) fail(n, "weights " + shape_text(w) + " are not [M, C/group, k...]");
    const int64_t group = onnx_attr_int(n, "group", 1);
    if (group < 1 || group > kMaxDim || x.size() != w.size() || x[1] != w[1] * group) {
      fail(n, "input " + shape_text(x) + ", weights " + shape_text(w) + " and group " +
                  std::to_string(group) + " do not match");
    }
    if (w[0] < 1 || w[0] % group != 0) {
      fail(n, "weights " + shape_text(w) + ": " + std::to_string(w[0]) +
                  " output channels, not a positive multiple of group " + std::to_string(group));
    }
    if (op == "Conv") check_channel_vector(n, 2, "bias", w[0]);
    std::vector<int64_t> kernel(w.begin() + 2, w.end());
    const std::vector<int64_t> kernel_attr = onnx_attr_ints(n, "kernel_shape");
    if (!kernel_attr.empty() && kernel_attr != kernel) {
      fail(n, "kernel_shape " + shape_text(kernel_attr) + " differs from the weights' " +
                  shape_text(kernel));
    }
    infer_window(n, x, w[0], kernel);
    return true;
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
    if (w[1] < 1 || x[1] % group != 0) {
      fail(n, "input " + shape_text(x) + " and weights " + shape_text(w) + " do not fit group " +
                  std::to_string(group));
    }
    check_channel_vector(n, 2, "bias", w[1] * group);
    std::vector<int64_t> strides = spatial_ints(n, "strides", 1, spatial),
                         dil = spatial_ints(n, "dilations", 1, spatial),
                         pads = spatial_ints(n, "pads", 0, 2 * spatial),
                         extra = spatial_ints(n, "output_padding", 0, spatial),
                         shape_attr = sized_ints(n, "output_shape", 1);
    strides.resize(spatial, 1);
    dil.resize(spatial, 1);
    pads.resize(2 * spatial, 0);
    extra.resize(spatial, 0);
    const std::string auto_pad = auto_pad_of(n);
    std::vector<int64_t> shape = {x[0], w[1] * group};
    for (size_t d = 0; d < spatial; ++d) {
      // Dims and attributes are each at most 2^31, so each product is at most 2^62; clamped at
      // 2^40 (far above any valid size) the sum cannot overflow and stays over 2^31 if it was.
      const auto product = [](int64_t a, int64_t b) { return std::min(a * b, int64_t{1} << 40); };
      int64_t o = 0;
      if (shape_attr.size() >= spatial) {
        o = shape_attr[shape_attr.size() - spatial + d];
      } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
        o = product(x[2 + d], strides[d]);
      } else {
        o = product(strides[d], x[2 + d] - 1) + extra[d] + product(w[2 + d] - 1, dil[d]) + 1 -
            (auto_pad == "VALID" ? 0 : pads[d] + pads[spatial + d]);
      }
      if (o < 1) fail(n, "output size " + std::to_string(o) + " is not positive");
      if (o > kMaxDim) fail(n, "output size " + std::to_string(o) + " is over 2^31");
      shape.push_back(o);
    }
    out(n, 0, shape, dtype0);
    return true;
  }
  if (op == "MaxPool" || op == "AveragePool" || op == "LpPool") {
    const auto& x = shape_of(n, 0);
    const std::vector<int64_t> kernel = sized_ints(n, "kernel_shape", 1);
    if (kernel.empty()) fail(n, "kernel_shape is missing");
    infer_window(n, x, x.size() > 1 ? x[1] : 0, kernel);
    if (op == "MaxPool") out(n, 1, g_.values[n.outputs[0]].shape, TensorProto::INT64);
    return true;
  }
  if (op == "GlobalAveragePool" || op == "GlobalMaxPool" || op == "GlobalLpPool") {
    std::vector<int64_t> shape = shape_of(n, 0);
    if (shape.size() < 3) fail(n, "input " + shape_text(shape) + " is not [N, C, spatial...]");
    for (size_t d = 2; d < shape.size(); ++d) shape[d] = 1;
    out(n, 0, shape, dtype0);
    return true;
  }
  if (op == "Gemm") {
    const auto& a = shape_of(n, 0);
    const auto& b = shape_of(n, 1);
    if (a.size() != 2 || b.size() != 2) fail(n, "operands must be 2-D");
    const bool ta = onnx_attr_int(n, "transA", 0) != 0, tb = onnx_attr_int(n, "transB", 0) != 0;
    const int64_t m = ta ? a[1] : a[0], k = ta ? a[0] : a[1];
    const int64_t kb = tb ? b[1] : b[0], nn = tb ? b[0] : b[1];
    if (k != kb) fail(n, "A " + shape_text(a) + " and B " + shape_text(b) + " do not multiply");
    if (has_input(n, 2)) check_unidirectional(n, 2, "C", {m, nn});
    out(n, 0, {m, nn}, dtype0);
    return true;
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
    return true;
  }
  if (op == "Pad") {
    std::vector<int64_t> shape = shape_of(n, 0);
    const std::vector<int64_t> pads =
        g_.opset >= 11 ? ints_of(n, 1, "the pads") : onnx_attr_ints(n, "pads");
    if (pads.size() != 2 * shape.size()) fail(n, "pads do not match the rank");
    if (g_.opset >= 11 && has_input(n, 2) && in(n, 2).elements() != 1) {
      fail(n, "constant_value must hold one value, got shape " + shape_text(shape_of(n, 2)));
    }
    for (size_t d = 0; d < shape.size(); ++d) {
      int64_t grown = 0;
      if (__builtin_add_overflow(shape[d], pads[d], &grown) ||
          __builtin_add_overflow(grown, pads[shape.size() + d], &grown) || grown < 0) {
        fail(n, "pads make dim " + std::to_string(d) + " negative or too large");
      }
      shape[d] = grown;
    }
    out(n, 0, shape, dtype0);
    return true;
  }
  if (op == "Resize" || op == "Upsample") {
    infer_resize(n);
    return true;
  }
  if (op == "DepthToSpace" || op == "SpaceToDepth") {
    std::vector<int64_t> shape = shape_of(n, 0);
    const int64_t b = onnx_attr_int(n, "blocksize", 1);
    if (shape.size() != 4 || b < 1 || b > 65536) {
      fail(n, "expects a 4-D input and blocksize in [1, 65536]");
    }
    if (op == "DepthToSpace" ? shape[1] % (b * b) != 0 : shape[2] % b != 0 || shape[3] % b != 0) {
      fail(n,
           "input " + shape_text(shape) + " does not divide into blocks of " + std::to_string(b));
    }
    if (op == "DepthToSpace") {
      shape = {shape[0], shape[1] / (b * b), shape[2] * b, shape[3] * b};
    } else {
      shape = {shape[0], shape[1] * b * b, shape[2] / b, shape[3] / b};
    }
    out(n, 0, shape, dtype0);
    return true;
  }
  return false;
}

void Inference::infer_resize(const OnnxNode& n) {
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

}  // namespace onnx_shape_inference
}  // namespace strata
