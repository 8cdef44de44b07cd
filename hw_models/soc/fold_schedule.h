#pragma once
// Dependencies between DMA and compute across the folds of a layer (docs/timing.md). A double-
// buffered buffer gives half its capacity to data in flight: loads run up to `prefetch_depth`
// folds ahead of the array, and finished outputs drain while up to `drain_depth` later folds
// compute. The array stalls whenever its operands are not there yet. Transfers themselves are
// timed by the DRAM channel, which serializes their data on its bus and overlaps their latencies.
// Times are in cycles relative to the layer start.
#include <cstdint>
#include <vector>

#include "hw_models/soc/tiling.h"

namespace strata {

class FoldSchedule {
 public:
  // prefetch_depth 0: no prefetch (loads of fold i wait for fold i-1's compute).
  // drain_depth 0: fold i+1 waits until fold i's outputs are stored.
  FoldSchedule(int64_t prefetch_depth, int64_t drain_depth);

  // Program order: loads(0 .. D-1), then per fold i: loads(i+D), compute(i), stores(i), with
  // D = max(prefetch_depth, 1) ahead when prefetching, else loads(i) right before compute(i).
  // The next loads may be issued once the last computed fold (i-1) has released its space.
  int64_t load_ready() const { return compute_end_prev_; }
  void loads_done(int64_t fold, int64_t end);

  // Start of fold i's compute: its operands loaded, the array free, output space free.
  int64_t compute_start(int64_t fold) const;
  void computed(int64_t fold, int64_t start, int64_t duration);

  // Stores of the fold just computed are issued when it ends.
  int64_t store_ready() const { return compute_end_prev_; }
  void stores_done(int64_t fold, int64_t end);

  int64_t end() const { return end_; }  // when the last operation finishes
  int64_t stall_cycles() const { return stall_; }

 private:
  int64_t prefetch_depth_, drain_depth_;
  std::vector<int64_t> load_end_;   // ring by fold index: folds with loads in flight
  std::vector<int64_t> store_end_;  // ring by fold index: folds whose outputs drain
  int64_t compute_end_prev_ = 0;
  int64_t stall_ = 0;
  int64_t end_ = 0;
};

// How many folds of loads fit in the prefetch halves of the input and weight buffers (the most
// any fold of this layer loads), and how many folds of outputs fit in the output buffer's drain
// half. 0 where the buffer is not double buffered.
struct OverlapDepth {
  int64_t prefetch = 0, drain = 0;
};
OverlapDepth overlap_depth(const std::vector<FoldWork>& folds, int64_t input_prefetch_bytes,
                           int64_t weight_prefetch_bytes, int64_t output_drain_bytes,
                           int64_t max_depth = 256);

}  // namespace strata
