// A JSON layer list.
#include "fuzz_support.h"
#include "workloads/json_file.h"
#include "workloads/layer_list_json.h"

STRATA_FUZZ_TARGET(layer_list) {
  using namespace strata;
  return fuzz::expect_input_errors_only([&] {
    parse_layer_list(parse_json_text(fuzz::input_text(data, size), "l.json"), "l.json").macs();
  });
}
