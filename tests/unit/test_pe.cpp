#include <gtest/gtest.h>

#include "hw_models/array/pe.h"
#include "hw_models/soc/tiling.h"
#include "workloads/zoo/zoo.h"

namespace strata {
namespace {

TEST(Pe, FusiblePesRunFourOrEightBitsAndFuseNarrowProducts) {
  const PeParams fused{PeKind::kBitFusion, 8};
  EXPECT_EQ(pe_macs_per_cycle(fused, 8, 8), 1);
  EXPECT_EQ(pe_macs_per_cycle(fused, 4, 8), 2);
  EXPECT_EQ(pe_macs_per_cycle(fused, 8, 4), 2);
  EXPECT_EQ(pe_macs_per_cycle(fused, 4, 4), 4);
  EXPECT_EQ(pe_macs_per_cycle(fused, 3, 2), 4);  // narrow operands run at 4 bits
  EXPECT_EQ(pe_macs_per_cycle(fused, 5, 4), 2);  // 5..8 bits run at 8
  EXPECT_EQ(pe_macs_per_cycle({PeKind::kAnt, 8}, 4, 4), 4);
  EXPECT_EQ(pe_macs_per_cycle({PeKind::kInt, 8}, 4, 4), 1);
  EXPECT_EQ(pe_operand_width({PeKind::kInt, 8}, 4), 8);
}

TEST(Pe, SupportNamesWhatThePeCannotRead) {
  using Problem = PeSupport::Problem;
  EXPECT_TRUE(pe_support({PeKind::kInt, 8}, 8, 8, "", "int").ok());
  EXPECT_TRUE(pe_support({PeKind::kAnt, 8}, 4, 4, "flint", "pot").ok());
  const PeSupport wide = pe_support({PeKind::kInt, 4}, 8, 4, "", "");
  EXPECT_EQ(wide.problem, Problem::kTooWide);
  EXPECT_NE(wide.message.find("8 bits exceed"), std::string::npos) << wide.message;
  const PeSupport wider = pe_support({PeKind::kBitFusion, 8}, 8, 16, "", "");
  EXPECT_NE(wider.message.find("16 bits"), std::string::npos) << wider.message;
  const PeSupport flint = pe_support({PeKind::kBitFusion, 8}, 4, 4, "", "flint");
  EXPECT_EQ(flint.problem, Problem::kUnreadableType);
  EXPECT_NE(flint.message.find("\"flint\""), std::string::npos) << flint.message;
  // The PE speaks of itself; the config layer adds which key to change.
  EXPECT_EQ(flint.message.find("array."), std::string::npos) << flint.message;
  EXPECT_EQ(pe_support({PeKind::kAnt, 8}, 4, 4, "", "olive").problem, Problem::kUnreadableType);
  EXPECT_FALSE(pe_support({PeKind::kAnt, 8}, 4, 4, "float", "").ok());
}

// A fused PE packs the reduction dimension: the tiler's cycles equal the closed form on the
// packed GEMM, its MACs and SRAM traffic stay those of the real layer.
TEST(Pe, FusedArrayCyclesMatchTheClosedFormOnThePackedDepth) {
  for (Dataflow d :
       {Dataflow::kOutputStationary, Dataflow::kWeightStationary, Dataflow::kInputStationary}) {
    for (const Layer& l : zoo_workload("resnet18").layers) {
      for (int bits : {8, 4}) {
        TilingParams p;
        p.dataflow = d;
        p.array = {16, 16};
        p.pe = {PeKind::kBitFusion, 8};
        p.bits.input = p.bits.weight = bits;
        p.input_capacity_bytes = p.weight_capacity_bytes = p.output_capacity_bytes = 1 << 30;
        const LayerTiling t = tile_layer(l, p);
        const int64_t per_cycle = bits == 4 ? 4 : 1;
        int64_t macs = 0, input = 0, weight = 0;
        for (const auto& f : t.folds) {
          macs += f.macs;
          input += f.sram_read_input_bytes;
          weight += f.sram_read_weight_bytes;
          EXPECT_EQ(f.peak_macs_per_pe_cycle, per_cycle);
        }
        const std::string what = l.name + " " + to_string(d) + " " + std::to_string(bits);
        EXPECT_EQ(t.compute_cycles(),
                  strata_layer_cycles(l, d, p.array, t.stream_block, DepthPacking{1, 1, per_cycle}))
            << what;
        EXPECT_EQ(macs, l.macs()) << what;
        if (d == Dataflow::kOutputStationary) {
          // Every fold reads its pixels' full K row of inputs and its filters' K column.
          const GemmView g = gemm_view(l);
          const int64_t col_tiles = (g.cols + 15) / 16, row_tiles = (g.rows + 15) / 16;
          EXPECT_NEAR(input, g.count * col_tiles * g.rows * g.depth * bits / 8.0,
                      static_cast<double>(t.folds.size()))
              << what;
          EXPECT_NEAR(weight, g.count * row_tiles * g.cols * g.depth * bits / 8.0,
                      static_cast<double>(t.folds.size()))
              << what;
        }
      }
    }
  }
  // At 4x4 bits the packed layer takes about a quarter of the 8-bit cycles.
  const Layer l = zoo_workload("resnet18").layers[5];
  const ArrayGeometry a{32, 32};
  EXPECT_LT(strata_layer_cycles(l, Dataflow::kOutputStationary, a, 0, DepthPacking{1, 1, 4}),
            0.3 * strata_layer_cycles(l, Dataflow::kOutputStationary, a, 0));
}

}  // namespace
}  // namespace strata
