#pragma once
// A float tensor as a weight file stores it: its shape and row-major (C order) values.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace strata {

// The most elements one tensor of an input file may have (16 GiB as floats).
constexpr int64_t kMaxFileTensorElements = int64_t{1} << 32;

// The element count of a shape read from an input file; throws InputError "<where>: shape [...]
// ..." if a dimension is negative or the count exceeds kMaxFileTensorElements (no product wraps).
int64_t checked_elements(const std::vector<int64_t>& shape, const std::string& where);

// Throws InputError "<where>: element i is NaN/inf" for the first non-finite value: weights must be
// finite to be quantized.
void require_finite(const std::vector<float>& data, const std::string& where);

struct NamedTensor {
  std::vector<int64_t> shape;
  std::vector<float> data;           // loaders guarantee data.size() == elements()
  int64_t elements() const;          // throws std::overflow_error if the shape's product overflows
  std::string shape_string() const;  // "[3, 3, 32, 64]"
};

using TensorMap = std::map<std::string, NamedTensor>;

// IEEE 754 half -> float (subnormals, infinities and NaN included).
float half_to_float(uint16_t h);

}  // namespace strata
