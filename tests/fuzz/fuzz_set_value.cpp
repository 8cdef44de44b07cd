// A --set override ("key.path=value", the value JSON or a bare word) on the default config,
// resolved and turned into the components' parameters.
#include "fuzz_support.h"
#include "sim/config/component_params.h"
#include "sim/config/config_tree.h"
#include "sim/config/param_specs.h"

STRATA_FUZZ_TARGET(set_value) {
  using namespace strata;
  static const ConfigTree base = ConfigTree::load(STRATA_SOURCE_DIR "/configs/default.json");
  return fuzz::expect_input_errors_only([&] {
    ConfigTree tree = base;
    tree.set_override(fuzz::input_text(data, size));
    make_soc_params(resolve_config(tree));
  });
}
