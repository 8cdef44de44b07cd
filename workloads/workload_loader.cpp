#include "workloads/workload_loader.h"

#include "workloads/layer_list_json.h"
#include "workloads/topology_csv.h"
#include "workloads/zoo.h"

namespace strata {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Workload load_workload(const std::string& spec) {
  if (ends_with(spec, ".json")) return load_layer_list(spec);
  if (ends_with(spec, ".csv")) return load_topology_csv(spec);
  return zoo_workload(spec);
}

}  // namespace strata
