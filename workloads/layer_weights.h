#pragma once
// A layer's weights as the front end reads them, with where they came from, and the weight shape
// a layer expects: shared by the real-weight loaders, the ONNX import and the trace reader.
#include <string>

#include "workloads/layer.h"
#include "workloads/quant/weight_tensor.h"

namespace strata {

struct LayerWeights {
  WeightTensor tensor;
  std::string source;  // e.g. "real: faceres-deep.json conv_pw_3/convolution/merged_input"
};

// The weight shape a layer expects (out, in per group, kh, kw), or false for weight-less layers.
bool expected_weight_shape(const Layer& l, WeightTensor* shape_only);

}  // namespace strata
