#pragma once
// One file per run mode (sim.mode) behind one interface, chosen by RunParams::mode: how the mode
// prepares its workload and data before elaboration, and what it adds to the timing run's
// results. A new mode is a new RunModeDriver and one line in run_mode_driver().
#include <cstddef>

#include "sim/run/simulation.h"

namespace strata {

class RunModeDriver {
 public:
  virtual ~RunModeDriver() = default;
  // Loads `run.workload` (and the mode's own data) from `inputs.workload`; throws InputError
  // naming the file or key.
  virtual void prepare(PreparedRun& run, const RunInputs& inputs) const = 0;
  // What the mode adds to layer `index`'s results once its timing is known.
  virtual void finish_layer(const PreparedRun& /*run*/, size_t /*index*/, int /*output_bits*/,
                            IntervalResult& /*layer*/) const {}
  // What the mode adds to the totals once every layer has finished.
  virtual void finish_totals(const RunResult& /*result*/, IntervalResult& /*totals*/) const {}
};

const RunModeDriver& run_mode_driver(RunMode mode);

// The modes' drivers (mode_tile.cpp, mode_bittrue.cpp, mode_functional.cpp).
const RunModeDriver& tile_mode();
const RunModeDriver& bittrue_mode();
const RunModeDriver& functional_mode();

// Shared by the tile and bit-true modes: the workload as the config's front end prepares it (a
// zoo or ONNX model with workload.scheme), or as the file or zoo spec gives it. With `codes`, the
// front end's trace, codes and float weights are kept there.
void prepare_workload(PreparedRun& run, const RunInputs& inputs, BitTrueInputs* codes);

// Where the zoo's real weights are fetched to (scripts/fetch_weights.sh).
std::string real_weights_dir();

}  // namespace strata
