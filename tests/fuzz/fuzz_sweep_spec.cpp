// A sweep spec: load it (axes, ranges, constraints, workloads) and plan its points against a
// base config next to it (base.json). Specs of more than 20,000 points are loaded but not planned
// (planning is ~20 us a point: larger plans would trip the per-input timeout, not a fault).
#include "fuzz_support.h"
#include "sim/sweep/sweep_spec.h"

STRATA_FUZZ_TARGET(sweep_spec) {
  using namespace strata;
  static const std::string base = fuzz::write_scratch("base.json", R"({"array": {"rows": 16}})");
  const std::string path = fuzz::write_scratch("s.json", fuzz::input_text(data, size));
  return fuzz::expect_input_errors_only([&] {
    const SweepSpec spec = load_sweep_spec(path);
    double points = 1;
    for (const auto& a : spec.axes) points *= static_cast<double>(a.values.size());
    if (points <= 20000) plan_sweep(spec);
  });
}
