#include "hw_models/array/bittrue.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <stdexcept>
#include <type_traits>

#include "hw_models/array/im2col.h"

namespace strata {
namespace {

// A layer as independent GEMMs: `groups` x `batches` products of A [rows x depth] by
// B^T [cols x depth], both in the same depth order.
struct GemmShape {
  int64_t batches = 1, groups = 1, rows = 0, depth = 0, cols = 0;
};

// sum over k of |{r : a[r][k] != 0}| x |{c : b[c][k] != 0}| for A [rows x depth], B [cols x depth].
template <typename T>
int64_t nonzero_products(const std::vector<T>& a, const std::vector<T>& b, int64_t rows,
                         int64_t cols, int64_t depth) {
  std::vector<int64_t> na(static_cast<size_t>(depth), 0), nb(static_cast<size_t>(depth), 0);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t k = 0; k < depth; ++k) na[k] += a[r * depth + k] != 0;
  }
  for (int64_t c = 0; c < cols; ++c) {
    for (int64_t k = 0; k < depth; ++k) nb[k] += b[c * depth + k] != 0;
  }
  int64_t n = 0;
  for (int64_t k = 0; k < depth; ++k) n += na[k] * nb[k];
  return n;
}

int64_t max_abs(const std::vector<int64_t>& v) {
  int64_t m = 0;
  for (int64_t x : v) m = std::max(m, x < 0 ? -x : x);
  return m;
}

template <typename T>
std::vector<T> narrow(const std::vector<int64_t>& v) {
  return std::vector<T>(v.begin(), v.end());
}

// Calls f with a value of the narrowest operand type whose products summed over `depth` stay
// exact: int16_t (sums in int32_t) when |sum| <= depth x max_a x max_b fits 31 bits, else int32_t
// (sums in int64_t). The operands are narrowed once, before im2col copies them kernel_h x
// kernel_w times (in int64_t that copy was a fifth of a bit-true run).
template <typename F>
void with_exact_operands(int64_t depth, int64_t max_a, int64_t max_b, F&& f) {
  const long double bound = static_cast<long double>(depth) * max_a * max_b;
  if (max_a <= 32767 && max_b <= 32767 && bound < 2147483647.0L) {
    f(int16_t{});
  } else if (max_a <= 2147483647LL && max_b <= 2147483647LL && bound < 9.2e18L) {
    f(int32_t{});
  } else {
    throw std::invalid_argument("sums of this layer could exceed 64 bits (operand magnitudes " +
                                std::to_string(max_a) + " x " + std::to_string(max_b) +
                                " over depth " + std::to_string(depth) + ")");
  }
}

// One GEMM into `out` (row stride out_stride) on operands that with_exact_operands chose.
template <typename T>
void gemm_exact(const std::vector<T>& a, const std::vector<T>& b, int64_t rows, int64_t cols,
                int64_t depth, GemmSpan<int64_t> out, int64_t out_stride) {
  using Acc = std::conditional_t<std::is_same_v<T, int16_t>, int32_t, int64_t>;
  gemm_nt<T, Acc, int64_t>(gemm_span(a), gemm_span(b), rows, cols, depth, out, out_stride);
}

std::vector<int64_t> decode_all(const OperandCodes& op, const std::string& what) {
  const std::vector<int64_t> table = code_values(op.type);
  std::vector<int64_t> v(op.codes.size());
  for (size_t i = 0; i < op.codes.size(); ++i) {
    if (op.codes[i] >= table.size()) {
      throw std::invalid_argument(what + " code " + std::to_string(op.codes[i]) + " at index " +
                                  std::to_string(i) + " does not fit " + op.type.name());
    }
    v[i] = table[op.codes[i]];
  }
  return v;
}

void subtract_zero_points(std::vector<int64_t>& w, const std::vector<double>& zp,
                          int64_t per_channel) {
  if (zp.empty()) return;
  for (size_t m = 0; m < zp.size(); ++m) {
    const auto z = static_cast<int64_t>(zp[m]);
    if (static_cast<double>(z) != zp[m]) {
      throw std::invalid_argument("zero point " + std::to_string(zp[m]) + " of channel " +
                                  std::to_string(m) + " is not an integer");
    }
    for (int64_t i = 0; i < per_channel; ++i) w[m * per_channel + i] -= z;
  }
}

void expect_size(const std::vector<uint8_t>& codes, int64_t n, const std::string& what) {
  if (static_cast<int64_t>(codes.size()) != n) {
    throw std::invalid_argument(what + " holds " + std::to_string(codes.size()) +
                                " codes, the layer needs " + std::to_string(n));
  }
}

BitTrueResult conv(const Layer& l, const BitTrueOperands& ops) {
  const int64_t cg = l.in_c / l.groups, mg = l.out_c / l.groups;
  const int64_t depth = l.kernel_h * l.kernel_w * cg;
  expect_size(ops.input.codes, l.batch * l.in_h * l.in_w * l.in_c, "input");
  expect_size(ops.weight.codes, l.out_c * depth, "weight");
  std::vector<int64_t> in = decode_all(ops.input, "input");
  if (ops.activation_nnz > 0) topk_blocks(in, l.in_c, ops.bz, ops.activation_nnz);
  std::vector<int64_t> w = decode_all(ops.weight, "weight");
  subtract_zero_points(w, ops.weight.zero_points, depth);
  const int64_t max_a = max_abs(in), max_w = max_abs(w);

  const int64_t pixels = l.batch * l.out_h() * l.out_w();
  BitTrueResult r;
  r.sums.assign(static_cast<size_t>(pixels * l.out_c), 0);
  r.macs = l.macs();
  with_exact_operands(depth, max_a, max_w, [&](auto type) {
    using T = decltype(type);
    const std::vector<T> in_t = narrow<T>(in), w_t = narrow<T>(w);
    std::vector<T> a, b;
    for (int64_t g = 0; g < l.groups; ++g) {
      im2col_group(l, in_t, g, a);
      filter_rows_group(l, w_t, g, b);
      gemm_exact(a, b, pixels, mg, depth, gemm_span(r.sums, g * mg), l.out_c);
      r.nonzero_products += nonzero_products(a, b, pixels, mg, depth);
    }
  });
  return r;
}

BitTrueResult gemm(const Layer& l, const BitTrueOperands& ops) {
  expect_size(ops.input.codes, l.batch * l.m * l.k, "input");
  const int64_t weight_sets = ops.weight_per_batch ? l.batch : 1;
  expect_size(ops.weight.codes, weight_sets * l.n * l.k, "weight");
  std::vector<int64_t> in = decode_all(ops.input, "input");
  if (ops.activation_nnz > 0) topk_blocks(in, l.k, ops.bz, ops.activation_nnz);
  std::vector<int64_t> w = decode_all(ops.weight, "weight");
  if (!ops.weight_per_batch) subtract_zero_points(w, ops.weight.zero_points, l.k);
  const int64_t max_a = max_abs(in), max_w = max_abs(w);
  BitTrueResult r;
  r.sums.assign(static_cast<size_t>(l.batch * l.m * l.n), 0);
  r.macs = l.macs();
  with_exact_operands(l.k, max_a, max_w, [&](auto type) {
    using T = decltype(type);
    const std::vector<T> in_t = narrow<T>(in), w_t = narrow<T>(w);
    if (!ops.weight_per_batch) {
      gemm_exact(in_t, w_t, l.batch * l.m, l.n, l.k, gemm_span(r.sums), l.n);
      r.nonzero_products = nonzero_products(in_t, w_t, l.batch * l.m, l.n, l.k);
      return;
    }
    for (int64_t n = 0; n < l.batch; ++n) {
      const std::vector<T> a(in_t.begin() + n * l.m * l.k, in_t.begin() + (n + 1) * l.m * l.k);
      const std::vector<T> b(w_t.begin() + n * l.n * l.k, w_t.begin() + (n + 1) * l.n * l.k);
      gemm_exact(a, b, l.m, l.n, l.k, gemm_span(r.sums, n * l.m * l.n), l.n);
      r.nonzero_products += nonzero_products(a, b, l.m, l.n, l.k);
    }
  });
  return r;
}

}  // namespace

std::vector<int64_t> code_values(const NumericType& type) {
  const TypeCodec codec(type);
  std::vector<int64_t> v(codec.code_count());
  for (uint32_t code = 0; code < codec.code_count(); ++code) {
    const Decoded d = codec.decode(code);
    if (d.shift > 40) {
      throw std::invalid_argument(type.name() + " code " + std::to_string(code) +
                                  " decodes to a shift of " + std::to_string(d.shift) +
                                  ", beyond the 40 the bit-true array supports");
    }
    // The PE's product is (s_a * s_b) << (e_a + e_b): the same as multiplying s << e values.
    v[code] = d.significand * (int64_t{1} << d.shift);
  }
  return v;
}

void topk_blocks(std::vector<int64_t>& values, int64_t run, int bz, int nnz) {
  if (nnz >= bz || run <= 0) return;
  std::vector<int64_t> order(static_cast<size_t>(bz));
  for (size_t start = 0; start + run <= values.size(); start += static_cast<size_t>(run)) {
    for (int64_t b0 = 0; b0 < run; b0 += bz) {
      const int64_t n = std::min<int64_t>(bz, run - b0);
      if (n <= nnz) continue;
      int64_t* block = values.data() + start + b0;
      order.resize(static_cast<size_t>(n));
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) {
        const int64_t ax = block[x] < 0 ? -block[x] : block[x];
        const int64_t ay = block[y] < 0 ? -block[y] : block[y];
        return ax > ay;
      });
      for (int64_t i = nnz; i < n; ++i) block[order[i]] = 0;
    }
  }
}

BitTrueResult bittrue_layer(const Layer& layer, const BitTrueOperands& operands) {
  return layer.type == LayerType::kConv2d ? conv(layer, operands) : gemm(layer, operands);
}

}  // namespace strata
