#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "workloads/quant/dbb.h"
#include "workloads/quant/quantizers.h"
#include "workloads/quant/synthetic_weights.h"

namespace strata {
namespace {

TEST(Dbb, KeepsTheLargestPerBlockWithLowerIndexTies) {
  // One output channel, 8 input channels, 1x1: one block.
  WeightTensor w{1, 8, 1, 1, {0.1f, -0.9f, 0.3f, 0.3f, -0.3f, 0.05f, 0.7f, 0.0f}};
  EXPECT_DOUBLE_EQ(dbb_prune(w, parse_dbb("4/8")), 0.5);
  // Kept: -0.9, 0.7, then three 0.3-magnitude ties -> the two lowest indices (2, 3).
  EXPECT_EQ(w.data, (std::vector<float>{0, -0.9f, 0.3f, 0.3f, 0, 0, 0.7f, 0}));
}

// The pruned set is the one a stable sort by descending magnitude keeps, on many ties.
TEST(Dbb, KeepsWhatAStableSortByMagnitudeKeeps) {
  WeightTensor w{8, 40, 3, 3, {}};
  generate_weights(w, SyntheticSpec{});
  for (auto& v : w.data) v = std::round(v * 20) / 20;  // coarse values: ties in most blocks
  for (const char* dbb : {"1/8", "3/8", "5/16", "7/64"}) {
    const DbbSpec spec = parse_dbb(dbb);
    WeightTensor pruned = w, reference = w;
    dbb_prune(pruned, spec);
    const int64_t ks = w.kernel_size();
    for (int64_t o = 0; o < w.out_channels; ++o) {
      for (int64_t r = 0; r < ks; ++r) {
        for (int64_t c0 = 0; c0 < w.in_channels; c0 += spec.bz) {
          std::vector<int64_t> order;
          for (int64_t c = c0; c < std::min(w.in_channels, c0 + spec.bz); ++c) {
            order.push_back(o * w.per_channel() + c * ks + r);
          }
          std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
            return std::fabs(w.data[a]) > std::fabs(w.data[b]);
          });
          for (size_t i = static_cast<size_t>(spec.nnz); i < order.size(); ++i) {
            reference.data[order[i]] = 0.0f;
          }
        }
      }
    }
    EXPECT_EQ(pruned.data, reference.data) << dbb;
  }
}

TEST(Dbb, BlocksRunAlongInputChannelsAtEachKernelPosition) {
  WeightTensor w{4, 20, 3, 3, {}};
  SyntheticSpec s;
  generate_weights(w, s);
  const WeightTensor before = w;
  const double density = dbb_prune(w, parse_dbb("2/8"));
  EXPECT_TRUE(satisfies_dbb(w, parse_dbb("2/8")));
  EXPECT_FALSE(satisfies_dbb(before, parse_dbb("2/8")));
  // Blocks of 8, 8 and 4 channels keep 2 each: 6 of 20 per kernel position.
  EXPECT_DOUBLE_EQ(density, 6.0 / 20.0);
  // Depthwise: one channel, the 9 kernel taps are blocked (8 + 1).
  WeightTensor dw{3, 1, 3, 3, {}};
  generate_weights(dw, s);
  EXPECT_DOUBLE_EQ(dbb_prune(dw, parse_dbb("4/8")), 5.0 / 9.0);
}

TEST(Dbb, QuantizingAfterPruningKeepsTheBound) {
  WeightTensor w{16, 64, 3, 3, {}};
  generate_weights(w, SyntheticSpec{});
  dbb_prune(w, parse_dbb("4/8"));
  QuantSpec spec;
  for (const std::string name : {"rtn", "ant", "squant"}) {
    const QuantizedWeights q = make_weight_quantizer(name)->quantize(w, spec);
    WeightTensor qw = w;
    qw.data = q.values;
    // Zero is on every grid (SQuant's zero point is an integer), and SQuant never flips an
    // element with no rounding error, so pruned weights stay zero.
    EXPECT_TRUE(satisfies_dbb(qw, parse_dbb("4/8"))) << name;
    EXPECT_LE(quant_error(w.data, q.values).density, 0.5 + 1e-12) << name;
  }
}

TEST(Dbb, ParseErrors) {
  EXPECT_THROW(parse_dbb("9/8"), std::invalid_argument);
  EXPECT_THROW(parse_dbb("0/8"), std::invalid_argument);
  EXPECT_THROW(parse_dbb("4-8"), std::invalid_argument);
  EXPECT_THROW(parse_dbb("4/8x"), std::invalid_argument);
  EXPECT_EQ(parse_dbb("3/16").bz, 16);
}

TEST(Dbb, ActivationDensityModel) {
  EXPECT_DOUBLE_EQ(activation_dbb_density(8, 8, 0.5), 0.5);  // no pruning: the ReLU's half
  EXPECT_NEAR(activation_dbb_density(4, 8, 0.5),
              (1 * 8 + 2 * 28 + 3 * 56 + 4 * (70 + 56 + 28 + 8 + 1)) / 256.0 / 8, 1e-12);
  EXPECT_DOUBLE_EQ(activation_dbb_density(2, 8, 1.0), 0.25);  // dense input: exactly NNZ/BZ
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

TEST(Dbb, AutoActivationNnzKeepsTheAskedEnergy) {
  // Every block: one large value and seven small: 100 + 7 x 1 = 107 per block.
  std::vector<float> sample;
  for (int b = 0; b < 16; ++b) {
    for (int i = 0; i < 8; ++i) sample.push_back(i == b % 8 ? 10.0f : 1.0f);
  }
  EXPECT_EQ(activation_nnz_for_keep(sample, 8, 0.9), 1);   // 100/107 = 0.935
  EXPECT_EQ(activation_nnz_for_keep(sample, 8, 0.95), 3);  // 102/107 = 0.953
  EXPECT_EQ(activation_nnz_for_keep(sample, 8, 1.0), 8);
  EXPECT_EQ(activation_nnz_for_keep(std::vector<float>(64, 0.0f), 8, 0.99), 8);
}

}  // namespace
}  // namespace strata
