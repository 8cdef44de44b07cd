#include <gtest/gtest.h>

#include <algorithm>

#include "hw_models/array/cycle_array.h"
#include "hw_models/soc/tiling.h"
#include "support/small_layers.h"

namespace strata {
namespace {

using test::conv;
using test::gemm;

// The tiler's folds of a layer with unbounded buffers, and their shapes for the cycle array.
LayerTiling tile_unbounded(const Layer& l, Dataflow d, ArrayGeometry a) {
  TilingParams p;
  p.dataflow = d;
  p.array = a;
  p.input_capacity_bytes = p.weight_capacity_bytes = p.output_capacity_bytes = 1 << 30;
  return tile_layer(l, p);
}

std::vector<FoldShape> fold_shapes(const LayerTiling& t) {
  std::vector<FoldShape> f;
  for (const auto& w : t.folds) f.push_back({w.rows_used, w.cols_used, w.stream});
  return f;
}

// The cycle-by-cycle OS array runs the tiler's folds of small layers: every output is right, no
// result overwrites an undrained one, and its cycles follow the closed form of its pipeline: fold
// f+1 starts max(K, r_f, 2 r_f - r_{f+1}) after fold f (the edges have streamed K; its results
// may not reach an output register, nor start a column drain, while fold f's drain still uses
// them), and fold f's last output leaves at start_f + K + 2 r_f + c_f - 2. The tile-level model
// agrees exactly when every fold has one shape and K >= rows; otherwise it differs by less than one
// pipeline fill (it charges the first fold's skew and max(K, r) on the last fold; docs/timing.md).
TEST(CycleArray, OutputStationaryAgreesWithTheTileModel) {
  const Layer layers[] = {conv(8, 8, 12, 3, 1, 1), gemm(20, 30, 10), conv(6, 3, 5, 1, 0, 1),
                          conv(6, 8, 8, 3, 0, 8),  gemm(16, 64, 16), conv(10, 4, 16, 3, 1, 1),
                          gemm(9, 5, 13),          gemm(20, 3, 10)};
  const ArrayGeometry arrays[] = {{4, 4}, {8, 8}, {8, 4}, {5, 7}};
  int exact = 0, total = 0;
  for (const Layer& l : layers) {
    for (ArrayGeometry a : arrays) {
      const LayerTiling t = tile_unbounded(l, Dataflow::kOutputStationary, a);
      const std::vector<FoldShape> f = fold_shapes(t);
      const CycleRun r = simulate_array_cycles(Dataflow::kOutputStationary, a, f, 3);
      const std::string what = std::to_string(l.macs()) + " MACs on " + std::to_string(a.rows) +
                               "x" + std::to_string(a.cols);
      EXPECT_EQ(r.macs, l.macs()) << what;
      EXPECT_EQ(r.wrong_outputs, 0) << what;
      EXPECT_EQ(r.collisions, 0) << what;
      const int64_t k = f.front().stream;  // OS streams the whole K in every fold
      int64_t start = 0, closed = 0;
      bool uniform = k >= f.front().rows_used;
      for (size_t i = 0; i < f.size(); ++i) {
        if (i > 0) {
          start += std::max({k, f[i - 1].rows_used, 2 * f[i - 1].rows_used - f[i].rows_used});
        }
        closed = std::max(closed, start + k + 2 * f[i].rows_used + f[i].cols_used - 2);
        uniform &= f[i].rows_used == f.front().rows_used && f[i].cols_used == f.front().cols_used;
      }
      EXPECT_EQ(r.cycles, closed) << what;
      const int64_t fill = f.front().rows_used + f.front().cols_used;
      EXPECT_LE(std::abs(t.compute_cycles() - r.cycles), fill) << what;
      if (uniform) {
        EXPECT_EQ(t.compute_cycles(), r.cycles) << what;
      }
      exact += t.compute_cycles() == r.cycles;
      ++total;
    }
  }
  EXPECT_GT(exact, 0);
  EXPECT_EQ(total, 32);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// Fold sequences the tiler rarely makes: short K after a short fold, then a taller one, and
// shrinking folds; the controller's hazard rules keep every result intact.
// The weight/input-stationary machine on the tiler's WS and IS folds: outputs right, no PE
// switching to a shadow value that is not there, cycles equal to its pipeline's closed form:
// preload of column j for fold f+1 starts at q = max(s_f + j, q_f + r_f) (row 0 switched, bus
// free), fold f+1 at max(s_f + T_f, max_j q + r_{f+1} - j) (edges free, shadows latched; fold 0 at
// r_0), fold f's last output leaves at s_f + T_f + r_f + c_f - 2. Against the tile-level model:
// exact for uniform folds with T >= rows, otherwise within one pipeline fill.
TEST(CycleArray, StationaryDataflowsAgreeWithTheTileModel) {
  const Layer layers[] = {conv(8, 8, 12, 3, 1, 1), gemm(20, 30, 10), conv(6, 3, 5, 1, 0, 1),
                          conv(6, 8, 8, 3, 0, 8),  gemm(16, 64, 16), conv(10, 4, 16, 3, 1, 1),
                          gemm(9, 5, 13),          gemm(20, 3, 10)};
  const ArrayGeometry arrays[] = {{4, 4}, {8, 8}, {8, 4}, {5, 7}};
  int exact = 0;
  for (Dataflow d : {Dataflow::kWeightStationary, Dataflow::kInputStationary}) {
    for (const Layer& l : layers) {
      for (ArrayGeometry a : arrays) {
        const LayerTiling t = tile_unbounded(l, d, a);
        const std::vector<FoldShape> f = fold_shapes(t);
        const CycleRun r = simulate_array_cycles(d, a, f, 9);
        const std::string what = to_string(d) + " " + std::to_string(l.macs()) + " MACs on " +
                                 std::to_string(a.rows) + "x" + std::to_string(a.cols);
        EXPECT_EQ(r.macs, l.macs()) << what;
        EXPECT_EQ(r.wrong_outputs, 0) << what;
        EXPECT_EQ(r.collisions, 0) << what;
        std::vector<int64_t> q(static_cast<size_t>(a.cols), 0);
        int64_t start = 0, closed = 0;
        bool uniform = true;
        for (size_t i = 0; i < f.size(); ++i) {
          int64_t s = i > 0 ? start + f[i - 1].stream : 0;
          for (int64_t j = 0; j < f[i].cols_used; ++j) {
            if (i > 0) q[j] = std::max(start + j, q[j] + f[i - 1].rows_used);
            s = std::max(s, q[j] + f[i].rows_used - j);
          }
          start = s;
          closed = std::max(closed, start + f[i].stream + f[i].rows_used + f[i].cols_used - 2);
          uniform &= f[i].rows_used == f[0].rows_used && f[i].cols_used == f[0].cols_used &&
                     f[i].stream == f[0].stream && f[i].stream >= f[i].rows_used;
        }
        EXPECT_EQ(r.cycles, closed) << what;
        EXPECT_LE(std::abs(t.compute_cycles() - r.cycles), f[0].rows_used + f[0].cols_used) << what;
        if (uniform) {
          EXPECT_EQ(t.compute_cycles(), r.cycles) << what;
        }
        exact += t.compute_cycles() == r.cycles;
      }
    }
  }
  EXPECT_GT(exact, 10);
}

TEST(CycleArray, ControllerKeepsResultsIntactAcrossShapeChanges) {
  const std::vector<std::vector<FoldShape>> sequences = {
      {{4, 8, 3}, {8, 8, 3}, {8, 8, 3}},
      {{8, 8, 2}, {3, 8, 2}, {8, 5, 2}, {1, 1, 1}},
      {{8, 8, 20}, {8, 8, 1}, {2, 8, 1}}};
  for (const auto& folds : sequences) {
    const CycleRun r = simulate_array_cycles(Dataflow::kOutputStationary, {8, 8}, folds, 5);
    int64_t macs = 0;
    for (const auto& f : folds) macs += f.rows_used * f.cols_used * f.stream;
    EXPECT_EQ(r.macs, macs);
    EXPECT_EQ(r.wrong_outputs, 0);
    EXPECT_EQ(r.collisions, 0);
  }
}

}  // namespace
}  // namespace strata
