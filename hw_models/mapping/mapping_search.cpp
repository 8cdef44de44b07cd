#include "hw_models/mapping/mapping_search.h"

#include "common/input_error.h"

namespace strata {

MapObjective parse_map_objective(const std::string& name) {
  if (name == "latency") return MapObjective::kLatency;
  throw InputError("objective: \"" + name + "\" is not one of: latency");
}

MapSearchResult exhaustive_map_search(const Layer& layer, const MappedHierarchyParams& hw,
                                      const MappedOperandBits& bits, MapObjective objective,
                                      const MapSpaceOptions& options, const std::string& where) {
  (void)objective;  // latency: the only objective so far
  const std::vector<MapCandidate> space = enumerate_mapspace(layer, hw, bits, options, where);
  if (space.empty()) {
    throw InputError(where + ": no mapping fits the scratchpad and accumulator");
  }
  MapSearchResult r;
  for (const MapCandidate& c : space) {
    const Mapping m = candidate_mapping(layer, c);
    MappedExecution x = plan_mapped_layer(layer, m, hw, bits, where);
    ++r.evaluated;
    if (r.evaluated == 1 || x.cycles < r.plan.cycles) {
      r.best = c;
      r.mapping = m;
      r.plan = std::move(x);
    }
  }
  return r;
}

}  // namespace strata
