#pragma once
// Gemmini's default scratchpad hierarchy (16 x 16, 256 KiB scratchpad of 16-byte rows, 64 KiB
// accumulator) for the mapped-execution tests.
#include "hw_models/mapping/mapped_execution.h"

namespace strata::test {

inline MappedHierarchyParams gemmini16_hierarchy(TileWalk walk) {
  MappedHierarchyParams hw;
  hw.array = {16, 16};
  hw.scratchpad_bytes = 256 * 1024;
  hw.scratchpad_row_bytes = 16;
  hw.accumulator_bytes = 64 * 1024;
  hw.walk = walk;
  return hw;
}

}  // namespace strata::test
