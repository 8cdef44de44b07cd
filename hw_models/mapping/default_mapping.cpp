// strata's own mapping of a layer given none (mapped_execution.h).
#include <algorithm>

#include "common/input_error.h"
#include "hw_models/mapping/mapped_execution.h"
#include "hw_models/mapping/mapspace.h"

namespace strata {
namespace {

// The largest divisor of n that is at most `limit` and a multiple of `step` (step divides n).
int64_t largest_divisor(int64_t n, int64_t limit, int64_t step = 1) {
  for (int64_t d = std::min(n, limit) / step * step; d >= step; d -= step) {
    if (n % d == 0) return d;
  }
  return step;
}

}  // namespace

Mapping default_mapping(const Layer& layer, const MappedHierarchyParams& hw,
                        const MappedOperandBits& bits, const std::string& where) {
  const MapDims dims = mapping_dims(layer);
  auto at = [](MapDims& v, MapDim d) -> int64_t& {
    return v[static_cast<size_t>(map_dim_index(d))];
  };
  MapDims d = dims;
  const int64_t block_rows = largest_divisor(at(d, MapDim::kC), hw.array.rows);
  const int64_t block_cols = largest_divisor(at(d, MapDim::kK), hw.array.cols);
  MapDims tile = dims;
  // Shrinks the largest tile among `candidates` to its next smaller divisor (C and K in whole
  // blocks); false if none can shrink.
  auto shrink = [&](std::initializer_list<MapDim> candidates) {
    MapDim best = MapDim::kN;
    int64_t best_size = 1;
    for (MapDim c : candidates) {
      const int64_t step = c == MapDim::kC ? block_rows : c == MapDim::kK ? block_cols : 1;
      if (at(tile, c) > step && at(tile, c) > best_size) {
        best = c;
        best_size = at(tile, c);
      }
    }
    if (best_size == 1) return false;
    const int64_t step = best == MapDim::kC ? block_rows : best == MapDim::kK ? block_cols : 1;
    at(tile, best) = largest_divisor(at(d, best), at(tile, best) - 1, step);
    return true;
  };
  for (;;) {
    const TileFootprint f = tile_footprint(layer, tile, hw, bits);
    if (tile_fits(f, hw)) break;
    bool shrunk = false;
    if (f.psum_bytes > hw.accumulator_bytes) {
      shrunk = shrink({MapDim::kP, MapDim::kQ, MapDim::kN, MapDim::kK});
    } else {
      shrunk = shrink(
          {MapDim::kP, MapDim::kQ, MapDim::kN, MapDim::kC, MapDim::kK, MapDim::kR, MapDim::kS});
    }
    if (!shrunk) {
      throw InputError(where + ": even one " + std::to_string(block_rows) + " x " +
                       std::to_string(block_cols) +
                       " block of it does not fit the scratchpad and accumulator");
    }
  }
  MapCandidate c;
  c.block_rows = block_rows;
  c.block_cols = block_cols;
  c.tile = tile;
  return candidate_mapping(layer, c);  // DRAM loops in Gemmini's order
}

}  // namespace strata
