#include "hw_models/mapping/mapspace.h"

#include <algorithm>

#include "common/input_error.h"

namespace strata {
namespace {

int64_t& at(MapDims& v, MapDim d) { return v[static_cast<size_t>(map_dim_index(d))]; }
int64_t at(const MapDims& v, MapDim d) { return v[static_cast<size_t>(map_dim_index(d))]; }

// The divisors of n that are multiples of `step` (which divides n), largest first.
std::vector<int64_t> divisors(int64_t n, int64_t step = 1, int64_t limit = INT64_MAX) {
  std::vector<int64_t> d;
  for (int64_t k = step; k <= n && k <= limit; k += step) {
    if (n % k == 0) d.push_back(k);
  }
  std::reverse(d.begin(), d.end());
  return d;
}

// Gemmini's order of the DRAM loops: output tiles (N, P, Q), then K, then the reductions.
constexpr MapDim kGemminiOrder[] = {MapDim::kN, MapDim::kP, MapDim::kQ, MapDim::kK,
                                    MapDim::kC, MapDim::kR, MapDim::kS};

}  // namespace

Mapping candidate_mapping(const Layer& layer, const MapCandidate& c) {
  const MapDims dims = mapping_dims(layer);
  Mapping m;
  m.levels.resize(4);
  m.levels[0] = {3, true, true, true, {}};
  m.levels[1] = {2, true, true, false, {}};
  m.levels[2] = {1, false, false, true, {}};
  m.levels[3] = {0, true, false, false, {}};
  std::vector<MapDim> order = c.dram_order;
  if (order.empty()) order.assign(std::begin(kGemminiOrder), std::end(kGemminiOrder));
  for (MapDim dim : order) {
    const int64_t outer = at(dims, dim) / at(c.tile, dim);
    if (outer > 1) m.levels[0].loops.push_back({dim, outer, false});
  }
  m.levels[1].loops.push_back({MapDim::kK, c.block_cols, true});
  for (MapDim dim :
       {MapDim::kK, MapDim::kC, MapDim::kR, MapDim::kS, MapDim::kN, MapDim::kP, MapDim::kQ}) {
    const int64_t f = at(c.tile, dim) / (dim == MapDim::kC   ? c.block_rows
                                         : dim == MapDim::kK ? c.block_cols
                                                             : 1);
    if (f > 1) m.levels[2].loops.push_back({dim, f, false});
  }
  m.levels[2].loops.push_back({MapDim::kC, c.block_rows, true});
  return m;
}

std::vector<MapCandidate> enumerate_mapspace(const Layer& layer, const MappedHierarchyParams& hw,
                                             const MappedOperandBits& bits,
                                             const MapSpaceOptions& options,
                                             const std::string& where) {
  const MapDims dims = mapping_dims(layer);
  std::vector<MapCandidate> out;
  auto add = [&](MapCandidate c) {
    if (static_cast<int64_t>(out.size()) >= options.max_candidates) {
      throw InputError(where + ": its mapspace has more than " +
                       std::to_string(options.max_candidates) +
                       " candidates (an exhaustive search's bound)");
    }
    out.push_back(std::move(c));
  };
  for (int64_t rows : divisors(at(dims, MapDim::kC), 1, hw.array.rows)) {
    for (int64_t cols : divisors(at(dims, MapDim::kK), 1, hw.array.cols)) {
      // Every dimension's tile sizes; C and K in whole blocks.
      std::vector<std::vector<int64_t>> sizes;
      for (MapDim d : kAllMapDims) {
        const int64_t step = d == MapDim::kC ? rows : d == MapDim::kK ? cols : 1;
        sizes.push_back(divisors(at(dims, d), step));
      }
      std::vector<size_t> pick(kMapDims, 0);
      for (;;) {
        MapCandidate c;
        c.block_rows = rows;
        c.block_cols = cols;
        for (int i = 0; i < kMapDims; ++i) {
          c.tile[static_cast<size_t>(i)] =
              sizes[static_cast<size_t>(i)][pick[static_cast<size_t>(i)]];
        }
        int64_t tiles = 1;
        for (MapDim d : kAllMapDims) tiles *= at(dims, d) / at(c.tile, d);
        if (tiles <= kMaxMappedTilesPerInstance &&
            tile_fits(tile_footprint(layer, c.tile, hw, bits), hw)) {
          if (!options.loop_orders) {
            add(c);
          } else {
            std::vector<MapDim> order;
            for (MapDim d : kGemminiOrder) {
              if (at(dims, d) / at(c.tile, d) > 1) order.push_back(d);
            }
            std::sort(order.begin(), order.end());
            do {
              MapCandidate o = c;
              o.dram_order = order;
              add(o);
            } while (std::next_permutation(order.begin(), order.end()));
          }
        }
        // The next tile: an odometer over the dimensions' sizes.
        int i = kMapDims - 1;
        while (i >= 0 && pick[static_cast<size_t>(i)] + 1 == sizes[static_cast<size_t>(i)].size()) {
          pick[static_cast<size_t>(i)] = 0;
          --i;
        }
        if (i < 0) break;
        ++pick[static_cast<size_t>(i)];
      }
    }
  }
  return out;
}

}  // namespace strata
