#include "sim/sweep/expression.h"

#include <cctype>
#include <cmath>
#include <stdexcept>

namespace strata {

struct Expression::Node {
  enum Kind { kNumber, kString, kKey, kUnary, kBinary } kind = kNumber;
  double number = 0;
  std::string text;  // string literal, key path or operator
  std::shared_ptr<const Node> left, right;
};

namespace {

using NodePtr = std::shared_ptr<const Expression::Node>;

class Parser {
 public:
  Parser(const std::string& s, std::vector<std::string>* keys) : s_(s), keys_(keys) {}

  NodePtr parse() {
    if (s_.size() > kMaxExpressionChars) {
      throw std::invalid_argument("longer than " + std::to_string(kMaxExpressionChars) +
                                  " characters");
    }
    NodePtr n = binary(0);
    skip();
    if (pos_ != s_.size()) fail("unexpected '" + std::string(1, s_[pos_]) + "'");
    return n;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::invalid_argument(what + " at offset " + std::to_string(pos_));
  }
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool take(const std::string& op) {
    skip();
    if (s_.compare(pos_, op.size(), op) != 0) return false;
    // "<" must not match the start of "<=", nor "=" of "==" and so on.
    if (op.size() == 1 && pos_ + 1 < s_.size() && s_[pos_ + 1] == '=' &&
        (op == "<" || op == ">" || op == "!" || op == "="))
      return false;
    pos_ += op.size();
    return true;
  }

  // Precedence levels, lowest first.
  NodePtr binary(int level) {
    static const std::vector<std::vector<std::string>> levels = {
        {"||"}, {"&&"}, {"==", "!=", "<=", ">=", "<", ">"}, {"+", "-"}, {"*", "/", "%"}};
    if (level == static_cast<int>(levels.size())) return unary();
    NodePtr left = binary(level + 1);
    while (true) {
      std::string matched;
      for (const auto& op : levels[level]) {
        if (take(op)) {
          matched = op;
          break;
        }
      }
      if (matched.empty()) return left;
      auto n = std::make_shared<Expression::Node>();
      n->kind = Expression::Node::kBinary;
      n->text = matched;
      n->left = left;
      n->right = binary(level + 1);
      left = n;
      if (level == 2) return left;  // comparisons do not chain
    }
  }

  // Parentheses and unary operators nest; the parser and the evaluator recurse on them.
  void enter() {
    if (++depth_ > kMaxExpressionNesting) {
      fail("nested deeper than " + std::to_string(kMaxExpressionNesting) +
           " parentheses or unary operators");
    }
  }

  NodePtr unary() {
    for (const char* op : {"-", "!"}) {
      if (take(op)) {
        enter();
        auto n = std::make_shared<Expression::Node>();
        n->kind = Expression::Node::kUnary;
        n->text = op;
        n->left = unary();
        --depth_;
        return n;
      }
    }
    return primary();
  }

  NodePtr primary() {
    skip();
    if (pos_ >= s_.size()) fail("expression ends early");
    auto n = std::make_shared<Expression::Node>();
    const char c = s_[pos_];
    if (c == '(') {
      ++pos_;
      enter();
      NodePtr inner = binary(0);
      if (!take(")")) fail("expected ')'");
      --depth_;
      return inner;
    }
    if (c == '"') {
      const size_t end = s_.find('"', pos_ + 1);
      if (end == std::string::npos) fail("unterminated string");
      n->kind = Expression::Node::kString;
      n->text = s_.substr(pos_ + 1, end - pos_ - 1);
      pos_ = end + 1;
      return n;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      size_t used = 0;
      try {
        n->number = std::stod(s_.substr(pos_), &used);
      } catch (const std::exception&) {
        fail("bad number");
      }
      n->kind = Expression::Node::kNumber;
      pos_ += used;
      return n;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t end = pos_;
      while (end < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[end])) ||
                                 s_[end] == '_' || s_[end] == '.'))
        ++end;
      const std::string word = s_.substr(pos_, end - pos_);
      pos_ = end;
      if (word == "true" || word == "false") {
        n->kind = Expression::Node::kNumber;
        n->number = word == "true" ? 1 : 0;
        return n;
      }
      n->kind = Expression::Node::kKey;
      n->text = word;
      keys_->push_back(word);
      return n;
    }
    fail("unexpected '" + std::string(1, c) + "'");
  }

  const std::string& s_;
  std::vector<std::string>* keys_;
  size_t pos_ = 0;
  int depth_ = 0;
};

ExprValue eval(const Expression::Node& n,
               const std::function<ExprValue(const std::string&)>& lookup) {
  using N = Expression::Node;
  switch (n.kind) {
    case N::kNumber:
      return {false, n.number, ""};
    case N::kString:
      return {true, 0, n.text};
    case N::kKey:
      return lookup(n.text);
    case N::kUnary: {
      const ExprValue v = eval(*n.left, lookup);
      if (v.is_string) throw std::invalid_argument("'" + n.text + "' applied to a string");
      return {false, n.text == "-" ? -v.number : (v.number == 0 ? 1.0 : 0.0), ""};
    }
    case N::kBinary: {
      const std::string& op = n.text;
      const ExprValue a = eval(*n.left, lookup);
      if (op == "&&" && !a.is_string && a.number == 0) return {false, 0, ""};
      if (op == "||" && !a.is_string && a.number != 0) return {false, 1, ""};
      const ExprValue b = eval(*n.right, lookup);
      if (a.is_string || b.is_string) {
        if (a.is_string != b.is_string || (op != "==" && op != "!=")) {
          throw std::invalid_argument("'" + op + "' between a string and " +
                                      (a.is_string && b.is_string ? "a string" : "a number"));
        }
        return {false, (a.text == b.text) == (op == "==") ? 1.0 : 0.0, ""};
      }
      const double x = a.number, y = b.number;
      double r = 0;
      if (op == "+")
        r = x + y;
      else if (op == "-")
        r = x - y;
      else if (op == "*")
        r = x * y;
      else if (op == "/")
        r = x / y;
      else if (op == "%")
        r = std::fmod(x, y);
      else if (op == "==")
        r = x == y;
      else if (op == "!=")
        r = x != y;
      else if (op == "<")
        r = x < y;
      else if (op == "<=")
        r = x <= y;
      else if (op == ">")
        r = x > y;
      else if (op == ">=")
        r = x >= y;
      else if (op == "&&")
        r = x != 0 && y != 0;
      else if (op == "||")
        r = x != 0 || y != 0;
      return {false, r, ""};
    }
  }
  return {};
}

}  // namespace

Expression Expression::parse(const std::string& text) {
  Expression e;
  Parser p(text, &e.keys_);
  e.root_ = p.parse();
  return e;
}

ExprValue Expression::evaluate(const std::function<ExprValue(const std::string&)>& lookup) const {
  return eval(*root_, lookup);
}

bool Expression::holds(const std::function<ExprValue(const std::string&)>& lookup) const {
  const ExprValue v = evaluate(lookup);
  if (v.is_string) throw std::invalid_argument("the constraint is a string, not a condition");
  return v.number != 0;
}

}  // namespace strata
