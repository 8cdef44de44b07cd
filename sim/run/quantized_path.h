#pragma once
// Functional mode's quantized path (functional_run.cpp): an array layer of the graph run on its
// integer codes, bit-true, its input quantized to the trace's activation type and its sums
// dequantized back to float for the nodes after it.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "hw_models/array/bittrue.h"
#include "sim/run/bittrue_run.h"
#include "sim/run/functional_run.h"
#include "workloads/functional/onnx_executor.h"
#include "workloads/onnx/onnx_import.h"

namespace strata {

// An array layer of the graph with what the quantized path needs of it.
struct LayerNode {
  const OnnxNode* node = nullptr;
  const OnnxNodeImport* import = nullptr;
  size_t index = 0;  // in the trace and the import's workload
};

class QuantizedPath {
 public:
  QuantizedPath(const FunctionalRequest& r, BitTrueInputs& data, std::vector<FunctionalLayer>& out)
      : r_(r), data_(data), stats_(out) {}

  // The node's output on the array: its input quantized, the codes' exact sums, dequantized,
  // the folded BatchNormalization undone (the nodes after it run in float), the bias added.
  FloatTensor run(const LayerNode& ln, const OnnxFloatExecutor::ValueLookup& value);

 private:
  const FunctionalRequest& r_;
  BitTrueInputs& data_;
  std::vector<FunctionalLayer>& stats_;

  // NCHW -> the layer's NHWC input, with the asymmetric side of the padding as input rows and
  // columns (the layer pads symmetrically by the smaller side).
  std::vector<float> conv_input(const LayerNode& ln, const FloatTensor& x) const;

  // Zero codes, the non-zeros the top-k unit keeps, and what half-density top-k would keep: a
  // block of `bz` values (consecutive within each run of `run_length`, the last one partial)
  // keeps min(its non-zeros, nnz), as topk_blocks cuts it.
  static void count_input(FunctionalLayer& st, const BitTrueOperands& ops,
                          const std::vector<int64_t>& grid, int64_t run_length);

  // A MatMul's broadcast batch: the output's leading dims.
  std::vector<int64_t> batch_shape(const LayerNode& ln) const;
  // The [batch][rows][cols] matrices of a MatMul or Gemm operand (rows x cols per leading index,
  // its leading dims broadcast to `batch`), as [batch][cols][rows] when `transpose`.
  static std::vector<float> batched_matrices(const FloatTensor& t,
                                             const std::vector<int64_t>& batch, int64_t rows,
                                             int64_t cols, bool transpose);

  FloatTensor dequantize(const LayerNode& ln, const TraceLayer& tl, const BitTrueResult& sums,
                         const std::vector<double>& w_scales,
                         const OnnxFloatExecutor::ValueLookup& value) const;
};

}  // namespace strata
