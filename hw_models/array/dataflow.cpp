#include "hw_models/array/dataflow.h"

#include <algorithm>
#include <stdexcept>

namespace strata {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

Dataflow parse_dataflow(const std::string& name) {
  if (name == "os") return Dataflow::kOutputStationary;
  if (name == "ws") return Dataflow::kWeightStationary;
  if (name == "is") return Dataflow::kInputStationary;
  throw std::invalid_argument("dataflow must be \"os\", \"ws\" or \"is\"");
}

std::string to_string(Dataflow d) {
  switch (d) {
    case Dataflow::kOutputStationary:
      return "os";
    case Dataflow::kWeightStationary:
      return "ws";
    case Dataflow::kInputStationary:
      return "is";
  }
  return "?";
}

TimingConvention parse_convention(const std::string& name) {
  if (name == "strata") return TimingConvention::kStrata;
  if (name == "scalesim") return TimingConvention::kScaleSim;
  throw std::invalid_argument("timing convention must be \"strata\" or \"scalesim\"");
}

std::string to_string(TimingConvention c) {
  return c == TimingConvention::kStrata ? "strata" : "scalesim";
}

DataflowMapping mapping_of(Dataflow d) {
  switch (d) {
    case Dataflow::kOutputStationary:
      return {GemmDim::kRows, GemmDim::kCols, GemmDim::kDepth};
    case Dataflow::kWeightStationary:
      return {GemmDim::kDepth, GemmDim::kCols, GemmDim::kRows};
    case Dataflow::kInputStationary:
      return {GemmDim::kDepth, GemmDim::kRows, GemmDim::kCols};
  }
  return {GemmDim::kRows, GemmDim::kCols, GemmDim::kDepth};
}

int64_t extent(const GemmView& g, GemmDim d) {
  switch (d) {
    case GemmDim::kRows:
      return g.rows;
    case GemmDim::kDepth:
      return g.depth;
    case GemmDim::kCols:
      return g.cols;
  }
  return 0;
}

FoldGrid fold_grid(const GemmView& g, Dataflow d, ArrayGeometry a) {
  const DataflowMapping m = mapping_of(d);
  return {ceil_div(extent(g, m.array_rows), a.rows), ceil_div(extent(g, m.array_cols), a.cols)};
}

int64_t scalesim_fold_cycles(Dataflow d, ArrayGeometry a, int64_t stream) {
  if (d == Dataflow::kOutputStationary) return a.rows + a.cols + stream - 2;
  return 2 * a.rows + a.cols + stream - 2;
}

int64_t DepthPacking::steps(int64_t depth) const {
  return ceil_div(ceil_div(depth, block) * num, den);
}

int64_t DepthPacking::real_index(int64_t step, int64_t depth) const {
  const int64_t total = steps(depth);
  return step >= total ? depth : step * depth / total;
}

GemmView packed_gemm_view(const GemmView& g, const DepthPacking& packing) {
  GemmView p = g;
  p.depth = packing.steps(g.depth);
  return p;
}

int64_t scalesim_layer_cycles(const Layer& layer, Dataflow d, ArrayGeometry a,
                              const DepthPacking& packing) {
  const GemmView g = packed_gemm_view(gemm_view(layer, OutputSizeRule::kScaleSim), packing);
  const FoldGrid grid = fold_grid(g, d, a);
  const int64_t stream = extent(g, mapping_of(d).streamed);
  return g.count * grid.per_instance() * scalesim_fold_cycles(d, a, stream) - 1;
}

int64_t strata_fold_steady_cycles(const FoldShape& f) { return std::max(f.stream, f.rows_used); }

int64_t strata_fill_cycles(Dataflow d, const FoldShape& first) {
  const int64_t skew = first.rows_used + first.cols_used - 2;
  return d == Dataflow::kOutputStationary ? skew : skew + first.rows_used;
}

int64_t strata_drain_cycles(Dataflow d, const FoldShape& last) {
  return d == Dataflow::kOutputStationary ? last.rows_used : 0;
}

int64_t strata_layer_cycles(const Layer& layer, Dataflow d, ArrayGeometry a, int64_t stream_block,
                            const DepthPacking& packing) {
  const GemmView g = packed_gemm_view(gemm_view(layer), packing);
  const DataflowMapping m = mapping_of(d);
  const int64_t er = extent(g, m.array_rows), ec = extent(g, m.array_cols);
  const int64_t stream = extent(g, m.streamed);
  const int64_t block = stream_block > 0 ? std::min(stream_block, stream) : stream;
  const int64_t full_blocks = stream / block, last_block = stream - full_blocks * block;
  const FoldGrid grid = fold_grid(g, d, a);
  // Rows used are a.rows in every row tile but the last, which holds the remainder.
  const int64_t last_rows = er - (grid.row_tiles - 1) * a.rows;
  auto per_row_tile = [&](int64_t rows) {
    return full_blocks * std::max(block, rows) + (last_block > 0 ? std::max(last_block, rows) : 0);
  };
  const int64_t per_col_tile =
      (grid.row_tiles - 1) * per_row_tile(a.rows) + per_row_tile(last_rows);
  int64_t total = g.count * grid.col_tiles * per_col_tile;
  // Fill of the very first fold and drain of the very last.
  const FoldShape first{std::min(a.rows, er), std::min(a.cols, ec), block};
  const int64_t last_cols = ec - (grid.col_tiles - 1) * a.cols;
  const FoldShape last{last_rows, last_cols, last_block > 0 ? last_block : block};
  total += strata_fill_cycles(d, first) + strata_drain_cycles(d, last);
  return total;
}

}  // namespace strata
