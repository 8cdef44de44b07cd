#pragma once
// A banked DRAM channel's timing (issue 31, docs/dram.md once it is wired): ranks, bank groups,
// banks, rows and columns; an address mapping; open- or closed-page policy; a controller that
// serves bursts first-ready first-come-first-served (within its queue, the burst whose column
// command can go first: a row hit before an older miss, another bank group before tCCD_L) under
// the standard's timing constraints, with all-bank refresh. Pure C++: times are in
// the DRAM's clock cycles (tCK); the SoC's DRAM module converts.
//
// What each command waits for (cycles):
//   ACT  : the bank precharged (tRP after its PRE), tRC after the bank's last ACT, tRRD_S / tRRD_L
//          after the rank's last ACT (another / the same bank group), at most four ACTs in any
//          tFAW window;
//   RD/WR: tRCD after the bank's ACT, tCCD_S / tCCD_L after the last column command, a write
//          tRTW after a read, a read tWTR_S / tWTR_L after a write's data (WL + tBURST after the
//          write);
//          its data takes the bus tCL (reads) or tCWL (writes) after the command, for tBURST;
//   PRE  : tRAS after the ACT, tRTP after a read, tWR after a write's data;
//   REF  : every tREFI, all banks precharged, then none is usable for tRFC.
#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace strata {

struct DramTimingCycles {
  int64_t rcd = 0;     // ACT to a read (and to a write, unless rcd_wr is set)
  int64_t rcd_wr = 0;  // ACT to a write where it differs (HBM2's tRCDWR); 0: rcd
  int64_t rp = 0, cl = 0, cwl = 0, ras = 0, rc = 0;
  int64_t rrd_s = 0, rrd_l = 0, ccd_s = 0, ccd_l = 0, faw = 0;
  // A write's data end to the next read command: to another bank group (tWTR_S) or the same
  // (tWTR_L); one figure where the standard has one.
  int64_t wtr_s = 0, wtr_l = 0;
  int64_t rtw = 0;  // a read command to the next write command
  int64_t rtp = 0, wr = 0;
  int64_t burst = 0;  // data cycles of one burst (burst length / data rate)
  int64_t refi = 0, rfc = 0;
};

enum class PagePolicy { kOpen, kClosed };

// Which address bits select what, from the least significant up: the byte within a burst is
// always lowest, then the fields in `order` ("column", "channel", "bank_group", "bank", "rank",
// "row"), each as many bits as the geometry needs.
struct DramAddressMapping {
  std::vector<std::string> order = {"column", "bank", "bank_group", "rank", "channel", "row"};
};

struct BankedDramParams {
  double clock_mhz = 1600;  // tCK = 1 / clock
  int64_t data_rate = 2;    // transfers per clock (DDR)
  int64_t bus_bits = 16;    // the channel's data width
  int64_t burst_length = 16;
  int64_t channels = 1, ranks = 1, bank_groups = 1, banks_per_group = 8;
  int64_t rows = 65536, columns = 1024;
  DramTimingCycles t;
  PagePolicy page = PagePolicy::kOpen;
  DramAddressMapping mapping;
  int64_t queue_depth = 32;  // bursts the controller may reorder among

  int64_t burst_bytes() const { return bus_bits / 8 * burst_length; }
  int64_t banks() const { return ranks * bank_groups * banks_per_group; }
  // Peak bytes per DRAM cycle over all channels.
  double peak_bytes_per_cycle() const {
    return static_cast<double>(channels * bus_bits / 8 * data_rate);
  }
  double peak_gbps() const { return peak_bytes_per_cycle() * clock_mhz / 1000.0; }
};

// Where a burst goes.
struct DramCoordinates {
  int64_t channel = 0, rank = 0, bank_group = 0, bank = 0, row = 0, column = 0;
};

// JEDEC LPDDR4-3200, 8 Gb, one x16 channel (docs/references.md, DRAM).
BankedDramParams lpddr4_3200();

// The fields the mapping and the geometry must agree on; empty if they do, else what is wrong
// (a field missing or repeated, a size that is not a power of two).
std::string banked_dram_error(const BankedDramParams& p);

DramCoordinates decode_address(const BankedDramParams& p, int64_t address);

struct BankedDramStats {
  int64_t reads = 0, writes = 0;  // bursts
  int64_t row_hits = 0, row_misses = 0, row_conflicts = 0;
  int64_t activates = 0, precharges = 0, refreshes = 0;
  int64_t refresh_cycles = 0;      // cycles the banks were refreshing
  int64_t data_cycles = 0;         // cycles the data bus carried data
  int64_t queue_delay_cycles = 0;  // bursts' waits between arrival and their column command
  int64_t active_cycles = 0;       // cycles some bank had a row open (closed rows so far)
};

// A device's currents (mA) on each supply, as datasheets give them: IDD0 (one bank activated and
// precharged every tRC), IDD2N / IDD3N (precharged / active standby), IDD4R / IDD4W (bursts of
// reads / writes), IDD5AB (all-bank refresh).
struct DramSupply {
  double volts = 0;
  double idd0 = 0, idd2n = 0, idd3n = 0, idd4r = 0, idd4w = 0, idd5ab = 0;
};
struct DramCurrents {
  std::vector<DramSupply> supplies;
  int64_t devices_per_channel = 1;  // dies side by side on one channel
};

// LPDDR4-3200's (docs/references.md, DRAM): VDD1 1.8 V and VDD2 1.1 V.
DramCurrents lpddr4_3200_currents();

// Energy by command, DRAMPower's way: each command costs its current above the standby it
// replaces, over its duration; standby costs IDD3N while some bank is open, IDD2N otherwise.
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
// some bank open (BankedDram::active_cycles).
DramEnergyPj dram_energy(const BankedDramParams& p, const DramCurrents& c, const BankedDramStats& s,
                         int64_t elapsed_cycles, int64_t active_cycles);

class BankedDram {
 public:
  explicit BankedDram(const BankedDramParams& p);
  const BankedDramParams& params() const { return p_; }
  // `bytes` from `address` on (whole bursts), arriving at cycle `at`; returns the cycle its last
  // data has moved.
  int64_t access(int64_t at, int64_t address, int64_t bytes, bool write);
  // Nothing asked until cycle `t`: the refreshes due by then happen.
  void idle_until(int64_t t);
  // Cycles some bank had a row open, up to cycle `t` (rows still open count until then).
  int64_t active_cycles(int64_t t) const;
  const BankedDramStats& stats() const { return stats_; }

 private:
  struct Bank {
    int64_t open_row = -1;
    int64_t act = -(int64_t{1} << 40);  // its last ACT
    int64_t act_ready = 0;              // earliest next ACT (precharged, tRC)
    int64_t col_ready = 0;              // earliest column command (tRCD)
    int64_t pre_ready = 0;              // earliest PRE (tRAS, tRTP, tWR)
  };
  struct Burst {
    DramCoordinates at;
    bool write = false;
    int64_t arrival = 0;
  };
  struct Channel {
    std::vector<Bank> banks;
    std::vector<std::array<int64_t, 4>> faw;  // per rank: its last four ACTs
    std::vector<int64_t> last_act;            // per rank
    std::vector<int64_t> last_act_group;      // per rank and bank group
    int64_t last_col = -(int64_t{1} << 40);
    int64_t last_col_group = -1;  // the bank group of the last column command (rank * groups)
    int64_t last_read_cmd = -(int64_t{1} << 40);
    int64_t last_write_data_end = -(int64_t{1} << 40);
    int64_t last_write_group = -1;
    int64_t bus_free = 0;
    int64_t next_refresh = 0;
    int64_t open_until = 0;  // the end of the open-row time counted so far
    std::deque<Burst> queue;
  };

  int64_t bank_index(const DramCoordinates& c) const;
  // The earliest its column command could go, by the bank's and the channel's state now.
  int64_t column_ready(const Channel& ch, const Burst& b) const;
  // Serves the burst whose column command can go first (the oldest of those); returns its data
  // end.
  int64_t serve_one(Channel& ch);
  int64_t serve(Channel& ch, const Burst& b);
  void refresh_until(Channel& ch, int64_t t);
  int64_t activate(Channel& ch, Bank& bank, const DramCoordinates& c, int64_t t);
  // Counts the bank's open row, from its ACT to `at`, into the channel's open time.
  void close_row(Channel& ch, Bank& bank, int64_t at);

  BankedDramParams p_;
  std::vector<Channel> channels_;
  BankedDramStats stats_;
};

}  // namespace strata
