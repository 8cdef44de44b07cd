#include "hw_models/memory/dram_timing.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace strata {

int64_t burst_rounded_bytes(int64_t bytes, int64_t burst_bytes) {
  return (bytes + burst_bytes - 1) / burst_bytes * burst_bytes;
}

DramChannel::DramChannel(const DramParams& p)
    : p_(p),
      latency_ps_(std::llround(p.latency_ns * 1000.0)),
      initiator_free_ps_(1, 0),
      traffic_(1) {
  if (p.is_banked()) {
    banked_ = std::make_unique<BankedDram>(p.banked.params);
    tck_ps_ = p.banked.params.tck_ps();
  }
}

uint64_t DramChannel::device_address(uint64_t address, int initiator) const {
  const BankedDramParams& b = p_.banked.params;
  // Capacity: every field's values times a burst (sizes are powers of two, validated).
  const uint64_t capacity =
      static_cast<uint64_t>(b.channels * b.banks() * b.rows) * static_cast<uint64_t>(b.row_bytes());
  const uint64_t region = (address >> 40) & 3, quarter = capacity / 4;
  // Initiators sharing the device (a pipeline's engines) each get a slice of every region.
  const uint64_t slice = quarter / initiator_free_ps_.size();
  return region * quarter + static_cast<uint64_t>(initiator) * slice +
         (address & ((uint64_t{1} << 40) - 1)) % slice;
}

int DramChannel::add_initiator() {
  initiator_free_ps_.push_back(0);
  traffic_.emplace_back();
  return static_cast<int>(initiator_free_ps_.size()) - 1;
}

void DramChannel::count(int initiator, bool write, int64_t bytes) {
  Traffic& t = traffic_.at(static_cast<size_t>(initiator));
  (write ? t.write_bytes : t.read_bytes) += bytes;
}

DramChannel::Traffic DramChannel::total_traffic() const {
  Traffic total;
  for (const Traffic& t : traffic_) {
    total.read_bytes += t.read_bytes;
    total.write_bytes += t.write_bytes;
  }
  return total;
}

int64_t DramChannel::transfer_ps(int64_t bytes) const {
  // bandwidth_gbps GB/s = bandwidth_gbps bytes per ns.
  const double ps =
      static_cast<double>(burst_rounded_bytes(bytes, p_.burst_bytes)) * 1000.0 / p_.bandwidth_gbps;
  return static_cast<int64_t>(std::ceil(ps));
}

int64_t DramChannel::access(int64_t request_ps, int64_t bytes, int initiator, int64_t now_ps,
                            uint64_t address, bool write) {
  if (bytes <= 0) return request_ps;
  // What ended before the kernel's time can hold no new transfer.
  while (head_ < busy_.size() && busy_[head_].second <= now_ps) ++head_;
  if (head_ > 64 && head_ * 2 > busy_.size()) {
    busy_.erase(busy_.begin(), busy_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  int64_t& own_free = initiator_free_ps_.at(static_cast<size_t>(initiator));
  if (banked_) {
    // DRAM cycles: the request's arrival rounded up to the DRAM clock, its end back to ps.
    const int64_t at = static_cast<int64_t>(std::ceil(static_cast<double>(request_ps) / tck_ps_));
    const int64_t data_before = banked_->stats().data_cycles;
    const int64_t end =
        banked_->access(at, static_cast<int64_t>(device_address(address, initiator)), bytes, write);
    busy_ps_ +=
        std::llround(static_cast<double>(banked_->stats().data_cycles - data_before) * tck_ps_);
    own_free = std::max(request_ps, static_cast<int64_t>(std::ceil(end * tck_ps_)));
    return own_free;
  }
  const int64_t duration = transfer_ps(bytes);
  busy_ps_ += duration;
  own_free = reserve(std::max(request_ps, own_free), duration);
  return own_free + latency_ps_;
}

int64_t DramChannel::reserve(int64_t from, int64_t duration) {
  // The common case (one initiator, or the latest request): after every reservation.
  if (head_ == busy_.size() || from >= busy_.back().second) {
    if (head_ < busy_.size() && busy_.back().second == from) {
      busy_.back().second = from + duration;
    } else {
      busy_.emplace_back(from, from + duration);
    }
    return from + duration;
  }
  // The first reservation ending after `from`.
  auto it = std::upper_bound(
      busy_.begin() + static_cast<std::ptrdiff_t>(head_), busy_.end(), from,
      [](int64_t t, const std::pair<int64_t, int64_t>& r) { return t < r.second; });
  int64_t t = from, left = duration;
  while (left > 0) {
    if (it != busy_.end() && it->first <= t) {
      t = std::max(t, it->second);  // t is inside a reservation: skip to its end
      ++it;
      continue;
    }
    // Free from t to the next reservation's start (or for ever): take what is needed.
    const int64_t gap_end = it == busy_.end() ? INT64_MAX : it->first;
    const int64_t take = std::min(left, gap_end - t);
    const int64_t end = t + take;
    const bool joins_prev =
        it != busy_.begin() + static_cast<std::ptrdiff_t>(head_) && std::prev(it)->second == t;
    const bool joins_next = it != busy_.end() && it->first == end;
    int64_t next_t = end;  // where the free search goes on if more is needed
    if (joins_prev && joins_next) {
      std::prev(it)->second = it->second;
      it = busy_.erase(it);
      next_t = std::prev(it)->second;  // past the reservation the gap's closing merged into
    } else if (joins_prev) {
      std::prev(it)->second = end;
    } else if (joins_next) {
      it->first = t;
    } else {
      it = busy_.insert(it, {t, end});
      ++it;
    }
    left -= take;
    if (left == 0) return end;
    t = next_t;
  }
  return t;
}

}  // namespace strata
