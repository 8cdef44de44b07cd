#include "hw_models/soc/fold_schedule.h"

#include <algorithm>

namespace strata {

FoldSchedule::FoldSchedule(int64_t prefetch_depth, int64_t drain_depth)
    : prefetch_depth_(prefetch_depth),
      drain_depth_(drain_depth),
      load_end_(static_cast<size_t>(prefetch_depth + 1), 0),
      store_end_(static_cast<size_t>(drain_depth + 1), 0) {}

void FoldSchedule::loads_done(int64_t fold, int64_t end) {
  load_end_[static_cast<size_t>(fold % (prefetch_depth_ + 1))] = end;
  end_ = std::max(end_, end);
}

int64_t FoldSchedule::compute_start(int64_t fold) const {
  // Outputs of fold i-1-drain_depth must have left to make room (that slot is reused now).
  const int64_t out_free = store_end_[static_cast<size_t>(fold % (drain_depth_ + 1))];
  return std::max(
      {load_end_[static_cast<size_t>(fold % (prefetch_depth_ + 1))], compute_end_prev_, out_free});
}

void FoldSchedule::computed(int64_t fold, int64_t start, int64_t duration) {
  stall_ += start - compute_end_prev_;
  compute_end_prev_ = start + duration;
  store_end_[static_cast<size_t>(fold % (drain_depth_ + 1))] = compute_end_prev_;  // until stored
  end_ = std::max(end_, compute_end_prev_);
}

void FoldSchedule::stores_done(int64_t fold, int64_t end) {
  int64_t& slot = store_end_[static_cast<size_t>(fold % (drain_depth_ + 1))];
  slot = std::max(end, slot);
  end_ = std::max(end_, slot);
}

OverlapDepth overlap_depth(const std::vector<FoldWork>& folds, int64_t input_prefetch_bytes,
                           int64_t weight_prefetch_bytes, int64_t output_drain_bytes,
                           int64_t max_depth) {
  int64_t max_input = 0, max_weight = 0, max_store = 0;
  for (const auto& f : folds) {
    max_input = std::max(max_input, f.load_input_bytes);
    max_weight = std::max(max_weight, f.load_weight_bytes);
    // Partial sums read back land in the output buffer's in-flight half, as drained ones leave it.
    max_store = std::max({max_store, f.store_output_bytes, f.load_psum_bytes});
  }
  auto depth = [&](int64_t capacity, int64_t per_fold) {
    if (capacity <= 0) return int64_t{0};
    if (per_fold <= 0) return max_depth;
    return std::clamp<int64_t>(capacity / per_fold, 1, max_depth);
  };
  OverlapDepth d;
  if (input_prefetch_bytes > 0 && weight_prefetch_bytes > 0) {
    d.prefetch =
        std::min(depth(input_prefetch_bytes, max_input), depth(weight_prefetch_bytes, max_weight));
  }
  d.drain = depth(output_drain_bytes, max_store);
  return d;
}

}  // namespace strata
