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
