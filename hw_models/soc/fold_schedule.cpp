#include "hw_models/soc/fold_schedule.h"

#include <algorithm>

namespace strata {

int64_t FoldSchedule::load_ready() const {
  // In program order the last computed fold is the one whose buffer half is reused: fold i-1
  // for prefetched loads of fold i+1 (two halves), fold i-1 for loads of fold i (one half).
  return std::max(dma_free_, compute_end_prev_);
}

void FoldSchedule::loads_issued(int64_t fold, int64_t start, int64_t duration) {
  const int64_t done = start + duration;
  load_end_[fold & 1] = done;
  if (duration > 0) dma_free_ = done;
  end_ = std::max(end_, done);
}

int64_t FoldSchedule::compute_start(int64_t fold) const {
  const int64_t out_free = output_db_ ? store_end_prev2_ : store_end_prev_;
  return std::max({load_end_[fold & 1], compute_end_prev_, out_free});
}

void FoldSchedule::computed(int64_t start, int64_t duration) {
  stall_ += start - compute_end_prev_;
  compute_ += duration;
  compute_end_prev_ = start + duration;
  store_end_prev2_ = store_end_prev_;
  store_end_prev_ = compute_end_prev_;  // until the store is recorded
  end_ = std::max(end_, compute_end_prev_);
}

int64_t FoldSchedule::store_ready() const { return std::max(compute_end_prev_, dma_free_); }

void FoldSchedule::stored(int64_t start, int64_t duration) {
  store_end_prev_ = start + duration;
  if (duration > 0) dma_free_ = store_end_prev_;
  end_ = std::max(end_, store_end_prev_);
}

int64_t FoldSchedule::end() const { return end_; }

}  // namespace strata
