// A sweep constraint expression, parsed and evaluated over a few keys.
#include <stdexcept>

#include "fuzz_support.h"
#include "sim/sweep/expression.h"

STRATA_FUZZ_TARGET(constraint) {
  using namespace strata;
  try {
    const Expression e = Expression::parse(fuzz::input_text(data, size));
    e.evaluate([](const std::string& key) -> ExprValue {
      if (key == "array.rows") return {false, 32, ""};
      if (key == "array.dataflow") return {true, 0, "ws"};
      throw std::invalid_argument("unknown key '" + key + "'");
    });
  } catch (const std::invalid_argument&) {
    // The parser's and evaluator's answer to bad input (sweep_spec.cpp names the spec and key).
  }
  return 0;
}
