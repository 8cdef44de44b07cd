// vector.fusion's planning (hw_models/vector/vector_fusion.h) on hand-made dataflow: which runs
// fuse, where they stop, and what a fused pass reads.
#include <gtest/gtest.h>

#include "hw_models/vector/vector_fusion.h"
#include "hw_models/vector/vector_mapping.h"

namespace strata {
namespace {

VectorLayer named(const std::string& name, const std::string& op, std::vector<std::string> inputs,
                  std::vector<bool> constant, int64_t readers, int64_t elements = 1000) {
  VectorLayer v;
  v.name = name;
  v.op = op;
  v.output_name = name + ".out";
  v.output_shape = {elements};
  v.elements = elements;
  for (size_t k = 0; k < inputs.size(); ++k) {
    v.input_shapes.push_back(constant[k] ? std::vector<int64_t>{1}
                                         : std::vector<int64_t>{elements});
  }
  v.input_names = std::move(inputs);
  v.input_constant = std::move(constant);
  v.output_readers = readers;
  return v;
}

std::vector<VectorPass> plan(const Workload& w, VectorFusion f) {
  std::vector<VectorWork> works;
  for (const auto& v : w.vector_layers) works.push_back(vector_work_of(v));
  return plan_vector_passes(w, works, f);
}

TEST(VectorFusionPlan, RunsStopWhereAnIntermediateIsReadOutsideOrTheWorkChanges) {
  Workload w;
  w.vector_layers = {
      named("a", "Add", {"x", "y"}, {false, false}, 2),  // a is read by b and by a later layer
      named("b", "Relu", {"a.out"}, {false}, 1),
      named("c", "Mul", {"b.out", "k"}, {false, true}, 1),
      named("d", "MaxPool", {"c.out"}, {false}, 1),       // a window: not element-wise
      named("e", "Sigmoid", {"d.out"}, {false}, 2, 500),  // f reads it twice (ONNX counts both)
      named("f", "Mul", {"e.out", "e.out"}, {false, false}, 1, 500),
  };
  w.vector_layers[3].window = 4;
  w.vector_layers[3].output_shape = {500};
  w.vector_layers[3].elements = 500;
  // none: one pass each.
  EXPECT_EQ(plan(w, VectorFusion::kNone).size(), 6u);
  const auto p = plan(w, VectorFusion::kElementwise);
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].first, 0u);  // a alone: its result is read outside b..c
  EXPECT_EQ(p[0].last, 0u);
  EXPECT_EQ(p[1].first, 1u);  // b and c: one pass
  EXPECT_EQ(p[1].last, 2u);
  ASSERT_EQ(p[1].work.fused.size(), 1u);
  EXPECT_EQ(p[1].work.fused[0].op, VectorOp::kElementwise);
  EXPECT_EQ(p[1].work.input_elements, 1000 + 1);  // a's result and k, once each
  EXPECT_EQ(p[2].first, 3u);                      // the pool alone
  EXPECT_EQ(p[3].first, 4u);                      // e and f: f reads e twice, e is read once
  EXPECT_EQ(p[3].last, 5u);
  EXPECT_EQ(p[3].work.input_elements, 500);  // d's result
  // A fused pass costs the sum of its ops' lane operations and latencies, its inputs read once.
  const VectorUnitShape unit{10, 1 << 20, 8};
  const VectorCycles c = vector_cycles(p[3].work, unit);
  EXPECT_EQ(c.lane_ops, 500 * 2 + 500 * 1);  // sigmoid 2, mul 1 per element
  EXPECT_EQ(c.latency, vector_op_spec(VectorOp::kSigmoid).latency_cycles +
                           vector_op_spec(VectorOp::kElementwise).latency_cycles);
  EXPECT_EQ(c.bytes_read, 500);
  EXPECT_EQ(c.bytes_written, 500);
}

TEST(VectorFusionPlan, OutputStageNeedsTheArrayLayersOutputRightBefore) {
  Workload w;
  w.layers.push_back(gemm_layer("fc", 1, 10, 64, 100));  // 1000 outputs
  w.vector_layers = {named("s", "Mul", {"fc.out", "scale"}, {false, true}, 1),
                     named("r", "Add", {"s.out", "res"}, {false, false}, 1)};
  for (auto& v : w.vector_layers) v.after_layer = 1;
  w.vector_layers[0].reads_layer = 0;
  w.vector_layers[0].reads_layer_input = 0;
  w.vector_layers[0].layer_output_readers = 1;
  const auto p = plan(w, VectorFusion::kEpilogue);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].output_stage_of, 0);
  EXPECT_TRUE(p[0].work.output_stage);
  EXPECT_EQ(p[0].loaded_input_elements, 1000);  // the residual; the layer's output and the scale
                                                // are already there
  const VectorCycles c = vector_cycles(p[0].work, {32, 64, 8});
  EXPECT_EQ(c.total, 0);  // no unit time
  EXPECT_EQ(c.lane_ops, 2000);
  // Elementwise only: the same run on the unit.
  EXPECT_EQ(plan(w, VectorFusion::kElementwise)[0].output_stage_of, -1);
  VectorFusion f;
  EXPECT_TRUE(parse_vector_fusion("epilogue", &f));
  EXPECT_FALSE(parse_vector_fusion("all", &f));
}

}  // namespace
}  // namespace strata
