#pragma once
// Overlap of DMA and compute across the folds of a layer (docs/timing.md). One DMA engine moves
// loads and stores in program order; with double-buffered input/weight buffers the loads of fold
// i+1 run while fold i computes; with a double-buffered output buffer fold i+1 computes while
// fold i's outputs drain. The array stalls whenever its operands are not there yet.
// Times are in cycles relative to the layer start.
#include <cstdint>

namespace strata {

class FoldSchedule {
 public:
  FoldSchedule(bool prefetch, bool output_double_buffered)
      : prefetch_(prefetch), output_db_(output_double_buffered) {}

  // Program order: prefetching, loads(0) then per fold i: loads(i+1), compute(i), stores(i);
  // otherwise per fold i: loads(i), compute(i), stores(i).
  // Earliest start of the next loads: the DMA is free and the buffer half they fill is free
  // (the fold that last used it has finished computing).
  int64_t load_ready() const;
  void loads_issued(int64_t fold, int64_t start, int64_t duration);

  // Start of fold i's compute: its operands loaded, the array free, an output buffer half free.
  int64_t compute_start(int64_t fold) const;
  void computed(int64_t start, int64_t duration);

  // Stores of the fold just computed start when it ends and the DMA is free.
  int64_t store_ready() const;
  void stored(int64_t start, int64_t duration);

  bool prefetch() const { return prefetch_; }
  int64_t end() const;  // when the last operation finishes
  int64_t stall_cycles() const { return stall_; }
  int64_t compute_cycles() const { return compute_; }

 private:
  bool prefetch_, output_db_;
  int64_t dma_free_ = 0;
  int64_t load_end_[2] = {0, 0};  // by fold parity: at most two folds have loads in flight
  int64_t compute_end_prev_ = 0;  // fold i-1
  int64_t store_end_prev_ = 0;    // stores of fold i-1
  int64_t store_end_prev2_ = 0;   // stores of fold i-2
  int64_t stall_ = 0, compute_ = 0;
  int64_t end_ = 0;
};

}  // namespace strata
