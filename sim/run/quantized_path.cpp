#include "sim/run/quantized_path.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/input_error.h"
#include "hw_models/array/bittrue.h"
#include "workloads/onnx/onnx_attributes.h"
#include "workloads/quant/numeric_type.h"
#include "workloads/trace/trace_io.h"

namespace strata {
namespace {

int64_t shape_product_of(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

NumericType activation_type(const TraceLayer& tl) {
  return make_type(parse_type_kind(tl.activation.type), tl.activation.bits, tl.activation.is_signed,
                   tl.activation.type == "float" ? tl.activation.exp_bits : -1);
}

}  // namespace

FloatTensor QuantizedPath::run(const LayerNode& ln, const OnnxFloatExecutor::ValueLookup& value) {
  const OnnxNode& n = *ln.node;
  const TraceLayer& tl = data_.trace.layers.at(ln.index);
  const Layer& l = tl.layer;
  FunctionalLayer& st = stats_.at(ln.index);
  const std::string where = r_.graph->file + ": node '" + n.name + "'";
  const NumericType act = activation_type(tl);
  const TypeCodec codec(act);
  const std::vector<int64_t> grid = code_values(act);
  const double a_scale = tl.activation.scale;
  auto quantize = [&](const std::vector<float>& x) {
    std::vector<uint8_t> codes(x.size());
    for (size_t i = 0; i < x.size(); ++i) {
      codes[i] = static_cast<uint8_t>(codec.code_at(codec.nearest_index(x[i] / a_scale)));
    }
    return codes;
  };

  BitTrueOperands ops;
  ops.input.type = act;
  int64_t run_length = 0;  // values per position the top-k unit cuts into blocks
  std::vector<double> w_scales;
  // A Gemm's, or a MatMul's second operand without leading dims, serves every row of the first.
  const bool shared_second = n.op != "MatMul" || r_.graph->value(n.inputs[1]).shape.size() <= 2;
  if (l.type == LayerType::kConv2d) {
    ops.input.codes = quantize(conv_input(ln, value(n.inputs[0])));
    run_length = l.in_c;
  } else {
    const FloatTensor& a = value(n.inputs[0]);
    if (n.op == "Gemm" && onnx_attr_int(n, "transA", 0) != 0) {
      ops.input.codes = quantize(batched_matrices(a, {}, l.k, l.m, true));
    } else if (shared_second) {
      ops.input.codes = quantize(a.data);  // [.. x m, k]: the rows of every leading index
    } else {
      ops.input.codes = quantize(batched_matrices(a, batch_shape(ln), l.m, l.k, false));
    }
    run_length = l.k;
  }
  // The second operand is the layer's weights only when it is an initializer: a product of two
  // activations (attention's, or any graph's) quantizes both at run time.
  if (tl.weight.present && !ln.import->weight.empty()) {
    const auto codes = data_.tensors.find(codes_tensor_name(l.name));
    if (codes == data_.tensors.end()) throw std::logic_error(where + ": no weight codes");
    ops.weight.type =
        make_type(parse_type_kind(tl.weight.type), tl.weight.bits, tl.weight.is_signed,
                  tl.weight.type == "float" ? tl.weight.exp_bits : -1);
    ops.weight.codes.assign(codes->second.bytes.begin(), codes->second.bytes.end());
    ops.weight.zero_points = tl.weight.zero_points;
    w_scales = tl.weight.scales;
  } else {
    // A product of two activations: the second operand [batch][k][n] becomes [batch][n][k],
    // both broadcast over the leading dims. It has no calibrated type of its own: it is
    // quantized as it arrives, to a signed int of the activations' width scaled to its largest
    // magnitude (dynamic quantization, as attention's K and V are).
    // A convolution's weights computed at run time are already [out][in/groups][kh][kw].
    const bool conv = l.type == LayerType::kConv2d;
    ops.weight_per_batch = !conv;
    const FloatTensor& b = value(n.inputs[1]);
    const std::vector<float> bt =
        conv ? b.data
        : n.op == "Gemm" && onnx_attr_int(n, "transB", 0) != 0
            ? batched_matrices(b, {}, l.n, l.k, false)
            : batched_matrices(b, shared_second ? std::vector<int64_t>{} : batch_shape(ln), l.k,
                               l.n, true);
    ops.weight.type = make_type(TypeKind::kInt, std::min(act.bits, 8), true);
    const TypeCodec b_codec(ops.weight.type);
    double largest = 0;
    for (float v : bt) largest = std::max(largest, std::fabs(static_cast<double>(v)));
    const double b_scale = largest > 0 ? largest / b_codec.max_value() : 1.0;
    ops.weight.codes.resize(bt.size());
    for (size_t i = 0; i < bt.size(); ++i) {
      ops.weight.codes[i] =
          static_cast<uint8_t>(b_codec.code_at(b_codec.nearest_index(bt[i] / b_scale)));
    }
    w_scales.assign(static_cast<size_t>(conv ? l.out_c : l.n), b_scale);
  }
  const SparsityParams& sp = r_.array->sparsity;
  // The trace's A-DBB bound (its layer shapes carry no sparsity; trace_workload copies it).
  if (sp.kind == SparsityKind::kDbb && sp.activation_dbb && tl.dbb.activation_nnz < tl.dbb.bz) {
    ops.activation_nnz = tl.dbb.activation_nnz;
    ops.bz = tl.dbb.bz;
  }
  count_input(st, ops, grid, run_length);

  BitTrueResult sums;
  try {
    sums = bittrue_layer(l, ops);
  } catch (const std::invalid_argument& e) {
    throw InputError(where + ": " + e.what());
  }
  st.macs += sums.macs;
  st.nonzero_products += sums.nonzero_products;
  return dequantize(ln, tl, sums, w_scales, value);
}

std::vector<float> QuantizedPath::conv_input(const LayerNode& ln, const FloatTensor& x) const {
  const Layer& l = data_.trace.layers[ln.index].layer;
  const int64_t c = x.shape.at(1), h = x.shape.at(2), w = x.shape.at(3);
  const std::vector<int64_t>& pads = ln.import->pads;
  const int64_t top = pads.size() == 4 && pads[0] > pads[2] ? pads[0] - pads[2] : 0;
  const int64_t left = pads.size() == 4 && pads[1] > pads[3] ? pads[1] - pads[3] : 0;
  std::vector<float> out(static_cast<size_t>(l.batch * l.in_h * l.in_w * l.in_c), 0.0f);
  for (int64_t b = 0; b < l.batch; ++b) {
    for (int64_t ch = 0; ch < c; ++ch) {
      for (int64_t y = 0; y < h; ++y) {
        for (int64_t col = 0; col < w; ++col) {
          out[((b * l.in_h + y + top) * l.in_w + col + left) * l.in_c + ch] =
              x.data[((b * c + ch) * h + y) * w + col];
        }
      }
    }
  }
  return out;
}

void QuantizedPath::count_input(FunctionalLayer& st, const BitTrueOperands& ops,
                                const std::vector<int64_t>& grid, int64_t run_length) {
  const size_t n = ops.input.codes.size();
  std::vector<uint8_t> nonzero(n);
  int64_t nz = 0;
  for (size_t i = 0; i < n; ++i) nz += nonzero[i] = grid[ops.input.codes[i]] != 0;
  st.code_zeros += static_cast<int64_t>(n) - nz;
  auto kept = [&](int bz, int nnz) {
    int64_t total = 0;
    for (size_t run = 0; run < n; run += static_cast<size_t>(run_length)) {
      for (int64_t b = 0; b < run_length; b += bz) {
        int64_t in_block = 0;
        for (int64_t k = b; k < std::min<int64_t>(b + bz, run_length); ++k) {
          in_block += nonzero[run + static_cast<size_t>(k)];
        }
        total += std::min<int64_t>(in_block, nnz);
      }
    }
    return total;
  };
  st.kept_nonzeros += ops.activation_nnz > 0 ? kept(ops.bz, ops.activation_nnz) : nz;
  const int sizes[3] = {4, 8, 16};
  for (size_t s = 0; s < 3; ++s) st.half_block_kept[s] += kept(sizes[s], sizes[s] / 2);
}

std::vector<int64_t> QuantizedPath::batch_shape(const LayerNode& ln) const {
  const std::vector<int64_t>& y = r_.graph->value(ln.node->outputs[0]).shape;
  const std::vector<int64_t>& a = r_.graph->value(ln.node->inputs[0]).shape;
  // The output's leading dims: all but [m, n] (one fewer when the first operand is a vector).
  const size_t tail = a.size() >= 2 ? 2 : 1;
  return std::vector<int64_t>(y.begin(), y.end() - static_cast<std::ptrdiff_t>(tail));
}

std::vector<float> QuantizedPath::batched_matrices(const FloatTensor& t,
                                                   const std::vector<int64_t>& batch, int64_t rows,
                                                   int64_t cols, bool transpose) {
  // The operand's own leading dims (a vector is one row, or one column when it is the second).
  std::vector<int64_t> lead(t.shape.begin(),
                            t.shape.end() - static_cast<std::ptrdiff_t>(std::min<size_t>(
                                                t.shape.size(), t.shape.size() >= 2 ? 2 : 1)));
  if (lead.size() > batch.size()) throw std::logic_error("batched_matrices: rank");
  std::vector<int64_t> stride(batch.size(), 0);  // in matrices; 0 where the operand broadcasts
  int64_t s = 1;
  for (size_t k = 0; k < lead.size(); ++k) {
    const size_t i = lead.size() - 1 - k, o = batch.size() - 1 - k;
    if (lead[i] != 1 && lead[i] != batch[o]) throw std::logic_error("batched_matrices: shape");
    stride[o] = lead[i] == 1 ? 0 : s;
    s *= lead[i];
  }
  int64_t count = 1;
  for (int64_t d : batch) count *= d;
  if (s * rows * cols != static_cast<int64_t>(t.data.size())) {
    throw std::logic_error("batched_matrices: the operand does not hold its matrices");
  }
  std::vector<float> out(static_cast<size_t>(count * rows * cols));
  std::vector<int64_t> index(batch.size(), 0);
  for (int64_t p = 0; p < count; ++p) {
    int64_t from = 0;
    for (size_t d = 0; d < batch.size(); ++d) from += index[d] * stride[d];
    const float* src = t.data.data() + from * rows * cols;
    float* dst = out.data() + p * rows * cols;
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t c = 0; c < cols; ++c) {
        dst[transpose ? c * rows + r : r * cols + c] = src[r * cols + c];
      }
    }
    for (size_t d = batch.size(); d-- > 0;) {
      if (++index[d] < batch[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

FloatTensor QuantizedPath::dequantize(const LayerNode& ln, const TraceLayer& tl,
                                      const BitTrueResult& sums,
                                      const std::vector<double>& w_scales,
                                      const OnnxFloatExecutor::ValueLookup& value) const {
  const OnnxNode& n = *ln.node;
  const Layer& l = tl.layer;
  const std::vector<int64_t>& y_shape = r_.graph->value(n.outputs[0]).shape;
  FloatTensor y{y_shape, std::vector<float>(sums.sums.size())};
  const int64_t channels = l.type == LayerType::kConv2d ? l.out_c : l.n;
  const auto folded = r_.import->folded_scales.find(l.name);
  std::vector<double> per_channel(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c) {
    double k = tl.activation.scale * w_scales.at(static_cast<size_t>(c));
    if (folded != r_.import->folded_scales.end()) {
      const float f = folded->second.at(static_cast<size_t>(c));
      k = f != 0 ? k / f : 0;  // a zero multiplier: the normalization's output is its shift
    }
    per_channel[static_cast<size_t>(c)] = k;
  }
  std::vector<float> bias(static_cast<size_t>(channels), 0.0f);
  std::vector<float> gemm_bias;  // Gemm's C, [m][n]
  double alpha = 1;
  if (n.op == "Conv" && n.inputs.size() > 2 && !n.inputs[2].empty()) {
    bias = value(n.inputs[2]).data;
  } else if (n.op == "Gemm" && n.inputs.size() > 2 && !n.inputs[2].empty()) {
    alpha = onnx_attr_float(n, "alpha", 1.0);
    const double beta = onnx_attr_float(n, "beta", 1.0);
    // C broadcasts to [m, n] (shape inference checked it): a scalar, a row, a column or all.
    const FloatTensor& c = value(n.inputs[2]);
    const size_t rank = c.shape.size();
    const int64_t c_rows = rank == 2 ? c.shape[0] : 1;
    const int64_t c_cols = rank >= 1 ? c.shape[rank - 1] : 1;
    gemm_bias.resize(static_cast<size_t>(l.m * channels));
    for (int64_t row = 0; row < l.m; ++row) {
      for (int64_t ch = 0; ch < channels; ++ch) {
        gemm_bias[static_cast<size_t>(row * channels + ch)] = static_cast<float>(
            beta *
            c.data[static_cast<size_t>((c_rows == 1 ? 0 : row) * c_cols + (c_cols == 1 ? 0 : ch))]);
      }
    }
  }
  if (static_cast<int64_t>(y.data.size()) != shape_product_of(y_shape)) {
    throw std::logic_error(r_.graph->file + ": node '" + n.name +
                           "': the array's sums do not fill the node's output");
  }
  if (l.type == LayerType::kConv2d) {
    const int64_t oh = l.out_h(), ow = l.out_w();
    for (int64_t b = 0; b < l.batch; ++b) {
      for (int64_t p = 0; p < oh * ow; ++p) {
        for (int64_t c = 0; c < channels; ++c) {
          const double s = static_cast<double>(sums.sums[(b * oh * ow + p) * channels + c]);
          y.data[(b * channels + c) * oh * ow + p] = static_cast<float>(
              s * per_channel[static_cast<size_t>(c)] + bias[static_cast<size_t>(c)]);
        }
      }
    }
  } else {
    for (size_t i = 0; i < y.data.size(); ++i) {
      const size_t c = i % static_cast<size_t>(channels);
      y.data[i] = static_cast<float>(alpha * static_cast<double>(sums.sums[i]) * per_channel[c] +
                                     (gemm_bias.empty() ? bias[c] : gemm_bias[i]));
    }
  }
  return y;
}

}  // namespace strata
