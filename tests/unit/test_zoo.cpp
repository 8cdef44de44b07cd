#include <gtest/gtest.h>

#include "common/input_error.h"
#include "workloads/zoo.h"

namespace strata {
namespace {

double gmac(const std::string& spec) { return zoo_workload(spec).macs() / 1e9; }

// Published MAC counts at 224x224 (torchvision / model papers; BERT from docs/references.md §3).
TEST(Zoo, MacTotalsMatchPublishedFigures) {
  EXPECT_NEAR(gmac("resnet50"), 4.09, 0.02);  // ~4.1 GMAC (v1.5)
  EXPECT_NEAR(gmac("resnet18"), 1.814, 0.01);
  EXPECT_NEAR(gmac("vgg16"), 15.47, 0.05);
  EXPECT_NEAR(gmac("alexnet"), 0.714, 0.01);
  EXPECT_NEAR(gmac("mobilenet_v1"), 0.569, 0.005);
  EXPECT_NEAR(gmac("mobilenet_v2"), 0.300, 0.005);
}

TEST(Zoo, BertBaseLayerMatchesReferenceExactly) {
  const Workload w = zoo_workload("bert_base:seq_len=384");
  ASSERT_EQ(w.layers.size(), 12u * 8u);
  int64_t layer0 = 0;
  for (size_t i = 0; i < 8; ++i) layer0 += w.layers[i].macs();
  EXPECT_EQ(layer0, 2944401408);             // docs/references.md §3
  EXPECT_EQ(w.layers[0].macs(), 226492416);  // Q projection
  EXPECT_EQ(w.layers[3].macs(), 113246208);  // QK^T, 12 heads
  EXPECT_EQ(w.layers[4].macs(), 113246208);  // P*V
  EXPECT_EQ(w.layers[6].macs(), 905969664);  // FFN1
  EXPECT_NEAR(w.macs() / 1e9, 35.33, 0.01);
}

TEST(Zoo, OptionsScaleTheWorkload) {
  EXPECT_EQ(zoo_workload("resnet18:batch=4").macs(), 4 * zoo_workload("resnet18").macs());
  // Attention grows with the square of the sequence, projections linearly.
  const Workload a = zoo_workload("bert_base:seq_len=128");
  const Workload b = zoo_workload("bert_base:seq_len=256");
  EXPECT_EQ(b.layers[0].macs(), 2 * a.layers[0].macs());
  EXPECT_EQ(b.layers[3].macs(), 4 * a.layers[3].macs());
}

TEST(Zoo, BadSpecsAreInputErrors) {
  EXPECT_THROW(zoo_workload("resnet19"), InputError);
  EXPECT_THROW(zoo_workload("resnet18:seq_len=3"), InputError);
  EXPECT_THROW(zoo_workload("bert_base:seq_len=0"), InputError);
  EXPECT_THROW(zoo_workload("bert_base:seq_len=abc"), InputError);
  EXPECT_THROW(zoo_workload("resnet18:batch"), InputError);
}

TEST(Zoo, EveryModelIsListedAndBuilds) {
  for (const auto& m : zoo_models()) {
    const Workload w = zoo_workload(m.name);
    EXPECT_FALSE(w.layers.empty()) << m.name;
    EXPECT_GT(w.macs(), 0) << m.name;
  }
}

TEST(Zoo, DepthwiseLayersAreGrouped) {
  const Workload w = zoo_workload("mobilenet_v1");
  const Layer& dw = w.layers[1];
  EXPECT_EQ(dw.groups, 32);
  EXPECT_EQ(dw.macs(), 112 * 112 * 32 * 9);
  const GemmView v = gemm_view(dw);
  EXPECT_EQ(v.count, 32);
  EXPECT_EQ(v.depth, 9);
  EXPECT_EQ(v.cols, 1);
}

}  // namespace
}  // namespace strata
