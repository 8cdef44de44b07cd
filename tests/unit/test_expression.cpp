#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

#include "sim/sweep/expression.h"

namespace strata {
namespace {

ExprValue lookup(const std::string& key) {
  static const std::map<std::string, ExprValue> values = {
      {"array.rows", {false, 32, ""}},
      {"array.cols", {false, 16, ""}},
      {"array.dataflow", {true, 0, "ws"}},
      {"buffers.input.double_buffered", {false, 1, ""}}};
  auto it = values.find(key);
  if (it == values.end()) throw std::invalid_argument("unknown key '" + key + "'");
  return it->second;
}

bool holds(const std::string& text) { return Expression::parse(text).holds(lookup); }

TEST(Expression, ArithmeticComparisonsAndLogic) {
  EXPECT_TRUE(holds("array.rows * array.cols == 512"));
  EXPECT_TRUE(holds("array.rows + array.cols * 2 == 64"));  // * binds tighter
  EXPECT_TRUE(holds("(array.rows + array.cols) * 2 == 96"));
  EXPECT_TRUE(holds("array.rows % 5 == 2 && -array.cols < 0"));
  EXPECT_TRUE(holds("array.rows <= 32 && array.rows >= 32 && array.rows != 31"));
  EXPECT_FALSE(holds("array.rows < 32 || array.cols > 16"));
  EXPECT_TRUE(holds("array.dataflow == \"ws\" && array.dataflow != \"os\""));
  EXPECT_TRUE(holds("buffers.input.double_buffered == true && !false"));
  EXPECT_TRUE(holds("array.rows / array.cols == 2"));
  const Expression e =
      Expression::parse("array.rows * array.cols <= 1024 || array.dataflow == \"is\"");
  EXPECT_EQ(e.keys(), (std::vector<std::string>{"array.rows", "array.cols", "array.dataflow"}));
}

TEST(Expression, ErrorsNameTheOffset) {
  auto error = [](const std::string& text) {
    try {
      Expression::parse(text);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error("array.rows <= (4"), "expected ')' at offset 16");
  EXPECT_EQ(error("array.rows ^ 2"), "unexpected '^' at offset 11");
  EXPECT_EQ(error("\"open"), "unterminated string at offset 0");
  EXPECT_EQ(error("array.rows *"), "expression ends early at offset 12");
  EXPECT_THROW(holds("array.dataflow < 3"), std::invalid_argument);
  EXPECT_THROW(holds("array.rowz > 3"), std::invalid_argument);
}

}  // namespace
}  // namespace strata

#include <cstdio>

#include "common/fnv1a.h"
#include "sim/config/config_tree.h"
#include "sim/config/param_specs.h"
#include "sim/sweep/sweep_spec.h"

namespace strata {
namespace {

// Planning sets each point's resolved axis values into the resolved base instead of resolving
// every point; each point's id must still be the hash of its fully resolved config.
TEST(SweepPlan, PointIdsAreTheHashOfTheFullyResolvedConfig) {
  for (const char* spec_name :
       {"ant_bits_size_dataflow.json", "s2ta_nnz_shape.json", "buffer_dram_bound.json"}) {
    const SweepSpec spec =
        load_sweep_spec(std::string(STRATA_SOURCE_DIR) + "/configs/sweeps/" + spec_name);
    const SweepPlan plan = plan_sweep(spec);
    ASSERT_FALSE(plan.points.empty()) << spec_name;
    for (const auto& p : plan.points) {
      ConfigTree tree = ConfigTree::load(spec.base);
      for (const auto& o : p.overrides) tree.set_override(o);
      char id[17];
      std::snprintf(id, sizeof id, "%016llx",
                    static_cast<unsigned long long>(fnv1a64(resolve_config(tree).values.dump())));
      EXPECT_EQ(p.id, id) << spec_name << " " << p.axes.dump();
    }
  }
}

TEST(Expression, DeepNestingIsRefusedNotACrash) {
  EXPECT_THROW(Expression::parse(std::string(2000, '(') + "1" + std::string(2000, ')')),
               std::invalid_argument);
  EXPECT_THROW(Expression::parse(std::string(1000000, '!') + "1"), std::invalid_argument);
  EXPECT_THROW(Expression::parse(std::string(100, '-') + "1"), std::invalid_argument);
  EXPECT_NO_THROW(Expression::parse(std::string(60, '(') + "1" + std::string(60, ')')));
}

}  // namespace
}  // namespace strata
