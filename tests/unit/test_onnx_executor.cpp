// The float ONNX executor against direct loops written here, op by op: a grouped, strided,
// padded, dilated convolution with bias; pooling; NumPy broadcasting; batched MatMul; softmax;
// and the errors for an unsupported operator and a wrong input shape.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "common/input_error.h"
#include "support/scratch_dir.h"
#include "unit/onnx_builder.h"
#include "workloads/functional/onnx_executor.h"

namespace strata {
namespace {

std::vector<float> ramp(int64_t n, float scale, float shift) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = std::sin(0.37f * i + shift) * scale;
  return v;
}

std::string scratch(const std::string& name) {
  return test::make_scratch_dir("strata_executor_test_") + "/" + name;
}

TEST(OnnxExecutor, ConvolutionMatchesDirectLoops) {
  // 1x4x9x8 input, 6 filters in 2 groups of 2 channels, 3x3, stride (2, 1), pads (1, 2, 0, 1),
  // dilation (1, 2), with bias.
  const int64_t c = 4, h = 9, w = 8, m = 6, groups = 2, cg = 2, k = 3;
  const std::vector<int64_t> stride = {2, 1}, dil = {1, 2}, pads = {1, 2, 0, 1};
  const std::vector<float> wv = ramp(m * cg * k * k, 0.5f, 0.1f), bv = ramp(m, 1.0f, 2.0f);
  test::OnnxBuilder b(13);
  b.input("x", {1, c, h, w}).output("y");
  b.values("w", {m, cg, k, k}, wv).values("b", {m}, bv);
  auto& n = b.node("Conv", {"x", "w", "b"}, {"y"});
  test::OnnxBuilder::attr(n, "group", groups);
  test::OnnxBuilder::attr(n, "strides", stride);
  test::OnnxBuilder::attr(n, "dilations", dil);
  test::OnnxBuilder::attr(n, "pads", pads);
  const OnnxGraph g = load_onnx_graph(b.write(scratch("conv.onnx")));
  const FloatTensor x{{1, c, h, w}, ramp(c * h * w, 1.0f, 0.0f)};
  const FloatTensor y = OnnxFloatExecutor(g).run({{"x", x}}).at("y");
  const int64_t oh = (h + pads[0] + pads[2] - ((k - 1) * dil[0] + 1)) / stride[0] + 1;
  const int64_t ow = (w + pads[1] + pads[3] - ((k - 1) * dil[1] + 1)) / stride[1] + 1;
  ASSERT_EQ(y.shape, (std::vector<int64_t>{1, m, oh, ow}));
  for (int64_t o = 0; o < m; ++o) {
    const int64_t gi = o / (m / groups);
    for (int64_t oy = 0; oy < oh; ++oy) {
      for (int64_t ox = 0; ox < ow; ++ox) {
        double acc = bv[static_cast<size_t>(o)];
        for (int64_t ci = 0; ci < cg; ++ci) {
          for (int64_t r = 0; r < k; ++r) {
            for (int64_t s = 0; s < k; ++s) {
              const int64_t iy = oy * stride[0] - pads[0] + r * dil[0];
              const int64_t ix = ox * stride[1] - pads[1] + s * dil[1];
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              acc += double(wv[static_cast<size_t>(((o * cg + ci) * k + r) * k + s)]) *
                     x.data[static_cast<size_t>(((gi * cg + ci) * h + iy) * w + ix)];
            }
          }
        }
        EXPECT_NEAR(y.data[static_cast<size_t>((o * oh + oy) * ow + ox)], acc, 1e-5)
            << o << " " << oy << " " << ox;
      }
    }
  }
}

TEST(OnnxExecutor, PoolingBroadcastingMatMulAndSoftmax) {
  test::OnnxBuilder b(13);
  b.input("x", {1, 2, 5, 5}).input("a", {2, 1, 3, 4}).input("v", {4}).output("mp").output("ap");
  b.output("bc").output("mm").output("sm").output("gp");
  auto& mp = b.node("MaxPool", {"x"}, {"mp"});
  test::OnnxBuilder::attr(mp, "kernel_shape", std::vector<int64_t>{3, 3});
  test::OnnxBuilder::attr(mp, "strides", std::vector<int64_t>{2, 2});
  test::OnnxBuilder::attr(mp, "pads", std::vector<int64_t>{1, 1, 1, 1});
  auto& ap = b.node("AveragePool", {"x"}, {"ap"});
  test::OnnxBuilder::attr(ap, "kernel_shape", std::vector<int64_t>{2, 2});
  b.node("GlobalAveragePool", {"x"}, {"gp"});
  b.node("Mul", {"a", "v"}, {"bc"});  // [2,1,3,4] * [4]
  b.values("bmat", {3, 4, 2}, ramp(24, 1.0f, 0.5f));
  b.node("MatMul", {"a", "bmat"}, {"mm"});  // [2,1,3,4] x [3,4,2] -> [2,3,3,2]
  auto& sm = b.node("Softmax", {"a"}, {"sm"});
  test::OnnxBuilder::attr(sm, "axis", int64_t{2});
  const OnnxGraph g = load_onnx_graph(b.write(scratch("ops.onnx")));
  const FloatTensor x{{1, 2, 5, 5}, ramp(50, 2.0f, 0.3f)}, a{{2, 1, 3, 4}, ramp(24, 1.5f, 1.0f)},
      v{{4}, {1.0f, -2.0f, 0.5f, 3.0f}};
  const auto out = OnnxFloatExecutor(g).run({{"x", x}, {"a", a}, {"v", v}});
  auto at = [](const FloatTensor& t, int64_t i) { return t.data[static_cast<size_t>(i)]; };
  // Max pool 3x3/2 with padding 1: output 3x3; padding never wins.
  const FloatTensor& mpo = out.at("mp");
  ASSERT_EQ(mpo.shape, (std::vector<int64_t>{1, 2, 3, 3}));
  for (int64_t ch = 0; ch < 2; ++ch) {
    for (int64_t oy = 0; oy < 3; ++oy) {
      for (int64_t ox = 0; ox < 3; ++ox) {
        float best = -1e30f;
        for (int64_t iy = oy * 2 - 1; iy <= oy * 2 + 1; ++iy) {
          for (int64_t ix = ox * 2 - 1; ix <= ox * 2 + 1; ++ix) {
            if (iy >= 0 && iy < 5 && ix >= 0 && ix < 5)
              best = std::max(best, at(x, (ch * 5 + iy) * 5 + ix));
          }
        }
        EXPECT_FLOAT_EQ(at(mpo, (ch * 3 + oy) * 3 + ox), best);
      }
    }
  }
  const FloatTensor& apo = out.at("ap");
  ASSERT_EQ(apo.shape, (std::vector<int64_t>{1, 2, 4, 4}));
  EXPECT_NEAR(at(apo, 0), (at(x, 0) + at(x, 1) + at(x, 5) + at(x, 6)) / 4, 1e-6);
  double sum = 0;
  for (int64_t i = 0; i < 25; ++i) sum += at(x, 25 + i);
  EXPECT_NEAR(at(out.at("gp"), 1), sum / 25, 1e-6);
  for (int64_t i = 0; i < 24; ++i) EXPECT_FLOAT_EQ(at(out.at("bc"), i), at(a, i) * v.data[i % 4]);
  // MatMul: batch dims [2,1] and [3] broadcast to [2,3].
  const FloatTensor& mm = out.at("mm");
  ASSERT_EQ(mm.shape, (std::vector<int64_t>{2, 3, 3, 2}));
  const std::vector<float> bm = ramp(24, 1.0f, 0.5f);
  for (int64_t i = 0; i < 2; ++i) {
    for (int64_t j = 0; j < 3; ++j) {
      for (int64_t r = 0; r < 3; ++r) {
        for (int64_t c = 0; c < 2; ++c) {
          double acc = 0;
          for (int64_t d = 0; d < 4; ++d) {
            acc +=
                double(at(a, (i * 3 + r) * 4 + d)) * bm[static_cast<size_t>((j * 4 + d) * 2 + c)];
          }
          EXPECT_NEAR(at(mm, ((i * 3 + j) * 3 + r) * 2 + c), acc, 1e-5);
        }
      }
    }
  }
  // Softmax along axis 2 (length 3, stride 4): columns sum to one.
  const FloatTensor& smo = out.at("sm");
  for (int64_t i = 0; i < 2; ++i) {
    for (int64_t col = 0; col < 4; ++col) {
      double total = 0, mx = -1e30;
      for (int64_t r = 0; r < 3; ++r) mx = std::max<double>(mx, at(a, (i * 3 + r) * 4 + col));
      for (int64_t r = 0; r < 3; ++r) total += std::exp(at(a, (i * 3 + r) * 4 + col) - mx);
      for (int64_t r = 0; r < 3; ++r) {
        EXPECT_NEAR(at(smo, (i * 3 + r) * 4 + col),
                    std::exp(at(a, (i * 3 + r) * 4 + col) - mx) / total, 1e-6);
      }
    }
  }
}

TEST(OnnxExecutor, UnsupportedOperatorsAndWrongInputsAreErrors) {
  test::OnnxBuilder b(13);
  b.input("x", {1, 4}).output("y");
  b.node("Log", {"x"}, {"y"}, "log");
  const std::string path = b.write(scratch("log.onnx"));
  try {
    const OnnxGraph g = load_onnx_graph(path);
    OnnxFloatExecutor e(g);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("node 'log' (Log): functional execution does not "
                                         "support this operator yet"),
              std::string::npos)
        << e.what();
  }
  test::OnnxBuilder r(13);
  r.input("x", {1, 4}).output("y");
  r.node("Relu", {"x"}, {"y"});
  const std::string relu = r.write(scratch("relu.onnx"));
  const OnnxGraph g = load_onnx_graph(relu);
  const OnnxFloatExecutor e(g);
  EXPECT_THROW(e.run({}), InputError);
  EXPECT_THROW(e.run({{"x", FloatTensor{{1, 5}, std::vector<float>(5)}}}), InputError);
  const auto y = e.run({{"x", FloatTensor{{1, 4}, {-1, 2, -3, 4}}}}).at("y");
  EXPECT_EQ(y.data, (std::vector<float>{0, 2, 0, 4}));
}

}  // namespace
}  // namespace strata
