#pragma once
// A PreparedRun from a config given as JSON and a workload built in the test, with the 45 nm
// table: for integration tests that elaborate a SoC directly.
#include <nlohmann/json.hpp>
#include <string>

#include "sim/config/component_params.h"
#include "sim/run/simulation.h"

namespace strata::test {

inline PreparedRun prepared_run(const nlohmann::json& config, Workload w) {
  ConfigTree tree = ConfigTree::from_json(config, "test.json");
  PreparedRun p;
  p.config = resolve_config(tree);
  p.workload = std::move(w);
  p.soc = make_soc_params(p.config);
  p.params = make_run_params(p.config);
  p.tech = load_tech_table(std::string(STRATA_SOURCE_DIR) + "/configs/tech/45nm.json");
  return p;
}

}  // namespace strata::test
