#pragma once
// Dataflow policy of a systolic array: which GEMM dimension is spread over the array rows, which
// over the columns, and which streams through in time. One policy object serves OS, WS and IS;
// cycle conventions are functions of the fold geometry, not copies of the array.
#include <cstdint>
#include <string>

#include "workloads/layer.h"

namespace strata {

enum class Dataflow { kOutputStationary, kWeightStationary, kInputStationary };
enum class TimingConvention { kStrata, kScaleSim };
enum class GemmDim { kRows, kDepth, kCols };  // P (output pixels), K (reduction), M (filters)

Dataflow parse_dataflow(const std::string& name);  // "os" | "ws" | "is", else std::invalid_argument
std::string to_string(Dataflow d);
TimingConvention parse_convention(const std::string& name);  // "strata" | "scalesim"
std::string to_string(TimingConvention c);

struct DataflowMapping {
  GemmDim array_rows;  // spread over the array's rows
  GemmDim array_cols;  // spread over the array's columns
  GemmDim streamed;    // streamed in time through the array
};
DataflowMapping mapping_of(Dataflow d);

int64_t extent(const GemmView& g, GemmDim d);

// One fold: a tile of the two spatial dimensions mapped on the array, with its stream length.
struct FoldShape {
  int64_t rows_used = 0;  // array rows occupied
  int64_t cols_used = 0;  // array columns occupied
  int64_t stream = 0;     // cycles of operand streaming
};

struct ArrayGeometry {
  int64_t rows = 1;
  int64_t cols = 1;
};

// Fold counts of one GEMM instance: ceil(extent / array size) per spatial dimension.
struct FoldGrid {
  int64_t row_tiles = 0;
  int64_t col_tiles = 0;
  int64_t per_instance() const { return row_tiles * col_tiles; }
};
FoldGrid fold_grid(const GemmView& g, Dataflow d, ArrayGeometry a);

// Cycles of one fold under the SCALE-Sim v2 convention (folds never overlap):
// OS: Ar + Ac + T - 2, WS/IS: 2Ar + Ac + T - 2, with the full array size (docs/references.md §7).
int64_t scalesim_fold_cycles(Dataflow d, ArrayGeometry a, int64_t stream);

// How many array steps a reduction of K elements takes when one step of a dot-product unit covers
// more than one element: ceil(ceil(K / block) * num / den). A scalar int PE: 1 step per element.
// A fused PE completing m MACs per cycle: {1, 1, m}, ceil(K / m). A DBB tensor PE: blocks of BZ,
// each taking num/den steps (sparse_array.h).
struct DepthPacking {
  int64_t block = 1, num = 1, den = 1;
  int64_t steps(int64_t depth) const;
  // The reduction elements behind packed steps [lo, hi) of a depth-K reduction: proportional, so
  // consecutive ranges tile [0, K) exactly.
  int64_t real_index(int64_t step, int64_t depth) const;
};

GemmView packed_gemm_view(const GemmView& g, const DepthPacking& packing);

// SCALE-Sim's layer compute cycles: folds * per_fold - 1, output size from its ceil rule.
int64_t scalesim_layer_cycles(const Layer& layer, Dataflow d, ArrayGeometry a,
                              const DepthPacking& packing = {});

// strata's convention (docs/timing.md): folds are pipelined; each fold costs
// max(stream, rows_used) in steady state (the stationary operand of the next fold shifts in, or
// the previous fold's outputs shift out, while this one streams); the first fold adds the skew
// fill rows_used + cols_used - 2 (plus the first stationary preload rows_used for WS/IS); the last
// OS fold adds the final drain of rows_used.
int64_t strata_fold_steady_cycles(const FoldShape& f);
int64_t strata_fill_cycles(Dataflow d, const FoldShape& first);
int64_t strata_drain_cycles(Dataflow d, const FoldShape& last);

// Closed-form strata layer compute cycles (sum over all folds). `stream_block` > 0 cuts the
// streamed dimension into blocks of that many (the last one shorter), each block a fold of its
// own (docs/tiling.md); 0 streams the whole extent in one fold.
int64_t strata_layer_cycles(const Layer& layer, Dataflow d, ArrayGeometry a,
                            int64_t stream_block = 0, const DepthPacking& packing = {});

}  // namespace strata
