#include "sim/run/bittrue_run.h"

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "common/fnv1a.h"
#include "common/input_error.h"
#include "hw_models/array/bittrue.h"
#include "hw_models/array/im2col.h"
#include "workloads/quant/activation_model.h"
#include "workloads/quant/numeric_type.h"
#include "workloads/trace/trace_io.h"

namespace strata {
namespace {

NumericType type_of(const std::string& kind, int bits, bool is_signed, int exp_bits,
                    const std::string& where) {
  if (kind == "olive") throw InputError(where + ": OliVe codes have no bit-true model here");
  try {
    return make_type(parse_type_kind(kind), bits, is_signed, kind == "float" ? exp_bits : -1);
  } catch (const std::invalid_argument& e) {
    throw InputError(where + ": " + e.what());
  }
}

// Quantizes a float sample to codes of `type` at `scale` (value = grid value x scale).
std::vector<uint8_t> quantize_sample(const std::vector<float>& x, const NumericType& type,
                                     double scale) {
  const TypeCodec codec(type);
  std::vector<uint8_t> codes(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    codes[i] = static_cast<uint8_t>(codec.code_at(codec.nearest_index(x[i] / scale)));
  }
  return codes;
}

// Float reference: the layer on float inputs and float weights, [rows][out channels].
std::vector<float> float_layer(const Layer& l, const std::vector<float>& in,
                               const std::vector<float>& w, bool weight_per_batch) {
  if (l.type == LayerType::kConv2d) {
    const int64_t pixels = l.batch * l.out_h() * l.out_w();
    const int64_t mg = l.out_c / l.groups;
    const int64_t depth = l.kernel_h * l.kernel_w * (l.in_c / l.groups);
    std::vector<float> out(static_cast<size_t>(pixels * l.out_c)), a, b;
    for (int64_t g = 0; g < l.groups; ++g) {
      im2col_group(l, in, g, a);
      filter_rows_group(l, w, g, b);
      gemm_nt<float, float>(gemm_span(std::as_const(a)), gemm_span(std::as_const(b)), pixels, mg,
                            depth, gemm_span(out, g * mg), l.out_c);
    }
    return out;
  }
  std::vector<float> out(static_cast<size_t>(l.batch * l.m * l.n));
  if (!weight_per_batch) {
    gemm_nt<float, float>(gemm_span(in), gemm_span(w), l.batch * l.m, l.n, l.k, gemm_span(out),
                          l.n);
    return out;
  }
  for (int64_t n = 0; n < l.batch; ++n) {
    gemm_nt<float, float>(gemm_span(in, n * l.m * l.k), gemm_span(w, n * l.n * l.k), l.m, l.n, l.k,
                          gemm_span(out, n * l.m * l.n), l.n);
  }
  return out;
}

}  // namespace

void check_bittrue_layer(const BitTrueInputs& data, size_t index) {
  const TraceLayer& tl = data.trace.layers.at(index);
  const std::string where = "layer '" + tl.layer.name + "'";
  ActivationDistribution dist;
  if (!parse_distribution(tl.activation.distribution, &dist)) {
    throw InputError(where + ": activation.distribution \"" + tl.activation.distribution +
                     "\" is not one the bit-true mode can sample");
  }
  std::vector<NumericType> types = {type_of(tl.activation.type, tl.activation.bits,
                                            tl.activation.is_signed, tl.activation.exp_bits,
                                            where)};
  if (tl.weight.present) {
    types.push_back(
        type_of(tl.weight.type, tl.weight.bits, tl.weight.is_signed, tl.weight.exp_bits, where));
    if (!data.tensors.count(codes_tensor_name(tl.layer.name))) {
      throw InputError(where +
                       ": the trace has no weight codes (bit-true mode needs `strata "
                       "quantize --with-tensors`)");
    }
  }
  for (const auto& t : types) {
    try {
      code_values(t);
    } catch (const std::invalid_argument& e) {
      throw InputError(where + ": " + e.what());
    }
  }
}

BitTrueLayerResult run_bittrue_layer(const BitTrueInputs& data, size_t index,
                                     const ArrayParams& array, int output_bits) {
  const TraceLayer& tl = data.trace.layers.at(index);
  const Layer& l = tl.layer;
  const std::string where = "layer '" + l.name + "'";
  ActivationDistribution dist;
  if (!parse_distribution(tl.activation.distribution, &dist)) {
    throw InputError(where + ": activation.distribution \"" + tl.activation.distribution +
                     "\" is not one the bit-true mode can sample");
  }
  const NumericType act_type = type_of(tl.activation.type, tl.activation.bits,
                                       tl.activation.is_signed, tl.activation.exp_bits, where);
  const int64_t softmax_row = l.type == LayerType::kGemm ? l.k : 128;
  const std::vector<float> x =
      sample_activations(dist, l.input_elements(), fnv1a64(l.name), softmax_row);

  BitTrueOperands ops;
  ops.input.type = act_type;
  ops.input.codes = quantize_sample(x, act_type, tl.activation.scale);
  std::vector<float> w_float;
  std::vector<double> w_scales;
  BitTrueLayerResult result;
  result.reference = "float weights";
  if (tl.weight.present) {
    ops.weight.type =
        type_of(tl.weight.type, tl.weight.bits, tl.weight.is_signed, tl.weight.exp_bits, where);
    auto codes = data.tensors.find(codes_tensor_name(l.name));
    if (codes == data.tensors.end()) {
      throw InputError(where +
                       ": the trace has no weight codes (bit-true mode needs `strata "
                       "quantize --with-tensors`)");
    }
    ops.weight.codes.assign(codes->second.bytes.begin(), codes->second.bytes.end());
    ops.weight.zero_points = tl.weight.zero_points;
    w_scales = tl.weight.scales;
    auto floats = data.float_weights.find(l.name);
    if (floats != data.float_weights.end()) {
      w_float = floats->second;
    } else {
      // The float weights are not known (a trace file): the reference uses the dequantized ones,
      // so the SQNR leaves out the weights' own error.
      result.reference = "dequantized weights";
      const TypeCodec codec(ops.weight.type);
      const int64_t per_channel =
          static_cast<int64_t>(ops.weight.codes.size()) / static_cast<int64_t>(w_scales.size());
      w_float.resize(ops.weight.codes.size());
      for (size_t i = 0; i < w_float.size(); ++i) {
        const size_t m = i / static_cast<size_t>(per_channel);
        const double zp = ops.weight.zero_points.empty() ? 0 : ops.weight.zero_points[m];
        w_float[i] =
            static_cast<float>((codec.decode_value(ops.weight.codes[i]) - zp) * w_scales[m]);
      }
    }
  } else {
    // A product of two activations (QK^T, P*V): the second operand is another sample of the same
    // distribution, quantized the same way, one per batch.
    ops.weight_per_batch = true;
    ops.weight.type = act_type;
    w_float = sample_activations(dist, l.batch * l.n * l.k, fnv1a64(l.name + "#rhs"), softmax_row);
    ops.weight.codes = quantize_sample(w_float, act_type, tl.activation.scale);
    w_scales.assign(static_cast<size_t>(l.n), tl.activation.scale);
  }
  const SparsityParams& sp = array.sparsity;
  // The trace's A-DBB bound (its layer shapes carry no sparsity; trace_workload copies it).
  if (sp.kind == SparsityKind::kDbb && sp.activation_dbb && tl.dbb.activation_nnz < tl.dbb.bz) {
    ops.activation_nnz = tl.dbb.activation_nnz;
    ops.bz = tl.dbb.bz;
  }

  BitTrueResult sums;
  try {
    sums = bittrue_layer(l, ops);
  } catch (const std::invalid_argument& e) {
    throw InputError(where + ": " + e.what());
  }
  const std::vector<float> ref = float_layer(l, x, w_float, ops.weight_per_batch);

  // Dequantize, then requantize to the output width with a per-tensor scale from the outputs.
  const int64_t out_channels = l.type == LayerType::kConv2d ? l.out_c : l.n;
  std::vector<double> y(sums.sums.size());
  double max_abs = 0;
  bool negative = false;
  for (size_t i = 0; i < y.size(); ++i) {
    const size_t m = i % static_cast<size_t>(out_channels);
    y[i] = static_cast<double>(sums.sums[i]) * tl.activation.scale * w_scales[m];
    max_abs = std::max(max_abs, std::fabs(y[i]));
    negative |= y[i] < 0;
  }
  const double qmax =
      negative ? std::ldexp(1.0, output_bits - 1) - 1 : std::ldexp(1.0, output_bits) - 1;
  const double out_scale = max_abs > 0 ? max_abs / qmax : 1;
  double signal = 0, noise = 0, requantized_noise = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    const double q = std::nearbyint(y[i] / out_scale) * out_scale;
    signal += static_cast<double>(ref[i]) * ref[i];
    noise += (y[i] - ref[i]) * (y[i] - ref[i]);
    requantized_noise += (q - ref[i]) * (q - ref[i]);
  }
  auto sqnr = [&](double n) { return n > 0 ? 10 * std::log10(signal / n) : INFINITY; };
  result.output_sqnr_db = sqnr(noise);
  result.requantized_sqnr_db = sqnr(requantized_noise);
  result.outputs = static_cast<int64_t>(y.size());
  result.macs = sums.macs;
  result.nonzero_products = sums.nonzero_products;
  return result;
}

}  // namespace strata
