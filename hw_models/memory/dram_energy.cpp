#include "hw_models/memory/dram_energy.h"

#include <algorithm>

namespace strata {

DramCommandEnergy dram_command_energy(const BankedDramParams& p, const DramCurrents& c,
                                      double pj_per_bit) {
  DramCommandEnergy e;
  if (c.supplies.empty()) {
    e.read_pj = e.write_pj = static_cast<double>(p.burst_bytes()) * 8 * pj_per_bit;
    return e;
  }
  e.from_currents = true;
  const double tck_ns = 1000.0 / p.clock_mhz;  // mA x V x ns = pJ
  const double devices = static_cast<double>(c.devices_per_channel);
  const DramTimingCycles& t = p.t;
  for (const DramSupply& v : c.supplies) {
    const double k = v.volts * tck_ns * devices;
    e.activate_pj += k * (v.idd0 * t.rc - (v.idd3n * t.ras + v.idd2n * (t.rc - t.ras)));
    e.read_pj += k * (v.idd4r - v.idd3n) * t.burst;
    e.write_pj += k * (v.idd4w - v.idd3n) * t.burst;
    e.refresh_pj += k * (v.idd5ab - v.idd3n) * t.rfc;
    e.active_standby_pj_per_cycle += k * v.idd3n;
    e.precharged_standby_pj_per_cycle += k * v.idd2n;
  }
  return e;
}

DramEnergyPj& DramEnergyPj::operator+=(const DramEnergyPj& o) {
  activate += o.activate;
  read += o.read;
  write += o.write;
  refresh += o.refresh;
  active_standby += o.active_standby;
  precharged_standby += o.precharged_standby;
  return *this;
}

DramEnergyPj dram_energy(const DramCommandEnergy& e, const BankedDramStats& s, int64_t channels,
                         int64_t elapsed_cycles, int64_t active_cycles) {
  DramEnergyPj r;
  r.activate = static_cast<double>(s.activates) * e.activate_pj;
  r.read = static_cast<double>(s.reads) * e.read_pj;
  r.write = static_cast<double>(s.writes) * e.write_pj;
  r.refresh = static_cast<double>(s.refreshes) * e.refresh_pj;
  r.active_standby = static_cast<double>(active_cycles) * e.active_standby_pj_per_cycle;
  const int64_t precharged = std::max<int64_t>(0, channels * elapsed_cycles - active_cycles);
  r.precharged_standby = static_cast<double>(precharged) * e.precharged_standby_pj_per_cycle;
  return r;
}

DramEnergyPj dram_energy(const BankedDramParams& p, const DramCurrents& c, const BankedDramStats& s,
                         int64_t elapsed_cycles, int64_t active_cycles, double pj_per_bit) {
  return dram_energy(dram_command_energy(p, c, pj_per_bit), s, p.channels, elapsed_cycles,
                     active_cycles);
}

}  // namespace strata
