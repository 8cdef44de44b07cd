#pragma once
// Small layers for the cycle-model tests, by their GEMM or convolution dims alone.
#include <cstdint>

#include "workloads/layer.h"

namespace strata::test {

// A P x K by K x N GEMM (batch 1).
inline Layer gemm(int64_t m, int64_t k, int64_t n) { return gemm_layer("g", 1, m, k, n); }

// A square h x h convolution, c -> m channels, k x k kernel, stride 1.
inline Layer conv(int64_t h, int64_t c, int64_t m, int64_t k, int64_t pad, int64_t groups) {
  return conv_layer("c", 1, h, c, m, k, 1, pad, groups);
}

}  // namespace strata::test
