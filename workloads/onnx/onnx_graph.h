#pragma once
// An ONNX model read into a graph with every tensor's static shape: the file parsed with Debian's
// ONNX protobuf definitions, nodes in topological order (a cycle is an error), shapes inferred op
// by op, and small integer sub-graphs (Shape, Gather, Concat, Unsqueeze, Cast, Constant, Range,
// Slice, arithmetic) folded to constants so reshapes resolve. Dynamic input dims are fixed by the
// caller (--input-shape); an op it does not know is an error naming the node (docs/workloads.md).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace onnx {
class ModelProto;
class NodeProto;
class TensorProto;
}  // namespace onnx

namespace strata {

struct OnnxValue {
  int32_t dtype = 0;            // onnx::TensorProto::DataType
  std::vector<int64_t> shape;   // every dim known once inference is done
  bool is_initializer = false;  // an initializer or a Constant node's output: weights or constants
  // Known element values of a small constant (shape arithmetic, scales), row-major.
  bool has_data = false;
  std::vector<double> data;
  const onnx::TensorProto* tensor = nullptr;  // the initializer or Constant value, if any
  int64_t elements() const;
};

struct OnnxNode {
  std::string name;  // the node's name, or "<op>_<index>" when it has none
  std::string op;
  std::vector<std::string> inputs, outputs;  // "" = an omitted optional input
  const onnx::NodeProto* proto = nullptr;
};

struct OnnxGraph {
  std::string file;
  int64_t opset = 0;
  std::vector<OnnxNode> nodes;  // topological order
  std::map<std::string, OnnxValue> values;
  std::vector<std::string> inputs, outputs;  // graph inputs (not initializers) and outputs
  std::shared_ptr<onnx::ModelProto> model;   // owns the tensors the values point into

  const OnnxValue& value(const std::string& name) const;
};

// Opsets strata's importer supports (the default domain).
constexpr int64_t kMinOnnxOpset = 7, kMaxOnnxOpset = 18;

// Reads and infers `path`. `input_shapes` fixes graph inputs by name (every dim); an input with a
// dynamic dim not given there is an error naming it. Throws InputError naming the file and the
// node on any problem.
OnnxGraph load_onnx_graph(const std::string& path,
                          const std::map<std::string, std::vector<int64_t>>& input_shapes = {});

// The same from a serialized ModelProto (a model built in memory); `path` names it in errors.
OnnxGraph parse_onnx_graph(const std::string& bytes, const std::string& path,
                           const std::map<std::string, std::vector<int64_t>>& input_shapes = {});

// "1x3x224x224" -> {1, 3, 224, 224}; "name=1x3x224x224" entries of --input-shape.
std::vector<int64_t> parse_shape_text(const std::string& text);

std::string shape_text(const std::vector<int64_t>& shape);  // "[1, 3, 224, 224]"

// An error about node n of graph g: InputError "<file>: node '<name>' (<op>): <what>".
[[noreturn]] void throw_node_error(const OnnxGraph& g, const OnnxNode& n, const std::string& what);

}  // namespace strata
