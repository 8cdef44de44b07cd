#include "hw_models/memory/dram_energy.h"

#include <algorithm>

namespace strata {

DramEnergyPj dram_energy(const BankedDramParams& p, const DramCurrents& c, const BankedDramStats& s,
                         int64_t elapsed_cycles, int64_t active_cycles, double pj_per_bit) {
  DramEnergyPj e;
  if (c.supplies.empty()) {
    const double bits = static_cast<double>(p.burst_bytes()) * 8 * pj_per_bit;
    e.read = static_cast<double>(s.reads) * bits;
    e.write = static_cast<double>(s.writes) * bits;
    return e;
  }
  const double tck_ns = 1000.0 / p.clock_mhz;  // mA x V x ns = pJ
  const double devices = static_cast<double>(c.devices_per_channel);
  const DramTimingCycles& t = p.t;
  for (const DramSupply& v : c.supplies) {
    const double k = v.volts * tck_ns * devices;
    e.activate += static_cast<double>(s.activates) * k *
                  (v.idd0 * t.rc - (v.idd3n * t.ras + v.idd2n * (t.rc - t.ras)));
    e.read += static_cast<double>(s.reads) * k * (v.idd4r - v.idd3n) * t.burst;
    e.write += static_cast<double>(s.writes) * k * (v.idd4w - v.idd3n) * t.burst;
    e.refresh += static_cast<double>(s.refreshes) * k * (v.idd5ab - v.idd3n) * t.rfc;
    e.active_standby += static_cast<double>(active_cycles) * k * v.idd3n;
    const int64_t precharged = p.channels * elapsed_cycles - active_cycles;
    e.precharged_standby += static_cast<double>(std::max<int64_t>(0, precharged)) * k * v.idd2n;
  }
  return e;
}

}  // namespace strata
