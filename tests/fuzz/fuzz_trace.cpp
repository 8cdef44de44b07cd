// A quantized trace's JSON (docs/trace-format.md), turned into a workload.
#include "fuzz_support.h"
#include "workloads/json_file.h"
#include "workloads/trace/trace_io.h"

STRATA_FUZZ_TARGET(trace) {
  using namespace strata;
  return fuzz::expect_input_errors_only([&] {
    const Trace t =
        trace_from_json(parse_json_text(fuzz::input_text(data, size), "t.json"), "t.json");
    trace_workload(t, "t.json").macs();
  });
}
