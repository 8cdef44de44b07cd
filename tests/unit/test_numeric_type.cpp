#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

#include "workloads/quant/numeric_type.h"

namespace strata {
namespace {

std::vector<int64_t> grid_of(TypeKind k, int bits, bool is_signed) {
  const TypeCodec codec(make_type(k, bits, is_signed));
  return {codec.grid().begin(), codec.grid().end()};
}

std::vector<int64_t> symmetric(std::vector<int64_t> magnitudes) {
  std::set<int64_t> s;
  for (int64_t m : magnitudes) {
    s.insert(m);
    s.insert(-m);
  }
  return {s.begin(), s.end()};
}

// docs/references.md §1.1, the 4-bit table, exactly.
TEST(NumericType, FourBitGridsMatchReference) {
  using V = std::vector<int64_t>;
  EXPECT_EQ(grid_of(TypeKind::kInt, 4, false),
            (V{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}));
  EXPECT_EQ(grid_of(TypeKind::kInt, 4, true),
            (V{-8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(grid_of(TypeKind::kFlint, 4, false),
            (V{0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 24, 32, 64}));
  EXPECT_EQ(grid_of(TypeKind::kFlint, 4, true), symmetric({0, 1, 2, 3, 4, 6, 8, 16}));
  V pot{0};
  for (int e = 0; e <= 14; ++e) pot.push_back(int64_t{1} << e);
  EXPECT_EQ(grid_of(TypeKind::kPot, 4, false), pot);
  EXPECT_EQ(grid_of(TypeKind::kPot, 4, true), symmetric({0, 1, 2, 4, 8, 16, 32, 64}));
  // float, 3 exponent bits, subnormal at exponent 0; in units of 0.5 for the unsigned one.
  EXPECT_EQ(grid_of(TypeKind::kFloat, 4, false),
            (V{0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192}));
  EXPECT_EQ(grid_of(TypeKind::kFloat, 4, true), symmetric({0, 1, 2, 4, 8, 16, 32, 64}));
  EXPECT_EQ(grid_of(TypeKind::kFlint, 4, true).size(), 15u);  // +0 and -0 collapse
}

// docs/references.md §1.1: 8-bit unsigned flint (x128 units) and signed flint (x64 units) by
// ranges.
TEST(NumericType, EightBitFlintMatchesReference) {
  auto expected = [](std::vector<std::tuple<int64_t, int64_t, int64_t>> ranges,
                     std::vector<int64_t> singles) {
    std::vector<int64_t> v;
    for (auto [lo, hi, step] : ranges) {
      for (int64_t x = lo; x <= hi; x += step) v.push_back(x);
    }
    v.insert(v.end(), singles.begin(), singles.end());
    return v;
  };
  EXPECT_EQ(grid_of(TypeKind::kFlint, 8, false), expected({{0, 127, 1},
                                                           {128, 254, 2},
                                                           {256, 504, 8},
                                                           {512, 992, 32},
                                                           {1024, 1920, 128},
                                                           {2048, 3584, 512}},
                                                          {4096, 6144, 8192, 16384}));
  EXPECT_EQ(
      grid_of(TypeKind::kFlint, 8, true),
      symmetric(expected({{0, 63, 1}, {64, 126, 2}, {128, 248, 8}, {256, 480, 32}, {512, 896, 128}},
                         {1024, 1536, 2048, 4096})));
  EXPECT_EQ(grid_of(TypeKind::kFlint, 8, false).size(), 256u);
  EXPECT_EQ(grid_of(TypeKind::kFlint, 8, true).size(), 255u);
}

// The flint grid formula of docs/references.md §1.1, enumerated independently of the codec.
std::vector<int64_t> flint_formula(int m) {
  std::set<int64_t> s;
  for (int64_t v = 0; v < (int64_t{1} << (m - 1)); ++v) s.insert(v);
  for (int k = 0; k <= m - 2; ++k) {
    for (int64_t t = 0; t < (int64_t{1} << (m - 2 - k)); ++t) {
      s.insert((int64_t{1} << (m - 1 + k)) + t * (int64_t{1} << (2 * k + 1)));
    }
  }
  s.insert(int64_t{1} << (2 * m - 2));
  return {s.begin(), s.end()};
}

class EveryWidth : public ::testing::TestWithParam<int> {};

TEST_P(EveryWidth, FlintGridFollowsTheFormula) {
  const int b = GetParam();
  EXPECT_EQ(grid_of(TypeKind::kFlint, b, false), flint_formula(b));
  EXPECT_EQ(grid_of(TypeKind::kFlint, b, true), symmetric(flint_formula(b - 1)));
}

TEST_P(EveryWidth, EveryCodeRoundTripsAndDecodesToSignificandShift) {
  const int b = GetParam();
  for (TypeKind k : {TypeKind::kInt, TypeKind::kPot, TypeKind::kFlint, TypeKind::kFloat}) {
    for (bool s : {false, true}) {
      const TypeCodec codec(make_type(k, b, s));
      const std::set<double> grid(codec.grid().begin(), codec.grid().end());
      for (uint32_t code = 0; code < codec.code_count(); ++code) {
        const Decoded d = codec.decode(code);
        EXPECT_TRUE(grid.count(d.value())) << codec.type().name() << " code " << code;
        EXPECT_GE(d.shift, 0);
        if (k == TypeKind::kInt) {
          EXPECT_EQ(d.shift, 0);
        }
        if (k == TypeKind::kPot && d.value() != 0) {
          EXPECT_EQ(std::abs(d.significand), 1);
        }
        // Every code re-encodes to a code with the same value.
        EXPECT_EQ(codec.decode_value(codec.encode(d.value())), d.value());
      }
      for (double v : codec.grid())
        EXPECT_EQ(codec.decode_value(codec.encode(v)), v) << codec.type().name();
      EXPECT_EQ(codec.grid().size(),
                s && k != TypeKind::kInt ? codec.code_count() - 1 : codec.code_count());
    }
  }
}

TEST_P(EveryWidth, NearestTiesGoToTheLargerValue) {
  const int b = GetParam();
  for (TypeKind k : {TypeKind::kInt, TypeKind::kPot, TypeKind::kFlint, TypeKind::kFloat}) {
    for (bool s : {false, true}) {
      const TypeCodec codec(make_type(k, b, s));
      const auto& g = codec.grid();
      for (size_t i = 0; i + 1 < g.size(); ++i) {
        const double mid = 0.5 * (g[i] + g[i + 1]);
        EXPECT_EQ(codec.nearest(mid), g[i + 1]);
        EXPECT_EQ(codec.nearest(std::nextafter(mid, -1e300)), g[i]);
        EXPECT_EQ(codec.nearest(g[i]), g[i]);
      }
      EXPECT_EQ(codec.nearest(1e300), g.back());  // clamps
      EXPECT_EQ(codec.nearest(-1e300), g.front());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Bits, EveryWidth, ::testing::Values(3, 4, 6, 8));

TEST(NumericType, FlintDecoderBoundsAtFourBits) {
  const TypeCodec u(make_type(TypeKind::kFlint, 4, false));
  for (uint32_t c = 0; c < 16; ++c) {
    EXPECT_LE(u.decode(c).significand, 7);
    EXPECT_LE(u.decode(c).shift, 6);
  }
  // docs/references.md §1.2: 10mm = (4+mm)*2, 110m = (2+m)*8, 1110 = 32, 1111 = 64.
  EXPECT_EQ(u.decode_value(0b1011), 14);
  EXPECT_EQ(u.decode_value(0b1101), 24);
  EXPECT_EQ(u.decode_value(0b1110), 32);
  EXPECT_EQ(u.decode_value(0b1111), 64);
  EXPECT_EQ(u.decode_value(0b0110), 6);
  const TypeCodec s(make_type(TypeKind::kFlint, 4, true));
  EXPECT_EQ(s.decode_value(0b0101), 6);  // 10m = (2+m)*2
  EXPECT_EQ(s.decode_value(0b1111), -16);
  EXPECT_EQ(s.encode(0), 0u);
}

TEST(NumericType, NamesAndErrors) {
  EXPECT_EQ(make_type(TypeKind::kFlint, 4, false).name(), "uflint4");
  EXPECT_EQ(make_type(TypeKind::kFloat, 8, true).name(), "float8e4");
  EXPECT_THROW(make_type(TypeKind::kInt, 9, true), std::invalid_argument);
  EXPECT_THROW(make_type(TypeKind::kFloat, 4, true, 4), std::invalid_argument);
  EXPECT_THROW(TypeCodec(make_type(TypeKind::kInt, 4, true)).encode(9), std::invalid_argument);
  EXPECT_EQ(parse_type_kind("pot"), TypeKind::kPot);
}

}  // namespace
}  // namespace strata

#include <random>

namespace strata {
namespace {

// The int grids' arithmetic nearest index equals the search over the midpoints everywhere,
// including exact ties (which round up), values far outside the grid and infinities.
TEST(TypeCodec, ArithmeticNearestIndexEqualsTheSearch) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-300, 300);
  for (int bits = 2; bits <= 8; ++bits) {
    for (bool is_signed : {true, false}) {
      const TypeCodec codec(make_type(TypeKind::kInt, bits, is_signed));
      const auto& g = codec.grid();
      auto searched = [&](double x) {
        size_t i = 0;
        while (i + 1 < g.size() && 0.5 * (g[i] + g[i + 1]) <= x) ++i;
        return i;
      };
      std::vector<double> xs = {-1e300, 1e300, -INFINITY, INFINITY, 0.0, -0.0};
      for (size_t i = 0; i + 1 < g.size(); ++i) {
        const double m = 0.5 * (g[i] + g[i + 1]);
        xs.insert(xs.end(), {m, std::nextafter(m, -1e9), std::nextafter(m, 1e9), g[i]});
      }
      for (int k = 0; k < 2000; ++k) xs.push_back(u(rng) / (1 << (k % 12)));
      for (double x : xs) {
        ASSERT_EQ(codec.nearest_index(x), searched(x)) << bits << " bits, x = " << x;
      }
    }
  }
}

}  // namespace
}  // namespace strata
