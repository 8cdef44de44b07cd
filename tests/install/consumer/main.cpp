// Runs one workload on one config through strata's library, as a program of another project
// would, and prints the report's total cycles and energy (the test compares them with the CLI's).
#include <iostream>
#include <systemc>

#include "sim/report/report.h"
#include "sim/run/simulation.h"

int sc_main(int argc, char* argv[]) {
  if (argc != 3) {
    std::cerr << "usage: strata_consumer CONFIG WORKLOAD\n";
    return 2;
  }
  strata::RunRequest request;
  request.config_path = argv[1];
  request.workload = argv[2];
  const strata::PreparedRun prepared = strata::prepare_run(request);
  const strata::RunResult result = strata::run_simulation(prepared, nullptr);
  const auto report = strata::report_json(prepared, result);
  std::cout << report["totals"]["cycles"] << " " << report["totals"]["energy_pj"] << "\n";
  return 0;
}
