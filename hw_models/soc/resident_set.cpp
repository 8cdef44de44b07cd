#include "hw_models/soc/resident_set.h"

#include <algorithm>

namespace strata {

int64_t ResidentSet::request(const SliceRequest* need, size_t count) {
  const SliceRequest* const end = need + count;
  int64_t fetch_bits = 0;
  for (const SliceRequest* it_r = need; it_r != end; ++it_r) {
    const SliceRequest& r = *it_r;
    auto it = entries_.find(r.key);
    if (it == entries_.end()) {
      fetch_bits += (r.hi - r.lo) * r.row_bits;
      entries_[r.key] = Entry{r.lo, r.hi, r.row_bits};
      resident_bits_ += (r.hi - r.lo) * r.row_bits;
      continue;
    }
    Entry& e = it->second;
    const int64_t overlap = std::max<int64_t>(0, std::min(e.hi, r.hi) - std::max(e.lo, r.lo));
    fetch_bits += (r.hi - r.lo - overlap) * r.row_bits;
    resident_bits_ -= e.bits();
    if (overlap > 0 || e.hi == r.lo || r.hi == e.lo) {
      e.lo = std::min(e.lo, r.lo);  // contiguous: the union stays
      e.hi = std::max(e.hi, r.hi);
    } else {
      e.lo = r.lo;
      e.hi = r.hi;
    }
    resident_bits_ += e.bits();
  }
  if (resident_bits_ <= capacity_bits_) return fetch_bits;

  // Overflow: keep only this fold's own rows (the map's buckets are reused).
  int64_t kept_bits = 0;
  for (const SliceRequest* r = need; r != end; ++r) kept_bits += (r->hi - r->lo) * r->row_bits;
  entries_.clear();
  if (kept_bits > capacity_bits_) {
    resident_bits_ = 0;  // streamed: nothing stays for the next fold
    return fetch_bits;
  }
  for (const SliceRequest* r = need; r != end; ++r)
    entries_[r->key] = Entry{r->lo, r->hi, r->row_bits};
  resident_bits_ = kept_bits;
  return fetch_bits;
}

}  // namespace strata
