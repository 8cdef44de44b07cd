#pragma once
// DRAM channel timing: one data bus shared by reads and writes, a fixed access latency that
// overlaps with other requests' data transfer, and transfers rounded up to whole bursts.
#include <cstdint>

#include "hw_models/memory/memory_params.h"

namespace strata {

int64_t burst_rounded_bytes(int64_t bytes, int64_t burst_bytes);

class DramChannel {
 public:
  explicit DramChannel(const DramParams& p) : p_(p) {}
  // A request arriving at `request_ps` finishes at the returned time (picoseconds).
  int64_t access(int64_t request_ps, int64_t bytes);
  int64_t transfer_ps(int64_t bytes) const;

 private:
  DramParams p_;
  int64_t bus_free_ps_ = 0;
};

}  // namespace strata
