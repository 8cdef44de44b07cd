#pragma once
// FNV-1a, 64-bit: a stable hash for ids and seeds that must not change across platforms or runs.
#include <cstdint>
#include <string>

namespace strata {

inline uint64_t fnv1a64(const std::string& s, uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

}  // namespace strata
