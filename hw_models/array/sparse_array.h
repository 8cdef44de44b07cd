#pragma once
// Array sparsity policies (docs/references.md §4, docs/arrays.md): how an array of dot-product
// units executes one layer. Pure C++; the tiler and the energy model ask `layer_execution` rather
// than branching on the policy themselves.
//   none   dense array: every MAC issued, zero operands included;
//   zvcg   the same array with zero-value clock gating: same cycles, a MAC whose operand is zero
//          is gated (counted, and charged a table fraction of a MAC);
//   dbb    S2TA's tensor-PE array: weights in density-bound blocks of BZ along K get
//          `weight_nnz` multiplier slots per block (an 8:1 mux per slot picks the matching
//          operand: W-DBB in space); with `activation_dbb` each activation block takes
//          NNZ_a / BZ of the dense time (A-DBB in time). Zero operands left in slots are gated
//          as in SA-ZVCG.
// Any policy runs on tensor PEs of A x B x C (A*C dot-product units of length B, broadcasting
// activations over C and weights over A); 1x1x1 is the scalar PE.
#include <cstdint>
#include <string>

#include "hw_models/array/dataflow.h"
#include "hw_models/array/pe.h"
#include "workloads/layer.h"

namespace strata {

enum class SparsityKind { kNone, kZvcg, kDbb };
enum class MuxSide { kActivation, kWeight };  // which operand the 8:1 mux selects

SparsityKind parse_sparsity_kind(const std::string& name);  // "none" | "zvcg" | "dbb"
std::string to_string(SparsityKind kind);
MuxSide parse_mux_side(const std::string& name);  // "activation" | "weight"
std::string to_string(MuxSide side);

struct TpeShape {
  int a = 1;  // output rows (pixels) per tensor PE; weights broadcast over them
  int b = 1;  // dot-product length: multiplier slots per output per cycle
  int c = 1;  // output columns (filters) per tensor PE; activations broadcast over them
};

struct SparsityParams {
  SparsityKind kind = SparsityKind::kNone;
  TpeShape tpe;
  int bz = 8;                   // DBB block size along K
  int weight_nnz = 8;           // multiplier slots per weight block (W-DBB when < bz)
  bool activation_dbb = false;  // A-DBB exploited in time
  MuxSide mux_side = MuxSide::kActivation;
  bool gates_zeros() const { return kind != SparsityKind::kNone; }
};

// Empty if the policy fits the array (rows, cols count dot-product units); otherwise what is
// wrong, naming the config key.
std::string sparsity_config_error(const SparsityParams& s, ArrayGeometry array);

// Empty if the layer's DBB format can run on the array; otherwise why, naming the keys.
std::string layer_sparsity_error(const SparsityParams& s, const Layer& layer);

// How the array runs one layer at the given operand widths.
struct LayerExecution {
  DepthPacking packing;  // K steps of a dot-product unit
  // Dense-equivalent MACs one dot-product unit completes per cycle at this layer's sparsity (the
  // peak that utilization is measured against).
  double peak_macs_per_unit_cycle = 1;
  // MACs one dot-product unit's multipliers complete per cycle on dense operands (B x the PE's
  // MACs per cycle at these widths): the physical peak, whatever the sparsity.
  double physical_macs_per_unit_cycle = 1;
  double issued_per_mac = 1;       // multiplier operations per logical MAC
  double gated_fraction = 0;       // of the issued operations: gated for a zero operand
  bool muxed = false;              // every issued operation passes an 8:1 operand mux
  int weight_slots_per_block = 0;  // W-DBB: slots a weight block occupies (0: no W-DBB)
  int activation_nnz = 0;          // A-DBB: non-zeros a block is cut to (0: no A-DBB)
  // Bits an operand element occupies in the buffers and DRAM: a DBB-compressed tensor stores its
  // NNZ values plus a BZ-bit mask per block, rounded up to whole bits per element.
  int weight_storage_bits = 8;
  int input_storage_bits = 8;
};

LayerExecution layer_execution(const PeParams& pe, const SparsityParams& s, const Layer& layer,
                               int input_bits, int weight_bits);

}  // namespace strata
