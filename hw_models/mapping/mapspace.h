#pragma once
// The mapspace of a layer on the scratchpad hierarchy (mapped_execution.h; docs/mapping.md): the
// array block a weight preload fills (C over rows, K over columns: divisors within the array),
// the tile one DRAM-level iteration moves (a divisor of every dimension, C and K in whole
// blocks) that fits the scratchpad and the accumulator, and, for the Timeloop-style walk, the
// order of the DRAM level's loops. Pure C++: enumeration and the mapping each point is; what a
// point costs is the planner's.
#include <cstdint>
#include <string>
#include <vector>

#include "hw_models/mapping/mapped_execution.h"

namespace strata {

struct MapCandidate {
  int64_t block_rows = 1, block_cols = 1;  // spatial C and K
  MapDims tile{};                          // per dimension, below DRAM
  // The DRAM level's loops over more than one tile, outermost first; empty: Gemmini's order
  // (output tiles, then K, then reductions), which its walk uses whatever the mapping says.
  std::vector<MapDim> dram_order;
};

struct MapSpaceOptions {
  // Every order of the DRAM level's loops (only the Timeloop-style walk runs them as written).
  bool loop_orders = false;
  // Enumeration stops with an InputError beyond this many candidates (an exhaustive search's
  // bound).
  int64_t max_candidates = 2'000'000;
};

// Every candidate of `layer` that fits (and has at most kMaxMappedTilesPerInstance tiles), in a
// fixed order (blocks largest first, then tiles
// lexicographically, then orders); throws InputError "<where>: ..." beyond max_candidates.
std::vector<MapCandidate> enumerate_mapspace(const Layer& layer, const MappedHierarchyParams& hw,
                                             const MappedOperandBits& bits,
                                             const MapSpaceOptions& options,
                                             const std::string& where);

// The mapping a candidate stands for: L3[WIO] the DRAM loops - L2[WI] the spatial K - L1[O] the
// tile's temporal loops and the spatial C - L0[W] (as strata's own mappings are written).
Mapping candidate_mapping(const Layer& layer, const MapCandidate& c);

}  // namespace strata
