// An ONNX model: protobuf parse, topological order, shape inference with constant folding, the
// mapping to layers with the weights read, and the float executor on zero inputs when the graph
// is small. Besides libFuzzer's byte mutations, a structural mutator edits the parsed graph (node
// order, inputs, attributes, initializers' dims, types and bytes, op types, outputs), so the
// fuzzer reaches graphs that parse but break the operators' rules, which byte flips rarely do.
#include <onnx/onnx_pb.h>

#include <random>

#include "fuzz_support.h"
#include "workloads/functional/onnx_executor.h"
#include "workloads/onnx/onnx_import.h"

namespace {

using onnx::AttributeProto;
using onnx::ModelProto;
using onnx::TensorProto;

const char* const kOps[] = {"Conv",      "MatMul",           "Gemm",        "Add",
                            "Relu",      "MaxPool",          "AveragePool", "BatchNormalization",
                            "Transpose", "Reshape",          "Concat",      "Softmax",
                            "Pad",       "Unsqueeze",        "Squeeze",     "Clip",
                            "Slice",     "Gather",           "Split",       "Resize",
                            "Flatten",   "Dropout",          "Range",       "ConvTranspose",
                            "Cast",      "GlobalAveragePool"};
const int64_t kInteresting[] = {
    -1, 0, 1, 2, 3, -2, 7, 65536, int64_t{1} << 31, int64_t{1} << 40, -(int64_t{1} << 62)};

// One structural edit of the model; false if it had nothing to edit.
bool mutate_model(ModelProto& m, std::mt19937& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  auto interesting = [&] { return kInteresting[pick(sizeof kInteresting / sizeof *kInteresting)]; };
  onnx::GraphProto& g = *m.mutable_graph();
  std::vector<std::string> names;  // every value name
  for (const auto& t : g.initializer()) names.push_back(t.name());
  for (const auto& i : g.input()) names.push_back(i.name());
  for (const auto& n : g.node())
    for (const auto& o : n.output()) names.push_back(o);
  const int nodes = g.node_size(), inits = g.initializer_size();
  switch (pick(12)) {
    case 0:  // swap two nodes (the file's order is not the graph's)
      if (nodes < 2) return false;
      g.mutable_node()->SwapElements(pick(nodes), pick(nodes));
      return true;
    case 1:  // duplicate or drop a node
      if (nodes == 0) return false;
      if (rng() % 2) {
        *g.add_node() = g.node(pick(nodes));
      } else {
        g.mutable_node()->DeleteSubrange(pick(nodes), 1);
      }
      return true;
    case 2: {  // rewire an input
      if (nodes == 0 || names.empty()) return false;
      auto& n = *g.mutable_node(pick(nodes));
      const std::string v = rng() % 5 == 0
                                ? std::string()
                                : names[static_cast<size_t>(pick(static_cast<int>(names.size())))];
      if (n.input_size() == 0 || rng() % 3 == 0) {
        n.add_input(v);
      } else {
        n.set_input(pick(n.input_size()), v);
      }
      return true;
    }
    case 3:
    case 4: {  // an attribute: its values, their count, or its type
      if (nodes == 0) return false;
      auto& n = *g.mutable_node(pick(nodes));
      if (n.attribute_size() == 0 || rng() % 4 == 0) {
        static const char* const kNames[] = {"strides", "pads",   "dilations", "kernel_shape",
                                             "perm",    "axis",   "axes",      "group",
                                             "transA",  "transB", "to",        "epsilon"};
        auto* a = n.add_attribute();
        a->set_name(kNames[pick(12)]);
        a->set_type(rng() % 2 ? AttributeProto::INT : AttributeProto::INTS);
        a->set_i(interesting());
        for (int k = pick(5); k > 0; --k) a->add_ints(interesting());
        return true;
      }
      auto& a = *n.mutable_attribute(pick(n.attribute_size()));
      switch (pick(4)) {
        case 0:
          a.set_i(interesting());
          break;
        case 1:
          if (a.ints_size() > 0) a.mutable_ints()->RemoveLast();
          break;
        case 2:
          if (a.ints_size() > 0) a.set_ints(pick(a.ints_size()), interesting());
          break;
        default:
          a.add_ints(interesting());
      }
      return true;
    }
    case 5: {  // an initializer's dims
      if (inits == 0) return false;
      auto& t = *g.mutable_initializer(pick(inits));
      if (t.dims_size() == 0 || rng() % 3 == 0) {
        t.add_dims(interesting());
      } else if (rng() % 2) {
        t.set_dims(pick(t.dims_size()), interesting());
      } else {
        t.mutable_dims()->RemoveLast();
      }
      return true;
    }
    case 6: {  // an initializer's type or bytes
      if (inits == 0) return false;
      auto& t = *g.mutable_initializer(pick(inits));
      switch (pick(4)) {
        case 0:
          t.set_data_type(static_cast<int32_t>(rng() % 2 ? pick(18) : 999));
          break;
        case 1:
          t.mutable_raw_data()->resize(t.raw_data().size() / 2);
          break;
        case 2:
          if (!t.raw_data().empty()) {  // a NaN or an infinity among the values
            const uint32_t bits = rng() % 2 ? 0x7fc00000u : 0x7f800000u;
            const size_t at =
                static_cast<size_t>(pick(static_cast<int>(t.raw_data().size()))) / 4 * 4;
            if (at + 4 <= t.raw_data().size())
              t.mutable_raw_data()->replace(at, 4, reinterpret_cast<const char*>(&bits), 4);
          }
          break;
        default: {  // external data beside the model
          t.set_data_location(TensorProto::EXTERNAL);
          auto* e = t.add_external_data();
          e->set_key(rng() % 2 ? "location" : "offset");
          e->set_value(rng() % 2 ? "." : "w.bin");
        }
      }
      return true;
    }
    case 7:  // another operator
      if (nodes == 0) return false;
      g.mutable_node(pick(nodes))->set_op_type(kOps[pick(sizeof kOps / sizeof *kOps)]);
      return true;
    case 8:  // outputs: drop one, or expose any value
      if (g.output_size() > 0 && rng() % 2) {
        g.mutable_output()->DeleteSubrange(pick(g.output_size()), 1);
      } else if (!names.empty()) {
        g.add_output()->set_name(names[static_cast<size_t>(pick(static_cast<int>(names.size())))]);
      }
      return true;
    case 9: {  // a graph input's dims
      if (g.input_size() == 0) return false;
      auto* shape = g.mutable_input(pick(g.input_size()))
                        ->mutable_type()
                        ->mutable_tensor_type()
                        ->mutable_shape();
      if (shape->dim_size() == 0 || rng() % 3 == 0) {
        shape->add_dim()->set_dim_value(interesting());
      } else {
        shape->mutable_dim(pick(shape->dim_size()))->set_dim_value(interesting());
      }
      return true;
    }
    case 10:  // an extra output of a node (MaxPool's indices, Dropout's mask, ...)
      if (nodes == 0) return false;
      g.mutable_node(pick(nodes))->add_output("extra" + std::to_string(pick(4)));
      return true;
    default:  // the opset
      if (m.opset_import_size() == 0) return false;
      m.mutable_opset_import(0)->set_version(7 + pick(12));
      return true;
  }
}

}  // namespace

STRATA_FUZZ_MUTATOR(onnx) {
  return strata::fuzz::structural_or_byte_mutation(
      data, size, max_size, seed,
      [](const std::string& bytes, std::mt19937& rng) -> std::optional<std::string> {
        ModelProto m;
        if (!m.ParseFromString(bytes)) return std::nullopt;
        for (int k = 1 + static_cast<int>(rng() % 3); k > 0; --k) mutate_model(m, rng);
        return m.SerializeAsString();
      });
}

STRATA_FUZZ_TARGET(onnx) {
  using namespace strata;
  const std::string bytes = fuzz::input_text(data, size);
  const std::string path = fuzz::write_scratch("m.onnx", bytes);
  return fuzz::expect_input_errors_only([&] {
    const OnnxGraph g = load_onnx_graph(path);
    OnnxImportOptions options;
    options.read_weights = true;
    import_onnx_graph(g, bytes, options).workload.macs();
    // The float executor on zeros, when every value is small enough to run quickly.
    for (const auto& [name, v] : g.values) {
      if (v.elements() > (int64_t{1} << 16)) return;
    }
    const OnnxFloatExecutor executor(g);
    std::map<std::string, FloatTensor> inputs;
    for (const auto& name : g.inputs) {
      FloatTensor t;
      t.shape = g.value(name).shape;
      t.data.assign(static_cast<size_t>(t.elements()), 0.0f);
      inputs[name] = t;
    }
    executor.run(inputs);
  });
}
