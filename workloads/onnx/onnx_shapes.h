#pragma once
// Static shape inference over an ONNX graph (onnx_shapes.cpp) and the limits it and the loader
// share.
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/onnx/onnx_graph.h"

namespace strata {

// Elements of a constant whose values shape inference reads (shapes, axes, scales).
constexpr int64_t kMaxFoldedElements = 4096;
// Dims beyond this, and tensors of more elements than kMaxOnnxTensorElements, are rejected, so
// every element count fits int64 with room for byte and MAC products (layer.h's kMaxLayerCount).
constexpr int64_t kMaxDim = int64_t{1} << 31;
constexpr int64_t kMaxOnnxTensorElements = int64_t{1} << 48;

// The values of a constant small enough for shape inference to fold; none if it cannot be read
// (its consumers then see a run-time value).
std::vector<double> folded_constant_values(const onnx::TensorProto& t,
                                           const std::string& model_file);

// The product of non-negative factors, saturating at INT64_MAX.
int64_t saturating_product(const std::vector<int64_t>& factors);

// Gives every value of `g` (nodes in topological order, inputs and initializers set) its shape,
// and known data where it folds. Throws InputError naming the node on an op it does not know or
// shapes that do not fit.
void infer_onnx_shapes(OnnxGraph& g);

}  // namespace strata
