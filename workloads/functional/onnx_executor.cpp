#include "workloads/functional/onnx_executor.h"

#include <algorithm>
#include <set>

#include "common/input_error.h"
#include "common/printable.h"
#include "workloads/functional/node_runner.h"
#include "workloads/onnx/onnx_shapes.h"
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
  const auto fail = [&](const OnnxNode& n, const std::string& what) {
    throw InputError(graph_.file + ": node '" + n.name + "' (" + n.op + "): " + what);
  };
  const auto known = [&](const std::string& v) {
    const OnnxValue& value = graph_.value(v);
    return value.has_data || value.tensor != nullptr;
  };
  // A node runs unless the importer folded every output to a constant.
  std::set<std::string> computed(graph_.inputs.begin(), graph_.inputs.end());
  std::map<std::string, const OnnxNode*> made_by;
  for (const auto& n : graph_.nodes) {
    const bool folded = std::all_of(n.outputs.begin(), n.outputs.end(),
                                    [&](const std::string& o) { return o.empty() || known(o); });
    for (const auto& o : n.outputs) made_by[o] = &n;
    if (folded) continue;
    if (!executed_ops().count(n.op)) {
      fail(n, "functional execution does not support this operator yet");
    }
    // Convolutions and pools run in 2-D (NCHW) only.
    const bool windowed = n.op == "Conv" || n.op == "MaxPool" || n.op == "AveragePool";
    if (windowed && graph_.value(n.inputs.at(0)).shape.size() != 4) {
      fail(n, "functional execution runs 2-D convolutions and pools only (an NCHW input), got " +
                  shape_text(graph_.value(n.inputs.at(0)).shape));
    }
    // The first output is the one every operator here computes.
    const OnnxValue& y = graph_.value(n.outputs[0]);
    if (y.elements() > kMaxFunctionalElements) {
      fail(n, "its output " + shape_text(y.shape) + " has more than 2^28 elements, the most " +
                  "functional execution holds in one tensor");
    }
    if (y.elements() == 0) fail(n, "its output " + shape_text(y.shape) + " is empty");
    if (n.op == "Conv") {  // im2col: [C/group x kh x kw, out_h x out_w]
      const std::vector<int64_t>& w = graph_.value(n.inputs.at(1)).shape;
      const int64_t col = saturating_product(
          {w.size() > 1 ? w[1] : 0, shape_product(w, 2), shape_product(y.shape, 2)});
      if (col > kMaxFunctionalElements) {
        fail(n,
             "its unfolded input has more than 2^28 elements, the most functional execution "
             "holds in one tensor");
      }
    }
    computed.insert(n.outputs[0]);
    to_run_.push_back(&n);
  }
  // Every value read is computed, or a constant read once here.
  auto need = [&](const std::string& v, const OnnxNode* reader) {
    if (v.empty() || computed.count(v) || constants_.count(v)) return;
    const OnnxValue& value = graph_.value(v);
    if (!known(v)) {
      const auto by = made_by.find(v);
      const std::string who = by == made_by.end()
                                  ? std::string("nothing")
                                  : "node '" + by->second->name + "' (" + by->second->op + ")";
      const std::string what = "'" + printable(v) + "' (made by " + who +
                               ") is an output functional execution does not compute";
      if (reader) fail(*reader, "reads " + what);
      throw InputError(graph_.file + ": graph output " + what);
    }
    FloatTensor t;
    t.shape = value.shape;
    if (value.has_data) {
      t.data.assign(value.data.begin(), value.data.end());
    } else {
      std::vector<double> d;
      try {
        d = onnx_tensor_values(*value.tensor, graph_.file, kMaxFunctionalElements);
      } catch (const InputError& e) {
        throw InputError(graph_.file + ": " + e.what());
      }
      t.data.assign(d.begin(), d.end());
    }
    if (static_cast<int64_t>(t.data.size()) != shape_product(t.shape)) {
      throw std::logic_error("OnnxFloatExecutor: constant '" + v + "' does not fill its shape");
    }
    constants_[v] = std::move(t);
  };
  for (const OnnxNode* n : to_run_) {
    for (const auto& in : n->inputs) need(in, n);
  }
  for (const auto& o : graph_.outputs) need(o, nullptr);
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
  if (keep_all) {
    for (const auto& name : graph_.outputs) {
      if (!values.count(name)) values[name] = constants_.at(name);  // a folded graph output
    }
    return values;
  }
  Tensors outputs;
  for (const auto& name : graph_.outputs) {
    const auto it = values.find(name);
    outputs[name] = it != values.end() ? it->second : constants_.at(name);
  }
  return outputs;
}

}  // namespace strata
