// strata inspect: how an ONNX model maps onto strata (array layers, what folded or fused into them,
// what is left for the vector unit), before running it.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "common/input_error.h"
#include "hw_models/vector/vector_mapping.h"
#include "sim/cli/commands.h"
#include "workloads/onnx/onnx_import.h"

namespace po = boost::program_options;

namespace strata {
namespace {

std::string dims(const std::vector<int64_t>& shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "x" : "") + std::to_string(shape[i]);
  return s.empty() ? "scalar" : s;
}

std::string with_commas(int64_t v) {
  std::string s = std::to_string(v), out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

}  // namespace

int cmd_inspect(const std::vector<std::string>& args) {
  po::options_description opts("strata inspect options");
  opts.add_options()("help,h", "this help")("model,m", po::value<std::string>(),
                                            "ONNX model (.onnx)")(
      "input-shape", po::value<std::vector<std::string>>()->composing(),
      "fix a dynamic input: NAME=DIMS, e.g. x=1x3x224x224 (repeatable)")(
      "all,a", "also list the nodes folded into constants or views (no data moved)");
  const po::variables_map vm = parse_options(args, opts, "inspect", "model", 1);
  if (vm.count("help")) {
    print_command_help("inspect",
                       "strata inspect <model.onnx> [--input-shape <name>=<dims>]... [--all]", opts,
                       "\nRoles: layer (runs on the array), fused (into the layer before it: "
                       "BatchNormalization, bias, Relu/Clip/LeakyRelu), folded (a constant at "
                       "import), view (no data moved), vector (the vector unit's work, with its "
                       "operation and lane operations, docs/vector.md; strata run costs it). "
                       "Mapping and supported ops: docs/workloads.md\n");
    return 0;
  }
  require_options(vm, {"model"}, "inspect", "model", "the model file");
  OnnxImportOptions options;
  if (vm.count("input-shape")) {
    for (const auto& s : vm["input-shape"].as<std::vector<std::string>>()) {
      options.input_shapes.insert(parse_input_shape(s));
    }
  }
  const std::string file = vm["model"].as<std::string>();
  const OnnxImport r = import_onnx(file, options);
  const bool all = vm.count("all") > 0;
  std::cout << file << ": opset " << r.opset << ", " << r.nodes.size()
            << " nodes: " << r.count(OnnxNodeRole::kLayer) << " array layers, "
            << r.count(OnnxNodeRole::kFused) << " fused into them, "
            << r.count(OnnxNodeRole::kVector) << " vector, " << r.count(OnnxNodeRole::kFolded)
            << " folded constants, " << r.count(OnnxNodeRole::kView) << " views\n\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-32s %-20s %-7s %-30s %16s  %s\n", "node", "op", "role",
                "output", "MACs / elements", "weights / notes");
  std::cout << line;
  for (const auto& n : r.nodes) {
    if (!all && (n.role == OnnxNodeRole::kFolded || n.role == OnnxNodeRole::kView)) continue;
    std::string extra = n.role == OnnxNodeRole::kFused ? "into " + n.fused_into : n.weight;
    if (!n.note.empty()) extra += (extra.empty() ? "" : "; ") + n.note;
    if (n.role == OnnxNodeRole::kVector) {
      // What the vector unit does for it (docs/vector.md).
      const VectorWork w = vector_work_of(vector_layer_of(n));
      const VectorOpSpec& s = vector_op_spec(w.op);
      extra = std::string(s.name) + ": " +
              with_commas(
                  static_cast<int64_t>(static_cast<double>(w.work_elements) * s.ops_per_element)) +
              " lane ops";
    }
    const int64_t count = n.role == OnnxNodeRole::kLayer ? n.macs : n.elements;
    std::snprintf(line, sizeof line, "%-32s %-20s %-7s %-30s %16s  %s\n",
                  n.name.substr(0, 32).c_str(), n.op.substr(0, 20).c_str(), to_string(n.role),
                  dims(n.output_shape).substr(0, 30).c_str(),
                  n.role == OnnxNodeRole::kFolded || n.role == OnnxNodeRole::kView ||
                          n.role == OnnxNodeRole::kFused
                      ? "-"
                      : with_commas(count).c_str(),
                  extra.c_str());
    std::cout << line;
  }
  std::cout << "\narray layers: " << r.workload.layers.size() << ", "
            << with_commas(r.workload.macs())
            << " MACs; vector operations: " << r.count(OnnxNodeRole::kVector) << ", "
            << with_commas(r.vector_elements())
            << " output elements (costed on the vector unit by strata run, docs/vector.md)\n";
  return 0;
}

}  // namespace strata
