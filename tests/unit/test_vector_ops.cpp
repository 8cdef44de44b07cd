// The vector unit's op costs: every op against the closed form elements x ops / lanes (per pass)
// plus latency, bounded by the buffer port; hand-computed cases.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "hw_models/vector/vector_ops.h"

namespace strata {
namespace {

VectorWork work(VectorOp op, int64_t in, int64_t out, int64_t elements) {
  VectorWork w;
  w.op = op;
  w.input_elements = in;
  w.output_elements = out;
  w.work_elements = elements;
  return w;
}

TEST(VectorOps, HandComputedCases) {
  const VectorUnitShape unit{16, 32, 8};
  // 1000 adds of two int8 operands: 63 compute cycles, but 2000 bytes read and 1000 written over
  // a 32 B/cycle port: 63 + 32 cycles.
  VectorCycles add = vector_cycles(work(VectorOp::kElementwise, 2000, 1000, 1000), unit);
  EXPECT_EQ(add.compute, 63);
  EXPECT_EQ(add.port, 95);
  EXPECT_EQ(add.total, 97);
  EXPECT_EQ(add.lane_ops, 1000);
  // 4-bit activations move half the bytes.
  EXPECT_EQ(vector_cycles(work(VectorOp::kElementwise, 2000, 1000, 1000), {16, 32, 4}).port, 48);
  // BERT-base softmax at sequence 128: 12 x 128 x 128 scores, 4 ops each over 3 passes.
  VectorCycles sm = vector_cycles(work(VectorOp::kSoftmax, 196608, 196608, 196608), unit);
  EXPECT_EQ(sm.compute, 3 * 16384);
  EXPECT_EQ(sm.port, (196608 * 3 + 196608) / 32);
  EXPECT_EQ(sm.total, 49152 + 8);
  // 3x3 max pool over 56x56x64 outputs: 9 compares each.
  VectorCycles mp =
      vector_cycles(work(VectorOp::kMaxPool, 112 * 112 * 64, 56 * 56 * 64, 56 * 56 * 64 * 9), unit);
  EXPECT_EQ(mp.compute, 56 * 56 * 64 * 9 / 16);
  EXPECT_EQ(mp.total, std::max(mp.compute, mp.port) + 2);
  // Nothing to do costs nothing.
  EXPECT_EQ(vector_cycles(work(VectorOp::kGelu, 0, 0, 0), unit).total, 0);
}

TEST(VectorOps, EveryOpMatchesTheClosedForm) {
  for (const VectorOpSpec& s : vector_op_specs()) {
    EXPECT_EQ(&vector_op_spec(s.op), &s) << s.name;  // table in VectorOp order
    EXPECT_GT(s.ops_per_element, 0) << s.name;
    EXPECT_GE(s.passes, 1) << s.name;
    EXPECT_NE(std::string(s.implementation), "") << s.name;
    for (int64_t lanes : {1, 8, 64}) {
      for (int64_t elements : {1, 777, 1 << 20}) {
        const VectorUnitShape unit{lanes, 64, 8};
        const VectorWork w = work(s.op, elements, elements, elements);
        const VectorCycles c = vector_cycles(w, unit);
        // elements / (lanes x throughput) per pass, throughput = passes / ops elements per cycle.
        const double per_pass = static_cast<double>(elements) * s.ops_per_element / s.passes;
        const int64_t compute =
            s.passes * static_cast<int64_t>(std::ceil(per_pass / static_cast<double>(lanes)));
        const int64_t port = (elements * s.passes + 63) / 64 + (elements + 63) / 64;
        EXPECT_EQ(c.compute, compute) << s.name << " " << lanes << " " << elements;
        EXPECT_EQ(c.port, port) << s.name;
        EXPECT_EQ(c.total, std::max(compute, port) + s.latency_cycles) << s.name;
      }
    }
  }
}

TEST(VectorOps, MoreLanesNeverSlower) {
  for (const VectorOpSpec& s : vector_op_specs()) {
    int64_t last = INT64_MAX;
    for (int64_t lanes : {1, 2, 4, 8, 16, 32, 64, 128}) {
      const int64_t t = vector_cycles(work(s.op, 50000, 50000, 50000), {lanes, 1 << 20, 8}).total;
      EXPECT_LE(t, last) << s.name << " at " << lanes << " lanes";
      last = t;
    }
  }
}

TEST(VectorOps, BadShapesAreErrors) {
  EXPECT_THROW(vector_cycles(work(VectorOp::kMove, 1, 1, 1), {0, 32, 8}), std::invalid_argument);
  EXPECT_THROW(vector_cycles(work(VectorOp::kMove, -1, 1, 1), {16, 32, 8}), std::invalid_argument);
  EXPECT_THROW(vector_cycles(work(VectorOp::kMove, INT64_MAX, 1, 1), {16, 32, 64}),
               std::invalid_argument);
}

}  // namespace
}  // namespace strata
