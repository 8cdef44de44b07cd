#pragma once
// A float tensor as a weight file stores it: its shape and row-major (C order) values.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace strata {

struct NamedTensor {
  std::vector<int64_t> shape;
  std::vector<float> data;
  int64_t elements() const;
  std::string shape_string() const;  // "[3, 3, 32, 64]"
};

using TensorMap = std::map<std::string, NamedTensor>;

// IEEE 754 half -> float (subnormals, infinities and NaN included).
float half_to_float(uint16_t h);

}  // namespace strata
