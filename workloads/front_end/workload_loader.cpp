#include "workloads/front_end/workload_loader.h"

#include "common/input_error.h"
#include "workloads/json_file.h"
#include "workloads/layer_list_json.h"
#include "workloads/onnx/onnx_import.h"
#include "workloads/topology_csv.h"
#include "workloads/trace/trace_io.h"
#include "workloads/zoo/zoo.h"

namespace strata {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

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
  if (is_onnx_spec(spec)) return import_onnx_spec(spec).workload;
  return zoo_workload(spec);
}

}  // namespace strata
