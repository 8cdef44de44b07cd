#pragma once
// A layer run with an explicit mapping (workloads/mapping/mapping.h) on a weight-stationary array
// behind a scratchpad shared by weights and inputs and an accumulator of partial sums: the
// hierarchy Gemmini has (docs/mapping.md). The mapping's four levels are DRAM, the scratchpad,
// the accumulator and the PEs' weight registers; its spatial C and K factors are the block of the
// array one weight preload fills (C over rows, K over columns); the factors below DRAM make the
// tile one DRAM-level iteration moves in.
//
// Each tile is a few steps with a cost each, and few constants, every one a hardware fact
// (docs/mapping.md lists their sources and the calibration):
//   - moving the tile in: one DMA request per scratchpad row (a pixel's channels, a weight row),
//     each max(row bytes / bus bytes per cycle, the request issue interval), after the memory's
//     latency;
//   - computing it: per weight block, the preload (one cycle per array row it fills) or the
//     tile's pixels streamed through it, whichever is longer; then the array's drain;
//   - part of the loads hides behind the compute (decoupled access and execute);
//   - moving finished outputs out, one request per accumulator row, after the last reduction
//     tile of each output tile.
// Pure C++: the controller replays the resulting folds (hw_models/soc/tiling.h).
#include <cstdint>
#include <string>
#include <vector>

#include "hw_models/array/dataflow.h"
#include "hw_models/common/fold_work.h"
#include "workloads/layer.h"

namespace strata {

// The order the DRAM-level tiles run in and what each moves in.
enum class TileWalk {
  // The mapping's own DRAM loops, outermost first; an operand is moved in again only when a loop
  // over one of its dimensions advanced (Timeloop's reuse), and an output tile left before its
  // last reduction tile spills its partial sums and reads them back.
  kMapping,
  // Gemmini's software tiler (gemmini.h tiled_matmul / tiled_conv): output tiles outer, reduction
  // tiles inner, so partial sums stay in the accumulator; every tile moves its inputs and weights
  // in afresh, except a matrix product's operand whose whole tile grid is at most two tiles
  // (tiled_matmul_outer's a_reuse / b_reuse), which stays.
  kGemmini,
};
TileWalk parse_tile_walk(const std::string& name);  // "mapping" | "gemmini"
std::string to_string(TileWalk w);

struct MappedHierarchyParams {
  ArrayGeometry array;  // DIM x DIM for Gemmini
  // The scratchpad (weights and inputs) and the accumulator (partial sums), in bytes; the
  // scratchpad's rows hold `scratchpad_row_bytes` (DIM int8 values), the accumulator's rows
  // array.cols words of `accumulator_bits`.
  int64_t scratchpad_bytes = 0;
  int64_t scratchpad_row_bytes = 16;
  int64_t accumulator_bytes = 0;
  int accumulator_bits = 32;
  double dma_bytes_per_cycle = 16;      // the DMA's bus to memory
  double dma_request_cycles = 2;        // the shortest interval between two DMA requests
  int64_t memory_latency_cycles = 200;  // a tile's first request to its first data
  double load_compute_overlap = 0.75;   // the fraction of min(loads, compute) hidden in a tile
  TileWalk walk = TileWalk::kGemmini;
};

// Operand widths in bits (int8 on Gemmini).
struct MappedOperandBits {
  int input = 8, weight = 8, output = 8;
};

// One layer's mapped execution, per instance (mapping_instances) and in total.
struct MappedExecution {
  int64_t tiles = 0;                       // DRAM-level iterations per instance
  int64_t block_rows = 1, block_cols = 1;  // spatial C and K: the array block a preload fills
  int64_t tile_blocks = 0;                 // weight blocks per tile
  int64_t tile_pixels = 0;                 // output pixels each block streams
  int64_t scratchpad_rows = 0;             // the tile's inputs and weights in scratchpad rows
  int64_t accumulator_rows = 0;            // its outputs in accumulator rows
  // Totals over the layer (every instance).
  int64_t cycles = 0;
  int64_t compute_cycles = 0;  // the array busy: preloads, streams, drains
  int64_t load_cycles = 0;     // DMA in: requests and latencies
  int64_t store_cycles = 0;    // DMA out
  int64_t input_bytes = 0, weight_bytes = 0, psum_read_bytes = 0;
  int64_t output_bytes = 0, psum_write_bytes = 0;
  int64_t dma_requests = 0;
  // The folds the controller replays: consecutive tiles grouped (at most
  // kMaxMappedFoldsPerInstance per layer), each with its tiles' compute and the DMA time they
  // expose (exposed_dma_cycles), and their bytes.
  std::vector<FoldWork> folds;
};

constexpr int64_t kMaxMappedFoldsPerInstance = 256;
// Walks on far larger tile grids than any real mapping has (the Gemmini measurements reach 2^20)
// stay bounded in time: a mapping with more DRAM-level tiles is refused.
constexpr int64_t kMaxMappedTilesPerInstance = int64_t{1} << 24;

// What one tile of the given sizes (per dimension, below DRAM) keeps on chip: its inputs (the
// window of its outputs) and weights in the scratchpad, its partial sums in the accumulator.
struct TileFootprint {
  int64_t input_bytes = 0, weight_bytes = 0, psum_bytes = 0;
  int64_t input_pixels = 0;  // of the input window
};
TileFootprint tile_footprint(const Layer& layer, const MapDims& tile,
                             const MappedHierarchyParams& hw, const MappedOperandBits& bits);
bool tile_fits(const TileFootprint& f, const MappedHierarchyParams& hw);

// strata's own mapping of a layer when it is given none: the whole array's block (the largest
// divisors of C and K within its rows and columns), then the largest tile that fits, shrinking the
// dimension with the largest tile first (output pixels before channels), the rest at DRAM in
// Gemmini's order. Throws InputError "<where>: ..." if even one block does not fit.
Mapping default_mapping(const Layer& layer, const MappedHierarchyParams& hw,
                        const MappedOperandBits& bits, const std::string& where);

// Plans `layer` with its mapping. Throws InputError "<where>: ..." when the mapping does not
// cover the layer, has a level the hierarchy lacks or an operand in a level that cannot hold it,
// unrolls more than the array or another dimension than C and K, or a tile over its level's
// capacity; each names the level and the numbers.
MappedExecution plan_mapped_layer(const Layer& layer, const Mapping& mapping,
                                  const MappedHierarchyParams& hw, const MappedOperandBits& bits,
                                  const std::string& where);
// The same totals in closed form, without walking the tiles (cheap whatever the tile count; the
// mapping search's cost): cycles, bytes and requests equal plan_mapped_layer's; no folds.
MappedExecution cost_mapped_layer(const Layer& layer, const Mapping& mapping,
                                  const MappedHierarchyParams& hw, const MappedOperandBits& bits,
                                  const std::string& where);
// The same checks without walking the tiles (cheap whatever the tile count): tiles, the block,
// the tile's footprint, and compute_cycles, the array's busy time (a lower bound of the cycles).
MappedExecution check_mapped_layer(const Layer& layer, const Mapping& mapping,
                                   const MappedHierarchyParams& hw, const MappedOperandBits& bits,
                                   const std::string& where);

}  // namespace strata
