// A layer run with an explicit mapping on the scratchpad-and-accumulator hierarchy: tiles, what
// each walk moves in and out, the cost of a tile, the folds, and the mapping errors.
#include <gtest/gtest.h>

#include "common/input_error.h"
#include "hw_models/mapping/mapped_execution.h"
#include "support/gemmini_hierarchy.h"
#include "workloads/zoo/zoo.h"

namespace strata {
namespace {

MappedHierarchyParams gemmini16(TileWalk walk) { return test::gemmini16_hierarchy(walk); }

MappedExecution plan(const Layer& l, const std::string& mapping, TileWalk walk) {
  return plan_mapped_layer(l, parse_mapping(mapping, "m"), gemmini16(walk), {}, "layer");
}

std::string error_of(const Layer& l, const std::string& mapping,
                     MappedHierarchyParams hw = gemmini16(TileWalk::kGemmini)) {
  try {
    plan_mapped_layer(l, parse_mapping(mapping, "m"), hw, {}, "layer 'l': mapping");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

int64_t sum(const std::vector<FoldWork>& folds, int64_t FoldWork::*field) {
  int64_t s = 0;
  for (const auto& f : folds) s += f.*field;
  return s;
}

// 32 x 32 x 32: two K tiles of 16 columns, two C tiles of 16 rows, all 32 pixels per tile.
const Layer kMatmul = gemm_layer("mm", 1, 32, 32, 32);

TEST(MappedExecution, MappingWalkReusesWhatItsLoopsAllowAndCostsInClosedForm) {
  const MappedExecution x =
      plan(kMatmul, "L3[WIO] K2 C2 - L2[WI] K16X - L1[O] P32 C16X - L0[W] N1", TileWalk::kMapping);
  EXPECT_EQ(x.tiles, 4);
  EXPECT_EQ(x.block_rows, 16);
  EXPECT_EQ(x.block_cols, 16);
  EXPECT_EQ(x.tile_pixels, 32);
  EXPECT_EQ(x.tile_blocks, 1);
  // Every tile moves a new C slice of the inputs (C is innermost) and new weights.
  EXPECT_EQ(x.input_bytes, 4 * 32 * 16);
  EXPECT_EQ(x.weight_bytes, 4 * 16 * 16);
  // Reductions inside K: each output tile is left once, finished.
  EXPECT_EQ(x.output_bytes, 2 * 32 * 16);
  EXPECT_EQ(x.psum_write_bytes, 0);
  EXPECT_EQ(x.psum_read_bytes, 0);
  // A tile: 200 latency + 32 input rows and 16 weight rows at 2 cycles each (a 16 B row takes 1
  // bus cycle, a request at least 2); compute 1 block x max(16 preload, 32 pixels) + 16 drain;
  // 0.75 of the compute hidden; a store: 200 + 32 rows x 2.
  const int64_t load = 200 + 32 * 2 + 16 * 2, compute = 32 + 16, store = 200 + 32 * 2;
  const int64_t hidden = 36;  // 0.75 x min(load, compute)
  EXPECT_EQ(x.cycles, 4 * (load + compute - hidden) + 2 * store);
  EXPECT_EQ(x.compute_cycles, 4 * compute);
  EXPECT_EQ(x.dma_requests, 4 * (32 + 16) + 2 * 32);
  EXPECT_EQ(sum(x.folds, &FoldWork::compute_cycles), x.compute_cycles);
  EXPECT_EQ(sum(x.folds, &FoldWork::exposed_dma_cycles), x.cycles - x.compute_cycles);
  EXPECT_EQ(sum(x.folds, &FoldWork::macs), 32 * 32 * 32);
}

TEST(MappedExecution, ReductionOutsideTheOutputLoopSpillsPartialSums) {
  const MappedExecution x =
      plan(kMatmul, "L3[WIO] C2 K2 - L2[WI] K16X - L1[O] P32 C16X - L0[W] N1", TileWalk::kMapping);
  // The inputs' C slice stays while K advances inside it.
  EXPECT_EQ(x.input_bytes, 2 * 32 * 16);
  EXPECT_EQ(x.weight_bytes, 4 * 16 * 16);
  // Four visits of two output tiles: the first visit of each spills 32-bit partial sums, the
  // second reads them back and stores the int8 outputs.
  EXPECT_EQ(x.psum_write_bytes, 2 * 32 * 16 * 4);
  EXPECT_EQ(x.psum_read_bytes, 2 * 32 * 16 * 4);
  EXPECT_EQ(x.output_bytes, 2 * 32 * 16);
  EXPECT_EQ(sum(x.folds, &FoldWork::store_output_bytes), x.output_bytes + x.psum_write_bytes);
  EXPECT_EQ(sum(x.folds, &FoldWork::load_psum_bytes), x.psum_read_bytes);
}

TEST(MappedExecution, GemminiWalkPutsReductionsInsideAndRefetchesUnlessTheGridIsTiny) {
  // Whatever the mapping's DRAM order, tiled_matmul runs K tiles outer and C tiles inner: no
  // partial sums leave the accumulator.
  for (const char* m : {"L3[WIO] C2 K2 - L2[WI] K16X - L1[O] P32 C16X - L0[W] N1",
                        "L3[WIO] K2 C2 - L2[WI] K16X - L1[O] P32 C16X - L0[W] N1"}) {
    const MappedExecution x = plan(kMatmul, m, TileWalk::kGemmini);
    EXPECT_EQ(x.psum_write_bytes, 0) << m;
    EXPECT_EQ(x.output_bytes, 2 * 32 * 16) << m;
    // The inputs' grid is 1 x 2 tiles (<= 2): each stays once moved in (a_reuse); the weights'
    // is 2 x 2: moved in every tile.
    EXPECT_EQ(x.input_bytes, 2 * 32 * 16) << m;
    EXPECT_EQ(x.weight_bytes, 4 * 16 * 16) << m;
  }
  // A convolution (tiled_conv) moves both in every tile.
  Layer conv = conv_layer("c", 1, 8, 32, 32, 1);
  const MappedExecution c =
      plan(conv, "L3[WIO] K2 C2 - L2[WI] K16X - L1[O] P8 Q8 C16X - L0[W] N1", TileWalk::kGemmini);
  EXPECT_EQ(c.input_bytes, 4 * 64 * 16);
  EXPECT_EQ(c.weight_bytes, 4 * 16 * 16);
}

TEST(MappedExecution, SmallBlocksAndFewPixelsCostPreloads) {
  // C4X K4X: 16 blocks of 4 x 4 per 16 x 16 tile; 2 pixels each: the preload (4 rows) dominates.
  const Layer l = gemm_layer("mm", 1, 2, 16, 16);
  const MappedExecution x =
      plan(l, "L3[WIO] N1 - L2[WI] K4X - L1[O] K4 C4 P2 C4X - L0[W] N1", TileWalk::kGemmini);
  EXPECT_EQ(x.tile_blocks, 16);
  EXPECT_EQ(x.compute_cycles, 16 * 4 + 16);
  // Convolutions: the input tile is the window of the output tile (stride 2, 3 x 3).
  Layer conv = conv_layer("c", 1, 9, 16, 16, 3, 2, 0);  // 4 x 4 outputs
  const MappedExecution c = plan(
      conv, "L3[WIO] P2 - L2[WI] K16X - L1[O] S3 R3 Q4 P2 C16X - L0[W] N1", TileWalk::kGemmini);
  EXPECT_EQ(c.tiles, 2);
  EXPECT_EQ(c.input_bytes, 2 * (5 * 9) * 16);  // (2 - 1) x 2 + 3 rows, (4 - 1) x 2 + 3 columns
  EXPECT_EQ(c.weight_bytes, 2 * 9 * 16 * 16);
}

TEST(MappedExecution, FoldsAreBoundedAndKeepTheTotals) {
  const Layer l = gemm_layer("big", 1, 4096, 64, 64);
  const MappedExecution x =
      plan(l, "L3[WIO] P1024 K4 - L2[WI] K16X - L1[O] P4 C4 C16X - L0[W] N1", TileWalk::kMapping);
  EXPECT_EQ(x.tiles, 4096);
  EXPECT_LE(x.folds.size(), static_cast<size_t>(kMaxMappedFoldsPerInstance));
  EXPECT_EQ(sum(x.folds, &FoldWork::compute_cycles) + sum(x.folds, &FoldWork::exposed_dma_cycles),
            x.cycles);
  EXPECT_EQ(sum(x.folds, &FoldWork::load_input_bytes), x.input_bytes);
  EXPECT_EQ(sum(x.folds, &FoldWork::load_weight_bytes), x.weight_bytes);
  EXPECT_EQ(sum(x.folds, &FoldWork::macs), l.macs());
  // The check without the walk: the same shape and the array's busy time.
  const MappedExecution checked = check_mapped_layer(
      l, parse_mapping("L3[WIO] P1024 K4 - L2[WI] K16X - L1[O] P4 C4 C16X - L0[W] N1", "m"),
      gemmini16(TileWalk::kMapping), {}, "layer");
  EXPECT_EQ(checked.tiles, x.tiles);
  EXPECT_EQ(checked.compute_cycles, x.compute_cycles);
  EXPECT_TRUE(checked.folds.empty());
  // Groups: instances repeat the plan.
  Layer grouped = conv_layer("g", 1, 8, 32, 32, 1, 1, 0, 2);
  const MappedExecution g =
      plan(grouped, "L3[WIO] N1 - L2[WI] K16X - L1[O] P8 Q8 C16X - L0[W] N1", TileWalk::kGemmini);
  const MappedExecution one =
      plan(conv_layer("o", 1, 8, 16, 16, 1),
           "L3[WIO] N1 - L2[WI] K16X - L1[O] P8 Q8 C16X - L0[W] N1", TileWalk::kGemmini);
  EXPECT_EQ(g.cycles, 2 * one.cycles);
  EXPECT_EQ(sum(g.folds, &FoldWork::macs), grouped.macs());
}

TEST(MappedExecution, MappingsThatDoNotFitNameTheLevelAndTheNumbers) {
  const std::string ok = "L3[WIO] K2 C2 - L2[WI] K16X - L1[O] P32 C16X - L0[W] N1";
  EXPECT_EQ(error_of(kMatmul, "L3[WIO] K2 C2 - L2[WI] K16X - L1[O] P32 C16X"),
            "layer 'l': mapping: a mapping for the scratchpad-and-accumulator hierarchy has four "
            "levels (DRAM, scratchpad, accumulator, PE registers), this one has 3");
  EXPECT_EQ(error_of(kMatmul, "L3[WIO] K2 C2 - L2[WI] K16X - L1[WO] P32 C16X - L0[W] N1"),
            "layer 'l': mapping: level L1 (accumulator) keeps W, but it holds partial sums and "
            "outputs (O) only");
  EXPECT_EQ(error_of(kMatmul, "L3[WIO] K2 C2 - L2[W] K16X - L1[O] P32 C16X - L0[W] N1"),
            "layer 'l': mapping: level L2 (scratchpad) must keep I (it holds weights and inputs "
            "(W, I))");
  EXPECT_EQ(error_of(kMatmul, "L3[WIO] K2 C2 - L2[WI] K16X - L1[O] P2X P16 C16X - L0[W] N1"),
            "layer 'l': mapping: level L1 (accumulator) unrolls P2X; the array unrolls C over its "
            "rows and K over its columns only");
  EXPECT_EQ(error_of(kMatmul, "L3[WIO] K2 - L2[WI] K16X - L1[O] P32 C32X - L0[W] N1"),
            "layer 'l': mapping: the spatial loops unroll C over 32 rows and K over 16 columns; "
            "the array has 16 x 16");
  EXPECT_EQ(error_of(kMatmul, "L3[WIO] K2 - L2[WI] K16X - L1[O] P32 C16X - L0[W] C2"),
            "layer 'l': mapping: level L0 (PE registers) loops over C2, but a PE register holds "
            "one weight: its loops reuse it over N, P and Q only");
  EXPECT_EQ(error_of(kMatmul, "L3[WIO] K2 C2 - L2[WI] K16X - L1[O] P16 C16X - L0[W] N1"),
            "layer 'l': mapping: P's factors multiply to 16 (16), but the layer's P is 32");
  MappedHierarchyParams small = gemmini16(TileWalk::kGemmini);
  small.scratchpad_bytes = 512;
  EXPECT_EQ(error_of(kMatmul, ok, small),
            "layer 'l': mapping: level L2 (scratchpad): the tile holds 512 B of inputs and 256 B "
            "of weights, 768 B in all; the scratchpad has 512 B");
  small = gemmini16(TileWalk::kGemmini);
  small.accumulator_bytes = 1024;
  EXPECT_EQ(error_of(kMatmul, ok, small),
            "layer 'l': mapping: level L1 (accumulator): the tile's 512 partial sums take 2,048 "
            "B; the accumulator has 1,024 B");
  EXPECT_NE(error_of(gemm_layer("huge", 1, int64_t{1} << 26, 16, 16),
                     "L3[WIO] P67108864 - L2[WI] K16X - L1[O] C16X - L0[W] N1")
                .find("tiles; strata walks at most 2^24"),
            std::string::npos);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// strata's own mapping fits and covers every array layer of the zoo's networks, on Gemmini's
// default hierarchy.
TEST(DefaultMapping, FitsAndCoversEveryZooLayer) {
  const MappedHierarchyParams hw = gemmini16(TileWalk::kGemmini);
  for (const char* net : {"resnet50", "mobilenet_v2", "bert_base", "vgg16"}) {
    for (const Layer& l : zoo_workload(net).layers) {
      const Mapping m = default_mapping(l, hw, {}, l.name);
      const MappedExecution x = plan_mapped_layer(l, m, hw, {}, l.name);
      EXPECT_GT(x.cycles, 0) << net << " " << l.name;
      // The block: the largest divisor of C (and of K) within the array.
      const int64_t c = mapping_dims(l)[static_cast<size_t>(map_dim_index(MapDim::kC))];
      EXPECT_EQ(c % x.block_rows, 0) << l.name;
      for (int64_t d = x.block_rows + 1; d <= std::min<int64_t>(16, c); ++d) {
        EXPECT_NE(c % d, 0) << l.name;
      }
    }
  }
}

}  // namespace
}  // namespace strata
