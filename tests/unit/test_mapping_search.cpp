// The mapspace of a layer on the scratchpad hierarchy and its exhaustive search: every candidate
// fits, the space is counted in closed form on a small layer, strata's own mapping is one of its
// points, and the search's best is never worse than it, for either walk.
#include <gtest/gtest.h>

#include <map>

#include "common/input_error.h"
#include "hw_models/mapping/mapping_search.h"
#include "support/gemmini_hierarchy.h"

namespace strata {
namespace {

MappedHierarchyParams search_hw(TileWalk walk) { return test::gemmini16_hierarchy(walk); }

int64_t dim(const MapDims& d, MapDim x) { return d[static_cast<size_t>(map_dim_index(x))]; }

// A 4 x 8 x 8 matrix product on a 4 x 4 array with room for anything: blocks 4, 2 or 1 on each
// side; C and K tiles the multiples of the block dividing 8 (2, 3 or 4 of them); the 4 output rows
// 1, 2 or 4; so (2 + 3 + 4) x (2 + 3 + 4) x 3 = 243 candidates.
TEST(MapSpace, CountsEveryFittingTileOfEveryBlock) {
  MappedHierarchyParams hw = search_hw(TileWalk::kGemmini);
  hw.array = {4, 4};
  const Layer l = gemm_layer("mm", 1, 4, 8, 8);
  const auto space = enumerate_mapspace(l, hw, {}, {}, "mm");
  EXPECT_EQ(space.size(), 243u);
  for (const MapCandidate& c : space) {
    EXPECT_EQ(dim(c.tile, MapDim::kC) % c.block_rows, 0);
    EXPECT_EQ(dim(c.tile, MapDim::kK) % c.block_cols, 0);
    // Each candidate is a mapping the planner accepts.
    EXPECT_NO_THROW(plan_mapped_layer(l, candidate_mapping(l, c), hw, {}, "mm"));
  }
  // A scratchpad too small for the large tiles leaves only those that fit.
  hw.scratchpad_bytes = 48;  // 4 x 8 inputs and 8 x 8 weights do not fit together
  for (const MapCandidate& c : enumerate_mapspace(l, hw, {}, {}, "mm")) {
    EXPECT_TRUE(tile_fits(tile_footprint(l, c.tile, hw, {}), hw));
  }
  EXPECT_LT(enumerate_mapspace(l, hw, {}, {}, "mm").size(), 243u);
}

TEST(MapSpace, BoundsTheSpaceAndNamesTheLayer) {
  MapSpaceOptions few;
  few.max_candidates = 10;
  try {
    enumerate_mapspace(gemm_layer("mm", 1, 4, 8, 8), search_hw(TileWalk::kGemmini), {}, few,
                       "layer 'mm'");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "layer 'mm': its mapspace has more than 10 candidates (an exhaustive "
                 "search's bound)");
  }
}

// Loop orders: one candidate per order of the DRAM loops over more than one tile.
TEST(MapSpace, OrdersEveryDramLoop) {
  MappedHierarchyParams hw = search_hw(TileWalk::kMapping);
  hw.array = {4, 4};
  const Layer l = gemm_layer("mm", 1, 4, 8, 8);
  MapSpaceOptions orders;
  orders.loop_orders = true;
  std::map<int64_t, int64_t> by_loops;  // DRAM loops -> candidates
  for (const MapCandidate& c : enumerate_mapspace(l, hw, {}, orders, "mm")) {
    ++by_loops[static_cast<int64_t>(c.dram_order.size())];
  }
  // 243 tiles; orders multiply those with 2 or 3 DRAM loops by 2 or 6.
  int64_t tiles = 0;
  for (const auto& [loops, n] : by_loops) tiles += n / (loops == 3 ? 6 : loops == 2 ? 2 : 1);
  EXPECT_EQ(tiles, 243);
  EXPECT_EQ(by_loops[0], 9);  // the whole layer as one tile, one per block
}

// strata's own mapping is a point of the space (its block, its tile), and the same mapping.
TEST(MapSpace, TheDefaultMappingIsOneOfItsPoints) {
  const MappedHierarchyParams hw = search_hw(TileWalk::kGemmini);
  for (const Layer& l : {gemm_layer("mm", 1, 64, 96, 48), conv_layer("c", 1, 14, 32, 64, 3, 1, 1),
                         conv_layer("s2", 1, 28, 16, 32, 1, 2, 0)}) {
    const std::string wanted = format_mapping(default_mapping(l, hw, {}, l.name));
    bool found = false;
    for (const MapCandidate& c : enumerate_mapspace(l, hw, {}, {}, l.name)) {
      found |= format_mapping(candidate_mapping(l, c)) == wanted;
    }
    EXPECT_TRUE(found) << l.name << ": " << wanted;
  }
}

// The exhaustive search's best: never slower than strata's own mapping, planned again from its
// printed form to the same cycles, and no faster than any candidate (the minimum, checked).
TEST(MapSearch, FindsTheFastestCandidateNeverSlowerThanTheDefault) {
  for (const TileWalk walk : {TileWalk::kGemmini, TileWalk::kMapping}) {
    MappedHierarchyParams hw = search_hw(walk);
    hw.scratchpad_bytes = 16 * 1024;  // small enough that tiling matters
    hw.accumulator_bytes = 4 * 1024;
    MapSpaceOptions options;
    options.loop_orders = walk == TileWalk::kMapping;
    // Small layers (with every loop order the space is the tiles times up to 4! orders); the
    // 3 x 3 convolution's six DRAM loops are for Gemmini's walk, which ignores their order.
    std::vector<Layer> layers = {gemm_layer("mm", 1, 16, 32, 32), conv_layer("c", 1, 8, 16, 32, 1),
                                 gemm_layer("fc", 1, 1, 256, 128)};
    if (walk == TileWalk::kGemmini) layers.push_back(conv_layer("c3", 1, 6, 16, 16, 3, 1, 1));
    for (const Layer& l : layers) {
      const MapSearchResult r =
          exhaustive_map_search(l, hw, {}, MapObjective::kLatency, options, l.name);
      const int64_t default_cycles =
          plan_mapped_layer(l, default_mapping(l, hw, {}, l.name), hw, {}, l.name).cycles;
      EXPECT_LE(r.plan.cycles, default_cycles) << l.name;
      EXPECT_GT(r.evaluated, 1) << l.name;
      const Mapping again = parse_mapping(format_mapping(r.mapping), "m");
      EXPECT_EQ(plan_mapped_layer(l, again, hw, {}, l.name).cycles, r.plan.cycles) << l.name;
      if (l.name != "mm") continue;  // planning every candidate again: the small one suffices
      int64_t fastest = INT64_MAX;
      for (const MapCandidate& c : enumerate_mapspace(l, hw, {}, options, l.name)) {
        fastest =
            std::min(fastest, plan_mapped_layer(l, candidate_mapping(l, c), hw, {}, l.name).cycles);
      }
      EXPECT_EQ(r.plan.cycles, fastest) << l.name;
    }
  }
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// The closed form the search costs candidates with gives what walking the tiles gives, on every
// candidate of several layers, for both walks and every loop order.
TEST(MapSearch, TheClosedFormCostIsTheWalksCost) {
  int64_t checked = 0;
  for (const TileWalk walk : {TileWalk::kGemmini, TileWalk::kMapping}) {
    MappedHierarchyParams hw = search_hw(walk);
    hw.scratchpad_bytes = 8 * 1024;
    hw.accumulator_bytes = 2 * 1024;
    MapSpaceOptions options;
    options.loop_orders = walk == TileWalk::kMapping;
    for (const Layer& l : {gemm_layer("mm", 1, 8, 32, 16), gemm_layer("mm2", 2, 2, 32, 16),
                           conv_layer("c", 1, 4, 16, 32, 1), conv_layer("c3", 1, 5, 8, 8, 3, 2, 1),
                           conv_layer("g", 1, 4, 16, 16, 1, 1, 0, 2)}) {
      for (const MapCandidate& c : enumerate_mapspace(l, hw, {}, options, l.name)) {
        const Mapping m = candidate_mapping(l, c);
        const MappedExecution walked = plan_mapped_layer(l, m, hw, {}, l.name);
        const MappedExecution closed = cost_mapped_layer(l, m, hw, {}, l.name);
        const std::string what = l.name + ": " + format_mapping(m);
        ASSERT_EQ(closed.cycles, walked.cycles) << what;
        ASSERT_EQ(closed.compute_cycles, walked.compute_cycles) << what;
        ASSERT_EQ(closed.load_cycles, walked.load_cycles) << what;
        ASSERT_EQ(closed.store_cycles, walked.store_cycles) << what;
        ASSERT_EQ(closed.input_bytes, walked.input_bytes) << what;
        ASSERT_EQ(closed.weight_bytes, walked.weight_bytes) << what;
        ASSERT_EQ(closed.psum_read_bytes, walked.psum_read_bytes) << what;
        ASSERT_EQ(closed.output_bytes, walked.output_bytes) << what;
        ASSERT_EQ(closed.psum_write_bytes, walked.psum_write_bytes) << what;
        ASSERT_EQ(closed.dma_requests, walked.dma_requests) << what;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 1000) << checked;
  RecordProperty("candidates", std::to_string(checked));
}

}  // namespace
}  // namespace strata
