#include <gtest/gtest.h>

#include "hw_models/array/sparse_array.h"
#include "hw_models/soc/tiling.h"
#include "workloads/zoo/zoo.h"

namespace strata {
namespace {

SparsityParams s2ta(int weight_nnz, bool activation_dbb) {
  SparsityParams s;
  s.kind = SparsityKind::kDbb;
  s.tpe = {4, 4, 4};
  s.bz = 8;
  s.weight_nnz = weight_nnz;
  s.activation_dbb = activation_dbb;
  return s;
}

Layer pruned(Layer l, int weight_nnz, int activation_nnz) {
  l.weight_nnz = weight_nnz;
  l.activation_nnz = activation_nnz;
  l.weight_density = weight_nnz / 8.0;
  l.input_density = activation_nnz / 8.0;
  return l;
}

TEST(SparseArray, DbbPackingFollowsTheSlotsAndTheActivationBound) {
  const PeParams int8{PeKind::kInt, 8};
  const Layer base = zoo_workload("resnet18").layers[5];
  // Dense array: one element per slot and cycle; a tensor PE of B = 4: four.
  SparsityParams dense;
  EXPECT_EQ(layer_execution(int8, dense, base, 8, 8).packing.steps(576), 576);
  dense.tpe = {4, 4, 4};
  EXPECT_EQ(layer_execution(int8, dense, base, 8, 8).packing.steps(576), 144);
  // W-DBB 4/8 on B = 4 slots: one 8-block per cycle.
  const LayerExecution w = layer_execution(int8, s2ta(4, false), pruned(base, 4, 8), 8, 8);
  EXPECT_EQ(w.packing.steps(576), 72);
  EXPECT_DOUBLE_EQ(w.peak_macs_per_unit_cycle, 8);
  EXPECT_DOUBLE_EQ(w.issued_per_mac, 0.5);
  EXPECT_TRUE(w.muxed);
  EXPECT_EQ(w.weight_storage_bits, 5);  // 4 x 8 bits + 8 mask bits per 8 weights
  // A dense layer on the 4/8 array needs two groups of slots per block: dense speed.
  EXPECT_EQ(layer_execution(int8, s2ta(4, false), base, 8, 8).packing.steps(576), 144);
  // A layer sparser than the hardware bound gains nothing more (slots come in groups of 4).
  EXPECT_EQ(layer_execution(int8, s2ta(4, false), pruned(base, 2, 8), 8, 8).packing.steps(576), 72);
  // A-DBB in time: a 2/8 activation block takes a quarter of the dense time.
  const LayerExecution aw = layer_execution(int8, s2ta(4, true), pruned(base, 4, 2), 8, 8);
  EXPECT_EQ(aw.packing.steps(576), 18);
  EXPECT_DOUBLE_EQ(aw.issued_per_mac, 0.5 * 0.25);
  EXPECT_EQ(aw.input_storage_bits, 3);  // 2 x 8 bits + 8 mask bits per 8 activations
  // The fused ANT core inside the DBB array: four slots' worth of 4-bit MACs per multiplier.
  const LayerExecution ant =
      layer_execution({PeKind::kAnt, 8}, s2ta(4, false), pruned(base, 4, 8), 4, 4);
  EXPECT_EQ(ant.packing.steps(576), 18);
}

TEST(SparseArray, ZeroGatingCountsTheZeroOperandsLeftInIssuedSlots) {
  const PeParams int8{PeKind::kInt, 8};
  Layer l = zoo_workload("resnet18").layers[5];
  l.weight_density = 0.6;
  l.input_density = 0.5;
  SparsityParams none;
  EXPECT_DOUBLE_EQ(layer_execution(int8, none, l, 8, 8).gated_fraction, 0);
  SparsityParams zvcg;
  zvcg.kind = SparsityKind::kZvcg;
  const LayerExecution z = layer_execution(int8, zvcg, l, 8, 8);
  EXPECT_DOUBLE_EQ(z.gated_fraction, 1 - 0.6 * 0.5);
  EXPECT_EQ(z.packing.steps(100), 100);  // same cycles as the dense array
  // On the 4/8 W-DBB array the slots hold the kept weights: 4/8 density fills them.
  Layer p = pruned(l, 4, 8);
  p.input_density = 0.5;
  EXPECT_DOUBLE_EQ(layer_execution(int8, s2ta(4, false), p, 8, 8).gated_fraction, 0.5);
}

// The tiler's cycles on a DBB tensor-PE array equal the closed form on the packed depth, and its
// MACs stay the layer's: W-DBB 4/8 halves the cycles of large layers at iso-MAC.
TEST(SparseArray, TilerCyclesMatchTheClosedFormOnTheDbbPackedDepth) {
  const PeParams int8{PeKind::kInt, 8};
  for (Dataflow d :
       {Dataflow::kOutputStationary, Dataflow::kWeightStationary, Dataflow::kInputStationary}) {
    for (const Layer& dense_layer : zoo_workload("resnet18").layers) {
      const Layer l = pruned(dense_layer, 4, 8);
      TilingParams p;
      p.dataflow = d;
      p.array = {16, 16};
      p.pe = int8;
      p.sparsity = s2ta(4, false);
      p.input_capacity_bytes = p.weight_capacity_bytes = p.output_capacity_bytes = 1 << 30;
      const LayerTiling t = tile_layer(l, p);
      int64_t macs = 0, ops = 0;
      for (const auto& f : t.folds) {
        macs += f.macs;
        ops += f.mac_ops;
      }
      const std::string what = l.name + " " + to_string(d);
      EXPECT_EQ(macs, l.macs()) << what;
      EXPECT_EQ(ops, l.macs() / 2) << what;
      const LayerExecution x = layer_execution(int8, p.sparsity, l, 8, 8);
      EXPECT_EQ(t.compute_cycles(), strata_layer_cycles(l, d, p.array, t.stream_block, x.packing))
          << what;
    }
  }
  // Iso-MAC: a 32x32 scalar array against 16x16 units of 4-slot tensor PEs (1,024 multipliers).
  const Layer l = pruned(zoo_workload("resnet18").layers[8], 4, 8);
  const int64_t dense = strata_layer_cycles(l, Dataflow::kOutputStationary, {32, 32});
  const LayerExecution x = layer_execution(int8, s2ta(4, false), l, 8, 8);
  const int64_t sparse =
      strata_layer_cycles(l, Dataflow::kOutputStationary, {16, 16}, 0, x.packing);
  EXPECT_NEAR(static_cast<double>(dense) / sparse, 2.0, 0.1);
}

TEST(SparseArray, InconsistentConfigsAndTracesAreNamed) {
  SparsityParams s = s2ta(9, false);
  EXPECT_NE(sparsity_config_error(s, {16, 16}).find("array.dbb.weight_nnz (9) exceeds"),
            std::string::npos);
  s = s2ta(4, false);
  EXPECT_EQ(sparsity_config_error(s, {16, 16}), "");
  EXPECT_NE(sparsity_config_error(s, {18, 16}).find("array.tpe.a (4) must divide array.rows (18)"),
            std::string::npos);
  EXPECT_NE(sparsity_config_error(s, {16, 6}).find("array.tpe.c"), std::string::npos);
  Layer l = zoo_workload("resnet18").layers[5];
  l.dbb_bz = 16;
  l.weight_nnz = 8;
  EXPECT_NE(layer_sparsity_error(s, l).find("array.dbb.bz is 8"), std::string::npos);
  l = pruned(zoo_workload("resnet18").layers[5], 4, 3);
  EXPECT_NE(layer_sparsity_error(s, l).find("top-k unit"), std::string::npos);
  EXPECT_EQ(layer_sparsity_error(s2ta(4, true), l), "");
}

}  // namespace
}  // namespace strata
