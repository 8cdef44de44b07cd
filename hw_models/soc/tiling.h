#pragma once
// Tiling of one layer for the array and the on-chip buffers (docs/tiling.md): the fold sequence,
// what each fold reads from and writes to DRAM given what the buffers still hold, its SRAM
// traffic and its compute cycles. Pure C++: the SystemC controller replays the result as
// transactions.
#include <cstdint>
#include <string>
#include <vector>

#include "hw_models/array/dataflow.h"
#include "hw_models/array/pe.h"
#include "hw_models/array/sparse_array.h"
#include "hw_models/common/fold_work.h"
#include "hw_models/mapping/mapped_execution.h"
#include "workloads/layer.h"

namespace strata {

struct OperandBits {
  int input = 8;
  int weight = 8;
  int output = 8;
  int accum = 32;  // partial sums kept in the output buffer or spilled to DRAM
  bool operator==(const OperandBits& o) const {
    return input == o.input && weight == o.weight && output == o.output && accum == o.accum;
  }
};

enum class LoopOrder { kAuto, kRowsOuter, kColsOuter };

struct TilingParams {
  Dataflow dataflow = Dataflow::kOutputStationary;
  TimingConvention convention = TimingConvention::kStrata;
  ArrayGeometry array;
  PeParams pe;              // a fused PE packs the reduction dimension (pe.h)
  SparsityParams sparsity;  // tensor PEs and DBB pack it further (sparse_array.h)
  OperandBits bits;
  LoopOrder loop_order = LoopOrder::kAuto;
  // Compute cycles from the cycle-by-cycle arrays (OS, WS and IS; small layers) instead of the
  // fold formulas (docs/timing.md).
  bool cycle_fidelity = false;
  // Bytes each buffer can keep resident across folds (half the buffer when double buffered).
  int64_t input_capacity_bytes = 0;
  int64_t weight_capacity_bytes = 0;
  int64_t output_capacity_bytes = 0;
  // memory.hierarchy = "scratchpad": every layer runs with an explicit mapping (its own, or
  // strata's default_mapping) on this hierarchy (hw_models/mapping/mapped_execution.h).
  bool mapped = false;
  MappedHierarchyParams hierarchy;
  // tiling.search = "latency": a layer given no mapping runs the exhaustive search's best for
  // latency (hw_models/mapping/mapping_search.h) instead of strata's own.
  bool search_latency = false;
};

struct LayerTiling {
  LoopOrder loop_order = LoopOrder::kRowsOuter;  // the order actually used
  int64_t stream_block = 0;                      // streamed elements per fold (docs/tiling.md)
  // The explicit mapping the layer ran with (format_mapping), "" when the tiler chose the folds.
  std::string mapping;
  // Mapped layers: each fold's compute_cycles holds its whole cost, DMA included; the controller
  // moves the folds' bytes alongside without waiting for them.
  bool dma_timed_in_folds = false;
  std::vector<FoldWork> folds;
  int64_t dram_read_bytes() const;
  int64_t dram_write_bytes() const;
  int64_t compute_cycles() const;
};

// Bytes every layer must move at least once: all inputs the layer touches, all weights, all
// outputs written once. Inputs skipped by a stride larger than the kernel are not touched.
struct CompulsoryTraffic {
  int64_t input_bytes = 0, weight_bytes = 0, output_bytes = 0;
};
CompulsoryTraffic compulsory_traffic(const Layer& layer, const OperandBits& bits);

// The operand widths of layer `index`: a quantized trace's per-layer widths override the config's;
// outputs take the next layer's input width.
OperandBits layer_operand_bits(const OperandBits& config, const Workload& w, size_t index);

// The tiler keeps a layer's folds in memory (~200 B each): layers beyond this many folds are
// refused before a run (a bigger array or buffers need fewer folds).
constexpr double kMaxFoldsPerLayer = 1 << 21;
// sim.fidelity = "cycle" steps every PE every cycle: layers beyond this many PE-cycles are refused.
constexpr double kMaxCycleFidelityPeCycles = 4e8;
// The folds tile_layer would produce, in double (the product of untrusted extents may overflow).
double layer_fold_count(const Layer& layer, const TilingParams& params);

// params.mapped: checks the layer's mapping (its own or strata's) without walking its tiles and
// returns the array's busy cycles, a lower bound of the layer's; throws InputError like
// tile_layer would.
int64_t check_layer_mapping(const Layer& layer, const TilingParams& params);

// A tile larger than its buffer's capacity is streamed through it and fetched again on every use.
LayerTiling tile_layer(const Layer& layer, const TilingParams& params);

// The array's compute cycles for one pass of the workload's layers (what the dataflow needs, with
// no DRAM, port or vector stalls): a lower bound on its time on this array.
int64_t workload_compute_cycles(const Workload& w, const TilingParams& params);

}  // namespace strata
