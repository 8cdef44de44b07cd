#pragma once
// Products of untrusted integers (dimensions, shapes, counts) with overflow checks.
#include <cstdint>
#include <initializer_list>
#include <optional>

namespace strata {

// The product of non-negative factors, or nullopt if it exceeds `limit` (or int64).
inline std::optional<int64_t> checked_product(std::initializer_list<int64_t> factors,
                                              int64_t limit = INT64_MAX) {
  int64_t p = 1;
  for (int64_t f : factors) {
    if (f < 0 || __builtin_mul_overflow(p, f, &p) || p > limit) return std::nullopt;
  }
  return p;
}

}  // namespace strata
