#include <gtest/gtest.h>

#include "hw_models/soc/fold_schedule.h"

namespace strata {
namespace {

// Drives the schedule in the controller's program order with constant durations.
int64_t run(bool prefetch, bool out_db, int n, int64_t load, int64_t compute, int64_t store,
            int64_t* stall = nullptr) {
  FoldSchedule s(prefetch, out_db);
  if (prefetch) s.loads_issued(0, s.load_ready(), load);
  for (int i = 0; i < n; ++i) {
    const int next = prefetch ? i + 1 : i;
    if (next < n) s.loads_issued(next, s.load_ready(), load);
    s.computed(s.compute_start(i), compute);
    s.stored(s.store_ready(), store);
  }
  if (stall) *stall = s.stall_cycles();
  return s.end();
}

TEST(FoldSchedule, ComputeBoundOverlapsEverything) {
  // load_0 + n * compute + store_last when compute >= load + store (design.md formula).
  int64_t stall = 0;
  EXPECT_EQ(run(true, true, 10, 30, 100, 20, &stall), 30 + 10 * 100 + 20);
  EXPECT_EQ(stall, 30);
}

TEST(FoldSchedule, MemoryBoundPaysTheDma) {
  // The DMA is the bottleneck: loads 0 and 1 back to back, then every fold's store and the next
  // fold's load share it; the last fold computes and stores after its load.
  // 2L + (n-2)(L+S) + C + S with L=80, C=50, S=40, n=10.
  EXPECT_EQ(run(true, true, 10, 80, 50, 40), 2 * 80 + 8 * (80 + 40) + 50 + 40);
}

TEST(FoldSchedule, NoDoubleBufferingSerializes) {
  EXPECT_EQ(run(false, false, 5, 30, 100, 20), 5 * (30 + 100 + 20));
}

TEST(FoldSchedule, PrefetchNeverSlower) {
  for (int64_t load : {0, 10, 100, 1000}) {
    for (int64_t store : {0, 10, 100}) {
      EXPECT_LE(run(true, true, 20, load, 100, store), run(false, false, 20, load, 100, store));
    }
  }
}

}  // namespace
}  // namespace strata
