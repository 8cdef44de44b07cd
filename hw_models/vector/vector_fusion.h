#pragma once
// vector.fusion: which vector layers run together, as pure planning over a workload's vector
// layers (docs/vector.md, "Fusion"). Levels, as compilers for accelerators fuse:
// - none: every vector layer is its own pass on the unit; only a chained single-reader
//   intermediate stays on chip (strata's behaviour before fusion);
// - elementwise: a run of one-pass ops over the same elements, each reading what the run made
//   (and nothing outside the run reading its intermediates), is one pass: its outside inputs read
//   once, its result written once, the lanes doing every op on each element in turn;
// - epilogue: as elementwise, and a run that starts on an array layer's output, right after it,
//   runs in that layer's output stage as the outputs drain: no unit time, no buffer or DRAM round
//   trip for the layer's output (its store carries the run's result); only the run's other
//   full-size operands are loaded.
#include <cstdint>
#include <string>
#include <vector>

#include "hw_models/vector/vector_ops.h"
#include "workloads/layer.h"

namespace strata {

enum class VectorFusion { kNone, kElementwise, kEpilogue };

// "none", "elementwise", "epilogue".
const char* to_string(VectorFusion f);
bool parse_vector_fusion(const std::string& name, VectorFusion* out);
const std::vector<std::string>& vector_fusion_names();

// One pass: vector layers first..last (issue order) run as one.
struct VectorPass {
  size_t first = 0, last = 0;
  VectorWork work;  // the pass's cost: the first layer's op, the others as fused stages
  // vector.fusion = "epilogue": the array layer whose output stage runs it (-1: the unit does).
  int64_t output_stage_of = -1;
  // Elements of the pass's inputs that come from DRAM or the buffer: in an output stage, the
  // operands other than the array layer's output (constants excluded: on chip with the weights).
  int64_t loaded_input_elements = 0;
};

// The passes covering every vector layer of `w` in issue order, given each layer's own work
// (vector_work_of). With kNone each layer is its own pass.
std::vector<VectorPass> plan_vector_passes(const Workload& w, const std::vector<VectorWork>& works,
                                           VectorFusion fusion);

}  // namespace strata
