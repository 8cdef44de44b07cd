#pragma once
// Synthetic weights drawn once for a process that prepares one network for several configs (a
// comparison): the draws depend on the seed, the shape and the distribution only, and the configs
// differ in how they quantize them. Drawing VGG-16's 138 M Gaussian samples takes seconds, most of
// it in libm's log and sincos, whose exact values every report depends on; a cache keeps the same
// bits. Bounded in bytes, oldest entries dropped first; safe to share between threads.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "workloads/quant/synthetic_weights.h"
#include "workloads/quant/weight_tensor.h"

namespace strata {

class SyntheticDrawCache {
 public:
  explicit SyntheticDrawCache(int64_t max_bytes) : max_bytes_(max_bytes) {}
  // Fills w.data exactly as generate_weights(w, spec) does, from the cache when it holds the draw
  // (and keeps a new draw while it fits).
  void generate(WeightTensor& w, const SyntheticSpec& spec);
  int64_t hits() const;

 private:
  static std::string key_of(const WeightTensor& w, const SyntheticSpec& spec);

  const int64_t max_bytes_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const std::vector<float>>> entries_;
  std::deque<std::string> order_;  // oldest first
  int64_t bytes_ = 0;
  int64_t hits_ = 0;
};

}  // namespace strata
