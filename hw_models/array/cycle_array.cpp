#include "hw_models/array/cycle_array.h"

#include <algorithm>

#include "hw_models/array/cycle_array_machines.h"

namespace strata {
namespace {

// The walk every dataflow shares: step the machine until every output has left, or until the
// last fold's start plus a generous pipeline has passed (the outputs still inside were lost).
template <typename Machine>
CycleRun walk(ArrayGeometry array, const std::vector<FoldShape>& shapes, uint64_t seed) {
  Machine machine(array, shapes, seed);
  CycleRun run;
  run.fold_starts = machine.fold_starts();
  int64_t limit = 16;
  for (size_t f = 0; f < shapes.size(); ++f) {
    limit = std::max(limit, run.fold_starts[f] + 4 * (shapes[f].stream + array.rows + array.cols));
  }
  int64_t remaining = machine.outputs();
  for (int64_t t = 0; remaining > 0; ++t) {
    if (t > limit) {
      run.wrong_outputs += remaining;  // never left the array
      break;
    }
    remaining -= machine.step(t, run);
  }
  return run;
}

}  // namespace

CycleRun simulate_array_cycles(Dataflow dataflow, ArrayGeometry array,
                               const std::vector<FoldShape>& folds, uint64_t seed) {
  return dataflow == Dataflow::kOutputStationary ? walk<OsMachine>(array, folds, seed)
                                                 : walk<StationaryMachine>(array, folds, seed);
}

int64_t os_cycle_work(ArrayGeometry array, const std::vector<FoldShape>& folds) {
  int64_t cycles = 0;
  for (const auto& f : folds) cycles += std::max(f.stream, f.rows_used);
  return (cycles + array.rows + array.cols) * array.rows * array.cols;
}

}  // namespace strata
