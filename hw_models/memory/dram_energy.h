#pragma once
// A banked DRAM's energy by command, after the run: counts x per-command energies. The energies
// come from the datasheet's currents, DRAMPower's way, or, for a part with no datasheet currents,
// from a pJ/bit figure for the data bursts alone.
#include <cstdint>

#include "hw_models/memory/banked_dram.h"

namespace strata {

// Each command costs its current above the standby it replaces, over its duration; standby costs
// IDD3N while some bank is open, IDD2N otherwise.
struct DramCommandEnergy {
  double activate_pj = 0;  // an ACT and its PRE: IDD0 over tRC less the standby of that time
  double read_pj = 0, write_pj = 0;  // a burst: (IDD4R / IDD4W - IDD3N) over tBURST
  double refresh_pj = 0;             // an all-bank REF: (IDD5AB - IDD3N) over tRFC
  double active_standby_pj_per_cycle = 0, precharged_standby_pj_per_cycle = 0;  // per channel
  bool from_currents = false;  // false: only the bursts cost (pJ/bit), the rest is zero
};
// `pj_per_bit`: the figure bursts cost when `c` has no supplies.
DramCommandEnergy dram_command_energy(const BankedDramParams& p, const DramCurrents& c,
                                      double pj_per_bit);

struct DramEnergyPj {
  double activate = 0, read = 0, write = 0, refresh = 0;
  double active_standby = 0, precharged_standby = 0;
  double total() const {
    return activate + read + write + refresh + active_standby + precharged_standby;
  }
  DramEnergyPj& operator+=(const DramEnergyPj& o);
};

// `elapsed_cycles`: the span the device was powered (each channel); `active_cycles`: of it, with
// some bank open (summed over channels; BankedDram::active_cycles).
DramEnergyPj dram_energy(const DramCommandEnergy& e, const BankedDramStats& s, int64_t channels,
                         int64_t elapsed_cycles, int64_t active_cycles);
// The same from the preset's own numbers.
DramEnergyPj dram_energy(const BankedDramParams& p, const DramCurrents& c, const BankedDramStats& s,
                         int64_t elapsed_cycles, int64_t active_cycles, double pj_per_bit = 0);

}  // namespace strata
