#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <tuple>

#include "workloads/quant/clip_search.h"
#include "workloads/quant/olive.h"
#include "workloads/quant/quantizers.h"
#include "workloads/quant/squant.h"
#include "workloads/quant/synthetic_draws.h"
#include "workloads/quant/synthetic_weights.h"

namespace strata {
namespace {

WeightTensor synthetic(int64_t out, int64_t in, int64_t k, const std::string& dist, uint64_t seed,
                       double outliers = 0) {
  WeightTensor w{out, in, k, k, {}};
  SyntheticSpec s;
  s.distribution = dist;
  s.seed = seed;
  s.outlier_fraction = outliers;
  generate_weights(w, s);
  return w;
}

double sqnr(const WeightTensor& w, const QuantizedWeights& q) {
  return quant_error(w.data, q.values).sqnr_db;
}

// docs/references.md §2, both test vectors: one channel, three 1x3 kernels, grid units.
TEST(Squant, ReproducesTheReferenceTestVectors) {
  const SquantShape shape{1, 3, 3};
  const std::vector<double> a = {0.6, 0.7, 0.8, 0.3, 0.2, 0.45, 1.4, 1.2, 1.35};
  EXPECT_EQ(squant_round(a, shape, -8, 7, false),
            (std::vector<int64_t>{0, 1, 1, 0, 0, 1, 2, 1, 1}));
  EXPECT_EQ(squant_round(a, shape, -8, 7), (std::vector<int64_t>{0, 1, 1, 0, 0, 1, 2, 1, 1}));
  const std::vector<double> b = {0.3, 0.1, 0.05, 0.25, 0.15, 0.05, 0.35, 0.1, 0.0};
  EXPECT_EQ(squant_round(b, shape, -8, 7), (std::vector<int64_t>{0, 0, 0, 0, 0, 0, 1, 0, 0}));
}

double sum_error(const std::vector<double>& x, const std::vector<int64_t>& q, int64_t begin,
                 int64_t end) {
  double s = 0;
  for (int64_t i = begin; i < end; ++i) s += q[i] - x[i];
  return s;
}

// Property tests on random weight tensors mapped onto SQuant's grid (docs/references.md §2 and the
// issue's guarantees): after stage K every kernel's error sum is within 0.5; after stage C every
// channel's is within 0.5, each kernel's within 1, and stage C moved at most one element per
// kernel.
TEST(Squant, KernelAndChannelErrorBoundsOnRandomTensors) {
  std::mt19937_64 g(7);
  for (int trial = 0; trial < 300; ++trial) {
    const int64_t channels = 1 + g() % 6, kernels = 1 + g() % 48,
                  k = std::vector<int64_t>{2, 3, 5}[g() % 3];
    const int bits = 2 + g() % 7;
    const WeightTensor w = synthetic(channels, kernels, k, g() % 2 ? "gaussian" : "laplace", g());
    const SquantGrid grid = squant_grid(w, bits);
    const SquantShape shape{channels, kernels, k * k};
    const auto after_k = squant_round(grid.x, shape, grid.t_min, grid.t_max, false);
    const auto after_c = squant_round(grid.x, shape, grid.t_min, grid.t_max, true);
    const auto& x = grid.x;
    const std::string what = "trial " + std::to_string(trial) + " bits " + std::to_string(bits);
    for (int64_t c = 0; c < channels; ++c) {
      const int64_t base = c * kernels * k * k;
      for (int64_t kk = 0; kk < kernels; ++kk) {
        const int64_t b = base + kk * k * k, e = b + k * k;
        EXPECT_LE(std::fabs(sum_error(x, after_k, b, e)), 0.5 + 1e-9) << what;
        EXPECT_LE(std::fabs(sum_error(x, after_c, b, e)), 1.0 + 1e-9) << what;
        int64_t moved = 0;
        for (int64_t i = b; i < e; ++i) moved += after_c[i] != after_k[i];
        EXPECT_LE(moved, 1) << what;
      }
      EXPECT_LE(std::fabs(sum_error(x, after_c, base, base + kernels * k * k)), 0.5 + 1e-9) << what;
    }
    for (size_t i = 0; i < x.size(); ++i) {
      EXPECT_GE(after_c[i], grid.t_min);
      EXPECT_LE(after_c[i], grid.t_max);
    }
  }
}

TEST(Squant, QuantizerBeatsRtnOnAsymmetricGrid) {
  const WeightTensor w = synthetic(64, 32, 3, "gaussian", 11);
  QuantSpec spec;
  spec.bits = 4;
  const QuantizedWeights sq = SquantQuantizer().quantize(w, spec);
  EXPECT_EQ(sq.type_name, "int");
  ASSERT_EQ(sq.scales.size(), 64u);
  // Its values decode from the codes: (grid(code) - zero_point) * scale.
  const TypeCodec codec(sq.type);
  for (size_t i = 0; i < w.data.size(); i += 97) {
    const size_t o = i / static_cast<size_t>(w.per_channel());
    EXPECT_NEAR((codec.decode_value(sq.codes[i]) - sq.zero_points[o]) * sq.scales[o], sq.values[i],
                1e-6);
  }
  // Element-wise SQuant trades a little MSE for cancelled sums; it must stay close to RTN.
  spec.symmetric = false;
  const QuantizedWeights rtn = RtnQuantizer().quantize(w, spec);
  EXPECT_GT(sqnr(w, sq), sqnr(w, rtn) - 1.5);
}

TEST(Rtn, SymmetricAndAsymmetricPerChannelAndPerTensor) {
  const WeightTensor w = synthetic(16, 8, 3, "gaussian", 3);
  QuantSpec spec;
  spec.bits = 8;
  const QuantizedWeights sym = RtnQuantizer().quantize(w, spec);
  EXPECT_GT(sqnr(w, sym), 35.0);  // 8-bit: ~6 dB per bit
  spec.per_channel = false;
  const QuantizedWeights tensor = RtnQuantizer().quantize(w, spec);
  EXPECT_EQ(tensor.scales.front(), tensor.scales.back());
  EXPECT_LE(sqnr(w, tensor), sqnr(w, sym) + 1e-9);
  spec.symmetric = false;
  spec.per_channel = true;
  const QuantizedWeights asym = RtnQuantizer().quantize(w, spec);
  EXPECT_FALSE(asym.type.is_signed);
  EXPECT_GT(sqnr(w, asym), 35.0);
}

TEST(Ant, NeverWorseThanRtnIntAndPicksNonUniformTypesForHeavyTails) {
  QuantSpec spec;
  spec.bits = 4;
  const WeightTensor laplace = synthetic(64, 64, 3, "laplace", 5);
  const QuantizedWeights ant = AntQuantizer().quantize(laplace, spec);
  const QuantizedWeights rtn = RtnQuantizer().quantize(laplace, spec);
  EXPECT_GE(sqnr(laplace, ant), sqnr(laplace, rtn));
  EXPECT_NE(ant.type_name, "int") << "heavy-tailed weights favour flint or PoT at 4 bits";
  // Only int is tried above 6 bits.
  spec.bits = 8;
  EXPECT_EQ(AntQuantizer().quantize(laplace, spec).type_name, "int");
  // Restricting candidates to int gives the int result.
  spec.bits = 4;
  spec.candidates = {TypeKind::kInt};
  EXPECT_EQ(AntQuantizer().quantize(laplace, spec).type_name, "int");
}

// Long channels (the sorted walk) and 9-tap depthwise channels (the event search) alike.
class AntBruteForce : public ::testing::TestWithParam<std::tuple<int64_t, int64_t>> {};

TEST_P(AntBruteForce, TypeChoiceMatchesABruteForceSearch) {
  const auto [out, in] = GetParam();
  const WeightTensor w = synthetic(out, in, 3, "laplace", 9);
  QuantSpec spec;
  spec.bits = 4;
  spec.allow_float = true;
  const QuantizedWeights ant = AntQuantizer().quantize(w, spec);
  // Brute force: quantize every channel at every ratio element by element.
  double best_total = 1e300;
  std::string best_type;
  for (TypeKind k : ant_candidates(spec)) {
    const TypeCodec codec(make_type(k, 4, true));
    double total = 0;
    for (int64_t o = 0; o < w.out_channels; ++o) {
      double x_max = 0;
      for (int64_t i = 0; i < w.per_channel(); ++i)
        x_max = std::max(x_max, double(std::fabs(w.channel(o)[i])));
      double best = 1e300;
      for (double r : ant_clip_ratios(4)) {
        const double scale = x_max * r / codec.max_value();
        double e = 0;
        for (int64_t i = 0; i < w.per_channel(); ++i) {
          const double v = w.channel(o)[i], d = v - codec.nearest(v / scale) * scale;
          e += d * d;
        }
        best = std::min(best, e);
      }
      total += best;
    }
    if (total < best_total * (1 - 1e-12)) {
      best_total = total;
      best_type = to_string(k);
    }
  }
  EXPECT_EQ(ant.type_name, best_type);
  EXPECT_NEAR(quant_error(w.data, ant.values).mse * w.size(), best_total,
              best_total * 1e-6);  // float storage
}

INSTANTIATE_TEST_SUITE_P(ChannelLengths, AntBruteForce,
                         ::testing::Values(std::make_tuple(8, 16), std::make_tuple(64, 1),
                                           std::make_tuple(16, 6)));

// Both clip-search methods (crossing events below 64 values, bins above) against quantizing the
// channel at every clip, for signed and unsigned, symmetric and two's-complement grids.
TEST(ClipSearch, EveryTypesBestClipMatchesBruteForce) {
  std::mt19937_64 g(5);
  for (int bits : {2, 3, 4, 6, 8}) {
    for (bool is_signed : {true, false}) {
      std::vector<TypeCodec> codecs;
      for (TypeKind k : {TypeKind::kInt, TypeKind::kFlint, TypeKind::kPot, TypeKind::kFloat}) {
        if (k == TypeKind::kFloat && bits < 4) continue;
        codecs.emplace_back(make_type(k, bits, is_signed));
      }
      const std::vector<double> ratios = ant_clip_ratios(bits);
      ClipSearch search(codecs, ratios);
      for (int64_t n : {9, 63, 64, 200, 1500}) {
        std::vector<float> x(static_cast<size_t>(n));
        std::student_t_distribution<float> dist(3.0f);
        for (float& v : x) v = is_signed ? dist(g) : std::fabs(dist(g));
        x[3] = 0.0f;  // a zero and a repeated value
        x[4] = x[5];
        double x_max = 0;
        for (float v : x) x_max = std::max(x_max, std::fabs(double(v)));
        const std::vector<ClipChoice>& best = search.search(x.data(), n);
        ASSERT_EQ(best.size(), codecs.size());
        for (size_t t = 0; t < codecs.size(); ++t) {
          auto sse = [&](double alpha) {
            const double scale = alpha / codecs[t].max_value();
            double e = 0;
            for (float v : x) {
              const double d = v - codecs[t].nearest(v / scale) * scale;
              e += d * d;
            }
            return e;
          };
          double brute = 1e300;
          for (double r : ratios) brute = std::min(brute, sse(x_max * r));
          SCOPED_TRACE(codecs[t].type().name() + " n=" + std::to_string(n));
          EXPECT_NEAR(best[t].error, brute, 1e-9 * brute + 1e-12);
          EXPECT_NEAR(sse(best[t].alpha), brute, 1e-9 * brute + 1e-12);
        }
      }
    }
  }
}

// quantize_span's two kernels (narrow grids count the boundaries each value reaches, wide ones
// search them) against the definition: a value's cell is the number of cell boundaries (grid
// midpoints times the scale, ties going up) at or below it.
TEST(QuantizeSpan, EveryValueLandsInTheCellItsBoundariesDefine) {
  std::mt19937_64 g(11);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  for (int bits : {3, 4, 8}) {
    for (TypeKind kind : {TypeKind::kInt, TypeKind::kFlint}) {
      const TypeCodec codec(make_type(kind, bits, true));
      const std::vector<double>& grid = codec.grid();
      const double scale = 0.037;
      std::vector<float> x;
      for (int i = 0; i < 997; ++i) {
        x.push_back(dist(g) * static_cast<float>(codec.max_value() * scale / 2));
      }
      for (size_t j = 0; j + 1 < grid.size(); ++j) {  // the boundaries themselves
        x.push_back(static_cast<float>(0.5 * (grid[j] + grid[j + 1]) * scale));
      }
      x.push_back(0.0f);
      x.push_back(1e6f);
      x.push_back(-1e6f);
      std::vector<uint8_t> codes(x.size());
      std::vector<float> out(x.size());
      quantize_span(codec, x.data(), static_cast<int64_t>(x.size()), scale, codes.data(),
                    out.data());
      for (size_t i = 0; i < x.size(); ++i) {
        size_t cell = 0;
        for (size_t j = 0; j + 1 < grid.size(); ++j) {
          cell += static_cast<double>(x[i]) >= 0.5 * (grid[j] + grid[j + 1]) * scale;
        }
        ASSERT_EQ(codes[i], codec.code_at(cell)) << codec.type().name() << " x=" << x[i];
        ASSERT_EQ(out[i], static_cast<float>(grid[cell] * scale)) << codec.type().name();
      }
    }
  }
}

TEST(ClipSearch, NearlyEqualErrorsGoToTheEarlierCandidate) {
  EXPECT_EQ(lowest_error_index({2.0, 1.0, 3.0}), 1u);
  EXPECT_EQ(lowest_error_index({1.0, 1.0 - 1e-13, 0.5 + 0.5}), 0u);
  EXPECT_EQ(lowest_error_index({1.0, 0.999}), 1u);
}

TEST(Olive, BeatsInt4OnOutlierHeavyTensorsAndDecodesItsPairs) {
  const WeightTensor w = synthetic(32, 96, 1, "gaussian", 21, 0.01);
  QuantSpec spec;
  spec.bits = 4;
  const QuantizedWeights olive = OliveQuantizer().quantize(w, spec);
  const QuantizedWeights rtn = RtnQuantizer().quantize(w, spec);
  EXPECT_GT(sqnr(w, olive), sqnr(w, rtn) + 3.0);
  const int64_t n = w.per_channel();
  int victims = 0;
  for (int64_t o = 0; o < w.out_channels; ++o) {
    for (int64_t i = 0; i < n; ++i) {
      const int64_t k = o * n + i, partner = (i % 2 == 0) ? k + 1 : k - 1;
      EXPECT_NEAR(olive_decode(olive.codes[k], olive.codes[partner], olive.scales[o]),
                  olive.values[k], 1e-6);
      victims += olive.codes[k] == kOliveVictimCode;
    }
  }
  EXPECT_GT(victims, 0);
  spec.bits = 8;
  EXPECT_THROW(OliveQuantizer().quantize(w, spec), std::invalid_argument);
}

// A comparison's configs share one network's draws: the cache gives generate_weights' bits, and
// keeps within its bytes by dropping the oldest draws.
TEST(Synthetic, SharedDrawsAreTheSameBitsAndStayWithinTheirBytes) {
  SyntheticDrawCache cache(3 * 64 * 64 * 9 * sizeof(float));
  auto draw = [&](uint64_t seed, bool cached) {
    WeightTensor w{64, 64, 3, 3, {}};
    SyntheticSpec s;
    s.seed = seed;
    s.outlier_fraction = seed % 2 ? 0.01 : 0;
    if (cached) {
      cache.generate(w, s);
    } else {
      generate_weights(w, s);
    }
    return w.data;
  };
  for (uint64_t seed = 1; seed <= 4; ++seed) EXPECT_EQ(draw(seed, true), draw(seed, false));
  EXPECT_EQ(cache.hits(), 0);
  // Seeds 2, 3 and 4 fit; seed 1, the oldest, was dropped for seed 4.
  for (uint64_t seed : {4, 3, 2}) EXPECT_EQ(draw(seed, true), draw(seed, false));
  EXPECT_EQ(cache.hits(), 3);
  EXPECT_EQ(draw(1, true), draw(1, false));
  EXPECT_EQ(cache.hits(), 3);
  // Another shape or distribution is another draw.
  WeightTensor other{64, 64, 1, 1, {}};
  cache.generate(other, SyntheticSpec{});
  EXPECT_EQ(other.data.size(), 64u * 64u);
  EXPECT_EQ(cache.hits(), 3);
}

TEST(Synthetic, SeededAndScaledByFanIn) {
  const WeightTensor a = synthetic(16, 64, 3, "gaussian", 1),
                     b = synthetic(16, 64, 3, "gaussian", 1);
  EXPECT_EQ(a.data, b.data);
  EXPECT_NE(a.data, synthetic(16, 64, 3, "gaussian", 2).data);
  double sq = 0;
  for (float v : a.data) sq += v * v;
  EXPECT_NEAR(std::sqrt(sq / a.data.size()), std::sqrt(2.0 / (64 * 9)),
              0.01 * std::sqrt(2.0 / (64 * 9)) * 5);
  EXPECT_NE(layer_seed(1, "conv1"), layer_seed(1, "conv2"));
  EXPECT_THROW(make_weight_quantizer("gptq"), std::invalid_argument);
}

}  // namespace
}  // namespace strata
