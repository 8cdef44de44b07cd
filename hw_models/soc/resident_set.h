#pragma once
// What a buffer still holds between folds. Entries are row intervals of operand slices, keyed by
// (instance, image or tile, slice); a request fetches only the rows not resident. When the
// buffer overflows, everything the current fold does not need is evicted; if the fold's own
// data does not fit, it is streamed and nothing stays resident.
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace strata {

struct SliceKey {
  int64_t instance = 0, major = 0, minor = 0;
  bool operator==(const SliceKey& o) const {
    return instance == o.instance && major == o.major && minor == o.minor;
  }
};

struct SliceKeyHash {
  size_t operator()(const SliceKey& k) const {
    uint64_t h = static_cast<uint64_t>(k.instance) * 0x9E3779B97F4A7C15ull;
    h ^= static_cast<uint64_t>(k.major) + 0x7F4A7C159E3779B9ull + (h << 6) + (h >> 2);
    h ^= static_cast<uint64_t>(k.minor) + 0x94D049BB133111EBull + (h << 6) + (h >> 2);
    return static_cast<size_t>(h);
  }
};

struct SliceRequest {
  SliceKey key;
  int64_t lo = 0, hi = 0;  // rows [lo, hi)
  int64_t row_bits = 0;    // size of one row of this slice
};

class ResidentSet {
 public:
  explicit ResidentSet(int64_t capacity_bits) : capacity_bits_(capacity_bits) {}
  // Returns the bits to fetch from DRAM for this fold's slices and updates residency.
  int64_t request(const SliceRequest* need, size_t count);
  int64_t request(const std::vector<SliceRequest>& need) {
    return request(need.data(), need.size());
  }

 private:
  struct Entry {
    int64_t lo = 0, hi = 0, row_bits = 0;
    int64_t bits() const { return (hi - lo) * row_bits; }
  };
  int64_t capacity_bits_;
  int64_t resident_bits_ = 0;
  std::unordered_map<SliceKey, Entry, SliceKeyHash> entries_;
};

}  // namespace strata
