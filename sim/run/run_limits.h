#pragma once
// What one run may ask of the model, checked before anything is simulated: a run beyond these is
// refused with one line naming the layer, the figure and the limit (docs/config.md, "Limits").
#include "sim/run/simulation.h"

namespace strata {

// Simulated time per run: SystemC's clock counts 64-bit picoseconds (it ends at 1.8e7 s); the
// bound applies to a lower bound of the run's time (compute cycles and compulsory DRAM traffic),
// which leaves room for the refetches only the run itself finds.
constexpr double kMaxSimulatedSeconds = 1e5;

// Throws InputError if a layer has more folds than the tiler holds, if a layer is beyond cycle
// fidelity's limit, or if the run would take more than kMaxSimulatedSeconds of simulated time.
void check_run_limits(const PreparedRun& run);

}  // namespace strata
