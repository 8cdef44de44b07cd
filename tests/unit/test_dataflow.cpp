#include <gtest/gtest.h>

#include <cmath>

#include "hw_models/array/dataflow.h"
#include "hw_models/soc/tiling.h"
#include "support/small_layers.h"
#include "workloads/zoo/zoo.h"

namespace strata {
namespace {

using test::gemm;

// Hand-computed: P=5, K=4, M=3 on a 2x2 array (docs/timing.md walks through these).
TEST(Dataflow, StrataCyclesHandComputed) {
  const Layer l = gemm(5, 4, 3);
  const ArrayGeometry a{2, 2};
  // OS: 3x2 folds of max(K=4, rows)=4; fill 2+2-2; final drain of the last fold's 1 row.
  EXPECT_EQ(strata_layer_cycles(l, Dataflow::kOutputStationary, a), 6 * 4 + 2 + 1);
  // WS: 2x2 folds of max(P=5, 2)=5; fill 2+2-2 plus the first weight preload of 2 rows.
  EXPECT_EQ(strata_layer_cycles(l, Dataflow::kWeightStationary, a), 4 * 5 + 4);
  // IS: 2x3 folds of max(M=3, 2)=3; fill 2 + preload 2.
  EXPECT_EQ(strata_layer_cycles(l, Dataflow::kInputStationary, a), 6 * 3 + 4);
  // Stream shorter than the rows: P=3, K=1, M=8 on 4x4 OS: 2 folds of max(1, 3); fill 5; drain 3.
  EXPECT_EQ(strata_layer_cycles(gemm(3, 1, 8), Dataflow::kOutputStationary, {4, 4}), 2 * 3 + 5 + 3);
}

TEST(Dataflow, ScaleSimCyclesHandComputed) {
  const Layer l = gemm(5, 4, 3);
  const ArrayGeometry a{2, 2};
  EXPECT_EQ(scalesim_layer_cycles(l, Dataflow::kOutputStationary, a), 6 * (2 + 2 + 4 - 2) - 1);
  EXPECT_EQ(scalesim_layer_cycles(l, Dataflow::kWeightStationary, a), 4 * (4 + 2 + 5 - 2) - 1);
  EXPECT_EQ(scalesim_layer_cycles(l, Dataflow::kInputStationary, a), 6 * (4 + 2 + 3 - 2) - 1);
}

// The docs/references.md §7 formula, written out independently of the model's code.
int64_t reference_scalesim(int64_t h, int64_t w, int64_t r, int64_t s, int64_t c, int64_t m,
                           int64_t stride, const std::string& df, int64_t ar, int64_t ac) {
  const int64_t e = static_cast<int64_t>(std::ceil(double(h - r + stride) / stride));
  const int64_t f = static_cast<int64_t>(std::ceil(double(w - s + stride) / stride));
  const int64_t npix = e * f, k = r * s * c;
  auto cdiv = [](int64_t a, int64_t b) { return (a + b - 1) / b; };
  if (df == "os") return cdiv(npix, ar) * cdiv(m, ac) * (ar + ac + k - 2) - 1;
  if (df == "ws") return cdiv(k, ar) * cdiv(m, ac) * (2 * ar + ac + npix - 2) - 1;
  return cdiv(k, ar) * cdiv(npix, ac) * (2 * ar + ac + m - 2) - 1;
}

TEST(Dataflow, ScaleSimConventionMatchesReferenceFormulaForZooLayers) {
  for (const std::string net : {"resnet18", "mobilenet_v1", "vgg16"}) {
    for (const std::string df : {"os", "ws", "is"}) {
      for (const ArrayGeometry a :
           {ArrayGeometry{32, 32}, ArrayGeometry{16, 64}, ArrayGeometry{8, 8}}) {
        for (const Layer& l : zoo_workload(net).layers) {
          if (l.type != LayerType::kConv2d || l.groups != 1) continue;
          // SCALE-Sim gets padded sizes and no padding.
          const int64_t ref =
              reference_scalesim(l.in_h + 2 * l.pad_h, l.in_w + 2 * l.pad_w, l.kernel_h, l.kernel_w,
                                 l.in_c, l.out_c, l.stride_h, df, a.rows, a.cols);
          EXPECT_EQ(scalesim_layer_cycles(l, parse_dataflow(df), a), ref)
              << net << " " << l.name << " " << df;
        }
      }
    }
  }
}

// The whole ResNet-18 topology SCALE-Sim v2 ships (its 3x3 layers unpadded), on a 32x32 OS
// array: SCALE-Sim reports 1,718,353 compute cycles in total.
TEST(Dataflow, ScaleSimResNet18TopologyTotalMatchesScaleSim) {
  struct Row {
    int64_t h, r, c, m, s;
  };
  const Row rows[] = {{224, 7, 3, 64, 2},   {56, 3, 64, 64, 1},   {56, 3, 64, 64, 1},
                      {56, 3, 64, 64, 1},   {56, 3, 64, 64, 1},   {56, 3, 64, 128, 2},
                      {28, 3, 128, 128, 1}, {56, 1, 64, 128, 2},  {28, 3, 128, 128, 1},
                      {28, 3, 128, 128, 1}, {28, 3, 128, 256, 2}, {14, 3, 256, 256, 1},
                      {28, 1, 128, 256, 2}, {14, 3, 256, 256, 1}, {14, 3, 256, 256, 1},
                      {14, 3, 256, 512, 2}, {7, 3, 512, 512, 1},  {14, 1, 256, 512, 2},
                      {7, 3, 512, 512, 1},  {7, 3, 512, 512, 1},  {1, 1, 512, 1000, 1}};
  int64_t total = 0;
  for (const Row& row : rows) {
    Layer l;
    l.name = "l";
    l.in_h = l.in_w = row.h;
    l.kernel_h = l.kernel_w = row.r;
    l.in_c = row.c;
    l.out_c = row.m;
    l.stride_h = l.stride_w = row.s;
    total += scalesim_layer_cycles(l, Dataflow::kOutputStationary, {32, 32});
  }
  EXPECT_EQ(total, 1718353);
}

TEST(Dataflow, StrataNeverBeatsTheMacBound) {
  for (const Layer& l : zoo_workload("resnet50").layers) {
    for (Dataflow d :
         {Dataflow::kOutputStationary, Dataflow::kWeightStationary, Dataflow::kInputStationary}) {
      EXPECT_GE(strata_layer_cycles(l, d, {32, 32}) * 32 * 32, l.macs()) << l.name;
    }
  }
}

TEST(Dataflow, ParsesNames) {
  EXPECT_EQ(parse_dataflow("ws"), Dataflow::kWeightStationary);
  EXPECT_THROW(parse_dataflow("rs"), std::invalid_argument);
  EXPECT_EQ(to_string(parse_convention("scalesim")), "scalesim");
}

}  // namespace
}  // namespace strata
