#pragma once
// FNV-1a, 64-bit: a stable hash for ids and seeds that must not change across platforms or runs.
#include <cstdint>
#include <string>

namespace strata {

inline uint64_t fnv1a64(const std::string& s, uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

// The hash as 16 lowercase hex digits (sweep point ids, workload cache keys).
inline std::string fnv1a64_hex(const std::string& s) {
  static const char* digits = "0123456789abcdef";
  uint64_t h = fnv1a64(s);
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<size_t>(i)] = digits[h & 0xF];
  return out;
}

}  // namespace strata
