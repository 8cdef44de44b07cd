#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "hw_models/soc/fold_schedule.h"

namespace strata {
namespace {

// A DRAM bus with no latency: transfers serialize on it in issue order.
struct Bus {
  int64_t free = 0;
  int64_t transfer(int64_t ready, int64_t duration) {
    if (duration == 0) return ready;
    free = std::max(free, ready) + duration;
    return free;
  }
};

// Drives the schedule in the controller's program order with constant durations.
int64_t run(int64_t prefetch, int64_t drain, int n, int64_t load, int64_t compute, int64_t store,
            int64_t* stall = nullptr, int64_t latency = 0) {
  FoldSchedule s(prefetch, drain);
  Bus bus;
  for (int j = 0; j < std::min<int64_t>(prefetch, n); ++j)
    s.loads_done(j, bus.transfer(0, load) + latency);
  for (int i = 0; i < n; ++i) {
    const int64_t next = i + prefetch;
    if (next < n) s.loads_done(next, bus.transfer(s.load_ready(), load) + latency);
    s.computed(i, s.compute_start(i), compute);
    s.stores_done(i, bus.transfer(s.store_ready(), store));
  }
  if (stall) *stall = s.stall_cycles();
  return s.end();
}

TEST(FoldSchedule, ComputeBoundOverlapsEverything) {
  // load_0 + n * compute + store_last when compute >= load + store (design.md formula).
  int64_t stall = 0;
  EXPECT_EQ(run(1, 1, 10, 30, 100, 20, &stall), 30 + 10 * 100 + 20);
  EXPECT_EQ(stall, 30);
}

TEST(FoldSchedule, MemoryBoundPaysTheDma) {
  // The DMA is the bottleneck: loads 0 and 1 back to back, then every fold's store and the next
  // fold's load share it; the last fold computes and stores after its load.
  // 2L + (n-2)(L+S) + C + S with L=80, C=50, S=40, n=10.
  EXPECT_EQ(run(1, 1, 10, 80, 50, 40), 2 * 80 + 8 * (80 + 40) + 50 + 40);
}

TEST(FoldSchedule, NoDoubleBufferingSerializes) {
  EXPECT_EQ(run(0, 0, 5, 30, 100, 20), 5 * (30 + 100 + 20));
}

TEST(FoldSchedule, DeeperPrefetchHidesLatency) {
  // Folds of 50 cycles, loads of 40 cycles with 100 cycles latency: two buffer halves cannot
  // cover the latency, four folds of prefetch can.
  const int64_t shallow = run(1, 1, 100, 40, 50, 0, nullptr, 100);
  const int64_t deep = run(4, 1, 100, 40, 50, 0, nullptr, 100);
  EXPECT_GT(shallow, 100 * 50 + 1000);
  EXPECT_EQ(deep, 140 + 100 * 50);  // first load + latency, then compute-bound
}

TEST(FoldSchedule, OverlapDepthFollowsBufferSpace) {
  std::vector<FoldWork> folds(3);
  folds[0].load_input_bytes = 100;
  folds[1].load_weight_bytes = 300;
  folds[2].store_output_bytes = 50;
  const OverlapDepth d = overlap_depth(folds, 1000, 1000, 1000);
  EXPECT_EQ(d.prefetch, 3);  // the weight side holds 3 of its largest loads
  EXPECT_EQ(d.drain, 20);
  EXPECT_EQ(overlap_depth(folds, 0, 1000, 1000).prefetch, 0);  // single-buffered input: no prefetch
  EXPECT_EQ(overlap_depth(folds, 1000, 1000, 10).drain, 1);    // at least one fold drains
}

TEST(FoldSchedule, PrefetchNeverSlower) {
  for (int64_t load : {0, 10, 100, 1000}) {
    for (int64_t store : {0, 10, 100}) {
      EXPECT_LE(run(1, 1, 20, load, 100, store), run(0, 0, 20, load, 100, store));
    }
  }
}

}  // namespace
}  // namespace strata
