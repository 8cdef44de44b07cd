#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <random>
#include <utility>

#include "hw_models/array/bittrue.h"
#include "hw_models/array/im2col.h"
#include "workloads/quant/clip_search.h"
#include "workloads/quant/numeric_type.h"

namespace strata {
namespace {

// The reference: a direct convolution over the original layouts, values from TypeCodec's grid
// decode in double precision (exact below 2^53), top-k written independently.
std::vector<double> reference_conv(const Layer& l, const BitTrueOperands& ops,
                                   int64_t* nonzero_products) {
  *nonzero_products = 0;
  const TypeCodec ci(ops.input.type), cw(ops.weight.type);
  std::vector<double> in(ops.input.codes.size());
  for (size_t i = 0; i < in.size(); ++i) in[i] = ci.decode_value(ops.input.codes[i]);
  if (ops.activation_nnz > 0) {
    for (size_t pos = 0; pos < in.size(); pos += l.in_c) {
      for (int64_t c0 = 0; c0 < l.in_c; c0 += ops.bz) {
        const int64_t n = std::min<int64_t>(ops.bz, l.in_c - c0);
        std::vector<std::pair<double, int64_t>> keyed;  // (-|v|, index): sort ascending
        for (int64_t i = 0; i < n; ++i) keyed.push_back({-std::fabs(in[pos + c0 + i]), i});
        std::sort(keyed.begin(), keyed.end());
        for (int64_t j = ops.activation_nnz; j < n; ++j) in[pos + c0 + keyed[j].second] = 0;
      }
    }
  }
  const int64_t cg = l.in_c / l.groups, mg = l.out_c / l.groups;
  std::vector<double> out(static_cast<size_t>(l.batch * l.out_h() * l.out_w() * l.out_c), 0);
  for (int64_t n = 0; n < l.batch; ++n)
    for (int64_t y = 0; y < l.out_h(); ++y)
      for (int64_t x = 0; x < l.out_w(); ++x)
        for (int64_t m = 0; m < l.out_c; ++m) {
          const int64_t g = m / mg;
          const double zp = ops.weight.zero_points.empty() ? 0 : ops.weight.zero_points[m];
          double s = 0;
          for (int64_t c = 0; c < cg; ++c)
            for (int64_t r = 0; r < l.kernel_h; ++r)
              for (int64_t q = 0; q < l.kernel_w; ++q) {
                const int64_t iy = y * l.stride_h - l.pad_h + r * l.dilation_h,
                              ix = x * l.stride_w - l.pad_w + q * l.dilation_w;
                if (iy < 0 || iy >= l.in_h || ix < 0 || ix >= l.in_w) continue;
                const double a = in[((n * l.in_h + iy) * l.in_w + ix) * l.in_c + g * cg + c];
                const double w =
                    cw.decode_value(
                        ops.weight.codes[((m * cg + c) * l.kernel_h + r) * l.kernel_w + q]) -
                    zp;
                s += a * w;
                *nonzero_products += a != 0 && w != 0;
              }
          out[((n * l.out_h() + y) * l.out_w() + x) * l.out_c + m] = s;
        }
  return out;
}

std::vector<uint8_t> random_codes(size_t n, int bits, std::mt19937& rng, double zero_fraction) {
  std::uniform_int_distribution<int> code(0, (1 << bits) - 1);
  std::bernoulli_distribution zero(zero_fraction);
  std::vector<uint8_t> v(n);
  for (auto& c : v) c = zero(rng) ? 0 : static_cast<uint8_t>(code(rng));
  return v;
}

Layer small_conv(int64_t h, int64_t c, int64_t m, int64_t k, int64_t stride, int64_t pad,
                 int64_t groups) {
  return strata::conv_layer("t", 2, h, c, m, k, stride, pad, groups);
}

struct Case {
  const char* name;
  NumericType input, weight;
  int activation_nnz;
  double weight_zeros;  // DBB-pruned fraction
  bool zero_points;
};

TEST(BitTrue, EveryOutputMatchesAnIndependentReferenceConvolution) {
  const Case cases[] = {
      {"int8", make_type(TypeKind::kInt, 8, false), make_type(TypeKind::kInt, 8, true), 0, 0,
       false},
      {"int4", make_type(TypeKind::kInt, 4, false), make_type(TypeKind::kInt, 4, true), 0, 0,
       false},
      {"ant flint/pot", make_type(TypeKind::kFlint, 4, false), make_type(TypeKind::kPot, 4, true),
       0, 0, false},
      {"ant flint8 weights", make_type(TypeKind::kInt, 4, false),
       make_type(TypeKind::kFlint, 8, true), 0, 0, false},
      {"dbb-pruned weights", make_type(TypeKind::kInt, 8, false),
       make_type(TypeKind::kInt, 8, true), 0, 0.5, false},
      {"a-dbb top-3 of 8", make_type(TypeKind::kInt, 8, false),
       make_type(TypeKind::kFlint, 4, true), 3, 0.5, false},
      {"squant zero points", make_type(TypeKind::kInt, 4, false),
       make_type(TypeKind::kInt, 4, false), 0, 0, true},
  };
  Layer dilated = small_conv(11, 16, 8, 3, 1, 2, 1);  // 3x3 taps 2 apart: a 5x5 window
  dilated.dilation_h = dilated.dilation_w = 2;
  const Layer shapes[] = {small_conv(9, 16, 12, 3, 1, 1, 1), small_conv(10, 19, 8, 3, 2, 1, 1),
                          small_conv(8, 16, 16, 3, 1, 1, 16), small_conv(5, 24, 6, 1, 1, 0, 1),
                          dilated,
                          // a kernel wider than its input, and padding whole kernel rows lie in
                          small_conv(3, 4, 5, 5, 1, 2, 1), small_conv(2, 4, 3, 3, 1, 3, 1)};
  std::mt19937 rng(7);
  for (const Case& c : cases) {
    for (const Layer& l : shapes) {
      BitTrueOperands ops;
      ops.input.type = c.input;
      ops.weight.type = c.weight;
      ops.input.codes =
          random_codes(static_cast<size_t>(l.input_elements()), c.input.bits, rng, 0.3);
      ops.weight.codes = random_codes(static_cast<size_t>(l.weight_elements()), c.weight.bits, rng,
                                      c.weight_zeros);
      if (c.zero_points) {
        for (int64_t m = 0; m < l.out_c; ++m)
          ops.weight.zero_points.push_back(static_cast<double>(m % 5));
      }
      ops.activation_nnz = c.activation_nnz;
      const BitTrueResult r = bittrue_layer(l, ops);
      int64_t nonzero = 0;
      const std::vector<double> ref = reference_conv(l, ops, &nonzero);
      EXPECT_EQ(r.nonzero_products, nonzero) << c.name;
      ASSERT_EQ(r.sums.size(), ref.size());
      int mismatches = 0;
      for (size_t i = 0; i < ref.size(); ++i)
        mismatches += static_cast<double>(r.sums[i]) != ref[i];
      EXPECT_EQ(mismatches, 0) << c.name << " groups " << l.groups << " stride " << l.stride_h;
    }
  }
}

TEST(BitTrue, GemmAndPerBatchMatmulMatchTheDefinition) {
  Layer l;
  l.type = LayerType::kGemm;
  l.batch = 3;
  l.m = 5;
  l.k = 37;
  l.n = 4;
  std::mt19937 rng(3);
  for (bool per_batch : {false, true}) {
    BitTrueOperands ops;
    ops.input.type = make_type(TypeKind::kInt, 8, true);
    ops.weight.type = make_type(TypeKind::kFlint, 4, true);
    ops.weight_per_batch = per_batch;
    ops.input.codes = random_codes(static_cast<size_t>(l.batch * l.m * l.k), 8, rng, 0.1);
    ops.weight.codes =
        random_codes(static_cast<size_t>((per_batch ? l.batch : 1) * l.n * l.k), 4, rng, 0.1);
    const BitTrueResult r = bittrue_layer(l, ops);
    const TypeCodec ci(ops.input.type), cw(ops.weight.type);
    for (int64_t b = 0; b < l.batch; ++b)
      for (int64_t i = 0; i < l.m; ++i)
        for (int64_t j = 0; j < l.n; ++j) {
          double s = 0;
          const int64_t wb = per_batch ? b : 0;
          for (int64_t k = 0; k < l.k; ++k)
            s += ci.decode_value(ops.input.codes[(b * l.m + i) * l.k + k]) *
                 cw.decode_value(ops.weight.codes[(wb * l.n + j) * l.k + k]);
          EXPECT_EQ(static_cast<double>(r.sums[(b * l.m + i) * l.n + j]), s);
        }
  }
}

// The blocked GEMM sums every output in increasing k, as the plain loop does: float results are
// the same bits, for any shape (columns not a multiple of the tile, one row, one column).
TEST(BitTrue, BlockedGemmIsTheSameBitsAsThePlainLoop) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (const auto& [rows, cols, depth] : std::vector<std::array<int64_t, 3>>{
           {1, 1, 1}, {3, 5, 7}, {17, 9, 33}, {40, 24, 300}, {2, 19, 1000}}) {
    std::vector<float> a(static_cast<size_t>(rows * depth)), b(static_cast<size_t>(cols * depth));
    for (auto& x : a) x = u(rng) * 1e3f;
    for (auto& x : b) x = u(rng) * 1e-3f;
    const int64_t stride = cols + 3;
    std::vector<float> out(static_cast<size_t>(rows * stride), -7.0f);
    gemm_nt<float, float>(gemm_span(std::as_const(a)), gemm_span(std::as_const(b)), rows, cols,
                          depth, gemm_span(out), stride);
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t c = 0; c < stride; ++c) {
        const float got = out[static_cast<size_t>(r * stride + c)];
        if (c >= cols) {
          EXPECT_EQ(got, -7.0f) << "wrote past the columns at " << r << "," << c;
        } else {
          float plain = 0;
          for (int64_t k = 0; k < depth; ++k) plain += a[r * depth + k] * b[c * depth + k];
          EXPECT_EQ(std::memcmp(&got, &plain, sizeof got), 0)
              << rows << "x" << cols << "x" << depth << " at " << r << "," << c;
        }
      }
    }
  }
  std::vector<int16_t> a16 = {1, -2, 3, 4, 5, -6}, b16 = {7, 8, -9, 10, 11, 12};
  std::vector<int32_t> o32(4);
  gemm_nt<int16_t, int32_t>(gemm_span(std::as_const(a16)), gemm_span(std::as_const(b16)), 2, 2, 3,
                            gemm_span(o32), 2);
  // A span shorter than the shape is refused before anything is read.
  EXPECT_THROW(
      (gemm_nt<int16_t, int32_t>(gemm_span(std::as_const(a16)), gemm_span(std::as_const(b16)), 2, 3,
                                 3, gemm_span(o32), 3)),
      std::logic_error);
  EXPECT_EQ(o32, (std::vector<int32_t>{7 - 16 - 27, 10 - 22 + 36, 28 + 40 + 54, 40 + 55 - 72}));
}

// The unchecked kernels' one check: in the sanitizer build a span that runs past its buffer is
// refused before a kernel reads it (without the sanitizer there is nothing to ask).
TEST(UncheckedKernel, AShortSpanIsRefusedUnderTheSanitizer) {
  if (!__asan_region_is_poisoned) GTEST_SKIP() << "not an AddressSanitizer build";
  const std::vector<float> v(4);
  EXPECT_NO_THROW(require_addressable(v.data(), 4 * sizeof(float), "four floats"));
  EXPECT_THROW(require_addressable(v.data(), 5 * sizeof(float), "five floats"), std::logic_error);
  std::vector<uint8_t> codes(4);
  EXPECT_THROW(quantize_span(TypeCodec(make_type(TypeKind::kInt, 4, true)), v.data(), 5, 1.0,
                             codes.data(), nullptr),
               std::logic_error);
}

TEST(BitTrue, TopKKeepsTheLargestMagnitudesTiesToTheLowerIndex) {
  std::vector<int64_t> v = {1, -5, 3, 3, 0, 2, -3, 4, /* run 2 */ 7, 7, 7, 1, 0, 0, 0, 0};
  topk_blocks(v, 8, 8, 3);
  EXPECT_EQ(v, (std::vector<int64_t>{0, -5, 3, 0, 0, 0, 0, 4, 7, 7, 7, 0, 0, 0, 0, 0}));
  std::vector<int64_t> partial = {5, 1, 2, 9, 8, 7};  // run of 6 with bz 4: blocks of 4 and 2
  topk_blocks(partial, 6, 4, 2);
  EXPECT_EQ(partial, (std::vector<int64_t>{5, 0, 0, 9, 8, 7}));
}

TEST(BitTrue, BadOperandsAreNamed) {
  const Layer l = small_conv(4, 8, 8, 1, 1, 0, 1);
  BitTrueOperands ops;
  ops.input.type = make_type(TypeKind::kInt, 4, false);
  ops.weight.type = make_type(TypeKind::kInt, 4, true);
  ops.input.codes.assign(static_cast<size_t>(l.input_elements()), 1);
  ops.weight.codes.assign(static_cast<size_t>(l.weight_elements()), 1);
  ops.input.codes[5] = 200;  // not a 4-bit code
  try {
    bittrue_layer(l, ops);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("input code 200 at index 5"), std::string::npos)
        << e.what();
  }
  ops.input.codes[5] = 1;
  ops.weight.codes.pop_back();
  EXPECT_THROW(bittrue_layer(l, ops), std::invalid_argument);
}

}  // namespace
}  // namespace strata
