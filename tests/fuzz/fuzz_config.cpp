// An accelerator config file (JSON with includes): load, merge includes, resolve every key, build
// the components' parameters and the run plan (mode, workload preparation, sensor, optics). The
// input is c.json; it may include itself or inc.json (a fixed config) by relative path.
#include "fuzz_support.h"
#include "sim/config/component_params.h"
#include "sim/config/config_tree.h"
#include "sim/config/param_specs.h"
#include "sim/config/run_params.h"
#include "sim/config/workload_prep.h"

STRATA_FUZZ_TARGET(config) {
  using namespace strata;
  static const std::string inc = fuzz::write_scratch("inc.json", R"({"array": {"rows": 16}})");
  const std::string path = fuzz::write_scratch("c.json", fuzz::input_text(data, size));
  return fuzz::expect_input_errors_only([&] {
    const ResolvedConfig c = resolve_config(ConfigTree::load(path));
    make_soc_params(c);
    make_run_params(c);
  });
}
