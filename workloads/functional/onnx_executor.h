#pragma once
// Float execution of an ONNX graph (docs/functional.md): every node in topological order on float
// tensors, the convolutions and matrix products as Eigen GEMMs, the rest (activations,
// element-wise ops with NumPy broadcasting, pooling, normalization, softmax, data movement) as
// direct loops. Values the importer folded to constants (shape arithmetic) are taken as folded.
// The reference the quantized bit-true path is measured against; checked against ONNX Runtime.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "workloads/functional/float_tensor.h"
#include "workloads/onnx/onnx_graph.h"

namespace strata {

// The most elements functional execution holds in one tensor (1 GiB of floats): a graph whose
// values (or a convolution's unfolded input) exceed it is refused before anything runs.
constexpr int64_t kMaxFunctionalElements = int64_t{1} << 28;

class OnnxFloatExecutor {
 public:
  // Reads the initializers the nodes read; throws InputError naming the node of the first
  // operator it cannot execute, an output it does not compute that is read, or a tensor beyond
  // kMaxFunctionalElements, before anything runs.
  explicit OnnxFloatExecutor(const OnnxGraph& graph);

  // Runs the graph on `inputs` (by graph-input name, each of the graph's inferred shape) and
  // returns its outputs by name; with `keep_all`, every value computed (and the inputs). Throws
  // InputError on a missing input or a shape that differs from the one the graph was inferred with.
  //
  // `hook` (optional) is offered every node before it runs, with a lookup of the values computed
  // so far: returning true with the node's first output written to `out` replaces the node (the
  // quantized path computes the array's layers bit-true this way); false runs it as usual.
  using ValueLookup = std::function<const FloatTensor&(const std::string&)>;
  using NodeHook = std::function<bool(const OnnxNode&, const ValueLookup&, FloatTensor* out)>;
  std::map<std::string, FloatTensor> run(const std::map<std::string, FloatTensor>& inputs,
                                         bool keep_all = false,
                                         const NodeHook& hook = nullptr) const;

  // The operators it executes (the rest of the importer's are an error for now).
  static const std::vector<std::string>& supported_ops();

 private:
  const OnnxGraph& graph_;
  std::map<std::string, FloatTensor> constants_;  // initializers and folded values
  std::vector<const OnnxNode*> to_run_;           // the nodes not folded, in order
};

}  // namespace strata
