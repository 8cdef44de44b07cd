#include "workloads/functional/onnx_executor.h"

#include <algorithm>
#include <set>

#include "common/input_error.h"
#include "workloads/functional/node_runner.h"
#include "workloads/onnx/onnx_tensor.h"

namespace strata {
namespace {

const std::set<std::string>& executed_ops() {
  static const std::set<std::string> ops = [] {
    std::set<std::string> s;
    for (const auto& op : OnnxFloatExecutor::supported_ops()) s.insert(op);
    return s;
  }();
  return ops;
}

}  // namespace

const std::vector<std::string>& OnnxFloatExecutor::supported_ops() {
  static const std::vector<std::string> ops = {"Abs",
                                               "Add",
                                               "AveragePool",
                                               "BatchNormalization",
                                               "Cast",
                                               "Clip",
                                               "Concat",
                                               "Conv",
                                               "Div",
                                               "Dropout",
                                               "Erf",
                                               "Exp",
                                               "Flatten",
                                               "Gemm",
                                               "GlobalAveragePool",
                                               "GlobalMaxPool",
                                               "HardSigmoid",
                                               "HardSwish",
                                               "Identity",
                                               "LeakyRelu",
                                               "MatMul",
                                               "Max",
                                               "MaxPool",
                                               "Min",
                                               "Mul",
                                               "Neg",
                                               "Pad",
                                               "Pow",
                                               "Relu",
                                               "Reshape",
                                               "Sigmoid",
                                               "Softmax",
                                               "Sqrt",
                                               "Squeeze",
                                               "Sub",
                                               "Sum",
                                               "Tanh",
                                               "Transpose",
                                               "Unsqueeze"};
  return ops;
}

OnnxFloatExecutor::OnnxFloatExecutor(const OnnxGraph& graph) : graph_(graph) {
  for (const auto& [name, v] : graph_.values) {
    if (!v.has_data && !v.tensor) continue;
    FloatTensor t;
    t.shape = v.shape;
    if (v.has_data) {
      t.data.assign(v.data.begin(), v.data.end());
    } else {
      const std::vector<double> d = onnx_tensor_values(*v.tensor, graph_.file);
      t.data.assign(d.begin(), d.end());
    }
    constants_[name] = std::move(t);
  }
  // A node runs unless the importer folded every output to a constant.
  for (const auto& n : graph_.nodes) {
    const bool folded = std::all_of(n.outputs.begin(), n.outputs.end(), [&](const std::string& o) {
      return o.empty() || constants_.count(o);
    });
    if (folded) continue;
    if (!executed_ops().count(n.op)) {
      throw InputError(graph_.file + ": node '" + n.name + "' (" + n.op +
                       "): functional execution does not support this operator yet");
    }
    to_run_.push_back(&n);
  }
}

std::map<std::string, FloatTensor> OnnxFloatExecutor::run(
    const std::map<std::string, FloatTensor>& inputs, bool keep_all, const NodeHook& hook) const {
  Tensors values;  // the constants stay where they are: nothing is copied per run
  for (const auto& name : graph_.inputs) {
    const auto it = inputs.find(name);
    if (it == inputs.end()) {
      throw InputError(graph_.file + ": input '" + name + "' not given");
    }
    const std::vector<int64_t>& expected = graph_.value(name).shape;
    if (it->second.shape != expected ||
        static_cast<int64_t>(it->second.data.size()) != shape_product(expected)) {
      throw InputError(graph_.file + ": input '" + name + "' has shape " +
                       shape_text(it->second.shape) + ", the model was read with " +
                       shape_text(expected));
    }
    values[name] = it->second;
  }
  NodeRunner runner(graph_, constants_, values);
  const ValueLookup lookup = [&](const std::string& name) -> const FloatTensor& {
    const auto it = values.find(name);
    return it != values.end() ? it->second : constants_.at(name);
  };
  for (const OnnxNode* n : to_run_) {
    FloatTensor replaced;
    if (hook && hook(*n, lookup, &replaced)) {
      values[n->outputs.at(0)] = std::move(replaced);
      continue;
    }
    runner.node(*n);
  }
  if (keep_all) return values;
  Tensors outputs;
  for (const auto& name : graph_.outputs) {
    const auto it = values.find(name);
    outputs[name] = it != values.end() ? it->second : constants_.at(name);
  }
  return outputs;
}

}  // namespace strata
