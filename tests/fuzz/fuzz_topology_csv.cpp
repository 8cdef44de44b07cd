// A SCALE-Sim topology CSV (conv or GEMM rows).
#include "fuzz_support.h"
#include "workloads/topology_csv.h"

STRATA_FUZZ_TARGET(topology_csv) {
  using namespace strata;
  return fuzz::expect_input_errors_only(
      [&] { parse_topology_csv(fuzz::input_text(data, size), "t.csv").macs(); });
}
