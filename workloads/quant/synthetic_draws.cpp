#include "workloads/quant/synthetic_draws.h"

#include <cstdio>

namespace strata {

std::string SyntheticDrawCache::key_of(const WeightTensor& w, const SyntheticSpec& spec) {
  // Every input of generate_weights; doubles in hex, so equal keys mean equal bits.
  char numbers[160];
  std::snprintf(numbers, sizeof numbers, "%a %a %a %llu %lld %lld %lld %lld", spec.gain,
                spec.outlier_fraction, spec.outlier_scale,
                static_cast<unsigned long long>(spec.seed), static_cast<long long>(w.out_channels),
                static_cast<long long>(w.in_channels), static_cast<long long>(w.kernel_h),
                static_cast<long long>(w.kernel_w));
  return spec.distribution + " " + numbers;
}

void SyntheticDrawCache::generate(WeightTensor& w, const SyntheticSpec& spec) {
  const std::string key = key_of(w, spec);
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = entries_.find(key);
    if (it != entries_.end()) {
      w.data = *it->second;
      ++hits_;
      return;
    }
  }
  generate_weights(w, spec);
  const int64_t bytes = static_cast<int64_t>(w.data.size() * sizeof(float));
  if (bytes > max_bytes_) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.count(key)) return;
  while (bytes_ + bytes > max_bytes_ && !order_.empty()) {
    const auto oldest = entries_.find(order_.front());
    bytes_ -= static_cast<int64_t>(oldest->second->size() * sizeof(float));
    entries_.erase(oldest);
    order_.pop_front();
  }
  entries_.emplace(key, std::make_shared<const std::vector<float>>(w.data));
  order_.push_back(key);
  bytes_ += bytes;
}

int64_t SyntheticDrawCache::hits() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return hits_;
}

}  // namespace strata
