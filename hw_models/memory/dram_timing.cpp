#include "hw_models/memory/dram_timing.h"

#include <algorithm>
#include <cmath>

namespace strata {

int64_t burst_rounded_bytes(int64_t bytes, int64_t burst_bytes) {
  return (bytes + burst_bytes - 1) / burst_bytes * burst_bytes;
}

int64_t DramChannel::transfer_ps(int64_t bytes) const {
  // bandwidth_gbps GB/s = bandwidth_gbps bytes per ns.
  const double ps =
      static_cast<double>(burst_rounded_bytes(bytes, p_.burst_bytes)) * 1000.0 / p_.bandwidth_gbps;
  return static_cast<int64_t>(std::ceil(ps));
}

int64_t DramChannel::access(int64_t request_ps, int64_t bytes) {
  if (bytes <= 0) return request_ps;
  const int64_t start = std::max(request_ps, bus_free_ps_);
  bus_free_ps_ = start + transfer_ps(bytes);
  return bus_free_ps_ + static_cast<int64_t>(std::llround(p_.latency_ns * 1000.0));
}

}  // namespace strata
