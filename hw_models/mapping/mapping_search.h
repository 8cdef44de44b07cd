#pragma once
// Searching a layer's mapspace (mapspace.h) for the mapping that best meets an objective, each
// candidate costed by the planner the SoC replays, in closed form (cost_mapped_layer, equal to
// walking its tiles), so the cost a search reports is the cost the simulation gives. This is the
// exhaustive search: the reference any faster search is checked against, and the search itself
// where the space is small (docs/mapping.md).
#include <cstdint>
#include <string>

#include "hw_models/mapping/mapspace.h"

namespace strata {

enum class MapObjective { kLatency };
MapObjective parse_map_objective(const std::string& name);  // "latency"

struct MapSearchResult {
  MapCandidate best;
  Mapping mapping;
  MappedExecution plan;   // the best candidate's
  int64_t evaluated = 0;  // candidates planned
};

// The candidate with the fewest cycles (ties: the first in the mapspace's order). Throws
// InputError "<where>: ..." if no candidate fits or the space exceeds the options' bound.
MapSearchResult exhaustive_map_search(const Layer& layer, const MappedHierarchyParams& hw,
                                      const MappedOperandBits& bits, MapObjective objective,
                                      const MapSpaceOptions& options, const std::string& where);

}  // namespace strata
