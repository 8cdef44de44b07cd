#pragma once
// Lowering of a layer to GEMMs shared by the bit-true array and its float reference: im2col of one
// group's input window rows, weights reordered to the same depth order, and a blocked C = A B^T.
// Depth order: (kernel row, kernel column, channel).
#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "common/unchecked_kernel.h"
#include "workloads/layer.h"

namespace strata {

// Rows [batch * out_h * out_w] x depth [kernel_h * kernel_w * in_c/groups] of group g; input is
// [batch][in_h][in_w][in_c]; padding reads zero; taps dilation_h / dilation_w apart.
template <typename T>
void im2col_group(const Layer& l, const std::vector<T>& in, int64_t g, std::vector<T>& out) {
  const int64_t oh = l.out_h(), ow = l.out_w(), cg = l.in_c / l.groups;
  out.resize(static_cast<size_t>(l.batch * oh * ow * l.kernel_h * l.kernel_w * cg));
  T* dst = out.data();
  // With one group and adjacent taps, a kernel row's taps inside the input are one run of the
  // input row: copied at once (with few channels, a copy per tap was most of the time).
  const bool row_runs = l.groups == 1 && l.dilation_w == 1;
  for (int64_t n = 0; n < l.batch; ++n) {
    for (int64_t y = 0; y < oh; ++y) {
      for (int64_t x = 0; x < ow; ++x) {
        for (int64_t kr = 0; kr < l.kernel_h; ++kr) {
          const int64_t iy = y * l.stride_h - l.pad_h + kr * l.dilation_h;
          if (row_runs && iy >= 0 && iy < l.in_h) {
            const int64_t ix0 = x * l.stride_w - l.pad_w;
            const int64_t lo = std::clamp<int64_t>(-ix0, 0, l.kernel_w);
            const int64_t hi = std::clamp<int64_t>(l.in_w - ix0, lo, l.kernel_w);
            std::fill(dst, dst + lo * cg, T{});
            if (hi > lo) {
              const T* src = in.data() + ((n * l.in_h + iy) * l.in_w + ix0 + lo) * l.in_c;
              std::copy(src, src + (hi - lo) * cg, dst + lo * cg);
            }
            std::fill(dst + hi * cg, dst + l.kernel_w * cg, T{});
            dst += l.kernel_w * cg;
            continue;
          }
          for (int64_t ks = 0; ks < l.kernel_w; ++ks) {
            const int64_t ix = x * l.stride_w - l.pad_w + ks * l.dilation_w;
            if (iy < 0 || iy >= l.in_h || ix < 0 || ix >= l.in_w) {
              std::fill(dst, dst + cg, T{});
            } else {
              const T* src = in.data() + ((n * l.in_h + iy) * l.in_w + ix) * l.in_c + g * cg;
              if (cg == 1) {
                *dst = *src;  // depthwise: one value, not a library copy call per tap
              } else {
                std::copy(src, src + cg, dst);
              }
            }
            dst += cg;
          }
        }
      }
    }
  }
}

// Group g's filters [m][c][kernel_h][kernel_w] (of weights [out_c][in_c/groups][kh][kw]) as rows
// [m][kernel_h][kernel_w][c].
template <typename T>
void filter_rows_group(const Layer& l, const std::vector<T>& w, int64_t g, std::vector<T>& out) {
  const int64_t cg = l.in_c / l.groups, mg = l.out_c / l.groups;
  const int64_t taps = l.kernel_h * l.kernel_w, depth = taps * cg;
  out.resize(static_cast<size_t>(mg * depth));
  for (int64_t m = 0; m < mg; ++m) {
    const T* src = w.data() + (g * mg + m) * depth;
    for (int64_t c = 0; c < cg; ++c) {
      for (int64_t k = 0; k < taps; ++k) out[m * depth + k * cg + c] = src[c * taps + k];
    }
  }
}

// The GEMM kernel's loops carry no sanitizer checks (common/unchecked_kernel.h): gemm_nt checks
// once that every index they use lies inside the operands and the output.

// `size` elements from `data`: what a GEMM may read (operands) or write (its output).
template <typename T>
struct GemmSpan {
  T* data;
  int64_t size;
};

// A vector's elements from `offset` on.
template <typename V>
auto gemm_span(V& v, int64_t offset = 0) -> GemmSpan<std::remove_pointer_t<decltype(v.data())>> {
  return {v.data() + offset, static_cast<int64_t>(v.size()) - offset};
}

// out[r * out_stride + c] = sum_k a[r][k] * b[c][k], accumulated in Acc.
// Integers (exact in any order): a plain dot product per output, which the compiler vectorizes
// along k; rows and columns in blocks so both tiles stay in cache. The caller guarantees that
// depth x max|a| x max|b| fits Acc, so no partial sum overflows; the sums run in Acc's unsigned
// twin, whose wrap-around is defined, and give the same value. (In signed arithmetic the
// sanitizer build checked every add and multiply for overflow, which kept the loop from
// vectorizing: half the time of a bit-true run under UBSan.)
// Floating point: every output summed in increasing k (the same bits as the plain loop), eight
// columns at a time from a transposed copy of b, so eight independent accumulators share one
// vector register instead of one serial chain of adds waiting on the add's latency at every k
// (the float reference of a bit-true run was 60 % of its time;
// BitTrue.BlockedGemmIsTheSameBitsAsThePlainLoop checks the bits).
template <typename T, typename Acc, typename Out>
STRATA_UNCHECKED_KERNEL void gemm_nt_kernel(const T* a, const T* b, int64_t rows, int64_t cols,
                                            int64_t depth, Out* out, int64_t out_stride) {
  if constexpr (!std::is_floating_point_v<Acc>) {
    constexpr int64_t kBlock = 32;
    for (int64_t r0 = 0; r0 < rows; r0 += kBlock) {
      const int64_t r1 = std::min(rows, r0 + kBlock);
      for (int64_t c0 = 0; c0 < cols; c0 += kBlock) {
        const int64_t c1 = std::min(cols, c0 + kBlock);
        for (int64_t r = r0; r < r1; ++r) {
          const T* ar = a + r * depth;
          for (int64_t c = c0; c < c1; ++c) {
            const T* bc = b + c * depth;
            using U = std::make_unsigned_t<Acc>;
            U acc = 0;
            for (int64_t k = 0; k < depth; ++k) {
              acc +=
                  static_cast<U>(static_cast<Acc>(ar[k])) * static_cast<U>(static_cast<Acc>(bc[k]));
            }
            out[r * out_stride + c] = static_cast<Out>(static_cast<Acc>(acc));
          }
        }
      }
    }
  } else {
    constexpr int64_t kCols = 8, kRows = 16;
    const int64_t tiles = (cols + kCols - 1) / kCols;
    // bt[tile][k][j] = b[tile * kCols + j][k]; columns past `cols` read zero.
    std::vector<Acc> bt(static_cast<size_t>(tiles * depth * kCols), Acc{});
    for (int64_t c = 0; c < cols; ++c) {
      Acc* dst = bt.data() + (c / kCols) * depth * kCols + c % kCols;
      const T* src = b + c * depth;
      for (int64_t k = 0; k < depth; ++k) dst[k * kCols] = static_cast<Acc>(src[k]);
    }
    for (int64_t r0 = 0; r0 < rows; r0 += kRows) {
      const int64_t r1 = std::min(rows, r0 + kRows);
      for (int64_t t = 0; t < tiles; ++t) {
        const Acc* bc = bt.data() + t * depth * kCols;
        const int64_t c0 = t * kCols, n = std::min(kCols, cols - c0);
        for (int64_t r = r0; r < r1; ++r) {
          const T* ar = a + r * depth;
          Acc acc[kCols] = {};
          for (int64_t k = 0; k < depth; ++k) {
            const Acc x = static_cast<Acc>(ar[k]);
            const Acc* bk = bc + k * kCols;
            for (int64_t j = 0; j < kCols; ++j) acc[j] += x * bk[j];
          }
          for (int64_t j = 0; j < n; ++j) out[r * out_stride + c0 + j] = static_cast<Out>(acc[j]);
        }
      }
    }
  }
}

// out[r * out_stride + c] = sum_k a[r][k] * b[c][k] for r < rows, c < cols; a is [rows x
// depth], b [cols x depth]. Throws std::logic_error if a span is too short for the shape.
template <typename T, typename Acc, typename Out = Acc>
void gemm_nt(GemmSpan<const T> a, GemmSpan<const T> b, int64_t rows, int64_t cols, int64_t depth,
             GemmSpan<Out> out, int64_t out_stride) {
  if (rows < 0 || cols < 0 || depth < 0 || out_stride < cols) {
    throw std::logic_error("gemm_nt: bad shape");
  }
  if (rows == 0 || cols == 0) return;
  if (rows * depth > a.size || cols * depth > b.size || (rows - 1) * out_stride + cols > out.size) {
    throw std::logic_error("gemm_nt: an operand or the output is shorter than the shape needs");
  }
  gemm_nt_kernel<T, Acc, Out>(a.data, b.data, rows, cols, depth, out.data, out_stride);
}

}  // namespace strata
