#pragma once
// A banked DRAM's energy by command, after the run: counts x per-command energies from the
// datasheet's currents (DRAMPower's way), or, for a part with no datasheet currents, the data
// bits moved x a pJ/bit figure.
#include <cstdint>

#include "hw_models/memory/banked_dram.h"

namespace strata {

// Each command costs its current above the standby it replaces, over its duration; standby costs
// IDD3N while some bank is open, IDD2N otherwise.
struct DramEnergyPj {
  double activate = 0;         // an ACT and its PRE: IDD0 over tRC less the standby of that time
  double read = 0, write = 0;  // (IDD4R / IDD4W - IDD3N) over a burst
  double refresh = 0;          // (IDD5AB - IDD3N) over tRFC
  double active_standby = 0, precharged_standby = 0;
  double total() const {
    return activate + read + write + refresh + active_standby + precharged_standby;
  }
};

// `elapsed_cycles`: the span the device was powered (per channel); `active_cycles`: of it, with
// some bank open (BankedDram::active_cycles). `pj_per_bit`: the figure read and write bursts cost
// when `c` has no supplies (the other terms are then zero).
DramEnergyPj dram_energy(const BankedDramParams& p, const DramCurrents& c, const BankedDramStats& s,
                         int64_t elapsed_cycles, int64_t active_cycles, double pj_per_bit = 0);

}  // namespace strata
