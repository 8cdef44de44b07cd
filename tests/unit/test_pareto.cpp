#include <gtest/gtest.h>

#include <random>

#include "common/input_error.h"
#include "sim/sweep/pareto.h"

namespace strata {
namespace {

// The front equals a brute-force dominance check, for minimizing and maximizing.
TEST(Pareto, FrontMatchesBruteForceDominance) {
  std::mt19937 rng(4);
  std::uniform_int_distribution<int> v(0, 20);  // small range: many ties
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<ParetoPoint> pts;
    for (size_t i = 0; i < 40; ++i) pts.push_back({i, double(v(rng)), double(v(rng))});
    for (bool mx : {false, true}) {
      for (bool my : {false, true}) {
        const auto front = pareto_front(pts, mx, my);
        auto better = [&](double a, double b, bool max) { return max ? a > b : a < b; };
        auto at_least = [&](double a, double b, bool max) { return max ? a >= b : a <= b; };
        std::vector<size_t> expected;
        for (const auto& p : pts) {
          bool dominated = false;
          for (const auto& q : pts) {
            dominated |= at_least(q.x, p.x, mx) && at_least(q.y, p.y, my) &&
                         (better(q.x, p.x, mx) || better(q.y, p.y, my));
          }
          if (!dominated) expected.push_back(p.row);
        }
        std::vector<size_t> got;
        for (const auto& p : front) got.push_back(p.row);
        std::sort(got.begin(), got.end());
        EXPECT_EQ(got, expected);
        for (size_t i = 1; i < front.size(); ++i) EXPECT_LE(front[i - 1].x, front[i].x);
      }
    }
  }
}

TEST(Pareto, CsvWithQuotedFieldsAndErrors) {
  const CsvTable t = parse_csv("a,b,c\n1,\"x, \"\"y\"\"\",3\n4,5,6\n", "r.csv");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0][1], "x, \"y\"");
  EXPECT_EQ(t.column("c", "r.csv"), 2u);
  EXPECT_THROW(t.column("d", "r.csv"), InputError);
  try {
    parse_csv("a,b\n1,2,3\n", "r.csv");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "r.csv:2: expected 2 fields, got 3");
  }
}

}  // namespace
}  // namespace strata
