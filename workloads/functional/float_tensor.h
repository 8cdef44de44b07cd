#pragma once
// A float tensor for functional execution: a shape and its values, row-major (NCHW for images).
#include <cstdint>
#include <vector>

namespace strata {

struct FloatTensor {
  std::vector<int64_t> shape;
  std::vector<float> data;
  int64_t elements() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
  }
};

}  // namespace strata
