// ONNX shape inference for layout ops: reshapes, squeezes, transposes, concatenation, splits,
// shapes, gathers, slices, expansions (onnx_shape_inference.h).
#include <algorithm>
#include <cmath>
#include <set>

#include "workloads/onnx/onnx_shape_inference.h"

namespace strata {
namespace onnx_shape_inference {

using onnx::TensorProto;

// Reshapes, squeezes, transposes, concatenation, splits, shapes, gathers, slices, expansions.
bool Inference::infer_layout(const OnnxNode& n) {
  const std::string& op = n.op;
  const int32_t dtype0 = has_input(n, 0) ? in(n, 0).dtype : TensorProto::FLOAT;
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
      fail(n, "cannot reshape " + shape_text(x) + " (" + std::to_string(total) + " elements) to " +
                  shape_text(shape));
    }
    pass_data(n, shape);
    return true;
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
    return true;
  }
  if (op == "Squeeze" || op == "Unsqueeze") {
    const auto& x = shape_of(n, 0);
    std::vector<int64_t> axes =
        g_.opset >= 13 && has_input(n, 1) ? ints_of(n, 1, "the axes") : onnx_attr_ints(n, "axes");
    std::vector<int64_t> shape;
    if (op == "Squeeze") {
      std::set<int64_t> drop;
      for (int64_t a : axes) {
        if (!drop.insert(checked_axis(n, a, x.size())).second) {
          fail(n, "axis " + std::to_string(a) + " is listed twice");
        }
      }
      for (size_t d = 0; d < x.size(); ++d) {
        const bool squeeze = axes.empty() ? x[d] == 1 : drop.count(static_cast<int64_t>(d)) > 0;
        if (squeeze && x[d] != 1)
          fail(n, "cannot squeeze dim " + std::to_string(d) + " of " + shape_text(x));
        if (!squeeze) shape.push_back(x[d]);
      }
    } else {
      const size_t rank = x.size() + axes.size();
      std::set<int64_t> add;
      for (int64_t a : axes) {
        if (!add.insert(checked_axis(n, a, rank)).second) {
          fail(n, "axis " + std::to_string(a) + " is listed twice");
        }
      }
      size_t next = 0;
      for (size_t d = 0; d < rank; ++d)
        shape.push_back(add.count(static_cast<int64_t>(d)) ? 1 : x[next++]);
    }
    pass_data(n, shape);
    return true;
  }
  if (op == "Transpose") {
    const OnnxValue& x = in(n, 0);
    std::vector<int64_t> perm = onnx_attr_ints(n, "perm");
    if (perm.empty()) {
      for (size_t d = x.shape.size(); d-- > 0;) perm.push_back(static_cast<int64_t>(d));
    }
    if (perm.size() != x.shape.size()) fail(n, "perm does not match the input's rank");
    std::vector<bool> seen(perm.size(), false);
    std::vector<int64_t> shape;
    for (int64_t p : perm) {
      if (p < 0 || p >= static_cast<int64_t>(perm.size()) || seen[static_cast<size_t>(p)]) {
        std::string listed;
        for (int64_t q : perm) listed += (listed.empty() ? "" : ", ") + std::to_string(q);
        fail(n,
             "perm [" + listed + "] is not a permutation of 0.." + std::to_string(perm.size() - 1));
      }
      seen[static_cast<size_t>(p)] = true;
      shape.push_back(x.shape[static_cast<size_t>(p)]);
    }
    out(n, 0, shape, x.dtype).is_initializer = x.is_initializer;
    return true;
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
    return true;
  }
  if (op == "Split") {
    const auto& x = shape_of(n, 0);
    const int64_t axis = checked_axis(n, onnx_attr_int(n, "axis", 0), x.size());
    std::vector<int64_t> parts =
        g_.opset >= 13 && has_input(n, 1) ? ints_of(n, 1, "the split") : onnx_attr_ints(n, "split");
    const int64_t count = static_cast<int64_t>(n.outputs.size());
    const int64_t dim = x[static_cast<size_t>(axis)];
    if (parts.empty()) {
      for (int64_t i = 0; i < count; ++i) parts.push_back(dim / count + (i < dim % count ? 1 : 0));
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
    return true;
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
    return true;
  }
  if (op == "Size") {
    out_data(n, 0, {}, TensorProto::INT64, {static_cast<double>(in(n, 0).elements())});
    return true;
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
    return true;
  }
  if (op == "Slice") {
    infer_slice(n);
    return true;
  }
  if (op == "Expand") {
    out(n, 0, broadcast(n, shape_of(n, 0), ints_of(n, 1, "the shape")), dtype0);
    return true;
  }
  if (op == "Tile") {
    std::vector<int64_t> shape = shape_of(n, 0);
    const std::vector<int64_t> reps = ints_of(n, 1, "the repeats");
    if (reps.size() != shape.size()) fail(n, "repeats do not match the rank");
    for (size_t d = 0; d < shape.size(); ++d) shape[d] = saturating_product({shape[d], reps[d]});
    out(n, 0, shape, dtype0);
    return true;
  }
  return false;
}

// Reshape-like ops keep a constant's values (flat order is unchanged).
void Inference::pass_data(const OnnxNode& n, const std::vector<int64_t>& shape) {
  const OnnxValue& x = in(n, 0);
  if (x.has_data) {
    out_data(n, 0, shape, x.dtype, x.data);
  } else {
    OnnxValue& v = out(n, 0, shape, x.dtype);
    v.is_initializer = x.is_initializer;
    v.tensor = x.tensor;
  }
}

void Inference::infer_slice(const OnnxNode& n) {
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

}  // namespace onnx_shape_inference
}  // namespace strata
