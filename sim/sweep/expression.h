#pragma once
// Constraint expressions of a sweep spec (docs/sweeps.md): arithmetic and comparisons over config
// key paths, e.g. "array.rows * array.cols == 1024" or
// "buffers.input.size_kib + buffers.weight.size_kib <= 1024 && array.dataflow != \"is\"".
// Grammar: || && (lowest), == != < <= > >=, + -, * / %, unary - !, numbers, "strings",
// true/false, key paths, parentheses. Booleans are 1/0.
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace strata {

// Bounds that keep parsing and evaluation within a small stack for any input.
constexpr size_t kMaxExpressionChars = 4096;
constexpr int kMaxExpressionNesting = 64;

struct ExprValue {
  bool is_string = false;
  double number = 0;
  std::string text;
};

class Expression {
 public:
  // Throws std::invalid_argument naming the character offset on a syntax error.
  static Expression parse(const std::string& text);
  // The key paths the expression reads, for validation before anything runs.
  const std::vector<std::string>& keys() const { return keys_; }
  // `lookup` gives a key path's value (throws for unknown keys). Type errors throw
  // std::invalid_argument.
  ExprValue evaluate(const std::function<ExprValue(const std::string&)>& lookup) const;
  bool holds(const std::function<ExprValue(const std::string&)>& lookup) const;

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
  std::vector<std::string> keys_;
};

}  // namespace strata
