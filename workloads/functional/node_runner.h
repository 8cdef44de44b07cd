#pragma once
// Executes one ONNX node on float tensors for OnnxFloatExecutor (onnx_executor.h): the operators'
// kernels, internal to workloads/functional. The GEMM-based ones (Conv, Gemm, MatMul, on Eigen)
// are in node_runner_linear.cpp, the rest in node_runner.cpp.
#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "workloads/functional/float_tensor.h"
#include "workloads/onnx/onnx_graph.h"

namespace strata {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Tensors = std::map<std::string, FloatTensor>;

// The product of shape[from, to), clamped to the shape.
int64_t shape_product(const std::vector<int64_t>& shape, size_t from = 0, size_t to = SIZE_MAX);
// Zeros of `shape`.
FloatTensor zero_tensor(std::vector<int64_t> shape);
// Row-major strides of `shape` aligned right to `out`'s dims; 0 where the dim broadcasts.
std::vector<int64_t> broadcast_strides(const std::vector<int64_t>& shape,
                                       const std::vector<int64_t>& out);

class NodeRunner {
 public:
  // Reads inputs from `values` (computed, and the graph's inputs) or `constants`; writes `values`.
  NodeRunner(const OnnxGraph& g, const Tensors& constants, Tensors& values)
      : g_(g), constants_(constants), v_(values) {}

  // Throws InputError naming the node for an operator it does not execute.
  void node(const OnnxNode& n);

 private:
  const OnnxGraph& g_;
  const Tensors& constants_;
  Tensors& v_;

  const FloatTensor& in(const OnnxNode& n, size_t i) const {
    const std::string& name = n.inputs.at(i);
    const auto it = v_.find(name);
    return it != v_.end() ? it->second : constants_.at(name);
  }
  bool has(const OnnxNode& n, size_t i) const {
    return i < n.inputs.size() && !n.inputs[i].empty();
  }
  void out(const OnnxNode& n, FloatTensor t) { v_[n.outputs[0]] = std::move(t); }

  std::function<float(float)> unary(const OnnxNode& n) const;
  static std::function<float(float, float)> binary(const std::string& op);
  void elementwise(const OnnxNode& n, const std::function<float(float, float)>& f);
  void conv(const OnnxNode& n);
  void gemm(const OnnxNode& n);
  void matmul(const OnnxNode& n);
  void batch_norm(const OnnxNode& n);
  void pool(const OnnxNode& n, bool max);
  void global_pool(const OnnxNode& n, bool max);
  void softmax(const OnnxNode& n);
  void transpose(const OnnxNode& n);
  void concat(const OnnxNode& n);
  void pad(const OnnxNode& n);
};

}  // namespace strata
