#pragma once
// Cycle-by-cycle systolic arrays (docs/timing.md, "cycle fidelity"): one walk over cycles, with
// the dataflow's machine as a policy (cycle_array_machines.h). Random operands flow through, so
// the simulation also checks every output against the GEMM. Pure C++; meant for small layers (cost
// grows with cycles x rows x cols): it cross-checks the tile-level cycle model.
//
// Output-stationary: operands move one PE per cycle through registers, each PE multiplies and
// accumulates when both operands of the same fold meet, finished sums wait in an output register
// and drain down their column one row per cycle. A controller starts each fold's operand wavefront
// at the earliest cycle its results cannot collide with the previous fold's drain.
//
// Weight- or input-stationary (the same machine; IS holds inputs where WS holds weights): each PE
// has an active and a shadow register for the stationary operand. The next fold's stationary
// values travel down a per-column preload bus, row 0's first, each row latching its own, while the
// current fold streams; a PE switches to the shadow value when the next fold's first streamed
// operand reaches it (a diagonal wavefront). Streamed operands move right, partial sums move down
// and leave the bottom row. The controller starts a preload once the row it first overwrites has
// switched, and a fold once the edges are free and its shadow values are in place.
#include <cstdint>
#include <vector>

#include "hw_models/array/dataflow.h"

namespace strata {

struct CycleRun {
  int64_t cycles = 0;         // first injection to the last output leaving the array
  int64_t macs = 0;           // multiply-accumulates the PEs performed
  int64_t wrong_outputs = 0;  // outputs that differ from the GEMM (0 unless the model is broken)
  int64_t collisions = 0;     // results written over an undrained output register (must be 0)
  std::vector<int64_t> fold_starts;  // cycle each fold's first operands enter the array
};

// Folds in execution order; each fold's rows_used x cols_used PEs over `stream` steps. OS and the
// two stationary dataflows each run their own machine through the same walk.
CycleRun simulate_array_cycles(Dataflow dataflow, ArrayGeometry array,
                               const std::vector<FoldShape>& folds, uint64_t seed = 1);

// rows x cols x cycles the simulation would step through, to refuse layers too large for it.
int64_t os_cycle_work(ArrayGeometry array, const std::vector<FoldShape>& folds);

}  // namespace strata
