// A mapping: the Timeloop-style string, or its JSON form when the input is JSON. What parses must
// print back to text that parses to the same mapping.
#include <cstdlib>

#include "fuzz_support.h"
#include "workloads/json_file.h"
#include "workloads/mapping/mapping.h"

STRATA_FUZZ_TARGET(mapping) {
  using namespace strata;
  const std::string text = fuzz::input_text(data, size);
  auto round_trips = [](const Mapping& m) {
    if (!(parse_mapping(format_mapping(m), "printed") == m)) std::abort();
    if (!(mapping_from_json(mapping_to_json(m), "json") == m)) std::abort();
  };
  fuzz::expect_input_errors_only([&] { round_trips(parse_mapping(text, "m")); });
  return fuzz::expect_input_errors_only(
      [&] { round_trips(mapping_from_json(parse_json_text(text, "m.json"), "m.json")); });
}
