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
  // Each candidate costed in closed form (the walk's cycles, checked equal in the suite); the
  // best planned in full (its folds are what the SoC replays).
  MapSearchResult r;
  int64_t best_cycles = 0;
  for (const MapCandidate& c : space) {
    const int64_t cycles =
        cost_mapped_layer(layer, candidate_mapping(layer, c), hw, bits, where).cycles;
    ++r.evaluated;
    if (r.evaluated == 1 || cycles < best_cycles) {
      r.best = c;
      best_cycles = cycles;
    }
  }
  r.mapping = candidate_mapping(layer, r.best);
  r.plan = plan_mapped_layer(layer, r.mapping, hw, bits, where);
  return r;
}

}  // namespace strata
