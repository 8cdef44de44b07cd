#pragma once
// The vector work of a model's vector layers (an ONNX node strata imported as vector work): which
// VectorOp it is, and how many elements it reads, writes and processes (docs/vector.md).
#include <string>

#include "hw_models/vector/vector_ops.h"
#include "workloads/layer.h"

namespace strata {

// Throws std::invalid_argument naming the op if strata has no cost for it (the importer and this
// table are kept in step by Docs and VectorMapping tests).
VectorWork vector_work_of(const VectorLayer& layer);

// The elements of a tensor of `shape` (0 for a negative dim or a count that overflows).
int64_t shape_elements(const std::vector<int64_t>& shape);

}  // namespace strata
