#include "workloads/onnx/onnx_graph.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <set>
#include <sstream>

#include "common/checked_math.h"
#include "common/input_error.h"
#include "common/printable.h"
#include "common/suggest.h"
#include "common/topological_order.h"
#include "workloads/onnx/onnx_shapes.h"
#include "workloads/onnx/onnx_tensor.h"
#include "workloads/text_file.h"

namespace strata {

int64_t OnnxValue::elements() const {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) return -1;
    if (__builtin_mul_overflow(n, d, &n)) return INT64_MAX;
  }
  return n;
}

const OnnxValue& OnnxGraph::value(const std::string& name) const {
  static const OnnxValue kMissing;
  const auto it = values.find(name);
  return it == values.end() ? kMissing : it->second;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    s += (i ? ", " : "") + (shape[i] < 0 ? std::string("?") : std::to_string(shape[i]));
  }
  return s + "]";
}

std::vector<int64_t> parse_shape_text(const std::string& text) {
  std::vector<int64_t> dims;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('x', start), text.size());
    const std::string item = text.substr(start, end - start);
    size_t used = 0;
    int64_t v = 0;
    try {
      v = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || v < 1 || v > (int64_t{1} << 31)) {
      throw std::invalid_argument("expected dims like 1x3x224x224 (each 1..2^31), got '" + text +
                                  "'");
    }
    dims.push_back(v);
    start = end + 1;
  }
  return dims;
}

namespace {

using onnx::TensorProto;

std::string read_model_bytes(const std::string& path) {
  // protobuf's own limit for one message.
  if (input_file_size(path) >= kMaxInputFileBytes)
    throw InputError(path + ": larger than 2 GiB; keep the weights as external data");
  std::string bytes = read_text_file(path);
  if (bytes.empty()) throw InputError(path + ": empty file (expected an ONNX model)");
  return bytes;
}

std::vector<int64_t> declared_shape(const onnx::ValueInfoProto& v, bool* dynamic) {
  std::vector<int64_t> dims;
  *dynamic = !v.type().has_tensor_type() || !v.type().tensor_type().has_shape();
  if (*dynamic) return dims;
  for (const auto& d : v.type().tensor_type().shape().dim()) {
    if (d.has_dim_value() && d.dim_value() > 0) {
      dims.push_back(d.dim_value());
    } else {
      dims.push_back(-1);
      *dynamic = true;
    }
  }
  return dims;
}

std::string declared_shape_text(const onnx::ValueInfoProto& v) {
  if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return "(no shape)";
  std::string s = "[";
  bool first = true;
  for (const auto& d : v.type().tensor_type().shape().dim()) {
    s += (first ? "" : ", ") + (d.has_dim_value()
                                    ? std::to_string(d.dim_value())
                                    : (d.dim_param().empty() ? std::string("?") : d.dim_param()));
    first = false;
  }
  return s + "]";
}

}  // namespace

OnnxGraph load_onnx_graph(const std::string& path,
                          const std::map<std::string, std::vector<int64_t>>& input_shapes) {
  return parse_onnx_graph(read_model_bytes(path), path, input_shapes);
}

OnnxGraph parse_onnx_graph(const std::string& bytes, const std::string& path,
                           const std::map<std::string, std::vector<int64_t>>& input_shapes) {
  OnnxGraph g;
  g.file = path;
  g.model = std::make_shared<onnx::ModelProto>();
  {
    if (!g.model->ParseFromString(bytes)) {
      throw InputError(path + ": not a valid ONNX model (the protobuf is truncated or corrupt)");
    }
  }
  const onnx::ModelProto& m = *g.model;
  if (!m.has_graph() || m.graph().node_size() == 0) {
    throw InputError(path + ": the ONNX model has no graph nodes");
  }
  for (const auto& o : m.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx") g.opset = o.version();
  }
  if (g.opset < kMinOnnxOpset || g.opset > kMaxOnnxOpset) {
    throw InputError(path + ": opset " + std::to_string(g.opset) + " is not supported (opsets " +
                     std::to_string(kMinOnnxOpset) + " to " + std::to_string(kMaxOnnxOpset) + ")");
  }
  const onnx::GraphProto& graph = m.graph();
  // Initializers: weights and constants.
  for (const auto& t : graph.initializer()) {
    OnnxValue v;
    v.dtype = t.data_type();
    for (int64_t d : t.dims()) {
      if (d < 0 || d > kMaxDim)
        throw InputError(path + ": initializer '" + printable(t.name()) + "' has dim " +
                         std::to_string(d));
      v.shape.push_back(d);
    }
    v.is_initializer = true;
    v.tensor = &t;
    if (v.elements() > kMaxOnnxTensorElements) {
      throw InputError(path + ": initializer '" + printable(t.name()) +
                       "' has more than 2^48 elements");
    }
    // Its data must be the bytes its dims say before anything trusts the dims.
    try {
      check_onnx_tensor_storage(t, path, kMaxOnnxTensorElements, "initializer");
    } catch (const InputError& e) {
      throw InputError(path + ": " + e.what());
    }
    if (v.elements() <= kMaxFoldedElements) {
      v.data = folded_constant_values(t, path);
      v.has_data = static_cast<int64_t>(v.data.size()) == v.elements();
    }
    g.values[t.name()] = std::move(v);
  }
  // Graph inputs: fixed by --input-shape where dynamic.
  std::vector<std::string> input_names;
  for (const auto& in : graph.input()) {
    if (g.values.count(in.name())) continue;  // an initializer listed as an input
    input_names.push_back(in.name());
  }
  for (const auto& [name, dims] : input_shapes) {
    if (std::find(input_names.begin(), input_names.end(), name) == input_names.end()) {
      throw InputError("--input-shape: " + path + " has no input '" + name + "'" +
                       did_you_mean(name, input_names) + " (inputs: " +
                       [&] {
                         std::string s;
                         for (const auto& n : input_names) s += (s.empty() ? "" : ", ") + n;
                         return s;
                       }() +
                       ")");
    }
  }
  for (const auto& in : graph.input()) {
    if (g.values.count(in.name())) continue;
    bool dynamic = false;
    std::vector<int64_t> dims = declared_shape(in, &dynamic);
    const auto given = input_shapes.find(in.name());
    if (given != input_shapes.end()) {
      if (!dynamic && dims != given->second) {
        throw InputError("--input-shape: input '" + in.name() + "' of " + path + " is " +
                         declared_shape_text(in) + ", not " + shape_text(given->second));
      }
      if (dims.size() != given->second.size() && !dims.empty()) {
        throw InputError("--input-shape: input '" + in.name() + "' of " + path + " has rank " +
                         std::to_string(dims.size()) + " (" + declared_shape_text(in) + "), got " +
                         shape_text(given->second));
      }
      dims = given->second;
    } else if (dynamic) {
      throw InputError(
          path + ": input '" + in.name() + "' has dynamic dims " + declared_shape_text(in) +
          "; fix them with --input-shape " + in.name() + "=" + [&] {
            std::string s;
            for (size_t i = 0; i < dims.size(); ++i) {
              s += (i ? "x" : "") + (dims[i] > 0 ? std::to_string(dims[i]) : std::string("N"));
            }
            return s.empty() ? std::string("1x3x224x224") : s;
          }());
    }
    // Bounded like initializers' dims, so the shape arithmetic on them cannot overflow.
    for (int64_t d : dims) {
      if (d > kMaxDim) {
        throw InputError(path + ": input '" + printable(in.name()) + "' has dim " +
                         std::to_string(d) + " (each dim must be at most 2^31)");
      }
    }
    OnnxValue v;
    v.dtype = in.type().tensor_type().elem_type();
    v.shape = dims;
    if (v.elements() > kMaxOnnxTensorElements) {
      throw InputError(path + ": input '" + printable(in.name()) + "' has shape " +
                       shape_text(dims) + ", more than 2^48 elements");
    }
    g.values[in.name()] = std::move(v);
    g.inputs.push_back(in.name());
  }
  for (const auto& o : graph.output()) g.outputs.push_back(o.name());
  if (g.outputs.empty()) throw InputError(path + ": the graph has no outputs");

  // Nodes, named, in topological order (Kahn's, the ready node first in file order, so a graph
  // stored in order keeps it; O(E log N) whatever order the file holds); a node whose inputs
  // never become available is part of a cycle or reads a value nothing produces.
  std::vector<OnnxNode> pending;
  std::map<std::string, int> name_count;
  for (int i = 0; i < graph.node_size(); ++i) {
    const auto& p = graph.node(i);
    OnnxNode n;
    n.op = p.op_type();
    n.name = printable(p.name().empty() ? p.op_type() + "_" + std::to_string(i) : p.name());
    if (!p.domain().empty() && p.domain() != "ai.onnx") {
      throw InputError(path + ": node '" + n.name + "' (" + printable(p.op_type()) + "): domain '" +
                       printable(p.domain()) + "' is not supported (only the default ONNX domain)");
    }
    if (p.output_size() == 0 || p.output(0).empty()) {
      throw InputError(path + ": node '" + n.name + "' (" + printable(p.op_type()) +
                       ") has no output");
    }
    n.inputs.assign(p.input().begin(), p.input().end());
    n.outputs.assign(p.output().begin(), p.output().end());
    n.proto = &p;
    pending.push_back(std::move(n));
  }
  std::map<std::string, size_t> producer;  // value -> the node that makes it
  for (size_t i = 0; i < pending.size(); ++i) {
    for (const auto& o : pending[i].outputs) {
      if (o.empty()) continue;
      if (g.values.count(o)) {
        throw InputError(path + ": node '" + pending[i].name + "' (" + pending[i].op +
                         ") writes '" + printable(o) + "', which is a graph input or initializer");
      }
      if (!producer.emplace(o, i).second) {
        throw InputError(path + ": node '" + pending[i].name + "' (" + pending[i].op +
                         ") writes '" + printable(o) + "', which node '" +
                         pending[producer[o]].name + "' writes too");
      }
    }
  }
  std::vector<size_t> waiting_on(pending.size(), 0);         // inputs not yet produced
  std::vector<std::vector<size_t>> readers(pending.size());  // node -> nodes reading its outputs
  for (size_t i = 0; i < pending.size(); ++i) {
    for (const auto& in : pending[i].inputs) {
      if (in.empty() || g.values.count(in)) continue;
      const auto p = producer.find(in);
      if (p == producer.end()) {
        throw InputError(path + ": node '" + pending[i].name + "' (" + pending[i].op + ") reads '" +
                         printable(in) + "', which no node, initializer or graph input provides");
      }
      ++waiting_on[i];
      readers[p->second].push_back(i);
    }
  }
  const std::vector<size_t> order = topological_order(readers, waiting_on);
  std::vector<bool> done(pending.size(), false);
  for (const size_t i : order) {
    done[i] = true;
    g.nodes.push_back(pending[i]);
  }
  if (g.nodes.size() != pending.size()) {
    const size_t i = static_cast<size_t>(std::find(done.begin(), done.end(), false) - done.begin());
    throw InputError(path + ": the graph has a cycle through node '" + pending[i].name + "' (" +
                     pending[i].op + ")");
  }
  infer_onnx_shapes(g);
  for (const auto& o : g.outputs) {
    if (!g.values.count(o)) throw InputError(path + ": graph output '" + o + "' is never produced");
  }
  return g;
}

void throw_node_error(const OnnxGraph& g, const OnnxNode& n, const std::string& what) {
  throw InputError(g.file + ": node '" + n.name + "' (" + n.op + "): " + what);
}

}  // namespace strata
