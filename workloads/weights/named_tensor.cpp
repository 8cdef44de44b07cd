#include "workloads/weights/named_tensor.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

#include "common/input_error.h"

namespace strata {

int64_t checked_elements(const std::vector<int64_t>& shape, const std::string& where) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || __builtin_mul_overflow(n, d, &n) || n > kMaxFileTensorElements) {
      NamedTensor t;
      t.shape = shape;
      throw InputError(where + ": shape " + t.shape_string() +
                       (d < 0 ? " has a negative dimension"
                              : " has more than " + std::to_string(kMaxFileTensorElements) +
                                    " elements (2^32), the most a tensor may have"));
    }
  }
  return n;
}

void require_finite(const std::vector<float>& data, const std::string& where) {
  for (size_t i = 0; i < data.size(); ++i) {
    if (!std::isfinite(data[i])) {
      throw InputError(where + ": element " + std::to_string(i) + " is " +
                       (std::isnan(data[i]) ? "NaN" : "infinite") +
                       "; weights must be finite numbers");
    }
  }
}

int64_t NamedTensor::elements() const {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || __builtin_mul_overflow(n, d, &n)) {
      throw std::overflow_error("tensor shape " + shape_string() + " overflows int64");
    }
  }
  return n;
}

std::string NamedTensor::shape_string() const {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

float half_to_float(uint16_t h) {
  const uint32_t sign = (h >> 15) & 1u, exponent = (h >> 10) & 0x1Fu, mantissa = h & 0x3FFu;
  float magnitude;
  if (exponent == 0) {
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    magnitude = mantissa ? NAN : INFINITY;
  } else {
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400u), static_cast<int>(exponent) - 25);
  }
  return sign ? -magnitude : magnitude;
}

}  // namespace strata
