#include <gtest/gtest.h>

#include "hw_models/soc/tiling.h"
#include "workloads/zoo/zoo.h"

namespace strata {
namespace {

TilingParams params(Dataflow d, ArrayGeometry a, int64_t buffer_kib) {
  TilingParams p;
  p.dataflow = d;
  p.array = a;
  p.input_capacity_bytes = p.weight_capacity_bytes = p.output_capacity_bytes = buffer_kib * 1024;
  return p;
}

int64_t sum(const LayerTiling& t, int64_t FoldWork::*field) {
  int64_t s = 0;
  for (const auto& f : t.folds) s += f.*field;
  return s;
}

// Invariants over every layer of several networks, all dataflows, small and large buffers.
TEST(Tiling, InvariantsHoldForZooLayers) {
  for (const std::string net : {"resnet18", "mobilenet_v2", "bert_base:seq_len=128", "alexnet"}) {
    for (Dataflow d :
         {Dataflow::kOutputStationary, Dataflow::kWeightStationary, Dataflow::kInputStationary}) {
      for (int64_t kib : {8, 64, 4096}) {
        for (LoopOrder order : {LoopOrder::kRowsOuter, LoopOrder::kColsOuter}) {
          for (const Layer& l : zoo_workload(net).layers) {
            TilingParams p = params(d, {16, 32}, kib);
            p.loop_order = order;
            const LayerTiling t = tile_layer(l, p);
            const CompulsoryTraffic c = compulsory_traffic(l, p.bits);
            const std::string what =
                net + " " + l.name + " " + to_string(d) + " " + std::to_string(kib);
            EXPECT_EQ(sum(t, &FoldWork::macs), l.macs()) << what;
            EXPECT_GE(sum(t, &FoldWork::load_input_bytes), c.input_bytes) << what;
            EXPECT_GE(sum(t, &FoldWork::load_weight_bytes), c.weight_bytes) << what;
            EXPECT_GE(sum(t, &FoldWork::store_output_bytes), c.output_bytes) << what;
            EXPECT_GE(t.compute_cycles() * 16 * 32, l.macs()) << what;
            EXPECT_EQ(t.compute_cycles(), strata_layer_cycles(l, d, {16, 32}, t.stream_block))
                << what;
          }
        }
      }
    }
  }
}

// Dilated convolutions (taps d apart; a window of (k - 1) d + 1 inputs): the same invariants, and
// the output size and MACs of the dilated window.
TEST(Tiling, InvariantsHoldForDilatedConvolutions) {
  std::vector<Layer> layers;
  for (int64_t d : {2, 4, 6}) {
    Layer l = conv_layer("aspp_d" + std::to_string(d), 1, 33, 64, 48, 3, 1, d);
    l.dilation_h = l.dilation_w = d;
    layers.push_back(l);
  }
  Layer strided = conv_layer("strided_d2", 2, 40, 16, 32, 3, 2, 2);
  strided.dilation_h = strided.dilation_w = 2;
  layers.push_back(strided);
  Layer wide = conv_layer("one_d", 1, 1, 32, 32, 1, 1, 0);  // 1-D: 1 x 96, kernel 1 x 3 dilation 3
  wide.in_w = 96;
  wide.kernel_w = 3;
  wide.dilation_w = 3;
  layers.push_back(wide);
  for (const Layer& l : layers) {
    validate_layer(l, "test");
    if (l.name.rfind("aspp", 0) == 0) {
      EXPECT_EQ(l.out_h(), 33) << l.name;  // pad d keeps the size
    }
    EXPECT_EQ(l.macs(), l.batch * l.out_h() * l.out_w() * l.out_c * l.kernel_h * l.kernel_w *
                            l.in_c / l.groups);
    for (Dataflow d :
         {Dataflow::kOutputStationary, Dataflow::kWeightStationary, Dataflow::kInputStationary}) {
      for (int64_t kib : {8, 4096}) {
        const TilingParams p = params(d, {16, 32}, kib);
        const LayerTiling t = tile_layer(l, p);
        const CompulsoryTraffic c = compulsory_traffic(l, p.bits);
        const std::string what = l.name + " " + to_string(d) + " " + std::to_string(kib);
        EXPECT_EQ(sum(t, &FoldWork::macs), l.macs()) << what;
        EXPECT_GE(sum(t, &FoldWork::load_input_bytes), c.input_bytes) << what;
        EXPECT_EQ(t.compute_cycles(), strata_layer_cycles(l, d, {16, 32}, t.stream_block)) << what;
        if (kib == 4096) {
          EXPECT_EQ(t.dram_read_bytes(), c.input_bytes + c.weight_bytes) << what;
        }
      }
    }
  }
  EXPECT_EQ(layers[4].out_w(), 90);  // 96 - (3 - 1) * 3
}

TEST(Tiling, EverythingFitsMeansCompulsoryTrafficOnly) {
  const Layer l = zoo_workload("resnet18").layers[1];  // 56x56x64 3x3 conv
  for (Dataflow d :
       {Dataflow::kOutputStationary, Dataflow::kWeightStationary, Dataflow::kInputStationary}) {
    const TilingParams p = params(d, {32, 32}, 8192);
    const LayerTiling t = tile_layer(l, p);
    const CompulsoryTraffic c = compulsory_traffic(l, p.bits);
    EXPECT_EQ(t.dram_read_bytes(), c.input_bytes + c.weight_bytes) << to_string(d);
    EXPECT_EQ(t.dram_write_bytes(), c.output_bytes) << to_string(d);
  }
}

TEST(Tiling, CompulsoryTrafficOfAConv) {
  const Layer l = zoo_workload("resnet18").layers[1];
  const CompulsoryTraffic c = compulsory_traffic(l, OperandBits{});
  EXPECT_EQ(c.input_bytes, 56 * 56 * 64);
  EXPECT_EQ(c.weight_bytes, 3 * 3 * 64 * 64);
  EXPECT_EQ(c.output_bytes, 56 * 56 * 64);
  // A 1x1 stride-2 conv touches only every other row and column.
  Layer ds = l;
  ds.kernel_h = ds.kernel_w = 1;
  ds.stride_h = ds.stride_w = 2;
  ds.pad_h = ds.pad_w = 0;
  EXPECT_EQ(compulsory_traffic(ds, OperandBits{}).input_bytes, 28 * 28 * 64);
}

TEST(Tiling, SmallBuffersRefetch) {
  const Layer l = zoo_workload("resnet18").layers[1];
  const TilingParams big = params(Dataflow::kOutputStationary, {32, 32}, 8192);
  const TilingParams small = params(Dataflow::kOutputStationary, {32, 32}, 4);
  EXPECT_GT(tile_layer(l, small).dram_read_bytes(), tile_layer(l, big).dram_read_bytes());
}

TEST(Tiling, WeightStationarySpillsPartialSumsWhenOutputBufferIsSmall) {
  const Layer l = zoo_workload("resnet18").layers[1];  // K = 576 -> 18 K folds on 32 rows
  TilingParams p = params(Dataflow::kWeightStationary, {32, 32}, 8192);
  p.output_capacity_bytes = 1024;  // far less than one 3136 x 32 partial-sum tile
  p.loop_order = LoopOrder::kColsOuter;
  const LayerTiling t = tile_layer(l, p);
  const int64_t psum_tile = 3136 * 32 * 4;
  // Two column tiles, each: 17 spilled partial writes + final write, 17 read-backs.
  EXPECT_EQ(sum(t, &FoldWork::load_psum_bytes), 2 * 17 * psum_tile);
  EXPECT_EQ(sum(t, &FoldWork::store_output_bytes), 2 * (17 * psum_tile + 3136 * 32));
}

TEST(Tiling, WeightStationaryBlocksTheStreamSoPartialSumsStayOnChip) {
  const Layer l = zoo_workload("resnet18").layers[1];  // P = 3136, K = 576, M = 64
  TilingParams p = params(Dataflow::kWeightStationary, {32, 32}, 8192);
  p.output_capacity_bytes = 64 * 1024;
  p.loop_order = LoopOrder::kColsOuter;
  const LayerTiling t = tile_layer(l, p);
  EXPECT_EQ(t.stream_block, 64 * 1024 / (32 * 4));  // one column tile of 32-bit partial sums
  EXPECT_EQ(sum(t, &FoldWork::load_psum_bytes), 0);
  EXPECT_EQ(sum(t, &FoldWork::store_output_bytes), 3136 * 64);
  // Output stationary streams the whole reduction in one fold.
  EXPECT_EQ(tile_layer(l, params(Dataflow::kOutputStationary, {32, 32}, 64)).stream_block, 576);
}

TEST(Tiling, AutoPicksTheCheaperLoopOrder) {
  for (const Layer& l : zoo_workload("vgg16").layers) {
    TilingParams p = params(Dataflow::kOutputStationary, {32, 32}, 64);
    const LayerTiling a = tile_layer(l, p);
    p.loop_order = LoopOrder::kRowsOuter;
    const LayerTiling r = tile_layer(l, p);
    p.loop_order = LoopOrder::kColsOuter;
    const LayerTiling c = tile_layer(l, p);
    const auto total = [](const LayerTiling& t) {
      return t.dram_read_bytes() + t.dram_write_bytes();
    };
    EXPECT_EQ(total(a), std::min(total(r), total(c))) << l.name;
  }
}

TEST(Tiling, ScaleSimConventionSpreadsItsLayerTotal) {
  for (const Layer& l : zoo_workload("resnet18").layers) {
    TilingParams p = params(Dataflow::kWeightStationary, {32, 32}, 256);
    p.convention = TimingConvention::kScaleSim;
    EXPECT_EQ(tile_layer(l, p).compute_cycles(), scalesim_layer_cycles(l, p.dataflow, p.array))
        << l.name;
  }
}

}  // namespace
}  // namespace strata
