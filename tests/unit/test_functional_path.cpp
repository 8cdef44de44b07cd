// The quantized path of functional mode (sim/run/functional_run.h) against a reference written
// here in double precision from the same codes: an asymmetrically padded, strided convolution
// with a bias, a BatchNormalization folded into its weights, a ReLU, and a Gemm with a bias. The
// network outputs' and the convolution's SQNR against float must equal the reference's, which
// fails on any slip of layout, padding, scale, unfolding or bias.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "sim/run/functional_run.h"
#include "support/npy_bytes.h"
#include "unit/onnx_builder.h"
#include "workloads/functional/onnx_executor.h"
#include "workloads/front_end/model_quantizer.h"
#include "workloads/quant/numeric_type.h"
#include "workloads/trace/trace_io.h"

namespace strata::test {
namespace {

std::vector<float> random_values(size_t n, uint32_t seed, float low, float high) {
  std::mt19937 g(seed);
  std::uniform_real_distribution<float> u(low, high);
  std::vector<float> v(n);
  for (float& x : v) x = u(g);
  return v;
}

// The input quantized as the layer's activation type and scale say.
double quantized(double x, const TraceLayer& tl) {
  const TypeCodec codec(
      make_type(parse_type_kind(tl.activation.type), tl.activation.bits, tl.activation.is_signed));
  return codec.nearest(x / tl.activation.scale) * tl.activation.scale;
}

// Dequantized weight i of a layer: (grid value - zero point) x its channel's scale.
double weight(const BitTrueInputs& d, const TraceLayer& tl, size_t i, size_t per_channel) {
  const TypeCodec codec(
      make_type(parse_type_kind(tl.weight.type), tl.weight.bits, tl.weight.is_signed));
  const uint8_t code = d.tensors.at(codes_tensor_name(tl.layer.name)).bytes.at(i);
  const size_t c = i / per_channel;
  const double zp = tl.weight.zero_points.empty() ? 0 : tl.weight.zero_points[c];
  return (codec.decode_value(code) - zp) * tl.weight.scales.at(c);
}

TEST(FunctionalPath, QuantizedNetworkEqualsAReferenceFromTheSameCodes) {
  const int64_t C = 3, H = 7, W = 6, M = 4, K = 3, N = 5, OH = 3, OW = 3;
  const std::vector<float> conv_w = random_values(M * C * K * K, 1, -0.5f, 0.5f);
  const std::vector<float> conv_b = random_values(M, 2, -0.2f, 0.2f);
  const std::vector<float> bn_scale = {1.5f, 0.5f, -2.0f, 1.0f}, bn_bias = {0.1f, -0.3f, 0.2f, 0};
  const std::vector<float> bn_mean = {0.05f, -0.1f, 0, 0.2f}, bn_var = {1.0f, 0.25f, 4.0f, 0.5f};
  const std::vector<float> fc_w = random_values(M * OH * OW * N, 3, -0.3f, 0.3f);
  const std::vector<float> fc_b = random_values(N, 4, -0.1f, 0.1f);
  OnnxBuilder b;
  b.input("x", {1, C, H, W})
      .values("w", {M, C, K, K}, conv_w)
      .values("b", {M}, conv_b)
      .values("s", {M}, bn_scale)
      .values("t", {M}, bn_bias)
      .values("mean", {M}, bn_mean)
      .values("var", {M}, bn_var)
      .values("fw", {M * OH * OW, N}, fc_w)
      .values("fb", {N}, fc_b);
  auto& conv = b.node("Conv", {"x", "w", "b"}, {"c"}, "conv");
  OnnxBuilder::attr(conv, "strides", std::vector<int64_t>{2, 2});
  OnnxBuilder::attr(conv, "pads", std::vector<int64_t>{0, 1, 1, 0});  // top, left, bottom, right
  b.node("BatchNormalization", {"c", "s", "t", "mean", "var"}, {"n"}, "bn");
  b.node("Relu", {"n"}, {"r"}, "relu");
  b.node("Flatten", {"r"}, {"f"}, "flatten");
  b.node("Gemm", {"f", "fw", "fb"}, {"y"}, "fc");
  b.output("y");
  const std::string bytes = b.bytes();
  const OnnxGraph g = parse_onnx_graph(bytes, "tiny.onnx");
  OnnxImportOptions options;
  options.read_weights = true;
  const auto imported = std::make_shared<OnnxImport>(import_onnx_graph(g, bytes, options));
  ASSERT_EQ(imported->workload.layers.size(), 2u);
  ASSERT_EQ(imported->folded_scales.count("conv"), 1u);

  ModelQuantRequest q;
  q.model = "tiny.onnx";
  q.onnx_import = imported;
  q.scheme = "rtn";
  q.bits = 4;
  q.with_tensors = q.keep_float_weights = true;
  ModelQuantResult qr = quantize_model(q);
  BitTrueInputs data{std::move(qr.trace), std::move(qr.tensors), std::move(qr.float_weights)};

  char dir_template[] = "/tmp/strata_functional_XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  struct RemoveDir {
    std::string path;
    ~RemoveDir() { std::filesystem::remove_all(path); }
  } remove_dir{dir};
  std::vector<std::vector<float>> inputs;
  for (uint32_t i = 0; i < 3; ++i) {
    inputs.push_back(random_values(C * H * W, 10 + i, -1.0f, 2.0f));
    std::ofstream(dir + "/in" + std::to_string(i) + ".npy", std::ios::binary)
        << npy_bytes(std::vector<int64_t>{1, C, H, W}, inputs.back());
  }
  ArrayParams array;
  FunctionalRequest r;
  r.graph = &g;
  r.import = imported.get();
  r.array = &array;
  r.activation_rule = "sigma";
  r.input_files = {dir + "/in0.npy", dir + "/in1.npy", dir + "/in2.npy"};
  const FunctionalResult result = run_functional(r, data);
  const TraceLayer& conv_layer = data.trace.layers[0];
  const TraceLayer& fc_layer = data.trace.layers[1];
  EXPECT_EQ(conv_layer.activation.distribution, "measured");

  const OnnxFloatExecutor executor(g);
  double conv_signal = 0, conv_noise = 0, y_signal = 0, y_noise = 0;
  for (const auto& x : inputs) {
    const auto f = executor.run({{"x", FloatTensor{{1, C, H, W}, x}}}, true);
    // The convolution on the quantized input with the dequantized (folded) weights, the folded
    // multiplier divided out, the bias added; padding 0 top/1 left, 1 bottom/0 right.
    std::vector<double> c(M * OH * OW);
    for (int64_t m = 0; m < M; ++m) {
      const double k = bn_scale[m] / std::sqrt(bn_var[m] + 1e-5);
      for (int64_t oy = 0; oy < OH; ++oy) {
        for (int64_t ox = 0; ox < OW; ++ox) {
          double sum = 0;
          for (int64_t ch = 0; ch < C; ++ch) {
            for (int64_t ky = 0; ky < K; ++ky) {
              for (int64_t kx = 0; kx < K; ++kx) {
                const int64_t iy = oy * 2 + ky - 0, ix = ox * 2 + kx - 1;
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                sum += quantized(x[(ch * H + iy) * W + ix], conv_layer) *
                       weight(data, conv_layer, ((m * C + ch) * K + ky) * K + kx, C * K * K);
              }
            }
          }
          c[(m * OH + oy) * OW + ox] = sum / k + conv_b[m];
        }
      }
    }
    // BatchNormalization and ReLU in float, then the Gemm on its quantized input.
    std::vector<double> h(c.size());
    for (size_t i = 0; i < c.size(); ++i) {
      const size_t m = i / (OH * OW);
      const double n = bn_scale[m] * (c[i] - bn_mean[m]) / std::sqrt(bn_var[m] + 1e-5) + bn_bias[m];
      h[i] = std::max(0.0, n);
    }
    std::vector<double> y(N);
    for (int64_t o = 0; o < N; ++o) {
      double sum = 0;
      for (size_t i = 0; i < h.size(); ++i) {
        sum += quantized(h[i], fc_layer) * weight(data, fc_layer, o * h.size() + i, h.size());
      }
      y[o] = sum + fc_b[o];
    }
    const auto& fc_out = f.at("c").data;
    for (size_t i = 0; i < c.size(); ++i) {
      conv_signal += double(fc_out[i]) * fc_out[i];
      conv_noise += (c[i] - fc_out[i]) * (c[i] - fc_out[i]);
    }
    const auto& yf = f.at("y").data;
    for (int64_t o = 0; o < N; ++o) {
      y_signal += double(yf[o]) * yf[o];
      y_noise += (y[o] - yf[o]) * (y[o] - yf[o]);
    }
  }
  const double conv_sqnr = 10 * std::log10(conv_signal / conv_noise);
  const double y_sqnr = 10 * std::log10(y_signal / y_noise);
  EXPECT_NEAR(result.layers[0].output_sqnr_db(), conv_sqnr, 1e-4);
  ASSERT_EQ(result.outputs.size(), 1u);
  EXPECT_NEAR(result.outputs[0].sqnr_db(), y_sqnr, 1e-4);
  EXPECT_EQ(result.outputs[0].inputs, 3);
  std::printf("tiny network at 4 bits: conv %.3f dB, output %.3f dB (both as the reference)\n",
              conv_sqnr, y_sqnr);
}

}  // namespace
}  // namespace strata::test
