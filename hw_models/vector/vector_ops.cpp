#include "hw_models/vector/vector_ops.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/checked_math.h"

namespace strata {

const std::vector<VectorOpSpec>& vector_op_specs() {
  // strata's assumptions: one lane operation per cycle; tables are 256 entries with linear
  // interpolation (a read and a multiply-add); a division is a reciprocal (once per row) and a
  // multiply per element.
  static const std::vector<VectorOpSpec> specs = {
      {VectorOp::kElementwise, "elementwise", 1, 1, 2, "integer ALU: one op per element"},
      {VectorOp::kActivation, "activation", 1, 1, 1, "compare and select (ReLU, ReLU6, clip)"},
      {VectorOp::kSigmoid, "sigmoid", 2, 1, 4, "256-entry table, linear interpolation"},
      {VectorOp::kTanh, "tanh", 2, 1, 4, "256-entry table, linear interpolation"},
      {VectorOp::kGelu, "gelu", 3, 1, 5, "table for Phi(x) with interpolation, then x * Phi(x)"},
      {VectorOp::kHardSwish, "hard_swish", 3, 1, 3, "add 3, clamp to [0, 6], multiply by x/6"},
      {VectorOp::kExp, "exp", 2, 1, 4, "256-entry table of 2^f, interpolation, exponent shift"},
      {VectorOp::kTable, "table_function", 2, 1, 4,
       "256-entry table, linear interpolation (log, sqrt, reciprocal, erf, sin, cos, softplus, "
       "ELU, ...)"},
      {VectorOp::kSoftmax, "softmax", 4, 3, 8,
       "pass 1 max; pass 2 exp (table) and sum; reciprocal per row; pass 3 multiply"},
      {VectorOp::kLayerNorm, "layer_norm", 5, 3, 10,
       "pass 1 sum; pass 2 squared deviations; rsqrt table per row; pass 3 normalize and "
       "affine (multiply-add)"},
      {VectorOp::kMaxPool, "max_pool", 1, 1, 2, "one compare per window element"},
      {VectorOp::kAvgPool, "avg_pool", 1, 1, 3, "one add per window element, a scale per output"},
      {VectorOp::kGlobalPool, "global_pool", 1, 1, 3, "one add per input, a scale per channel"},
      {VectorOp::kReduce, "reduce", 1, 1, 2, "one op per input element"},
      {VectorOp::kRequantize, "requantize", 3, 1, 3, "multiply by the scale, round, clamp"},
      {VectorOp::kRequantizeAnt, "requantize_ant", 5, 1, 4,
       "as requantize, then leading-one detect and pack into the int/flint/PoT code"},
      {VectorOp::kResizeNearest, "resize_nearest", 1, 1, 2, "address generation and a move"},
      {VectorOp::kResizeBilinear, "resize_bilinear", 7, 1, 4,
       "four reads, three linear interpolations (multiply-add pairs)"},
      {VectorOp::kMove, "move", 1, 1, 1, "data movement (transpose, concat, slice, pad, split)"},
      {VectorOp::kGather, "gather", 2, 1, 2, "index read, then a move"},
      {VectorOp::kWarp, "warp", 11, 1, 6,
       "coordinates (4 ops), four reads, bilinear weights and interpolation"},
  };
  return specs;
}

static_assert(static_cast<size_t>(VectorOp::kWarp) + 1 == kVectorOpCount, "one spec per op");

const VectorOpSpec& vector_op_spec(VectorOp op) {
  return vector_op_specs().at(static_cast<size_t>(op));
}

int64_t vector_bytes(int64_t elements, int64_t bits) {
  const auto b = checked_product({elements, bits});
  if (!b) throw std::invalid_argument("vector work: byte counts overflow");
  return (*b + 7) / 8;
}

VectorCycles vector_cycles(const VectorWork& w, const VectorUnitShape& unit) {
  if (unit.lanes < 1 || unit.port_bytes_per_cycle < 1 || unit.element_bits < 1) {
    throw std::invalid_argument("vector unit: lanes, port width and element size must be >= 1");
  }
  if (w.input_elements < 0 || w.output_elements < 0 || w.work_elements < 0 || w.input_bits < 0) {
    throw std::invalid_argument("vector work: element counts must be >= 0");
  }
  const VectorOpSpec& s = vector_op_spec(w.op);
  VectorCycles c;
  // Lane operations, split evenly over the passes; each pass runs on all lanes.
  double lane_ops = static_cast<double>(w.work_elements) * s.ops_per_element;
  int64_t latency = s.latency_cycles;
  for (const auto& stage : w.fused) {
    const VectorOpSpec& f = vector_op_spec(stage.op);
    if (f.passes != 1 || s.passes != 1 || stage.work_elements < 0) {
      throw std::invalid_argument("vector work: only one-pass ops fuse into one pass");
    }
    lane_ops += static_cast<double>(stage.work_elements) * f.ops_per_element;
    latency += f.latency_cycles;  // the stages' pipelines follow each other
  }
  c.lane_ops = static_cast<int64_t>(std::ceil(lane_ops));
  if (w.output_stage) return c;  // the array's output stage does it as the outputs drain
  const double per_pass = lane_ops / s.passes;
  c.compute = static_cast<int64_t>(s.passes) *
              static_cast<int64_t>(std::ceil(per_pass / static_cast<double>(unit.lanes)));
  const auto read = checked_product({w.input_elements, s.passes});
  if (!read) throw std::invalid_argument("vector work: byte counts overflow");
  c.bytes_read = vector_bytes(*read, w.input_bits > 0 ? w.input_bits : unit.element_bits);
  c.bytes_written = vector_bytes(w.output_elements, unit.element_bits);
  const int64_t p = unit.port_bytes_per_cycle;
  c.port = (c.bytes_read + p - 1) / p + (c.bytes_written + p - 1) / p;
  c.latency = w.work_elements > 0 ? latency : 0;
  c.total = std::max(c.compute, c.port) + c.latency;
  return c;
}

}  // namespace strata
