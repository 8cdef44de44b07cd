// A mapping: the Timeloop-style string, or its JSON form when the input is JSON, or a --mappings
// file applied to a two-layer workload. What parses must print back to text that parses to the
// same mapping.
#include <cstdlib>

#include "fuzz_support.h"
#include "workloads/json_file.h"
#include "workloads/mapping/mapping.h"
#include "workloads/mappings_file.h"

STRATA_FUZZ_TARGET(mapping) {
  using namespace strata;
  const std::string text = fuzz::input_text(data, size);
  auto round_trips = [](const Mapping& m) {
    if (!(parse_mapping(format_mapping(m), "printed") == m)) std::abort();
    if (!(mapping_from_json(mapping_to_json(m), "json") == m)) std::abort();
  };
  fuzz::expect_input_errors_only([&] { round_trips(parse_mapping(text, "m")); });
  fuzz::expect_input_errors_only(
      [&] { round_trips(mapping_from_json(parse_json_text(text, "m.json"), "m.json")); });
  // A --mappings file: its mappings, each checked against a layer of the same name.
  return fuzz::expect_input_errors_only([&] {
    Workload w;
    w.layers = {gemm_layer("fc", 1, 128, 768, 768), conv_layer("conv", 1, 58, 64, 64, 3)};
    apply_mappings(w, parse_mappings_file(parse_json_text(text, "maps.json"), "maps.json"),
                   "maps.json");
  });
}
