// The banked DRAM presets. Every number's source is in docs/references.md §11; cycle counts are
// the standard's nanoseconds rounded up to the preset's clock, as JEDEC rounds them.
#include <stdexcept>

#include "hw_models/memory/banked_dram_params.h"

namespace strata {
namespace {

// Bank-group standards stream at full rate only when consecutive bursts alternate bank groups
// (tCCD_S = tBURST < tCCD_L): their presets put the bank-group bits lowest.
const std::vector<std::string> kGroupsLowest = {"bank_group", "column",  "bank",
                                                "rank",       "channel", "row"};

DramPreset ddr4_3200() {
  // JEDEC DDR4-3200AA (22-22-22), 8 Gb x8 dies, eight on a 64-bit channel (one rank); timing from
  // the JESD79-4 speed bin and its x8 tables; currents from Micron's 4 Gb x8 DDR4-2400 data sheet.
  DramPreset d{"ddr4_3200", {}, {}};
  BankedDramParams& p = d.params;
  p.clock_mhz = 1600;
  p.data_rate = 2;
  p.bus_bits = 64;
  p.burst_length = 8;
  p.bank_groups = 4;
  p.banks_per_group = 4;
  p.rows = 65536;
  p.columns = 1024;
  p.mapping.order = kGroupsLowest;
  DramTimingCycles& t = p.t;
  t.cl = t.rcd = t.rp = 22;  // 13.75 ns
  t.cwl = 16;
  t.ras = 52;   // 32 ns
  t.rc = 74;    // tRAS + tRP
  t.rrd_s = 4;  // max(4 nCK, 2.5 ns)
  t.rrd_l = 8;  // max(4 nCK, 4.9 ns)
  t.faw = 34;   // 21 ns (x8)
  t.ccd_s = 4;
  t.ccd_l = 8;     // max(5 nCK, 5 ns)
  t.wtr_s = 4;     // max(2 nCK, 2.5 ns)
  t.wtr_l = 12;    // max(4 nCK, 7.5 ns)
  t.rtw = 12;      // CL + BL/2 - CWL + 2 (read preamble and turnaround)
  t.rtp = 12;      // max(4 nCK, 7.5 ns)
  t.wr = 24;       // 15 ns
  t.burst = 4;     // BL8 at two transfers a clock
  t.refi = 12480;  // 7.8 us
  t.rfc = 560;     // tRFC1, 350 ns for 8 Gb
  d.currents.supplies = {{1.2, 60.75, 38.25, 44.0, 184.5, 168.75, 118.0},  // VDD
                         {2.5, 4.05, 0.0, 0.0, 0.0, 0.0, 0.0}};            // VPP
  d.currents.devices_per_channel = 8;
  return d;
}

DramPreset lpddr5_6400() {
  // JEDEC LPDDR5-6400 (JESD209-5), one x16 channel in bank-group mode (4 groups of 4 banks, 2 KB
  // rows), CK 800 MHz with WCK at four times it: eight transfers a CK, BL16 in two CKs.
  DramPreset d{"lpddr5_6400", {}, {}};
  BankedDramParams& p = d.params;
  p.clock_mhz = 800;
  p.data_rate = 8;
  p.bus_bits = 16;
  p.burst_length = 16;
  p.bank_groups = 4;
  p.banks_per_group = 4;
  p.rows = 65536;
  p.columns = 1024;
  p.mapping.order = kGroupsLowest;
  DramTimingCycles& t = p.t;
  t.rcd = 15;             // 18 ns
  t.rp = 15;              // tRPpb 18 ns
  t.cl = 20;              // RL
  t.cwl = 11;             // WL
  t.ras = 34;             // 42 ns
  t.rc = 49;              // tRAS + tRPpb
  t.rrd_s = t.rrd_l = 4;  // 5 ns
  t.faw = 16;             // 20 ns
  t.ccd_s = 2;            // BL16 / 8 transfers a CK
  t.ccd_l = 4;            // twice that within a bank group
  t.wtr_s = 5;            // 6.25 ns
  t.wtr_l = 10;           // 12 ns
  t.rtw = 13;             // RL + BL/n - WL + 2 (strobe and turnaround)
  t.rtp = 6;              // 7.5 ns
  t.wr = 28;              // 34 ns
  t.burst = 2;
  t.refi = 3124;  // 3.906 us
  t.rfc = 224;    // tRFCab 280 ns (16 Gb)
  return d;       // no datasheet currents to cite: energy per bit (docs/dram.md)
}

DramPreset hbm2() {
  // HBM2, one pseudo-channel (64 bits, 2 Gb/s a pin), as DRAMSys's HBM2 memspec gives a shipped
  // device's timing: 8 bank groups of 4 banks, 1 KB rows, BL4.
  DramPreset d{"hbm2", {}, {}};
  BankedDramParams& p = d.params;
  p.clock_mhz = 1000;
  p.data_rate = 2;
  p.bus_bits = 64;
  p.burst_length = 4;
  p.bank_groups = 8;
  p.banks_per_group = 4;
  p.rows = 32768;
  p.columns = 128;
  p.mapping.order = kGroupsLowest;
  DramTimingCycles& t = p.t;
  t.rcd = 12;  // tRCDRD
  t.rcd_wr = 6;
  t.rp = 14;
  t.cl = 17;
  t.cwl = 7;
  t.ras = 28;
  t.rc = 42;
  t.rrd_s = 4;
  t.rrd_l = 6;
  t.faw = 16;
  t.ccd_s = 2;
  t.ccd_l = 3;
  t.wtr_s = 4;
  t.wtr_l = 9;
  t.rtw = 18;
  t.rtp = 5;
  t.wr = 14;
  t.burst = 2;
  t.refi = 3900;
  t.rfc = 220;
  return d;  // the memspec's currents are zero: energy per bit (docs/dram.md)
}

}  // namespace

BankedDramParams lpddr4_3200() {
  // JEDEC LPDDR4-3200, 8 Gb die, x16 channel, as DRAMSys's memspec JEDEC_8Gb_LPDDR4-3200_16bit
  // gives it: 1600 MHz, BL16, 8 banks of 65,536 rows x 1,024 columns.
  BankedDramParams p;
  p.clock_mhz = 1600;
  p.data_rate = 2;
  p.bus_bits = 16;
  p.burst_length = 16;
  p.channels = 1;
  p.ranks = 1;
  p.bank_groups = 1;
  p.banks_per_group = 8;
  p.rows = 65536;
  p.columns = 1024;
  DramTimingCycles& t = p.t;
  t.rcd = 29;
  t.rp = 29;   // per-bank precharge (tRPpb)
  t.cl = 28;   // RL
  t.cwl = 14;  // WL
  t.ras = 68;
  t.rc = 97;  // tRCpb = tRAS + tRPpb
  t.rrd_s = t.rrd_l = 16;
  t.ccd_s = t.ccd_l = 8;
  t.faw = 64;
  t.wtr_s = t.wtr_l = 16;
  // Read to write: RL + tDQSCK + BL/2 - WL + tWPRE + tRPST = 28 + 6 + 8 - 14 + 2 + 0.
  t.rtw = 30;
  t.rtp = 12;
  t.wr = 29;
  t.burst = 8;  // BL16 at two transfers a clock
  t.refi = 6246;
  t.rfc = 448;  // all-bank (tRFCab)
  return p;
}

DramCurrents lpddr4_3200_currents() {
  // The same memspec's: VDD1 1.8 V and VDD2 1.1 V.
  DramCurrents c;
  c.supplies = {{1.8, 3.5, 2.0, 2.25, 2.25, 2.25, 2.5},
                {1.1, 45.0, 27.0, 30.0, 275.0, 210.0, 30.0}};
  return c;
}

const std::vector<std::string>& dram_preset_names() {
  static const std::vector<std::string> names = {"ddr4_3200", "lpddr4_3200", "lpddr5_6400", "hbm2"};
  return names;
}

DramPreset dram_preset(const std::string& name) {
  if (name == "ddr4_3200") return ddr4_3200();
  if (name == "lpddr4_3200") return {name, lpddr4_3200(), lpddr4_3200_currents()};
  if (name == "lpddr5_6400") return lpddr5_6400();
  if (name == "hbm2") return hbm2();
  throw std::invalid_argument("unknown DRAM preset \"" + name + "\"");
}

}  // namespace strata
