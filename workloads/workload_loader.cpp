#include "workloads/workload_loader.h"

#include "common/input_error.h"
#include "workloads/json_file.h"
#include "workloads/layer_list_json.h"
#include "workloads/onnx/onnx_import.h"
#include "workloads/topology_csv.h"
#include "workloads/trace/trace_io.h"
#include "workloads/zoo.h"

namespace strata {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool is_onnx_workload(const std::string& spec) {
  const size_t onnx = spec.find(".onnx");
  return onnx != std::string::npos && (onnx + 5 == spec.size() || spec[onnx + 5] == ':');
}

Workload load_workload(const std::string& spec) {
  if (ends_with(spec, ".json")) {
    const nlohmann::json doc = load_json_file(spec);
    if (is_trace_document(doc)) {
      Trace t = trace_from_json(doc, spec);
      if (!t.tensors_file.empty()) t = load_trace(spec);  // validates the tensors file too
      return trace_workload(t, spec);
    }
    if (doc.is_object() && doc.contains("format")) {
      throw InputError(spec + ": format: a trace must say \"" + std::string(kTraceFormat) +
                       "\", got " + doc["format"].dump() +
                       " (a JSON layer list has no \"format\" key)");
    }
    return parse_layer_list(doc, spec);
  }
  if (ends_with(spec, ".csv")) return load_topology_csv(spec);
  // "model.onnx" or "model.onnx:x=1x3x224x224,y=..." (input shapes, as --input-shape gives them).
  const size_t onnx = spec.find(".onnx");
  if (onnx != std::string::npos && (onnx + 5 == spec.size() || spec[onnx + 5] == ':')) {
    OnnxImportOptions options;
    size_t start = onnx + 6;
    while (start < spec.size() + 1 && onnx + 5 < spec.size()) {
      const size_t end = std::min(spec.find(',', start), spec.size());
      options.input_shapes.insert(parse_input_shape(spec.substr(start, end - start)));
      start = end + 1;
    }
    return import_onnx(spec.substr(0, onnx + 5), options).workload;
  }
  return zoo_workload(spec);
}

}  // namespace strata
