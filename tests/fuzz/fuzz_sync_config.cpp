// A time-sync config (strata sync): every key resolved and the sync parameters built, including
// the outage windows and the memory budgets.
#include "fuzz_support.h"
#include "sim/config/config_tree.h"
#include "sim/config/sync_params.h"

STRATA_FUZZ_TARGET(sync_config) {
  using namespace strata;
  const std::string path = fuzz::write_scratch("sync.json", fuzz::input_text(data, size));
  return fuzz::expect_input_errors_only(
      [&] { make_sync_params(resolve_config(ConfigTree::load(path), sync_config_specs())); });
}
