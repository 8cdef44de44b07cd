#include "hw_models/memory/dram_timing.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace strata {

int64_t burst_rounded_bytes(int64_t bytes, int64_t burst_bytes) {
  return (bytes + burst_bytes - 1) / burst_bytes * burst_bytes;
}

DramChannel::DramChannel(const DramParams& p)
    : p_(p), latency_ps_(std::llround(p.latency_ns * 1000.0)), initiator_free_ps_(1, 0) {}

int DramChannel::add_initiator() {
  initiator_free_ps_.push_back(0);
  return static_cast<int>(initiator_free_ps_.size()) - 1;
}

int64_t DramChannel::transfer_ps(int64_t bytes) const {
  // bandwidth_gbps GB/s = bandwidth_gbps bytes per ns.
  const double ps =
      static_cast<double>(burst_rounded_bytes(bytes, p_.burst_bytes)) * 1000.0 / p_.bandwidth_gbps;
  return static_cast<int64_t>(std::ceil(ps));
}

int64_t DramChannel::access(int64_t request_ps, int64_t bytes, int initiator, int64_t now_ps) {
  if (bytes <= 0) return request_ps;
  // What ended before the kernel's time can hold no new transfer.
  while (!busy_.empty() && busy_.begin()->second <= now_ps) busy_.erase(busy_.begin());
  int64_t& own_free = initiator_free_ps_.at(static_cast<size_t>(initiator));
  const int64_t duration = transfer_ps(bytes);
  busy_ps_ += duration;
  own_free = reserve(std::max(request_ps, own_free), duration);
  return own_free + latency_ps_;
}

int64_t DramChannel::reserve(int64_t from, int64_t duration) {
  int64_t t = from, left = duration;
  while (left > 0) {
    auto next = busy_.upper_bound(t);  // the first reservation starting after t
    if (next != busy_.begin() && std::prev(next)->second > t) {
      t = std::prev(next)->second;  // t is inside a reservation: skip to its end
      continue;
    }
    const int64_t gap_end = next == busy_.end() ? INT64_MAX : next->first;
    const int64_t take = std::min(left, gap_end - t);
    // Reserve [t, t + take), merged with reservations it touches so the calendar stays small.
    int64_t start = t, end = t + take;
    if (next != busy_.end() && next->first == end) {
      end = next->second;
      next = busy_.erase(next);
    }
    if (next != busy_.begin() && std::prev(next)->second == start) {
      start = std::prev(next)->first;
      busy_.erase(std::prev(next));
    }
    busy_.emplace(start, end);
    left -= take;
    t += take;
  }
  return t;
}

}  // namespace strata
