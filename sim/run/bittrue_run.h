#pragma once
// Bit-true mode (`sim.mode = "bittrue"`, docs/bittrue.md): beside the timing model, every layer's
// outputs are computed from the trace's codes on the array's arithmetic
// (hw_models/array/bittrue.h), dequantized, requantized to the output width, and compared with a
// float reference.
#include <map>
#include <string>
#include <vector>

#include "hw_models/array/array_params.h"
#include "workloads/trace/safetensors.h"
#include "workloads/trace/trace.h"

namespace strata {

struct BitTrueInputs {
  Trace trace;
  SafeTensorMap tensors;                                    // weight codes, scales, zero points
  std::map<std::string, std::vector<float>> float_weights;  // unpruned floats, when known
};

struct BitTrueLayerResult {
  double output_sqnr_db = 0;       // dequantized sums against the float reference
  double requantized_sqnr_db = 0;  // after requantization to the output width
  int64_t outputs = 0;
  int64_t macs = 0;
  int64_t nonzero_products = 0;  // MACs with both operands non-zero, from the codes
  std::string reference;         // "float weights" or "dequantized weights" (floats unknown)
};

// Throws InputError naming the layer if it cannot run bit-true (unknown distribution, a type
// without a bit-true model, missing codes); run before simulation.
void check_bittrue_layer(const BitTrueInputs& in, size_t index);

// One layer. Inputs are a fixed-seed sample of the layer's declared activation distribution,
// quantized by the trace's activation type and scale; `output_bits` is the requantization width.
BitTrueLayerResult run_bittrue_layer(const BitTrueInputs& in, size_t index,
                                     const ArrayParams& array, int output_bits);

}  // namespace strata
